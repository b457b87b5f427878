package store

import (
	"context"
	"database/sql"
	"sort"
	"strings"

	"github.com/samrad/samrad"
)

// stampNetworks is renewed by every change of networks, their
// participants, working groups and activities.
const stampNetworks = "networks_stamp"

const networkColumns = `n.id, n.alliance_id, n.slug, n.kind, n.name_nb, n.name_en, n.description_nb, n.description_en,
	COALESCE(n.organiser_org_id, 0), n.openness, n.rhythm_nb, n.rhythm_en, n.founded, n.founded_precision, n.ended, n.website,
	n.join_info_nb, n.join_info_en, n.fee, n.fee_note, COALESCE(n.contact_person_id, 0), n.renewal_date, n.published, n.source,
	COALESCE(o.kind, ''), COALESCE(o.code, ''), COALESCE(o.name_nb, ''), COALESCE(o.name_en, ''), COALESCE(p.name, ''), COALESCE(p.title, '')
	FROM networks n LEFT JOIN organisations o ON o.id = n.organiser_org_id LEFT JOIN people p ON p.id = n.contact_person_id`

func scanNetwork(s interface{ Scan(...any) error }) (samrad.Network, error) {
	var n samrad.Network
	var kind, openness, precision, orgKind string
	var fee sql.NullInt64
	err := s.Scan(&n.ID, &n.AllianceID, &n.Slug, &kind, &n.NameNB, &n.NameEN, &n.DescriptionNB, &n.DescriptionEN,
		&n.OrganiserID, &openness, &n.RhythmNB, &n.RhythmEN, &n.Founded, &precision, &n.Ended, &n.Website,
		&n.JoinInfoNB, &n.JoinInfoEN, &fee, &n.FeeNote, &n.ContactPersonID, &n.RenewalDate, &n.Published, &n.Source,
		&orgKind, &n.Organiser.Code, &n.Organiser.NameNB, &n.Organiser.NameEN, &n.Contact.Name, &n.Contact.Title)
	n.Kind, n.Openness, n.FoundedPrecision = samrad.NetworkKind(kind), samrad.Openness(openness), samrad.Precision(precision)
	n.Organiser.ID, n.Organiser.Kind, n.Contact.ID = n.OrganiserID, samrad.OrgKind(orgKind), n.ContactPersonID
	if fee.Valid {
		m := samrad.Money(fee.Int64)
		n.Fee = &m
	}
	return n, err
}

// networkArgs are the values of a network's columns after alliance_id.
func networkArgs(n *samrad.Network) []any {
	var fee any
	if n.Fee != nil {
		fee = int64(*n.Fee)
	}
	return []any{n.Slug, string(n.Kind), n.NameNB, n.NameEN, n.DescriptionNB, n.DescriptionEN, nullID(n.OrganiserID), string(n.Openness),
		n.RhythmNB, n.RhythmEN, n.Founded, string(n.FoundedPrecision), n.Ended, n.Website, n.JoinInfoNB, n.JoinInfoEN, fee, n.FeeNote,
		nullID(n.ContactPersonID), n.RenewalDate, n.Published, n.Source}
}

