package web

import (
	"encoding/csv"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/xlsx"
)

// Every list a visitor or the secretariat can see can be downloaded as CSV
// and as an Excel workbook. A list defines its table once (tableFunc); the
// same table gives both files, so the two never disagree, and the table is
// built from what the page itself reads, with the same checks of the user's
// role, the same filters from the query string and the same visibility.

// table is a list as it is downloaded: a header and rows of cells.
//
// A cell is nil (empty), a string, an int or int64, a float64 (a figure), a
// samrad.Money (written as kroner), a bool (yes, or nothing), a samrad.Date
// (a date; the zero Date is empty) or a time.Time (a moment, written in
// Norwegian time; the zero time is empty). In Excel numbers and dates are
// real numbers and dates; text is always text. In CSV text that a
// spreadsheet would read as a formula is neutralised.
type table struct {
	File   string   // the file name without extension; the alliance's slug first
	Sheet  string   // the worksheet's name, cut to 31 characters
	Header []string // the column headings, in the request's language
	Rows   [][]any

	// Decimals formats a float64 in CSV; two decimals if nil.
	Decimals func(float64) string
	// NoStore keeps the download out of shared caches (members-only data).
	NoStore bool
}

// tableFunc builds a list's table for a request, with the same checks as
// its page.
type tableFunc func(r *http.Request, v *view) (table, error)

// listDownloads names every list page that can be downloaded: the page's
// route → the prefix of its download routes (prefix_csv, prefix_xlsx), with
// the path of the download without its extension in Norwegian and English.
// The routes and the links on the pages are made from this one table.
var listDownloads = map[string]struct {
	Prefix string
	Paths  [2]string
}{
	"orgs":              {"orgs", [2]string{"/organisasjoner", "/en/organisations"}},
	"members":           {"members", [2]string{"/allianser/{slug}/medlemmer", "/en/alliances/{slug}/members"}},
	"fees":              {"fees", [2]string{"/allianser/{slug}/kontingent", "/en/alliances/{slug}/fees"}},
	"body":              {"body", [2]string{"/allianser/{slug}/organer/{body}/seter", "/en/alliances/{slug}/bodies/{body}/seats"}},
	"meetings":          {"meetings", [2]string{"/allianser/{slug}/moter", "/en/alliances/{slug}/meetings"}},
	"cases":             {"cases", [2]string{"/allianser/{slug}/saker", "/en/alliances/{slug}/cases"}},
	"documents":         {"documents", [2]string{"/allianser/{slug}/dokumenter", "/en/alliances/{slug}/documents"}},
	"audit":             {"audit", [2]string{"/allianser/{slug}/endringslogg", "/en/alliances/{slug}/audit-log"}},
	"news":              {"news", [2]string{"/allianser/{slug}/nyheter", "/en/alliances/{slug}/news"}},
	"events":            {"events", [2]string{"/allianser/{slug}/arrangementer", "/en/alliances/{slug}/events"}},
	"participants":      {"part", [2]string{"/allianser/{slug}/arrangementer/{event}/deltakere", "/en/alliances/{slug}/events/{event}/participants"}},
	"programme":         {"programme", [2]string{"/allianser/{slug}/handlingsprogram/{year}/tiltak", "/en/alliances/{slug}/action-programme/{year}/measures"}},
	"budget":            {"budget", [2]string{"/allianser/{slug}/budsjett/{year}/budsjett", "/en/alliances/{slug}/budget/{year}/budget"}},
	"inputs":            {"inputs", [2]string{"/allianser/{slug}/innspill/{year}/innspill", "/en/alliances/{slug}/input/{year}/input"}},
	"goals":             {"goals", [2]string{"/allianser/{slug}/medlemsmal", "/en/alliances/{slug}/member-goals"}},
	"net_list":          {"net", [2]string{"/allianser/{slug}/nettverk", "/en/alliances/{slug}/networks"}},
	"rec_list":          {"rec", [2]string{"/allianser/{slug}/programmer", "/en/alliances/{slug}/programmes"}},
	"proj_list":         {"proj", [2]string{"/allianser/{slug}/prosjekter", "/en/alliances/{slug}/projects"}},
	"agr_list":          {"agr", [2]string{"/allianser/{slug}/avtaler", "/en/alliances/{slug}/agreements"}},
	"svc_list":          {"svc", [2]string{"/allianser/{slug}/tjenester", "/en/alliances/{slug}/services"}},
	"svc_requests":      {"svc_requests", [2]string{"/allianser/{slug}/tjenester/henvendelser", "/en/alliances/{slug}/services/requests"}},
	"fund_list":         {"fund", [2]string{"/allianser/{slug}/finansiering", "/en/alliances/{slug}/funding"}},
	"fund_applications": {"fund_applications", [2]string{"/allianser/{slug}/soknader", "/en/alliances/{slug}/applications"}},
	"ind_page":          {"ind", [2]string{"/allianser/{slug}/styringsdata/{indicator}/tall", "/en/alliances/{slug}/indicators/{indicator}/figures"}},
}

// downloadPaths are the routes of the downloads, made from listDownloads.
var downloadPaths = func() map[string][2]string {
	out := map[string][2]string{}
	for _, d := range listDownloads {
		for _, ext := range []string{"csv", "xlsx"} {
			out[d.Prefix+"_"+ext] = [2]string{d.Paths[0] + "." + ext, d.Paths[1] + "." + ext}
		}
	}
	return out
}()

