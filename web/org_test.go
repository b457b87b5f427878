package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/demo"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/store"
	"github.com/samrad/samrad/web"
)

// involve gives Bærum (3024) n items of each kind in the alliance, named
// with tag so that a page can be searched for them: a network it
// coordinates, a project it owns, an application it made, a framework
// agreement it joined and a programme year it hosted.
func involve(tb testing.TB, ctx context.Context, db *store.DB, alliance samrad.Alliance, tag string, n int) {
	tb.Helper()
	reg, err := db.Registry(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	baerum, ok := reg.AtDate("3024", samrad.MustDate("2021-01-01"))
	if !ok {
		tb.Fatal("registry lacks Bærum")
	}
	lower := strings.ToLower(tag)
	prog := samrad.FundingProgramme{AllianceID: alliance.ID, Slug: "prog-" + lower, NameNB: "Program " + tag, Kind: samrad.FundingEU}
	if err := db.CreateFundingProgramme(ctx, &prog); err != nil {
		tb.Fatal(err)
	}
	rec := samrad.RecurringProgramme{AllianceID: alliance.ID, Slug: "rec-" + lower, Kind: samrad.RecurringExhibition, NameNB: "Utstilling " + tag, Published: true}
	if err := db.CreateRecurring(ctx, &rec); err != nil {
		tb.Fatal(err)
	}
	for i := range n {
		name := fmt.Sprintf("%s %d", tag, i)
		slug := fmt.Sprintf("%s-%d", lower, i)
		net := samrad.Network{AllianceID: alliance.ID, Slug: slug, Kind: samrad.NetworkInternal, NameNB: "Nettverk " + name, Openness: samrad.OpenToAll, Published: true}
		if err := db.CreateNetwork(ctx, &net); err != nil {
			tb.Fatal(err)
		}
		if err := db.AddParticipant(ctx, alliance.ID, &samrad.NetworkParticipant{NetworkID: net.ID, Org: baerum, Role: samrad.ParticipantCoordination}); err != nil {
			tb.Fatal(err)
		}
		p := samrad.Project{AllianceID: alliance.ID, Slug: slug, NameNB: "Prosjekt " + name, OwnerOrgID: baerum.ID, Status: samrad.ProjectRunning, Published: true}
		if err := db.CreateProject(ctx, &p); err != nil {
			tb.Fatal(err)
		}
		app := samrad.Application{AllianceID: alliance.ID, ProgrammeID: prog.ID, ApplicantOrgID: baerum.ID, Title: "Søknad " + name, Status: samrad.ApplicationSubmitted}
		if err := db.CreateApplication(ctx, &app); err != nil {
			tb.Fatal(err)
		}
		agr := samrad.Agreement{AllianceID: alliance.ID, Slug: slug, Kind: samrad.AgreementFramework, TitleNB: "Avtale " + name, Published: true}
		if err := db.CreateAgreement(ctx, &agr); err != nil {
			tb.Fatal(err)
		}
		if err := db.AddParty(ctx, alliance.ID, agr.ID, &samrad.AgreementParty{Org: baerum, Role: samrad.PartyJoined}); err != nil {
			tb.Fatal(err)
		}
		if err := db.SaveRecurringYear(ctx, alliance.ID, &samrad.RecurringYear{ProgrammeID: rec.ID, Year: 2000 + i, Host: baerum}); err != nil {
			tb.Fatal(err)
		}
	}
}

// TestMemberPageShowsInvolvementAcrossAlliances gives Bærum a part in
// networks, projects, applications, agreements and a programme in two
// alliances and reads its page: everything public is there with a link to
// its page in the right alliance and language; applications only for
// people with a role in the alliance that holds them.
func TestMemberPageShowsInvolvementAcrossAlliances(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ts := httptest.NewServer(demoServer(t, db))
		defer ts.Close()
		ore, _ := db.AllianceBySlug(ctx, "ore")
		vr, _ := db.AllianceBySlug(ctx, "vestregionen")
		involve(t, ctx, db, ore, "Oslo", 1)
		involve(t, ctx, db, vr, "Vest", 1)
		if _, err := db.CreateUser(ctx, "leser@example.no", "L", "et langt passord her", vr.ID, samrad.RoleReader, fastHash); err != nil {
			t.Fatal(err)
		}

		anon := newBrowser(t, ts.URL)
		code, body := anon.get("/organisasjoner/3024")
		if code != http.StatusOK {
			t.Fatalf("member page: %d", code)
		}
		for _, want := range []string{
			`href="/allianser/ore/nettverk/oslo-0"`, "Nettverk Oslo 0",
			`href="/allianser/vestregionen/nettverk/vest-0"`, "Nettverk Vest 0",
			`href="/allianser/ore/prosjekter/oslo-0"`, "Prosjekt Oslo 0",
			`href="/allianser/vestregionen/avtaler/vest-0"`, "Avtale Vest 0",
			`href="/allianser/vestregionen/programmer/rec-vest"`, "Utstilling Vest", "2000",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("member page lacks %q", want)
			}
		}
		if strings.Contains(body, "Søknad Oslo 0") || strings.Contains(body, "Søknad Vest 0") {
			t.Error("an anonymous visitor sees funding applications")
		}
		// Jevnaker joined the BPA agreement as 0532; today's Jevnaker
		// (3236, after two renumberings) shows it with the code it had.
		_, jevnaker := anon.get("/organisasjoner/3236")
		if !strings.Contains(jevnaker, "brukerstyrt personlig assistanse") || !strings.Contains(jevnaker, "(som 0532 Jevnaker") {
			t.Error("Jevnaker's page today lacks the agreement it joined under its old code")
		}
		_, en := anon.get("/en/organisations/3024")
		if !strings.Contains(en, `href="/en/alliances/ore/projects/oslo-0"`) {
			t.Error("the English page does not link to the English project page")
		}

		reader := newBrowser(t, ts.URL)
		if resp := reader.login("leser@example.no", "et langt passord her"); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("login: %d", resp.StatusCode)
		}
		_, body = reader.get("/organisasjoner/3024")
		if !strings.Contains(body, "Søknad Vest 0") {
			t.Error("a reader in Vestregionen does not see its applications")
		}
		if strings.Contains(body, "Søknad Oslo 0") {
			t.Error("a reader in Vestregionen sees ORE's applications")
		}
	})
}

