package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// samrad runs the command line in-process and returns stdout, stderr and the error.
func runCLI(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), env{stdin: strings.NewReader("et langt passord her\n"), stdout: &out, stderr: &errb}, args)
	return out.String(), errb.String(), err
}

func demoDB(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "demo.db")
	if _, _, err := runCLI(t, "demo", "load", "--db", db); err != nil {
		t.Fatalf("demo load: %v", err)
	}
	return db
}

func TestDoneWhen(t *testing.T) {
	db := demoDB(t)

	out, _, err := runCLI(t, "members", "--alliance", "ore", "--at", "2021-01-01", "--format", "csv", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if lines[0] != "code,name,kind,member_from,member_to,status" {
		t.Errorf("header = %q", lines[0])
	}
	if len(lines) != 18 {
		t.Fatalf("ORE on 2021-01-01: %d members, want 17:\n%s", len(lines)-1, out)
	}
	for _, want := range []string{
		"0301,Oslo,municipality,,,confirmed",
		"3024,Bærum,municipality,2018-01-01,,confirmed",
		"3025,Asker,municipality,,,confirmed",
		"3030,Lillestrøm,municipality,,,confirmed",
		"3005,Drammen,municipality,,,confirmed",
		"30,Viken,county,,,confirmed",
		"34,Innlandet,county,,,confirmed",
		"38,Vestfold og Telemark,county,,,confirmed",
		"oslomet,OsloMet,institution,,,confirmed",
	} {
		if !strings.Contains(out, want+"\n") {
			t.Errorf("ORE on 2021-01-01: missing %q in\n%s", want, out)
		}
	}

	out, _, err = runCLI(t, "members", "--alliance", "ore", "--at", "2024-06-01", "--format", "csv", "--include-pending", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"3203,Asker,", "3201,Bærum,municipality,2018-01-01,,confirmed", "3205,Lillestrøm,", "3301,Drammen,", "3303,Kongsberg,", "3334,Flesberg,",
		"34,Innlandet,county,,,confirmed", "31,Østfold,county,,,pending", "32,Akershus,county,", "33,Buskerud,county,", "39,Vestfold,county,", "40,Telemark,county,"} {
		if !strings.Contains(out, want) {
			t.Errorf("ORE on 2024-06-01: missing %q in\n%s", want, out)
		}
	}
	if strings.Contains(out, "\n30,") || strings.Contains(out, "\n3025,") {
		t.Errorf("ORE on 2024-06-01 lists a 2020–2023 code:\n%s", out)
	}
	// Without --include-pending the split counties are not listed.
	out, _, _ = runCLI(t, "members", "--alliance", "ore", "--at", "2024-06-01", "--format", "csv", "--db", db)
	if strings.Contains(out, "pending") {
		t.Errorf("pending listed without --include-pending:\n%s", out)
	}

	out, _, err = runCLI(t, "fees", "--alliance", "osloregionen", "--year", "2019", "--format", "csv", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "code,name,category,population,population_date,rate_nok,multiplier,fee_nok\n") {
		t.Errorf("fee header: %q", strings.SplitN(out, "\n", 2)[0])
	}
	if !strings.Contains(out, "0301,Oslo,municipality,673469,2018-01-01,1.50,2,2020407.00\n") {
		t.Errorf("Oslo's 2019 fee is not 2020407.00 from the 1.1.2018 figure:\n%s", out)
	}
}

func TestOrgsShowChain(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	out, _, err := runCLI(t, "orgs", "show", "0220", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "0220 Asker (–2019) → 3025 Asker (2020–2023) → 3203 Asker (2024–)") {
		t.Errorf("orgs show 0220:\n%s", out)
	}
	out, _, err = runCLI(t, "orgs", "list", "--at", "2024-01-01", "--kind", "county", "--format", "csv", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out, "\n") - 1; n != 15 {
		t.Errorf("counties on 2024-01-01: %d, want 15", n)
	}
}

func TestCommandErrors(t *testing.T) {
	db := demoDB(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"members", "--alliance", "nope", "--at", "2021-01-01"}, `no alliance "nope"`},
		{[]string{"members", "--alliance", "ore", "--at", "2021-02-30"}, "not a date"},
		{[]string{"fees", "--alliance", "osloregionen", "--year", "2021"}, "no population figure on 2020-01-01"},
		{[]string{"fees", "--alliance", "ore", "--year", "2021"}, "no fee schedule covers 2021"},
		{[]string{"orgs", "show", "9898"}, `no organisation with code "9898"`},
		{[]string{"members", "--alliance", "ore", "--format", "xml"}, "not table, csv or json"},
		{[]string{"frobnicate"}, "unknown command"},
	} {
		_, _, err := runCLI(t, append(tc.args, "--db", db)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want %q", tc.args, err, tc.want)
		}
	}
	// The missing-population error names every member.
	_, _, err := runCLI(t, "fees", "--alliance", "osloregionen", "--year", "2021", "--db", db)
	for _, want := range []string{"0301 Oslo", "30 Viken", "34 Innlandet"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("fees 2021: %v does not name %s", err, want)
		}
	}
}

