package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestBackupExportCommands runs the four commands on the demo: a backup
// restored, and an archive imported into a new database, both answer as
// the original does.
func TestBackupExportCommands(t *testing.T) {
	db := demoDB(t)
	dir := t.TempDir()
	want, _, err := runCLI(t, "members", "--alliance", "ore", "--at", "2021-01-01", "--format", "csv", "--db", db)
	if err != nil {
		t.Fatal(err)
	}

	bak := filepath.Join(dir, "demo.bak")
	if out, _, err := runCLI(t, "backup", "--db", db, "--out", bak); err != nil || !strings.Contains(out, "sqlite backup") {
		t.Fatalf("backup: %q %v", out, err)
	}
	restored := filepath.Join(dir, "restored.db")
	if _, _, err := runCLI(t, "restore", "--db", restored, "--from", bak); err != nil {
		t.Fatalf("restore: %v", err)
	}
	if _, _, err := runCLI(t, "restore", "--db", restored, "--from", bak); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Errorf("restore over an existing database: %v", err)
	}

	zip := filepath.Join(dir, "demo.zip")
	if out, _, err := runCLI(t, "export", "--db", db, "--out", zip); err != nil || !strings.Contains(out, "tables") {
		t.Fatalf("export: %q %v", out, err)
	}
	if _, _, err := runCLI(t, "export", "--db", db, "--out", zip); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("export over an existing file: %v", err)
	}
	imported := filepath.Join(dir, "imported.db")
	if out, _, err := runCLI(t, "import", "--db", imported, zip); err != nil || !strings.Contains(out, "imported") {
		t.Fatalf("import: %q %v", out, err)
	}
	if _, _, err := runCLI(t, "import", "--db", imported, zip); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("a second import: %v", err)
	}
	if _, _, err := runCLI(t, "import", "--db", imported, "populaton", zip); err == nil || !strings.Contains(err.Error(), "expected population") {
		t.Errorf("import with a misspelt kind: %v", err)
	}

	for _, copy := range []string{restored, imported} {
		got, _, err := runCLI(t, "members", "--alliance", "ore", "--at", "2021-01-01", "--format", "csv", "--db", copy)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s answers\n%s\nnot\n%s", filepath.Base(copy), got, want)
		}
	}
}
