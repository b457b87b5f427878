package chart

import (
	"hash/fnv"
	"html/template"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// LineSeries is one line of a Lines chart, e.g. one member's figures.
type LineSeries struct {
	Name string
	// Values holds one value per period; nil is a gap (no figure for that
	// period), which breaks the line. Missing trailing values are gaps and
	// values beyond the periods are ignored. NaN, infinities and values
	// beyond ±1e100 are treated as gaps.
	Values []*float64
	// Highlight draws the series thicker and on top, e.g. the viewer's own
	// municipality.
	Highlight bool
}

// Lines is a line chart of trends over periods, one line per series.
//
// Every styled series has its own marker shape and dash pattern (as well as
// colour) and a direct label at its right end showing the same marker and
// dash, its name and its last value, so the chart reads without colour.
// When there are more than MaxStyledSeries series, only the highlighted
// ones are styled and labelled; the others are drawn as thin grey context
// lines. Callers show the same figures as a table for screen readers.
type Lines struct {
	ID          string // unique on the page, for the title and description; empty derives one from the content
	Title       string
	Description string // a one-sentence summary for assistive technology
	Unit        string // shown above the value axis, e.g. "%" or "kr per innbygger"
	Decimals    int    // decimals of the values in labels
	Periods     []string
	Series      []LineSeries
	Lang        string // "en" formats 1,234.5; anything else the Norwegian way, 1 234,5
	// FromZero makes the value axis include zero (e.g. for counts); else
	// it fits the range of the values.
	FromZero bool
	// Width and Height are the size of the drawing in user units (the SVG
	// scales to its container); zero means 640 by 360.
	Width, Height int
}

// MaxStyledSeries is the most series drawn with their own marker, dash and
// label; beyond it only highlighted series are.
const MaxStyledSeries = 12

// V returns a pointer to v, for LineSeries.Values.
func V(v float64) *float64 { return &v }

// lineStyle is how one styled series is drawn.
type lineStyle struct {
	index  int // among the styled series, for the class s<index>
	color  string
	marker string // name, also in data-marker
	dash   string // stroke-dasharray; "" is solid
}

// Seven marker shapes and six dash patterns: as 7 and 6 are coprime,
// series i gets shape i%7 and dash i%6, distinct for the first 42 series.
var (
	lineColors = []string{"#1f4e79", "#a6480c", "#1b6b3a", "#6a3d8f", "#7a5a00", "#b0246b"}
	lineDashes = []string{"", "8 4", "2 3", "8 3 2 3", "3 6", "8 3 2 3 2 3"}
	markerKind = []string{"circle", "square", "triangle", "diamond", "cross", "triangle-down", "plus"}
)

const contextColor = "#8c8c8c"

func styleOf(i int) lineStyle {
	return lineStyle{index: i, color: lineColors[i%len(lineColors)], marker: markerKind[i%len(markerKind)], dash: lineDashes[i%len(lineDashes)]}
}

// marker appends a relative path drawing the named shape of size r around
// the current point (after an absolute "M x y").
func appendMarker(b []byte, kind string, r float64) []byte {
	n := func(b []byte, v float64) []byte { return appendNum(b, v) }
	switch kind {
	case "square":
		b = append(b, 'm')
		b = n(b, -r)
		b = append(b, ' ')
		b = n(b, -r)
		b = append(b, 'h')
		b = n(b, 2*r)
		b = append(b, 'v')
		b = n(b, 2*r)
		b = append(b, 'h')
		b = n(b, -2*r)
		b = append(b, 'z')
	case "triangle", "triangle-down":
		s := 1.0
		if kind == "triangle-down" {
			s = -1
		}
		h := r * 1.25
		b = append(b, "m0 "...)
		b = n(b, -s*h)
		b = append(b, 'l')
		b = n(b, h)
		b = append(b, ' ')
		b = n(b, s*2*h)
		b = append(b, 'h')
		b = n(b, -2*h)
		b = append(b, 'z')
	case "diamond":
		h := r * 1.35
		b = append(b, "m0 "...)
		b = n(b, -h)
		b = append(b, 'l')
		b = n(b, h)
		b = append(b, ' ')
		b = n(b, h)
		b = append(b, 'l')
		b = n(b, -h)
		b = append(b, ' ')
		b = n(b, h)
		b = append(b, 'l')
		b = n(b, -h)
		b = append(b, ' ')
		b = n(b, -h)
		b = append(b, 'z')
	case "cross":
		b = append(b, 'm')
		b = n(b, -r)
		b = append(b, ' ')
		b = n(b, -r)
		b = append(b, 'l')
		b = n(b, 2*r)
		b = append(b, ' ')
		b = n(b, 2*r)
		b = append(b, "m0 "...)
		b = n(b, -2*r)
		b = append(b, 'l')
		b = n(b, -2*r)
		b = append(b, ' ')
		b = n(b, 2*r)
	case "plus":
		h := r * 1.2
		b = append(b, 'm')
		b = n(b, -h)
		b = append(b, " 0h"...)
		b = n(b, 2*h)
		b = append(b, 'm')
		b = n(b, -h)
		b = append(b, ' ')
		b = n(b, -h)
		b = append(b, 'v')
		b = n(b, 2*h)
	default: // circle
		b = append(b, 'm')
		b = n(b, -r)
		b = append(b, " 0a"...)
		b = n(b, r)
		b = append(b, ' ')
		b = n(b, r)
		b = append(b, " 0 1 0 "...)
		b = n(b, 2*r)
		b = append(b, " 0a"...)
		b = n(b, r)
		b = append(b, ' ')
		b = n(b, r)
		b = append(b, " 0 1 0 "...)
		b = n(b, -2*r)
		b = append(b, " 0z"...)
	}
	return b
}

// appendNum appends a coordinate rounded to one decimal, without a
// trailing ".0".
func appendNum(b []byte, v float64) []byte {
	v = math.Round(v*10) / 10
	if v == 0 {
		v = 0 // no "-0"
	}
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.AppendInt(b, int64(v), 10)
	}
	return strconv.AppendFloat(b, v, 'f', 1, 64)
}

