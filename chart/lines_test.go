package chart_test

import (
	"encoding/xml"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/samrad/samrad/chart"
)

// node is a parsed SVG element.
type node struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Text    string     `xml:",chardata"`
	Nodes   []node     `xml:",any"`
}

func (n node) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (n node) hasClass(c string) bool {
	for _, f := range strings.Fields(n.attr("class")) {
		if f == c {
			return true
		}
	}
	return false
}

// all returns the elements under n (n included) for which keep is true, in
// document order.
func (n node) all(keep func(node) bool) []node {
	var out []node
	if keep(n) {
		out = append(out, n)
	}
	for _, c := range n.Nodes {
		out = append(out, c.all(keep)...)
	}
	return out
}

func (n node) withClass(c string) []node {
	return n.all(func(m node) bool { return m.hasClass(c) })
}

// parse checks that the chart is well-formed XML and returns its root.
func parse(t *testing.T, c chart.Lines) (node, string) {
	t.Helper()
	svg := string(c.SVG())
	var root node
	d := xml.NewDecoder(strings.NewReader(svg))
	d.Strict = true
	if err := d.Decode(&root); err != nil {
		t.Fatalf("not well-formed: %v\n%s", err, svg)
	}
	if root.XMLName.Local != "svg" || root.attr("role") != "img" {
		t.Fatalf("root is <%s role=%q>, want <svg role=\"img\">", root.XMLName.Local, root.attr("role"))
	}
	return root, svg
}

func vals(vs ...float64) []*float64 {
	out := make([]*float64, len(vs))
	for i, v := range vs {
		if !math.IsNaN(v) {
			out[i] = chart.V(v)
		}
	}
	return out
}

var gap = math.NaN() // in vals: no figure

func years(from, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = strconv.Itoa(from + i)
	}
	return out
}

func sample() chart.Lines {
	return chart.Lines{ID: "trend", Title: "Innbyggere <over> 80 & eldre", Description: "Andelen øker i alle kommunene.", Unit: "prosent",
		Decimals: 1, Periods: years(2015, 6), Lang: "nb",
		Series: []chart.LineSeries{
			{Name: "Bodø", Values: vals(3.1, 3.3, 3.4, 3.6, 3.9, 4.2)},
			{Name: `Fauske & "Sulit" <kommune>`, Values: vals(4.5, 4.6, gap, 4.9, 5.0, 5.3), Highlight: true},
			{Name: "Saltdal", Values: vals(5.0, 5.1, 5.3, 5.2, 5.6, 5.9)},
		}}
}

func TestLinesWellFormedLabelledAndEscaped(t *testing.T) {
	root, svg := parse(t, sample())
	if got := root.attr("aria-labelledby"); got != "trend-title trend-desc" {
		t.Errorf("aria-labelledby %q", got)
	}
	var title, desc string
	for _, n := range root.Nodes {
		switch n.XMLName.Local {
		case "title":
			title = n.Text
			if n.attr("id") != "trend-title" {
				t.Errorf("title id %q", n.attr("id"))
			}
		case "desc":
			desc = n.Text
			if n.attr("id") != "trend-desc" {
				t.Errorf("desc id %q", n.attr("id"))
			}
		}
	}
	if title != "Innbyggere <over> 80 & eldre" || desc != "Andelen øker i alle kommunene." {
		t.Errorf("title %q, desc %q", title, desc)
	}
	for _, want := range []string{"Innbyggere &lt;over&gt; 80 &amp; eldre", "Fauske &amp; &#34;Sulit&#34; &lt;kommune&gt;", ">prosent<"} {
		if !strings.Contains(svg, want) {
			t.Errorf("the chart has no %q", want)
		}
	}
	if strings.Contains(svg, "<kommune>") || strings.Contains(svg, "<over>") || strings.Contains(svg, "<script") {
		t.Errorf("unescaped text in\n%s", svg)
	}
	// Every series has a direct label with its name and last value.
	var labels []string
	for _, g := range root.withClass("label") {
		for _, n := range g.Nodes {
			if n.XMLName.Local == "text" {
				labels = append(labels, n.Text)
			}
		}
	}
	want := []string{"Bodø: 4,2", `Fauske & "Sulit" <kommune>: 5,3`, "Saltdal: 5,9"}
	if fmt.Sprint(labels) != fmt.Sprint(want) {
		t.Errorf("labels %q, want %q", labels, want)
	}
	if strings.Contains(svg, "<script") || strings.Contains(svg, "@import") || strings.Contains(svg, "url(") {
		t.Error("the chart loads or runs something")
	}
}

