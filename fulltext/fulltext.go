// Package fulltext holds what full-text search needs to know about Norwegian
// (bokmål) text, with no storage in it: words (tokens), their Snowball stems,
// the stop words, a parser for what a reader types into a search box, and
// snippets with the matching words marked.
//
// The stems are the Snowball Norwegian algorithm (github.com/kljensen/snowball)
// and the stop words are Snowball's Norwegian list, as PostgreSQL's
// "norwegian" text-search configuration uses them, so that an index built
// here (for SQLite) and one built by PostgreSQL agree word for word.
package fulltext

import (
	_ "embed"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/norwegian"
)

// stopwords.txt is Snowball's Norwegian stop-word list as PostgreSQL ships
// it (tsearch_data/norwegian.stop), one word a line.
//
//go:embed stopwords.txt
var stopwordFile string

var stopwords = func() map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(stopwordFile) {
		m[w] = true
	}
	return m
}()

// IsStopWord reports whether the lower-cased word is a Norwegian stop word,
// one the index leaves out.
func IsStopWord(word string) bool { return stopwords[word] }

// Token is one word of a text: its bytes text[Start:End].
type Token struct {
	Start, End int
}

// isWordRune tells the runes words are made of: letters, digits and
// combining marks. Everything else (spaces, punctuation, symbols, emoji)
// separates words, as PostgreSQL's parser and SQLite's unicode61 tokenizer
// treat them.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// Tokens splits text into words. Invalid UTF-8 separates words.
func Tokens(text string) []Token {
	var out []Token
	start := -1
	for i, r := range text {
		word := r != utf8.RuneError && isWordRune(r)
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			out = append(out, Token{start, i})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, Token{start, len(text)})
	}
	return out
}

// Stem returns the index form of one word: lower-cased, and stemmed unless it
// holds a digit (PostgreSQL keeps "2017" and "b2b" as they are). A stop word
// gives "".
func Stem(word string) string {
	w := strings.ToLower(word)
	if stopwords[w] {
		return ""
	}
	for _, r := range w {
		if unicode.IsDigit(r) {
			return w
		}
	}
	return norwegian.Stem(w, true)
}

// IndexText returns the stems of text's words, stop words left out, joined by
// spaces: what SQLite's full-text table holds for a text.
func IndexText(text string) string {
	var b strings.Builder
	for _, t := range Tokens(text) {
		s := Stem(text[t.Start:t.End])
		if s == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s)
	}
	return b.String()
}
