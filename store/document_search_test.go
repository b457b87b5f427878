package store_test

import (
	"context"
	"os"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/pdftext"
	"github.com/samrad/samrad/store"
)

// addDocument stores a file as the upload does: its text read first.
func addDocument(t *testing.T, db *store.DB, d samrad.Document, data []byte) samrad.Document {
	t.Helper()
	ct, err := samrad.DetectDocumentType(d.Filename, data)
	must(t, err)
	d.Text, err = pdftext.FromFile(ct, data, samrad.MaxDocumentText)
	must(t, err)
	must(t, db.AddDocument(context.Background(), &d, data))
	return d
}

// hits lists a search's hits as "kind title path1 path2".
func hits(t *testing.T, db *store.DB, text string) []string {
	t.Helper()
	res, err := db.Search(context.Background(), samrad.SearchQuery{Text: text})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.Kind+" "+h.TitleNB+" "+h.Path1+" "+h.Path2)
	}
	return out
}

// Documents are found by their text as a visitor may see them: those of
// cases, and of meetings whose notice has been sent; an exempt document by
// its title only.
func TestSearchFindsDocumentText(t *testing.T) {
	pdf, err := os.ReadFile("../pdftext/testdata/chromium.pdf")
	if err != nil {
		t.Fatal(err)
	}
	// Each engine must give exactly the answers wanted: the same answers.
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newSearchFixture(t, db)
		check := func(text string, want ...string) {
			t.Helper()
			got := hits(t, db, text)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: %q, want %q", text, got, want)
			}
		}
		noticed := samrad.Meeting{BodyID: f.board.ID, Number: 5, Year: 2017, Start: time.Date(2017, 11, 1, 9, 0, 0, 0, time.UTC)}
		must(t, db.CreateMeeting(ctx, &noticed))
		must(t, db.SetMeetingStatus(ctx, noticed.ID, samrad.MeetingNoticeSent))
		addDocument(t, db, samrad.Document{AllianceID: f.alliance.ID, MeetingID: noticed.ID, Title: "Vedlegg om kysten", Filename: "vedlegg.pdf"}, pdf)
		// A word of the PDF's text, in another form (Snowball stems).
		check("kystsoneplanleggingen", "document Vedlegg om kysten "+strconv.FormatInt(noticed.ID, 10)+" ")
		check("blåbærsyltetøy", "document Vedlegg om kysten "+strconv.FormatInt(noticed.ID, 10)+" ")

		// The board's meeting is still planned: its document is not
		// found until the notice is sent.
		planned := addDocument(t, db, samrad.Document{AllianceID: f.alliance.ID, MeetingID: f.boardMeeting.ID,
			Title: "Utkast til sakliste", Filename: "utkast.txt"}, []byte("Forslag om fjordkryssing til styret."))
		check("fjordkryssing")
		must(t, db.SetMeetingStatus(ctx, f.boardMeeting.ID, samrad.MeetingNoticeSent))
		check("fjordkryssing", "document Utkast til sakliste "+strconv.FormatInt(f.boardMeeting.ID, 10)+" ")

		// An exempt document of a case: its title is found, never its
		// content.
		addDocument(t, db, samrad.Document{AllianceID: f.alliance.ID, CaseID: f.feeCase.ID, Title: "Tilbud fra leverandør",
			Filename: "tilbud.txt", Exempt: true, LegalGround: "offentleglova § 23"}, []byte("Fortrolig anbudssum for bompengeselskapet."))
		check("bompengeselskapet")
		check("leverandør", "document Tilbud fra leverandør 2017 "+strconv.Itoa(f.feeCase.Number))

		// A document stored without text gets it later (the reindex
		// command), and the index follows.
		bare := samrad.Document{AllianceID: f.alliance.ID, CaseID: f.feeCase.ID, Title: "Notat", Filename: "notat.txt"}
		must(t, db.AddDocument(ctx, &bare, []byte("Notat om havbruksnæringen.")))
		check("havbruksnæringen")
		lacking, err := db.DocumentsWithoutText(ctx, 0, 10)
		must(t, err)
		if len(lacking) != 1 || lacking[0].ID != bare.ID || lacking[0].ContentType != "text/plain; charset=utf-8" {
			t.Fatalf("without text: %+v", lacking)
		}
		must(t, db.SetDocumentText(ctx, bare.ID, "Notat om havbruksnæringen."))
		check("havbruksnæringen", "document Notat 2017 "+strconv.Itoa(f.feeCase.Number))
		if lacking, err := db.DocumentsWithoutText(ctx, 0, 10); err != nil || len(lacking) != 0 {
			t.Errorf("still without text: %+v, %v", lacking, err)
		}
		if err := db.SetDocumentText(ctx, 1<<40, "x"); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("unknown document: %v", err)
		}
		// A rebuilt index gives the same answers.
		if _, err := db.Reindex(ctx); err != nil {
			t.Fatal(err)
		}
		check("fjordkryssing", "document Utkast til sakliste "+strconv.FormatInt(planned.MeetingID, 10)+" ")
		check("bompengeselskapet")
	})
}
