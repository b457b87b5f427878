// Command vulndb builds a Go vulnerability database that govulncheck reads
// from a directory (-db file://DIR), from the OSV records of the module
// golang.org/x/vulndb. It lets govulncheck run where vuln.go.dev cannot be
// reached but the Go module proxy can.
//
// Usage:
//
//	dir=$(go mod download -json golang.org/x/vulndb@VERSION | …Dir…)
//	go run ./internal/tools/vulndb -src "$dir/data/osv" -out DIR [-modified 2026-11-05T23:49:57Z]
//
// It writes the v1 layout that golang.org/x/vuln's client reads
// (https://go.dev/security/vuln/database#api):
//
//	DIR/index/db.json       {"modified": newest modification}
//	DIR/index/modules.json  [{"path", "vulns": [{"id", "modified", "fixed"}]}], sorted
//	DIR/ID/GO-YYYY-NNNN.json one OSV record each
//
// The records in the vulndb repository carry no modification time (it is
// set when vuln.go.dev is generated), so -modified gives one for every
// record without it: the commit time of the module version used.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"
)

func main() {
	src := flag.String("src", "", "folder of OSV records (data/osv of golang.org/x/vulndb; required)")
	out := flag.String("out", "", "database folder to write (required; replaced)")
	modified := flag.String("modified", "", "modification time (RFC 3339) for records without one")
	flag.Parse()
	if *src == "" || *out == "" {
		fmt.Fprintln(os.Stderr, "vulndb: -src and -out are required")
		flag.Usage()
		os.Exit(2)
	}
	var mod time.Time
	if *modified != "" {
		t, err := time.Parse(time.RFC3339, *modified)
		if err != nil {
			fmt.Fprintf(os.Stderr, "vulndb: -modified: %v\n", err)
			os.Exit(2)
		}
		mod = t.UTC()
	}
	n, err := Build(*src, *out, mod)
	if err != nil {
		fmt.Fprintf(os.Stderr, "vulndb: %v\n", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "vulndb: %d records written to %s\n", n, *out)
}

// entry holds the fields of an OSV record that the index needs.
type entry struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Affected []struct {
		Package struct {
			Name string `json:"name"`
		} `json:"package"`
		Ranges []osvRange `json:"ranges"`
	} `json:"affected"`
}

type osvRange struct {
	Type   string `json:"type"`
	Events []struct {
		Introduced string `json:"introduced"`
		Fixed      string `json:"fixed"`
	} `json:"events"`
}

type moduleVuln struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Fixed    string    `json:"fixed,omitempty"`
}

type moduleMeta struct {
	Path  string       `json:"path"`
	Vulns []moduleVuln `json:"vulns"`
}

var idRe = regexp.MustCompile(`^GO-\d{4}-\d{4,}$`)

// Build reads every *.json record in src and writes the database to out,
// which is replaced. Records without a modification time get mod; if mod
// is zero such a record is an error. It returns the number of records.
func Build(src, out string, mod time.Time) (int, error) {
	files, err := filepath.Glob(filepath.Join(src, "*.json"))
	if err != nil {
		return 0, err
	}
	if len(files) == 0 {
		return 0, fmt.Errorf("%s holds no OSV records (*.json)", src)
	}
	sort.Strings(files)
	tmp := out + ".tmp"
	if err := os.RemoveAll(tmp); err != nil {
		return 0, err
	}
	for _, d := range []string{"index", "ID"} {
		if err := os.MkdirAll(filepath.Join(tmp, d), 0o755); err != nil {
			return 0, err
		}
	}
	var newest time.Time
	modules := map[string]*moduleMeta{}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			return 0, err
		}
		var e entry
		if err := json.Unmarshal(b, &e); err != nil {
			return 0, fmt.Errorf("%s: %v", name, err)
		}
		if !idRe.MatchString(e.ID) || filepath.Base(name) != e.ID+".json" {
			return 0, fmt.Errorf("%s: the record's id %q does not name its file", name, e.ID)
		}
		if e.Modified.IsZero() || e.Modified.Year() <= 1 {
			if mod.IsZero() {
				return 0, fmt.Errorf("%s: no modification time; give one with -modified", name)
			}
			e.Modified = mod
			if b, err = setModified(b, mod); err != nil {
				return 0, fmt.Errorf("%s: %v", name, err)
			}
		}
		if e.Modified.After(newest) {
			newest = e.Modified
		}
		for _, a := range e.Affected {
			path := a.Package.Name
			if path == "" {
				return 0, fmt.Errorf("%s: an affected package without a name", name)
			}
			m := modules[path]
			if m == nil {
				m = &moduleMeta{Path: path, Vulns: []moduleVuln{}}
				modules[path] = m
			}
			m.Vulns = append(m.Vulns, moduleVuln{ID: e.ID, Modified: e.Modified, Fixed: latestFix(a.Ranges)})
		}
		if err := os.WriteFile(filepath.Join(tmp, "ID", e.ID+".json"), b, 0o644); err != nil {
			return 0, err
		}
	}
	list := make([]*moduleMeta, 0, len(modules))
	for _, m := range modules {
		sort.SliceStable(m.Vulns, func(i, j int) bool { return m.Vulns[i].ID < m.Vulns[j].ID })
		list = append(list, m)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Path < list[j].Path })
	for name, v := range map[string]any{"db.json": map[string]time.Time{"modified": newest}, "modules.json": list} {
		b, err := json.Marshal(v)
		if err != nil {
			return 0, err
		}
		if err := os.WriteFile(filepath.Join(tmp, "index", name), b, 0o644); err != nil {
			return 0, err
		}
	}
	if err := os.RemoveAll(out); err != nil {
		return 0, err
	}
	return len(files), os.Rename(tmp, out)
}

