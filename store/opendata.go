package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/samrad/samrad"
)

// The open-data API (OParl) publishes what a visitor to the website sees:
// an alliance's bodies, the people holding seats in them and the seats,
// meetings whose notice has gone out with their agenda, every case, the
// documents that are not exempt, and where meetings are held. The lists
// below read one page each, ordered by id, narrowed by when rows were
// created or last changed.

// Times says when a row was created and last changed (UTC, whole seconds).
type Times struct{ Created, Modified time.Time }

// Window narrows a list to rows created or changed in a period (zero
// times: open) and picks a page of it.
type Window struct {
	CreatedSince, CreatedUntil, ModifiedSince, ModifiedUntil time.Time
	Offset, Limit                                            int
}

// everything is the limit of the lists embedded in a page's objects: they
// are read whole and not counted.
const everything = 1 << 30

// Everything reads a whole list, not counted (its total is -1).
var Everything = Window{Limit: everything}

// stampText is how created_at and modified_at are written, so that text
// comparison orders them.
const stampText = "2006-01-02T15:04:05Z"

// publicMeeting is the condition on meetings m that a visitor may see.
const publicMeeting = `m.status <> 'planned'`

// OpenBody is a body with its times.
type OpenBody struct {
	samrad.Body
	Times
}

// OpenSeat is a seat with its times.
type OpenSeat struct {
	samrad.Seat
	Times
}

// OpenPerson is a person holding a seat in one of the alliance's bodies,
// with those seats.
type OpenPerson struct {
	samrad.Person
	Times
	Seats []OpenSeat
}

// OpenMeeting is a public meeting with its agenda and documents.
type OpenMeeting struct {
	samrad.Meeting
	Times
	Agenda    []OpenAgendaItem
	Documents []OpenDocument
}

// OpenAgendaItem is a case on a public meeting's agenda; Decision is set
// only once the minutes are published.
type OpenAgendaItem struct {
	samrad.AgendaItem
	Times
	BodyID int64
	Start  time.Time // of the meeting
}

// OpenCase is a case with the public meetings that treated it and its
// documents.
type OpenCase struct {
	samrad.Case
	Times
	Steps     []OpenAgendaItem
	Documents []OpenDocument
}

// OpenDocument is a document that is not exempt.
type OpenDocument struct {
	samrad.Document
	Created time.Time
}

// openList is one of the lists: its columns, tables and condition, and the
// SQL expressions of a row's times.
type openList struct {
	cols, from, where string
	created, modified string
	order             string
	args              []any
}

// page runs a list with the window's filters and page, calling each for
// every row with a scan function for the list's columns (the row's times
// follow them). It returns the number of rows the filters let through.
func (db *DB) page(ctx context.Context, l openList, w Window, each func(scan func(dest ...any) (Times, error)) error) (int, error) {
	where, args := l.where, append([]any(nil), l.args...)
	add := func(expr, op string, t time.Time) {
		if t.IsZero() {
			return
		}
		args = append(args, t.UTC().Format(stampText))
		where += fmt.Sprintf(" AND (%s) %s $%d", expr, op, len(args))
	}
	add(l.created, ">=", w.CreatedSince)
	add(l.created, "<=", w.CreatedUntil)
	add(l.modified, ">=", w.ModifiedSince)
	add(l.modified, "<=", w.ModifiedUntil)
	total := -1 // not counted for the lists embedded in a page's objects
	if w.Limit != everything {
		if err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+l.from+` WHERE `+where, args...).Scan(&total); err != nil {
			return 0, err
		}
		if w.Limit <= 0 || w.Offset >= total {
			return total, nil
		}
	}
	args = append(args, w.Limit, w.Offset)
	q := fmt.Sprintf(`SELECT %s, %s, %s FROM %s WHERE %s ORDER BY %s LIMIT $%d OFFSET $%d`,
		l.cols, l.created, l.modified, l.from, where, l.order, len(args)-1, len(args))
	rows, err := db.db.QueryContext(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	for rows.Next() {
		err := each(func(dest ...any) (Times, error) {
			var c, m string
			if err := rows.Scan(append(dest, &c, &m)...); err != nil {
				return Times{}, err
			}
			return parseTimes(c, m)
		})
		if err != nil {
			return 0, err
		}
	}
	return total, rows.Err()
}

func parseTimes(created, modified string) (Times, error) {
	c, err := time.Parse(stampText, created)
	if err != nil {
		return Times{}, fmt.Errorf("created %q: %w", created, err)
	}
	m, err := time.Parse(stampText, modified)
	if err != nil {
		return Times{}, fmt.Errorf("modified %q: %w", modified, err)
	}
	return Times{c, m}, nil
}

