package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/samrad/samrad"
)

// A person's personal data is found by an e-mail address and/or the id of
// a person in the people table. Every query below takes the address as $1
// (lower case, or ” when only a person is given) and, where it names
// thePeople, the person's id as $2. See docs/PERSONAL-DATA.md for why each
// table holds what it holds.
const (
	thePeople = `(SELECT id FROM people WHERE id = $2 OR ($1 <> '' AND LOWER(email) = $1))`
	theUsers  = `(SELECT id FROM users WHERE $1 <> '' AND LOWER(email) = $1)`
	theirMail = `($1 <> '' AND LOWER(recipient) = $1)`
	// A service request's requester is free text: the person's address, or
	// the name of the person exactly.
	theirRequests = `(SELECT id FROM service_requests WHERE requester <> '' AND (LOWER(requester) = $1
		OR requester IN (SELECT name FROM people WHERE id IN ` + thePeople + `)))`
)

// personalSections are the parts of a personal-data export, in order:
// name, the query, and whether it uses the person's id ($2).
var personalSections = []struct {
	name     string
	query    string
	byPerson bool
}{
	{"people", `SELECT id, name, title, email FROM people WHERE id IN ` + thePeople + ` ORDER BY id`, true},
	{"seats", `SELECT s.id, s.person_id, a.slug AS alliance, b.name_nb AS body, s.role, CAST(s.valid_from AS TEXT) AS valid_from,
		CAST(s.valid_to AS TEXT) AS valid_to, COALESCE(o.name_nb, '') AS represents
		FROM seats s JOIN bodies b ON b.id = s.body_id JOIN alliances a ON a.id = b.alliance_id
		LEFT JOIN organisations o ON o.id = s.represents_org_id
		WHERE s.person_id IN ` + thePeople + ` ORDER BY s.id`, true},
	{"votes", `SELECT v.id, v.person_id, CAST(m.starts_at AS TEXT) AS meeting, c.year AS case_year, c.number AS case_number,
		c.title AS case_title, o.name_nb AS member, v.choice, CASE WHEN v.conflict THEN 1 ELSE 0 END AS conflict
		FROM votes v JOIN meetings m ON m.id = v.meeting_id JOIN cases c ON c.id = v.case_id JOIN organisations o ON o.id = v.org_id
		WHERE v.person_id IN ` + thePeople + ` ORDER BY v.id`, true},
	{"notice_deliveries", `SELECT meeting_id, person_id, email, attempts, COALESCE(CAST(sent_at AS TEXT), '') AS sent_at
		FROM notice_deliveries WHERE person_id IN ` + thePeople + ` OR ($1 <> '' AND LOWER(email) = $1) ORDER BY meeting_id, person_id`, true},
	{"event_speakers", `SELECT sp.id, sp.person_id, e.title_nb AS event, se.title_nb AS session, sp.role, sp.organisation
		FROM event_speakers sp JOIN event_sessions se ON se.id = sp.session_id JOIN events e ON e.id = se.event_id
		WHERE sp.person_id IN ` + thePeople + ` ORDER BY sp.id`, true},
	{"contacts", `SELECT c.id, a.slug AS alliance, COALESCE(c.person_id, 0) AS person_id, c.name, c.title, c.phone, c.email
		FROM contacts c JOIN alliances a ON a.id = c.alliance_id
		WHERE c.person_id IN ` + thePeople + ` OR ($1 <> '' AND LOWER(c.email) = $1) ORDER BY c.id`, true},
	{"network_roles", `SELECT n.slug AS network, 'participant' AS as_what, np.role, np.title, COALESCE(CAST(np.joined AS TEXT), '') AS since
		FROM network_participants np JOIN networks n ON n.id = np.network_id WHERE np.person_id IN ` + thePeople + `
		UNION ALL SELECT n.slug, 'contact person', '', '', '' FROM networks n WHERE n.contact_person_id IN ` + thePeople + `
		UNION ALL SELECT n.slug, 'working group', g.name, '', '' FROM network_working_groups g JOIN networks n ON n.id = g.network_id
		WHERE g.person_id IN ` + thePeople + `
		ORDER BY 1, 2, 3`, true},
	{"agreement_signatures", `SELECT ag.slug AS agreement, s.title, COALESCE(CAST(s.signed_on AS TEXT), '') AS signed_on
		FROM agreement_signatories s JOIN agreements ag ON ag.id = s.agreement_id WHERE s.person_id IN ` + thePeople + ` ORDER BY s.id`, true},
	{"programme_leader", `SELECT slug AS programme, leader_role FROM recurring_programmes WHERE leader_person_id IN ` + thePeople + ` ORDER BY id`, true},
	{"registrations", `SELECT r.id, e.title_nb AS event, r.name, r.email, r.organisation, r.diet, r.accessibility, r.comment,
		r.status, r.consent_text, r.consent_at, r.created_at
		FROM registrations r JOIN events e ON e.id = r.event_id WHERE $1 <> '' AND LOWER(r.email) = $1 ORDER BY r.id`, false},
	{"subscribers", `SELECT s.id, a.slug AS alliance, s.email, s.name, s.lang, s.status, s.consent, s.signed_up_at,
		COALESCE(s.confirmed_at, '') AS confirmed_at,
		COALESCE((SELECT ` + "%s" + ` FROM subscriptions x JOIN newsletter_lists l ON l.id = x.list_id WHERE x.subscriber_id = s.id), '') AS lists
		FROM subscribers s JOIN alliances a ON a.id = s.alliance_id WHERE $1 <> '' AND LOWER(s.email) = $1 ORDER BY s.id`, false},
	{"users", `SELECT id, email, name, CAST(created_at AS TEXT) AS created_at, CASE WHEN disabled THEN 1 ELSE 0 END AS disabled
		FROM users WHERE id IN ` + theUsers + ` ORDER BY id`, false},
	{"grants", `SELECT g.user_id, a.slug AS alliance, g.role FROM grants g JOIN alliances a ON a.id = g.alliance_id
		WHERE g.user_id IN ` + theUsers + ` ORDER BY g.user_id, a.slug`, false},
	{"sessions", `SELECT user_id, CAST(created_at AS TEXT) AS created_at, CAST(expires_at AS TEXT) AS expires_at
		FROM sessions WHERE user_id IN ` + theUsers + ` ORDER BY created_at`, false},
	{"login_failures", `SELECT key, failures, CAST(window_start AS TEXT) AS window_start FROM login_attempts WHERE $1 <> '' AND key = 'email:' || $1`, false},
	{"member_inputs", `SELECT id, alliance_id, year, title, submitted_by, CAST(submitted_at AS TEXT) AS submitted_at
		FROM member_inputs WHERE user_id IN ` + theUsers + ` ORDER BY id`, false},
	{"service_requests", `SELECT id, alliance_id, kind, requester_kind, requester, subject, status, received_at
		FROM service_requests WHERE id IN ` + theirRequests + ` ORDER BY id`, true},
	{"service_requests_handled", `SELECT id, alliance_id, subject, status FROM service_requests WHERE handled_by IN ` + theUsers + ` ORDER BY id`, false},
	{"reminders", `SELECT id, alliance_id, kind, ref_id, days_before, email, created_at, COALESCE(sent_at, '') AS sent_at
		FROM reminders WHERE $1 <> '' AND LOWER(email) = $1 ORDER BY id`, false},
	{"outbox", `SELECT id, COALESCE(alliance_id, 0) AS alliance_id, kind, ref_id, recipient, status, attempts, created_at,
		COALESCE(sent_at, '') AS sent_at FROM outbox WHERE ` + theirMail + ` ORDER BY id`, false},
	{"recorded_as_actor", `SELECT 'membership' AS record, id, CAST(decided_at AS TEXT) AS at FROM memberships WHERE $1 <> '' AND LOWER(decided_by) = $1
		UNION ALL SELECT 'newsletter_issue', id, sent_at FROM newsletter_issues WHERE $1 <> '' AND LOWER(sent_by) = $1
		UNION ALL SELECT 'ledger_import', id, CAST(imported_at AS TEXT) FROM ledger_imports WHERE $1 <> '' AND LOWER(imported_by) = $1
		ORDER BY 1, 2`, false},
	{"audit_by", `SELECT id, CAST(at AS TEXT) AS at, COALESCE(alliance_id, 0) AS alliance_id, action, entity, entity_id
		FROM audit_log WHERE user_id IN ` + theUsers + ` OR ($1 <> '' AND LOWER(actor) = $1) ORDER BY id`, false},
	{"audit_about", `SELECT id, CAST(at AS TEXT) AS at, COALESCE(alliance_id, 0) AS alliance_id, action, entity, entity_id, before_json, after_json
		FROM audit_log WHERE (entity = 'person' AND entity_id IN (SELECT CAST(id AS TEXT) FROM people WHERE id IN ` + thePeople + `))
		OR (entity = 'user' AND entity_id IN (SELECT CAST(id AS TEXT) FROM users WHERE id IN ` + theUsers + `))
		OR (entity = 'registration' AND entity_id IN (SELECT CAST(id AS TEXT) FROM registrations WHERE $1 <> '' AND LOWER(email) = $1))
		OR (entity = 'subscriber' AND entity_id IN (SELECT CAST(id AS TEXT) FROM subscribers WHERE $1 <> '' AND LOWER(email) = $1))
		OR (entity = 'service_request' AND entity_id IN (SELECT CAST(id AS TEXT) FROM service_requests WHERE id IN ` + theirRequests + `))
		OR ($1 <> '' AND (LOWER(before_json) LIKE '%' || $1 || '%' OR LOWER(after_json) LIKE '%' || $1 || '%'))
		ORDER BY id`, true},
}

