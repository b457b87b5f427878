package refresh

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/ssb"
	"github.com/samrad/samrad/store"
)

// maxUpload bounds an uploaded file of figures.
const maxUpload = 64 << 20

// run records a run of the indicator and fills it from its source (data
// when a file is uploaded). Whatever fails is the run's error, and the
// figures from before are kept.
func (r *Runner) run(ctx context.Context, in samrad.Indicator, file string, data []byte) (samrad.IndicatorRun, error) {
	upload := data != nil || file != ""
	switch {
	case upload && in.Source != samrad.SourceUpload:
		return samrad.IndicatorRun{}, samrad.FieldErrorf("file", "%s takes its figures from %s, not from a file", in.Name("nb"), in.Source)
	case !upload && in.Source == samrad.SourceUpload:
		return samrad.IndicatorRun{}, samrad.FieldErrorf("file", "%s takes its figures from an uploaded file", in.Name("nb"))
	}
	n := r.now().In(samrad.Oslo())
	fitted := samrad.NewDate(n.Year(), n.Month(), n.Day())
	src := store.RunSource{File: file, FittedOn: fitted}
	if in.Source == samrad.SourceSSB && r.Client != nil {
		// The address asked is in the log even when the answer is wrong.
		if spec, err := ParseSpec(in); err == nil {
			if q, err := spec.Query(in.Table, "no"); err == nil {
				src.URL = strings.TrimRight(r.Client.BaseURL, "/") + q.URL()
			}
		}
	}
	run, err := r.DB.StartRun(ctx, in.ID, src)
	if err != nil {
		return run, err
	}
	values, cells, err := r.read(ctx, in, file, data, fitted)
	if err != nil {
		if ferr := r.DB.FinishRunFailed(ctx, run.ID, err); ferr != nil {
			return run, errors.Join(err, ferr)
		}
		return r.reread(ctx, run, err)
	}
	if err := r.DB.ReplaceValues(ctx, run.ID, in.ID, values, cells); err != nil {
		return r.reread(ctx, run, err)
	}
	return r.reread(ctx, run, nil)
}

// reread returns the run as the log has it.
func (r *Runner) reread(ctx context.Context, run samrad.IndicatorRun, cause error) (samrad.IndicatorRun, error) {
	runs, err := r.DB.Runs(ctx, run.IndicatorID, 5)
	if err == nil {
		for _, x := range runs {
			if x.ID == run.ID {
				return x, cause
			}
		}
	}
	return run, cause
}

// read gets the indicator's observations from its source and fits them
// to the structure on fitted.
func (r *Runner) read(ctx context.Context, in samrad.Indicator, file string, data []byte, fitted samrad.Date) (values []samrad.IndicatorValue, cells int, err error) {
	spec, err := ParseSpec(in)
	if err != nil {
		return nil, 0, err
	}
	reg, err := r.DB.Registry(ctx)
	if err != nil {
		return nil, 0, err
	}
	if in.Source == samrad.SourcePopulation {
		return r.population(ctx, reg, spec, fitted)
	}
	var cube *ssb.Cube
	switch in.Source {
	case samrad.SourceSSB:
		if r.Client == nil {
			return nil, 0, errors.New("this server has no statbank client: figures from SSB cannot be fetched")
		}
		q, err := spec.Query(in.Table, "no")
		if err != nil {
			return nil, 0, err
		}
		res, err := r.Client.Data(ctx, q)
		if err != nil {
			return nil, 0, err
		}
		cube = res.Cube
	case samrad.SourceUpload:
		if len(data) > maxUpload {
			return nil, 0, fmt.Errorf("%s: the file is larger than %d MB", file, maxUpload>>20)
		}
		if cube, err = decode(file, data); err != nil {
			return nil, 0, err
		}
	}
	obs, err := observations(cube, file, in, spec)
	if err != nil {
		return nil, 0, err
	}
	if in.Measure == samrad.MeasurePer1000 && len(spec.Denominator) == 0 {
		if obs, err = r.perInhabitants(ctx, obs); err != nil {
			return nil, 0, err
		}
	}
	values, err = reg.Fit(obs, fitted, in.Measure.Additive())
	return values, len(cube.Values), err
}

// decode reads an uploaded file: JSON-stat when it starts with "{", else a
// statbank CSV, long with codes (Region;Alder;Tid;value) or wide as saved
// from the statbank (name;2018;2019).
func decode(file string, data []byte) (*ssb.Cube, error) {
	t := bytes.TrimLeft(data, "\ufeff \t\r\n")
	switch {
	case len(t) > 0 && t[0] == '{':
		return ssb.DecodeJSONStat(bytes.NewReader(data), file)
	case len(t) > 0 && t[0] == '<':
		return nil, fmt.Errorf("%s: this is a web page (HTML), not a table: upload JSON-stat or a statbank CSV", file)
	}
	return ssb.CubeFromCSV(bytes.NewReader(data), file)
}

