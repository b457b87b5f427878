package samrad

import (
	"fmt"
	"sort"
	"strings"
)

// Registry is an in-memory view of every organisation and change, built once
// from storage and shared read-only. It answers succession and "what existed
// on a date" questions without queries.
type Registry struct {
	byID   map[int64]*Organisation
	byCode map[string][]*Organisation // every period of a code, oldest first
	into   map[int64][]Change         // changes whose To is the key
	out    map[int64][]Change         // changes whose From is the key
	orgs   []*Organisation
}

// NewRegistry indexes orgs and changes. Changes must refer to orgs by ID.
func NewRegistry(orgs []Organisation, changes []Change) (*Registry, error) {
	r := &Registry{
		byID:   make(map[int64]*Organisation, len(orgs)),
		byCode: make(map[string][]*Organisation, len(orgs)),
		into:   make(map[int64][]Change),
		out:    make(map[int64][]Change),
	}
	for i := range orgs {
		o := &orgs[i]
		r.byID[o.ID] = o
		r.byCode[o.Code] = append(r.byCode[o.Code], o)
		r.orgs = append(r.orgs, o)
	}
	for _, list := range r.byCode {
		sort.Slice(list, func(i, j int) bool { return list[i].ValidFrom.Before(list[j].ValidFrom) })
	}
	for _, c := range changes {
		from, ok1 := r.byID[c.From.ID]
		to, ok2 := r.byID[c.To.ID]
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("change %d refers to an unknown organisation", c.ID)
		}
		c.From, c.To = *from, *to
		r.out[from.ID] = append(r.out[from.ID], c)
		r.into[to.ID] = append(r.into[to.ID], c)
	}
	return r, nil
}

// Org returns the organisation with id.
func (r *Registry) Org(id int64) (Organisation, bool) {
	o, ok := r.byID[id]
	if !ok {
		return Organisation{}, false
	}
	return *o, true
}

// ByCode returns every period of a code, oldest first.
func (r *Registry) ByCode(code string) []Organisation {
	list := r.byCode[code]
	out := make([]Organisation, len(list))
	for i, o := range list {
		out[i] = *o
	}
	return out
}

// AtDate returns the organisation with code valid on d.
func (r *Registry) AtDate(code string, d Date) (Organisation, bool) {
	for _, o := range r.byCode[code] {
		if o.ValidOn(d) {
			return *o, true
		}
	}
	return Organisation{}, false
}

// ValidOn lists the organisations valid on d, optionally of one kind, by code.
func (r *Registry) ValidOn(d Date, kind OrgKind) []Organisation {
	var out []Organisation
	for _, o := range r.orgs {
		if (kind == "" || o.Kind == kind) && o.ValidOn(d) {
			out = append(out, *o)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind < out[j].Kind
		}
		return out[i].Code < out[j].Code
	})
	return out
}

// Successors returns the changes out of org id.
func (r *Registry) Successors(id int64) []Change { return r.out[id] }

// Predecessors returns the changes into org id.
func (r *Registry) Predecessors(id int64) []Change { return r.into[id] }

// Succession returns org id with every change reachable backwards and
// forwards, ordered by date then codes.
func (r *Registry) Succession(id int64) (Succession, bool) {
	o, ok := r.byID[id]
	if !ok {
		return Succession{}, false
	}
	seen := map[int64]bool{}
	var changes []Change
	var walk func(id int64)
	walk = func(id int64) {
		for _, c := range append(append([]Change{}, r.into[id]...), r.out[id]...) {
			if seen[c.ID] || c.Kind == ChangeTransfer {
				continue
			}
			seen[c.ID] = true
			changes = append(changes, c)
			walk(c.From.ID)
			walk(c.To.ID)
		}
	}
	walk(id)
	sort.Slice(changes, func(i, j int) bool {
		a, b := changes[i], changes[j]
		if !a.Date.Equal(b.Date) {
			return a.Date.Before(b.Date)
		}
		if a.To.Code != b.To.Code {
			return a.To.Code < b.To.Code
		}
		return a.From.Code < b.From.Code
	})
	return Succession{Organisation: *o, Changes: changes}, true
}

// Chain formats the line of an organisation through renumberings and merges,
// e.g. "0220 Asker (–2019) → 3025 Asker (2020–2023) → 3203 Asker (2024–)".
func (r *Registry) Chain(id int64) string {
	o, ok := r.byID[id]
	if !ok {
		return ""
	}
	// Walk back along the predecessor with the same name, else the first one.
	line := []*Organisation{o}
	for cur := o; ; {
		prev := r.mainLink(r.into[cur.ID], cur, true)
		if prev == nil {
			break
		}
		line = append([]*Organisation{prev}, line...)
		cur = prev
	}
	for cur := o; ; {
		next := r.mainLink(r.out[cur.ID], cur, false)
		if next == nil {
			break
		}
		line = append(line, next)
		cur = next
	}
	parts := make([]string, len(line))
	for i, x := range line {
		parts[i] = fmt.Sprintf("%s %s (%s)", x.Code, x.NameNB, x.Period())
	}
	return strings.Join(parts, " → ")
}

func (r *Registry) mainLink(cs []Change, cur *Organisation, back bool) *Organisation {
	var pick *Organisation
	for _, c := range cs {
		if !c.Kind.CarriesMembership() {
			continue
		}
		other := r.byID[c.To.ID]
		if back {
			other = r.byID[c.From.ID]
		}
		if other.NameNB == cur.NameNB {
			return other
		}
		if pick == nil && len(cs) == 1 {
			pick = other
		}
	}
	return pick
}
