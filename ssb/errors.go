package ssb

import (
	"bytes"
	"fmt"
	"strings"
)

// ParseError says where input is wrong. Error formats it as
//
//	<File>: line <Line>: <Field>: <Msg>
//
// leaving out the parts that are empty or zero, for example
//
//	population.csv: line 14: column "2019": "12 3a" is not a whole number
//	07459.json: field "size": 3 dimensions in "id" but 2 sizes
//
// Field names the place in the input: `column "2019"` for CSV,
// `field "codeChanges[3].changeOccurred"` for JSON, or "header".
type ParseError struct {
	File  string
	Line  int
	Field string
	Msg   string
}

func (e *ParseError) Error() string {
	var b strings.Builder
	add := func(s string) {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString(s)
	}
	if e.File != "" {
		add(e.File)
	}
	if e.Line > 0 {
		add(fmt.Sprintf("line %d", e.Line))
	}
	if e.Field != "" {
		add(e.Field)
	}
	add(e.Msg)
	return b.String()
}

func errorf(file string, line int, field, format string, args ...any) *ParseError {
	return &ParseError{File: file, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)}
}

// fieldError is an error in a JSON field, e.g. field "size".
func fieldError(file, name, format string, args ...any) *ParseError {
	return errorf(file, 0, jsonField(name), format, args...)
}

func jsonField(name string) string {
	if name == "" {
		return ""
	}
	return fmt.Sprintf("field %q", name)
}

func csvColumn(name string) string {
	return fmt.Sprintf("column %q", name)
}

// lineAt returns the 1-based line of byte offset off in data.
func lineAt(data []byte, off int64) int {
	if off < 0 {
		off = 0
	}
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	return 1 + bytes.Count(data[:off], []byte{'\n'})
}

// utf8BOM is the byte-order mark some Windows programs put first in a file.
const utf8BOM = "\uFEFF"
