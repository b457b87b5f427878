package registry

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

func mustLoad(t *testing.T) ([]Org, []Change) {
	t.Helper()
	orgs, err := Organisations()
	if err != nil {
		t.Fatalf("Organisations: %v", err)
	}
	changes, err := Changes()
	if err != nil {
		t.Fatalf("Changes: %v", err)
	}
	if len(orgs) == 0 || len(changes) == 0 {
		t.Fatalf("empty registry: %d organisations, %d changes", len(orgs), len(changes))
	}
	return orgs, changes
}

func dayBefore(t *testing.T, date string) string {
	t.Helper()
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		t.Fatalf("bad date %q: %v", date, err)
	}
	return d.AddDate(0, 0, -1).Format(time.DateOnly)
}

// at returns the organisation of kind with code valid on date.
func at(orgs []Org, kind, code, date string) (Org, int) {
	var found Org
	n := 0
	for _, o := range orgs {
		if o.Kind == kind && o.Code == code && o.ValidOn(date) {
			found = o
			n++
		}
	}
	return found, n
}

func countOn(orgs []Org, kind, date string) int {
	n := 0
	for _, o := range orgs {
		if o.Kind == kind && o.ValidOn(date) {
			n++
		}
	}
	return n
}

var dateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

func TestWellFormed(t *testing.T) {
	orgs, changes := mustLoad(t)
	for _, o := range orgs {
		want := map[string]int{"municipality": 4, "county": 2}[o.Kind]
		if want == 0 || len(o.Code) != want || strings.Trim(o.Code, "0123456789") != "" {
			t.Errorf("bad kind or code: %+v", o)
		}
		if o.Name == "" || strings.TrimSpace(o.Name) != o.Name || strings.Contains(o.Name, "  ") {
			t.Errorf("bad name: %+v", o)
		}
		if regexp.MustCompile(`\(\d{4}-|-\d{4}\)`).MatchString(o.Name) {
			t.Errorf("name keeps a validity tag: %+v", o)
		}
		for _, d := range []string{o.ValidFrom, o.ValidTo} {
			if d != "" && !dateRE.MatchString(d) {
				t.Errorf("bad date %q: %+v", d, o)
			}
		}
		if o.ValidFrom != "" && !strings.HasSuffix(o.ValidFrom, "-01-01") || o.ValidTo != "" && !strings.HasSuffix(o.ValidTo, "-12-31") {
			t.Errorf("periods should run from 1 January to 31 December: %+v", o)
		}
		if o.ValidFrom != "" && o.ValidTo != "" && o.ValidFrom > o.ValidTo {
			t.Errorf("period ends before it starts: %+v", o)
		}
	}
	kinds := map[string]bool{"merge": true, "renumbering": true, "name_change": true, "split": true, "transfer": true}
	for _, c := range changes {
		if !kinds[c.Change] || c.Kind != "municipality" && c.Kind != "county" {
			t.Errorf("bad change: %+v", c)
		}
		if !dateRE.MatchString(c.Date) || !strings.HasSuffix(c.Date, "-01-01") {
			t.Errorf("changes take effect on 1 January: %+v", c)
		}
		if c.OldCode == c.NewCode && c.Change != "name_change" && c.OldName == c.NewName {
			t.Errorf("change without a change: %+v", c)
		}
	}
}

func TestSorted(t *testing.T) {
	orgs, changes := mustLoad(t)
	if !sort.SliceIsSorted(orgs, func(i, j int) bool {
		a, b := orgs[i], orgs[j]
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if a.Code != b.Code {
			return a.Code < b.Code
		}
		return a.ValidFrom < b.ValidFrom
	}) {
		t.Error("organisations are not sorted by kind, code and first day")
	}
	if !sort.SliceIsSorted(changes, func(i, j int) bool {
		a, b := changes[i], changes[j]
		switch {
		case a.Kind != b.Kind:
			return a.Kind < b.Kind
		case a.Date != b.Date:
			return a.Date < b.Date
		case a.OldCode != b.OldCode:
			return a.OldCode < b.OldCode
		default:
			return a.NewCode < b.NewCode
		}
	}) {
		t.Error("changes are not sorted by kind, date, old code and new code")
	}
}

