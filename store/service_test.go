package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

// rowCounts counts the rows of tables, to show that refused input wrote
// nothing (the audit log included).
func rowCounts(t *testing.T, db *store.DB, tables ...string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range tables {
		var n int
		if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

func sameCounts(t *testing.T, what string, before, after map[string]int) {
	t.Helper()
	for k, v := range before {
		if after[k] != v {
			t.Errorf("%s: %s has %d rows, had %d", what, k, after[k], v)
		}
	}
}

func TestServiceCatalogueOrderAndValidation(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAlliance(t, db, "ore")
		other := newAlliance(t, db, "vestregionen")
		var list []*samrad.Service
		for _, name := range []string{"Henvendelser til EU/EFTAs institusjoner og organer", "Etablere kontakt med europeiske regioner og byer", "Bistå med søknader"} {
			s := &samrad.Service{AllianceID: a.ID, NameNB: name, Active: true}
			if err := db.CreateService(ctx, s); err != nil {
				t.Fatal(err)
			}
			list = append(list, s)
		}
		if list[0].Slug != "henvendelser-til-eu-eftas-institusjoner-og-organer" || list[2].Position != 3 {
			t.Errorf("slug %q, position %d", list[0].Slug, list[2].Position)
		}
		// The same slug in another alliance is fine; in the same, refused.
		if err := db.CreateService(ctx, &samrad.Service{AllianceID: other.ID, NameNB: "Bistå med søknader", Active: true}); err != nil {
			t.Fatal(err)
		}
		var net, foreignNet int64
		for _, n := range []struct {
			id   *int64
			alli int64
		}{{&net, a.ID}, {&foreignNet, other.ID}} {
			if err := db.SQL().QueryRow(`INSERT INTO networks (alliance_id, slug, kind, name_nb) VALUES ($1, 'nettverk', 'internal', 'Nettverk') RETURNING id`, n.alli).Scan(n.id); err != nil {
				t.Fatal(err)
			}
		}
		counts := rowCounts(t, db, "services", "audit_log")
		if err := db.CreateService(ctx, &samrad.Service{AllianceID: a.ID, NameNB: "Nettverkstjeneste", NetworkID: foreignNet}); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("another alliance's network: %v", err)
		}
		if err := db.CreateService(ctx, &samrad.Service{AllianceID: a.ID, NameNB: "Bistå med søknader"}); samrad.ErrorCode(err) != samrad.ECONFLICT {
			t.Errorf("taken slug: %v", err)
		}
		if err := db.CreateService(ctx, &samrad.Service{AllianceID: a.ID, NameNB: "  "}); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("no name: %v", err)
		}
		if err := db.UpdateService(ctx, &samrad.Service{ID: list[0].ID, AllianceID: other.ID, NameNB: "Kapret"}); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("another alliance's service: %v", err)
		}
		sameCounts(t, "refused services", counts, rowCounts(t, db, "services", "audit_log"))

		// Move the last one up twice, then up once more at the top: no change.
		for range 3 {
			if err := db.MoveService(ctx, a.ID, list[2].ID, true); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.MoveService(ctx, a.ID, list[0].ID, false); err != nil {
			t.Fatal(err)
		}
		got, err := db.Services(ctx, a.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		order := []int64{list[2].ID, list[1].ID, list[0].ID}
		if len(got) != 3 {
			t.Fatalf("got %d services", len(got))
		}
		for i, s := range got {
			if s.ID != order[i] || s.Position != i+1 {
				t.Errorf("place %d: service %d at position %d, want %d", i+1, s.ID, s.Position, order[i])
			}
		}
		// Deactivated: kept for the log, no longer listed for the public.
		s := *list[1]
		s.Active, s.NameEN, s.NetworkID = false, "Contact with European regions and cities", net
		if err := db.UpdateService(ctx, &s); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.Services(ctx, a.ID, false); len(got) != 2 {
			t.Errorf("active services: %d, want 2", len(got))
		}
		all, _ := db.Services(ctx, a.ID, true)
		if len(all) != 3 || all[1].Active || all[1].NameEN != s.NameEN || all[1].Position != 2 || all[1].NetworkID != net {
			t.Errorf("all services: %+v", all)
		}
		if err := db.MoveService(ctx, other.ID, list[0].ID, true); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("moving another alliance's service: %v", err)
		}
	})
}