// PersonalData is everything Samråd holds about one person: for each
// section (people, seats, votes, registrations, subscribers, users, …) the
// rows found, as column → value. Password hashes, session and link tokens
// and the bodies of e-mails are never part of it.
type PersonalData struct {
	Email    string                      `json:"email,omitempty"`
	PersonID int64                       `json:"person_id,omitempty"`
	Sections map[string][]map[string]any `json:"sections"`
}

// Rows counts the rows found in every section.
func (p PersonalData) Rows() int {
	n := 0
	for _, rows := range p.Sections {
		n += len(rows)
	}
	return n
}

// personKey checks and normalises what identifies a person: an address
// and/or the id of a person. With only an id, the person's own address is
// used too.
func personKey(ctx context.Context, q queryer, email string, personID int64) (string, error) {
	if email == "" && personID == 0 {
		return "", samrad.Errorf(samrad.EINVALID, "give an e-mail address or a person")
	}
	if email != "" {
		e, err := samrad.NormaliseEmail(strings.ToLower(email))
		if err != nil {
			return "", err
		}
		email = e
	}
	if personID != 0 {
		var own string
		err := q.QueryRowContext(ctx, `SELECT email FROM people WHERE id = $1`, personID).Scan(&own)
		if err != nil {
			return "", notFound(err, "no person %d", personID)
		}
		own = strings.ToLower(strings.TrimSpace(own))
		if email == "" {
			email = own
		}
	}
	return email, nil
}

