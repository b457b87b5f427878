package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/samrad/samrad"
)

// timestamp scans TIMESTAMPTZ (PostgreSQL) and RFC 3339 TEXT (SQLite).
type timestamp struct{ t time.Time }

func (ts *timestamp) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		ts.t = time.Time{}
	case time.Time:
		ts.t = v
	case string:
		t, err := time.Parse(time.RFC3339, v)
		ts.t = t
		return err
	case []byte:
		t, err := time.Parse(time.RFC3339, string(v))
		ts.t = t
		return err
	default:
		return fmt.Errorf("cannot scan %T into a time", src)
	}
	return nil
}

func timeArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(time.RFC3339)
}

const bodyColumns = `id, alliance_id, slug, name_nb, name_en, kind, COALESCE(parent_id, 0), mandate, composition_rule, term, voting, meets, source`

func scanBody(s interface{ Scan(...any) error }) (samrad.Body, error) {
	var b samrad.Body
	var kind, voting string
	err := s.Scan(&b.ID, &b.AllianceID, &b.Slug, &b.NameNB, &b.NameEN, &kind, &b.ParentID, &b.Mandate, &b.CompositionRule, &b.Term, &voting, &b.Meets, &b.Source)
	b.Kind, b.Voting = samrad.BodyKind(kind), samrad.VotingRule(voting)
	return b, err
}

// CreateBody stores a body of an alliance.
func (db *DB) CreateBody(ctx context.Context, b *samrad.Body) error {
	if err := b.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM bodies WHERE alliance_id = $1 AND slug = $2`, b.AllianceID, b.Slug).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return samrad.Errorf(samrad.ECONFLICT, "the alliance already has a body %q", b.Slug)
		}
		var parent any
		if b.ParentID != 0 {
			var pa int64
			if err := tx.QueryRowContext(ctx, `SELECT alliance_id FROM bodies WHERE id = $1`, b.ParentID).Scan(&pa); err != nil || pa != b.AllianceID {
				return samrad.FieldErrorf("parent", "the parent body is not a body of the same alliance")
			}
			parent = b.ParentID
		}
		id, err := insertID(ctx, tx, `INSERT INTO bodies (alliance_id, slug, name_nb, name_en, kind, parent_id, mandate, composition_rule, term, voting, meets, source)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
			b.AllianceID, b.Slug, b.NameNB, b.NameEN, b.Kind, parent, b.Mandate, b.CompositionRule, b.Term, b.Voting, b.Meets, b.Source)
		if err != nil {
			return err
		}
		b.ID = id
		if err := renew(ctx, tx, stampGovernance); err != nil {
			return err
		}
		return audit(ctx, tx, b.AllianceID, "create", "body", id, nil, b)
	})
}