func TestLinesControlCharactersAndInvalidUTF8(t *testing.T) {
	c := sample()
	c.Title = "A\x00B\x01C\xffD"
	c.ID = `x" onload="alert(1)`
	root, svg := parse(t, c)
	if strings.Contains(svg, "onload=") {
		t.Errorf("the id escaped its attribute: %s", svg[:200])
	}
	for _, n := range root.Nodes {
		if n.XMLName.Local == "title" && n.Text != "A\uFFFDB\uFFFDC\uFFFDD" {
			t.Errorf("title %q, want the bad characters replaced", n.Text)
		}
	}
	if got := root.attr("aria-labelledby"); got != "x--onload--alert-1--title x--onload--alert-1--desc" {
		t.Errorf("aria-labelledby %q", got)
	}
}

func TestLinesMarkersAndDashesDistinct(t *testing.T) {
	c := chart.Lines{Title: "t", Periods: years(2020, 3)}
	for i := range chart.MaxStyledSeries {
		c.Series = append(c.Series, chart.LineSeries{Name: fmt.Sprint("S", i), Values: vals(float64(i), float64(i+1), float64(i+2))})
	}
	root, _ := parse(t, c)
	groups := root.withClass("series")
	if len(groups) != chart.MaxStyledSeries {
		t.Fatalf("%d series groups, want %d", len(groups), chart.MaxStyledSeries)
	}
	seen := map[string]string{}
	markers, dashes := map[string]bool{}, map[string]bool{}
	for _, g := range groups {
		m, d := g.attr("data-marker"), g.attr("data-dash")
		if m == "" || d == "" {
			t.Fatalf("series %q has no marker or dash", g.attr("data-name"))
		}
		key := m + "/" + d
		if other, ok := seen[key]; ok {
			t.Errorf("series %q and %q are both %s", other, g.attr("data-name"), key)
		}
		seen[key] = g.attr("data-name")
		markers[m], dashes[d] = true, true
		// The drawn line uses the dash pattern (none when solid).
		lines := g.withClass("line")
		if len(lines) != 1 {
			t.Fatalf("series %q: %d lines", g.attr("data-name"), len(lines))
		}
		if got := lines[0].attr("stroke-dasharray"); (d == "solid" && got != "") || (d != "solid" && got != d) {
			t.Errorf("series %q: dasharray %q, data-dash %q", g.attr("data-name"), got, d)
		}
		if len(g.withClass("markers")) != 1 {
			t.Errorf("series %q has no markers", g.attr("data-name"))
		}
	}
	if len(markers) < 6 || len(dashes) < 6 {
		t.Errorf("%d marker shapes and %d dashes among 12 series, want at least 6 of each", len(markers), len(dashes))
	}
	// Marker paths differ per shape: the first series' path shapes are
	// not all the same.
	shapes := map[string]bool{}
	for _, g := range groups[:7] {
		d := g.withClass("markers")[0].attr("d")
		rest := d[strings.IndexAny(d, "mal"):]
		shapes[strings.Map(func(r rune) rune {
			if strings.ContainsRune("0123456789.- ", r) {
				return -1
			}
			return r
		}, rest)] = true
	}
	if len(shapes) < 6 {
		t.Errorf("only %d distinct marker drawings among the first 7 series", len(shapes))
	}
}

func TestLinesHighlightIsThickerAndOnTop(t *testing.T) {
	root, _ := parse(t, sample())
	groups := root.withClass("series")
	last := groups[len(groups)-1]
	if !last.hasClass("highlight") || !strings.HasPrefix(last.attr("data-name"), "Fauske") {
		t.Errorf("the last series drawn is %q, want the highlighted one", last.attr("data-name"))
	}
	width := func(g node) float64 {
		v, _ := strconv.ParseFloat(g.withClass("line")[0].attr("stroke-width"), 64)
		return v
	}
	for _, g := range groups[:len(groups)-1] {
		if width(g) >= width(last) {
			t.Errorf("%q is %v wide, the highlighted line %v", g.attr("data-name"), width(g), width(last))
		}
	}
	for _, g := range root.withClass("label") {
		bold := false
		for _, n := range g.Nodes {
			bold = bold || n.attr("font-weight") == "bold"
		}
		if bold != g.hasClass("highlight") {
			t.Errorf("label %v bold %v", g.Attrs, bold)
		}
	}
}