// observations reads the numerator (and the denominator of a share or a
// rate) of each region and period from a cube.
func observations(cube *ssb.Cube, file string, in samrad.Indicator, spec Spec) ([]samrad.Observation, error) {
	num, err := ssb.SeriesFromCube(cube, file, spec.numerator())
	if err != nil {
		return nil, err
	}
	if len(num.Figures) == 0 {
		// Replacing the figures with none would empty the portal.
		msg := fmt.Sprintf("%s: no figures for the country, a county or a municipality", file)
		if len(num.Skipped) > 0 {
			msg += " (codes left out: " + strings.Join(num.Skipped, ", ") + ")"
		}
		return nil, errors.New(msg)
	}
	obs := make([]samrad.Observation, len(num.Figures))
	for i, f := range num.Figures {
		obs[i] = samrad.Observation{Code: f.Region, Period: f.Period, Numerator: f.Value}
		if f.Missing {
			obs[i].Status = missing(f.Status)
		}
	}
	if len(spec.Denominator) == 0 {
		return obs, nil
	}
	den, err := ssb.SeriesFromCube(cube, file, spec.denominator())
	if err != nil {
		return nil, err
	}
	// Both series come from the same regions and periods, in the same order.
	if len(den.Figures) != len(num.Figures) {
		return nil, fmt.Errorf("%s: the numerator has %d figures and the denominator %d", file, len(num.Figures), len(den.Figures))
	}
	for i, f := range den.Figures {
		obs[i].Denominator = f.Value
		if f.Missing && obs[i].Status == "" {
			obs[i].Status = missing(f.Status)
		}
	}
	return obs, nil
}

// missing is the status of a figure SSB gives without one: its symbol, or
// ".." (missing data) when it gave none.
func missing(status string) string {
	if status == "" {
		return ".."
	}
	return status
}

// perInhabitants sets each observation's denominator to the population of
// its region on 1 January of its period's year, from the imported figures.
func (r *Runner) perInhabitants(ctx context.Context, obs []samrad.Observation) ([]samrad.Observation, error) {
	byYear := map[int]samrad.Figures{}
	for i, o := range obs {
		from, _, err := samrad.PeriodRange(o.Period)
		if err != nil {
			return nil, err
		}
		y := from.Year()
		figs, ok := byYear[y]
		if !ok {
			if figs, err = r.DB.Figures(ctx, samrad.Jan1(y)); err != nil {
				return nil, err
			}
			byYear[y] = figs
		}
		persons, ok := figs[o.Code]
		switch {
		case o.Status != "":
		case !ok:
			obs[i].Status = ".."
		default:
			obs[i].Denominator = float64(persons)
		}
	}
	return obs, nil
}

// population makes the observations of a population indicator from the
// imported figures: persons on 1 January of each year, or the change from
// the year before as a share of it. Growth is computed after fitting, so
// that a merger on 1 January does not count as growth.
func (r *Runner) population(ctx context.Context, reg *samrad.Registry, spec Spec, fitted samrad.Date) ([]samrad.IndicatorValue, int, error) {
	dates, err := r.DB.PopulationDates(ctx)
	if err != nil {
		return nil, 0, err
	}
	var obs []samrad.Observation
	for _, d := range dates {
		if d != samrad.Jan1(d.Year()) {
			continue
		}
		figs, err := r.DB.Figures(ctx, d)
		if err != nil {
			return nil, 0, err
		}
		period := strconv.Itoa(d.Year())
		for code, n := range figs {
			obs = append(obs, samrad.Observation{Code: code, Period: period, Numerator: float64(n)})
		}
	}
	if len(obs) == 0 {
		return nil, 0, errors.New("no population figures have been imported")
	}
	values, err := reg.Fit(obs, fitted, true)
	if err != nil || spec.Population != "growth" {
		return values, len(obs), err
	}
	byKey := make(map[[2]string]samrad.IndicatorValue, len(values))
	for _, v := range values {
		byKey[[2]string{v.Code, v.Period}] = v
	}
	var growth []samrad.IndicatorValue
	for _, v := range values {
		y, _ := strconv.Atoi(v.Period)
		prev, ok := byKey[[2]string{v.Code, strconv.Itoa(y - 1)}]
		if !ok {
			continue
		}
		g := samrad.IndicatorValue{Code: v.Code, Period: v.Period, Numerator: v.Numerator - prev.Numerator, Denominator: prev.Numerator,
			Method: v.Method, Parts: v.Parts, Reason: v.Reason}
		if prev.Method == samrad.FitSumPredecessors && g.Method == samrad.FitFigure {
			g.Method, g.Parts = prev.Method, prev.Parts
		}
		switch {
		case !v.HasFigure():
			g.Status, g.Method, g.Reason = v.Status, v.Method, v.Reason
		case !prev.HasFigure():
			g.Status, g.Method, g.Reason = prev.Status, prev.Method, prev.Reason
		}
		growth = append(growth, g)
	}
	return growth, len(obs), nil
}
