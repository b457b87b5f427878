package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/samrad/samrad"
)

// MailDeadlineReminder is the outbox kind of a deadline reminder.
const MailDeadlineReminder = "deadline_reminder"

// deadlineSource is where one kind of deadline is read from: a SELECT of
// the columns kind, ref_id, alliance_id, title_nb, title_en, context_nb,
// context_en, at and slug, whose WHERE clause ends with "AND" so that a
// condition on the alliance, the date (the column named by at) or the row
// (the column named by id) can follow.
//
// Calls and applications have moments (RFC 3339 text in UTC); the others
// have dates (YYYY-MM-DD), which fall at the end of the day in Norway.
type deadlineSource struct {
	kind         samrad.DeadlineKind
	query        string
	alliance, at string
	id           string
	moment       bool // at is a moment, not a date
}

var deadlineSources = []deadlineSource{
	{kind: samrad.DeadlineCall, moment: true, alliance: "p.alliance_id", at: "c.deadline", id: "c.id",
		query: `SELECT 'call', c.id, p.alliance_id, c.title, c.title, p.name_nb, p.name_en, c.deadline, p.slug
			FROM funding_calls c JOIN funding_programmes p ON p.id = c.programme_id WHERE`},
	// An application has a deadline while it is being prepared: its own,
	// or its call's.
	{kind: samrad.DeadlineApplication, moment: true, alliance: "a.alliance_id", at: "COALESCE(a.deadline, c.deadline)", id: "a.id",
		query: `SELECT 'application', a.id, a.alliance_id, a.title, a.title, p.name_nb, p.name_en, COALESCE(a.deadline, c.deadline), p.slug
			FROM applications a JOIN funding_programmes p ON p.id = a.programme_id LEFT JOIN funding_calls c ON c.id = a.call_id
			WHERE a.status IN ('planned', 'drafting') AND`},
	{kind: samrad.DeadlineAgreementEnd, alliance: "g.alliance_id", at: "g.ends", id: "g.id",
		query: `SELECT 'agreement_end', g.id, g.alliance_id, g.title_nb, g.title_en, '', '', g.ends, g.slug FROM agreements g WHERE`},
	{kind: samrad.DeadlineAgreementRenewal, alliance: "g.alliance_id", at: "g.renewal_date", id: "g.id",
		query: `SELECT 'agreement_renewal', g.id, g.alliance_id, g.title_nb, g.title_en, '', '', g.renewal_date, g.slug FROM agreements g WHERE`},
	// A network that has ended is renewed no more.
	{kind: samrad.DeadlineNetworkRenewal, alliance: "n.alliance_id", at: "n.renewal_date", id: "n.id",
		query: `SELECT 'network_renewal', n.id, n.alliance_id, n.name_nb, n.name_en, '', '', n.renewal_date, n.slug FROM networks n
			WHERE n.ended IS NULL AND`},
	// A milestone done is no longer a deadline.
	{kind: samrad.DeadlineMilestone, alliance: "p.alliance_id", at: "m.due", id: "m.id",
		query: `SELECT 'milestone', m.id, p.alliance_id, m.title, m.title, p.name_nb, p.name_en, m.due, p.slug
			FROM project_milestones m JOIN projects p ON p.id = m.project_id WHERE m.done_on IS NULL AND`},
}

func sourceOf(kind samrad.DeadlineKind) (deadlineSource, bool) {
	for _, s := range deadlineSources {
		if s.kind == kind {
			return s, true
		}
	}
	return deadlineSource{}, false
}

// scanDeadline reads a row of a deadline source.
func scanDeadline(s interface{ Scan(...any) error }) (samrad.Deadline, error) {
	var d samrad.Deadline
	var kind, at string
	if err := s.Scan(&kind, &d.RefID, &d.AllianceID, &d.TitleNB, &d.TitleEN, &d.ContextNB, &d.ContextEN, &at, &d.Slug); err != nil {
		return d, err
	}
	d.Kind = samrad.DeadlineKind(kind)
	if len(at) == len("2006-01-02") {
		day, err := samrad.ParseDate(at)
		if err != nil {
			return d, err
		}
		d.At = samrad.DeadlineOn(day)
		return d, nil
	}
	t, err := time.Parse(time.RFC3339, at)
	d.At = t.UTC()
	return d, err
}

