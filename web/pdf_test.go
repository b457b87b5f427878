package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/demo"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/pdf"
	"github.com/samrad/samrad/pdf/pdftest"
	"github.com/samrad/samrad/store"
	"github.com/samrad/samrad/web"
)

// TestMeetingDocumentsAsPDF prints the notice and the minutes of a published
// demo meeting with the real browser and reads the text back from the PDF.
func TestMeetingDocumentsAsPDF(t *testing.T) {
	ctx := context.Background()
	ts, db := printingServer(t)

	// The demo's board meeting of Osloregionen (case 47/16) is held; its
	// case goes on its agenda and its minutes are approved and published
	// here, as the secretariat would.
	a, _ := db.AllianceBySlug(ctx, "osloregionen")
	meetings, err := db.AllianceMeetings(ctx, a.ID)
	if err != nil || len(meetings) == 0 {
		t.Fatalf("meetings: %v, %d", err, len(meetings))
	}
	id, body := meetings[0].ID, meetings[0].Body.Name("nb")
	c, err := db.CaseByNumber(ctx, a.ID, 2016, 47)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.AddAgendaItem(ctx, id, c.ID, 1); err != nil {
		t.Fatal(err)
	}
	for _, st := range []samrad.MeetingStatus{samrad.MeetingMinutesApproved, samrad.MeetingPublished} {
		if err := db.SetMeetingStatus(ctx, id, st); err != nil {
			t.Fatal(err)
		}
	}
	items, err := db.Agenda(ctx, id)
	if err != nil || len(items) == 0 {
		t.Fatalf("agenda: %v, %d items", err, len(items))
	}
	for _, p := range []string{"innkalling", "protokoll"} {
		path := "/allianser/osloregionen/moter/" + itoa(id) + "/" + p + ".pdf"
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		out, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("GET %s: %d %s %.200s", path, resp.StatusCode, resp.Header.Get("Content-Type"), out)
		}
		info, err := pdftest.Inspect(out)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{a.Name("nb"), body, items[0].Case.Title, "Side 1"} {
			if !strings.Contains(info.Text, want) {
				t.Errorf("%s has no %q in its text:\n%s", path, want, info.Text)
			}
		}
		if strings.Contains(info.Text, "Logg inn") {
			t.Errorf("%s prints the site's navigation:\n%s", path, info.Text)
		}
		if !strings.Contains(resp.Header.Get("Content-Disposition"), p+"-") {
			t.Errorf("%s: Content-Disposition %q", path, resp.Header.Get("Content-Disposition"))
		}
	}
}

// TestProgrammeAsPDF prints the demo's action programme 2017 and reads the
// measures back from the PDF.
func TestProgrammeAsPDF(t *testing.T) {
	ts, _ := printingServer(t)
	resp, err := http.Get(ts.URL + "/allianser/osloregionen/handlingsprogram/2017/handlingsprogram.pdf")
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("programme PDF: %d %.300s", resp.StatusCode, out)
	}
	info, err := pdftest.Inspect(out)
	if err != nil {
		t.Fatal(err)
	}
	if info.Pages < 3 {
		t.Errorf("%d pages, want the whole programme", info.Pages)
	}
	for _, want := range []string{"Handlingsprogram 2017", "Roller og arbeidsformer", "1.2 Avklare innhold i tettere samarbeid",
		"Tidsramme", "2017-18", "5.2 BEST 2017/2018", "Østlandssamarbeidet"} {
		if !strings.Contains(info.Text, want) {
			t.Errorf("the programme PDF has no %q", want)
		}
	}
}

// TestStatusReportFiledWithACase prints the status report on the action
// programme and files it as a document of the board's case.
func TestStatusReportFiledWithACase(t *testing.T) {
	ctx := context.Background()
	ts, db := printingServer(t)
	or, _ := db.AllianceBySlug(ctx, "osloregionen")
	if _, err := db.CreateUser(ctx, "s@example.no", "S", "et langt passord her", or.ID, samrad.RoleSecretariat, fastHash); err != nil {
		t.Fatal(err)
	}
	sec := newBrowser(t, ts.URL)
	sec.login("s@example.no", "et langt passord her")
	_, body := sec.get("/allianser/osloregionen/handlingsprogram/2017")
	token := sec.csrf(body)
	if code, _ := post2(sec, token, "/allianser/osloregionen/handlingsprogram/2017/statusrapport/til-sak", url.Values{"case": {"47/16"}}); code != http.StatusSeeOther {
		t.Fatalf("file the status report: %d", code)
	}
	c, _ := db.CaseByNumber(ctx, or.ID, 2016, 47)
	docs, err := db.Documents(ctx, 0, c.ID)
	if err != nil || len(docs) != 1 || docs[0].ContentType != "application/pdf" || !strings.HasPrefix(docs[0].Title, "Statusrapport handlingsprogram 2017 per ") {
		t.Fatalf("case documents = %+v, %v", docs, err)
	}
	_, data, err := db.DocumentFile(ctx, docs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	info, err := pdftest.Inspect(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Statusrapport for handlingsprogram 2017", "Tiltak på etterskudd", "1.2 Avklare innhold i tettere samarbeid", "5.2 BEST 2017/2018"} {
		if !strings.Contains(info.Text, want) {
			t.Errorf("the filed report has no %q", want)
		}
	}
}

// printingServer serves the demo with a real browser to print PDF files.
func printingServer(t *testing.T) (*httptest.Server, *store.DB) {
	t.Helper()
	db := testdb.Open(t, "sqlite")
	if err := demo.Load(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	bin, err := pdf.FindChromium()
	if err != nil {
		t.Fatal(err)
	}
	printer := pdf.New(bin)
	t.Cleanup(printer.Close)
	srv, err := web.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv.SetPDF(printer)
	srv.SetBaseURL("https://samrad.example.no")
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts, db
}