// points returns the subpaths of a path of M/L commands.
func subpaths(t *testing.T, d string) [][][2]float64 {
	t.Helper()
	var out [][][2]float64
	for _, part := range strings.FieldsFunc(d, func(r rune) bool { return r == 'M' }) {
		var sub [][2]float64
		for _, pt := range strings.Split(part, "L") {
			var x, y float64
			if _, err := fmt.Sscanf(pt, "%g %g", &x, &y); err != nil {
				t.Fatalf("path %q: %v", d, err)
			}
			sub = append(sub, [2]float64{x, y})
		}
		out = append(out, sub)
	}
	return out
}

var absMove = regexp.MustCompile(`M(-?[0-9.]+) (-?[0-9.]+)`)

// markerCentres returns the points of a markers path: each marker starts
// with an absolute move to its centre.
func markerCentres(d string) [][2]float64 {
	var out [][2]float64
	for _, m := range absMove.FindAllStringSubmatch(d, -1) {
		x, _ := strconv.ParseFloat(m[1], 64)
		y, _ := strconv.ParseFloat(m[2], 64)
		out = append(out, [2]float64{x, y})
	}
	return out
}

func TestLinesGapsBreakTheLine(t *testing.T) {
	c := chart.Lines{Title: "t", Periods: years(2010, 7), Series: []chart.LineSeries{
		{Name: "gaps", Values: vals(1, 2, gap, 4, 5, gap, 7)},
		{Name: "isolated", Values: vals(1, gap, 3, gap, 5)}, // shorter than the periods
		{Name: "none", Values: vals(gap, gap, gap, gap, gap, gap, gap)},
	}}
	root, _ := parse(t, c)
	groups := root.withClass("series")
	if len(groups) != 3 {
		t.Fatalf("%d groups", len(groups))
	}
	subs := subpaths(t, groups[0].withClass("line")[0].attr("d"))
	if len(subs) != 3 || len(subs[0]) != 2 || len(subs[1]) != 2 || len(subs[2]) != 1 {
		t.Errorf("subpaths %v, want 2+2+1 points", subs)
	}
	// The x of each point is its period's: the third subpath's single point
	// is the last period, right of the second subpath.
	if len(subs) == 3 && !(subs[2][0][0] > subs[1][1][0] && subs[1][0][0] > subs[0][1][0]) {
		t.Errorf("points out of order: %v", subs)
	}
	if n := len(groups[1].withClass("line")); n != 0 {
		t.Errorf("isolated points drawn as %d lines", n)
	}
	if d := groups[1].withClass("markers")[0].attr("d"); len(markerCentres(d)) != 3 {
		t.Errorf("isolated points: markers %q, want 3", d)
	}
	if len(groups[2].withClass("line"))+len(groups[2].withClass("markers")) != 0 {
		t.Error("a series without figures is drawn")
	}
	// Labels: only series with figures.
	if n := len(root.withClass("label")); n != 2 {
		t.Errorf("%d labels, want 2", n)
	}
}

func tickTexts(root node, class string) []string {
	var out []string
	for _, n := range root.withClass(class) {
		out = append(out, n.Text)
	}
	return out
}

