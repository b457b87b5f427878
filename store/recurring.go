package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"github.com/samrad/samrad"
)

// stampRecurring is renewed by every change of recurring programmes, their
// partners, years and totals.
const stampRecurring = "recurring_stamp"

const recurringColumns = `r.id, r.alliance_id, r.slug, r.kind, r.name_nb, r.name_en, r.description_nb, r.description_en,
	COALESCE(r.age_min, 0), COALESCE(r.age_max, 0), COALESCE(r.gatherings_per_year, 0), r.gatherings_note, COALESCE(r.leader_person_id, 0),
	COALESCE(p.name, ''), COALESCE(p.title, ''), r.leader_role, COALESCE(r.first_year, 0), r.published, r.source
	FROM recurring_programmes r LEFT JOIN people p ON p.id = r.leader_person_id`

func scanRecurring(s interface{ Scan(...any) error }) (samrad.RecurringProgramme, error) {
	var r samrad.RecurringProgramme
	var kind string
	err := s.Scan(&r.ID, &r.AllianceID, &r.Slug, &kind, &r.NameNB, &r.NameEN, &r.DescriptionNB, &r.DescriptionEN,
		&r.AgeMin, &r.AgeMax, &r.GatheringsPerYear, &r.GatheringsNote, &r.Leader.ID, &r.Leader.Name, &r.Leader.Title,
		&r.LeaderRole, &r.FirstYear, &r.Published, &r.Source)
	r.Kind = samrad.RecurringKind(kind)
	return r, err
}

// recurringArgs are the values of a programme's columns after alliance_id.
func recurringArgs(r *samrad.RecurringProgramme) []any {
	return []any{r.Slug, string(r.Kind), r.NameNB, r.NameEN, r.DescriptionNB, r.DescriptionEN, nullCount(r.AgeMin), nullCount(r.AgeMax),
		nullCount(r.GatheringsPerYear), r.GatheringsNote, nullID(r.Leader.ID), r.LeaderRole, nullCount(r.FirstYear), r.Published, r.Source}
}

// checkRecurring stores a new leader, and checks that the slug is free in
// the alliance.
func checkRecurring(ctx context.Context, tx *sql.Tx, r *samrad.RecurringProgramme) error {
	var taken int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM recurring_programmes WHERE alliance_id = $1 AND slug = $2 AND id <> $3`,
		r.AllianceID, r.Slug, r.ID).Scan(&taken); err != nil {
		return err
	}
	if taken > 0 {
		return &samrad.Error{Code: samrad.ECONFLICT, Field: "slug", Message: "the alliance already has a programme " + r.Slug}
	}
	return netPerson(ctx, tx, &r.Leader, r.LeaderRole, "leader")
}

// CreateRecurring stores a new recurring programme. A leader without an ID
// is a new person, stored in the same transaction.
func (db *DB) CreateRecurring(ctx context.Context, r *samrad.RecurringProgramme) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		r.ID = 0
		if err := checkRecurring(ctx, tx, r); err != nil {
			return err
		}
		id, err := insertID(ctx, tx, `INSERT INTO recurring_programmes (alliance_id, slug, kind, name_nb, name_en, description_nb, description_en,
			age_min, age_max, gatherings_per_year, gatherings_note, leader_person_id, leader_role, first_year, published, source)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`, append([]any{r.AllianceID}, recurringArgs(r)...)...)
		if err != nil {
			return err
		}
		r.ID = id
		if err := renew(ctx, tx, stampRecurring); err != nil {
			return err
		}
		return audit(ctx, tx, r.AllianceID, "create", "recurring_programme", id, nil, r)
	})
}

// UpdateRecurring changes a programme's own fields (not its partners,
// years or totals).
func (db *DB) UpdateRecurring(ctx context.Context, r *samrad.RecurringProgramme) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		before, err := scanRecurring(tx.QueryRowContext(ctx, `SELECT `+recurringColumns+` WHERE r.id = $1`, r.ID))
		if err != nil || before.AllianceID != r.AllianceID {
			return samrad.Errorf(samrad.ENOTFOUND, "no programme %d", r.ID)
		}
		if err := checkRecurring(ctx, tx, r); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE recurring_programmes SET slug = $1, kind = $2, name_nb = $3, name_en = $4, description_nb = $5,
			description_en = $6, age_min = $7, age_max = $8, gatherings_per_year = $9, gatherings_note = $10, leader_person_id = $11,
			leader_role = $12, first_year = $13, published = $14, source = $15 WHERE id = $16`, append(recurringArgs(r), r.ID)...); err != nil {
			return err
		}
		if err := renew(ctx, tx, stampRecurring); err != nil {
			return err
		}
		return audit(ctx, tx, r.AllianceID, "update", "recurring_programme", r.ID, before, r)
	})
}

