package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

func TestDocuments(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAlliance(t, db, "ore")
		other := newAlliance(t, db, "annen")
		b := samrad.Body{AllianceID: a.ID, Slug: "styret", NameNB: "Styret", Kind: samrad.BodyBoard}
		if err := db.CreateBody(ctx, &b); err != nil {
			t.Fatal(err)
		}
		m := samrad.Meeting{BodyID: b.ID, Year: 2024, Start: time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)}
		if err := db.CreateMeeting(ctx, &m); err != nil {
			t.Fatal(err)
		}
		pdf := []byte("%PDF-1.7\nInnkalling til styremøte – sakliste med æøå\n")
		d1 := samrad.Document{AllianceID: a.ID, MeetingID: m.ID, Title: "Innkalling", Filename: "innkalling.pdf"}
		if err := db.AddDocument(ctx, &d1, pdf); err != nil {
			t.Fatal(err)
		}
		d2 := samrad.Document{AllianceID: a.ID, MeetingID: m.ID, Title: "Samme fil, unntatt", Filename: "kopi.pdf", Exempt: true, LegalGround: "offentleglova § 14"}
		if err := db.AddDocument(ctx, &d2, pdf); err != nil {
			t.Fatal(err)
		}
		var files int
		db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM files`).Scan(&files)
		if files != 1 || d1.SHA256 != d2.SHA256 || d1.ContentType != "application/pdf" {
			t.Errorf("%d files stored for one content; types %s", files, d1.ContentType)
		}
		// Bad input writes nothing.
		for _, bad := range []struct {
			d    samrad.Document
			data []byte
		}{
			{samrad.Document{AllianceID: a.ID, MeetingID: m.ID, Title: "Forkledd", Filename: "x.pdf"}, []byte("<html><body>hei</body></html>")},
			{samrad.Document{AllianceID: a.ID, MeetingID: m.ID, Title: "Uten hjemmel", Filename: "x.pdf", Exempt: true}, pdf},
			{samrad.Document{AllianceID: other.ID, MeetingID: m.ID, Title: "Feil allianse", Filename: "x.pdf"}, pdf},
			{samrad.Document{AllianceID: a.ID, MeetingID: m.ID, Title: "Sti", Filename: "../x.pdf"}, pdf},
		} {
			if err := db.AddDocument(ctx, &bad.d, bad.data); samrad.ErrorCode(err) != samrad.EINVALID {
				t.Errorf("%s: %v, want EINVALID", bad.d.Title, err)
			}
		}
		docs, err := db.Documents(ctx, m.ID, 0)
		if err != nil || len(docs) != 2 || !docs[1].Exempt || docs[1].LegalGround != "offentleglova § 14" {
			t.Errorf("documents = %+v, %v", docs, err)
		}
		d, data, err := db.DocumentFile(ctx, d1.ID)
		if err != nil || string(data) != string(pdf) || d.Size != int64(len(pdf)) {
			t.Errorf("file = %+v, %d bytes, %v", d, len(data), err)
		}
	})
}
