package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/store"
)

func TestSchemaBeforeAndAfterMigrating(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dsn := testdb.DSN(t, engine)
			dialect, _, err := store.ParseDSN(dsn)
			if err != nil {
				t.Fatal(err)
			}
			latest, err := store.LatestMigration(dialect)
			if err != nil || latest < 1 {
				t.Fatalf("LatestMigration = %d, %v", latest, err)
			}
			if engine == "sqlite" {
				// Inspecting a file that is not there neither creates it nor
				// pretends it is empty.
				if _, err := store.Inspect(ctx, dsn); err == nil {
					t.Fatal("Inspect of a missing SQLite file succeeded")
				}
			} else {
				s, err := store.Inspect(ctx, dsn)
				if err != nil || s.Version != 0 || s.Latest != latest || s.Current() {
					t.Fatalf("Inspect of an empty database = %+v, %v", s, err)
				}
			}
			db, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			for name, read := range map[string]func() (store.Schema, error){
				"Schema":  func() (store.Schema, error) { return db.Schema(ctx) },
				"Inspect": func() (store.Schema, error) { return store.Inspect(ctx, dsn) },
			} {
				s, err := read()
				if err != nil || s.Version != latest || s.Latest != latest || !s.Current() || s.Dialect != dialect {
					t.Errorf("%s after Open = %+v, %v; want version %d", name, s, err, latest)
				}
			}
		})
	}
}

func TestOutboxDepthCountsQueuedMessagesOnly(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if n, err := db.OutboxDepth(ctx); err != nil || n != 0 {
			t.Fatalf("empty depth = %d, %v", n, err)
		}
		msgs := make([]store.OutboxMessage, 5)
		for i := range msgs {
			msgs[i] = store.OutboxMessage{Kind: "registration", RefID: 1, From: "post@example.no", To: "n@example.no", Data: []byte("Subject: x\r\n\r\nx\r\n")}
		}
		if err := db.Enqueue(ctx, msgs...); err != nil {
			t.Fatal(err)
		}
		claimed, err := db.ClaimOutbox(ctx, "test", time.Now().Add(time.Minute), 2, time.Minute)
		if err != nil || len(claimed) != 2 {
			t.Fatalf("claim = %d, %v", len(claimed), err)
		}
		// A claimed message is still queued until it is settled.
		if n, err := db.OutboxDepth(ctx); err != nil || n != 5 {
			t.Fatalf("depth with claims = %d, %v", n, err)
		}
		if err := db.SettleOutbox(ctx, store.OutboxResult{ID: claimed[0].ID, At: time.Now()}, store.OutboxResult{ID: claimed[1].ID, At: time.Now(), Err: errPermanent}); err != nil {
			t.Fatal(err)
		}
		if n, err := db.OutboxDepth(ctx); err != nil || n != 3 {
			t.Fatalf("depth after one sent and one failed = %d, %v", n, err)
		}
	})
}

type permanent struct{}

func (permanent) Error() string { return "550 no such user" }

var errPermanent = permanent{}