// PersonalData gathers everything held about the person with the address
// email and/or the person personID, in one read transaction.
func (db *DB) PersonalData(ctx context.Context, email string, personID int64) (PersonalData, error) {
	out := PersonalData{PersonID: personID, Sections: map[string][]map[string]any{}}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		key, err := personKey(ctx, tx, email, personID)
		if err != nil {
			return err
		}
		out.Email = key
		for _, s := range personalSections {
			query := s.query
			if s.name == "subscribers" {
				query = fmt.Sprintf(query, db.groupConcat("l.slug"))
			}
			args := []any{key}
			if s.byPerson {
				args = append(args, personID)
			}
			rows, err := readRows(ctx, tx, query, args...)
			if err != nil {
				return fmt.Errorf("personal data, %s: %w", s.name, err)
			}
			out.Sections[s.name] = rows
		}
		return nil
	})
	return out, err
}

// readRows reads a query's rows as column → value, with bytes as text and
// times as RFC 3339, so that both engines give the same document.
func readRows(ctx context.Context, q queryer, query string, args ...any) ([]map[string]any, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	out := []map[string]any{}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		row := make(map[string]any, len(cols))
		for i, c := range cols {
			switch v := vals[i].(type) {
			case []byte:
				row[c] = string(v)
			case time.Time:
				row[c] = v.UTC().Format(time.RFC3339)
			default:
				row[c] = v
			}
		}
		out = append(out, row)
	}
	return out, rows.Err()
}

