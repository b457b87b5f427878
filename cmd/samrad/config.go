package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	netmail "net/mail"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/samrad/samrad/statbank"
	"github.com/samrad/samrad/store"
)

// serveConfig is the server's configuration. Every key is a long flag
// name and is read, first found wins, from the command line, the
// environment (SAMRAD_KEY, upper case, dashes as underscores), the
// configuration file (--config or SAMRAD_CONFIG) and the default.
//
// The file has one "key = value" a line; blank lines and lines starting
// with # are ignored; a value may be written in double quotes (Go
// syntax) to keep leading or trailing spaces or to be empty.
type serveConfig struct {
	f      *flags
	hidden *flag.FlagSet // secrets: environment and file only, never argv (ps shows it)

	config          *string
	addr            *string
	demo            *bool
	smtp, smtpUser  *string
	smtpTLS         *bool
	mailFrom        *string
	mailRate        *float64
	mailLease       *time.Duration
	trustedProxies  *string
	baseURL         *string
	statbank        *string
	metricsToken    *string
	smtpPassword    *string
	shutdownDelay   *time.Duration
	shutdownTimeout *time.Duration

	source map[string]string // key → where its value came from
}

// secretKeys are masked when shown and kept out of a file others can read.
var secretKeys = map[string]bool{"smtp-password": true, "metrics-token": true}

func newServeConfig(e env, name string) *serveConfig {
	f := newFlags(e, name)
	h := flag.NewFlagSet(name, flag.ContinueOnError)
	c := &serveConfig{f: f, hidden: h, source: map[string]string{}}
	c.config = f.String("config", "", "configuration file of key = value lines (default $SAMRAD_CONFIG)")
	c.addr = f.String("addr", "127.0.0.1:8080", "address to listen on")
	c.demo = f.Bool("demo", false, "load the demo data (into a fresh temporary database unless --db is given)")
	c.smtp = f.String("smtp", "", "SMTP server host:port for notices (empty: no e-mail)")
	c.smtpUser = f.String("smtp-user", "", "SMTP user (password: smtp-password in the file or SAMRAD_SMTP_PASSWORD)")
	c.smtpTLS = f.Bool("smtp-starttls", true, "require STARTTLS (off only for a local relay)")
	c.mailFrom = f.String("mail-from", "", "sender address of notices, e.g. \"Sekretariatet <post@example.no>\"")
	c.mailRate = f.Float64("mail-rate", 20, "e-mail messages per second at most (the relay's limit)")
	c.trustedProxies = f.String("trusted-proxies", "", "reverse proxies (addresses and CIDR ranges, comma-separated) whose X-Forwarded-For and X-Forwarded-Proto are believed; none by default")
	c.mailLease = f.Duration("mail-lease", 10*time.Minute, "how long the outbox sender holds a claim; after a crash, messages claimed and not begun wait this long")
	c.baseURL = f.String("base-url", "", "public address for links in e-mail (default http://ADDR)")
	c.statbank = f.String("statbank", statbank.DefaultBaseURL, "SSB's PxWebApi v2, for the indicators (\"\": none)")
	c.shutdownDelay = f.Duration("shutdown-delay", 0, "on SIGTERM, answer /readyz with 503 this long before closing the listener")
	c.shutdownTimeout = f.Duration("shutdown-timeout", 15*time.Second, "on SIGTERM, how long requests under way may take to finish")
	c.smtpPassword = h.String("smtp-password", "", "SMTP password")
	c.metricsToken = h.String("metrics-token", "", "bearer token that lets non-loopback clients read /metrics")
	return c
}

// keys lists every key, flags first, in the order they are shown.
func (c *serveConfig) keys() []*flag.Flag {
	var out []*flag.Flag
	c.f.VisitAll(func(fl *flag.Flag) { out = append(out, fl) })
	c.hidden.VisitAll(func(fl *flag.Flag) { out = append(out, fl) })
	return out
}

func (c *serveConfig) lookup(key string) *flag.Flag {
	if fl := c.f.Lookup(key); fl != nil {
		return fl
	}
	return c.hidden.Lookup(key)
}

// envName is the environment variable of a key.
func envName(key string) string {
	return "SAMRAD_" + strings.ToUpper(strings.ReplaceAll(key, "-", "_"))
}

