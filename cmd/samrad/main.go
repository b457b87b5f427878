// Command samrad runs Samråd: the web application and the commands a
// secretariat and an operator need. Every subcommand takes --db (or
// SAMRAD_DB): a file path or sqlite:PATH for SQLite, postgres://… for
// PostgreSQL. Data goes to stdout, errors to stderr with a non-zero exit.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

const usage = `Usage: samrad COMMAND [flags]

Commands:
  serve [--addr 127.0.0.1:8080] [--demo]   serve the web application
          [--config FILE]                   settings: flags > SAMRAD_KEY > file
  config check [--config FILE]              validate the settings, show them and
                                            where each came from, check the database
  demo load                                 load the demo data
  orgs show CODE                            an organisation and its succession
  orgs list --at DATE [--kind KIND]         organisations that existed on a date
  members --alliance SLUG --at DATE         an alliance's members on a date
          [--format table|csv|json] [--include-pending]
  members confirm|reject --alliance SLUG ID decide a pending membership
  fees --alliance SLUG --year YEAR          membership fees for a year
          [--format table|csv|json]
  import population FILE                    SSB 07459 (JSON-stat 2.0 or statbank CSV)
  import klass-changes FILE                 SSB KLASS "changes" JSON
  import memberships --alliance SLUG FILE   a member list (CSV) [--replace]
  indicators list --alliance SLUG           an alliance's steering data and last runs
  indicators refresh --alliance SLUG [SLUG] fetch from SSB (--statbank URL) or recompute
  indicators upload --alliance SLUG SLUG FILE  figures from JSON-stat or statbank CSV
  backup --out FILE                         a checked copy of the live database
                                            (SQLite: VACUUM INTO; PostgreSQL: pg_dump)
  restore --from FILE [--force]             put a backup in the database's place
  export --out FILE.zip                     the whole instance as a portable archive
  import FILE.zip                           an archive into a new database (either engine)
  jobs list [--job NAME] [--runs 10]        scheduled jobs, their next and last runs
  search [--alliance SLUG] [--kind KIND] WORDS  full-text search of public documents
  search reindex                            rebuild the search index from the data
  site list                                 each alliance's host name, colours and logo
  site host SLUG HOST                       serve an alliance's site on its own host name
  users create --email E --alliance SLUG    an account; password on stdin
          [--role administrator|secretariat|member_contact|reader] [--generate]
  person export --email E | --person ID     everything held about one person, as JSON
  person anonymise --email E [--person ID]  remove what is theirs alone, keep the public
          [--yes]                           record (without --yes: show what would go)

Every command takes --db DSN (default $SAMRAD_DB, else samrad.db).
`

// env holds what commands share: the output streams.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The first signal starts a graceful stop; a second ends the process.
	context.AfterFunc(ctx, stop)
	e := env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}
	if err := run(ctx, e, os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "samrad:", errorText(err))
		os.Exit(1)
	}
}

func errorText(err error) string {
	var se *samrad.Error
	if errors.As(err, &se) {
		return se.Error()
	}
	return err.Error()
}

func run(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, usage)
		return flag.ErrHelp
	}
	cmd, rest := args[0], args[1:]
	// Changes made from the command line are audited as the shell user's.
	ctx = samrad.WithActor(ctx, samrad.Actor{Name: "cli:" + os.Getenv("USER")})
	switch cmd {
	case "serve":
		return cmdServe(ctx, e, rest)
	case "config":
		return cmdConfig(ctx, e, rest)
	case "demo":
		return cmdDemo(ctx, e, rest)
	case "orgs":
		return cmdOrgs(ctx, e, rest)
	case "members":
		return cmdMembers(ctx, e, rest)
	case "fees":
		return cmdFees(ctx, e, rest)
	case "import":
		return cmdImport(ctx, e, rest)
	case "users":
		return cmdUsers(ctx, e, e.stdin, rest)
	case "indicators":
		return cmdIndicators(ctx, e, rest)
	case "person":
		return cmdPerson(ctx, e, rest)
	case "backup":
		return cmdBackup(ctx, e, rest)
	case "restore":
		return cmdRestore(ctx, e, rest)
	case "export":
		return cmdExport(ctx, e, rest)
	case "jobs":
		return cmdJobs(ctx, e, rest)
	case "search":
		return cmdSearch(ctx, e, rest)
	case "site":
		return cmdSite(ctx, e, rest)
	case "help", "-h", "--help":
		fmt.Fprint(e.stdout, usage)
		return nil
	}
	fmt.Fprint(e.stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

// flags is a flag set with --db that accepts flags before and after
// positional arguments.
type flags struct {
	*flag.FlagSet
	db *string
}

func newFlags(e env, name string) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	def := os.Getenv("SAMRAD_DB")
	if def == "" {
		def = "samrad.db"
	}
	return &flags{FlagSet: fs, db: fs.String("db", def, "database: file path, sqlite:PATH or postgres://…")}
}

// parse parses args, allowing flags after positional arguments, and
// returns the positional arguments.
func (f *flags) parse(args []string) ([]string, error) {
	var pos []string
	for {
		if err := f.Parse(args); err != nil {
			return nil, err
		}
		args = f.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func (f *flags) open(ctx context.Context) (*store.DB, error) {
	return store.Open(ctx, *f.db)
}

// openAlliance opens the database and finds the alliance; the caller
// closes the database.
func (f *flags) openAlliance(ctx context.Context, slug string) (*store.DB, samrad.Alliance, error) {
	db, err := f.open(ctx)
	if err != nil {
		return nil, samrad.Alliance{}, err
	}
	a, err := db.AllianceBySlug(ctx, slug)
	if err != nil {
		db.Close()
		return nil, samrad.Alliance{}, err
	}
	return db, a, nil
}

func needArgs(pos []string, n int, what string) error {
	if len(pos) != n {
		return fmt.Errorf("expected %s", what)
	}
	return nil
}

func parseFormat(s string) (string, error) {
	switch s {
	case "table", "csv", "json":
		return s, nil
	}
	return "", fmt.Errorf("--format: %q is not table, csv or json", s)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
