package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
)

// Source file names inside the -src folder.
const (
	fileKommSummer   = "ssb_kommsummer_1994-2024_til_2024.csv"
	fileWide         = "kommuner_2011-2020_wide.csv"
	fileCounties     = "fylker_2017-2020.csv"
	fileCounties2024 = "fylker_2024_liste.json"
	filePopulation   = "folkemengde_2018-2019_kommune_fylke.csv"
)

// restGroup is SSB's KommSummer group "K.Rest": municipalities that were
// later split, which SSB does not map to a single successor.
const restGroup = "Rest"

// Years covered by the wide table, and the year of SSB's code list in the
// population table (its codes are those valid on 1 January of that year).
const (
	wideFirst = 2011
	wideLast  = 2020
	listYear  = 2019
)

// ksEntry is one line of the KommSummer file.
type ksEntry struct {
	group string // 2024 successor code, or restGroup
	code  string // 4 digits
	name  string // without the validity tag
	from  int    // first year from the tag, 0 if none
	to    int    // last year from the tag, 0 if none (still valid)
}

// countySnapshot is the county list of one year.
type countySnapshot struct {
	year  int
	names map[string]string // code → name
}

// countyPair is one line of the county succession table.
type countyPair struct {
	fromYear, toYear int
	old, new         string
}

// sources holds everything read from the source folder.
type sources struct {
	komm        []ksEntry
	wide        [][]string // per row, codes for wideFirst…wideLast
	snapshots   []countySnapshot
	countyPairs []countyPair
	list2019    map[string]bool // municipality codes valid on 1 January 2019
}

var tagRE = regexp.MustCompile(`^(.*?)\s*\((\d{4})?-(\d{4})?\)$`)

// splitTag splits "Asker (2020-2023)" into the name and the years of the tag.
func splitTag(text string) (name string, from, to int) {
	text = strings.Join(strings.Fields(text), " ")
	m := tagRE.FindStringSubmatch(text)
	if m == nil {
		return text, 0, 0
	}
	if m[2] != "" {
		from, _ = strconv.Atoi(m[2])
	}
	if m[3] != "" {
		to, _ = strconv.Atoi(m[3])
	}
	return strings.TrimSpace(m[1]), from, to
}

// padCode left-pads a numeric code with zeros to n digits. A letter suffix
// that SSB uses to tell apart two periods of one code ("0716u") is dropped.
func padCode(s string, n int) (string, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimRightFunc(s, func(r rune) bool { return r < '0' || r > '9' })
	if s == "" || len(s) > n {
		return "", fmt.Errorf("bad code %q", s)
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return "", fmt.Errorf("bad code %q", s)
		}
	}
	return strings.Repeat("0", n-len(s)) + s, nil
}

// properName fixes the capitalisation of county names written in title case
// ("Vestfold Og Telemark" → "Vestfold og Telemark").
func properName(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		if i > 0 && (w == "Og" || w == "OG") {
			words[i] = "og"
		}
	}
	return strings.Join(words, " ")
}

func readCSV(fsys fs.FS, name string) ([][]string, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReader(f))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s: empty file", name)
	}
	recs[0][0] = strings.TrimPrefix(recs[0][0], "\ufeff")
	return recs, nil
}

func columns(name string, header []string, want ...string) ([]int, error) {
	idx := map[string]int{}
	for i, h := range header {
		idx[strings.TrimSpace(h)] = i
	}
	out := make([]int, len(want))
	for i, w := range want {
		j, ok := idx[w]
		if !ok {
			return nil, fmt.Errorf("%s: no column %q", name, w)
		}
		out[i] = j
	}
	return out, nil
}

func readSources(fsys fs.FS) (*sources, error) {
	s := &sources{}
	var err error
	if s.komm, err = readKommSummer(fsys); err != nil {
		return nil, err
	}
	if s.wide, err = readWide(fsys); err != nil {
		return nil, err
	}
	if s.snapshots, s.countyPairs, err = readCounties(fsys); err != nil {
		return nil, err
	}
	if s.list2019, err = readList2019(fsys); err != nil {
		return nil, err
	}
	return s, nil
}