// checkNetwork checks what a network refers to, and that its slug is free
// in the alliance.
func checkNetwork(ctx context.Context, tx *sql.Tx, n *samrad.Network) error {
	if n.OrganiserID != 0 {
		o := samrad.Organisation{ID: n.OrganiserID}
		if err := netOrg(ctx, tx, &o, "organiser"); err != nil {
			return err
		}
	}
	if n.ContactPersonID != 0 {
		p := samrad.Person{ID: n.ContactPersonID}
		if err := netPerson(ctx, tx, &p, "", "contact"); err != nil {
			return err
		}
	}
	var taken int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM networks WHERE alliance_id = $1 AND slug = $2 AND id <> $3`,
		n.AllianceID, n.Slug, n.ID).Scan(&taken); err != nil {
		return err
	}
	if taken > 0 {
		return &samrad.Error{Code: samrad.ECONFLICT, Field: "slug", Message: "the alliance already has a network " + n.Slug}
	}
	return nil
}

// netOrg reads the organisation o names by ID, or reports it unknown on
// field.
func netOrg(ctx context.Context, tx *sql.Tx, o *samrad.Organisation, field string) error {
	var kind string
	err := tx.QueryRowContext(ctx, `SELECT kind, code, name_nb, name_en FROM organisations WHERE id = $1`, o.ID).Scan(&kind, &o.Code, &o.NameNB, &o.NameEN)
	if err == sql.ErrNoRows {
		return samrad.FieldErrorf(field, "there is no organisation %d", o.ID)
	}
	o.Kind = samrad.OrgKind(kind)
	return err
}

// netPerson makes p a stored person: one that exists, by ID (its name and
// title are read), or a new one by name, created in tx with the title.
func netPerson(ctx context.Context, tx *sql.Tx, p *samrad.Person, title, field string) error {
	if p.ID != 0 {
		err := tx.QueryRowContext(ctx, `SELECT name, title FROM people WHERE id = $1`, p.ID).Scan(&p.Name, &p.Title)
		if err == sql.ErrNoRows {
			return samrad.FieldErrorf(field, "there is no person %d", p.ID)
		}
		return err
	}
	if p.Name == "" {
		return nil
	}
	p.Title = title
	id, err := insertID(ctx, tx, `INSERT INTO people (name, title, email) VALUES ($1, $2, '')`, p.Name, p.Title)
	if err != nil {
		return err
	}
	p.ID = id
	if err := renew(ctx, tx, stampGovernance); err != nil {
		return err
	}
	return audit(ctx, tx, 0, "create", "person", id, nil, map[string]string{"name": p.Name, "title": p.Title})
}

// CreateNetwork stores a new network of an alliance.
func (db *DB) CreateNetwork(ctx context.Context, n *samrad.Network) error {
	if err := n.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		n.ID = 0
		if err := checkNetwork(ctx, tx, n); err != nil {
			return err
		}
		id, err := insertID(ctx, tx, `INSERT INTO networks (alliance_id, slug, kind, name_nb, name_en, description_nb, description_en,
			organiser_org_id, openness, rhythm_nb, rhythm_en, founded, founded_precision, ended, website, join_info_nb, join_info_en,
			fee, fee_note, contact_person_id, renewal_date, published, source)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)`,
			append([]any{n.AllianceID}, networkArgs(n)...)...)
		if err != nil {
			return err
		}
		n.ID = id
		if err := renew(ctx, tx, stampNetworks); err != nil {
			return err
		}
		return audit(ctx, tx, n.AllianceID, "create", "network", id, nil, n)
	})
}

// UpdateNetwork changes a network's own fields (not its participants,
// working groups or activities).
func (db *DB) UpdateNetwork(ctx context.Context, n *samrad.Network) error {
	if err := n.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		before, err := scanNetwork(tx.QueryRowContext(ctx, `SELECT `+networkColumns+` WHERE n.id = $1`, n.ID))
		if err != nil || before.AllianceID != n.AllianceID {
			return samrad.Errorf(samrad.ENOTFOUND, "no network %d", n.ID)
		}
		if err := checkNetwork(ctx, tx, n); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE networks SET slug = $1, kind = $2, name_nb = $3, name_en = $4, description_nb = $5,
			description_en = $6, organiser_org_id = $7, openness = $8, rhythm_nb = $9, rhythm_en = $10, founded = $11, founded_precision = $12,
			ended = $13, website = $14, join_info_nb = $15, join_info_en = $16, fee = $17, fee_note = $18, contact_person_id = $19,
			renewal_date = $20, published = $21, source = $22 WHERE id = $23`, append(networkArgs(n), n.ID)...); err != nil {
			return err
		}
		if err := renew(ctx, tx, stampNetworks); err != nil {
			return err
		}
		return audit(ctx, tx, n.AllianceID, "update", "network", n.ID, before, n)
	})
}

// Networks lists an alliance's networks, those it runs first, then those it
// belongs to, each by name; unpublished ones only if all is set.
func (db *DB) Networks(ctx context.Context, allianceID int64, all bool) ([]samrad.Network, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+networkColumns+` WHERE n.alliance_id = $1 AND (n.published = $2 OR $3)`, allianceID, true, all)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.Network
	for rows.Next() {
		n, err := scanNetwork(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	// Sorted here rather than in SQL, so that both engines give the same
	// order whatever their collation.
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Kind != b.Kind {
			return a.Kind == samrad.NetworkInternal
		}
		return strings.ToLower(a.NameNB) < strings.ToLower(b.NameNB)
	})
	return out, rows.Err()
}