func TestCountsOnDates(t *testing.T) {
	orgs, _ := mustLoad(t)
	for _, tc := range []struct {
		date                   string
		municipalities, counts int
	}{
		// Known numbers of municipalities and counties on 1 January.
		{"2024-01-01", 357, 15},
		{"2023-01-01", 356, 11},
		{"2020-01-01", 356, 11},
		{"2019-01-01", 422, 18}, // SSB's 2019 population table lists 422
		{"2018-01-01", 422, 18},
		{"2017-01-01", 426, 19},
		{"2013-01-01", 428, 19},
		{"2012-01-01", 429, 19},
		{"2011-01-01", 430, 19},
		{"2008-01-01", 430, 19},
		{"2006-01-01", 431, 19},
		{"2005-01-01", 433, 19},
		{"2002-01-01", 434, 19},
	} {
		if n := countOn(orgs, "municipality", tc.date); n != tc.municipalities {
			t.Errorf("municipalities on %s: got %d, want %d", tc.date, n, tc.municipalities)
		}
		if n := countOn(orgs, "county", tc.date); n != tc.counts {
			t.Errorf("counties on %s: got %d, want %d", tc.date, n, tc.counts)
		}
	}
}

func TestCounties2024(t *testing.T) {
	orgs, _ := mustLoad(t)
	want := map[string]string{
		"03": "Oslo", "11": "Rogaland", "15": "Møre og Romsdal", "18": "Nordland",
		"31": "Østfold", "32": "Akershus", "33": "Buskerud", "34": "Innlandet",
		"39": "Vestfold", "40": "Telemark", "42": "Agder", "46": "Vestland",
		"50": "Trøndelag", "55": "Troms", "56": "Finnmark",
	}
	for code, name := range want {
		o, n := at(orgs, "county", code, "2024-01-01")
		if n != 1 || o.Name != name {
			t.Errorf("county %s on 2024-01-01: got %d × %+v, want %s", code, n, o, name)
		}
	}
	periods := []struct{ code, name, from, to string }{
		{"01", "Østfold", "", "2019-12-31"},
		{"14", "Sogn og Fjordane", "", "2019-12-31"},
		{"16", "Sør-Trøndelag", "", "2017-12-31"},
		{"17", "Nord-Trøndelag", "", "2017-12-31"},
		{"50", "Trøndelag", "2018-01-01", ""},
		{"03", "Oslo", "", ""},
		{"30", "Viken", "2020-01-01", "2023-12-31"},
		{"38", "Vestfold og Telemark", "2020-01-01", "2023-12-31"},
		{"54", "Troms og Finnmark", "2020-01-01", "2023-12-31"},
		{"34", "Innlandet", "2020-01-01", ""},
		{"31", "Østfold", "2024-01-01", ""},
	}
	for _, p := range periods {
		found := false
		for _, o := range orgs {
			if o.Kind == "county" && o.Code == p.code && o.ValidFrom == p.from {
				found = true
				if o.Name != p.name || o.ValidTo != p.to {
					t.Errorf("county %s: got %+v, want %s %s–%s", p.code, o, p.name, p.from, p.to)
				}
			}
		}
		if !found {
			t.Errorf("county %s from %q missing", p.code, p.from)
		}
	}
}

func TestNoOverlappingPeriods(t *testing.T) {
	orgs, _ := mustLoad(t)
	byCode := map[string][]Org{}
	for _, o := range orgs {
		byCode[o.Kind+"/"+o.Code] = append(byCode[o.Kind+"/"+o.Code], o)
	}
	for k, list := range byCode {
		sort.Slice(list, func(i, j int) bool { return list[i].ValidFrom < list[j].ValidFrom })
		for i := 1; i < len(list); i++ {
			a, b := list[i-1], list[i]
			if a.ValidTo == "" || b.ValidFrom == "" || a.ValidTo >= b.ValidFrom {
				t.Errorf("%s: overlapping periods %+v and %+v", k, a, b)
			}
		}
	}
}

