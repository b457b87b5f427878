package store_test

import (
	"context"
	"testing"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

// TestInvolvementsAcrossAlliances gives Bærum (both its codes, 0219 and
// 3024) a part in every kind of item in two alliances and checks that its
// page's one query finds each once, with its role, and nothing unpublished.
func TestInvolvementsAcrossAlliances(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ore := newAlliance(t, db, "ore")
		vr := newAlliance(t, db, "vestregionen")
		reg, err := db.Registry(ctx)
		if err != nil {
			t.Fatal(err)
		}
		old, ok1 := reg.AtDate("0219", samrad.MustDate("2017-01-01"))
		now, ok2 := reg.AtDate("3024", samrad.MustDate("2021-01-01"))
		asker, ok3 := reg.AtDate("3025", samrad.MustDate("2021-01-01"))
		if !ok1 || !ok2 || !ok3 {
			t.Fatal("registry lacks Bærum or Asker")
		}
		sqldb := db.SQL()
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := sqldb.ExecContext(ctx, q, args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		id := func(q string, args ...any) int64 {
			t.Helper()
			var id int64
			if err := sqldb.QueryRowContext(ctx, q+" RETURNING id", args...).Scan(&id); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			return id
		}
		p1 := id(`INSERT INTO people (name) VALUES ('Lisbeth Hammer Krog')`)
		p2 := id(`INSERT INTO people (name) VALUES ('Erik Kjeldstadli')`)
		net := id(`INSERT INTO networks (alliance_id, slug, kind, name_nb, name_en) VALUES ($1, 'transport-2-0', 'internal', 'Transport 2.0', 'Transport 2.0')`, vr.ID)
		// Two people from Bærum in the coordination group: one involvement.
		exec(`INSERT INTO network_participants (network_id, org_id, person_id, role) VALUES ($1, $2, $3, 'coordination'), ($1, $2, $4, 'coordination')`, net, now.ID, p1, p2)
		exec(`INSERT INTO network_participants (network_id, org_id, role) VALUES ($1, $2, 'participant')`, net, asker.ID)
		exec(`INSERT INTO networks (alliance_id, slug, kind, name_nb, organiser_org_id) VALUES ($1, 'eget', 'internal', 'Bærums nettverk', $2)`, ore.ID, old.ID)
		exec(`INSERT INTO networks (alliance_id, slug, kind, name_nb, organiser_org_id, published) VALUES ($1, 'utkast', 'internal', 'Utkast', $2, $3)`, ore.ID, now.ID, false)
		stamp := "2021-01-01T00:00:00Z"
		proj := id(`INSERT INTO projects (alliance_id, slug, name_nb, owner_org_id, status, created_at, updated_at) VALUES ($1, 'khs', 'KHS', $2, 'running', $3, $3)`, vr.ID, now.ID, stamp)
		other := id(`INSERT INTO projects (alliance_id, slug, name_nb, status, created_at, updated_at) VALUES ($1, 'komut', 'KomUT', 'closed', $2, $2)`, vr.ID, stamp)
		exec(`INSERT INTO project_partners (project_id, org_id, role) VALUES ($1, $2, '')`, other, old.ID)
		exec(`INSERT INTO project_funding (project_id, kind, funder_org_id, amount) VALUES ($1, 'municipal', $2, 100), ($1, 'municipal', $2, 200)`, proj, now.ID)
		prog := id(`INSERT INTO funding_programmes (alliance_id, slug, name_nb, kind) VALUES ($1, 'erasmus', 'Erasmus+', 'eu')`, ore.ID)
		exec(`INSERT INTO applications (alliance_id, programme_id, applicant_org_id, title, status, created_at, updated_at) VALUES ($1, $2, $3, 'Ungdom i Europa', 'submitted', $4, $4)`, ore.ID, prog, now.ID, stamp)
		agr := id(`INSERT INTO agreements (alliance_id, slug, kind, title_nb) VALUES ($1, 'bpa', 'framework', 'BPA')`, vr.ID)
		exec(`INSERT INTO agreement_parties (agreement_id, org_id, role) VALUES ($1, $2, 'joined')`, agr, old.ID)
		rec := id(`INSERT INTO recurring_programmes (alliance_id, slug, kind, name_nb) VALUES ($1, 'kunst-rett-vest', 'exhibition', 'Kunst rett vest')`, vr.ID)
		exec(`INSERT INTO recurring_years (programme_id, year, host_org_id) VALUES ($1, 2012, $2), ($1, 2016, $3)`, rec, old.ID, asker.ID)

		got, err := db.Involvements(ctx, []int64{old.ID, now.ID})
		if err != nil {
			t.Fatal(err)
		}
		type key struct{ kind, name, role string }
		want := map[key]bool{
			{"network", "Transport 2.0", "coordination"}: true, {"network", "Bærums nettverk", "organiser"}: true,
			{"project", "KHS", "owner"}: true, {"project", "KomUT", "partner"}: true, {"project", "KHS", "funder"}: true,
			{"application", "Ungdom i Europa", "applicant"}: true, {"agreement", "BPA", "joined"}: true,
			{"recurring", "Kunst rett vest", "host"}: true,
		}
		for _, v := range got {
			k := key{v.Kind, v.NameNB, v.Role}
			if !want[k] {
				t.Errorf("unexpected or repeated involvement %+v", v)
			}
			delete(want, k)
			if v.MembersOnly != (v.Kind == "application") {
				t.Errorf("%+v: members-only flag wrong", v)
			}
			if v.Kind == "recurring" && v.Year != 2012 {
				t.Errorf("hosted in %d, want 2012", v.Year)
			}
			if v.Kind == "network" && v.NameNB == "Transport 2.0" && (v.AllianceID != vr.ID || v.Slug != "transport-2-0") {
				t.Errorf("network involvement %+v: wrong alliance or slug", v)
			}
		}
		for k := range want {
			t.Errorf("missing involvement %v", k)
		}
		if got, err := db.Involvements(ctx, nil); err != nil || len(got) != 0 {
			t.Errorf("no organisations: %v, %v", got, err)
		}
	})
}