// Network returns an alliance's network, published or not, with its
// participants (with their organisations and people), working groups and
// activities (with the event or meeting they link to): four queries.
func (db *DB) Network(ctx context.Context, allianceID int64, slug string) (samrad.Network, error) {
	n, err := scanNetwork(db.db.QueryRowContext(ctx, `SELECT `+networkColumns+` WHERE n.alliance_id = $1 AND n.slug = $2`, allianceID, slug))
	if err != nil {
		return n, notFound(err, "no network %q", slug)
	}
	if n.Participants, err = networkParticipants(ctx, db.db, `np.network_id = $1`, n.ID); err != nil {
		return n, err
	}
	if n.WorkingGroups, err = workingGroups(ctx, db.db, n.ID); err != nil {
		return n, err
	}
	n.Activities, err = networkActivities(ctx, db.db, n.ID)
	return n, err
}

func networkParticipants(ctx context.Context, q queryer, where string, args ...any) ([]samrad.NetworkParticipant, error) {
	rows, err := q.QueryContext(ctx, `SELECT np.id, np.network_id, COALESCE(np.org_id, 0), COALESCE(o.kind, ''), COALESCE(o.code, ''),
		COALESCE(o.name_nb, ''), COALESCE(o.name_en, ''), COALESCE(np.person_id, 0), COALESCE(pe.name, ''), COALESCE(pe.title, ''),
		np.role, np.title, np.joined, np.left_on, np.note
		FROM network_participants np LEFT JOIN organisations o ON o.id = np.org_id LEFT JOIN people pe ON pe.id = np.person_id
		WHERE `+where+` ORDER BY np.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.NetworkParticipant
	for rows.Next() {
		var p samrad.NetworkParticipant
		var kind, role string
		if err := rows.Scan(&p.ID, &p.NetworkID, &p.Org.ID, &kind, &p.Org.Code, &p.Org.NameNB, &p.Org.NameEN, &p.Person.ID, &p.Person.Name,
			&p.Person.Title, &role, &p.Title, &p.Joined, &p.Left, &p.Note); err != nil {
			return nil, err
		}
		p.Org.Kind, p.Role = samrad.OrgKind(kind), samrad.ParticipantRole(role)
		out = append(out, p)
	}
	return out, rows.Err()
}

func workingGroups(ctx context.Context, q queryer, networkID int64) ([]samrad.WorkingGroup, error) {
	rows, err := q.QueryContext(ctx, `SELECT g.id, g.network_id, g.name, COALESCE(g.person_id, 0), COALESCE(pe.name, ''), COALESCE(pe.title, ''), g.note
		FROM network_working_groups g LEFT JOIN people pe ON pe.id = g.person_id WHERE g.network_id = $1 ORDER BY g.id`, networkID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.WorkingGroup
	for rows.Next() {
		var g samrad.WorkingGroup
		if err := rows.Scan(&g.ID, &g.NetworkID, &g.Name, &g.Person.ID, &g.Person.Name, &g.Person.Title, &g.Note); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

func networkActivities(ctx context.Context, q queryer, networkID int64) ([]samrad.NetworkActivity, error) {
	rows, err := q.QueryContext(ctx, `SELECT a.id, a.network_id, a.kind, a.title_nb, a.title_en, a.starts, a.ends, a.date_precision, a.place,
		COALESCE(a.participants, 0), a.note, COALESCE(a.event_id, 0), COALESCE(e.slug, ''), COALESCE(e.title_nb, ''), COALESCE(e.title_en, ''),
		COALESCE(a.meeting_id, 0), COALESCE(m.body_id, 0), m.starts_at, m.date_only
		FROM network_activities a LEFT JOIN events e ON e.id = a.event_id LEFT JOIN meetings m ON m.id = a.meeting_id
		WHERE a.network_id = $1 ORDER BY a.starts IS NULL, a.starts, a.id`, networkID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.NetworkActivity
	for rows.Next() {
		var a samrad.NetworkActivity
		var kind, precision string
		var start timestamp
		var dateOnly sql.NullBool
		if err := rows.Scan(&a.ID, &a.NetworkID, &kind, &a.TitleNB, &a.TitleEN, &a.Starts, &a.Ends, &precision, &a.Place, &a.Participants, &a.Note,
			&a.Event.ID, &a.Event.Slug, &a.Event.TitleNB, &a.Event.TitleEN, &a.Meeting.ID, &a.Meeting.BodyID, &start, &dateOnly); err != nil {
			return nil, err
		}
		a.Kind, a.Precision = samrad.ActivityKind(kind), samrad.Precision(precision)
		a.Meeting.Start, a.Meeting.DateOnly = start.t, dateOnly.Bool
		out = append(out, a)
	}
	return out, rows.Err()
}

// networkOf checks that a network is the alliance's and returns its kind.
func networkOf(ctx context.Context, tx *sql.Tx, allianceID, networkID int64) (samrad.NetworkKind, error) {
	var a int64
	var kind string
	err := tx.QueryRowContext(ctx, `SELECT alliance_id, kind FROM networks WHERE id = $1`, networkID).Scan(&a, &kind)
	if err != nil || a != allianceID {
		return "", samrad.Errorf(samrad.ENOTFOUND, "no network %d", networkID)
	}
	return samrad.NetworkKind(kind), nil
}

// AddParticipant adds an organisation, a person or a person for an
// organisation to a network. A person without an ID is a new person,
// stored in the same transaction. The same person and organisation cannot
// take part twice at once.
func (db *DB) AddParticipant(ctx context.Context, allianceID int64, p *samrad.NetworkParticipant) error {
	if err := p.Validate(); err != nil {
		return err
	}
	today := samrad.Today()
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := networkOf(ctx, tx, allianceID, p.NetworkID); err != nil {
			return err
		}
		if p.Org.ID != 0 {
			if err := netOrg(ctx, tx, &p.Org, "org"); err != nil {
				return err
			}
		}
		// One who is taking part now: the same person (an existing one, or a
		// new one of the same name) for the same organisation, or the same
		// organisation on its own.
		cond, args := `np.person_id IS NULL`, []any{p.NetworkID, p.Org.ID, today}
		switch {
		case p.Person.ID != 0:
			cond, args = `np.person_id = $4`, append(args, p.Person.ID)
		case p.Person.Name != "":
			cond, args = `pe.name = $4`, append(args, p.Person.Name)
		}
		var twice int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM network_participants np LEFT JOIN people pe ON pe.id = np.person_id
			WHERE np.network_id = $1 AND COALESCE(np.org_id, 0) = $2 AND (np.left_on IS NULL OR np.left_on > $3) AND `+cond, args...).Scan(&twice); err != nil {
			return err
		}
		if twice > 0 {
			return &samrad.Error{Code: samrad.ECONFLICT, Field: "org", Message: "this participant already takes part in the network"}
		}
		if err := netPerson(ctx, tx, &p.Person, p.Title, "person"); err != nil {
			return err
		}
		id, err := insertID(ctx, tx, `INSERT INTO network_participants (network_id, org_id, person_id, role, title, joined, left_on, note)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, p.NetworkID, nullID(p.Org.ID), nullID(p.Person.ID), string(p.Role), p.Title, p.Joined, p.Left, p.Note)
		if err != nil {
			return err
		}
		p.ID = id
		if err := renew(ctx, tx, stampNetworks); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "create", "network_participant", id, nil, map[string]any{"network": p.NetworkID, "org": p.Org.ID,
			"person": p.Person.ID, "role": p.Role, "title": p.Title, "joined": p.Joined, "left": p.Left})
	})
}

// EndParticipant ends a participation on a day (today if on is zero).
func (db *DB) EndParticipant(ctx context.Context, allianceID, participantID int64, on samrad.Date) error {
	if on.IsZero() {
		on = samrad.Today()
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		list, err := networkParticipants(ctx, tx, `np.id = $1`, participantID)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return samrad.Errorf(samrad.ENOTFOUND, "no participant %d", participantID)
		}
		p := list[0]
		if _, err := networkOf(ctx, tx, allianceID, p.NetworkID); err != nil {
			return samrad.Errorf(samrad.ENOTFOUND, "no participant %d", participantID)
		}
		if !p.Left.IsZero() {
			return &samrad.Error{Code: samrad.ECONFLICT, Field: "left", Message: "the participation has already ended on " + p.Left.String()}
		}
		if !p.Joined.IsZero() && on.Before(p.Joined) {
			return samrad.FieldErrorf("left", "the participation cannot end before it started on %s", p.Joined)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE network_participants SET left_on = $1 WHERE id = $2`, on, participantID); err != nil {
			return err
		}
		if err := renew(ctx, tx, stampNetworks); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "end", "network_participant", participantID, map[string]any{"left": nil}, map[string]any{"left": on})
	})
}

