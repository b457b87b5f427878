package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"

	"github.com/samrad/samrad"
)

// HostedSite is an alliance's site as the router needs it on every request:
// which alliance a host name belongs to and how its pages look. The logo's
// bytes stay in the database (see SiteLogo).
type HostedSite struct {
	Slug           string
	NameNB, NameEN string
	Site           samrad.Site
}

// Name returns the alliance's name in lang, falling back to Norwegian.
func (h HostedSite) Name(lang string) string {
	if lang == "en" && h.NameEN != "" {
		return h.NameEN
	}
	return h.NameNB
}

const siteColumns = `alliance_id, host, colour, link_colour, footer_nb, footer_en, logo_type, logo_hash`

func scanSite(row interface{ Scan(...any) error }) (samrad.Site, error) {
	var s samrad.Site
	err := row.Scan(&s.AllianceID, &s.Host, &s.Colour, &s.LinkColour, &s.FooterNB, &s.FooterEN, &s.LogoType, &s.LogoHash)
	return s, err
}

// Site returns an alliance's site settings without the logo's bytes; an
// alliance that never changed them gets the zero Site.
func (db *DB) Site(ctx context.Context, allianceID int64) (samrad.Site, error) {
	s, err := scanSite(db.db.QueryRowContext(ctx, `SELECT `+siteColumns+` FROM sites WHERE alliance_id = $1`, allianceID))
	if errors.Is(err, sql.ErrNoRows) {
		return samrad.Site{AllianceID: allianceID}, nil
	}
	return s, err
}

// SiteLogo returns an alliance's logo and its media type.
func (db *DB) SiteLogo(ctx context.Context, allianceID int64) ([]byte, string, error) {
	var b []byte
	var typ string
	err := db.db.QueryRowContext(ctx, `SELECT logo, logo_type FROM sites WHERE alliance_id = $1 AND logo_type <> ''`, allianceID).Scan(&b, &typ)
	return b, typ, notFound(err, "alliance %d has no logo", allianceID)
}

// SaveSite stores an alliance's site settings. The logo is replaced when
// s.Logo holds one, removed when dropLogo is set, else kept. A host name
// another alliance uses is a conflict.
func (db *DB) SaveSite(ctx context.Context, s *samrad.Site, dropLogo bool) error {
	if err := s.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		before, err := scanSite(tx.QueryRowContext(ctx, `SELECT `+siteColumns+` FROM sites WHERE alliance_id = $1`, s.AllianceID))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			if _, err := tx.ExecContext(ctx, `INSERT INTO sites (alliance_id) VALUES ($1)`, s.AllianceID); err != nil {
				return err
			}
			before = samrad.Site{AllianceID: s.AllianceID}
		case err != nil:
			return err
		}
		if s.Host != "" {
			var other string
			err := tx.QueryRowContext(ctx, `SELECT a.slug FROM sites s JOIN alliances a ON a.id = s.alliance_id WHERE s.host = $1 AND s.alliance_id <> $2`, s.Host, s.AllianceID).Scan(&other)
			if err == nil {
				return samrad.FieldErrorf("host", "the host name %s already belongs to the alliance %q", s.Host, other)
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sites SET host = $1, colour = $2, link_colour = $3, footer_nb = $4, footer_en = $5 WHERE alliance_id = $6`,
			s.Host, s.Colour, s.LinkColour, s.FooterNB, s.FooterEN, s.AllianceID); err != nil {
			return err
		}
		switch {
		case len(s.Logo) > 0:
			sum := sha256.Sum256(s.Logo)
			s.LogoHash = hex.EncodeToString(sum[:8])
			if _, err := tx.ExecContext(ctx, `UPDATE sites SET logo = $1, logo_type = $2, logo_hash = $3 WHERE alliance_id = $4`,
				s.Logo, s.LogoType, s.LogoHash, s.AllianceID); err != nil {
				return err
			}
		case dropLogo:
			s.LogoType, s.LogoHash = "", ""
			if _, err := tx.ExecContext(ctx, `UPDATE sites SET logo = NULL, logo_type = '', logo_hash = '' WHERE alliance_id = $1`, s.AllianceID); err != nil {
				return err
			}
		default:
			s.LogoType, s.LogoHash = before.LogoType, before.LogoHash
		}
		if err := renew(ctx, tx, stampAlliances); err != nil {
			return err
		}
		return audit(ctx, tx, s.AllianceID, "save", "site", s.AllianceID, before.String(), s.String())
	})
}

// HostedSites returns every alliance's site settings by host name (those with
// a host of their own) and by slug (all that changed a default). Kept under
// the data version: the router asks on every request.
func (db *DB) HostedSites(ctx context.Context) (byHost, bySlug map[string]HostedSite, err error) {
	version, err := db.Version(ctx)
	if err != nil {
		return nil, nil, err
	}
	v, err := keep(db, &db.cache.sites, 0, version, 1, func() ([2]map[string]HostedSite, error) {
		out := [2]map[string]HostedSite{{}, {}}
		rows, err := db.db.QueryContext(ctx, `SELECT a.slug, a.name_nb, a.name_en, s.alliance_id, s.host, s.colour, s.link_colour, s.footer_nb, s.footer_en, s.logo_type, s.logo_hash
			FROM sites s JOIN alliances a ON a.id = s.alliance_id`)
		if err != nil {
			return out, err
		}
		defer rows.Close()
		for rows.Next() {
			var h HostedSite
			s := &h.Site
			if err := rows.Scan(&h.Slug, &h.NameNB, &h.NameEN, &s.AllianceID, &s.Host, &s.Colour, &s.LinkColour, &s.FooterNB, &s.FooterEN, &s.LogoType, &s.LogoHash); err != nil {
				return out, err
			}
			if s.Host != "" {
				out[0][s.Host] = h
			}
			out[1][h.Slug] = h
		}
		return out, rows.Err()
	})
	return v[0], v[1], err
}
