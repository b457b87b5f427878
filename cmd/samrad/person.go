package main

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"
)

// cmdPerson answers a person's request about their data:
// samrad person export --email ADDR | --person ID, and
// samrad person anonymise --email ADDR [--person ID] --yes.
func cmdPerson(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || (args[0] != "export" && args[0] != "anonymise") {
		return fmt.Errorf("person: expected person export|anonymise --email ADDR and/or --person ID")
	}
	verb := args[0]
	f := newFlags(e, "person "+verb)
	email := f.String("email", "", "the person's e-mail address")
	person := f.Int64("person", 0, "the person's id (the people shown with seats and votes)")
	yes := f.Bool("yes", false, "anonymise: really remove it (without, only show what would go)")
	if _, err := f.parse(args[1:]); err != nil {
		return err
	}
	if *email == "" && *person == 0 {
		return fmt.Errorf("person %s: give --email ADDR or --person ID", verb)
	}
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	data, err := db.PersonalData(ctx, *email, *person)
	if err != nil {
		return err
	}
	if verb == "export" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(data)
	}
	if !*yes {
		fmt.Fprintf(e.stdout, "%d records hold data about this person:\n", data.Rows())
		counts := map[string]int64{}
		for name, rows := range data.Sections {
			counts[name] = int64(len(rows))
		}
		printCounts(e, counts)
		return fmt.Errorf("person anonymise: nothing changed; run again with --yes to remove what is theirs alone (the public record stays)")
	}
	erased, err := db.AnonymisePerson(ctx, *email, *person, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "removed or blanked:")
	printCounts(e, erased)
	return nil
}

// printCounts prints one line per name with its count, in order of name,
// leaving out zeros.
func printCounts(e env, counts map[string]int64) {
	names := make([]string, 0, len(counts))
	for name, n := range counts {
		if n > 0 {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(e.stdout, "  %-26s %d\n", name, counts[name])
	}
}
