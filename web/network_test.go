package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/store"
)

// TestNetworkPages reads the demo's networks and programmes as a visitor,
// in both languages: what the sources say is on the pages, and no e-mail
// address is.
func TestNetworkPages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ts := httptest.NewServer(demoServer(t, db))
		defer ts.Close()
		anon := newBrowser(t, ts.URL)
		for _, c := range []struct {
			path     string
			contains []string
		}{
			{"/allianser/ore/nettverk", []string{`<html lang="nb">`, "Nettverk alliansen er medlem i", `href="/allianser/ore/nettverk/errin"`,
				"Eurocities", "EUREGHA", "Assembly of European Regions (AER)", "BSSSC", "CPMR", "Ingen nettverk er registrert."}},
			{"/en/alliances/ore/networks", []string{`<html lang="en">`, "Networks the alliance belongs to", `href="/en/alliances/ore/networks/cpmr"`}},
			{"/allianser/ore/nettverk/errin", []string{"<h1>ERRIN</h1>", "Årlig kontingent", "Ikke kjent", "Fornyes", "Kontaktperson",
				`hreflang="en" href="/en/alliances/ore/networks/errin"`}},
			{"/allianser/vestregionen/nettverk/transport-2-0", []string{"Transport 2.0 – Nettverk for grønn mobilitet", "Åpent for alle", "månedlige frokostmøter",
				"<dt>Etablert</dt><dd>2014</dd>", "<li>avdekke behov for innovasjon og kunnskapsutvikling</li>", "Koordineringsgruppe",
				"Electric Mobility Norway", "Buskerudbyen", "Smart City Bærum", "Norges forskningsråd", "Innovasjon Norge", "Vestregionen",
				"februar 2015", "Oppstartskonferanse", "Frokostmøte", "Studietur til Gøteborg", "Studietur til Helsinki", "Ikke datert",
				`class="table-wrap" tabindex="0" role="region"`}},
			{"/en/alliances/vestregionen/networks/transport-2-0", []string{"Transport 2.0 – network for green mobility", "Open to all", "February 2015",
				"Study trip to Gothenburg", "The Research Council of Norway", "Coordination group", `hreflang="nb" href="/allianser/vestregionen/nettverk/transport-2-0"`}},
			{"/allianser/vestregionen/nettverk", []string{"Erfaringsnettverk for BPA", "Erfaringsnettverk for folkehelse", `href="/allianser/vestregionen/nettverk/bpa-erfaringsnettverk"`}},
			{"/allianser/vestregionen/nettverk/folkehelsenettverk", []string{"KS BTV", "Ved medlemskap eller påmelding"}},
			{"/allianser/viken-nettverk/nettverk/internasjonalt-kommunenettverk", []string{"Kommunenettverk for internasjonalt arbeid", "to ganger i året",
				`<dt>Drives av</dt><dd><a href="/organisasjoner/30">Viken</a></dd>`, "Ved medlemskap eller påmelding",
				"Viken", "Martine Bonarjee, rådgiver, internasjonal seksjon", "Dag Aanensen, sekretariatsleder", "Drammensregionen", "Indre Østfold",
				"Heidi Eriksson, prosjektleder", "Jan Olav Helling, dagleg leiar", "Hallingdal regionråd", "Roger Ryberg, fylkesordfører",
				`href="/allianser/viken-nettverk/arrangementer/oppstart-drammen"`, "5. mai 2022 – 6. mai 2022", "<td>25</td>", "Slik blir du med"}},
			{"/en/alliances/viken-nettverk/networks/internasjonalt-kommunenettverk", []string{"Municipal network for international work", "twice a year",
				"Kick-off gathering in Drammen", "5 May 2022", `href="/en/alliances/viken-nettverk/events/oppstart-drammen"`}},
			{"/allianser/vestregionen/programmer", []string{"Faste programmer", "Vestregionens Ungdomssymfonikere", "Kunst rett vest", "2007–2016: 315 kunstnere",
				"2007–2016: 153\u00a0000 besøk", `href="/allianser/vestregionen/programmer/kunst-rett-vest"`}},
			{"/allianser/vestregionen/programmer/vestregionens-ungdomssymfonikere", []string{"8–18 år", "ca. 8 samlinger i året", "<dt>dirigent</dt><dd>Kjell Seim</dd>",
				"Oslo-Filharmonien", "Kringkastingsorkesteret (KORK)", "De unges orkesterforbund", "paraplyorganisasjon", "finansierer", "Frifond"}},
			{"/en/alliances/vestregionen/programmes/kunst-rett-vest", []string{"Yearly exhibition", "<dd>2007</dd>", "2007–2016", "315", "153,000", "visits", "artists",
				"No years are recorded with a host or figures.", `hreflang="nb" href="/allianser/vestregionen/programmer/kunst-rett-vest"`}},
		} {
			code, page := anon.get(c.path)
			if code != http.StatusOK {
				t.Errorf("%s: %d", c.path, code)
				continue
			}
			for _, want := range c.contains {
				if !strings.Contains(page, want) {
					t.Errorf("%s lacks %q", c.path, want)
				}
			}
			if m := emailAddress.FindString(page); m != "" || strings.Contains(page, "mailto:") {
				t.Errorf("%s shows an address: %q", c.path, m)
			}
		}
		for _, path := range []string{"/allianser/ore/nettverk/finnes-ikke", "/allianser/ore/programmer/finnes-ikke", "/en/alliances/nope/networks"} {
			if code, _ := anon.get(path); code != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", path, code)
			}
		}
	})
}

