package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/callfile"
)

// stampFunding is renewed by every change of funding programmes, calls,
// applications and reminders, so that the public programme pages follow.
const stampFunding = "funding_stamp"

// optionalMoney is an optional amount as a query argument: NULL when unknown.
func optionalMoney(m *samrad.Money) any {
	if m == nil {
		return nil
	}
	return int64(*m)
}

// scannedMoney is an optional amount read from a nullable column.
func scannedMoney(n sql.NullInt64) *samrad.Money {
	if !n.Valid {
		return nil
	}
	m := samrad.Money(n.Int64)
	return &m
}

// ---------------------------------------------------------------- programmes

const programmeColumns = `id, alliance_id, slug, name_nb, name_en, funder, kind, description_nb, description_en, website, source`

func scanFundingProgramme(s interface{ Scan(...any) error }) (samrad.FundingProgramme, error) {
	var p samrad.FundingProgramme
	var kind string
	err := s.Scan(&p.ID, &p.AllianceID, &p.Slug, &p.NameNB, &p.NameEN, &p.Funder, &kind, &p.DescriptionNB, &p.DescriptionEN, &p.Website, &p.Source)
	p.Kind = samrad.FundingKind(kind)
	return p, err
}

// programmeSlugTaken refuses a slug another programme of the alliance has.
func programmeSlugTaken(ctx context.Context, tx *sql.Tx, p *samrad.FundingProgramme) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM funding_programmes WHERE alliance_id = $1 AND slug = $2 AND id <> $3`,
		p.AllianceID, p.Slug, p.ID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return &samrad.Error{Code: samrad.ECONFLICT, Field: "slug", Message: "the alliance already has a programme " + p.Slug}
	}
	return nil
}

// CreateFundingProgramme stores a programme an alliance follows.
func (db *DB) CreateFundingProgramme(ctx context.Context, p *samrad.FundingProgramme) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := programmeSlugTaken(ctx, tx, p); err != nil {
			return err
		}
		id, err := insertID(ctx, tx, `INSERT INTO funding_programmes (alliance_id, slug, name_nb, name_en, funder, kind, description_nb, description_en, website, source)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, p.AllianceID, p.Slug, p.NameNB, p.NameEN, p.Funder, string(p.Kind),
			p.DescriptionNB, p.DescriptionEN, p.Website, p.Source)
		if err != nil {
			return err
		}
		p.ID = id
		if err := renew(ctx, tx, stampFunding); err != nil {
			return err
		}
		return audit(ctx, tx, p.AllianceID, "create", "funding_programme", id, nil, p)
	})
}

