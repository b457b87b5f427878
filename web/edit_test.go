package web_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/store"
)

func TestEditBodySeatsAndMeetings(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ts := httptest.NewServer(demoServer(t, db))
		defer ts.Close()
		ore, _ := db.AllianceBySlug(ctx, "ore")
		if _, err := db.CreateUser(ctx, "s@example.no", "S", "et langt passord her", ore.ID, samrad.RoleSecretariat, fastHash); err != nil {
			t.Fatal(err)
		}
		sec := newBrowser(t, ts.URL)
		sec.login("s@example.no", "et langt passord her")
		_, page := sec.get("/allianser/ore/organer/styret")
		token := sec.csrf(page)
		reg, _ := db.Registry(ctx)
		oslo, _ := reg.AtDate("0301", samrad.Today())

		// A second chair is refused; the form comes back with its values and the reason.
		resp, body := sec.post("/allianser/ore/organer/styret/seter", url.Values{"csrf": {token}, "new_person": {"Ny Leder"}, "role": {"chair"},
			"represents": {itoa(oslo.ID)}, "from": {"2021-01-01"}})
		if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "already has a chair") || !strings.Contains(body, `value="Ny Leder"`) {
			t.Errorf("second chair: %d", resp.StatusCode)
		}
		// A bad date is shown next to its field.
		resp, body = sec.post("/allianser/ore/organer/styret/seter", url.Values{"csrf": {token}, "new_person": {"Ny Person"}, "role": {"member"}, "from": {"2021-02-30"}})
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="seat-from-error"`) || !strings.Contains(body, `aria-invalid="true" aria-describedby="seat-from-error"`) {
			t.Errorf("bad date: %d", resp.StatusCode)
		}
		// A valid seat.
		resp, _ = sec.post("/allianser/ore/organer/styret/seter", url.Values{"csrf": {token}, "new_person": {"Ny Person"}, "new_title": {"varaordfører"},
			"role": {"deputy_member"}, "represents": {itoa(oslo.ID)}, "from": {"2021-01-01"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("add seat: %d", resp.StatusCode)
		}
		if _, page = sec.get("/allianser/ore/organer/styret"); !strings.Contains(page, "Ny Person, varaordfører") {
			t.Error("the new seat is not on the page")
		}
		// Meetings: a new one, then the same number again.
		form := url.Values{"csrf": {token}, "number": {"3"}, "date": {"2024-05-30"}, "start": {"10:00"}, "end": {"12:30"}, "place": {"Brussel"}}
		resp, _ = sec.post("/allianser/ore/organer/styret/moter", form)
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/allianser/ore/moter/") {
			t.Fatalf("new meeting: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		_, mpage := sec.get(resp.Header.Get("Location"))
		if !strings.Contains(mpage, "2024-05-30 10:00–12:30") || !strings.Contains(mpage, "Styret, møte 3/2024") {
			t.Error("the meeting page does not show the meeting")
		}
		resp, body = sec.post("/allianser/ore/organer/styret/moter", form)
		if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "meeting 3/2024 of this body already exists") {
			t.Errorf("duplicate meeting number: %d", resp.StatusCode)
		}
		// A planned meeting is not public.
		anon := newBrowser(t, ts.URL)
		if code, _ := anon.get(newestBoardMeeting(t, db, ore.ID)); code != http.StatusNotFound {
			t.Errorf("planned meeting for anonymous: %d, want 404", code)
		}
	})
}

// newestBoardMeeting is the path of the newest meeting of ORE's board.
func newestBoardMeeting(t *testing.T, db *store.DB, allianceID int64) string {
	b, err := db.BodyBySlug(context.Background(), allianceID, "styret")
	if err != nil {
		t.Fatal(err)
	}
	ms, _ := db.Meetings(context.Background(), b.ID)
	return "/allianser/ore/moter/" + itoa(ms[0].ID)
}

// TestMeetingFromNoticeToPublishedMinutes walks the secretariat's work for
// one meeting of ORE's board and what the public sees.
func TestMeetingFromNoticeToPublishedMinutes(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ts := httptest.NewServer(demoServer(t, db))
		defer ts.Close()
		ore, _ := db.AllianceBySlug(ctx, "ore")
		if _, err := db.CreateUser(ctx, "s@example.no", "S", "et langt passord her", ore.ID, samrad.RoleSecretariat, fastHash); err != nil {
			t.Fatal(err)
		}
		sec := newBrowser(t, ts.URL)
		sec.login("s@example.no", "et langt passord her")
		_, page := sec.get("/allianser/ore/organer/styret")
		token := sec.csrf(page)
		resp, _ := sec.post("/allianser/ore/organer/styret/moter", url.Values{"csrf": {token}, "number": {"1"}, "date": {"2021-03-10"}, "start": {"09:00"}, "place": {"Oslo"}})
		meeting := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("call meeting: %d", resp.StatusCode)
		}
		post := func(action string, form url.Values) (int, string) {
			t.Helper()
			form.Set("csrf", token)
			resp, body := sec.post(meeting+"/"+action, form)
			return resp.StatusCode, body
		}
		if code, body := post("saker", url.Values{"title": {""}, "type": {"decision"}}); code != http.StatusBadRequest || !strings.Contains(body, `id="case-title-error"`) {
			t.Errorf("case without title: %d", code)
		}
		for _, title := range []string{"Årsregnskap 2020", "Handlingsplan 2021"} {
			if code, _ := post("saker", url.Values{"title": {title}, "type": {"decision"}, "proposed_decision": {"Godkjennes."}}); code != http.StatusSeeOther {
				t.Fatalf("add case %q: %d", title, code)
			}
		}
		_, page = sec.get(meeting)
		if !strings.Contains(page, "Sak 1/2021: Årsregnskap 2020") || !strings.Contains(page, "Sak 2/2021: Handlingsplan 2021") {
			t.Fatal("cases are not numbered 1/2021 and 2/2021 on the agenda")
		}
		// Votes need a held meeting.
		seats, _ := db.Seats(ctx, mustBody(t, db, ore.ID, "styret").ID)
		cases, _ := db.Cases(ctx, ore.ID)
		var first int64
		for _, c := range cases {
			if c.Year == 2021 && c.Number == 1 {
				first = c.ID
			}
		}
		if code, body := post("stemmer", url.Values{"seat": {itoa(seats[0].ID)}, "case": {itoa(first)}, "choice": {"yes"}}); code != http.StatusConflict || !strings.Contains(body, "held meeting") {
			t.Errorf("vote before held: %d", code)
		}
		for _, st := range []string{"notice_sent", "held"} {
			if code, _ := post("status", url.Values{"status": {st}}); code != http.StatusSeeOther {
				t.Fatalf("status %s: %d", st, code)
			}
		}
		for i, s := range seats {
			choice := "yes"
			if i == 6 {
				choice = "no"
			}
			if i == 5 {
				choice = "conflict"
			}
			if code, body := post("stemmer", url.Values{"seat": {itoa(s.ID)}, "case": {itoa(first)}, "choice": {choice}}); code != http.StatusSeeOther {
				t.Fatalf("vote %d: %d %s", i, code, body[:min(300, len(body))])
			}
		}
		if code, _ := post("protokoll", url.Values{"minutes": {"Sak 1/2021: Årsregnskapet ble godkjent."}}); code != http.StatusSeeOther {
			t.Fatal("minutes")
		}
		// The public sees the meeting (notice sent) but not the minutes until published.
		anon := newBrowser(t, ts.URL)
		code, body := anon.get(meeting)
		if code != 200 || !strings.Contains(body, "Vedtatt med 5 mot 1 stemmer; 1 medlem(mer) inhabil(e).") || strings.Contains(body, "Årsregnskapet ble godkjent") {
			t.Errorf("public meeting page before publication: %d", code)
		}
		for _, st := range []string{"minutes_approved", "published"} {
			if code, _ := post("status", url.Values{"status": {st}}); code != http.StatusSeeOther {
				t.Fatalf("status %s: %d", st, code)
			}
		}
		if code, body := post("protokoll", url.Values{"minutes": {"endret"}}); code != http.StatusConflict || !strings.Contains(body, "can no longer change") {
			t.Errorf("changing published minutes: %d", code)
		}
		if _, body := anon.get(meeting); !strings.Contains(body, "Årsregnskapet ble godkjent") {
			t.Error("published minutes are not public")
		}
		if _, body := anon.get("/allianser/ore/organer/styret/moter.ics"); !strings.Contains(body, "Styret\\, møte 1/2021") {
			t.Error("the meeting is not in the body's calendar")
		}
		if _, body := anon.get("/allianser/ore/protokoller.atom"); !strings.Contains(body, "<title>Styret, møte 1/2021</title>") || !strings.Contains(body, "Årsregnskapet ble godkjent") {
			t.Error("the published minutes are not in the Atom feed")
		}
		if _, body := anon.get("/allianser/ore/saker/2021/1"); !strings.Contains(body, "Vedtatt med 5 mot 1 stemmer") {
			t.Error("the case page does not show its treatment")
		}
		if _, body := anon.get(meeting + "/innkalling"); !strings.Contains(body, "Innkalling: Styret, møte 1/2021") || !strings.Contains(body, "Godkjennes.") || !strings.Contains(body, "Anne Marte Kolbjørnshus (Innlandet), Leder") {
			t.Error("the notice lacks its heading, proposed decision or members")
		}
		if _, body := anon.get(meeting + "/protokoll"); !strings.Contains(body, "Protokoll: Styret, møte 1/2021") || !strings.Contains(body, "Vedtatt med 5 mot 1 stemmer") || !strings.Contains(body, "Årsregnskapet ble godkjent") {
			t.Error("the minutes page lacks the result or the text")
		}
	})
}

func mustBody(t *testing.T, db *store.DB, allianceID int64, slug string) samrad.Body {
	t.Helper()
	b, err := db.BodyBySlug(context.Background(), allianceID, slug)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDocumentUploadAndDownload(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ts := httptest.NewServer(demoServer(t, db))
		defer ts.Close()
		ore, _ := db.AllianceBySlug(ctx, "ore")
		if _, err := db.CreateUser(ctx, "s@example.no", "S", "et langt passord her", ore.ID, samrad.RoleSecretariat, fastHash); err != nil {
			t.Fatal(err)
		}
		sec := newBrowser(t, ts.URL)
		sec.login("s@example.no", "et langt passord her")
		cg := mustBody(t, db, ore.ID, "kontaktgruppen")
		ms, _ := db.Meetings(ctx, cg.ID)
		meeting := "/allianser/ore/moter/" + itoa(ms[0].ID)
		_, page := sec.get(meeting)
		token := sec.csrf(page)
		upload := func(fields map[string]string, filename string, data []byte) (int, string) {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			for k, v := range fields {
				mw.WriteField(k, v)
			}
			mw.WriteField("csrf", token)
			if filename != "" {
				fw, _ := mw.CreateFormFile("file", filename)
				fw.Write(data)
			}
			mw.Close()
			resp, err := sec.c.Post(ts.URL+meeting+"/dokumenter", mw.FormDataContentType(), &buf)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(b)
		}
		pdf := []byte("%PDF-1.4\nProgram for kontaktgruppesamlingen\n")
		if code, body := upload(map[string]string{"title": "Forkledd"}, "program.pdf", []byte("<html><script>x</script></html>")); code != http.StatusBadRequest || !strings.Contains(body, `id="doc-file-error"`) || !strings.Contains(body, `value="Forkledd"`) {
			t.Errorf("disguised file: %d", code)
		}
		if code, body := upload(map[string]string{"title": "Unntatt", "exempt": "1"}, "notat.pdf", pdf); code != http.StatusBadRequest || !strings.Contains(body, `id="doc-ground-error"`) {
			t.Errorf("exempt without ground: %d", code)
		}
		if code, _ := upload(map[string]string{"title": "Program"}, "program.pdf", pdf); code != http.StatusSeeOther {
			t.Fatalf("upload: %d", code)
		}
		if code, _ := upload(map[string]string{"title": "Personalsak", "exempt": "1", "legal_ground": "offentleglova § 25"}, "personal.pdf", []byte("%PDF-1.4\nfortrolig\n")); code != http.StatusSeeOther {
			t.Fatalf("exempt upload: %d", code)
		}
		docs, _ := db.Documents(ctx, ms[0].ID, 0)
		if len(docs) != 2 {
			t.Fatalf("%d documents", len(docs))
		}
		// The text of a PDF is read at upload and found by a visitor's
		// search (the meeting's notice is sent); an exempt file's is not;
		// a PDF whose text cannot be read (above) is stored all the same.
		printed, err := os.ReadFile("../pdftext/testdata/chromium.pdf")
		if err != nil {
			t.Fatal(err)
		}
		if code, _ := upload(map[string]string{"title": "Kystvedlegg"}, "kyst.pdf", printed); code != http.StatusSeeOther {
			t.Fatalf("upload of a printed PDF: %d", code)
		}
		if code, _ := upload(map[string]string{"title": "Lønnsnotat", "exempt": "1", "legal_ground": "offentleglova § 25"}, "lonn.txt", []byte("Fortrolig lønnstrinnsplassering.")); code != http.StatusSeeOther {
			t.Fatalf("exempt text upload: %d", code)
		}
		visitor := newBrowser(t, ts.URL)
		if _, page := visitor.get("/sok?q=bl%C3%A5b%C3%A6rsyltet%C3%B8y"); !strings.Contains(page, "1 treff") || !strings.Contains(page, "Kystvedlegg") ||
			!strings.Contains(page, `href="`+meeting+`#dokumenter"`) {
			t.Errorf("the printed PDF's text is not found:\n%s", page)
		}
		if _, page := visitor.get("/sok?q=l%C3%B8nnstrinnsplassering"); !strings.Contains(page, "Ingen treff") {
			t.Errorf("an exempt document's text is found:\n%s", page)
		}
		anon := newBrowser(t, ts.URL)
		_, page = anon.get(meeting)
		if !strings.Contains(page, ">Program</a>") || !strings.Contains(page, "Personalsak – <span") || strings.Contains(page, "personal.pdf") {
			t.Error("the public meeting page lists documents wrongly")
		}
		resp, err := anon.c.Get(ts.URL + "/allianser/ore/dokumenter/" + itoa(docs[0].ID))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !bytes.Equal(body, pdf) || resp.Header.Get("Content-Type") != "application/pdf" ||
			!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "sandbox") {
			t.Errorf("download: %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
		}
		if code, _ := anon.get("/allianser/ore/dokumenter/" + itoa(docs[1].ID)); code != http.StatusForbidden {
			t.Errorf("exempt document for the public: %d, want 403", code)
		}
		if code, _ := sec.get("/allianser/ore/dokumenter/" + itoa(docs[1].ID)); code != http.StatusOK {
			t.Errorf("exempt document for the secretariat: %d", code)
		}
		if code, _ := anon.get("/allianser/vestregionen/dokumenter/" + itoa(docs[0].ID)); code != http.StatusNotFound {
			t.Errorf("document under another alliance: %d", code)
		}
	})
}