// FormatNumber formats v with the given decimals in the page's language:
// "1 234,5" (with no-break spaces) for Norwegian, "1,234.5" for "en".
// Magnitudes from 1e15 are written in exponent form.
func FormatNumber(v float64, decimals int, lang string) string {
	if decimals < 0 {
		decimals = 0
	}
	if decimals > 10 {
		decimals = 10
	}
	group, point := "\u00a0", ","
	if lang == "en" {
		group, point = ",", "."
	}
	switch {
	case math.IsNaN(v):
		return "–"
	case math.IsInf(v, 0) || math.Abs(v) >= 1e15:
		s := strconv.FormatFloat(v, 'e', 2, 64)
		return strings.Replace(s, ".", point, 1)
	}
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
		if strings.Trim(s, "0.") == "" {
			sign = "" // rounded to zero
		}
	}
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	b.Grow(len(s) + len(s)/3*2 + 1)
	b.WriteString(sign)
	for i := 0; i < len(whole); i++ {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteByte(whole[i])
	}
	if frac != "" {
		b.WriteString(point)
		b.WriteString(frac)
	}
	return b.String()
}

// xmlText makes s safe as SVG text or attribute: valid UTF-8 without the
// characters XML forbids, markup characters escaped.
func xmlText(s string) string {
	plain := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x80 || c == '<' || c == '>' || c == '&' || c == '"' || c == '\'' {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	ok := true
	for _, r := range s {
		if !xmlChar(r) {
			ok = false
			break
		}
	}
	if !ok {
		s = strings.Map(func(r rune) rune {
			if xmlChar(r) {
				return r
			}
			return '\uFFFD'
		}, s)
	}
	return template.HTMLEscapeString(s)
}

func xmlChar(r rune) bool {
	return r == 0x9 || r == 0xA || r == 0xD || (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}

// niceTicks returns evenly spaced round values (steps of 1, 2, 2.5 or 5
// times a power of ten) covering lo..hi with about n ticks, and the
// decimals their labels need.
func niceTicks(lo, hi float64, n int) ([]float64, int) {
	if n < 2 {
		n = 2
	}
	if !(hi > lo) {
		switch {
		case lo == 0:
			lo, hi = 0, 1
		case lo > 0:
			lo, hi = 0, lo
		default:
			hi = 0
		}
	}
	raw := (hi - lo) / float64(n-1)
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * p
	for _, m := range []float64{1, 2, 2.5, 5} {
		if m*p >= raw*(1-1e-9) {
			step = m * p
			break
		}
	}
	first := math.Floor(lo/step+1e-9) * step
	last := math.Ceil(hi/step-1e-9) * step
	count := int(math.Round((last-first)/step)) + 1
	if count < 2 {
		count = 2
	}
	ticks := make([]float64, count)
	for i := range ticks {
		ticks[i] = first + float64(i)*step
		if math.Abs(ticks[i]) < step*1e-9 {
			ticks[i] = 0
		}
	}
	dec := 0
	for dec < 10 {
		scaled := step * math.Pow(10, float64(dec))
		if math.Abs(scaled-math.Round(scaled)) < 1e-6*scaled {
			break
		}
		dec++
	}
	return ticks, dec
}

// textWidth estimates the width of s at the chart's font size.
func textWidth(s string) float64 { return float64(utf8.RuneCountInString(s)) * 6.8 }

func usable(v *float64) (float64, bool) {
	if v == nil || math.IsNaN(*v) || math.IsInf(*v, 0) || math.Abs(*v) > 1e100 {
		return 0, false
	}
	return *v, true
}

// lineLabel is a direct label at the right of the plot.
type lineLabel struct {
	series int
	want   float64 // y of the series' last point
	y      float64 // y after nudging
}

const (
	labelGap    = 15 // vertical distance between direct labels
	sampleWidth = 30 // line sample in a label
)

// SVG renders the chart.
func (c Lines) SVG() template.HTML {
	w, h := float64(c.Width), float64(c.Height)
	if c.Width <= 0 {
		w = 640
	}
	if c.Height <= 0 {
		h = 360
	}
	w, h = math.Max(w, 240), math.Max(h, 160)
	nPeriods := len(c.Periods)

	// Which series are styled and labelled.
	styled := make([]bool, len(c.Series))
	for i, s := range c.Series {
		styled[i] = len(c.Series) <= MaxStyledSeries || s.Highlight
	}

	// Value range.
	lo, hi := math.Inf(1), math.Inf(-1)
	last := make([]int, len(c.Series)) // index of the last figure, -1 for none
	for i, s := range c.Series {
		last[i] = -1
		for p := 0; p < nPeriods && p < len(s.Values); p++ {
			if v, ok := usable(s.Values[p]); ok {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
				last[i] = p
			}
		}
	}
	if lo > hi { // no figures
		lo, hi = 0, 0
	}
	if c.FromZero {
		lo, hi = math.Min(lo, 0), math.Max(hi, 0)
	}

	top := 14.0
	if c.Unit != "" {
		top = 30
	}
	bottom := h - 30
	ticks, tickDec := niceTicks(lo, hi, int(math.Max(2, math.Min(8, (bottom-top)/45+1))))
	lo, hi = ticks[0], ticks[len(ticks)-1]
	tickText := make([]string, len(ticks))
	left := 0.0
	for i, t := range ticks {
		tickText[i] = FormatNumber(t, tickDec, c.Lang)
		left = math.Max(left, textWidth(tickText[i]))
	}
	left = math.Min(left, w*0.3) + 14

	// Direct labels and the room they need on the right.
	var labels []lineLabel
	labelText := make([]string, len(c.Series))
	for i, s := range c.Series {
		if styled[i] && last[i] >= 0 {
			labels = append(labels, lineLabel{series: i})
			v, _ := usable(s.Values[last[i]])
			labelText[i] = FormatNumber(v, c.Decimals, c.Lang)
		}
	}
	right := 12.0
	if len(labels) > 0 {
		maxText := w*0.4 - sampleWidth - 14
		widest := 0.0
		for _, l := range labels {
			s := c.Series[l.series]
			room := int((maxText-textWidth(labelText[l.series])-textWidth(": "))/6.8 + 0.5)
			labelText[l.series] = clip(s.Name, max(room, 4)) + ": " + labelText[l.series]
			widest = math.Max(widest, textWidth(labelText[l.series]))
		}
		right = sampleWidth + 14 + math.Min(widest, maxText) + 6
	}
	plotL, plotR := left, w-right
	const pad = 10 // keeps edge markers inside the plot
	xOf := func(p int) float64 {
		if nPeriods <= 1 {
			return (plotL + plotR) / 2
		}
		return plotL + pad + float64(p)*(plotR-plotL-2*pad)/float64(nPeriods-1)
	}
	yOf := func(v float64) float64 {
		if hi == lo {
			return bottom
		}
		return bottom - (v-lo)/(hi-lo)*(bottom-top)
	}

	// Nudge the labels apart, keeping them in order of their points.
	for k := range labels {
		v, _ := usable(c.Series[labels[k].series].Values[last[labels[k].series]])
		labels[k].want = yOf(v)
	}
	sort.SliceStable(labels, func(a, b int) bool { return labels[a].want < labels[b].want })
	minY, maxY := top, h-8
	for k := range labels {
		labels[k].y = labels[k].want
		if k > 0 && labels[k].y < labels[k-1].y+labelGap {
			labels[k].y = labels[k-1].y + labelGap
		}
	}
	for k := len(labels) - 1; k >= 0; k-- {
		limit := maxY
		if k < len(labels)-1 {
			limit = labels[k+1].y - labelGap
		}
		labels[k].y = math.Min(labels[k].y, limit)
	}
	if len(labels) > 0 && labels[0].y < minY { // more labels than fit: extend downwards
		labels[0].y = minY
		for k := 1; k < len(labels); k++ {
			labels[k].y = math.Max(labels[k].y, labels[k-1].y+labelGap)
		}
		h = math.Max(h, labels[len(labels)-1].y+8)
	}

	id := c.ID
	if id == "" {
		id = c.derivedID()
	} else {
		id = safeID(id)
	}

	b := make([]byte, 0, 4096+len(c.Series)*(nPeriods*24+200))
	b = append(b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-lines" role="img" viewBox="0 0 `...)
	b = appendNum(b, w)
	b = append(b, ' ')
	b = appendNum(b, h)
	b = append(b, `" width="100%" aria-labelledby="`...)
	b = append(b, id...)
	b = append(b, "-title"...)
	if c.Description != "" {
		b = append(b, ' ')
		b = append(b, id...)
		b = append(b, "-desc"...)
	}
	b = append(b, `" font-family="sans-serif" font-size="12"><title id="`...)
	b = append(b, id...)
	b = append(b, `-title">`...)
	b = append(b, xmlText(c.Title)...)
	b = append(b, `</title>`...)
	if c.Description != "" {
		b = append(b, `<desc id="`...)
		b = append(b, id...)
		b = append(b, `-desc">`...)
		b = append(b, xmlText(c.Description)...)
		b = append(b, `</desc>`...)
	}

	// Unit, grid and value axis.
	if c.Unit != "" {
		b = append(b, `<text class="unit" x="`...)
		b = appendNum(b, plotL)
		b = append(b, `" y="14">`...)
		b = append(b, xmlText(c.Unit)...)
		b = append(b, `</text>`...)
	}
	b = append(b, `<g class="axis y-axis">`...)
	for i, t := range ticks {
		y := yOf(t)
		b = append(b, `<path d="M`...)
		b = appendNum(b, plotL)
		b = append(b, ' ')
		b = appendNum(b, y)
		b = append(b, 'H')
		b = appendNum(b, plotR)
		if t == 0 && lo < 0 {
			b = append(b, `" class="zero" stroke="#505050" stroke-width="1.5"/>`...)
		} else {
			b = append(b, `" class="grid" stroke="#d0d0d0" stroke-width="1"/>`...)
		}
		b = append(b, `<text class="ytick" x="`...)
		b = appendNum(b, plotL-6)
		b = append(b, `" y="`...)
		b = appendNum(b, y+4)
		b = append(b, `" text-anchor="end">`...)
		b = append(b, xmlText(tickText[i])...)
		b = append(b, `</text>`...)
	}
	b = append(b, `<path d="M`...)
	b = appendNum(b, plotL)
	b = append(b, ' ')
	b = appendNum(b, top)
	b = append(b, 'V')
	b = appendNum(b, bottom)
	b = append(b, `" stroke="#505050" stroke-width="1"/></g>`...)

	// Period axis, labels thinned so they do not overlap; the latest
	// period is always labelled.
	b = append(b, `<g class="axis x-axis">`...)
	every := 1
	if nPeriods > 1 {
		widest := 0.0
		for _, p := range c.Periods {
			widest = math.Max(widest, textWidth(p))
		}
		spacing := (plotR - plotL - 2*pad) / float64(nPeriods-1)
		every = max(1, int(math.Ceil((math.Min(widest, 120)+8)/spacing)))
	}
	for p := range nPeriods {
		if (nPeriods-1-p)%every != 0 {
			continue
		}
		x := xOf(p)
		b = append(b, `<path d="M`...)
		b = appendNum(b, x)
		b = append(b, ' ')
		b = appendNum(b, bottom)
		b = append(b, `v5" stroke="#505050"/><text class="xtick" x="`...)
		b = appendNum(b, x)
		b = append(b, `" y="`...)
		b = appendNum(b, bottom+19)
		b = append(b, `" text-anchor="middle">`...)
		b = append(b, xmlText(clip(c.Periods[p], 18))...)
		b = append(b, `</text>`...)
	}
	b = append(b, `</g>`...)

	// Lines: context lines first, then styled ones, highlighted on top.
	rank := make([]int, 0, len(c.Series))
	for pass := range 3 {
		for i, s := range c.Series {
			if (pass == 0 && !styled[i]) || (pass == 1 && styled[i] && !s.Highlight) || (pass == 2 && styled[i] && s.Highlight) {
				rank = append(rank, i)
			}
		}
	}
	styleIndex := make([]int, len(c.Series)) // styled series numbered in order
	k := 0
	for i := range c.Series {
		if styled[i] {
			styleIndex[i] = k
			k++
		}
	}
	var sc scratch
	for _, i := range rank {
		b = c.appendSeries(b, &sc, i, styled[i], styleOf(styleIndex[i]), xOf, yOf)
	}

	// Direct labels, in series order for a stable reading order.
	sort.SliceStable(labels, func(a, b int) bool { return labels[a].series < labels[b].series })
	lx := plotR + 8
	for _, l := range labels {
		i := l.series
		st := styleOf(styleIndex[i])
		sw, r := "1.75", 3.2
		if c.Series[i].Highlight {
			sw, r = "3.5", 4.5
		}
		b = append(b, `<g class="label`...)
		if c.Series[i].Highlight {
			b = append(b, ` highlight`...)
		}
		b = append(b, `">`...)
		px, py := xOf(last[i]), l.want
		if px < xOf(nPeriods-1)-0.5 || math.Abs(l.y-py) > 2 {
			b = append(b, `<path class="leader" d="M`...)
			b = appendNum(b, px+r+2)
			b = append(b, ' ')
			b = appendNum(b, py)
			b = append(b, 'L')
			b = appendNum(b, lx-2)
			b = append(b, ' ')
			b = appendNum(b, l.y)
			b = append(b, `" stroke="#767676" stroke-width="0.75" fill="none"/>`...)
		}
		b = append(b, `<path d="M`...)
		b = appendNum(b, lx)
		b = append(b, ' ')
		b = appendNum(b, l.y)
		b = append(b, `h`...)
		b = appendNum(b, sampleWidth)
		b = append(b, `" fill="none" stroke="`...)
		b = append(b, st.color...)
		b = append(b, `" stroke-width="`...)
		b = append(b, sw...)
		if st.dash != "" {
			b = append(b, `" stroke-dasharray="`...)
			b = append(b, st.dash...)
		}
		b = append(b, `"/><path d="M`...)
		b = appendNum(b, lx+sampleWidth/2)
		b = append(b, ' ')
		b = appendNum(b, l.y)
		b = appendMarker(b, st.marker, r)
		b = append(b, `" fill="`...)
		b = append(b, st.color...)
		b = append(b, `" stroke="`...)
		b = append(b, st.color...)
		b = append(b, `" stroke-width="1.5"/><text x="`...)
		b = appendNum(b, lx+sampleWidth+6)
		b = append(b, `" y="`...)
		b = appendNum(b, l.y+4)
		if c.Series[i].Highlight {
			b = append(b, `" font-weight="bold`...)
		}
		b = append(b, `">`...)
		b = append(b, xmlText(labelText[i])...)
		b = append(b, `</text></g>`...)
	}
	b = append(b, `</svg>`...)
	return template.HTML(b)
}

// appendSeries draws one series: its line, broken at gaps, and its markers
// (styled series) or dots at isolated points (context lines).
func (c Lines) appendSeries(b []byte, sc *scratch, i int, styled bool, st lineStyle, xOf func(int) float64, yOf func(float64) float64) []byte {
	s := c.Series[i]
	n := min(len(c.Periods), len(s.Values))
	color, sw, r := contextColor, "0.75", 2.0
	if styled {
		color, sw, r = st.color, "1.75", 3.2
		if s.Highlight {
			sw, r = "3.5", 4.5
		}
	}
	b = append(b, `<g class="series`...)
	if styled {
		b = append(b, " s"...)
		b = strconv.AppendInt(b, int64(st.index), 10)
	} else {
		b = append(b, " context"...)
	}
	if s.Highlight {
		b = append(b, " highlight"...)
	}
	b = append(b, `" data-name="`...)
	b = append(b, xmlText(s.Name)...)
	if styled {
		b = append(b, `" data-marker="`...)
		b = append(b, st.marker...)
		b = append(b, `" data-dash="`...)
		if st.dash == "" {
			b = append(b, "solid"...)
		} else {
			b = append(b, st.dash...)
		}
	}
	b = append(b, `">`...)

	// The line: a new subpath after each gap.
	line, isolated := sc.line[:0], sc.isolated[:0]
	defer func() { sc.line, sc.isolated = line, isolated }()
	prev := false
	for p := 0; p < n; p++ {
		v, ok := usable(s.Values[p])
		if !ok {
			prev = false
			continue
		}
		next := false
		if p+1 < n {
			_, next = usable(s.Values[p+1])
		}
		if !prev && !next {
			isolated = append(isolated, p)
		}
		if prev {
			line = append(line, 'L')
		} else {
			line = append(line, 'M')
		}
		line = appendNum(line, xOf(p))
		line = append(line, ' ')
		line = appendNum(line, yOf(v))
		prev = true
	}
	if len(line) > 0 && len(isolated) < countPoints(line) {
		b = append(b, `<path class="line" d="`...)
		b = append(b, line...)
		b = append(b, `" fill="none" stroke="`...)
		b = append(b, color...)
		b = append(b, `" stroke-width="`...)
		b = append(b, sw...)
		if styled && st.dash != "" {
			b = append(b, `" stroke-dasharray="`...)
			b = append(b, st.dash...)
		}
		b = append(b, `" stroke-linejoin="round"/>`...)
	}

	// Markers, one path for the series.
	marks := sc.marks[:0]
	defer func() { sc.marks = marks }()
	if styled {
		for p := 0; p < n; p++ {
			if v, ok := usable(s.Values[p]); ok {
				marks = appendPoint(marks, xOf(p), yOf(v))
				marks = appendMarker(marks, st.marker, r)
			}
		}
	} else {
		for _, p := range isolated {
			v, _ := usable(s.Values[p])
			marks = appendPoint(marks, xOf(p), yOf(v))
			marks = appendMarker(marks, "circle", r)
		}
	}
	if len(marks) > 0 {
		b = append(b, `<path class="markers" d="`...)
		b = append(b, marks...)
		b = append(b, `" fill="`...)
		b = append(b, color...)
		b = append(b, `" stroke="`...)
		b = append(b, color...)
		b = append(b, `" stroke-width="1.5"/>`...)
	}
	return append(b, `</g>`...)
}

// scratch holds buffers reused from series to series.
type scratch struct {
	line, marks []byte
	isolated    []int
}

func appendPoint(b []byte, x, y float64) []byte {
	b = append(b, 'M')
	b = appendNum(b, x)
	b = append(b, ' ')
	return appendNum(b, y)
}

// countPoints counts the points of a path made of M and L commands.
func countPoints(d []byte) int {
	n := 0
	for _, c := range d {
		if c == 'M' || c == 'L' {
			n++
		}
	}
	return n
}

// derivedID is a stable id from the chart's content, for charts without one.
func (c Lines) derivedID() string {
	f := fnv.New64a()
	f.Write([]byte(c.Title))
	for _, p := range c.Periods {
		f.Write([]byte{0})
		f.Write([]byte(p))
	}
	for _, s := range c.Series {
		f.Write([]byte{1})
		f.Write([]byte(s.Name))
	}
	return "lines-" + strconv.FormatUint(f.Sum64(), 36)
}

// safeID keeps letters, digits, '-' and '_' so the id works in
// aria-labelledby; other characters become '-'.
func safeID(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') {
			return r
		}
		return '-'
	}, s)
}