// UpdateFundingProgramme changes a programme of the alliance.
func (db *DB) UpdateFundingProgramme(ctx context.Context, p *samrad.FundingProgramme) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		before, err := scanFundingProgramme(tx.QueryRowContext(ctx, `SELECT `+programmeColumns+` FROM funding_programmes WHERE id = $1`, p.ID))
		if err != nil || before.AllianceID != p.AllianceID {
			return samrad.Errorf(samrad.ENOTFOUND, "no programme %d", p.ID)
		}
		if err := programmeSlugTaken(ctx, tx, p); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE funding_programmes SET slug = $1, name_nb = $2, name_en = $3, funder = $4, kind = $5, description_nb = $6,
			description_en = $7, website = $8, source = $9 WHERE id = $10`, p.Slug, p.NameNB, p.NameEN, p.Funder, string(p.Kind), p.DescriptionNB,
			p.DescriptionEN, p.Website, p.Source, p.ID); err != nil {
			return err
		}
		if err := renew(ctx, tx, stampFunding); err != nil {
			return err
		}
		return audit(ctx, tx, p.AllianceID, "update", "funding_programme", p.ID, before, p)
	})
}

// FundingProgrammes lists an alliance's programmes by name.
func (db *DB) FundingProgrammes(ctx context.Context, allianceID int64) ([]samrad.FundingProgramme, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+programmeColumns+` FROM funding_programmes WHERE alliance_id = $1 ORDER BY name_nb, id`, allianceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.FundingProgramme
	for rows.Next() {
		p, err := scanFundingProgramme(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// FundingProgrammeBySlug returns one of an alliance's programmes.
func (db *DB) FundingProgrammeBySlug(ctx context.Context, allianceID int64, slug string) (samrad.FundingProgramme, error) {
	p, err := scanFundingProgramme(db.db.QueryRowContext(ctx, `SELECT `+programmeColumns+` FROM funding_programmes WHERE alliance_id = $1 AND slug = $2`,
		allianceID, slug))
	return p, notFound(err, "no programme %s", slug)
}

// --------------------------------------------------------------------- calls

const callColumns = `c.id, c.programme_id, c.code, c.title, c.opens, c.deadline, c.budget, c.url, c.note`

func scanFundingCall(s interface{ Scan(...any) error }) (samrad.FundingCall, error) {
	var c samrad.FundingCall
	var deadline timestamp
	var budget sql.NullInt64
	err := s.Scan(&c.ID, &c.ProgrammeID, &c.Code, &c.Title, &c.Opens, &deadline, &budget, &c.URL, &c.Note)
	c.Deadline, c.Budget = deadline.t, scannedMoney(budget)
	return c, err
}

func queryCalls(ctx context.Context, q queryer, query string, args ...any) ([]samrad.FundingCall, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.FundingCall
	for rows.Next() {
		c, err := scanFundingCall(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// programmeOf checks that a programme is the alliance's.
func programmeOf(ctx context.Context, q queryer, allianceID, programmeID int64) error {
	var a int64
	if err := q.QueryRowContext(ctx, `SELECT alliance_id FROM funding_programmes WHERE id = $1`, programmeID).Scan(&a); err != nil || a != allianceID {
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		return samrad.FieldErrorf("programme", "programme %d is not one of the alliance's", programmeID)
	}
	return nil
}

// saveCall inserts a call (ID 0) or updates one, refusing a code the
// programme has for another call.
func saveCall(ctx context.Context, tx *sql.Tx, allianceID int64, c *samrad.FundingCall) error {
	var other int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM funding_calls WHERE programme_id = $1 AND code = $2 AND id <> $3`, c.ProgrammeID, c.Code, c.ID).Scan(&other)
	if err == nil {
		return &samrad.Error{Code: samrad.ECONFLICT, Field: "code", Message: "the programme already has a call " + c.Code}
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if c.ID == 0 {
		id, err := insertID(ctx, tx, `INSERT INTO funding_calls (programme_id, code, title, opens, deadline, budget, url, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			c.ProgrammeID, c.Code, c.Title, c.Opens, timeArg(c.Deadline), optionalMoney(c.Budget), c.URL, c.Note)
		if err != nil {
			return err
		}
		c.ID = id
		return audit(ctx, tx, allianceID, "create", "funding_call", id, nil, c)
	}
	before, err := scanFundingCall(tx.QueryRowContext(ctx, `SELECT `+callColumns+` FROM funding_calls c WHERE c.id = $1`, c.ID))
	if err != nil || before.ProgrammeID != c.ProgrammeID {
		return samrad.Errorf(samrad.ENOTFOUND, "no call %d in the programme", c.ID)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE funding_calls SET code = $1, title = $2, opens = $3, deadline = $4, budget = $5, url = $6, note = $7 WHERE id = $8`,
		c.Code, c.Title, c.Opens, timeArg(c.Deadline), optionalMoney(c.Budget), c.URL, c.Note, c.ID); err != nil {
		return err
	}
	return audit(ctx, tx, allianceID, "update", "funding_call", c.ID, before, c)
}

// SaveFundingCall creates a call (ID 0) of one of the alliance's
// programmes, or changes one.
func (db *DB) SaveFundingCall(ctx context.Context, allianceID int64, c *samrad.FundingCall) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := programmeOf(ctx, tx, allianceID, c.ProgrammeID); err != nil {
			return err
		}
		if err := saveCall(ctx, tx, allianceID, c); err != nil {
			return err
		}
		return renew(ctx, tx, stampFunding)
	})
}

