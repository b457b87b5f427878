// Command genregistry builds the embedded municipality and county reference
// data of package registry from Statistics Norway (SSB) files.
//
// Usage:
//
//	go run ./internal/tools/genregistry -src <folder with the SSB files> [-out registry/data]
//
// The source folder must hold:
//
//	ssb_kommsummer_1994-2024_til_2024.csv   every municipality code 1994–2024 grouped by its 2024 successor
//	kommuner_2011-2020_wide.csv             year-by-year codes 2011–2020 per 2020 municipality and predecessor
//	fylker_2017-2020.csv                    county succession 2017 → 2019 → 2020
//	fylker_2024_liste.json                  the 15 counties of 2024
//	folkemengde_2018-2019_kommune_fylke.csv SSB population table in the 2019 structure (its code list only)
//
// It writes organisations.csv and changes.csv to the output folder. The output
// depends only on the input files, so regenerating gives identical bytes.
// Notes about inconsistencies found in the sources, and how they were
// resolved, are printed to standard error.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	src := flag.String("src", "", "folder with the SSB source files (required)")
	out := flag.String("out", filepath.Join("registry", "data"), "output folder")
	quiet := flag.Bool("q", false, "do not print notes about the sources")
	flag.Parse()
	if *src == "" {
		fmt.Fprintln(os.Stderr, "genregistry: -src is required")
		flag.Usage()
		os.Exit(2)
	}
	res, err := Generate(os.DirFS(*src))
	if err != nil {
		fmt.Fprintln(os.Stderr, "genregistry:", err)
		os.Exit(1)
	}
	if !*quiet {
		for _, n := range res.Notes {
			fmt.Fprintln(os.Stderr, "note:", n)
		}
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "genregistry:", err)
		os.Exit(1)
	}
	for name, data := range map[string][]byte{"organisations.csv": res.Organisations, "changes.csv": res.Changes} {
		if err := os.WriteFile(filepath.Join(*out, name), data, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "genregistry:", err)
			os.Exit(1)
		}
	}
	fmt.Fprintf(os.Stderr, "genregistry: %d organisations, %d changes\n", res.OrgCount, res.ChangeCount)
}