// greatest is the larger of text expressions (SQLite's scalar MAX,
// PostgreSQL's GREATEST).
func (db *DB) greatest(exprs ...string) string {
	if db.dialect == Postgres {
		return "GREATEST(" + strings.Join(exprs, ", ") + ")"
	}
	return "MAX(" + strings.Join(exprs, ", ") + ")"
}

// only narrows a list to one row when id is not 0.
func only(l openList, column string, id int64) openList {
	if id != 0 {
		l.args = append(l.args, id)
		l.where += fmt.Sprintf(" AND %s = $%d", column, len(l.args))
	}
	return l
}

// OpenBodies lists an alliance's bodies (id: just that one).
func (db *DB) OpenBodies(ctx context.Context, allianceID, id int64, w Window) ([]OpenBody, int, error) {
	l := only(openList{cols: bodyColumns, from: `bodies`, where: `alliance_id = $1`, args: []any{allianceID},
		created: `created_at`, modified: `modified_at`, order: `id`}, "id", id)
	var out []OpenBody
	total, err := db.page(ctx, l, w, func(scan func(...any) (Times, error)) error {
		var b OpenBody
		var err error
		b.Body, err = scanBody(scanFunc(func(dest ...any) error { b.Times, err = scan(dest...); return err }))
		out = append(out, b)
		return err
	})
	return out, total, err
}

// scanFunc adapts a function to the Scan method the scan helpers take.
type scanFunc func(dest ...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }

const openSeatColumns = `s.id, s.body_id, p.id, p.name, p.title, COALESCE(s.represents_org_id, 0), s.role,
	s.valid_from, s.attested_on, s.valid_to, s.note, s.source`

// scanOpenSeat reads openSeatColumns; the person's e-mail is not read.
func scanOpenSeat(reg *samrad.Registry, scan func(...any) (Times, error)) (OpenSeat, error) {
	var s OpenSeat
	var org int64
	var role string
	t, err := scan(&s.ID, &s.BodyID, &s.Person.ID, &s.Person.Name, &s.Person.Title, &org, &role,
		&s.From, &s.AttestedOn, &s.To, &s.Note, &s.Source)
	s.Times, s.Role = t, samrad.SeatRole(role)
	if org != 0 {
		s.Represents, _ = reg.Org(org)
	}
	return s, err
}

// OpenSeats lists the seats in an alliance's bodies (id: just that one).
func (db *DB) OpenSeats(ctx context.Context, allianceID, id int64, w Window) ([]OpenSeat, int, error) {
	reg, err := db.Registry(ctx)
	if err != nil {
		return nil, 0, err
	}
	l := only(openList{cols: openSeatColumns, from: `seats s JOIN people p ON p.id = s.person_id JOIN bodies b ON b.id = s.body_id`,
		where: `b.alliance_id = $1`, args: []any{allianceID}, created: `s.created_at`, modified: `s.modified_at`, order: `s.id`}, "s.id", id)
	var out []OpenSeat
	total, err := db.page(ctx, l, w, func(scan func(...any) (Times, error)) error {
		s, err := scanOpenSeat(reg, scan)
		out = append(out, s)
		return err
	})
	return out, total, err
}

// OpenPeople lists the people holding or having held a seat in an
// alliance's bodies, each with those seats (id: just that one). A person's
// modified time is the latest change of the person or the seats.
func (db *DB) OpenPeople(ctx context.Context, allianceID, id int64, w Window) ([]OpenPerson, int, error) {
	reg, err := db.Registry(ctx)
	if err != nil {
		return nil, 0, err
	}
	l := only(openList{cols: `p.id, p.name, p.title`, from: `people p`,
		where: `p.id IN (SELECT s.person_id FROM seats s JOIN bodies b ON b.id = s.body_id WHERE b.alliance_id = $1)`, args: []any{allianceID},
		created: `p.created_at`,
		modified: db.greatest(`p.modified_at`, `COALESCE((SELECT MAX(s.modified_at) FROM seats s JOIN bodies b ON b.id = s.body_id
			WHERE s.person_id = p.id AND b.alliance_id = $1), '')`),
		order: `p.id`}, "p.id", id)
	var out []OpenPerson
	index := map[int64]int{}
	total, err := db.page(ctx, l, w, func(scan func(...any) (Times, error)) error {
		var p OpenPerson
		var err error
		p.Times, err = scan(&p.ID, &p.Name, &p.Title)
		index[p.ID] = len(out)
		out = append(out, p)
		return err
	})
	if err != nil || len(out) == 0 {
		return out, total, err
	}
	args := []any{allianceID}
	for _, p := range out {
		args = append(args, p.ID)
	}
	_, err = db.page(ctx, openList{cols: openSeatColumns, from: `seats s JOIN people p ON p.id = s.person_id JOIN bodies b ON b.id = s.body_id`,
		where: `b.alliance_id = $1 AND s.person_id IN (` + placeholders(2, len(out)) + `)`, args: args,
		created: `s.created_at`, modified: `s.modified_at`, order: `s.id`}, Window{Limit: everything},
		func(scan func(...any) (Times, error)) error {
			s, err := scanOpenSeat(reg, scan)
			i := index[s.Person.ID]
			out[i].Seats = append(out[i].Seats, s)
			return err
		})
	return out, total, err
}

