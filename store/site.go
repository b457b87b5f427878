package store

import (
	"context"

	"github.com/samrad/samrad"
)

// AllianceSeats lists the seats of every body of an alliance, by body, in
// one query: the about page shows each body with its people.
func (db *DB) AllianceSeats(ctx context.Context, allianceID int64) (map[int64][]samrad.Seat, error) {
	seats, err := loadSeatsWhere(ctx, db.db, `s.body_id IN (SELECT id FROM bodies WHERE alliance_id = $1)`, allianceID, db.Registry)
	if err != nil {
		return nil, err
	}
	out := map[int64][]samrad.Seat{}
	for _, s := range seats {
		out[s.BodyID] = append(out[s.BodyID], s)
	}
	return out, nil
}

// PublicDocument is a document a visitor may see, with what it belongs to.
type PublicDocument struct {
	samrad.Document
	Meeting samrad.Meeting // zero when the document belongs to a case
	BodyNB  string
	BodyEN  string
	Case    samrad.Case // only Year, Number and Title; zero for a meeting's document
}

// Body is the name of the meeting's body in lang.
func (d PublicDocument) Body(lang string) string {
	if lang == "en" && d.BodyEN != "" {
		return d.BodyEN
	}
	return d.BodyNB
}

// DocumentsPage is one page of an alliance's public documents.
type DocumentsPage struct {
	Documents []PublicDocument
	Total     int
}

// publicDocuments is the documents of an alliance a visitor may see: those
// of its cases, and those of meetings whose notice has been sent. Exempt
// documents are listed (by title, with their legal ground) as the case and
// meeting pages list them.
const publicDocuments = ` FROM documents d JOIN files f ON f.sha256 = d.sha256
	LEFT JOIN meetings m ON m.id = d.meeting_id
	LEFT JOIN bodies b ON b.id = m.body_id
	LEFT JOIN cases c ON c.id = d.case_id
	WHERE d.alliance_id = $1 AND (d.meeting_id IS NULL OR m.status <> 'planned')`

// PublicDocuments returns a page of an alliance's public documents, the
// newest first (by the meeting's day or the case's year, then the latest
// stored), skipping offset of them.
func (db *DB) PublicDocuments(ctx context.Context, allianceID int64, offset, limit int) (DocumentsPage, error) {
	var page DocumentsPage
	if err := db.db.QueryRowContext(ctx, `SELECT COUNT(*)`+publicDocuments, allianceID).Scan(&page.Total); err != nil {
		return page, err
	}
	rows, err := db.db.QueryContext(ctx, `SELECT `+documentColumns+`, COALESCE(m.id, 0), COALESCE(m.number, 0), COALESCE(m.year, 0), m.starts_at, m.ends_at,
		COALESCE(m.date_only, $2), COALESCE(b.name_nb, ''), COALESCE(b.name_en, ''), COALESCE(c.year, 0), COALESCE(c.number, 0), COALESCE(c.title, '')`+
		publicDocuments+` ORDER BY COALESCE(m.year, c.year) DESC, CASE WHEN m.starts_at IS NULL THEN 1 ELSE 0 END, m.starts_at DESC, d.id DESC LIMIT $3 OFFSET $4`, allianceID, false, limit, offset)
	if err != nil {
		return page, err
	}
	defer rows.Close()
	for rows.Next() {
		var x PublicDocument
		var start, end timestamp
		d, m := &x.Document, &x.Meeting
		if err := rows.Scan(&d.ID, &d.AllianceID, &d.MeetingID, &d.CaseID, &d.Title, &d.Filename, &d.SHA256, &d.Size, &d.ContentType, &d.Exempt, &d.LegalGround,
			&m.ID, &m.Number, &m.Year, &start, &end, &m.DateOnly, &x.BodyNB, &x.BodyEN, &x.Case.Year, &x.Case.Number, &x.Case.Title); err != nil {
			return page, err
		}
		m.Start, m.End = start.t, end.t
		page.Documents = append(page.Documents, x)
	}
	return page, rows.Err()
}
