package main

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// Organisation kinds and change kinds, as package registry spells them.
const (
	kindMunicipality = "municipality"
	kindCounty       = "county"

	changeMerge       = "merge"
	changeRenumbering = "renumbering"
	changeNameChange  = "name_change"
	changeSplit       = "split"
	changeTransfer    = "transfer"
)

// documentedSplits are splits that SSB's change list for the municipality
// classification (KLASS 131) states and that neither the KommSummer grouping
// (which puts split municipalities in K.Rest) nor the wide table shows in
// full. They are taken from the KLASS notes that come with the sources and
// are added to whatever the wide table shows for the same code and year.
var documentedSplits = []struct {
	old  string
	year int // year of the first day of the successors
	new  []string
}{
	{"5012", 2020, []string{"5055", "5056", "5059"}}, // Snillfjord → Heim, Hitra, Orkland
	{"1571", 2020, []string{"5055", "1566"}},         // Halsa → Heim, Surnadal
}

// org is one organisation during one period of one code. Periods are whole
// calendar years: from is the first year (0 = existed before the data
// starts, or unknown), to is the last year (0 = still valid).
type org struct {
	kind, code, name string
	group            string // KommSummer group (2024 successor code) of a municipality
	from, to         int
	explicitFrom     bool // from comes from SSB's validity tag
}

func (o *org) validIn(y int) bool {
	return (o.from == 0 || o.from <= y) && (o.to == 0 || o.to >= y)
}

func (o *org) String() string {
	return fmt.Sprintf("%s %s (%s)", o.code, o.name, yearRange(o.from, o.to))
}

func yearRange(from, to int) string {
	s := ""
	if from != 0 {
		s = fmt.Sprint(from)
	}
	s += "-"
	if to != 0 {
		s += fmt.Sprint(to)
	}
	return s
}

// change links old (valid on 31 December of year-1) to new (valid on
// 1 January of year).
type change struct {
	year     int
	old, new *org
	kind     string // "" until classified
}

type changeID struct {
	year     int
	old, new *org
}

type deriver struct {
	src        *sources
	munis      []*org
	counties   []*org
	muniByCode map[string][]*org
	ctyByCode  map[string][]*org
	wideHas    map[int]map[string]bool        // year → codes in the wide table
	wideSucc   map[*org]map[int]map[*org]bool // old → year → successors
	changes    []*change
	changeKey  map[changeID]*change
	notes      []string
}

// Result is the generated data.
type Result struct {
	Organisations []byte // organisations.csv
	Changes       []byte // changes.csv
	OrgCount      int
	ChangeCount   int
	Notes         []string // inconsistencies found in the sources and how they were resolved
}

// Generate reads the source files from fsys and derives both CSV files.
func Generate(fsys fs.FS) (*Result, error) {
	src, err := readSources(fsys)
	if err != nil {
		return nil, err
	}
	d := &deriver{
		src:        src,
		muniByCode: map[string][]*org{},
		ctyByCode:  map[string][]*org{},
		wideHas:    map[int]map[string]bool{},
		wideSucc:   map[*org]map[int]map[*org]bool{},
		changeKey:  map[changeID]*change{},
	}
	steps := []func() error{
		d.buildMunicipalities,
		d.buildCounties,
		d.inferMunicipalityStarts,
		d.checkPeriods,
		d.municipalityChanges,
		d.reestablishedSplits,
		func() error { d.classify(kindMunicipality); return nil },
		d.countyChanges,
		func() error { d.classify(kindCounty); return nil },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return d.output()
}

func (d *deriver) note(format string, args ...any) {
	d.notes = append(d.notes, fmt.Sprintf(format, args...))
}

func (d *deriver) muniAt(code string, y int) *org {
	for _, o := range d.muniByCode[code] {
		if o.validIn(y) {
			return o
		}
	}
	return nil
}

func (d *deriver) countyAt(code string, y int) *org {
	for _, o := range d.ctyByCode[code] {
		if o.validIn(y) {
			return o
		}
	}
	return nil
}

func sortOrgs(list []*org) {
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if a.kind != b.kind {
			return a.kind < b.kind
		}
		if a.code != b.code {
			return a.code < b.code
		}
		return a.from < b.from
	})
}