const openAgendaColumns = `ai.position, ai.decision, m.status, m.body_id, m.starts_at, c.id, c.alliance_id, c.year, c.number, c.title,
	c.type, c.presentation, c.proposed_decision, c.decision, c.withdrawn, c.source, ai.meeting_id`

// scanOpenAgendaItem reads openAgendaColumns; the decision is kept only
// when the meeting's minutes are published.
func scanOpenAgendaItem(scan func(...any) (Times, error)) (OpenAgendaItem, error) {
	var it OpenAgendaItem
	var status, typ string
	var start timestamp
	c := &it.Case
	t, err := scan(&it.Position, &it.Decision, &status, &it.BodyID, &start, &c.ID, &c.AllianceID, &c.Year, &c.Number, &c.Title,
		&typ, &c.Presentation, &c.ProposedDecision, &c.Decision, &c.Withdrawn, &c.Source, &it.MeetingID)
	it.Times, it.Start, c.Type = t, start.t, samrad.CaseType(typ)
	if samrad.MeetingStatus(status) != samrad.MeetingPublished {
		it.Decision, c.Decision = "", ""
	}
	return it, err
}

// agendaList is the agenda items of an alliance's public meetings.
func (db *DB) agendaList(allianceID int64) openList {
	return openList{cols: openAgendaColumns, from: `agenda_items ai JOIN meetings m ON m.id = ai.meeting_id JOIN cases c ON c.id = ai.case_id`,
		where: `c.alliance_id = $1 AND ` + publicMeeting, args: []any{allianceID},
		created: `ai.created_at`, modified: db.greatest(`ai.modified_at`, `m.modified_at`), order: `ai.meeting_id, ai.position, ai.case_id`}
}

// OpenAgendaItems lists the agenda items of an alliance's public meetings
// (meetingID and caseID not 0: just that one).
func (db *DB) OpenAgendaItems(ctx context.Context, allianceID, meetingID, caseID int64, w Window) ([]OpenAgendaItem, int, error) {
	l := only(only(db.agendaList(allianceID), "ai.meeting_id", meetingID), "ai.case_id", caseID)
	var out []OpenAgendaItem
	total, err := db.page(ctx, l, w, func(scan func(...any) (Times, error)) error {
		it, err := scanOpenAgendaItem(scan)
		out = append(out, it)
		return err
	})
	return out, total, err
}

// documentCreated is a document's creation time as stampText.
func (db *DB) documentCreated() string {
	if db.dialect == Postgres {
		return `to_char(d.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`
	}
	return `d.created_at`
}

// filesList is the documents of an alliance that a visitor may fetch: not
// exempt, and not attached to a meeting whose notice has not gone out.
func (db *DB) filesList(allianceID int64) openList {
	return openList{cols: documentColumns, from: `documents d JOIN files f ON f.sha256 = d.sha256`,
		where: `d.alliance_id = $1 AND NOT d.exempt AND NOT EXISTS (SELECT 1 FROM meetings m WHERE m.id = d.meeting_id AND NOT (` + publicMeeting + `))`,
		args:  []any{allianceID}, created: db.documentCreated(), modified: db.documentCreated(), order: `d.id`}
}

func scanOpenDocument(scan func(...any) (Times, error)) (OpenDocument, error) {
	var d OpenDocument
	var err error
	d.Document, err = scanDocument(scanFunc(func(dest ...any) error {
		t, err := scan(dest...)
		d.Created = t.Created
		return err
	}))
	return d, err
}

// OpenFiles lists an alliance's public documents (id: just that one).
func (db *DB) OpenFiles(ctx context.Context, allianceID, id int64, w Window) ([]OpenDocument, int, error) {
	var out []OpenDocument
	total, err := db.page(ctx, only(db.filesList(allianceID), "d.id", id), w, func(scan func(...any) (Times, error)) error {
		d, err := scanOpenDocument(scan)
		out = append(out, d)
		return err
	})
	return out, total, err
}

// documentsOf reads the public documents attached to the given meetings or
// cases (column meeting_id or case_id).
func (db *DB) documentsOf(ctx context.Context, allianceID int64, column string, ids []int64, each func(OpenDocument)) error {
	l := db.filesList(allianceID)
	l.where += ` AND d.` + column + ` IN (` + placeholders(2, len(ids)) + `)`
	for _, id := range ids {
		l.args = append(l.args, id)
	}
	_, err := db.page(ctx, l, Window{Limit: everything}, func(scan func(...any) (Times, error)) error {
		d, err := scanOpenDocument(scan)
		each(d)
		return err
	})
	return err
}

