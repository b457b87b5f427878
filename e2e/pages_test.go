package e2e

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/auth"
	"github.com/samrad/samrad/demo"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/store"
	"github.com/samrad/samrad/web"
)

// TestPagesAccessible opens the demo's pages in headless Chromium and runs
// axe-core (WCAG 2.1 A and AA rules): every page must have zero violations.
func TestPagesAccessible(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	db := testdb.Open(t, "sqlite")
	if err := demo.Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	b, err := Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ore, _ := db.AllianceBySlug(ctx, "ore")
	openEvent(t, ctx, db, ore)
	cg, _ := db.BodyBySlug(ctx, ore.ID, "kontaktgruppen")
	meetings, _ := db.Meetings(ctx, cg.ID)
	if len(meetings) == 0 {
		t.Fatal("the demo has no meeting of the contact group")
	}
	articles, _ := db.AllArticles(ctx, ore.ID)
	contacts, _, _ := db.Contacts(ctx, ore.ID)
	if len(articles) == 0 || len(contacts) == 0 {
		t.Fatal("the demo has no article or no contact")
	}
	viken, _ := db.AllianceBySlug(ctx, "viken-nettverk")
	programmes, _ := db.FundingProgrammes(ctx, viken.ID)
	if len(programmes) == 0 {
		t.Fatal("the demo has no funding programme in Viken's network")
	}
	for _, path := range []string{
		"/allianser/viken-nettverk/finansiering",
		"/en/alliances/viken-nettverk/funding/" + programmes[0].Slug,
		"/allianser/ore",
		"/en/alliances/osloregionen",
		"/allianser/ore/om",
		"/en/alliances/osloregionen/about",
		"/allianser/vestregionen/dokumenter",
		"/en/alliances/ore/contact",
		"/allianser/osloregionen/saker/2016/48",
		"/allianser/ore/nyheter",
		fmt.Sprintf("/allianser/ore/nyheter/%d-%s", articles[0].ID, articles[0].Slug),
		fmt.Sprintf("/en/alliances/ore/news/%d-%s", articles[0].ID, articles[0].Slug),
		fmt.Sprintf("/allianser/ore/kontakter/%d/e-post", contacts[0].ID),
		fmt.Sprintf("/allianser/ore/moter/%d", meetings[0].ID),
		fmt.Sprintf("/allianser/ore/moter/%d/innkalling", meetings[0].ID),
		"/allianser/ore/organer/kontaktgruppen",
		"/allianser/osloregionen/handlingsprogram/2017",
		"/en/alliances/osloregionen/action-programme/2017",
		"/allianser/osloregionen/budsjett/2017",
		"/allianser/osloregionen/arshjul",
		"/allianser/ore/medlemsmal",
		"/en/alliances/osloregionen/action-programme/2017/status-report",
		"/en/alliances/osloregionen/budget/2019",
		"/allianser/ore/moter",
		"/allianser/ore/medlemmer?dato=2021-01-01",
		"/en/alliances/ore/members?date=2024-06-01&pending=1",
		"/",
		"/en/",
		"/allianser/osloregionen",
		"/allianser/osloregionen/kontingent?ar=2019",
		"/allianser/osloregionen/kontingent?ar=2021",
		"/organisasjoner/3025",
		"/organisasjoner?dato=2024-01-01&type=county",
		"/finnes/ikke",
		"/logg-inn",
		"/tilgjengelighet",
		"/en/accessibility",
		"/allianser/vestregionen",
		"/allianser/ore/organer/styret",
		"/en/alliances/osloregionen/bodies/politisk-ad-hoc-gruppe",
		"/allianser/vestregionen/saker",
		"/allianser/vestregionen/saker/2017/24",
		"/sok",
		"/sok?q=kommunene",
		"/en/search?q=kommunene&kind=project",
		"/allianser/ore/sok?q=kontaktgruppen",
		"/en/alliances/ore/search?q=og",
		"/en/login",
		"/allianser/ore/nyhetsbrev",
		"/en/alliances/osloregionen/newsletter",
		"/allianser/ore/arrangementer",
		"/allianser/ore/arrangementer/kontaktgruppesamling-baerum-2020",
		"/en/alliances/viken-nettverk/events/oppstart-drammen",
		"/allianser/ore/arrangementer/apent-seminar",
		"/allianser/ore/arrangementer/apent-seminar/pamelding",
		"/en/alliances/ore/events/apent-seminar/registration",
		"/organisasjoner/3024",
		"/allianser/vestregionen/nettverk",
		"/allianser/vestregionen/nettverk/transport-2-0",
		"/en/alliances/viken-nettverk/networks/internasjonalt-kommunenettverk",
		"/allianser/ore/nettverk/errin",
		"/allianser/vestregionen/programmer",
		"/allianser/vestregionen/programmer/vestregionens-ungdomssymfonikere",
		"/en/alliances/vestregionen/programmes/kunst-rett-vest",
		"/allianser/ore/tjenester",
		"/en/alliances/vestregionen/services",
		"/allianser/vestregionen/prosjekter",
		"/en/alliances/vestregionen/projects/komut",
		"/allianser/vestregionen/nettverk/transport-2-0/prosjekter",
		"/allianser/vestregionen/avtaler",
		"/allianser/vestregionen/avtaler/hogskolen-i-sorost-norge",
		"/en/alliances/vestregionen/agreements/bpa-rammeavtale-2016-2018",
		"/allianser/vestregionen/styringsdata",
		"/en/alliances/vestregionen/indicators",
		"/allianser/vestregionen/medlemmer/3201/styringsdata",
		"/allianser/vestregionen/styringsdata/befolkningsvekst?medlem=3201",
		"/en/alliances/ore/indicators/folkemengde?period=2019",
	} {
		v, err := b.Axe(ctx, ts.URL+path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if len(v) > 0 {
			t.Errorf("%s: %d accessibility violations:\n%s", path, len(v), FormatViolations(v))
		}
	}
}

// secretariatServer serves the demo to a browser that is logged in as the
// secretariat of ORE: the server adds a live session cookie to every
// request.
func secretariatServer(t *testing.T, ctx context.Context) (*httptest.Server, *store.DB) {
	t.Helper()
	db := testdb.Open(t, "sqlite")
	if err := demo.Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	ore, _ := db.AllianceBySlug(ctx, "ore")
	u, err := db.CreateUser(ctx, "s@example.no", "S", "et langt passord her", ore.ID, samrad.RoleSecretariat, auth.Params{Memory: 1024, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16})
	if err != nil {
		t.Fatal(err)
	}
	token, _, err := db.CreateSession(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	h := srv.Handler()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.AddCookie(&http.Cookie{Name: "samrad_session", Value: token})
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	return ts, db
}

// TestEditingPagesAccessible checks the secretariat's forms.
func TestEditingPagesAccessible(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	ts, db := secretariatServer(t, ctx)
	ore, _ := db.AllianceBySlug(ctx, "ore")
	c := samrad.Case{AllianceID: ore.ID, Year: 2020, Title: "Innspill til handlingsplanen", Type: samrad.CaseDiscussion}
	if err := db.CreateCase(ctx, &c); err != nil {
		t.Fatal(err)
	}
	issuePath, prefsPath := newsletterPages(t, ctx, db, ore)
	applicationPath := fundingApplication(t, ctx, db, ore)
	b, err := Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	cg, _ := db.BodyBySlug(ctx, ore.ID, "kontaktgruppen")
	meetings, _ := db.Meetings(ctx, cg.ID)
	articles, _ := db.AllArticles(ctx, ore.ID)
	articlePath := fmt.Sprintf("/allianser/ore/nyheter/%d-%s", articles[0].ID, articles[0].Slug)
	for _, path := range []string{"/allianser/ore", "/allianser/ore/organer/styret", "/en/alliances/ore/members?date=2024-06-01&pending=1",
		fmt.Sprintf("/allianser/ore/moter/%d", meetings[0].ID), fmt.Sprintf("/allianser/ore/saker/2020/%d", c.Number),
		"/allianser/ore/budsjett/2021", "/allianser/ore/arsrapport/2021", "/en/alliances/ore/member-goals", "/allianser/ore/arshjul",
		"/allianser/ore/innspill/2021", "/allianser/ore/nyhetsbrev/redaksjon", issuePath, prefsPath, "/allianser/ore/nyheter", articlePath,
		"/allianser/ore/arrangementer/nytt", "/allianser/ore/arrangementer/kontaktgruppesamling-baerum-2020/endre",
		"/allianser/ore/arrangementer/kontaktgruppesamling-baerum-2020/deltakere", "/en/alliances/ore/events/kontaktgruppesamling-baerum-2020/check-in",
		"/allianser/ore/nettverk/nytt", "/allianser/ore/nettverk/errin", "/en/alliances/ore/networks/errin/edit", "/allianser/ore/programmer/nytt",
		"/allianser/ore/tjenester", "/allianser/ore/tjenester/henvendelser", "/allianser/ore/avtaler/ny",
		"/allianser/ore/finansiering", "/allianser/ore/soknader", "/allianser/ore/prosjekter/ny", applicationPath, "/en/alliances/ore/deadlines",
		"/allianser/ore/styringsdata/ny", "/en/alliances/ore/indicators/new", "/allianser/ore/styringsdata/andel-65-og-eldre",
		"/allianser/ore/styringsdata/andel-0-19/endre", "/allianser/ore/styringsdata/folkemengde/kjoringer"} {
		v, err := b.Axe(ctx, ts.URL+path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if len(v) > 0 {
			t.Errorf("%s (logged in): %d violations:\n%s", path, len(v), FormatViolations(v))
		}
	}
}

// TestFormsEnhancedWithHtmx submits a form in the browser with htmx
// loaded: a rejected form comes back with its message next to the field
// and a saved one shows the new state, both without a full page load (a
// marker set on the window survives), and nothing typed is lost.
func TestFormsEnhancedWithHtmx(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ts, db := secretariatServer(t, ctx)
	b, err := Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	p, err := b.Open(ctx, ts.URL+"/allianser/ore/organer/styret")
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	var loaded bool
	if err := p.Eval(`typeof htmx === "object"`, &loaded); err != nil || !loaded {
		t.Fatalf("htmx is not loaded: %v", err)
	}
	// A seat without a person: the message appears next to the field.
	submit := `(async () => {
	  window.samradMarker = 42;
	  const f = document.querySelector('form[action$="/seter"]');
	  f.querySelector('[name=new_title]').value = %q;
	  f.querySelector('[name=new_person]').value = %q;
	  f.querySelector('[name=role]').value = 'member'; // the board has its chair
	  const done = new Promise(r => document.body.addEventListener('htmx:afterSettle', r, {once: true}));
	  f.requestSubmit();
	  await done;
	  return {marker: window.samradMarker || 0, error: (document.querySelector('#seat-person-error, [id$="person-error"]') || {}).textContent || "",
	    title: (document.querySelector('form[action$="/seter"] [name=new_title]') || {}).value || "", url: location.pathname};
	})()`
	var got struct {
		Marker int
		Error  string
		Title  string
		URL    string
	}
	if err := p.Eval(fmt.Sprintf(submit, "varaordfører", ""), &got); err != nil {
		t.Fatal(err)
	}
	if got.Marker != 42 || got.Error == "" || got.Title != "varaordfører" {
		t.Errorf("rejected form through htmx: %+v; want the marker kept, an error next to the field and the typed title kept", got)
	}
	if err := p.Eval(fmt.Sprintf(submit, "rådgiver", "Ola Nordmann"), &got); err != nil {
		t.Fatal(err)
	}
	if got.Marker != 42 || got.URL != "/allianser/ore/organer/styret" {
		t.Errorf("saved form through htmx: %+v", got)
	}
	var shown bool
	if err := p.Eval(`document.body.textContent.includes("Ola Nordmann")`, &shown); err != nil || !shown {
		t.Errorf("the new seat is not on the page: %v", err)
	}
	ore, _ := db.AllianceBySlug(ctx, "ore")
	board, _ := db.BodyBySlug(ctx, ore.ID, "styret")
	seats, _ := db.Seats(ctx, board.ID)
	found := false
	for _, s := range seats {
		found = found || s.Person.Name == "Ola Nordmann"
	}
	if !found {
		t.Error("the seat was not stored")
	}
}

// newsletterPages makes a confirmed subscriber and a draft issue of ORE's
// newsletter, and returns the issue's page and the subscriber's
// preferences page (as the link in an e-mail opens it).
func newsletterPages(t *testing.T, ctx context.Context, db *store.DB, ore samrad.Alliance) (string, string) {
	t.Helper()
	lists, err := db.Lists(ctx, ore.ID)
	if err != nil || len(lists) == 0 {
		t.Fatalf("the demo has no newsletter for ORE: %v", err)
	}
	sub := samrad.Subscriber{AllianceID: ore.ID, Email: "kari@example.no", Lists: []int64{lists[0].ID}, Consent: "samtykke"}
	if err := db.Subscribe(ctx, &sub, func(s samrad.Subscriber) (store.OutboxMessage, error) {
		return store.OutboxMessage{Kind: "newsletter_confirm", From: "post@example.no", To: s.Email, Data: []byte("Subject: x\r\n\r\nx\r\n")}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.ConfirmSubscriber(ctx, ore.ID, sub.ID); err != nil {
		t.Fatal(err)
	}
	issue := samrad.NewsletterIssue{AllianceID: ore.ID, ListID: lists[0].ID, Subject: "Nytt fra Brussel", Intro: "Hei!\n\nHer er nytt fra kontoret."}
	if err := db.SaveIssue(ctx, &issue); err != nil {
		t.Fatal(err)
	}
	secret, err := db.Secret(ctx, "newsletter")
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("/allianser/ore/nyhetsbrev/utgaver/%d", issue.ID),
		web.Path("nb", "nl_prefs", "ore", auth.Sign(secret, "newsletter-manage", sub.ID, time.Time{}))
}

// openEvent makes an event a month ahead that takes registrations with
// every optional field, so that the whole form is checked.
func openEvent(t *testing.T, ctx context.Context, db *store.DB, a samrad.Alliance) {
	t.Helper()
	start := time.Now().AddDate(0, 1, 0)
	day := samrad.NewDate(start.Year(), start.Month(), start.Day())
	e := samrad.Event{AllianceID: a.ID, Slug: "apent-seminar", TitleNB: "Seminar om EU-programmer", TitleEN: "Seminar on EU programmes",
		Venue: "Kunnskapssenteret i Sandvika", Published: true, Days: []samrad.EventDay{{Date: day}},
		Registration: samrad.RegistrationSettings{Open: true, Capacity: 50, WaitingList: true, Fields: samrad.AskableFields,
			ConsentNB: "Vi lagrer navnet og e-postadressen din til arrangementet.", ConsentEN: "We keep your name and e-mail address for the event."}}
	if err := db.CreateEvent(ctx, &e); err != nil {
		t.Fatal(err)
	}
	s := samrad.Session{EventID: e.ID, Day: day, TitleNB: "Erasmus+ for kommuner", Capacity: 20}
	if err := db.AddSession(ctx, a.ID, &s); err != nil {
		t.Fatal(err)
	}
}

// fundingApplication gives the alliance a programme with a call and an
// application from Bærum, and returns the application's page.
func fundingApplication(t *testing.T, ctx context.Context, db *store.DB, a samrad.Alliance) string {
	t.Helper()
	reg, err := db.Registry(ctx)
	if err != nil {
		t.Fatal(err)
	}
	baerum, ok := reg.AtDate("3024", samrad.MustDate("2021-01-01"))
	if !ok {
		t.Fatal("registry lacks Bærum")
	}
	prog := samrad.FundingProgramme{AllianceID: a.ID, Slug: "erasmus-pluss", NameNB: "Erasmus+", Kind: samrad.FundingEU}
	if err := db.CreateFundingProgramme(ctx, &prog); err != nil {
		t.Fatal(err)
	}
	call := samrad.FundingCall{ProgrammeID: prog.ID, Code: "KA1-2027", Title: "Ungdom i Europa", Deadline: time.Now().Add(30 * 24 * time.Hour)}
	if err := db.SaveFundingCall(ctx, a.ID, &call); err != nil {
		t.Fatal(err)
	}
	sought := samrad.NOK(500_000)
	app := samrad.Application{AllianceID: a.ID, ProgrammeID: prog.ID, CallID: call.ID, ApplicantOrgID: baerum.ID,
		Title: "Ungdom i Bærum", Status: samrad.ApplicationDrafting, AmountSought: &sought}
	if err := db.CreateApplication(ctx, &app); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("/allianser/%s/soknader/%d", a.Slug, app.ID)
}