// requestFixture is an alliance with two services, a network, a user and a
// member, and another alliance with a service and a network of its own.
type requestFixture struct {
	a, other               samrad.Alliance
	svc1, svc2, foreignSvc samrad.Service
	net, foreignNet        int64
	user                   *samrad.User
	baerum, asker          samrad.Organisation
	ctx                    context.Context
}

func newRequestFixture(t *testing.T, db *store.DB) requestFixture {
	t.Helper()
	ctx := context.Background()
	f := requestFixture{a: newAlliance(t, db, "vestregionen"), other: newAlliance(t, db, "ore")}
	for _, s := range []*samrad.Service{{AllianceID: f.a.ID, NameNB: "Besvare henvendelser om BPA", Active: true},
		{AllianceID: f.a.ID, NameNB: "Studiebesøk", Active: true}, {AllianceID: f.other.ID, NameNB: "Partnersøk", Active: true}} {
		if err := db.CreateService(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	all, _ := db.Services(ctx, f.a.ID, true)
	f.svc1, f.svc2 = all[0], all[1]
	foreign, _ := db.Services(ctx, f.other.ID, true)
	f.foreignSvc = foreign[0]
	for _, n := range []struct {
		id    *int64
		alli  int64
		slug  string
		title string
	}{{&f.net, f.a.ID, "bpa-erfaringsnettverk", "BPA-erfaringsnettverk"}, {&f.foreignNet, f.other.ID, "errin", "ERRIN"}} {
		if err := db.SQL().QueryRow(`INSERT INTO networks (alliance_id, slug, kind, name_nb) VALUES ($1, $2, 'internal', $3) RETURNING id`,
			n.alli, n.slug, n.title).Scan(n.id); err != nil {
			t.Fatal(err)
		}
	}
	u, err := db.CreateUser(ctx, "sekretariat@example.no", "Sekretær", "et langt passord her", f.a.ID, samrad.RoleSecretariat, fastHash)
	if err != nil {
		t.Fatal(err)
	}
	f.user = u
	f.ctx = samrad.WithActor(ctx, samrad.Actor{UserID: u.ID, Name: u.Email})
	reg, _ := db.Registry(ctx)
	var ok1, ok2 bool
	f.baerum, ok1 = reg.AtDate("3024", samrad.MustDate("2021-01-01"))
	f.asker, ok2 = reg.AtDate("3025", samrad.MustDate("2021-01-01"))
	if !ok1 || !ok2 {
		t.Fatal("registry lacks Bærum or Asker")
	}
	return f
}

func TestRequestLogValidationWritesNothing(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		f := newRequestFixture(t, db)
		ctx := f.ctx
		received := time.Date(2017, 3, 6, 9, 0, 0, 0, time.UTC)
		good := func() samrad.ServiceRequest {
			return samrad.ServiceRequest{AllianceID: f.a.ID, Kind: samrad.RequestKindEnquiry, ServiceID: f.svc1.ID, NetworkID: f.net,
				RequesterKind: samrad.RequesterSupplier, Requester: "Leverandør AS", Subject: "Spørsmål om avtalen", ReceivedAt: received}
		}
		tables := []string{"service_requests", "audit_log"}
		before := rowCounts(t, db, tables...)
		for _, c := range []struct {
			name  string
			field string
			code  string
			edit  func(r *samrad.ServiceRequest)
		}{
			{"first response before receipt", "first_response_at", samrad.EINVALID, func(r *samrad.ServiceRequest) { r.FirstResponseAt = received.Add(-time.Minute) }},
			{"closed before receipt", "closed_at", samrad.EINVALID, func(r *samrad.ServiceRequest) {
				r.Status, r.Outcome, r.ClosedAt = samrad.RequestDone, "Svart.", received.Add(-time.Hour)
			}},
			{"closed before the first response", "closed_at", samrad.EINVALID, func(r *samrad.ServiceRequest) {
				r.Status, r.Outcome, r.FirstResponseAt, r.ClosedAt = samrad.RequestDone, "Svart.", received.Add(2*time.Hour), received.Add(time.Hour)
			}},
			{"done without an outcome", "outcome", samrad.EINVALID, func(r *samrad.ServiceRequest) {
				r.Status, r.ClosedAt = samrad.RequestDone, received.Add(time.Hour)
			}},
			{"declined without a closing time", "closed_at", samrad.EINVALID, func(r *samrad.ServiceRequest) { r.Status, r.Outcome = samrad.RequestDeclined, "Nei." }},
			{"open with a closing time", "status", samrad.EINVALID, func(r *samrad.ServiceRequest) { r.ClosedAt = received.Add(time.Hour) }},
			{"another alliance's service", "service", samrad.EINVALID, func(r *samrad.ServiceRequest) { r.ServiceID = f.foreignSvc.ID }},
			{"another alliance's network", "network", samrad.EINVALID, func(r *samrad.ServiceRequest) { r.NetworkID = f.foreignNet }},
			{"no such organisation", "member", samrad.EINVALID, func(r *samrad.ServiceRequest) { r.MemberOrgID = 1 << 40 }},
			{"unknown kind", "kind", samrad.EINVALID, func(r *samrad.ServiceRequest) { r.Kind = "complaint" }},
			{"unknown requester kind", "requester_kind", samrad.EINVALID, func(r *samrad.ServiceRequest) { r.RequesterKind = "" }},
			{"no subject", "subject", samrad.EINVALID, func(r *samrad.ServiceRequest) { r.Subject = " " }},
			{"no time received", "received_at", samrad.EINVALID, func(r *samrad.ServiceRequest) { r.ReceivedAt = time.Time{} }},
		} {
			r := good()
			c.edit(&r)
			err := db.LogRequest(ctx, &r)
			var e *samrad.Error
			if samrad.ErrorCode(err) != c.code || !errors.As(err, &e) || e.Field != c.field {
				t.Errorf("%s: %v, want %s on %s", c.name, err, c.code, c.field)
			}
		}
		sameCounts(t, "refused requests", before, rowCounts(t, db, tables...))

		r := good()
		r.MemberOrgID = f.baerum.ID
		if err := db.LogRequest(ctx, &r); err != nil {
			t.Fatal(err)
		}
		if r.Status != samrad.RequestOpen || r.HandledBy != f.user.ID {
			t.Errorf("logged as %s, handled by %d", r.Status, r.HandledBy)
		}
		// Responding before receipt, closing without an outcome, closing
		// before the first response, and editing into an invalid state are
		// refused and change nothing.
		before = rowCounts(t, db, tables...)
		if err := db.RespondRequest(ctx, f.a.ID, r.ID, received.Add(-time.Second)); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("response before receipt: %v", err)
		}
		if err := db.CloseRequest(ctx, f.a.ID, r.ID, samrad.RequestDone, " ", received.Add(time.Hour)); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("closing without an outcome: %v", err)
		}
		if err := db.CloseRequest(ctx, f.a.ID, r.ID, samrad.RequestInProgress, "x", received.Add(time.Hour)); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("closing as in progress: %v", err)
		}
		if err := db.RespondRequest(ctx, f.other.ID, r.ID, received.Add(time.Hour)); samrad.ErrorCode(err) != samrad.ENOTFOUND {
			t.Errorf("responding to another alliance's request: %v", err)
		}
		bad := r
		bad.ServiceID = f.foreignSvc.ID
		if err := db.UpdateRequest(ctx, &bad); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("editing in another alliance's service: %v", err)
		}
		sameCounts(t, "refused changes", before, rowCounts(t, db, tables...))
		if got, _ := db.Request(ctx, f.a.ID, r.ID); !got.FirstResponseAt.IsZero() || got.Status != samrad.RequestOpen || got.ServiceID != f.svc1.ID {
			t.Errorf("request changed by refused calls: %+v", got)
		}

		// The first response is set once; closing keeps it.
		first := received.Add(90 * time.Minute)
		if err := db.RespondRequest(ctx, f.a.ID, r.ID, first); err != nil {
			t.Fatal(err)
		}
		if err := db.RespondRequest(ctx, f.a.ID, r.ID, first.Add(time.Hour)); samrad.ErrorCode(err) != samrad.ECONFLICT {
			t.Errorf("second first response: %v", err)
		}
		if err := db.CloseRequest(ctx, f.a.ID, r.ID, samrad.RequestDone, "Svar sendt med avtalens vilkår.", first.Add(-time.Minute)); samrad.ErrorCode(err) != samrad.EINVALID {
			t.Errorf("closing before the first response: %v", err)
		}
		closed := first.Add(24 * time.Hour)
		if err := db.CloseRequest(ctx, f.a.ID, r.ID, samrad.RequestDone, "Svar sendt med avtalens vilkår.", closed); err != nil {
			t.Fatal(err)
		}
		if err := db.CloseRequest(ctx, f.a.ID, r.ID, samrad.RequestDeclined, "Nei.", closed); samrad.ErrorCode(err) != samrad.ECONFLICT {
			t.Errorf("closing twice: %v", err)
		}
		got, err := db.Request(ctx, f.a.ID, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.FirstResponseAt.Equal(first) || !got.ClosedAt.Equal(closed) || got.Status != samrad.RequestDone || got.Outcome == "" ||
			got.HandledBy != f.user.ID || got.HandledByName != "Sekretær" || got.MemberOrgID != f.baerum.ID || got.NetworkID != f.net {
			t.Errorf("read back: %+v", got)
		}
		// A request closed without a response was answered when it was closed.
		r2 := good()
		if err := db.LogRequest(ctx, &r2); err != nil {
			t.Fatal(err)
		}
		if err := db.CloseRequest(ctx, f.a.ID, r2.ID, samrad.RequestDeclined, "Ikke vår sak; henvist til kommunen.", received.Add(3*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.Request(ctx, f.a.ID, r2.ID); !got.FirstResponseAt.Equal(received.Add(3 * time.Hour)) {
			t.Errorf("first response of a request closed at once: %v", got.FirstResponseAt)
		}
		// No personal data in the audit log.
		var n int
		if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM audit_log WHERE entity = 'service_request' AND (after_json LIKE '%Leverandør%' OR after_json LIKE '%avtalen%')`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("%d audit entries hold the requester or the texts", n)
		}
	})
}

// TestRequestStatsExact checks the counts and response times on a known
// set: medians and 90th percentiles interpolated between ranks, the same on
// both engines.
func TestRequestStatsExact(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		f := newRequestFixture(t, db)
		base := time.Date(2018, 1, 8, 8, 0, 0, 0, time.UTC)
		log := func(kind samrad.RequestKind, service int64, day int, response time.Duration, closed bool) {
			t.Helper()
			r := samrad.ServiceRequest{AllianceID: f.a.ID, Kind: kind, ServiceID: service, RequesterKind: samrad.RequesterMember,
				Subject: "Sak", ReceivedAt: base.AddDate(0, 0, day)}
			if err := db.LogRequest(f.ctx, &r); err != nil {
				t.Fatal(err)
			}
			if response > 0 {
				if err := db.RespondRequest(f.ctx, f.a.ID, r.ID, r.ReceivedAt.Add(response)); err != nil {
					t.Fatal(err)
				}
			}
			if closed {
				if err := db.CloseRequest(f.ctx, f.a.ID, r.ID, samrad.RequestDone, "Ferdig.", r.ReceivedAt.Add(response+time.Hour)); err != nil {
					t.Fatal(err)
				}
			}
		}
		// Requests about the study visits: 1, 2, 3, 4 and 10 hours; three closed.
		for i, h := range []int{1, 2, 3, 4, 10} {
			log(samrad.RequestKindRequest, f.svc2.ID, i, time.Duration(h)*time.Hour, i < 3)
		}
		// Enquiries about BPA: 30 and 90 minutes, and one not answered yet.
		log(samrad.RequestKindEnquiry, f.svc1.ID, 5, 30*time.Minute, false)
		log(samrad.RequestKindEnquiry, f.svc1.ID, 6, 90*time.Minute, true)
		log(samrad.RequestKindEnquiry, f.svc1.ID, 7, 0, false)
		// A request about no service, and one in another alliance.
		log(samrad.RequestKindRequest, 0, 8, 0, false)
		if err := db.LogRequest(f.ctx, &samrad.ServiceRequest{AllianceID: f.other.ID, Kind: samrad.RequestKindRequest, RequesterKind: samrad.RequesterMember,
			Subject: "Annen allianse", ReceivedAt: base, FirstResponseAt: base.Add(1000 * time.Hour)}); err != nil {
			t.Fatal(err)
		}

		st, err := db.RequestStats(context.Background(), f.a.ID, samrad.RequestFilter{})
		if err != nil {
			t.Fatal(err)
		}
		m := func(h, min int) time.Duration { return time.Duration(h)*time.Hour + time.Duration(min)*time.Minute }
		want := samrad.ResponseStats{Count: 9, Open: 5, Responded: 7, Median: m(2, 0), P90: m(6, 24)}
		if st.All != want {
			t.Errorf("all: %+v, want %+v", st.All, want)
		}
		wantKinds := []samrad.KindStats{
			{Kind: samrad.RequestKindRequest, ResponseStats: samrad.ResponseStats{Count: 6, Open: 3, Responded: 5, Median: m(3, 0), P90: m(7, 36)}},
			{Kind: samrad.RequestKindEnquiry, ResponseStats: samrad.ResponseStats{Count: 3, Open: 2, Responded: 2, Median: m(1, 0), P90: m(1, 24)}},
		}
		if len(st.ByKind) != 2 || st.ByKind[0] != wantKinds[0] || st.ByKind[1] != wantKinds[1] {
			t.Errorf("by kind: %+v, want %+v", st.ByKind, wantKinds)
		}
		wantServices := map[int64]samrad.ResponseStats{
			f.svc2.ID: {Count: 5, Open: 2, Responded: 5, Median: m(3, 0), P90: m(7, 36)},
			f.svc1.ID: {Count: 3, Open: 2, Responded: 2, Median: m(1, 0), P90: m(1, 24)},
			0:         {Count: 1, Open: 1},
		}
		if len(st.ByService) != 3 {
			t.Fatalf("by service: %+v", st.ByService)
		}
		for _, s := range st.ByService {
			if s.ResponseStats != wantServices[s.ServiceID] {
				t.Errorf("service %d: %+v, want %+v", s.ServiceID, s.ResponseStats, wantServices[s.ServiceID])
			}
		}
		// The statistics follow the filter.
		st, err = db.RequestStats(context.Background(), f.a.ID, samrad.RequestFilter{Kind: samrad.RequestKindEnquiry, Status: samrad.RequestInProgress})
		if err != nil {
			t.Fatal(err)
		}
		if want := (samrad.ResponseStats{Count: 1, Responded: 1, Open: 1, Median: 30 * time.Minute, P90: 30 * time.Minute}); st.All != want {
			t.Errorf("enquiries in progress: %+v, want %+v", st.All, want)
		}
	})
}

func TestRequestFilters(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		f := newRequestFixture(t, db)
		oslo := samrad.Oslo()
		entries := []samrad.ServiceRequest{
			// 23:30 on 1 March in Norway is 22:30 UTC, still 1 March.
			{Kind: samrad.RequestKindRequest, ServiceID: f.svc2.ID, MemberOrgID: f.baerum.ID, Subject: "Studiebesøk i Brussel",
				ReceivedAt: time.Date(2024, 3, 1, 23, 30, 0, 0, oslo)},
			{Kind: samrad.RequestKindRequest, ServiceID: f.svc2.ID, MemberOrgID: f.asker.ID, Subject: "Studiebesøk i Lyon",
				ReceivedAt: time.Date(2024, 3, 2, 0, 30, 0, 0, oslo)},
			{Kind: samrad.RequestKindEnquiry, ServiceID: f.svc1.ID, NetworkID: f.net, RequesterKind: samrad.RequesterMedia, Subject: "Journalist spør om BPA",
				ReceivedAt: time.Date(2024, 3, 3, 12, 0, 0, 0, oslo)},
			{Kind: samrad.RequestKindEnquiry, ServiceID: f.svc1.ID, RequesterKind: samrad.RequesterUser, Subject: "Bruker spør om timer",
				ReceivedAt: time.Date(2024, 3, 4, 12, 0, 0, 0, oslo), Status: samrad.RequestDeclined, Outcome: "Henvist til kommunen.",
				ClosedAt: time.Date(2024, 3, 4, 13, 0, 0, 0, oslo)},
		}
		subjects := map[int64]string{}
		for i := range entries {
			r := &entries[i]
			r.AllianceID = f.a.ID
			if r.RequesterKind == "" {
				r.RequesterKind = samrad.RequesterMember
			}
			if err := db.LogRequest(f.ctx, r); err != nil {
				t.Fatal(err)
			}
			subjects[r.ID] = r.Subject
		}
		for _, c := range []struct {
			name   string
			filter samrad.RequestFilter
			want   []string // newest first
		}{
			{"all", samrad.RequestFilter{}, []string{"Bruker spør om timer", "Journalist spør om BPA", "Studiebesøk i Lyon", "Studiebesøk i Brussel"}},
			{"requests", samrad.RequestFilter{Kind: samrad.RequestKindRequest}, []string{"Studiebesøk i Lyon", "Studiebesøk i Brussel"}},
			{"declined", samrad.RequestFilter{Status: samrad.RequestDeclined}, []string{"Bruker spør om timer"}},
			{"open enquiries", samrad.RequestFilter{Kind: samrad.RequestKindEnquiry, Status: samrad.RequestOpen}, []string{"Journalist spør om BPA"}},
			{"about the study visits", samrad.RequestFilter{ServiceID: f.svc2.ID}, []string{"Studiebesøk i Lyon", "Studiebesøk i Brussel"}},
			{"from Asker", samrad.RequestFilter{MemberOrgID: f.asker.ID}, []string{"Studiebesøk i Lyon"}},
			// Days are Norwegian days: 23:30 on 1 March is 1 March.
			{"on 1 March", samrad.RequestFilter{From: samrad.MustDate("2024-03-01"), To: samrad.MustDate("2024-03-01")}, []string{"Studiebesøk i Brussel"}},
			{"from 2 March", samrad.RequestFilter{From: samrad.MustDate("2024-03-02")}, []string{"Bruker spør om timer", "Journalist spør om BPA", "Studiebesøk i Lyon"}},
			{"to 3 March", samrad.RequestFilter{To: samrad.MustDate("2024-03-03")}, []string{"Journalist spør om BPA", "Studiebesøk i Lyon", "Studiebesøk i Brussel"}},
			{"none", samrad.RequestFilter{Kind: samrad.RequestKindEnquiry, ServiceID: f.svc2.ID}, nil},
		} {
			got, err := db.Requests(context.Background(), f.a.ID, c.filter)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, r := range got {
				names = append(names, subjects[r.ID])
			}
			if len(names) != len(c.want) {
				t.Errorf("%s: %q, want %q", c.name, names, c.want)
				continue
			}
			for i := range names {
				if names[i] != c.want[i] {
					t.Errorf("%s: %q, want %q", c.name, names, c.want)
					break
				}
			}
		}
		if got, _ := db.Requests(context.Background(), f.other.ID, samrad.RequestFilter{}); len(got) != 0 {
			t.Errorf("another alliance sees %d requests", len(got))
		}
	})
}
