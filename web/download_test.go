package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/store"
)

// The downloads' routes in the route check: the admin-only audit log and
// the members-only input follow their pages, which that test lists itself;
// these are the ones an area adds.
func init() {
	authzAreas = append(authzAreas, func(t *testing.T, ctx context.Context, db *store.DB) authzArea {
		programme := map[string]string{"{slug}": "osloregionen", "{year}": "2017"}
		return authzArea{
			special: map[string]map[string]string{
				"fees_xlsx": {"{slug}": "osloregionen"}, "programme_csv": programme, "programme_xlsx": programme,
				"budget_csv": programme, "budget_xlsx": programme,
			},
			staffPages:  map[string]bool{"svc_requests_xlsx": true},
			memberPages: map[string]bool{"fund_applications_csv": true, "fund_applications_xlsx": true},
		}
	})
}

// listPages are the pages that show a list, with the prefix of their
// downloads' routes. A list page added to the site belongs here.
var listPages = map[string]string{
	"orgs": "orgs", "members": "members", "fees": "fees", "body": "body", "meetings": "meetings", "cases": "cases", "documents": "documents",
	"audit": "audit", "news": "news", "events": "events", "participants": "part", "programme": "programme",
	"budget": "budget", "inputs": "inputs", "goals": "goals", "net_list": "net", "rec_list": "rec", "proj_list": "proj",
	"agr_list": "agr", "svc_list": "svc", "svc_requests": "svc_requests", "fund_list": "fund",
	"fund_applications": "fund_applications", "ind_page": "ind",
}

// TestEveryListHasDownloads checks that each list page has a CSV and an
// Excel download in both languages.
func TestEveryListHasDownloads(t *testing.T) {
	srv := newServer(t, testdb.Open(t, "sqlite"))
	routes := map[string][]string{}
	for _, r := range srv.Routes() {
		if r.Method == "GET" {
			routes[r.Name] = append(routes[r.Name], r.Pattern)
		}
	}
	for page, prefix := range listPages {
		if len(routes[page]) != 2 {
			t.Errorf("list page %s: %d routes", page, len(routes[page]))
		}
		for _, ext := range []string{"csv", "xlsx"} {
			paths := routes[prefix+"_"+ext]
			if len(paths) != 2 {
				t.Errorf("%s has no %s download (%v)", page, ext, paths)
				continue
			}
			for _, p := range paths {
				if !strings.HasSuffix(p, "."+ext) {
					t.Errorf("%s_%s: path %s", prefix, ext, p)
				}
			}
			if !strings.HasPrefix(paths[1], "/en/") || strings.HasPrefix(paths[0], "/en/") {
				t.Errorf("%s_%s: paths %v, want Norwegian then English", prefix, ext, paths)
			}
		}
	}
}

