package store

import "context"

// Cooperation counts what an alliance has published in each area of its
// cooperation, so that its page links only to the areas that have content.
type Cooperation struct {
	Networks, Projects, FundingProgrammes, Services, Agreements, Recurring int
	Indicators                                                             int // for everyone; members-only ones are not counted
}

// Any tells whether the alliance has anything to show in these areas.
func (c Cooperation) Any() bool {
	return c.Networks+c.Projects+c.FundingProgrammes+c.Services+c.Agreements+c.Recurring+c.Indicators > 0
}

// CooperationOf counts an alliance's published networks, projects,
// funding programmes, active services, agreements, recurring programmes
// and public indicators, in one statement.
func (db *DB) CooperationOf(ctx context.Context, allianceID int64) (Cooperation, error) {
	var c Cooperation
	err := db.db.QueryRowContext(ctx, `
SELECT (SELECT count(*) FROM networks WHERE alliance_id = $1 AND published = $2),
       (SELECT count(*) FROM projects WHERE alliance_id = $1 AND published = $2),
       (SELECT count(*) FROM funding_programmes WHERE alliance_id = $1),
       (SELECT count(*) FROM services WHERE alliance_id = $1 AND active = $2),
       (SELECT count(*) FROM agreements WHERE alliance_id = $1 AND published = $2),
       (SELECT count(*) FROM recurring_programmes WHERE alliance_id = $1 AND published = $2),
       (SELECT count(*) FROM indicators WHERE alliance_id = $1 AND members_only <> $2)`,
		allianceID, true).Scan(&c.Networks, &c.Projects, &c.FundingProgrammes, &c.Services, &c.Agreements, &c.Recurring, &c.Indicators)
	return c, err
}
