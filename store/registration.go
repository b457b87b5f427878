package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/auth"
)

// RegistrationMail builds the e-mail of kind "registration" (the
// confirmation, with token the self-service link's token), "promotion" (a
// place from the waiting list) or "reminder" about a registration. It is
// called inside the transaction of the change, and what it returns is
// queued in the outbox there.
type RegistrationMail func(kind string, e samrad.Event, r samrad.Registration, token string) (OutboxMessage, error)

// Outbox kinds of the registration e-mails.
const (
	MailRegistration = "registration"
	MailPromotion    = "promotion"
	MailReminder     = "reminder"
)

// lockEvent serialises the registrations of one event: on PostgreSQL the
// event's row is locked for the transaction; SQLite's transactions take
// the write lock when they begin.
func (db *DB) lockEvent(ctx context.Context, tx *sql.Tx, eventID int64) error {
	if db.dialect != Postgres {
		return nil
	}
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM events WHERE id = $1 FOR UPDATE`, eventID).Scan(&id)
	return notFound(err, "no event %d", eventID)
}

func countConfirmed(ctx context.Context, tx *sql.Tx, eventID int64) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM registrations WHERE event_id = $1 AND status = $2`, eventID, samrad.RegistrationConfirmed).Scan(&n)
	return n, err
}

func compose(fn RegistrationMail, kind string, e samrad.Event, r samrad.Registration, token string) ([]OutboxMessage, error) {
	if fn == nil {
		return nil, nil
	}
	m, err := fn(kind, e, r, token)
	if err != nil {
		return nil, err
	}
	m.Kind, m.RefID, m.AllianceID = kind, r.ID, e.AllianceID
	return []OutboxMessage{m}, nil
}

