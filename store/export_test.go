package store

import "context"

// OpenAt opens the database at dsn and migrates it to version n only (the
// embedded migrations up to n), without seeding the registry: a database
// as an older program left it.
func OpenAt(ctx context.Context, dsn string, n int) (*DB, error) {
	db, err := openPool(ctx, dsn)
	if err != nil {
		return nil, err
	}
	ms, err := embeddedMigrations(db.dialect)
	if err != nil {
		db.db.Close()
		return nil, err
	}
	var upTo []migration
	for _, m := range ms {
		if m.version <= n {
			upTo = append(upTo, m)
		}
	}
	if err := db.migrate(ctx, upTo); err != nil {
		db.db.Close()
		return nil, err
	}
	return db, nil
}

// MigrateWithExtra applies the embedded migrations followed by one more,
// given as its file name and SQL, to db.
func MigrateWithExtra(ctx context.Context, db *DB, version int, name, sql string) error {
	ms, err := embeddedMigrations(db.dialect)
	if err != nil {
		return err
	}
	ms = append(ms, migration{version, name, sql})
	return db.whileLocked(ctx, func() error { return db.migrate(ctx, ms) })
}
