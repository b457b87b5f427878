package e2e

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/samrad/samrad/demo"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/web"
)

// TestOwnHostNameInBrowser opens a demo alliance under its own host name,
// as a newcomer would (the browser sends *.localhost to this machine): the
// site's pages pass axe-core with the alliance's colours, and its menu
// links by short paths.
func TestOwnHostNameInBrowser(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	db := testdb.Open(t, "sqlite")
	if err := demo.Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	port := ts.URL[strings.LastIndex(ts.URL, ":"):]
	b, err := Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for _, c := range []struct{ host, path, title, link string }{
		{demo.DemoHost("vestregionen"), "/", "Vestregionen", "/medlemmer"},
		{demo.DemoHost("vestregionen"), "/en/", "Vestregionen (the West Region)", "/en/members"},
		{demo.DemoHost("osloregionen"), "/handlingsprogram/2017", "Osloregionen", "/nyheter"},
		{demo.DemoHost("ore"), "/en/news", "Oslo Region European Office", "/en/events"},
	} {
		url := "http://" + c.host + port + c.path
		p, err := b.Open(ctx, url)
		if err != nil {
			t.Fatalf("%s: %v", url, err)
		}
		var got struct {
			Title string   `json:"title"`
			Links []string `json:"links"`
			Host  string   `json:"host"`
		}
		if err := p.Eval(`({title: document.title, host: location.host, links: [...document.querySelectorAll('.site-header__nav a')].map(a => a.getAttribute('href'))})`, &got); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(got.Title, c.title) || got.Host != c.host+port {
			t.Errorf("%s: title %q on %s", url, got.Title, got.Host)
		}
		found := false
		for _, l := range got.Links {
			found = found || l == c.link
			if strings.Contains(l, "/allianser/") || strings.Contains(l, "/alliances/") {
				t.Errorf("%s: the menu links to %s", url, l)
			}
		}
		if !found {
			t.Errorf("%s: the menu has no %s: %v", url, c.link, got.Links)
		}
		v, err := p.Axe()
		p.Close()
		if err != nil {
			t.Fatal(err)
		}
		if len(v) > 0 {
			t.Errorf("%s: %d accessibility violations:\n%s", url, len(v), FormatViolations(v))
		}
	}
}