func readKommSummer(fsys fs.FS) ([]ksEntry, error) {
	recs, err := readCSV(fsys, fileKommSummer)
	if err != nil {
		return nil, err
	}
	col, err := columns(fileKommSummer, recs[0], "GRUPPEKODE", "KODE", "TEKST")
	if err != nil {
		return nil, err
	}
	var out []ksEntry
	for i, rec := range recs[1:] {
		if len(rec) <= col[2] {
			return nil, fmt.Errorf("%s line %d: too few fields", fileKommSummer, i+2)
		}
		group := strings.TrimPrefix(strings.TrimSpace(rec[col[0]]), "K.")
		group = strings.TrimPrefix(group, "K-")
		if strings.Contains(group, "-") || len(group) != 4 && group != restGroup {
			continue // Svalbard/Jan Mayen (21-22) and the continental shelf (23)
		}
		code, err := padCode(rec[col[1]], 4)
		if err != nil {
			return nil, fmt.Errorf("%s line %d: %w", fileKommSummer, i+2, err)
		}
		if code == "9999" {
			continue // "Uoppgitt": not a municipality
		}
		name, from, to := splitTag(rec[col[2]])
		if from != 0 && to != 0 && from > to {
			return nil, fmt.Errorf("%s line %d: period %d-%d", fileKommSummer, i+2, from, to)
		}
		out = append(out, ksEntry{group: group, code: code, name: name, from: from, to: to})
	}
	return out, nil
}

func readWide(fsys fs.FS) ([][]string, error) {
	recs, err := readCSV(fsys, fileWide)
	if err != nil {
		return nil, err
	}
	var want []string
	for y := wideFirst; y <= wideLast; y++ {
		want = append(want, fmt.Sprintf("muni_num_%d", y))
	}
	col, err := columns(fileWide, recs[0], want...)
	if err != nil {
		return nil, err
	}
	var out [][]string
	for i, rec := range recs[1:] {
		row := make([]string, len(col))
		for j, c := range col {
			if c >= len(rec) {
				return nil, fmt.Errorf("%s line %d: too few fields", fileWide, i+2)
			}
			if row[j], err = padCode(rec[c], 4); err != nil {
				return nil, fmt.Errorf("%s line %d: %w", fileWide, i+2, err)
			}
		}
		out = append(out, row)
	}
	return out, nil
}

func readCounties(fsys fs.FS) ([]countySnapshot, []countyPair, error) {
	recs, err := readCSV(fsys, fileCounties)
	if err != nil {
		return nil, nil, err
	}
	years := []int{2017, 2019, 2020}
	var want []string
	for _, y := range years {
		want = append(want, fmt.Sprintf("county_num_%d", y), fmt.Sprintf("county_name_%d", y))
	}
	col, err := columns(fileCounties, recs[0], want...)
	if err != nil {
		return nil, nil, err
	}
	snaps := make([]countySnapshot, len(years))
	for i, y := range years {
		snaps[i] = countySnapshot{year: y, names: map[string]string{}}
	}
	seen := map[countyPair]bool{}
	var pairs []countyPair
	for i, rec := range recs[1:] {
		codes := make([]string, len(years))
		for j := range years {
			if col[2*j+1] >= len(rec) {
				return nil, nil, fmt.Errorf("%s line %d: too few fields", fileCounties, i+2)
			}
			if codes[j], err = padCode(rec[col[2*j]], 2); err != nil {
				return nil, nil, fmt.Errorf("%s line %d: %w", fileCounties, i+2, err)
			}
			snaps[j].names[codes[j]] = properName(rec[col[2*j+1]])
		}
		for j := 0; j+1 < len(years); j++ {
			p := countyPair{fromYear: years[j], toYear: years[j+1], old: codes[j], new: codes[j+1]}
			if !seen[p] {
				seen[p] = true
				pairs = append(pairs, p)
			}
		}
	}
	f, err := fsys.Open(fileCounties2024)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, nil, err
	}
	var list []struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	if err := json.Unmarshal(data, &list); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", fileCounties2024, err)
	}
	snap := countySnapshot{year: 2024, names: map[string]string{}}
	for _, c := range list {
		code, err := padCode(c.ID, 2)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", fileCounties2024, err)
		}
		snap.names[code] = properName(c.Name)
	}
	if len(snap.names) == 0 {
		return nil, nil, fmt.Errorf("%s: no counties", fileCounties2024)
	}
	return append(snaps, snap), pairs, nil
}

var listLineRE = regexp.MustCompile(`^(\d{4}) \S`)

// readList2019 reads the municipality codes of SSB's population table in the
// 2019 structure: rows "0101 Halden;31037;31177;…".
func readList2019(fsys fs.FS) (map[string]bool, error) {
	f, err := fsys.Open(filePopulation)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimPrefix(sc.Text(), "\ufeff")
		first, _, _ := strings.Cut(line, ";")
		if m := listLineRE.FindStringSubmatch(strings.TrimSpace(first)); m != nil {
			out[m[1]] = true
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", filePopulation, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no municipality rows", filePopulation)
	}
	return out, nil
}
