package store

import (
	"context"
	"database/sql"

	"github.com/samrad/samrad"
)

const allianceColumns = `id, slug, name_nb, name_en, kind, legal_form, founded, founded_precision,
	description_nb, description_en, members_note_nb, members_note_en, website, COALESCE(organiser_org_id, 0), case_scheme`

func scanAlliance(s interface{ Scan(...any) error }) (samrad.Alliance, error) {
	var a samrad.Alliance
	var kind, prec string
	err := s.Scan(&a.ID, &a.Slug, &a.NameNB, &a.NameEN, &kind, &a.LegalForm, &a.Founded, &prec,
		&a.DescriptionNB, &a.DescriptionEN, &a.MembersNoteNB, &a.MembersNoteEN, &a.Website, &a.OrganiserID, &a.CaseScheme)
	a.Kind, a.FoundedPrecision = samrad.AllianceKind(kind), samrad.Precision(prec)
	return a, err
}

// Alliances lists every alliance of the instance by name.
func (db *DB) Alliances(ctx context.Context) ([]samrad.Alliance, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+allianceColumns+` FROM alliances ORDER BY name_nb`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.Alliance
	for rows.Next() {
		a, err := scanAlliance(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// AllianceBySlug returns one alliance; ENOTFOUND names the slug.
func (db *DB) AllianceBySlug(ctx context.Context, slug string) (samrad.Alliance, error) {
	a, err := scanAlliance(db.db.QueryRowContext(ctx, `SELECT `+allianceColumns+` FROM alliances WHERE slug = $1`, slug))
	return a, notFound(err, "no alliance %q", slug)
}

// CreateAlliance stores a new alliance.
func (db *DB) CreateAlliance(ctx context.Context, a *samrad.Alliance) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM alliances WHERE slug = $1`, a.Slug).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return samrad.Errorf(samrad.ECONFLICT, "an alliance %q already exists", a.Slug)
		}
		var organiser any
		if a.OrganiserID != 0 {
			organiser = a.OrganiserID
		}
		id, err := insertID(ctx, tx, `INSERT INTO alliances (slug, name_nb, name_en, kind, legal_form, founded, founded_precision,
			description_nb, description_en, members_note_nb, members_note_en, website, organiser_org_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
			a.Slug, a.NameNB, a.NameEN, a.Kind, a.LegalForm, a.Founded, a.FoundedPrecision,
			a.DescriptionNB, a.DescriptionEN, a.MembersNoteNB, a.MembersNoteEN, a.Website, organiser)
		if err != nil {
			return err
		}
		a.ID = id
		if err := renew(ctx, tx, stampAlliances); err != nil {
			return err
		}
		return audit(ctx, tx, id, "create", "alliance", a.Slug, nil, a)
	})
}
