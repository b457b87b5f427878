package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/store"
)

// TenYears is the size of the synthetic load-test data set.
type TenYears struct {
	Bodies, Years, MeetingsPerYear, CasesPerMeeting, Documents int
}

// DefaultTenYears is ten years of an active alliance: 6 bodies × 10
// meetings a year × 15 cases, and 20,000 documents.
var DefaultTenYears = TenYears{Bodies: 6, Years: 10, MeetingsPerYear: 10, CasesPerMeeting: 15, Documents: 20000}

// LoadTenYears creates a synthetic alliance "lasttest" for benchmarks and
// load tests. Its content is made up and says so; it is never part of the
// demo.
func LoadTenYears(ctx context.Context, db *store.DB, size TenYears) (samrad.Alliance, error) {
	a := samrad.Alliance{Slug: "lasttest", NameNB: "Lasttest (syntetiske data)", NameEN: "Load test (synthetic data)",
		Kind: samrad.AllianceAssociation, FoundedPrecision: samrad.PrecisionUnknown,
		DescriptionNB: "Oppdiktede data for ytelsesmålinger.", DescriptionEN: "Made-up data for performance measurements."}
	if err := db.CreateAlliance(ctx, &a); err != nil {
		return a, err
	}
	reg, err := db.Registry(ctx)
	if err != nil {
		return a, err
	}
	first := 2015
	var rows []store.ImportRow
	for i, o := range reg.ValidOn(samrad.Jan1(first), samrad.KindMunicipality)[:20] {
		rows = append(rows, store.ImportRow{Line: i + 1, Code: o.Code, Kind: o.Kind, Membership: samrad.Membership{
			From: samrad.Jan1(first), FromPrecision: samrad.PrecisionDay, Category: string(o.Kind), Status: samrad.StatusConfirmed}})
	}
	if _, err := db.ImportMemberships(ctx, a.ID, "lasttest", rows, false); err != nil {
		return a, err
	}
	docs := 0
	for bi := 0; bi < size.Bodies; bi++ {
		b := samrad.Body{AllianceID: a.ID, Slug: fmt.Sprintf("organ-%d", bi+1), NameNB: fmt.Sprintf("Organ %d", bi+1), Kind: samrad.BodyBoard, Voting: samrad.VoteOnePerMember}
		if err := db.CreateBody(ctx, &b); err != nil {
			return a, err
		}
		for y := 0; y < size.Years; y++ {
			for mi := 0; mi < size.MeetingsPerYear; mi++ {
				m := samrad.Meeting{BodyID: b.ID, Number: mi + 1, Year: first + y,
					Start: time.Date(first+y, time.Month(1+mi), 10+bi, 9, 0, 0, 0, time.UTC), Place: "Møterom", Status: samrad.MeetingPlanned}
				if err := db.CreateMeeting(ctx, &m); err != nil {
					return a, err
				}
				for ci := 0; ci < size.CasesPerMeeting; ci++ {
					c := samrad.Case{AllianceID: a.ID, Year: first + y, Title: fmt.Sprintf("Sak om tema %d for %s", ci+1, b.NameNB),
						Type: samrad.CaseDecision, Presentation: "Syntetisk saksframstilling.", ProposedDecision: "Tas til orientering."}
					if err := db.CreateCase(ctx, &c); err != nil {
						return a, err
					}
					if err := db.AddAgendaItem(ctx, m.ID, c.ID, ci+1); err != nil {
						return a, err
					}
				}
				meetings := size.Bodies * size.Years * size.MeetingsPerYear
				per := (size.Documents + meetings - 1) / meetings
				for di := 0; di < per && docs < size.Documents; di++ {
					d := samrad.Document{AllianceID: a.ID, MeetingID: m.ID, Title: fmt.Sprintf("Vedlegg %d", di+1), Filename: fmt.Sprintf("vedlegg-%d.pdf", di+1)}
					if err := db.AddDocument(ctx, &d, []byte(fmt.Sprintf("%%PDF-1.4\n%d\n", docs))); err != nil {
						return a, err
					}
					docs++
				}
				for _, st := range []samrad.MeetingStatus{samrad.MeetingNoticeSent, samrad.MeetingHeld, samrad.MeetingMinutesApproved, samrad.MeetingPublished} {
					if err := db.SetMeetingStatus(ctx, m.ID, st); err != nil {
						return a, err
					}
				}
			}
		}
	}
	return a, nil
}
