package web_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/demo"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/web"
)

var emailAddress = regexp.MustCompile(`[A-Za-z0-9._%+-]+(@|&#64;|&#x40;|%40)[A-Za-z0-9.-]+\.[a-z]{2,}`)

// TestNewsPagesAndContactBlock reads the demo article, its images, the
// news feed and the contact block as a visitor: the director's address is
// nowhere in the pages, yet one button away.
func TestNewsPagesAndContactBlock(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	ts := httptest.NewServer(demoServer(t, db))
	defer ts.Close()
	anon := newBrowser(t, ts.URL)

	code, page := anon.get("/allianser/ore")
	if code != http.StatusOK {
		t.Fatalf("alliance page: %d", code)
	}
	for _, want := range []string{`href="/allianser/ore/nyheter"`, "Gunnar Selvik", "Direktør", `href="tel:&#43;32460941393"`, "&#43;32 (0) 460 94 1393",
		"E-post til Gunnar Selvik", "Nordic House, Brussel", "Rue du Luxembourg 3 / 5", "1000 Brussel", "Tordenskiolds gate 2", "0160 Oslo"} {
		if !strings.Contains(page, want) {
			t.Errorf("alliance page lacks %q", want)
		}
	}
	if m := emailAddress.FindString(page); m != "" || strings.Contains(page, "mailto:") || strings.Contains(page, "ore.example.no") {
		t.Errorf("alliance page holds an address: %q", m)
	}

	code, news := anon.get("/allianser/ore/nyheter")
	if code != http.StatusOK || !strings.Contains(news, "Kontaktgruppesamling i Bærum med fagseminar") || emailAddress.MatchString(news) {
		t.Fatalf("news list: %d", code)
	}
	link := regexp.MustCompile(`href="(/allianser/ore/nyheter/\d+-kontaktgruppesamling-i-baerum-med-fagseminar)"`).FindStringSubmatch(news)
	if link == nil {
		t.Fatal("no link to the article")
	}
	code, art := anon.get(link[1])
	if code != http.StatusOK {
		t.Fatalf("article: %d", code)
	}
	for _, want := range []string{"<h1 id=\"article-title\">Kontaktgruppesamling i Bærum med fagseminar</h1>", "<p>FNs bærekraftmål</p>",
		"<figure", "<figcaption>", `loading="lazy"`, `width="960" height="640"`, "480w", "960w",
		`alt="Plassholder for foto: Seksjonsleder for arbeid og inkludering i Bærum kommune Gro Sværen Skansen"`,
		"Kommunedirektør i Bærum kommune Erik Kjeldstadli.", "Kontaktgruppen, møte 2020-01-23", "E-post til Gunnar Selvik"} {
		if !strings.Contains(art, want) {
			t.Errorf("article lacks %q", want)
		}
	}
	if strings.Count(art, "<figure") != 5 || emailAddress.MatchString(art) {
		t.Errorf("article: %d figures, address %q", strings.Count(art, "<figure"), emailAddress.FindString(art))
	}
	// In English, the Norwegian text is marked as Norwegian.
	_, en := anon.get(strings.Replace(link[1], "/allianser/ore/nyheter/", "/en/alliances/ore/news/", 1))
	if !strings.Contains(en, `<h1 id="article-title" lang="nb">Kontaktgruppesamling`) || !strings.Contains(en, `<div class="article-body" lang="nb">`) {
		t.Error("the English page does not mark the Norwegian text")
	}
	// A wrong slug leads to the article's address.
	id := strings.TrimPrefix(strings.SplitN(link[1], "-", 2)[0], "/allianser/ore/nyheter/")
	if resp, _ := anon.c.Get(ts.URL + "/allianser/ore/nyheter/" + id + "-feil"); resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != link[1] {
		t.Errorf("wrong slug: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}

	src := regexp.MustCompile(`<img src="([^"]+)"`).FindStringSubmatch(art)
	resp, err := anon.c.Get(ts.URL + src[1])
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/jpeg" || resp.Header.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.Contains(resp.Header.Get("Cache-Control"), "immutable") || !bytes.HasPrefix(body, []byte{0xFF, 0xD8, 0xFF}) {
		t.Errorf("image: %d %v", resp.StatusCode, resp.Header)
	}
	if code, _ := anon.get(strings.Replace(src[1], "-", "-9", 2)); code != http.StatusNotFound {
		t.Errorf("a wrong image address: %d", code)
	}

	code, feed := anon.get("/en/alliances/ore/news.atom")
	if code != http.StatusOK || !strings.Contains(feed, `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">`) ||
		!strings.Contains(feed, `<entry xml:lang="nb">`) || !strings.Contains(feed, "<published>2020-01-28T08:00:00Z</published>") ||
		!strings.Contains(feed, "<title>Kontaktgruppesamling i Bærum med fagseminar</title>") {
		t.Errorf("feed: %d\n%s", code, feed)
	}

	// The address, one button away.
	reveal := regexp.MustCompile(`href="(/allianser/ore/kontakter/\d+/e-post)"`).FindStringSubmatch(page)
	if reveal == nil {
		t.Fatal("no link to the address")
	}
	code, form := anon.get(reveal[1])
	if code != http.StatusOK || !strings.Contains(form, "Vis e-postadressen") || emailAddress.MatchString(form) {
		t.Fatalf("address page: %d", code)
	}
	token := anon.csrf(form)
	if resp, _ := anon.post(reveal[1], url.Values{}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("reveal without the form token: %d", resp.StatusCode)
	}
	resp, shown := anon.post(reveal[1], url.Values{"csrf": {token}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(shown, `<a href="mailto:direktor@ore.example.no">direktor@ore.example.no</a>`) ||
		resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("reveal: %d %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	// One client is shown only so many addresses in a while.
	limited := 0
	for range 25 {
		if resp, _ := anon.post(reveal[1], url.Values{"csrf": {token}}); resp.StatusCode == http.StatusTooManyRequests {
			limited++
		}
	}
	if limited == 0 {
		t.Error("reveals are not limited")
	}
}

// TestScheduledArticleAppearsOnTime schedules an article a moment ahead:
// the cached news page and feed show it once its time has come, though no
// data has changed.
func TestScheduledArticleAppearsOnTime(t *testing.T) {
	ctx := context.Background()
	db := testdb.Open(t, "sqlite")
	ts := httptest.NewServer(demoServer(t, db))
	defer ts.Close()
	ore, _ := db.AllianceBySlug(ctx, "ore")
	at := time.Now().Truncate(time.Second).Add(2 * time.Second)
	art := samrad.Article{AllianceID: ore.ID, TitleNB: "Planlagt nyhet", PublishAt: at}
	if err := db.CreateArticle(ctx, &art); err != nil {
		t.Fatal(err)
	}
	anon := newBrowser(t, ts.URL)
	get := func(path, etag string) (int, string, string) {
		req, _ := http.NewRequest("GET", ts.URL+path, nil)
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		resp, err := anon.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), resp.Header.Get("ETag")
	}
	_, before, etag := get("/allianser/ore/nyheter", "")
	_, beforeFeed, _ := get("/allianser/ore/nyheter.atom", "")
	if strings.Contains(before, "Planlagt nyhet") || strings.Contains(beforeFeed, "Planlagt nyhet") {
		t.Fatal("a scheduled article is public before its time")
	}
	if code, _, _ := get("/allianser/ore/nyheter/"+itoa(art.ID)+"-planlagt-nyhet", ""); code != http.StatusNotFound {
		t.Errorf("scheduled article's page: %d, want 404", code)
	}
	if code, _, _ := get("/allianser/ore/nyheter", etag); code != http.StatusNotModified {
		t.Errorf("unchanged page: %d, want 304", code)
	}
	time.Sleep(time.Until(at) + 100*time.Millisecond)
	code, after, _ := get("/allianser/ore/nyheter", etag)
	if code != http.StatusOK || !strings.Contains(after, "Planlagt nyhet") {
		t.Errorf("after its time: %d, the article is missing", code)
	}
	if _, feed, _ := get("/allianser/ore/nyheter.atom", ""); !strings.Contains(feed, "Planlagt nyhet") {
		t.Error("after its time the feed lacks the article")
	}
	if code, _, _ := get("/allianser/ore/nyheter/"+itoa(art.ID)+"-planlagt-nyhet", ""); code != http.StatusOK {
		t.Errorf("article's page after its time: %d", code)
	}
}

func testPNG(t *testing.T, w, h int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 180
	}
	img.SetNRGBA(1, 1, color.NRGBA{A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestArticleFormsRefuseBadInput writes an article and uploads images as
// the secretariat: bad input comes back with a clear message and nothing
// is stored.
func TestArticleFormsRefuseBadInput(t *testing.T) {
	ctx := context.Background()
	db := testdb.Open(t, "sqlite")
	ts := httptest.NewServer(demoServer(t, db))
	defer ts.Close()
	ore, _ := db.AllianceBySlug(ctx, "ore")
	if _, err := db.CreateUser(ctx, "sek@example.no", "Sekretariatet", "et langt passord her", ore.ID, samrad.RoleSecretariat, fastHash); err != nil {
		t.Fatal(err)
	}
	sec := newBrowser(t, ts.URL)
	sec.login("sek@example.no", "et langt passord her")
	_, page := sec.get("/allianser/ore/nyheter")
	token := sec.csrf(page)
	count := func() int {
		all, err := db.AllArticles(ctx, ore.ID)
		if err != nil {
			t.Fatal(err)
		}
		return len(all)
	}
	n := count()
	resp, body := sec.post("/allianser/ore/nyheter/ny", url.Values{"csrf": {token}, "title_nb": {"Ny nyhet"}, "publish_at": {"28.1.2020 kl. 9"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "«28.1.2020 kl. 9» er ikke et tidspunkt") || !strings.Contains(body, `value="Ny nyhet"`) {
		t.Errorf("bad publish time: %d", resp.StatusCode)
	}
	if resp, _ := sec.post("/allianser/ore/nyheter/ny", url.Values{"csrf": {token}, "title_nb": {""}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("no title: %d", resp.StatusCode)
	}
	if count() != n {
		t.Fatal("a refused article was stored")
	}
	resp, _ = sec.post("/allianser/ore/nyheter/ny", url.Values{"csrf": {token}, "title_nb": {"Ny nyhet"}, "body_nb": {"Ett.\n\nTo."}, "publish_at": {"2099-01-01 09:00"}})
	if resp.StatusCode != http.StatusSeeOther || count() != n+1 {
		t.Fatalf("new article: %d", resp.StatusCode)
	}
	where := resp.Header.Get("Location")
	id := strings.SplitN(strings.TrimPrefix(where, "/allianser/ore/nyheter/"), "-", 2)[0]
	if code, _ := newBrowser(t, ts.URL).get(where); code != http.StatusNotFound {
		t.Errorf("a scheduled article is public: %d", code)
	}

	upload := func(fields map[string]string, data []byte) (int, string) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("csrf", token)
		for k, v := range fields {
			mw.WriteField(k, v)
		}
		fw, _ := mw.CreateFormFile("file", "foto.jpg")
		fw.Write(data)
		mw.Close()
		resp, err := sec.c.Post(ts.URL+"/allianser/ore/nyheter/"+id+"/bilder", mw.FormDataContentType(), &buf)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	alt := map[string]string{"alt_nb": "Deltakerne i salen", "caption_nb": "Fagseminar", "credit": "Ola Nordmann"}
	huge := testPNG(t, 4, 4) // a valid PNG whose header claims 10000 × 5000 pixels
	binary.BigEndian.PutUint32(huge[16:], 10000)
	binary.BigEndian.PutUint32(huge[20:], 5000)
	binary.BigEndian.PutUint32(huge[29:], crc32.ChecksumIEEE(huge[12:29]))
	for _, c := range []struct {
		name   string
		fields map[string]string
		data   []byte
		want   string
	}{
		{"not an image", alt, []byte("<html>dette er ikke et bilde</html>"), "Filen er ikke et bilde i JPEG- eller PNG-format."},
		{"too many bytes", alt, append(testPNG(t, 4, 4), make([]byte, 10_500_000)...), "For stor: 10.0 MB, grensen er 10 MB."},
		{"too many pixels", alt, huge, "For stor: 50.0 megapiksler, grensen er 40 megapiksler."},
		{"no alt text", map[string]string{"caption_nb": "Fagseminar"}, testPNG(t, 100, 50), "describe the image in an alternative text"},
	} {
		code, body := upload(c.fields, c.data)
		if code != http.StatusBadRequest || !strings.Contains(body, c.want) {
			t.Errorf("%s: %d, want 400 saying %q", c.name, code, c.want)
		}
	}
	got, _ := db.AllArticles(ctx, ore.ID)
	full, _ := db.Article(ctx, got[0].ID)
	if len(full.Images) != 0 {
		t.Fatalf("refused images were stored: %d", len(full.Images))
	}
	if code, _ := upload(alt, testPNG(t, 1200, 600)); code != http.StatusSeeOther {
		t.Fatalf("good image: %d", code)
	}
	full, _ = db.Article(ctx, full.ID)
	if len(full.Images) != 1 || len(full.Images[0].Variants) != 3 || full.Images[0].Credit != "Ola Nordmann" {
		t.Fatalf("stored image %+v", full.Images)
	}
	// The scheduled article's image is not public yet.
	if code, _ := newBrowser(t, ts.URL).get("/allianser/ore/bilder/" + itoa(full.Images[0].ID) + "-480-" + full.Images[0].Variants[0].SHA256[:16] + ".jpg"); code != http.StatusNotFound {
		t.Errorf("image of a scheduled article: %d", code)
	}
	// Publish now, then it is.
	if resp, _ := sec.post("/allianser/ore/nyheter/"+id+"/publiser", url.Values{"csrf": {token}, "when": {"now"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d", resp.StatusCode)
	}
	if code, body := newBrowser(t, ts.URL).get(where); code != http.StatusOK || !strings.Contains(body, "<p>Ett.</p>") || !strings.Contains(body, "Foto: Ola Nordmann") {
		t.Errorf("published article: %d", code)
	}
}

// BenchmarkArticlePage serves the demo article (five images, the contact
// block) on SQLite anonymously (from the page cache, which a scheduled
// article elsewhere does not defeat) and as the secretariat (rendered each
// time, with the edit forms). It reports the median and the 99th
// percentile of the server's time per request.
func BenchmarkArticlePage(b *testing.B) {
	ctx := context.Background()
	db := testdb.Open(b, "sqlite")
	if err := demo.Load(ctx, db); err != nil {
		b.Fatal(err)
	}
	ore, _ := db.AllianceBySlug(ctx, "ore")
	arts, _ := db.AllArticles(ctx, ore.ID)
	path := "/allianser/ore/nyheter/" + itoa(arts[0].ID) + "-" + arts[0].Slug
	if err := db.CreateArticle(ctx, &samrad.Article{AllianceID: ore.ID, TitleNB: "Planlagt", PublishAt: time.Now().Add(time.Hour)}); err != nil {
		b.Fatal(err)
	}
	u, err := db.CreateUser(ctx, "s@example.no", "S", "et langt passord her", ore.ID, samrad.RoleSecretariat, fastHash)
	if err != nil {
		b.Fatal(err)
	}
	token, _, err := db.CreateSession(ctx, u.ID)
	if err != nil {
		b.Fatal(err)
	}
	srv, err := web.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()
	for _, c := range []struct {
		name        string
		secretariat bool
	}{{"anonymous", false}, {"secretariat", true}} {
		b.Run(c.name, func(b *testing.B) {
			var times []time.Duration
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				if c.secretariat {
					req.AddCookie(&http.Cookie{Name: "samrad_session", Value: token})
				}
				w := httptest.NewRecorder()
				start := time.Now()
				h.ServeHTTP(w, req)
				times = append(times, time.Since(start))
				if w.Code != http.StatusOK {
					b.Fatalf("%s: %d", path, w.Code)
				}
			}
			sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}