// TestChangesReferToOrganisations checks that the old organisation of every
// change is valid the day before the date and the new one on the date.
func TestChangesReferToOrganisations(t *testing.T) {
	orgs, changes := mustLoad(t)
	seen := map[Change]bool{}
	for _, c := range changes {
		if seen[c] {
			t.Errorf("duplicate change %+v", c)
		}
		seen[c] = true
		old, n := at(orgs, c.Kind, c.OldCode, dayBefore(t, c.Date))
		if n != 1 || old.Name != c.OldName {
			t.Errorf("change %+v: old organisation on the day before: %d × %+v", c, n, old)
		}
		nw, n := at(orgs, c.Kind, c.NewCode, c.Date)
		if n != 1 || nw.Name != c.NewName {
			t.Errorf("change %+v: new organisation on the date: %d × %+v", c, n, nw)
		}
		if c.Kind == "municipality" && nw.ValidFrom != "" && nw.ValidFrom > c.Date {
			t.Errorf("change %+v: successor starts after the change", c)
		}
	}
}

// TestChangeKinds checks the kinds against the shape of the changes.
func TestChangeKinds(t *testing.T) {
	orgs, changes := mustLoad(t)
	type key struct{ kind, date, code string }
	out := map[key][]Change{}
	in := map[key][]Change{}
	for _, c := range changes {
		out[key{c.Kind, c.Date, c.OldCode}] = append(out[key{c.Kind, c.Date, c.OldCode}], c)
		in[key{c.Kind, c.Date, c.NewCode}] = append(in[key{c.Kind, c.Date, c.NewCode}], c)
	}
	continues := func(kind, code, date string) bool {
		a, _ := at(orgs, kind, code, dayBefore(t, date))
		b, n := at(orgs, kind, code, date)
		return n == 1 && a == b
	}
	for _, c := range changes {
		preds := map[string]bool{}
		for _, p := range in[key{c.Kind, c.Date, c.NewCode}] {
			if p.Change != "transfer" {
				preds[p.OldCode] = true
			}
		}
		if continues(c.Kind, c.NewCode, c.Date) {
			preds[c.NewCode] = true
		}
		var succ []Change
		for _, s := range out[key{c.Kind, c.Date, c.OldCode}] {
			if s.Change != "transfer" {
				succ = append(succ, s)
			}
		}
		oldGoesOn := continues(c.Kind, c.OldCode, c.Date)
		switch c.Change {
		case "merge":
			if len(preds) < 2 {
				t.Errorf("merge with one predecessor: %+v", c)
			}
		case "renumbering":
			if len(preds) != 1 || len(succ) != 1 || c.OldCode == c.NewCode || oldGoesOn {
				t.Errorf("renumbering is not 1:1: %+v", c)
			}
		case "name_change":
			if c.OldCode != c.NewCode || c.OldName == c.NewName {
				t.Errorf("bad name change: %+v", c)
			}
		case "split":
			if len(succ) < 2 && !oldGoesOn {
				t.Errorf("split with one successor: %+v", c)
			}
		case "transfer":
			if !oldGoesOn && len(succ) == 0 {
				t.Errorf("transfer from an organisation that ends without a main successor: %+v", c)
			}
		}
	}
}

// TestEveryEndHasASuccessor checks that no organisation simply disappears and
// that organisations starting inside the data have a predecessor.
func TestEveryEndHasASuccessor(t *testing.T) {
	orgs, changes := mustLoad(t)
	out := map[string]bool{}
	in := map[string]bool{}
	for _, c := range changes {
		out[c.Kind+"/"+c.OldCode+"/"+dayBefore(t, c.Date)] = true
		in[c.Kind+"/"+c.NewCode+"/"+c.Date] = true
	}
	// SSB labels 0701 "Horten (2002-2019)": the code was called Borre
	// before 2002, a name the sources do not have.
	noPredecessor := map[string]bool{"municipality/0701": true}
	for _, o := range orgs {
		if o.ValidTo != "" && !out[o.Kind+"/"+o.Code+"/"+o.ValidTo] {
			t.Errorf("%+v ends without a successor", o)
		}
		if o.ValidFrom >= "1995-01-01" && !in[o.Kind+"/"+o.Code+"/"+o.ValidFrom] && !noPredecessor[o.Kind+"/"+o.Code] {
			t.Errorf("%+v starts without a predecessor", o)
		}
	}
}

