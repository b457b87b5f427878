// Package store keeps Samråd's data in SQLite (embedded, the default) or
// PostgreSQL (for hosts that run several instances). Both engines run the same
// SQL; where they differ, the difference is kept in the migrations of each
// engine. Every change of several rows runs in one transaction.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	_ "modernc.org/sqlite"             // SQLite driver "sqlite", pure Go

	"github.com/samrad/samrad"
)

// Dialect names the database engine.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

//go:embed migrations
var migrationFS embed.FS

// DB is an open Samråd database.
type DB struct {
	db      *pool
	dialect Dialect

	mu       sync.Mutex
	reg      *samrad.Registry
	regStamp string
	cache    caches

	rlPurged atomic.Int64 // Unix second of the last purge of rate_limits

	versionTTL atomic.Int64 // see SetVersionTTL
}

// ParseDSN tells the engine of a DSN and returns what the driver needs.
// "postgres://…" and "postgresql://…" are PostgreSQL; "sqlite:PATH" or a
// plain file path are SQLite.
func ParseDSN(dsn string) (Dialect, string, error) {
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return Postgres, dsn, nil
	case dsn == "":
		return "", "", fmt.Errorf("empty database DSN")
	}
	path := strings.TrimPrefix(dsn, "sqlite:")
	if path == "" {
		return "", "", fmt.Errorf("sqlite DSN without a path")
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	if path != ":memory:" {
		abs, err := filepath.Abs(path)
		if err != nil {
			return "", "", err
		}
		path = abs
	}
	return SQLite, "file:" + path + "?" + q.Encode(), nil
}

// Open opens the database at dsn, applies pending migrations and loads the
// embedded reference registry if it is new or has changed. A database whose
// schema is newer than this program's migrations is refused. On PostgreSQL
// several processes may open the same database at once: one migrates and
// seeds while the others wait.
func Open(ctx context.Context, dsn string) (*DB, error) {
	db, err := openPool(ctx, dsn)
	if err != nil {
		return nil, err
	}
	ms, err := embeddedMigrations(db.dialect)
	if err != nil {
		db.db.Close()
		return nil, err
	}
	err = db.whileLocked(ctx, func() error {
		if err := db.migrate(ctx, ms); err != nil {
			return err
		}
		return db.SeedRegistry(ctx)
	})
	if err != nil {
		db.db.Close()
		return nil, err
	}
	return db, nil
}

// openPool opens and pings the database at dsn, without migrating it.
func openPool(ctx context.Context, dsn string) (*DB, error) {
	dialect, driverDSN, err := ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	driver := "sqlite"
	if dialect == Postgres {
		driver = "pgx"
	} else {
		registerSQLiteFunctions() // before the first connection, which migrations use
	}
	sqldb, err := sql.Open(driver, driverDSN)
	if err != nil {
		return nil, err
	}
	// As many connections are kept idle as may be open: with the
	// default of two, a burst of requests closes and opens connections
	// all the time, and a new connection costs far more than a query
	// (for SQLite, reading the whole schema; for PostgreSQL, a login).
	conns := 8
	if dialect == Postgres {
		conns = 16
	}
	sqldb.SetMaxOpenConns(conns)
	sqldb.SetMaxIdleConns(conns)
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sqldb.PingContext(pctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("open %s database: %w", dialect, err)
	}
	db := &DB{db: &pool{DB: sqldb}, dialect: dialect}
	db.SetVersionTTL(DefaultVersionTTL)
	return db, nil
}

// Close closes the database.
func (db *DB) Close() error {
	for _, st := range []*sql.Stmt{db.cache.stampsStmt, db.cache.versionStmt} {
		if st != nil {
			st.Close()
		}
	}
	return db.db.Close()
}

// Dialect returns the engine.
func (db *DB) Dialect() Dialect { return db.dialect }

// SQL returns the underlying pool, for health checks and tests.
func (db *DB) SQL() *sql.DB { return db.db.DB }

// Queries returns how many statements this DB has run outside
// transactions, so that tests can check that a page's query count does not
// grow with the data.
func (db *DB) Queries() int64 { return db.db.queries.Load() }

// pool is the connection pool, counting the statements it runs.
type pool struct {
	*sql.DB
	queries atomic.Int64
}

func (p *pool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	p.queries.Add(1)
	return p.DB.QueryContext(ctx, query, args...)
}

func (p *pool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	p.queries.Add(1)
	return p.DB.QueryRowContext(ctx, query, args...)
}

func (p *pool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	p.queries.Add(1)
	return p.DB.ExecContext(ctx, query, args...)
}

