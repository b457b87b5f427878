package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/samrad/samrad/store"
)

// cleanEnv unsets every SAMRAD_ variable of the server's keys, so the
// test sees only what it sets.
func cleanEnv(t *testing.T) {
	t.Helper()
	c := newServeConfig(env{stderr: os.Stderr}, "test")
	for _, fl := range c.keys() {
		t.Setenv(envName(fl.Name), "")
	}
}

func writeConf(t *testing.T, mode os.FileMode, lines ...string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "samrad.conf")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil { // past the umask
		t.Fatal(err)
	}
	return p
}

func loadConf(t *testing.T, args ...string) (*serveConfig, error) {
	t.Helper()
	var out strings.Builder
	c := newServeConfig(env{stdout: &out, stderr: &out}, "serve")
	return c, c.load(args)
}

func TestConfigPrecedenceFlagEnvFileDefault(t *testing.T) {
	cleanEnv(t)
	conf := writeConf(t, 0o600,
		"# Samråd",
		"",
		"addr = 127.0.0.1:9000",
		"  mail-rate=3.5  ",
		"base-url = https://file.example.no",
		`mail-from = "Sekretariatet <post@example.no>"`,
		"smtp-password = from-the-file",
		`smtp-user = ""`,
	)
	t.Setenv("SAMRAD_MAIL_RATE", "7")
	t.Setenv("SAMRAD_BASE_URL", "https://env.example.no")
	c, err := loadConf(t, "--config", conf, "--base-url", "https://flag.example.no")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []struct{ key, value, source string }{
		{"base-url", "https://flag.example.no", "flag --base-url"},
		{"mail-rate", "7", "env SAMRAD_MAIL_RATE"},
		{"addr", "127.0.0.1:9000", "file " + conf + ":3"},
		{"mail-from", "Sekretariatet <post@example.no>", "file " + conf + ":6"},
		{"smtp-password", "from-the-file", "file " + conf + ":7"},
		{"smtp-user", "", "file " + conf + ":8"},
		{"shutdown-timeout", "15s", "default"},
		{"config", conf, "flag --config"},
	} {
		if got := c.lookup(want.key).Value.String(); got != want.value {
			t.Errorf("%s = %q, want %q", want.key, got, want.value)
		}
		if c.source[want.key] != want.source {
			t.Errorf("%s from %q, want %q", want.key, c.source[want.key], want.source)
		}
	}
	// SAMRAD_CONFIG names the file when --config does not.
	t.Setenv("SAMRAD_CONFIG", conf)
	c, err = loadConf(t)
	if err != nil || *c.addr != "127.0.0.1:9000" || c.source["config"] != "env SAMRAD_CONFIG" {
		t.Fatalf("with SAMRAD_CONFIG: addr %q, config from %q, %v", *c.addr, c.source["config"], err)
	}
}

func TestConfigFileErrorsNameFileAndLine(t *testing.T) {
	cleanEnv(t)
	for _, c := range []struct {
		name  string
		lines []string
		want  string
	}{
		{"unknown key", []string{"# x", "adr = :80"}, `:2: unknown key "adr"`},
		{"no equals sign", []string{"addr :80"}, `:1: expected key = value, got "addr :80"`},
		{"no key", []string{"= 1"}, `:1: expected key = value`},
		{"twice", []string{"addr = :80", "", "addr = :81"}, `:3: addr already set on line 1`},
		{"config in the file", []string{"config = /etc/other.conf"}, `:1: unknown key "config"`},
		{"bad number", []string{"addr = :80", "mail-rate = fast"}, `:2: mail-rate: "fast": parse error`},
		{"bad duration", []string{"shutdown-timeout = 15"}, `:1: shutdown-timeout: "15": parse error`},
		{"bad quotes", []string{`mail-from = "Sekretariatet`}, `:1: mail-from: bad quoted value`},
	} {
		conf := writeConf(t, 0o644, c.lines...)
		_, err := loadConf(t, "--config", conf)
		if err == nil || !strings.Contains(err.Error(), conf+c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, conf+c.want)
		}
	}
	if _, err := loadConf(t, "--config", filepath.Join(t.TempDir(), "missing.conf")); err == nil || !strings.Contains(err.Error(), "missing.conf") {
		t.Errorf("missing file: %v", err)
	}
	t.Setenv("SAMRAD_MAIL_RATE", "lots")
	if _, err := loadConf(t); err == nil || !strings.Contains(err.Error(), "SAMRAD_MAIL_RATE") {
		t.Errorf("bad environment value: %v", err)
	}
}