// staffBrowser logs in a new user with a role in an alliance.
func staffBrowser(t *testing.T, ctx context.Context, db *store.DB, base, email, slug string, role samrad.Role) *browser {
	t.Helper()
	a, err := db.AllianceBySlug(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateUser(ctx, email, email, "et langt passord her", a.ID, role, fastHash); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, base)
	if resp := b.login(email, "et langt passord her"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login %s: %d", email, resp.StatusCode)
	}
	return b
}

// TestNetworkForms runs the secretariat's network forms: good input is
// stored and shown, bad input comes back with the error by its field and
// nothing stored, and an unpublished network is for the alliance's own
// people only.
func TestNetworkForms(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ts := httptest.NewServer(demoServer(t, db))
		defer ts.Close()
		staff := staffBrowser(t, ctx, db, ts.URL, "sekretariat@example.no", "vestregionen", samrad.RoleSecretariat)
		reader := staffBrowser(t, ctx, db, ts.URL, "leser@example.no", "vestregionen", samrad.RoleReader)
		anon := newBrowser(t, ts.URL)
		vr, _ := db.AllianceBySlug(ctx, "vestregionen")
		count := func() int {
			list, err := db.Networks(ctx, vr.ID, true)
			if err != nil {
				t.Fatal(err)
			}
			return len(list)
		}
		before := count()

		code, page := staff.get("/allianser/vestregionen/nettverk/nytt")
		if code != http.StatusOK || !strings.Contains(page, `<label for="net-name-nb">`) {
			t.Fatalf("new network form: %d", code)
		}
		token := staff.csrf(page)
		post := func(path string, form url.Values) (int, string) {
			form.Set("csrf", token)
			resp, body := staff.post(path, form)
			return resp.StatusCode, body + resp.Header.Get("Location")
		}
		// Bad input: a renewal date on a network the alliance runs, a bad
		// founding date, an unknown organiser.
		for _, c := range []struct {
			form  url.Values
			field string
			want  string
		}{
			{url.Values{"name_nb": {""}, "kind": {"internal"}}, "net-name-nb-error", "Skriv navnet på bokmål"},
			{url.Values{"name_nb": {"Testnettverk"}, "kind": {"internal"}, "founded": {"2015-13"}}, "net-founded-error", "«2015-13» er ikke en dato"},
			{url.Values{"name_nb": {"Testnettverk"}, "kind": {"internal"}, "organiser": {"finnes-ikke"}}, "net-organiser-error", "Ingen organisasjon har koden «finnes-ikke»"},
			{url.Values{"name_nb": {"Testnettverk"}, "kind": {"internal"}, "fee": {"100"}}, "net-fee-error", "only a network the alliance belongs to has a fee"},
			{url.Values{"name_nb": {"Testnettverk"}, "kind": {"external"}, "fee": {"mye"}}, "net-fee-error", "«mye» er ikke et beløp"},
			{url.Values{"name_nb": {"Testnettverk"}, "kind": {"sideways"}}, "net-kind-error", "unknown network kind"},
			{url.Values{"name_nb": {"Transport 2.0"}, "slug": {"transport-2-0"}, "kind": {"internal"}}, "net-slug-error", "already has a network"},
		} {
			code, body := post("/allianser/vestregionen/nettverk/nytt", c.form)
			if code != http.StatusBadRequest && code != http.StatusConflict {
				t.Errorf("%v: %d, want 400 or 409", c.form, code)
			}
			if !strings.Contains(body, `id="`+c.field+`"`) || !strings.Contains(body, c.want) {
				t.Errorf("%v: no %q by the field %s", c.form, c.want, c.field)
			}
		}
		if n := count(); n != before {
			t.Fatalf("bad input stored %d networks", n-before)
		}

		// Good input: an unpublished external network with a fee.
		code, loc := post("/allianser/vestregionen/nettverk/nytt", url.Values{"name_nb": {"Testnettverk i Brussel"}, "name_en": {"Test network in Brussels"},
			"kind": {"external"}, "fee": {"12 500"}, "renewal_date": {"2031-01-01"}, "rhythm_nb": {"hver måned"}, "founded": {"2015-02"}})
		if code != http.StatusSeeOther || !strings.HasSuffix(loc, "/allianser/vestregionen/nettverk/testnettverk-i-brussel/endre") {
			t.Fatalf("create: %d %s", code, loc)
		}
		if count() != before+1 {
			t.Fatal("the network was not stored")
		}
		n, err := db.Network(ctx, vr.ID, "testnettverk-i-brussel")
		if err != nil || n.Fee == nil || *n.Fee != samrad.NOK(12500) || n.Published || n.FoundedPrecision != samrad.PrecisionMonth {
			t.Fatalf("stored: %+v %v", n, err)
		}
		base := "/allianser/vestregionen/nettverk/testnettverk-i-brussel"
		if code, _ := anon.get(base); code != http.StatusNotFound {
			t.Errorf("unpublished network to a visitor: %d, want 404", code)
		}
		if code, page := reader.get(base); code != http.StatusOK || !strings.Contains(page, "Ikke publisert") || !strings.Contains(page, "12\u00a0500,00") {
			t.Errorf("unpublished network to a reader: %d", code)
		}
		if _, page := anon.get("/allianser/vestregionen/nettverk"); strings.Contains(page, "Testnettverk") {
			t.Error("the list shows an unpublished network to a visitor")
		}

		// Participants: bad input is refused and nothing is written.
		for _, c := range []struct {
			form        url.Values
			field, want string
		}{
			{url.Values{"org": {""}, "person_name": {""}}, "pa-org-error", "choose an organisation or give a person"},
			{url.Values{"org": {"finnes-ikke"}}, "pa-org-error", "Ingen organisasjon har koden"},
			{url.Values{"org": {"3024"}, "joined": {"2020-02-30"}}, "pa-joined-error", "er ikke en dato"},
			{url.Values{"org": {"3024"}, "role": {"boss"}}, "pa-role-error", "unknown role"},
		} {
			code, body := post(base+"/deltakere", c.form)
			if code != http.StatusBadRequest || !strings.Contains(body, `id="`+c.field+`"`) || !strings.Contains(body, c.want) {
				t.Errorf("participant %v: %d, want 400 with %q by %s", c.form, code, c.want, c.field)
			}
		}
		if n, _ := db.Network(ctx, vr.ID, "testnettverk-i-brussel"); len(n.Participants) != 0 {
			t.Fatalf("bad input stored %d participants", len(n.Participants))
		}
		if code, loc := post(base+"/deltakere", url.Values{"org": {"3024"}, "person_name": {"Kari Testesen"}, "title": {"rådgiver"},
			"role": {"coordination"}, "joined": {"2020-01-01"}}); code != http.StatusSeeOther || !strings.HasSuffix(loc, base+"/endre#participants") {
			t.Fatalf("add participant: %d %s", code, loc)
		}
		if code, _ := post(base+"/deltakere", url.Values{"org": {"3024"}, "person_name": {"Kari Testesen"}}); code != http.StatusConflict {
			t.Errorf("the same participant twice: %d, want 409", code)
		}
		n, _ = db.Network(ctx, vr.ID, "testnettverk-i-brussel")
		if len(n.Participants) != 1 || n.Participants[0].Person.Name != "Kari Testesen" || n.Participants[0].Role != samrad.ParticipantCoordination {
			t.Fatalf("participants: %+v", n.Participants)
		}
		pid := itoa(n.Participants[0].ID)
		if code, body := post(base+"/deltakere/"+pid+"/avslutt", url.Values{"left": {"2019-01-01"}}); code != http.StatusBadRequest ||
			!strings.Contains(body, `id="left-`+pid+`-error"`) {
			t.Errorf("end before joined: %d", code)
		}
		if code, _ := post(base+"/deltakere/999999/avslutt", url.Values{}); code != http.StatusNotFound {
			t.Errorf("end an unknown participant: %d, want 404", code)
		}
		if code, _ := post(base+"/deltakere/"+pid+"/avslutt", url.Values{"left": {"2021-06-30"}}); code != http.StatusSeeOther {
			t.Errorf("end: %d", code)
		}
		if n, _ := db.Network(ctx, vr.ID, "testnettverk-i-brussel"); n.Participants[0].Left != samrad.MustDate("2021-06-30") {
			t.Errorf("ended on %s", n.Participants[0].Left)
		}

		// Working groups and activities.
		if code, body := post(base+"/arbeidsgrupper", url.Values{"group_name": {""}}); code != http.StatusBadRequest || !strings.Contains(body, `id="wg-name-error"`) {
			t.Errorf("empty working group: %d", code)
		}
		if code, _ := post(base+"/arbeidsgrupper", url.Values{"group_name": {"Helse"}, "group_person_name": {"Ola Følger"}}); code != http.StatusSeeOther {
			t.Errorf("working group: %d", code)
		}
		if code, body := post("/allianser/vestregionen/nettverk/transport-2-0/arbeidsgrupper", url.Values{"group_name": {"Helse"}}); code != http.StatusBadRequest ||
			!strings.Contains(body, "working groups are followed in networks the alliance belongs to") {
			t.Errorf("working group of an internal network: %d", code)
		}
		for _, c := range []struct {
			form        url.Values
			field, want string
		}{
			{url.Values{"activity_kind": {"meeting"}, "activity_title_nb": {""}}, "ac-title-nb-error", "needs a Norwegian title"},
			{url.Values{"activity_kind": {"meeting"}, "activity_title_nb": {"Møte"}, "starts": {"mai"}}, "ac-starts-error", "«mai» er ikke en dato"},
			{url.Values{"activity_kind": {"meeting"}, "activity_title_nb": {"Møte"}, "participants": {"mange"}}, "ac-participants-error", "Skriv et helt tall"},
			{url.Values{"activity_kind": {"meeting"}, "activity_title_nb": {"Møte"}, "starts": {"2020-05-02"}, "ends": {"2020-05-01"}}, "ac-ends-error", "ends before it starts"},
			{url.Values{"activity_kind": {"meeting"}, "activity_title_nb": {"Møte"}, "event": {"oppstart-drammen"}}, "ac-event-error", "the alliance has no event"},
		} {
			code, body := post(base+"/aktiviteter", c.form)
			if code != http.StatusBadRequest || !strings.Contains(body, `id="`+c.field+`"`) || !strings.Contains(body, c.want) {
				t.Errorf("activity %v: %d, want 400 with %q by %s", c.form, code, c.want, c.field)
			}
		}
		if code, _ := post(base+"/aktiviteter", url.Values{"activity_kind": {"study_trip"}, "activity_title_nb": {"Studietur til Brussel"},
			"starts": {"2019"}, "place": {"Brussel"}, "participants": {"12"}}); code != http.StatusSeeOther {
			t.Errorf("activity: %d", code)
		}
		n, _ = db.Network(ctx, vr.ID, "testnettverk-i-brussel")
		if len(n.WorkingGroups) != 1 || len(n.Activities) != 1 || n.Activities[0].Precision != samrad.PrecisionYear {
			t.Fatalf("groups %+v, activities %+v", n.WorkingGroups, n.Activities)
		}

		// Publish it under a new name; the visitor sees it now.
		if code, body := post(base+"/endre", url.Values{"name_nb": {"Testnettverk i Brussel"}, "kind": {"external"}, "slug": {"testnettverk"},
			"fee": {"12500"}, "published": {"yes"}, "website": {"ftp://x"}}); code != http.StatusBadRequest || !strings.Contains(body, `id="net-website-error"`) {
			t.Errorf("edit with a bad address: %d", code)
		}
		if code, loc := post(base+"/endre", url.Values{"name_nb": {"Testnettverk i Brussel"}, "kind": {"external"}, "slug": {"testnettverk"},
			"fee": {"12500"}, "published": {"yes"}}); code != http.StatusSeeOther || !strings.HasSuffix(loc, "/nettverk/testnettverk/endre") {
			t.Fatalf("edit: %d %s", code, loc)
		}
		code, page = anon.get("/en/alliances/vestregionen/networks/testnettverk")
		for _, want := range []string{"Yearly fee", "12,500.00", "Helse", "followed by Ola Følger", "Study trip", "2019", "Brussel", "<td>12</td>"} {
			if !strings.Contains(page, want) {
				t.Errorf("published network lacks %q", want)
			}
		}
		if code != http.StatusOK || strings.Contains(page, "Kari Testesen") {
			t.Errorf("published network: %d; a participant who left is shown", code)
		}
	})
}

