// Package registry embeds the Norwegian municipality (kommune) and county
// (fylke) reference data: every code that existed from 1994 to 2024 with its
// period of validity, and the changes that link predecessors to successors
// through the reforms (mergers, renumberings, splits and county transfers).
// The product seeds its organisation register from it, so that memberships
// can be carried through the 2018, 2020 and 2024 reforms offline.
//
// Kilde: Statistisk sentralbyrå (NLOD 2.0 / CC BY 4.0).
//
// # Data
//
// data/organisations.csv has the columns kind, code, name, valid_from and
// valid_to. kind is "municipality" (4-digit code) or "county" (2-digit
// code). The first two digits of a municipality code are its county at the
// time. Periods are inclusive days "YYYY-MM-DD"; changes take effect on
// 1 January, so periods run from 1 January to 31 December. An empty
// valid_from means the organisation existed before the data starts (its
// first day is not known); an empty valid_to means it is still valid. A code
// that was used again for another municipality has one row per period
// (0716 Våle until 2001, 0716 Re 2002–2019).
//
// data/changes.csv has the columns kind, date, change, old_code, old_name,
// new_code and new_name, one row per (old, new) pair. date is the
// successor's first day. The old organisation is the one with old_code valid
// the day before date, the new one the one with new_code valid on date.
// change is one of
//
//   - merge: several predecessors become one successor, including a
//     municipality absorbed by one that keeps its code;
//   - renumbering: one predecessor, one successor, a new code;
//   - name_change: the same code with a new name;
//   - split: one predecessor is divided between several successors (one row
//     per successor). Memberships cannot be carried over automatically;
//   - transfer: only part of a territory moved (a county border change, or
//     part of a municipality going to a neighbour while SSB counts the rest
//     with its main successor). Transfers never carry memberships.
//
// # Sources
//
// The files are generated from Statistics Norway data:
//
//   - SSB's "KommSummer" grouping (every municipality code 1994–2024 mapped to
//     its 2024 successor, with validity years in the names);
//   - a year-by-year table of municipality codes 2011–2020 built from SSB
//     lists, used for the 2011–2020 changes and for first years;
//   - the county succession table 2017–2020 and the county list of 2024;
//   - the municipality list of SSB's population table for 1 January 2019;
//   - the splits stated by SSB's change list (KLASS classification 131) for
//     Snillfjord and Halsa, which the other sources do not show in full.
//
// data/README.md describes the derivation and the known gaps.
//
// # Regenerating
//
//	go run ./internal/tools/genregistry -src <folder with the SSB files>
//
// writes data/organisations.csv and data/changes.csv (use -out to write
// elsewhere). The output depends only on the input files: running it again
// gives identical bytes. Notes about inconsistencies in the sources, and how
// they were resolved, are printed to standard error.
package registry
