package metrics

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Scraped is one sample read back from the text format.
type Scraped struct {
	Name   string
	Labels map[string]string
	Value  float64
}

// Parse reads the text exposition format strictly: every sample belongs to
// a family announced by # HELP and # TYPE before it, names and labels are
// well formed, values are numbers, and no series appears twice. It
// returns the samples and each family's type; it exists for tests and for
// checking a running server.
func Parse(r io.Reader) ([]Scraped, map[string]string, error) {
	types := map[string]string{}
	helped := map[string]bool{}
	seen := map[string]bool{}
	var out []Scraped
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		fail := func(format string, args ...any) error {
			return fmt.Errorf("line %d: %s: %q", n, fmt.Sprintf(format, args...), line)
		}
		switch {
		case line == "":
			return nil, nil, fail("empty line")
		case strings.HasPrefix(line, "# HELP "):
			name, _, _ := strings.Cut(line[len("# HELP "):], " ")
			if !validName(name) || helped[name] {
				return nil, nil, fail("bad or repeated HELP")
			}
			helped[name] = true
			continue
		case strings.HasPrefix(line, "# TYPE "):
			f := strings.Fields(line[len("# TYPE "):])
			if len(f) != 2 || !validName(f[0]) || types[f[0]] != "" {
				return nil, nil, fail("bad or repeated TYPE")
			}
			switch f[1] {
			case "counter", "gauge", "histogram", "summary", "untyped":
			default:
				return nil, nil, fail("unknown type %s", f[1])
			}
			types[f[0]] = f[1]
			continue
		case strings.HasPrefix(line, "#"):
			continue
		}
		s, err := parseSample(line)
		if err != nil {
			return nil, nil, fail("%v", err)
		}
		fam := s.Name
		if types[fam] == "" {
			for _, suffix := range []string{"_bucket", "_sum", "_count"} {
				if base, ok := strings.CutSuffix(s.Name, suffix); ok && types[base] == "histogram" {
					fam = base
				}
			}
		}
		if types[fam] == "" || !helped[fam] {
			return nil, nil, fail("sample before its # HELP and # TYPE")
		}
		if types[fam] == "counter" && (s.Value < 0 || math.IsNaN(s.Value)) {
			return nil, nil, fail("counter below zero")
		}
		key := s.Name + "{" + canonical(s.Labels) + "}"
		if seen[key] {
			return nil, nil, fail("series repeated")
		}
		seen[key] = true
		out = append(out, s)
	}
	if err := sc.Err(); err != nil {
		return nil, nil, err
	}
	return out, types, nil
}

func parseSample(line string) (Scraped, error) {
	s := Scraped{Labels: map[string]string{}}
	i := strings.IndexAny(line, "{ ")
	if i <= 0 {
		return s, fmt.Errorf("no value")
	}
	s.Name = line[:i]
	if !validName(s.Name) {
		return s, fmt.Errorf("bad name")
	}
	rest := line[i:]
	if rest[0] == '{' {
		rest = rest[1:]
		for {
			if strings.HasPrefix(rest, "}") {
				rest = rest[1:]
				break
			}
			eq := strings.Index(rest, `="`)
			if eq <= 0 || !validLabel(rest[:eq]) {
				return s, fmt.Errorf("bad label")
			}
			name := rest[:eq]
			rest = rest[eq+2:]
			var val strings.Builder
			closed := false
			for j := 0; j < len(rest); j++ {
				c := rest[j]
				if c == '\\' && j+1 < len(rest) {
					switch rest[j+1] {
					case '\\':
						val.WriteByte('\\')
					case '"':
						val.WriteByte('"')
					case 'n':
						val.WriteByte('\n')
					default:
						return s, fmt.Errorf("bad escape in label %s", name)
					}
					j++
					continue
				}
				if c == '"' {
					rest = rest[j+1:]
					closed = true
					break
				}
				val.WriteByte(c)
			}
			if !closed {
				return s, fmt.Errorf("unterminated label %s", name)
			}
			if _, dup := s.Labels[name]; dup {
				return s, fmt.Errorf("label %s twice", name)
			}
			s.Labels[name] = val.String()
			if strings.HasPrefix(rest, ",") {
				rest = rest[1:]
			} else if !strings.HasPrefix(rest, "}") {
				return s, fmt.Errorf("expected , or } after label %s", name)
			}
		}
	}
	if !strings.HasPrefix(rest, " ") {
		return s, fmt.Errorf("no space before the value")
	}
	f := strings.Fields(rest)
	if len(f) != 1 {
		return s, fmt.Errorf("expected one value (no timestamps)")
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return s, fmt.Errorf("value: %v", err)
	}
	s.Value = v
	return s, nil
}

// canonical is a series' labels in a fixed order, for comparing series.
func canonical(labels map[string]string) string {
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%q,", k, labels[k])
	}
	return b.String()
}

// Find returns the value of the series with the name and exactly these
// labels (name, value pairs), and whether it is there.
func Find(samples []Scraped, name string, labels ...string) (float64, bool) {
	want := map[string]string{}
	for i := 0; i+1 < len(labels); i += 2 {
		want[labels[i]] = labels[i+1]
	}
	for _, s := range samples {
		if s.Name == name && canonical(s.Labels) == canonical(want) {
			return s.Value, true
		}
	}
	return 0, false
}