// RecurringProgrammes lists an alliance's recurring programmes by name,
// with their totals; unpublished ones only if all is set.
func (db *DB) RecurringProgrammes(ctx context.Context, allianceID int64, all bool) ([]samrad.RecurringProgramme, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+recurringColumns+` WHERE r.alliance_id = $1 AND (r.published = $2 OR $3)`, allianceID, true, all)
	if err != nil {
		return nil, err
	}
	var out []samrad.RecurringProgramme
	for rows.Next() {
		r, err := scanRecurring(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool { return strings.ToLower(out[i].NameNB) < strings.ToLower(out[j].NameNB) })
	if len(out) == 0 {
		return out, nil
	}
	totals, err := recurringTotals(ctx, db.db, `JOIN recurring_programmes r ON r.id = t.programme_id WHERE r.alliance_id = $1`, allianceID)
	if err != nil {
		return nil, err
	}
	at := map[int64]int{}
	for i, r := range out {
		at[r.ID] = i
	}
	for _, t := range totals {
		if i, ok := at[t.ProgrammeID]; ok {
			out[i].Totals = append(out[i].Totals, t)
		}
	}
	return out, nil
}

// RecurringProgramme returns an alliance's programme, published or not,
// with its partners, years (with their hosts) and totals: four queries.
func (db *DB) RecurringProgramme(ctx context.Context, allianceID int64, slug string) (samrad.RecurringProgramme, error) {
	r, err := scanRecurring(db.db.QueryRowContext(ctx, `SELECT `+recurringColumns+` WHERE r.alliance_id = $1 AND r.slug = $2`, allianceID, slug))
	if err != nil {
		return r, notFound(err, "no programme %q", slug)
	}
	if r.Partners, err = recurringPartners(ctx, db.db, r.ID); err != nil {
		return r, err
	}
	if r.Years, err = recurringYears(ctx, db.db, r.ID); err != nil {
		return r, err
	}
	r.Totals, err = recurringTotals(ctx, db.db, `WHERE t.programme_id = $1`, r.ID)
	return r, err
}

func recurringPartners(ctx context.Context, q queryer, programmeID int64) ([]samrad.RecurringPartner, error) {
	rows, err := q.QueryContext(ctx, `SELECT rp.programme_id, o.id, o.kind, o.code, o.name_nb, o.name_en, rp.role
		FROM recurring_partners rp JOIN organisations o ON o.id = rp.org_id WHERE rp.programme_id = $1 ORDER BY o.id`, programmeID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.RecurringPartner
	for rows.Next() {
		var p samrad.RecurringPartner
		var kind string
		if err := rows.Scan(&p.ProgrammeID, &p.Org.ID, &kind, &p.Org.Code, &p.Org.NameNB, &p.Org.NameEN, &p.Role); err != nil {
			return nil, err
		}
		p.Org.Kind = samrad.OrgKind(kind)
		out = append(out, p)
	}
	sort.SliceStable(out, func(i, j int) bool { return strings.ToLower(out[i].Org.NameNB) < strings.ToLower(out[j].Org.NameNB) })
	return out, rows.Err()
}

func recurringYears(ctx context.Context, q queryer, programmeID int64) ([]samrad.RecurringYear, error) {
	rows, err := q.QueryContext(ctx, `SELECT y.programme_id, y.year, COALESCE(o.id, 0), COALESCE(o.kind, ''), COALESCE(o.code, ''),
		COALESCE(o.name_nb, ''), COALESCE(o.name_en, ''), COALESCE(y.participants, 0), COALESCE(y.visits, 0), y.note
		FROM recurring_years y LEFT JOIN organisations o ON o.id = y.host_org_id WHERE y.programme_id = $1 ORDER BY y.year`, programmeID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.RecurringYear
	for rows.Next() {
		var y samrad.RecurringYear
		var kind string
		if err := rows.Scan(&y.ProgrammeID, &y.Year, &y.Host.ID, &kind, &y.Host.Code, &y.Host.NameNB, &y.Host.NameEN, &y.Participants, &y.Visits, &y.Note); err != nil {
			return nil, err
		}
		y.Host.Kind = samrad.OrgKind(kind)
		out = append(out, y)
	}
	return out, rows.Err()
}

func recurringTotals(ctx context.Context, q queryer, where string, args ...any) ([]samrad.RecurringTotal, error) {
	rows, err := q.QueryContext(ctx, `SELECT t.id, t.programme_id, t.first_year, t.last_year, t.measure, t.value, t.source
		FROM recurring_totals t `+where+` ORDER BY t.programme_id, t.first_year, t.last_year, t.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.RecurringTotal
	for rows.Next() {
		var t samrad.RecurringTotal
		if err := rows.Scan(&t.ID, &t.ProgrammeID, &t.FirstYear, &t.LastYear, &t.Measure, &t.Value, &t.Source); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// recurringOf checks that a programme is the alliance's and returns its
// first year (0 if not known).
func recurringOf(ctx context.Context, tx *sql.Tx, allianceID, programmeID int64) (int, error) {
	var a int64
	var first sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT alliance_id, first_year FROM recurring_programmes WHERE id = $1`, programmeID).Scan(&a, &first)
	if err != nil || a != allianceID {
		return 0, samrad.Errorf(samrad.ENOTFOUND, "no programme %d", programmeID)
	}
	return int(first.Int64), nil
}

// AddRecurringPartner adds an organisation as a partner of a programme,
// once.
func (db *DB) AddRecurringPartner(ctx context.Context, allianceID int64, p *samrad.RecurringPartner) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := recurringOf(ctx, tx, allianceID, p.ProgrammeID); err != nil {
			return err
		}
		if err := netOrg(ctx, tx, &p.Org, "partner_org"); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM recurring_partners WHERE programme_id = $1 AND org_id = $2`, p.ProgrammeID, p.Org.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return &samrad.Error{Code: samrad.ECONFLICT, Field: "partner_org", Message: p.Org.NameNB + " is already a partner of the programme"}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO recurring_partners (programme_id, org_id, role) VALUES ($1, $2, $3)`, p.ProgrammeID, p.Org.ID, p.Role); err != nil {
			return err
		}
		if err := renew(ctx, tx, stampRecurring); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "create", "recurring_partner", fmt.Sprintf("%d/%d", p.ProgrammeID, p.Org.ID), nil, map[string]any{"role": p.Role})
	})
}

