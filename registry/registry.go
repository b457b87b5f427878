package registry

import (
	"bytes"
	"embed"
	"encoding/csv"
	"fmt"
	"slices"
	"sync"
)

//go:embed data/*.csv
var data embed.FS

// Org is one municipality or county during one period of one code.
type Org struct {
	Kind      string // "municipality" or "county"
	Code      string // 4 digits (municipality) or 2 digits (county)
	Name      string
	ValidFrom string // first day "YYYY-MM-DD"; "" = existed before the data starts
	ValidTo   string // last day "YYYY-MM-DD"; "" = still valid
}

// ValidOn reports whether the organisation existed on date ("YYYY-MM-DD").
func (o Org) ValidOn(date string) bool {
	return (o.ValidFrom == "" || o.ValidFrom <= date) && (o.ValidTo == "" || date <= o.ValidTo)
}

// Change links a predecessor to a successor. The old organisation is the one
// with OldCode valid the day before Date, the new one the one with NewCode
// valid on Date.
type Change struct {
	Kind    string // "municipality" or "county"
	Date    string // the successor's first day, "YYYY-MM-DD"
	Change  string // "merge", "renumbering", "name_change", "split" or "transfer"
	OldCode string
	OldName string
	NewCode string
	NewName string
}

var (
	loadOnce sync.Once
	orgs     []Org
	changes  []Change
	loadErr  error
)

func load() {
	rows, err := readCSV("data/organisations.csv", "kind", "code", "name", "valid_from", "valid_to")
	if err != nil {
		loadErr = err
		return
	}
	for _, r := range rows {
		orgs = append(orgs, Org{Kind: r[0], Code: r[1], Name: r[2], ValidFrom: r[3], ValidTo: r[4]})
	}
	rows, err = readCSV("data/changes.csv", "kind", "date", "change", "old_code", "old_name", "new_code", "new_name")
	if err != nil {
		loadErr = err
		return
	}
	for _, r := range rows {
		changes = append(changes, Change{Kind: r[0], Date: r[1], Change: r[2], OldCode: r[3], OldName: r[4], NewCode: r[5], NewName: r[6]})
	}
}

func readCSV(name string, header ...string) ([][]string, error) {
	b, err := data.ReadFile(name)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = len(header)
	recs, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("registry %s: %w", name, err)
	}
	if len(recs) == 0 || !slices.Equal(recs[0], header) {
		return nil, fmt.Errorf("registry %s: unexpected header", name)
	}
	return recs[1:], nil
}

// Organisations returns every municipality and county period, ordered by
// kind, code and first day. The caller may modify the returned slice.
func Organisations() ([]Org, error) {
	loadOnce.Do(load)
	if loadErr != nil {
		return nil, loadErr
	}
	return slices.Clone(orgs), nil
}

// Changes returns every change, ordered by kind, date, old code and new code.
// The caller may modify the returned slice.
func Changes() ([]Change, error) {
	loadOnce.Do(load)
	if loadErr != nil {
		return nil, loadErr
	}
	return slices.Clone(changes), nil
}
