package store

import (
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/samrad/samrad"
)

// stampProjects is renewed by every change of projects, their partners,
// funding, milestones and documents.
const stampProjects = "projects_stamp"

// ProjectNetwork names the network a project came from, for links.
type ProjectNetwork struct {
	ID             int64
	Slug           string
	NameNB, NameEN string
	Published      bool
}

// Name returns the network's name in lang, Norwegian if there is no English one.
func (n ProjectNetwork) Name(lang string) string {
	if lang == "en" && n.NameEN != "" {
		return n.NameEN
	}
	return n.NameNB
}

// ProjectDetail is a project with everything its page shows: its
// partners, funding, milestones and documents, and the owner, network and
// measure it links to (zero values where it has none).
type ProjectDetail struct {
	samrad.Project
	Owner   samrad.Organisation // zero ID: the alliance itself
	Network ProjectNetwork      // zero ID: none
	Measure MeasureRef          // zero ID: none
}

const projectColumns = `p.id, p.alliance_id, p.slug, p.name_nb, p.name_en, p.description_nb, p.description_en, COALESCE(p.owner_org_id, 0),
	p.status, p.starts, p.ends, p.budget, p.own_contribution, COALESCE(p.network_id, 0), COALESCE(p.measure_id, 0), p.website, p.published,
	p.source, p.created_at, p.updated_at`

func scanProject(s interface{ Scan(...any) error }, extra ...any) (samrad.Project, error) {
	var p samrad.Project
	var status string
	var budget, own sql.NullInt64
	var created, updated timestamp
	err := s.Scan(append([]any{&p.ID, &p.AllianceID, &p.Slug, &p.NameNB, &p.NameEN, &p.DescriptionNB, &p.DescriptionEN, &p.OwnerOrgID,
		&status, &p.Starts, &p.Ends, &budget, &own, &p.NetworkID, &p.MeasureID, &p.Website, &p.Published, &p.Source, &created, &updated}, extra...)...)
	p.Status, p.CreatedAt, p.UpdatedAt = samrad.ProjectStatus(status), created.t, updated.t
	p.Budget, p.OwnContribution = moneyOrNil(budget), moneyOrNil(own)
	return p, err
}

func moneyOrNil(v sql.NullInt64) *samrad.Money {
	if !v.Valid {
		return nil
	}
	m := samrad.Money(v.Int64)
	return &m
}

func moneyArg(m *samrad.Money) any {
	if m == nil {
		return nil
	}
	return int64(*m)
}