// TestIndicatorsCommand lists the demo's steering data, recomputes the
// population from the imported figures, and refuses a file that is a web
// page, saying so.
func TestIndicatorsCommand(t *testing.T) {
	db := demoDB(t)
	out, _, err := runCLI(t, "indicators", "list", "--alliance", "vestregionen", "--db", db)
	if err != nil || !strings.Contains(out, "folkemengde") || !strings.Contains(out, "andel-65-og-eldre") {
		t.Fatalf("list: %v\n%s", err, out)
	}
	out, _, err = runCLI(t, "indicators", "refresh", "--alliance", "vestregionen", "folkemengde", "--db", db)
	if err != nil || !strings.Contains(out, "figures written") {
		t.Fatalf("refresh: %v\n%s", err, out)
	}
	page := filepath.Join(t.TempDir(), "side.html")
	if err := os.WriteFile(page, []byte("<html><body>Vedlikehold</body></html>"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err = runCLI(t, "indicators", "upload", "--alliance", "vestregionen", "andel-0-19", page, "--db", db)
	if err == nil || !strings.Contains(err.Error(), "HTML") {
		t.Errorf("upload of a web page: %v", err)
	}
	out, _, _ = runCLI(t, "indicators", "list", "--alliance", "vestregionen", "--db", db)
	if !strings.Contains(out, "HTML") {
		t.Errorf("the failed upload is not in the list:\n%s", out)
	}
}

func TestPersonCommand(t *testing.T) {
	db := demoDB(t)
	const addr = "kari.nordmann@example.no"

	out, _, err := runCLI(t, "person", "export", "--email", addr, "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Email    string                      `json:"email"`
		Sections map[string][]map[string]any `json:"sections"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("export is not JSON: %v\n%s", err, out)
	}
	regs := doc.Sections["registrations"]
	if doc.Email != addr || len(regs) == 0 || regs[0]["name"] != "Kari Nordmann" || regs[0]["diet"] != "Vegetar" {
		t.Fatalf("export of %s: %s", addr, out)
	}

	// Without --yes nothing changes.
	out, _, err = runCLI(t, "person", "anonymise", "--email", addr, "--db", db)
	if err == nil || !strings.Contains(err.Error(), "--yes") || !strings.Contains(out, "registrations") {
		t.Fatalf("anonymise without --yes: %v\n%s", err, out)
	}
	again, _, err := runCLI(t, "person", "export", "--email", addr, "--db", db)
	if err != nil || !strings.Contains(again, "Vegetar") {
		t.Fatalf("anonymise without --yes changed the data: %v\n%s", err, again)
	}

	out, _, err = runCLI(t, "person", "anonymise", "--email", addr, "--yes", "--db", db)
	if err != nil || !strings.Contains(out, "registrations") {
		t.Fatalf("anonymise: %v\n%s", err, out)
	}
	out, _, err = runCLI(t, "person", "export", "--email", addr, "--db", db)
	if err != nil || strings.Contains(out, "Kari Nordmann") || strings.Contains(out, "Vegetar") || strings.Contains(out, `"id"`) {
		t.Errorf("export after anonymising: %v\n%s", err, out)
	}
	if _, _, err := runCLI(t, "person", "anonymise", "--email", "not-an-address", "--yes", "--db", db); err == nil {
		t.Error("a bad address was accepted")
	}
	if _, _, err := runCLI(t, "person", "export", "--db", db); err == nil {
		t.Error("export without a person was accepted")
	}
}

// TestSearchCommand finds the demo's documents by a Norwegian word form (the
// appendix to Vestregionen's case 24/2017 among them, by its text), and
// rebuilds the index to the same answer.
func TestSearchCommand(t *testing.T) {
	db := demoDB(t)
	out, _, err := runCLI(t, "search", "kommunene", "--db", db)
	if err != nil || !strings.HasPrefix(out, "10 found\n") || !strings.Contains(out, "project  vestregionen") ||
		!strings.Contains(out, "document vestregionen   2017-01-01 Vedlegg til diskusjonsnotat") {
		t.Fatalf("search kommunene: %v\n%s", err, out)
	}
	re, _, err := runCLI(t, "search", "reindex", "--db", db)
	// The demo's documents have their text already.
	if err != nil || !strings.HasPrefix(re, "text read from 0 documents (0 could not be read)\n") || !strings.HasSuffix(re, " documents indexed\n") {
		t.Fatalf("reindex: %v\n%s", err, re)
	}
	again, _, err := runCLI(t, "search", "kommunene", "--db", db)
	if err != nil || again != out {
		t.Errorf("after reindex: %v\n%s\nwant\n%s", err, again, out)
	}
	if _, _, err := runCLI(t, "search", "x", "--kind", "bogus", "--db", db); err == nil || !strings.Contains(err.Error(), "unknown type") {
		t.Errorf("bad kind: %v", err)
	}
}
