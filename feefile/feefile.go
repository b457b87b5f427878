// Package feefile writes a fee table as CSV with the exact header
//
//	code,name,category,population,population_date,rate_nok,multiplier,fee_nok
//
// and amounts as plain decimals with two decimals (2020407.00).
package feefile

import (
	"encoding/csv"
	"fmt"
	"io"

	"github.com/samrad/samrad"
)

// Header is the exact header of the fee CSV.
var Header = []string{"code", "name", "category", "population", "population_date", "rate_nok", "multiplier", "fee_nok"}

// Write writes t as CSV. Flat fees have empty population cells.
func Write(w io.Writer, t *samrad.FeeTable, lang string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(Header); err != nil {
		return err
	}
	for _, l := range t.Lines {
		pop, popDate := "", ""
		if l.Flat == 0 {
			pop, popDate = fmt.Sprint(l.Population.Persons), l.Population.Date.String()
		}
		if err := cw.Write([]string{l.Membership.Org.Code, l.Membership.Org.Name(lang), l.Category, pop, popDate,
			l.Rate.String(), samrad.Multiplier(l.MultiplierPermille), l.Fee.String()}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
