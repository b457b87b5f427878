package demo

import (
	"context"
	"fmt"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

// lookup finds or creates the organisations and people the demo's
// cooperation data names, so that the same organisation or person is one
// row however many documents name it.
type lookup struct {
	db     *store.DB
	reg    *samrad.Registry
	people map[string]samrad.Person
}

func newLookup(ctx context.Context, db *store.DB) (*lookup, error) {
	reg, err := db.Registry(ctx)
	if err != nil {
		return nil, err
	}
	existing, err := db.People(ctx)
	if err != nil {
		return nil, err
	}
	l := &lookup{db: db, reg: reg, people: map[string]samrad.Person{}}
	for _, p := range existing {
		l.people[p.Name] = p
	}
	return l, nil
}

// official returns the organisation with an official code on a date,
// such as "3024" (Bærum) or "30" (Viken) on 2021-05-05.
func (l *lookup) official(code, on string) (samrad.Organisation, error) {
	o, ok := l.reg.AtDate(code, samrad.MustDate(on))
	if !ok {
		return o, fmt.Errorf("demo: no organisation %s on %s", code, on)
	}
	return o, nil
}

// org returns the organisation with a demo code (one without an official
// registry, such as "forskningsradet"), creating it if it is new.
func (l *lookup) org(ctx context.Context, kind samrad.OrgKind, code, nameNB, nameEN string) (samrad.Organisation, error) {
	for _, o := range l.reg.ByCode(code) {
		if o.Kind == kind {
			return o, nil
		}
	}
	o := samrad.Organisation{Kind: kind, Code: code, NameNB: nameNB, NameEN: nameEN}
	if o.NameEN == "" {
		o.NameEN = nameNB
	}
	if err := l.db.CreateOrganisation(ctx, &o); err != nil {
		return o, fmt.Errorf("demo organisation %s: %w", code, err)
	}
	reg, err := l.db.Registry(ctx)
	if err != nil {
		return o, err
	}
	l.reg = reg
	return o, nil
}

// person returns the person of that name, creating them with the title if
// they are new.
func (l *lookup) person(ctx context.Context, name, title string) (samrad.Person, error) {
	if p, ok := l.people[name]; ok {
		return p, nil
	}
	p := samrad.Person{Name: name, Title: title}
	if err := l.db.CreatePerson(ctx, &p); err != nil {
		return p, fmt.Errorf("demo person %s: %w", name, err)
	}
	l.people[name] = p
	return p, nil
}
