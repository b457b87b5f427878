// Package metrics keeps counters, gauges and histograms in memory and
// writes them in the Prometheus text exposition format (version 0.0.4),
// which Prometheus, VictoriaMetrics, Grafana Agent and the OpenTelemetry
// collector all scrape.
//
// A Registry holds metric families, each with a name, a help text and a
// fixed list of label names. Counters and histograms are updated on the
// request path with atomic operations; gauges read at scrape time are
// functions the registry calls then (the outbox's depth, the database
// pool's statistics).
package metrics

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Registry is a set of metric families. The zero value is not usable;
// call New.
type Registry struct {
	mu       sync.Mutex
	families []family
	names    map[string]bool
}

// New returns an empty registry.
func New() *Registry { return &Registry{names: map[string]bool{}} }

// family is one metric name with its help and type, able to write its
// samples.
type family interface {
	header() (name, help, typ string)
	write(ctx context.Context, w *bufio.Writer) error
}

func (r *Registry) add(f family) {
	name, _, _ := f.header()
	if !validName(name) {
		panic("metrics: bad metric name " + strconv.Quote(name))
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.names[name] {
		panic("metrics: " + name + " registered twice")
	}
	r.names[name] = true
	r.families = append(r.families, f)
}

// Write writes every family in the text format, sorted by name. A gauge
// function that fails leaves out its sample; the errors are returned
// together after everything else is written.
func (r *Registry) Write(ctx context.Context, w io.Writer) error {
	r.mu.Lock()
	fams := slices.Clone(r.families)
	r.mu.Unlock()
	slices.SortFunc(fams, func(a, b family) int {
		an, _, _ := a.header()
		bn, _, _ := b.header()
		return cmp.Compare(an, bn)
	})
	bw := bufio.NewWriter(w)
	var errs []error
	for _, f := range fams {
		name, help, typ := f.header()
		fmt.Fprintf(bw, "# HELP %s %s\n# TYPE %s %s\n", name, escapeHelp(help), name, typ)
		if err := f.write(ctx, bw); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return errors.Join(errs...)
}

// ContentType is the media type of what Write writes.
const ContentType = "text/plain; version=0.0.4; charset=utf-8"

// vec holds a family's series, one per combination of label values.
type vec[T any] struct {
	name, help string
	labels     []string
	mu         sync.RWMutex
	series     map[string]entry[T] // by label values joined with \xff
	make       func() *T
}

type entry[T any] struct {
	labels string // as written: a="x",b="y"
	s      *T
}

func newVec[T any](name, help string, labels []string, mk func() *T) *vec[T] {
	for _, l := range labels {
		if !validLabel(l) {
			panic("metrics: bad label name " + strconv.Quote(l))
		}
	}
	return &vec[T]{name: name, help: help, labels: labels, series: map[string]entry[T]{}, make: mk}
}

// with returns the series for the label values, creating it on first use.
func (v *vec[T]) with(values []string) *T {
	if len(values) != len(v.labels) {
		panic(fmt.Sprintf("metrics: %s takes %d label values, got %d", v.name, len(v.labels), len(values)))
	}
	key := strings.Join(values, "\xff")
	v.mu.RLock()
	e, ok := v.series[key]
	v.mu.RUnlock()
	if ok {
		return e.s
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if e, ok := v.series[key]; ok {
		return e.s
	}
	e = entry[T]{labels: labelText(v.labels, values), s: v.make()}
	v.series[key] = e
	return e.s
}

// each calls fn for every series in a stable order (by label values).
func (v *vec[T]) each(fn func(labels string, s *T)) {
	v.mu.RLock()
	entries := make([]entry[T], 0, len(v.series))
	for _, e := range v.series {
		entries = append(entries, e)
	}
	v.mu.RUnlock()
	slices.SortFunc(entries, func(a, b entry[T]) int { return cmp.Compare(a.labels, b.labels) })
	for _, e := range entries {
		fn(e.labels, e.s)
	}
}

// Counter is a value that only goes up.
type Counter struct{ bits atomic.Uint64 }

// Inc adds one.
func (c *Counter) Inc() { c.Add(1) }

// Add adds d, which must not be negative.
func (c *Counter) Add(d float64) {
	if d < 0 {
		panic("metrics: a counter cannot go down")
	}
	addFloat(&c.bits, d)
}

// Value returns the count.
func (c *Counter) Value() float64 { return math.Float64frombits(c.bits.Load()) }

// CounterVec is a counter per combination of label values.
type CounterVec struct{ v *vec[Counter] }

// Counter registers a counter family with the given label names.
func (r *Registry) Counter(name, help string, labels ...string) *CounterVec {
	c := &CounterVec{newVec(name, help, labels, func() *Counter { return new(Counter) })}
	r.add(c)
	return c
}

// With returns the counter for the label values, in the order of the
// label names.
func (c *CounterVec) With(values ...string) *Counter { return c.v.with(values) }

func (c *CounterVec) header() (string, string, string) { return c.v.name, c.v.help, "counter" }

// write leaves out series never counted, so that series made ahead of
// use (one per route and status class) appear when they first count.
func (c *CounterVec) write(_ context.Context, w *bufio.Writer) error {
	c.v.each(func(labels string, s *Counter) {
		if s.Value() != 0 {
			sample(w, c.v.name, labels, s.Value())
		}
	})
	return nil
}

// Gauge is a value that goes up and down.
type Gauge struct{ bits atomic.Uint64 }

// Add adds d (negative to subtract).
func (g *Gauge) Add(d float64) { addFloat(&g.bits, d) }

// Set sets the value.
func (g *Gauge) Set(x float64) { g.bits.Store(math.Float64bits(x)) }

// Value returns the value.
func (g *Gauge) Value() float64 { return math.Float64frombits(g.bits.Load()) }

type gaugeFamily struct {
	name, help string
	g          Gauge
}

// Gauge registers a gauge without labels.
func (r *Registry) Gauge(name, help string) *Gauge {
	f := &gaugeFamily{name: name, help: help}
	r.add(f)
	return &f.g
}

func (f *gaugeFamily) header() (string, string, string) { return f.name, f.help, "gauge" }

func (f *gaugeFamily) write(_ context.Context, w *bufio.Writer) error {
	sample(w, f.name, "", f.g.Value())
	return nil
}

// Sample is one value of a function metric, with its label values in the
// order of the family's label names.
type Sample struct {
	Labels []string
	Value  float64
}

type funcFamily struct {
	name, help, typ string
	labels          []string
	fn              func(ctx context.Context) ([]Sample, error)
}

// GaugeFunc registers a gauge read at scrape time, such as the number of
// queued messages. When fn fails the sample is left out of that scrape.
func (r *Registry) GaugeFunc(name, help string, fn func(ctx context.Context) (float64, error)) {
	r.add(&funcFamily{name: name, help: help, typ: "gauge", fn: func(ctx context.Context) ([]Sample, error) {
		x, err := fn(ctx)
		if err != nil {
			return nil, err
		}
		return []Sample{{Value: x}}, nil
	}})
}

// GaugeFuncVec registers a labelled gauge family read at scrape time.
func (r *Registry) GaugeFuncVec(name, help string, labels []string, fn func(ctx context.Context) ([]Sample, error)) {
	r.add(&funcFamily{name: name, help: help, typ: "gauge", labels: labels, fn: fn})
}

// CounterFunc registers a counter read at scrape time from a value kept
// elsewhere (such as the database pool's wait count).
func (r *Registry) CounterFunc(name, help string, fn func() float64) {
	r.add(&funcFamily{name: name, help: help, typ: "counter", fn: func(context.Context) ([]Sample, error) {
		return []Sample{{Value: fn()}}, nil
	}})
}

func (f *funcFamily) header() (string, string, string) { return f.name, f.help, f.typ }

func (f *funcFamily) write(ctx context.Context, w *bufio.Writer) error {
	samples, err := f.fn(ctx)
	if err != nil {
		return err
	}
	for _, s := range samples {
		if len(s.Labels) != len(f.labels) {
			return fmt.Errorf("%d label values for %d labels", len(s.Labels), len(f.labels))
		}
		sample(w, f.name, labelText(f.labels, s.Labels), s.Value)
	}
	return nil
}

// Histogram counts observations in buckets with upper bounds.
type Histogram struct {
	bounds []float64
	counts []atomic.Uint64 // one per bound, plus +Inf
	sum    atomic.Uint64
}

// Observe records one observation.
func (h *Histogram) Observe(x float64) {
	i, _ := slices.BinarySearch(h.bounds, x) // the first bound ≥ x, or len: +Inf
	h.counts[i].Add(1)
	addFloat(&h.sum, x)
}

// HistogramVec is a histogram per combination of label values.
type HistogramVec struct {
	v      *vec[Histogram]
	bounds []float64
}

// DefaultBuckets suit request latencies in seconds, from 5 ms to 10 s.
var DefaultBuckets = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// Histogram registers a histogram family with the bucket upper bounds
// (ascending; +Inf is added) and label names.
func (r *Registry) Histogram(name, help string, bounds []float64, labels ...string) *HistogramVec {
	if !slices.IsSorted(bounds) || len(bounds) == 0 {
		panic("metrics: " + name + ": bucket bounds must be ascending")
	}
	for _, l := range labels {
		if l == "le" {
			panic("metrics: " + name + ": le is the bucket label")
		}
	}
	bounds = slices.Clone(bounds)
	h := &HistogramVec{bounds: bounds, v: newVec(name, help, labels, func() *Histogram {
		return &Histogram{bounds: bounds, counts: make([]atomic.Uint64, len(bounds)+1)}
	})}
	r.add(h)
	return h
}

// With returns the histogram for the label values.
func (h *HistogramVec) With(values ...string) *Histogram { return h.v.with(values) }

func (h *HistogramVec) header() (string, string, string) { return h.v.name, h.v.help, "histogram" }

func (h *HistogramVec) write(_ context.Context, w *bufio.Writer) error {
	h.v.each(func(labels string, s *Histogram) {
		// Read the buckets first: the count is their total, so the +Inf
		// bucket and _count always agree within one scrape. A histogram
		// with no observations is left out, as an unused counter is.
		var total uint64
		for i := range s.counts {
			total += s.counts[i].Load()
		}
		if total == 0 {
			return
		}
		var cum uint64
		for i, b := range s.bounds {
			cum += s.counts[i].Load()
			sample(w, h.v.name+"_bucket", joinLabels(labels, `le="`+formatFloat(b)+`"`), float64(cum))
		}
		cum += s.counts[len(s.bounds)].Load()
		sample(w, h.v.name+"_bucket", joinLabels(labels, `le="+Inf"`), float64(cum))
		sample(w, h.v.name+"_sum", labels, math.Float64frombits(s.sum.Load()))
		sample(w, h.v.name+"_count", labels, float64(cum))
	})
	return nil
}

func addFloat(bits *atomic.Uint64, d float64) {
	for {
		old := bits.Load()
		if bits.CompareAndSwap(old, math.Float64bits(math.Float64frombits(old)+d)) {
			return
		}
	}
}

func sample(w *bufio.Writer, name, labels string, x float64) {
	w.WriteString(name)
	if labels != "" {
		w.WriteByte('{')
		w.WriteString(labels)
		w.WriteByte('}')
	}
	w.WriteByte(' ')
	w.WriteString(formatFloat(x))
	w.WriteByte('\n')
}

func formatFloat(x float64) string {
	switch {
	case math.IsInf(x, 1):
		return "+Inf"
	case math.IsInf(x, -1):
		return "-Inf"
	case math.IsNaN(x):
		return "NaN"
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// labelText is `a="x",b="y"` for label names and values.
func labelText(names, values []string) string {
	var b strings.Builder
	for i, n := range names {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(n)
		b.WriteString(`="`)
		b.WriteString(escapeValue(values[i]))
		b.WriteByte('"')
	}
	return b.String()
}

func joinLabels(a, b string) string {
	if a == "" {
		return b
	}
	return a + "," + b
}

var valueEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

func escapeValue(s string) string { return valueEscaper.Replace(s) }

var helpEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`)

func escapeHelp(s string) string { return helpEscaper.Replace(s) }

// validName reports whether s is a metric name: [a-zA-Z_:][a-zA-Z0-9_:]*.
func validName(s string) bool {
	for i, c := range s {
		if !(c == '_' || c == ':' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && '0' <= c && c <= '9') {
			return false
		}
	}
	return s != ""
}

// validLabel reports whether s is a label name: [a-zA-Z_][a-zA-Z0-9_]*,
// not starting with __ (reserved).
func validLabel(s string) bool {
	return validName(s) && !strings.Contains(s, ":") && !strings.HasPrefix(s, "__")
}