// buildMunicipalities creates one organisation per KommSummer line.
func (d *deriver) buildMunicipalities() error {
	for _, e := range d.src.komm {
		o := &org{kind: kindMunicipality, code: e.code, name: e.name, group: e.group,
			from: e.from, to: e.to, explicitFrom: e.from != 0}
		d.munis = append(d.munis, o)
		d.muniByCode[e.code] = append(d.muniByCode[e.code], o)
	}
	sortOrgs(d.munis)
	for _, row := range d.src.wide {
		for i, code := range row {
			y := wideFirst + i
			if d.wideHas[y] == nil {
				d.wideHas[y] = map[string]bool{}
			}
			d.wideHas[y][code] = true
		}
	}
	return nil
}

// buildCounties derives the county periods from the county lists of 2017,
// 2019, 2020 and 2024. A county that appears or disappears between two lists
// takes its first or last year from the validity tags of the municipalities
// whose codes start with its number (municipality codes begin with the
// county number); without such a tag the later list's year is used.
func (d *deriver) buildCounties() error {
	snaps := append([]countySnapshot(nil), d.src.snapshots...)
	sort.Slice(snaps, func(i, j int) bool { return snaps[i].year < snaps[j].year })
	codes := map[string]bool{}
	for _, s := range snaps {
		for c := range s.names {
			codes[c] = true
		}
	}
	for _, code := range sortedKeys(codes) {
		var present []int
		for i, s := range snaps {
			if _, ok := s.names[code]; ok {
				present = append(present, i)
			}
		}
		first, last := present[0], present[len(present)-1]
		if last-first+1 != len(present) {
			return fmt.Errorf("county %s is missing from a county list between %d and %d", code, snaps[first].year, snaps[last].year)
		}
		o := &org{kind: kindCounty, code: code, name: snaps[last].names[code]}
		if first > 0 {
			lo, hi := snaps[first-1].year+1, snaps[first].year
			o.from = hi
			for _, m := range d.munis {
				if strings.HasPrefix(m.code, code) && m.explicitFrom && m.from >= lo && m.from < o.from {
					o.from = m.from
				}
			}
		}
		if last < len(snaps)-1 {
			lo, hi := snaps[last].year, snaps[last+1].year-1
			o.to = 0
			for _, m := range d.munis {
				if strings.HasPrefix(m.code, code) && m.to >= lo && m.to <= hi && m.to > o.to {
					o.to = m.to
				}
			}
			if o.to == 0 {
				o.to = hi
			}
		}
		for _, s := range snaps[first : last+1] {
			if n := s.names[code]; n != o.name {
				d.note("county %s is called %q in the %d list and %q later; using the later name", code, n, s.year, o.name)
			}
		}
		d.counties = append(d.counties, o)
		d.ctyByCode[code] = append(d.ctyByCode[code], o)
	}
	return nil
}

var qualifierRE = regexp.MustCompile(`\s*\([^)]*\)`)

// sameName reports whether two municipality names denote the same
// municipality: equal after dropping county qualifiers in brackets, or
// sharing one of the parallel names of a Sami/Kven name ("Trondheim" and
// "Trondheim - Tråante").
func sameName(a, b string) bool {
	parts := func(s string) []string {
		s = qualifierRE.ReplaceAllString(s, "")
		var out []string
		for _, p := range strings.Split(s, " - ") {
			if p = strings.ToLower(strings.TrimSpace(p)); p != "" {
				out = append(out, p)
			}
		}
		return out
	}
	for _, x := range parts(a) {
		for _, y := range parts(b) {
			if x == y {
				return true
			}
		}
	}
	return false
}

