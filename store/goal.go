package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/samrad/samrad"
)

// AddMemberGoal records a member's goal for its membership of the
// alliance, after the member's other goals. The organisation must have
// been a member at some time.
func (db *DB) AddMemberGoal(ctx context.Context, g *samrad.MemberGoal) error {
	if err := g.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM memberships WHERE alliance_id = $1 AND org_id = $2`, g.AllianceID, g.Org.ID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return samrad.FieldErrorf("org", "the organisation has never been a member of the alliance")
		}
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(position), 0) + 1 FROM member_goals WHERE alliance_id = $1 AND org_id = $2`,
			g.AllianceID, g.Org.ID).Scan(&g.Position); err != nil {
			return err
		}
		id, err := insertID(ctx, tx, `INSERT INTO member_goals (alliance_id, org_id, position, text, from_year, to_year, source) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			g.AllianceID, g.Org.ID, g.Position, strings.TrimSpace(g.Text), g.FromYear, g.ToYear, g.Source)
		if err != nil {
			return err
		}
		g.ID = id
		if err := renew(ctx, tx, stampReports); err != nil {
			return err
		}
		return audit(ctx, tx, g.AllianceID, "create", "member_goal", id, nil, g)
	})
}

// ReportOnGoal records what came of a goal in a year, replacing an earlier
// report for that year; an empty text removes it.
func (db *DB) ReportOnGoal(ctx context.Context, allianceID, goalID int64, year int, text string) error {
	text = strings.TrimSpace(text)
	if year < 1900 || year > 2200 {
		return samrad.FieldErrorf("year", "%d is not a plausible year", year)
	}
	if len(text) > 4000 {
		return samrad.FieldErrorf("report", "the report is longer than 4000 characters")
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var from, to int
		if err := tx.QueryRowContext(ctx, `SELECT from_year, to_year FROM member_goals WHERE id = $1 AND alliance_id = $2`, goalID, allianceID).Scan(&from, &to); err != nil {
			return notFound(err, "no goal %d", goalID)
		}
		if year < from || (to != 0 && year > to) {
			return samrad.FieldErrorf("year", "the goal does not apply in %d", year)
		}
		var before string
		err := tx.QueryRowContext(ctx, `SELECT text FROM goal_reports WHERE goal_id = $1 AND year = $2`, goalID, year).Scan(&before)
		if err != nil && err != sql.ErrNoRows {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM goal_reports WHERE goal_id = $1 AND year = $2`, goalID, year); err != nil {
			return err
		}
		if text != "" {
			if _, err := tx.ExecContext(ctx, `INSERT INTO goal_reports (goal_id, year, text) VALUES ($1, $2, $3)`, goalID, year, text); err != nil {
				return err
			}
		}
		if err := renew(ctx, tx, stampReports); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "update", "goal_report", goalID, map[string]any{"year": year, "text": before}, map[string]any{"year": year, "text": text})
	})
}

// MemberGoals lists the alliance's member goals by member and position,
// with their yearly reports.
func (db *DB) MemberGoals(ctx context.Context, allianceID int64) ([]samrad.MemberGoal, error) {
	reg, err := db.Registry(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := db.db.QueryContext(ctx, `SELECT g.id, g.org_id, g.position, g.text, g.from_year, g.to_year, g.source, COALESCE(r.year, 0), COALESCE(r.text, '')
		FROM member_goals g LEFT JOIN goal_reports r ON r.goal_id = g.id WHERE g.alliance_id = $1 ORDER BY g.org_id, g.position, r.year`, allianceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.MemberGoal
	for rows.Next() {
		g := samrad.MemberGoal{AllianceID: allianceID}
		var orgID int64
		var year int
		var text string
		if err := rows.Scan(&g.ID, &orgID, &g.Position, &g.Text, &g.FromYear, &g.ToYear, &g.Source, &year, &text); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].ID != g.ID {
			g.Org, _ = reg.Org(orgID)
			g.Reports = map[int]string{}
			out = append(out, g)
		}
		if year != 0 {
			out[len(out)-1].Reports[year] = text
		}
	}
	return out, rows.Err()
}