// checkProjectRefs checks what a project points to: an owner that
// exists, and a network and a measure of the project's own alliance.
func checkProjectRefs(ctx context.Context, tx *sql.Tx, p *samrad.Project) error {
	if p.OwnerOrgID != 0 {
		if err := orgExists(ctx, tx, p.OwnerOrgID); err != nil {
			return samrad.FieldErrorf("owner", "there is no organisation %d", p.OwnerOrgID)
		}
	}
	if p.NetworkID != 0 {
		var a int64
		if err := tx.QueryRowContext(ctx, `SELECT alliance_id FROM networks WHERE id = $1`, p.NetworkID).Scan(&a); err != nil || a != p.AllianceID {
			return samrad.FieldErrorf("network", "network %d is not a network of the alliance", p.NetworkID)
		}
	}
	if p.MeasureID != 0 {
		if err := sameAllianceMeasure(ctx, tx, p.AllianceID, p.MeasureID); err != nil {
			return samrad.FieldErrorf("measure", "measure %d is not a measure of the alliance", p.MeasureID)
		}
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM projects WHERE alliance_id = $1 AND slug = $2 AND id <> $3`,
		p.AllianceID, p.Slug, p.ID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return &samrad.Error{Code: samrad.ECONFLICT, Field: "slug", Message: "the alliance already has a project " + p.Slug}
	}
	return nil
}

func orgExists(ctx context.Context, tx *sql.Tx, id int64) error {
	var x int64
	return tx.QueryRowContext(ctx, `SELECT id FROM organisations WHERE id = $1`, id).Scan(&x)
}

// projectArgs are the values of the columns a project's form sets, in the
// order of the INSERT and UPDATE below.
func projectArgs(p *samrad.Project) []any {
	return []any{p.Slug, p.NameNB, p.NameEN, p.DescriptionNB, p.DescriptionEN, nullID(p.OwnerOrgID), string(p.Status), p.Starts, p.Ends,
		moneyArg(p.Budget), moneyArg(p.OwnContribution), nullID(p.NetworkID), nullID(p.MeasureID), p.Website, p.Published, p.Source}
}

// CreateProject stores a new project in an alliance's portfolio.
func (db *DB) CreateProject(ctx context.Context, p *samrad.Project) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		p.ID = 0
		if err := checkProjectRefs(ctx, tx, p); err != nil {
			return err
		}
		at := time.Now().UTC().Truncate(time.Second)
		id, err := insertID(ctx, tx, `INSERT INTO projects (alliance_id, slug, name_nb, name_en, description_nb, description_en, owner_org_id, status,
			starts, ends, budget, own_contribution, network_id, measure_id, website, published, source, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18)`,
			append(append([]any{p.AllianceID}, projectArgs(p)...), at.Format(time.RFC3339))...)
		if err != nil {
			return err
		}
		p.ID, p.CreatedAt, p.UpdatedAt = id, at, at
		if err := renew(ctx, tx, stampProjects); err != nil {
			return err
		}
		return audit(ctx, tx, p.AllianceID, "create", "project", id, nil, p)
	})
}

// UpdateProject changes a project's own fields (not its partners,
// funding, milestones or documents), recording it as it was and as it is.
func (db *DB) UpdateProject(ctx context.Context, p *samrad.Project) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		before, err := scanProject(tx.QueryRowContext(ctx, `SELECT `+projectColumns+` FROM projects p WHERE p.id = $1`, p.ID))
		if err != nil || before.AllianceID != p.AllianceID {
			return samrad.Errorf(samrad.ENOTFOUND, "no project %d", p.ID)
		}
		if err := checkProjectRefs(ctx, tx, p); err != nil {
			return err
		}
		p.CreatedAt, p.UpdatedAt = before.CreatedAt, time.Now().UTC().Truncate(time.Second)
		if _, err := tx.ExecContext(ctx, `UPDATE projects SET slug = $1, name_nb = $2, name_en = $3, description_nb = $4, description_en = $5,
			owner_org_id = $6, status = $7, starts = $8, ends = $9, budget = $10, own_contribution = $11, network_id = $12, measure_id = $13,
			website = $14, published = $15, source = $16, updated_at = $17 WHERE id = $18`,
			append(projectArgs(p), p.UpdatedAt.Format(time.RFC3339), p.ID)...); err != nil {
			return err
		}
		if err := renew(ctx, tx, stampProjects); err != nil {
			return err
		}
		after := *p
		after.Partners, after.Funding, after.Milestones, after.Documents = nil, nil, nil, nil
		return audit(ctx, tx, p.AllianceID, "update", "project", p.ID, before, after)
	})
}

// Project returns a project of an alliance, published or not, with its
// partners, funding, milestones and documents: five queries whatever
// their number.
func (db *DB) Project(ctx context.Context, allianceID int64, slug string) (ProjectDetail, error) {
	var d ProjectDetail
	var sec, num int
	var networkPublished sql.NullBool
	p, err := scanProject(db.db.QueryRowContext(ctx, `SELECT `+projectColumns+`,
		COALESCE(o.kind, ''), COALESCE(o.code, ''), COALESCE(o.name_nb, ''), COALESCE(o.name_en, ''),
		COALESCE(n.slug, ''), COALESCE(n.name_nb, ''), COALESCE(n.name_en, ''), n.published,
		COALESCE(pr.year, 0), COALESCE(s.number, 0), COALESCE(m.number, 0), COALESCE(m.title, '')
		FROM projects p LEFT JOIN organisations o ON o.id = p.owner_org_id LEFT JOIN networks n ON n.id = p.network_id
		LEFT JOIN measures m ON m.id = p.measure_id LEFT JOIN programmes pr ON pr.id = m.programme_id LEFT JOIN programme_sections s ON s.id = m.section_id
		WHERE p.alliance_id = $1 AND p.slug = $2`, allianceID, slug),
		&d.Owner.Kind, &d.Owner.Code, &d.Owner.NameNB, &d.Owner.NameEN,
		&d.Network.Slug, &d.Network.NameNB, &d.Network.NameEN, &networkPublished,
		&d.Measure.Year, &sec, &num, &d.Measure.Title)
	if err != nil {
		return d, notFound(err, "no project %q", slug)
	}
	d.Project = p
	d.Network.Published = networkPublished.Bool
	d.Owner.ID, d.Network.ID, d.Measure.ID = p.OwnerOrgID, p.NetworkID, p.MeasureID
	if p.MeasureID != 0 {
		d.Measure.AllianceID, d.Measure.Label = allianceID, strconv.Itoa(sec)+"."+strconv.Itoa(num)
	}
	return d, db.loadProjectParts(ctx, db.db, &d.Project)
}

// loadProjectParts reads a project's partners, funding, milestones and
// documents, one query each.
func (db *DB) loadProjectParts(ctx context.Context, q queryer, p *samrad.Project) error {
	rows, err := q.QueryContext(ctx, `SELECT pp.org_id, pp.role, o.kind, o.code, o.name_nb, o.name_en, o.valid_from, o.valid_to
		FROM project_partners pp JOIN organisations o ON o.id = pp.org_id WHERE pp.project_id = $1 ORDER BY o.name_nb, o.id`, p.ID)
	if err != nil {
		return err
	}
	p.Partners = nil
	for rows.Next() {
		x := samrad.ProjectPartner{ProjectID: p.ID}
		if err := rows.Scan(&x.OrgID, &x.Role, &x.Org.Kind, &x.Org.Code, &x.Org.NameNB, &x.Org.NameEN, &x.Org.ValidFrom, &x.Org.ValidTo); err != nil {
			rows.Close()
			return err
		}
		x.Org.ID = x.OrgID
		p.Partners = append(p.Partners, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = q.QueryContext(ctx, `SELECT f.id, f.kind, f.funder, COALESCE(f.funder_org_id, 0), f.amount, f.note,
		COALESCE(o.kind, ''), COALESCE(o.code, ''), COALESCE(o.name_nb, ''), COALESCE(o.name_en, '')
		FROM project_funding f LEFT JOIN organisations o ON o.id = f.funder_org_id WHERE f.project_id = $1 ORDER BY f.id`, p.ID)
	if err != nil {
		return err
	}
	p.Funding = nil
	for rows.Next() {
		f := samrad.ProjectFunding{ProjectID: p.ID}
		var kind string
		if err := rows.Scan(&f.ID, &kind, &f.Funder, &f.FunderOrgID, &f.Amount, &f.Note, &f.FunderOrg.Kind, &f.FunderOrg.Code,
			&f.FunderOrg.NameNB, &f.FunderOrg.NameEN); err != nil {
			rows.Close()
			return err
		}
		f.Kind, f.FunderOrg.ID = samrad.ProjectFundingKind(kind), f.FunderOrgID
		p.Funding = append(p.Funding, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	// Milestones without a due date come last.
	rows, err = q.QueryContext(ctx, `SELECT id, kind, title, due, done_on, note FROM project_milestones WHERE project_id = $1
		ORDER BY due IS NULL, due, id`, p.ID)
	if err != nil {
		return err
	}
	p.Milestones = nil
	for rows.Next() {
		m := samrad.ProjectMilestone{ProjectID: p.ID}
		var kind string
		if err := rows.Scan(&m.ID, &kind, &m.Title, &m.Due, &m.Done, &m.Note); err != nil {
			rows.Close()
			return err
		}
		m.Kind = samrad.ProjectMilestoneKind(kind)
		p.Milestones = append(p.Milestones, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = q.QueryContext(ctx, `SELECT d.id, d.kind, d.title, d.filename, d.sha256, f.content_type, f.size, d.created_at
		FROM project_documents d JOIN files f ON f.sha256 = d.sha256 WHERE d.project_id = $1 ORDER BY d.id`, p.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	p.Documents = nil
	for rows.Next() {
		d := samrad.ProjectDocument{ProjectID: p.ID}
		var kind string
		var created timestamp
		if err := rows.Scan(&d.ID, &kind, &d.Title, &d.Filename, &d.SHA256, &d.ContentType, &d.Size, &created); err != nil {
			return err
		}
		d.Kind, d.CreatedAt = samrad.ProjectDocumentKind(kind), created.t
		p.Documents = append(p.Documents, d)
	}
	return rows.Err()
}

// PortfolioFilter chooses the projects of a portfolio. Zero values choose all.
type PortfolioFilter struct {
	Status          samrad.ProjectStatus
	NetworkID       int64
	OwnerOrgID      int64
	OwnedByAlliance bool // only the projects the alliance owns itself (OwnerOrgID is then ignored)
	// Year chooses the projects under way some time in the year: begun by
	// its end and not ended before it began. A project with neither date
	// is not chosen; one with only one date is judged by that date.
	Year               int
	IncludeUnpublished bool
}

// PortfolioRow is one project of a portfolio with what its row shows.
// The project carries its own fields but neither its description nor its
// partners, funding, milestones and documents.
type PortfolioRow struct {
	samrad.Project
	Owner         samrad.Organisation // zero ID: the alliance itself
	Network       ProjectNetwork      // zero ID: none
	Funding       samrad.Money        // all sources together
	FundingByKind map[samrad.ProjectFundingKind]samrad.Money
}

// StatusTotal sums the projects of one status.
type StatusTotal struct {
	Status   samrad.ProjectStatus
	Projects int
	Budget   samrad.Money // of the projects whose budget is known
	Funding  samrad.Money
}

// KindTotal sums the funding of one kind.
type KindTotal struct {
	Kind   samrad.ProjectFundingKind
	Amount samrad.Money
}

// Portfolio is an alliance's projects, sorted by name, with totals per
// status and per kind of funding.
type Portfolio struct {
	Rows     []PortfolioRow
	ByStatus []StatusTotal // every status, in ProjectStatuses order
	ByKind   []KindTotal   // every kind, in ProjectFundingKinds order
	Budget   samrad.Money  // the known budgets together
	Funding  samrad.Money  // all funding together
	// OwnContribution is the alliance's own contributions together, where
	// they are known.
	OwnContribution samrad.Money
}

type portfolioKey struct {
	alliance int64
	filter   PortfolioFilter
}

// portfoliosKept bounds the cache of portfolios.
const portfoliosKept = 256

// Portfolio returns the projects of an alliance the filter chooses, with
// their owner, network and funding per kind: two queries however many
// projects and sources there are, or one small one while no project has
// changed since the same portfolio was last read. The rows and totals are
// the caller's to reorder; the FundingByKind maps are shared and must
// not be changed.
func (db *DB) Portfolio(ctx context.Context, allianceID int64, f PortfolioFilter) (Portfolio, error) {
	stamp, err := db.stampOf(ctx, stampProjects)
	if err != nil {
		return Portfolio{}, err
	}
	pf, err := keep(db, &db.cache.portfolios, portfolioKey{allianceID, f}, stamp, portfoliosKept, func() (Portfolio, error) {
		return db.readPortfolio(ctx, allianceID, f)
	})
	if err != nil {
		return pf, err
	}
	pf.Rows, pf.ByStatus, pf.ByKind = slices.Clone(pf.Rows), slices.Clone(pf.ByStatus), slices.Clone(pf.ByKind)
	return pf, nil
}

// readPortfolio reads a portfolio from the database.
func (db *DB) readPortfolio(ctx context.Context, allianceID int64, f PortfolioFilter) (Portfolio, error) {
	var pf Portfolio
	where := []string{"p.alliance_id = $1"}
	args := []any{allianceID}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if f.Status != "" {
		add("p.status = ?", string(f.Status))
	}
	if f.NetworkID != 0 {
		add("p.network_id = ?", f.NetworkID)
	}
	switch {
	case f.OwnedByAlliance:
		where = append(where, "p.owner_org_id IS NULL")
	case f.OwnerOrgID != 0:
		add("p.owner_org_id = ?", f.OwnerOrgID)
	}
	if f.Year != 0 {
		where = append(where, "(p.starts IS NOT NULL OR p.ends IS NOT NULL)")
		add("(p.starts IS NULL OR p.starts <= ?)", samrad.NewDate(f.Year, time.December, 31).String())
		add("(p.ends IS NULL OR p.ends >= ?)", samrad.Jan1(f.Year).String())
	}
	if !f.IncludeUnpublished {
		add("p.published = ?", true)
	}
	cond := strings.Join(where, " AND ")
	rows, err := db.db.QueryContext(ctx, `SELECT p.id, p.slug, p.name_nb, p.name_en, p.status, p.starts, p.ends, p.budget, p.own_contribution,
		p.website, p.published, COALESCE(p.owner_org_id, 0), COALESCE(o.kind, ''), COALESCE(o.code, ''), COALESCE(o.name_nb, ''), COALESCE(o.name_en, ''),
		COALESCE(p.network_id, 0), COALESCE(n.slug, ''), COALESCE(n.name_nb, ''), COALESCE(n.name_en, '')
		FROM projects p LEFT JOIN organisations o ON o.id = p.owner_org_id LEFT JOIN networks n ON n.id = p.network_id
		WHERE `+cond, args...)
	if err != nil {
		return pf, err
	}
	index := map[int64]int{}
	for rows.Next() {
		r := PortfolioRow{Project: samrad.Project{AllianceID: allianceID}}
		var status string
		var budget, own sql.NullInt64
		if err := rows.Scan(&r.ID, &r.Slug, &r.NameNB, &r.NameEN, &status, &r.Starts, &r.Ends, &budget, &own, &r.Website, &r.Published,
			&r.OwnerOrgID, &r.Owner.Kind, &r.Owner.Code, &r.Owner.NameNB, &r.Owner.NameEN,
			&r.NetworkID, &r.Network.Slug, &r.Network.NameNB, &r.Network.NameEN); err != nil {
			rows.Close()
			return pf, err
		}
		r.Status, r.Budget, r.OwnContribution = samrad.ProjectStatus(status), moneyOrNil(budget), moneyOrNil(own)
		r.Owner.ID, r.Network.ID = r.OwnerOrgID, r.NetworkID
		index[r.ID] = len(pf.Rows)
		pf.Rows = append(pf.Rows, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return pf, err
	}
	if len(pf.Rows) > 0 {
		rows, err = db.db.QueryContext(ctx, `SELECT f.project_id, f.kind, CAST(SUM(f.amount) AS BIGINT) FROM project_funding f
			JOIN projects p ON p.id = f.project_id WHERE `+cond+` GROUP BY f.project_id, f.kind`, args...)
		if err != nil {
			return pf, err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var kind string
			var sum samrad.Money
			if err := rows.Scan(&id, &kind, &sum); err != nil {
				return pf, err
			}
			i, ok := index[id]
			if !ok {
				continue
			}
			r := &pf.Rows[i]
			if r.FundingByKind == nil {
				r.FundingByKind = map[samrad.ProjectFundingKind]samrad.Money{}
			}
			r.FundingByKind[samrad.ProjectFundingKind(kind)] += sum
			r.Funding += sum
		}
		if err := rows.Err(); err != nil {
			return pf, err
		}
	}
	sortProjects(pf.Rows)
	pf.total()
	return pf, nil
}

// total sums the rows per status and per kind of funding.
func (pf *Portfolio) total() {
	byStatus := map[samrad.ProjectStatus]*StatusTotal{}
	for _, s := range samrad.ProjectStatuses {
		pf.ByStatus = append(pf.ByStatus, StatusTotal{Status: s})
	}
	for i := range pf.ByStatus {
		byStatus[pf.ByStatus[i].Status] = &pf.ByStatus[i]
	}
	byKind := map[samrad.ProjectFundingKind]samrad.Money{}
	for _, r := range pf.Rows {
		t, ok := byStatus[r.Status]
		if !ok {
			continue
		}
		t.Projects++
		t.Funding += r.Funding
		if r.Budget != nil {
			t.Budget += *r.Budget
			pf.Budget += *r.Budget
		}
		pf.Funding += r.Funding
		if r.OwnContribution != nil {
			pf.OwnContribution += *r.OwnContribution
		}
		for k, m := range r.FundingByKind {
			byKind[k] += m
		}
	}
	for _, k := range samrad.ProjectFundingKinds {
		pf.ByKind = append(pf.ByKind, KindTotal{Kind: k, Amount: byKind[k]})
	}
}

// sortProjects sorts projects by their Norwegian name as Norwegian
// readers expect (æ, ø, å after z), the same on both engines, whose
// collations differ.
func sortProjects(rows []PortfolioRow) {
	fold := strings.NewReplacer("æ", "{", "ø", "|", "å", "}", "é", "e", "ä", "{", "ö", "|", "ü", "u")
	type entry struct {
		key string
		id  int64
		i   int
	}
	order := make([]entry, len(rows))
	for i, r := range rows {
		order[i] = entry{fold.Replace(strings.ToLower(r.NameNB)), r.ID, i}
	}
	// The rows are large, so their order is found first and they are
	// moved once.
	slices.SortFunc(order, func(a, b entry) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	sorted := make([]PortfolioRow, len(rows))
	for i, e := range order {
		sorted[i] = rows[e.i]
	}
	copy(rows, sorted)
}

// ProjectNetworkBySlug returns a network of an alliance by its slug, for
// the portfolio of its projects.
func (db *DB) ProjectNetworkBySlug(ctx context.Context, allianceID int64, slug string) (ProjectNetwork, error) {
	n := ProjectNetwork{Slug: slug}
	err := db.db.QueryRowContext(ctx, `SELECT id, name_nb, name_en, published FROM networks WHERE alliance_id = $1 AND slug = $2`,
		allianceID, slug).Scan(&n.ID, &n.NameNB, &n.NameEN, &n.Published)
	return n, notFound(err, "no network %q", slug)
}

// ProjectNetworks lists an alliance's networks, for choosing the one a
// project came from and for filtering the portfolio; unpublished ones
// only if all is set.
func (db *DB) ProjectNetworks(ctx context.Context, allianceID int64, all bool) ([]ProjectNetwork, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id, slug, name_nb, name_en, published FROM networks WHERE alliance_id = $1 AND (published = $2 OR $3)
		ORDER BY name_nb, id`, allianceID, true, all)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ProjectNetwork
	for rows.Next() {
		var n ProjectNetwork
		if err := rows.Scan(&n.ID, &n.Slug, &n.NameNB, &n.NameEN, &n.Published); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// AllianceMeasures lists the measures of every action programme of an
// alliance, newest programme first, for choosing the one a project came from.
func (db *DB) AllianceMeasures(ctx context.Context, allianceID int64) ([]MeasureRef, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT m.id, p.year, s.number, m.number, m.title FROM measures m
		JOIN programmes p ON p.id = m.programme_id JOIN programme_sections s ON s.id = m.section_id
		WHERE p.alliance_id = $1 ORDER BY p.year DESC, s.number, m.number`, allianceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []MeasureRef
	for rows.Next() {
		m := MeasureRef{AllianceID: allianceID}
		var sec, num int
		if err := rows.Scan(&m.ID, &m.Year, &sec, &num, &m.Title); err != nil {
			return nil, err
		}
		m.Label = strconv.Itoa(sec) + "." + strconv.Itoa(num)
		out = append(out, m)
	}
	return out, rows.Err()
}

// projectOf checks that a project belongs to the alliance.
func projectOf(ctx context.Context, tx *sql.Tx, allianceID, projectID int64) error {
	var a int64
	if err := tx.QueryRowContext(ctx, `SELECT alliance_id FROM projects WHERE id = $1`, projectID).Scan(&a); err != nil || a != allianceID {
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		return samrad.Errorf(samrad.ENOTFOUND, "no project %d", projectID)
	}
	return nil
}

// AddPartner adds an organisation to a project in a role. An organisation
// is a partner of a project once.
func (db *DB) AddPartner(ctx context.Context, allianceID int64, p *samrad.ProjectPartner) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := projectOf(ctx, tx, allianceID, p.ProjectID); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, `SELECT kind, code, name_nb, name_en FROM organisations WHERE id = $1`, p.OrgID).
			Scan(&p.Org.Kind, &p.Org.Code, &p.Org.NameNB, &p.Org.NameEN)
		if err != nil {
			return samrad.FieldErrorf("partner", "there is no organisation %d", p.OrgID)
		}
		p.Org.ID = p.OrgID
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM project_partners WHERE project_id = $1 AND org_id = $2`, p.ProjectID, p.OrgID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return &samrad.Error{Code: samrad.ECONFLICT, Field: "partner", Message: p.Org.Name("nb") + " is already a partner of the project"}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO project_partners (project_id, org_id, role) VALUES ($1, $2, $3)`, p.ProjectID, p.OrgID, p.Role); err != nil {
			return err
		}
		if err := renew(ctx, tx, stampProjects); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "create", "project_partner", p.ProjectID, nil, map[string]any{"org": p.OrgID, "role": p.Role})
	})
}

// RemovePartner takes an organisation off a project.
func (db *DB) RemovePartner(ctx context.Context, allianceID, projectID, orgID int64) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := projectOf(ctx, tx, allianceID, projectID); err != nil {
			return err
		}
		var role string
		if err := tx.QueryRowContext(ctx, `SELECT role FROM project_partners WHERE project_id = $1 AND org_id = $2`, projectID, orgID).Scan(&role); err != nil {
			return notFound(err, "organisation %d is not a partner of project %d", orgID, projectID)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM project_partners WHERE project_id = $1 AND org_id = $2`, projectID, orgID); err != nil {
			return err
		}
		if err := renew(ctx, tx, stampProjects); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "delete", "project_partner", projectID, map[string]any{"org": orgID, "role": role}, nil)
	})
}

