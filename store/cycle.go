package store

import (
	"context"
	"database/sql"

	"github.com/samrad/samrad"
)

// AddCycleStep adds a step to the alliance's yearly cycle.
func (db *DB) AddCycleStep(ctx context.Context, s *samrad.CycleStep) error {
	if err := s.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var body any
		if s.BodyID != 0 {
			var a int64
			if err := tx.QueryRowContext(ctx, `SELECT alliance_id FROM bodies WHERE id = $1`, s.BodyID).Scan(&a); err != nil || a != s.AllianceID {
				return samrad.FieldErrorf("body", "the body is not one of the alliance's")
			}
			body = s.BodyID
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM cycle_steps WHERE alliance_id = $1 AND kind = $2 AND title_nb = $3`, s.AllianceID, s.Kind, s.TitleNB).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return samrad.FieldErrorf("title_nb", "the cycle already has the step %q", s.TitleNB)
		}
		id, err := insertID(ctx, tx, `INSERT INTO cycle_steps (alliance_id, kind, title_nb, title_en, body_id, month, last_month) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			s.AllianceID, s.Kind, s.TitleNB, s.TitleEN, body, s.Month, s.LastMonth)
		if err != nil {
			return err
		}
		s.ID = id
		if err := renew(ctx, tx, stampReports); err != nil {
			return err
		}
		return audit(ctx, tx, s.AllianceID, "create", "cycle_step", id, nil, s)
	})
}

// RecordCycleStep records which meeting and case did a step in a year,
// replacing an earlier record for that year. The meeting and case must be
// the alliance's.
func (db *DB) RecordCycleStep(ctx context.Context, allianceID int64, r samrad.CycleRecord) error {
	if r.Year < 1900 || r.Year > 2200 {
		return samrad.FieldErrorf("year", "%d is not a plausible year", r.Year)
	}
	if r.MeetingID == 0 && r.CaseID == 0 && r.DoneOn.IsZero() {
		return samrad.FieldErrorf("meeting", "give the meeting, the case or the day it was done")
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var a int64
		if err := tx.QueryRowContext(ctx, `SELECT alliance_id FROM cycle_steps WHERE id = $1`, r.StepID).Scan(&a); err != nil || a != allianceID {
			return samrad.Errorf(samrad.ENOTFOUND, "no step %d in the alliance's cycle", r.StepID)
		}
		var meeting, kase any
		if r.MeetingID != 0 {
			var y int
			if err := tx.QueryRowContext(ctx, `SELECT b.alliance_id, m.year FROM meetings m JOIN bodies b ON b.id = m.body_id WHERE m.id = $1`, r.MeetingID).Scan(&a, &y); err != nil || a != allianceID {
				return samrad.FieldErrorf("meeting", "the meeting is not one of the alliance's")
			}
			meeting = r.MeetingID
		}
		if r.CaseID != 0 {
			if err := tx.QueryRowContext(ctx, `SELECT alliance_id FROM cases WHERE id = $1`, r.CaseID).Scan(&a); err != nil || a != allianceID {
				return samrad.FieldErrorf("case", "the case is not one of the alliance's")
			}
			kase = r.CaseID
		}
		var done any
		if !r.DoneOn.IsZero() {
			done = r.DoneOn
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM cycle_records WHERE step_id = $1 AND year = $2`, r.StepID, r.Year); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO cycle_records (step_id, year, meeting_id, case_id, done_on) VALUES ($1, $2, $3, $4, $5)`,
			r.StepID, r.Year, meeting, kase, done); err != nil {
			return err
		}
		if err := renew(ctx, tx, stampReports); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "record", "cycle_step", r.StepID, nil, r)
	})
}

// CycleSteps lists the alliance's yearly cycle by month, with the record
// of each year and the number and title of its case.
func (db *DB) CycleSteps(ctx context.Context, allianceID int64) ([]samrad.CycleStep, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT s.id, s.kind, s.title_nb, s.title_en, COALESCE(s.body_id, 0), s.month, s.last_month,
		COALESCE(r.year, 0), COALESCE(r.meeting_id, 0), COALESCE(r.case_id, 0), r.done_on,
		COALESCE(c.year, 0), COALESCE(c.number, 0), COALESCE(c.title, ''), COALESCE(c.decision, '')
		FROM cycle_steps s LEFT JOIN cycle_records r ON r.step_id = s.id LEFT JOIN cases c ON c.id = r.case_id
		WHERE s.alliance_id = $1 ORDER BY s.month, s.id, r.year`, allianceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.CycleStep
	for rows.Next() {
		s := samrad.CycleStep{AllianceID: allianceID}
		var r samrad.CycleRecord
		var kind string
		if err := rows.Scan(&s.ID, &kind, &s.TitleNB, &s.TitleEN, &s.BodyID, &s.Month, &s.LastMonth, &r.Year, &r.MeetingID, &r.CaseID, &r.DoneOn,
			&r.Case.Year, &r.Case.Number, &r.Case.Title, &r.Case.Decision); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].ID != s.ID {
			s.Kind, s.Records = samrad.CycleKind(kind), map[int]samrad.CycleRecord{}
			out = append(out, s)
		}
		if r.Year != 0 {
			r.StepID, r.Case.ID = s.ID, r.CaseID
			out[len(out)-1].Records[r.Year] = r
		}
	}
	return out, rows.Err()
}
