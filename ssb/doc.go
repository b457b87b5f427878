// Package ssb reads Statistics Norway's (SSB) data formats: JSON-stat 2.0
// datasets from the statbank (and the older 1.x wrapper), statbank CSV
// exports, and KLASS code-change lists. It parses and validates; it stores
// nothing and fetches nothing. Errors are *ParseError values that name the
// file, line and field.
package ssb

import (
	"fmt"
	"strings"
)

// ParseError says where input is wrong.
type ParseError struct {
	File  string
	Line  int
	Field string
	Msg   string
}

func (e *ParseError) Error() string {
	var parts []string
	if e.File != "" {
		parts = append(parts, e.File)
	}
	if e.Line > 0 {
		parts = append(parts, fmt.Sprintf("line %d", e.Line))
	}
	if e.Field != "" {
		parts = append(parts, e.Field)
	}
	parts = append(parts, e.Msg)
	return strings.Join(parts, ": ")
}

func errorf(file string, line int, field, format string, args ...any) *ParseError {
	return &ParseError{File: file, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)}
}
