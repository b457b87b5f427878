package store

import (
	"cmp"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/samrad/samrad"
)

const membershipColumns = `id, alliance_id, org_id, valid_from, from_precision, attested_on, valid_to,
	category, status, note, source, carried`

type membershipRow struct {
	samrad.Membership
	carried bool
}

func scanMembership(s interface{ Scan(...any) error }) (membershipRow, error) {
	var m membershipRow
	var prec, status string
	err := s.Scan(&m.ID, &m.AllianceID, &m.Org.ID, &m.From, &prec, &m.AttestedOn, &m.To,
		&m.Category, &status, &m.Note, &m.Source, &m.carried)
	m.FromPrecision, m.Status = samrad.Precision(prec), samrad.MembershipStatus(status)
	return m, err
}

func loadMemberships(ctx context.Context, q queryer, where string, args ...any) ([]membershipRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+membershipColumns+` FROM memberships `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []membershipRow
	for rows.Next() {
		m, err := scanMembership(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// reconcileMemberships carries memberships through the registry's changes:
// when a member organisation ends in a merger or renumbering, the
// membership ends and continues in the successor from the change date (one
// membership even if several predecessors were members, with each kept as
// provenance); when it ends in a split, the membership ends and a pending
// membership is proposed for each successor. It repeats until nothing
// changes, so chains (0220 → 3025 → 3203) are followed, and it is idempotent.
func reconcileMemberships(ctx context.Context, tx *sql.Tx) error {
	reg, err := registryFrom(ctx, tx)
	if err != nil {
		return err
	}
	for round := 0; round < 32; round++ {
		all, err := loadMemberships(ctx, tx, `WHERE status <> 'rejected'`)
		if err != nil {
			return err
		}
		prov, err := loadProvenance(ctx, tx, "")
		if err != nil {
			return err
		}
		children := map[int64]map[int64]bool{} // predecessor → successor org IDs already created
		for _, p := range prov {
			if children[p.pred] == nil {
				children[p.pred] = map[int64]bool{}
			}
			children[p.pred][p.orgID] = true
		}
		changed := false
		for _, m := range all {
			org, ok := reg.Org(m.Org.ID)
			if !ok || org.ValidTo.IsZero() || m.carried {
				continue
			}
			if !m.To.IsZero() && m.To.Before(org.ValidTo) {
				continue // left before the organisation ended
			}
			if m.To.IsZero() || m.To.After(org.ValidTo) {
				if _, err := tx.ExecContext(ctx, `UPDATE memberships SET valid_to = $1 WHERE id = $2`, org.ValidTo, m.ID); err != nil {
					return err
				}
				changed = true
			}
			var outs []samrad.Change
			split := false
			for _, c := range reg.Successors(org.ID) {
				if c.Kind == samrad.ChangeTransfer {
					continue
				}
				outs = append(outs, c)
				split = split || c.Kind == samrad.ChangeSplit
			}
			if len(outs) == 0 {
				continue // no successor known yet; a later KLASS import may add one
			}
			for _, c := range outs {
				if children[m.ID][c.To.ID] {
					continue
				}
				status := m.Status
				if split {
					status = samrad.StatusPending
				}
				target, err := successorMembership(ctx, tx, m, c, status)
				if err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO membership_provenance (membership_id, predecessor_id, change_id)
					VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, target, m.ID, c.ID); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, `UPDATE memberships SET carried = TRUE WHERE id = $1`, m.ID); err != nil {
				return err
			}
			changed = true
		}
		if !changed {
			return renew(ctx, tx, stampMemberships)
		}
	}
	return fmt.Errorf("reconcile memberships: no fixpoint after 32 rounds")
}

// successorMembership returns the membership that continues m in c.To: an
// existing one of the same alliance that covers the change date (another
// predecessor's, or the successor's own), or a new one.
func successorMembership(ctx context.Context, tx *sql.Tx, m membershipRow, c samrad.Change, status samrad.MembershipStatus) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM memberships
		WHERE alliance_id = $1 AND org_id = $2 AND status <> 'rejected'
		  AND (valid_from IS NULL OR valid_from <= $3) AND (valid_to IS NULL OR valid_to >= $3)
		ORDER BY id LIMIT 1`, m.AllianceID, c.To.ID, c.Date).Scan(&id)
	if err == nil {
		if status == samrad.StatusConfirmed {
			// A merger with a confirmed member confirms a pending successor.
			_, err = tx.ExecContext(ctx, `UPDATE memberships SET status = 'confirmed' WHERE id = $1 AND status = 'pending'`, id)
		}
		return id, err
	}
	if err != sql.ErrNoRows {
		return 0, err
	}
	category := m.Category
	if c.From.Kind != c.To.Kind {
		category = samrad.DefaultCategory(c.To.Kind)
	}
	note := ""
	if status == samrad.StatusPending {
		note = fmt.Sprintf("Forslag etter deling av %s: sekretariatet må bekrefte eller avslå.", c.From.Label("nb"))
	}
	return insertID(ctx, tx, `INSERT INTO memberships (alliance_id, org_id, valid_from, from_precision, category, status, note, source)
		VALUES ($1, $2, $3, 'day', $4, $5, $6, $7)`,
		m.AllianceID, c.To.ID, c.Date, category, status, note,
		fmt.Sprintf("%s %s: %s → %s", c.Kind, c.Date, c.From.Label("nb"), c.To.Label("nb")))
}

type provenanceRow struct {
	membership, pred, orgID, changeID int64
}

func loadProvenance(ctx context.Context, q queryer, where string, args ...any) ([]provenanceRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT p.membership_id, p.predecessor_id, m.org_id, p.change_id
		FROM membership_provenance p JOIN memberships m ON m.id = p.membership_id `+where+`
		ORDER BY p.membership_id, p.predecessor_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []provenanceRow
	for rows.Next() {
		var p provenanceRow
		if err := rows.Scan(&p.membership, &p.pred, &p.orgID, &p.changeID); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Memberships returns every membership of an alliance (pending and rejected
// included) with organisation, provenance and the start of the continuous
// membership through reforms.
//
// The slice is shared with other callers: do not modify it.
func (db *DB) Memberships(ctx context.Context, allianceID int64) ([]samrad.Membership, error) {
	st, err := db.readStamps(ctx)
	if err != nil {
		return nil, err
	}
	return db.membershipsAt(ctx, st, allianceID)
}

func (db *DB) membershipsAt(ctx context.Context, st stamps, allianceID int64) ([]samrad.Membership, error) {
	stamp := st[stampRegistry] + "|" + st[stampMemberships]
	if ms, ok := getCached(db, &db.cache.members, allianceID, stamp); ok {
		return ms, nil
	}
	reg, err := db.registryAt(ctx, st)
	if err != nil {
		return nil, err
	}
	rows, err := loadMemberships(ctx, db.db, `WHERE alliance_id = $1`, allianceID)
	if err != nil {
		return nil, err
	}
	prov, err := loadProvenance(ctx, db.db, `WHERE m.alliance_id = $1`, allianceID)
	if err != nil {
		return nil, err
	}
	ms := assembleMemberships(reg, rows, prov)
	SortMemberships(ms)
	putCached(db, &db.cache.members, allianceID, stamp, ms)
	return ms, nil
}

func assembleMemberships(reg *samrad.Registry, rows []membershipRow, prov []provenanceRow) []samrad.Membership {
	byID := make(map[int64]*samrad.Membership, len(rows))
	out := make([]samrad.Membership, len(rows))
	for i, r := range rows {
		m := r.Membership
		m.Org, _ = reg.Org(m.Org.ID)
		out[i] = m
		byID[m.ID] = &out[i]
	}
	changes := map[int64]samrad.Change{}
	for _, p := range prov {
		if _, ok := changes[p.changeID]; !ok {
			for _, c := range reg.Predecessors(p.orgID) {
				changes[c.ID] = c
			}
		}
	}
	for _, p := range prov {
		m, pred := byID[p.membership], byID[p.pred]
		if m == nil || pred == nil {
			continue
		}
		m.Provenance = append(m.Provenance, samrad.Provenance{
			Predecessor: samrad.Membership{ID: pred.ID, Org: pred.Org, From: pred.From, FromPrecision: pred.FromPrecision, To: pred.To},
			Change:      changes[p.changeID],
		})
	}
	var since func(m *samrad.Membership, depth int) (samrad.Date, samrad.Precision)
	since = func(m *samrad.Membership, depth int) (samrad.Date, samrad.Precision) {
		if len(m.Provenance) == 0 || depth > 32 {
			if m.From.IsZero() {
				return samrad.Date{}, samrad.PrecisionUnknown
			}
			return m.From, m.FromPrecision
		}
		var best samrad.Date
		prec := samrad.PrecisionDay
		for _, p := range m.Provenance {
			d, pr := since(byID[p.Predecessor.ID], depth+1)
			if pr == samrad.PrecisionUnknown {
				return samrad.Date{}, samrad.PrecisionUnknown
			}
			if best.IsZero() || d.Before(best) {
				best, prec = d, pr
			}
		}
		return best, prec
	}
	successors := map[int64][]*samrad.Membership{}
	for _, p := range prov {
		if m := byID[p.membership]; m != nil && m.Status != samrad.StatusRejected {
			successors[p.pred] = append(successors[p.pred], m)
		}
	}
	var until func(m *samrad.Membership, depth int) samrad.Date
	until = func(m *samrad.Membership, depth int) samrad.Date {
		next := successors[m.ID]
		if len(next) == 0 || depth > 32 {
			return m.To
		}
		var last samrad.Date
		for _, n := range next {
			u := until(n, depth+1)
			if u.IsZero() {
				return samrad.Date{}
			}
			if u.After(last) {
				last = u
			}
		}
		return last
	}
	for i := range out {
		out[i].Since, out[i].SincePrecision = since(&out[i], 0)
		out[i].Until = until(&out[i], 0)
	}
	return out
}

// MembersOn returns the memberships of an alliance in force on d, as they
// were then (with the codes and names valid on d), ordered by kind and code.
// Pending memberships are included only when includePending is set.
func (db *DB) MembersOn(ctx context.Context, allianceID int64, d samrad.Date, includePending bool) ([]samrad.Membership, error) {
	all, err := db.Memberships(ctx, allianceID)
	if err != nil {
		return nil, err
	}
	return activeOn(all, d, includePending), nil // already in display order
}

// FilterMembers keeps the memberships in force on d, sorted for display.
func FilterMembers(all []samrad.Membership, d samrad.Date, includePending bool) []samrad.Membership {
	out := activeOn(all, d, includePending)
	SortMemberships(out)
	return out
}

func activeOn(all []samrad.Membership, d samrad.Date, includePending bool) []samrad.Membership {
	out := make([]samrad.Membership, 0, len(all))
	for i := range all {
		m := &all[i]
		if m.Status == samrad.StatusRejected || (m.Status == samrad.StatusPending && !includePending) {
			continue
		}
		if m.ActiveOn(d) {
			out = append(out, *m)
		}
	}
	return out
}

var kindRank = func() map[samrad.OrgKind]int {
	rank := map[samrad.OrgKind]int{}
	for i, k := range samrad.OrgKinds {
		rank[k] = i
	}
	return rank
}()

// SortMemberships orders by organisation kind, then code.
func SortMemberships(ms []samrad.Membership) {
	slices.SortStableFunc(ms, func(a, b samrad.Membership) int {
		if c := cmp.Compare(kindRank[a.Org.Kind], kindRank[b.Org.Kind]); c != 0 {
			return c
		}
		return cmp.Compare(a.Org.Code, b.Org.Code)
	})
}

// AddMembership stores a membership and carries it through known reforms.
func (db *DB) AddMembership(ctx context.Context, m *samrad.Membership) error {
	if err := m.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		id, err := insertMembership(ctx, tx, *m)
		if err != nil {
			return err
		}
		m.ID = id
		if err := audit(ctx, tx, m.AllianceID, "create", "membership", id, nil, m); err != nil {
			return err
		}
		return reconcileMemberships(ctx, tx)
	})
}

func insertMembership(ctx context.Context, tx *sql.Tx, m samrad.Membership) (int64, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM memberships
		WHERE alliance_id = $1 AND org_id = $2 AND status <> 'rejected'
		  AND COALESCE(valid_to, '9999-12-31') >= $3
		  AND COALESCE(valid_from, '0001-01-01') <= $4`,
		m.AllianceID, m.Org.ID, orMin(m.From), orMax(m.To)).Scan(&n)
	if err != nil {
		return 0, err
	}
	if n > 0 {
		return 0, samrad.Errorf(samrad.ECONFLICT, "%s already has a membership in that period", m.Org.Label("nb"))
	}
	if m.FromPrecision == "" {
		m.FromPrecision = samrad.PrecisionDay
	}
	return insertID(ctx, tx, `INSERT INTO memberships (alliance_id, org_id, valid_from, from_precision, attested_on, valid_to, category, status, note, source)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		m.AllianceID, m.Org.ID, m.From, m.FromPrecision, m.AttestedOn, m.To, m.Category, m.Status, m.Note, m.Source)
}

// DecideMembership confirms or rejects a pending membership.
func (db *DB) DecideMembership(ctx context.Context, id int64, confirm bool, by string) error {
	status := samrad.StatusRejected
	if confirm {
		status = samrad.StatusConfirmed
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE memberships SET status = $1, decided_at = $2, decided_by = $3
			WHERE id = $4 AND status = 'pending'`, status, now(), by, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return samrad.Errorf(samrad.ENOTFOUND, "no pending membership %d", id)
		}
		var allianceID int64
		if err := tx.QueryRowContext(ctx, `SELECT alliance_id FROM memberships WHERE id = $1`, id).Scan(&allianceID); err != nil {
			return err
		}
		if err := audit(ctx, tx, allianceID, "decide", "membership", id,
			map[string]string{"status": "pending"}, map[string]string{"status": string(status)}); err != nil {
			return err
		}
		return reconcileMemberships(ctx, tx)
	})
}

