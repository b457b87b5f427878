package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/samrad/samrad"
)

// stampReports is renewed by every change to annual reports, the yearly
// cycle, members' input and goals.
const stampReports = "reports_stamp"

// AnnualReport reads the secretariat's texts and the approval of a year's
// annual report; a year with none gives an empty draft.
func (db *DB) AnnualReport(ctx context.Context, allianceID int64, year int) (samrad.AnnualReport, error) {
	return annualReport(ctx, db.db, allianceID, year)
}

func annualReport(ctx context.Context, q queryer, allianceID int64, year int) (samrad.AnnualReport, error) {
	r := samrad.AnnualReport{AllianceID: allianceID, Year: year, Chapters: map[string]string{}}
	var chapters string
	err := q.QueryRowContext(ctx, `SELECT id, chapters, approved_on, approved_by FROM annual_reports WHERE alliance_id = $1 AND year = $2`, allianceID, year).
		Scan(&r.ID, &chapters, &r.ApprovedOn, &r.ApprovedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return r, nil
	}
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal([]byte(chapters), &r.Chapters); err != nil {
		return r, fmt.Errorf("store: annual report %d: %w", r.ID, err)
	}
	return r, nil
}

// SaveAnnualReport stores the texts of a year's annual report and, if
// ApprovedOn is set, approves it. An approved report is final: it cannot
// be changed or approved again.
func (db *DB) SaveAnnualReport(ctx context.Context, r *samrad.AnnualReport) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		before, err := annualReport(ctx, tx, r.AllianceID, r.Year)
		if err != nil {
			return err
		}
		if before.Approved() {
			return samrad.Errorf(samrad.ECONFLICT, "the annual report for %d was approved on %s and can no longer be changed", r.Year, before.ApprovedOn)
		}
		chapters, err := json.Marshal(r.Chapters)
		if err != nil {
			return err
		}
		var on any
		if r.Approved() {
			on = r.ApprovedOn
		}
		if before.ID == 0 {
			if r.ID, err = insertID(ctx, tx, `INSERT INTO annual_reports (alliance_id, year, chapters, approved_on, approved_by) VALUES ($1, $2, $3, $4, $5)`,
				r.AllianceID, r.Year, string(chapters), on, r.ApprovedBy); err != nil {
				return err
			}
		} else {
			r.ID = before.ID
			if _, err := tx.ExecContext(ctx, `UPDATE annual_reports SET chapters = $1, approved_on = $2, approved_by = $3 WHERE id = $4`,
				string(chapters), on, r.ApprovedBy, r.ID); err != nil {
				return err
			}
		}
		if err := renew(ctx, tx, stampReports); err != nil {
			return err
		}
		action := "update"
		if r.Approved() {
			action = "approve"
		}
		return audit(ctx, tx, r.AllianceID, action, "annual_report", r.ID, before, r)
	})
}

// YearDecision is a decision made on a case in a meeting of the year.
type YearDecision struct {
	CaseYear, CaseNumber int
	CaseTitle            string
	Decision             string
	MeetingID            int64
	MeetingStart         time.Time
	Body                 samrad.Body
}

// YearDecisions lists the decisions the alliance's bodies made in a year,
// from minutes that are published, in the order they were made.
func (db *DB) YearDecisions(ctx context.Context, allianceID int64, year int) ([]YearDecision, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT c.year, c.number, c.title, a.decision, m.id, m.starts_at, b.id, b.slug, b.name_nb, b.name_en
		FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id JOIN bodies b ON b.id = m.body_id JOIN cases c ON c.id = a.case_id
		WHERE b.alliance_id = $1 AND m.year = $2 AND m.status = $3 AND a.decision <> ''
		ORDER BY m.starts_at, m.id, a.position`, allianceID, year, samrad.MeetingPublished)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []YearDecision
	for rows.Next() {
		var d YearDecision
		var start timestamp
		if err := rows.Scan(&d.CaseYear, &d.CaseNumber, &d.CaseTitle, &d.Decision, &d.MeetingID, &start, &d.Body.ID, &d.Body.Slug, &d.Body.NameNB, &d.Body.NameEN); err != nil {
			return nil, err
		}
		d.MeetingStart = start.t
		out = append(out, d)
	}
	return out, rows.Err()
}

// YearMeetings lists the meetings of the alliance's bodies in a year, in
// date order.
func (db *DB) YearMeetings(ctx context.Context, allianceID int64, year int) ([]AllianceMeeting, error) {
	return db.meetingsWithBodies(ctx, `''`, `WHERE b.alliance_id = $1 AND m.year = $2 ORDER BY m.starts_at, m.id`, allianceID, year)
}

// ReportYear is a year an annual report can be made for.
type ReportYear struct {
	Year     int
	Approved bool
}

// ReportYears lists the years with anything to report (meetings, a
// programme, a budget, or a report begun), newest first, and whether each
// year's report is approved.
func (db *DB) ReportYears(ctx context.Context, allianceID int64) ([]ReportYear, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT y.year, COALESCE(MAX(CASE WHEN r.approved_on IS NOT NULL THEN 1 ELSE 0 END), 0) FROM (
			SELECT year FROM programmes WHERE alliance_id = $1
			UNION SELECT year FROM budgets WHERE alliance_id = $1
			UNION SELECT year FROM annual_reports WHERE alliance_id = $1
			UNION SELECT m.year FROM meetings m JOIN bodies b ON b.id = m.body_id WHERE b.alliance_id = $1
		) y LEFT JOIN annual_reports r ON r.alliance_id = $1 AND r.year = y.year
		GROUP BY y.year ORDER BY y.year DESC`, allianceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ReportYear
	for rows.Next() {
		var y ReportYear
		var approved int
		if err := rows.Scan(&y.Year, &approved); err != nil {
			return nil, err
		}
		y.Approved = approved == 1
		out = append(out, y)
	}
	return out, rows.Err()
}
