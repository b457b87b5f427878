package pdf_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/samrad/samrad/pdf"
	"github.com/samrad/samrad/pdf/pdftest"
)

func renderer(t *testing.T) *pdf.Renderer {
	t.Helper()
	bin, err := pdf.FindChromium()
	if err != nil {
		t.Fatal(err)
	}
	r := pdf.New(bin)
	t.Cleanup(r.Close)
	return r
}

const doc = `<!doctype html><html lang="nb"><head><meta charset="utf-8">
<title>Innkalling – styremøte</title>
<link rel="stylesheet" href="/static/print.css">
</head><body>
<h1>Innkalling til styremøte i Bærum</h1>
<p>Sak 24/2017 Videreføring av Vestregionsamarbeidet – Ørland, Ås og Årdal.</p>
<p>Ærverdige Hå</p>
<img src="%s/pixel.png" alt="">
</body></html>`

// plain is doc with an image from a host that does not exist.
var plain = fmt.Sprintf(doc, "http://tracker.invalid")

func TestRenderPrintsTextWithNorwegianLetters(t *testing.T) {
	r := renderer(t)
	var outside atomic.Int32
	tracker := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) { outside.Add(1) }))
	defer tracker.Close()
	var mu sync.Mutex
	var asked []string
	assets := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		mu.Lock()
		asked = append(asked, req.URL.Path)
		mu.Unlock()
		w.Header().Set("Content-Type", "text/css")
		w.Write([]byte("h1 { color: #123456 }"))
	})
	out, err := r.Render(context.Background(), []byte(fmt.Sprintf(doc, tracker.URL)), assets, pdf.Options{Footer: "Styremøte 3/2024", PageLabel: "Side"})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(out, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", out[:min(len(out), 20)])
	}
	info, err := pdftest.Inspect(out)
	if err != nil {
		t.Fatal(err)
	}
	if info.Pages != 1 {
		t.Errorf("pages = %d, want 1", info.Pages)
	}
	for _, r := range "æøåÆØÅ–" {
		if !info.Glyphs[r] {
			t.Errorf("no glyph for %q in the fonts of the PDF", r)
		}
	}
	for _, want := range []string{"Innkalling til styremøte i Bærum", "Sak 24/2017", "Ørland, Ås og Årdal", "Styremøte 3/2024", "Side 1"} {
		if !strings.Contains(info.Text, want) {
			t.Errorf("the text of the PDF has no %q:\n%s", want, info.Text)
		}
	}
	if !strings.Contains(info.Title, "styremøte") {
		t.Errorf("title = %q, want the document's <title>", info.Title)
	}
	mu.Lock()
	defer mu.Unlock()
	if !slices.Contains(asked, "/static/print.css") {
		t.Errorf("assets asked for %v, want /static/print.css", asked)
	}
	if n := outside.Load(); n != 0 {
		t.Errorf("the browser fetched from outside %d times, want never", n)
	}
}

func TestRenderInParallel(t *testing.T) {
	r := renderer(t)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			_, err := r.Render(context.Background(), []byte(plain), nil, pdf.Options{})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

func TestRenderWithoutBrowser(t *testing.T) {
	_, err := pdf.New("").Render(context.Background(), []byte(plain), nil, pdf.Options{})
	if err != pdf.ErrUnavailable {
		t.Fatalf("err = %v, want ErrUnavailable", err)
	}
}

func TestRenderHonoursCancel(t *testing.T) {
	r := renderer(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.Render(ctx, []byte(plain), nil, pdf.Options{}); err == nil {
		t.Fatal("a cancelled rendering succeeded")
	}
	// The renderer still works afterwards.
	if _, err := r.Render(context.Background(), []byte(plain), nil, pdf.Options{}); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkRender(b *testing.B) {
	bin, err := pdf.FindChromium()
	if err != nil {
		b.Fatal(err)
	}
	r := pdf.New(bin)
	defer r.Close()
	for b.Loop() {
		if _, err := r.Render(context.Background(), []byte(plain), nil, pdf.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
