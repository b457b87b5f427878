package backup_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/backup"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/store"
)

// writers insert alliances through the store until stopped, and keep the
// slugs of those whose transaction committed.
type writers struct {
	mu    sync.Mutex
	acked []string
	errs  []error
	stop  chan struct{}
	wg    sync.WaitGroup
}

func startWriters(db *store.DB, n int) *writers {
	w := &writers{stop: make(chan struct{})}
	ctx := context.Background()
	for g := range n {
		w.wg.Add(1)
		go func() {
			defer w.wg.Done()
			for i := 0; ; i++ {
				select {
				case <-w.stop:
					return
				default:
				}
				a := samrad.Alliance{Slug: fmt.Sprintf("w%d-%d", g, i), NameNB: "Skrivar", Kind: samrad.AllianceAssociation, FoundedPrecision: samrad.PrecisionUnknown}
				if err := db.CreateAlliance(ctx, &a); err != nil {
					w.mu.Lock()
					w.errs = append(w.errs, err)
					w.mu.Unlock()
					return
				}
				w.mu.Lock()
				w.acked = append(w.acked, a.Slug)
				w.mu.Unlock()
			}
		}()
	}
	return w
}

// waitFor waits until n rows are acknowledged and returns them.
func (w *writers) waitFor(t *testing.T, n int) []string {
	t.Helper()
	for {
		w.mu.Lock()
		k, errs := len(w.acked), len(w.errs)
		acked := append([]string(nil), w.acked...)
		w.mu.Unlock()
		if errs > 0 {
			t.Fatalf("writer: %v", w.errs[0])
		}
		if k >= n {
			return acked
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (w *writers) halt(t *testing.T) {
	t.Helper()
	close(w.stop)
	w.wg.Wait()
	if len(w.errs) > 0 {
		t.Fatalf("writer: %v", w.errs[0])
	}
}

// checkRestored opens a restored database and checks it holds every row
// acknowledged before the backup began, each with its audit entry (the
// two are written in one transaction, so a consistent copy has both).
func checkRestored(t *testing.T, dsn string, before []string) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open restored: %v", err)
	}
	defer db.Close()
	all, err := db.Alliances(ctx)
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, a := range all {
		have[a.Slug] = true
	}
	for _, s := range before {
		if !have[s] {
			t.Errorf("alliance %s, committed before the backup began, is not in the restored database", s)
		}
	}
	var audited int
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'create' AND entity = 'alliance'`).Scan(&audited); err != nil {
		t.Fatal(err)
	}
	if audited != len(all) {
		t.Errorf("restored database has %d alliances and %d audit entries of their creation", len(all), audited)
	}
	if len(all) < len(before) {
		t.Errorf("%d alliances restored, %d acknowledged before the backup", len(all), len(before))
	}
}

func TestSQLiteBackupWhileWriting(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	dsn := filepath.Join(dir, "live.db")
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	w := startWriters(db, 4)
	before := w.waitFor(t, 200)
	out := filepath.Join(dir, "backup.db")
	info, err := backup.Backup(ctx, dsn, out)
	if err != nil {
		w.halt(t)
		t.Fatalf("backup: %v", err)
	}
	w.waitFor(t, len(before)+50) // writers went on during and after it
	w.halt(t)
	if info.Size == 0 || info.Schema == 0 {
		t.Errorf("backup info %+v", info)
	}
	if _, err := backup.Backup(ctx, dsn, out); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("a backup over an existing file: got %v", err)
	}
	if v, err := backup.Check(ctx, out); err != nil || v != info.Schema {
		t.Errorf("check: version %d, %v", v, err)
	}

	restored := filepath.Join(dir, "restored.db")
	if _, err := backup.Restore(ctx, restored, out, false); err != nil {
		t.Fatalf("restore: %v", err)
	}
	checkRestored(t, restored, before)

	// The live database is not replaced while it is open, not even with
	// --force; once closed, --force replaces it and keeps the old file.
	if _, err := backup.Restore(ctx, dsn, out, false); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Errorf("restore over an existing database: got %v", err)
	}
	if _, err := backup.Restore(ctx, dsn, out, true); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Errorf("restore over an open database: got %v", err)
	}
	db.Close()
	if _, err := backup.Restore(ctx, dsn, out, true); err != nil {
		t.Fatalf("restore over a closed database: %v", err)
	}
	kept, _ := filepath.Glob(dsn + ".replaced-*")
	if len(kept) != 1 {
		t.Errorf("the replaced database is not kept: %v", kept)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(dsn + suffix); err == nil {
			t.Errorf("%s left beside the restored database", suffix)
		}
	}
	checkRestored(t, dsn, before)
}

func TestSQLiteRestoreRefusesDamagedBackup(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.db")
	if err := os.WriteFile(bad, []byte(strings.Repeat("not a database ", 1000)), 0o600); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, "target.db")
	if _, err := backup.Restore(ctx, target, bad, false); err == nil {
		t.Fatal("a damaged backup was restored")
	}
	if _, err := os.Stat(target); err == nil {
		t.Error("a failed restore left a database behind")
	}
}

// TestPostgresBackupWhileWriting runs pg_dump and pg_restore, which must be
// on PATH: without them the test fails, as the backup command would.
func TestPostgresBackupWhileWriting(t *testing.T) {
	ctx := context.Background()
	dsn := testdb.DSN(t, "postgres")
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	w := startWriters(db, 4)
	before := w.waitFor(t, 40)
	out := filepath.Join(t.TempDir(), "backup.dump")
	info, err := backup.Backup(ctx, dsn, out)
	if err != nil {
		w.halt(t)
		t.Fatalf("backup: %v", err)
	}
	w.waitFor(t, len(before)+10)
	w.halt(t)
	if info.Size == 0 {
		t.Errorf("backup info %+v", info)
	}

	target := newDatabase(t, dsn)
	if _, err := backup.Restore(ctx, target, out, false); err != nil {
		t.Fatalf("restore: %v", err)
	}
	checkRestored(t, target, before)
	if _, err := backup.Restore(ctx, target, out, false); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Errorf("restore into a database with tables: got %v", err)
	}
}

// newDatabase creates an empty PostgreSQL database, dropped when the test
// ends, and returns a DSN for it with the search_path of like.
func newDatabase(t *testing.T, like string) string {
	t.Helper()
	ctx := context.Background()
	admin, err := sql.Open("pgx", testdb.PostgresDSN())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	b := make([]byte, 6)
	rand.Read(b)
	name := "restore_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() { admin.ExecContext(context.Background(), "DROP DATABASE "+name+" WITH (FORCE)") })
	u, err := url.Parse(like)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}