// FundingCall returns a call of one of the alliance's programmes.
func (db *DB) FundingCall(ctx context.Context, allianceID, id int64) (samrad.FundingCall, error) {
	c, err := scanFundingCall(db.db.QueryRowContext(ctx, `SELECT `+callColumns+` FROM funding_calls c
		JOIN funding_programmes p ON p.id = c.programme_id WHERE c.id = $1 AND p.alliance_id = $2`, id, allianceID))
	return c, notFound(err, "no call %d", id)
}

// FundingCalls lists a programme's calls, the latest deadline first.
func (db *DB) FundingCalls(ctx context.Context, programmeID int64) ([]samrad.FundingCall, error) {
	return queryCalls(ctx, db.db, `SELECT `+callColumns+` FROM funding_calls c WHERE c.programme_id = $1 ORDER BY c.deadline DESC, c.id`, programmeID)
}

// AllianceCalls lists the calls of all an alliance's programmes, by
// programme and deadline.
func (db *DB) AllianceCalls(ctx context.Context, allianceID int64) ([]samrad.FundingCall, error) {
	return queryCalls(ctx, db.db, `SELECT `+callColumns+` FROM funding_calls c JOIN funding_programmes p ON p.id = c.programme_id
		WHERE p.alliance_id = $1 ORDER BY p.name_nb, c.deadline, c.id`, allianceID)
}

// OpenCalls lists the calls of an alliance's programmes whose deadline is
// after now, the nearest first.
func (db *DB) OpenCalls(ctx context.Context, allianceID int64, now time.Time) ([]samrad.FundingCall, error) {
	return queryCalls(ctx, db.db, `SELECT `+callColumns+` FROM funding_calls c JOIN funding_programmes p ON p.id = c.programme_id
		WHERE p.alliance_id = $1 AND c.deadline > $2 ORDER BY c.deadline, c.id`, allianceID, timeArg(now))
}

// CallImport is what an import of calls did.
type CallImport struct {
	Inserted, Updated int
}

// ImportCalls reads a call file (CSV or JSON, see package callfile) and
// applies it in one transaction: a call new to its programme is inserted,
// one whose programme and code exist is updated. Any bad line (including
// a programme the alliance does not have) leaves everything as it was; the
// error is a *callfile.Error naming the line.
func (db *DB) ImportCalls(ctx context.Context, allianceID int64, file string, data []byte) (CallImport, error) {
	var res CallImport
	rows, err := callfile.Parse(bytes.NewReader(data), file)
	if err != nil {
		return res, err
	}
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		programmes := map[string]int64{}
		prow, err := tx.QueryContext(ctx, `SELECT slug, id FROM funding_programmes WHERE alliance_id = $1`, allianceID)
		if err != nil {
			return err
		}
		for prow.Next() {
			var slug string
			var id int64
			if err := prow.Scan(&slug, &id); err != nil {
				prow.Close()
				return err
			}
			programmes[slug] = id
		}
		prow.Close()
		if err := prow.Err(); err != nil {
			return err
		}
		for _, r := range rows {
			pid, ok := programmes[r.Programme]
			if !ok {
				return &callfile.Error{File: file, Line: r.Line, Column: "programme", Reason: callfile.ReasonProgramme, Value: r.Programme}
			}
			c := r.Call
			c.ProgrammeID = pid
			err := tx.QueryRowContext(ctx, `SELECT id FROM funding_calls WHERE programme_id = $1 AND code = $2`, pid, c.Code).Scan(&c.ID)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			if c.ID == 0 {
				res.Inserted++
			} else {
				res.Updated++
			}
			if err := saveCall(ctx, tx, allianceID, &c); err != nil {
				if samrad.ErrorCode(err) == samrad.EINTERNAL {
					return err
				}
				return &callfile.Error{File: file, Line: r.Line, Reason: callfile.ReasonInvalid, Value: samrad.ErrorMessage(err)}
			}
		}
		if err := renew(ctx, tx, stampFunding); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "import", "funding_calls", file, nil, res)
	})
	if err != nil {
		return CallImport{}, err
	}
	return res, nil
}

