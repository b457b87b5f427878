package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/samrad/samrad"
)

// stampServices is renewed by every change of a service catalogue, which
// the public pages show. The request log is never public (it holds
// personal data), so its changes renew no stamp: a stamp renewed for them
// would only empty the page cache for nothing.
const stampServices = "services_stamp"

const serviceColumns = `id, alliance_id, slug, position, name_nb, name_en, description_nb, description_en, COALESCE(network_id, 0), active, source`

func scanService(s interface{ Scan(...any) error }) (samrad.Service, error) {
	var x samrad.Service
	err := s.Scan(&x.ID, &x.AllianceID, &x.Slug, &x.Position, &x.NameNB, &x.NameEN, &x.DescriptionNB, &x.DescriptionEN, &x.NetworkID, &x.Active, &x.Source)
	return x, err
}

// checkService refuses a slug another service of the alliance has, and a
// network that is not the alliance's.
func checkService(ctx context.Context, tx *sql.Tx, s *samrad.Service) error {
	if s.NetworkID != 0 {
		if err := sameAllianceNetwork(ctx, tx, s.AllianceID, s.NetworkID); err != nil {
			return err
		}
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM services WHERE alliance_id = $1 AND slug = $2 AND id <> $3`,
		s.AllianceID, s.Slug, s.ID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return &samrad.Error{Code: samrad.ECONFLICT, Field: "slug", Message: "another service of the alliance has the slug " + s.Slug}
	}
	return nil
}

// CreateService adds a service to the end of the alliance's catalogue.
func (db *DB) CreateService(ctx context.Context, s *samrad.Service) error {
	if err := s.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkService(ctx, tx, s); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(position), 0) + 1 FROM services WHERE alliance_id = $1`, s.AllianceID).Scan(&s.Position); err != nil {
			return err
		}
		id, err := insertID(ctx, tx, `INSERT INTO services (alliance_id, slug, position, name_nb, name_en, description_nb, description_en, network_id, active, source)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, s.AllianceID, s.Slug, s.Position, s.NameNB, s.NameEN, s.DescriptionNB, s.DescriptionEN,
			nullID(s.NetworkID), s.Active, s.Source)
		if err != nil {
			return err
		}
		s.ID = id
		if err := renew(ctx, tx, stampServices); err != nil {
			return err
		}
		return audit(ctx, tx, s.AllianceID, "create", "service", id, nil, s)
	})
}

// UpdateService changes a service's texts and whether it is offered; its
// place in the catalogue is kept (MoveService changes it).
func (db *DB) UpdateService(ctx context.Context, s *samrad.Service) error {
	if err := s.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		before, err := scanService(tx.QueryRowContext(ctx, `SELECT `+serviceColumns+` FROM services WHERE id = $1`, s.ID))
		if err != nil || before.AllianceID != s.AllianceID {
			return samrad.Errorf(samrad.ENOTFOUND, "no service %d", s.ID)
		}
		if err := checkService(ctx, tx, s); err != nil {
			return err
		}
		s.Position = before.Position
		if _, err := tx.ExecContext(ctx, `UPDATE services SET slug = $1, name_nb = $2, name_en = $3, description_nb = $4, description_en = $5,
			network_id = $6, active = $7, source = $8 WHERE id = $9`, s.Slug, s.NameNB, s.NameEN, s.DescriptionNB, s.DescriptionEN,
			nullID(s.NetworkID), s.Active, s.Source, s.ID); err != nil {
			return err
		}
		if err := renew(ctx, tx, stampServices); err != nil {
			return err
		}
		return audit(ctx, tx, s.AllianceID, "update", "service", s.ID, before, s)
	})
}

// MoveService moves a service one place up or down in the catalogue,
// swapping it with its neighbour. At either end it stays where it is.
func (db *DB) MoveService(ctx context.Context, allianceID, id int64, up bool) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var pos int
		var a int64
		if err := tx.QueryRowContext(ctx, `SELECT alliance_id, position FROM services WHERE id = $1`, id).Scan(&a, &pos); err != nil || a != allianceID {
			return samrad.Errorf(samrad.ENOTFOUND, "no service %d", id)
		}
		q := `SELECT id, position FROM services WHERE alliance_id = $1 AND position > $2 ORDER BY position LIMIT 1`
		if up {
			q = `SELECT id, position FROM services WHERE alliance_id = $1 AND position < $2 ORDER BY position DESC LIMIT 1`
		}
		var other int64
		var otherPos int
		err := tx.QueryRowContext(ctx, q, allianceID, pos).Scan(&other, &otherPos)
		if err == sql.ErrNoRows {
			return nil
		}
		if err != nil {
			return err
		}
		for _, m := range [][2]any{{otherPos, id}, {pos, other}} {
			if _, err := tx.ExecContext(ctx, `UPDATE services SET position = $1 WHERE id = $2`, m[0], m[1]); err != nil {
				return err
			}
		}
		if err := renew(ctx, tx, stampServices); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "move", "service", id, map[string]int{"position": pos}, map[string]int{"position": otherPos})
	})
}

// Services lists an alliance's catalogue in order; inactive services only
// if all is set.
func (db *DB) Services(ctx context.Context, allianceID int64, all bool) ([]samrad.Service, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+serviceColumns+` FROM services WHERE alliance_id = $1 AND (active = $2 OR $3)
		ORDER BY position, id`, allianceID, true, all)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.Service
	for rows.Next() {
		s, err := scanService(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Service returns one service of an alliance, active or not.
func (db *DB) Service(ctx context.Context, allianceID, id int64) (samrad.Service, error) {
	s, err := scanService(db.db.QueryRowContext(ctx, `SELECT `+serviceColumns+` FROM services WHERE id = $1 AND alliance_id = $2`, id, allianceID))
	return s, notFound(err, "no service %d", id)
}

// NetworkRef is a network as the service and agreement forms offer it.
type NetworkRef struct {
	ID     int64
	Slug   string
	NameNB string
	NameEN string
}

// Name returns the network's name in lang.
func (n NetworkRef) Name(lang string) string {
	if lang == "en" && n.NameEN != "" {
		return n.NameEN
	}
	return n.NameNB
}

// NetworkRefs lists the networks of an alliance, published or not, by name.
func (db *DB) NetworkRefs(ctx context.Context, allianceID int64) ([]NetworkRef, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id, slug, name_nb, name_en FROM networks WHERE alliance_id = $1 ORDER BY name_nb, id`, allianceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []NetworkRef
	for rows.Next() {
		var n NetworkRef
		if err := rows.Scan(&n.ID, &n.Slug, &n.NameNB, &n.NameEN); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// sameAllianceNetwork checks that a network is the alliance's.
func sameAllianceNetwork(ctx context.Context, tx *sql.Tx, allianceID, networkID int64) error {
	var a int64
	if err := tx.QueryRowContext(ctx, `SELECT alliance_id FROM networks WHERE id = $1`, networkID).Scan(&a); err != nil || a != allianceID {
		return samrad.FieldErrorf("network", "network %d is not a network of the alliance", networkID)
	}
	return nil
}

const requestColumns = `r.id, r.alliance_id, r.kind, COALESCE(r.service_id, 0), COALESCE(r.network_id, 0), COALESCE(r.member_org_id, 0),
	r.requester_kind, r.requester, r.subject, r.description, r.status, r.outcome, r.received_at, r.first_response_at, r.closed_at,
	COALESCE(r.handled_by, 0), COALESCE(NULLIF(u.name, ''), u.email, ''), r.created_at, r.updated_at
	FROM service_requests r LEFT JOIN users u ON u.id = r.handled_by`

func scanRequest(s interface{ Scan(...any) error }) (samrad.ServiceRequest, error) {
	var r samrad.ServiceRequest
	var kind, rkind, status string
	var received, first, closed, created, updated timestamp
	err := s.Scan(&r.ID, &r.AllianceID, &kind, &r.ServiceID, &r.NetworkID, &r.MemberOrgID, &rkind, &r.Requester, &r.Subject, &r.Description,
		&status, &r.Outcome, &received, &first, &closed, &r.HandledBy, &r.HandledByName, &created, &updated)
	r.Kind, r.RequesterKind, r.Status = samrad.RequestKind(kind), samrad.RequesterKind(rkind), samrad.RequestStatus(status)
	r.ReceivedAt, r.FirstResponseAt, r.ClosedAt, r.CreatedAt, r.UpdatedAt = received.t, first.t, closed.t, created.t, updated.t
	return r, err
}

// requestAudit is what the audit log keeps of a request: its state, but not
// the requester, the subject or the texts, which may hold personal data.
func requestAudit(r samrad.ServiceRequest) map[string]any {
	return map[string]any{"kind": r.Kind, "status": r.Status, "service": r.ServiceID, "network": r.NetworkID, "member": r.MemberOrgID,
		"requester_kind": r.RequesterKind, "received_at": r.ReceivedAt, "first_response_at": r.FirstResponseAt, "closed_at": r.ClosedAt}
}

// checkRequestRefs checks that the service and the network are the
// alliance's and that the member concerned is an organisation.
func checkRequestRefs(ctx context.Context, tx *sql.Tx, r *samrad.ServiceRequest) error {
	if r.ServiceID != 0 {
		var a int64
		if err := tx.QueryRowContext(ctx, `SELECT alliance_id FROM services WHERE id = $1`, r.ServiceID).Scan(&a); err != nil || a != r.AllianceID {
			return samrad.FieldErrorf("service", "service %d is not a service of the alliance", r.ServiceID)
		}
	}
	if r.NetworkID != 0 {
		if err := sameAllianceNetwork(ctx, tx, r.AllianceID, r.NetworkID); err != nil {
			return err
		}
	}
	if r.MemberOrgID != 0 {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM organisations WHERE id = $1`, r.MemberOrgID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return samrad.FieldErrorf("member", "organisation %d does not exist", r.MemberOrgID)
		}
	}
	return nil
}

func requestByID(ctx context.Context, q queryer, allianceID, id int64) (samrad.ServiceRequest, error) {
	r, err := scanRequest(q.QueryRowContext(ctx, `SELECT `+requestColumns+` WHERE r.id = $1 AND r.alliance_id = $2`, id, allianceID))
	return r, notFound(err, "no request %d", id)
}

// LogRequest stores a new request or enquiry, handled by the user acting
// unless it names someone else.
func (db *DB) LogRequest(ctx context.Context, r *samrad.ServiceRequest) error {
	if err := r.Validate(); err != nil {
		return err
	}
	if r.HandledBy == 0 {
		r.HandledBy = samrad.ActorFrom(ctx).UserID
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkRequestRefs(ctx, tx, r); err != nil {
			return err
		}
		at := time.Now().UTC().Truncate(time.Second)
		id, err := insertID(ctx, tx, `INSERT INTO service_requests (alliance_id, kind, service_id, network_id, member_org_id, requester_kind, requester,
			subject, description, status, outcome, received_at, first_response_at, closed_at, handled_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)`,
			r.AllianceID, r.Kind, nullID(r.ServiceID), nullID(r.NetworkID), nullID(r.MemberOrgID), r.RequesterKind, r.Requester,
			r.Subject, r.Description, r.Status, r.Outcome, timeArg(r.ReceivedAt), timeArg(r.FirstResponseAt), timeArg(r.ClosedAt),
			nullID(r.HandledBy), at.Format(time.RFC3339))
		if err != nil {
			return err
		}
		r.ID, r.CreatedAt, r.UpdatedAt = id, at, at
		return audit(ctx, tx, r.AllianceID, "create", "service_request", id, nil, requestAudit(*r))
	})
}

// UpdateRequest changes a request: what it is about, who asked, its status,
// outcome and times. The one handling it is kept unless r names another.
func (db *DB) UpdateRequest(ctx context.Context, r *samrad.ServiceRequest) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		before, err := requestByID(ctx, tx, r.AllianceID, r.ID)
		if err != nil {
			return err
		}
		if err := checkRequestRefs(ctx, tx, r); err != nil {
			return err
		}
		if r.HandledBy == 0 {
			r.HandledBy = before.HandledBy
		}
		if r.HandledBy == 0 {
			r.HandledBy = samrad.ActorFrom(ctx).UserID
		}
		r.CreatedAt, r.UpdatedAt = before.CreatedAt, time.Now().UTC().Truncate(time.Second)
		if _, err := tx.ExecContext(ctx, `UPDATE service_requests SET kind = $1, service_id = $2, network_id = $3, member_org_id = $4,
			requester_kind = $5, requester = $6, subject = $7, description = $8, status = $9, outcome = $10, received_at = $11,
			first_response_at = $12, closed_at = $13, handled_by = $14, updated_at = $15 WHERE id = $16`,
			r.Kind, nullID(r.ServiceID), nullID(r.NetworkID), nullID(r.MemberOrgID), r.RequesterKind, r.Requester, r.Subject, r.Description,
			r.Status, r.Outcome, timeArg(r.ReceivedAt), timeArg(r.FirstResponseAt), timeArg(r.ClosedAt), nullID(r.HandledBy),
			r.UpdatedAt.Format(time.RFC3339), r.ID); err != nil {
			return err
		}
		return audit(ctx, tx, r.AllianceID, "update", "service_request", r.ID, requestAudit(before), requestAudit(*r))
	})
}

// RespondRequest records the first response to a request, once: an open
// request is then in progress, and the user acting handles it if no one
// does.
func (db *DB) RespondRequest(ctx context.Context, allianceID, id int64, at time.Time) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		r, err := requestByID(ctx, tx, allianceID, id)
		if err != nil {
			return err
		}
		if !r.FirstResponseAt.IsZero() {
			return &samrad.Error{Code: samrad.ECONFLICT, Field: "first_response_at", Message: "the request has had its first response already"}
		}
		before := r
		r.FirstResponseAt = at
		if r.Status == samrad.RequestOpen {
			r.Status = samrad.RequestInProgress
		}
		if r.HandledBy == 0 {
			r.HandledBy = samrad.ActorFrom(ctx).UserID
		}
		if err := r.Validate(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE service_requests SET first_response_at = $1, status = $2, handled_by = $3, updated_at = $4
			WHERE id = $5 AND first_response_at IS NULL`, timeArg(r.FirstResponseAt), r.Status, nullID(r.HandledBy), now(), id); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "respond", "service_request", id, requestAudit(before), requestAudit(r))
	})
}

