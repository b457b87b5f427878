package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"sort"
	"strings"
	"time"

	"github.com/samrad/samrad"
)

// stampAgreements is renewed by every change of agreements, their parties,
// areas, signatories and documents.
const stampAgreements = "agreements_stamp"

const agreementColumns = `id, alliance_id, slug, kind, title_nb, title_en, description_nb, description_en, signed_on, signed_precision,
	starts, ends, renewal_date, COALESCE(network_id, 0), parties_note_nb, parties_note_en, published, source`

func scanAgreement(s interface{ Scan(...any) error }) (samrad.Agreement, error) {
	var a samrad.Agreement
	var kind, prec string
	err := s.Scan(&a.ID, &a.AllianceID, &a.Slug, &kind, &a.TitleNB, &a.TitleEN, &a.DescriptionNB, &a.DescriptionEN, &a.SignedOn, &prec,
		&a.Starts, &a.Ends, &a.RenewalDate, &a.NetworkID, &a.PartiesNoteNB, &a.PartiesNoteEN, &a.Published, &a.Source)
	a.Kind, a.SignedPrecision = samrad.AgreementKind(kind), samrad.Precision(prec)
	return a, err
}

// agreementArgs are the values of agreementColumns after id, alliance_id.
func agreementArgs(a *samrad.Agreement) []any {
	return []any{a.Slug, a.Kind, a.TitleNB, a.TitleEN, a.DescriptionNB, a.DescriptionEN, a.SignedOn, a.SignedPrecision,
		a.Starts, a.Ends, a.RenewalDate, nullID(a.NetworkID), a.PartiesNoteNB, a.PartiesNoteEN, a.Published, a.Source}
}

// agreementAudit is what the audit log keeps of an agreement.
func agreementAudit(a samrad.Agreement) map[string]any {
	return map[string]any{"slug": a.Slug, "kind": a.Kind, "title": a.TitleNB, "signed_on": a.SignedOn.FormatAs(a.SignedPrecision),
		"starts": a.Starts, "ends": a.Ends, "renewal_date": a.RenewalDate, "network": a.NetworkID, "published": a.Published, "areas": a.Areas}
}

// checkAgreement checks what an agreement refers to: its network is the
// alliance's, its slug is free, and its parties are organisations (whose
// names it fills in for the messages and the audit log).
func checkAgreement(ctx context.Context, tx *sql.Tx, a *samrad.Agreement) error {
	if a.NetworkID != 0 {
		if err := sameAllianceNetwork(ctx, tx, a.AllianceID, a.NetworkID); err != nil {
			return err
		}
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM agreements WHERE alliance_id = $1 AND slug = $2 AND id <> $3`,
		a.AllianceID, a.Slug, a.ID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return &samrad.Error{Code: samrad.ECONFLICT, Field: "slug", Message: "the alliance already has an agreement " + a.Slug}
	}
	for i := range a.Parties {
		o, err := scanOrg(tx.QueryRowContext(ctx, `SELECT `+orgColumns+` FROM organisations WHERE id = $1`, a.Parties[i].Org.ID))
		if err != nil {
			return samrad.FieldErrorf("org", "organisation %d does not exist", a.Parties[i].Org.ID)
		}
		a.Parties[i].Org = o
	}
	return nil
}

func writeAreas(ctx context.Context, tx *sql.Tx, a *samrad.Agreement) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM agreement_areas WHERE agreement_id = $1`, a.ID); err != nil {
		return err
	}
	rows := make([][]any, len(a.Areas))
	for i, ar := range a.Areas {
		rows[i] = []any{a.ID, ar.Position, ar.NameNB, ar.NameEN}
	}
	return insertBatch(ctx, tx, `INSERT INTO agreement_areas (agreement_id, position, name_nb, name_en) VALUES `, rows)
}

