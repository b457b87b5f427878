package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

var d = samrad.MustDate

func TestEmbeddedRegistry(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		reg, err := db.Registry(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			date                     string
			municipalities, counties int
		}{{"2024-01-01", 357, 15}, {"2020-01-01", 356, 11}, {"2019-01-01", 422, 18}} {
			m := len(reg.ValidOn(d(tc.date), samrad.KindMunicipality))
			c := len(reg.ValidOn(d(tc.date), samrad.KindCounty))
			if m != tc.municipalities || c != tc.counties {
				t.Errorf("%s: %d municipalities and %d counties, want %d and %d", tc.date, m, c, tc.municipalities, tc.counties)
			}
		}
		asker, _ := reg.AtDate("0220", d("2019-06-01"))
		if got, want := reg.Chain(asker.ID), "0220 Asker (–2019) → 3025 Asker (2020–2023) → 3203 Asker (2024–)"; got != want {
			t.Errorf("chain = %q, want %q", got, want)
		}
		// Seeding again changes nothing.
		var before, after int
		db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM organisations`).Scan(&before)
		if err := db.SeedRegistry(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SQL().ExecContext(ctx, `DELETE FROM meta WHERE key = 'embedded_registry'`); err != nil {
			t.Fatal(err)
		}
		if err := db.SeedRegistry(ctx); err != nil {
			t.Fatal(err)
		}
		db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM organisations`).Scan(&after)
		if before != after || before < 800 {
			t.Errorf("organisations before/after reseeding: %d/%d", before, after)
		}
	})
}

func newAlliance(t testing.TB, db *store.DB, slug string) samrad.Alliance {
	t.Helper()
	a := samrad.Alliance{Slug: slug, NameNB: "Test " + slug, Kind: samrad.AllianceAssociation, FoundedPrecision: samrad.PrecisionUnknown}
	if err := db.CreateAlliance(context.Background(), &a); err != nil {
		t.Fatal(err)
	}
	return a
}

func row(line int, code, from, attested string) store.ImportRow {
	kind, _ := samrad.KindForCode(code)
	m := samrad.Membership{Category: string(kind), Status: samrad.StatusConfirmed, FromPrecision: samrad.PrecisionUnknown}
	if from != "" {
		m.From, m.FromPrecision = d(from), samrad.PrecisionDay
	}
	if attested != "" {
		m.AttestedOn = d(attested)
	}
	return store.ImportRow{Line: line, Code: code, Kind: kind, Membership: m}
}

func codesOf(ms []samrad.Membership) string {
	var out []string
	for _, m := range ms {
		s := m.Org.Code
		if m.Status == samrad.StatusPending {
			s += "?"
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

func TestMembershipsThroughReforms(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAlliance(t, db, "ore")
		rows := []store.ImportRow{
			row(1, "0219", "2018-01-01", ""), // Bærum, before the 2020 reform
			row(2, "3025", "", "2021-01-01"), // Asker, start unknown
			row(3, "30", "", "2021-01-01"),   // Viken, split in 2024
			row(4, "0301", "", "2021-01-01"), // Oslo, never changed
		}
		if _, err := db.ImportMemberships(ctx, a.ID, "ore.csv", rows, false); err != nil {
			t.Fatal(err)
		}
		check := func(date string, pending bool, want string) []samrad.Membership {
			t.Helper()
			ms, err := db.MembersOn(ctx, a.ID, d(date), pending)
			if err != nil {
				t.Fatal(err)
			}
			if got := codesOf(ms); got != want {
				t.Errorf("members on %s (pending %v) = %q, want %q", date, pending, got, want)
			}
			return ms
		}
		check("2019-06-01", false, "0219")
		check("2021-01-01", false, "0301 3024 3025 30")
		check("2024-06-01", false, "0301 3201 3203")
		ms := check("2024-06-01", true, "0301 3201 3203 31? 32? 33?")
		for _, m := range ms {
			switch m.Org.Code {
			case "3201":
				if m.Since.String() != "2018-01-01" || len(m.Provenance) != 1 || m.Provenance[0].Predecessor.Org.Code != "3024" {
					t.Errorf("Bærum 3201: since %s, provenance %+v", m.Since, m.Provenance)
				}
			case "3203":
				if m.SincePrecision != samrad.PrecisionUnknown || m.From.String() != "2024-01-01" {
					t.Errorf("Asker 3203: since %s (%s), from %s", m.Since, m.SincePrecision, m.From)
				}
			case "32":
				if err := db.DecideMembership(ctx, m.ID, true, "test"); err != nil {
					t.Fatal(err)
				}
			case "31", "33":
				if err := db.DecideMembership(ctx, m.ID, false, "test"); err != nil {
					t.Fatal(err)
				}
			}
		}
		check("2024-06-01", true, "0301 3201 3203 32")
		// Deciding twice is refused.
		if err := db.DecideMembership(ctx, ms[len(ms)-1].ID, true, "test"); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("second decision: %v, want ENOTFOUND", err)
		}
	})
}

