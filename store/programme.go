package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/samrad/samrad"
)

// stampProgramme is renewed by every change to strategies, programmes and
// their follow-up.
const stampProgramme = "programme_stamp"

func jsonList(xs []string) string {
	if xs == nil {
		xs = []string{}
	}
	b, _ := json.Marshal(xs)
	return string(b)
}

func readList(s string) ([]string, error) {
	var xs []string
	if err := json.Unmarshal([]byte(s), &xs); err != nil {
		return nil, fmt.Errorf("store: bad list %q: %w", s, err)
	}
	return xs, nil
}

// CreateStrategyPeriod stores a strategy period with its focus areas.
func (db *DB) CreateStrategyPeriod(ctx context.Context, p *samrad.StrategyPeriod) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM strategy_periods WHERE alliance_id = $1 AND first_year = $2 AND last_year = $3`,
			p.AllianceID, p.FirstYear, p.LastYear).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return samrad.Errorf(samrad.ECONFLICT, "the alliance already has a strategy for %s", p.Years())
		}
		id, err := insertID(ctx, tx, `INSERT INTO strategy_periods (alliance_id, first_year, last_year, title, vision, vision_text, roles, source)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, p.AllianceID, p.FirstYear, p.LastYear, p.Title, p.Vision, p.VisionText, jsonList(p.Roles), p.Source)
		if err != nil {
			return err
		}
		p.ID = id
		for i := range p.FocusAreas {
			f := &p.FocusAreas[i]
			if f.ID, err = insertID(ctx, tx, `INSERT INTO focus_areas (period_id, number, title, intro, activities) VALUES ($1, $2, $3, $4, $5)`,
				id, f.Number, f.Title, f.Intro, jsonList(f.Activities)); err != nil {
				return err
			}
		}
		if err := renew(ctx, tx, stampProgramme); err != nil {
			return err
		}
		return audit(ctx, tx, p.AllianceID, "create", "strategy_period", id, nil, p)
	})
}