// Deadlines returns every deadline of an alliance from from to to
// (inclusive), sorted by time: the deadlines of calls, of applications
// being prepared, the end and renewal dates of agreements, the renewal
// dates of external networks and the due dates of project milestones not
// done, each with its reminders. It reads them in one query.
func (db *DB) Deadlines(ctx context.Context, allianceID int64, from, to time.Time) ([]samrad.Deadline, error) {
	if to.Before(from) {
		return nil, samrad.FieldErrorf("to", "the end of the period comes before its start")
	}
	// Dates are compared as text, moments too: both are written with a
	// fixed layout, so that the order of the text is the order of time.
	parts := make([]string, len(deadlineSources))
	for i, s := range deadlineSources {
		lo, hi := "$4", "$5"
		if s.moment {
			lo, hi = "$2", "$3"
		}
		parts[i] = fmt.Sprintf("%s %s = $1 AND %s >= %s AND %s <= %s", s.query, s.alliance, s.at, lo, s.at, hi)
	}
	rows, err := db.db.QueryContext(ctx, strings.Join(parts, "\nUNION ALL\n"), allianceID,
		timeArg(from), timeArg(to), samrad.DateIn(from).String(), samrad.DateIn(to).String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.Deadline
	for rows.Next() {
		d, err := scanDeadline(rows)
		if err != nil {
			return nil, err
		}
		// A date's deadline falls at the end of its day, which may lie
		// outside the window though the day is in it.
		if d.At.Before(from) || d.At.After(to) {
			continue
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	slices.SortFunc(out, func(a, b samrad.Deadline) int {
		return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.TitleNB, b.TitleNB), cmp.Compare(a.RefID, b.RefID))
	})
	reminders, err := db.Reminders(ctx, allianceID)
	if err != nil {
		return nil, err
	}
	type key struct {
		kind samrad.DeadlineKind
		ref  int64
	}
	byKey := map[key][]samrad.Reminder{}
	for _, r := range reminders {
		byKey[key{r.Kind, r.RefID}] = append(byKey[key{r.Kind, r.RefID}], r)
	}
	for i := range out {
		out[i].Reminders = byKey[key{out[i].Kind, out[i].RefID}]
	}
	return out, nil
}

// deadlineOf reads one deadline of an alliance; ENOTFOUND if the thing it
// belongs to does not exist, is another alliance's, or has no deadline
// (an agreement without an end date, a milestone done, an application
// submitted).
func deadlineOf(ctx context.Context, q queryer, allianceID int64, kind samrad.DeadlineKind, ref int64) (samrad.Deadline, error) {
	s, ok := sourceOf(kind)
	if !ok {
		return samrad.Deadline{}, samrad.FieldErrorf("kind", "unknown kind of deadline %q", kind)
	}
	d, err := scanDeadline(q.QueryRowContext(ctx, fmt.Sprintf("%s %s = $1 AND %s = $2 AND %s IS NOT NULL", s.query, s.alliance, s.id, s.at), allianceID, ref))
	return d, notFound(err, "no deadline %s %d", kind, ref)
}

// Deadline returns one deadline of an alliance, as Deadlines gives it but
// without its reminders.
func (db *DB) Deadline(ctx context.Context, allianceID int64, kind samrad.DeadlineKind, ref int64) (samrad.Deadline, error) {
	return deadlineOf(ctx, db.db, allianceID, kind, ref)
}

// ----------------------------------------------------------------- reminders

const reminderColumns = `id, alliance_id, kind, ref_id, days_before, email, lang, created_at, sent_at`

func scanReminder(s interface{ Scan(...any) error }) (samrad.Reminder, error) {
	var r samrad.Reminder
	var kind string
	var created, sent timestamp
	err := s.Scan(&r.ID, &r.AllianceID, &kind, &r.RefID, &r.DaysBefore, &r.Email, &r.Lang, &created, &sent)
	r.Kind, r.CreatedAt, r.SentAt = samrad.DeadlineKind(kind), created.t, sent.t
	return r, err
}

func queryReminders(ctx context.Context, q queryer, query string, args ...any) ([]samrad.Reminder, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.Reminder
	for rows.Next() {
		r, err := scanReminder(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// AddReminder stores a reminder by e-mail r.DaysBefore days before one of
// the alliance's deadlines. It refuses a deadline that has passed at now,
// a day to send on that has passed, and a reminder the same address has
// for the same deadline and day already.
func (db *DB) AddReminder(ctx context.Context, r *samrad.Reminder, now time.Time) error {
	if err := r.Validate(); err != nil {
		return err
	}
	r.Email = strings.ToLower(r.Email)
	return db.inTx(ctx, func(tx *sql.Tx) error {
		d, err := deadlineOf(ctx, tx, r.AllianceID, r.Kind, r.RefID)
		if samrad.ErrorCode(err) == samrad.ENOTFOUND {
			return samrad.FieldErrorf("ref", "the alliance has no such deadline (%s %d)", r.Kind, r.RefID)
		}
		if err != nil {
			return err
		}
		if !d.At.After(now) {
			return samrad.FieldErrorf("ref", "the deadline %s has passed", d.Date())
		}
		if day := r.SendDay(d.At); day.Before(samrad.DateIn(now)) {
			return samrad.FieldErrorf("days_before", "%d days before the deadline (%s) is %s, which has passed", r.DaysBefore, d.Date(), day)
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM reminders WHERE kind = $1 AND ref_id = $2 AND days_before = $3 AND email = $4`,
			string(r.Kind), r.RefID, r.DaysBefore, r.Email).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return &samrad.Error{Code: samrad.ECONFLICT, Field: "email",
				Message: fmt.Sprintf("%s has a reminder %d days before this deadline already", r.Email, r.DaysBefore)}
		}
		r.CreatedAt, r.SentAt = now.UTC().Truncate(time.Second), time.Time{}
		id, err := insertID(ctx, tx, `INSERT INTO reminders (alliance_id, kind, ref_id, days_before, email, lang, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			r.AllianceID, string(r.Kind), r.RefID, r.DaysBefore, r.Email, r.Lang, timeArg(r.CreatedAt))
		if err != nil {
			return err
		}
		r.ID = id
		return audit(ctx, tx, r.AllianceID, "create", "reminder", id, nil, r)
	})
}

// Reminders lists an alliance's reminders, sent or not, in the order they
// were made.
func (db *DB) Reminders(ctx context.Context, allianceID int64) ([]samrad.Reminder, error) {
	return queryReminders(ctx, db.db, `SELECT `+reminderColumns+` FROM reminders WHERE alliance_id = $1 ORDER BY id`, allianceID)
}

// DeleteReminder deletes one of an alliance's reminders.
func (db *DB) DeleteReminder(ctx context.Context, allianceID, id int64) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		before, err := scanReminder(tx.QueryRowContext(ctx, `SELECT `+reminderColumns+` FROM reminders WHERE id = $1 AND alliance_id = $2`, id, allianceID))
		if err != nil {
			return notFound(err, "no reminder %d", id)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM reminders WHERE id = $1`, id); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "delete", "reminder", id, before, nil)
	})
}

// ReminderMail builds the e-mail of a reminder about its deadline. The
// store calls it inside its transaction, so it must not use the database.
type ReminderMail func(r samrad.Reminder, d samrad.Deadline) (OutboxMessage, error)

// SendReminders queues the e-mail of every reminder due at now: one not
// sent whose send day (the deadline's day in Norway less its days before)
// has begun, of a deadline still ahead. Each is queued in the outbox and
// marked sent in one transaction, and only if no one marked it meanwhile,
// so that none goes twice however many senders run. Reminders of a
// deadline that has passed or is gone (a milestone done, an application
// submitted) are left unsent. It returns how many it queued.
func (db *DB) SendReminders(ctx context.Context, now time.Time, build ReminderMail) (int, error) {
	if build == nil {
		return 0, errors.New("store: reminders need a mail builder")
	}
	pending, err := queryReminders(ctx, db.db, `SELECT `+reminderColumns+` FROM reminders WHERE sent_at IS NULL ORDER BY id`)
	if err != nil {
		return 0, err
	}
	due := func(q queryer, r samrad.Reminder) (samrad.Deadline, bool, error) {
		d, err := deadlineOf(ctx, q, r.AllianceID, r.Kind, r.RefID)
		if samrad.ErrorCode(err) == samrad.ENOTFOUND {
			return d, false, nil
		}
		if err != nil {
			return d, false, err
		}
		return d, d.At.After(now) && !r.DueAt(d.At).After(now), nil
	}
	sent := 0
	for _, r := range pending {
		// A first look outside a transaction passes over those not due.
		if _, ok, err := due(db.db, r); err != nil || !ok {
			if err != nil {
				return sent, err
			}
			continue
		}
		queued := false
		err := db.inTx(ctx, func(tx *sql.Tx) error {
			d, ok, err := due(tx, r)
			if err != nil || !ok {
				return err
			}
			res, err := tx.ExecContext(ctx, `UPDATE reminders SET sent_at = $1 WHERE id = $2 AND sent_at IS NULL`, timeArg(now.UTC().Truncate(time.Second)), r.ID)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				return err // sent by another sender meanwhile
			}
			msg, err := build(r, d)
			if err != nil {
				return err
			}
			msg.AllianceID, msg.Kind, msg.RefID = r.AllianceID, MailDeadlineReminder, r.ID
			if err := enqueue(ctx, tx, msg); err != nil {
				return err
			}
			queued = true
			return audit(ctx, tx, r.AllianceID, "remind", "reminder", r.ID, nil, map[string]any{"kind": r.Kind, "ref_id": r.RefID})
		})
		if err != nil {
			return sent, err
		}
		if queued {
			sent++
		}
	}
	return sent, nil
}
