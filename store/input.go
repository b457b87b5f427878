package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/samrad/samrad"
)

// SubmitInput stores a member's input to the programme for a year. The
// organisation must be a member of the alliance today or in that year.
func (db *DB) SubmitInput(ctx context.Context, in *samrad.MemberInput) error {
	if err := in.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM memberships WHERE alliance_id = $1 AND org_id = $2 AND status = $3`,
			in.AllianceID, in.Org.ID, samrad.StatusConfirmed).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return samrad.FieldErrorf("org", "the organisation is not a member of the alliance")
		}
		in.SubmittedAt = time.Now().UTC()
		actor := samrad.ActorFrom(ctx)
		if in.SubmittedBy == "" {
			in.SubmittedBy = actor.Name
		}
		var user any
		if actor.UserID != 0 {
			in.UserID, user = actor.UserID, actor.UserID
		}
		id, err := insertID(ctx, tx, `INSERT INTO member_inputs (alliance_id, org_id, year, title, text, submitted_by, user_id, submitted_at, tags, response)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, in.AllianceID, in.Org.ID, in.Year, strings.TrimSpace(in.Title), strings.TrimSpace(in.Text),
			in.SubmittedBy, user, in.SubmittedAt.Format(time.RFC3339), jsonList(in.Tags), in.Response)
		if err != nil {
			return err
		}
		in.ID = id
		if err := renew(ctx, tx, stampReports); err != nil {
			return err
		}
		return audit(ctx, tx, in.AllianceID, "create", "member_input", id, nil, in)
	})
}

// AnswerInput records the secretariat's handling of an input: its tags,
// the measures it led to (the alliance's own) and the answer to the member.
func (db *DB) AnswerInput(ctx context.Context, allianceID, inputID int64, tags []string, measureIDs []int64, response string) error {
	if len(response) > 10000 {
		return samrad.FieldErrorf("response", "the answer is longer than 10,000 characters")
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var a int64
		var beforeTags, beforeResponse string
		if err := tx.QueryRowContext(ctx, `SELECT alliance_id, tags, response FROM member_inputs WHERE id = $1`, inputID).Scan(&a, &beforeTags, &beforeResponse); err != nil || a != allianceID {
			return samrad.Errorf(samrad.ENOTFOUND, "no input %d", inputID)
		}
		for _, m := range measureIDs {
			if err := sameAllianceMeasure(ctx, tx, allianceID, m); err != nil {
				return samrad.FieldErrorf("measures", "measure %d is not one of the alliance's", m)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE member_inputs SET tags = $1, response = $2 WHERE id = $3`, jsonList(tags), strings.TrimSpace(response), inputID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM input_measures WHERE input_id = $1`, inputID); err != nil {
			return err
		}
		seen := map[int64]bool{}
		for _, m := range measureIDs {
			if seen[m] {
				continue
			}
			seen[m] = true
			if _, err := tx.ExecContext(ctx, `INSERT INTO input_measures (input_id, measure_id) VALUES ($1, $2)`, inputID, m); err != nil {
				return err
			}
		}
		if err := renew(ctx, tx, stampReports); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "answer", "member_input", inputID, map[string]string{"tags": beforeTags, "response": beforeResponse},
			map[string]any{"tags": tags, "measures": measureIDs, "response": response})
	})
}

// Inputs lists the members' input to the programme for a year, oldest
// first, with the measures each led to.
func (db *DB) Inputs(ctx context.Context, allianceID int64, year int) ([]samrad.MemberInput, error) {
	reg, err := db.Registry(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := db.db.QueryContext(ctx, `SELECT i.id, i.org_id, i.title, i.text, i.submitted_by, COALESCE(i.user_id, 0), i.submitted_at, i.tags, i.response, COALESCE(im.measure_id, 0)
		FROM member_inputs i LEFT JOIN input_measures im ON im.input_id = i.id WHERE i.alliance_id = $1 AND i.year = $2 ORDER BY i.id, im.measure_id`, allianceID, year)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.MemberInput
	for rows.Next() {
		in := samrad.MemberInput{AllianceID: allianceID, Year: year}
		var orgID, measure int64
		var at timestamp
		var tags string
		if err := rows.Scan(&in.ID, &orgID, &in.Title, &in.Text, &in.SubmittedBy, &in.UserID, &at, &tags, &in.Response, &measure); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].ID != in.ID {
			in.Org, _ = reg.Org(orgID)
			in.SubmittedAt = at.t
			if in.Tags, err = readList(tags); err != nil {
				return nil, err
			}
			out = append(out, in)
		}
		if measure != 0 {
			last := &out[len(out)-1]
			last.MeasureIDs = append(last.MeasureIDs, measure)
		}
	}
	return out, rows.Err()
}
