package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/store"
)

// eraRows are rows written with the SQL of the version that made their
// tables, as a program of that version would have left them; check reads
// one back after the upgrade and want is what it must still say.
var eraRows = []struct {
	since       int
	insert      []string
	check, want string
}{
	{1, []string{
		`INSERT INTO organisations (kind, code, name_nb, valid_from, source) VALUES ('municipality', '9901', 'Prøveby', '2001-01-01', 'test')`,
		`INSERT INTO alliances (slug, name_nb, kind) VALUES ('provesamarbeidet', 'Prøvesamarbeidet', 'intermunicipal')`,
		`INSERT INTO memberships (alliance_id, org_id, valid_from, category, note)
			SELECT a.id, o.id, '2002-01-01', 'member', 'fra start' FROM alliances a, organisations o
			WHERE a.slug = 'provesamarbeidet' AND o.code = '9901'`,
	}, `SELECT a.name_nb || '/' || o.name_nb || '/' || m.note FROM memberships m
		JOIN alliances a ON a.id = m.alliance_id JOIN organisations o ON o.id = m.org_id WHERE o.code = '9901'`,
		"Prøvesamarbeidet/Prøveby/fra start"},
	{2, []string{
		`INSERT INTO users (email, name, password_hash, created_at) VALUES ('kari@example.org', 'Kari', 'x', '2020-01-01T00:00:00Z')`,
		`INSERT INTO grants (user_id, alliance_id, role) SELECT u.id, a.id, 'secretariat' FROM users u, alliances a
			WHERE u.email = 'kari@example.org' AND a.slug = 'provesamarbeidet'`,
		`INSERT INTO audit_log (at, actor, action, entity) VALUES ('2020-01-01T00:00:00Z', 'cli:test', 'create', 'alliance')`,
	}, `SELECT u.email || '/' || g.role FROM users u JOIN grants g ON g.user_id = u.id`, "kari@example.org/secretariat"},
	{3, []string{
		`INSERT INTO people (name, email) VALUES ('Ola Nordmann', 'ola@example.org')`,
		`INSERT INTO bodies (alliance_id, slug, name_nb, kind) SELECT id, 'styret', 'Styret', 'board' FROM alliances WHERE slug = 'provesamarbeidet'`,
		`INSERT INTO seats (body_id, person_id, role, valid_from) SELECT b.id, p.id, 'chair', '2020-01-01' FROM bodies b, people p WHERE b.slug = 'styret'`,
		`INSERT INTO meetings (body_id, number, year, starts_at) SELECT id, 1, 2020, '2020-02-01T10:00:00Z' FROM bodies WHERE slug = 'styret'`,
		`INSERT INTO cases (alliance_id, year, number, title, type) SELECT id, 2020, 1, 'Budsjett', 'decision' FROM alliances WHERE slug = 'provesamarbeidet'`,
	}, `SELECT p.name || '/' || s.role FROM seats s JOIN people p ON p.id = s.person_id`, "Ola Nordmann/chair"},
	{4, []string{
		`INSERT INTO votes (meeting_id, case_id, org_id, person_id, choice, weight)
			SELECT m.id, c.id, o.id, p.id, 'for', 1 FROM meetings m, cases c, organisations o, people p WHERE o.code = '9901'`,
	}, `SELECT v.choice || '/' || p.name FROM votes v JOIN people p ON p.id = v.person_id`, "for/Ola Nordmann"},
	{10, []string{
		`INSERT INTO outbox (kind, sender, recipient, message, next_attempt, created_at)
			VALUES ('test', 'post@example.org', 'ola@example.org', 'Subject: x', '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z')`,
	}, `SELECT recipient || '/' || status FROM outbox`, "ola@example.org/queued"},
	{11, []string{
		`INSERT INTO events (alliance_id, slug, title_nb) SELECT id, 'seminar', 'Seminar' FROM alliances WHERE slug = 'provesamarbeidet'`,
		`INSERT INTO registrations (event_id, name, email, status, consent_at, created_at)
			SELECT id, 'Per', 'per@example.org', 'confirmed', '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z' FROM events`,
	}, `SELECT r.name || '/' || e.title_nb FROM registrations r JOIN events e ON e.id = r.event_id`, "Per/Seminar"},
	{13, []string{
		`INSERT INTO newsletter_lists (alliance_id, slug, name_nb) SELECT id, 'nyheter', 'Nyheter' FROM alliances WHERE slug = 'provesamarbeidet'`,
		`INSERT INTO subscribers (alliance_id, email, status, consent, signed_up_at)
			SELECT id, 'liv@example.org', 'confirmed', 'ja', '2020-01-01T00:00:00Z' FROM alliances WHERE slug = 'provesamarbeidet'`,
		`INSERT INTO subscriptions (subscriber_id, list_id) SELECT s.id, l.id FROM subscribers s, newsletter_lists l`,
	}, `SELECT s.email || '/' || l.slug FROM subscriptions x JOIN subscribers s ON s.id = x.subscriber_id JOIN newsletter_lists l ON l.id = x.list_id`,
		"liv@example.org/nyheter"},
	{16, []string{
		`INSERT INTO service_requests (alliance_id, kind, requester_kind, requester, subject, status, received_at, created_at, updated_at)
			SELECT id, 'request', 'member', 'Kari', 'Hjelp', 'open', '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z'
			FROM alliances WHERE slug = 'provesamarbeidet'`,
	}, `SELECT requester || '/' || subject FROM service_requests`, "Kari/Hjelp"},
}