// Bodies lists an alliance's bodies, highest kinds first.
func (db *DB) Bodies(ctx context.Context, allianceID int64) ([]samrad.Body, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+bodyColumns+` FROM bodies WHERE alliance_id = $1 ORDER BY id`, allianceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.Body
	for rows.Next() {
		b, err := scanBody(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// BodyBySlug returns one body of an alliance.
func (db *DB) BodyBySlug(ctx context.Context, allianceID int64, slug string) (samrad.Body, error) {
	b, err := scanBody(db.db.QueryRowContext(ctx, `SELECT `+bodyColumns+` FROM bodies WHERE alliance_id = $1 AND slug = $2`, allianceID, slug))
	return b, notFound(err, "no body %q", slug)
}

// CreatePerson stores a person.
func (db *DB) CreatePerson(ctx context.Context, p *samrad.Person) error {
	if p.Name == "" {
		return samrad.FieldErrorf("name", "a name is required")
	}
	if p.Email != "" {
		e, err := samrad.NormaliseEmail(p.Email)
		if err != nil {
			return err
		}
		p.Email = e
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		id, err := insertID(ctx, tx, `INSERT INTO people (name, title, email) VALUES ($1, $2, $3)`, p.Name, p.Title, p.Email)
		if err != nil {
			return err
		}
		p.ID = id
		if err := renew(ctx, tx, stampGovernance); err != nil {
			return err
		}
		return audit(ctx, tx, 0, "create", "person", id, nil, map[string]string{"name": p.Name, "title": p.Title})
	})
}

// AddSeat gives a person a seat in a body. The person must exist, the
// organisation represented must be a member of the alliance while the seat
// is held, and a body has one chair at a time.
func (db *DB) AddSeat(ctx context.Context, s *samrad.Seat) error {
	if err := s.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var allianceID int64
		if err := tx.QueryRowContext(ctx, `SELECT alliance_id FROM bodies WHERE id = $1`, s.BodyID).Scan(&allianceID); err != nil {
			return notFound(err, "no body %d", s.BodyID)
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM people WHERE id = $1`, s.Person.ID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return samrad.FieldErrorf("person", "no person %d", s.Person.ID)
		}
		var represents any
		if s.Represents.ID != 0 {
			on := s.From
			if on.IsZero() {
				on = s.AttestedOn
			}
			ok, err := isMemberOn(ctx, tx, allianceID, s.Represents.ID, on)
			if err != nil {
				return err
			}
			if !ok {
				return samrad.FieldErrorf("represents", "%s is not a member of the alliance on %s", s.Represents.Label("nb"), on)
			}
			represents = s.Represents.ID
		}
		if s.Role == samrad.RoleChair {
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM seats WHERE body_id = $1 AND role = 'chair'
				AND COALESCE(valid_to, '9999-12-31') >= $2 AND COALESCE(valid_from, attested_on, '0001-01-01') <= $3`,
				s.BodyID, orMin(s.From), orMax(s.To)).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return samrad.Errorf(samrad.ECONFLICT, "the body already has a chair in that period")
			}
		}
		id, err := insertID(ctx, tx, `INSERT INTO seats (body_id, person_id, represents_org_id, role, valid_from, attested_on, valid_to, note, source)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			s.BodyID, s.Person.ID, represents, s.Role, s.From, s.AttestedOn, s.To, s.Note, s.Source)
		if err != nil {
			return err
		}
		s.ID = id
		if err := renew(ctx, tx, stampGovernance); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "create", "seat", id, nil, s)
	})
}

// isMemberOn reports whether org is a confirmed member of the alliance on d
// (on any day when d is zero).
func isMemberOn(ctx context.Context, tx *sql.Tx, allianceID, orgID int64, d samrad.Date) (bool, error) {
	rows, err := loadMemberships(ctx, tx, `WHERE alliance_id = $1 AND org_id = $2 AND status = 'confirmed'`, allianceID, orgID)
	if err != nil {
		return false, err
	}
	reg, err := registryFrom(ctx, tx)
	if err != nil {
		return false, err
	}
	for _, r := range rows {
		m := r.Membership
		m.Org, _ = reg.Org(m.Org.ID)
		if d.IsZero() || m.ActiveOn(d) {
			return true, nil
		}
	}
	return false, nil
}

// Seats lists the seats of a body with their people and organisations.
func (db *DB) Seats(ctx context.Context, bodyID int64) ([]samrad.Seat, error) {
	return loadSeats(ctx, db.db, bodyID, db.Registry)
}

func loadSeatsTx(ctx context.Context, tx *sql.Tx, bodyID int64) ([]samrad.Seat, error) {
	return loadSeats(ctx, tx, bodyID, func(ctx context.Context) (*samrad.Registry, error) { return registryFrom(ctx, tx) })
}

func loadSeats(ctx context.Context, q queryer, bodyID int64, registry func(context.Context) (*samrad.Registry, error)) ([]samrad.Seat, error) {
	return loadSeatsWhere(ctx, q, `s.body_id = $1`, bodyID, registry)
}

// loadSeatsWhere reads the seats that where (with one argument) selects.
func loadSeatsWhere(ctx context.Context, q queryer, where string, arg any, registry func(context.Context) (*samrad.Registry, error)) ([]samrad.Seat, error) {
	reg, err := registry(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT s.id, s.body_id, p.id, p.name, p.title, p.email, COALESCE(s.represents_org_id, 0), s.role,
		s.valid_from, s.attested_on, s.valid_to, s.note, s.source
		FROM seats s JOIN people p ON p.id = s.person_id WHERE `+where+` ORDER BY s.id`, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.Seat
	for rows.Next() {
		var s samrad.Seat
		var org int64
		var role string
		if err := rows.Scan(&s.ID, &s.BodyID, &s.Person.ID, &s.Person.Name, &s.Person.Title, &s.Person.Email, &org, &role,
			&s.From, &s.AttestedOn, &s.To, &s.Note, &s.Source); err != nil {
			return nil, err
		}
		s.Role = samrad.SeatRole(role)
		if org != 0 {
			s.Represents, _ = reg.Org(org)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// AddRotation records who holds a rotating duty in a period; periods of the
// same duty may not overlap.
func (db *DB) AddRotation(ctx context.Context, r *samrad.Rotation) error {
	if r.From.IsZero() || r.Duty == "" || r.Org.ID == 0 {
		return samrad.FieldErrorf("rotation", "a member, a duty and a first day are required")
	}
	if !r.To.IsZero() && r.To.Before(r.From) {
		return samrad.FieldErrorf("to", "ends %s before it starts %s", r.To, r.From)
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM rotations WHERE alliance_id = $1 AND duty = $2
			AND COALESCE(body_id, 0) = $3 AND COALESCE(valid_to, '9999-12-31') >= $4 AND valid_from <= $5`,
			r.AllianceID, r.Duty, r.BodyID, r.From, orMax(r.To)).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return samrad.Errorf(samrad.ECONFLICT, "another member holds %q in that period", r.Duty)
		}
		var body any
		if r.BodyID != 0 {
			body = r.BodyID
		}
		id, err := insertID(ctx, tx, `INSERT INTO rotations (alliance_id, body_id, org_id, duty, valid_from, valid_to, source)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, r.AllianceID, body, r.Org.ID, r.Duty, r.From, r.To, r.Source)
		if err != nil {
			return err
		}
		r.ID = id
		if err := renew(ctx, tx, stampGovernance); err != nil {
			return err
		}
		return audit(ctx, tx, r.AllianceID, "create", "rotation", id, nil, r)
	})
}

// Rotations lists an alliance's rotating duties by first day.
func (db *DB) Rotations(ctx context.Context, allianceID int64) ([]samrad.Rotation, error) {
	reg, err := db.Registry(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := db.db.QueryContext(ctx, `SELECT id, alliance_id, COALESCE(body_id, 0), org_id, duty, valid_from, valid_to, source
		FROM rotations WHERE alliance_id = $1 ORDER BY valid_from`, allianceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.Rotation
	for rows.Next() {
		var r samrad.Rotation
		if err := rows.Scan(&r.ID, &r.AllianceID, &r.BodyID, &r.Org.ID, &r.Duty, &r.From, &r.To, &r.Source); err != nil {
			return nil, err
		}
		r.Org, _ = reg.Org(r.Org.ID)
		out = append(out, r)
	}
	return out, rows.Err()
}

// CreateMeeting stores a meeting; its number must be new within the body and year.
func (db *DB) CreateMeeting(ctx context.Context, m *samrad.Meeting) error {
	if m.Status == "" {
		m.Status = samrad.MeetingPlanned
	}
	if err := m.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var allianceID int64
		if err := tx.QueryRowContext(ctx, `SELECT alliance_id FROM bodies WHERE id = $1`, m.BodyID).Scan(&allianceID); err != nil {
			return notFound(err, "no body %d", m.BodyID)
		}
		var number any
		if m.Number > 0 {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM meetings WHERE body_id = $1 AND year = $2 AND number = $3`,
				m.BodyID, m.Year, m.Number).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return samrad.Errorf(samrad.ECONFLICT, "meeting %s of this body already exists", m.Label())
			}
			number = m.Number
		}
		id, err := insertID(ctx, tx, `INSERT INTO meetings (body_id, number, year, starts_at, ends_at, place, address, online_url, status, source, date_only)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			m.BodyID, number, m.Year, timeArg(m.Start), timeArg(m.End), m.Place, m.Address, m.OnlineURL, m.Status, m.Source, m.DateOnly)
		if err != nil {
			return err
		}
		m.ID = id
		if err := renew(ctx, tx, stampGovernance); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "create", "meeting", id, nil, m)
	})
}

const meetingColumns = `id, body_id, COALESCE(number, 0), year, starts_at, ends_at, place, address, online_url, status, source, minutes, date_only`

// MeetingRow is a meeting with its minutes.
type MeetingRow struct {
	samrad.Meeting
	Minutes string
}

func scanMeeting(s interface{ Scan(...any) error }) (MeetingRow, error) {
	var m MeetingRow
	var start, end timestamp
	var status string
	err := s.Scan(&m.ID, &m.BodyID, &m.Number, &m.Year, &start, &end, &m.Place, &m.Address, &m.OnlineURL, &status, &m.Source, &m.Minutes, &m.DateOnly)
	m.Start, m.End, m.Status = start.t, end.t, samrad.MeetingStatus(status)
	return m, err
}

// Meetings lists the meetings of a body, newest first.
func (db *DB) Meetings(ctx context.Context, bodyID int64) ([]samrad.Meeting, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+meetingColumns+` FROM meetings WHERE body_id = $1 ORDER BY starts_at DESC`, bodyID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.Meeting
	for rows.Next() {
		m, err := scanMeeting(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m.Meeting)
	}
	return out, rows.Err()
}

// Meeting returns a meeting with its minutes and its body.
func (db *DB) Meeting(ctx context.Context, id int64) (MeetingRow, samrad.Body, error) {
	m, err := scanMeeting(db.db.QueryRowContext(ctx, `SELECT `+meetingColumns+` FROM meetings WHERE id = $1`, id))
	if err != nil {
		return m, samrad.Body{}, notFound(err, "no meeting %d", id)
	}
	b, err := scanBody(db.db.QueryRowContext(ctx, `SELECT `+bodyColumns+` FROM bodies WHERE id = $1`, m.BodyID))
	return m, b, err
}

// meetingAlliance returns a meeting's status, start and alliance, locking
// nothing (the caller's transaction keeps it consistent).
func meetingInfo(ctx context.Context, tx *sql.Tx, id int64) (samrad.Meeting, samrad.Body, error) {
	m, err := scanMeeting(tx.QueryRowContext(ctx, `SELECT `+meetingColumns+` FROM meetings WHERE id = $1`, id))
	if err != nil {
		return samrad.Meeting{}, samrad.Body{}, notFound(err, "no meeting %d", id)
	}
	b, err := scanBody(tx.QueryRowContext(ctx, `SELECT `+bodyColumns+` FROM bodies WHERE id = $1`, m.BodyID))
	return m.Meeting, b, err
}

// SetMeetingStatus moves a meeting one step forward (planned → notice sent
// → held → minutes approved → published).
func (db *DB) SetMeetingStatus(ctx context.Context, id int64, next samrad.MeetingStatus) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		m, b, err := meetingInfo(ctx, tx, id)
		if err != nil {
			return err
		}
		if !m.Status.CanMoveTo(next) {
			return samrad.Errorf(samrad.ECONFLICT, "a meeting cannot go from %s to %s", m.Status, next)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE meetings SET status = $1 WHERE id = $2`, next, id); err != nil {
			return err
		}
		if err := renew(ctx, tx, stampGovernance); err != nil {
			return err
		}
		return audit(ctx, tx, b.AllianceID, "update", "meeting", id, map[string]string{"status": string(m.Status)}, map[string]string{"status": string(next)})
	})
}

// SetMinutes records a meeting's minutes; they can change until published.
func (db *DB) SetMinutes(ctx context.Context, id int64, minutes string) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		m, b, err := meetingInfo(ctx, tx, id)
		if err != nil {
			return err
		}
		if m.Status == samrad.MeetingPublished || m.Status == samrad.MeetingMinutesApproved {
			return samrad.Errorf(samrad.ECONFLICT, "the minutes are approved and can no longer change")
		}
		var before string
		if err := tx.QueryRowContext(ctx, `SELECT minutes FROM meetings WHERE id = $1`, id).Scan(&before); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE meetings SET minutes = $1 WHERE id = $2`, minutes, id); err != nil {
			return err
		}
		if err := renew(ctx, tx, stampGovernance); err != nil {
			return err
		}
		return audit(ctx, tx, b.AllianceID, "update", "minutes", id, before, minutes)
	})
}

