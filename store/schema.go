package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"
)

// Schema is where a database's schema stands against this binary.
type Schema struct {
	Dialect Dialect
	Version int // the highest migration applied; 0 for an empty database
	Latest  int // the highest migration this binary has
}

// Current reports whether the database is at this binary's latest
// migration or beyond it (a newer binary migrated it, as in a rolling
// upgrade; migrations only add, so this binary still works).
func (s Schema) Current() bool { return s.Version >= s.Latest }

// LatestMigration is the highest migration version embedded for the
// engine.
func LatestMigration(d Dialect) (int, error) {
	vs, err := Migrations(d)
	if err != nil || len(vs) == 0 {
		return 0, err
	}
	return vs[len(vs)-1], nil
}

// Schema reads the applied migration version.
func (db *DB) Schema(ctx context.Context) (Schema, error) {
	return schemaOf(ctx, db.db.DB, db.dialect)
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.db.PingContext(ctx) }

func schemaOf(ctx context.Context, q *sql.DB, d Dialect) (Schema, error) {
	s := Schema{Dialect: d}
	latest, err := LatestMigration(d)
	if err != nil {
		return s, err
	}
	s.Latest = latest
	var v sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v); err != nil {
		return s, fmt.Errorf("schema version: %w", err)
	}
	s.Version = int(v.Int64)
	return s, nil
}

// Inspect connects to the database at dsn and reads its schema version
// without changing anything: no migration, no seeding, unlike Open. A
// database never migrated has version 0.
func Inspect(ctx context.Context, dsn string) (Schema, error) {
	dialect, driverDSN, err := ParseDSN(dsn)
	if err != nil {
		return Schema{}, err
	}
	driver := "sqlite"
	if dialect == Postgres {
		driver = "pgx"
	} else {
		path := strings.TrimPrefix(dsn, "sqlite:")
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return Schema{Dialect: dialect}, fmt.Errorf("no SQLite database at %s: %w", path, fs.ErrNotExist)
		} else if err != nil {
			return Schema{Dialect: dialect}, err
		}
		driverDSN += "&mode=ro" // a check must not create the file
	}
	sqldb, err := sql.Open(driver, driverDSN)
	if err != nil {
		return Schema{}, err
	}
	defer sqldb.Close()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sqldb.PingContext(ctx); err != nil {
		return Schema{Dialect: dialect}, fmt.Errorf("open %s database: %w", dialect, err)
	}
	var exists bool
	q := `SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`
	if dialect == Postgres {
		q = `SELECT to_regclass('schema_migrations') IS NOT NULL`
	}
	if err := sqldb.QueryRowContext(ctx, q).Scan(&exists); err != nil {
		return Schema{Dialect: dialect}, fmt.Errorf("schema version: %w", err)
	}
	if !exists {
		latest, err := LatestMigration(dialect)
		return Schema{Dialect: dialect, Latest: latest}, err
	}
	return schemaOf(ctx, sqldb, dialect)
}
