package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/samrad/samrad"
)

// stampLayout is how the outbox writes times: UTC with fixed width, so
// that comparing the text compares the times on both engines.
const stampLayout = "2006-01-02T15:04:05.000000Z"

func stamp(t time.Time) string { return t.UTC().Format(stampLayout) }

// OutboxMessage is one e-mail to one recipient, built and ready to send.
type OutboxMessage struct {
	ID         int64
	AllianceID int64  // 0 when the message belongs to no alliance
	Kind       string // what caused it: "registration", "reminder", "newsletter_confirm", "newsletter_issue", …
	RefID      int64  // the row it belongs to, e.g. the newsletter issue
	From       string // the envelope sender
	To         string // the one envelope recipient
	Data       []byte // the whole message (RFC 5322), as mail.Message.Bytes builds it
	Attempts   int
}

// Outbox statuses. A message is queued, then sending (marked right before
// its SMTP transaction), then sent, queued again for a retry, or failed.
// One found sending after its claim expired is unknown: the sender died
// during the transaction, and the server may or may not have taken it.
const (
	OutboxQueued  = "queued"
	OutboxSending = "sending"
	OutboxSent    = "sent"
	OutboxFailed  = "failed"
	OutboxUnknown = "unknown"
)

func (m OutboxMessage) validate() error {
	switch {
	case m.Kind == "":
		return samrad.Errorf(samrad.EINVALID, "outbox: a message needs a kind")
	case m.From == "" || m.To == "" || strings.ContainsAny(m.From+m.To, "\r\n<>"):
		return samrad.Errorf(samrad.EINVALID, "outbox: bad envelope %q → %q", m.From, m.To)
	case len(m.Data) == 0:
		return samrad.Errorf(samrad.EINVALID, "outbox: empty message to %s", m.To)
	}
	return nil
}

// enqueue writes messages to the outbox in tx, the transaction of the
// change that causes them: they are sent if and only if it commits.
func enqueue(ctx context.Context, tx *sql.Tx, msgs ...OutboxMessage) error {
	if len(msgs) == 0 {
		return nil
	}
	at := stamp(time.Now())
	rows := make([][]any, len(msgs))
	for i, m := range msgs {
		if err := m.validate(); err != nil {
			return err
		}
		var alliance any
		if m.AllianceID != 0 {
			alliance = m.AllianceID
		}
		rows[i] = []any{alliance, m.Kind, m.RefID, m.From, m.To, m.Data, OutboxQueued, at, at}
	}
	if err := insertBatch(ctx, tx, `INSERT INTO outbox (alliance_id, kind, ref_id, sender, recipient, message, status, next_attempt, created_at) VALUES `, rows); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	return nil
}

// Enqueue writes messages to the outbox in a transaction of their own.
func (db *DB) Enqueue(ctx context.Context, msgs ...OutboxMessage) error {
	return db.inTx(ctx, func(tx *sql.Tx) error { return enqueue(ctx, tx, msgs...) })
}

// ClaimOutbox claims up to n messages that are due at now for the sender
// named by (one running instance) until now+lease: no other sender, in
// this process or another instance on the same database, gets them
// meanwhile. A sender that stops without settling a claim (a crash)
// leaves it to expire: a message it had not yet marked sending is claimed
// again by whoever comes next, and one it had marked is in doubt
// (ExpireSending).
func (db *DB) ClaimOutbox(ctx context.Context, by string, now time.Time, n int, lease time.Duration) ([]OutboxMessage, error) {
	lock := ""
	if db.dialect == Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	var msgs []OutboxMessage
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `UPDATE outbox SET claimed_until = $1, claimed_by = $4
			WHERE id IN (SELECT id FROM outbox WHERE status = 'queued' AND next_attempt <= $2
				AND (claimed_until IS NULL OR claimed_until < $2) ORDER BY next_attempt, id LIMIT $3`+lock+`)
			RETURNING id, COALESCE(alliance_id, 0), kind, ref_id, sender, recipient, message, attempts`,
			stamp(now.Add(lease)), stamp(now), n, by)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var m OutboxMessage
			if err := rows.Scan(&m.ID, &m.AllianceID, &m.Kind, &m.RefID, &m.From, &m.To, &m.Data, &m.Attempts); err != nil {
				return err
			}
			msgs = append(msgs, m)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("outbox: claim: %w", err)
	}
	// RETURNING gives no order; send the oldest first.
	slices.SortFunc(msgs, func(a, b OutboxMessage) int { return cmp.Compare(a.ID, b.ID) })
	return msgs, nil
}

// MarkSending records, in one transaction, that the sender named by is
// about to hand these messages to the SMTP server. It marks only messages
// that are still queued and claimed by this sender (a claim that expired
// and went to another sender is not its to send) and returns the ids it
// marked; only those may be sent. Once this has committed, a crash can no
// longer lead to a second sending: the message becomes unknown instead.
func (db *DB) MarkSending(ctx context.Context, by string, now time.Time, ids ...int64) ([]int64, error) {
	return db.RecordOutbox(ctx, by, now, ids)
}