func randomToken() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// ImportRow is one membership of an imported member list.
type ImportRow struct {
	Line int
	Code string
	Name string
	Kind samrad.OrgKind
	samrad.Membership
}

// ImportReport says what a member-list import did.
type ImportReport struct {
	Added, Replaced, NewOrganisations int
}

// ImportMemberships adds (or with replace, replaces all of) an alliance's
// memberships from a member list, in one transaction: every line applies,
// or none does, and an error names the line. Official codes must be in the
// registry on the membership's first day (or on the attested day).
func (db *DB) ImportMemberships(ctx context.Context, allianceID int64, file string, rows []ImportRow, replace bool) (ImportReport, error) {
	var rep ImportReport
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		rep = ImportReport{}
		reg, err := registryFrom(ctx, tx)
		if err != nil {
			return err
		}
		if replace {
			if _, err := tx.ExecContext(ctx, `DELETE FROM membership_provenance WHERE membership_id IN
				(SELECT id FROM memberships WHERE alliance_id = $1)`, allianceID); err != nil {
				return err
			}
			res, err := tx.ExecContext(ctx, `DELETE FROM memberships WHERE alliance_id = $1`, allianceID)
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			rep.Replaced = int(n)
		}
		for _, r := range rows {
			where := fmt.Sprintf("%s: line %d", file, r.Line)
			org, err := resolveImportOrg(ctx, tx, reg, r)
			if err != nil {
				return lineError(where, err)
			}
			if org.ID == 0 {
				id, err := createOrg(ctx, tx, org, "member list "+file)
				if err != nil {
					return lineError(where, err)
				}
				org.ID = id
				rep.NewOrganisations++
				if reg, err = registryFrom(ctx, tx); err != nil {
					return err
				}
			}
			m := r.Membership
			m.AllianceID, m.Org = allianceID, org
			if m.Source == "" {
				m.Source = file
			}
			if err := m.Validate(); err != nil {
				return samrad.Errorf(samrad.EINVALID, "%s: %s", where, samrad.ErrorMessage(err))
			}
			if _, err := insertMembership(ctx, tx, m); err != nil {
				return lineError(where, err)
			}
			rep.Added++
		}
		if err := audit(ctx, tx, allianceID, "import", "memberships", file, nil, rep); err != nil {
			return err
		}
		return reconcileMemberships(ctx, tx)
	})
	return rep, err
}

