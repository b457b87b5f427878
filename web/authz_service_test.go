package web_test

import (
	"context"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

// The services and agreements area: the request log and the forms that
// create or edit are the secretariat's; the catalogue, the agreements and
// their documents are public.
func init() {
	authzAreas = append(authzAreas, func(t *testing.T, ctx context.Context, db *store.DB) authzArea {
		ore, err := db.AllianceBySlug(ctx, "ore")
		if err != nil {
			t.Fatal(err)
		}
		svcs, err := db.Services(ctx, ore.ID, true)
		if err != nil || len(svcs) == 0 {
			t.Fatalf("ORE has no services: %v", err)
		}
		req := samrad.ServiceRequest{AllianceID: ore.ID, Kind: samrad.RequestKindRequest, ServiceID: svcs[0].ID,
			RequesterKind: samrad.RequesterMember, Subject: "Tilgangstest", ReceivedAt: time.Now().Add(-time.Hour)}
		if err := db.LogRequest(ctx, &req); err != nil {
			t.Fatal(err)
		}
		reg, err := db.Registry(ctx)
		if err != nil {
			t.Fatal(err)
		}
		oslomet := reg.ByCode("oslomet")
		if len(oslomet) != 1 {
			t.Fatal("no OsloMet in the registry")
		}
		g := samrad.Agreement{AllianceID: ore.ID, Slug: "tilgangstest", Kind: samrad.AgreementCooperation, TitleNB: "Tilgangstest",
			Published: true, Parties: []samrad.AgreementParty{{Org: oslomet[0], Role: samrad.PartyParty}}}
		if err := db.CreateAgreement(ctx, &g); err != nil {
			t.Fatal(err)
		}
		doc := samrad.AgreementDocument{AgreementID: g.ID, Title: "Avtaletekst", Filename: "avtale.pdf"}
		if err := db.AddAgreementDocument(ctx, ore.ID, &doc, []byte("%PDF-1.4\navtale\n")); err != nil {
			t.Fatal(err)
		}
		sid, rid := itoa(svcs[0].ID), itoa(req.ID)
		agr := func(extra ...string) map[string]string {
			m := map[string]string{"{agreement}": g.Slug}
			if len(extra) == 2 {
				m[extra[0]] = extra[1]
			}
			return m
		}
		return authzArea{
			special: map[string]map[string]string{
				"svc_edit":         {"{id}": sid},
				"svc_move":         {"{id}": sid},
				"svc_request":      {"{id}": rid},
				"svc_req_save":     {"{id}": rid},
				"svc_req_respond":  {"{id}": rid},
				"svc_req_close":    {"{id}": rid},
				"agr_page":         agr(),
				"agr_edit":         agr(),
				"agr_party":        agr(),
				"agr_party_remove": agr("{id}", itoa(oslomet[0].ID)),
				"agr_signatory":    agr(),
				"agr_doc_add":      agr(),
				"agr_doc":          agr("{id}", itoa(doc.ID)),
			},
			staffPages: map[string]bool{"svc_requests": true, "svc_requests_csv": true, "svc_request": true, "agr_new": true, "agr_edit": true},
		}
	})
}