// AddWorkingGroup records a working group that the alliance follows in a
// network it belongs to. A person without an ID is a new person.
func (db *DB) AddWorkingGroup(ctx context.Context, allianceID int64, g *samrad.WorkingGroup) error {
	if err := g.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		kind, err := networkOf(ctx, tx, allianceID, g.NetworkID)
		if err != nil {
			return err
		}
		if kind != samrad.NetworkExternal {
			return samrad.FieldErrorf("group_name", "working groups are followed in networks the alliance belongs to")
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM network_working_groups WHERE network_id = $1 AND name = $2`, g.NetworkID, g.Name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return &samrad.Error{Code: samrad.ECONFLICT, Field: "group_name", Message: "the network already has a working group " + g.Name}
		}
		if err := netPerson(ctx, tx, &g.Person, "", "group_person"); err != nil {
			return err
		}
		id, err := insertID(ctx, tx, `INSERT INTO network_working_groups (network_id, name, person_id, note) VALUES ($1, $2, $3, $4)`,
			g.NetworkID, g.Name, nullID(g.Person.ID), g.Note)
		if err != nil {
			return err
		}
		g.ID = id
		if err := renew(ctx, tx, stampNetworks); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "create", "network_working_group", id, nil, g)
	})
}

// AddActivity records an activity of a network. The event it links (by ID,
// or by slug) and the meeting must be the alliance's own; an activity
// linked to an event and given no date takes the event's days.
func (db *DB) AddActivity(ctx context.Context, allianceID int64, a *samrad.NetworkActivity) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := networkOf(ctx, tx, allianceID, a.NetworkID); err != nil {
			return err
		}
		if a.Event.ID != 0 || a.Event.Slug != "" {
			var owner int64
			var row *sql.Row
			if a.Event.ID != 0 {
				row = tx.QueryRowContext(ctx, `SELECT id, alliance_id, slug, title_nb, title_en FROM events WHERE id = $1`, a.Event.ID)
			} else {
				row = tx.QueryRowContext(ctx, `SELECT id, alliance_id, slug, title_nb, title_en FROM events WHERE alliance_id = $1 AND slug = $2`, allianceID, a.Event.Slug)
			}
			err := row.Scan(&a.Event.ID, &owner, &a.Event.Slug, &a.Event.TitleNB, &a.Event.TitleEN)
			if err != nil && err != sql.ErrNoRows {
				return err
			}
			if err == sql.ErrNoRows || owner != allianceID {
				return samrad.FieldErrorf("event", "the alliance has no event %q", a.Event.Slug)
			}
			if a.Starts.IsZero() {
				var first, last samrad.Date
				if err := tx.QueryRowContext(ctx, `SELECT MIN(day), MAX(day) FROM event_days WHERE event_id = $1`, a.Event.ID).Scan(&first, &last); err != nil {
					return err
				}
				if !first.IsZero() {
					a.Starts, a.Precision = first, samrad.PrecisionDay
					if last.After(first) {
						a.Ends = last
					}
				}
			}
		}
		if a.Meeting.ID != 0 {
			m, b, err := meetingInfo(ctx, tx, a.Meeting.ID)
			if err != nil || b.AllianceID != allianceID {
				return samrad.FieldErrorf("meeting", "meeting %d is not a meeting of the alliance", a.Meeting.ID)
			}
			a.Meeting = m
		}
		id, err := insertID(ctx, tx, `INSERT INTO network_activities (network_id, kind, title_nb, title_en, starts, ends, date_precision, place,
			participants, event_id, meeting_id, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
			a.NetworkID, string(a.Kind), a.TitleNB, a.TitleEN, a.Starts, a.Ends, string(a.Precision), a.Place, nullCount(a.Participants),
			nullID(a.Event.ID), nullID(a.Meeting.ID), a.Note)
		if err != nil {
			return err
		}
		a.ID = id
		if err := renew(ctx, tx, stampNetworks); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "create", "network_activity", id, nil, map[string]any{"network": a.NetworkID, "kind": a.Kind,
			"title": a.TitleNB, "starts": a.Starts, "ends": a.Ends, "precision": a.Precision, "event": a.Event.ID, "meeting": a.Meeting.ID})
	})
}

// nullCount stores a count that is not known (0) as NULL.
func nullCount(n int) any {
	if n == 0 {
		return nil
	}
	return n
}
