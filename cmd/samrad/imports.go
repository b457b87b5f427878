package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/memberfile"
	"github.com/samrad/samrad/ssb"
	"github.com/samrad/samrad/store"
)

func cmdImport(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("import: expected population, klass-changes, memberships or an archive FILE.zip")
	}
	switch args[0] {
	case "population":
		return cmdImportPopulation(ctx, e, args[1:])
	case "klass-changes":
		return cmdImportKlass(ctx, e, args[1:])
	case "memberships":
		return cmdImportMemberships(ctx, e, args[1:])
	}
	return cmdImportArchive(ctx, e, args)
}

func readInput(pos []string) ([]byte, string, error) {
	if len(pos) != 1 {
		return nil, "", fmt.Errorf("expected one FILE")
	}
	b, err := os.ReadFile(pos[0])
	if err != nil {
		return nil, "", err
	}
	return b, filepath.Base(pos[0]), nil
}

// ParsePopulation reads SSB 07459 as JSON-stat 2.0 (also the 1.x wrapper)
// or as a statbank CSV export, deciding by the content, not the name.
func parsePopulation(b []byte, name string) (*ssb.Population, error) {
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(b, []byte("\uFEFF")), " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '{' {
		return ssb.ParseJSONStatPopulation(bytes.NewReader(b), name)
	}
	return ssb.ParseStatbankCSV(bytes.NewReader(b), name)
}

func cmdImportPopulation(ctx context.Context, e env, args []string) error {
	f := newFlags(e, "import population")
	source := f.String("source", "SSB, statistikkbanken (tabell 07459)", "where the figures come from")
	pos, err := f.parse(args)
	if err != nil {
		return err
	}
	b, name, err := readInput(pos)
	if err != nil {
		return err
	}
	p, err := parsePopulation(b, name)
	if err != nil {
		return err
	}
	rows := make([]store.PopulationRow, len(p.Observations))
	for i, o := range p.Observations {
		rows[i] = store.PopulationRow{Code: o.Region, Year: o.Year, Persons: o.Persons}
	}
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	rep, err := db.ImportPopulation(ctx, name, *source, rows)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: imported %d figures; %s\n", name, len(rows), rep)
	if len(p.Missing) > 0 {
		fmt.Fprintf(e.stdout, "%d cells had no figure (kept as missing, not as 0)\n", len(p.Missing))
	}
	if len(p.Skipped) > 0 {
		fmt.Fprintf(e.stdout, "skipped region codes that are not a county or municipality: %s\n", strings.Join(p.Skipped, ", "))
	}
	return nil
}

func cmdImportKlass(ctx context.Context, e env, args []string) error {
	f := newFlags(e, "import klass-changes")
	pos, err := f.parse(args)
	if err != nil {
		return err
	}
	b, name, err := readInput(pos)
	if err != nil {
		return err
	}
	list, err := ssb.ParseKlassChanges(bytes.NewReader(b), name)
	if err != nil {
		return err
	}
	changes := make([]store.KlassChange, len(list))
	for i, c := range list {
		changes[i] = store.KlassChange{OldCode: c.OldCode, OldName: c.OldName, NewCode: c.NewCode, NewName: c.NewName,
			Occurred: samrad.NewDate(c.Occurred.Year(), c.Occurred.Month(), c.Occurred.Day())}
	}
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	rep, err := db.ImportKlassChanges(ctx, name, changes)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: %d changes applied, %d already known, %d new organisations\n", name, rep.Applied, rep.AlreadyKnown, rep.NewOrganisations)
	return nil
}

func cmdImportMemberships(ctx context.Context, e env, args []string) error {
	f := newFlags(e, "import memberships")
	slug := f.String("alliance", "", "alliance slug")
	replace := f.Bool("replace", false, "replace the alliance's memberships with the file")
	pos, err := f.parse(args)
	if err != nil {
		return err
	}
	b, name, err := readInput(pos)
	if err != nil {
		return err
	}
	rows, err := memberfile.Parse(bytes.NewReader(b), name)
	if err != nil {
		return err
	}
	db, a, err := f.openAlliance(ctx, *slug)
	if err != nil {
		return err
	}
	defer db.Close()
	rep, err := db.ImportMemberships(ctx, a.ID, name, ImportRows(rows), *replace)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: %d memberships added to %s (%d replaced, %d new organisations)\n", name, rep.Added, a.Slug, rep.Replaced, rep.NewOrganisations)
	return nil
}

// ImportRows turns parsed member-list rows into store rows.
func ImportRows(rows []memberfile.Row) []store.ImportRow {
	out := make([]store.ImportRow, len(rows))
	for i, r := range rows {
		out[i] = store.ImportRow{Line: r.Line, Code: r.Code, Name: r.Name, Kind: r.Kind, Membership: samrad.Membership{
			From: r.From, FromPrecision: r.FromPrecision, To: r.To, AttestedOn: r.AttestedOn,
			Category: r.Category, Status: r.Status, Note: r.Note, Source: r.Source,
		}}
	}
	return out
}
