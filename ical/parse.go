package ical

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"
)

// Parse reads a calendar and checks what RFC 5545 requires of it: CRLF
// lines, BEGIN/END nesting, VERSION and PRODID, and UID, DTSTAMP and
// DTSTART on every event. It returns the events it understood.
func Parse(r io.Reader) (*Calendar, error) {
	data, err := io.ReadAll(io.LimitReader(r, 16<<20))
	if err != nil {
		return nil, err
	}
	if len(data) > 0 && !bytes.HasSuffix(data, []byte("\r\n")) {
		return nil, fmt.Errorf("the last line does not end with CRLF")
	}
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	sc.Split(splitCRLF)
	for sc.Scan() {
		l := sc.Text()
		if len(l) > 75 {
			return nil, fmt.Errorf("line %d is %d octets long (max 75)", len(lines)+1, len(l))
		}
		if strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t") {
			if len(lines) == 0 {
				return nil, fmt.Errorf("a continuation line comes first")
			}
			lines[len(lines)-1] += l[1:]
			continue
		}
		lines = append(lines, l)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	cal := &Calendar{}
	var stack []string
	var ev *Event
	seen := map[string]bool{}
	for i, l := range lines {
		name, value, ok := strings.Cut(l, ":")
		if !ok {
			return nil, fmt.Errorf("line %d: no ':' in %q", i+1, l)
		}
		prop, params, _ := strings.Cut(name, ";")
		prop = strings.ToUpper(prop)
		switch prop {
		case "BEGIN":
			stack = append(stack, value)
			if value == "VEVENT" {
				ev = &Event{}
				seen = map[string]bool{}
			}
			continue
		case "END":
			if len(stack) == 0 || stack[len(stack)-1] != value {
				return nil, fmt.Errorf("line %d: END:%s does not close the open component", i+1, value)
			}
			stack = stack[:len(stack)-1]
			if value == "VEVENT" {
				for _, req := range []string{"UID", "DTSTAMP", "DTSTART"} {
					if !seen[req] {
						return nil, fmt.Errorf("event %d: %s is missing", len(cal.Events)+1, req)
					}
				}
				cal.Events = append(cal.Events, *ev)
				ev = nil
			}
			continue
		}
		if len(stack) == 0 {
			return nil, fmt.Errorf("line %d: %s outside VCALENDAR", i+1, prop)
		}
		if ev == nil {
			switch prop {
			case "VERSION":
				if value != "2.0" {
					return nil, fmt.Errorf("VERSION %q is not 2.0", value)
				}
				seen["VERSION"] = true
			case "PRODID":
				cal.ProdID = unescape(value)
				seen["PRODID"] = true
			case "METHOD":
				cal.Method = value
			case "X-WR-CALNAME":
				cal.Name = unescape(value)
			}
			continue
		}
		seen[prop] = true
		switch prop {
		case "UID":
			ev.UID = unescape(value)
		case "SUMMARY":
			ev.Summary = unescape(value)
		case "DESCRIPTION":
			ev.Description = unescape(value)
		case "LOCATION":
			ev.Location = unescape(value)
		case "URL":
			ev.URL = value
		case "STATUS":
			ev.Status = value
		case "DTSTAMP", "DTSTART", "DTEND":
			t, allDay, err := parseTime(params, value)
			if err != nil {
				return nil, fmt.Errorf("line %d: %s: %v", i+1, prop, err)
			}
			switch prop {
			case "DTSTAMP":
				ev.Stamp = t
			case "DTSTART":
				ev.Start, ev.AllDay = t, allDay
			case "DTEND":
				ev.End = t
			}
		}
	}
	if len(stack) != 0 {
		return nil, fmt.Errorf("%s is not closed", stack[len(stack)-1])
	}
	if cal.ProdID == "" {
		return nil, fmt.Errorf("PRODID is missing")
	}
	return cal, nil
}

func splitCRLF(data []byte, atEOF bool) (int, []byte, error) {
	if i := bytes.Index(data, []byte("\r\n")); i >= 0 {
		return i + 2, data[:i], nil
	}
	if atEOF && len(data) > 0 {
		return len(data), data, nil
	}
	return 0, nil, nil
}

func parseTime(params, v string) (time.Time, bool, error) {
	if strings.Contains(params, "VALUE=DATE") && !strings.Contains(params, "VALUE=DATE-TIME") {
		t, err := time.Parse("20060102", v)
		return t, true, err
	}
	loc := time.UTC
	if i := strings.Index(params, "TZID="); i >= 0 {
		name := params[i+5:]
		if j := strings.Index(name, ";"); j >= 0 {
			name = name[:j]
		}
		l, err := time.LoadLocation(strings.Trim(name, `"`))
		if err != nil {
			return time.Time{}, false, err
		}
		loc = l
	}
	if strings.HasSuffix(v, "Z") {
		t, err := time.Parse("20060102T150405Z", v)
		return t, false, err
	}
	t, err := time.ParseInLocation("20060102T150405", v, loc)
	return t, false, err
}

func unescape(s string) string {
	return strings.NewReplacer(`\\`, `\`, `\;`, ";", `\,`, ",", `\n`, "\n", `\N`, "\n").Replace(s)
}
