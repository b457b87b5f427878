package ical

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// maxInput bounds what Parse reads.
const maxInput = 16 << 20

// Parse reads one VCALENDAR and checks what RFC 5545 requires of it: lines
// ended by CRLF and at most 75 octets long, valid UTF-8, BEGIN/END nesting,
// VERSION 2.0 and PRODID, and UID, DTSTAMP and DTSTART on every event, each
// property at most once. It returns the calendar's name, method and events;
// components other than VEVENT (VTIMEZONE, VALARM, …) are checked for
// nesting and otherwise skipped.
//
// DTSTART and DTEND may be UTC ("…Z"), floating (read as Norwegian time),
// with a TZID such as Europe/Oslo, or dates (VALUE=DATE, which sets AllDay;
// dates come back as midnight UTC). TEXT values are unescaped.
func Parse(r io.Reader) (*Calendar, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if err != nil {
		return nil, fmt.Errorf("ical: %w", err)
	}
	if len(data) > maxInput {
		return nil, fmt.Errorf("ical: more than %d octets", maxInput)
	}
	lines, err := unfold(data)
	if err != nil {
		return nil, err
	}
	p := parser{cal: &Calendar{}}
	for _, l := range lines {
		if err := p.line(l); err != nil {
			return nil, fmt.Errorf("ical: line %d: %w", l.num, err)
		}
	}
	switch {
	case len(p.stack) > 0:
		return nil, fmt.Errorf("ical: %s is not closed", p.stack[len(p.stack)-1])
	case !p.done:
		return nil, fmt.Errorf("ical: no VCALENDAR")
	}
	return p.cal, nil
}

// logicalLine is an unfolded content line and the number of the physical
// line it starts on.
type logicalLine struct {
	text string
	num  int
}

// unfold splits data into CRLF-terminated physical lines and joins
// continuation lines, which start with a space or a tab, to the line before.
func unfold(data []byte) ([]logicalLine, error) {
	var lines []logicalLine
	for num := 1; len(data) > 0; num++ {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			return nil, fmt.Errorf("ical: line %d does not end with CRLF", num)
		}
		if i == 0 || data[i-1] != '\r' {
			return nil, fmt.Errorf("ical: line %d ends with a bare LF", num)
		}
		l := data[:i-1]
		data = data[i+1:]
		if bytes.IndexByte(l, '\r') >= 0 {
			return nil, fmt.Errorf("ical: line %d holds a bare CR", num)
		}
		if len(l) > maxLine {
			return nil, fmt.Errorf("ical: line %d is %d octets long (at most %d)", num, len(l), maxLine)
		}
		if !utf8.Valid(l) {
			return nil, fmt.Errorf("ical: line %d is not valid UTF-8", num)
		}
		if len(l) > 0 && (l[0] == ' ' || l[0] == '\t') {
			if len(lines) == 0 {
				return nil, fmt.Errorf("ical: line %d continues no line", num)
			}
			lines[len(lines)-1].text += string(l[1:])
			continue
		}
		if len(l) == 0 {
			return nil, fmt.Errorf("ical: line %d is empty", num)
		}
		lines = append(lines, logicalLine{string(l), num})
	}
	return lines, nil
}

// contentLine is a parsed content line: name and parameter names upper
// case, parameter values unquoted (the first of a list).
type contentLine struct {
	name   string
	params map[string]string
	value  string
}

func parseContentLine(s string) (contentLine, error) {
	cl := contentLine{params: map[string]string{}}
	i := 0
	for i < len(s) && isNameChar(s[i]) {
		i++
	}
	if i == 0 {
		return cl, fmt.Errorf("no property name in %q", clip(s))
	}
	cl.name = strings.ToUpper(s[:i])
	for i < len(s) && s[i] == ';' {
		i++
		j := i
		for i < len(s) && isNameChar(s[i]) {
			i++
		}
		if i == j || i >= len(s) || s[i] != '=' {
			return cl, fmt.Errorf("%s: malformed parameter", cl.name)
		}
		pname := strings.ToUpper(s[j:i])
		i++
		var values []string
		for {
			if i < len(s) && s[i] == '"' {
				end := strings.IndexByte(s[i+1:], '"')
				if end < 0 {
					return cl, fmt.Errorf("%s: unterminated quoted parameter %s", cl.name, pname)
				}
				values = append(values, s[i+1:i+1+end])
				i += end + 2
			} else {
				j := i
				for i < len(s) && s[i] != ',' && s[i] != ';' && s[i] != ':' && s[i] != '"' {
					i++
				}
				values = append(values, s[j:i])
			}
			if i < len(s) && s[i] == ',' {
				i++
				continue
			}
			break
		}
		if _, dup := cl.params[pname]; dup {
			return cl, fmt.Errorf("%s: parameter %s twice", cl.name, pname)
		}
		cl.params[pname] = values[0]
	}
	if i >= len(s) || s[i] != ':' {
		return cl, fmt.Errorf("%s: no ':' before the value", cl.name)
	}
	cl.value = s[i+1:]
	for _, c := range []byte(cl.value) {
		if (c < 0x20 && c != '\t') || c == 0x7f {
			return cl, fmt.Errorf("%s: control character in the value", cl.name)
		}
	}
	return cl, nil
}

