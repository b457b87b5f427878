package statbank

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Output values of a selection with a code list.
const (
	// Aggregated asks for one value per code of the code list, e.g. K-3203
	// summed over its predecessors.
	Aggregated = "aggregated"
	// Single asks for the codes the code list's groups are made of.
	Single = "single"
)

// Query is a request for data from one statbank table.
type Query struct {
	Table      string // five digits, e.g. "07459"
	Lang       string // "no" or "en"; empty means "no"
	Selections []Selection
}

// Selection picks the values of one variable.
type Selection struct {
	Variable string // variable code, e.g. "Region", "ContentsCode", "Tid"
	// Codes are value codes ("0301", "K-3203"), wildcards ("*", "32*",
	// "03??") or expressions: from(x), to(x), range(x,y), top(n),
	// top(n,offset), bottom(n), bottom(n,offset).
	Codes []string
	// Codelist is a code list of the variable, e.g. "agg_KommSummer"; empty
	// for the variable's own codes.
	Codelist string
	// OutputValues is Aggregated, Single or empty (the server's default);
	// only with a Codelist.
	OutputValues string
}

const maxCodeLen = 100

// Validate checks the query. The error is a *QueryError naming the field.
func (q Query) Validate() error {
	if err := checkTable(q.Table, q.Lang); err != nil {
		return err
	}
	if len(q.Selections) == 0 {
		return queryErrorf("selection", "no variable selected; select at least the variables that cannot be left out, such as ContentsCode and Tid")
	}
	seen := make(map[string]int, len(q.Selections))
	for i, s := range q.Selections {
		field := fmt.Sprintf("selection[%d]", i)
		if !isName(s.Variable) {
			return queryErrorf(field+".variableCode", "%q is not a variable code (letters, digits, _ and -)", s.Variable)
		}
		if j, dup := seen[strings.ToLower(s.Variable)]; dup {
			return queryErrorf(field+".variableCode", "variable %q is selected twice (also in selection[%d])", s.Variable, j)
		}
		seen[strings.ToLower(s.Variable)] = i
		if s.Codelist != "" && !isName(s.Codelist) {
			return queryErrorf(field+".codelist", "%q is not a code list (letters, digits, _ and -, such as agg_KommSummer)", s.Codelist)
		}
		switch s.OutputValues {
		case "":
		case Aggregated, Single:
			if s.Codelist == "" {
				return queryErrorf(field+".outputValues", "%q needs a code list", s.OutputValues)
			}
		default:
			return queryErrorf(field+".outputValues", "%q is neither %q nor %q", s.OutputValues, Aggregated, Single)
		}
		if len(s.Codes) == 0 {
			return queryErrorf(field+".valueCodes", "no value codes for variable %q; use \"*\" for all", s.Variable)
		}
		codes := make(map[string]bool, len(s.Codes))
		for j, c := range s.Codes {
			cf := fmt.Sprintf("%s.valueCodes[%d]", field, j)
			if err := checkCode(c); err != nil {
				return queryErrorf(cf, "%q %s", c, err)
			}
			if codes[c] {
				return queryErrorf(cf, "%q is given twice", c)
			}
			codes[c] = true
		}
	}
	return nil
}

// checkTable checks a table number and a language.
func checkTable(table, lang string) error {
	if len(table) != 5 || strings.Trim(table, "0123456789") != "" {
		return queryErrorf("table", "%q is not a statbank table number (five digits, such as 07459)", table)
	}
	switch lang {
	case "", "no", "en":
	default:
		return queryErrorf("lang", "%q is not a language of the statbank (no or en)", lang)
	}
	return nil
}

