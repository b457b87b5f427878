// Package e2e drives a real browser, Debian's headless Chromium, from Go
// tests: it opens pages served by the application and checks them with
// axe-core (committed in axe/) for WCAG 2.1 A and AA violations, walks them
// with the keyboard and takes screenshots.
//
// One Browser serves many pages in turn: every call opens a tab of its own
// and closes it again. Every page is bounded by PageTimeout and by the
// caller's context.
package e2e

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/samrad/samrad/pdf"
)

//go:embed axe/axe.min.js
var axeSource string

const (
	// PageTimeout bounds the work on one page: opening the tab, loading
	// the page and everything done on it.
	PageTimeout = 30 * time.Second
	// StartTimeout bounds the start of the browser.
	StartTimeout = 30 * time.Second
	// WindowWidth and WindowHeight are the browser window's size unless a
	// call asks for another.
	WindowWidth, WindowHeight = 1280, 900
)

// AxeTags are the axe-core rule tags that Axe runs: WCAG 2.0 and 2.1, levels
// A and AA.
var AxeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// Browser is a headless Debian Chromium started for tests.
type Browser struct {
	allocCancel context.CancelFunc
	ctx         context.Context // the browser's own chromedp context
	cancel      context.CancelFunc
	dataDir     string
	Path        string // the binary that runs
}

// FindChromium returns the browser binary; see pdf.FindChromium.
func FindChromium() (string, error) { return pdf.FindChromium() }

// Start launches headless Chromium with a fresh profile, no sandbox (tests
// run as root in containers) and no background networking, so that the
// browser makes no connection but to the pages it is sent to. The browser
// runs until Close or until ctx ends.
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
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(WindowWidth, WindowHeight),
	)
	allocCtx, allocCancel := chromedp.NewExecAllocator(ctx, opts...)
	bctx, bcancel := chromedp.NewContext(allocCtx)
	// The first action starts the browser and binds its life to the
	// context it runs on, so it must run on bctx itself, not on a context
	// with a deadline; a timer bounds the start instead.
	timer := time.AfterFunc(StartTimeout, bcancel)
	err = chromedp.Do(bctx)
	if fired := !timer.Stop(); fired || err != nil {
		bcancel()
		allocCancel()
		os.RemoveAll(dir)
		if fired {
			return nil, fmt.Errorf("start %s: no answer within %s", bin, StartTimeout)
		}
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	return &Browser{allocCancel: allocCancel, ctx: bctx, cancel: bcancel, dataDir: dir, Path: bin}, nil
}

// Close stops the browser and removes its profile.
func (b *Browser) Close() {
	b.cancel()
	b.allocCancel()
	os.RemoveAll(b.dataDir)
}

// Page is one open tab. Its methods act on the page as it is now.
type Page struct {
	URL    string
	ctx    context.Context // bounded by PageTimeout and the caller's ctx
	cancel func()
}

// Open opens url in a new tab of the window's size and waits until the page
// and its web fonts have loaded. Close the page when done.
func (b *Browser) Open(ctx context.Context, url string) (*Page, error) {
	return b.open(ctx, url, WindowWidth, WindowHeight)
}

// OpenSize opens url in a new tab whose viewport is width × height CSS
// pixels, as Open does.
func (b *Browser) OpenSize(ctx context.Context, url string, width, height int) (*Page, error) {
	if width <= 0 || height <= 0 {
		return nil, fmt.Errorf("open %s: size %d×%d", url, width, height)
	}
	return b.open(ctx, url, width, height)
}

func (b *Browser) open(ctx context.Context, url string, width, height int) (*Page, error) {
	tctx, tcancel := chromedp.NewContext(b.ctx)
	// The tab lives as long as the context of its first action, so that
	// action runs on tctx; the timer bounds it, as in Start.
	timer := time.AfterFunc(PageTimeout, tcancel)
	err := chromedp.Do(tctx)
	if !timer.Stop() {
		tcancel()
		return nil, fmt.Errorf("open a tab for %s: no answer within %s", url, PageTimeout)
	}
	if err != nil {
		tcancel()
		return nil, fmt.Errorf("open a tab for %s: %w", url, err)
	}
	wctx, wcancel := context.WithTimeout(tctx, PageTimeout)
	stop := context.AfterFunc(ctx, wcancel)
	p := &Page{URL: url, ctx: wctx, cancel: func() { stop(); wcancel(); tcancel() }}
	err = chromedp.Do(wctx,
		// Each tab behaves as the focused window, so that focus and
		// :focus-visible work in it while other tabs are open.
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true})
			return err
		}),
		chromedp.EmulateViewport(int64(width), int64(height)),
		chromedp.Navigate(url),
		chromedp.WaitReady(chromedp.CSS("body")),
	)
	if err == nil {
		_, err = chromedp.Run(wctx, chromedp.Evaluate[bool](`document.fonts.ready.then(() => true)`, chromedp.EvalAwaitPromise))
	}
	if err != nil {
		p.Close()
		return nil, fmt.Errorf("load %s: %w", url, err)
	}
	return p, nil
}