// TestUpgradeFromEveryVersion migrates a fresh database to each earlier
// version, writes rows as that version would, and opens it with this
// program: it must reach the last version with the rows intact and the
// same schema as a database migrated straight to the last version.
func TestUpgradeFromEveryVersion(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dialect := store.SQLite
			if engine == "postgres" {
				dialect = store.Postgres
			}
			versions, err := store.Migrations(dialect)
			if err != nil {
				t.Fatal(err)
			}
			latest := versions[len(versions)-1]
			want := schemaOf(t, testdb.Open(t, engine))
			if len(want) < 100 {
				t.Fatalf("the fresh schema has %d entries; the description is broken", len(want))
			}
			for _, n := range versions[:len(versions)-1] {
				t.Run(fmt.Sprint(n), func(t *testing.T) {
					dsn := testdb.DSN(t, engine)
					old, err := store.OpenAt(ctx, dsn, n)
					if err != nil {
						t.Fatal(err)
					}
					if got := schemaVersion(t, old.SQL()); got != n {
						t.Fatalf("migrated to %d, schema_migrations says %d", n, got)
					}
					written := 0
					for _, r := range eraRows {
						if r.since > n {
							continue
						}
						for _, q := range r.insert {
							res, err := old.SQL().ExecContext(ctx, q)
							if err != nil {
								t.Fatalf("at version %d: %s: %v", n, q, err)
							}
							if k, _ := res.RowsAffected(); k != 1 {
								t.Fatalf("at version %d: %s: %d rows", n, q, k)
							}
						}
						written++
					}
					old.Close()

					db, err := store.Open(ctx, dsn)
					if err != nil {
						t.Fatalf("open a version %d database: %v", n, err)
					}
					defer db.Close()
					if got := schemaVersion(t, db.SQL()); got != latest {
						t.Fatalf("from %d: at version %d after open, want %d", n, got, latest)
					}
					for _, r := range eraRows[:written] {
						var got string
						if err := db.SQL().QueryRowContext(ctx, r.check).Scan(&got); err != nil {
							t.Fatalf("from %d: %s: %v", n, r.check, err)
						}
						if got != r.want {
							t.Errorf("from %d: %s = %q, want %q", n, r.check, got, r.want)
						}
					}
					// The program reads the old rows and writes beside them.
					a, err := db.AllianceBySlug(ctx, "provesamarbeidet")
					if err != nil || a.NameNB != "Prøvesamarbeidet" {
						t.Errorf("from %d: alliance read back as %+v, %v", n, a, err)
					}
					p := samrad.Person{Name: "Ny Person"}
					if err := db.CreatePerson(ctx, &p); err != nil {
						t.Errorf("from %d: a new person after the upgrade: %v", n, err)
					}
					diffSchema(t, fmt.Sprintf("upgraded from %d", n), schemaOf(t, db), want)
				})
			}
		})
	}
}