// StrategyPeriods lists an alliance's strategy periods, newest first, with
// their focus areas.
func (db *DB) StrategyPeriods(ctx context.Context, allianceID int64) ([]samrad.StrategyPeriod, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT p.id, p.alliance_id, p.first_year, p.last_year, p.title, p.vision, p.vision_text, p.roles, p.source,
		COALESCE(f.id, 0), COALESCE(f.number, 0), COALESCE(f.title, ''), COALESCE(f.intro, ''), COALESCE(f.activities, '[]')
		FROM strategy_periods p LEFT JOIN focus_areas f ON f.period_id = p.id
		WHERE p.alliance_id = $1 ORDER BY p.first_year DESC, p.id, f.number`, allianceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.StrategyPeriod
	for rows.Next() {
		var p samrad.StrategyPeriod
		var f samrad.FocusArea
		var roles, acts string
		if err := rows.Scan(&p.ID, &p.AllianceID, &p.FirstYear, &p.LastYear, &p.Title, &p.Vision, &p.VisionText, &roles, &p.Source,
			&f.ID, &f.Number, &f.Title, &f.Intro, &acts); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].ID != p.ID {
			if p.Roles, err = readList(roles); err != nil {
				return nil, err
			}
			out = append(out, p)
		}
		if f.ID != 0 {
			if f.Activities, err = readList(acts); err != nil {
				return nil, err
			}
			last := &out[len(out)-1]
			last.FocusAreas = append(last.FocusAreas, f)
		}
	}
	return out, rows.Err()
}

// CreateProgramme stores a yearly action programme with its sections,
// measures and the links between measures, all or nothing.
func (db *DB) CreateProgramme(ctx context.Context, p *samrad.Programme) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM programmes WHERE alliance_id = $1 AND year = $2`, p.AllianceID, p.Year).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return samrad.Errorf(samrad.ECONFLICT, "the alliance already has an action programme for %d", p.Year)
		}
		var period any
		if p.PeriodID != 0 {
			var a int64
			if err := tx.QueryRowContext(ctx, `SELECT alliance_id FROM strategy_periods WHERE id = $1`, p.PeriodID).Scan(&a); err != nil || a != p.AllianceID {
				return samrad.FieldErrorf("period", "the strategy period is not one of the alliance's")
			}
			period = p.PeriodID
		}
		id, err := insertID(ctx, tx, `INSERT INTO programmes (alliance_id, year, period_id, title, adopted_on, adopted_by, source, economy) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			p.AllianceID, p.Year, period, p.Title, p.AdoptedOn, p.AdoptedBy, p.Source, p.Economy)
		if err != nil {
			return err
		}
		p.ID = id
		byLabel := map[string]int64{}
		for i := range p.Sections {
			s := &p.Sections[i]
			if s.ID, err = insertID(ctx, tx, `INSERT INTO programme_sections (programme_id, number, title) VALUES ($1, $2, $3)`, id, s.Number, s.Title); err != nil {
				return err
			}
			for j := range s.Measures {
				m := &s.Measures[j]
				if m.Status == "" {
					m.Status = samrad.MeasurePlanned
				}
				var continues any
				if m.ContinuesID != 0 {
					if err := sameAllianceMeasure(ctx, tx, p.AllianceID, m.ContinuesID); err != nil {
						return err
					}
					continues = m.ContinuesID
				}
				if m.ID, err = insertID(ctx, tx, `INSERT INTO measures (programme_id, section_id, number, title, timeframe, responsible, partners, intro, content, status, continues_id)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
					id, s.ID, m.Number, m.Title, m.Timeframe.Text, m.Responsible, jsonList(m.Partners), m.Intro, jsonList(m.Content), m.Status, continues); err != nil {
					return err
				}
				byLabel[m.Label()] = m.ID
			}
		}
		for i := range p.Sections {
			for j := range p.Sections[i].Measures {
				m := &p.Sections[i].Measures[j]
				m.SeeAlsoIDs = nil
				for _, ref := range m.SeeAlso {
					if _, err := tx.ExecContext(ctx, `INSERT INTO measure_links (measure_id, target_id) VALUES ($1, $2)`, m.ID, byLabel[ref]); err != nil {
						return err
					}
					m.SeeAlsoIDs = append(m.SeeAlsoIDs, byLabel[ref])
				}
			}
		}
		if err := renew(ctx, tx, stampProgramme); err != nil {
			return err
		}
		return audit(ctx, tx, p.AllianceID, "create", "programme", id, nil, p)
	})
}

func sameAllianceMeasure(ctx context.Context, tx *sql.Tx, allianceID, measureID int64) error {
	var a int64
	err := tx.QueryRowContext(ctx, `SELECT p.alliance_id FROM measures m JOIN programmes p ON p.id = m.programme_id WHERE m.id = $1`, measureID).Scan(&a)
	if err != nil || a != allianceID {
		return samrad.FieldErrorf("continues", "measure %d is not a measure of the alliance", measureID)
	}
	return nil
}

