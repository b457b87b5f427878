package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/samrad/samrad"
)

// UpdateCase changes a case's title, type, presentation and proposed
// decision. Its number, year and alliance never change.
func (db *DB) UpdateCase(ctx context.Context, c *samrad.Case) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		before, err := scanCase(tx.QueryRowContext(ctx, `SELECT `+caseColumns+` FROM cases WHERE id = $1`, c.ID))
		if err != nil {
			return notFound(err, "no case %d", c.ID)
		}
		if before.AllianceID != c.AllianceID {
			return samrad.Errorf(samrad.ENOTFOUND, "no case %d", c.ID)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE cases SET title = $1, type = $2, presentation = $3, proposed_decision = $4 WHERE id = $5`,
			c.Title, c.Type, c.Presentation, c.ProposedDecision, c.ID); err != nil {
			return err
		}
		after := before
		after.Title, after.Type, after.Presentation, after.ProposedDecision = c.Title, c.Type, c.Presentation, c.ProposedDecision
		*c = after
		if err := renew(ctx, tx, stampGovernance); err != nil {
			return err
		}
		return audit(ctx, tx, c.AllianceID, "update", "case", c.ID, before, after)
	})
}

// SetDecision records what the meeting's body decided on a case of its
// agenda. The case's own decision is the one of the last meeting, by date,
// that decided on it: a board's recommendation gives way to the council's
// decision. Approved minutes can no longer change.
func (db *DB) SetDecision(ctx context.Context, meetingID, caseID int64, decision string) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		m, b, err := meetingInfo(ctx, tx, meetingID)
		if err != nil {
			return err
		}
		if m.Status == samrad.MeetingMinutesApproved || m.Status == samrad.MeetingPublished {
			return samrad.Errorf(samrad.ECONFLICT, "the minutes are approved and can no longer change")
		}
		var before string
		if err := tx.QueryRowContext(ctx, `SELECT decision FROM agenda_items WHERE meeting_id = $1 AND case_id = $2`, meetingID, caseID).Scan(&before); err != nil {
			return notFound(err, "the case is not on the meeting's agenda")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE agenda_items SET decision = $1 WHERE meeting_id = $2 AND case_id = $3`, decision, meetingID, caseID); err != nil {
			return err
		}
		var final string
		err = tx.QueryRowContext(ctx, `SELECT a.decision FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id
			WHERE a.case_id = $1 AND a.decision <> '' ORDER BY m.starts_at DESC, m.id DESC LIMIT 1`, caseID).Scan(&final)
		if err != nil && err != sql.ErrNoRows {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE cases SET decision = $1 WHERE id = $2`, final, caseID); err != nil {
			return err
		}
		if err := renew(ctx, tx, stampGovernance); err != nil {
			return err
		}
		return audit(ctx, tx, b.AllianceID, "update", "decision", fmt.Sprint(meetingID, "/", caseID), before, decision)
	})
}

// EndSeat ends a seat on the given day (the last day it is held).
func (db *DB) EndSeat(ctx context.Context, seatID int64, to samrad.Date) error {
	if to.IsZero() {
		return samrad.FieldErrorf("to", "the last day is required")
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var allianceID int64
		var from, attested, until sql.NullString
		if err := tx.QueryRowContext(ctx, `SELECT b.alliance_id, s.valid_from, s.attested_on, s.valid_to FROM seats s JOIN bodies b ON b.id = s.body_id WHERE s.id = $1`,
			seatID).Scan(&allianceID, &from, &attested, &until); err != nil {
			return notFound(err, "no seat %d", seatID)
		}
		if from.Valid && from.String[:10] > to.String() {
			return samrad.FieldErrorf("to", "the seat starts on %s, after %s", from.String[:10], to)
		}
		if until.Valid {
			return samrad.Errorf(samrad.ECONFLICT, "the seat has already ended on %s", until.String[:10])
		}
		if _, err := tx.ExecContext(ctx, `UPDATE seats SET valid_to = $1 WHERE id = $2`, to, seatID); err != nil {
			return err
		}
		if err := renew(ctx, tx, stampGovernance); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "update", "seat", seatID, map[string]any{"to": nil}, map[string]string{"to": to.String()})
	})
}

// Delivery is the notice of a meeting e-mailed, or tried, to one person.
type Delivery struct {
	MeetingID, PersonID int64
	Name, Email         string
	Attempts            int
	SentAt              time.Time // zero until a message was accepted
	Error               string    // the last failure, if it was not sent
	UpdatedAt           time.Time
}

// Sent reports whether the server accepted the message.
func (d Delivery) Sent() bool { return !d.SentAt.IsZero() }

// Deliveries lists the notice e-mails of a meeting by name.
func (db *DB) Deliveries(ctx context.Context, meetingID int64) ([]Delivery, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT d.meeting_id, d.person_id, p.name, d.email, d.attempts, d.sent_at, d.error, d.updated_at
		FROM notice_deliveries d JOIN people p ON p.id = d.person_id WHERE d.meeting_id = $1 ORDER BY p.name, p.id`, meetingID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Delivery
	for rows.Next() {
		var d Delivery
		var sent, updated timestamp
		if err := rows.Scan(&d.MeetingID, &d.PersonID, &d.Name, &d.Email, &d.Attempts, &sent, &d.Error, &updated); err != nil {
			return nil, err
		}
		d.SentAt, d.UpdatedAt = sent.t, updated.t
		out = append(out, d)
	}
	return out, rows.Err()
}

// RecordDelivery notes one attempt to e-mail the notice: sendErr nil means
// the server accepted it. A delivery once sent stays sent.
func (db *DB) RecordDelivery(ctx context.Context, meetingID, personID int64, email string, sendErr error) error {
	var sent any
	msg := ""
	if sendErr == nil {
		sent = now()
	} else {
		msg = sendErr.Error()
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		_, b, err := meetingInfo(ctx, tx, meetingID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO notice_deliveries (meeting_id, person_id, email, attempts, sent_at, error, updated_at)
			VALUES ($1, $2, $3, 1, $4, $5, $6)
			ON CONFLICT (meeting_id, person_id) DO UPDATE SET email = excluded.email, attempts = notice_deliveries.attempts + 1,
				sent_at = COALESCE(notice_deliveries.sent_at, excluded.sent_at), error = excluded.error, updated_at = excluded.updated_at`,
			meetingID, personID, email, sent, msg, now()); err != nil {
			return err
		}
		return audit(ctx, tx, b.AllianceID, "send", "notice", fmt.Sprint(meetingID, "/", personID), nil, map[string]any{"email": email, "sent": sendErr == nil, "error": msg})
	})
}
