package backup

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

// libpq is how a Samråd DSN is given to PostgreSQL's own tools: the URI
// without the password (which goes in PGPASSWORD, out of the process list)
// and without search_path, which libpq does not take and which becomes
// the schema to dump.
type libpq struct {
	uri    string
	schema string
	env    []string
}

func libpqOf(dsn string) (libpq, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return libpq{}, fmt.Errorf("DSN: %w", err)
	}
	var l libpq
	l.env = os.Environ()
	if pw, ok := u.User.Password(); ok {
		l.env = append(l.env, "PGPASSWORD="+pw)
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	l.schema = q.Get("search_path")
	q.Del("search_path")
	u.RawQuery = q.Encode()
	l.uri = u.String()
	return l, nil
}

// tool finds a PostgreSQL program on PATH, or says what to install.
func tool(name string) (string, error) {
	p, err := exec.LookPath(name)
	if err != nil {
		return "", samrad.Errorf(samrad.EUNAVAILABLE, "%s is not on PATH: install PostgreSQL's client programs (Debian: apt-get install postgresql-client, of the server's major version or newer)", name)
	}
	return p, nil
}

func run(ctx context.Context, env []string, name string, args ...string) error {
	path, err := tool(name)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %s: %w: %s", name, strings.Join(redactArgs(args), " "), err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

func redactArgs(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if rest, ok := strings.CutPrefix(a, "--dbname="); ok {
			if u, err := url.Parse(rest); err == nil {
				a = "--dbname=" + u.Redacted()
			}
		}
		out[i] = a
	}
	return out
}

// pgDump runs
//
//	pg_dump --format=custom --file=OUT.tmp-… --dbname=URI [--schema=S]
//
// then lists the dump with pg_restore --list to know it is readable, and
// gives it its name.
func pgDump(ctx context.Context, dsn, out string) (Info, error) {
	info := Info{Engine: store.Postgres}
	l, err := libpqOf(dsn)
	if err != nil {
		return info, err
	}
	out, err = filepath.Abs(out)
	if err != nil {
		return info, err
	}
	tmp := tempName(out)
	defer os.Remove(tmp)
	args := []string{"--format=custom", "--file=" + tmp, "--dbname=" + l.uri}
	if l.schema != "" {
		args = append(args, "--schema="+l.schema)
	}
	if err := run(ctx, l.env, "pg_dump", args...); err != nil {
		return info, err
	}
	if err := run(ctx, l.env, "pg_restore", "--list", "--file="+os.DevNull, tmp); err != nil {
		return info, fmt.Errorf("the dump is not readable: %w", err)
	}
	if err := syncFile(tmp); err != nil {
		return info, err
	}
	if err := os.Rename(tmp, out); err != nil {
		return info, err
	}
	if err := syncDir(filepath.Dir(out)); err != nil {
		return info, err
	}
	st, err := os.Stat(out)
	if err != nil {
		return info, err
	}
	info.Size = st.Size()
	return info, nil
}

// pgRestore runs
//
//	pg_restore --exit-on-error --single-transaction --no-owner --dbname=URI FROM
//
// into a database (or schema) that has no tables; with force, one that has
// is cleaned first (--clean --if-exists).
func pgRestore(ctx context.Context, dsn, from string, force bool) (Info, error) {
	info := Info{Engine: store.Postgres}
	if _, err := os.Stat(from); err != nil {
		return info, err
	}
	l, err := libpqOf(dsn)
	if err != nil {
		return info, err
	}
	n, err := tablesIn(ctx, dsn)
	if err != nil {
		return info, err
	}
	args := []string{"--exit-on-error", "--single-transaction", "--no-owner", "--dbname=" + l.uri}
	if n > 0 {
		if !force {
			return info, samrad.Errorf(samrad.ECONFLICT, "the database has %d tables: restore into an empty database, or pass --force to replace what it holds", n)
		}
		args = append(args, "--clean", "--if-exists")
	}
	if err := run(ctx, l.env, "pg_restore", append(args, from)...); err != nil {
		return info, err
	}
	st, err := os.Stat(from)
	if err != nil {
		return info, err
	}
	info.Size = st.Size()
	return info, nil
}

// tablesIn counts the tables in the DSN's schema (its search_path, or
// public).
func tablesIn(ctx context.Context, dsn string) (int, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var n int
	err = db.QueryRowContext(ctx, `SELECT COUNT(*) FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("open PostgreSQL: %w", err)
	}
	return n, nil
}