// RecordOutbox records, in one transaction, how attempts went
// (SettleOutbox) and that the messages mark are about to be sent
// (MarkSending), and returns the ids it marked. A sender records both at
// once so that the marks cost no transaction of their own.
func (db *DB) RecordOutbox(ctx context.Context, by string, now time.Time, mark []int64, results ...OutboxResult) ([]int64, error) {
	if len(mark) == 0 && len(results) == 0 {
		return nil, nil
	}
	var marked []int64
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if err := settle(ctx, tx, results); err != nil {
			return fmt.Errorf("settle: %w", err)
		}
		var err error
		if marked, err = markSending(ctx, tx, by, now, mark); err != nil {
			return fmt.Errorf("mark sending: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	return marked, nil
}

func markSending(ctx context.Context, tx *sql.Tx, by string, now time.Time, ids []int64) ([]int64, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := []any{by, stamp(now)}
	for _, id := range ids {
		args = append(args, id)
	}
	rows, err := tx.QueryContext(ctx, `UPDATE outbox SET status = 'sending', sending_at = $2
		WHERE status = 'queued' AND claimed_by = $1 AND claimed_until > $2 AND id IN (`+placeholders(3, len(ids))+`)
		RETURNING id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var marked []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		marked = append(marked, id)
	}
	return marked, rows.Err()
}

// ExpireSending turns the messages left sending by a sender whose claim
// expired before now into unknown, and returns their ids: the sender
// stopped (a crash) between marking one and recording how it went, so the
// server may have taken it. They are not sent again unless a person asks
// for it (ResendUnknown).
func (db *DB) ExpireSending(ctx context.Context, now time.Time) ([]int64, error) {
	var ids []int64
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `UPDATE outbox SET status = 'unknown', claimed_until = NULL,
				last_error = 'the sender stopped during the SMTP transaction; the message may have been delivered'
			WHERE status = 'sending' AND claimed_until < $1
			RETURNING id`, stamp(now))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("outbox: expire sending: %w", err)
	}
	slices.Sort(ids)
	return ids, nil
}

// ResendUnknown queues again, due at now, an alliance's messages of a
// kind and reference whose delivery is unknown, and returns how many: a
// person has decided that a second copy is better than none.
func (db *DB) ResendUnknown(ctx context.Context, allianceID int64, kind string, refID int64, now time.Time) (int, error) {
	var n int64
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'queued', next_attempt = $4, claimed_until = NULL, last_error = ''
			WHERE alliance_id = $1 AND kind = $2 AND ref_id = $3 AND status = 'unknown'`, allianceID, kind, refID, stamp(now))
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		return audit(ctx, tx, allianceID, "resend_unknown", kind, refID, nil, map[string]any{"messages": n})
	})
	return int(n), err
}

// OutboxResult is how one attempt to send a claimed message went.
type OutboxResult struct {
	ID    int64
	At    time.Time
	Err   error     // nil: the server took the message
	Retry time.Time // when Err is temporary, when to try again; zero: give up
}

// SettleOutbox records attempts: a message the server took is sent, one to
// retry is queued again for its time, and any other is failed. Each
// attempt is logged. Settling is one transaction however many results.
func (db *DB) SettleOutbox(ctx context.Context, results ...OutboxResult) error {
	if len(results) == 0 {
		return nil
	}
	return db.inTx(ctx, func(tx *sql.Tx) error { return settle(ctx, tx, results) })
}

