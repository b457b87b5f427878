package store_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/archive"
	"github.com/samrad/samrad/demo"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/store"
)

func exportBytes(t *testing.T, db *store.DB) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := db.Export(context.Background(), archive.NewWriter(&buf), "test"); err != nil {
		t.Fatalf("export from %s: %v", db.Dialect(), err)
	}
	return buf.Bytes()
}

func importBytes(db *store.DB, b []byte) error {
	r, err := archive.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return err
	}
	return db.Import(context.Background(), r)
}

// unzip returns the entries of an archive by name.
func unzip(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = data
	}
	return out
}

// rezip writes entries as an archive, manifest last.
func rezip(t *testing.T, entries map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	names := make([]string, 0, len(entries))
	for n := range entries {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		f, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		f.Write(entries[n])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func manifestOf(t *testing.T, entries map[string][]byte) archive.Manifest {
	t.Helper()
	var m archive.Manifest
	if err := json.Unmarshal(entries["manifest.json"], &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// sameArchives compares two archives table by table, row by row and
// column by column, and every file byte by byte.
func sameArchives(t *testing.T, what string, a, b []byte) {
	t.Helper()
	ea, eb := unzip(t, a), unzip(t, b)
	ma, mb := manifestOf(t, ea), manifestOf(t, eb)
	if ma.Schema != mb.Schema || ma.Files != mb.Files {
		t.Errorf("%s: schema %d/%d, files %d/%d", what, ma.Schema, mb.Schema, ma.Files, mb.Files)
	}
	// Tables may come in another order: each engine orders them by its
	// own foreign keys.
	if len(ma.Tables) != len(mb.Tables) {
		t.Fatalf("%s: %d tables against %d", what, len(ma.Tables), len(mb.Tables))
	}
	for _, ta := range ma.Tables {
		tb, ok := mb.Table(ta.Name)
		if !ok || !slices.Equal(ta.Columns, tb.Columns) {
			t.Errorf("%s: table %s %v against %v", what, ta.Name, ta.Columns, tb.Columns)
			continue
		}
		la := strings.Split(string(ea[ta.File]), "\n")
		lb := strings.Split(string(eb[tb.File]), "\n")
		if len(la) != len(lb) {
			t.Errorf("%s: table %s has %d rows against %d", what, ta.Name, len(la)-1, len(lb)-1)
			continue
		}
		for j := range la {
			if la[j] == lb[j] {
				continue
			}
			var ra, rb map[string]any
			json.Unmarshal([]byte(la[j]), &ra)
			json.Unmarshal([]byte(lb[j]), &rb)
			for _, c := range ta.Columns {
				if fmt.Sprint(ra[c.Name]) != fmt.Sprint(rb[c.Name]) {
					t.Errorf("%s: table %s row %d column %s: %v against %v", what, ta.Name, j+1, c.Name, ra[c.Name], rb[c.Name])
				}
			}
			if la[j] != lb[j] && !t.Failed() {
				t.Errorf("%s: table %s row %d: %s against %s", what, ta.Name, j+1, la[j], lb[j])
			}
		}
		if ta.SHA256 != tb.SHA256 || ta.Rows != tb.Rows {
			t.Errorf("%s: table %s: %d rows %s against %d rows %s", what, ta.Name, ta.Rows, ta.SHA256, tb.Rows, tb.SHA256)
		}
	}
	for name, data := range ea {
		if strings.HasPrefix(name, "files/") && !bytes.Equal(data, eb[name]) {
			t.Errorf("%s: %s differs", what, name)
		}
	}
}

// TestArchiveRoundTrip moves the demo from SQLite to PostgreSQL and back
// to a new SQLite database; the three exports must be the same.
func TestArchiveRoundTrip(t *testing.T) {
	ctx := context.Background()
	src := testdb.Open(t, "sqlite")
	if err := demo.Load(ctx, src); err != nil {
		t.Fatal(err)
	}
	// Binary values: documents (a few the same), and mail in the outbox
	// with every byte value.
	if _, err := demo.LoadTenYears(ctx, src, demo.TenYears{Bodies: 1, Years: 1, MeetingsPerYear: 2, CasesPerMeeting: 2, Documents: 6}); err != nil {
		t.Fatal(err)
	}
	every := make([]byte, 256)
	for i := range every {
		every[i] = byte(i)
	}
	if err := src.Enqueue(ctx, store.OutboxMessage{Kind: "test", From: "a@example.org", To: "b@example.org", Data: every},
		store.OutboxMessage{Kind: "test", From: "a@example.org", To: "c@example.org", Data: every}); err != nil {
		t.Fatal(err)
	}
	first := exportBytes(t, src)

	pg := testdb.Open(t, "postgres")
	if err := importBytes(pg, first); err != nil {
		t.Fatalf("import into PostgreSQL: %v", err)
	}
	second := exportBytes(t, pg)
	sameArchives(t, "SQLite → PostgreSQL", first, second)

	back := testdb.Open(t, "sqlite")
	if err := importBytes(back, second); err != nil {
		t.Fatalf("import into SQLite: %v", err)
	}
	third := exportBytes(t, back)
	sameArchives(t, "PostgreSQL → SQLite", second, third)

	m := manifestOf(t, unzip(t, first))
	counts := map[string]int64{}
	for _, tb := range m.Tables {
		counts[tb.Name] = tb.Rows
	}
	for _, name := range []string{"alliances", "memberships", "documents", "files", "outbox", "audit_log", "meta"} {
		if counts[name] == 0 {
			t.Errorf("the demo's archive has no rows in %s", name)
		}
	}
	for _, name := range []string{"sessions", "schema_migrations", "login_attempts"} {
		if _, ok := m.Table(name); ok {
			t.Errorf("table %s travels", name)
		}
	}

	// The moved databases work: new rows get new ids, the data reads back.
	for _, db := range []*store.DB{pg, back} {
		a := samrad.Alliance{Slug: "ny", NameNB: "Ny", Kind: samrad.AllianceAssociation, FoundedPrecision: samrad.PrecisionUnknown}
		if err := db.CreateAlliance(ctx, &a); err != nil {
			t.Fatalf("%s: a new alliance after import: %v", db.Dialect(), err)
		}
		ore, err := db.AllianceBySlug(ctx, "ore")
		if err != nil {
			t.Fatalf("%s: %v", db.Dialect(), err)
		}
		if a.ID <= ore.ID {
			t.Errorf("%s: new alliance got id %d, not above the imported %d", db.Dialect(), a.ID, ore.ID)
		}
	}
}

// TestArchiveKindsAgree checks that both engines describe every table
// alike, booleans included, which SQLite cannot tell from integers alone.
func TestArchiveKindsAgree(t *testing.T) {
	ctx := context.Background()
	lite, err := testdb.Open(t, "sqlite").Tables(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := testdb.Open(t, "postgres").Tables(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) != len(pg) {
		t.Fatalf("%d tables on SQLite, %d on PostgreSQL", len(lite), len(pg))
	}
	byName := map[string]store.TableSchema{}
	for _, tb := range pg {
		byName[tb.Name] = tb
	}
	for _, l := range lite {
		p, ok := byName[l.Name]
		if !ok {
			t.Errorf("table %s is not on PostgreSQL", l.Name)
			continue
		}
		if !slices.Equal(l.Columns, p.Columns) {
			t.Errorf("table %s:\nSQLite     %v\nPostgreSQL %v", l.Name, l.Columns, p.Columns)
		}
		if !slices.Equal(l.Key, p.Key) {
			t.Errorf("table %s: key %v on SQLite, %v on PostgreSQL", l.Name, l.Key, p.Key)
		}
	}
}

// TestImportRefusesBadArchives: a damaged archive, a wrong version or a
// database in use are refused with a message that says where, and the
// database is left as it was.
func TestImportRefusesBadArchives(t *testing.T) {
	ctx := context.Background()
	src := testdb.Open(t, "sqlite")
	a := samrad.Alliance{Slug: "kilde", NameNB: "Kilde", Kind: samrad.AllianceAssociation, FoundedPrecision: samrad.PrecisionUnknown}
	if err := src.CreateAlliance(ctx, &a); err != nil {
		t.Fatal(err)
	}
	c := samrad.Case{AllianceID: a.ID, Year: 2024, Title: "Vedtekter", Type: samrad.CaseDecision}
	if err := src.CreateCase(ctx, &c); err != nil {
		t.Fatal(err)
	}
	if err := src.AddDocument(ctx, &samrad.Document{AllianceID: a.ID, CaseID: c.ID, Title: "Vedtekter", Filename: "vedtekter.pdf"}, []byte("%PDF-1.4 vedtekter")); err != nil {
		t.Fatal(err)
	}
	good := exportBytes(t, src)

	edit := func(fn func(e map[string][]byte, m *archive.Manifest)) []byte {
		e := unzip(t, good)
		m := manifestOf(t, e)
		fn(e, &m)
		b, _ := json.Marshal(m)
		e["manifest.json"] = b
		return rezip(t, e)
	}
	rehash := func(e map[string][]byte, m *archive.Manifest, table string) {
		for i, tb := range m.Tables {
			if tb.Name == table {
				m.Tables[i].SHA256 = sha256hex(e[tb.File])
			}
		}
	}
	cases := []struct {
		name, want string
		archive    []byte
	}{
		{"table file changed", "tables/alliances.jsonl: SHA-256", edit(func(e map[string][]byte, m *archive.Manifest) {
			e["tables/alliances.jsonl"] = bytes.Replace(e["tables/alliances.jsonl"], []byte("Kilde"), []byte("Kjelde"), 1)
		})},
		{"bad line", "tables/alliances.jsonl line 1: column id", edit(func(e map[string][]byte, m *archive.Manifest) {
			e["tables/alliances.jsonl"] = bytes.Replace(e["tables/alliances.jsonl"], []byte(`{"id":1,`), []byte(`{"id":"x",`), 1)
			rehash(e, m, "alliances")
		})},
		{"file changed", "files/", edit(func(e map[string][]byte, m *archive.Manifest) {
			for n := range e {
				if strings.HasPrefix(n, "files/") {
					e[n] = []byte("%PDF-1.4 endret")
				}
			}
		})},
		{"wrong schema version", "schema version", edit(func(e map[string][]byte, m *archive.Manifest) { m.Schema++ })},
		{"wrong format", "format version", edit(func(e map[string][]byte, m *archive.Manifest) { m.Format++ })},
		{"late failure", "import documents", edit(func(e map[string][]byte, m *archive.Manifest) {
			// A document of an alliance that is not there: found only
			// when the rows before it are in.
			e["tables/documents.jsonl"] = bytes.Replace(e["tables/documents.jsonl"], []byte(`"alliance_id":1`), []byte(`"alliance_id":99`), 1)
			rehash(e, m, "documents")
		})},
	}
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		before := exportBytes(t, db)
		for _, c := range cases {
			err := importBytes(db, c.archive)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: got %v, want an error with %q", c.name, err, c.want)
			}
			if n := rowCount(t, db, "alliances"); n != 0 {
				t.Errorf("%s: %d alliances left after a failed import", c.name, n)
			}
			sameArchives(t, c.name, before, exportBytes(t, db))
		}
		if err := importBytes(db, good); err != nil {
			t.Fatalf("the good archive: %v", err)
		}
		err := importBytes(db, good)
		if err == nil || !strings.Contains(err.Error(), "not empty") {
			t.Errorf("a second import: got %v, want a refusal", err)
		}
	})
}

func rowCount(t *testing.T, db *store.DB, table string) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func sha256hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