// CloseRequest closes a request as done or declined, with its outcome.
// Closing answers it too: a request closed without an earlier response has
// its first response at the closing time.
func (db *DB) CloseRequest(ctx context.Context, allianceID, id int64, status samrad.RequestStatus, outcome string, at time.Time) error {
	if !status.Closed() {
		return samrad.FieldErrorf("status", "a request is closed as done or declined")
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		r, err := requestByID(ctx, tx, allianceID, id)
		if err != nil {
			return err
		}
		if r.Status.Closed() {
			return &samrad.Error{Code: samrad.ECONFLICT, Field: "status", Message: "the request is closed already"}
		}
		before := r
		r.Status, r.Outcome, r.ClosedAt = status, outcome, at
		if r.FirstResponseAt.IsZero() {
			r.FirstResponseAt = at
		}
		if r.HandledBy == 0 {
			r.HandledBy = samrad.ActorFrom(ctx).UserID
		}
		if err := r.Validate(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE service_requests SET status = $1, outcome = $2, closed_at = $3, first_response_at = $4,
			handled_by = $5, updated_at = $6 WHERE id = $7`, r.Status, r.Outcome, timeArg(r.ClosedAt), timeArg(r.FirstResponseAt),
			nullID(r.HandledBy), now(), id); err != nil {
			return err
		}
		return audit(ctx, tx, allianceID, "close", "service_request", id, requestAudit(before), requestAudit(r))
	})
}

// Request returns one entry of an alliance's request log.
func (db *DB) Request(ctx context.Context, allianceID, id int64) (samrad.ServiceRequest, error) {
	return requestByID(ctx, db.db, allianceID, id)
}

// requestWhere selects an alliance's requests by a filter: $1 is the
// alliance, $2–$7 the filter's kind, status, service, member, and the first
// and last moment received (RFC 3339 UTC; "" is open).
const requestWhere = ` WHERE r.alliance_id = $1 AND (r.kind = $2 OR $2 = '') AND (r.status = $3 OR $3 = '')
	AND (r.service_id = $4 OR $4 = 0) AND (r.member_org_id = $5 OR $5 = 0)
	AND (r.received_at >= $6 OR $6 = '') AND (r.received_at < $7 OR $7 = '')`

func requestArgs(allianceID int64, f samrad.RequestFilter) []any {
	day := func(d samrad.Date) string {
		if d.IsZero() {
			return ""
		}
		return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, samrad.Oslo()).UTC().Format(time.RFC3339)
	}
	to := ""
	if !f.To.IsZero() {
		to = day(f.To.AddDays(1))
	}
	return []any{allianceID, string(f.Kind), string(f.Status), f.ServiceID, f.MemberOrgID, day(f.From), to}
}

// Requests lists an alliance's requests that the filter selects, the
// newest first.
func (db *DB) Requests(ctx context.Context, allianceID int64, f samrad.RequestFilter) ([]samrad.ServiceRequest, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+requestColumns+requestWhere+` ORDER BY r.received_at DESC, r.id DESC`, requestArgs(allianceID, f)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []samrad.ServiceRequest
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// RequestStats counts the requests the filter selects, in all, per kind and
// per service, with their median and 90th percentile response times. The
// times are read and the percentiles computed in Go, so that both engines
// give the same figures.
func (db *DB) RequestStats(ctx context.Context, allianceID int64, f samrad.RequestFilter) (samrad.RequestStats, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT r.kind, COALESCE(r.service_id, 0), r.status, r.received_at, r.first_response_at
		FROM service_requests r`+requestWhere+` ORDER BY r.received_at, r.id`, requestArgs(allianceID, f)...)
	if err != nil {
		return samrad.RequestStats{}, err
	}
	defer rows.Close()
	var list []samrad.ServiceRequest
	for rows.Next() {
		var r samrad.ServiceRequest
		var kind, status string
		var received, first timestamp
		if err := rows.Scan(&kind, &r.ServiceID, &status, &received, &first); err != nil {
			return samrad.RequestStats{}, err
		}
		r.Kind, r.Status, r.ReceivedAt, r.FirstResponseAt = samrad.RequestKind(kind), samrad.RequestStatus(status), received.t, first.t
		list = append(list, r)
	}
	if err := rows.Err(); err != nil {
		return samrad.RequestStats{}, err
	}
	return samrad.ComputeRequestStats(list), nil
}