// TestInvolvementsFollowChanges reads a member's involvements twice (the
// second time from the cache, with one query for the data version), then
// adds it to a network through the store and sees the change at once.
func TestInvolvementsFollowChanges(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		vr := newAlliance(t, db, "vestregionen")
		reg, err := db.Registry(ctx)
		if err != nil {
			t.Fatal(err)
		}
		baerum, ok := reg.AtDate("3024", samrad.MustDate("2021-01-01"))
		if !ok {
			t.Fatal("registry lacks Bærum")
		}
		ids := []int64{baerum.ID}
		first, err := db.Involvements(ctx, ids)
		if err != nil || len(first) != 0 {
			t.Fatalf("before: %v, %v", first, err)
		}
		before := db.Queries()
		if _, err := db.Involvements(ctx, ids); err != nil {
			t.Fatal(err)
		}
		// At most the data version: it is read again only after its TTL.
		if n := db.Queries() - before; n > 1 {
			t.Errorf("a repeated read ran %d queries, want at most 1", n)
		}
		n := samrad.Network{AllianceID: vr.ID, Slug: "transport-2-0", Kind: samrad.NetworkInternal, NameNB: "Transport 2.0", Openness: samrad.OpenToAll, Published: true}
		if err := db.CreateNetwork(ctx, &n); err != nil {
			t.Fatal(err)
		}
		if err := db.AddParticipant(ctx, vr.ID, &samrad.NetworkParticipant{NetworkID: n.ID, Org: baerum, Role: samrad.ParticipantCoordination}); err != nil {
			t.Fatal(err)
		}
		after, err := db.Involvements(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		if len(after) != 1 || after[0].Slug != "transport-2-0" || after[0].Role != "coordination" {
			t.Errorf("after the change: %+v", after)
		}
	})
}