func TestMergedMembersBecomeOneMembership(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAlliance(t, db, "vestregionen")
		rows := []store.ImportRow{row(1, "0220", "1992-01-01", ""), row(2, "0627", "1992-01-01", ""), row(3, "0628", "1995-01-01", ""), row(4, "02", "1992-01-01", ""), row(5, "06", "1992-01-01", "")}
		if _, err := db.ImportMemberships(ctx, a.ID, "v.csv", rows, false); err != nil {
			t.Fatal(err)
		}
		ms, err := db.MembersOn(ctx, a.ID, d("2021-01-01"), true)
		if err != nil {
			t.Fatal(err)
		}
		if got := codesOf(ms); got != "3025 30" {
			t.Fatalf("members on 2021-01-01 = %q, want \"3025 30\"", got)
		}
		if len(ms[0].Provenance) != 3 || len(ms[1].Provenance) != 2 {
			t.Errorf("provenance: Asker %d, Viken %d; want 3 and 2", len(ms[0].Provenance), len(ms[1].Provenance))
		}
		if ms[0].Since.String() != "1992-01-01" {
			t.Errorf("Asker since %s, want 1992-01-01 (earliest predecessor)", ms[0].Since)
		}
	})
}

func TestImportMembershipsIsAllOrNothing(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAlliance(t, db, "x")
		rows := []store.ImportRow{row(2, "0301", "2020-01-01", ""), row(3, "9876", "2020-01-01", "")}
		_, err := db.ImportMemberships(ctx, a.ID, "members.csv", rows, false)
		if err == nil || !strings.Contains(err.Error(), "members.csv: line 3") || !strings.Contains(err.Error(), "9876") {
			t.Fatalf("err = %v, want one naming line 3 and the code", err)
		}
		// A code used before it existed.
		_, err = db.ImportMemberships(ctx, a.ID, "members.csv", []store.ImportRow{row(2, "3203", "2019-01-01", "")}, false)
		if err == nil || !strings.Contains(err.Error(), "did not exist on 2019-01-01") {
			t.Errorf("err = %v, want 'did not exist'", err)
		}
		all, err := db.Memberships(ctx, a.ID)
		if err != nil || len(all) != 0 {
			t.Errorf("after failed imports: %d memberships, %v; want none", len(all), err)
		}
		// Overlapping memberships of the same organisation are refused.
		_, err = db.ImportMemberships(ctx, a.ID, "m.csv", []store.ImportRow{row(1, "0301", "2020-01-01", ""), row(2, "0301", "2021-01-01", "")}, false)
		if samrad.ErrorCode(err) != samrad.ECONFLICT {
			t.Errorf("overlap: %v, want ECONFLICT", err)
		}
	})
}

func TestKlassChanges(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAlliance(t, db, "k")
		if _, err := db.ImportMemberships(ctx, a.ID, "m.csv", []store.ImportRow{row(1, "3203", "2024-01-01", ""), row(2, "3201", "2024-01-01", ""), row(3, "3205", "2024-02-01", "")}, false); err != nil {
			t.Fatal(err)
		}
		// Hypothetical future changes: a merger and a split.
		changes := []store.KlassChange{
			{OldCode: "3203", OldName: "Asker", NewCode: "3299", NewName: "Vestmarka", Occurred: d("2030-01-01")},
			{OldCode: "3201", OldName: "Bærum", NewCode: "3299", NewName: "Vestmarka", Occurred: d("2030-01-01")},
			{OldCode: "3205", OldName: "Lillestrøm", NewCode: "3297", NewName: "Nord", Occurred: d("2030-01-01")},
			{OldCode: "3205", OldName: "Lillestrøm", NewCode: "3298", NewName: "Sør", Occurred: d("2030-01-01")},
		}
		rep, err := db.ImportKlassChanges(ctx, "changes.json", changes)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Applied != 4 || rep.NewOrganisations != 3 {
			t.Errorf("report = %+v", rep)
		}
		ms, err := db.MembersOn(ctx, a.ID, d("2030-01-01"), true)
		if err != nil {
			t.Fatal(err)
		}
		if got := codesOf(ms); got != "3297? 3298? 3299" {
			t.Errorf("members on 2030-01-01 = %q", got)
		}
		reg, _ := db.Registry(ctx)
		v, _ := reg.AtDate("3299", d("2030-01-01"))
		kinds := map[samrad.ChangeKind]int{}
		for _, c := range reg.Predecessors(v.ID) {
			kinds[c.Kind]++
		}
		if kinds[samrad.ChangeMerge] != 2 {
			t.Errorf("changes into 3299: %v, want two merges", kinds)
		}
		// Importing the same list again changes nothing.
		rep, err = db.ImportKlassChanges(ctx, "changes.json", changes)
		if err != nil || rep.Applied != 0 || rep.AlreadyKnown != 4 {
			t.Errorf("re-import: %+v, %v", rep, err)
		}
		// An unknown old code rejects the whole list.
		var before int
		db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM organisations`).Scan(&before)
		_, err = db.ImportKlassChanges(ctx, "bad.json", []store.KlassChange{
			{OldCode: "0301", NewCode: "0399", NewName: "Ny", Occurred: d("2031-01-01")},
			{OldCode: "9999", NewCode: "0398", NewName: "X", Occurred: d("2031-01-01")},
		})
		if err == nil || !strings.Contains(err.Error(), "bad.json: codeChanges[1]") {
			t.Errorf("err = %v, want one naming codeChanges[1]", err)
		}
		var after int
		db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM organisations`).Scan(&after)
		if after != before {
			t.Errorf("a failed import wrote %d organisations", after-before)
		}
		reg, _ = db.Registry(ctx)
		if o, _ := reg.AtDate("0301", d("2031-06-01")); o.Code != "0301" {
			t.Error("Oslo must still be valid after the failed import")
		}
	})
}

