package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/registry"
)

const orgColumns = `id, kind, code, org_number, name_nb, name_en, valid_from, valid_to, note`

func scanOrg(s interface{ Scan(...any) error }) (samrad.Organisation, error) {
	var o samrad.Organisation
	var kind string
	err := s.Scan(&o.ID, &kind, &o.Code, &o.OrgNumber, &o.NameNB, &o.NameEN, &o.ValidFrom, &o.ValidTo, &o.Note)
	o.Kind = samrad.OrgKind(kind)
	return o, err
}

// SeedRegistry loads the embedded municipality and county registry when the
// database does not hold this version of it yet. Organisations are matched
// by (kind, code, first day) so that organisations created by imports and
// the memberships that refer to them are kept.
func (db *DB) SeedRegistry(ctx context.Context) error {
	orgs, err := registry.Organisations()
	if err != nil {
		return fmt.Errorf("embedded registry: %w", err)
	}
	changes, err := registry.Changes()
	if err != nil {
		return fmt.Errorf("embedded registry: %w", err)
	}
	h := sha256.New()
	for _, o := range orgs {
		fmt.Fprintln(h, o.Kind, o.Code, o.Name, o.ValidFrom, o.ValidTo)
	}
	for _, c := range changes {
		fmt.Fprintln(h, c.Kind, c.Date, c.Change, c.OldCode, c.NewCode)
	}
	stamp := hex.EncodeToString(h.Sum(nil))[:16]
	if cur, err := getMeta(ctx, db.db, "embedded_registry"); err != nil || cur == stamp {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if cur, err := getMeta(ctx, tx, "embedded_registry"); err != nil || cur == stamp {
			return err // another instance seeded it meanwhile
		}
		existing, err := loadOrgs(ctx, tx)
		if err != nil {
			return err
		}
		key := func(kind, code string, from samrad.Date) string { return kind + "/" + code + "/" + from.String() }
		ids := map[string]int64{}
		for _, o := range existing {
			ids[key(string(o.Kind), o.Code, o.ValidFrom)] = o.ID
		}
		const source = "SSB (Statistisk sentralbyrå), embedded registry"
		var fresh [][]any
		for _, ro := range orgs {
			from, err := optDate(ro.ValidFrom)
			if err != nil {
				return fmt.Errorf("registry %s %s: %w", ro.Kind, ro.Code, err)
			}
			to, err := optDate(ro.ValidTo)
			if err != nil {
				return fmt.Errorf("registry %s %s: %w", ro.Kind, ro.Code, err)
			}
			if id, ok := ids[key(ro.Kind, ro.Code, from)]; ok {
				if _, err := tx.ExecContext(ctx, `UPDATE organisations SET name_nb = $1, valid_to = $2 WHERE id = $3`,
					ro.Name, to, id); err != nil {
					return err
				}
				continue
			}
			fresh = append(fresh, []any{ro.Kind, ro.Code, ro.Name, from, to, source})
		}
		if err := insertBatch(ctx, tx, `INSERT INTO organisations (kind, code, name_nb, valid_from, valid_to, source) VALUES `, fresh); err != nil {
			return fmt.Errorf("registry: %w", err)
		}
		reg, err := registryFrom(ctx, tx)
		if err != nil {
			return err
		}
		known := map[[2]int64]bool{}
		old, err := loadChanges(ctx, tx)
		if err != nil {
			return err
		}
		for _, c := range old {
			known[[2]int64{c.From.ID, c.To.ID}] = true
		}
		var rows [][]any
		for _, c := range changes {
			d, err := samrad.ParseDate(c.Date)
			if err != nil {
				return fmt.Errorf("registry change %s→%s: %w", c.OldCode, c.NewCode, err)
			}
			from, ok1 := reg.AtDate(c.OldCode, d.AddDays(-1))
			to, ok2 := reg.AtDate(c.NewCode, d)
			if !ok1 || !ok2 || string(from.Kind) != c.Kind || string(to.Kind) != c.Kind {
				return fmt.Errorf("registry change %s→%s on %s: no such organisations", c.OldCode, c.NewCode, c.Date)
			}
			if known[[2]int64{from.ID, to.ID}] {
				continue
			}
			known[[2]int64{from.ID, to.ID}] = true
			rows = append(rows, []any{c.Change, d, from.ID, to.ID, source})
		}
		if err := insertBatch(ctx, tx, `INSERT INTO org_changes (kind, change_date, from_org_id, to_org_id, source) VALUES `, rows); err != nil {
			return fmt.Errorf("registry changes: %w", err)
		}
		if err := bumpRegistry(ctx, tx); err != nil {
			return err
		}
		if err := reconcileMemberships(ctx, tx); err != nil {
			return err
		}
		if err := audit(ctx, tx, 0, "import", "registry", stamp, nil, map[string]int{"organisations": len(fresh), "changes": len(rows)}); err != nil {
			return err
		}
		return setMeta(ctx, tx, "embedded_registry", stamp)
	})
}