// Migrations lists the embedded migration versions of an engine.
func Migrations(d Dialect) ([]int, error) {
	ms, err := embeddedMigrations(d)
	if err != nil {
		return nil, err
	}
	out := make([]int, len(ms))
	for i, m := range ms {
		out[i] = m.version
	}
	return out, nil
}

// migration is one numbered, forward-only change of the schema.
type migration struct {
	version int
	name    string // the file, named in errors
	sql     string
}

// embeddedMigrations reads an engine's migrations, in order of version.
func embeddedMigrations(d Dialect) ([]migration, error) {
	dir := "migrations/" + string(d)
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		prefix, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(prefix)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("migration %s: name must be NNNN_what.sql", e.Name())
		}
		body, err := migrationFS.ReadFile(dir + "/" + e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, migration{v, dir + "/" + e.Name(), string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i := 1; i < len(out); i++ {
		if out[i].version == out[i-1].version {
			return nil, fmt.Errorf("migrations %s and %s have the same number", out[i-1].name, out[i].name)
		}
	}
	return out, nil
}

// migrationLock is the first key of the PostgreSQL advisory lock held while
// a process migrates and seeds; the second is the schema's name, so that
// databases in different schemas of one server do not wait for each other.
const migrationLock = 7231001

// whileLocked runs fn while no other process migrates the same database.
// On PostgreSQL a transaction of its own holds an advisory lock until fn
// returns (the server releases it if the connection is lost); fn works on
// other connections. SQLite needs no lock: each migration's transaction
// begins IMMEDIATE, so writers queue, and each looks again at what is applied.
func (db *DB) whileLocked(ctx context.Context, fn func() error) error {
	if db.dialect != Postgres {
		return fn()
	}
	lock, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer lock.Rollback()
	if _, err := lock.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))`, migrationLock); err != nil {
		return fmt.Errorf("migrate: lock: %w", err)
	}
	return fn()
}

// migrate applies each migration not yet applied, each in its own
// transaction, so that a failed migration leaves the database as it was
// before it, and the error names its file. A database that has a version
// above the last of ms belongs to a newer program and is refused untouched.
func (db *DB) migrate(ctx context.Context, ms []migration) error {
	if _, err := db.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY,
		applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	latest := 0
	if len(ms) > 0 {
		latest = ms[len(ms)-1].version
	}
	var current int
	if err := db.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if current > latest {
		return fmt.Errorf("migrate: the database has schema version %d, newer than this program's last migration %d; "+
			"run the samrad that upgraded it (or a later one)", current, latest)
	}
	for _, m := range ms {
		err := db.inTx(ctx, func(tx *sql.Tx) error {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = $1`, m.version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("%s: %w", m.name, err)
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)`,
				m.version, time.Now().UTC().Format(time.RFC3339))
			return err
		})
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
	}
	return nil
}

// inTx runs fn in a transaction, committing if it returns nil.
func (db *DB) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		if rerr := tx.Rollback(); rerr != nil && !errors.Is(rerr, sql.ErrTxDone) {
			return errors.Join(err, rerr)
		}
		return err
	}
	// Counted even when the commit fails: whether it took effect is then
	// unknown, and reading the version again is cheap.
	defer db.committed()
	return tx.Commit()
}

// queryer is what *sql.DB and *sql.Tx share.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func now() string { return time.Now().UTC().Format(time.RFC3339) }

// insertID runs an INSERT … RETURNING id.
func insertID(ctx context.Context, q queryer, query string, args ...any) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, query+" RETURNING id", args...).Scan(&id)
	return id, err
}

// queryIDs runs a query of one integer column and returns its values.
func queryIDs(ctx context.Context, q queryer, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func getMeta(ctx context.Context, q queryer, key string) (string, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = $1`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

func setMeta(ctx context.Context, q queryer, key, value string) error {
	_, err := q.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

// insertBatch runs prefix (… VALUES ) with rows as multi-row VALUES lists,
// a few hundred parameters at a time.
func insertBatch(ctx context.Context, tx *sql.Tx, prefix string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	per := max(1, 900/len(rows[0]))
	for start := 0; start < len(rows); start += per {
		end := min(start+per, len(rows))
		var b strings.Builder
		b.WriteString(prefix)
		args := make([]any, 0, len(rows[0])*(end-start))
		for i, r := range rows[start:end] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for j := range r {
				if j > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "$%d", len(args)+j+1)
			}
			b.WriteByte(')')
			args = append(args, r...)
		}
		if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
			return err
		}
	}
	return nil
}