// TestFailedMigrationChangesNothing injects a migration that creates a
// table and then fails: the database keeps its schema and version, and
// the error names the file.
func TestFailedMigrationChangesNothing(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		before := schemaOf(t, db)
		version := schemaVersion(t, db.SQL())
		const name = "0999_half_done.sql"
		err := store.MigrateWithExtra(ctx, db, 999, name, `CREATE TABLE half_done (id INTEGER PRIMARY KEY);
ALTER TABLE organisations ADD COLUMN half_done TEXT;
INSERT INTO no_such_table (x) VALUES (1);`)
		if err == nil {
			t.Fatal("a failing migration was applied")
		}
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error %q does not name %s", err, name)
		}
		if got := schemaVersion(t, db.SQL()); got != version {
			t.Errorf("version %d after the failure, want %d", got, version)
		}
		diffSchema(t, "after a failed migration", schemaOf(t, db), before)
		// A migration that works is applied on the next start.
		if err := store.MigrateWithExtra(ctx, db, 999, "0999_done.sql", `CREATE TABLE done_now (id INTEGER PRIMARY KEY)`); err != nil {
			t.Fatal(err)
		}
		if got := schemaVersion(t, db.SQL()); got != 999 {
			t.Errorf("version %d after the good migration, want 999", got)
		}
	})
}

