package web

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// spreadsheetSafe keeps a cell from being read as a formula.
func spreadsheetSafe(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

// csvCell writes a value of a downloaded table as a CSV cell: nothing for
// nil, amounts with two decimals, yes or nothing for a flag, dates as
// 2006-01-02, and text kept from being read as a formula.
func (s *Server) csvCell(lang string, x any) string {
	switch x := x.(type) {
	case nil:
		return ""
	case float64:
		return strconv.FormatFloat(x, 'f', 2, 64)
	case bool:
		if x {
			return s.cat.T(lang, "event_yes")
		}
		return ""
	case interface{ Format(string) string }:
		return x.Format("2006-01-02")
	}
	return spreadsheetSafe(fmt.Sprint(x))
}

// writeCSV sends a table (the same header and rows as its Excel download)
// as a CSV attachment; disposition is the Content-Disposition header.
func writeCSV(w http.ResponseWriter, disposition string, header []string, rows [][]any, cell func(any) string) error {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", disposition)
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	rec := make([]string, len(header))
	for _, row := range rows {
		rec = rec[:0]
		for _, x := range row {
			rec = append(rec, cell(x))
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