// AddAgendaItem puts a case of the same alliance on a meeting's agenda.
func (db *DB) AddAgendaItem(ctx context.Context, meetingID, caseID int64, position int) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		_, b, err := meetingInfo(ctx, tx, meetingID)
		if err != nil {
			return err
		}
		var allianceID int64
		if err := tx.QueryRowContext(ctx, `SELECT alliance_id FROM cases WHERE id = $1`, caseID).Scan(&allianceID); err != nil {
			return notFound(err, "no case %d", caseID)
		}
		if allianceID != b.AllianceID {
			return samrad.FieldErrorf("case", "the case belongs to another alliance")
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM agenda_items WHERE meeting_id = $1 AND (case_id = $2 OR position = $3)`,
			meetingID, caseID, position).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return samrad.Errorf(samrad.ECONFLICT, "the case or the position %d is already on the agenda", position)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO agenda_items (meeting_id, case_id, position) VALUES ($1, $2, $3)`, meetingID, caseID, position); err != nil {
			return err
		}
		if err := renew(ctx, tx, stampGovernance); err != nil {
			return err
		}
		return audit(ctx, tx, b.AllianceID, "create", "agenda_item", fmt.Sprint(meetingID, "/", caseID), nil, map[string]int{"position": position})
	})
}

// Agenda lists a meeting's cases in order.
func (db *DB) Agenda(ctx context.Context, meetingID int64) ([]samrad.AgendaItem, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT a.position, a.decision, c.id, c.alliance_id, c.year, c.number, c.title, c.type, c.presentation,
		c.proposed_decision, c.decision, c.withdrawn, c.source
		FROM agenda_items a JOIN cases c ON c.id = a.case_id WHERE a.meeting_id = $1 ORDER BY a.position`, meetingID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.AgendaItem
	for rows.Next() {
		var it samrad.AgendaItem
		var typ string
		c := &it.Case
		if err := rows.Scan(&it.Position, &it.Decision, &c.ID, &c.AllianceID, &c.Year, &c.Number, &c.Title, &typ, &c.Presentation,
			&c.ProposedDecision, &c.Decision, &c.Withdrawn, &c.Source); err != nil {
			return nil, err
		}
		c.Type, it.MeetingID = samrad.CaseType(typ), meetingID
		out = append(out, it)
	}
	return out, rows.Err()
}

// CaseStep is one meeting that treated a case.
type CaseStep = AllianceMeeting

// CasePath lists the meetings that treated a case, in date order (board → council).
func (db *DB) CasePath(ctx context.Context, caseID int64) ([]CaseStep, error) {
	return db.meetingsWithBodies(ctx, `a.decision`, `JOIN agenda_items a ON a.meeting_id = m.id WHERE a.case_id = $1 ORDER BY m.starts_at`, caseID)
}

// RecordVote stores a member's vote on a case in a held meeting. The person
// must hold a seat in the body for that member on the meeting day; the
// weight follows the body's voting rule (population of 1 January of the
// meeting year for weighted bodies).
func (db *DB) RecordVote(ctx context.Context, v *samrad.Vote) error {
	if v.Conflict {
		v.Choice = ""
	} else if !v.Choice.Valid() {
		return samrad.FieldErrorf("choice", "a vote is yes, no or abstain")
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		m, b, err := meetingInfo(ctx, tx, v.MeetingID)
		if err != nil {
			return err
		}
		if b.Voting == samrad.VoteNone {
			return samrad.Errorf(samrad.EINVALID, "%s does not vote", b.NameNB)
		}
		if m.Status != samrad.MeetingHeld {
			return samrad.Errorf(samrad.ECONFLICT, "votes are recorded for a held meeting, not one that is %s", m.Status)
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM agenda_items WHERE meeting_id = $1 AND case_id = $2`, v.MeetingID, v.CaseID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return samrad.FieldErrorf("case", "the case is not on the meeting's agenda")
		}
		day := samrad.NewDate(m.Start.Year(), m.Start.Month(), m.Start.Day())
		seats, err := loadSeatsTx(ctx, tx, b.ID)
		if err != nil {
			return err
		}
		seated := false
		for _, s := range seats {
			if s.Person.ID == v.Person.ID && s.Represents.ID == v.Member.ID && s.ActiveOn(day) &&
				s.Role != samrad.RoleSecretary && s.Role != samrad.RoleObserver {
				seated = true
			}
		}
		if !seated {
			return samrad.FieldErrorf("person", "person %d holds no voting seat for this member in %s on %s", v.Person.ID, b.NameNB, day)
		}
		v.Weight = 1
		if b.Voting == samrad.VoteByPopulation {
			reg, err := registryFrom(ctx, tx)
			if err != nil {
				return err
			}
			org, _ := reg.Org(v.Member.ID)
			figs, err := figuresTx(ctx, tx, samrad.Jan1(m.Year))
			if err != nil {
				return err
			}
			p, err := reg.Population(org, samrad.Jan1(m.Year), figs)
			if err != nil {
				return samrad.Errorf(samrad.EINVALID, "weighted vote: %v", err)
			}
			v.Weight = p.Persons
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM votes WHERE meeting_id = $1 AND case_id = $2 AND org_id = $3`,
			v.MeetingID, v.CaseID, v.Member.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return samrad.Errorf(samrad.ECONFLICT, "the member has already voted on this case")
		}
		id, err := insertID(ctx, tx, `INSERT INTO votes (meeting_id, case_id, org_id, person_id, choice, conflict, weight, note)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, v.MeetingID, v.CaseID, v.Member.ID, v.Person.ID, v.Choice, v.Conflict, v.Weight, v.Note)
		if err != nil {
			return err
		}
		v.ID = id
		if err := renew(ctx, tx, stampGovernance); err != nil {
			return err
		}
		return audit(ctx, tx, b.AllianceID, "create", "vote", id, nil, v)
	})
}