// -------------------------------------------------------------- applications

const applicationColumns = `id, alliance_id, programme_id, COALESCE(call_id, 0), applicant_org_id, COALESCE(project_id, 0), title, status, deadline,
	amount_sought, amount_granted, grant_note, outcome, submitted_on, decided_on, source, created_at, updated_at`

func scanApplication(s interface{ Scan(...any) error }) (samrad.Application, error) {
	var a samrad.Application
	var status string
	var deadline, created, updated timestamp
	var sought, granted sql.NullInt64
	err := s.Scan(&a.ID, &a.AllianceID, &a.ProgrammeID, &a.CallID, &a.ApplicantOrgID, &a.ProjectID, &a.Title, &status, &deadline,
		&sought, &granted, &a.GrantNote, &a.Outcome, &a.SubmittedOn, &a.DecidedOn, &a.Source, &created, &updated)
	a.Status, a.Deadline, a.CreatedAt, a.UpdatedAt = samrad.ApplicationStatus(status), deadline.t, created.t, updated.t
	a.AmountSought, a.AmountGranted = scannedMoney(sought), scannedMoney(granted)
	return a, err
}

// checkApplicationRefs checks that what an application names belongs to
// the alliance: the programme, the call (of that programme), the project,
// and that the applicant and the partners exist.
func checkApplicationRefs(ctx context.Context, tx *sql.Tx, a *samrad.Application) error {
	if err := programmeOf(ctx, tx, a.AllianceID, a.ProgrammeID); err != nil {
		return err
	}
	if a.CallID != 0 {
		var p int64
		if err := tx.QueryRowContext(ctx, `SELECT programme_id FROM funding_calls WHERE id = $1`, a.CallID).Scan(&p); err != nil || p != a.ProgrammeID {
			return samrad.FieldErrorf("call", "call %d is not a call of the programme", a.CallID)
		}
	}
	if a.ProjectID != 0 {
		var al int64
		if err := tx.QueryRowContext(ctx, `SELECT alliance_id FROM projects WHERE id = $1`, a.ProjectID).Scan(&al); err != nil || al != a.AllianceID {
			return samrad.FieldErrorf("project", "project %d is not one of the alliance's", a.ProjectID)
		}
	}
	if err := applicationOrg(ctx, tx, "applicant", a.ApplicantOrgID); err != nil {
		return err
	}
	for _, p := range a.Partners {
		if err := applicationOrg(ctx, tx, "partners", p.OrgID); err != nil {
			return err
		}
	}
	return nil
}

func applicationOrg(ctx context.Context, tx *sql.Tx, field string, id int64) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM organisations WHERE id = $1`, id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return samrad.FieldErrorf(field, "no organisation %d", id)
	}
	return nil
}

func writePartners(ctx context.Context, tx *sql.Tx, a *samrad.Application) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM application_partners WHERE application_id = $1`, a.ID); err != nil {
		return err
	}
	rows := make([][]any, len(a.Partners))
	for i, p := range a.Partners {
		rows[i] = []any{a.ID, p.OrgID, p.Role}
	}
	return insertBatch(ctx, tx, `INSERT INTO application_partners (application_id, org_id, role) VALUES `, rows)
}

