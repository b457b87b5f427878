package samrad_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/samrad/samrad"
)

var d = samrad.MustDate

// testRegistry is a small registry with the Asker merger and renumbering,
// a split, and the Viken county.
func testRegistry(t *testing.T) *samrad.Registry {
	t.Helper()
	orgs := []samrad.Organisation{
		{ID: 1, Kind: samrad.KindMunicipality, Code: "0220", NameNB: "Asker", ValidTo: d("2019-12-31")},
		{ID: 2, Kind: samrad.KindMunicipality, Code: "0627", NameNB: "Røyken", ValidTo: d("2019-12-31")},
		{ID: 3, Kind: samrad.KindMunicipality, Code: "0628", NameNB: "Hurum", ValidTo: d("2019-12-31")},
		{ID: 4, Kind: samrad.KindMunicipality, Code: "3025", NameNB: "Asker", ValidFrom: d("2020-01-01"), ValidTo: d("2023-12-31")},
		{ID: 5, Kind: samrad.KindMunicipality, Code: "3203", NameNB: "Asker", ValidFrom: d("2024-01-01")},
		{ID: 6, Kind: samrad.KindMunicipality, Code: "0301", NameNB: "Oslo"},
		{ID: 7, Kind: samrad.KindCounty, Code: "02", NameNB: "Akershus", ValidTo: d("2019-12-31")},
		{ID: 8, Kind: samrad.KindCounty, Code: "30", NameNB: "Viken", ValidFrom: d("2020-01-01"), ValidTo: d("2023-12-31")},
		{ID: 9, Kind: samrad.KindCounty, Code: "03", NameNB: "Oslo"},
		{ID: 10, Kind: samrad.KindMunicipality, Code: "5012", NameNB: "Snillfjord", ValidTo: d("2019-12-31")},
		{ID: 11, Kind: samrad.KindMunicipality, Code: "5055", NameNB: "Heim", ValidFrom: d("2020-01-01")},
		{ID: 12, Kind: samrad.KindMunicipality, Code: "0532", NameNB: "Jevnaker", ValidTo: d("2019-12-31")},
		{ID: 13, Kind: samrad.KindMunicipality, Code: "3053", NameNB: "Jevnaker", ValidFrom: d("2020-01-01"), ValidTo: d("2023-12-31")},
		{ID: 14, Kind: samrad.KindCounty, Code: "05", NameNB: "Oppland", ValidTo: d("2019-12-31")},
	}
	ch := func(id int64, kind samrad.ChangeKind, date string, from, to int64) samrad.Change {
		return samrad.Change{ID: id, Kind: kind, Date: d(date), From: samrad.Organisation{ID: from}, To: samrad.Organisation{ID: to}}
	}
	changes := []samrad.Change{
		ch(1, samrad.ChangeMerge, "2020-01-01", 1, 4), ch(2, samrad.ChangeMerge, "2020-01-01", 2, 4), ch(3, samrad.ChangeMerge, "2020-01-01", 3, 4),
		ch(4, samrad.ChangeRenumbering, "2024-01-01", 4, 5),
		ch(5, samrad.ChangeMerge, "2020-01-01", 7, 8),
		ch(6, samrad.ChangeSplit, "2020-01-01", 10, 11),
		ch(7, samrad.ChangeRenumbering, "2020-01-01", 12, 13),
		ch(8, samrad.ChangeTransfer, "2020-01-01", 14, 8),
	}
	r, err := samrad.NewRegistry(orgs, changes)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRegistryChainAndSuccession(t *testing.T) {
	r := testRegistry(t)
	if got, want := r.Chain(1), "0220 Asker (–2019) → 3025 Asker (2020–2023) → 3203 Asker (2024–)"; got != want {
		t.Errorf("Chain(0220) = %q, want %q", got, want)
	}
	s, ok := r.Succession(5)
	if !ok || len(s.Changes) != 4 {
		t.Fatalf("Succession(3203) = %d changes, want 4 (three merges and a renumbering)", len(s.Changes))
	}
	if s.Changes[3].Kind != samrad.ChangeRenumbering || s.Changes[3].To.Code != "3203" {
		t.Errorf("last change = %+v, want renumbering to 3203", s.Changes[3])
	}
	if o, ok := r.AtDate("3025", d("2022-06-01")); !ok || o.ID != 4 {
		t.Errorf("AtDate(3025, 2022) = %v %v", o, ok)
	}
	if _, ok := r.AtDate("3025", d("2024-01-01")); ok {
		t.Error("3025 must not be valid on 2024-01-01")
	}
	counties := r.ValidOn(d("2021-01-01"), samrad.KindCounty)
	if len(counties) != 2 || counties[0].Code != "03" || counties[1].Code != "30" {
		t.Errorf("counties on 2021-01-01 = %v", counties)
	}
}

func TestPopulation(t *testing.T) {
	r := testRegistry(t)
	figs := samrad.Figures{"0220": 61523, "0627": 22179, "0628": 9977, "0301": 681071, "0532": 6800, "5012": 980}
	org := func(id int64) samrad.Organisation { o, _ := r.Org(id); return o }

	p, err := r.Population(org(4), d("2019-01-01"), figs)
	if err != nil {
		t.Fatal(err)
	}
	if p.Persons != 61523+22179+9977 || p.Method != samrad.MethodSumPredecessors || len(p.Parts) != 3 {
		t.Errorf("Asker 3025 on 2019-01-01 = %+v", p)
	}
	// Chains resolve through two steps: 3203 ← 3025 ← 0220+0627+0628.
	if p, err := r.Population(org(5), d("2019-01-01"), figs); err != nil || p.Persons != 93679 {
		t.Errorf("Asker 3203 on 2019-01-01 = %v, %v; want 93679", p.Persons, err)
	}
	if p, err := r.Population(org(6), d("2019-01-01"), figs); err != nil || p.Persons != 681071 || p.Method != samrad.MethodFigure {
		t.Errorf("Oslo = %+v, %v", p, err)
	}
	// A county without its own figure is the sum of its municipalities then.
	// (Røyken 0627 and Hurum 0628 were in Buskerud, 06.)
	if p, err := r.Population(org(7), d("2019-01-01"), figs); err != nil || p.Persons != 61523 || len(p.Parts) != 1 {
		t.Errorf("Akershus 02 on 2019-01-01 = %+v, %v", p, err)
	}
	// Viken did not exist in 2019: its 2020 municipalities (3025, 3053)
	// summed back, including Jevnaker, which was in Oppland then.
	if p, err := r.Population(org(8), d("2019-01-01"), figs); err != nil || p.Persons != 61523+22179+9977+6800 || len(p.Parts) != 4 {
		t.Errorf("Viken 30 on 2019-01-01 = %+v, %v; want Asker's predecessors and Jevnaker", p, err)
	}
	// Heim came from a split and cannot be summed back.
	_, err = r.Population(org(11), d("2019-01-01"), figs)
	var np *samrad.ErrNoPopulation
	if !errors.As(err, &np) || !strings.Contains(err.Error(), "split") {
		t.Errorf("Heim: err = %v, want a split error", err)
	}
	// An organisation that had ended has no population later.
	if _, err := r.Population(org(1), d("2021-01-01"), figs); err == nil {
		t.Error("0220 on 2021-01-01: want an error")
	}
	// A missing figure is never 0.
	if _, err := r.Population(org(6), d("2019-01-01"), samrad.Figures{}); err == nil {
		t.Error("Oslo without figures: want an error")
	}
}

func feeSchedule() samrad.FeeSchedule {
	return samrad.FeeSchedule{
		FromYear: 2017, Population: samrad.PopulationPreviousYear, RoundingUnit: 1,
		Rates:   []samrad.FeeRate{{Category: "municipality", PerInhabitant: 150}, {Category: "county", PerInhabitant: 150}, {Category: "institution", Flat: samrad.NOK(50000)}},
		Members: []samrad.FeeMemberRule{{OrgKind: samrad.KindMunicipality, OrgCode: "0301", MultiplierPermille: 2000}},
	}
}

func member(r *samrad.Registry, id int64, from string, status samrad.MembershipStatus) samrad.Membership {
	o, _ := r.Org(id)
	m := samrad.Membership{ID: id, Org: o, Category: string(o.Kind), Status: status, FromPrecision: samrad.PrecisionUnknown}
	if from != "" {
		m.From, m.FromPrecision = d(from), samrad.PrecisionDay
	}
	return m
}

func TestComputeFees(t *testing.T) {
	r := testRegistry(t)
	figs := samrad.Figures{"0301": 673469, "0220": 61523, "0627": 22179, "0628": 9977}
	ms := []samrad.Membership{
		member(r, 6, "2005-01-01", samrad.StatusConfirmed),
		member(r, 7, "2005-01-01", samrad.StatusConfirmed),
		member(r, 5, "2024-01-01", samrad.StatusConfirmed), // not a member in 2019
	}
	ft, err := samrad.ComputeFees(r, feeSchedule(), 2019, ms, figs)
	if err != nil {
		t.Fatal(err)
	}
	if len(ft.Lines) != 2 {
		t.Fatalf("lines = %d, want 2", len(ft.Lines))
	}
	oslo := ft.Lines[0]
	if oslo.Membership.Org.Code != "0301" || oslo.Fee.String() != "2020407.00" || oslo.Population.Date.String() != "2018-01-01" {
		t.Errorf("Oslo line = %s %s %s, want 0301 2020407.00 on 2018-01-01", oslo.Membership.Org.Code, oslo.Fee, oslo.Population.Date)
	}
	if got := ft.Lines[1].Fee.String(); got != "92284.50" { // 61523 × 1.50
		t.Errorf("Akershus fee = %s, want 92284.50", got)
	}
	if ft.Total != oslo.Fee+ft.Lines[1].Fee {
		t.Errorf("total %s is not the sum of the lines", ft.Total)
	}
}

func TestComputeFeesMissingPopulationNamesEveryMember(t *testing.T) {
	r := testRegistry(t)
	ms := []samrad.Membership{member(r, 6, "2005-01-01", samrad.StatusConfirmed), member(r, 4, "2020-01-01", samrad.StatusConfirmed)}
	_, err := samrad.ComputeFees(r, feeSchedule(), 2021, ms, samrad.Figures{})
	var mp *samrad.MissingPopulationError
	if !errors.As(err, &mp) {
		t.Fatalf("err = %v, want MissingPopulationError", err)
	}
	if len(mp.Missing) != 2 || !strings.Contains(err.Error(), "0301 Oslo") || !strings.Contains(err.Error(), "3025 Asker") || !strings.Contains(err.Error(), "2020-01-01") {
		t.Errorf("error does not name both members and the date: %v", err)
	}
}

func TestComputeFeesPendingProRataRoundingFlat(t *testing.T) {
	r := testRegistry(t)
	figs := samrad.Figures{"0301": 673469, "0220": 61523, "0627": 22179, "0628": 9977}
	uni := samrad.Membership{ID: 99, Org: samrad.Organisation{ID: 99, Kind: samrad.KindInstitution, Code: "oslomet", NameNB: "OsloMet"},
		Category: "institution", Status: samrad.StatusConfirmed, From: d("2019-07-01"), FromPrecision: samrad.PrecisionDay}
	s := feeSchedule()
	s.ProRata, s.RoundingUnit = true, 100
	ms := []samrad.Membership{member(r, 6, "2005-01-01", samrad.StatusPending), uni}
	ft, err := samrad.ComputeFees(r, s, 2019, ms, figs)
	if err != nil {
		t.Fatal(err)
	}
	if len(ft.Pending) != 1 || ft.Pending[0].Org.Code != "0301" {
		t.Errorf("pending = %v, want Oslo", ft.Pending)
	}
	if len(ft.Lines) != 1 || ft.Lines[0].Months != 6 || ft.Lines[0].Fee != samrad.NOK(25000) {
		t.Errorf("flat pro-rata line = %+v, want 6 months and 25000.00", ft.Lines)
	}
	// Rounding half up to whole kroner: 0301 × 1 × 1.50 = 1010203.50 → 1010204.00.
	s = feeSchedule()
	s.Members, s.RoundingUnit = nil, 100
	ft, err = samrad.ComputeFees(r, s, 2019, []samrad.Membership{member(r, 6, "", samrad.StatusConfirmed)}, figs)
	if err != nil {
		t.Fatal(err)
	}
	if got := ft.Lines[0].Fee.String(); got != "1010204.00" {
		t.Errorf("rounded fee = %s, want 1010204.00", got)
	}
}

func TestFeeScheduleValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*samrad.FeeSchedule)
	}{
		{"years reversed", func(s *samrad.FeeSchedule) { s.ToYear = 2010 }},
		{"unknown rule", func(s *samrad.FeeSchedule) { s.Population = "whenever" }},
		{"no rounding", func(s *samrad.FeeSchedule) { s.RoundingUnit = 0 }},
		{"duplicate category", func(s *samrad.FeeSchedule) { s.Rates = append(s.Rates, samrad.FeeRate{Category: "county"}) }},
		{"negative rate", func(s *samrad.FeeSchedule) { s.Rates[0].PerInhabitant = -1 }},
		{"zero multiplier", func(s *samrad.FeeSchedule) { s.Members[0].MultiplierPermille = 0 }},
	} {
		s := feeSchedule()
		tc.edit(&s)
		if err := s.Validate(); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("%s: Validate = %v, want EINVALID", tc.name, err)
		}
	}
	if err := feeSchedule().Validate(); err != nil {
		t.Errorf("valid schedule: %v", err)
	}
}

