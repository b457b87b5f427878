package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"html"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/demo"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/store"
	"github.com/samrad/samrad/web"
)

// projectServer is the demo server.
func projectServer(t *testing.T, db *store.DB) *httptest.Server {
	t.Helper()
	if err := demo.Load(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts
}

// countProjectRows counts the rows of every project table.
func countProjectRows(t *testing.T, db *store.DB) string {
	t.Helper()
	var b strings.Builder
	for _, table := range []string{"projects", "project_partners", "project_funding", "project_milestones", "project_documents"} {
		var n int
		if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		b.WriteString(table + "=" + itoa(int64(n)) + " ")
	}
	return b.String()
}

// projText is a page without its tags, with its entities undone and its
// no-break spaces as spaces, for looking for what a reader sees.
func projText(page string) string {
	s := html.UnescapeString(regexp.MustCompile(`(?s)<[^>]*>`).ReplaceAllString(page, " "))
	return strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(s)
}

func TestPortfolioPagesInBothLanguages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ts := projectServer(t, db)
		b := newBrowser(t, ts.URL)
		code, page := b.get("/allianser/vestregionen/prosjekter")
		if code != http.StatusOK {
			t.Fatalf("portfolio: %d", code)
		}
		for _, want := range []string{"Prosjektporteføljen", "Kommunehelsesamarbeidet (KHS)", "KomUT – Elektronisk meldingsutveksling", "Norsk Helsenett",
			"Videreutdanning for helsefagarbeidere", "Pågår", "Idé", "Finansiering etter type kilde", "Statlige tilskudd", "Alliansens egeninnsats"} {
			if !strings.Contains(projText(page), want) {
				t.Errorf("the portfolio does not show %q", want)
			}
		}
		if !strings.Contains(page, `href="/allianser/vestregionen/prosjekter/komut"`) || !strings.Contains(page, `class="table-wrap" tabindex="0" role="region"`) {
			t.Errorf("the portfolio does not link its projects in a scrollable table")
		}
		code, page = b.get("/en/alliances/vestregionen/projects")
		if code != http.StatusOK || !strings.Contains(projText(page), "Project portfolio") || !strings.Contains(projText(page), "The municipal health cooperation (KHS)") ||
			!strings.Contains(page, `lang="en"`) || !strings.Contains(projText(page), "Running") {
			t.Errorf("English portfolio: %d", code)
		}

		// Filters, each in its own language's parameter names; the
		// language switch keeps them.
		_, page = b.get("/allianser/vestregionen/prosjekter?status=running&eier=norsk-helsenett")
		if !strings.Contains(page, "komut") || strings.Contains(page, "/prosjekter/kommunehelsesamarbeidet") {
			t.Errorf("status and owner filter: %s", projText(page))
		}
		if !strings.Contains(page, `href="/en/alliances/vestregionen/projects?owner=norsk-helsenett&amp;status=running"`) {
			t.Errorf("the language switch loses the filter")
		}
		_, page = b.get("/en/alliances/vestregionen/projects?owner=alliance")
		if !strings.Contains(page, "/projects/kommunehelsesamarbeidet") || !strings.Contains(page, "/projects/videreutdanning-helsefagarbeidere") ||
			strings.Contains(page, "/projects/komut\"") {
			t.Errorf("own projects: %s", projText(page))
		}
		_, page = b.get("/allianser/vestregionen/prosjekter?status=idea")
		if strings.Contains(page, "/prosjekter/komut\"") || !strings.Contains(page, "/prosjekter/videreutdanning-helsefagarbeidere") {
			t.Errorf("status filter: %s", projText(page))
		}
		for _, bad := range []struct{ path, reason string }{
			{"/allianser/vestregionen/prosjekter?status=ongoing", "«ongoing» er ikke en status"},
			{"/allianser/vestregionen/prosjekter?ar=20x7", "«20x7» er ikke et årstall"},
			{"/allianser/vestregionen/prosjekter?eier=ingen-slik", "ingen eier med koden «ingen-slik»"},
			{"/allianser/vestregionen/prosjekter?nettverk=ingen-slik", "ikke noe nettverk «ingen-slik»"},
			{"/allianser/vestregionen/prosjekter?sorter=pris", "«pris» er ikke en sortering"},
			{"/allianser/vestregionen/prosjekter?side=0", "«0» er ikke en side"},
			{"/allianser/vestregionen/prosjekter?side=2", "«2» er ikke en side"},
			{"/en/alliances/vestregionen/projects?year=17", "“17” is not a year"},
			{"/allianser/vestregionen/prosjekter.csv?status=x", "«x» er ikke en status"},
		} {
			code, page := b.get(bad.path)
			if code != http.StatusBadRequest || !strings.Contains(projText(page), bad.reason) {
				t.Errorf("%s: %d, want 400 saying %q", bad.path, code, bad.reason)
			}
		}

		// The downloads have every project the filter chooses.
		resp, err := http.Get(ts.URL + "/en/alliances/vestregionen/projects.csv?status=running")
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(resp.Body).ReadAll()
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK || len(recs) != 3 || recs[0][0] != "Project" || recs[0][8] != "Total funding" {
			t.Fatalf("csv: %d %v %q", resp.StatusCode, err, recs)
		}
		if !strings.Contains(resp.Header.Get("Content-Disposition"), "vestregionen-projects.csv") {
			t.Errorf("csv disposition %q", resp.Header.Get("Content-Disposition"))
		}
		names := recs[1][0] + "|" + recs[2][0]
		if !strings.Contains(names, "KomUT") || !strings.Contains(names, "(KHS)") {
			t.Errorf("csv rows %q", names)
		}
		resp, err = http.Get(ts.URL + "/allianser/vestregionen/prosjekter.xlsx")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !bytes.HasPrefix(body, []byte("PK")) || !strings.Contains(resp.Header.Get("Content-Type"), "spreadsheetml") {
			t.Errorf("xlsx: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
		}

		// The project page: owner, partners and their roles, in both languages.
		code, page = b.get("/allianser/vestregionen/prosjekter/komut")
		for _, want := range []string{"Prosjekteier", "Norsk Helsenett", "Helse- og omsorgsdepartementet", "oppdragsgiver",
			"prosjektledelse for Vestre Vikens opptaksområde", "Pågår", "Ingen finansieringskilder er registrert."} {
			if !strings.Contains(projText(page), want) {
				t.Errorf("the project page does not show %q", want)
			}
		}
		if code != http.StatusOK || !strings.Contains(page, `href="/en/alliances/vestregionen/projects/komut"`) {
			t.Errorf("project page: %d, or no switch to English", code)
		}
		code, page = b.get("/en/alliances/vestregionen/projects/komut")
		if code != http.StatusOK || !strings.Contains(projText(page), "Project owner") || !strings.Contains(projText(page), "Ministry of Health and Care Services") {
			t.Errorf("English project page: %d", code)
		}
		if code, _ := b.get("/allianser/vestregionen/prosjekter/finnes-ikke"); code != http.StatusNotFound {
			t.Errorf("unknown project: %d", code)
		}
		if code, _ := b.get("/allianser/ore/prosjekter/komut"); code != http.StatusNotFound {
			t.Errorf("another alliance's project: %d", code)
		}
	})
}