// Close closes the tab.
func (p *Page) Close() { p.cancel() }

// Eval evaluates a JavaScript expression on the page, awaits it if it is a
// promise, and decodes its JSON value into out (unless out is nil).
func (p *Page) Eval(expr string, out any) error {
	raw, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]byte](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		return fmt.Errorf("evaluate on %s: %w", p.URL, err)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(raw, out)
}

// Violation is one axe-core rule that the page fails, with the elements that
// fail it.
type Violation struct {
	ID, Impact, Help, HelpURL string
	// Nodes are the failing elements, each as its CSS selector, a shortened
	// outer HTML and axe's summary of what to fix.
	Nodes []string
}

// axeRun runs the injected axe on the document with the tags in %s and
// returns the violations as JSON values.
const axeRun = `
;(async () => {
  const r = await axe.run(document, {
    runOnly: {type: 'tag', values: %s},
    resultTypes: ['violations'],
  });
  const short = (s, n) => s.length > n ? s.slice(0, n) + '…' : s;
  return r.violations.map(v => ({
    id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => n.target.join(' ') + '  ' + short(n.html, 200) +
      (n.failureSummary ? '  — ' + n.failureSummary.replace(/\s+/g, ' ') : '')),
  }));
})()`

// Axe injects the embedded axe-core into the page and runs it with the
// rules tagged AxeTags. It returns the violations: none means the page
// passes.
func (p *Page) Axe() ([]Violation, error) {
	tags, _ := json.Marshal(AxeTags)
	var out []struct {
		ID      string   `json:"id"`
		Impact  string   `json:"impact"`
		Help    string   `json:"help"`
		HelpURL string   `json:"helpUrl"`
		Nodes   []string `json:"nodes"`
	}
	if err := p.Eval(axeSource+fmt.Sprintf(axeRun, tags), &out); err != nil {
		return nil, fmt.Errorf("axe: %w", err)
	}
	vs := make([]Violation, len(out))
	for i, v := range out {
		vs[i] = Violation{ID: v.ID, Impact: v.Impact, Help: v.Help, HelpURL: v.HelpURL, Nodes: v.Nodes}
	}
	return vs, nil
}

// Axe opens url in a new tab, waits for it to load, runs axe-core with the
// WCAG 2.0/2.1 A and AA rules (AxeTags) and returns the violations.
func (b *Browser) Axe(ctx context.Context, url string) ([]Violation, error) {
	p, err := b.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	vs, err := p.Axe()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", url, err)
	}
	return vs, nil
}

// FormatViolations makes a readable report of violations, one rule a
// paragraph with its failing elements indented, for t.Errorf.
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

// Focus is what has keyboard focus.
type Focus struct {
	HTML     string // the focused element's outer HTML, shortened
	Visible  bool   // it shows a focus indicator: an outline or a box shadow
	OnScreen bool   // it lies, at least in part, inside the viewport
}

// focusState reads document.activeElement.
const focusState = `(() => {
  const e = document.activeElement || document.body;
  const s = getComputedStyle(e);
  const r = e.getBoundingClientRect();
  const html = e.outerHTML.length > 200 ? e.outerHTML.slice(0, 200) + '…' : e.outerHTML;
  return {
    html: html,
    visible: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || (s.boxShadow !== 'none' && s.boxShadow !== ''),
    onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth,
  };
})()`

