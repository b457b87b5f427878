// Package ssb reads the data formats of Statistics Norway (SSB) that
// Samråd imports: population figures from the statbank (table 07459) as
// JSON-stat or as a statbank CSV export, and code changes of municipalities
// and counties from the KLASS classification service. It parses and
// validates; it stores nothing and fetches nothing.
//
// # Population
//
// DecodeJSONStat reads any JSON-stat 2.0 dataset (and the older 1.x
// {"dataset": …} wrapper) into a Cube. PopulationFromCube turns a cube of
// population figures into one Observation per (region, year): persons on
// 1 January of the year. ParseJSONStatPopulation does both;
// ParseStatbankCSV reads the same figures from a CSV export, with years as
// columns ("name;2018;2019") or in long form ("Region;Alder;Tid;value").
//
// Rules shared by both:
//
//   - Region codes are "0" (the whole country), 2-digit county codes and
//     4-digit municipality codes. SSB's K- and F- prefixes (the
//     agg_KommSummer and agg_KommFylker groupings) are removed. Codes that
//     are none of these (K-Rest, 21-22 Svalbard and Jan Mayen, 23 the
//     continental shelf, 9999 unknown) are not read; they are listed in
//     Population.Skipped so that the caller can report them.
//   - A figure that is missing (null, "..", "." or ":") is a Missing entry
//     with its symbol and never becomes 0. The symbol "-" means zero.
//   - Dimensions other than region, year and the statistic (sex, age, …)
//     are summed over; if one of the summed cells is missing, the whole
//     (region, year) is missing.
//   - Figures must be whole numbers and not negative.
//
// # Code changes
//
// ParseKlassChanges reads the "changes" list of KLASS classification 131
// (municipalities) or 104 (counties): which code became which, and when.
//
// # Errors
//
// Every problem with the input is a *ParseError naming the file, the line
// (for CSV, and for JSON syntax errors) and the column or JSON field, for
// example
//
//	population.csv: line 14: column "2019": "12 3a" is not a whole number
//	07459.json: field "size": 3 dimensions in "id" but 2 sizes
//	changes.json: field "codeChanges[3].changeOccurred": "2023-02-30" is not a date (YYYY-MM-DD)
package ssb