// TestNewerDatabaseRefused: a database a later program has migrated is not
// used by this one, and is left as it is.
func TestNewerDatabaseRefused(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dsn := testdb.DSN(t, engine)
			db, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			latest := schemaVersion(t, db.SQL())
			if _, err := db.SQL().ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES ($1, 'later')`, latest+1); err != nil {
				t.Fatal(err)
			}
			before := schemaOf(t, db)
			db.Close()

			if db, err := store.Open(ctx, dsn); err == nil {
				db.Close()
				t.Fatal("a database newer than the program was opened")
			} else if !strings.Contains(err.Error(), fmt.Sprintf("schema version %d", latest+1)) || !strings.Contains(err.Error(), fmt.Sprint(latest)) {
				t.Errorf("error %q does not name both versions", err)
			}
			raw := rawOpen(t, dsn)
			if got := schemaVersion(t, raw); got != latest+1 {
				t.Errorf("version %d after the refusal, want %d", got, latest+1)
			}
			diffSchema(t, "after the refusal", schemaOfSQL(t, raw, engine), before)
		})
	}
}

// TestConcurrentOpenMigratesOnce starts two programs on one fresh
// PostgreSQL schema at once: both open it, each migration is recorded once
// and the registry is seeded once.
func TestConcurrentOpenMigratesOnce(t *testing.T) {
	ctx := context.Background()
	single := testdb.Open(t, "postgres")
	var orgs int
	if err := single.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM organisations`).Scan(&orgs); err != nil {
		t.Fatal(err)
	}
	versions, err := store.Migrations(store.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	for round := range 3 {
		dsn := testdb.DSN(t, "postgres")
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range errs {
			wg.Go(func() {
				db, err := store.Open(ctx, dsn)
				if err == nil {
					db.Close()
				}
				errs[i] = err
			})
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("round %d, process %d: %v", round, i, err)
			}
		}
		raw := rawOpen(t, dsn)
		var rows, distinct, n int
		if err := raw.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(DISTINCT version) FROM schema_migrations`).Scan(&rows, &distinct); err != nil {
			t.Fatal(err)
		}
		if rows != len(versions) || distinct != len(versions) {
			t.Errorf("round %d: %d migration rows (%d distinct), want %d", round, rows, distinct, len(versions))
		}
		if err := raw.QueryRowContext(ctx, `SELECT COUNT(*) FROM organisations`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != orgs {
			t.Errorf("round %d: %d organisations after two opens, want %d as after one", round, n, orgs)
		}
	}
}

// rawOpen opens dsn with the driver alone, neither migrating nor seeding.
func rawOpen(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	dialect, driverDSN, err := store.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	driver := "sqlite"
	if dialect == store.Postgres {
		driver = "pgx"
	}
	raw, err := sql.Open(driver, driverDSN)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

func schemaVersion(t *testing.T, q *sql.DB) int {
	t.Helper()
	var v int
	if err := q.QueryRow(`SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func schemaOf(t *testing.T, db *store.DB) []string {
	return schemaOfSQL(t, db.SQL(), string(db.Dialect()))
}

// schemaOfSQL describes a schema one line per column (type, nullability,
// default), index (its definition) and constraint, sorted, with the
// PostgreSQL schema's own name left out so that two schemas compare.
func schemaOfSQL(t *testing.T, q *sql.DB, engine string) []string {
	t.Helper()
	var queries []string
	if engine == "sqlite" {
		queries = []string{
			`SELECT 'column ' || m.name || '.' || c.name || ' ' || c.type || ' notnull=' || c."notnull" ||
				' default=' || COALESCE(c.dflt_value, 'NULL') || ' pk=' || c.pk || ' position=' || c.cid
			 FROM sqlite_master m, pragma_table_info(m.name) c WHERE m.type = 'table'`,
			`SELECT m.type || ' ' || m.name || ' on ' || m.tbl_name || ': ' || COALESCE(m.sql, '(automatic)')
			 FROM sqlite_master m WHERE m.type IN ('index', 'trigger', 'view')`,
			`SELECT 'foreign key ' || m.name || '.' || f."from" || ' -> ' || f."table" || '.' || COALESCE(f."to", '') ||
				' on delete ' || f.on_delete || ' on update ' || f.on_update
			 FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table'`,
		}
	} else {
		queries = []string{
			`SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' nullable=' || is_nullable ||
				' default=' || COALESCE(column_default, 'NULL') || ' identity=' || is_identity || ' position=' || ordinal_position
			 FROM information_schema.columns WHERE table_schema = current_schema()`,
			`SELECT 'index ' || indexname || ' on ' || tablename || ': ' || replace(indexdef, current_schema() || '.', '')
			 FROM pg_indexes WHERE schemaname = current_schema()`,
			`SELECT 'constraint ' || c.conrelid::regclass::text || ' ' || c.conname || ': ' || pg_get_constraintdef(c.oid)
			 FROM pg_constraint c WHERE c.connamespace = current_schema()::regnamespace`,
			`SELECT 'view ' || table_name FROM information_schema.views WHERE table_schema = current_schema()`,
			`SELECT 'trigger ' || trigger_name || ' on ' || event_object_table FROM information_schema.triggers WHERE trigger_schema = current_schema()`,
		}
	}
	var out []string
	for _, query := range queries {
		rows, err := q.Query(query)
		if err != nil {
			t.Fatalf("describe schema: %v", err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	slices.Sort(out)
	return out
}

// diffSchema reports the lines only one of two schema descriptions has.
func diffSchema(t *testing.T, what string, got, want []string) {
	t.Helper()
	in := func(list []string) map[string]bool {
		m := map[string]bool{}
		for _, s := range list {
			m[s] = true
		}
		return m
	}
	g, w := in(got), in(want)
	n := 0
	for _, s := range got {
		if !w[s] && n < 20 {
			t.Errorf("%s: has %s", what, s)
			n++
		}
	}
	for _, s := range want {
		if !g[s] && n < 20 {
			t.Errorf("%s: lacks %s", what, s)
			n++
		}
	}
}