func TestLinesTicks(t *testing.T) {
	for _, tc := range []struct {
		name     string
		fromZero bool
		values   []float64
		lang     string
		want     string
	}{
		{"counts from zero", true, []float64{12, 55, 97}, "nb", "[0 20 40 60 80 100]"},
		{"fit the range", false, []float64{512, 530, 547}, "nb", "[510 515 520 525 530 535 540 545 550]"},
		{"negative", false, []float64{-3.2, 1, 7.9}, "en", "[-4 -2 0 2 4 6 8]"},
		{"small steps", false, []float64{0.12, 0.2, 0.31}, "nb", "[0,10 0,15 0,20 0,25 0,30 0,35]"},
		{"huge, nb", true, []float64{0, 2.5e9, 4.1e9}, "nb", "[0 1\u00a0000\u00a0000\u00a0000 2\u00a0000\u00a0000\u00a0000 3\u00a0000\u00a0000\u00a0000 4\u00a0000\u00a0000\u00a0000 5\u00a0000\u00a0000\u00a0000]"},
		{"huge, en", true, []float64{0, 2.5e9, 4.1e9}, "en", "[0 1,000,000,000 2,000,000,000 3,000,000,000 4,000,000,000 5,000,000,000]"},
		{"one value", false, []float64{7}, "nb", "[0 1 2 3 4 5 6 7]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := chart.Lines{Title: "t", Lang: tc.lang, FromZero: tc.fromZero, Periods: years(2000, len(tc.values)),
				Series: []chart.LineSeries{{Name: "a", Values: vals(tc.values...)}}}
			root, _ := parse(t, c)
			got := tickTexts(root, "ytick")
			if fmt.Sprint(got) != tc.want {
				t.Errorf("ticks %q, want %s", got, tc.want)
			}
			// Ticks run bottom to top at even distances and cover every point.
			var ys []float64
			for _, n := range root.withClass("ytick") {
				y, _ := strconv.ParseFloat(n.attr("y"), 64)
				ys = append(ys, y)
			}
			for i := 2; i < len(ys); i++ {
				if math.Abs((ys[i]-ys[i-1])-(ys[1]-ys[0])) > 0.15 || ys[i] >= ys[i-1] {
					t.Errorf("tick positions %v", ys)
				}
			}
			points := markerCentres(root.withClass("markers")[0].attr("d"))
			if len(points) != len(tc.values) {
				t.Fatalf("%d markers for %d values", len(points), len(tc.values))
			}
			for _, p := range points {
				if p[1] > ys[0]-4+0.1 || p[1] < ys[len(ys)-1]-4-0.1 {
					t.Errorf("point %v outside the ticks %v", p, ys)
				}
			}
		})
	}
}

func TestLinesNumberFormat(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		dec  int
		nb   string
		en   string
		name string
	}{
		{1234.5, 1, "1\u00a0234,5", "1,234.5", "grouping"},
		{-1234567.891, 2, "-1\u00a0234\u00a0567,89", "-1,234,567.89", "negative"},
		{-0.04, 1, "0,0", "0.0", "no minus zero"},
		{999.96, 1, "1\u00a0000,0", "1,000.0", "rounding up"},
		{12, 0, "12", "12", "whole"},
		{2.5e18, 0, "2,50e+18", "2.50e+18", "very large"},
	} {
		if got := chart.FormatNumber(tc.v, tc.dec, "nb"); got != tc.nb {
			t.Errorf("%s: nb %q, want %q", tc.name, got, tc.nb)
		}
		if got := chart.FormatNumber(tc.v, tc.dec, "en"); got != tc.en {
			t.Errorf("%s: en %q, want %q", tc.name, got, tc.en)
		}
	}
	// In the chart: the labels follow the language.
	c := chart.Lines{Title: "t", Decimals: 1, Periods: []string{"2023"}, Series: []chart.LineSeries{{Name: "Oslo", Values: vals(1234.5)}}}
	for lang, want := range map[string]string{"nb": "Oslo: 1\u00a0234,5", "en": "Oslo: 1,234.5"} {
		c.Lang = lang
		root, _ := parse(t, c)
		var text string
		for _, n := range root.withClass("label")[0].Nodes {
			if n.XMLName.Local == "text" {
				text = n.Text
			}
		}
		if text != want {
			t.Errorf("%s label %q, want %q", lang, text, want)
		}
	}
}

func TestLinesDeterministic(t *testing.T) {
	a, b := sample(), sample()
	first := a.SVG()
	for range 5 {
		if a.SVG() != first || b.SVG() != first {
			t.Fatal("the same input gives different output")
		}
	}
	// A chart without an ID gets one derived from its content: stable, and
	// different for different charts.
	a.ID, b.ID = "", ""
	b.Title = "Another"
	ra, _ := parse(t, a)
	ra2, _ := parse(t, a)
	rb, _ := parse(t, b)
	if ra.attr("aria-labelledby") != ra2.attr("aria-labelledby") || ra.attr("aria-labelledby") == rb.attr("aria-labelledby") || ra.attr("aria-labelledby") == "" {
		t.Errorf("derived ids %q %q %q", ra.attr("aria-labelledby"), ra2.attr("aria-labelledby"), rb.attr("aria-labelledby"))
	}
}