// applicationArgs are the values of the columns after alliance_id, in the
// order of the INSERT and UPDATE below.
func applicationArgs(a *samrad.Application) []any {
	return []any{a.ProgrammeID, nullID(a.CallID), a.ApplicantOrgID, nullID(a.ProjectID), a.Title, string(a.Status), timeArg(a.Deadline),
		optionalMoney(a.AmountSought), optionalMoney(a.AmountGranted), a.GrantNote, a.Outcome, a.SubmittedOn, a.DecidedOn, a.Source}
}

// CreateApplication stores an application with its partners.
func (db *DB) CreateApplication(ctx context.Context, a *samrad.Application) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkApplicationRefs(ctx, tx, a); err != nil {
			return err
		}
		at := time.Now().UTC().Truncate(time.Second)
		id, err := insertID(ctx, tx, `INSERT INTO applications (alliance_id, programme_id, call_id, applicant_org_id, project_id, title, status, deadline,
			amount_sought, amount_granted, grant_note, outcome, submitted_on, decided_on, source, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)`,
			append(append([]any{a.AllianceID}, applicationArgs(a)...), at.Format(time.RFC3339))...)
		if err != nil {
			return err
		}
		a.ID, a.CreatedAt, a.UpdatedAt = id, at, at
		if err := writePartners(ctx, tx, a); err != nil {
			return err
		}
		if err := renew(ctx, tx, stampFunding); err != nil {
			return err
		}
		return audit(ctx, tx, a.AllianceID, "create", "application", id, nil, a)
	})
}

// UpdateApplication changes an application, its partners included (the
// list given replaces the stored one).
func (db *DB) UpdateApplication(ctx context.Context, a *samrad.Application) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		before, err := applicationIn(ctx, tx, a.AllianceID, a.ID)
		if err != nil {
			return err
		}
		if err := checkApplicationRefs(ctx, tx, a); err != nil {
			return err
		}
		a.CreatedAt, a.UpdatedAt = before.CreatedAt, time.Now().UTC().Truncate(time.Second)
		if _, err := tx.ExecContext(ctx, `UPDATE applications SET programme_id = $1, call_id = $2, applicant_org_id = $3, project_id = $4, title = $5,
			status = $6, deadline = $7, amount_sought = $8, amount_granted = $9, grant_note = $10, outcome = $11, submitted_on = $12, decided_on = $13,
			source = $14, updated_at = $15 WHERE id = $16`, append(applicationArgs(a), a.UpdatedAt.Format(time.RFC3339), a.ID)...); err != nil {
			return err
		}
		if err := writePartners(ctx, tx, a); err != nil {
			return err
		}
		if err := renew(ctx, tx, stampFunding); err != nil {
			return err
		}
		return audit(ctx, tx, a.AllianceID, "update", "application", a.ID, before, a)
	})
}

// applicationIn reads an application of the alliance with its partners.
func applicationIn(ctx context.Context, q queryer, allianceID, id int64) (samrad.Application, error) {
	a, err := scanApplication(q.QueryRowContext(ctx, `SELECT `+applicationColumns+` FROM applications WHERE id = $1`, id))
	if err == nil && a.AllianceID != allianceID {
		err = sql.ErrNoRows
	}
	if err != nil {
		return a, notFound(err, "no application %d", id)
	}
	rows, err := q.QueryContext(ctx, `SELECT ap.org_id, ap.role FROM application_partners ap JOIN organisations o ON o.id = ap.org_id
		WHERE ap.application_id = $1 ORDER BY o.name_nb, ap.org_id`, id)
	if err != nil {
		return a, err
	}
	defer rows.Close()
	for rows.Next() {
		var p samrad.ApplicationPartner
		if err := rows.Scan(&p.OrgID, &p.Role); err != nil {
			return a, err
		}
		a.Partners = append(a.Partners, p)
	}
	return a, rows.Err()
}

// Application returns one of an alliance's applications with its partners.
func (db *DB) Application(ctx context.Context, allianceID, id int64) (samrad.Application, error) {
	return applicationIn(ctx, db.db, allianceID, id)
}