func resolveImportOrg(ctx context.Context, tx *sql.Tx, reg *samrad.Registry, r ImportRow) (samrad.Organisation, error) {
	var periods []samrad.Organisation
	for _, o := range reg.ByCode(r.Code) {
		if o.Kind == r.Kind {
			periods = append(periods, o)
		}
	}
	on := r.From
	if on.IsZero() {
		on = r.AttestedOn
	}
	if r.Kind.Official() {
		if len(periods) == 0 {
			return samrad.Organisation{}, samrad.FieldErrorf("code", "%s is not a known %s code", r.Code, r.Kind)
		}
		if on.IsZero() {
			if len(periods) > 1 {
				return samrad.Organisation{}, samrad.FieldErrorf("member_from", "code %s has had several periods; give member_from or attested_on", r.Code)
			}
			return periods[0], nil
		}
		for _, o := range periods {
			if o.ValidOn(on) {
				return o, nil
			}
		}
		return samrad.Organisation{}, samrad.FieldErrorf("code", "%s did not exist on %s (valid %s)", r.Code, on, periods[len(periods)-1].Period())
	}
	if len(periods) > 0 {
		return periods[len(periods)-1], nil
	}
	if r.Name == "" {
		return samrad.Organisation{}, samrad.FieldErrorf("name", "a name is needed to create the organisation %q", r.Code)
	}
	o := samrad.Organisation{Kind: r.Kind, Code: r.Code, NameNB: r.Name}
	return o, o.Validate()
}