// BenchmarkMemberPage serves Bærum's page with 40 items of each kind in
// each of three alliances (600 involvements) on SQLite, anonymously and as
// the secretariat (no page cache), and reports the median and the 99th
// percentile of the server's time per request.
func BenchmarkMemberPage(b *testing.B) {
	ctx := context.Background()
	db := testdb.Open(b, "sqlite")
	if err := demo.Load(ctx, db); err != nil {
		b.Fatal(err)
	}
	var vr samrad.Alliance
	for _, slug := range []string{"ore", "osloregionen", "vestregionen"} {
		a, err := db.AllianceBySlug(ctx, slug)
		if err != nil {
			b.Fatal(err)
		}
		involve(b, ctx, db, a, "Last"+slug, 40)
		vr = a
	}
	u, err := db.CreateUser(ctx, "s@example.no", "S", "et langt passord her", vr.ID, samrad.RoleSecretariat, fastHash)
	if err != nil {
		b.Fatal(err)
	}
	token, _, err := db.CreateSession(ctx, u.ID)
	if err != nil {
		b.Fatal(err)
	}
	srv, err := web.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()
	for _, c := range []struct {
		name        string
		secretariat bool
	}{{"anonymous", false}, {"secretariat", true}} {
		b.Run(c.name, func(b *testing.B) {
			var times []time.Duration
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, "/organisasjoner/3024", nil)
				if c.secretariat {
					req.AddCookie(&http.Cookie{Name: "samrad_session", Value: token})
				}
				w := httptest.NewRecorder()
				start := time.Now()
				h.ServeHTTP(w, req)
				times = append(times, time.Since(start))
				if w.Code != http.StatusOK {
					b.Fatalf("%d", w.Code)
				}
			}
			sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}