// Applications lists an alliance's applications without their partners,
// the latest changed first.
func (db *DB) Applications(ctx context.Context, allianceID int64) ([]samrad.Application, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+applicationColumns+` FROM applications WHERE alliance_id = $1 ORDER BY updated_at DESC, id DESC`, allianceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.Application
	for rows.Next() {
		a, err := scanApplication(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// AddApplicationPartner adds an organisation to an application's
// partners; one that is a partner already, or the applicant, is refused.
func (db *DB) AddApplicationPartner(ctx context.Context, allianceID, applicationID int64, p samrad.ApplicationPartner) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		a, err := applicationIn(ctx, tx, allianceID, applicationID)
		if err != nil {
			return err
		}
		a.Partners = append(a.Partners, p)
		if err := a.Validate(); err != nil {
			return err
		}
		if err := applicationOrg(ctx, tx, "partners", p.OrgID); err != nil {
			return err
		}
		p = a.Partners[len(a.Partners)-1]
		if _, err := tx.ExecContext(ctx, `INSERT INTO application_partners (application_id, org_id, role) VALUES ($1, $2, $3)`, applicationID, p.OrgID, p.Role); err != nil {
			return err
		}
		if err := renew(ctx, tx, stampFunding); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "create", "application_partner", applicationID, nil, p)
	})
}