// setModified returns the record b with its "modified" field set to t,
// the other fields unchanged.
func setModified(b []byte, t time.Time) ([]byte, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(b, &fields); err != nil {
		return nil, err
	}
	v, err := json.Marshal(t)
	if err != nil {
		return nil, err
	}
	fields["modified"] = v
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(fields); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// latestFix is the version that fixes a vulnerability for good, as
// govulncheck's index computes it: the highest "fixed" of the SEMVER
// ranges, or "" when the vulnerability comes back in a later version (or
// was never fixed).
func latestFix(ranges []osvRange) string {
	latest := ""
	for _, r := range ranges {
		if r.Type != "SEMVER" {
			continue
		}
		for _, e := range r.Events {
			if e.Fixed != "" && compareSemver(latest, e.Fixed) < 0 {
				latest = e.Fixed
			}
		}
		for _, e := range r.Events {
			if e.Introduced != "" && e.Introduced != "0" && compareSemver(latest, e.Introduced) < 0 {
				latest = ""
				break
			}
		}
	}
	return latest
}

// version is a parsed semantic version (https://semver.org), without build
// metadata, which does not take part in ordering.
type version struct {
	nums [3]string
	pre  []string
}

// parseSemver reads "1.2.3", "v1.2.3", "go1.2.3" or "1.2.3-rc.1+build".
func parseSemver(s string) (version, bool) {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "v"), "go")
	s, _, _ = strings.Cut(s, "+")
	core, pre, hasPre := strings.Cut(s, "-")
	parts := strings.Split(core, ".")
	if len(parts) != 3 {
		return version{}, false
	}
	var v version
	for i, p := range parts {
		if !isNumber(p) {
			return version{}, false
		}
		v.nums[i] = p
	}
	if hasPre {
		v.pre = strings.Split(pre, ".")
		for _, id := range v.pre {
			if id == "" || strings.Trim(id, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-") != "" ||
				(isDigits(id) && !isNumber(id)) {
				return version{}, false
			}
		}
	}
	return v, true
}

func isDigits(s string) bool { return s != "" && strings.Trim(s, "0123456789") == "" }

// isNumber reports whether s is a decimal number without leading zeros.
func isNumber(s string) bool { return isDigits(s) && (s == "0" || s[0] != '0') }

// compareNumbers compares two numbers without leading zeros as text.
func compareNumbers(a, b string) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}

// compareSemver orders versions as semver does; a version that does not
// parse sorts before every valid one, as in golang.org/x/mod/semver.
func compareSemver(a, b string) int {
	va, oka := parseSemver(a)
	vb, okb := parseSemver(b)
	switch {
	case !oka && !okb:
		return 0
	case !oka:
		return -1
	case !okb:
		return 1
	}
	for i := range va.nums {
		if c := compareNumbers(va.nums[i], vb.nums[i]); c != 0 {
			return c
		}
	}
	// A pre-release comes before its release.
	switch {
	case va.pre == nil && vb.pre == nil:
		return 0
	case va.pre == nil:
		return 1
	case vb.pre == nil:
		return -1
	}
	for i := 0; i < len(va.pre) && i < len(vb.pre); i++ {
		x, y := va.pre[i], vb.pre[i]
		nx, ny := isDigits(x), isDigits(y)
		var c int
		switch {
		case nx && ny:
			c = compareNumbers(x, y)
		case nx:
			c = -1
		case ny:
			c = 1
		default:
			c = strings.Compare(x, y)
		}
		if c != 0 {
			return c
		}
	}
	return len(va.pre) - len(vb.pre)
}