// load parses the command line, then fills every key not given there from
// the environment, then the file. It returns every problem found.
func (c *serveConfig) load(args []string) error {
	pos, err := c.f.parse(args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("unexpected arguments %q", pos)
	}
	c.f.Visit(func(fl *flag.Flag) { c.source[fl.Name] = "flag --" + fl.Name })
	if c.source["config"] == "" {
		if v := os.Getenv(envName("config")); v != "" {
			*c.config = v
			c.source["config"] = "env " + envName("config")
		}
	}
	var file map[string]fileValue
	if *c.config != "" {
		if file, err = readConfigFile(*c.config, c); err != nil {
			return err
		}
	}
	var errs []error
	for _, fl := range c.keys() {
		if fl.Name == "config" || c.source[fl.Name] != "" {
			continue
		}
		if v := os.Getenv(envName(fl.Name)); v != "" {
			if err := fl.Value.Set(v); err != nil {
				errs = append(errs, fmt.Errorf("%s: %q: %v", envName(fl.Name), masked(fl.Name, v), err))
			}
			c.source[fl.Name] = "env " + envName(fl.Name)
			continue
		}
		if fv, ok := file[fl.Name]; ok {
			if err := fl.Value.Set(fv.value); err != nil {
				errs = append(errs, fmt.Errorf("%s:%d: %s: %q: %v", *c.config, fv.line, fl.Name, masked(fl.Name, fv.value), err))
			}
			c.source[fl.Name] = fmt.Sprintf("file %s:%d", *c.config, fv.line)
			continue
		}
		c.source[fl.Name] = "default"
	}
	return errors.Join(errs...)
}

type fileValue struct {
	value string
	line  int
}

// readConfigFile reads a configuration file. Unknown keys, repeated keys
// and malformed lines are errors naming the file and line; a file that
// holds a secret must not be readable by every user.
func readConfigFile(path string, c *serveConfig) (map[string]fileValue, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	out := map[string]fileValue{}
	var errs []error
	sc := bufio.NewScanner(fh)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		switch {
		case !ok || key == "":
			errs = append(errs, fmt.Errorf("%s:%d: expected key = value, got %q", path, n, line))
			continue
		case key == "config" || c.lookup(key) == nil:
			errs = append(errs, fmt.Errorf("%s:%d: unknown key %q", path, n, key))
			continue
		}
		if prev, dup := out[key]; dup {
			errs = append(errs, fmt.Errorf("%s:%d: %s already set on line %d", path, n, key, prev.line))
			continue
		}
		if strings.HasPrefix(value, `"`) {
			u, err := strconv.Unquote(value)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s:%d: %s: bad quoted value %s", path, n, key, value))
				continue
			}
			value = u
		}
		out[key] = fileValue{value, n}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("config: %s: %w", path, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if mode := st.Mode().Perm(); mode&0o004 != 0 {
		for key, v := range out {
			if isSecret(key, v.value) {
				return nil, fmt.Errorf("%s:%d: %s is a secret, but every user may read the file (mode %04o): chmod o-r %s, or set %s in the environment",
					path, v.line, key, mode, path, envName(key))
			}
		}
	}
	return out, nil
}

// isSecret reports whether a key's value must be kept private: the
// passwords and tokens, and a database DSN that holds a password.
func isSecret(key, value string) bool {
	if secretKeys[key] {
		return value != ""
	}
	return key == "db" && masked(key, value) != value
}

// masked is a value fit to show: secrets as asterisks, a DSN without
// its password (in the user part or as a password= parameter), even when
// the DSN is malformed.
func masked(key, value string) string {
	switch {
	case secretKeys[key] && value != "":
		return "********"
	case key != "db":
		return value
	}
	if i := strings.Index(value, "://"); i >= 0 {
		rest := value[i+3:]
		end := strings.IndexAny(rest, "/?")
		if end < 0 {
			end = len(rest)
		}
		if at := strings.LastIndex(rest[:end], "@"); at >= 0 {
			if colon := strings.Index(rest[:at], ":"); colon >= 0 {
				value = value[:i+3] + rest[:colon] + ":********" + rest[at:]
			}
		}
	}
	return passwordParam.ReplaceAllString(value, "${1}********")
}

var passwordParam = regexp.MustCompile(`(?i)([?&\s]password=)[^&\s]*`)