// OpenMeetings lists an alliance's public meetings with their agenda and
// documents (id: just that one; withPlace: only those with a venue). A
// meeting's modified time is the latest change of it or its agenda.
func (db *DB) OpenMeetings(ctx context.Context, allianceID, id int64, withPlace bool, w Window) ([]OpenMeeting, int, error) {
	l := only(openList{cols: meetingColumns, from: `meetings m`,
		where: `m.body_id IN (SELECT id FROM bodies WHERE alliance_id = $1) AND ` + publicMeeting, args: []any{allianceID},
		created: `m.created_at`, modified: db.greatest(`m.modified_at`, `COALESCE((SELECT MAX(ai.modified_at) FROM agenda_items ai WHERE ai.meeting_id = m.id), '')`),
		order: `m.id`}, "m.id", id)
	if withPlace {
		l.where += ` AND (m.place <> '' OR m.address <> '')`
	}
	var out []OpenMeeting
	index := map[int64]int{}
	total, err := db.page(ctx, l, w, func(scan func(...any) (Times, error)) error {
		var m OpenMeeting
		var err error
		row, err := scanMeeting(scanFunc(func(dest ...any) error { m.Times, err = scan(dest...); return err }))
		m.Meeting = row.Meeting
		index[m.ID] = len(out)
		out = append(out, m)
		return err
	})
	if err != nil || len(out) == 0 {
		return out, total, err
	}
	ids := make([]int64, len(out))
	for i, m := range out {
		ids[i] = m.ID
	}
	agenda := db.agendaList(allianceID)
	agenda.where += ` AND ai.meeting_id IN (` + placeholders(2, len(ids)) + `)`
	for _, id := range ids {
		agenda.args = append(agenda.args, id)
	}
	if _, err := db.page(ctx, agenda, Window{Limit: everything}, func(scan func(...any) (Times, error)) error {
		it, err := scanOpenAgendaItem(scan)
		i := index[it.MeetingID]
		out[i].Agenda = append(out[i].Agenda, it)
		return err
	}); err != nil {
		return nil, 0, err
	}
	err = db.documentsOf(ctx, allianceID, "meeting_id", ids, func(d OpenDocument) {
		i := index[d.MeetingID]
		out[i].Documents = append(out[i].Documents, d)
	})
	return out, total, err
}

// OpenCases lists an alliance's cases with the public meetings that
// treated them and their documents (id: just that one). A case's modified
// time is the latest change of it or of its treatment in public meetings.
func (db *DB) OpenCases(ctx context.Context, allianceID, id int64, w Window) ([]OpenCase, int, error) {
	l := only(openList{cols: caseColumns, from: `cases c`, where: `c.alliance_id = $1`, args: []any{allianceID},
		created: `c.created_at`,
		modified: db.greatest(`c.modified_at`, `COALESCE((SELECT MAX(`+db.greatest(`ai.modified_at`, `m.modified_at`)+`) FROM agenda_items ai
			JOIN meetings m ON m.id = ai.meeting_id WHERE ai.case_id = c.id AND `+publicMeeting+`), '')`),
		order: `c.id`}, "c.id", id)
	var out []OpenCase
	index := map[int64]int{}
	total, err := db.page(ctx, l, w, func(scan func(...any) (Times, error)) error {
		var c OpenCase
		var err error
		c.Case, err = scanCase(scanFunc(func(dest ...any) error { c.Times, err = scan(dest...); return err }))
		index[c.ID] = len(out)
		out = append(out, c)
		return err
	})
	if err != nil || len(out) == 0 {
		return out, total, err
	}
	ids := make([]int64, len(out))
	for i, c := range out {
		ids[i] = c.ID
	}
	agenda := db.agendaList(allianceID)
	agenda.where += ` AND ai.case_id IN (` + placeholders(2, len(ids)) + `)`
	agenda.order = `m.starts_at, ai.meeting_id`
	for _, id := range ids {
		agenda.args = append(agenda.args, id)
	}
	if _, err := db.page(ctx, agenda, Window{Limit: everything}, func(scan func(...any) (Times, error)) error {
		it, err := scanOpenAgendaItem(scan)
		i := index[it.Case.ID]
		out[i].Steps = append(out[i].Steps, it)
		return err
	}); err != nil {
		return nil, 0, err
	}
	err = db.documentsOf(ctx, allianceID, "case_id", ids, func(d OpenDocument) {
		i := index[d.CaseID]
		out[i].Documents = append(out[i].Documents, d)
	})
	return out, total, err
}