// Register stores a registration for an event at now, confirmed while
// there are places and on the waiting list after that (if the event keeps
// one), and queues the confirmation e-mail in the same transaction. It
// returns the token of the self-service link; only its digest is stored.
//
// The event is locked for the transaction, so that concurrent
// registrations never take more places than the event or a session has. A
// session's places count the confirmed and the waiting registrations that
// chose it, so that a promotion from the waiting list never overfills it.
func (db *DB) Register(ctx context.Context, r *samrad.Registration, now time.Time, mail RegistrationMail) (string, error) {
	token := auth.NewToken()
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if err := db.lockEvent(ctx, tx, r.EventID); err != nil {
			return err
		}
		e, err := eventByID(ctx, tx, r.EventID)
		if err != nil {
			return err
		}
		if err := r.Validate(e); err != nil {
			return err
		}
		if !e.RegistrationOpen(now) {
			return samrad.Errorf(samrad.ECONFLICT, "registration for %s is closed", e.TitleNB)
		}
		var dup int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM registrations WHERE event_id = $1 AND email = $2 AND anonymised_at IS NULL`,
			e.ID, r.Email).Scan(&dup); err != nil {
			return err
		}
		if dup > 0 {
			return &samrad.Error{Code: samrad.ECONFLICT, Field: "email", Message: fmt.Sprintf("%s is already registered for this event; use the link in the confirmation to see or cancel it", r.Email)}
		}
		r.Status = samrad.RegistrationConfirmed
		if c := e.Registration.Capacity; c > 0 {
			n, err := countConfirmed(ctx, tx, e.ID)
			if err != nil {
				return err
			}
			if n >= c {
				if !e.Registration.WaitingList {
					return samrad.Errorf(samrad.ECONFLICT, "the event is full")
				}
				r.Status = samrad.RegistrationWaiting
			}
		}
		for _, sid := range r.SessionIDs {
			s, _ := e.Session(sid)
			if s.Capacity == 0 {
				continue
			}
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM registration_sessions rs JOIN registrations r ON r.id = rs.registration_id
				WHERE rs.session_id = $1`, sid).Scan(&n); err != nil {
				return err
			}
			if n >= s.Capacity {
				return &samrad.Error{Code: samrad.ECONFLICT, Field: "sessions", Message: fmt.Sprintf("the session %q is full", s.TitleNB)}
			}
		}
		r.CreatedAt, r.ConsentAt = now.UTC().Truncate(time.Second), now.UTC().Truncate(time.Second)
		id, err := insertID(ctx, tx, `INSERT INTO registrations (event_id, lang, name, email, organisation, diet, accessibility, comment, status,
			token_digest, consent_text, consent_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
			e.ID, r.Lang, r.Name, r.Email, r.Organisation, r.Diet, r.Accessibility, r.Comment, r.Status, auth.Digest(token),
			r.ConsentText, timeArg(r.ConsentAt), timeArg(r.CreatedAt))
		if err != nil {
			return err
		}
		r.ID = id
		rows := make([][]any, len(r.SessionIDs))
		for i, sid := range r.SessionIDs {
			rows[i] = []any{id, sid}
		}
		if err := insertBatch(ctx, tx, `INSERT INTO registration_sessions (registration_id, session_id) VALUES `, rows); err != nil {
			return err
		}
		msgs, err := compose(mail, MailRegistration, e, *r, token)
		if err != nil {
			return err
		}
		if err := enqueue(ctx, tx, msgs...); err != nil {
			return err
		}
		if err := renew(ctx, tx, stampEvents); err != nil {
			return err
		}
		// The audit log names the registration, not the person.
		return audit(ctx, tx, e.AllianceID, "create", "registration", id, nil, map[string]any{"event": e.ID, "status": r.Status, "sessions": r.SessionIDs})
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

const registrationColumns = `r.id, r.event_id, r.lang, r.name, r.email, r.organisation, r.diet, r.accessibility, r.comment, r.status,
	r.consent_text, r.consent_at, r.created_at, r.checked_in, r.reminded_at, r.anonymised_at`

func scanRegistration(s interface{ Scan(...any) error }) (samrad.Registration, error) {
	var r samrad.Registration
	var consent, created, reminded, anon timestamp
	err := s.Scan(&r.ID, &r.EventID, &r.Lang, &r.Name, &r.Email, &r.Organisation, &r.Diet, &r.Accessibility, &r.Comment, &r.Status,
		&r.ConsentText, &consent, &created, &r.CheckedIn, &reminded, &anon)
	r.ConsentAt, r.CreatedAt, r.RemindedAt, r.Anonymised = consent.t, created.t, reminded.t, !anon.t.IsZero()
	return r, err
}

// registrationSessions fills the sessions chosen by the registrations.
func registrationSessions(ctx context.Context, q queryer, regs []samrad.Registration, eventID int64) error {
	rows, err := q.QueryContext(ctx, `SELECT rs.registration_id, rs.session_id FROM registration_sessions rs
		JOIN registrations r ON r.id = rs.registration_id WHERE r.event_id = $1 ORDER BY rs.registration_id, rs.session_id`, eventID)
	if err != nil {
		return err
	}
	defer rows.Close()
	idx := map[int64]int{}
	for i, r := range regs {
		idx[r.ID] = i
	}
	for rows.Next() {
		var rid, sid int64
		if err := rows.Scan(&rid, &sid); err != nil {
			return err
		}
		if i, ok := idx[rid]; ok {
			regs[i].SessionIDs = append(regs[i].SessionIDs, sid)
		}
	}
	return rows.Err()
}

// RegistrationByToken returns the registration a self-service link
// names, with its event. A token that names none (forged, cancelled or
// anonymised) is ENOTFOUND.
func (db *DB) RegistrationByToken(ctx context.Context, token string) (samrad.Registration, samrad.Event, error) {
	if len(token) != 43 {
		return samrad.Registration{}, samrad.Event{}, samrad.Errorf(samrad.ENOTFOUND, "no such registration")
	}
	r, err := scanRegistration(db.db.QueryRowContext(ctx, `SELECT `+registrationColumns+` FROM registrations r WHERE r.token_digest = $1`, auth.Digest(token)))
	if err != nil {
		return r, samrad.Event{}, notFound(err, "no such registration")
	}
	e, err := eventByID(ctx, db.db, r.EventID)
	if err != nil {
		return r, e, err
	}
	regs := []samrad.Registration{r}
	if err := registrationSessionsOf(ctx, db.db, regs); err != nil {
		return r, e, err
	}
	return regs[0], e, nil
}

func registrationSessionsOf(ctx context.Context, q queryer, regs []samrad.Registration) error {
	rows, err := q.QueryContext(ctx, `SELECT session_id FROM registration_sessions WHERE registration_id = $1 ORDER BY session_id`, regs[0].ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var sid int64
		if err := rows.Scan(&sid); err != nil {
			return err
		}
		regs[0].SessionIDs = append(regs[0].SessionIDs, sid)
	}
	return rows.Err()
}

// CancelRegistration deletes the registration a self-service link names,
// with its personal data. If it held a place, the first on the waiting
// list gets it, and is told by e-mail, in the same transaction.
func (db *DB) CancelRegistration(ctx context.Context, token string, mail RegistrationMail) error {
	if len(token) != 43 {
		return samrad.Errorf(samrad.ENOTFOUND, "no such registration")
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var id, eventID int64
		if err := tx.QueryRowContext(ctx, `SELECT id, event_id FROM registrations WHERE token_digest = $1`, auth.Digest(token)).Scan(&id, &eventID); err != nil {
			return notFound(err, "no such registration")
		}
		return db.removeRegistration(ctx, tx, eventID, id, mail)
	})
}

// DeleteRegistration is CancelRegistration for the organiser, by id.
func (db *DB) DeleteRegistration(ctx context.Context, allianceID, eventID, id int64, mail RegistrationMail) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var a int64
		if err := tx.QueryRowContext(ctx, `SELECT e.alliance_id FROM registrations r JOIN events e ON e.id = r.event_id WHERE r.id = $1 AND e.id = $2`,
			id, eventID).Scan(&a); err != nil || a != allianceID {
			return samrad.Errorf(samrad.ENOTFOUND, "no registration %d", id)
		}
		return db.removeRegistration(ctx, tx, eventID, id, mail)
	})
}

func (db *DB) removeRegistration(ctx context.Context, tx *sql.Tx, eventID, id int64, mail RegistrationMail) error {
	if err := db.lockEvent(ctx, tx, eventID); err != nil {
		return err
	}
	var status string
	// Read again under the lock: a concurrent cancel may have won.
	if err := tx.QueryRowContext(ctx, `SELECT status FROM registrations WHERE id = $1`, id).Scan(&status); err != nil {
		return notFound(err, "no such registration")
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM registration_sessions WHERE registration_id = $1`, id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM registrations WHERE id = $1`, id); err != nil {
		return err
	}
	e, err := eventByID(ctx, tx, eventID)
	if err != nil {
		return err
	}
	promoted := []int64{}
	if status == samrad.RegistrationConfirmed {
		if promoted, err = promote(ctx, tx, e, mail); err != nil {
			return err
		}
	}
	if err := renew(ctx, tx, stampEvents); err != nil {
		return err
	}
	return audit(ctx, tx, e.AllianceID, "delete", "registration", id, map[string]any{"event": eventID, "status": status}, map[string]any{"promoted": promoted})
}

// promote gives free places to the waiting list in order of registration.
func promote(ctx context.Context, tx *sql.Tx, e samrad.Event, mail RegistrationMail) ([]int64, error) {
	free := 1 << 30
	if c := e.Registration.Capacity; c > 0 {
		n, err := countConfirmed(ctx, tx, e.ID)
		if err != nil {
			return nil, err
		}
		free = c - n
	}
	if free <= 0 {
		return nil, nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+registrationColumns+` FROM registrations r WHERE r.event_id = $1 AND r.status = $2
		AND r.anonymised_at IS NULL ORDER BY r.id LIMIT $3`, e.ID, samrad.RegistrationWaiting, min(free, 10000))
	if err != nil {
		return nil, err
	}
	var regs []samrad.Registration
	for rows.Next() {
		r, err := scanRegistration(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		regs = append(regs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var ids []int64
	for _, r := range regs {
		if _, err := tx.ExecContext(ctx, `UPDATE registrations SET status = $1 WHERE id = $2`, samrad.RegistrationConfirmed, r.ID); err != nil {
			return nil, err
		}
		r.Status = samrad.RegistrationConfirmed
		msgs, err := compose(mail, MailPromotion, e, r, "")
		if err != nil {
			return nil, err
		}
		if err := enqueue(ctx, tx, msgs...); err != nil {
			return nil, err
		}
		ids = append(ids, r.ID)
	}
	return ids, nil
}

// Participants lists an event's registrations in order: the confirmed,
// then the waiting list, each by time of registration.
func (db *DB) Participants(ctx context.Context, eventID int64) ([]samrad.Registration, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+registrationColumns+` FROM registrations r WHERE r.event_id = $1
		ORDER BY CASE r.status WHEN $2 THEN 0 ELSE 1 END, r.id`, eventID, samrad.RegistrationConfirmed)
	if err != nil {
		return nil, err
	}
	var out []samrad.Registration
	for rows.Next() {
		r, err := scanRegistration(rows)
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
	return out, registrationSessions(ctx, db.db, out, eventID)
}

// Places is how many places of an event and its sessions are taken.
type Places struct {
	Confirmed, Waiting int
	Sessions           map[int64]int // session → registrations that chose it (confirmed and waiting)
}

// EventPlaces counts an event's registrations.
func (db *DB) EventPlaces(ctx context.Context, eventID int64) (Places, error) {
	p := Places{Sessions: map[int64]int{}}
	rows, err := db.db.QueryContext(ctx, `SELECT 0, r.status, COUNT(*) FROM registrations r WHERE r.event_id = $1 GROUP BY r.status
		UNION ALL SELECT rs.session_id, '', COUNT(*) FROM registration_sessions rs JOIN registrations r ON r.id = rs.registration_id
		WHERE r.event_id = $1 GROUP BY rs.session_id`, eventID)
	if err != nil {
		return p, err
	}
	defer rows.Close()
	for rows.Next() {
		var sid int64
		var status string
		var n int
		if err := rows.Scan(&sid, &status, &n); err != nil {
			return p, err
		}
		switch {
		case sid != 0:
			p.Sessions[sid] = n
		case status == samrad.RegistrationConfirmed:
			p.Confirmed = n
		case status == samrad.RegistrationWaiting:
			p.Waiting = n
		}
	}
	return p, rows.Err()
}

// SetCheckedIn marks a participant as arrived, or not.
func (db *DB) SetCheckedIn(ctx context.Context, allianceID, eventID, id int64, in bool) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var a int64
		var status string
		if err := tx.QueryRowContext(ctx, `SELECT e.alliance_id, r.status FROM registrations r JOIN events e ON e.id = r.event_id WHERE r.id = $1 AND e.id = $2`,
			id, eventID).Scan(&a, &status); err != nil || a != allianceID {
			return samrad.Errorf(samrad.ENOTFOUND, "no registration %d", id)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE registrations SET checked_in = $1 WHERE id = $2`, in, id); err != nil {
			return err
		}
		if err := renew(ctx, tx, stampEvents); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "update", "registration", id, map[string]bool{"checked_in": !in}, map[string]bool{"checked_in": in})
	})
}

