// Package e2e drives a real browser, Debian's headless Chromium, from Go
// tests: it opens pages served by the application and checks them with
// axe-core (committed in axe/) for WCAG 2.1 A and AA violations.
package e2e

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

//go:embed axe/axe.min.js
var axeSource string

// PageTimeout bounds the work on one page.
const PageTimeout = 30 * time.Second

// Browser is a headless Chromium started for tests.
type Browser struct {
	allocCancel   context.CancelFunc
	browserCtx    context.Context
	browserCancel context.CancelFunc
	dataDir       string
}

// FindChromium returns the browser binary: $SAMRAD_CHROMIUM, else
// chromium or chromium-browser on the PATH.
func FindChromium() (string, error) {
	if p := os.Getenv("SAMRAD_CHROMIUM"); p != "" {
		return p, nil
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no Chromium found: install Debian's chromium (make test does) or set SAMRAD_CHROMIUM")
}

// Start launches headless Chromium with a fresh profile and no background
// networking.
func Start(ctx context.Context) (*Browser, error) {
	bin, err := FindChromium()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "samrad-chromium-")
	if err != nil {
		return nil, err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.UserDataDir(dir),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, allocCancel := chromedp.NewExecAllocator(ctx, opts...)
	bctx, bcancel := chromedp.NewContext(allocCtx)
	// The first action starts the browser; it must run on the browser
	// context itself, as cancelling a context derived from it would stop the
	// browser again. The parent ctx bounds it.
	if err := chromedp.Do(bctx); err != nil {
		bcancel()
		allocCancel()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	return &Browser{allocCancel: allocCancel, browserCtx: bctx, browserCancel: bcancel, dataDir: dir}, nil
}

// Close stops the browser and removes its profile.
func (b *Browser) Close() {
	b.browserCancel()
	b.allocCancel()
	os.RemoveAll(b.dataDir)
}

// tab opens a new tab whose work is bounded by PageTimeout.
func (b *Browser) tab() (context.Context, context.CancelFunc) {
	tctx, tcancel := chromedp.NewContext(b.browserCtx)
	if err := chromedp.Do(tctx); err != nil { // open the tab on its own context
		return tctx, tcancel
	}
	ctx, cancel := context.WithTimeout(tctx, PageTimeout)
	return ctx, func() { cancel(); tcancel() }
}

// Violation is one axe-core rule that failed, with the elements that fail it.
type Violation struct {
	ID, Impact, Help, HelpURL string
	Nodes                     []string
}

// Axe opens url and runs axe-core with the WCAG 2.0/2.1 A and AA rules.
func (b *Browser) Axe(ctx context.Context, url string) ([]Violation, error) {
	tctx, cancel := b.tab()
	defer cancel()
	script := axeSource + `
;(async () => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']});
  return JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => n.target.join(' ') + ' ' + n.html.slice(0, 160))})));
})()`
	if err := chromedp.Do(tctx, chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
		return nil, fmt.Errorf("open %s: %w", url, err)
	}
	raw, err := chromedp.Run(tctx, chromedp.Evaluate[string](script, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("axe on %s: %w", url, err)
	}
	var out []struct {
		ID, Impact, Help, HelpURL string
		Nodes                     []string
	}
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		return nil, fmt.Errorf("axe result: %w", err)
	}
	vs := make([]Violation, len(out))
	for i, v := range out {
		vs[i] = Violation(v)
	}
	return vs, nil
}

// FormatViolations makes a readable report.
func FormatViolations(vs []Violation) string {
	var b strings.Builder
	for _, v := range vs {
		fmt.Fprintf(&b, "- %s (%s): %s\n  %s\n", v.ID, v.Impact, v.Help, v.HelpURL)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "    %s\n", n)
		}
	}
	return b.String()
}

// Focus is what has keyboard focus after some Tab presses.
type Focus struct {
	HTML    string // the focused element's outer HTML, shortened
	Visible bool   // it shows an outline or a box shadow
}

// TabThrough opens url, presses Tab n times and reports the focused element
// after each press.
func (b *Browser) TabThrough(ctx context.Context, url string, n int) ([]Focus, error) {
	tctx, cancel := b.tab()
	defer cancel()
	if err := chromedp.Do(tctx, chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
		return nil, err
	}
	var out []Focus
	for i := 0; i < n; i++ {
		if err := chromedp.Do(tctx, chromedp.KeyEvent("\t")); err != nil {
			return nil, err
		}
		raw, err := chromedp.Run(tctx, chromedp.Evaluate[string](`(() => { const e = document.activeElement; const s = getComputedStyle(e);
			  return JSON.stringify({html: e.outerHTML.slice(0, 160),
			    visible: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'}); })()`))
		if err != nil {
			return nil, err
		}
		var f struct {
			HTML    string `json:"html"`
			Visible bool   `json:"visible"`
		}
		if err := json.Unmarshal([]byte(raw), &f); err != nil {
			return nil, err
		}
		out = append(out, Focus{f.HTML, f.Visible})
	}
	return out, nil
}

// Screenshot returns a PNG of the whole page at url.
func (b *Browser) Screenshot(ctx context.Context, url string) ([]byte, error) {
	tctx, cancel := b.tab()
	defer cancel()
	if err := chromedp.Do(tctx, chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
		return nil, err
	}
	return chromedp.Run(tctx, chromedp.FullScreenshot(100)) // quality 100 gives PNG
}
