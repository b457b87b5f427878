package samrad

import (
	"fmt"
	"sort"
	"strings"
)

// Figures are persons per organisation code on one reference date, as imported.
type Figures map[string]int64

// How a population figure was arrived at.
const (
	MethodFigure           = "figure"             // an imported figure for the code
	MethodSumMunicipalites = "sum_municipalities" // a county as the sum of its municipalities
	MethodSumPredecessors  = "sum_predecessors"   // an organisation that did not exist yet, summed from those it came from
)

// PopulationFigure is the population of an organisation on a date with the
// way it was found, so that a fee can show how it got each number.
type PopulationFigure struct {
	Org     Organisation
	Date    Date
	Persons int64
	Method  string
	Parts   []PopulationPart // the figures summed, for the sum methods
}

// PopulationPart is one figure in a sum.
type PopulationPart struct {
	Org     Organisation
	Persons int64
}

// Explain describes the figure in Norwegian or English.
func (p PopulationFigure) Explain(lang string) string {
	names := make([]string, len(p.Parts))
	for i, x := range p.Parts {
		names[i] = x.Org.Label(lang)
	}
	switch p.Method {
	case MethodSumMunicipalites:
		if lang == "en" {
			return fmt.Sprintf("sum of %d municipalities", len(p.Parts))
		}
		return fmt.Sprintf("sum av %d kommuner", len(p.Parts))
	case MethodSumPredecessors:
		if lang == "en" {
			return "sum of " + strings.Join(names, ", ")
		}
		return "sum av " + strings.Join(names, ", ")
	}
	if lang == "en" {
		return "SSB figure"
	}
	return "SSB-tall"
}

// ErrNoPopulation is returned when no figure can be found or derived.
type ErrNoPopulation struct {
	Org    Organisation
	Date   Date
	Reason string
}

func (e *ErrNoPopulation) Error() string {
	return fmt.Sprintf("%s: no population figure on %s (%s)", e.Org.Label("nb"), e.Date, e.Reason)
}

// Population finds the population of org on d from the figures of that date:
//   - the organisation's own imported figure, when it existed on d;
//   - for a county without its own figure, the sum of the municipalities
//     whose code put them in the county on d (so municipalities that moved
//     between counties are counted where they were);
//   - for an organisation that did not exist yet on d, the sum of what it was
//     made from (merges and renumberings; a split predecessor cannot be divided
//     and gives an error; a part moved in by a transfer is counted with its
//     main successor), as SSB's KommSummer grouping does.
func (r *Registry) Population(org Organisation, d Date, figures Figures) (PopulationFigure, error) {
	return r.population(org, d, figures, 0)
}

func (r *Registry) population(org Organisation, d Date, figures Figures, depth int) (PopulationFigure, error) {
	if depth > 16 {
		return PopulationFigure{}, &ErrNoPopulation{org, d, "succession too deep"}
	}
	out := PopulationFigure{Org: org, Date: d}
	if org.ValidOn(d) {
		if n, ok := figures[org.Code]; ok {
			out.Persons, out.Method = n, MethodFigure
			return out, nil
		}
		if org.Kind != KindCounty {
			return out, &ErrNoPopulation{org, d, "no figure imported"}
		}
		out.Method = MethodSumMunicipalites
		for _, m := range r.ValidOn(d, KindMunicipality) {
			if m.County() != org.Code {
				continue
			}
			n, ok := figures[m.Code]
			if !ok {
				return out, &ErrNoPopulation{org, d, "no figure for municipality " + m.Label("nb")}
			}
			out.Parts = append(out.Parts, PopulationPart{m, n})
			out.Persons += n
		}
		if len(out.Parts) == 0 {
			return out, &ErrNoPopulation{org, d, "no figure imported"}
		}
		return out, nil
	}
	if !org.ValidTo.IsZero() && d.After(org.ValidTo) {
		return out, &ErrNoPopulation{org, d, "the organisation ended " + org.ValidTo.String()}
	}
	// The organisation did not exist yet: sum what it was made from.
	out.Method = MethodSumPredecessors
	var from []Organisation
	if org.Kind == KindCounty {
		out.Method = MethodSumMunicipalites
		for _, m := range r.ValidOn(org.ValidFrom, KindMunicipality) {
			if m.County() == org.Code {
				from = append(from, m)
			}
		}
	} else {
		for _, c := range r.into[org.ID] {
			switch {
			case c.Kind == ChangeTransfer:
				// A small part moved in; like SSB's KommSummer, its
				// people are counted with the main successor of where
				// they came from.
			case !c.Kind.CarriesMembership():
				return out, &ErrNoPopulation{org, d, fmt.Sprintf("%s was split; its population cannot be divided", c.From.Label("nb"))}
			default:
				from = append(from, c.From)
			}
		}
	}
	if len(from) == 0 {
		return out, &ErrNoPopulation{org, d, "it did not exist then and has no known predecessor"}
	}
	sort.Slice(from, func(i, j int) bool { return from[i].Code < from[j].Code })
	for _, p := range from {
		f, err := r.population(p, d, figures, depth+1)
		if err != nil {
			return out, &ErrNoPopulation{org, d, err.Error()}
		}
		if f.Method == MethodFigure {
			out.Parts = append(out.Parts, PopulationPart{p, f.Persons})
		} else {
			out.Parts = append(out.Parts, f.Parts...)
		}
		out.Persons += f.Persons
	}
	return out, nil
}
