package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/samrad/samrad"
)

// stampNewsletter is renewed by changes to an alliance's lists and issues
// (the sign-up form shows the lists). Subscribers are on no public page.
const stampNewsletter = "newsletter_stamp"

// confirmResendAfter is how long a pending subscriber waits before signing
// up again sends another confirmation: a form cannot be used to flood an
// address.
const confirmResendAfter = 10 * time.Minute

// Secret returns the instance's secret of the name, making it the first
// time: 32 random bytes kept in the database, so that every instance on
// one database signs and checks links alike.
func (db *DB) Secret(ctx context.Context, name string) ([]byte, error) {
	key := "secret_" + name
	b := make([]byte, 32)
	rand.Read(b)
	if _, err := db.db.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, key, hex.EncodeToString(b)); err != nil {
		return nil, err
	}
	v, err := getMeta(ctx, db.db, key)
	if err != nil {
		return nil, err
	}
	return hex.DecodeString(v)
}

// CreateList stores a newsletter list of an alliance.
func (db *DB) CreateList(ctx context.Context, l *samrad.NewsletterList) error {
	if err := l.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		id, err := insertID(ctx, tx, `INSERT INTO newsletter_lists (alliance_id, slug, name_nb, name_en, description_nb, description_en)
			VALUES ($1, $2, $3, $4, $5, $6)`, l.AllianceID, l.Slug, l.NameNB, l.NameEN, l.DescriptionNB, l.DescriptionEN)
		if err != nil {
			if isUniqueViolation(err) {
				return samrad.FieldErrorf("slug", "the alliance has a list %q already", l.Slug)
			}
			return err
		}
		l.ID = id
		if err := renew(ctx, tx, stampNewsletter); err != nil {
			return err
		}
		return audit(ctx, tx, l.AllianceID, "create", "newsletter_list", id, nil, l)
	})
}

// Lists returns an alliance's newsletter lists with their confirmed
// subscribers counted.
func (db *DB) Lists(ctx context.Context, allianceID int64) ([]samrad.NewsletterList, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT l.id, l.alliance_id, l.slug, l.name_nb, l.name_en, l.description_nb, l.description_en,
			(SELECT COUNT(*) FROM subscriptions x JOIN subscribers s ON s.id = x.subscriber_id WHERE x.list_id = l.id AND s.status = 'confirmed')
		FROM newsletter_lists l WHERE l.alliance_id = $1 ORDER BY l.id`, allianceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.NewsletterList
	for rows.Next() {
		var l samrad.NewsletterList
		if err := rows.Scan(&l.ID, &l.AllianceID, &l.Slug, &l.NameNB, &l.NameEN, &l.DescriptionNB, &l.DescriptionEN, &l.Subscribers); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// checkLists makes sure every list belongs to the alliance.
func checkLists(ctx context.Context, tx *sql.Tx, allianceID int64, lists []int64) error {
	for _, id := range lists {
		var a int64
		if err := tx.QueryRowContext(ctx, `SELECT alliance_id FROM newsletter_lists WHERE id = $1`, id).Scan(&a); err != nil || a != allianceID {
			return samrad.FieldErrorf("lists", "no such newsletter")
		}
	}
	return nil
}

// Subscribe signs someone up. A new address becomes a pending subscriber
// of the lists, and message builds the confirmation e-mail, queued in the
// same transaction. For an address already signed up nothing changes (a
// form must not let anyone change someone else's subscription); message
// is called with the subscriber as stored, so that the e-mail can offer
// the confirmation again (pending) or the link to the preferences
// (confirmed). A pending address signed up again within ten minutes gets
// no new e-mail. The caller shows the same answer in every case, so the
// form does not tell who is subscribed.
func (db *DB) Subscribe(ctx context.Context, s *samrad.Subscriber, message func(samrad.Subscriber) (OutboxMessage, error)) error {
	if err := s.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkLists(ctx, tx, s.AllianceID, s.Lists); err != nil {
			return err
		}
		at := time.Now().UTC()
		old, err := subscriberBy(ctx, tx, `s.alliance_id = $1 AND s.email = $2`, s.AllianceID, s.Email)
		switch {
		case err == nil:
			if old.Status == samrad.SubscriberPending && at.Sub(old.confirmSent) < confirmResendAfter {
				return nil
			}
			*s = old.Subscriber
		case samrad.ErrorCode(err) == samrad.ENOTFOUND:
			s.Status, s.SignedUp = samrad.SubscriberPending, at
			id, err := insertID(ctx, tx, `INSERT INTO subscribers (alliance_id, email, name, lang, status, consent, signed_up_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, s.AllianceID, s.Email, s.Name, s.Lang, string(s.Status), s.Consent, stamp(at))
			if err != nil {
				return err
			}
			s.ID = id
			if err := setSubscriptions(ctx, tx, id, s.Lists); err != nil {
				return err
			}
			// The audit log names the row, not the person.
			if err := audit(ctx, tx, s.AllianceID, "create", "subscriber", id, nil, map[string]any{"lists": s.Lists}); err != nil {
				return err
			}
		default:
			return err
		}
		m, err := message(*s)
		if err != nil {
			return err
		}
		m.AllianceID, m.RefID = s.AllianceID, s.ID
		if _, err := tx.ExecContext(ctx, `UPDATE subscribers SET confirm_sent_at = $1 WHERE id = $2`, stamp(at), s.ID); err != nil {
			return err
		}
		return enqueue(ctx, tx, m)
	})
}

