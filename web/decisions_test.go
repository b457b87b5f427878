package web_test

import (
	"context"
	"encoding/xml"
	"io"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/internal/testdb"
)

// The decisions feed carries each decision of a meeting whose minutes are
// published, linking to its case, and nothing of a meeting whose minutes
// are not.
func TestDecisionsFeed(t *testing.T) {
	ctx := context.Background()
	db := testdb.Open(t, "sqlite")
	h := demoServer(t, db)
	ore, _ := db.AllianceBySlug(ctx, "ore")
	board := mustBody(t, db, ore.ID, "styret")
	for i, publish := range []bool{true, false} {
		m := samrad.Meeting{BodyID: board.ID, Number: 3 + i, Year: 2023, Start: time.Date(2023, 5, 2+i, 9, 0, 0, 0, time.UTC)}
		if err := db.CreateMeeting(ctx, &m); err != nil {
			t.Fatal(err)
		}
		c := samrad.Case{AllianceID: ore.ID, Year: 2023, Title: []string{"Kontingent 2024", "Budsjett 2024"}[i], Type: samrad.CaseDecision}
		if err := db.CreateCase(ctx, &c); err != nil {
			t.Fatal(err)
		}
		if err := db.AddAgendaItem(ctx, m.ID, c.ID, 1); err != nil {
			t.Fatal(err)
		}
		for _, st := range []samrad.MeetingStatus{samrad.MeetingNoticeSent, samrad.MeetingHeld} {
			if err := db.SetMeetingStatus(ctx, m.ID, st); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.SetDecision(ctx, m.ID, c.ID, "Vedtatt som foreslått."); err != nil {
			t.Fatal(err)
		}
		if publish {
			for _, st := range []samrad.MeetingStatus{samrad.MeetingMinutesApproved, samrad.MeetingPublished} {
				if err := db.SetMeetingStatus(ctx, m.ID, st); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	ts := httptest.NewServer(h)
	defer ts.Close()
	resp, err := ts.Client().Get(ts.URL + "/allianser/ore/vedtak.atom")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	var feed struct {
		Entries []struct {
			Title   string `xml:"title"`
			Summary string `xml:"summary"`
			Link    struct {
				Href string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(b, &feed); err != nil {
		t.Fatal(err)
	}
	if len(feed.Entries) != 1 {
		t.Fatalf("entries %+v, want only the published meeting's decision", feed.Entries)
	}
	e := feed.Entries[0]
	if e.Title != "Vedtak i sak 1/2023: Kontingent 2024 (Styret)" || e.Summary != "Vedtatt som foreslått." || e.Link.Href == "" {
		t.Errorf("entry %+v", e)
	}
}