// Erasure counts what AnonymisePerson removed or blanked, per kind of
// record; it is also what the audit log records of it.
type Erasure map[string]int64

// AnonymisePerson removes, in one transaction, what is the person's alone:
// event registrations are blanked as after an event, newsletter
// subscriptions, the user account with its grants and sessions, login
// throttling, deadline reminders and queued e-mail to them are deleted;
// the address and telephone on the person, contact entries and notice
// deliveries, service requests' requester, e-mails already sent (address
// and content) and the address where the audit log recorded it are
// blanked. The public record stays: the person's name and title, seats,
// votes, speakers, network roles and signatures. One audit entry counts
// what was removed without naming the person. A person or address with
// nothing to remove is ENOTFOUND.
func (db *DB) AnonymisePerson(ctx context.Context, email string, personID int64, now time.Time) (Erasure, error) {
	done := Erasure{}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		key, err := personKey(ctx, tx, email, personID)
		if err != nil {
			return err
		}
		count := func(what string, res sql.Result, err error) error {
			if err != nil {
				return fmt.Errorf("anonymise %s: %w", what, err)
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			if n > 0 {
				done[what] += n
			}
			return nil
		}
		exec := func(what, query string, args ...any) error {
			res, err := tx.ExecContext(ctx, query, args...)
			return count(what, res, err)
		}
		p := []any{key, personID}
		// Telephone numbers of the contact entries about to be blanked, to
		// be blanked in the audit log's records of those entries too.
		phones, err := tx.QueryContext(ctx, `SELECT DISTINCT phone FROM contacts
			WHERE (person_id IN `+thePeople+` OR ($1 <> '' AND LOWER(email) = $1)) AND phone <> ''`, p...)
		if err != nil {
			return err
		}
		var numbers []string
		for phones.Next() {
			var s string
			if err := phones.Scan(&s); err != nil {
				phones.Close()
				return err
			}
			numbers = append(numbers, s)
		}
		phones.Close()
		if err := phones.Err(); err != nil {
			return err
		}
		for _, n := range numbers {
			if err := exec("audit_records", `UPDATE audit_log SET before_json = REPLACE(before_json, $1, ''), after_json = REPLACE(after_json, $1, '')
				WHERE entity = 'contact' AND (before_json LIKE '%' || $1 || '%' OR after_json LIKE '%' || $1 || '%')`, n); err != nil {
				return err
			}
		}
		// Blank before the people lose their address, which finds them.
		steps := []struct {
			what, query string
			args        []any
		}{
			{"service_requests", `UPDATE service_requests SET requester = '' WHERE id IN ` + theirRequests, p},
			{"contacts", `UPDATE contacts SET email = '', phone = '' WHERE (person_id IN ` + thePeople + ` OR ($1 <> '' AND LOWER(email) = $1))
				AND (email <> '' OR phone <> '')`, p},
			{"notice_deliveries", `UPDATE notice_deliveries SET email = '', error = ''
				WHERE (person_id IN ` + thePeople + ` OR ($1 <> '' AND LOWER(email) = $1)) AND email <> ''`, p},
			{"people", `UPDATE people SET email = '' WHERE id IN ` + thePeople + ` AND email <> ''`, p},
			{"registrations", `UPDATE registrations SET name = '', email = '', organisation = '', diet = '', accessibility = '',
				comment = '', token_digest = NULL, anonymised_at = $2 WHERE $1 <> '' AND LOWER(email) = $1`, []any{key, timeArg(now)}},
			{"outbox_attempts", `DELETE FROM outbox_attempts WHERE message_id IN (SELECT id FROM outbox WHERE ` + theirMail + ` AND status = 'queued')`, p[:1]},
			{"outbox_queued", `DELETE FROM outbox WHERE ` + theirMail + ` AND status = 'queued'`, p[:1]},
			{"outbox_attempt_errors", `UPDATE outbox_attempts SET error = '' WHERE error <> '' AND message_id IN (SELECT id FROM outbox WHERE ` + theirMail + `)`, p[:1]},
			{"outbox_sent", `UPDATE outbox SET recipient = '', message = $2, last_error = '' WHERE ` + theirMail, []any{key, []byte{}}},
			{"reminders", `DELETE FROM reminders WHERE $1 <> '' AND LOWER(email) = $1`, p[:1]},
			{"login_attempts", `DELETE FROM login_attempts WHERE $1 <> '' AND key = 'email:' || $1`, p[:1]},
			{"member_inputs", `UPDATE member_inputs SET user_id = NULL WHERE user_id IN ` + theUsers, p[:1]},
			{"service_requests_handled", `UPDATE service_requests SET handled_by = NULL WHERE handled_by IN ` + theUsers, p[:1]},
			{"audit_actor", `UPDATE audit_log SET actor = 'erased user #' || CAST(COALESCE(user_id, 0) AS TEXT)
				WHERE user_id IN ` + theUsers + ` OR ($1 <> '' AND LOWER(actor) = $1)`, p[:1]},
			{"audit_records", `UPDATE audit_log SET before_json = REPLACE(before_json, $1, ''), after_json = REPLACE(after_json, $1, '')
				WHERE $1 <> '' AND (before_json LIKE '%' || $1 || '%' OR after_json LIKE '%' || $1 || '%')`, p[:1]},
			{"recorded_as_actor", `UPDATE memberships SET decided_by = 'erased user' WHERE $1 <> '' AND LOWER(decided_by) = $1`, p[:1]},
			{"recorded_as_actor", `UPDATE newsletter_issues SET sent_by = 'erased user' WHERE $1 <> '' AND LOWER(sent_by) = $1`, p[:1]},
			{"recorded_as_actor", `UPDATE ledger_imports SET imported_by = 'erased user' WHERE $1 <> '' AND LOWER(imported_by) = $1`, p[:1]},
			{"sessions", `DELETE FROM sessions WHERE user_id IN ` + theUsers, p[:1]},
			{"grants", `DELETE FROM grants WHERE user_id IN ` + theUsers, p[:1]},
			{"users", `DELETE FROM users WHERE id IN ` + theUsers, p[:1]},
		}
		for _, s := range steps {
			if err := exec(s.what, s.query, s.args...); err != nil {
				return err
			}
		}
		subs, err := tx.QueryContext(ctx, `SELECT id, alliance_id FROM subscribers WHERE $1 <> '' AND LOWER(email) = $1`, key)
		if err != nil {
			return err
		}
		var ids [][2]int64
		for subs.Next() {
			var id, a int64
			if err := subs.Scan(&id, &a); err != nil {
				subs.Close()
				return err
			}
			ids = append(ids, [2]int64{id, a})
		}
		subs.Close()
		if err := subs.Err(); err != nil {
			return err
		}
		for _, x := range ids {
			if err := deleteSubscriber(ctx, tx, x[1], x[0]); err != nil {
				return err
			}
			done["subscribers"]++
		}
		if len(done) == 0 {
			return samrad.Errorf(samrad.ENOTFOUND, "no personal data to remove for that person or address")
		}
		if done["registrations"] > 0 {
			if err := renew(ctx, tx, stampEvents); err != nil {
				return err
			}
		}
		if err := renew(ctx, tx, stampGovernance); err != nil {
			return err
		}
		var entity any = ""
		if personID != 0 {
			entity = personID
		}
		return audit(ctx, tx, 0, "anonymise", "person", entity, nil, map[string]int64(done))
	})
	if err != nil {
		return nil, err
	}
	return done, nil
}