type subscriberRow struct {
	samrad.Subscriber
	confirmSent time.Time
}

func subscriberBy(ctx context.Context, q queryer, where string, args ...any) (subscriberRow, error) {
	var r subscriberRow
	var status, signed string
	var confirmed, sent sql.NullString
	err := q.QueryRowContext(ctx, `SELECT s.id, s.alliance_id, s.email, s.name, s.lang, s.status, s.consent, s.signed_up_at, s.confirmed_at, s.confirm_sent_at
		FROM subscribers s WHERE `+where, args...).Scan(&r.ID, &r.AllianceID, &r.Email, &r.Name, &r.Lang, &status, &r.Consent, &signed, &confirmed, &sent)
	if err != nil {
		return r, notFound(err, "no such subscriber")
	}
	r.Status = samrad.SubscriberStatus(status)
	r.SignedUp, _ = time.Parse(stampLayout, signed)
	if confirmed.Valid {
		r.ConfirmedAt, _ = time.Parse(stampLayout, confirmed.String)
	}
	if sent.Valid {
		r.confirmSent, _ = time.Parse(stampLayout, sent.String)
	}
	r.Lists, err = queryIDs(ctx, q, `SELECT list_id FROM subscriptions WHERE subscriber_id = $1 ORDER BY list_id`, r.ID)
	return r, err
}

func setSubscriptions(ctx context.Context, tx *sql.Tx, subscriberID int64, lists []int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM subscriptions WHERE subscriber_id = $1`, subscriberID); err != nil {
		return err
	}
	rows := make([][]any, 0, len(lists))
	seen := map[int64]bool{}
	for _, l := range lists {
		if !seen[l] {
			seen[l] = true
			rows = append(rows, []any{subscriberID, l})
		}
	}
	return insertBatch(ctx, tx, `INSERT INTO subscriptions (subscriber_id, list_id) VALUES `, rows)
}

// Subscriber returns a subscriber of the alliance.
func (db *DB) Subscriber(ctx context.Context, allianceID, id int64) (samrad.Subscriber, error) {
	r, err := subscriberBy(ctx, db.db, `s.id = $1 AND s.alliance_id = $2`, id, allianceID)
	return r.Subscriber, err
}

// ConfirmSubscriber confirms a pending subscriber (double opt-in); a
// confirmed one stays as it is.
func (db *DB) ConfirmSubscriber(ctx context.Context, allianceID, id int64) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		r, err := subscriberBy(ctx, tx, `s.id = $1 AND s.alliance_id = $2`, id, allianceID)
		if err != nil || r.Status == samrad.SubscriberConfirmed {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE subscribers SET status = 'confirmed', confirmed_at = $1 WHERE id = $2`, stamp(time.Now()), id); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "confirm", "subscriber", id, nil, nil)
	})
}

