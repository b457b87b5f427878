package store_test

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/store"
)

// windowStart is a time at the start of a minute, so that the tests know
// where the windows fall.
var windowStart = time.Unix(1_800_000_000-1_800_000_000%3600, 0)

// TestRateLimitSharedByInstances counts on two handles of one database, as
// two instances of the server do: the limit holds across them, at once and
// concurrently.
func TestRateLimitSharedByInstances(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dsn := testdb.DSN(t, engine)
			var dbs [2]*store.DB
			for i := range dbs {
				db, err := store.Open(ctx, dsn)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				dbs[i] = db
			}
			now := windowStart.Add(5 * time.Second)
			// Three on one instance, two on the other: the limit of four
			// lets the first four through.
			for i, db := range []*store.DB{dbs[0], dbs[1], dbs[0], dbs[1], dbs[0]} {
				ok, retry, err := db.Allow(ctx, "login", "client:192.0.2.1", 4, time.Minute, now)
				if err != nil {
					t.Fatal(err)
				}
				if ok != (i < 4) {
					t.Errorf("request %d: allowed %v", i+1, ok)
				}
				if !ok && (retry <= 0 || retry > 2*time.Minute) {
					t.Errorf("request %d: retry after %s", i+1, retry)
				}
			}

			// Forty at once, twenty on each instance, against a limit of
			// ten: exactly ten get through.
			var mu sync.Mutex
			allowed := 0
			var wg sync.WaitGroup
			for i := range 40 {
				wg.Go(func() {
					ok, _, err := dbs[i%2].Allow(ctx, "register", "client:198.51.100.7", 10, time.Hour, now)
					if err != nil {
						t.Error(err)
						return
					}
					if ok {
						mu.Lock()
						allowed++
						mu.Unlock()
					}
				})
			}
			wg.Wait()
			if allowed != 10 {
				t.Errorf("%d of 40 concurrent requests allowed, want 10", allowed)
			}
		})
	}
}

// TestRateLimitWindows checks that windows roll, that the Retry-After is
// when a request fits again, and that keys and buckets are independent.
func TestRateLimitWindows(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		allow := func(bucket, key string, at time.Time) (bool, time.Duration) {
			t.Helper()
			ok, retry, err := db.Allow(ctx, bucket, key, 3, time.Minute, at)
			if err != nil {
				t.Fatal(err)
			}
			return ok, retry
		}
		at := windowStart.Add(10 * time.Second)
		for i := range 3 {
			if ok, _ := allow("subscribe", "a", at); !ok {
				t.Fatalf("request %d refused", i+1)
			}
		}
		ok, retry := allow("subscribe", "a", at)
		if ok {
			t.Fatal("fourth request in the window allowed")
		}
		// Another key, and the same key in another bucket, count apart.
		if ok, _ := allow("subscribe", "b", at); !ok {
			t.Error("another key was refused")
		}
		if ok, _ := allow("reveal", "a", at); !ok {
			t.Error("the same key in another bucket was refused")
		}
		// Four in the window 10 s in: the next request fits once half of
		// the next window has passed, 80 s later, when 4 × ½ + 1 = 3.
		if retry != 80*time.Second {
			t.Errorf("retry after %s, want 80s", retry)
		}
		if ok, _ := allow("subscribe", "a", at.Add(retry-10*time.Second)); ok {
			t.Error("allowed before the retry time")
		}
		// That refused request counts as well; the window after next is clear.
		if ok, _ := allow("subscribe", "a", at.Add(2*time.Minute)); !ok {
			t.Error("refused two windows later")
		}
		if _, _, err := db.Allow(ctx, "subscribe", "a", 3, time.Millisecond, at); err == nil {
			t.Error("a window under a second was accepted")
		}
	})
}

// TestRateLimitRetryAfter checks that a refused client is let in again
// exactly at the time given, inside a window.
func TestRateLimitRetryAfter(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for i := range 6 {
			if _, _, err := db.Allow(ctx, "post", "k", 5, time.Minute, windowStart.Add(20*time.Second)); err != nil {
				t.Fatal(i, err)
			}
		}
		// Six in the first window; 10 s into the next, 6 × 5/6 + 1 = 6 is
		// over the limit of five. With that request counted, one more fits
		// when 6 × (60 − t)/60 + 2 ≤ 5, at t = 30 s: 20 s later.
		at := windowStart.Add(70 * time.Second)
		ok, retry, err := db.Allow(ctx, "post", "k", 5, time.Minute, at)
		if err != nil || ok {
			t.Fatalf("over the limit: %v, %v", ok, err)
		}
		if retry != 20*time.Second {
			t.Errorf("retry after %s, want 20s", retry)
		}
		if ok, _, _ := db.Allow(ctx, "post", "k", 5, time.Minute, at.Add(retry)); !ok {
			t.Error("refused at the retry time")
		}
	})
}

// BenchmarkAllow is the cost a limited request adds: one upsert (and, once
// a minute, a purge).
func BenchmarkAllow(b *testing.B) {
	for _, engine := range testdb.Engines {
		b.Run(engine, func(b *testing.B) {
			db := testdb.Open(b, engine)
			ctx := context.Background()
			now := time.Now()
			i := 0
			for b.Loop() {
				i++
				if _, _, err := db.Allow(ctx, "bench", "client:"+strconv.Itoa(i%500), 1000, time.Minute, now); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