// validate checks the values that must have a form: addresses, URLs, the
// DSN, the sender. It returns every problem.
func (c *serveConfig) validate() []error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s (from %s): %s", key, c.source[key], fmt.Sprintf(format, args...)))
	}
	if err := checkHostPort(*c.addr, true); err != nil {
		bad("addr", "%v", err)
	}
	for key, v := range map[string]string{"base-url": *c.baseURL, "statbank": *c.statbank} {
		if v == "" {
			continue
		}
		if err := checkURL(v); err != nil {
			bad(key, "%v", err)
		}
	}
	if d, _, err := store.ParseDSN(*c.f.db); err != nil {
		bad("db", "%v", err)
	} else if d == store.Postgres {
		if _, err := pgx.ParseConfig(*c.f.db); err != nil {
			bad("db", "not a PostgreSQL URL: %s", strings.ReplaceAll(err.Error(), *c.f.db, masked("db", *c.f.db)))
		}
	}
	if *c.smtp != "" {
		if err := checkHostPort(*c.smtp, false); err != nil {
			bad("smtp", "%v", err)
		}
		if *c.mailFrom == "" {
			bad("mail-from", "needed when smtp is set: the sender of notices")
		}
	}
	if *c.mailFrom != "" {
		if _, err := netmail.ParseAddress(*c.mailFrom); err != nil {
			bad("mail-from", "%q is not an e-mail address: %v", *c.mailFrom, err)
		}
	}
	if *c.mailRate < 0 {
		bad("mail-rate", "%v is below zero", *c.mailRate)
	}
	if *c.shutdownTimeout <= 0 {
		bad("shutdown-timeout", "must be above zero")
	}
	if *c.shutdownDelay < 0 {
		bad("shutdown-delay", "is below zero")
	}
	if t := *c.metricsToken; t != "" && len(t) < 16 {
		bad("metrics-token", "%d characters; use at least 16 (e.g. openssl rand -hex 16)", len(t))
	}
	return errs
}

func checkHostPort(s string, emptyHostOK bool) error {
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		return fmt.Errorf("%q is not host:port: %v", s, err)
	}
	if host == "" && !emptyHostOK {
		return fmt.Errorf("%q has no host", s)
	}
	p, err := strconv.Atoi(port)
	if err != nil || p < 0 || p > 65535 || (p == 0 && !emptyHostOK) {
		return fmt.Errorf("%q: bad port %q", s, port)
	}
	return nil
}

func checkURL(s string) error {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return err
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("%q is not an http or https URL", s)
	case u.Host == "":
		return fmt.Errorf("%q has no host", s)
	case u.RawQuery != "" || u.Fragment != "":
		return fmt.Errorf("%q has a query or fragment", s)
	}
	return nil
}

// print writes the effective configuration as a configuration file, each
// value with where it came from, secrets masked.
func (c *serveConfig) print(w io.Writer) error {
	if *c.config != "" {
		fmt.Fprintf(w, "# configuration file %s (from %s)\n", *c.config, c.source["config"])
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, fl := range c.keys() {
		if fl.Name == "config" {
			continue
		}
		v := masked(fl.Name, fl.Value.String())
		if v == "" || strings.TrimSpace(v) != v || strings.ContainsAny(v, "\"\n") {
			v = strconv.Quote(v)
		}
		src := c.source[fl.Name]
		if src == "" {
			src = "default"
		}
		fmt.Fprintf(tw, "%s = %s\t# %s\n", fl.Name, v, src)
	}
	return tw.Flush()
}

// cmdConfig is "samrad config check": load, validate and show the
// configuration, and report the database's schema.
func cmdConfig(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] != "check" {
		return fmt.Errorf("expected: config check [--config FILE] [flags]")
	}
	c := newServeConfig(e, "config check")
	if err := c.load(args[1:]); err != nil {
		return err
	}
	if err := c.print(e.stdout); err != nil {
		return err
	}
	problems := c.validate()
	dsnBad := slices.ContainsFunc(problems, func(p error) bool { return strings.HasPrefix(p.Error(), "db (") })
	if !dsnBad {
		switch sch, err := store.Inspect(ctx, *c.f.db); {
		case errors.Is(err, fs.ErrNotExist):
			fmt.Fprintf(e.stdout, "\ndatabase: %v; samrad serve creates it\n", err)
		case err != nil:
			problems = append(problems, fmt.Errorf("db (from %s): %v", c.source["db"], err))
		case sch.Version < sch.Latest:
			fmt.Fprintf(e.stdout, "\ndatabase: %s, schema at migration %d of %d; samrad serve applies the rest when it starts\n", sch.Dialect, sch.Version, sch.Latest)
		case sch.Version > sch.Latest:
			fmt.Fprintf(e.stdout, "\ndatabase: %s, schema at migration %d, newer than this binary's %d: upgrade this binary\n", sch.Dialect, sch.Version, sch.Latest)
		default:
			fmt.Fprintf(e.stdout, "\ndatabase: %s, schema at migration %d of %d: current\n", sch.Dialect, sch.Version, sch.Latest)
		}
	}
	for _, p := range problems {
		fmt.Fprintln(e.stderr, "problem:", p)
	}
	switch len(problems) {
	case 0:
		fmt.Fprintln(e.stdout, "configuration ok")
		return nil
	case 1:
		return errors.New("1 problem in the configuration")
	}
	return fmt.Errorf("%d problems in the configuration", len(problems))
}