// SetPreferences changes what a subscriber gets: the lists (of the
// alliance) and the language. No lists left deletes the subscriber.
func (db *DB) SetPreferences(ctx context.Context, allianceID, id int64, lists []int64, lang string) error {
	if lang != "nb" && lang != "en" {
		return samrad.FieldErrorf("lang", "choose Norwegian or English")
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		r, err := subscriberBy(ctx, tx, `s.id = $1 AND s.alliance_id = $2`, id, allianceID)
		if err != nil {
			return err
		}
		if len(lists) == 0 {
			return deleteSubscriber(ctx, tx, allianceID, id)
		}
		if err := checkLists(ctx, tx, allianceID, lists); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE subscribers SET lang = $1 WHERE id = $2`, lang, id); err != nil {
			return err
		}
		if err := setSubscriptions(ctx, tx, id, lists); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "update", "subscriber", id, map[string]any{"lists": r.Lists, "lang": r.Lang}, map[string]any{"lists": lists, "lang": lang})
	})
}

// Unsubscribe takes a subscriber off one list, or off every list if
// listID is 0. Off the last list, the subscriber is deleted. It is not an
// error to unsubscribe twice: the answer is the same.
func (db *DB) Unsubscribe(ctx context.Context, allianceID, id, listID int64) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		r, err := subscriberBy(ctx, tx, `s.id = $1 AND s.alliance_id = $2`, id, allianceID)
		if samrad.ErrorCode(err) == samrad.ENOTFOUND {
			return nil
		}
		if err != nil {
			return err
		}
		var keep []int64
		for _, l := range r.Lists {
			if listID != 0 && l != listID {
				keep = append(keep, l)
			}
		}
		if len(keep) == 0 {
			return deleteSubscriber(ctx, tx, allianceID, id)
		}
		if err := setSubscriptions(ctx, tx, id, keep); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "unsubscribe", "subscriber", id, map[string]any{"lists": r.Lists}, map[string]any{"lists": keep})
	})
}

func deleteSubscriber(ctx context.Context, tx *sql.Tx, allianceID, id int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM subscriptions WHERE subscriber_id = $1`, id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM subscribers WHERE id = $1`, id); err != nil {
		return err
	}
	return audit(ctx, tx, allianceID, "delete", "subscriber", id, nil, nil)
}

// PurgeUnconfirmed deletes subscribers who signed up before the cutoff
// and never confirmed: an address someone else typed in is not kept.
func (db *DB) PurgeUnconfirmed(ctx context.Context, before time.Time) (int, error) {
	n := 0
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, alliance_id FROM subscribers WHERE status = 'pending' AND signed_up_at < $1`, stamp(before))
		if err != nil {
			return err
		}
		var ids [][2]int64
		for rows.Next() {
			var id, a int64
			if err := rows.Scan(&id, &a); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, [2]int64{id, a})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, x := range ids {
			if err := deleteSubscriber(ctx, tx, x[1], x[0]); err != nil {
				return err
			}
		}
		n = len(ids)
		return nil
	})
	return n, err
}

