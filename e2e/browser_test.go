package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// startBrowser starts Chromium for a test and stops it when the test ends.
// A missing browser fails the test: scripts/test.sh installs it.
func startBrowser(t *testing.T, ctx context.Context) *Browser {
	t.Helper()
	b, err := Start(ctx)
	if err != nil {
		t.Fatalf("the browser tests need Chromium: %v", err)
	}
	t.Cleanup(b.Close)
	return b
}

// badPage breaks four rules on purpose: no lang, an image without alt
// text, a field without a label, and faint text.
const badPage = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Bad page</title></head><body>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<input type="text" name="q">
<p style="color:#cccccc;background:#ffffff">Faint text</p>
</body></html>`

// TestAxeFindsViolations proves that the harness can fail: a page with known
// faults must give the rules for them.
func TestAxeFindsViolations(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, badPage)
	}))
	defer ts.Close()
	b := startBrowser(t, ctx)
	vs, err := b.Axe(ctx, ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, v := range vs {
		found[v.ID] = true
		if len(v.Nodes) == 0 || v.HelpURL == "" {
			t.Errorf("violation %s lacks its elements or help: %+v", v.ID, v)
		}
	}
	for _, want := range []string{"image-alt", "label", "html-has-lang", "color-contrast"} {
		if !found[want] {
			t.Errorf("axe did not report %s; got:\n%s", want, FormatViolations(vs))
		}
	}
	report := FormatViolations(vs)
	if !strings.Contains(report, "image-alt") || !strings.Contains(report, "<img") {
		t.Errorf("the report does not name the rule and the element:\n%s", report)
	}
}

// goodPage is a page skeleton as the application's templates make it, on
// the real stylesheets in web/static.
const goodPage = `<!DOCTYPE html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Medlemmer – Samråd</title>
<link rel="stylesheet" href="/static/vendor/designsystemet/index.css">
<link rel="stylesheet" href="/static/vendor/designsystemet/theme.css">
<link rel="stylesheet" href="/static/samrad.css">
</head>
<body>
<a class="skip-link" href="#main">Hopp til hovedinnhold</a>
<header class="site-header">
  <div class="site-header__inner">
    <a class="site-header__brand" href="/">Samråd</a>
    <nav class="site-header__nav" aria-label="Hovedmeny">
      <ul>
        <li><a href="/" aria-current="page">Allianser</a></li>
        <li><a href="/organisasjoner">Registeret</a></li>
      </ul>
    </nav>
    <a class="site-header__lang" href="/en/" hreflang="en" lang="en">English</a>
    <a class="site-header__account" href="/logg-inn">Logg inn</a>
  </div>
</header>
<nav class="breadcrumbs" aria-label="Brødsmuler">
  <ol>
    <li><a href="/">Allianser</a></li>
    <li><a href="/allianser/ore">Østre regionråd</a></li>
    <li><span aria-current="page">Medlemmer</span></li>
  </ol>
</nav>
<main id="main" tabindex="-1">
  <h1>Medlemmer i Østre regionråd</h1>
  <p class="lead">Kommuner og fylker som er medlemmer 1. januar 2024, med innbyggertall fra SSB.</p>
  <div class="notice" role="note">
    <p>Listen er ufullstendig fordi kilden er et referat, ikke et vedtak. <a href="/kilder">Om kildene</a></p>
  </div>
  <dl class="facts">
    <dt>Organisasjonsnummer</dt><dd>974 760 673</dd>
    <dt>Stiftet</dt><dd>1. januar 2020</dd>
    <dt>Status</dt><dd><span class="badge badge-confirmed">Bekreftet</span></dd>
  </dl>
  <div class="table-wrap">
  <table class="data-table">
    <caption>Medlemmer 1. januar 2024</caption>
    <thead>
      <tr><th scope="col">Kommune</th><th scope="col">Status</th><th scope="col" class="num">Innbyggere</th><th scope="col" class="num">Kontingent (kr)</th></tr>
    </thead>
    <tbody>
      <tr><th scope="row"><a href="/organisasjoner/3025">Asker</a></th><td><span class="badge badge-confirmed">Bekreftet</span></td><td class="num">98 291</td><td class="num">294 873</td></tr>
      <tr><th scope="row"><a href="/organisasjoner/3024">Bærum</a></th><td><span class="badge badge-pending">Venter</span></td><td class="num">130 772</td><td class="num">392 316</td></tr>
      <tr><th scope="row"><a href="/organisasjoner/5610">Kárášjohka – Karasjok</a></th><td><span class="badge badge-unknown">Ukjent</span></td><td class="num">2 884</td><td class="num">8 652</td></tr>
      <tr><th scope="row"><a href="/organisasjoner/3201">Lillestrøm</a></th><td><span class="badge badge-rejected">Avvist</span></td><td class="num">90 933</td><td class="num">0</td></tr>
    </tbody>
    <tfoot>
      <tr><th scope="row">Sum</th><td></td><td class="num">322 880</td><td class="num">695 841</td></tr>
    </tfoot>
  </table>
  </div>
  <form class="filter" action="/allianser/ore/medlemmer" method="get">
    <div class="field"><label for="dato">Dato</label><input id="dato" name="dato" type="date" value="2024-01-01"></div>
    <button class="ds-button" type="submit">Vis</button>
  </form>
