// Package chart draws the simple charts of reports as inline SVG: labelled
// horizontal bars, one or more series. Every bar carries its value as text
// and series differ in pattern as well as colour, so a chart reads without
// colour; callers show the same figures as a table for screen readers.
package chart

import (
	"fmt"
	"html/template"
	"strings"
)

// Series is one set of values, e.g. "Budget" and "Accounts".
type Series struct {
	Name string
}

// Row is one bar group: a label and one value per series.
type Row struct {
	Label  string
	Values []int64
	// Texts are the values as shown, formatted by the caller (e.g. money
	// in the page's language); empty means the plain number.
	Texts []string
}

// Bars is a horizontal bar chart.
type Bars struct {
	ID     string // unique on the page, for the title and description
	Title  string
	Desc   string // a one-sentence summary for assistive technology
	Series []Series
	Rows   []Row
}

const (
	width      = 640
	labelWidth = 210
	valueRoom  = 110
	barHeight  = 18
	barGap     = 4
	groupGap   = 12
	legendRow  = 22
	fontSize   = 12
)

// fills per series: solid dark, outlined light with a dark edge, hatched.
var fills = []struct{ fill, stroke, class string }{
	{"#1f4e79", "#1f4e79", "s0"},
	{"#ffffff", "#1f4e79", "s1"},
	{"url(#hatch)", "#6b3a00", "s2"},
}

// SVG renders the chart. Negative values are drawn as zero-length bars
// with their value written out.
func (c Bars) SVG() template.HTML {
	var max int64
	for _, r := range c.Rows {
		for _, v := range r.Values {
			if v > max {
				max = v
			}
		}
	}
	n := max1(len(c.Series))
	legend := 0
	if len(c.Series) > 1 {
		legend = legendRow
	}
	group := n*barHeight + (n-1)*barGap
	height := legend + len(c.Rows)*(group+groupGap) + groupGap
	var b strings.Builder
	esc := template.HTMLEscapeString
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 %d %d" width="100%%" aria-labelledby="%s-title %s-desc" font-family="sans-serif" font-size="%d">`,
		width, height, esc(c.ID), esc(c.ID), fontSize)
	fmt.Fprintf(&b, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, esc(c.ID), esc(c.Title), esc(c.ID), esc(c.Desc))
	b.WriteString(`<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#6b3a00" stroke-width="3"/></pattern></defs>`)
	if legend > 0 {
		x := labelWidth
		for i, s := range c.Series {
			f := fills[i%len(fills)]
			fmt.Fprintf(&b, `<rect x="%d" y="4" width="14" height="14" fill="%s" stroke="%s"/><text x="%d" y="16">%s</text>`, x, f.fill, f.stroke, x+20, esc(s.Name))
			x += 30 + 8*len([]rune(s.Name))
		}
	}
	span := width - labelWidth - valueRoom
	y := legend + groupGap
	for _, r := range c.Rows {
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`, labelWidth-8, y+group/2+fontSize/2-2, esc(clip(r.Label, 32)))
		for i := 0; i < n; i++ {
			var v int64
			if i < len(r.Values) {
				v = r.Values[i]
			}
			w := 0
			if max > 0 && v > 0 {
				w = int(float64(v) / float64(max) * float64(span))
				if w < 1 {
					w = 1
				}
			}
			text := fmt.Sprint(v)
			if i < len(r.Texts) && r.Texts[i] != "" {
				text = r.Texts[i]
			}
			f := fills[i%len(fills)]
			by := y + i*(barHeight+barGap)
			fmt.Fprintf(&b, `<rect class="%s" x="%d" y="%d" width="%d" height="%d" fill="%s" stroke="%s"/>`, f.class, labelWidth, by, w, barHeight, f.fill, f.stroke)
			fmt.Fprintf(&b, `<text x="%d" y="%d">%s</text>`, labelWidth+w+6, by+barHeight-5, esc(text))
		}
		y += group + groupGap
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func max1(n int) int {
	if n < 1 {
		return 1
	}
	return n
}

// clip shortens a label to n characters with an ellipsis.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
