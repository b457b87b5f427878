package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"strings"

	"github.com/samrad/samrad"
)

// stampEvents is renewed by every change of events and registrations, so
// that cached pages show the places left.
const stampEvents = "events_stamp"

const eventColumns = `id, alliance_id, COALESCE(body_id, 0), COALESCE(host_org_id, 0), slug, title_nb, title_en, description_nb, description_en,
	venue, address, online_url, published, source, reg_open, capacity, deadline, waiting_list, fields, consent_nb, consent_en, retention_days`

func scanEvent(s interface{ Scan(...any) error }) (samrad.Event, error) {
	var e samrad.Event
	var deadline timestamp
	var fields string
	r := &e.Registration
	err := s.Scan(&e.ID, &e.AllianceID, &e.BodyID, &e.HostOrgID, &e.Slug, &e.TitleNB, &e.TitleEN, &e.DescriptionNB, &e.DescriptionEN,
		&e.Venue, &e.Address, &e.OnlineURL, &e.Published, &e.Source, &r.Open, &r.Capacity, &deadline, &r.WaitingList, &fields,
		&r.ConsentNB, &r.ConsentEN, &r.RetentionDays)
	if err != nil {
		return e, err
	}
	r.Deadline = deadline.t
	r.Fields, err = readList(fields)
	return e, err
}

// eventArgs are the values of eventColumns after id, alliance_id.
func eventArgs(e *samrad.Event) []any {
	r := e.Registration
	return []any{nullID(e.BodyID), nullID(e.HostOrgID), e.Slug, e.TitleNB, e.TitleEN, e.DescriptionNB, e.DescriptionEN,
		e.Venue, e.Address, e.OnlineURL, e.Published, e.Source, r.Open, r.Capacity, timeArg(r.Deadline), r.WaitingList, jsonList(r.Fields),
		r.ConsentNB, r.ConsentEN, r.RetentionDays}
}

// checkEventRefs checks that the organising body is the alliance's.
func checkEventRefs(ctx context.Context, tx *sql.Tx, e *samrad.Event) error {
	if e.BodyID != 0 {
		var a int64
		if err := tx.QueryRowContext(ctx, `SELECT alliance_id FROM bodies WHERE id = $1`, e.BodyID).Scan(&a); err != nil || a != e.AllianceID {
			return samrad.FieldErrorf("body", "the body is not one of the alliance's")
		}
	}
	return nil
}

func writeDays(ctx context.Context, tx *sql.Tx, e *samrad.Event) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM event_days WHERE event_id = $1`, e.ID); err != nil {
		return err
	}
	rows := make([][]any, len(e.Days))
	for i, d := range e.Days {
		rows[i] = []any{e.ID, d.Date, timeArg(d.Start), timeArg(d.End)}
	}
	return insertBatch(ctx, tx, `INSERT INTO event_days (event_id, day, starts_at, ends_at) VALUES `, rows)
}

// CreateEvent stores an event with its days.
func (db *DB) CreateEvent(ctx context.Context, e *samrad.Event) error {
	if e.Registration.RetentionDays == 0 {
		e.Registration.RetentionDays = samrad.DefaultRetentionDays
	}
	if err := e.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkEventRefs(ctx, tx, e); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM events WHERE alliance_id = $1 AND slug = $2`, e.AllianceID, e.Slug).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return &samrad.Error{Code: samrad.ECONFLICT, Field: "slug", Message: "the alliance already has an event " + e.Slug}
		}
		id, err := insertID(ctx, tx, `INSERT INTO events (alliance_id, body_id, host_org_id, slug, title_nb, title_en, description_nb, description_en,
			venue, address, online_url, published, source, reg_open, capacity, deadline, waiting_list, fields, consent_nb, consent_en, retention_days)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)`,
			append([]any{e.AllianceID}, eventArgs(e)...)...)
		if err != nil {
			return err
		}
		e.ID = id
		if err := writeDays(ctx, tx, e); err != nil {
			return err
		}
		if err := renew(ctx, tx, stampEvents); err != nil {
			return err
		}
		return audit(ctx, tx, e.AllianceID, "create", "event", id, nil, map[string]any{"slug": e.Slug, "title": e.TitleNB, "days": e.Days})
	})
}