// Subscribers lists an alliance's subscribers (personal data: for the
// secretariat only), confirmed first, then by address.
func (db *DB) Subscribers(ctx context.Context, allianceID int64) ([]samrad.Subscriber, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT s.id, s.email, s.name, s.lang, s.status, s.signed_up_at, COALESCE(s.confirmed_at, ''),
			COALESCE((SELECT `+db.groupConcat("x.list_id")+` FROM subscriptions x WHERE x.subscriber_id = s.id), '')
		FROM subscribers s WHERE s.alliance_id = $1 ORDER BY s.status, s.email`, allianceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.Subscriber
	for rows.Next() {
		s := samrad.Subscriber{AllianceID: allianceID}
		var status, signed, confirmed, lists string
		if err := rows.Scan(&s.ID, &s.Email, &s.Name, &s.Lang, &status, &signed, &confirmed, &lists); err != nil {
			return nil, err
		}
		s.Status = samrad.SubscriberStatus(status)
		s.SignedUp, _ = time.Parse(stampLayout, signed)
		if confirmed != "" {
			s.ConfirmedAt, _ = time.Parse(stampLayout, confirmed)
		}
		for _, f := range strings.Split(lists, ",") {
			var id int64
			if _, err := fmt.Sscan(f, &id); err == nil {
				s.Lists = append(s.Lists, id)
			}
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// groupConcat joins a column's values with commas, in each engine's words.
func (db *DB) groupConcat(col string) string {
	if db.dialect == Postgres {
		return "string_agg(CAST(" + col + " AS TEXT), ',')"
	}
	return "group_concat(" + col + ", ',')"
}

// SaveIssue stores a new issue or changes a draft. A sent issue cannot
// change.
func (db *DB) SaveIssue(ctx context.Context, i *samrad.NewsletterIssue) error {
	if err := i.Validate(); err != nil {
		return err
	}
	articles, _ := json.Marshal(append([]int64{}, i.Articles...))
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkLists(ctx, tx, i.AllianceID, []int64{i.ListID}); err != nil {
			return samrad.FieldErrorf("list", "no such newsletter")
		}
		if i.ID == 0 {
			i.Status, i.Created = samrad.IssueDraft, time.Now().UTC()
			id, err := insertID(ctx, tx, `INSERT INTO newsletter_issues (alliance_id, list_id, subject, intro, outro, articles, status, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7)`, i.AllianceID, i.ListID, i.Subject, i.Intro, i.Outro, string(articles), stamp(i.Created))
			if err != nil {
				return err
			}
			i.ID = id
			if err := renew(ctx, tx, stampNewsletter); err != nil {
				return err
			}
			return audit(ctx, tx, i.AllianceID, "create", "newsletter_issue", id, nil, i)
		}
		before, err := issueBy(ctx, tx, i.AllianceID, i.ID)
		if err != nil {
			return err
		}
		if before.Status != samrad.IssueDraft {
			return samrad.Errorf(samrad.ECONFLICT, "the issue has been sent and cannot change")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE newsletter_issues SET list_id = $1, subject = $2, intro = $3, outro = $4, articles = $5 WHERE id = $6`,
			i.ListID, i.Subject, i.Intro, i.Outro, string(articles), i.ID); err != nil {
			return err
		}
		i.Status, i.Created = before.Status, before.Created
		if err := renew(ctx, tx, stampNewsletter); err != nil {
			return err
		}
		return audit(ctx, tx, i.AllianceID, "update", "newsletter_issue", i.ID, before, i)
	})
}

const issueColumns = `id, alliance_id, list_id, subject, intro, outro, articles, status, created_at, COALESCE(sent_at, ''), sent_by, recipients`

func scanIssue(row interface{ Scan(...any) error }) (samrad.NewsletterIssue, error) {
	var i samrad.NewsletterIssue
	var articles, status, created, sent string
	if err := row.Scan(&i.ID, &i.AllianceID, &i.ListID, &i.Subject, &i.Intro, &i.Outro, &articles, &status, &created, &sent, &i.SentBy, &i.Recipients); err != nil {
		return i, err
	}
	if err := json.Unmarshal([]byte(articles), &i.Articles); err != nil {
		return i, fmt.Errorf("store: issue %d: bad articles %q", i.ID, articles)
	}
	i.Status = samrad.IssueStatus(status)
	i.Created, _ = time.Parse(stampLayout, created)
	if sent != "" {
		i.Sent, _ = time.Parse(stampLayout, sent)
	}
	return i, nil
}