func TestConfigSecretsOnlyInAPrivateFile(t *testing.T) {
	cleanEnv(t)
	for _, c := range []struct {
		line string
		mode os.FileMode
		ok   bool
	}{
		{"smtp-password = hemmelig", 0o644, false},
		{"metrics-token = 0123456789abcdef0123", 0o604, false},
		{"db = postgres://samrad:hemmelig@db.example.no/samrad", 0o644, false},
		{"smtp-password = hemmelig", 0o640, true},
		{"smtp-password = hemmelig", 0o600, true},
		{"db = postgres://samrad@db.example.no/samrad", 0o644, true},
		{"smtp-password = ", 0o644, true},
	} {
		conf := writeConf(t, c.mode, c.line)
		_, err := loadConf(t, "--config", conf)
		if c.ok != (err == nil) {
			t.Errorf("%q in a file of mode %04o: %v", c.line, c.mode, err)
		}
		if err != nil && !strings.Contains(err.Error(), "every user may read") {
			t.Errorf("%q: unclear error %v", c.line, err)
		}
	}
	// Secrets are no flags: the command line is visible to every user.
	if _, err := loadConf(t, "--smtp-password", "x"); err == nil {
		t.Error("--smtp-password accepted")
	}
}

func TestConfigCheck(t *testing.T) {
	cleanEnv(t)
	db := demoDB(t)
	latest, err := store.LatestMigration(store.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	conf := writeConf(t, 0o600,
		"db = "+db,
		"smtp = smtp.example.no:587",
		"smtp-user = samrad",
		"smtp-password = s3cret-smtp-password",
		"metrics-token = s3cret-metrics-token",
		"mail-from = Sekretariatet <post@example.no>",
		"base-url = https://samrad.example.no",
	)
	out, errOut, err := runCLI(t, "config", "check", "--config", conf)
	if err != nil {
		t.Fatalf("config check: %v\n%s%s", err, out, errOut)
	}
	for _, want := range []string{
		"smtp-password = ********", "metrics-token = ********", "# file " + conf + ":4",
		"addr = 127.0.0.1:8080", "# default",
		fmt.Sprintf("database: sqlite, schema at migration %d of %d: current", latest, latest),
		"configuration ok",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "s3cret") {
		t.Errorf("a secret shown:\n%s", out)
	}

	out, errOut, err = runCLI(t, "config", "check", "--config", conf, "--smtp", "smtp.example.no", "--mail-from", "ikke en adresse",
		"--base-url", "ftp://samrad.example.no", "--addr", "localhost:http", "--db", "postgres://u:pw@db.example.no:notaport/x")
	if err == nil || err.Error() != "5 problems in the configuration" {
		t.Fatalf("bad configuration: %v", err)
	}
	for _, want := range []string{
		`problem: smtp (from flag --smtp): "smtp.example.no" is not host:port`,
		`problem: mail-from (from flag --mail-from): "ikke en adresse" is not an e-mail address`,
		`problem: base-url (from flag --base-url): "ftp://samrad.example.no" is not an http or https URL`,
		`problem: addr (from flag --addr): "localhost:http": bad port`,
		`problem: db (from flag --db): not a PostgreSQL URL`,
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if strings.Contains(errOut+out, ":pw@") {
		t.Errorf("the DSN's password shown:\n%s%s", out, errOut)
	}
	// An unreachable database is a problem; a SQLite file not made yet is not.
	_, errOut, err = runCLI(t, "config", "check", "--db", "postgres://nobody@127.0.0.1:1/none?connect_timeout=2")
	if err == nil || !strings.Contains(errOut, "problem: db (from flag --db): open postgres database") {
		t.Errorf("unreachable database: %v\n%s", err, errOut)
	}
	out, _, err = runCLI(t, "config", "check", "--db", filepath.Join(t.TempDir(), "new.db"))
	if err != nil || !strings.Contains(out, "samrad serve creates it") {
		t.Errorf("new SQLite file: %v\n%s", err, out)
	}
}

func TestServeRefusesABadConfiguration(t *testing.T) {
	cleanEnv(t)
	err := run(context.Background(), env{stdout: os.Stdout, stderr: os.Stderr}, []string{"serve", "--smtp", "smtp.example.no:587", "--db", filepath.Join(t.TempDir(), "x.db")})
	if err == nil || !strings.Contains(err.Error(), "mail-from (from default): needed when smtp is set") {
		t.Fatalf("serve with smtp and no sender: %v", err)
	}
}

// TestExampleConfigIsValid keeps the shipped example loadable.
func TestExampleConfigIsValid(t *testing.T) {
	cleanEnv(t)
	c, err := loadConf(t, "--config", "../../deploy/samrad.conf")
	if err != nil {
		t.Fatal(err)
	}
	if problems := c.validate(); len(problems) > 0 {
		t.Fatalf("deploy/samrad.conf: %v", problems)
	}
	if c.source["smtp"] == "default" || c.source["addr"] == "default" {
		t.Errorf("keys not read from the example: %v", c.source)
	}
}
