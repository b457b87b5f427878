package store

import (
	"context"
	"sync"

	"github.com/samrad/samrad"
)

// Data that pages read on every request (the registry, an alliance's
// memberships, the population figures of a date, fee schedules) is cached in
// memory. Each kind has a stamp in the meta table that every transaction
// changing it renews, and a cached value is used only while its stamp is
// unchanged. One small query reads all stamps, so several instances on one
// PostgreSQL never serve each other stale data.
const (
	stampRegistry    = "registry_stamp"
	stampMemberships = "memberships_stamp"
	stampPopulation  = "population_stamp"
	stampFees        = "fees_stamp"
)

type stamps map[string]string

type cached[T any] struct {
	stamp string
	val   T
}

type caches struct {
	mu        sync.Mutex
	members   map[int64]cached[[]samrad.Membership]
	figures   map[samrad.Date]cached[samrad.Figures]
	schedules map[[2]int64]cached[samrad.FeeSchedule]
}

func (db *DB) readStamps(ctx context.Context) (stamps, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT key, value FROM meta WHERE key IN ($1, $2, $3, $4)`,
		stampRegistry, stampMemberships, stampPopulation, stampFees)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	st := stamps{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		st[k] = v
	}
	return st, rows.Err()
}

// renew marks a kind of data as changed, inside the changing transaction.
func renew(ctx context.Context, q queryer, key string) error {
	return setMeta(ctx, q, key, now()+"/"+randomToken())
}

func getCached[K comparable, T any](db *DB, m *map[K]cached[T], key K, stamp string) (T, bool) {
	db.cache.mu.Lock()
	defer db.cache.mu.Unlock()
	c, ok := (*m)[key]
	if !ok || c.stamp != stamp {
		var zero T
		return zero, false
	}
	return c.val, true
}

func putCached[K comparable, T any](db *DB, m *map[K]cached[T], key K, stamp string, val T) {
	db.cache.mu.Lock()
	defer db.cache.mu.Unlock()
	if *m == nil {
		*m = map[K]cached[T]{}
	}
	(*m)[key] = cached[T]{stamp, val}
}