// labelYs returns the y of each direct label's text.
func labelYs(root node) []float64 {
	var ys []float64
	for _, g := range root.withClass("label") {
		for _, n := range g.Nodes {
			if n.XMLName.Local == "text" {
				y, _ := strconv.ParseFloat(n.attr("y"), 64)
				ys = append(ys, y)
			}
		}
	}
	return ys
}

func TestLinesLabelsDoNotOverlap(t *testing.T) {
	c := chart.Lines{Title: "t", Periods: years(2020, 4), Height: 200}
	for i := range 10 { // ten series ending on almost the same value
		c.Series = append(c.Series, chart.LineSeries{Name: fmt.Sprint("Kommune ", i), Values: vals(float64(i), 5, 5, 50+float64(i)/100)})
	}
	root, _ := parse(t, c)
	ys := labelYs(root)
	if len(ys) != 10 {
		t.Fatalf("%d labels", len(ys))
	}
	for i := range ys {
		for j := range i {
			if math.Abs(ys[i]-ys[j]) < 14 {
				t.Errorf("labels %d and %d at %v and %v overlap", j, i, ys[j], ys[i])
			}
		}
	}
	// The drawing grew if needed to hold them all.
	var w, h float64
	fmt.Sscanf(root.attr("viewBox"), "0 0 %g %g", &w, &h)
	for _, y := range ys {
		if y > h || y < 0 {
			t.Errorf("label at %v outside the drawing of height %v", y, h)
		}
	}
	// Nudged labels are tied to their points with leader lines.
	if len(root.withClass("leader")) == 0 {
		t.Error("no leader lines for nudged labels")
	}
}

func TestLinesPeriodLabelsThinned(t *testing.T) {
	c := chart.Lines{Title: "t", Periods: years(1980, 45), Width: 480, Series: []chart.LineSeries{{Name: "a", Values: vals(1, 2)}}}
	root, _ := parse(t, c)
	texts := tickTexts(root, "xtick")
	if len(texts) >= 45 || len(texts) < 4 {
		t.Fatalf("%d period labels of 45: %v", len(texts), texts)
	}
	if texts[len(texts)-1] != "2024" {
		t.Errorf("the latest period is not labelled: %v", texts)
	}
	var prev float64 = -1
	for _, n := range root.withClass("xtick") {
		x, _ := strconv.ParseFloat(n.attr("x"), 64)
		if prev >= 0 && x-prev < 4*6.8 {
			t.Errorf("period labels %v apart overlap", x-prev)
		}
		prev = x
	}
	// Few periods: all labelled.
	c.Periods = years(2020, 5)
	root, _ = parse(t, c)
	if got := tickTexts(root, "xtick"); len(got) != 5 {
		t.Errorf("period labels %v, want all 5", got)
	}
}