func issueBy(ctx context.Context, q queryer, allianceID, id int64) (samrad.NewsletterIssue, error) {
	i, err := scanIssue(q.QueryRowContext(ctx, `SELECT `+issueColumns+` FROM newsletter_issues WHERE id = $1 AND alliance_id = $2`, id, allianceID))
	return i, notFound(err, "no newsletter issue %d", id)
}

// Issue returns an issue of the alliance.
func (db *DB) Issue(ctx context.Context, allianceID, id int64) (samrad.NewsletterIssue, error) {
	return issueBy(ctx, db.db, allianceID, id)
}

// Issues lists an alliance's issues, newest first.
func (db *DB) Issues(ctx context.Context, allianceID int64) ([]samrad.NewsletterIssue, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+issueColumns+` FROM newsletter_issues WHERE alliance_id = $1 ORDER BY id DESC`, allianceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.NewsletterIssue
	for rows.Next() {
		i, err := scanIssue(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, i)
	}
	return out, rows.Err()
}

// SendIssue queues a draft issue for every confirmed subscriber of its
// list, each message built by message, and marks the issue sent — all in
// one transaction: either every subscriber is queued or none is, and an
// issue is never queued twice (ECONFLICT). It returns how many were queued.
func (db *DB) SendIssue(ctx context.Context, allianceID, id int64, message func(samrad.Subscriber) (OutboxMessage, error)) (int, error) {
	n := 0
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		i, err := issueBy(ctx, tx, allianceID, id)
		if err != nil {
			return err
		}
		if i.Status != samrad.IssueDraft {
			return samrad.Errorf(samrad.ECONFLICT, "the issue was sent %s", i.Sent.Format("2006-01-02 15:04"))
		}
		// Claim the issue first: a second sender waits here and then finds it sent.
		res, err := tx.ExecContext(ctx, `UPDATE newsletter_issues SET status = 'sent', sent_at = $1, sent_by = $2 WHERE id = $3 AND status = 'draft'`,
			stamp(time.Now()), samrad.ActorFrom(ctx).Name, id)
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k != 1 {
			return samrad.Errorf(samrad.ECONFLICT, "the issue has been sent")
		}
		rows, err := tx.QueryContext(ctx, `SELECT s.id, s.email, s.name, s.lang FROM subscribers s JOIN subscriptions x ON x.subscriber_id = s.id
			WHERE x.list_id = $1 AND s.status = 'confirmed' ORDER BY s.id`, i.ListID)
		if err != nil {
			return err
		}
		var subs []samrad.Subscriber
		for rows.Next() {
			s := samrad.Subscriber{AllianceID: allianceID, Status: samrad.SubscriberConfirmed, Lists: []int64{i.ListID}}
			if err := rows.Scan(&s.ID, &s.Email, &s.Name, &s.Lang); err != nil {
				rows.Close()
				return err
			}
			subs = append(subs, s)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		msgs := make([]OutboxMessage, 0, len(subs))
		for _, s := range subs {
			m, err := message(s)
			if err != nil {
				return fmt.Errorf("message to subscriber %d: %w", s.ID, err)
			}
			m.AllianceID, m.Kind, m.RefID = allianceID, "newsletter_issue", id
			msgs = append(msgs, m)
		}
		if err := enqueue(ctx, tx, msgs...); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE newsletter_issues SET recipients = $1 WHERE id = $2`, len(msgs), id); err != nil {
			return err
		}
		n = len(msgs)
		if err := renew(ctx, tx, stampNewsletter); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "send", "newsletter_issue", id, nil, map[string]any{"recipients": n})
	})
	return n, err
}

// isUniqueViolation reports whether err is a unique constraint violation
// on either engine.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	var coded interface{ SQLState() string }
	if errors.As(err, &coded) {
		return coded.SQLState() == "23505"
	}
	return strings.Contains(err.Error(), "UNIQUE constraint failed")
}