// RemindRegistrations queues a reminder for every confirmed registration
// of a published event that starts within the coming period after now and
// has not been reminded, each once. It returns how many were queued.
func (db *DB) RemindRegistrations(ctx context.Context, now time.Time, within time.Duration, mail RegistrationMail) (int, error) {
	if mail == nil {
		return 0, errors.New("store: reminders need a mail builder")
	}
	ids, err := queryIDs(ctx, db.db, `SELECT DISTINCT r.event_id FROM registrations r JOIN events e ON e.id = r.event_id
		WHERE r.status = $1 AND r.reminded_at IS NULL AND r.anonymised_at IS NULL AND e.published = $2`, samrad.RegistrationConfirmed, true)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, id := range ids {
		err := db.inTx(ctx, func(tx *sql.Tx) error {
			if err := db.lockEvent(ctx, tx, id); err != nil {
				return err
			}
			e, err := eventByID(ctx, tx, id)
			if err != nil {
				return err
			}
			start := e.Starts()
			if !start.After(now) || start.After(now.Add(within)) {
				return nil
			}
			rows, err := tx.QueryContext(ctx, `SELECT `+registrationColumns+` FROM registrations r WHERE r.event_id = $1 AND r.status = $2
				AND r.reminded_at IS NULL AND r.anonymised_at IS NULL ORDER BY r.id`, id, samrad.RegistrationConfirmed)
			if err != nil {
				return err
			}
			var regs []samrad.Registration
			for rows.Next() {
				r, err := scanRegistration(rows)
				if err != nil {
					rows.Close()
					return err
				}
				regs = append(regs, r)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			var msgs []OutboxMessage
			for _, r := range regs {
				m, err := compose(mail, MailReminder, e, r, "")
				if err != nil {
					return err
				}
				msgs = append(msgs, m...)
			}
			if err := enqueue(ctx, tx, msgs...); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE registrations SET reminded_at = $1 WHERE event_id = $2 AND status = $3 AND reminded_at IS NULL
				AND anonymised_at IS NULL`, timeArg(now), id, samrad.RegistrationConfirmed); err != nil {
				return err
			}
			total += len(regs)
			return audit(ctx, tx, e.AllianceID, "remind", "event", id, nil, map[string]int{"reminders": len(regs)})
		})
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// AnonymiseRegistrations blanks the personal data of the registrations of
// every event that ended more than its retention days before now: names,
// e-mail addresses, organisations, dietary and accessibility needs and
// free text. The rows stay, so that the counts do; the self-service links
// stop working. It returns how many registrations it blanked.
func (db *DB) AnonymiseRegistrations(ctx context.Context, now time.Time) (int, error) {
	ids, err := queryIDs(ctx, db.db, `SELECT DISTINCT r.event_id FROM registrations r WHERE r.anonymised_at IS NULL`)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, id := range ids {
		err := db.inTx(ctx, func(tx *sql.Tx) error {
			e, err := scanEvent(tx.QueryRowContext(ctx, `SELECT `+eventColumns+` FROM events WHERE id = $1`, id))
			if err != nil {
				return err
			}
			events := []samrad.Event{e}
			if err := loadDays(ctx, tx, events, `WHERE d.event_id = $1`, id); err != nil {
				return err
			}
			e = events[0]
			if e.Ends().AddDate(0, 0, e.Registration.RetentionDays).After(now) {
				return nil
			}
			res, err := tx.ExecContext(ctx, `UPDATE registrations SET name = '', email = '', organisation = '', diet = '', accessibility = '',
				comment = '', token_digest = NULL, anonymised_at = $1 WHERE event_id = $2 AND anonymised_at IS NULL`, timeArg(now), id)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			total += int(n)
			if err := renew(ctx, tx, stampEvents); err != nil {
				return err
			}
			return audit(ctx, tx, e.AllianceID, "anonymise", "event", id, nil, map[string]int64{"registrations": n})
		})
		if err != nil {
			return total, err
		}
	}
	return total, nil
}