// RemoveApplicationPartner takes an organisation off an application's partners.
func (db *DB) RemoveApplicationPartner(ctx context.Context, allianceID, applicationID, orgID int64) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := applicationIn(ctx, tx, allianceID, applicationID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM application_partners WHERE application_id = $1 AND org_id = $2`, applicationID, orgID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return samrad.FieldErrorf("org", "organisation %d is not a partner of the application", orgID)
		}
		if err := renew(ctx, tx, stampFunding); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "delete", "application_partner", applicationID, map[string]int64{"org_id": orgID}, nil)
	})
}

// ProjectChoice names one of an alliance's projects, for linking an
// application to it.
type ProjectChoice struct {
	ID             int64
	NameNB, NameEN string
}

// Name returns the project's name in lang.
func (p ProjectChoice) Name(lang string) string {
	if lang == "en" && p.NameEN != "" {
		return p.NameEN
	}
	return p.NameNB
}

// ApplicationProjects lists the alliance's projects an application may
// belong to, by name.
func (db *DB) ApplicationProjects(ctx context.Context, allianceID int64) ([]ProjectChoice, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id, name_nb, name_en FROM projects WHERE alliance_id = $1 ORDER BY name_nb, id`, allianceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ProjectChoice
	for rows.Next() {
		var p ProjectChoice
		if err := rows.Scan(&p.ID, &p.NameNB, &p.NameEN); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// ------------------------------------------------------ pipeline and success

// PipelineColumn is the applications of one status, with their count and
// the sums of the amounts sought and granted (unknown amounts count as 0).
type PipelineColumn struct {
	Status       samrad.ApplicationStatus
	Count        int
	Sought       samrad.Money
	Granted      samrad.Money
	Applications []samrad.Application
}

// Pipeline returns an alliance's applications by status, one column per
// status in the order of samrad.ApplicationStatuses, in two queries.
func (db *DB) Pipeline(ctx context.Context, allianceID int64) ([]PipelineColumn, error) {
	cols := make([]PipelineColumn, len(samrad.ApplicationStatuses))
	at := map[samrad.ApplicationStatus]int{}
	for i, s := range samrad.ApplicationStatuses {
		cols[i].Status, at[s] = s, i
	}
	rows, err := db.db.QueryContext(ctx, `SELECT status, COUNT(*), COALESCE(SUM(amount_sought), 0), COALESCE(SUM(amount_granted), 0)
		FROM applications WHERE alliance_id = $1 GROUP BY status`, allianceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		var n int
		var sought, granted int64
		if err := rows.Scan(&s, &n, &sought, &granted); err != nil {
			return nil, err
		}
		if i, ok := at[samrad.ApplicationStatus(s)]; ok {
			cols[i].Count, cols[i].Sought, cols[i].Granted = n, samrad.Money(sought), samrad.Money(granted)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	apps, err := db.Applications(ctx, allianceID)
	if err != nil {
		return nil, err
	}
	for _, a := range apps {
		if i, ok := at[a.Status]; ok {
			cols[i].Applications = append(cols[i].Applications, a)
		}
	}
	return cols, nil
}

// SuccessRate is how applications to a programme, or by an applicant,
// have fared: the success rate is granted / (granted + rejected), counted
// in applications; withdrawn and undecided ones do not count.
type SuccessRate struct {
	ID            int64 // the programme or the applicant organisation; 0 for the whole alliance
	Applications  int   // all, whatever their status
	Granted       int
	Rejected      int
	SoughtDecided samrad.Money // sought by those granted or rejected
	AmountGranted samrad.Money
	Permille      int // the success rate in ‰, rounded; -1 when none is decided
}

// Decided is the number of applications granted or rejected.
func (r SuccessRate) Decided() int { return r.Granted + r.Rejected }

// HasRate reports whether any application is decided.
func (r SuccessRate) HasRate() bool { return r.Permille >= 0 }

// successGroups are the groupings SuccessRates computes; constants, never input.
var successGroups = [...]string{"programme_id", "applicant_org_id", "alliance_id"}

// SuccessRates returns an alliance's success rates per programme, per
// applicant and in all, each computed by one GROUP BY query with integer
// arithmetic that both engines do alike.
func (db *DB) SuccessRates(ctx context.Context, allianceID int64) (byProgramme, byApplicant []SuccessRate, total SuccessRate, err error) {
	var out [3][]SuccessRate
	for i, group := range successGroups {
		rows, err := db.db.QueryContext(ctx, `SELECT `+group+`, COUNT(*),
			SUM(CASE WHEN status = 'granted' THEN 1 ELSE 0 END),
			SUM(CASE WHEN status = 'rejected' THEN 1 ELSE 0 END),
			COALESCE(SUM(CASE WHEN status IN ('granted', 'rejected') THEN amount_sought END), 0),
			COALESCE(SUM(CASE WHEN status = 'granted' THEN amount_granted END), 0),
			CASE WHEN SUM(CASE WHEN status IN ('granted', 'rejected') THEN 1 ELSE 0 END) = 0 THEN -1
				ELSE (2000 * SUM(CASE WHEN status = 'granted' THEN 1 ELSE 0 END) + SUM(CASE WHEN status IN ('granted', 'rejected') THEN 1 ELSE 0 END))
					/ (2 * SUM(CASE WHEN status IN ('granted', 'rejected') THEN 1 ELSE 0 END)) END
			FROM applications WHERE alliance_id = $1 GROUP BY `+group+` ORDER BY `+group, allianceID)
		if err != nil {
			return nil, nil, total, err
		}
		for rows.Next() {
			var r SuccessRate
			var sought, granted int64
			if err := rows.Scan(&r.ID, &r.Applications, &r.Granted, &r.Rejected, &sought, &granted, &r.Permille); err != nil {
				rows.Close()
				return nil, nil, total, err
			}
			r.SoughtDecided, r.AmountGranted = samrad.Money(sought), samrad.Money(granted)
			out[i] = append(out[i], r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, total, err
		}
	}
	total = SuccessRate{Permille: -1}
	if len(out[2]) == 1 {
		total = out[2][0]
		total.ID = 0
	}
	return out[0], out[1], total, nil
}

// Percent is the success rate in per cent with one decimal, written as
// lang writes numbers ("33,3" or "33.3"); "" when none is decided.
func (r SuccessRate) Percent(lang string) string {
	if r.Permille < 0 {
		return ""
	}
	s := fmt.Sprintf("%d.%d", r.Permille/10, r.Permille%10)
	if lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}
