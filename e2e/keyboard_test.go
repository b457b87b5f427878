package e2e

import (
	"context"
	"strings"
	"testing"
	"time"
)

// keyboardPages are representative pages of the demo: the home page, an
// alliance, the search, the event registration and newsletter sign-up
// forms, the login form and the members list with its date filter.
var keyboardPages = []string{
	"/",
	"/en/",
	"/allianser/ore",
	"/sok",
	"/allianser/ore/arrangementer/apent-seminar/pamelding",
	"/allianser/ore/nyhetsbrev",
	"/logg-inn",
	"/en/alliances/ore/members",
}

// keyboardSite serves the demo with an event that takes registrations.
func keyboardSite(t *testing.T, ctx context.Context) *site {
	t.Helper()
	s := demoSite(t, ctx)
	ore, err := s.db.AllianceBySlug(ctx, "ore")
	if err != nil {
		t.Fatal(err)
	}
	openEvent(t, ctx, s.db, ore)
	return s
}

// TestKeyboardSkipLinkAndMenu walks the representative pages with Tab
// alone: the first Tab reaches a skip link that shows when focused and
// moves focus to the main content; the header's links come next in order
// (the brand, the main menu, the language switch, the login); and every
// element Tab reaches on the page shows a focus indicator and is on
// screen.
func TestKeyboardSkipLinkAndMenu(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	s := keyboardSite(t, ctx)
	b := startBrowser(t, ctx)
	for _, path := range keyboardPages {
		t.Run(strings.Trim(path, "/"), func(t *testing.T) {
			en := strings.HasPrefix(path, "/en/")
			p, err := b.Open(ctx, s.visitor.URL+path)
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
				t.Fatalf("first Tab: want the skip link, shown and with a focus ring; got %+v", f)
			}
			// The header, in order.
			home, orgs, search, lang, login := `href="/"`, `href="/organisasjoner"`, `href="/sok"`, `href="/en/`, `href="/logg-inn"`
			if en {
				home, orgs, search, lang, login = `href="/en/"`, `href="/en/organisations"`, `href="/en/search"`, `hreflang="nb"`, `href="/en/login"`
			}
			for i, want := range []string{"site-header__brand", home, orgs, search, lang, login} {
				f, err := p.Tab(1)
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(f.HTML, want) || !f.Visible || !f.OnScreen {
					t.Errorf("Tab %d: want %s with a focus ring, on screen; got %+v", i+2, want, f)
				}
			}

			// The skip link moves focus to main, and Tab goes on from there.
			p2, err := b.Open(ctx, s.visitor.URL+path)
			if err != nil {
				t.Fatal(err)
			}
			defer p2.Close()
			if _, err := p2.Tab(1); err != nil {
				t.Fatal(err)
			}
			if err := p2.Press(KeyEnter); err != nil {
				t.Fatal(err)
			}
			if ok, err := p2.Focused("main#main"); err != nil || !ok {
				t.Fatalf("Enter on the skip link did not move focus to main: %v", err)
			}
			var inMain bool
			for i := 0; i < 100; i++ {
				f, err := p2.Tab(1)
				if err != nil {
					t.Fatal(err)
				}
				if ok, _ := p2.Focused("body, .skip-link"); ok {
					break // past the end of the page
				}
				if i == 0 {
					if err := p2.Eval(`document.querySelector('main').contains(document.activeElement)`, &inMain); err != nil {
						t.Fatal(err)
					}
				}
				if !f.Visible || !f.OnScreen {
					t.Errorf("Tab %d after the skip link: no visible focus or off screen (visible %v, on screen %v): %s", i+1, f.Visible, f.OnScreen, f.HTML)
				}
			}
			if !inMain {
				t.Error("the first Tab after the skip link does not reach the main content")
			}
		})
	}
}

// TestKeyboardNarrow checks the header and a page at a phone's width
// (320 CSS pixels, WCAG 1.4.10): nothing scrolls sideways, and the menu's
// links, the language switch and the login are reached with Tab, shown
// and on screen. The menu never folds away, so there is no button to
// open it.
func TestKeyboardNarrow(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	s := keyboardSite(t, ctx)
	b := startBrowser(t, ctx)
	for _, path := range keyboardPages {
		t.Run(strings.Trim(path, "/"), func(t *testing.T) {
			p, err := b.OpenSize(ctx, s.visitor.URL+path, 320, 640)
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			var over struct {
				Scroll, Width int
			}
			if err := p.Eval(`({scroll: document.documentElement.scrollWidth, width: innerWidth})`, &over); err != nil {
				t.Fatal(err)
			}
			if over.Scroll > over.Width {
				t.Errorf("the page is %d pixels wide in a window of %d: it scrolls sideways", over.Scroll, over.Width)
			}
			if _, err := p.TabTo(".site-header__account", 12); err != nil {
				t.Error(err)
			}
			var hidden bool
			if err := p.Eval(`[...document.querySelectorAll('.site-header__nav a')].some(a => { const r = a.getBoundingClientRect(); return r.width === 0 || r.right > innerWidth; })`, &hidden); err != nil {
				t.Fatal(err)
			}
			if hidden {
				t.Error("a link of the main menu is hidden or outside the window")
			}
		})
	}
}

