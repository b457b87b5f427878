package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/pdf/pdftest"
	"github.com/samrad/samrad/store"
)

// TestAnnualReport writes, approves and publishes an annual report: a
// draft is the alliance's own, the secretariat's text goes into its
// chapter, the charts are there as labelled SVG, and once approved the
// report is public and final.
func TestAnnualReport(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ts := httptest.NewServer(demoServer(t, db))
		defer ts.Close()
		or, _ := db.AllianceBySlug(ctx, "osloregionen")
		const page = "/allianser/osloregionen/arsrapport/2019"
		if code, _ := newBrowser(t, ts.URL).get(page); code != http.StatusNotFound {
			t.Errorf("a draft as a visitor: %d, want 404", code)
		}
		if _, err := db.CreateUser(ctx, "s@example.no", "S", "et langt passord her", or.ID, samrad.RoleSecretariat, fastHash); err != nil {
			t.Fatal(err)
		}
		sec := newBrowser(t, ts.URL)
		sec.login("s@example.no", "et langt passord her")
		code, body := sec.get(page)
		if code != http.StatusOK {
			t.Fatalf("draft as the secretariat: %d", code)
		}
		ft, _ := db.FeeTable(ctx, or.ID, 2019)
		for _, want := range []string{"Utkast", `aria-labelledby="chart-fees-title chart-fees-desc"`, `aria-labelledby="chart-budget-title chart-budget-desc"`,
			"Kontingent per medlem 2019", "Oslo", ft.Total.Norwegian(), "Alliansen hadde 5 medlemmer i 2019."} {
			if !strings.Contains(body, want) {
				t.Errorf("the draft has no %q", want)
			}
		}
		token := sec.csrf(body)
		post := func(form url.Values) (int, string) {
			form.Set("csrf", token)
			resp, body := sec.post(page+"/tekster", form)
			return resp.StatusCode, body
		}
		if code, _ := post(url.Values{"chapter_intro": {"Året var preget av arbeidet med regionreformen.\n\nSekretariatet flyttet."}}); code != http.StatusSeeOther {
			t.Fatalf("save texts: %d", code)
		}
		if code, body := post(url.Values{"approved_on": {""}, "approved_by": {"Styret"}}); code != http.StatusBadRequest || !strings.Contains(body, `id="approved-on-error"`) {
			t.Errorf("approve without a date: %d", code)
		}
		if code, _ := post(url.Values{"approved_on": {"2020-03-12"}, "approved_by": {"Styret"}}); code != http.StatusSeeOther {
			t.Fatalf("approve: %d", code)
		}
		code, body = newBrowser(t, ts.URL).get(page)
		if code != http.StatusOK || !strings.Contains(body, "<p class=\"report-text\">Sekretariatet flyttet.</p>") || !strings.Contains(body, "Godkjent 12. mars 2020 av Styret.") {
			t.Errorf("the approved report as a visitor: %d", code)
		}
		if strings.Contains(body, `name="csrf"`) {
			t.Error("a visitor sees the report's forms")
		}
		if code, _ := post(url.Values{"chapter_intro": {"Endret i ettertid."}}); code != http.StatusConflict {
			t.Errorf("changing an approved report: %d, want 409", code)
		}
		if r, _ := db.AnnualReport(ctx, or.ID, 2019); !strings.HasPrefix(r.Chapters["intro"], "Året var preget") {
			t.Errorf("the approved text changed: %q", r.Chapters["intro"])
		}
		// The programme year shows the measures by status.
		_, body = sec.get("/allianser/osloregionen/arsrapport/2017")
		if !strings.Contains(body, `aria-labelledby="chart-status-title chart-status-desc"`) || !strings.Contains(body, "5.2 BEST 2017/2018") {
			t.Error("the 2017 report has no measures by status")
		}
	})
}

// TestMemberGoalsInTheReport records what came of Bærum's goals for ORE
// and finds it in the annual report.
func TestMemberGoalsInTheReport(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ts := httptest.NewServer(demoServer(t, db))
		defer ts.Close()
		ore, _ := db.AllianceBySlug(ctx, "ore")
		_, body := newBrowser(t, ts.URL).get("/allianser/ore/medlemsmal")
		if !strings.Contains(body, "Bærum") || !strings.Contains(body, "Økt deltakelse i europeisk samarbeid") {
			t.Error("the goals page does not show Bærum's goals")
		}
		if _, err := db.CreateUser(ctx, "s@example.no", "S", "et langt passord her", ore.ID, samrad.RoleSecretariat, fastHash); err != nil {
			t.Fatal(err)
		}
		sec := newBrowser(t, ts.URL)
		sec.login("s@example.no", "et langt passord her")
		_, body = sec.get("/allianser/ore/medlemsmal")
		token := sec.csrf(body)
		goals, _ := db.MemberGoals(ctx, ore.ID)
		action := "/allianser/ore/medlemsmal/" + itoa(goals[0].ID) + "/rapport"
		resp, body := sec.post(action, url.Values{"csrf": {token}, "year": {"2019"}, "report": {"For tidlig."}})
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "For tidlig.") {
			t.Errorf("a report for a year before the goal: %d, want 400 with the text kept", resp.StatusCode)
		}
		resp, _ = sec.post(action, url.Values{"csrf": {token}, "year": {"2021"}, "report": {"Tre søknader til Horisont Europa."}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("report: %d", resp.StatusCode)
		}
		resp, body = sec.post("/allianser/ore/medlemsmal/nytt", url.Values{"csrf": {token}, "org": {itoa(goals[0].Org.ID)}, "text": {""}, "from_year": {"2021"}})
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="goal-text-error"`) {
			t.Errorf("a goal without text: %d", resp.StatusCode)
		}
		_, body = sec.get("/allianser/ore/arsrapport/2021")
		if !strings.Contains(body, "Medlemmenes egne mål") || !strings.Contains(body, "Tre søknader til Horisont Europa.") {
			t.Error("the 2021 report does not report on Bærum's goals")
		}
	})
}

// TestAnnualReportAsPDF prints an annual report with its charts.
func TestAnnualReportAsPDF(t *testing.T) {
	ctx := context.Background()
	ts, db := printingServer(t)
	or, _ := db.AllianceBySlug(ctx, "osloregionen")
	r := samrad.AnnualReport{AllianceID: or.ID, Year: 2019, Chapters: map[string]string{"intro": "Årsrapporten for 2019 – æøå ÆØÅ."},
		ApprovedOn: samrad.MustDate("2020-03-12"), ApprovedBy: "Styret"}
	if err := db.SaveAnnualReport(ctx, &r); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(ts.URL + "/allianser/osloregionen/arsrapport/2019/arsrapport.pdf")
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("report PDF: %d %.300s", resp.StatusCode, out)
	}
	info, err := pdftest.Inspect(out)
	if err != nil {
		t.Fatal(err)
	}
	ft, _ := db.FeeTable(ctx, or.ID, 2019)
	for _, want := range []string{"Osloregionen", "Årsrapport 2019", "Årsrapporten for 2019 – æøå ÆØÅ.", "Kontingent per medlem 2019", "Inntekter og kostnader 2019",
		ft.Lines[0].Membership.Org.Name("nb")} {
		if !strings.Contains(info.Text, want) {
			t.Errorf("the report PDF has no %q", want)
		}
	}
}