// TestRecurringForms runs the secretariat's programme forms.
func TestRecurringForms(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ts := httptest.NewServer(demoServer(t, db))
		defer ts.Close()
		staff := staffBrowser(t, ctx, db, ts.URL, "sekretariat@example.no", "vestregionen", samrad.RoleSecretariat)
		anon := newBrowser(t, ts.URL)
		vr, _ := db.AllianceBySlug(ctx, "vestregionen")
		_, page := staff.get("/allianser/vestregionen/programmer/nytt")
		token := staff.csrf(page)
		post := func(path string, form url.Values) (int, string) {
			form.Set("csrf", token)
			resp, body := staff.post(path, form)
			return resp.StatusCode, body + resp.Header.Get("Location")
		}
		for _, c := range []struct {
			form        url.Values
			field, want string
		}{
			{url.Values{"name_nb": {""}, "kind": {"orchestra"}}, "rec-name-nb-error", "Skriv navnet på bokmål"},
			{url.Values{"name_nb": {"Kor"}, "kind": {"orchestra"}, "age_min": {"18"}, "age_max": {"8"}}, "rec-age-max-error", "the highest age is below the lowest"},
			{url.Values{"name_nb": {"Kor"}, "kind": {"orchestra"}, "age_min": {"åtte"}}, "rec-age-min-error", "Skriv et helt tall"},
			{url.Values{"name_nb": {"Kor"}, "kind": {"orchestra"}, "leader_role": {"dirigent"}}, "rec-leader-name-error", "role needs a leader"},
			{url.Values{"name_nb": {"Kor"}, "kind": {"orchestra"}, "first_year": {"1200"}}, "rec-first-year-error", "between 1800 and 2200"},
		} {
			code, body := post("/allianser/vestregionen/programmer/nytt", c.form)
			if code != http.StatusBadRequest || !strings.Contains(body, `id="`+c.field+`"`) || !strings.Contains(body, c.want) {
				t.Errorf("programme %v: %d, want 400 with %q by %s", c.form, code, c.want, c.field)
			}
		}
		if list, _ := db.RecurringProgrammes(ctx, vr.ID, true); len(list) != 2 {
			t.Fatalf("bad input stored programmes: %d", len(list))
		}
		if code, loc := post("/allianser/vestregionen/programmer/nytt", url.Values{"name_nb": {"Ungdomskoret"}, "kind": {"other"}, "age_min": {"10"},
			"age_max": {"19"}, "leader_name": {"Kari Korleder"}, "leader_role": {"korleder"}, "first_year": {"2010"}, "published": {"yes"}}); code != http.StatusSeeOther ||
			!strings.HasSuffix(loc, "/programmer/ungdomskoret/endre") {
			t.Fatalf("create: %d %s", code, loc)
		}
		base := "/allianser/vestregionen/programmer/ungdomskoret"
		for _, c := range []struct {
			path        string
			form        url.Values
			field, want string
		}{
			{"/partnere", url.Values{"partner_org": {""}}, "rp-org-error", "choose an organisation"},
			{"/partnere", url.Values{"partner_org": {"finnes-ikke"}}, "rp-org-error", "Ingen organisasjon har koden"},
			{"/ar", url.Values{"year": {"2009"}}, "ry-year-error", "the programme started in 2010"},
			{"/ar", url.Values{"year": {""}}, "ry-year-error", "Skriv året"},
			{"/ar", url.Values{"year": {"2012"}, "visits": {"-3"}}, "ry-visits-error", "cannot be negative"},
			{"/totaler", url.Values{"total_first_year": {"2016"}, "total_last_year": {"2010"}, "measure": {"visits"}, "value": {"5"}}, "rt-last-error", "the last year is before the first"},
			{"/totaler", url.Values{"total_first_year": {"2010"}, "measure": {"visits"}, "value": {""}}, "rt-value-error", "Skriv antallet"},
			{"/totaler", url.Values{"total_first_year": {"2010"}, "measure": {"smiles"}, "value": {"5"}}, "rt-measure-error", "unknown measure"},
		} {
			code, body := post(base+c.path, c.form)
			if code != http.StatusBadRequest || !strings.Contains(body, `id="`+c.field+`"`) || !strings.Contains(body, c.want) {
				t.Errorf("%s %v: %d, want 400 with %q by %s", c.path, c.form, code, c.want, c.field)
			}
		}
		p, err := db.RecurringProgramme(ctx, vr.ID, "ungdomskoret")
		if err != nil || len(p.Partners)+len(p.Years)+len(p.Totals) != 0 || p.Leader.Name != "Kari Korleder" {
			t.Fatalf("after bad input: %+v %v", p, err)
		}
		for _, c := range []struct {
			path string
			form url.Values
		}{
			{"/partnere", url.Values{"partner_org": {"kork"}, "partner_role": {"rehearsals"}}},
			{"/ar", url.Values{"year": {"2012"}, "host": {"0219"}, "year_participants": {"40"}, "visits": {"1 200"}}},
			{"/ar", url.Values{"year": {"2012"}, "host": {"0220"}, "year_participants": {"45"}}},
			{"/totaler", url.Values{"total_first_year": {"2010"}, "total_last_year": {"2015"}, "measure": {"concerts"}, "value": {"30"}}},
		} {
			if code, body := post(base+c.path, c.form); code != http.StatusSeeOther {
				t.Errorf("%s %v: %d %s", c.path, c.form, code, body)
			}
		}
		if code, _ := post(base+"/partnere", url.Values{"partner_org": {"kork"}}); code != http.StatusConflict {
			t.Errorf("a partner twice: %d, want 409", code)
		}
		p, _ = db.RecurringProgramme(ctx, vr.ID, "ungdomskoret")
		if len(p.Partners) != 1 || len(p.Years) != 1 || p.Years[0].Host.Code != "0220" || p.Years[0].Participants != 45 || len(p.Totals) != 1 {
			t.Fatalf("stored: partners %+v years %+v totals %+v", p.Partners, p.Years, p.Totals)
		}
		code, page := anon.get(base)
		for _, want := range []string{"10–19 år", "<dt>korleder</dt><dd>Kari Korleder</dd>", "Kringkastingsorkesteret (KORK)", "<th scope=\"row\">2012</th>", "Asker",
			"<td>45</td>", "2010–2015", "konserter", "<td>30</td>"} {
			if !strings.Contains(page, want) {
				t.Errorf("programme page lacks %q", want)
			}
		}
		if code != http.StatusOK {
			t.Errorf("programme page: %d", code)
		}
		// Unpublish: the visitor no longer sees it.
		if code, _ := post(base+"/endre", url.Values{"name_nb": {"Ungdomskoret"}, "kind": {"other"}}); code != http.StatusSeeOther {
			t.Fatalf("edit: %d", code)
		}
		if code, _ := anon.get(base); code != http.StatusNotFound {
			t.Errorf("unpublished programme to a visitor: %d, want 404", code)
		}
		if code, _ := staff.get(base); code != http.StatusOK {
			t.Errorf("unpublished programme to the secretariat: %d", code)
		}
	})
}