// AddFunding adds a source of funding to a project.
func (db *DB) AddFunding(ctx context.Context, allianceID int64, f *samrad.ProjectFunding) error {
	if err := f.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := projectOf(ctx, tx, allianceID, f.ProjectID); err != nil {
			return err
		}
		if f.FunderOrgID != 0 {
			if err := orgExists(ctx, tx, f.FunderOrgID); err != nil {
				return samrad.FieldErrorf("funder_org", "there is no organisation %d", f.FunderOrgID)
			}
		}
		id, err := insertID(ctx, tx, `INSERT INTO project_funding (project_id, kind, funder, funder_org_id, amount, note) VALUES ($1, $2, $3, $4, $5, $6)`,
			f.ProjectID, string(f.Kind), f.Funder, nullID(f.FunderOrgID), int64(f.Amount), f.Note)
		if err != nil {
			return err
		}
		f.ID = id
		if err := renew(ctx, tx, stampProjects); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "create", "project_funding", id, nil, f)
	})
}

// AddMilestone adds a milestone, deliverable or report to a project.
func (db *DB) AddMilestone(ctx context.Context, allianceID int64, m *samrad.ProjectMilestone) error {
	if err := m.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := projectOf(ctx, tx, allianceID, m.ProjectID); err != nil {
			return err
		}
		id, err := insertID(ctx, tx, `INSERT INTO project_milestones (project_id, kind, title, due, done_on, note) VALUES ($1, $2, $3, $4, $5, $6)`,
			m.ProjectID, string(m.Kind), m.Title, m.Due, m.Done, m.Note)
		if err != nil {
			return err
		}
		m.ID = id
		if err := renew(ctx, tx, stampProjects); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "create", "project_milestone", id, nil, m)
	})
}