func isNameChar(c byte) bool {
	return c == '-' || ('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

type parser struct {
	cal   *Calendar
	stack []string
	done  bool // the VCALENDAR is closed

	calSeen map[string]bool
	ev      *Event
	evSeen  map[string]bool
	start   timeValue
	end     timeValue
}

// timeValue is a parsed DTSTART or DTEND.
type timeValue struct {
	t      time.Time
	isDate bool
}

func (p *parser) line(l logicalLine) error {
	cl, err := parseContentLine(l.text)
	if err != nil {
		return err
	}
	if p.done {
		return fmt.Errorf("%s after END:VCALENDAR", cl.name)
	}
	switch cl.name {
	case "BEGIN":
		return p.begin(strings.ToUpper(cl.value))
	case "END":
		return p.finish(strings.ToUpper(cl.value))
	}
	if len(p.stack) == 0 {
		return fmt.Errorf("%s outside VCALENDAR", cl.name)
	}
	switch p.stack[len(p.stack)-1] {
	case "VCALENDAR":
		return p.calendarProp(cl)
	case "VEVENT":
		return p.eventProp(cl)
	}
	return nil // a property of a component this parser skips
}

func (p *parser) begin(comp string) error {
	if comp == "" || strings.IndexFunc(comp, func(r rune) bool { return r > 0x7f || !isNameChar(byte(r)) }) >= 0 {
		return fmt.Errorf("BEGIN of a malformed component name %q", clip(comp))
	}
	if len(p.stack) == 0 {
		if comp != "VCALENDAR" {
			return fmt.Errorf("BEGIN:%s outside VCALENDAR", comp)
		}
		p.calSeen = map[string]bool{}
	} else {
		parent := p.stack[len(p.stack)-1]
		switch {
		case comp == "VCALENDAR":
			return fmt.Errorf("VCALENDAR inside %s", parent)
		case comp == "VEVENT" && parent != "VCALENDAR":
			return fmt.Errorf("VEVENT inside %s", parent)
		case comp == "VEVENT":
			p.ev = &Event{}
			p.evSeen = map[string]bool{}
			p.start, p.end = timeValue{}, timeValue{}
		}
	}
	if len(p.stack) >= 16 {
		return fmt.Errorf("components nested too deep")
	}
	p.stack = append(p.stack, comp)
	return nil
}

func (p *parser) finish(comp string) error {
	if len(p.stack) == 0 {
		return fmt.Errorf("END:%s without BEGIN", comp)
	}
	if open := p.stack[len(p.stack)-1]; open != comp {
		return fmt.Errorf("END:%s closes BEGIN:%s", comp, open)
	}
	p.stack = p.stack[:len(p.stack)-1]
	switch {
	case comp == "VEVENT" && len(p.stack) == 1:
		for _, req := range []string{"UID", "DTSTAMP", "DTSTART"} {
			if !p.evSeen[req] {
				return fmt.Errorf("VEVENT %d has no %s", len(p.cal.Events), req)
			}
		}
		if p.evSeen["DTEND"] {
			if p.end.isDate != p.start.isDate {
				return fmt.Errorf("DTSTART and DTEND of VEVENT %d differ in value type", len(p.cal.Events))
			}
			if p.end.t.Before(p.start.t) || (p.end.isDate && p.end.t.Equal(p.start.t)) {
				return fmt.Errorf("DTEND of VEVENT %d is before DTSTART", len(p.cal.Events))
			}
		}
		p.cal.Events = append(p.cal.Events, *p.ev)
		p.ev = nil
	case comp == "VCALENDAR":
		for _, req := range []string{"VERSION", "PRODID"} {
			if !p.calSeen[req] {
				return fmt.Errorf("VCALENDAR has no %s", req)
			}
		}
		p.done = true
	}
	return nil
}

func (p *parser) calendarProp(cl contentLine) error {
	switch cl.name {
	case "VERSION", "PRODID", "METHOD", "CALSCALE", "X-WR-CALNAME":
		if p.calSeen[cl.name] {
			return fmt.Errorf("%s twice in VCALENDAR", cl.name)
		}
		p.calSeen[cl.name] = true
	}
	switch cl.name {
	case "VERSION":
		if cl.value != "2.0" {
			return fmt.Errorf("VERSION %q is not 2.0", clip(cl.value))
		}
	case "PRODID":
		if cl.value == "" {
			return fmt.Errorf("empty PRODID")
		}
		p.cal.ProdID = unescapeText(cl.value)
	case "METHOD":
		p.cal.Method = strings.ToUpper(cl.value)
	case "CALSCALE":
		if !strings.EqualFold(cl.value, "GREGORIAN") {
			return fmt.Errorf("CALSCALE %q is not GREGORIAN", clip(cl.value))
		}
	case "X-WR-CALNAME":
		p.cal.Name = unescapeText(cl.value)
	}
	return nil
}

// singleEventProps may appear at most once in a VEVENT.
var singleEventProps = map[string]bool{
	"UID": true, "DTSTAMP": true, "DTSTART": true, "DTEND": true, "DURATION": true,
	"SEQUENCE": true, "SUMMARY": true, "DESCRIPTION": true, "LOCATION": true,
	"URL": true, "STATUS": true, "ORGANIZER": true, "CREATED": true,
	"LAST-MODIFIED": true, "CLASS": true, "TRANSP": true,
}

func (p *parser) eventProp(cl contentLine) error {
	if singleEventProps[cl.name] {
		if p.evSeen[cl.name] {
			return fmt.Errorf("%s twice in VEVENT", cl.name)
		}
		p.evSeen[cl.name] = true
	}
	if p.evSeen["DTEND"] && p.evSeen["DURATION"] {
		return fmt.Errorf("VEVENT has both DTEND and DURATION")
	}
	e := p.ev
	switch cl.name {
	case "UID":
		if cl.value == "" {
			return fmt.Errorf("empty UID")
		}
		e.UID = unescapeText(cl.value)
	case "SEQUENCE":
		n, err := strconv.Atoi(cl.value)
		if err != nil || n < 0 || cl.value[0] == '+' {
			return fmt.Errorf("SEQUENCE %q is not a non-negative integer", clip(cl.value))
		}
		e.Sequence = n
	case "DTSTART", "DTEND":
		tv, err := parseTimeValue(cl)
		if err != nil {
			return fmt.Errorf("%s: %w", cl.name, err)
		}
		if cl.name == "DTSTART" {
			p.start, e.Start, e.AllDay = tv, tv.t, tv.isDate
		} else {
			p.end, e.End = tv, tv.t
		}
	case "DTSTAMP", "CREATED", "LAST-MODIFIED":
		tv, err := parseTimeValue(cl)
		if err != nil {
			return fmt.Errorf("%s: %w", cl.name, err)
		}
		if tv.isDate {
			return fmt.Errorf("%s must be a date-time", cl.name)
		}
		switch cl.name {
		case "DTSTAMP":
			e.Stamp = tv.t
		case "CREATED":
			e.Created = tv.t
		default:
			e.LastModified = tv.t
		}
	case "SUMMARY":
		e.Summary = unescapeText(cl.value)
	case "DESCRIPTION":
		e.Description = unescapeText(cl.value)
	case "LOCATION":
		e.Location = unescapeText(cl.value)
	case "URL":
		e.URL = cl.value
	case "STATUS":
		e.Status = strings.ToUpper(cl.value)
	case "ORGANIZER":
		e.Organizer = &Person{Name: cl.params["CN"], Email: mailto(cl.value)}
	case "ATTENDEE":
		e.Attendees = append(e.Attendees, Person{Name: cl.params["CN"], Email: mailto(cl.value)})
	}
	return nil
}

// mailto strips the mailto: scheme from a CAL-ADDRESS.
func mailto(v string) string {
	if len(v) >= 7 && strings.EqualFold(v[:7], "mailto:") {
		return v[7:]
	}
	return v
}

func parseTimeValue(cl contentLine) (timeValue, error) {
	v := cl.value
	switch strings.ToUpper(cl.params["VALUE"]) {
	case "DATE":
		if len(v) != len(dateLayout) || !allDigits(v) {
			return timeValue{}, fmt.Errorf("%q is not a date (YYYYMMDD)", clip(v))
		}
		t, err := time.Parse(dateLayout, v)
		if err != nil {
			return timeValue{}, fmt.Errorf("%q is not a date: %w", clip(v), err)
		}
		return timeValue{t, true}, nil
	case "", "DATE-TIME":
	default:
		return timeValue{}, fmt.Errorf("unsupported VALUE=%s", clip(cl.params["VALUE"]))
	}
	utc := strings.HasSuffix(v, "Z")
	digits := strings.TrimSuffix(v, "Z")
	if len(digits) != len(floatingLayout) || digits[8] != 'T' || !allDigits(digits[:8]) || !allDigits(digits[9:]) {
		if len(v) == len(dateLayout) && allDigits(v) {
			return timeValue{}, fmt.Errorf("%q is a date without VALUE=DATE", v)
		}
		return timeValue{}, fmt.Errorf("%q is not a date-time (YYYYMMDDTHHMMSS)", clip(v))
	}
	tzid, hasTZID := cl.params["TZID"]
	switch {
	case utc && hasTZID:
		return timeValue{}, fmt.Errorf("a UTC time with TZID")
	case utc:
		t, err := time.Parse(floatingLayout, digits)
		if err != nil {
			return timeValue{}, fmt.Errorf("%q: %w", v, err)
		}
		return timeValue{t, false}, nil
	}
	// Check the fields in UTC, then place them in the zone.
	f, err := time.Parse(floatingLayout, digits)
	if err != nil {
		return timeValue{}, fmt.Errorf("%q: %w", v, err)
	}
	if !hasTZID {
		return timeValue{inOslo(f), false}, nil // floating: Norwegian time
	}
	tzid = strings.TrimPrefix(tzid, "/")
	if isOslo(tzid) {
		return timeValue{inOslo(f), false}, nil
	}
	loc, err := loadLocation(tzid)
	if err != nil {
		return timeValue{}, fmt.Errorf("unknown TZID %q", clip(tzid))
	}
	return timeValue{time.Date(f.Year(), f.Month(), f.Day(), f.Hour(), f.Minute(), f.Second(), 0, loc), false}, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

var locations sync.Map // TZID → *time.Location, or nil for an unknown one

func loadLocation(name string) (*time.Location, error) {
	if v, ok := locations.Load(name); ok {
		if v == nil {
			return nil, fmt.Errorf("unknown time zone %q", name)
		}
		return v.(*time.Location), nil
	}
	if name == "" || name == "Local" || strings.ContainsAny(name, `.\`) {
		return nil, fmt.Errorf("unknown time zone %q", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		locations.Store(name, nil)
		return nil, err
	}
	locations.Store(name, loc)
	return loc, nil
}

// isOslo reports whether tzid names Norwegian time.
func isOslo(tzid string) bool {
	switch tzid {
	case "Europe/Oslo", "Arctic/Longyearbyen", "Atlantic/Jan_Mayen":
		return true
	}
	return false
}

var (
	osloOnce sync.Once
	osloLoc  *time.Location
)

// inOslo places the wall-clock fields of f (read as UTC) in Norwegian time.
// Without the system's time zone database it applies the EU rule in force
// since 1996: CEST from 01:00 UTC on the last Sunday of March to 01:00 UTC
// on the last Sunday of October, else CET.
func inOslo(f time.Time) time.Time {
	osloOnce.Do(func() { osloLoc, _ = time.LoadLocation("Europe/Oslo") })
	if osloLoc != nil {
		return time.Date(f.Year(), f.Month(), f.Day(), f.Hour(), f.Minute(), f.Second(), 0, osloLoc)
	}
	return osloByRule(f)
}

func osloByRule(f time.Time) time.Time {
	// In the repeated hour of October this picks the second, CET, reading,
	// as time.Date does with the database.
	if winter := f.Add(-time.Hour); !euSummerTime(winter) {
		return winter
	}
	return f.Add(-2 * time.Hour)
}

// euSummerTime reports whether the instant u falls in EU summer time.
func euSummerTime(u time.Time) bool {
	u = u.UTC()
	y := u.Year()
	return !u.Before(lastSunday(y, time.March)) && u.Before(lastSunday(y, time.October))
}

// lastSunday is 01:00 UTC on the last Sunday of the month.
func lastSunday(y int, m time.Month) time.Time {
	t := time.Date(y, m+1, 1, 1, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
	return t.AddDate(0, 0, -int(t.Weekday()))
}

// unescapeText undoes the escaping of a TEXT value. An unknown escape keeps
// its backslash.
func unescapeText(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		switch s[i+1] {
		case '\\', ';', ',':
			b.WriteByte(s[i+1])
		case 'n', 'N':
			b.WriteByte('\n')
		default:
			b.WriteByte('\\')
			b.WriteByte(s[i+1])
		}
		i++
	}
	return b.String()
}
