package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"text/tabwriter"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/memberfile"
)

func cmdMembers(ctx context.Context, e env, args []string) error {
	if len(args) > 0 && (args[0] == "confirm" || args[0] == "reject") {
		return cmdMembersDecide(ctx, e, args[0] == "confirm", args[1:])
	}
	f := newFlags(e, "members")
	slug := f.String("alliance", "", "alliance slug")
	at := f.String("at", samrad.Today().String(), "date (YYYY-MM-DD)")
	format := f.String("format", "table", "table, csv or json")
	pending := f.Bool("include-pending", false, "include memberships awaiting a decision")
	if _, err := f.parse(args); err != nil {
		return err
	}
	d, err := samrad.ParseDate(*at)
	if err != nil {
		return fmt.Errorf("--at: %w", err)
	}
	fmtName, err := parseFormat(*format)
	if err != nil {
		return err
	}
	db, a, err := f.openAlliance(ctx, *slug)
	if err != nil {
		return err
	}
	defer db.Close()
	ms, err := db.MembersOn(ctx, a.ID, d, *pending)
	if err != nil {
		return err
	}
	switch fmtName {
	case "csv":
		return memberfile.Write(e.stdout, ms, "nb")
	case "json":
		return writeMembersJSON(e, a, d, ms)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tCODE\tNAME\tKIND\tMEMBER FROM\tMEMBER TO\tSTATUS\tVIA")
	for _, m := range ms {
		from := m.Since.FormatAs(m.SincePrecision)
		if from == "" {
			from = "unknown"
		}
		via := ""
		for i, p := range m.Provenance {
			if i > 0 {
				via += ", "
			}
			via += p.Predecessor.Org.Code + " " + string(p.Change.Kind)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", m.ID, m.Org.Code, m.Org.NameNB, m.Org.Kind, from, m.Until, m.Status, via)
	}
	fmt.Fprintf(tw, "\n%s of %s on %s\n", plural(len(ms), "member", "members"), a.NameNB, d)
	if note := a.MembersNote("en"); note != "" {
		fmt.Fprintf(tw, "Partial list: %s\n", note)
	}
	return tw.Flush()
}

func writeMembersJSON(e env, a samrad.Alliance, d samrad.Date, ms []samrad.Membership) error {
	type via struct {
		Code   string `json:"code"`
		Name   string `json:"name"`
		Change string `json:"change"`
		Date   string `json:"date"`
	}
	type row struct {
		ID         int64  `json:"id"`
		Code       string `json:"code"`
		Name       string `json:"name"`
		Kind       string `json:"kind"`
		MemberFrom any    `json:"member_from"`
		MemberTo   any    `json:"member_to"`
		Status     string `json:"status"`
		Category   string `json:"category"`
		Source     string `json:"source,omitempty"`
		Via        []via  `json:"via,omitempty"`
	}
	out := struct {
		Alliance string `json:"alliance"`
		Date     string `json:"date"`
		Partial  string `json:"partial,omitempty"`
		Members  []row  `json:"members"`
	}{Alliance: a.Slug, Date: d.String(), Partial: a.MembersNote("en"), Members: []row{}}
	for _, m := range ms {
		r := row{ID: m.ID, Code: m.Org.Code, Name: m.Org.NameNB, Kind: string(m.Org.Kind), Status: string(m.Status), Category: m.Category, Source: m.Source}
		if s := m.Since.FormatAs(m.SincePrecision); s != "" {
			r.MemberFrom = s
		}
		if !m.Until.IsZero() {
			r.MemberTo = m.Until.String()
		}
		for _, p := range m.Provenance {
			r.Via = append(r.Via, via{p.Predecessor.Org.Code, p.Predecessor.Org.NameNB, string(p.Change.Kind), p.Change.Date.String()})
		}
		out.Members = append(out.Members, r)
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func cmdMembersDecide(ctx context.Context, e env, confirm bool, args []string) error {
	f := newFlags(e, "members confirm")
	slug := f.String("alliance", "", "alliance slug")
	pos, err := f.parse(args)
	if err != nil {
		return err
	}
	if err := needArgs(pos, 1, "the membership ID (see samrad members --include-pending)"); err != nil {
		return err
	}
	id, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil {
		return fmt.Errorf("%q is not a membership ID", pos[0])
	}
	db, a, err := f.openAlliance(ctx, *slug)
	if err != nil {
		return err
	}
	defer db.Close()
	all, err := db.Memberships(ctx, a.ID)
	if err != nil {
		return err
	}
	found := false
	for _, m := range all {
		found = found || m.ID == id
	}
	if !found {
		return samrad.Errorf(samrad.ENOTFOUND, "no membership %d in %s", id, a.Slug)
	}
	user := os.Getenv("USER")
	if err := db.DecideMembership(ctx, id, confirm, "cli:"+user); err != nil {
		return err
	}
	verb := "rejected"
	if confirm {
		verb = "confirmed"
	}
	fmt.Fprintf(e.stdout, "membership %d %s\n", id, verb)
	return nil
}