// SaveRecurringYear stores a year of a programme, or replaces what was
// stored for that year.
func (db *DB) SaveRecurringYear(ctx context.Context, allianceID int64, y *samrad.RecurringYear) error {
	if err := y.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		first, err := recurringOf(ctx, tx, allianceID, y.ProgrammeID)
		if err != nil {
			return err
		}
		if first != 0 && y.Year < first {
			return samrad.FieldErrorf("year", "the programme started in %d", first)
		}
		if y.Host.ID != 0 {
			if err := netOrg(ctx, tx, &y.Host, "host"); err != nil {
				return err
			}
		}
		var before []samrad.RecurringYear
		all, err := recurringYears(ctx, tx, y.ProgrammeID)
		if err != nil {
			return err
		}
		for _, x := range all {
			if x.Year == y.Year {
				before = append(before, x)
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO recurring_years (programme_id, year, host_org_id, participants, visits, note)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (programme_id, year) DO UPDATE SET host_org_id = excluded.host_org_id,
			participants = excluded.participants, visits = excluded.visits, note = excluded.note`,
			y.ProgrammeID, y.Year, nullID(y.Host.ID), nullCount(y.Participants), nullCount(y.Visits), y.Note); err != nil {
			return err
		}
		if err := renew(ctx, tx, stampRecurring); err != nil {
			return err
		}
		action, was := "create", any(nil)
		if len(before) > 0 {
			action, was = "update", before[0]
		}
		return audit(ctx, tx, allianceID, action, "recurring_year", fmt.Sprintf("%d/%d", y.ProgrammeID, y.Year), was, y)
	})
}

// AddRecurringTotal records a figure over a span of years. A programme has
// one total per span and measure.
func (db *DB) AddRecurringTotal(ctx context.Context, allianceID int64, t *samrad.RecurringTotal) error {
	if err := t.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := recurringOf(ctx, tx, allianceID, t.ProgrammeID); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM recurring_totals WHERE programme_id = $1 AND first_year = $2 AND last_year = $3 AND measure = $4`,
			t.ProgrammeID, t.FirstYear, t.LastYear, t.Measure).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return &samrad.Error{Code: samrad.ECONFLICT, Field: "measure",
				Message: fmt.Sprintf("the programme already has a total of %s for %d–%d", t.Measure, t.FirstYear, t.LastYear)}
		}
		id, err := insertID(ctx, tx, `INSERT INTO recurring_totals (programme_id, first_year, last_year, measure, value, source) VALUES ($1, $2, $3, $4, $5, $6)`,
			t.ProgrammeID, t.FirstYear, t.LastYear, t.Measure, t.Value, t.Source)
		if err != nil {
			return err
		}
		t.ID = id
		if err := renew(ctx, tx, stampRecurring); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "create", "recurring_total", id, nil, t)
	})
}