func TestMoney(t *testing.T) {
	for _, tc := range []struct {
		m             samrad.Money
		plain, nb, en string
	}{
		{202040700, "2020407.00", "2\u00a0020\u00a0407,00", "2,020,407.00"},
		{150, "1.50", "1,50", "1.50"},
		{-5, "-0.05", "-0,05", "-0.05"},
		{0, "0.00", "0,00", "0.00"},
	} {
		if tc.m.String() != tc.plain || tc.m.Norwegian() != tc.nb || tc.m.English() != tc.en {
			t.Errorf("%d: %q %q %q", int64(tc.m), tc.m.String(), tc.m.Norwegian(), tc.m.English())
		}
	}
	for in, want := range map[string]samrad.Money{"1.50": 150, "1,5": 150, "2 020 407": 202040700, "-3.1": -310, "92233720368547758.07": math.MaxInt64} {
		if got, err := samrad.ParseMoney(in); err != nil || got != want {
			t.Errorf("ParseMoney(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "1.505", "1e3", "abc", "1.", "4000000000000000000", "92233720368547758.08", "-92233720368547758.08"} {
		if _, err := samrad.ParseMoney(bad); err == nil {
			t.Errorf("ParseMoney(%q): want an error", bad)
		}
	}
}

func TestDates(t *testing.T) {
	for _, bad := range []string{"2023-02-30", "2021-13-01", "21-01-01", "2021-1-1", "", "0001-01-01", "0000-01-01", "0999-12-31"} {
		if _, err := samrad.ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q): want an error", bad)
		}
	}
	if got := d("2020-01-01").AddDays(-1).String(); got != "2019-12-31" {
		t.Errorf("AddDays = %s", got)
	}
	if !d("2020-06-01").Within(samrad.Date{}, d("2020-12-31")) || d("2021-01-01").Within(d("2020-01-01"), d("2020-12-31")) {
		t.Error("Within is wrong")
	}
	if got := d("1992-01-01").FormatAs(samrad.PrecisionYear); got != "1992" {
		t.Errorf("FormatAs year = %q", got)
	}
}

