package main

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/feefile"
)

func cmdFees(ctx context.Context, e env, args []string) error {
	f := newFlags(e, "fees")
	slug := f.String("alliance", "", "alliance slug")
	year := f.Int("year", samrad.Today().Year(), "fee year")
	format := f.String("format", "table", "table, csv or json")
	if _, err := f.parse(args); err != nil {
		return err
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
	t, err := db.FeeTable(ctx, a.ID, *year)
	if err != nil {
		return err
	}
	for _, p := range t.Pending {
		fmt.Fprintf(e.stderr, "warning: %s is a pending member and is not charged until the secretariat confirms it (membership %d)\n", p.Org.Label("nb"), p.ID)
	}
	switch fmtName {
	case "csv":
		return feefile.Write(e.stdout, t, "nb")
	case "json":
		return writeFeesJSON(e, a, t)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "CODE\tNAME\tCATEGORY\tPOPULATION\tRATE NOK\tMULTIPLIER\tFEE NOK\tHOW\t")
	for _, l := range t.Lines {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", l.Membership.Org.Code, l.Membership.Org.NameNB, l.Category,
			population(l), l.Rate, samrad.Multiplier(l.MultiplierPermille), l.Fee, how(l))
	}
	fmt.Fprintf(tw, "\t\t\t\t\tTotal\t%s\t\t\n", t.Total)
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "\n%s %d: population on %s. %s\nSource: %s\n", a.NameNB, t.Year, t.PopulationDate, t.Schedule.Note, t.Schedule.Source)
	return nil
}

func population(l samrad.FeeLine) string {
	if l.Flat != 0 || l.Population.Date.IsZero() {
		return ""
	}
	return fmt.Sprint(l.Population.Persons)
}

func how(l samrad.FeeLine) string {
	if l.Flat != 0 {
		return "flat fee"
	}
	s := l.Population.Explain("en")
	if l.Months != 12 {
		s += fmt.Sprintf(", %d/12 months", l.Months)
	}
	return s
}

func writeFeesJSON(e env, a samrad.Alliance, t *samrad.FeeTable) error {
	type line struct {
		Code           string `json:"code"`
		Name           string `json:"name"`
		Category       string `json:"category"`
		Population     *int64 `json:"population"`
		PopulationDate string `json:"population_date,omitempty"`
		PopulationHow  string `json:"population_how,omitempty"`
		RateNOK        string `json:"rate_nok"`
		Multiplier     string `json:"multiplier"`
		Months         int    `json:"months"`
		FeeNOK         string `json:"fee_nok"`
	}
	out := struct {
		Alliance       string   `json:"alliance"`
		Year           int      `json:"year"`
		PopulationDate string   `json:"population_date"`
		Rule           string   `json:"rule"`
		Source         string   `json:"source"`
		TotalNOK       string   `json:"total_nok"`
		Lines          []line   `json:"lines"`
		Pending        []string `json:"pending,omitempty"`
	}{Alliance: a.Slug, Year: t.Year, PopulationDate: t.PopulationDate.String(), Rule: t.Schedule.Note,
		Source: t.Schedule.Source, TotalNOK: t.Total.String(), Lines: []line{}}
	for _, l := range t.Lines {
		x := line{Code: l.Membership.Org.Code, Name: l.Membership.Org.NameNB, Category: l.Category, RateNOK: l.Rate.String(),
			Multiplier: samrad.Multiplier(l.MultiplierPermille), Months: l.Months, FeeNOK: l.Fee.String()}
		if l.Flat == 0 {
			p := l.Population.Persons
			x.Population, x.PopulationDate, x.PopulationHow = &p, l.Population.Date.String(), l.Population.Explain("en")
		}
		out.Lines = append(out.Lines, x)
	}
	for _, p := range t.Pending {
		out.Pending = append(out.Pending, p.Org.Label("nb"))
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