// CreateAgreement stores an agreement with its parties and areas. An
// organisation named twice among the parties is refused, and nothing is
// stored.
func (db *DB) CreateAgreement(ctx context.Context, a *samrad.Agreement) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkAgreement(ctx, tx, a); err != nil {
			return err
		}
		id, err := insertID(ctx, tx, `INSERT INTO agreements (alliance_id, slug, kind, title_nb, title_en, description_nb, description_en,
			signed_on, signed_precision, starts, ends, renewal_date, network_id, parties_note_nb, parties_note_en, published, source)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`, append([]any{a.AllianceID}, agreementArgs(a)...)...)
		if err != nil {
			return err
		}
		a.ID = id
		if err := writeAreas(ctx, tx, a); err != nil {
			return err
		}
		rows := make([][]any, len(a.Parties))
		for i, p := range a.Parties {
			rows[i] = []any{id, p.Org.ID, p.Role, p.JoinedOn}
		}
		if err := insertBatch(ctx, tx, `INSERT INTO agreement_parties (agreement_id, org_id, role, joined_on) VALUES `, rows); err != nil {
			return err
		}
		if err := renew(ctx, tx, stampAgreements); err != nil {
			return err
		}
		after := agreementAudit(*a)
		after["parties"] = partiesAudit(a.Parties)
		return audit(ctx, tx, a.AllianceID, "create", "agreement", id, nil, after)
	})
}

func partiesAudit(list []samrad.AgreementParty) []map[string]any {
	out := []map[string]any{}
	for _, p := range list {
		out = append(out, map[string]any{"org": p.Org.ID, "name": p.Org.NameNB, "role": p.Role, "joined_on": p.JoinedOn})
	}
	return out
}

// UpdateAgreement changes an agreement and its areas; its parties,
// signatories and documents are changed one by one.
func (db *DB) UpdateAgreement(ctx context.Context, a *samrad.Agreement) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		before, err := scanAgreement(tx.QueryRowContext(ctx, `SELECT `+agreementColumns+` FROM agreements WHERE id = $1`, a.ID))
		if err != nil || before.AllianceID != a.AllianceID {
			return samrad.Errorf(samrad.ENOTFOUND, "no agreement %d", a.ID)
		}
		if before.Areas, err = loadAreas(ctx, tx, before.ID); err != nil {
			return err
		}
		parties := a.Parties
		a.Parties = nil // not changed here
		err = checkAgreement(ctx, tx, a)
		a.Parties = parties
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE agreements SET slug = $1, kind = $2, title_nb = $3, title_en = $4, description_nb = $5,
			description_en = $6, signed_on = $7, signed_precision = $8, starts = $9, ends = $10, renewal_date = $11, network_id = $12,
			parties_note_nb = $13, parties_note_en = $14, published = $15, source = $16 WHERE id = $17`, append(agreementArgs(a), a.ID)...); err != nil {
			return err
		}
		if err := writeAreas(ctx, tx, a); err != nil {
			return err
		}
		if err := renew(ctx, tx, stampAgreements); err != nil {
			return err
		}
		return audit(ctx, tx, a.AllianceID, "update", "agreement", a.ID, agreementAudit(before), agreementAudit(*a))
	})
}

// agreementOf returns the agreement's row if it is the alliance's.
func agreementOf(ctx context.Context, q queryer, allianceID, id int64) (samrad.Agreement, error) {
	a, err := scanAgreement(q.QueryRowContext(ctx, `SELECT `+agreementColumns+` FROM agreements WHERE id = $1 AND alliance_id = $2`, id, allianceID))
	return a, notFound(err, "no agreement %d", id)
}

// AddParty adds an organisation to an agreement. An organisation that is
// a party already is refused with ECONFLICT, and nothing is stored.
func (db *DB) AddParty(ctx context.Context, allianceID, agreementID int64, p *samrad.AgreementParty) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := agreementOf(ctx, tx, allianceID, agreementID); err != nil {
			return err
		}
		o, err := scanOrg(tx.QueryRowContext(ctx, `SELECT `+orgColumns+` FROM organisations WHERE id = $1`, p.Org.ID))
		if err != nil {
			return samrad.FieldErrorf("org", "organisation %d does not exist", p.Org.ID)
		}
		p.Org = o
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM agreement_parties WHERE agreement_id = $1 AND org_id = $2`, agreementID, o.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return &samrad.Error{Code: samrad.ECONFLICT, Field: "org", Message: o.NameNB + " is already a party to the agreement"}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO agreement_parties (agreement_id, org_id, role, joined_on) VALUES ($1, $2, $3, $4)`,
			agreementID, o.ID, p.Role, p.JoinedOn); err != nil {
			return err
		}
		if err := renew(ctx, tx, stampAgreements); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "add_party", "agreement", agreementID, nil, partiesAudit([]samrad.AgreementParty{*p}))
	})
}

// RemoveParty takes an organisation out of an agreement.
func (db *DB) RemoveParty(ctx context.Context, allianceID, agreementID, orgID int64) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := agreementOf(ctx, tx, allianceID, agreementID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM agreement_parties WHERE agreement_id = $1 AND org_id = $2`, agreementID, orgID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return samrad.Errorf(samrad.ENOTFOUND, "organisation %d is not a party to the agreement", orgID)
		}
		if err := renew(ctx, tx, stampAgreements); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "remove_party", "agreement", agreementID, map[string]int64{"org": orgID}, nil)
	})
}

