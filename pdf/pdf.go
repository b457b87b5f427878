// Package pdf prints HTML documents as PDF with a headless Chromium, so that
// a notice, the minutes or a report looks on paper as it does on the
// screen: the same template and print stylesheet, the same fonts (with æøå)
// and the same SVG charts, in a tagged PDF with an outline of its headings.
//
// The browser never touches the network. The document is served to it at
// an origin of the caller's choosing, and every request it makes there (stylesheets, fonts, images) is
// answered in process by an http.Handler of the caller; every other request
// is refused.
//
// One browser process serves every rendering, each in its own tab; it starts
// with the first rendering and again if it has died.
package pdf

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"
)

// DefaultOrigin is where the browser believes the document lives unless
// Options say otherwise. The .invalid top-level domain can never resolve,
// so nothing leaves the machine even if interception failed.
const DefaultOrigin = "http://samrad.invalid"

// Timeout bounds one rendering, including the start of the browser.
const Timeout = 30 * time.Second

// ErrUnavailable is returned when no browser is installed.
var ErrUnavailable = errors.New("PDF rendering needs Chromium, which is not installed (apt-get install chromium, or set SAMRAD_CHROMIUM)")

// FindChromium returns the browser binary: $SAMRAD_CHROMIUM, else
// /usr/bin/chromium, else chromium or chromium-browser on the PATH.
func FindChromium() (string, error) {
	if p := os.Getenv("SAMRAD_CHROMIUM"); p != "" {
		path, err := exec.LookPath(p)
		if err != nil {
			return "", fmt.Errorf("SAMRAD_CHROMIUM=%s is not an executable: %w", p, err)
		}
		return path, nil
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrUnavailable
}

// Renderer prints documents with one browser. It is safe for concurrent
// use; at most Parallel documents print at once, the others wait.
type Renderer struct {
	bin  string
	sem  chan struct{}
	mu   sync.Mutex
	ctx  context.Context // the browser's chromedp context, nil until started
	stop func()
	dir  string
}

// Parallel is how many documents print at the same time.
const Parallel = 2

// New returns a renderer that runs the browser at bin (see FindChromium).
// A renderer with an empty bin returns ErrUnavailable.
func New(bin string) *Renderer {
	return &Renderer{bin: bin, sem: make(chan struct{}, Parallel)}
}

// Available reports whether the renderer has a browser to run.
func (r *Renderer) Available() bool { return r != nil && r.bin != "" }

// Close stops the browser.
func (r *Renderer) Close() {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closeLocked()
}

func (r *Renderer) closeLocked() {
	if r.stop != nil {
		r.stop()
		os.RemoveAll(r.dir)
	}
	r.ctx, r.stop, r.dir = nil, nil, ""
}

// browser returns the running browser's context, starting it if needed.
func (r *Renderer) browser() (context.Context, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ctx != nil && r.ctx.Err() == nil {
		return r.ctx, nil
	}
	r.closeLocked()
	dir, err := os.MkdirTemp("", "samrad-pdf-")
	if err != nil {
		return nil, err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(r.bin),
		chromedp.UserDataDir(dir),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
	)
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, bcancel := chromedp.NewContext(allocCtx)
	// The browser lives as long as the context of its first action, so
	// that action runs on bctx itself and a timer bounds it.
	timer := time.AfterFunc(Timeout, bcancel)
	err = chromedp.Do(bctx)
	fired := !timer.Stop()
	if fired || err != nil {
		bcancel()
		allocCancel()
		os.RemoveAll(dir)
		if fired {
			return nil, fmt.Errorf("pdf: start %s: no answer within %s", r.bin, Timeout)
		}
		return nil, fmt.Errorf("pdf: start %s: %w", r.bin, err)
	}
	r.ctx, r.dir = bctx, dir
	r.stop = func() { bcancel(); allocCancel() }
	return bctx, nil
}

// Options are the page settings of a document. The zero value prints A4
// portrait with 18 mm margins and page numbers in the footer.
type Options struct {
	// Footer is the text left in the footer of every page, next to the
	// page number (e.g. the document's title).
	Footer string
	// PageLabel is the word before the page number ("Side", "Page").
	PageLabel string
	// Origin is where the document says it lives, e.g. the site's public
	// address, so that its links work in the PDF. Requests to it are
	// answered in process like those to the default, DefaultOrigin.
	Origin string
}

// Render prints doc, a complete HTML document, as PDF. Requests of the
// document for other paths under its origin (stylesheets, fonts, images) are
// answered by assets.
func (r *Renderer) Render(ctx context.Context, doc []byte, assets http.Handler, o Options) ([]byte, error) {
	if !r.Available() {
		return nil, ErrUnavailable
	}
	select {
	case r.sem <- struct{}{}:
		defer func() { <-r.sem }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	bctx, err := r.browser()
	if err != nil {
		return nil, err
	}
	tctx, tcancel := chromedp.NewContext(bctx)
	defer tcancel()
	timer := time.AfterFunc(Timeout, tcancel)
	err = chromedp.Do(tctx)
	if !timer.Stop() {
		return nil, fmt.Errorf("pdf: open a tab: no answer within %s", Timeout)
	}
	if err != nil {
		if bctx.Err() != nil {
			// The browser has gone; the next call starts a new one.
			return nil, fmt.Errorf("pdf: the browser stopped: %w", err)
		}
		return nil, fmt.Errorf("pdf: open a tab: %w", err)
	}
	origin := strings.TrimRight(o.Origin, "/")
	if origin == "" {
		origin = DefaultOrigin
	}
	wctx, wcancel := context.WithTimeout(tctx, Timeout)
	defer wcancel()
	defer context.AfterFunc(ctx, wcancel)()
	out, err := chromedp.Run(wctx, func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		paused := cdp.Events(ctx, t, fetch.RequestPaused)
		if _, err := cdp.Call(ctx, t, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*"}}}); err != nil {
			return nil, err
		}
		go func() {
			for ev, err := range paused {
				if err != nil {
					return
				}
				answer(ctx, t, ev, origin, doc, assets)
			}
		}()
		steps := chromedp.Steps(
			chromedp.Navigate(origin+"/"),
			chromedp.WaitReady(chromedp.CSS("body")),
		)
		if _, err := steps(ctx, t); err != nil {
			return nil, err
		}
		if _, err := chromedp.Evaluate[bool](`document.fonts.ready.then(() => true)`, chromedp.EvalAwaitPromise)(ctx, t); err != nil {
			return nil, err
		}
		label := o.PageLabel
		if label == "" {
			label = "Page"
		}
		footer := `<div style="font-size:8px;width:100%;margin:0 18mm;display:flex;justify-content:space-between;font-family:sans-serif;color:#444">` +
			`<span>` + html.EscapeString(o.Footer) + `</span><span>` + html.EscapeString(label) + ` <span class="pageNumber"></span>/<span class="totalPages"></span></span></div>`
		return chromedp.PrintToPDF(
			chromedp.PDFPaper(chromedp.PaperA4),
			chromedp.PDFMargins(0.7, 0.7, 0.8, 0.7),
			chromedp.PDFPrintBackground(),
			chromedp.PDFPreferCSSPageSize(),
			chromedp.PDFOutlineAndTagged(),
			chromedp.PDFHeaderTemplate(`<span></span>`),
			chromedp.PDFFooterTemplate(footer),
		)(ctx, t)
	})
	if err != nil {
		return nil, fmt.Errorf("pdf: print: %w", err)
	}
	return out, nil
}

// answer fulfils one request of the page: the document itself at origin/,
// other paths under origin from assets, and nothing elsewhere.
func answer(ctx context.Context, t *chromedp.Target, ev fetch.EventRequestPaused, origin string, doc []byte, assets http.Handler) {
	url := ev.Request.URL
	if !strings.HasPrefix(url, origin+"/") {
		cdp.Call(ctx, t, fetch.FailRequest, fetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: "BlockedByClient"})
		return
	}
	status, body, ctype := http.StatusOK, doc, "text/html; charset=utf-8"
	if path := strings.TrimPrefix(url, origin); path != "/" {
		rec := httptest.NewRecorder()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		switch {
		case err != nil:
			rec.WriteHeader(http.StatusBadRequest)
		case assets == nil:
			rec.WriteHeader(http.StatusNotFound)
		default:
			req.RequestURI = req.URL.RequestURI()
			assets.ServeHTTP(rec, req)
		}
		status, body, ctype = rec.Code, rec.Body.Bytes(), rec.Header().Get("Content-Type")
	}
	headers := []*fetch.HeaderEntry{{Name: "Content-Type", Value: ctype}}
	cdp.Call(ctx, t, fetch.FulfillRequest, fetch.FulfillRequestParams{RequestID: ev.RequestID, ResponseCode: int64(status), ResponseHeaders: headers, Body: body})
}