// projectStaff is the secretariat of Vestregionen, logged in, with the
// form token of its session.
func projectStaff(t *testing.T, ts *httptest.Server, db *store.DB, alliance samrad.Alliance) (*browser, string) {
	t.Helper()
	if _, err := db.CreateUser(context.Background(), "prosjekt@example.no", "P", "et langt passord her", alliance.ID, samrad.RoleSecretariat, fastHash); err != nil {
		t.Fatal(err)
	}
	sec := newBrowser(t, ts.URL)
	if resp := sec.login("prosjekt@example.no", "et langt passord her"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	_, page := sec.get("/allianser/" + alliance.Slug + "/prosjekter/ny")
	return sec, sec.csrf(page)
}

func TestProjectStaffFormsSaveGoodInputAndRefuseBad(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ts := projectServer(t, db)
		vr, _ := db.AllianceBySlug(ctx, "vestregionen")
		network := samrad.Network{AllianceID: vr.ID, Slug: "prosjekttest-nettverk", Kind: samrad.NetworkInternal, NameNB: "Prosjekttestnettverket", Published: true}
		if err := db.CreateNetwork(ctx, &network); err != nil {
			t.Fatal(err)
		}
		prog := samrad.Programme{AllianceID: vr.ID, Year: 2031, Sections: []samrad.Section{{Number: 2, Title: "Helse",
			Measures: []samrad.Measure{{Section: 2, Number: 3, Title: "Velferdsteknologi"}}}}}
		if err := db.CreateProgramme(ctx, &prog); err != nil {
			t.Fatal(err)
		}
		measure := prog.Sections[0].Measures[0].ID
		reg, _ := db.Registry(ctx)
		baerum, _ := reg.AtDate("3024", samrad.MustDate("2021-01-01"))
		sec, token := projectStaff(t, ts, db, vr)
		anon := newBrowser(t, ts.URL)

		// A project ending before it starts is refused with the error by
		// the field, and nothing is written.
		before := countProjectRows(t, db)
		good := url.Values{"csrf": {token}, "name_nb": {"Velferdsteknologi i hjemmetjenesten"}, "name_en": {"Welfare technology at home"},
			"status": {"application"}, "starts": {"2031-01-01"}, "ends": {"2030-12-31"}, "budget": {"1 200 000"}, "own_contribution": {"100000"},
			"owner": {itoa(baerum.ID)}, "network": {itoa(network.ID)}, "measure": {itoa(measure)}, "description_nb": {"Et prosjekt."}}
		resp, page := sec.post("/allianser/vestregionen/prosjekter/ny", good)
		if resp.StatusCode != http.StatusBadRequest || !regexp.MustCompile(`id="pr-ends-error">[^<]*before it starts`).MatchString(page) ||
			!strings.Contains(page, `aria-describedby="pr-ends-hint pr-ends-error"`) {
			t.Errorf("ends before starts: %d", resp.StatusCode)
		}
		for field, bad := range map[string]string{"budget": "mye", "starts": "1. mai", "status": "kanskje", "owner": "x", "website": "ftp://x"} {
			form := url.Values{}
			for k, v := range good {
				form[k] = v
			}
			form.Set("ends", "2032-12-31")
			form.Set(field, bad)
			resp, page := sec.post("/allianser/vestregionen/prosjekter/ny", form)
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, `id="pr-`) || !strings.Contains(page, `-error">`) {
				t.Errorf("bad %s: %d", field, resp.StatusCode)
			}
		}
		if after := countProjectRows(t, db); after != before {
			t.Errorf("refused forms wrote: %s, was %s", after, before)
		}

		// Good input is saved; unpublished, the project is for the
		// alliance's own people only.
		good.Set("ends", "2032-12-31")
		resp, _ = sec.post("/allianser/vestregionen/prosjekter/ny", good)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/allianser/vestregionen/prosjekter/velferdsteknologi-i-hjemmetjenesten/endre" {
			t.Fatalf("create: %d %s %s", resp.StatusCode, resp.Header.Get("Location"), regexp.MustCompile(`field-error[^<]*<`).FindAllString(page, -1))
		}
		p, err := db.Project(ctx, vr.ID, "velferdsteknologi-i-hjemmetjenesten")
		if err != nil || p.Published || *p.Budget != samrad.NOK(1_200_000) || *p.OwnContribution != samrad.NOK(100_000) || p.OwnerOrgID != baerum.ID ||
			p.NetworkID != network.ID || p.MeasureID != measure || p.Status != samrad.ProjectApplication || p.Ends != samrad.MustDate("2032-12-31") {
			t.Fatalf("stored %+v %v", p, err)
		}
		if resp, _ := sec.post("/allianser/vestregionen/prosjekter/ny", good); resp.StatusCode != http.StatusConflict {
			t.Errorf("the same slug again: %d, want 409", resp.StatusCode)
		}
		path := "/allianser/vestregionen/prosjekter/" + p.Slug
		if code, _ := anon.get(path); code != http.StatusNotFound {
			t.Errorf("unpublished project, anonymously: %d", code)
		}
		if _, page := anon.get("/allianser/vestregionen/prosjekter"); strings.Contains(page, p.Slug) {
			t.Errorf("unpublished project in the public portfolio")
		}
		code, page := sec.get(path)
		if code != http.StatusOK || !strings.Contains(projText(page), "ikke publisert") || !strings.Contains(projText(page), "Bærum") ||
			!strings.Contains(page, `href="/allianser/vestregionen/handlingsprogram/2031"`) || !strings.Contains(projText(page), "Tiltak 2.3 Velferdsteknologi") ||
			!strings.Contains(projText(page), "Prosjekttestnettverket") || !strings.Contains(projText(page), "1 200 000,00") {
			t.Errorf("the secretariat's view of the project: %d", code)
		}
		if _, page := sec.get("/allianser/vestregionen/prosjekter"); !strings.Contains(page, p.Slug) {
			t.Errorf("unpublished project missing from the secretariat's portfolio")
		}

		// Edit: publish it; a bad change writes nothing.
		edit := path + "/endre"
		form := url.Values{}
		for k, v := range good {
			form[k] = v
		}
		form.Set("published", "yes")
		form.Set("starts", "2033-01-01")
		if resp, _ := sec.post(edit, form); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("edit to end before start: %d", resp.StatusCode)
		}
		if again, _ := db.Project(ctx, vr.ID, p.Slug); again.Published || again.Starts != p.Starts {
			t.Errorf("a refused edit was written")
		}
		form.Set("starts", "2031-02-01")
		if resp, _ := sec.post(edit, form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit: %d", resp.StatusCode)
		}
		if code, _ := anon.get(path); code != http.StatusOK {
			t.Errorf("published project, anonymously: %d", code)
		}
		// The network's portfolio lists it.
		code, page = anon.get("/allianser/vestregionen/nettverk/prosjekttest-nettverk/prosjekter")
		if code != http.StatusOK || !strings.Contains(page, p.Slug) || strings.Contains(page, "/prosjekter/komut\"") || !strings.Contains(projText(page), "Prosjekter fra Prosjekttestnettverket") {
			t.Errorf("network portfolio: %d", code)
		}
		if code, _ := anon.get("/en/alliances/vestregionen/networks/finnes-ikke/projects"); code != http.StatusNotFound {
			t.Errorf("unknown network's portfolio: %d", code)
		}
		// Year filter: under way in 2032, not in 2030.
		if _, page := anon.get("/allianser/vestregionen/prosjekter?ar=2032"); !strings.Contains(page, p.Slug) {
			t.Errorf("year filter leaves out a project running that year")
		}
		if _, page := anon.get("/allianser/vestregionen/prosjekter?ar=2030"); strings.Contains(page, p.Slug) {
			t.Errorf("year filter lets in a project not yet begun")
		}

		// Partners: added, refused twice, removed.
		helsenett := reg.ByCode("norsk-helsenett")[0]
		if resp, _ := sec.post(path+"/partnere", url.Values{"csrf": {token}, "partner": {itoa(helsenett.ID)}, "role": {"hovedpartner"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("add partner: %d", resp.StatusCode)
		}
		if resp, page := sec.post(path+"/partnere", url.Values{"csrf": {token}, "partner": {itoa(helsenett.ID)}}); resp.StatusCode != http.StatusConflict ||
			!strings.Contains(page, `id="pa-org-error"`) {
			t.Errorf("the same partner twice: %d", resp.StatusCode)
		}
		if resp, page := sec.post(path+"/partnere", url.Values{"csrf": {token}}); resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, `id="pa-org-error"`) {
			t.Errorf("no partner chosen: %d", resp.StatusCode)
		}
		if _, page := anon.get(path); !strings.Contains(projText(page), "hovedpartner") {
			t.Errorf("the partner's role is not shown")
		}
		if resp, _ := sec.post(path+"/partnere/"+itoa(helsenett.ID)+"/fjern", url.Values{"csrf": {token}}); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("remove partner: %d", resp.StatusCode)
		}
		if got, _ := db.Project(ctx, vr.ID, p.Slug); len(got.Partners) != 0 {
			t.Errorf("partners after removal: %+v", got.Partners)
		}

		// Funding: a bad amount and a missing funder are refused; good
		// sources show with their kind and the total.
		before = countProjectRows(t, db)
		for _, bad := range []url.Values{
			{"csrf": {token}, "funding_kind": {"state"}, "funder": {"Helsedirektoratet"}, "amount": {"mange"}},
			{"csrf": {token}, "funding_kind": {"state"}, "amount": {"1000"}},
			{"csrf": {token}, "funding_kind": {"lottery"}, "funder": {"Norsk Tipping"}, "amount": {"1000"}},
			{"csrf": {token}, "funding_kind": {"state"}, "funder": {"Helsedirektoratet"}, "amount": {"-5"}},
		} {
			if resp, page := sec.post(path+"/finansiering", bad); resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, `-error">`) {
				t.Errorf("bad funding %v: %d", bad, resp.StatusCode)
			}
		}
		if after := countProjectRows(t, db); after != before {
			t.Errorf("refused funding wrote: %s, was %s", after, before)
		}
		for _, good := range []url.Values{
			{"csrf": {token}, "funding_kind": {"state"}, "funder": {"Helsedirektoratet"}, "amount": {"600000"}},
			{"csrf": {token}, "funding_kind": {"county"}, "funder": {"Buskerud fylkeskommune"}, "amount": {"250 000,50"}},
		} {
			if resp, _ := sec.post(path+"/finansiering", good); resp.StatusCode != http.StatusSeeOther {
				t.Errorf("funding %v: %d", good, resp.StatusCode)
			}
		}
		if _, page := anon.get(path); !strings.Contains(projText(page), "Statlige tilskudd") || !strings.Contains(projText(page), "850 000,50") {
			t.Errorf("funding not shown with kind and total")
		}
		_, page = anon.get("/allianser/vestregionen/prosjekter")
		if !strings.Contains(projText(page), "600 000,00") || !strings.Contains(projText(page), "100 000,00") {
			t.Errorf("the portfolio's totals leave out the new funding or own contribution")
		}

		// Milestones: added and completed; bad dates refused.
		if resp, page := sec.post(path+"/milepaler", url.Values{"csrf": {token}, "milestone_kind": {"deliverable"}, "due": {"snart"}, "milestone_title": {"Rapport"}}); resp.StatusCode != http.StatusBadRequest ||
			!strings.Contains(page, `id="mi-due-error"`) {
			t.Errorf("bad due date: %d", resp.StatusCode)
		}
		if resp, page := sec.post(path+"/milepaler", url.Values{"csrf": {token}, "milestone_kind": {"deliverable"}, "due": {"2031-06-30"}}); resp.StatusCode != http.StatusBadRequest ||
			!strings.Contains(page, `id="mi-title-error"`) {
			t.Errorf("milestone without title: %d", resp.StatusCode)
		}
		if resp, _ := sec.post(path+"/milepaler", url.Values{"csrf": {token}, "milestone_kind": {"deliverable"}, "due": {"2031-06-30"},
			"milestone_title": {"Kravspesifikasjon"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("add milestone: %d", resp.StatusCode)
		}
		got, _ := db.Project(ctx, vr.ID, p.Slug)
		if len(got.Milestones) != 1 {
			t.Fatalf("milestones %+v", got.Milestones)
		}
		done := path + "/milepaler/" + itoa(got.Milestones[0].ID) + "/fullfort"
		if resp, page := sec.post(done, url.Values{"csrf": {token}, "done_on": {"i går"}}); resp.StatusCode != http.StatusBadRequest ||
			!strings.Contains(page, `id="ms-done-`+itoa(got.Milestones[0].ID)+`-error"`) {
			t.Errorf("bad completion date: %d", resp.StatusCode)
		}
		if resp, _ := sec.post(done, url.Values{"csrf": {token}, "done_on": {"2031-07-02"}}); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("complete: %d", resp.StatusCode)
		}
		if _, page := anon.get(path); !strings.Contains(projText(page), "Kravspesifikasjon") || !strings.Contains(projText(page), "Fullført 2. juli 2031") ||
			!strings.Contains(projText(page), "Leveranse") {
			t.Errorf("the milestone is not shown as done")
		}
		if resp, _ := sec.post(path+"/milepaler/999999/fullfort", url.Values{"csrf": {token}, "done_on": {"2031-07-02"}}); resp.StatusCode != http.StatusNotFound {
			t.Errorf("another project's milestone: %d", resp.StatusCode)
		}

		// Documents: upload, refused without a file, downloaded.
		upload := func(title, filename string, data []byte) (int, string) {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			mw.WriteField("csrf", token)
			mw.WriteField("document_kind", "report")
			mw.WriteField("document_title", title)
			if filename != "" {
				fw, _ := mw.CreateFormFile("file", filename)
				fw.Write(data)
			}
			mw.Close()
			req, _ := http.NewRequest(http.MethodPost, ts.URL+path+"/dokumenter", &buf)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			resp, err := sec.c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(body)
		}
		if code, page := upload("Sluttrapport", "", nil); code != http.StatusBadRequest || !strings.Contains(page, `id="do-file-error"`) {
			t.Errorf("upload without a file: %d", code)
		}
		if code, page := upload("", "rapport.pdf", []byte("%PDF-1.4\nrapport\n")); code != http.StatusBadRequest || !strings.Contains(page, `id="do-title-error"`) {
			t.Errorf("upload without a title: %d", code)
		}
		if code, _ := upload("Sluttrapport", "rapport.pdf", []byte("%PDF-1.4\nrapport\n")); code != http.StatusSeeOther {
			t.Fatalf("upload: %d", code)
		}
		got, _ = db.Project(ctx, vr.ID, p.Slug)
		if len(got.Documents) != 1 {
			t.Fatalf("documents %+v", got.Documents)
		}
		resp, err = http.Get(ts.URL + path + "/dokumenter/" + itoa(got.Documents[0].ID))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || string(body) != "%PDF-1.4\nrapport\n" || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") ||
			!strings.Contains(resp.Header.Get("Content-Security-Policy"), "sandbox") {
			t.Errorf("download: %d %q", resp.StatusCode, resp.Header.Get("Content-Disposition"))
		}
		if code, _ := anon.get("/allianser/vestregionen/prosjekter/komut/dokumenter/" + itoa(got.Documents[0].ID)); code != http.StatusNotFound {
			t.Errorf("a document through another project: %d", code)
		}
	})
}