// TestKeyboardForms fills in and sends forms with the keyboard alone: keys
// typed into the fields, Space on check boxes, Enter or Space on the
// button; the answer must show.
func TestKeyboardForms(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	s := keyboardSite(t, ctx)
	b := startBrowser(t, ctx)
	open := func(t *testing.T, path string) *Page {
		t.Helper()
		p, err := b.Open(ctx, s.visitor.URL+path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(p.Close)
		return p
	}
	// do runs steps in order and stops at the first error.
	do := func(t *testing.T, steps ...func() error) {
		t.Helper()
		for _, step := range steps {
			if err := step(); err != nil {
				t.Fatal(err)
			}
		}
	}
	tabTo := func(p *Page, sel string) func() error {
		return func() error { _, err := p.TabTo(sel, 60); return err }
	}

	t.Run("search", func(t *testing.T) {
		p := open(t, "/sok")
		do(t, tabTo(p, "#search-q"), func() error { return p.Type("kommunene") }, func() error { return p.Press(KeyEnter) },
			func() error {
				return p.WaitFor(`new URLSearchParams(location.search).get("q") === "kommunene" && document.querySelector(".search-results li a")`)
			})
		var text string
		if err := p.Eval(`document.querySelector("main").innerText`, &text); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(text, "treff for «kommunene»") {
			t.Errorf("the results page does not tell the hits for «kommunene»:\n%.400s", text)
		}
	})

	t.Run("login", func(t *testing.T) {
		p := open(t, "/logg-inn")
		do(t, tabTo(p, "#email"), func() error { return p.Type("kari@example.no") },
			tabTo(p, "#password"), func() error { return p.Type("feil passord her") },
			tabTo(p, "main form button[type=submit]"), func() error { return p.Press(KeyEnter) },
			func() error { return p.WaitFor(`document.querySelector("main [role=alert]")`) })
		var got struct {
			Alert     string `json:"alert"`
			Described string `json:"described"`
			Invalid   bool   `json:"invalid"`
		}
		err := p.Eval(`(() => {
			const ids = (document.querySelector("#password").getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
			return {
				alert: document.querySelector("main [role=alert]").innerText,
				described: ids.map(id => (document.getElementById(id) || {innerText: ""}).innerText).join(" "),
				invalid: document.querySelector("#password").getAttribute("aria-invalid") === "true",
			};
		})()`, &got)
		if err != nil {
			t.Fatal(err)
		}
		if strings.TrimSpace(got.Alert) == "" || !strings.Contains(got.Described, strings.TrimSpace(got.Alert)) || !got.Invalid {
			t.Errorf("a wrong password: want an alert that the password field names (aria-describedby) and marks invalid; got %+v", got)
		}
	})

	t.Run("registration", func(t *testing.T) {
		p := open(t, "/allianser/ore/arrangementer/apent-seminar/pamelding")
		do(t, tabTo(p, "#reg-name"), func() error { return p.Type("Ola Nordmann") },
			tabTo(p, "#reg-email"), func() error { return p.Type("ola@example.no") },
			tabTo(p, "#reg-org"), func() error { return p.Type("Asker kommune") },
			tabTo(p, "input[name=sessions]"), func() error { return p.Press(KeySpace) },
			tabTo(p, "#reg-consent"), func() error { return p.Press(KeySpace) },
			tabTo(p, "main form button[type=submit]"), func() error { return p.Press(KeySpace) },
			func() error { return p.WaitFor(`location.pathname.startsWith("/pamelding/")`) })
		var got struct {
			H1   string `json:"h1"`
			Main string `json:"main"`
		}
		if err := p.Eval(`({h1: document.querySelector("h1").innerText, main: document.querySelector("main").innerText})`, &got); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(got.H1, "Seminar om EU-programmer") || !strings.Contains(got.Main, "Erasmus+ for kommuner") {
			t.Errorf("after registering: want the registration's page with the chosen session; got %+v", got)
		}
	})

	t.Run("newsletter", func(t *testing.T) {
		p := open(t, "/allianser/ore/nyhetsbrev")
		do(t, tabTo(p, "#nl-email"), func() error { return p.Type("per@example.no") },
			tabTo(p, "#nl-consent"), func() error { return p.Press(KeySpace) },
			tabTo(p, "#pamelding button[type=submit]"), func() error { return p.Press(KeyEnter) },
			func() error { return p.WaitFor(`document.querySelector("#pamelding[role=status]")`) })
		n, err := s.db.SQL().QueryContext(ctx, `SELECT 1 FROM subscribers WHERE email = 'per@example.no'`)
		if err != nil {
			t.Fatal(err)
		}
		found := n.Next()
		n.Close()
		if !found {
			t.Error("the sign-up was not stored")
		}
	})

	t.Run("members date", func(t *testing.T) {
		p := open(t, "/en/alliances/ore/members")
		// 01 01 2021 is the first of January whichever order the browser
		// keeps day and month in.
		do(t, tabTo(p, "#date"), func() error { return p.Type("01012021") },
			tabTo(p, "main form.filter button[type=submit]"), func() error { return p.Press(KeyEnter) },
			func() error {
				return p.WaitFor(`new URLSearchParams(location.search).get("date") === "2021-01-01" && document.querySelector("#date").value === "2021-01-01"`)
			})
	})
}