func TestValidateOrgNumber(t *testing.T) {
	for _, ok := range []string{"974760673", "971524960"} {
		if err := samrad.ValidateOrgNumber(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"974760674", "97476067", "97476067a", "9747606730"} {
		if err := samrad.ValidateOrgNumber(bad); err == nil {
			t.Errorf("%s: want an error", bad)
		}
	}
}

func TestMembershipActiveOn(t *testing.T) {
	r := testRegistry(t)
	o, _ := r.Org(4)
	attested := samrad.Membership{Org: o, FromPrecision: samrad.PrecisionUnknown, AttestedOn: d("2021-01-01")}
	if attested.ActiveOn(d("2020-06-01")) || !attested.ActiveOn(d("2021-01-01")) {
		t.Error("an unknown start counts from the attested day")
	}
	unattested := samrad.Membership{Org: o, FromPrecision: samrad.PrecisionUnknown}
	if !unattested.ActiveOn(d("2020-01-01")) || unattested.ActiveOn(d("2019-12-31")) {
		t.Error("an unknown, unattested start counts while the organisation exists")
	}
	ended := samrad.Membership{Org: o, From: d("2020-01-01"), FromPrecision: samrad.PrecisionDay, To: d("2023-12-31")}
	if ended.ActiveOn(d("2024-01-01")) || !ended.ActiveOn(d("2023-12-31")) {
		t.Error("the last day is inclusive")
	}
}

func TestTally(t *testing.T) {
	a := samrad.Organisation{Code: "0301"}
	votes := []samrad.Vote{
		{Member: a, Choice: samrad.VoteYes, Weight: 2},
		{Member: a, Choice: samrad.VoteNo, Weight: 1},
		{Member: a, Choice: samrad.VoteAbstain, Weight: 1},
		{Member: a, Conflict: true, Weight: 1},
	}
	r := samrad.Tally(votes)
	if !r.Adopted || r.Yes != 2 || r.No != 1 || r.Abstain != 1 || len(r.Conflicts) != 1 || r.Voters != 3 {
		t.Errorf("Tally = %+v", r)
	}
	if got := r.Explain("nb"); got != "Vedtatt med 2 mot 1 stemmer, 1 avsto; 1 medlem(mer) inhabil(e)." {
		t.Errorf("Explain = %q", got)
	}
	tie := samrad.Tally([]samrad.Vote{{Choice: samrad.VoteYes, Weight: 1}, {Choice: samrad.VoteNo, Weight: 1}})
	if tie.Adopted || tie.Explain("en") != "Not adopted: 1 votes for and 1 against." {
		t.Errorf("a tie is not adopted: %+v %q", tie, tie.Explain("en"))
	}
	if !samrad.MeetingPlanned.CanMoveTo(samrad.MeetingNoticeSent) || samrad.MeetingPlanned.CanMoveTo(samrad.MeetingHeld) || samrad.MeetingHeld.CanMoveTo(samrad.MeetingPlanned) {
		t.Error("meeting status moves one step forward only")
	}
}

func TestParseCaseNumber(t *testing.T) {
	for in, want := range map[string][2]int{"24/2017": {24, 2017}, "47/16": {47, 2016}, " sak 3 / 2024 ": {3, 2024}} {
		n, y, err := samrad.ParseCaseNumber(in)
		if err != nil || n != want[0] || y != want[1] {
			t.Errorf("ParseCaseNumber(%q) = %d, %d, %v; want %v", in, n, y, err, want)
		}
	}
	for _, in := range []string{"", "24", "0/2017", "x/2017", "24/17a", "24/1850"} {
		if _, _, err := samrad.ParseCaseNumber(in); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("ParseCaseNumber(%q): %v, want EINVALID", in, err)
		}
	}
}