// Votes lists the votes on a case in a meeting.
func (db *DB) Votes(ctx context.Context, meetingID, caseID int64) ([]samrad.Vote, error) {
	return db.votes(ctx, `v.meeting_id = $1 AND v.case_id = $2`, meetingID, caseID)
}

// MeetingVotes lists every vote of a meeting, in one query.
func (db *DB) MeetingVotes(ctx context.Context, meetingID int64) ([]samrad.Vote, error) {
	return db.votes(ctx, `v.meeting_id = $1`, meetingID)
}

// PublishedVotes lists the votes of an alliance's meetings whose minutes
// are published, in the order they were recorded.
func (db *DB) PublishedVotes(ctx context.Context, allianceID int64) ([]samrad.Vote, error) {
	return db.votes(ctx, `v.meeting_id IN (SELECT m.id FROM meetings m JOIN bodies b ON b.id = m.body_id
		WHERE b.alliance_id = $1 AND m.status = 'published')`, allianceID)
}

// CaseVotes lists every vote on a case in any meeting, in one query.
func (db *DB) CaseVotes(ctx context.Context, caseID int64) ([]samrad.Vote, error) {
	return db.votes(ctx, `v.case_id = $1`, caseID)
}

func (db *DB) votes(ctx context.Context, where string, args ...any) ([]samrad.Vote, error) {
	reg, err := db.Registry(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := db.db.QueryContext(ctx, `SELECT v.id, v.meeting_id, v.case_id, v.org_id, p.id, p.name, v.choice, v.conflict, v.weight, v.note
		FROM votes v JOIN people p ON p.id = v.person_id WHERE `+where+` ORDER BY v.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.Vote
	for rows.Next() {
		var v samrad.Vote
		var org int64
		var choice string
		if err := rows.Scan(&v.ID, &v.MeetingID, &v.CaseID, &org, &v.Person.ID, &v.Person.Name, &choice, &v.Conflict, &v.Weight, &v.Note); err != nil {
			return nil, err
		}
		v.Member, _ = reg.Org(org)
		v.Choice = samrad.Choice(choice)
		out = append(out, v)
	}
	return out, rows.Err()
}

// CreateCase stores a case. With Number 0 it takes the alliance's next
// number for the year; a given number (for a case from before Samråd) must
// be free. Numbers are never reused: the counter only grows.
func (db *DB) CreateCase(ctx context.Context, c *samrad.Case) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var last int
		err := tx.QueryRowContext(ctx, `SELECT last FROM case_counters WHERE alliance_id = $1 AND year = $2`, c.AllianceID, c.Year).Scan(&last)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if c.Number == 0 {
			c.Number = last + 1
		} else {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM cases WHERE alliance_id = $1 AND year = $2 AND number = $3`,
				c.AllianceID, c.Year, c.Number).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return samrad.Errorf(samrad.ECONFLICT, "case %d/%d already exists", c.Number, c.Year)
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO case_counters (alliance_id, year, last) VALUES ($1, $2, $3)
			ON CONFLICT (alliance_id, year) DO UPDATE SET last = CASE WHEN excluded.last > case_counters.last THEN excluded.last ELSE case_counters.last END`,
			c.AllianceID, c.Year, c.Number); err != nil {
			return err
		}
		id, err := insertID(ctx, tx, `INSERT INTO cases (alliance_id, year, number, title, type, presentation, proposed_decision, decision, withdrawn, source)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			c.AllianceID, c.Year, c.Number, c.Title, c.Type, c.Presentation, c.ProposedDecision, c.Decision, c.Withdrawn, c.Source)
		if err != nil {
			return err
		}
		c.ID = id
		if err := renew(ctx, tx, stampGovernance); err != nil {
			return err
		}
		return audit(ctx, tx, c.AllianceID, "create", "case", id, nil, c)
	})
}