// CompleteMilestone marks a milestone of a project of the alliance done
// on a date; done again, it takes the new date.
func (db *DB) CompleteMilestone(ctx context.Context, allianceID, milestoneID int64, on samrad.Date) error {
	if on.IsZero() {
		return samrad.FieldErrorf("done_on", "give the date it was done")
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var a int64
		var before samrad.Date
		err := tx.QueryRowContext(ctx, `SELECT p.alliance_id, m.done_on FROM project_milestones m JOIN projects p ON p.id = m.project_id WHERE m.id = $1`,
			milestoneID).Scan(&a, &before)
		if err != nil || a != allianceID {
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			return samrad.Errorf(samrad.ENOTFOUND, "no milestone %d", milestoneID)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE project_milestones SET done_on = $1 WHERE id = $2`, on, milestoneID); err != nil {
			return err
		}
		if err := renew(ctx, tx, stampProjects); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "complete", "project_milestone", milestoneID, map[string]samrad.Date{"done_on": before}, map[string]samrad.Date{"done_on": on})
	})
}

// AddProjectDocument stores a file (once by its SHA-256, with the document
// store's type checks) as a document of a project.
func (db *DB) AddProjectDocument(ctx context.Context, allianceID int64, d *samrad.ProjectDocument, data []byte) error {
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
		if err := projectOf(ctx, tx, allianceID, d.ProjectID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO files (sha256, size, content_type, data) VALUES ($1, $2, $3, $4)
			ON CONFLICT (sha256) DO NOTHING`, d.SHA256, d.Size, d.ContentType, data); err != nil {
			return err
		}
		at := time.Now().UTC().Truncate(time.Second)
		id, err := insertID(ctx, tx, `INSERT INTO project_documents (project_id, kind, title, filename, sha256, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			d.ProjectID, string(d.Kind), d.Title, d.Filename, d.SHA256, at.Format(time.RFC3339))
		if err != nil {
			return err
		}
		d.ID, d.CreatedAt = id, at
		if err := renew(ctx, tx, stampProjects); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "create", "project_document", id, nil, d)
	})
}

// ProjectDocument returns a document of a project with its bytes.
func (db *DB) ProjectDocument(ctx context.Context, projectID, id int64) (samrad.ProjectDocument, []byte, error) {
	d := samrad.ProjectDocument{ID: id, ProjectID: projectID}
	var kind string
	var created timestamp
	var data []byte
	err := db.db.QueryRowContext(ctx, `SELECT d.kind, d.title, d.filename, d.sha256, f.content_type, f.size, d.created_at, f.data
		FROM project_documents d JOIN files f ON f.sha256 = d.sha256 WHERE d.id = $1 AND d.project_id = $2`, id, projectID).
		Scan(&kind, &d.Title, &d.Filename, &d.SHA256, &d.ContentType, &d.Size, &created, &data)
	if err != nil {
		return d, nil, notFound(err, "no document %d", id)
	}
	d.Kind, d.CreatedAt = samrad.ProjectDocumentKind(kind), created.t
	return d, data, nil
}
