package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"

	"github.com/samrad/samrad"
)

// AddDocument stores a file once by its SHA-256 and a document that points
// to it from a meeting or a case of the alliance, with the text read from
// the file (d.Text, see package pdftext), which the search index takes in
// the same transaction. The type is decided from the content; a disguised
// or oversized file is refused before anything is written.
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
		id, err := insertID(ctx, tx, `INSERT INTO documents (alliance_id, meeting_id, case_id, title, filename, sha256, exempt, legal_ground, text, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, d.AllianceID, nullID(d.MeetingID), nullID(d.CaseID), d.Title, d.Filename,
			d.SHA256, d.Exempt, d.LegalGround, d.Text, now())
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

// DocumentsWithoutText returns up to limit documents after afterID, by id,
// whose text is empty and whose file is of a type text can be read from
// (PDF, plain text): for `samrad search reindex`.
func (db *DB) DocumentsWithoutText(ctx context.Context, afterID int64, limit int) ([]samrad.Document, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+documentColumns+` FROM documents d JOIN files f ON f.sha256 = d.sha256
		WHERE d.id > $1 AND d.text = '' AND (f.content_type = 'application/pdf' OR f.content_type LIKE 'text/plain%')
		ORDER BY d.id LIMIT $2`, afterID, limit)
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

// SetDocumentText stores the text read from a document's file; the search
// index follows in the same transaction.
func (db *DB) SetDocumentText(ctx context.Context, id int64, text string) error {
	if len(text) > samrad.MaxDocumentText {
		return samrad.Errorf(samrad.EINVALID, "the text of document %d is longer than %d bytes", id, samrad.MaxDocumentText)
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE documents SET text = $1 WHERE id = $2`, text, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return samrad.Errorf(samrad.ENOTFOUND, "no document %d", id)
		}
		return renew(ctx, tx, stampGovernance)
	})
}