// OrgMembership is a membership with its alliance's slug, for an
// organisation's page across alliances.
type OrgMembership struct {
	samrad.Membership
	AllianceSlug string
}

// MembershipsOf returns the memberships (not rejected) of the given
// organisations in every alliance, in one query.
func (db *DB) MembershipsOf(ctx context.Context, orgIDs []int64) ([]OrgMembership, error) {
	if len(orgIDs) == 0 {
		return nil, nil
	}
	reg, err := db.Registry(ctx)
	if err != nil {
		return nil, err
	}
	args := make([]any, len(orgIDs))
	ph := make([]string, len(orgIDs))
	for i, id := range orgIDs {
		args[i], ph[i] = id, fmt.Sprintf("$%d", i+1)
	}
	in := "(" + strings.Join(ph, ", ") + ")"
	rows, err := loadMemberships(ctx, db.db, `WHERE status <> 'rejected' AND alliance_id IN
		(SELECT DISTINCT alliance_id FROM memberships WHERE org_id IN `+in+`)`, args...)
	if err != nil {
		return nil, err
	}
	prov, err := loadProvenance(ctx, db.db, `WHERE m.alliance_id IN (SELECT DISTINCT alliance_id FROM memberships WHERE org_id IN `+in+`)`, args...)
	if err != nil {
		return nil, err
	}
	slugs := map[int64]string{}
	srows, err := db.db.QueryContext(ctx, `SELECT id, slug FROM alliances`)
	if err != nil {
		return nil, err
	}
	defer srows.Close()
	for srows.Next() {
		var id int64
		var slug string
		if err := srows.Scan(&id, &slug); err != nil {
			return nil, err
		}
		slugs[id] = slug
	}
	if err := srows.Err(); err != nil {
		return nil, err
	}
	want := map[int64]bool{}
	for _, id := range orgIDs {
		want[id] = true
	}
	var out []OrgMembership
	for _, m := range assembleMemberships(reg, rows, prov) {
		if want[m.Org.ID] {
			out = append(out, OrgMembership{m, slugs[m.AllianceID]})
		}
	}
	return out, nil
}

// lineError prefixes an error with where it happened, keeping its code;
// internal errors keep their cause for the log.
func lineError(where string, err error) error {
	if samrad.ErrorCode(err) == samrad.EINTERNAL {
		return fmt.Errorf("%s: %w", where, err)
	}
	return samrad.Errorf(samrad.ErrorCode(err), "%s: %s", where, samrad.ErrorMessage(err))
}

// orMin and orMax stand an open start or end in for the earliest and latest
// dates, so that overlap checks are one comparison on both engines. The
// earliest is 1000-01-01, the first date ParseDate reads: 0001-01-01 is the
// zero Date, which is stored as NULL, and a comparison with NULL finds no
// overlap.
func orMin(d samrad.Date) samrad.Date {
	if d.IsZero() {
		return samrad.MustDate("1000-01-01")
	}
	return d
}

func orMax(d samrad.Date) samrad.Date {
	if d.IsZero() {
		return samrad.MustDate("9999-12-31")
	}
	return d
}