// UpdateEvent changes an event and its days. A day that has sessions in
// the programme cannot be removed.
func (db *DB) UpdateEvent(ctx context.Context, e *samrad.Event) error {
	if err := e.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		before, err := scanEvent(tx.QueryRowContext(ctx, `SELECT `+eventColumns+` FROM events WHERE id = $1`, e.ID))
		if err != nil || before.AllianceID != e.AllianceID {
			return samrad.Errorf(samrad.ENOTFOUND, "no event %d", e.ID)
		}
		if err := checkEventRefs(ctx, tx, e); err != nil {
			return err
		}
		if e.Slug != before.Slug {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM events WHERE alliance_id = $1 AND slug = $2`, e.AllianceID, e.Slug).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return &samrad.Error{Code: samrad.ECONFLICT, Field: "slug", Message: "the alliance already has an event " + e.Slug}
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE events SET body_id = $1, host_org_id = $2, slug = $3, title_nb = $4, title_en = $5, description_nb = $6,
			description_en = $7, venue = $8, address = $9, online_url = $10, published = $11, source = $12, reg_open = $13, capacity = $14,
			deadline = $15, waiting_list = $16, fields = $17, consent_nb = $18, consent_en = $19, retention_days = $20 WHERE id = $21`,
			append(eventArgs(e), e.ID)...)
		if err != nil {
			return err
		}
		if err := writeDays(ctx, tx, e); err != nil {
			return err
		}
		var orphans int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM event_sessions s WHERE s.event_id = $1
			AND NOT EXISTS (SELECT 1 FROM event_days d WHERE d.event_id = s.event_id AND d.day = s.day)`, e.ID).Scan(&orphans); err != nil {
			return err
		}
		if orphans > 0 {
			return samrad.FieldErrorf("days", "a day with sessions in the programme cannot be removed")
		}
		if err := renew(ctx, tx, stampEvents); err != nil {
			return err
		}
		return audit(ctx, tx, e.AllianceID, "update", "event", e.ID, map[string]any{"slug": before.Slug, "title": before.TitleNB, "registration": before.Registration},
			map[string]any{"slug": e.Slug, "title": e.TitleNB, "days": e.Days, "registration": e.Registration})
	})
}

// loadDays fills the days of the events, by id.
func loadDays(ctx context.Context, q queryer, events []samrad.Event, where string, args ...any) error {
	rows, err := q.QueryContext(ctx, `SELECT d.event_id, d.day, d.starts_at, d.ends_at FROM event_days d `+where+` ORDER BY d.event_id, d.day`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	idx := map[int64]int{}
	for i, e := range events {
		idx[e.ID] = i
	}
	for rows.Next() {
		var id int64
		var d samrad.EventDay
		var s, e timestamp
		if err := rows.Scan(&id, &d.Date, &s, &e); err != nil {
			return err
		}
		d.Start, d.End = s.t, e.t
		if i, ok := idx[id]; ok {
			events[i].Days = append(events[i].Days, d)
		}
	}
	return rows.Err()
}

// Events lists an alliance's events, newest first; unpublished ones only
// if all is set.
func (db *DB) Events(ctx context.Context, allianceID int64, all bool) ([]samrad.Event, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+eventColumns+` FROM events WHERE alliance_id = $1 AND (published = $2 OR $3) ORDER BY id`,
		allianceID, true, all)
	if err != nil {
		return nil, err
	}
	var out []samrad.Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := loadDays(ctx, db.db, out, `JOIN events e ON e.id = d.event_id WHERE e.alliance_id = $1`, allianceID); err != nil {
		return nil, err
	}
	// Newest first by the first day.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].FirstDay().After(out[j-1].FirstDay()); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out, nil
}

// Event returns an event of an alliance with its days and programme.
func (db *DB) Event(ctx context.Context, allianceID int64, slug string) (samrad.Event, error) {
	e, err := scanEvent(db.db.QueryRowContext(ctx, `SELECT `+eventColumns+` FROM events WHERE alliance_id = $1 AND slug = $2`, allianceID, slug))
	if err != nil {
		return e, notFound(err, "no event %q", slug)
	}
	return e, loadProgramme(ctx, db.db, &e)
}

// eventByID reads an event with its programme in tx.
func eventByID(ctx context.Context, q queryer, id int64) (samrad.Event, error) {
	e, err := scanEvent(q.QueryRowContext(ctx, `SELECT `+eventColumns+` FROM events WHERE id = $1`, id))
	if err != nil {
		return e, notFound(err, "no event %d", id)
	}
	return e, loadProgramme(ctx, q, &e)
}

// loadProgramme fills an event's days, sessions, speakers and material:
// four queries whatever the size of the programme.
func loadProgramme(ctx context.Context, q queryer, e *samrad.Event) error {
	events := []samrad.Event{*e}
	if err := loadDays(ctx, q, events, `WHERE d.event_id = $1`, e.ID); err != nil {
		return err
	}
	e.Days = events[0].Days
	rows, err := q.QueryContext(ctx, `SELECT id, day, starts_at, ends_at, position, title_nb, title_en, topic, capacity
		FROM event_sessions WHERE event_id = $1 ORDER BY day, position, id`, e.ID)
	if err != nil {
		return err
	}
	idx := map[int64]int{}
	e.Sessions = nil
	for rows.Next() {
		s := samrad.Session{EventID: e.ID}
		var st, en timestamp
		if err := rows.Scan(&s.ID, &s.Day, &st, &en, &s.Position, &s.TitleNB, &s.TitleEN, &s.Topic, &s.Capacity); err != nil {
			rows.Close()
			return err
		}
		s.Start, s.End = st.t, en.t
		idx[s.ID] = len(e.Sessions)
		e.Sessions = append(e.Sessions, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(e.Sessions) == 0 {
		return nil
	}
	rows, err = q.QueryContext(ctx, `SELECT sp.id, sp.session_id, COALESCE(p.id, 0), COALESCE(p.name, ''), COALESCE(p.title, ''), sp.role, sp.organisation
		FROM event_speakers sp JOIN event_sessions s ON s.id = sp.session_id LEFT JOIN people p ON p.id = sp.person_id
		WHERE s.event_id = $1 ORDER BY sp.id`, e.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var sp samrad.Speaker
		var sid int64
		if err := rows.Scan(&sp.ID, &sid, &sp.Person.ID, &sp.Person.Name, &sp.Person.Title, &sp.Role, &sp.Organisation); err != nil {
			rows.Close()
			return err
		}
		if i, ok := idx[sid]; ok {
			e.Sessions[i].Speakers = append(e.Sessions[i].Speakers, sp)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = q.QueryContext(ctx, `SELECT m.id, m.session_id, m.title, m.filename, m.sha256, f.content_type, f.size
		FROM event_materials m JOIN event_sessions s ON s.id = m.session_id JOIN files f ON f.sha256 = m.sha256
		WHERE s.event_id = $1 ORDER BY m.id`, e.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var m samrad.Material
		if err := rows.Scan(&m.ID, &m.SessionID, &m.Title, &m.Filename, &m.SHA256, &m.ContentType, &m.Size); err != nil {
			return err
		}
		if i, ok := idx[m.SessionID]; ok {
			e.Sessions[i].Materials = append(e.Sessions[i].Materials, m)
		}
	}
	return rows.Err()
}

// AddSession adds a session to an event's programme, last on its day.
func (db *DB) AddSession(ctx context.Context, allianceID int64, s *samrad.Session) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		e, err := eventByID(ctx, tx, s.EventID)
		if err != nil || e.AllianceID != allianceID {
			return samrad.Errorf(samrad.ENOTFOUND, "no event %d", s.EventID)
		}
		if err := s.Validate(e); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(position), 0) + 1 FROM event_sessions WHERE event_id = $1 AND day = $2`,
			s.EventID, s.Day).Scan(&s.Position); err != nil {
			return err
		}
		id, err := insertID(ctx, tx, `INSERT INTO event_sessions (event_id, day, starts_at, ends_at, position, title_nb, title_en, topic, capacity)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, s.EventID, s.Day, timeArg(s.Start), timeArg(s.End), s.Position, s.TitleNB, s.TitleEN, s.Topic, s.Capacity)
		if err != nil {
			return err
		}
		s.ID = id
		if err := renew(ctx, tx, stampEvents); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "create", "event_session", id, nil, s)
	})
}

// sessionAlliance returns the alliance and event of a session.
func sessionAlliance(ctx context.Context, tx *sql.Tx, sessionID int64) (alliance, event int64, err error) {
	err = tx.QueryRowContext(ctx, `SELECT e.alliance_id, e.id FROM event_sessions s JOIN events e ON e.id = s.event_id WHERE s.id = $1`, sessionID).Scan(&alliance, &event)
	return alliance, event, notFound(err, "no session %d", sessionID)
}

// AddSpeaker adds a speaker to a session. A speaker whose person has no
// id is a new person, stored in the same transaction; one with neither
// person nor organisation is refused.
func (db *DB) AddSpeaker(ctx context.Context, allianceID, sessionID int64, sp *samrad.Speaker) error {
	sp.Person.Name, sp.Role, sp.Organisation = strings.TrimSpace(sp.Person.Name), strings.TrimSpace(sp.Role), strings.TrimSpace(sp.Organisation)
	if sp.Person.ID == 0 && sp.Person.Name == "" && sp.Organisation == "" {
		return samrad.FieldErrorf("speaker_name", "give the speaker's name or organisation")
	}
	for _, v := range []string{sp.Person.Name, sp.Role, sp.Organisation} {
		if strings.ContainsAny(v, "\r\n") || len(v) > 300 {
			return samrad.FieldErrorf("speaker_name", "name, title and organisation are one short line each")
		}
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		a, _, err := sessionAlliance(ctx, tx, sessionID)
		if err != nil || a != allianceID {
			return samrad.Errorf(samrad.ENOTFOUND, "no session %d", sessionID)
		}
		if sp.Person.ID == 0 && sp.Person.Name != "" {
			id, err := insertID(ctx, tx, `INSERT INTO people (name, title, email) VALUES ($1, $2, '')`, sp.Person.Name, sp.Role)
			if err != nil {
				return err
			}
			sp.Person.ID = id
			if err := renew(ctx, tx, stampGovernance); err != nil {
				return err
			}
			if err := audit(ctx, tx, 0, "create", "person", id, nil, map[string]string{"name": sp.Person.Name, "title": sp.Role}); err != nil {
				return err
			}
		} else if sp.Person.ID != 0 {
			if err := tx.QueryRowContext(ctx, `SELECT name, title FROM people WHERE id = $1`, sp.Person.ID).Scan(&sp.Person.Name, &sp.Person.Title); err != nil {
				return samrad.FieldErrorf("person", "no person %d", sp.Person.ID)
			}
		}
		id, err := insertID(ctx, tx, `INSERT INTO event_speakers (session_id, person_id, role, organisation) VALUES ($1, $2, $3, $4)`,
			sessionID, nullID(sp.Person.ID), sp.Role, sp.Organisation)
		if err != nil {
			return err
		}
		sp.ID = id
		if err := renew(ctx, tx, stampEvents); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "create", "event_speaker", id, nil, map[string]any{"session": sessionID, "speaker": sp.Label()})
	})
}

// AddMaterial stores a file (once by its SHA-256, with the document
// store's type checks) and shows it with a session.
func (db *DB) AddMaterial(ctx context.Context, allianceID int64, m *samrad.Material, data []byte) error {
	m.Title = strings.TrimSpace(m.Title)
	if m.Title == "" || strings.ContainsAny(m.Title, "\r\n") {
		return samrad.FieldErrorf("material_title", "the material needs a title of one line")
	}
	if strings.ContainsAny(m.Filename, "/\\\x00\r\n\"") || m.Filename == "" || len(m.Filename) > 200 {
		return samrad.FieldErrorf("file", "the file name %q is not allowed", m.Filename)
	}
	ct, err := samrad.DetectDocumentType(m.Filename, data)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	m.SHA256, m.Size, m.ContentType = hex.EncodeToString(sum[:]), int64(len(data)), ct
	return db.inTx(ctx, func(tx *sql.Tx) error {
		a, _, err := sessionAlliance(ctx, tx, m.SessionID)
		if err != nil || a != allianceID {
			return samrad.Errorf(samrad.ENOTFOUND, "no session %d", m.SessionID)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO files (sha256, size, content_type, data) VALUES ($1, $2, $3, $4)
			ON CONFLICT (sha256) DO NOTHING`, m.SHA256, m.Size, m.ContentType, data); err != nil {
			return err
		}
		id, err := insertID(ctx, tx, `INSERT INTO event_materials (session_id, title, filename, sha256, created_at) VALUES ($1, $2, $3, $4, $5)`,
			m.SessionID, m.Title, m.Filename, m.SHA256, now())
		if err != nil {
			return err
		}
		m.ID = id
		if err := renew(ctx, tx, stampEvents); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "create", "event_material", id, nil, m)
	})
}

// MaterialFile returns a session's material of an event with its bytes.
func (db *DB) MaterialFile(ctx context.Context, eventID, id int64) (samrad.Material, []byte, error) {
	var m samrad.Material
	var data []byte
	err := db.db.QueryRowContext(ctx, `SELECT m.id, m.session_id, m.title, m.filename, m.sha256, f.content_type, f.size, f.data
		FROM event_materials m JOIN event_sessions s ON s.id = m.session_id JOIN files f ON f.sha256 = m.sha256
		WHERE m.id = $1 AND s.event_id = $2`, id, eventID).Scan(&m.ID, &m.SessionID, &m.Title, &m.Filename, &m.SHA256, &m.ContentType, &m.Size, &data)
	if err != nil {
		return m, nil, notFound(err, "no material %d", id)
	}
	return m, data, nil
}