// sheetCells reads the first worksheet of a workbook back and returns its
// XML, after checking that the file is a workbook.
func sheetCells(t *testing.T, name string, data []byte) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("%s: not a zip: %v", name, err)
	}
	for _, f := range z.File {
		if f.Name == "xl/worksheets/sheet1.xml" {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
	t.Fatalf("%s: no xl/worksheets/sheet1.xml", name)
	return ""
}

func fetch(t *testing.T, b *browser, path string) (*http.Response, []byte) {
	t.Helper()
	resp, err := b.c.Get(b.base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// TestListDownloads fetches every list's CSV and Excel file as a visitor and
// as the secretariat, in both languages: the header is translated, a known
// row is there, and what a visitor may not see (drafts, unpublished and
// inactive entries, meetings not yet announced) is not.
func TestListDownloads(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ts := httptest.NewServer(demoServer(t, db))
		defer ts.Close()
		ore, _ := db.AllianceBySlug(ctx, "ore")
		cg, err := db.BodyBySlug(ctx, ore.ID, "kontaktgruppen")
		if err != nil {
			t.Fatal(err)
		}
		soon := samrad.Today().AddDays(40)
		must := func(what string, err error) {
			t.Helper()
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
		}
		must("draft", db.CreateArticle(ctx, &samrad.Article{AllianceID: ore.ID, Slug: "hemmelig-utkast", TitleNB: "Hemmelig utkast",
			SummaryNB: "Ikke publisert.", BodyNB: "Ikke publisert.", Author: "Sekretariatet"}))
		must("article", db.CreateArticle(ctx, &samrad.Article{AllianceID: ore.ID, Slug: "apen-nyhet", TitleNB: "=Åpen nyhet",
			SummaryNB: "Publisert.", BodyNB: "Publisert.", Author: "Sekretariatet", PublishAt: time.Now().Add(-time.Hour)}))
		must("meeting", db.CreateMeeting(ctx, &samrad.Meeting{BodyID: cg.ID, Year: soon.Year(), Start: soon.Time().Add(10 * time.Hour),
			Place: "Hemmelig møtested", Status: samrad.MeetingPlanned}))
		must("event", db.CreateEvent(ctx, &samrad.Event{AllianceID: ore.ID, Slug: "hemmelig-arrangement", TitleNB: "Hemmelig arrangement",
			Venue: "Sandvika", Days: []samrad.EventDay{{Date: soon}}}))
		must("network", db.CreateNetwork(ctx, &samrad.Network{AllianceID: ore.ID, Slug: "hemmelig-nettverk", Kind: samrad.NetworkInternal,
			NameNB: "Hemmelig nettverk"}))
		must("agreement", db.CreateAgreement(ctx, &samrad.Agreement{AllianceID: ore.ID, Slug: "hemmelig-avtale", Kind: samrad.AgreementKinds[0],
			TitleNB: "Hemmelig avtale"}))
		must("service", db.CreateService(ctx, &samrad.Service{AllianceID: ore.ID, Slug: "hemmelig-tjeneste", NameNB: "Hemmelig tjeneste"}))
		must("programme", db.CreateRecurring(ctx, &samrad.RecurringProgramme{AllianceID: ore.ID, Slug: "hemmelig-program",
			Kind: samrad.RecurringKinds[0], NameNB: "Hemmelig program"}))
		staff := staffBrowser(t, ctx, db, ts.URL, "sekretariat@example.no", "ore", samrad.RoleSecretariat)
		admin := staffBrowser(t, ctx, db, ts.URL, "admin@example.no", "ore", samrad.RoleAdministrator)
		anon := newBrowser(t, ts.URL)

		vr, _ := db.AllianceBySlug(ctx, "vestregionen")
		cases, _ := db.Cases(ctx, vr.ID)
		goals, _ := db.MemberGoals(ctx, ore.ID)
		// A body of the demo with seats.
		var seats []samrad.Seat
		var seatsPath [2]string
		for _, a := range []samrad.Alliance{ore, vr} {
			bodies, _ := db.Bodies(ctx, a.ID)
			for _, b := range bodies {
				if list, _ := db.Seats(ctx, b.ID); len(list) > 0 && len(seats) == 0 {
					seats = list
					seatsPath = [2]string{"/allianser/" + a.Slug + "/organer/" + b.Slug + "/seter", "/en/alliances/" + a.Slug + "/bodies/" + b.Slug + "/seats"}
				}
			}
		}
		if len(cases) == 0 || len(seats) == 0 || len(goals) == 0 {
			t.Fatalf("demo data: %d cases, %d seats, %d goals", len(cases), len(seats), len(goals))
		}
		for _, c := range []struct {
			nb, en         string // the download's path without extension
			header         [2]string
			known, staff   string // a row everyone sees, one only the secretariat does
			fileFormat     bool   // the CSV is a file format of its own, with fixed English headings
			administrators bool
		}{
			{nb: "/organisasjoner?dato=2021-01-01", en: "/en/organisations?date=2021-01-01", header: [2]string{"Kode", "Code"}, known: "Asker"},
			{nb: "/allianser/ore/medlemmer?dato=2021-01-01", en: "/en/alliances/ore/members?date=2021-01-01", header: [2]string{"Kode", "Code"}, known: "Bærum", fileFormat: true},
			{nb: "/allianser/osloregionen/kontingent?ar=2019", en: "/en/alliances/osloregionen/fees?year=2019", header: [2]string{"Kode", "Code"}, known: "Oslo", fileFormat: true},
			{nb: seatsPath[0], en: seatsPath[1], header: [2]string{"Navn", "Name"}, known: seats[0].Person.Name},
			{nb: "/allianser/ore/moter", en: "/en/alliances/ore/meetings", header: [2]string{"Organ", "Body"}, staff: "Hemmelig møtested"},
			{nb: "/allianser/vestregionen/saker", en: "/en/alliances/vestregionen/cases", header: [2]string{"Saksnummer", "Case number"}, known: cases[0].Title},
			{nb: "/allianser/vestregionen/dokumenter", en: "/en/alliances/vestregionen/documents", header: [2]string{"Tittel", "Title"}, known: "Vedlegg til diskusjonsnotat"},
			{nb: "/allianser/ore/nyheter", en: "/en/alliances/ore/news", header: [2]string{"Tittel", "Title"}, known: "Åpen nyhet", staff: "Hemmelig utkast"},
			{nb: "/allianser/ore/arrangementer", en: "/en/alliances/ore/events", header: [2]string{"Tittel", "Title"}, staff: "Hemmelig arrangement"},
			{nb: "/allianser/ore/medlemsmal", en: "/en/alliances/ore/member-goals", header: [2]string{"Medlem", "Member"}, known: goals[0].Org.NameNB},
			{nb: "/allianser/ore/nettverk", en: "/en/alliances/ore/networks", header: [2]string{"Navn", "Name"}, staff: "Hemmelig nettverk"},
			{nb: "/allianser/ore/programmer", en: "/en/alliances/ore/programmes", header: [2]string{"Navn", "Name"}, staff: "Hemmelig program"},
			{nb: "/allianser/ore/avtaler", en: "/en/alliances/ore/agreements", header: [2]string{"Tittel", "Title"}, staff: "Hemmelig avtale"},
			{nb: "/allianser/ore/tjenester", en: "/en/alliances/ore/services", header: [2]string{"Nr.", "No."}, staff: "Hemmelig tjeneste"},
			{nb: "/allianser/ore/finansiering", en: "/en/alliances/ore/funding", header: [2]string{"Program", "Programme"}},
			{nb: "/allianser/osloregionen/handlingsprogram/2017/tiltak", en: "/en/alliances/osloregionen/action-programme/2017/measures", header: [2]string{"Tiltak", "Measure"}, known: "1.1"},
			{nb: "/allianser/osloregionen/budsjett/2017/budsjett", en: "/en/alliances/osloregionen/budget/2017/budget", header: [2]string{"Del", "Part"}},
			{nb: "/allianser/ore/endringslogg", en: "/en/alliances/ore/audit-log", header: [2]string{"Tid", "Time"}, administrators: true},
		} {
			for _, ext := range []string{".csv", ".xlsx"} {
				for i, path := range []string{c.nb, c.en} {
					base, query, _ := strings.Cut(path, "?")
					u := base + ext
					if query != "" {
						u += "?" + query
					}
					who := staff
					if c.administrators {
						who = admin
					}
					resp, body := fetch(t, who, u)
					if resp.StatusCode != http.StatusOK {
						t.Errorf("%s: %d %s", u, resp.StatusCode, body)
						continue
					}
					text := string(body)
					if ext == ".csv" {
						if ct := resp.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
							t.Errorf("%s: content type %q", u, ct)
						}
						rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
						if err != nil || len(rows) == 0 {
							t.Errorf("%s: %d rows, %v", u, len(rows), err)
							continue
						}
						want := c.header[i]
						if c.fileFormat {
							want = "code"
						}
						if rows[0][0] != want {
							t.Errorf("%s: header %q, want %q first", u, rows[0], want)
						}
					} else {
						if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") {
							t.Errorf("%s: content type %q", u, ct)
						}
						text = sheetCells(t, u, body)
						if c.header[i] != "" && !strings.Contains(text, ">"+c.header[i]+"<") {
							t.Errorf("%s: no header %q", u, c.header[i])
						}
					}
					if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, ext) {
						t.Errorf("%s: disposition %q", u, cd)
					}
					for _, want := range []string{c.known, c.staff} {
						if want != "" && !strings.Contains(text, want) {
							t.Errorf("%s as secretariat lacks %q", u, want)
						}
					}
					resp, body = fetch(t, anon, u)
					if c.administrators {
						if resp.StatusCode != http.StatusUnauthorized {
							t.Errorf("%s as visitor: %d, want 401", u, resp.StatusCode)
						}
						continue
					}
					if resp.StatusCode != http.StatusOK {
						t.Errorf("%s as visitor: %d", u, resp.StatusCode)
						continue
					}
					text = string(body)
					if ext == ".xlsx" {
						text = sheetCells(t, u, body)
					}
					if c.known != "" && !strings.Contains(text, c.known) {
						t.Errorf("%s as visitor lacks %q", u, c.known)
					}
					if c.staff != "" && strings.Contains(text, c.staff) {
						t.Errorf("%s shows a visitor %q", u, c.staff)
					}
					if strings.Contains(text, "@example.no") || strings.Contains(text, "@") && strings.Contains(text, "mailto") {
						t.Errorf("%s shows a visitor an e-mail address", u)
					}
				}
			}
		}

		// A title that starts like a formula is neutralised in CSV and
		// stays text in Excel.
		_, body := fetch(t, anon, "/allianser/ore/nyheter.csv")
		if !strings.Contains(string(body), "'=Åpen nyhet") {
			t.Errorf("news CSV: formula not neutralised:\n%s", body)
		}
		_, body = fetch(t, anon, "/allianser/ore/nyheter.xlsx")
		if sheet := sheetCells(t, "news", body); !strings.Contains(sheet, `t="inlineStr"><is><t xml:space="preserve">=Åpen nyhet</t>`) {
			t.Errorf("news xlsx: title not kept as text")
		}

		// In Excel amounts are numbers and dates are dates (serial numbers
		// with a date style): Oslo's fee for 2019 and its population date.
		_, body = fetch(t, anon, "/allianser/osloregionen/kontingent.xlsx?ar=2019")
		sheet := sheetCells(t, "fees", body)
		if !strings.Contains(sheet, "<v>2020407</v>") || !regexp.MustCompile(`<c r="E\d+" s="\d+"><v>43101</v>`).MatchString(sheet) {
			t.Errorf("fees xlsx: the fee or the population date is not a number:\n%.2000s", sheet)
		}

		// The list pages link to their downloads, with the page's filters.
		for path, want := range map[string]string{
			"/allianser/ore/moter?ar=2019":             "/allianser/ore/moter.xlsx?ar=2019",
			"/en/alliances/ore/news":                   "/en/alliances/ore/news.csv",
			"/organisasjoner?dato=2021-01-01":          "/organisasjoner.csv?dato=2021-01-01",
			"/allianser/ore/medlemmer?dato=2021-01-01": "/allianser/ore/medlemmer.xlsx?dato=2021-01-01",
		} {
			code, page := anon.get(path)
			if code != http.StatusOK || !strings.Contains(page, `href="`+want+`"`) || !strings.Contains(page, `aria-label="`) {
				t.Errorf("%s: %d, no link to %s", path, code, want)
			}
		}
	})
}