func TestPopulationImportAndFees(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		rows := []store.PopulationRow{{Code: "0301", Year: 2018, Persons: 673469}, {Code: "02", Year: 2018, Persons: 604368}, {Code: "0301", Year: 2019, Persons: 681071}}
		rep, err := db.ImportPopulation(ctx, "pop.csv", "SSB", rows)
		if err != nil || rep.Added != 3 {
			t.Fatalf("import: %+v, %v", rep, err)
		}
		// Re-importing 2019 replaces that year only and reports the change.
		rep, err = db.ImportPopulation(ctx, "pop2.csv", "SSB", []store.PopulationRow{{Code: "0301", Year: 2019, Persons: 681072}})
		if err != nil || rep.Changed != 1 || rep.Added != 0 || rep.Removed != 0 {
			t.Fatalf("re-import: %+v, %v", rep, err)
		}
		if f, _ := db.Figures(ctx, d("2018-01-01")); f["0301"] != 673469 || f["02"] != 604368 {
			t.Errorf("2018 figures touched by the 2019 import: %v", f)
		}
		// Bad input writes nothing.
		if _, err := db.ImportPopulation(ctx, "bad.csv", "SSB", []store.PopulationRow{{Code: "0301", Year: 2019, Persons: 1}, {Code: "0301", Year: 2019, Persons: 2}}); err == nil {
			t.Error("duplicate rows: want an error")
		}
		if f, _ := db.Figures(ctx, d("2019-01-01")); f["0301"] != 681072 {
			t.Errorf("figures after a failed import: %v", f)
		}

		a := newAlliance(t, db, "osloregionen")
		if _, err := db.ImportMemberships(ctx, a.ID, "m.csv", []store.ImportRow{row(1, "0301", "", "2017-01-01"), row(2, "02", "", "2017-01-01")}, false); err != nil {
			t.Fatal(err)
		}
		s := samrad.FeeSchedule{AllianceID: a.ID, FromYear: 2017, Population: samrad.PopulationPreviousYear, RoundingUnit: 1,
			Rates:   []samrad.FeeRate{{Category: "municipality", PerInhabitant: 150}, {Category: "county", PerInhabitant: 150}},
			Members: []samrad.FeeMemberRule{{OrgKind: samrad.KindMunicipality, OrgCode: "0301", MultiplierPermille: 2000}}}
		if err := db.CreateFeeSchedule(ctx, &s); err != nil {
			t.Fatal(err)
		}
		overlap := s
		overlap.FromYear, overlap.ToYear = 2019, 2020
		if err := db.CreateFeeSchedule(ctx, &overlap); samrad.ErrorCode(err) != samrad.ECONFLICT {
			t.Errorf("overlapping schedule: %v, want ECONFLICT", err)
		}
		ft, err := db.FeeTable(ctx, a.ID, 2019)
		if err != nil {
			t.Fatal(err)
		}
		if len(ft.Lines) != 2 || ft.Lines[0].Fee.String() != "2020407.00" || ft.Lines[1].Fee.String() != "906552.00" {
			t.Errorf("fees 2019: %+v", ft.Lines)
		}
		if _, err := db.FeeTable(ctx, a.ID, 2016); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("2016: %v, want ENOTFOUND (no schedule)", err)
		}
		// 2021 needs 1.1.2020 figures, which are not there.
		if _, err := db.FeeTable(ctx, a.ID, 2021); err == nil || !strings.Contains(err.Error(), "2020-01-01") {
			t.Errorf("2021: %v, want a missing-population error", err)
		}
	})
}

// A membership with an unknown start overlaps every membership of the same
// member that has not ended before it does, and is refused.
func TestMembershipWithOpenStartOverlaps(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAlliance(t, db, "ore")
		if _, err := db.ImportMemberships(ctx, a.ID, "ore.csv", []store.ImportRow{row(1, "0301", "2018-01-01", "")}, false); err != nil {
			t.Fatal(err)
		}
		ms, err := db.MembersOn(ctx, a.ID, d("2019-01-01"), false)
		if err != nil || len(ms) != 1 {
			t.Fatalf("members %+v, %v", ms, err)
		}
		again := samrad.Membership{AllianceID: a.ID, Org: ms[0].Org, Category: ms[0].Category, Status: samrad.StatusConfirmed,
			FromPrecision: samrad.PrecisionUnknown}
		if err := db.AddMembership(ctx, &again); samrad.ErrorCode(err) != samrad.ECONFLICT {
			t.Errorf("a second membership with an open start: %v, want ECONFLICT", err)
		}
	})
}
