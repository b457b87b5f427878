package web_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/internal/testdb"
)

// TestQueriesDoNotGrowWithTheData counts the SQL statements of pages, for
// a logged-in secretariat (so no page cache), before and after the data
// grows tenfold: the counts must stay the same (no query per row).
func TestQueriesDoNotGrowWithTheData(t *testing.T) {
	ctx := context.Background()
	db := testdb.Open(t, "sqlite")
	ts := httptest.NewServer(demoServer(t, db))
	defer ts.Close()
	ore, _ := db.AllianceBySlug(ctx, "ore")
	if _, err := db.CreateUser(ctx, "s@example.no", "S", "et langt passord her", ore.ID, samrad.RoleSecretariat, fastHash); err != nil {
		t.Fatal(err)
	}
	sec := newBrowser(t, ts.URL)
	sec.login("s@example.no", "et langt passord her")
	board := mustBody(t, db, ore.ID, "styret")
	seats, _ := db.Seats(ctx, board.ID)

	// grow adds meetings of the board, each with cases on the agenda,
	// votes on every case and a document.
	meetingNo := 0
	var last samrad.Meeting
	grow := func(meetings, cases int) {
		for i := 0; i < meetings; i++ {
			meetingNo++
			m := samrad.Meeting{BodyID: board.ID, Number: meetingNo, Year: 2022, Start: time.Date(2022, 1, 1, 9, 0, 0, 0, time.UTC).AddDate(0, 0, meetingNo)}
			if err := db.CreateMeeting(ctx, &m); err != nil {
				t.Fatal(err)
			}
			for j := 0; j < cases; j++ {
				c := samrad.Case{AllianceID: ore.ID, Year: 2022, Title: fmt.Sprintf("Sak %d.%d", i, j), Type: samrad.CaseDecision}
				if err := db.CreateCase(ctx, &c); err != nil {
					t.Fatal(err)
				}
				if err := db.AddAgendaItem(ctx, m.ID, c.ID, j+1); err != nil {
					t.Fatal(err)
				}
			}
			for _, st := range []samrad.MeetingStatus{samrad.MeetingNoticeSent, samrad.MeetingHeld} {
				if err := db.SetMeetingStatus(ctx, m.ID, st); err != nil {
					t.Fatal(err)
				}
			}
			items, _ := db.Agenda(ctx, m.ID)
			for _, it := range items {
				for _, s := range seats {
					if err := db.RecordVote(ctx, &samrad.Vote{MeetingID: m.ID, CaseID: it.Case.ID, Member: s.Represents, Person: s.Person, Choice: samrad.VoteYes}); err != nil {
						t.Fatal(err)
					}
				}
			}
			d := samrad.Document{AllianceID: ore.ID, MeetingID: m.ID, Title: "Innkalling", Filename: "innkalling.pdf"}
			if err := db.AddDocument(ctx, &d, []byte(fmt.Sprintf("%%PDF-1.4\n%d\n", meetingNo))); err != nil {
				t.Fatal(err)
			}
			last = m
		}
	}
	count := func(path string) int64 {
		sec.get(path) // warm the stamped caches first: we count the steady state
		before := db.Queries()
		if code, _ := sec.get(path); code != 200 {
			t.Fatalf("GET %s: %d", path, code)
		}
		return db.Queries() - before
	}
	pages := func() map[string]int64 {
		return map[string]int64{
			"body":     count("/allianser/ore/organer/styret"),
			"meeting":  count(fmt.Sprintf("/allianser/ore/moter/%d", last.ID)),
			"meetings": count("/allianser/ore/moter"),
			"cases":    count("/allianser/ore/saker"),
			"case":     count("/allianser/ore/saker/2022/1"),
			"members":  count("/allianser/ore/medlemmer?dato=2021-01-01"),
		}
	}
	grow(1, 2)
	small := pages()
	grow(10, 10)
	large := pages()
	for name, n := range small {
		if large[name] != n {
			t.Errorf("%s page: %d queries with little data, %d with ten times more", name, n, large[name])
		}
		if n > 20 {
			t.Errorf("%s page: %d queries", name, n)
		}
	}
	t.Logf("queries per page: %v", large)
}
