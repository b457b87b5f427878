package store_test

import (
	"testing"

	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/store"
)

// forEachDB runs fn on a fresh SQLite database and a fresh PostgreSQL schema.
func forEachDB(t *testing.T, fn func(t *testing.T, db *store.DB)) { testdb.Each(t, fn) }
