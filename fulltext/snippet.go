package fulltext

import (
	"html"
	"strings"
)

// Snippet returns about width words of text around the place where most of
// the query's words match, as escaped HTML with each matching word in
// <mark>. A text with no match gives its first width words. Words match by
// stem, so "kommunene" is marked for a search for "kommune".
func Snippet(text string, q Query, width int) string {
	want := make(map[string]bool)
	for _, t := range q.Terms {
		if !t.Exclude {
			for _, s := range t.Stems {
				want[s] = true
			}
		}
	}
	toks := Tokens(text)
	if len(toks) == 0 {
		return ""
	}
	hit := make([]bool, len(toks))
	for i, t := range toks {
		if s := Stem(text[t.Start:t.End]); s != "" && want[s] {
			hit[i] = true
		}
	}
	// The window of width words with the most hits, the earliest if tied.
	best, bestN, n := 0, -1, 0
	for i := range toks {
		if hit[i] {
			n++
		}
		if i >= width && hit[i-width] {
			n--
		}
		if start := max(0, i-width+1); n > bestN {
			best, bestN = start, n
		}
	}
	// Begin a few words before the first hit in the window, for context.
	for i := best; i < min(len(toks), best+width); i++ {
		if hit[i] {
			best = max(0, i-width/4)
			break
		}
	}
	end := min(len(toks), best+width)
	var b strings.Builder
	if best > 0 {
		b.WriteString("… ")
	}
	pos := toks[best].Start
	for i := best; i < end; i++ {
		t := toks[i]
		b.WriteString(html.EscapeString(text[pos:t.Start]))
		if hit[i] {
			b.WriteString("<mark>" + html.EscapeString(text[t.Start:t.End]) + "</mark>")
		} else {
			b.WriteString(html.EscapeString(text[t.Start:t.End]))
		}
		pos = t.End
	}
	if end < len(toks) {
		b.WriteString(" …")
	} else {
		b.WriteString(html.EscapeString(text[pos:]))
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