const caseColumns = `id, alliance_id, year, number, title, type, presentation, proposed_decision, decision, withdrawn, source`

func scanCase(s interface{ Scan(...any) error }) (samrad.Case, error) {
	var c samrad.Case
	var typ string
	err := s.Scan(&c.ID, &c.AllianceID, &c.Year, &c.Number, &c.Title, &typ, &c.Presentation, &c.ProposedDecision, &c.Decision, &c.Withdrawn, &c.Source)
	c.Type = samrad.CaseType(typ)
	return c, err
}

// CaseByNumber returns case number/year of an alliance.
func (db *DB) CaseByNumber(ctx context.Context, allianceID int64, year, number int) (samrad.Case, error) {
	c, err := scanCase(db.db.QueryRowContext(ctx, `SELECT `+caseColumns+` FROM cases WHERE alliance_id = $1 AND year = $2 AND number = $3`,
		allianceID, year, number))
	return c, notFound(err, "no case %d/%d", number, year)
}

// Cases lists an alliance's cases, newest first.
func (db *DB) Cases(ctx context.Context, allianceID int64) ([]samrad.Case, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+caseColumns+` FROM cases WHERE alliance_id = $1 ORDER BY year DESC, number DESC`, allianceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.Case
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// WithdrawCase marks a case withdrawn; it keeps its number.
func (db *DB) WithdrawCase(ctx context.Context, id int64) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var allianceID int64
		var withdrawn bool
		if err := tx.QueryRowContext(ctx, `SELECT alliance_id, withdrawn FROM cases WHERE id = $1`, id).Scan(&allianceID, &withdrawn); err != nil {
			return notFound(err, "no case %d", id)
		}
		if withdrawn {
			return samrad.Errorf(samrad.ECONFLICT, "the case is already withdrawn")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE cases SET withdrawn = TRUE WHERE id = $1`, id); err != nil {
			return err
		}
		if err := renew(ctx, tx, stampGovernance); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "update", "case", id, map[string]bool{"withdrawn": false}, map[string]bool{"withdrawn": true})
	})
}

// People lists every person by name.
func (db *DB) People(ctx context.Context) ([]samrad.Person, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id, name, title FROM people ORDER BY name, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.Person
	for rows.Next() {
		var p samrad.Person
		if err := rows.Scan(&p.ID, &p.Name, &p.Title); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// AllianceMeeting is a meeting with its body, for an alliance's calendar.
type AllianceMeeting struct {
	samrad.Meeting
	Body     samrad.Body
	Minutes  string
	Decision string // on a case's path: what this meeting decided on it
}

// AllianceMeetings lists the meetings of every body of an alliance, newest first.
func (db *DB) AllianceMeetings(ctx context.Context, allianceID int64) ([]AllianceMeeting, error) {
	return db.meetingsWithBodies(ctx, `''`, `WHERE b.alliance_id = $1 ORDER BY m.starts_at DESC`, allianceID)
}

// meetingsWithBodies reads meetings with their bodies; decision is the SQL
// for the Decision column.
func (db *DB) meetingsWithBodies(ctx context.Context, decision, where string, args ...any) ([]AllianceMeeting, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+decision+`, m.id, m.body_id, COALESCE(m.number, 0), m.year, m.starts_at, m.ends_at, m.place, m.address,
		m.online_url, m.status, m.source, m.minutes, m.date_only, b.id, b.alliance_id, b.slug, b.name_nb, b.name_en, b.kind,
		COALESCE(b.parent_id, 0), b.mandate, b.composition_rule, b.term, b.voting, b.meets, b.source
		FROM meetings m JOIN bodies b ON b.id = m.body_id `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AllianceMeeting
	for rows.Next() {
		var am AllianceMeeting
		var start, end timestamp
		var status, kind, voting string
		b, m := &am.Body, &am.Meeting
		if err := rows.Scan(&am.Decision, &m.ID, &m.BodyID, &m.Number, &m.Year, &start, &end, &m.Place, &m.Address, &m.OnlineURL, &status, &m.Source, &am.Minutes, &m.DateOnly,
			&b.ID, &b.AllianceID, &b.Slug, &b.NameNB, &b.NameEN, &kind, &b.ParentID, &b.Mandate, &b.CompositionRule, &b.Term, &voting, &b.Meets, &b.Source); err != nil {
			return nil, err
		}
		m.Start, m.End, m.Status = start.t, end.t, samrad.MeetingStatus(status)
		b.Kind, b.Voting = samrad.BodyKind(kind), samrad.VotingRule(voting)
		out = append(out, am)
	}
	return out, rows.Err()
}