func TestLinesEdgeCases(t *testing.T) {
	huge := chart.Lines{Title: "huge", Periods: years(2020, 3), Series: []chart.LineSeries{{Name: "a", Values: vals(1e14, 3e14, 9.9e14)}, {Name: "b", Values: vals(-5e14, 0, 2e18)}}}
	inf := math.Inf(1)
	for name, c := range map[string]chart.Lines{
		"empty":          {Title: "empty"},
		"no series":      {Title: "t", Periods: years(2020, 3)},
		"one period":     {Title: "t", Periods: []string{"2024"}, Series: []chart.LineSeries{{Name: "a", Values: vals(3)}, {Name: "b", Values: vals(4)}}},
		"one series":     {Title: "t", Periods: years(2020, 3), Series: []chart.LineSeries{{Name: "a", Values: vals(3, 4, 5)}}},
		"all gaps":       {Title: "t", Periods: years(2020, 3), Series: []chart.LineSeries{{Name: "a", Values: vals(gap, gap, gap)}, {Name: "b"}}},
		"all negative":   {Title: "t", FromZero: true, Periods: years(2020, 3), Series: []chart.LineSeries{{Name: "a", Values: vals(-3, -4, -5)}}},
		"huge":           huge,
		"not finite":     {Title: "t", Periods: years(2020, 3), Series: []chart.LineSeries{{Name: "a", Values: []*float64{&inf, chart.V(math.NaN()), chart.V(1e300)}}}},
		"tiny drawing":   {Title: "t", Width: 10, Height: 10, Periods: years(2020, 3), Series: []chart.LineSeries{{Name: "a", Values: vals(1, 2, 3)}}},
		"more values":    {Title: "t", Periods: years(2020, 2), Series: []chart.LineSeries{{Name: "a", Values: vals(1, 2, 3, 4)}}},
		"same value":     {Title: "t", Periods: years(2020, 2), Series: []chart.LineSeries{{Name: "a", Values: vals(-2, -2)}}},
		"long names":     {Title: "t", Periods: years(2020, 2), Series: []chart.LineSeries{{Name: strings.Repeat("Långnavn ", 30), Values: vals(1, 2)}}},
		"no description": {Title: "t", Periods: years(2020, 2), Series: []chart.LineSeries{{Name: "a", Values: vals(1, 2)}}},
	} {
		t.Run(name, func(t *testing.T) {
			root, svg := parse(t, c)
			if strings.Contains(svg, "NaN") || strings.Contains(svg, "Inf") {
				t.Errorf("NaN or Inf in the drawing")
			}
			if c.Description == "" && strings.Contains(root.attr("aria-labelledby"), "desc") {
				t.Errorf("aria-labelledby %q points at a missing description", root.attr("aria-labelledby"))
			}
			var w, h float64
			fmt.Sscanf(root.attr("viewBox"), "0 0 %g %g", &w, &h)
			for _, n := range root.all(func(n node) bool { return n.XMLName.Local == "text" }) {
				x, _ := strconv.ParseFloat(n.attr("x"), 64)
				y, _ := strconv.ParseFloat(n.attr("y"), 64)
				if x < 0 || x > w || y < 0 || y > h {
					t.Errorf("text %q at %v,%v outside %vx%v", n.Text, x, y, w, h)
				}
			}
		})
	}
	// Huge values: the largest is the top tick, in exponent form.
	root, _ := parse(t, huge)
	ticks := tickTexts(root, "ytick")
	if ticks[len(ticks)-1] != "2,00e+18" {
		t.Errorf("huge ticks %q", ticks)
	}
}

func TestLinesManySeries(t *testing.T) {
	c := many(372, 10)
	root, svg := parse(t, c)
	groups := root.withClass("series")
	if len(groups) != 372 {
		t.Fatalf("%d series drawn, want 372", len(groups))
	}
	// Only the highlighted series is styled and labelled; the rest are
	// context lines, drawn first so the highlight stays on top.
	if n := len(root.withClass("context")); n != 371 {
		t.Errorf("%d context lines, want 371", n)
	}
	if !groups[371].hasClass("highlight") || groups[371].attr("data-marker") == "" {
		t.Errorf("the highlighted series is not last or not styled: %v", groups[371].Attrs)
	}
	if ys := labelYs(root); len(ys) != 1 {
		t.Errorf("%d labels, want 1", len(ys))
	}
	if len(svg) > 400_000 {
		t.Errorf("%d bytes for 372 series", len(svg))
	}
}

func many(series, periods int) chart.Lines {
	c := chart.Lines{ID: "many", Title: "Alle kommuner", Unit: "kr", Decimals: 1, Periods: years(2015, periods), Lang: "nb"}
	for i := range series {
		s := chart.LineSeries{Name: fmt.Sprintf("Kommune %d <&>", i), Highlight: i == 200}
		for p := range periods {
			if (i+p)%17 == 0 {
				s.Values = append(s.Values, nil)
				continue
			}
			s.Values = append(s.Values, chart.V(float64((i*7919+p*104729)%10000)/3-1000))
		}
		c.Series = append(c.Series, s)
	}
	return c
}

func BenchmarkLines372x10(b *testing.B) {
	c := many(372, 10)
	b.ReportAllocs()
	for b.Loop() {
		_ = c.SVG()
	}
}

func BenchmarkLines12x20(b *testing.B) {
	c := many(12, 20)
	b.ReportAllocs()
	for b.Loop() {
		_ = c.SVG()
	}
}