// AddSignatory adds a signatory to an agreement. A signatory whose person
// has no id but a name is a new person, stored in the same transaction.
func (db *DB) AddSignatory(ctx context.Context, allianceID int64, s *samrad.Signatory) error {
	if err := s.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := agreementOf(ctx, tx, allianceID, s.AgreementID); err != nil {
			return err
		}
		if s.Org.ID != 0 {
			o, err := scanOrg(tx.QueryRowContext(ctx, `SELECT `+orgColumns+` FROM organisations WHERE id = $1`, s.Org.ID))
			if err != nil {
				return samrad.FieldErrorf("signatory_org", "organisation %d does not exist", s.Org.ID)
			}
			s.Org = o
		}
		switch {
		case s.Person.ID != 0:
			if err := tx.QueryRowContext(ctx, `SELECT name, title FROM people WHERE id = $1`, s.Person.ID).Scan(&s.Person.Name, &s.Person.Title); err != nil {
				return samrad.FieldErrorf("person", "no person %d", s.Person.ID)
			}
		case s.Person.Name != "":
			id, err := insertID(ctx, tx, `INSERT INTO people (name, title, email) VALUES ($1, $2, '')`, s.Person.Name, s.Title)
			if err != nil {
				return err
			}
			s.Person.ID, s.Person.Title = id, s.Title
			if err := renew(ctx, tx, stampGovernance); err != nil {
				return err
			}
			if err := audit(ctx, tx, 0, "create", "person", id, nil, map[string]string{"name": s.Person.Name, "title": s.Title}); err != nil {
				return err
			}
		}
		id, err := insertID(ctx, tx, `INSERT INTO agreement_signatories (agreement_id, person_id, title, org_id, signed_on) VALUES ($1, $2, $3, $4, $5)`,
			s.AgreementID, nullID(s.Person.ID), s.Title, nullID(s.Org.ID), s.SignedOn)
		if err != nil {
			return err
		}
		s.ID = id
		if err := renew(ctx, tx, stampAgreements); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "create", "agreement_signatory", id, nil, map[string]any{"agreement": s.AgreementID,
			"signatory": s.Label("nb"), "signed_on": s.SignedOn})
	})
}