// TestCountyPrefix checks that the first two digits of a municipality code
// give a county valid throughout the municipality's period.
func TestCountyPrefix(t *testing.T) {
	orgs, _ := mustLoad(t)
	for _, o := range orgs {
		if o.Kind != "municipality" {
			continue
		}
		for _, d := range []string{o.ValidFrom, o.ValidTo} {
			if d == "" {
				continue
			}
			if _, n := at(orgs, "county", o.Code[:2], d); n != 1 {
				t.Errorf("%+v: no county %s on %s", o, o.Code[:2], d)
			}
		}
		for _, c := range orgs {
			if c.Kind != "county" || c.Code != o.Code[:2] {
				continue
			}
			if o.ValidFrom == "" && c.ValidFrom != "" && o.ValidOn(dayBefore(t, c.ValidFrom)) {
				t.Errorf("%+v existed before its county %+v", o, c)
			}
			if o.ValidTo == "" && c.ValidTo != "" && o.ValidOn(c.ValidTo) {
				t.Errorf("%+v outlives its county %+v", o, c)
			}
		}
	}
}

// successors lists the changes out of code on date as "kind→code".
func successors(changes []Change, kind, code, date string) []string {
	var out []string
	for _, c := range changes {
		if c.Kind == kind && c.OldCode == code && c.Date == date {
			out = append(out, c.Change+"→"+c.NewCode)
		}
	}
	slices.Sort(out)
	return out
}

func predecessors(changes []Change, kind, code, date string) []string {
	var out []string
	for _, c := range changes {
		if c.Kind == kind && c.NewCode == code && c.Date == date {
			out = append(out, c.OldCode+"→"+c.Change)
		}
	}
	slices.Sort(out)
	return out
}

