// Package backup makes and restores whole copies of a Samråd database,
// while the server goes on serving. A SQLite database is copied by SQLite
// itself (VACUUM INTO, one consistent read transaction) and the copy is
// checked before it takes the backup's name. A PostgreSQL database is
// copied by PostgreSQL's own pg_dump and restored by pg_restore; this
// package only runs them.
package backup

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	_ "modernc.org/sqlite"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

// Info describes a backup that was made or restored.
type Info struct {
	Engine store.Dialect
	// Schema is the migration version of the copy (SQLite only).
	Schema int
	Size   int64
}

// Backup writes a consistent copy of the database at dsn to out, which
// must not exist yet.
func Backup(ctx context.Context, dsn, out string) (Info, error) {
	dialect, _, err := store.ParseDSN(dsn)
	if err != nil {
		return Info{}, err
	}
	if _, err := os.Lstat(out); err == nil {
		return Info{}, samrad.Errorf(samrad.ECONFLICT, "%s exists already: give the backup a new name (with the date in it, say)", out)
	}
	if dialect == store.Postgres {
		return pgDump(ctx, dsn, out)
	}
	return sqliteBackup(ctx, dsn, out)
}

// Restore replaces the database at dsn with the backup in from. An
// existing SQLite file, or a PostgreSQL schema with tables, is replaced
// only with force; a SQLite database that a program has open is never.
func Restore(ctx context.Context, dsn, from string, force bool) (Info, error) {
	dialect, _, err := store.ParseDSN(dsn)
	if err != nil {
		return Info{}, err
	}
	if dialect == store.Postgres {
		return pgRestore(ctx, dsn, from, force)
	}
	return sqliteRestore(ctx, dsn, from, force)
}

func sqlitePath(dsn string) (string, error) {
	path := strings.TrimPrefix(dsn, "sqlite:")
	if path == "" || path == ":memory:" {
		return "", fmt.Errorf("%q is not a SQLite file", dsn)
	}
	return filepath.Abs(path)
}

// openFile opens a SQLite file as it is, without migrating it.
func openFile(path string, readOnly bool) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	if readOnly {
		q.Set("mode", "ro")
	}
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

func sqliteBackup(ctx context.Context, dsn, out string) (Info, error) {
	info := Info{Engine: store.SQLite}
	path, err := sqlitePath(dsn)
	if err != nil {
		return info, err
	}
	if _, err := os.Stat(path); err != nil {
		return info, fmt.Errorf("backup: %w", err)
	}
	src, err := openFile(path, false)
	if err != nil {
		return info, err
	}
	defer src.Close()
	out, err = filepath.Abs(out)
	if err != nil {
		return info, err
	}
	tmp := tempName(out)
	defer os.Remove(tmp)
	want, err := version(ctx, src)
	if err != nil {
		return info, err
	}
	// VACUUM INTO reads the database in one transaction: the copy is a
	// snapshot, and writers go on meanwhile (WAL).
	if _, err := src.ExecContext(ctx, `VACUUM INTO $1`, tmp); err != nil {
		return info, fmt.Errorf("backup: VACUUM INTO: %w", err)
	}
	got, err := Check(ctx, tmp)
	if err != nil {
		return info, err
	}
	if got != want {
		return info, fmt.Errorf("backup: the copy has schema version %d, the database %d", got, want)
	}
	info.Schema = got
	if err := syncFile(tmp); err != nil {
		return info, err
	}
	if err := os.Rename(tmp, out); err != nil {
		return info, err
	}
	if err := syncDir(filepath.Dir(out)); err != nil {
		return info, err
	}
	st, err := os.Stat(out)
	if err != nil {
		return info, err
	}
	info.Size = st.Size()
	return info, nil
}

type queryRower interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func version(ctx context.Context, q queryRower) (int, error) {
	var v sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("schema version: %w", err)
	}
	return int(v.Int64), nil
}

// Check opens a SQLite backup read-only, runs SQLite's integrity check and
// returns its schema version.
func Check(ctx context.Context, path string) (int, error) {
	if _, err := os.Stat(path); err != nil {
		return 0, err
	}
	db, err := openFile(path, true)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return 0, fmt.Errorf("%s: not a SQLite database: %w", path, err)
	}
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return 0, err
		}
		if s != "ok" {
			problems = append(problems, s)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("%s: integrity check: %w", path, err)
	}
	if len(problems) > 0 {
		return 0, fmt.Errorf("%s fails the integrity check: %v", path, problems)
	}
	v, err := version(ctx, db)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	return v, nil
}

func sqliteRestore(ctx context.Context, dsn, from string, force bool) (Info, error) {
	info := Info{Engine: store.SQLite}
	path, err := sqlitePath(dsn)
	if err != nil {
		return info, err
	}
	v, err := Check(ctx, from)
	if err != nil {
		return info, err
	}
	known, err := store.Migrations(store.SQLite)
	if err != nil {
		return info, err
	}
	if len(known) == 0 || v > known[len(known)-1] || !slices.Contains(known, v) {
		return info, fmt.Errorf("%s has schema version %d, which this version of Samråd does not know: restore it with the version that made it", from, v)
	}
	info.Schema = v
	_, statErr := os.Stat(path)
	exists := statErr == nil
	if exists {
		if !force {
			return info, samrad.Errorf(samrad.ECONFLICT, "%s exists: --force replaces it (it is kept beside as %s.replaced-TIME)", path, filepath.Base(path))
		}
		if err := notInUse(ctx, path); err != nil {
			return info, err
		}
	}
	tmp := tempName(path)
	defer os.Remove(tmp)
	if err := copyFile(from, tmp); err != nil {
		return info, err
	}
	if exists {
		aside := path + ".replaced-" + time.Now().UTC().Format("20060102T150405Z")
		if err := os.Rename(path, aside); err != nil {
			return info, err
		}
	}
	// A -wal or -shm file left beside the path belongs to the old database;
	// SQLite would apply it to the restored one.
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return info, err
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		return info, err
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return info, err
	}
	st, err := os.Stat(path)
	if err != nil {
		return info, err
	}
	info.Size = st.Size()
	return info, nil
}

// notInUse takes SQLite's exclusive lock on the database for a moment,
// which it gets only if no other connection has the file open. Closing the
// last connection also folds the write-ahead log into the file.
func notInUse(ctx context.Context, path string) error {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(0)")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return err
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	inUse := samrad.Errorf(samrad.ECONFLICT, "%s is in use (is samrad serve running?): stop every program that has it open, then restore", path)
	if _, err := conn.ExecContext(ctx, `PRAGMA locking_mode = EXCLUSIVE`); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, `BEGIN EXCLUSIVE`); err != nil {
		return inUse
	}
	var n int
	if err := conn.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master`).Scan(&n); err != nil {
		conn.ExecContext(ctx, `ROLLBACK`)
		return inUse
	}
	_, err = conn.ExecContext(ctx, `COMMIT`)
	return err
}

func tempName(path string) string {
	b := make([]byte, 6)
	rand.Read(b)
	return path + ".tmp-" + hex.EncodeToString(b)
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
