package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"

	"github.com/samrad/samrad"
)

// AddDocument stores a file once by its SHA-256 and a document that points
// to it from a meeting or a case of the alliance. The type is decided from
// the content; a disguised or oversized file is refused before anything is
// written.
func (db *DB) AddDocument(ctx context.Context, d *samrad.Document, data []byte) error {
	if err := d.Validate(); err != nil {
		return err
	}
	ct, err := samrad.DetectDocumentType(d.Filename, data)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	d.SHA256, d.Size, d.ContentType = hex.EncodeToString(sum[:]), int64(len(data)), ct
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if d.MeetingID != 0 {
			_, b, err := meetingInfo(ctx, tx, d.MeetingID)
			if err != nil {
				return err
			}
			if b.AllianceID != d.AllianceID {
				return samrad.FieldErrorf("meeting", "the meeting belongs to another alliance")
			}
		}
		if d.CaseID != 0 {
			var a int64
			if err := tx.QueryRowContext(ctx, `SELECT alliance_id FROM cases WHERE id = $1`, d.CaseID).Scan(&a); err != nil {
				return notFound(err, "no case %d", d.CaseID)
			}
			if a != d.AllianceID {
				return samrad.FieldErrorf("case", "the case belongs to another alliance")
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO files (sha256, size, content_type, data) VALUES ($1, $2, $3, $4)
			ON CONFLICT (sha256) DO NOTHING`, d.SHA256, d.Size, d.ContentType, data); err != nil {
			return err
		}
		id, err := insertID(ctx, tx, `INSERT INTO documents (alliance_id, meeting_id, case_id, title, filename, sha256, exempt, legal_ground, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, d.AllianceID, nullID(d.MeetingID), nullID(d.CaseID), d.Title, d.Filename,
			d.SHA256, d.Exempt, d.LegalGround, now())
		if err != nil {
			return err
		}
		d.ID = id
		if err := renew(ctx, tx, stampGovernance); err != nil {
			return err
		}
		return audit(ctx, tx, d.AllianceID, "create", "document", id, nil, d)
	})
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

const documentColumns = `d.id, d.alliance_id, COALESCE(d.meeting_id, 0), COALESCE(d.case_id, 0), d.title, d.filename, d.sha256,
	f.size, f.content_type, d.exempt, d.legal_ground`

func scanDocument(s interface{ Scan(...any) error }) (samrad.Document, error) {
	var d samrad.Document
	err := s.Scan(&d.ID, &d.AllianceID, &d.MeetingID, &d.CaseID, &d.Title, &d.Filename, &d.SHA256, &d.Size, &d.ContentType, &d.Exempt, &d.LegalGround)
	return d, err
}

// Documents lists the documents of a meeting (meetingID) or a case (caseID).
func (db *DB) Documents(ctx context.Context, meetingID, caseID int64) ([]samrad.Document, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+documentColumns+` FROM documents d JOIN files f ON f.sha256 = d.sha256
		WHERE ($1 <> 0 AND d.meeting_id = $1) OR ($2 <> 0 AND d.case_id = $2) ORDER BY d.id`, meetingID, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.Document
	for rows.Next() {
		d, err := scanDocument(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// DocumentFile returns a document and its file's bytes.
func (db *DB) DocumentFile(ctx context.Context, id int64) (samrad.Document, []byte, error) {
	row := db.db.QueryRowContext(ctx, `SELECT `+documentColumns+`, f.data FROM documents d JOIN files f ON f.sha256 = d.sha256 WHERE d.id = $1`, id)
	var d samrad.Document
	var data []byte
	err := row.Scan(&d.ID, &d.AllianceID, &d.MeetingID, &d.CaseID, &d.Title, &d.Filename, &d.SHA256, &d.Size, &d.ContentType, &d.Exempt, &d.LegalGround, &data)
	if err != nil {
		return d, nil, notFound(err, "no document %d", id)
	}
	return d, data, nil
}
