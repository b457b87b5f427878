package store

import (
	"context"
	"database/sql"

	"github.com/samrad/samrad"
)

// CreateFeeSchedule stores a fee schedule with its rates and member rules.
// Schedules of one alliance may not overlap in years.
func (db *DB) CreateFeeSchedule(ctx context.Context, s *samrad.FeeSchedule) error {
	if err := s.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM fee_schedules WHERE alliance_id = $1
			AND (to_year IS NULL OR to_year >= $2) AND ($3 = 0 OR from_year <= $3)`,
			s.AllianceID, s.FromYear, s.ToYear).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return samrad.Errorf(samrad.ECONFLICT, "another fee schedule already covers some of these years")
		}
		var to any
		if s.ToYear != 0 {
			to = s.ToYear
		}
		id, err := insertID(ctx, tx, `INSERT INTO fee_schedules (alliance_id, from_year, to_year, population_rule, rounding_unit,
			pro_rata, minimum, maximum, note, source) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			s.AllianceID, s.FromYear, to, s.Population, s.RoundingUnit, s.ProRata, s.Minimum, s.Maximum, s.Note, s.Source)
		if err != nil {
			return err
		}
		s.ID = id
		for _, r := range s.Rates {
			if _, err := tx.ExecContext(ctx, `INSERT INTO fee_rates (schedule_id, category, per_inhabitant, flat) VALUES ($1, $2, $3, $4)`,
				id, r.Category, r.PerInhabitant, r.Flat); err != nil {
				return err
			}
		}
		for _, m := range s.Members {
			var flat any
			if m.Flat != nil {
				flat = int64(*m.Flat)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO fee_member_rules (schedule_id, org_kind, org_code, multiplier_permille, flat, note)
				VALUES ($1, $2, $3, $4, $5, $6)`, id, m.OrgKind, m.OrgCode, m.MultiplierPermille, flat, m.Note); err != nil {
				return err
			}
		}
		if err := renew(ctx, tx, stampFees); err != nil {
			return err
		}
		return audit(ctx, tx, s.AllianceID, "create", "fee_schedule", id, nil, s)
	})
}

// FeeScheduleFor returns the schedule of an alliance that covers year.
func (db *DB) FeeScheduleFor(ctx context.Context, allianceID int64, year int) (samrad.FeeSchedule, error) {
	st, err := db.readStamps(ctx)
	if err != nil {
		return samrad.FeeSchedule{}, err
	}
	return db.scheduleAt(ctx, st, allianceID, year)
}

func (db *DB) scheduleAt(ctx context.Context, st stamps, allianceID int64, year int) (samrad.FeeSchedule, error) {
	key := [2]int64{allianceID, int64(year)}
	if s, ok := getCached(db, &db.cache.schedules, key, st[stampFees]); ok {
		return s, nil
	}
	s, err := db.loadSchedule(ctx, allianceID, year)
	if err == nil {
		putCached(db, &db.cache.schedules, key, st[stampFees], s)
	}
	return s, err
}

func (db *DB) loadSchedule(ctx context.Context, allianceID int64, year int) (samrad.FeeSchedule, error) {
	var s samrad.FeeSchedule
	var to sql.NullInt64
	var rule string
	err := db.db.QueryRowContext(ctx, `SELECT id, alliance_id, from_year, to_year, population_rule, rounding_unit,
		pro_rata, minimum, maximum, note, source FROM fee_schedules
		WHERE alliance_id = $1 AND from_year <= $2 AND (to_year IS NULL OR to_year >= $2)`, allianceID, year).
		Scan(&s.ID, &s.AllianceID, &s.FromYear, &to, &rule, &s.RoundingUnit, &s.ProRata, &s.Minimum, &s.Maximum, &s.Note, &s.Source)
	if err != nil {
		return s, notFound(err, "no fee schedule covers %d", year)
	}
	s.ToYear, s.Population = int(to.Int64), samrad.PopulationRule(rule)
	rows, err := db.db.QueryContext(ctx, `SELECT category, per_inhabitant, flat FROM fee_rates WHERE schedule_id = $1 ORDER BY category`, s.ID)
	if err != nil {
		return s, err
	}
	defer rows.Close()
	for rows.Next() {
		var r samrad.FeeRate
		if err := rows.Scan(&r.Category, &r.PerInhabitant, &r.Flat); err != nil {
			return s, err
		}
		s.Rates = append(s.Rates, r)
	}
	if err := rows.Err(); err != nil {
		return s, err
	}
	mrows, err := db.db.QueryContext(ctx, `SELECT org_kind, org_code, multiplier_permille, flat, note FROM fee_member_rules
		WHERE schedule_id = $1 ORDER BY org_kind, org_code`, s.ID)
	if err != nil {
		return s, err
	}
	defer mrows.Close()
	for mrows.Next() {
		var m samrad.FeeMemberRule
		var kind string
		var flat sql.NullInt64
		if err := mrows.Scan(&kind, &m.OrgCode, &m.MultiplierPermille, &flat, &m.Note); err != nil {
			return s, err
		}
		m.OrgKind = samrad.OrgKind(kind)
		if flat.Valid {
			f := samrad.Money(flat.Int64)
			m.Flat = &f
		}
		s.Members = append(s.Members, m)
	}
	return s, mrows.Err()
}

// FeeTable computes the fees of an alliance for a year from its schedule,
// its memberships and the population figures of the reference date.
func (db *DB) FeeTable(ctx context.Context, allianceID int64, year int) (*samrad.FeeTable, error) {
	st, err := db.readStamps(ctx)
	if err != nil {
		return nil, err
	}
	s, err := db.scheduleAt(ctx, st, allianceID, year)
	if err != nil {
		return nil, err
	}
	reg, err := db.registryAt(ctx, st)
	if err != nil {
		return nil, err
	}
	ms, err := db.membershipsAt(ctx, st, allianceID)
	if err != nil {
		return nil, err
	}
	figures, err := db.figuresAt(ctx, st, s.Population.RefDate(year))
	if err != nil {
		return nil, err
	}
	return samrad.ComputeFees(reg, s, year, ms, figures)
}
