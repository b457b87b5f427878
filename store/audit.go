package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/samrad/samrad"
)

// audit records a change in the same transaction as the change itself.
// before and after are encoded as JSON; nil is stored as "".
func audit(ctx context.Context, tx *sql.Tx, allianceID int64, action, entity string, entityID any, before, after any) error {
	enc := func(v any) (string, error) {
		if v == nil {
			return "", nil
		}
		b, err := json.Marshal(v)
		return string(b), err
	}
	b, err := enc(before)
	if err != nil {
		return err
	}
	a, err := enc(after)
	if err != nil {
		return err
	}
	actor := samrad.ActorFrom(ctx)
	var user, alliance any
	if actor.UserID != 0 {
		user = actor.UserID
	}
	if allianceID != 0 {
		alliance = allianceID
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO audit_log (at, user_id, actor, alliance_id, action, entity, entity_id, before_json, after_json)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, now(), user, actor.Name, alliance, action, entity, fmt.Sprint(entityID), b, a)
	return err
}

// AuditLog returns the newest entries of an alliance's audit log (0: the
// instance-wide entries too), newest first, before entry ID beforeID (0: from the newest).
func (db *DB) AuditLog(ctx context.Context, allianceID int64, beforeID int64, limit int) ([]samrad.AuditEntry, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	if beforeID <= 0 {
		beforeID = 1 << 62
	}
	q := `SELECT id, at, COALESCE(user_id, 0), actor, COALESCE(alliance_id, 0), action, entity, entity_id, before_json, after_json
		FROM audit_log WHERE id < $1 AND ($2 = 0 OR alliance_id = $2) ORDER BY id DESC LIMIT $3`
	rows, err := db.db.QueryContext(ctx, q, beforeID, allianceID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.AuditEntry
	for rows.Next() {
		var e samrad.AuditEntry
		if err := rows.Scan(&e.ID, &e.At, &e.UserID, &e.Actor, &e.AllianceID, &e.Action, &e.Entity, &e.EntityID, &e.Before, &e.After); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