func optDate(s string) (samrad.Date, error) {
	if s == "" {
		return samrad.Date{}, nil
	}
	return samrad.ParseDate(s)
}

// bumpRegistry marks the registry as changed so that every instance reloads it.
func bumpRegistry(ctx context.Context, tx *sql.Tx) error {
	return renew(ctx, tx, stampRegistry)
}

func loadOrgs(ctx context.Context, q queryer) ([]samrad.Organisation, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+orgColumns+` FROM organisations ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.Organisation
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

func loadChanges(ctx context.Context, q queryer) ([]samrad.Change, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, kind, change_date, from_org_id, to_org_id, source FROM org_changes ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.Change
	for rows.Next() {
		var c samrad.Change
		var kind string
		if err := rows.Scan(&c.ID, &kind, &c.Date, &c.From.ID, &c.To.ID, &c.Source); err != nil {
			return nil, err
		}
		c.Kind = samrad.ChangeKind(kind)
		out = append(out, c)
	}
	return out, rows.Err()
}

func registryFrom(ctx context.Context, q queryer) (*samrad.Registry, error) {
	orgs, err := loadOrgs(ctx, q)
	if err != nil {
		return nil, err
	}
	changes, err := loadChanges(ctx, q)
	if err != nil {
		return nil, err
	}
	return samrad.NewRegistry(orgs, changes)
}

// Registry returns the in-memory registry, reloading it when any instance
// has changed it since it was loaded (one small query per call).
func (db *DB) Registry(ctx context.Context) (*samrad.Registry, error) {
	st, err := db.readStamps(ctx)
	if err != nil {
		return nil, err
	}
	return db.registryAt(ctx, st)
}

func (db *DB) registryAt(ctx context.Context, st stamps) (*samrad.Registry, error) {
	stamp := st[stampRegistry]
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.reg != nil && db.regStamp == stamp {
		return db.reg, nil
	}
	reg, err := registryFrom(ctx, db.db)
	if err != nil {
		return nil, err
	}
	db.reg, db.regStamp = reg, stamp
	return reg, nil
}

// FindOrganisations returns every period of an organisation code (or key),
// oldest first; ENOTFOUND if there is none.
func (db *DB) FindOrganisations(ctx context.Context, code string) ([]samrad.Organisation, error) {
	reg, err := db.Registry(ctx)
	if err != nil {
		return nil, err
	}
	list := reg.ByCode(code)
	if len(list) == 0 {
		return nil, samrad.Errorf(samrad.ENOTFOUND, "no organisation with code %q", code)
	}
	return list, nil
}

// CreateOrganisation stores a new organisation (for kinds without an official
// registry, such as universities and regional councils).
func (db *DB) CreateOrganisation(ctx context.Context, o *samrad.Organisation) error {
	if err := o.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		id, err := createOrg(ctx, tx, *o, "")
		o.ID = id
		return err
	})
}

func createOrg(ctx context.Context, tx *sql.Tx, o samrad.Organisation, source string) (int64, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM organisations WHERE kind = $1 AND code = $2
		AND COALESCE(valid_to, '9999-12-31') >= $3 AND COALESCE(valid_from, '0001-01-01') <= $4`,
		o.Kind, o.Code, orMin(o.ValidFrom), orMax(o.ValidTo)).Scan(&n); err != nil {
		return 0, err
	}
	if n > 0 {
		return 0, samrad.Errorf(samrad.ECONFLICT, "an organisation %s %s already exists in that period", o.Kind, o.Code)
	}
	id, err := insertID(ctx, tx, `INSERT INTO organisations (kind, code, org_number, name_nb, name_en, valid_from, valid_to, note, source)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		o.Kind, o.Code, o.OrgNumber, o.NameNB, o.NameEN, o.ValidFrom, o.ValidTo, o.Note, source)
	if err != nil {
		return 0, err
	}
	o.ID = id
	if err := audit(ctx, tx, 0, "create", "organisation", id, nil, o); err != nil {
		return 0, err
	}
	return id, bumpRegistry(ctx, tx)
}

// KlassChange is one row of an SSB KLASS "changes" list.
type KlassChange struct {
	OldCode, OldName, NewCode, NewName string
	Occurred                           samrad.Date
}

// KlassReport says what an import of KLASS changes did.
type KlassReport struct {
	Applied, AlreadyKnown, NewOrganisations int
	Memberships                             []string // memberships carried or proposed
}

// ImportKlassChanges applies official code changes: the old organisation
// ends the day before, the new one is created if needed, and the change is
// classified (several old codes into one: merge; one into several: split;
// one into one: renumbering; same code: name change). Memberships are then
// carried through the changes. The whole list applies, or nothing does.
func (db *DB) ImportKlassChanges(ctx context.Context, file string, list []KlassChange) (KlassReport, error) {
	var rep KlassReport
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		rep = KlassReport{}
		reg, err := registryFrom(ctx, tx)
		if err != nil {
			return err
		}
		type pair struct{ from, to samrad.Organisation }
		byDate := map[string][]pair{}
		created := map[string]samrad.Organisation{}
		for i, c := range list {
			where := fmt.Sprintf("%s: codeChanges[%d]", file, i)
			kind, ok := samrad.KindForCode(c.OldCode)
			kind2, ok2 := samrad.KindForCode(c.NewCode)
			if !ok || !ok2 || kind != kind2 {
				return samrad.Errorf(samrad.EINVALID, "%s: codes %q and %q are not both municipality or county codes", where, c.OldCode, c.NewCode)
			}
			from, ok := reg.AtDate(c.OldCode, c.Occurred.AddDays(-1))
			if !ok {
				return samrad.Errorf(samrad.EINVALID, "%s: oldCode %s did not exist on %s", where, c.OldCode, c.Occurred.AddDays(-1))
			}
			to, ok := reg.AtDate(c.NewCode, c.Occurred)
			if c.NewCode == c.OldCode && to.ID == from.ID {
				ok = false // a name change starts a new period of the same code
			}
			if !ok {
				k := c.NewCode + "/" + c.Occurred.String()
				if o, seen := created[k]; seen {
					to = o
				} else {
					if c.NewName == "" {
						return samrad.Errorf(samrad.EINVALID, "%s: newName is required for the new code %s", where, c.NewCode)
					}
					to = samrad.Organisation{Kind: kind, Code: c.NewCode, NameNB: c.NewName, ValidFrom: c.Occurred}
					if err := endOrg(ctx, tx, from, c.Occurred); err != nil {
						return err
					}
					id, err := insertID(ctx, tx, `INSERT INTO organisations (kind, code, name_nb, valid_from, source)
						VALUES ($1, $2, $3, $4, $5)`, to.Kind, to.Code, to.NameNB, to.ValidFrom, "SSB KLASS: "+file)
					if err != nil {
						return fmt.Errorf("%s: %w", where, err)
					}
					to.ID = id
					created[k] = to
					rep.NewOrganisations++
				}
			}
			if c.NewCode != c.OldCode || from.ID != to.ID {
				if err := endOrg(ctx, tx, from, c.Occurred); err != nil {
					return fmt.Errorf("%s: %w", where, err)
				}
			}
			byDate[c.Occurred.String()] = append(byDate[c.Occurred.String()], pair{from, to})
		}
		dates := make([]string, 0, len(byDate))
		for d := range byDate {
			dates = append(dates, d)
		}
		sort.Strings(dates)
		for _, d := range dates {
			pairs := byDate[d]
			outs, ins := map[int64]int{}, map[int64]int{}
			for _, p := range pairs {
				outs[p.from.ID]++
				ins[p.to.ID]++
			}
			for _, p := range pairs {
				kind := samrad.ChangeRenumbering
				switch {
				case p.from.Code == p.to.Code:
					kind = samrad.ChangeNameChange
				case outs[p.from.ID] > 1:
					kind = samrad.ChangeSplit
				case ins[p.to.ID] > 1 || p.to.ValidFrom.Before(samrad.MustDate(d)): // absorbed into one that existed
					kind = samrad.ChangeMerge
				}
				res, err := tx.ExecContext(ctx, `INSERT INTO org_changes (kind, change_date, from_org_id, to_org_id, source)
					VALUES ($1, $2, $3, $4, $5) ON CONFLICT (from_org_id, to_org_id) DO NOTHING`,
					kind, samrad.MustDate(d), p.from.ID, p.to.ID, "SSB KLASS: "+file)
				if err != nil {
					return err
				}
				if n, _ := res.RowsAffected(); n == 0 {
					rep.AlreadyKnown++
				} else {
					rep.Applied++
				}
			}
		}
		if err := bumpRegistry(ctx, tx); err != nil {
			return err
		}
		if err := audit(ctx, tx, 0, "import", "klass_changes", file, nil, rep); err != nil {
			return err
		}
		return reconcileMemberships(ctx, tx)
	})
	return rep, err
}

// endOrg sets the last day of an organisation to the day before d, refusing
// to contradict an end already known.
func endOrg(ctx context.Context, tx *sql.Tx, o samrad.Organisation, d samrad.Date) error {
	last := d.AddDays(-1)
	if !o.ValidTo.IsZero() && !o.ValidTo.Equal(last) {
		return samrad.Errorf(samrad.ECONFLICT, "%s is known to end %s, not %s", o.Label("nb"), o.ValidTo, last)
	}
	_, err := tx.ExecContext(ctx, `UPDATE organisations SET valid_to = $1 WHERE id = $2`, last, o.ID)
	return err
}

func notFound(err error, format string, args ...any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return samrad.Errorf(samrad.ENOTFOUND, format, args...)
	}
	return err
}
