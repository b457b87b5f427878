package store_test

import (
	"context"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

// personRows builds, with plain SQL, what an alliance holds about two
// people: Ola, whose data the tests export and erase, and Kari, whose data
// must not change. It returns Ola's and Kari's person ids and the body.
func personRows(t *testing.T, db *store.DB) (ola, kari, body, meeting int64) {
	t.Helper()
	ctx := context.Background()
	a := newAlliance(t, db, "vest")
	id := func(q string, args ...any) int64 {
		t.Helper()
		var id int64
		if err := db.SQL().QueryRowContext(ctx, q+" RETURNING id", args...).Scan(&id); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return id
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.SQL().ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	var baerum, oslo int64
	if err := db.SQL().QueryRowContext(ctx, `SELECT MAX(CASE WHEN code = '3024' THEN id END), MAX(CASE WHEN code = '0301' THEN id END) FROM organisations`).Scan(&baerum, &oslo); err != nil {
		t.Fatal(err)
	}
	const at = "2024-05-01T10:00:00Z"
	ola = id(`INSERT INTO people (name, title, email) VALUES ('Ola Nordmann', 'ordfører', 'ola@example.org')`)
	kari = id(`INSERT INTO people (name, title, email) VALUES ('Kari Holm', 'rådmann', 'kari@example.org')`)
	body = id(`INSERT INTO bodies (alliance_id, slug, name_nb, kind) VALUES ($1, 'radet', 'Rådet', 'council')`, a.ID)
	exec(`INSERT INTO seats (body_id, person_id, represents_org_id, role, valid_from) VALUES ($1, $2, $3, 'chair', '2020-01-01'), ($1, $4, $5, 'member', '2020-01-01')`,
		body, ola, baerum, kari, oslo)
	meeting = id(`INSERT INTO meetings (body_id, number, year, starts_at, minutes) VALUES ($1, 1, 2024, $2, 'Ola Nordmann ledet møtet.')`, body, at)
	cs := id(`INSERT INTO cases (alliance_id, year, number, title, type) VALUES ($1, 2024, 1, 'Budsjett', 'decision')`, a.ID)
	exec(`INSERT INTO agenda_items (meeting_id, case_id, position) VALUES ($1, $2, 1)`, meeting, cs)
	exec(`INSERT INTO votes (meeting_id, case_id, org_id, person_id, choice, weight) VALUES ($1, $2, $3, $4, 'yes', 1), ($1, $2, $5, $6, 'no', 1)`,
		meeting, cs, baerum, ola, oslo, kari)
	exec(`INSERT INTO notice_deliveries (meeting_id, person_id, email, attempts, updated_at) VALUES ($1, $2, 'ola@example.org', 1, $4), ($1, $3, 'kari@example.org', 1, $4)`,
		meeting, ola, kari, at)
	exec(`INSERT INTO contacts (alliance_id, position, person_id, name, title, phone, email) VALUES ($1, 1, $2, 'Ola Nordmann', 'leder', '+47 900 00 001', 'ola@example.org'),
		($1, 2, $3, 'Kari Holm', 'sekretær', '+47 900 00 002', 'kari@example.org')`, a.ID, ola, kari)
	ev := id(`INSERT INTO events (alliance_id, slug, title_nb) VALUES ($1, 'seminar', 'Seminar')`, a.ID)
	exec(`INSERT INTO registrations (event_id, name, email, organisation, diet, status, consent_at, created_at, token_digest)
		VALUES ($1, 'Ola Nordmann', 'ola@example.org', 'Bærum kommune', 'vegetar', 'confirmed', $2, $2, 'digest-ola'),
		       ($1, 'Kari Holm', 'kari@example.org', 'Oslo kommune', 'glutenfri', 'confirmed', $2, $2, 'digest-kari')`, ev, at)
	list := id(`INSERT INTO newsletter_lists (alliance_id, slug, name_nb) VALUES ($1, 'nytt', 'Nytt')`, a.ID)
	for _, who := range []string{"ola@example.org", "kari@example.org"} {
		s := id(`INSERT INTO subscribers (alliance_id, email, status, consent, signed_up_at) VALUES ($1, $2, 'confirmed', 'ja takk', $3)`, a.ID, who, at)
		exec(`INSERT INTO subscriptions (subscriber_id, list_id) VALUES ($1, $2)`, s, list)
		exec(`INSERT INTO reminders (alliance_id, kind, ref_id, days_before, email, created_at) VALUES ($1, 'call', 1, 7, $2, $3)`, a.ID, who, at)
		q := id(`INSERT INTO outbox (alliance_id, kind, sender, recipient, message, next_attempt, created_at) VALUES ($1, 'test', 'post@example.org', $2, $3, $4, $4)`,
			a.ID, who, []byte("To: "+who+"\r\n\r\nhei"), at)
		exec(`INSERT INTO outbox_attempts (message_id, at, ok, error) VALUES ($1, $2, $3, $4)`, q, at, false, "450 "+who+" busy")
		sent := id(`INSERT INTO outbox (alliance_id, kind, sender, recipient, message, status, next_attempt, created_at, sent_at) VALUES ($1, 'test', 'post@example.org', $2, $3, 'sent', $4, $4, $4)`,
			a.ID, who, []byte("To: "+who+"\r\n\r\nsendt"), at)
		exec(`INSERT INTO outbox_attempts (message_id, at, ok, error) VALUES ($1, $2, $3, '')`, sent, at, true)
		exec(`INSERT INTO login_attempts (key, window_start, failures) VALUES ($1, $2, 2)`, "email:"+who, at)
		u := id(`INSERT INTO users (email, name, password_hash, created_at) VALUES ($1, 'x', 'argon2id-secret-'||$1, $2)`, who, at)
		exec(`INSERT INTO grants (user_id, alliance_id, role) VALUES ($1, $2, 'secretariat')`, u, a.ID)
		exec(`INSERT INTO sessions (token_digest, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, 'csrf', $3, $3)`, "session-"+who, u, at)
		exec(`INSERT INTO audit_log (at, user_id, actor, alliance_id, action, entity, entity_id, after_json) VALUES ($1, $2, $3, $4, 'create', 'user', $5, $6)`,
			at, u, who, a.ID, strconv.FormatInt(u, 10), `{"email":"`+who+`"}`)
		exec(`INSERT INTO member_inputs (alliance_id, org_id, year, title, submitted_by, user_id, submitted_at) VALUES ($1, $2, 2024, 'Innspill', 'x', $3, $4)`,
			a.ID, baerum, u, at)
		exec(`INSERT INTO service_requests (alliance_id, kind, requester_kind, requester, subject, status, received_at, handled_by, created_at, updated_at)
			VALUES ($1, 'request', 'user', $2, 'Hjelp', 'open', $3, $4, $3, $3)`, a.ID, who, at, u)
	}
	exec(`INSERT INTO service_requests (alliance_id, kind, requester_kind, requester, subject, status, received_at, created_at, updated_at)
		VALUES ($1, 'request', 'user', 'Ola Nordmann', 'Spørsmål', 'open', $2, $2, $2)`, a.ID, at)
	exec(`INSERT INTO audit_log (at, actor, action, entity, entity_id, after_json) VALUES ($1, 'cli:test', 'create', 'person', $2, '{"name":"Ola Nordmann"}')`,
		at, strconv.FormatInt(ola, 10))
	exec(`INSERT INTO newsletter_issues (alliance_id, list_id, subject, status, created_at, sent_at, sent_by) VALUES ($1, $2, 'Nr. 1', 'sent', $3, $3, 'ola@example.org'),
		($1, $2, 'Nr. 2', 'sent', $3, $3, 'kari@example.org')`, a.ID, list, at)
	exec(`INSERT INTO audit_log (at, actor, action, entity, entity_id, after_json) VALUES ($1, 'cli:test', 'save', 'contact', '1', $2), ($1, 'cli:test', 'save', 'contact', '2', $3)`,
		at, `{"Name":"Ola Nordmann","Phone":"+47 900 00 001","Email":"ola@example.org"}`, `{"Name":"Kari Holm","Phone":"+47 900 00 002","Email":"kari@example.org"}`)
	return ola, kari, body, meeting
}

// tableCounts counts the rows of every table.
func tableCounts(t *testing.T, db *store.DB) map[string]int {
	t.Helper()
	ctx := context.Background()
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
	if db.Dialect() == store.Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
	}
	rows, err := db.SQL().QueryContext(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, s)
	}
	rows.Close()
	out := map[string]int{}
	for _, tb := range tables {
		var n int
		if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM `+tb).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[tb] = n
	}
	return out
}

func exportText(t *testing.T, p store.PersonalData) string {
	t.Helper()
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestPersonalDataExportAndAnonymise(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ola, kari, body, meeting := personRows(t, db)

		got, err := db.PersonalData(ctx, " Ola@Example.org ", 0)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]int{"people": 1, "seats": 1, "votes": 1, "notice_deliveries": 1, "contacts": 1, "registrations": 1,
			"subscribers": 1, "users": 1, "grants": 1, "sessions": 1, "login_failures": 1, "member_inputs": 1,
			"service_requests": 2, "service_requests_handled": 1, "reminders": 1, "outbox": 2, "audit_by": 1, "audit_about": 3, "recorded_as_actor": 1}
		for section, n := range want {
			if len(got.Sections[section]) != n {
				t.Errorf("export %s: %d rows, want %d: %v", section, len(got.Sections[section]), n, got.Sections[section])
			}
		}
		text := exportText(t, got)
		for _, never := range []string{"kari@example.org", "Kari Holm", "argon2id-secret", "digest-ola", "session-ola", "csrf", "hei", "sendt"} {
			if strings.Contains(text, never) {
				t.Errorf("the export holds %q", never)
			}
		}
		for _, must := range []string{"vegetar", "+47 900 00 001", "Bærum kommune", "ja takk", "nytt", "Budsjett"} {
			if !strings.Contains(text, must) {
				t.Errorf("the export lacks %q", must)
			}
		}
		byPerson, err := db.PersonalData(ctx, "", ola)
		if err != nil || !reflect.DeepEqual(byPerson.Sections, got.Sections) {
			t.Errorf("by person %d: %v (same as by address: %v)", ola, err, reflect.DeepEqual(byPerson.Sections, got.Sections))
		}

		kariBefore, err := db.PersonalData(ctx, "", kari)
		if err != nil {
			t.Fatal(err)
		}
		before := tableCounts(t, db)

		// Bad input changes nothing.
		if _, err := db.AnonymisePerson(ctx, "not an address", 0, time.Now()); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("bad address: %v, want EINVALID", err)
		}
		if _, err := db.AnonymisePerson(ctx, "", 999999, time.Now()); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("unknown person: %v, want ENOTFOUND", err)
		}

		erased, err := db.AnonymisePerson(ctx, "ola@example.org", ola, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if erased["registrations"] != 1 || erased["users"] != 1 || erased["subscribers"] != 1 || erased["outbox_queued"] != 1 {
			t.Errorf("erased %v", erased)
		}

		// What is the person's alone is gone; by address nothing is left.
		after, err := db.PersonalData(ctx, "ola@example.org", 0)
		if err != nil {
			t.Fatal(err)
		}
		if after.Rows() != 0 {
			t.Errorf("after anonymising, the export by address has %d rows: %s", after.Rows(), exportText(t, after))
		}
		// By the person: the public record, without contact details.
		left, err := db.PersonalData(ctx, "", ola)
		if err != nil {
			t.Fatal(err)
		}
		leftText := exportText(t, left)
		for _, never := range []string{"ola@example.org", "+47 900 00 001", "vegetar", "Bærum kommune", "ja takk"} {
			if strings.Contains(leftText, never) {
				t.Errorf("after anonymising, the export by person holds %q: %s", never, leftText)
			}
		}
		for section, n := range map[string]int{"people": 1, "seats": 1, "votes": 1, "contacts": 1, "service_requests": 0, "registrations": 0, "users": 0} {
			if len(left.Sections[section]) != n {
				t.Errorf("after anonymising, %s: %d rows, want %d", section, len(left.Sections[section]), n)
			}
		}

		// The public record still names the person.
		seats, err := db.Seats(ctx, body)
		if err != nil || len(seats) != 2 || seats[0].Person.Name != "Ola Nordmann" || seats[0].Person.Title != "ordfører" {
			t.Errorf("seats after anonymising: %+v, %v", seats, err)
		}
		votes, err := db.MeetingVotes(ctx, meeting)
		names := []string{}
		for _, v := range votes {
			names = append(names, v.Person.Name)
		}
		if err != nil || !strings.Contains(strings.Join(names, ","), "Ola Nordmann") {
			t.Errorf("votes after anonymising: %v, %v", names, err)
		}
		var minutes string
		if err := db.SQL().QueryRowContext(ctx, `SELECT minutes FROM meetings WHERE id = $1`, meeting).Scan(&minutes); err != nil || !strings.Contains(minutes, "Ola Nordmann") {
			t.Errorf("minutes after anonymising: %q, %v", minutes, err)
		}

		// Kari's data is as it was, and only the rows that were Ola's alone left.
		kariAfter, err := db.PersonalData(ctx, "", kari)
		if err != nil {
			t.Fatal(err)
		}
		if a, b := exportText(t, kariBefore), exportText(t, kariAfter); a != b {
			t.Errorf("another person's data changed:\nbefore %s\nafter  %s", a, b)
		}
		delta := map[string]int{"subscribers": -1, "subscriptions": -1, "users": -1, "grants": -1, "sessions": -1,
			"outbox": -1, "outbox_attempts": -1, "reminders": -1, "login_attempts": -1,
			"audit_log": +2} // the subscriber's deletion and the anonymisation
		now := tableCounts(t, db)
		for tb, n := range before {
			if tb == "meta" || strings.HasPrefix(tb, "search_index_") {
				continue // the caches' stamps, renewed by every change; the full-text index's own pages
			}
			if now[tb] != n+delta[tb] {
				t.Errorf("table %s: %d rows after, %d before, want a change of %d", tb, now[tb], n, delta[tb])
			}
		}
		var action, entityID, record string
		if err := db.SQL().QueryRowContext(ctx, `SELECT action, entity_id, after_json FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&action, &entityID, &record); err != nil {
			t.Fatal(err)
		}
		if action != "anonymise" || !strings.Contains(record, `"registrations":1`) || strings.Contains(record, "Ola") || strings.Contains(record, "ola@") {
			t.Errorf("audit entry %s %s %s", action, entityID, record)
		}

		var kept int
		if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE after_json LIKE '%900 00 001%' OR after_json LIKE '%ola@%' OR actor LIKE '%ola@%'`).Scan(&kept); err != nil || kept != 0 {
			t.Errorf("%d audit entries still hold the telephone or address (%v)", kept, err)
		}

		// Nothing is left to remove.
		if _, err := db.AnonymisePerson(ctx, "ola@example.org", 0, time.Now()); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("second anonymise: %v, want ENOTFOUND", err)
		}
	})
}