// download registers a list's CSV and Excel routes.
func (s *Server) download(handle func(string, handlerFunc), page string, f tableFunc) {
	d, ok := listDownloads[page]
	if !ok {
		panic("web: no download for " + page)
	}
	handle(d.Prefix+"_csv", func(w http.ResponseWriter, r *http.Request, v *view) error {
		t, err := f(r, v)
		if err != nil {
			return err
		}
		return s.writeTableCSV(w, v.Lang, t)
	})
	handle(d.Prefix+"_xlsx", func(w http.ResponseWriter, r *http.Request, v *view) error {
		t, err := f(r, v)
		if err != nil {
			return err
		}
		return writeTableXLSX(w, t)
	})
}

// downloadXLSX registers a list whose CSV file has a format of its own
// (one that can be imported again) and whose Excel file is its table.
func (s *Server) downloadXLSX(handle func(string, handlerFunc), page string, csv handlerFunc, f tableFunc) {
	d, ok := listDownloads[page]
	if !ok {
		panic("web: no download for " + page)
	}
	handle(d.Prefix+"_csv", csv)
	handle(d.Prefix+"_xlsx", func(w http.ResponseWriter, r *http.Request, v *view) error {
		t, err := f(r, v)
		if err != nil {
			return err
		}
		return writeTableXLSX(w, t)
	})
}

// downloadLinks are a list page's links to its downloads.
type downloadLinks struct{ CSV, XLSX string }

// Downloads are the links to the CSV and Excel downloads of the page, with
// the page's filters (but not its page number: a download holds every row
// the filters choose); nil on a page without downloads.
func (v *view) Downloads() *downloadLinks {
	d, ok := listDownloads[v.route]
	if !ok || v.r == nil {
		return nil
	}
	args := v.routeArgs()
	q := v.r.URL.Query()
	q.Del(paramNames["page"][langIndex(v.Lang)])
	query := ""
	if len(q) > 0 {
		query = "?" + q.Encode()
	}
	return &downloadLinks{CSV: Path(v.Lang, d.Prefix+"_csv", args...) + query, XLSX: Path(v.Lang, d.Prefix+"_xlsx", args...) + query}
}

// attachment is the Content-Disposition of a downloaded file.
func attachment(name string) string {
	return mime.FormatMediaType("attachment", map[string]string{"filename": name})
}

// writeTableCSV sends a table as a CSV attachment (UTF-8, commas, a header
// row).
func (s *Server) writeTableCSV(w http.ResponseWriter, lang string, t table) error {
	if t.NoStore {
		w.Header().Set("Cache-Control", "no-store")
	}
	return writeCSV(w, attachment(t.File+".csv"), t.Header, t.Rows, func(x any) string {
		if f, ok := x.(float64); ok && t.Decimals != nil {
			return t.Decimals(f)
		}
		return s.csvCell(lang, x)
	})
}

// writeTableXLSX sends a table as an Excel workbook of one sheet.
func writeTableXLSX(w http.ResponseWriter, t table) error {
	if t.NoStore {
		w.Header().Set("Cache-Control", "no-store")
	}
	rows := make([][]any, len(t.Rows))
	for i, row := range t.Rows {
		out := make([]any, len(row))
		for j, x := range row {
			out[j] = xlsxCell(x)
		}
		rows[i] = out
	}
	name := sheetName(t.Sheet)
	w.Header().Set("Content-Type", xlsx.ContentType)
	w.Header().Set("Content-Disposition", attachment(t.File+".xlsx"))
	return xlsx.Write(w, xlsx.Sheet{Name: name, Header: t.Header, Rows: rows})
}

// sheetName makes a worksheet's name of a title: none of the characters
// the format forbids, at most 31 characters.
func sheetName(title string) string {
	name := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '-'
		}
		return r
	}, title)
	name = strings.Trim(name, "' ")
	if rs := []rune(name); len(rs) > 31 {
		name = strings.TrimSpace(string(rs[:31]))
	}
	if name == "" || strings.EqualFold(name, "History") {
		name = "Data"
	}
	return name
}

// xlsxCell is a table's cell as a value the xlsx writer takes.
func xlsxCell(x any) any {
	switch x := x.(type) {
	case samrad.Date:
		if x.IsZero() {
			return nil
		}
		return x.Time()
	case time.Time:
		if x.IsZero() {
			return nil
		}
		t := x.In(samrad.Oslo())
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
	case samrad.Money:
		return float64(x) / 100
	case nil, string, int, int64, float64, bool:
		return x
	}
	return fmt.Sprint(x)
}

// spreadsheetSafe keeps a cell from being read as a formula.
func spreadsheetSafe(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

// csvCell writes a value of a downloaded table as a CSV cell: nothing for
// nil, amounts with two decimals, yes or nothing for a flag, dates as
// 2006-01-02, moments as 2006-01-02 15:04 in Norwegian time, and text kept
// from being read as a formula.
func (s *Server) csvCell(lang string, x any) string {
	switch x := x.(type) {
	case nil:
		return ""
	case string:
		return spreadsheetSafe(x)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', 2, 64)
	case samrad.Money:
		return x.String()
	case bool:
		if x {
			return s.cat.T(lang, "event_yes")
		}
		return ""
	case samrad.Date:
		return x.String()
	case time.Time:
		if x.IsZero() {
			return ""
		}
		return x.In(samrad.Oslo()).Format("2006-01-02 15:04")
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