func settle(ctx context.Context, tx *sql.Tx, results []OutboxResult) error {
	if len(results) == 0 {
		return nil
	}
	log := make([][]any, 0, len(results))
	var sent []any
	for _, r := range results {
		at := stamp(r.At)
		switch {
		case r.Err == nil:
			sent = append(sent, r.ID)
			log = append(log, []any{r.ID, at, true, ""})
			continue
		case !r.Retry.IsZero():
			if _, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'queued', attempts = attempts + 1, next_attempt = $2, claimed_until = NULL, last_error = $3 WHERE id = $1`,
				r.ID, stamp(r.Retry), errText(r.Err)); err != nil {
				return err
			}
		default:
			if _, err := tx.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1, status = 'failed', claimed_until = NULL, last_error = $2 WHERE id = $1`,
				r.ID, errText(r.Err)); err != nil {
				return err
			}
		}
		log = append(log, []any{r.ID, at, false, errText(r.Err)})
	}
	for start := 0; start < len(sent); start += 500 {
		ids := sent[start:min(start+500, len(sent))]
		args := append([]any{stamp(results[0].At)}, ids...)
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'sent', attempts = attempts + 1, sent_at = $1, claimed_until = NULL, last_error = ''
			WHERE id IN (`+placeholders(2, len(ids))+`)`, args...); err != nil {
			return err
		}
	}
	return insertBatch(ctx, tx, `INSERT INTO outbox_attempts (message_id, at, ok, error) VALUES `, log)
}

// ReleaseOutbox gives back claims the sender named by did not use (it is
// stopping), so that the next sender need not wait for them to expire: the
// messages, queued or marked sending but not begun, are queued again. A
// claim that has meanwhile gone to another sender is left alone.
func (db *DB) ReleaseOutbox(ctx context.Context, by string, ids ...int64) error {
	if len(ids) == 0 {
		return nil
	}
	args := []any{by}
	for _, id := range ids {
		args = append(args, id)
	}
	_, err := db.db.ExecContext(ctx, `UPDATE outbox SET status = 'queued', claimed_until = NULL
		WHERE status IN ('queued', 'sending') AND claimed_by = $1 AND id IN (`+placeholders(2, len(ids))+`)`, args...)
	return err
}

// NextOutbox returns when the next queued message falls due, or the zero
// time if none is queued.
func (db *DB) NextOutbox(ctx context.Context) (time.Time, error) {
	var next sql.NullString
	if err := db.db.QueryRowContext(ctx, `SELECT MIN(next_attempt) FROM outbox WHERE status = 'queued'`).Scan(&next); err != nil || !next.Valid {
		return time.Time{}, err
	}
	return time.Parse(stampLayout, next.String)
}

// OutboxCounts is how many messages of a kind and reference are in each
// state. Queued counts those being sent; Unknown those that may have been
// sent (see OutboxUnknown).
type OutboxCounts struct {
	Queued, Sent, Failed, Unknown int
}

// Total is every message counted.
func (c OutboxCounts) Total() int { return c.Queued + c.Sent + c.Failed + c.Unknown }

// CountOutbox counts the messages of a kind for a reference (e.g. one
// newsletter issue).
func (db *DB) CountOutbox(ctx context.Context, kind string, refID int64) (OutboxCounts, error) {
	m, err := db.countOutbox(ctx, `WHERE kind = $1 AND ref_id = $2`, kind, refID)
	return m[refID], err
}

// CountOutboxOf counts an alliance's messages of a kind, per reference.
func (db *DB) CountOutboxOf(ctx context.Context, allianceID int64, kind string) (map[int64]OutboxCounts, error) {
	return db.countOutbox(ctx, `WHERE alliance_id = $1 AND kind = $2`, allianceID, kind)
}

func (db *DB) countOutbox(ctx context.Context, where string, args ...any) (map[int64]OutboxCounts, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT ref_id, status, COUNT(*) FROM outbox `+where+` GROUP BY ref_id, status`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	counts := map[int64]OutboxCounts{}
	for rows.Next() {
		var ref int64
		var st string
		var n int
		if err := rows.Scan(&ref, &st, &n); err != nil {
			return nil, err
		}
		c := counts[ref]
		switch st {
		case OutboxQueued, OutboxSending:
			c.Queued += n
		case OutboxSent:
			c.Sent = n
		case OutboxFailed:
			c.Failed = n
		case OutboxUnknown:
			c.Unknown = n
		}
		counts[ref] = c
	}
	return counts, rows.Err()
}

// OutboxEntry is a message's state for the send log.
type OutboxEntry struct {
	ID        int64
	Kind      string
	RefID     int64
	To        string
	Status    string
	Attempts  int
	LastError string
	Created   time.Time
	Sent      time.Time // zero until sent
}

// OutboxLog lists an alliance's messages of a kind and reference, newest
// first, at most limit.
func (db *DB) OutboxLog(ctx context.Context, allianceID int64, kind string, refID int64, limit int) ([]OutboxEntry, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id, kind, ref_id, recipient, status, attempts, last_error, created_at, COALESCE(sent_at, '')
		FROM outbox WHERE alliance_id = $1 AND kind = $2 AND ref_id = $3 ORDER BY id DESC LIMIT $4`, allianceID, kind, refID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OutboxEntry
	for rows.Next() {
		var e OutboxEntry
		var created, sent string
		if err := rows.Scan(&e.ID, &e.Kind, &e.RefID, &e.To, &e.Status, &e.Attempts, &e.LastError, &created, &sent); err != nil {
			return nil, err
		}
		e.Created, _ = time.Parse(stampLayout, created)
		if sent != "" {
			e.Sent, _ = time.Parse(stampLayout, sent)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func errText(err error) string {
	s := err.Error()
	if len(s) > 1000 {
		s = s[:1000]
	}
	return s
}

// placeholders returns "$from, $from+1, …" for n parameters.
func placeholders(from, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "$%d", from+i)
	}
	return b.String()
}

// OutboxDepth counts the messages queued and not yet sent, due or not: the
// outbox's backlog, for monitoring.
func (db *DB) OutboxDepth(ctx context.Context) (int, error) {
	var n int
	if err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE status IN ('queued', 'sending')`).Scan(&n); err != nil {
		return 0, fmt.Errorf("outbox: depth: %w", err)
	}
	return n, nil
}
