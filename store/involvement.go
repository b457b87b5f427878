package store

import (
	"context"
	"fmt"
	"strings"
)

// Involvement is one thing an organisation takes part in, in any alliance:
// a network, a project, a funding application, an agreement or a recurring
// programme, with the organisation's role in it.
type Involvement struct {
	Kind       string // "network", "project", "application", "agreement", "recurring"
	OrgID      int64  // the organisation that takes part, one of those asked for
	AllianceID int64
	Slug       string // the item's slug; applications have none and use ID
	ID         int64
	NameNB     string
	NameEN     string
	Role       string // e.g. "coordination", "owner", "partner", "applicant", "joined", "host"
	Status     string // a project's or an application's status
	Year       int    // the year a recurring programme was hosted
	// MembersOnly marks what only people with a role in the alliance may see
	// (funding applications).
	MembersOnly bool
}

// Involvement kinds, in the order an organisation's page shows them.
var InvolvementKinds = []string{"network", "project", "application", "agreement", "recurring"}

// involvementQuery reads every involvement of a set of organisations in one
// statement. Each part names the organisation's role; UNION drops the
// repeats that several people of one organisation in a network would give.
// $1 is true (published), the ids follow from $2.
const involvementQuery = `
SELECT 'network', p.org_id, n.alliance_id, n.slug, n.id, n.name_nb, n.name_en, p.role, '', 0
  FROM network_participants p JOIN networks n ON n.id = p.network_id
 WHERE p.org_id IN (IDS) AND n.published = $1
UNION
SELECT 'network', n.organiser_org_id, n.alliance_id, n.slug, n.id, n.name_nb, n.name_en, 'organiser', '', 0
  FROM networks n WHERE n.organiser_org_id IN (IDS) AND n.published = $1
UNION
SELECT 'project', p.owner_org_id, p.alliance_id, p.slug, p.id, p.name_nb, p.name_en, 'owner', p.status, 0
  FROM projects p WHERE p.owner_org_id IN (IDS) AND p.published = $1
UNION
SELECT 'project', pp.org_id, p.alliance_id, p.slug, p.id, p.name_nb, p.name_en, CASE WHEN pp.role = '' THEN 'partner' ELSE pp.role END, p.status, 0
  FROM project_partners pp JOIN projects p ON p.id = pp.project_id
 WHERE pp.org_id IN (IDS) AND p.published = $1
UNION
SELECT 'project', f.funder_org_id, p.alliance_id, p.slug, p.id, p.name_nb, p.name_en, 'funder', p.status, 0
  FROM project_funding f JOIN projects p ON p.id = f.project_id
 WHERE f.funder_org_id IN (IDS) AND p.published = $1
UNION
SELECT 'application', a.applicant_org_id, a.alliance_id, '', a.id, a.title, '', 'applicant', a.status, 0
  FROM applications a WHERE a.applicant_org_id IN (IDS)
UNION
SELECT 'application', ap.org_id, a.alliance_id, '', a.id, a.title, '', CASE WHEN ap.role = '' THEN 'partner' ELSE ap.role END, a.status, 0
  FROM application_partners ap JOIN applications a ON a.id = ap.application_id
 WHERE ap.org_id IN (IDS)
UNION
SELECT 'agreement', ap.org_id, g.alliance_id, g.slug, g.id, g.title_nb, g.title_en, ap.role, '', 0
  FROM agreement_parties ap JOIN agreements g ON g.id = ap.agreement_id
 WHERE ap.org_id IN (IDS) AND g.published = $1
UNION
SELECT 'recurring', rp.org_id, r.alliance_id, r.slug, r.id, r.name_nb, r.name_en, CASE WHEN rp.role = '' THEN 'partner' ELSE rp.role END, '', 0
  FROM recurring_partners rp JOIN recurring_programmes r ON r.id = rp.programme_id
 WHERE rp.org_id IN (IDS) AND r.published = $1
UNION
SELECT 'recurring', y.host_org_id, r.alliance_id, r.slug, r.id, r.name_nb, r.name_en, 'host', '', y.year
  FROM recurring_years y JOIN recurring_programmes r ON r.id = y.programme_id
 WHERE y.host_org_id IN (IDS) AND r.published = $1`

// Involvements lists what the organisations (the periods of one member,
// such as Bærum before and after its renumbering, and those it came from)
// take part in, with the one that takes part, across
// every alliance, in one query. Unpublished items are left out; funding
// applications are marked MembersOnly for the caller to filter.
// The answer is kept while the data version is unchanged; callers must
// not change it.
func (db *DB) Involvements(ctx context.Context, orgIDs []int64) ([]Involvement, error) {
	if len(orgIDs) == 0 {
		return nil, nil
	}
	version, err := db.Version(ctx)
	if err != nil {
		return nil, err
	}
	return keep(db, &db.cache.involvements, fmt.Sprint(orgIDs), version, involvementsKept, func() ([]Involvement, error) {
		return db.readInvolvements(ctx, orgIDs)
	})
}

// involvementsKept bounds the cache of members' involvements.
const involvementsKept = 1000

func (db *DB) readInvolvements(ctx context.Context, orgIDs []int64) ([]Involvement, error) {
	args := []any{true}
	for _, id := range orgIDs {
		args = append(args, id)
	}
	q := strings.ReplaceAll(involvementQuery, "IDS", placeholders(2, len(orgIDs))) +
		"\nORDER BY 1, 3, 6, 10, 8, 2"
	rows, err := db.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Involvement
	for rows.Next() {
		var v Involvement
		if err := rows.Scan(&v.Kind, &v.OrgID, &v.AllianceID, &v.Slug, &v.ID, &v.NameNB, &v.NameEN, &v.Role, &v.Status, &v.Year); err != nil {
			return nil, err
		}
		v.MembersOnly = v.Kind == "application"
		out = append(out, v)
	}
	return out, rows.Err()
}