// ProgrammeYears lists the years an alliance has an action programme for,
// newest first.
func (db *DB) ProgrammeYears(ctx context.Context, allianceID int64) ([]int, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT year FROM programmes WHERE alliance_id = $1 ORDER BY year DESC`, allianceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			return nil, err
		}
		out = append(out, y)
	}
	return out, rows.Err()
}

// Programme reads an alliance's action programme for a year with every
// section, measure, link, progress note and case, in five queries
// whatever its size.
func (db *DB) Programme(ctx context.Context, allianceID int64, year int) (samrad.Programme, error) {
	var p samrad.Programme
	var period sql.NullInt64
	err := db.db.QueryRowContext(ctx, `SELECT id, alliance_id, year, period_id, title, adopted_on, adopted_by, source, economy FROM programmes WHERE alliance_id = $1 AND year = $2`,
		allianceID, year).Scan(&p.ID, &p.AllianceID, &p.Year, &period, &p.Title, &p.AdoptedOn, &p.AdoptedBy, &p.Source, &p.Economy)
	if err != nil {
		return p, notFound(err, "no action programme for %d", year)
	}
	p.PeriodID = period.Int64
	rows, err := db.db.QueryContext(ctx, `SELECT s.id, s.number, s.title, COALESCE(m.id, 0), COALESCE(m.number, 0), COALESCE(m.title, ''),
		COALESCE(m.timeframe, ''), COALESCE(m.responsible, ''), COALESCE(m.partners, '[]'), COALESCE(m.intro, ''), COALESCE(m.content, '[]'),
		COALESCE(m.status, ''), COALESCE(m.continues_id, 0)
		FROM programme_sections s LEFT JOIN measures m ON m.section_id = s.id
		WHERE s.programme_id = $1 ORDER BY s.number, m.number`, p.ID)
	if err != nil {
		return p, err
	}
	defer rows.Close()
	index := map[int64]*samrad.Measure{}
	for rows.Next() {
		var s samrad.Section
		var m samrad.Measure
		var timeframe, partners, content, status string
		if err := rows.Scan(&s.ID, &s.Number, &s.Title, &m.ID, &m.Number, &m.Title, &timeframe, &m.Responsible, &partners, &m.Intro, &content,
			&status, &m.ContinuesID); err != nil {
			return p, err
		}
		if len(p.Sections) == 0 || p.Sections[len(p.Sections)-1].ID != s.ID {
			p.Sections = append(p.Sections, s)
		}
		if m.ID == 0 {
			continue
		}
		m.Section, m.Timeframe, m.Status = s.Number, samrad.ParseTimeframe(timeframe), samrad.MeasureStatus(status)
		if m.Partners, err = readList(partners); err != nil {
			return p, err
		}
		if m.Content, err = readList(content); err != nil {
			return p, err
		}
		sec := &p.Sections[len(p.Sections)-1]
		sec.Measures = append(sec.Measures, m)
	}
	if err := rows.Err(); err != nil {
		return p, err
	}
	rows.Close()
	for i := range p.Sections {
		for j := range p.Sections[i].Measures {
			m := &p.Sections[i].Measures[j]
			index[m.ID] = m
		}
	}
	links, err := db.db.QueryContext(ctx, `SELECT l.measure_id, l.target_id FROM measure_links l JOIN measures m ON m.id = l.measure_id
		WHERE m.programme_id = $1 ORDER BY l.measure_id, l.target_id`, p.ID)
	if err != nil {
		return p, err
	}
	defer links.Close()
	for links.Next() {
		var from, to int64
		if err := links.Scan(&from, &to); err != nil {
			return p, err
		}
		if m, t := index[from], index[to]; m != nil && t != nil {
			m.SeeAlsoIDs = append(m.SeeAlsoIDs, to)
			m.SeeAlso = append(m.SeeAlso, t.Label())
		}
	}
	if err := links.Err(); err != nil {
		return p, err
	}
	notes, err := db.db.QueryContext(ctx, `SELECT n.id, n.measure_id, n.noted_on, n.text, n.status, n.author FROM progress_notes n
		JOIN measures m ON m.id = n.measure_id WHERE m.programme_id = $1 ORDER BY n.noted_on, n.id`, p.ID)
	if err != nil {
		return p, err
	}
	defer notes.Close()
	for notes.Next() {
		var n samrad.ProgressNote
		var status string
		if err := notes.Scan(&n.ID, &n.MeasureID, &n.On, &n.Text, &status, &n.Author); err != nil {
			return p, err
		}
		n.Status = samrad.MeasureStatus(status)
		if m := index[n.MeasureID]; m != nil {
			m.Notes = append(m.Notes, n)
		}
	}
	if err := notes.Err(); err != nil {
		return p, err
	}
	cases, err := db.db.QueryContext(ctx, `SELECT mc.measure_id, c.id, c.year, c.number, c.title, c.decision FROM measure_cases mc
		JOIN measures m ON m.id = mc.measure_id JOIN cases c ON c.id = mc.case_id WHERE m.programme_id = $1 ORDER BY c.year, c.number`, p.ID)
	if err != nil {
		return p, err
	}
	defer cases.Close()
	for cases.Next() {
		var id int64
		var c samrad.CaseRef
		if err := cases.Scan(&id, &c.ID, &c.Year, &c.Number, &c.Title, &c.Decision); err != nil {
			return p, err
		}
		if m := index[id]; m != nil {
			m.Cases = append(m.Cases, c)
		}
	}
	return p, cases.Err()
}

// LinkMeasureCase records that a case of the alliance carries out a
// measure of its programme. Linking twice is no change.
func (db *DB) LinkMeasureCase(ctx context.Context, allianceID, measureID, caseID int64) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := sameAllianceMeasure(ctx, tx, allianceID, measureID); err != nil {
			return samrad.Errorf(samrad.ENOTFOUND, "no measure %d", measureID)
		}
		var a int64
		if err := tx.QueryRowContext(ctx, `SELECT alliance_id FROM cases WHERE id = $1`, caseID).Scan(&a); err != nil || a != allianceID {
			return samrad.FieldErrorf("case", "the case is not one of the alliance's")
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM measure_cases WHERE measure_id = $1 AND case_id = $2`, measureID, caseID).Scan(&n); err != nil || n > 0 {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO measure_cases (measure_id, case_id) VALUES ($1, $2)`, measureID, caseID); err != nil {
			return err
		}
		if err := renew(ctx, tx, stampProgramme); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "link", "measure_case", measureID, nil, map[string]int64{"case": caseID})
	})
}

// AddProgressNote records how a measure of the alliance is going and, if
// the note says so, its new status. A cancelled measure takes no more
// notes, except one that opens it again.
func (db *DB) AddProgressNote(ctx context.Context, allianceID int64, n *samrad.ProgressNote) error {
	if err := n.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var status string
		if err := tx.QueryRowContext(ctx, `SELECT m.status FROM measures m JOIN programmes p ON p.id = m.programme_id WHERE m.id = $1 AND p.alliance_id = $2`,
			n.MeasureID, allianceID).Scan(&status); err != nil {
			return notFound(err, "no measure %d", n.MeasureID)
		}
		if samrad.MeasureStatus(status) == samrad.MeasureCancelled && (n.Status == "" || n.Status == samrad.MeasureCancelled) {
			return samrad.Errorf(samrad.ECONFLICT, "the measure is cancelled; reopen it by choosing another status")
		}
		if n.Author == "" {
			n.Author = samrad.ActorFrom(ctx).Name
		}
		id, err := insertID(ctx, tx, `INSERT INTO progress_notes (measure_id, noted_on, text, status, author, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			n.MeasureID, n.On, n.Text, n.Status, n.Author, now())
		if err != nil {
			return err
		}
		n.ID = id
		if n.Status != "" && string(n.Status) != status {
			if _, err := tx.ExecContext(ctx, `UPDATE measures SET status = $1 WHERE id = $2`, n.Status, n.MeasureID); err != nil {
				return err
			}
		}
		if err := renew(ctx, tx, stampProgramme); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "create", "progress_note", id, map[string]string{"status": status}, n)
	})
}

// RenumberMeasure gives a measure a new number in its section. Links to it
// follow, as they hold its id.
func (db *DB) RenumberMeasure(ctx context.Context, measureID int64, number int) error {
	if number < 1 {
		return samrad.FieldErrorf("number", "a measure number starts at 1")
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var allianceID, sectionID int64
		var before int
		if err := tx.QueryRowContext(ctx, `SELECT p.alliance_id, m.section_id, m.number FROM measures m JOIN programmes p ON p.id = m.programme_id WHERE m.id = $1`,
			measureID).Scan(&allianceID, &sectionID, &before); err != nil {
			return notFound(err, "no measure %d", measureID)
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM measures WHERE section_id = $1 AND number = $2 AND id <> $3`, sectionID, number, measureID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return samrad.Errorf(samrad.ECONFLICT, "the section already has a measure number %d", number)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE measures SET number = $1 WHERE id = $2`, number, measureID); err != nil {
			return err
		}
		if err := renew(ctx, tx, stampProgramme); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "update", "measure", measureID, map[string]int{"number": before}, map[string]int{"number": number})
	})
}