</main>
<footer class="site-footer">
  <p>Samråd – regionråd og interkommunalt samarbeid. Innbyggertall: Statistisk sentralbyrå.</p>
</footer>
</body>
</html>`

// goodServer serves goodPage at / and web/static at /static/, with a
// content security policy as strict as the application's.
func goodServer(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServer(http.Dir(filepath.Join("..", "web", "static")))))
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, goodPage)
	})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; font-src 'self'; script-src 'self'")
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	return ts
}

// TestGoodPage checks a page on the committed stylesheets: no axe
// violation, a skip link that shows on focus, visible focus, every file
// from this site, the theme and the font in use, and a screenshot.
func TestGoodPage(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ts := goodServer(t)
	b := startBrowser(t, ctx)

	t.Run("axe", func(t *testing.T) {
		vs, err := b.Axe(ctx, ts.URL+"/")
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) > 0 {
			t.Errorf("%d accessibility violations:\n%s", len(vs), FormatViolations(vs))
		}
	})

	t.Run("keyboard", func(t *testing.T) {
		p, err := b.Open(ctx, ts.URL+"/")
		if err != nil {
			t.Fatal(err)
		}
		defer p.Close()
		var hidden bool
		if err := p.Eval(`document.querySelector('.skip-link').getBoundingClientRect().bottom <= 0`, &hidden); err != nil {
			t.Fatal(err)
		}
		if !hidden {
			t.Error("the skip link shows before it has focus")
		}
		f, err := p.Tab(1)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(f.HTML, "skip-link") || !f.Visible || !f.OnScreen {
			t.Errorf("first Tab: want the skip link, shown and with a focus ring; got %+v", f)
		}
		for i, want := range []string{"site-header__brand", `aria-current="page"`, "organisasjoner", "site-header__lang"} {
			f, err := p.Tab(1)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(f.HTML, want) || !f.Visible {
				t.Errorf("Tab %d: want %s with a focus ring; got %+v", i+2, want, f)
			}
		}
	})

	t.Run("assets", func(t *testing.T) {
		p, err := b.Open(ctx, ts.URL+"/")
		if err != nil {
			t.Fatal(err)
		}
		defer p.Close()
		var got struct {
			Foreign    []string `json:"foreign"`
			Sheets     int      `json:"sheets"`
			Font       string   `json:"font"`
			Inter      bool     `json:"inter"`
			Header     string   `json:"header"`
			FocusOuter string   `json:"focusOuter"`
		}
		err = p.Eval(`(async () => {
			await document.fonts.load('600 16px Inter');
			return {
				foreign: performance.getEntriesByType('resource').map(e => e.name).filter(u => new URL(u).origin !== location.origin),
				sheets: document.styleSheets.length,
				font: getComputedStyle(document.body).fontFamily,
				inter: document.fonts.check('400 16px Inter') && document.fonts.check('600 16px Inter'),
				header: getComputedStyle(document.querySelector('.site-header')).backgroundColor,
				focusOuter: getComputedStyle(document.documentElement).getPropertyValue('--ds-color-focus-outer').trim(),
			};
		})()`, &got)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Foreign) > 0 {
			t.Errorf("files from another host: %v", got.Foreign)
		}
		if got.Sheets < 3 {
			t.Errorf("%d stylesheets loaded, want 3", got.Sheets)
		}
		if !strings.HasPrefix(got.Font, "Inter") || !got.Inter {
			t.Errorf("font %q, Inter loaded %v: want the shipped Inter", got.Font, got.Inter)
		}
		if got.Header != "rgb(0, 98, 186)" {
			t.Errorf("header background %s: want the digdir theme's accent rgb(0, 98, 186)", got.Header)
		}
		if got.FocusOuter == "" {
			t.Error("the theme's --ds-color-focus-outer is not set")
		}
	})

	t.Run("screenshot", func(t *testing.T) {
		png, err := b.Screenshot(ctx, ts.URL+"/", 1024, 768)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
			t.Fatalf("not a PNG: % x", png[:min(8, len(png))])
		}
		// SAMRAD_SCREENSHOTS=dir keeps the picture for a person to look at.
		if dir := os.Getenv("SAMRAD_SCREENSHOTS"); dir != "" {
			name := filepath.Join(dir, "good-page.png")
			if err := os.WriteFile(name, png, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("screenshot in %s", name)
		}
	})
}

// remoteRef matches what would make a stylesheet load from another host: a
// url() or @import with a scheme or a protocol-relative address. data: URLs
// are fine.
var remoteRef = regexp.MustCompile(`(?i)(url\(\s*['"]?\s*(https?:|//)|@import\s+['"]\s*(https?:|//))`)

// TestStaticAssetsLocal checks that no stylesheet in web/static names a file
// on another host, such as a web font or a CDN.
func TestStaticAssetsLocal(t *testing.T) {
	root := filepath.Join("..", "web", "static")
	n := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".css") {
			return err
		}
		n++
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if m := remoteRef.Find(b); m != nil {
			t.Errorf("%s loads from another host: %s", path, m)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 4 {
		t.Errorf("found %d stylesheets under %s, want at least 4", n, root)
	}
}
