package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/samrad/samrad"
)

// Data that pages read on every request (the registry, an alliance's
// memberships, the population figures of a date, fee schedules) is cached in
// memory. Each kind has a stamp in the meta table that every transaction
// changing it renews, and a cached value is used only while its stamp is
// unchanged. One small query reads all stamps, so several instances on one
// PostgreSQL never serve each other stale data. The data version of the
// public pages (Version) is the exception: it is asked for on every page
// view and trusted for up to a second (DefaultVersionTTL) unless this DB
// commits.
const (
	stampRegistry    = "registry_stamp"
	stampMemberships = "memberships_stamp"
	stampPopulation  = "population_stamp"
	stampFees        = "fees_stamp"
	stampAlliances   = "alliances_stamp"
	stampGovernance  = "governance_stamp" // bodies' seats, meetings, cases
	stampData        = "data_stamp"       // renewed with any of the above
)

type stamps map[string]string

type cached[T any] struct {
	stamp string
	val   T
}

type caches struct {
	prepare    sync.Once
	stampsStmt *sql.Stmt
	prepareErr error

	prepareVersion sync.Once
	versionStmt    *sql.Stmt
	versionErr     error
	// The data version as last read, the count of this DB's commits
	// before that read, and when it was read; versionMu lets one reader
	// at a time read it again.
	version   atomic.Pointer[versionRead]
	commits   atomic.Uint64
	versionMu sync.Mutex

	mu        sync.Mutex
	members   map[int64]cached[[]samrad.Membership]
	figures   map[samrad.Date]cached[samrad.Figures]
	schedules map[[2]int64]cached[samrad.FeeSchedule]
	// involvements by the organisations' ids, under the data version:
	// a member's page reads from five kinds of items.
	involvements map[string]cached[[]Involvement]
	// comparisons of an indicator's figures, under the indicators' stamp.
	comparisons map[string]cached[Comparison]
	// portfolios by alliance and filter, under the projects' stamp.
	portfolios map[portfolioKey]cached[Portfolio]
	// sites by host and by slug, under the data version (one entry).
	sites map[int]cached[[2]map[string]HostedSite]
}

const stampsQuery = `SELECT key, value FROM meta WHERE key IN ($1, $2, $3, $4, $5)`

// readStamps runs on every page view, so its statement is prepared once.
func (db *DB) readStamps(ctx context.Context) (stamps, error) {
	db.cache.prepare.Do(func() {
		db.cache.stampsStmt, db.cache.prepareErr = db.db.PrepareContext(context.Background(), stampsQuery)
	})
	if db.cache.prepareErr != nil {
		return nil, db.cache.prepareErr
	}
	db.db.queries.Add(1)
	rows, err := db.cache.stampsStmt.QueryContext(ctx, stampRegistry, stampMemberships, stampPopulation, stampFees, stampAlliances)
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

// renew marks a kind of data as changed, inside the changing transaction,
// and with it the data version of the public pages.
func renew(ctx context.Context, q queryer, key string) error {
	stamp := now() + "/" + randomToken()
	if err := setMeta(ctx, q, key, stamp); err != nil {
		return err
	}
	return setMeta(ctx, q, stampData, stamp)
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

// keep returns the value kept under key while its stamp is unchanged, or
// reads it and keeps it. The map is bounded: when it holds max values it
// is emptied. The caller reads the stamp before calling, so that data read
// after a change is never kept under the stamp from before it.
func keep[K comparable, T any](db *DB, m *map[K]cached[T], key K, stamp string, max int, read func() (T, error)) (T, error) {
	if v, ok := getCached(db, m, key, stamp); ok {
		return v, nil
	}
	v, err := read()
	if err != nil {
		return v, err
	}
	db.cache.mu.Lock()
	if len(*m) >= max {
		clear(*m)
	}
	db.cache.mu.Unlock()
	putCached(db, m, key, stamp, v)
	return v, nil
}

// stampOf reads one stamp from the meta table ("" if it was never set).
func (db *DB) stampOf(ctx context.Context, key string) (string, error) {
	var v string
	err := db.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = $1`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

func putCached[K comparable, T any](db *DB, m *map[K]cached[T], key K, stamp string, val T) {
	db.cache.mu.Lock()
	defer db.cache.mu.Unlock()
	if *m == nil {
		*m = map[K]cached[T]{}
	}
	(*m)[key] = cached[T]{stamp, val}
}

// DefaultVersionTTL is how long Version trusts the data version it read
// last while this DB has committed nothing: the longest a change made by
// another process (another instance on the same PostgreSQL, or a command
// run on the same SQLite file) may go unseen by the page cache. A change
// committed through this DB is seen at once.
const DefaultVersionTTL = time.Second

type versionRead struct {
	value   string
	commits uint64    // the DB's commits counted before the read
	at      time.Time // when the read started
}

// SetVersionTTL sets how long Version trusts the version it read last
// (DefaultVersionTTL unless set; 0 reads it on every call).
func (db *DB) SetVersionTTL(d time.Duration) { db.versionTTL.Store(int64(d)) }

// committed is called after every commit of this DB: the next Version
// reads the database again.
func (db *DB) committed() { db.cache.commits.Add(1) }

// Version identifies the state of everything the public pages show: it
// changes whenever the registry, memberships, population figures, fee
// schedules or alliances change, on any instance.
//
// Every anonymous page view asks for it, so it is read from the database
// only when this DB has committed a change since the last read, or when
// that read is older than the TTL (SetVersionTTL); otherwise it costs no
// query. The commit count is taken before the read, so a value read
// before a concurrent commit is never trusted after it.
func (db *DB) Version(ctx context.Context) (string, error) {
	ttl := time.Duration(db.versionTTL.Load())
	fresh := func() (string, bool) {
		v := db.cache.version.Load()
		if v == nil || v.commits != db.cache.commits.Load() || time.Since(v.at) >= ttl {
			return "", false
		}
		return v.value, true
	}
	if v, ok := fresh(); ok {
		return v, nil
	}
	db.cache.versionMu.Lock()
	defer db.cache.versionMu.Unlock()
	if v, ok := fresh(); ok { // read by another caller meanwhile
		return v, nil
	}
	db.cache.prepareVersion.Do(func() {
		db.cache.versionStmt, db.cache.versionErr = db.db.PrepareContext(context.Background(), `SELECT value FROM meta WHERE key = $1`)
	})
	if db.cache.versionErr != nil {
		return "", db.cache.versionErr
	}
	read := versionRead{commits: db.cache.commits.Load(), at: time.Now()}
	db.db.queries.Add(1)
	err := db.cache.versionStmt.QueryRowContext(ctx, stampData).Scan(&read.value)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	db.cache.version.Store(&read)
	return read.value, nil
}

// VersionTime is when the change that made version was committed, to the
// second (the zero time for the version of a database never changed). Every
// stamp begins with its time, so pages can say Last-Modified without another
// query.
func VersionTime(version string) time.Time {
	at, _, _ := strings.Cut(version, "/")
	t, err := time.Parse(time.RFC3339, at)
	if err != nil {
		return time.Time{}
	}
	return t
}
