package fulltext

import (
	"strings"
	"unicode/utf8"
)

// Limits on what a query may hold; more is cut off, not refused.
const (
	MaxQueryRunes = 200
	MaxTerms      = 16
)

// Query is a parsed search: terms all of which must match, and terms none of
// which may. It never carries the reader's syntax through to a database:
// only words (letters and digits) survive parsing.
type Query struct {
	Terms []Term
	// Truncated tells that the input was longer than the limits allow.
	Truncated bool
}

// Term is one word, or a phrase of words that must follow each other.
type Term struct {
	Words   []string // lower-cased, stop words kept (PostgreSQL wants them)
	Stems   []string // index forms, stop words left out
	Exclude bool     // "-word": results must not hold it
}

// Empty reports whether the query has nothing to look for: no term that must
// match (a query of only exclusions or stop words finds nothing).
func (q Query) Empty() bool {
	for _, t := range q.Terms {
		if !t.Exclude {
			return false
		}
	}
	return true
}

// ParseQuery reads what a reader typed: words, "quoted phrases" and -excluded
// words or phrases. Every other character (FTS operators, *, ^, :, brackets,
// an unbalanced quote) only separates words; AND, OR, NOT and NEAR are words
// like any other. Words joined by punctuation ("e-post", "12,5") make a
// phrase. The input is cut at MaxQueryRunes runes and MaxTerms terms.
func ParseQuery(s string) Query {
	var q Query
	s = strings.ToValidUTF8(s, " ")
	if utf8.RuneCountInString(s) > MaxQueryRunes {
		s = string([]rune(s)[:MaxQueryRunes])
		q.Truncated = true
	}
	// A quote with no partner is only a separator.
	if strings.Count(s, `"`)%2 == 1 {
		i := strings.LastIndex(s, `"`)
		s = s[:i] + " " + s[i+1:]
	}
	add := func(chunk string, exclude bool) {
		var t Term
		t.Exclude = exclude
		for _, tok := range Tokens(chunk) {
			w := strings.ToLower(chunk[tok.Start:tok.End])
			t.Words = append(t.Words, w)
			if st := Stem(w); st != "" {
				t.Stems = append(t.Stems, st)
			}
		}
		if len(t.Stems) == 0 {
			return // stop words only, or no word at all
		}
		for _, old := range q.Terms {
			if old.Exclude == t.Exclude && strings.Join(old.Stems, " ") == strings.Join(t.Stems, " ") {
				return // the same term twice
			}
		}
		if len(q.Terms) == MaxTerms {
			q.Truncated = true
			return
		}
		q.Terms = append(q.Terms, t)
	}
	for len(s) > 0 {
		s = strings.TrimLeft(s, " \t\r\n\f\v")
		if s == "" {
			break
		}
		exclude := false
		if s[0] == '-' && len(s) > 1 && s[1] != ' ' {
			exclude = true
			s = s[1:]
		}
		if s[0] == '"' {
			end := strings.IndexByte(s[1:], '"')
			if end < 0 { // cannot happen after the balancing above
				end = len(s) - 1
			}
			add(s[1:1+end], exclude)
			s = s[min(len(s), end+2):]
			continue
		}
		end := strings.IndexAny(s, " \t\r\n\f\v\"")
		if end < 0 {
			end = len(s)
		}
		add(s[:end], exclude)
		s = s[end:]
	}
	return q
}

// Websearch returns the query for PostgreSQL's websearch_to_tsquery: every
// term quoted (so that "or" is a word, not an operator), exclusions with a
// leading minus. Only words are in it, never the reader's own syntax.
func (q Query) Websearch() string {
	var b strings.Builder
	for _, t := range q.Terms {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		if t.Exclude {
			b.WriteByte('-')
		}
		b.WriteByte('"')
		b.WriteString(strings.Join(t.Words, " "))
		b.WriteByte('"')
	}
	return b.String()
}

// FTS5 returns the query for an SQLite FTS5 table that holds IndexText's
// stems: each term a quoted phrase of stems, the terms that must match
// first, then NOT and each exclusion. Empty for an Empty query.
func (q Query) FTS5() string {
	if q.Empty() {
		return ""
	}
	var must, not []string
	for _, t := range q.Terms {
		p := `"` + strings.Join(t.Stems, " ") + `"`
		if t.Exclude {
			not = append(not, p)
		} else {
			must = append(must, p)
		}
	}
	out := "(" + strings.Join(must, " AND ") + ")"
	for _, p := range not {
		out += " NOT " + p
	}
	return out
}

// String is the query as the parser understood it, for showing back.
func (q Query) String() string {
	var parts []string
	for _, t := range q.Terms {
		p := strings.Join(t.Words, " ")
		if len(t.Words) > 1 {
			p = `"` + p + `"`
		}
		if t.Exclude {
			p = "-" + p
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " ")
}
