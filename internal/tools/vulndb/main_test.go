package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestCompareSemver(t *testing.T) {
	// Each version is lower than the next, as semver (and govulncheck) order them.
	order := []string{"", "1.0.0-0", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta.2", "1.0.0-beta.11",
		"1.0.0-rc.1", "v1.0.0", "1.0.1", "1.9.0", "1.10.0", "go1.21.0-0", "1.21.0", "1.22.0-rc.1", "2.0.0"}
	for i := range order {
		for j := range order {
			got := compareSemver(order[i], order[j])
			if (i < j && got >= 0) || (i > j && got <= 0) || (i == j && got != 0) {
				t.Errorf("compareSemver(%q, %q) = %d", order[i], order[j], got)
			}
		}
	}
	for _, bad := range []string{"1.2", "01.2.3", "1.2.3-", "1.2.3-01", "1.2.x"} {
		if _, ok := parseSemver(bad); ok {
			t.Errorf("%q parsed", bad)
		}
	}
	if compareSemver("1.0.0+build", "1.0.0") != 0 {
		t.Error("build metadata takes part in the order")
	}
}

func TestBuild(t *testing.T) {
	src := t.TempDir()
	records := map[string]string{
		// Fixed in 1.2.0; the index holds the fix.
		"GO-2024-0001": `{"id": "GO-2024-0001", "modified": "0001-01-01T00:00:00Z", "details": "a",
		  "affected": [{"package": {"name": "example.com/a", "ecosystem": "Go"},
		    "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.1.0"}, {"introduced": "1.1.5"}, {"fixed": "1.2.0"}]}]}]}`,
		// Back in 2.0.0 after its fix in 1.5.0: no fix for good.
		"GO-2024-0002": `{"id": "GO-2024-0002", "modified": "2024-05-01T10:00:00Z", "details": "b",
		  "affected": [{"package": {"name": "example.com/a", "ecosystem": "Go"},
		    "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.5.0"}, {"introduced": "2.0.0"}]}]},
		    {"package": {"name": "stdlib", "ecosystem": "Go"},
		    "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.26.9"}]}]}]}`,
	}
	for id, r := range records {
		if err := os.WriteFile(filepath.Join(src, id+".json"), []byte(r), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "db")
	mod := time.Date(2026, 11, 5, 23, 49, 57, 0, time.UTC)
	if n, err := Build(src, out, mod); err != nil || n != 2 {
		t.Fatalf("Build = %d, %v", n, err)
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if got := read("index/db.json"); got != `{"modified":"2026-11-05T23:49:57Z"}` {
		t.Errorf("db.json = %s", got)
	}
	want := `[{"path":"example.com/a","vulns":[{"id":"GO-2024-0001","modified":"2026-11-05T23:49:57Z","fixed":"1.2.0"},` +
		`{"id":"GO-2024-0002","modified":"2024-05-01T10:00:00Z"}]},` +
		`{"path":"stdlib","vulns":[{"id":"GO-2024-0002","modified":"2024-05-01T10:00:00Z","fixed":"1.26.9"}]}]`
	if got := read("index/modules.json"); got != want {
		t.Errorf("modules.json =\n%s\nwant\n%s", got, want)
	}
	var e struct {
		ID       string    `json:"id"`
		Modified time.Time `json:"modified"`
		Details  string    `json:"details"`
	}
	if err := json.Unmarshal([]byte(read("ID/GO-2024-0001.json")), &e); err != nil || e.ID != "GO-2024-0001" || !e.Modified.Equal(mod) || e.Details != "a" {
		t.Errorf("record %+v, %v", e, err)
	}
	// A record without a time needs -modified; a record must be named for its id.
	if _, err := Build(src, out, time.Time{}); err == nil || !strings.Contains(err.Error(), "-modified") {
		t.Errorf("no -modified: %v", err)
	}
	if err := os.WriteFile(filepath.Join(src, "GO-2024-0003.json"), []byte(`{"id": "GO-2024-0004"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(src, out, mod); err == nil || !strings.Contains(err.Error(), "does not name its file") {
		t.Errorf("misnamed record: %v", err)
	}
}
