package samrad

import (
	"database/sql/driver"
	"fmt"
	"sync"
	"time"
)

// Date is a civil date without time zone. The zero Date means "no date"
// (unknown or open) and is stored as NULL.
type Date struct {
	t time.Time // always UTC midnight, or zero
}

// NewDate returns the date y-m-d. It does not normalise: use ParseDate for input.
func NewDate(y int, m time.Month, d int) Date {
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// ParseDate parses YYYY-MM-DD and rejects impossible dates such as
// 2023-02-30. Years before 1000 are refused: 0001-01-01 would be the zero
// Date ("no date") and PostgreSQL has no year 0.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || t.Year() < 1000 {
		return Date{}, fmt.Errorf("%q is not a date (YYYY-MM-DD)", s)
	}
	return Date{t}, nil
}

// MustDate parses a date known at compile time; it panics on a bad literal.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// Jan1 returns 1 January of year.
func Jan1(year int) Date { return NewDate(year, time.January, 1) }

// Oslo returns Norway's time zone, loaded once (UTC if the system has no zone data).
var Oslo = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		return time.UTC
	}
	return loc
})

// Today returns the current date in Norway.
func Today() Date {
	n := time.Now().In(Oslo())
	return NewDate(n.Year(), n.Month(), n.Day())
}

func (d Date) IsZero() bool         { return d.t.IsZero() }
func (d Date) Year() int            { return d.t.Year() }
func (d Date) Month() time.Month    { return d.t.Month() }
func (d Date) Day() int             { return d.t.Day() }
func (d Date) Time() time.Time      { return d.t }
func (d Date) AddDays(n int) Date   { return Date{d.t.AddDate(0, 0, n)} }
func (d Date) Before(o Date) bool   { return d.t.Before(o.t) }
func (d Date) After(o Date) bool    { return d.t.After(o.t) }
func (d Date) Equal(o Date) bool    { return d.t.Equal(o.t) }
func (d Date) Compare(o Date) int   { return d.t.Compare(o.t) }
func (d Date) AddYears(n int) Date  { return Date{d.t.AddDate(n, 0, 0)} }
func (d Date) AddMonths(n int) Date { return Date{d.t.AddDate(0, n, 0)} }

// String formats the date as YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(time.DateOnly)
}

// Within reports whether d lies in the inclusive period [from, to]; a zero
// from or to is unbounded.
func (d Date) Within(from, to Date) bool {
	if !from.IsZero() && d.Before(from) {
		return false
	}
	if !to.IsZero() && d.After(to) {
		return false
	}
	return true
}

// Value implements driver.Valuer: YYYY-MM-DD text, NULL for the zero Date.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan implements sql.Scanner for DATE columns (PostgreSQL) and TEXT columns (SQLite).
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
	case time.Time:
		*d = NewDate(v.Year(), v.Month(), v.Day())
	case string:
		return d.scanString(v)
	case []byte:
		return d.scanString(string(v))
	default:
		return fmt.Errorf("cannot scan %T into Date", src)
	}
	return nil
}

func (d *Date) scanString(s string) error {
	if len(s) > 10 {
		s = s[:10]
	}
	p, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// MarshalText implements encoding.TextMarshaler (JSON: "YYYY-MM-DD" or "").
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// Precision says how much of a date the source gives.
type Precision string

const (
	PrecisionDay     Precision = "day"
	PrecisionMonth   Precision = "month"
	PrecisionYear    Precision = "year"
	PrecisionUnknown Precision = "unknown"
)

// Valid reports whether p is a known precision.
func (p Precision) Valid() bool {
	return p == PrecisionDay || p == PrecisionMonth || p == PrecisionYear || p == PrecisionUnknown
}

// FormatAs formats d at precision p: "2018-01-01", "2015-02", "1992" or "".
func (d Date) FormatAs(p Precision) string {
	switch {
	case d.IsZero() || p == PrecisionUnknown:
		return ""
	case p == PrecisionYear:
		return fmt.Sprint(d.Year())
	case p == PrecisionMonth:
		return d.String()[:7]
	default:
		return d.String()
	}
}