// AddAgreementDocument stores a file (once by its SHA-256, with the
// document store's type checks) and shows it with an agreement.
func (db *DB) AddAgreementDocument(ctx context.Context, allianceID int64, d *samrad.AgreementDocument, data []byte) error {
	d.Title = strings.TrimSpace(d.Title)
	if d.Title == "" || strings.ContainsAny(d.Title, "\r\n") || len(d.Title) > 300 {
		return samrad.FieldErrorf("document_title", "the document needs a title of one line")
	}
	if strings.ContainsAny(d.Filename, "/\\\x00\r\n\"") || d.Filename == "" || len(d.Filename) > 200 {
		return samrad.FieldErrorf("file", "the file name %q is not allowed", d.Filename)
	}
	ct, err := samrad.DetectDocumentType(d.Filename, data)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	d.SHA256, d.Size, d.ContentType = hex.EncodeToString(sum[:]), int64(len(data)), ct
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := agreementOf(ctx, tx, allianceID, d.AgreementID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO files (sha256, size, content_type, data) VALUES ($1, $2, $3, $4)
			ON CONFLICT (sha256) DO NOTHING`, d.SHA256, d.Size, d.ContentType, data); err != nil {
			return err
		}
		d.CreatedAt = time.Now().UTC().Truncate(time.Second)
		id, err := insertID(ctx, tx, `INSERT INTO agreement_documents (agreement_id, title, filename, sha256, created_at) VALUES ($1, $2, $3, $4, $5)`,
			d.AgreementID, d.Title, d.Filename, d.SHA256, d.CreatedAt.Format(time.RFC3339))
		if err != nil {
			return err
		}
		d.ID = id
		if err := renew(ctx, tx, stampAgreements); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "create", "agreement_document", id, nil, d)
	})
}

// AgreementDocument returns a document of an agreement with its bytes.
func (db *DB) AgreementDocument(ctx context.Context, agreementID, id int64) (samrad.AgreementDocument, []byte, error) {
	var d samrad.AgreementDocument
	var data []byte
	var created timestamp
	err := db.db.QueryRowContext(ctx, `SELECT d.id, d.agreement_id, d.title, d.filename, d.sha256, f.content_type, f.size, d.created_at, f.data
		FROM agreement_documents d JOIN files f ON f.sha256 = d.sha256 WHERE d.id = $1 AND d.agreement_id = $2`, id, agreementID).
		Scan(&d.ID, &d.AgreementID, &d.Title, &d.Filename, &d.SHA256, &d.ContentType, &d.Size, &created, &data)
	if err != nil {
		return d, nil, notFound(err, "no document %d", id)
	}
	d.CreatedAt = created.t
	return d, data, nil
}

// Agreements lists an alliance's agreements with their parties, the newest
// first by start (or signing) date, those without dates last; unpublished
// ones only if all is set. Two queries, however many agreements.
func (db *DB) Agreements(ctx context.Context, allianceID int64, all bool) ([]samrad.Agreement, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+agreementColumns+` FROM agreements WHERE alliance_id = $1 AND (published = $2 OR $3)`,
		allianceID, true, all)
	if err != nil {
		return nil, err
	}
	var out []samrad.Agreement
	idx := map[int64]int{}
	for rows.Next() {
		a, err := scanAgreement(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		idx[a.ID] = len(out)
		out = append(out, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	parties, err := loadParties(ctx, db.db, `JOIN agreements g ON g.id = p.agreement_id WHERE g.alliance_id = $1`, allianceID)
	if err != nil {
		return nil, err
	}
	for _, p := range parties {
		if i, ok := idx[p.agreementID]; ok {
			out[i].Parties = append(out[i].Parties, p.AgreementParty)
		}
	}
	key := func(a samrad.Agreement) samrad.Date {
		if !a.Starts.IsZero() {
			return a.Starts
		}
		return a.SignedOn
	}
	sort.SliceStable(out, func(i, j int) bool {
		ki, kj := key(out[i]), key(out[j])
		if ki.IsZero() != kj.IsZero() {
			return kj.IsZero()
		}
		if !ki.Equal(kj) {
			return ki.After(kj)
		}
		return out[i].TitleNB < out[j].TitleNB
	})
	return out, nil
}

// Agreement returns an agreement of an alliance with its parties, areas,
// signatories and documents: five queries.
func (db *DB) Agreement(ctx context.Context, allianceID int64, slug string) (samrad.Agreement, error) {
	a, err := scanAgreement(db.db.QueryRowContext(ctx, `SELECT `+agreementColumns+` FROM agreements WHERE alliance_id = $1 AND slug = $2`, allianceID, slug))
	if err != nil {
		return a, notFound(err, "no agreement %q", slug)
	}
	parties, err := loadParties(ctx, db.db, `WHERE p.agreement_id = $1`, a.ID)
	if err != nil {
		return a, err
	}
	for _, p := range parties {
		a.Parties = append(a.Parties, p.AgreementParty)
	}
	if a.Areas, err = loadAreas(ctx, db.db, a.ID); err != nil {
		return a, err
	}
	if a.Signatories, err = loadSignatories(ctx, db.db, a.ID); err != nil {
		return a, err
	}
	a.Documents, err = loadAgreementDocuments(ctx, db.db, a.ID)
	return a, err
}

type partyRow struct {
	agreementID int64
	samrad.AgreementParty
}

// loadParties reads parties with their organisations, by role in the
// order of samrad.PartyRoles, then by name.
func loadParties(ctx context.Context, q queryer, where string, args ...any) ([]partyRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT p.agreement_id, p.role, p.joined_on, o.id, o.kind, o.code, o.org_number, o.name_nb, o.name_en,
		o.valid_from, o.valid_to, o.note FROM agreement_parties p JOIN organisations o ON o.id = p.org_id `+where+`
		ORDER BY p.agreement_id, CASE p.role WHEN 'party' THEN 1 WHEN 'joined' THEN 2 ELSE 3 END, o.name_nb, o.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []partyRow
	for rows.Next() {
		var p partyRow
		var role, kind string
		o := &p.Org
		if err := rows.Scan(&p.agreementID, &role, &p.JoinedOn, &o.ID, &kind, &o.Code, &o.OrgNumber, &o.NameNB, &o.NameEN,
			&o.ValidFrom, &o.ValidTo, &o.Note); err != nil {
			return nil, err
		}
		p.Role, o.Kind = samrad.PartyRole(role), samrad.OrgKind(kind)
		out = append(out, p)
	}
	return out, rows.Err()
}

func loadAreas(ctx context.Context, q queryer, agreementID int64) ([]samrad.AgreementArea, error) {
	rows, err := q.QueryContext(ctx, `SELECT position, name_nb, name_en FROM agreement_areas WHERE agreement_id = $1 ORDER BY position`, agreementID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.AgreementArea
	for rows.Next() {
		var ar samrad.AgreementArea
		if err := rows.Scan(&ar.Position, &ar.NameNB, &ar.NameEN); err != nil {
			return nil, err
		}
		out = append(out, ar)
	}
	return out, rows.Err()
}

func loadSignatories(ctx context.Context, q queryer, agreementID int64) ([]samrad.Signatory, error) {
	rows, err := q.QueryContext(ctx, `SELECT s.id, s.agreement_id, COALESCE(p.id, 0), COALESCE(p.name, ''), COALESCE(p.title, ''), s.title,
		COALESCE(o.id, 0), COALESCE(o.kind, ''), COALESCE(o.code, ''), COALESCE(o.name_nb, ''), COALESCE(o.name_en, ''), s.signed_on
		FROM agreement_signatories s LEFT JOIN people p ON p.id = s.person_id LEFT JOIN organisations o ON o.id = s.org_id
		WHERE s.agreement_id = $1 ORDER BY s.id`, agreementID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.Signatory
	for rows.Next() {
		var s samrad.Signatory
		var kind string
		if err := rows.Scan(&s.ID, &s.AgreementID, &s.Person.ID, &s.Person.Name, &s.Person.Title, &s.Title,
			&s.Org.ID, &kind, &s.Org.Code, &s.Org.NameNB, &s.Org.NameEN, &s.SignedOn); err != nil {
			return nil, err
		}
		s.Org.Kind = samrad.OrgKind(kind)
		out = append(out, s)
	}
	return out, rows.Err()
}

func loadAgreementDocuments(ctx context.Context, q queryer, agreementID int64) ([]samrad.AgreementDocument, error) {
	rows, err := q.QueryContext(ctx, `SELECT d.id, d.agreement_id, d.title, d.filename, d.sha256, f.content_type, f.size, d.created_at
		FROM agreement_documents d JOIN files f ON f.sha256 = d.sha256 WHERE d.agreement_id = $1 ORDER BY d.id`, agreementID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.AgreementDocument
	for rows.Next() {
		var d samrad.AgreementDocument
		var created timestamp
		if err := rows.Scan(&d.ID, &d.AgreementID, &d.Title, &d.Filename, &d.SHA256, &d.ContentType, &d.Size, &created); err != nil {
			return nil, err
		}
		d.CreatedAt = created.t
		out = append(out, d)
	}
	return out, rows.Err()
}