// inferMunicipalityStarts sets the first year of codes whose KommSummer
// label has no start year. In order:
//   - a code cannot start before its county (the first two digits) existed;
//   - a code cannot overlap an earlier period of the same municipality: the
//     same code, or a code of the same KommSummer group with the same name;
//   - SSB's 2019 code list says whether the code existed on 1 January 2019;
//   - the wide table gives the first year 2012–2020 when a code appears there
//     after 2011, provided that agrees with the bounds above;
//   - a code valid after 2020 that is absent from the (complete) 2020 column
//     of the wide table started on the first change date after 2020.
func (d *deriver) inferMunicipalityStarts() error {
	// First days after the wide table: the day after a tagged last year, or
	// the first day of a county.
	later := map[int]bool{}
	for _, o := range d.munis {
		if o.to != 0 && o.to+1 > wideLast {
			later[o.to+1] = true
		}
	}
	for _, c := range d.counties {
		if c.from > wideLast {
			later[c.from] = true
		}
	}
	laterStarts := sortedKeys(later)
	for _, o := range d.munis {
		if o.from != 0 {
			continue
		}
		lower, upper := 0, 0
		if cs := d.ctyByCode[o.code[:2]]; len(cs) == 0 {
			d.note("municipality %s: no county %s in the county lists", o, o.code[:2])
		} else {
			lower = cs[0].from
			for _, c := range cs[1:] {
				if c.from < lower {
					lower = c.from
				}
			}
		}
		for _, p := range d.munis {
			if p == o || p.to == 0 || (o.to != 0 && p.to >= o.to) {
				continue
			}
			if p.code == o.code || p.group == o.group && sameName(p.name, o.name) {
				lower = max(lower, p.to+1)
			}
		}
		in2019 := d.src.list2019[o.code]
		if o.to == 0 || o.to >= listYear {
			if in2019 {
				upper = listYear
			} else if o.to == 0 || o.to > listYear {
				lower = max(lower, listYear+1)
			}
		}
		first := 0
		hi := wideLast
		if o.to != 0 && o.to < hi {
			hi = o.to
		}
		for y := max(lower, wideFirst); y <= hi; y++ {
			if d.wideHas[y][o.code] {
				first = y
				break
			}
		}
		from := lower
		switch {
		case first == 0 && (o.to == 0 || o.to > wideLast) && lower <= wideLast:
			// Valid after 2020 but not in the 2020 list: started later.
			from = 0
			for _, y := range laterStarts {
				if y > wideLast && y >= lower {
					from = y
					break
				}
			}
			switch {
			case upper != 0:
				d.note("municipality %s is missing from the wide table although SSB's 2019 list has it; first year left at %s", o, yearOrUnknown(lower))
				from = lower
			case from == 0:
				d.note("municipality %s is missing from the wide table and no change date after %d fits; first year left at %s", o, wideLast, yearOrUnknown(lower))
				from = lower
			}
		case first > wideFirst && first > lower:
			if upper != 0 && first > upper {
				d.note("municipality %s first appears in the wide table in %d, but SSB's 2019 list has it; the wide table lacks its own row, first year set to %s", o, first, yearOrUnknown(lower))
			} else {
				from = first
			}
		}
		o.from = from
	}
	return nil
}

func yearOrUnknown(y int) string {
	if y == 0 {
		return "unknown"
	}
	return fmt.Sprint(y)
}

// checkPeriods rejects overlapping periods of one code and reports where the
// wide table and SSB's 2019 list disagree with the derived periods.
func (d *deriver) checkPeriods() error {
	for _, m := range []map[string][]*org{d.muniByCode, d.ctyByCode} {
		for _, code := range sortedKeys(m) {
			list := m[code]
			sort.Slice(list, func(i, j int) bool { return list[i].from < list[j].from })
			for i := 1; i < len(list); i++ {
				a, b := list[i-1], list[i]
				if a.to == 0 || b.from == 0 || a.to >= b.from {
					return fmt.Errorf("overlapping periods for code %s: %s and %s", code, a, b)
				}
			}
		}
	}
	// Cells of the wide table outside every period of their code.
	bad := map[string][]int{}
	for y := wideFirst; y <= wideLast; y++ {
		for code := range d.wideHas[y] {
			if d.muniAt(code, y) == nil {
				bad[code] = append(bad[code], y)
			}
		}
	}
	for _, code := range sortedKeys(bad) {
		ys := bad[code]
		sort.Ints(ys)
		d.note("wide table lists %s in %s, outside every period of that code; those cells are ignored", code, yearsText(ys))
	}
	// Periods within 2011–2020 the wide table does not show.
	for _, o := range d.munis {
		var miss []int
		for y := wideFirst; y <= wideLast; y++ {
			if o.validIn(y) && !d.wideHas[y][o.code] {
				miss = append(miss, y)
			}
		}
		if len(miss) > 0 {
			d.note("wide table lacks %s in %s; SSB's KommSummer periods are used", o, yearsText(miss))
		}
	}
	// SSB's list of 1 January 2019.
	valid := map[string]bool{}
	for _, o := range d.munis {
		if o.validIn(2019) {
			valid[o.code] = true
		}
	}
	for _, code := range sortedKeys(valid) {
		if !d.src.list2019[code] {
			d.note("municipality %s is valid in 2019 by its period but not in SSB's 2019 list", code)
		}
	}
	for _, code := range sortedKeys(d.src.list2019) {
		if !valid[code] {
			d.note("SSB's 2019 list has %s, which no derived period covers", code)
		}
	}
	return nil
}