func TestKnownChanges(t *testing.T) {
	orgs, changes := mustLoad(t)
	for _, tc := range []struct {
		kind, code, date string
		want             []string
	}{
		{"municipality", "0220", "2020-01-01", []string{"merge→3025"}},
		{"municipality", "0627", "2020-01-01", []string{"merge→3025"}},
		{"municipality", "0628", "2020-01-01", []string{"merge→3025"}},
		{"municipality", "3025", "2024-01-01", []string{"renumbering→3203"}},
		{"municipality", "0231", "2020-01-01", []string{"merge→3030"}},
		{"municipality", "0227", "2020-01-01", []string{"merge→3030"}},
		{"municipality", "3030", "2024-01-01", []string{"renumbering→3205"}},
		{"municipality", "0219", "2020-01-01", []string{"renumbering→3024"}},
		{"municipality", "3024", "2024-01-01", []string{"renumbering→3201"}},
		{"municipality", "0532", "2020-01-01", []string{"renumbering→3053"}},
		{"municipality", "3053", "2024-01-01", []string{"renumbering→3236"}},
		{"municipality", "5012", "2020-01-01", []string{"split→5055", "split→5056", "split→5059"}},
		{"municipality", "1507", "2024-01-01", []string{"split→1508", "split→1580"}},
		{"municipality", "1534", "2020-01-01", []string{"merge→1507"}},
		{"municipality", "1850", "2020-01-01", []string{"split→1806", "split→1875"}},
		{"municipality", "1601", "2018-01-01", []string{"renumbering→5001"}},
		{"municipality", "1567", "2019-01-01", []string{"renumbering→5061"}},
		{"municipality", "1940", "2020-01-01", []string{"renumbering→5426"}},
		{"county", "30", "2024-01-01", []string{"split→31", "split→32", "split→33"}},
		{"county", "38", "2024-01-01", []string{"split→39", "split→40"}},
		{"county", "54", "2024-01-01", []string{"split→55", "split→56"}},
		{"county", "16", "2018-01-01", []string{"merge→50"}},
		{"county", "17", "2018-01-01", []string{"merge→50"}},
		{"county", "05", "2020-01-01", []string{"merge→34", "transfer→30"}},
		{"county", "07", "2020-01-01", []string{"merge→38", "transfer→30"}},
		{"county", "14", "2020-01-01", []string{"merge→46", "transfer→15"}},
		{"county", "15", "2020-01-01", []string{"transfer→50"}},
		{"county", "18", "2020-01-01", []string{"transfer→54"}},
	} {
		if got := successors(changes, tc.kind, tc.code, tc.date); !slices.Equal(got, tc.want) {
			t.Errorf("%s %s on %s: got %v, want %v", tc.kind, tc.code, tc.date, got, tc.want)
		}
	}
	for _, tc := range []struct {
		kind, code, date string
		want             []string
	}{
		{"municipality", "3025", "2020-01-01", []string{"0220→merge", "0627→merge", "0628→merge"}},
		{"municipality", "3030", "2020-01-01", []string{"0226→merge", "0227→merge", "0231→merge"}},
		{"county", "30", "2020-01-01", []string{"01→merge", "02→merge", "05→transfer", "06→merge", "07→transfer"}},
		{"county", "34", "2020-01-01", []string{"04→merge", "05→merge"}},
		{"county", "42", "2020-01-01", []string{"09→merge", "10→merge"}},
		{"county", "46", "2020-01-01", []string{"12→merge", "14→merge"}},
		{"county", "54", "2020-01-01", []string{"18→transfer", "19→merge", "20→merge"}},
	} {
		if got := predecessors(changes, tc.kind, tc.code, tc.date); !slices.Equal(got, tc.want) {
			t.Errorf("%s %s on %s: predecessors %v, want %v", tc.kind, tc.code, tc.date, got, tc.want)
		}
	}
	// Oslo keeps its code throughout.
	var oslo []Org
	for _, o := range orgs {
		if o.Kind == "municipality" && o.Code == "0301" {
			oslo = append(oslo, o)
		}
	}
	if len(oslo) != 1 || oslo[0].Name != "Oslo" || oslo[0].ValidFrom != "" || oslo[0].ValidTo != "" {
		t.Errorf("Oslo 0301: got %+v", oslo)
	}
	for _, c := range changes {
		if c.Kind == "municipality" && (c.OldCode == "0301" || c.NewCode == "0301") {
			t.Errorf("unexpected change for Oslo: %+v", c)
		}
	}
}

func TestKnownPeriods(t *testing.T) {
	orgs, _ := mustLoad(t)
	for _, tc := range []struct{ code, name, from, to string }{
		{"0220", "Asker", "", "2019-12-31"},
		{"3025", "Asker", "2020-01-01", "2023-12-31"},
		{"3203", "Asker", "2024-01-01", ""},
		{"0532", "Jevnaker", "", "2019-12-31"},
		{"3053", "Jevnaker", "2020-01-01", "2023-12-31"},
		{"3236", "Jevnaker", "2024-01-01", ""},
		{"1507", "Ålesund", "2020-01-01", "2023-12-31"},
		{"1508", "Ålesund", "2024-01-01", ""},
		{"1580", "Haram", "2024-01-01", ""},
		{"1534", "Haram", "", "2019-12-31"},
		{"5012", "Snillfjord", "2018-01-01", "2019-12-31"},
		{"5001", "Trondheim - Tråante", "2018-01-01", ""},
		{"5061", "Rindal", "2019-01-01", ""},
		{"1103", "Stavanger", "", ""},
		{"3018", "Våler (Viken)", "2020-01-01", "2023-12-31"},
		{"3114", "Våler (Østfold)", "2024-01-01", ""},
		{"0716", "Våle", "", "2001-12-31"},
		{"0716", "Re", "2002-01-01", "2019-12-31"},
	} {
		found := false
		for _, o := range orgs {
			if o.Kind == "municipality" && o.Code == tc.code && o.Name == tc.name {
				found = true
				if o.ValidFrom != tc.from || o.ValidTo != tc.to {
					t.Errorf("%s %s: period %q–%q, want %q–%q", tc.code, tc.name, o.ValidFrom, o.ValidTo, tc.from, tc.to)
				}
			}
		}
		if !found {
			t.Errorf("%s %s missing", tc.code, tc.name)
		}
	}
}