// isName reports whether s is a variable code or a code list id.
func isName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// codeRune reports whether r may appear in a value code. * and ? are
// wildcards.
func codeRune(r rune, wildcards bool) bool {
	switch r {
	case '-', '_', '.', '+', ':', '/':
		return true
	case '*', '?':
		return wildcards
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// checkCode checks one value code or expression; the message follows the
// code in an error.
func checkCode(c string) error {
	if c == "" {
		return fmt.Errorf("is empty")
	}
	if len(c) > maxCodeLen {
		return fmt.Errorf("is longer than %d bytes", maxCodeLen)
	}
	if !utf8.ValidString(c) {
		return fmt.Errorf("is not valid UTF-8")
	}
	if name, args, ok := expression(c); ok {
		switch name {
		case "top", "bottom":
			if len(args) < 1 || len(args) > 2 {
				return fmt.Errorf("takes a count and an optional offset, such as %s(5)", name)
			}
			for i, a := range args {
				n, err := strconv.Atoi(a)
				if err != nil || n < 0 || (i == 0 && n == 0) || a != strconv.Itoa(n) {
					return fmt.Errorf("needs whole numbers, the count above 0, such as %s(5)", name)
				}
			}
		case "from", "to":
			if len(args) != 1 || !plainCode(args[0]) {
				return fmt.Errorf("takes one value code, such as %s(2016)", name)
			}
		case "range":
			if len(args) != 2 || !plainCode(args[0]) || !plainCode(args[1]) {
				return fmt.Errorf("takes two value codes, such as range(2016,2024)")
			}
		}
		return nil
	}
	for _, r := range c {
		if !codeRune(r, true) {
			return fmt.Errorf("has %q, which is not allowed in a value code (expressions are from(x), to(x), range(x,y), top(n), bottom(n))", r)
		}
	}
	return nil
}

func plainCode(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !codeRune(r, false) {
			return false
		}
	}
	return true
}

// expression splits "name(a,b)" for the known expression names.
func expression(c string) (name string, args []string, ok bool) {
	open := strings.IndexByte(c, '(')
	if open < 0 || !strings.HasSuffix(c, ")") {
		return "", nil, false
	}
	name = c[:open]
	switch name {
	case "from", "to", "range", "top", "bottom":
	default:
		return "", nil, false
	}
	inner := c[open+1 : len(c)-1]
	if inner == "" {
		return name, nil, true
	}
	return name, strings.Split(inner, ","), true
}

// isPlain reports whether c names one code (no wildcard, no expression), so
// that it can be looked for in a table.
func isPlain(c string) bool {
	_, _, expr := expression(c)
	return !expr && !strings.ContainsAny(c, "*?")
}

func (q Query) lang() string {
	if q.Lang == "" {
		return "no"
	}
	return q.Lang
}

// Body returns the POST body of the query:
//
//	{"selection":[{"variableCode":"Region","codelist":"agg_KommSummer","valueCodes":["K-0301"]}, …]}
func (q Query) Body() ([]byte, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	type sel struct {
		VariableCode string   `json:"variableCode"`
		Codelist     string   `json:"codelist,omitempty"`
		ValueCodes   []string `json:"valueCodes"`
	}
	body := struct {
		Selection []sel `json:"selection"`
	}{Selection: make([]sel, len(q.Selections))}
	for i, s := range q.Selections {
		body.Selection[i] = sel{VariableCode: s.Variable, Codelist: s.Codelist, ValueCodes: s.Codes}
	}
	return json.Marshal(body)
}

// URL returns the GET form of the query relative to the API's base, e.g.
//
//	/tables/07459/data?lang=no&valueCodes[Region]=K-0301,K-3203&codelist[Region]=agg_KommSummer&outputValues[Region]=aggregated&valueCodes[ContentsCode]=Personer1&valueCodes[Tid]=from(2016)&outputFormat=json-stat2
//
// Brackets, parentheses and the commas between codes are left as they are
// for the reader; everything else that needs it is percent-encoded. It is meant for logs;
// the client sends Body.
func (q Query) URL() string {
	var b strings.Builder
	b.WriteString(q.dataPath())
	b.WriteString("?lang=")
	b.WriteString(escape(q.lang()))
	for _, s := range q.Selections {
		v := escape(s.Variable)
		b.WriteString("&valueCodes[" + v + "]=")
		for i, c := range s.Codes {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(escape(c))
		}
		if s.Codelist != "" {
			b.WriteString("&codelist[" + v + "]=" + escape(s.Codelist))
		}
		if s.OutputValues != "" {
			b.WriteString("&outputValues[" + v + "]=" + escape(s.OutputValues))
		}
	}
	b.WriteString("&outputFormat=json-stat2")
	return b.String()
}

// postURL is the address the body is sent to, relative to the base.
func (q Query) postURL() string {
	var b strings.Builder
	b.WriteString(q.dataPath())
	b.WriteString("?lang=" + escape(q.lang()) + "&outputFormat=json-stat2")
	for _, s := range q.Selections {
		if s.OutputValues != "" {
			b.WriteString("&outputValues[" + escape(s.Variable) + "]=" + escape(s.OutputValues))
		}
	}
	return b.String()
}

func (q Query) dataPath() string {
	return "/tables/" + escape(q.Table) + "/data"
}

// escape percent-encodes s for a query string, keeping the characters
// that are safe there and make the codes readable.
func escape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
			strings.IndexByte("-_.~()*:/?", c) >= 0:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}