func yearsText(ys []int) string {
	var parts []string
	for i := 0; i < len(ys); {
		j := i
		for j+1 < len(ys) && ys[j+1] == ys[j]+1 {
			j++
		}
		if i == j {
			parts = append(parts, fmt.Sprint(ys[i]))
		} else {
			parts = append(parts, fmt.Sprintf("%d-%d", ys[i], ys[j]))
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}

func (d *deriver) addChange(year int, old, new *org, kind string) {
	k := changeID{year, old, new}
	if c, ok := d.changeKey[k]; ok {
		if kind == changeSplit || c.kind == "" {
			c.kind = kind
		}
		return
	}
	c := &change{year: year, old: old, new: new, kind: kind}
	d.changes = append(d.changes, c)
	d.changeKey[k] = c
}

// groupSuccessors finds the successor of o on 1 January of year from the
// KommSummer grouping: the code of the same group valid that day,
// preferring codes that start that day and then codes with the same name.
func (d *deriver) groupSuccessors(o *org, year int) []*org {
	if o.group == restGroup {
		return nil
	}
	var cands []*org
	for _, p := range d.munis {
		if p != o && p.group == o.group && p.validIn(year) {
			cands = append(cands, p)
		}
	}
	filter := func(keep func(*org) bool) {
		var out []*org
		for _, p := range cands {
			if keep(p) {
				out = append(out, p)
			}
		}
		if len(out) > 0 {
			cands = out
		}
	}
	if len(cands) > 1 {
		filter(func(p *org) bool { return p.from == year })
	}
	if len(cands) > 1 {
		filter(func(p *org) bool { return sameName(p.name, o.name) })
	}
	if len(cands) > 1 {
		var names []string
		for _, p := range cands {
			names = append(names, p.String())
		}
		d.note("municipality %s: several possible successors in %d (%s); no change recorded", o, year, strings.Join(names, ", "))
		return nil
	}
	return cands
}

// municipalityChanges pairs every municipality that ends, and every
// municipality the wide table shows giving territory away, with its
// successors.
func (d *deriver) municipalityChanges() error {
	for _, row := range d.src.wide {
		for i := 0; i+1 < len(row); i++ {
			y := wideFirst + i
			a, b := d.muniAt(row[i], y), d.muniAt(row[i+1], y+1)
			if a == nil || b == nil || a == b {
				continue
			}
			if d.wideSucc[a] == nil {
				d.wideSucc[a] = map[int]map[*org]bool{}
			}
			if d.wideSucc[a][y+1] == nil {
				d.wideSucc[a][y+1] = map[*org]bool{}
			}
			d.wideSucc[a][y+1][b] = true
		}
	}
	usedDoc := map[int]bool{}
	for _, o := range d.munis {
		years := map[int]bool{}
		for y := range d.wideSucc[o] {
			years[y] = true
		}
		if o.to != 0 {
			years[o.to+1] = true
		}
		for _, year := range sortedKeys(years) {
			var succ []*org
			for s := range d.wideSucc[o][year] {
				succ = append(succ, s)
			}
			fromWide := len(succ) > 0
			documented := false
			for i, ds := range documentedSplits {
				if ds.old != o.code || ds.year != year || !o.validIn(year-1) {
					continue
				}
				usedDoc[i] = true
				documented = true
				for _, code := range ds.new {
					s := d.muniAt(code, year)
					if s == nil {
						d.note("documented split %s → %s in %d: no municipality %s then; skipped", o, code, year, code)
						continue
					}
					if !d.wideSucc[o][year][s] {
						succ = append(succ, s)
						d.note("split %s → %s in %d added from SSB's change list (not in the wide table)", o, s, year)
					}
				}
			}
			sortOrgs(succ)
			if o.validIn(year) {
				// The municipality goes on; what the wide table shows is a
				// part of its territory moving to a neighbour.
				for _, s := range succ {
					d.addChange(year, o, s, changeTransfer)
					d.note("municipality %s goes on; part of its territory went to %s in %d (wide table); recorded as a transfer", o, s, year)
				}
				continue
			}
			if len(succ) == 0 {
				succ = d.groupSuccessors(o, year)
			}
			if len(succ) == 0 {
				d.note("municipality %s ends in %d without a known successor; no change recorded", o, year-1)
				continue
			}
			if fromWide && o.group != restGroup {
				g := d.groupSuccessors(o, year)
				ok := false
				for _, s := range succ {
					for _, p := range g {
						ok = ok || s == p
					}
				}
				if !ok {
					d.note("municipality %s: the wide table gives successor %s in %d, SSB's KommSummer groups it with %s; using the wide table", o, orgsText(succ), year, o.group)
				}
			}
			switch {
			case len(succ) == 1:
				d.addChange(year, o, succ[0], "")
			case o.group == restGroup || documented:
				for _, s := range succ {
					d.addChange(year, o, s, changeSplit)
				}
			default:
				var main []*org
				for _, s := range succ {
					if s.group == o.group {
						main = append(main, s)
					}
				}
				if len(main) != 1 {
					d.note("municipality %s: successors %s in %d, none of them clearly the main one; marked as split", o, orgsText(succ), year)
					for _, s := range succ {
						d.addChange(year, o, s, changeSplit)
					}
					continue
				}
				for _, s := range succ {
					if s == main[0] {
						d.addChange(year, o, s, "")
					} else {
						d.addChange(year, o, s, changeTransfer)
						d.note("municipality %s: part of its territory went to %s in %d (wide table), the rest to %s (as SSB's KommSummer groups it); recorded as a transfer", o, s, year, main[0])
					}
				}
			}
		}
	}
	for i, ds := range documentedSplits {
		if !usedDoc[i] {
			d.note("documented split of %s in %d does not match the data; skipped", ds.old, ds.year)
		}
	}
	return nil
}

func orgsText(list []*org) string {
	var s []string
	for _, o := range list {
		s = append(s, o.String())
	}
	return strings.Join(s, ", ")
}

// reestablishedSplits finds municipalities that start without a predecessor
// although their KommSummer group has codes that ended earlier (a
// municipality merged away and later re-established). The territory of those
// earlier codes is followed through the changes to the organisations that
// held it the day before; each of those was split: one row to its own
// successor and one to the re-established municipality.
func (d *deriver) reestablishedSplits() error {
	incoming := map[*org]bool{}
	outgoing := map[*org][]*change{}
	for _, c := range d.changes {
		if c.kind != changeTransfer {
			incoming[c.new] = true
			outgoing[c.old] = append(outgoing[c.old], c)
		}
	}
	for _, o := range d.munis {
		if o.from == 0 || incoming[o] || o.group == restGroup {
			continue
		}
		var frontier []*org
		for _, p := range d.munis {
			if p.group == o.group && p != o && p.to != 0 && p.to < o.from {
				frontier = append(frontier, p)
			}
		}
		if len(frontier) == 0 {
			continue
		}
		holders := map[*org]bool{}
		visited := map[*org]bool{}
		for len(frontier) > 0 {
			p := frontier[0]
			frontier = frontier[1:]
			if visited[p] {
				continue
			}
			visited[p] = true
			if p.validIn(o.from - 1) {
				holders[p] = true
				continue
			}
			for _, c := range outgoing[p] {
				if c.year < o.from {
					frontier = append(frontier, c.new)
				}
			}
		}
		if len(holders) == 0 {
			d.note("municipality %s starts in %d without a predecessor; its group's earlier codes lead nowhere", o, o.from)
			continue
		}
		hs := make([]*org, 0, len(holders))
		for h := range holders {
			hs = append(hs, h)
		}
		sortOrgs(hs)
		for _, h := range hs {
			for _, c := range outgoing[h] {
				if c.year == o.from {
					c.kind = changeSplit
				}
			}
			d.addChange(o.from, h, o, changeSplit)
			d.note("municipality %s is re-established in %d from the territory of %s: recorded as a split of %s", o, o.from, h, h)
		}
	}
	return nil
}

// classify names the changes not yet classified: a successor with two or
// more predecessors (counting itself if it existed before) is a merge, a 1:1
// change is a renumbering, or a name change when the code stays.
func (d *deriver) classify(kind string) {
	type key struct {
		year int
		new  *org
	}
	preds := map[key]map[*org]bool{}
	for _, c := range d.changes {
		if c.old.kind != kind || c.kind == changeTransfer {
			continue
		}
		k := key{c.year, c.new}
		if preds[k] == nil {
			preds[k] = map[*org]bool{}
		}
		preds[k][c.old] = true
		if c.new.validIn(c.year - 1) {
			preds[k][c.new] = true
		}
	}
	for _, c := range d.changes {
		if c.old.kind != kind || c.kind != "" {
			continue
		}
		switch {
		case len(preds[key{c.year, c.new}]) >= 2:
			c.kind = changeMerge
		case c.old.code != c.new.code:
			c.kind = changeRenumbering
		default:
			c.kind = changeNameChange
		}
	}
}

// countyChanges derives the county changes from the municipality changes:
// on each change date, every municipality (continuing or changed) carries
// territory from the county of its old code to the county of its new one.
func (d *deriver) countyChanges() error {
	years := map[int]bool{}
	for _, c := range d.changes {
		years[c.year] = true
	}
	for _, c := range d.counties {
		if c.from != 0 {
			years[c.from] = true
		}
		if c.to != 0 {
			years[c.to+1] = true
		}
	}
	for _, year := range sortedKeys(years) {
		flows := map[[2]*org]int{}
		addFlow := func(oldCode, newCode string) {
			a, b := d.countyAt(oldCode[:2], year-1), d.countyAt(newCode[:2], year)
			if a == nil || b == nil {
				d.note("no county for municipality codes %s → %s in %d", oldCode, newCode, year)
				return
			}
			flows[[2]*org{a, b}]++
		}
		for _, c := range d.changes {
			if c.year == year && c.old.kind == kindMunicipality && c.kind != changeTransfer {
				addFlow(c.old.code, c.new.code)
			}
		}
		for _, m := range d.munis {
			if m.validIn(year-1) && m.validIn(year) {
				addFlow(m.code, m.code)
			}
		}
		var olds []*org
		seen := map[*org]bool{}
		for k := range flows {
			if k[0] != k[1] && !seen[k[0]] {
				seen[k[0]] = true
				olds = append(olds, k[0])
			}
		}
		sortOrgs(olds)
		for _, a := range olds {
			var outs []*org
			for k := range flows {
				if k[0] == a && k[1] != a {
					outs = append(outs, k[1])
				}
			}
			sortOrgs(outs)
			if a.validIn(year) {
				for _, b := range outs {
					d.addChange(year, a, b, changeTransfer)
				}
				continue
			}
			if len(outs) == 1 {
				d.addChange(year, a, outs[0], "")
				continue
			}
			onlyFromA := true
			for _, b := range outs {
				if b.validIn(year - 1) {
					onlyFromA = false
				}
				for k := range flows {
					if k[1] == b && k[0] != a && k[0] != b && !k[0].validIn(year) {
						onlyFromA = false
					}
				}
			}
			if onlyFromA {
				for _, b := range outs {
					d.addChange(year, a, b, changeSplit)
				}
				continue
			}
			var main *org
			tie := false
			for _, b := range outs {
				switch {
				case main == nil || flows[[2]*org{a, b}] > flows[[2]*org{a, main}]:
					main, tie = b, false
				case flows[[2]*org{a, b}] == flows[[2]*org{a, main}]:
					tie = true
				}
			}
			if tie {
				d.note("county %s: no main successor in %d; marked as split", a, year)
				for _, b := range outs {
					d.addChange(year, a, b, changeSplit)
				}
				continue
			}
			for _, b := range outs {
				if b == main {
					d.addChange(year, a, b, "")
				} else {
					d.addChange(year, a, b, changeTransfer)
				}
			}
		}
		for _, c := range d.counties {
			if c.to == year-1 && !seen[c] {
				d.note("county %s ends in %d, but no municipality shows where it went", c, year-1)
			}
		}
	}
	// Cross-check with the county succession table.
	for _, p := range d.src.countyPairs {
		if p.old == p.new {
			continue
		}
		found := false
		for _, c := range d.changes {
			if c.old.kind == kindCounty && c.old.code == p.old && c.new.code == p.new && c.year > p.fromYear && c.year <= p.toYear {
				found = true
			}
		}
		if found {
			continue
		}
		// Not shown by any municipality: date it by the counties' periods.
		year := p.toYear
		if b := d.countyAt(p.new, p.toYear); b != nil && b.from > p.fromYear {
			year = b.from
		} else if a := d.countyAt(p.old, p.fromYear); a != nil && a.to != 0 && a.to < p.toYear {
			year = a.to + 1
		}
		a, b := d.countyAt(p.old, year-1), d.countyAt(p.new, year)
		if a == nil || b == nil {
			d.note("county table pair %s → %s (%d–%d) does not fit the county periods; skipped", p.old, p.new, p.fromYear, p.toYear)
			continue
		}
		// A county that goes on, or that has a main successor already,
		// gave away only part of its territory.
		kind := ""
		if a.validIn(year) {
			kind = changeTransfer
		}
		for _, c := range d.changes {
			if c.old == a && c.year == year && c.kind != changeTransfer {
				kind = changeTransfer
			}
		}
		d.note("county table pair %s → %s (%d–%d) is not shown by any municipality; added on %d-01-01", p.old, p.new, p.fromYear, p.toYear, year)
		d.addChange(year, a, b, kind)
	}
	for _, c := range d.changes {
		if c.old.kind != kindCounty || c.year > 2020 || c.year < 2018 {
			continue
		}
		listed := false
		for _, p := range d.src.countyPairs {
			listed = listed || p.old == c.old.code && p.new == c.new.code && c.year > p.fromYear && c.year <= p.toYear
		}
		if !listed {
			d.note("county change %s → %s on %d-01-01 (from the municipality codes) is not in the county table", c.old, c.new, c.year)
		}
	}
	return nil
}

func sortedKeys[K cmp.Ordered, V any](m map[K]V) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func firstDay(y int) string {
	if y == 0 {
		return ""
	}
	return fmt.Sprintf("%04d-01-01", y)
}

func lastDay(y int) string {
	if y == 0 {
		return ""
	}
	return fmt.Sprintf("%04d-12-31", y)
}

func (d *deriver) output() (*Result, error) {
	all := append(append([]*org(nil), d.counties...), d.munis...)
	sortOrgs(all)
	var ob bytes.Buffer
	w := csv.NewWriter(&ob)
	w.Write([]string{"kind", "code", "name", "valid_from", "valid_to"})
	for _, o := range all {
		w.Write([]string{o.kind, o.code, o.name, firstDay(o.from), lastDay(o.to)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, err
	}
	sort.Slice(d.changes, func(i, j int) bool {
		a, b := d.changes[i], d.changes[j]
		switch {
		case a.old.kind != b.old.kind:
			return a.old.kind < b.old.kind
		case a.year != b.year:
			return a.year < b.year
		case a.old.code != b.old.code:
			return a.old.code < b.old.code
		default:
			return a.new.code < b.new.code
		}
	})
	var cb bytes.Buffer
	w = csv.NewWriter(&cb)
	w.Write([]string{"kind", "date", "change", "old_code", "old_name", "new_code", "new_name"})
	for _, c := range d.changes {
		if c.kind == "" {
			return nil, fmt.Errorf("unclassified change %s → %s", c.old, c.new)
		}
		w.Write([]string{c.old.kind, firstDay(c.year), c.kind, c.old.code, c.old.name, c.new.code, c.new.name})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, err
	}
	return &Result{Organisations: ob.Bytes(), Changes: cb.Bytes(), OrgCount: len(all),
		ChangeCount: len(d.changes), Notes: d.notes}, nil
}