// Tab presses the Tab key n times and reports what has focus then.
func (p *Page) Tab(n int) (Focus, error) {
	for range n {
		if err := chromedp.Do(p.ctx, chromedp.KeyEvent("\t")); err != nil {
			return Focus{}, fmt.Errorf("press Tab on %s: %w", p.URL, err)
		}
	}
	var f struct {
		HTML     string `json:"html"`
		Visible  bool   `json:"visible"`
		OnScreen bool   `json:"onScreen"`
	}
	if err := p.Eval(focusState, &f); err != nil {
		return Focus{}, err
	}
	return Focus{HTML: f.HTML, Visible: f.Visible, OnScreen: f.OnScreen}, nil
}

// Keys that Press sends, besides printable characters.
const (
	KeyEnter  = kb.Enter
	KeyEscape = kb.Escape
	KeySpace  = " "
	KeyTab    = kb.Tab
)

// Press sends the key events of one key (KeyEnter, KeySpace, a letter…) to
// what has focus, as a person pressing it would.
func (p *Page) Press(key string) error {
	if err := chromedp.Do(p.ctx, chromedp.KeyEvent(key)); err != nil {
		return fmt.Errorf("press %q on %s: %w", key, p.URL, err)
	}
	return nil
}

// Type types text into what has focus, a key event for each character.
func (p *Page) Type(text string) error {
	if err := chromedp.Do(p.ctx, chromedp.KeyEvent(text)); err != nil {
		return fmt.Errorf("type %q on %s: %w", text, p.URL, err)
	}
	return nil
}

// Focused tells whether the element that has focus matches a CSS selector.
func (p *Page) Focused(selector string) (bool, error) {
	sel, _ := json.Marshal(selector)
	var ok bool
	err := p.Eval(fmt.Sprintf(`!!(document.activeElement && document.activeElement.matches(%s))`, sel), &ok)
	return ok, err
}

// TabTo presses Tab until the element that has focus matches selector, at
// most max times, and reports it then; it fails if Tab never gets there.
// Every element passed on the way must show focus and be on screen.
func (p *Page) TabTo(selector string, max int) (Focus, error) {
	for i := 0; i < max; i++ {
		f, err := p.Tab(1)
		if err != nil {
			return f, err
		}
		if !f.Visible || !f.OnScreen {
			return f, fmt.Errorf("on %s, Tab %d reached an element without a visible focus or off screen: %+v", p.URL, i+1, f)
		}
		if ok, err := p.Focused(selector); err != nil || ok {
			return f, err
		}
	}
	return Focus{}, fmt.Errorf("on %s, %d presses of Tab never reached %s", p.URL, max, selector)
}

// WaitFor evaluates a JavaScript expression every 50 ms until it is true,
// through page loads, within the page's time. It returns the last error
// when time runs out.
func (p *Page) WaitFor(expr string) error {
	var last error
	for {
		var ok bool
		err := p.Eval(`document.readyState === "complete" && !!(`+expr+`)`, &ok)
		if err == nil && ok {
			return nil
		}
		if err != nil {
			last = err
		}
		select {
		case <-p.ctx.Done():
			if last == nil {
				last = p.ctx.Err()
			}
			return fmt.Errorf("on %s, waited for %s: %w", p.URL, expr, last)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// TabThrough opens url, presses Tab n times and reports the focused element
// after each press.
func (b *Browser) TabThrough(ctx context.Context, url string, n int) ([]Focus, error) {
	p, err := b.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	out := make([]Focus, 0, n)
	for range n {
		f, err := p.Tab(1)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// Screenshot returns a PNG of the page as it shows now: the viewport, or
// the whole page when full is true.
func (p *Page) Screenshot(full bool) ([]byte, error) {
	var png []byte
	var err error
	if full {
		png, err = chromedp.Run(p.ctx, chromedp.FullScreenshot(100)) // quality 100 is PNG
	} else {
		png, err = chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	}
	if err != nil {
		return nil, fmt.Errorf("screenshot of %s: %w", p.URL, err)
	}
	return png, nil
}

// Screenshot opens url in a new tab whose viewport is width × height CSS
// pixels and returns a PNG of the whole page: width wide, and height high
// or higher when the page is longer.
func (b *Browser) Screenshot(ctx context.Context, url string, width, height int) ([]byte, error) {
	if width <= 0 || height <= 0 {
		return nil, fmt.Errorf("screenshot of %s: size %d×%d", url, width, height)
	}
	p, err := b.open(ctx, url, width, height)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	return p.Screenshot(true)
}
