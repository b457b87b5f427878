package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/feefile"
	"github.com/samrad/samrad/store"
)

type feesData struct {
	Alliance samrad.Alliance
	Year     int
	Table    *samrad.FeeTable
	Error    string // why the table cannot be computed (missing population …)
	Sources  []store.PopulationSource
}

func (s *Server) fees(r *http.Request, v *view) (feesData, error) {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return feesData{}, err
	}
	year := samrad.Today().Year()
	if q := v.param("year"); q != "" {
		y, err := strconv.Atoi(q)
		if err != nil || y < 1900 || y > 2200 {
			return feesData{}, samrad.FieldErrorf("year", "%s", s.cat.T(v.Lang, "bad_year", q))
		}
		year = y
	}
	data := feesData{Alliance: a, Year: year}
	t, err := s.db.FeeTable(ctx, a.ID, year)
	var missing *samrad.MissingPopulationError
	switch {
	case errors.As(err, &missing):
		data.Error = missing.Error()
		return data, nil
	case err != nil:
		return data, err
	}
	data.Table = t
	data.Sources, err = s.db.PopulationSources(ctx, t.PopulationDate)
	return data, err
}

func (s *Server) handleFees(w http.ResponseWriter, r *http.Request, v *view) error {
	data, err := s.fees(r, v)
	if err != nil {
		return err
	}
	name := data.Alliance.Name(v.Lang)
	v.Title, v.Nav, v.Data = s.cat.T(v.Lang, "fees_of", name, data.Year), "home", data
	v.crumbs(name, Path(v.Lang, "alliance", data.Alliance.Slug), s.cat.T(v.Lang, "fees_title"), "")
	s.render(w, http.StatusOK, "fees", v)
	return nil
}

func (s *Server) handleFeesCSV(w http.ResponseWriter, r *http.Request, v *view) error {
	data, err := s.fees(r, v)
	if err != nil {
		return err
	}
	if data.Table == nil {
		return samrad.Errorf(samrad.EINVALID, "%s", data.Error)
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-fees-%d.csv"`, data.Alliance.Slug, data.Year))
	return feefile.Write(w, data.Table, v.Lang)
}
