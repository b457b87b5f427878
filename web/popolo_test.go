package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/popolo/popolotest"
	"github.com/samrad/samrad/store"
)

// The Popolo export of ORE holds its bodies, people, seats and the votes
// of a meeting whose minutes are published (not those of a meeting whose
// minutes are not); every object validates against the Popolo schemas,
// every reference resolves, and no e-mail address is published.
func TestPopoloExport(t *testing.T) {
	v, err := popolotest.New()
	if err != nil {
		t.Fatal(err)
	}
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		h := demoServer(t, db)
		ore, _ := db.AllianceBySlug(ctx, "ore")
		board := mustBody(t, db, ore.ID, "styret")
		seats, _ := db.Seats(ctx, board.ID)
		var voters []samrad.Seat
		for _, s := range seats {
			if s.Represents.ID != 0 {
				voters = append(voters, s)
			}
		}
		if len(voters) < 2 {
			t.Fatalf("ORE's board has %d seats for members", len(voters))
		}
		var meetings [2]samrad.Meeting
		for i := range meetings {
			m := samrad.Meeting{BodyID: board.ID, Number: 7 + i, Year: 2022, Start: time.Date(2022, 3, 1+i, 9, 0, 0, 0, time.UTC)}
			if err := db.CreateMeeting(ctx, &m); err != nil {
				t.Fatal(err)
			}
			c := samrad.Case{AllianceID: ore.ID, Year: 2022, Title: "Kontingent 2023", Type: samrad.CaseDecision, ProposedDecision: "Kontingenten holdes uendret."}
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
			for j, s := range voters {
				choice := samrad.VoteYes
				if j == 0 {
					choice = samrad.VoteNo
				}
				if err := db.RecordVote(ctx, &samrad.Vote{MeetingID: m.ID, CaseID: c.ID, Member: s.Represents, Person: s.Person, Choice: choice}); err != nil {
					t.Fatal(err)
				}
			}
			meetings[i] = m
		}
		for _, st := range []samrad.MeetingStatus{samrad.MeetingMinutesApproved, samrad.MeetingPublished} {
			if err := db.SetMeetingStatus(ctx, meetings[0].ID, st); err != nil {
				t.Fatal(err)
			}
		}
		ts := httptest.NewServer(h)
		defer ts.Close()
		resp, err := ts.Client().Get(ts.URL + "/allianser/ore/popolo.json")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json; charset=utf-8" {
			t.Fatalf("status %d, %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if strings.Contains(string(b), "@") {
			t.Error("the export publishes something with @")
		}
		var x map[string][]map[string]any
		if err := json.Unmarshal(b, &x); err != nil {
			t.Fatal(err)
		}
		schemas := map[string]string{"persons": "person.json", "organizations": "organization.json", "memberships": "membership.json",
			"posts": "post.json", "motions": "motion.json", "vote_events": "vote_event.json"}
		ids := map[string]map[any]bool{}
		for list, schema := range schemas {
			ids[list] = map[any]bool{}
			for _, o := range x[list] {
				if errs := v.Validate(schema, o); len(errs) > 0 {
					t.Errorf("%s %v: %v", list, o["id"], errs)
				}
				if ids[list][o["id"]] {
					t.Errorf("%s: id %v twice", list, o["id"])
				}
				ids[list][o["id"]] = true
			}
		}
		refs := func(list, key, target string) {
			for _, o := range x[list] {
				if id, ok := o[key]; ok && !ids[target][id] {
					t.Errorf("%s %v: %s %v is not among the %s", list, o["id"], key, id, target)
				}
			}
		}
		refs("memberships", "person_id", "persons")
		refs("memberships", "organization_id", "organizations")
		refs("memberships", "on_behalf_of_id", "organizations")
		refs("memberships", "post_id", "posts")
		refs("posts", "organization_id", "organizations")
		refs("organizations", "parent_id", "organizations")
		refs("vote_events", "motion_id", "motions")
		if len(x["vote_events"]) != 1 || len(x["motions"]) != 1 {
			t.Fatalf("vote events %d, motions %d; want only the published meeting's one", len(x["vote_events"]), len(x["motions"]))
		}
		ev := x["vote_events"][0]
		var votes []map[string]any
		raw, _ := json.Marshal(ev["votes"])
		_ = json.Unmarshal(raw, &votes)
		if len(votes) != len(voters) {
			t.Errorf("%d votes, want %d", len(votes), len(voters))
		}
		for _, vt := range votes {
			if errs := v.Validate("vote.json", vt); len(errs) > 0 {
				t.Error(errs)
			}
			if !ids["persons"][vt["voter_id"]] || !ids["organizations"][vt["group_id"]] {
				t.Errorf("vote %v: voter or group unknown", vt)
			}
		}
		if ev["result"] != "pass" && len(voters) > 2 {
			t.Errorf("result %v with one no and %d yes", ev["result"], len(voters)-1)
		}
		if len(x["persons"]) < len(voters) || len(x["memberships"]) < len(seats) {
			t.Errorf("%d persons, %d memberships for %d seats", len(x["persons"]), len(x["memberships"]), len(seats))
		}
	})
}
