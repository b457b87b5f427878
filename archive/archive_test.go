package archive

import (
	"bytes"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

var cols = []Column{{"id", Integer}, {"ratio", Real}, {"name", Text}, {"ok", Boolean}, {"data", Binary}}

func write(t *testing.T, rows [][]any) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := NewWriter(&buf)
	tw, err := w.Table("things", cols)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := tw.Row(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Close(Manifest{Product: "test", Schema: 7, Created: time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func read(t *testing.T, b []byte, names []string) ([][]any, error) {
	t.Helper()
	r, err := NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, err
	}
	if err := r.Verify(); err != nil {
		return nil, err
	}
	var out [][]any
	err = r.Rows("things", names, func(line int, vals []any) error {
		out = append(out, append([]any(nil), vals...))
		return nil
	})
	return out, err
}

func TestRoundTrip(t *testing.T) {
	blob := []byte{0, 1, 2, 255, '\n', '"'}
	rows := [][]any{
		{int64(1), 0.1, "Ås \"sitat\"\nlinje 2 \u2028", true, blob},
		{int64(math.MaxInt64), 1e300, "", false, blob}, // the same file twice
		{int64(-3), nil, nil, nil, nil},
	}
	b := write(t, rows)
	// Columns in another order come back in that order.
	got, err := read(t, b, []string{"data", "ok", "name", "ratio", "id"})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		want := []any{r[4], r[3], r[2], r[1], r[0]}
		if !reflect.DeepEqual(got[i], want) {
			t.Errorf("row %d: %#v, want %#v", i+1, got[i], want)
		}
	}
	r, _ := NewReader(bytes.NewReader(b), int64(len(b)))
	if m := r.Manifest(); m.Files != 1 || m.Tables[0].Rows != 3 || m.Schema != 7 || m.Format != FormatVersion {
		t.Errorf("manifest %+v", m)
	}
	if !bytes.Equal(b, write(t, rows)) {
		t.Error("the same rows gave another archive")
	}
}

func TestWrongValues(t *testing.T) {
	var buf bytes.Buffer
	tw, _ := NewWriter(&buf).Table("things", cols)
	for _, r := range [][]any{
		{"1", nil, nil, nil, nil},
		{nil, math.NaN(), nil, nil, nil},
		{nil, nil, 3, nil, nil},
		{nil, nil, nil, int64(1), nil},
		{int64(1)},
	} {
		if err := tw.Row(r); err == nil {
			t.Errorf("%v was written", r)
		}
	}
}

func TestBadArchives(t *testing.T) {
	good := write(t, [][]any{{int64(1), 0.5, "a", true, []byte("x")}})
	names := []string{"id", "ratio", "name", "ok", "data"}
	if _, err := read(t, good, names); err != nil {
		t.Fatal(err)
	}
	if _, err := read(t, good, []string{"id", "ratio", "name", "ok", "other"}); err == nil || !strings.Contains(err.Error(), "the archive has columns") {
		t.Errorf("other columns: %v", err)
	}
	if _, err := read(t, []byte("PK not a zip"), names); err == nil || !strings.Contains(err.Error(), "not a zip") {
		t.Errorf("not a zip: %v", err)
	}
}
