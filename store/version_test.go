package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/store"
)

// openTwice opens two handles of one database, as two instances of the
// server (or the server and a command) do.
func openTwice(t *testing.T, engine string) (*store.DB, *store.DB) {
	t.Helper()
	dsn := testdb.DSN(t, engine)
	var dbs [2]*store.DB
	for i := range dbs {
		db, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		dbs[i] = db
	}
	return dbs[0], dbs[1]
}

func version(t *testing.T, db *store.DB) string {
	t.Helper()
	v, err := db.Version(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestVersionSeesAnotherInstance: a change committed through one handle is
// seen by the other once the version it read last is older than its TTL,
// and at once with a TTL of 0.
func TestVersionSeesAnotherInstance(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			a, b := openTwice(t, engine)
			const ttl = 50 * time.Millisecond
			a.SetVersionTTL(ttl)
			before := version(t, a)
			if got := version(t, b); got != before {
				t.Fatalf("two handles disagree before any change: %q and %q", before, got)
			}
			newAlliance(t, b, "vestregionen")
			changed := version(t, b)
			if changed == before {
				t.Fatal("the handle that changed the data does not see its own change")
			}
			time.Sleep(ttl)
			if got := version(t, a); got != changed {
				t.Errorf("after the TTL the other handle reads %q, want %q", got, changed)
			}

			a.SetVersionTTL(0)
			newAlliance(t, b, "osloregionen")
			if got, want := version(t, a), version(t, b); got != want {
				t.Errorf("with a TTL of 0 the other handle reads %q, want %q at once", got, want)
			}
		})
	}
}

// TestVersionOwnChangesAtOnce: while nothing changes, the version is read
// from the database at most once per TTL; a change committed through the
// same handle is seen at once, whatever the TTL.
func TestVersionOwnChangesAtOnce(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		db.SetVersionTTL(time.Hour)
		before := version(t, db)
		n := db.Queries()
		for range 100 {
			if got := version(t, db); got != before {
				t.Fatalf("version changed without a change: %q, then %q", before, got)
			}
		}
		if q := db.Queries() - n; q != 0 {
			t.Errorf("100 reads of an unchanged version ran %d queries, want none", q)
		}
		newAlliance(t, db, "vestregionen")
		after := version(t, db)
		if after == before {
			t.Fatal("a change through the same handle is not seen at once")
		}
		var stored string
		if err := db.SQL().QueryRow(`SELECT value FROM meta WHERE key = 'data_stamp'`).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if after != stored {
			t.Errorf("version %q, the database holds %q", after, stored)
		}
	})
}

// TestVersionWhileChanging reads the version from many goroutines while
// changes are committed: once the last change is committed, every reader
// sees it, however the reads and commits interleaved.
func TestVersionWhileChanging(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		db.SetVersionTTL(time.Hour)
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				for {
					select {
					case <-stop:
						return
					default:
					}
					if _, err := db.Version(context.Background()); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		for _, slug := range []string{"a1", "a2", "a3", "a4", "a5", "a6"} {
			newAlliance(t, db, slug)
		}
		close(stop)
		wg.Wait()
		var stored string
		if err := db.SQL().QueryRow(`SELECT value FROM meta WHERE key = 'data_stamp'`).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if got := version(t, db); got != stored {
			t.Errorf("after the last change: version %q, the database holds %q", got, stored)
		}
	})
}
