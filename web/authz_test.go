package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/demo"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/store"
	"github.com/samrad/samrad/web"
)

// authzArea is how one area's routes are checked: the arguments that fit
// its fixtures, and its routes in each category of the test below.
type authzArea struct {
	special                                    map[string]map[string]string
	staffPages, publicForms, open, memberPages map[string]bool
}

// authzAreas are the areas that register their routes' categories from
// their own test files (each builds the fixtures its routes need in the
// demo database).
var authzAreas []func(t *testing.T, ctx context.Context, db *store.DB) authzArea

// TestEveryRouteRefusesTheRolesItShould runs every registered route for
// every role: pages are public; every action needs a session, a role of at
// least secretariat in the alliance concerned, and the session's CSRF token.
// A route added without an entry here fails the test.
func TestEveryRouteRefusesTheRolesItShould(t *testing.T) {
	ctx := context.Background()
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

	ore, _ := db.AllianceBySlug(ctx, "ore")
	vr, _ := db.AllianceBySlug(ctx, "vestregionen")
	users := map[string]*browser{"anonymous": newBrowser(t, ts.URL)}
	for _, u := range []struct {
		name     string
		alliance int64
		role     samrad.Role
	}{
		{"reader", ore.ID, samrad.RoleReader}, {"member_contact", ore.ID, samrad.RoleMemberContact},
		{"secretariat", ore.ID, samrad.RoleSecretariat}, {"administrator", ore.ID, samrad.RoleAdministrator},
		{"other_administrator", vr.ID, samrad.RoleAdministrator},
	} {
		if _, err := db.CreateUser(ctx, u.name+"@example.no", u.name, "et langt passord her", u.alliance, u.role, fastHash); err != nil {
			t.Fatal(err)
		}
		b := newBrowser(t, ts.URL)
		if resp := b.login(u.name+"@example.no", "et langt passord her"); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("login %s: %d", u.name, resp.StatusCode)
		}
		users[u.name] = b
	}
	cg, _ := db.BodyBySlug(ctx, ore.ID, "kontaktgruppen")
	meetings, _ := db.Meetings(ctx, cg.ID)
	mid := itoa(meetings[0].ID)
	pending, _ := db.MembersOn(ctx, ore.ID, samrad.MustDate("2024-06-01"), true)
	var pid string
	for _, m := range pending {
		if m.Status == samrad.StatusPending {
			pid = itoa(m.ID)
		}
	}
	pdf := samrad.Document{AllianceID: ore.ID, MeetingID: meetings[0].ID, Title: "Program", Filename: "program.pdf"}
	if err := db.AddDocument(ctx, &pdf, []byte("%PDF-1.4\nprogram\n")); err != nil {
		t.Fatal(err)
	}
	docID := itoa(pdf.ID)
	oreCase := samrad.Case{AllianceID: ore.ID, Year: 2020, Title: "Innspill til handlingsplanen", Type: samrad.CaseDiscussion}
	if err := db.CreateCase(ctx, &oreCase); err != nil {
		t.Fatal(err)
	}
	oreProg := samrad.Programme{AllianceID: ore.ID, Year: 2020, Sections: []samrad.Section{{Number: 1, Title: "Det grønne skiftet",
		Measures: []samrad.Measure{{Section: 1, Number: 1, Title: "Kontaktgruppesamling"}}}}}
	if err := db.CreateProgramme(ctx, &oreProg); err != nil {
		t.Fatal(err)
	}
	goals, _ := db.MemberGoals(ctx, ore.ID)
	oreMembers, _ := db.MembersOn(ctx, ore.ID, samrad.MustDate("2021-01-01"), false)
	oreInput := samrad.MemberInput{AllianceID: ore.ID, Org: oreMembers[0].Org, Year: 2021, Title: "Mer om det grønne skiftet"}
	if err := db.SubmitInput(ctx, &oreInput); err != nil {
		t.Fatal(err)
	}
	oreStep := samrad.CycleStep{AllianceID: ore.ID, Kind: samrad.CycleOther, TitleNB: "Kontaktgruppesamling", Month: 1, LastMonth: 1}
	if err := db.AddCycleStep(ctx, &oreStep); err != nil {
		t.Fatal(err)
	}
	nlList := samrad.NewsletterList{AllianceID: ore.ID, Slug: "tilgangstest", NameNB: "Tilgangstest"}
	if err := db.CreateList(ctx, &nlList); err != nil {
		t.Fatal(err)
	}
	nlIssue := samrad.NewsletterIssue{AllianceID: ore.ID, ListID: nlList.ID, Subject: "Tilgangstest", Intro: "Hei."}
	if err := db.SaveIssue(ctx, &nlIssue); err != nil {
		t.Fatal(err)
	}
	oreArticles, _ := db.AllArticles(ctx, ore.ID)
	oreArticle, _ := db.Article(ctx, oreArticles[0].ID)
	oreImage := oreArticle.Images[0]
	oreContacts, _, _ := db.Contacts(ctx, ore.ID)
	gathering, err := db.Event(ctx, ore.ID, "kontaktgruppesamling-baerum-2020")
	if err != nil {
		t.Fatal(err)
	}
	slides := samrad.Material{SessionID: gathering.Sessions[0].ID, Title: "Lysark", Filename: "lysark.pdf"}
	if err := db.AddMaterial(ctx, ore.ID, &slides, []byte("%PDF-1.4\nlysark\n")); err != nil {
		t.Fatal(err)
	}
	participants, _ := db.Participants(ctx, gathering.ID)
	soon := samrad.Today().AddDays(30)
	openEvent := samrad.Event{AllianceID: ore.ID, Slug: "tilgangstest", TitleNB: "Tilgangstest", Venue: "Sandvika", Published: true,
		Days: []samrad.EventDay{{Date: soon}}, Registration: samrad.RegistrationSettings{Open: true}}
	if err := db.CreateEvent(ctx, &openEvent); err != nil {
		t.Fatal(err)
	}
	oreSite, _ := db.Site(ctx, ore.ID)
	oreSite.Logo, oreSite.LogoType = tinyPNG(t), "image/png"
	if err := db.SaveSite(ctx, &oreSite, false); err != nil {
		t.Fatal(err)
	}
	oreCaseArgs := map[string]string{"{year}": "2020", "{number}": itoa(int64(oreCase.Number))}
	args := map[string]string{"{slug}": "ore", "{code}": "3025", "{body}": "kontaktgruppen", "{id}": mid, "{year}": "2016", "{number}": "47",
		"{event}": gathering.Slug}
	// Routes whose {id} is not a meeting, and whose year/number fit another alliance.
	special := map[string]map[string]string{
		"decide":         {"{id}": pid},
		"case":           {"{slug}": "osloregionen"},
		"fees":           {"{slug}": "osloregionen"},
		"fees_csv":       {"{slug}": "osloregionen"},
		"document":       {"{id}": docID},
		"case_edit":      oreCaseArgs,
		"programme":      {"{slug}": "osloregionen", "{year}": "2017"},
		"programme_pdf":  {"{slug}": "osloregionen", "{year}": "2017"},
		"progress_add":   {"{year}": "2020", "{id}": itoa(oreProg.Sections[0].Measures[0].ID)},
		"case_withdraw":  oreCaseArgs,
		"budget":         {"{slug}": "osloregionen", "{year}": "2017"},
		"budget_save":    {"{year}": "2020"},
		"budget_line":    {"{year}": "2020"},
		"ledger_import":  {"{year}": "2020"},
		"annual_report":  {"{year}": "2020"},
		"status_report":  {"{slug}": "osloregionen", "{year}": "2017"},
		"measure_case":   {"{year}": "2020", "{id}": itoa(oreProg.Sections[0].Measures[0].ID)},
		"status_to_case": {"{year}": "2020"},
		"report_pdf":     {"{year}": "2020"},
		"report_save":    {"{year}": "2020"},
		"goal_report":    {"{id}": itoa(goals[0].ID)},
		"article":        {"{id}": itoa(oreArticle.ID) + "-" + oreArticle.Slug},
		"image":          {"{id}": itoa(oreImage.ID) + "-480-" + oreImage.Variants[0].SHA256[:16] + ".jpg"},
		"contact_email":  {"{id}": itoa(oreContacts[0].ID)},
		"nl_issue":       {"{id}": itoa(nlIssue.ID)},
		"nl_send":        {"{id}": itoa(nlIssue.ID)},
		"nl_resend":      {"{id}": itoa(nlIssue.ID)},
		"nl_unsub":       {"{list}": itoa(nlList.ID)},
		"speaker_add":    {"{id}": itoa(gathering.Sessions[0].ID)},
		"material_add":   {"{id}": itoa(gathering.Sessions[0].ID)},
		"material":       {"{id}": itoa(slides.ID)},
		"checkin_toggle": {"{id}": itoa(participants[0].ID)},
		"event_register": {"{event}": openEvent.Slug},
	}
	query := map[string]string{"fees_csv": "?ar=2019&year=2019", "fees_xlsx": "?ar=2019&year=2019"}
	// Pages for the alliance's administrators only.
	adminOnly := map[string]bool{"audit": true, "audit_csv": true, "audit_xlsx": true}
	// Unpublished minutes, and annual reports not yet approved.
	unpublished := map[string]bool{"m_record": true, "m_record_pdf": true, "annual_report": true, "report_pdf": true, "inputs": true, "inputs_csv": true, "inputs_xlsx": true}
	// PDF files need a browser, which this server has not got: where the
	// page would be shown, the answer is 503 with the reason.
	printed := map[string]bool{"m_notice_pdf": true, "m_record_pdf": true, "programme_pdf": true, "report_pdf": true}
	// Actions that anyone may use.
	// (Showing a contact's e-mail address needs only the visitor's form
	// token, which TestNewsPagesAndContactBlock checks.)
	open := map[string]bool{"login": true, "logout": true, "contact_email": true}
	allowed := map[string]bool{"secretariat": true, "administrator": true}
	// Pages for the secretariat only (personal data, drafts).
	staffPages := map[string]bool{"nl_admin": true, "nl_issue": true, "site_edit": true,
		"event_new": true, "event_edit": true, "participants": true, "part_csv": true, "part_xlsx": true, "checkin": true}
	// Forms for everyone, protected by the visitor's form token.
	publicForms := map[string]bool{"newsletter": true, "event_register": true}
	// Pages and actions whose authority is a signed token in the link
	// (here a forged one): no one gets past it, logged in or not.
	tokenLinks := map[string]bool{"nl_confirm": true, "nl_prefs": true, "nl_unsub": true, "registration": true, "reg_cancel": true}
	// Actions a member's officer may use too.
	forContacts := map[string]bool{"input_add": true}
	// Pages for anyone with a role in the alliance (members-only data).
	memberPages := map[string]bool{}
	for _, area := range authzAreas {
		a := area(t, ctx, db)
		for name, m := range a.special {
			special[name] = m
		}
		for _, pair := range []struct{ from, to map[string]bool }{
			{a.staffPages, staffPages}, {a.publicForms, publicForms}, {a.open, open}, {a.memberPages, memberPages},
		} {
			for name := range pair.from {
				pair.to[name] = true
			}
		}
	}

	covered := map[string]bool{}
	for _, r := range srv.Routes() {
		path := r.Pattern
		for k, v := range args {
			if sp, ok := special[r.Name][k]; ok {
				v = sp
			}
			path = strings.ReplaceAll(path, k, v)
		}
		for k, v := range special[r.Name] {
			path = strings.ReplaceAll(path, k, v)
		}
		path += query[r.Name]
		covered[r.Name] = true
		path = strings.ReplaceAll(path, "{token}", "bG9uZw.bG9uZw.forgedtokenforgedtokenxx")
		for role, b := range users {
			if tokenLinks[r.Name] {
				code := 0
				if r.Method == "GET" {
					code, _ = b.get(path)
				} else {
					resp, _ := b.post(path, url.Values{})
					code = resp.StatusCode
				}
				if code != http.StatusNotFound {
					t.Errorf("%s %s as %s: %d, want 404 (forged link)", r.Method, path, role, code)
				}
				continue
			}
			if r.Method == "GET" && staffPages[r.Name] {
				code, _ := b.get(path)
				want := http.StatusForbidden
				switch {
				case role == "anonymous":
					want = http.StatusUnauthorized
				case allowed[role]:
					want = http.StatusOK
				}
				if code != want {
					t.Errorf("GET %s as %s: %d, want %d (secretariat only)", path, role, code, want)
				}
				continue
			}
			if r.Method == "GET" && memberPages[r.Name] {
				code, _ := b.get(path)
				want := http.StatusOK
				switch role {
				case "anonymous":
					want = http.StatusUnauthorized
				case "other_administrator":
					want = http.StatusForbidden
				}
				if code != want {
					t.Errorf("GET %s as %s: %d, want %d (members only)", path, role, code, want)
				}
				continue
			}
			if r.Method == "POST" && publicForms[r.Name] {
				if resp, _ := b.post(path, url.Values{}); resp.StatusCode != http.StatusForbidden {
					t.Errorf("POST %s as %s without form token: %d, want 403", path, role, resp.StatusCode)
				}
				_, page := b.get(path)
				m := b.csrfRe.FindStringSubmatch(page)
				if m == nil {
					t.Fatalf("no form token on %s", path)
				}
				if resp, _ := b.post(path, url.Values{"csrf": {m[1]}}); resp.StatusCode != http.StatusBadRequest {
					t.Errorf("POST %s as %s with an empty form: %d, want 400", path, role, resp.StatusCode)
				}
				continue
			}
			if r.Method == "GET" && adminOnly[r.Name] {
				code, _ := b.get(path)
				want := http.StatusForbidden
				switch role {
				case "anonymous":
					want = http.StatusUnauthorized
				case "administrator":
					want = http.StatusOK
				}
				if code != want {
					t.Errorf("GET %s as %s: %d, want %d (administrators only)", path, role, code, want)
				}
				continue
			}
			if r.Method == "GET" && unpublished[r.Name] {
				// The demo meeting is held but its minutes are not published:
				// only the alliance's own people see them.
				code, _ := b.get(path)
				want := http.StatusOK
				if printed[r.Name] {
					want = http.StatusServiceUnavailable
				}
				if role == "anonymous" || role == "other_administrator" {
					want = http.StatusNotFound
				}
				if code != want {
					t.Errorf("GET %s as %s: %d, want %d (unpublished minutes)", path, role, code, want)
				}
				continue
			}
			if r.Method == "GET" && printed[r.Name] {
				if code, _ := b.get(path); code != http.StatusServiceUnavailable {
					t.Errorf("GET %s as %s: %d, want 503 (public, but no browser to print with)", path, role, code)
				}
				continue
			}
			if r.Method == "GET" {
				code, _ := b.get(path)
				if code != http.StatusOK {
					t.Errorf("GET %s as %s: %d, want 200 (pages are public)", path, role, code)
				}
				continue
			}
			if open[r.Name] {
				continue
			}
			_, page := b.get("/allianser/ore/organer/kontaktgruppen")
			form := url.Values{}
			if m := b.csrfRe.FindStringSubmatch(page); m != nil {
				form.Set("csrf", m[1])
			}
			resp, _ := b.post(path, form)
			allowed := allowed
			if forContacts[r.Name] {
				allowed = map[string]bool{"secretariat": true, "administrator": true, "member_contact": true}
			}
			switch {
			case role == "anonymous" && resp.StatusCode != http.StatusUnauthorized:
				t.Errorf("POST %s anonymously: %d, want 401", path, resp.StatusCode)
			case role != "anonymous" && !allowed[role] && resp.StatusCode != http.StatusForbidden:
				t.Errorf("POST %s as %s: %d, want 403", path, role, resp.StatusCode)
			case allowed[role] && (resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden):
				t.Errorf("POST %s as %s: %d, want it let through", path, role, resp.StatusCode)
			}
			if allowed[role] {
				// The same request without the CSRF token is refused.
				if resp, _ := b.post(path, url.Values{}); resp.StatusCode != http.StatusForbidden {
					t.Errorf("POST %s as %s without CSRF token: %d, want 403", path, role, resp.StatusCode)
				}
			}
		}
	}
	if len(covered) < 20 {
		t.Errorf("only %d routes covered", len(covered))
	}
}
