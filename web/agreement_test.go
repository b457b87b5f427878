package web_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/store"
)

func TestAgreementPages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ts := httptest.NewServer(demoServer(t, db))
		defer ts.Close()
		anon := newBrowser(t, ts.URL)
		code, body := anon.get("/allianser/vestregionen/avtaler")
		if code != http.StatusOK {
			t.Fatalf("agreements: %d", code)
		}
		for _, want := range []string{`href="/allianser/vestregionen/avtaler/hogskolen-i-sorost-norge"`, "Samarbeid med Fagskolen Tinius Olsen",
			"Felles rammeavtale", "1. januar 2016 – 31. desember 2018", "Inngått: mai 2014"} {
			if !strings.Contains(body, want) {
				t.Errorf("agreement list lacks %q", want)
			}
		}
		code, body = anon.get("/allianser/vestregionen/avtaler/hogskolen-i-sorost-norge")
		if code != http.StatusOK {
			t.Fatalf("HSN agreement: %d", code)
		}
		for _, want := range []string{"<dd>mai 2014</dd>", "<li>Ledelse</li>", "<li>Kommunalutvikling</li>", "<li>rektor, Høgskolen i Sørøst-Norge</li>",
			`href="/en/alliances/vestregionen/agreements/hogskolen-i-sorost-norge"`, "Høgskolen i Buskerud"} {
			if !strings.Contains(body, want) {
				t.Errorf("HSN agreement lacks %q", want)
			}
		}
		if strings.Contains(body, `name="csrf"`) {
			t.Error("visitors see the secretariat's forms")
		}
		code, body = anon.get("/en/alliances/vestregionen/agreements/bpa-rammeavtale-2016-2018")
		if code != http.StatusOK {
			t.Fatalf("BPA agreement: %d", code)
		}
		for _, want := range []string{"Joint framework agreement", "<dd>1 January 2016</dd>", "<dd>31 December 2018</dd>", "<dd>Expired</dd>",
			"Have joined the agreement", `href="/en/organisations/0604"`, "six commercial suppliers", `lang="en"`,
			`href="/allianser/vestregionen/avtaler/bpa-rammeavtale-2016-2018"`} {
			if !strings.Contains(body, want) {
				t.Errorf("BPA agreement lacks %q", want)
			}
		}
		if code, _ := anon.get("/allianser/vestregionen/avtaler/finnes-ikke"); code != http.StatusNotFound {
			t.Errorf("unknown agreement: %d", code)
		}
	})
}

func TestAgreementEditing(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ts := httptest.NewServer(demoServer(t, db))
		defer ts.Close()
		vr, _ := db.AllianceBySlug(ctx, "vestregionen")
		sec := svcBrowser(t, ctx, db, ts.URL, "sekretariat@example.no", vr.ID, samrad.RoleSecretariat)
		code, page := sec.get("/allianser/vestregionen/avtaler/ny")
		if code != http.StatusOK {
			t.Fatalf("new agreement form: %d", code)
		}
		token := sec.csrf(page)
		tables := []string{"agreements", "agreement_parties", "agreement_areas", "agreement_signatories", "agreement_documents"}
		counts := func() string {
			var b strings.Builder
			for _, tb := range tables {
				b.WriteString(itoa(int64(svcCount(t, db, tb))) + " ")
			}
			return b.String()
		}
		before := counts()
		form := url.Values{"csrf": {token}, "title_nb": {"Samarbeidsavtale med Universitetet i Sørøst-Norge"}, "kind": {"cooperation"},
			"signed_on": {"2019-05-01"}, "signed_precision": {"month"}, "starts": {"2019-06-01"}, "ends": {"2019-01-01"},
			"areas": {"Ledelse | Leadership\nVelferdsteknologi"}, "published": {"yes"}}
		resp, body := sec.post("/allianser/vestregionen/avtaler/ny", form)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="ag-ends-error"`) || !strings.Contains(body, "Ledelse | Leadership") {
			t.Errorf("ends before it starts: %d, error next to the field and the areas kept?", resp.StatusCode)
		}
		form.Set("ends", "2023-12-31")
		form.Set("signed_on", "1. mai")
		if resp, body := sec.post("/allianser/vestregionen/avtaler/ny", form); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="ag-signed-error"`) {
			t.Errorf("unreadable date: %d", resp.StatusCode)
		}
		if after := counts(); after != before {
			t.Errorf("refused agreements wrote rows: %s → %s", before, after)
		}
		form.Set("signed_on", "2019-05-01")
		resp, _ = sec.post("/allianser/vestregionen/avtaler/ny", form)
		const page0 = "/allianser/vestregionen/avtaler/samarbeidsavtale-med-universitetet-i-sorost-norge"
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != page0 {
			t.Fatalf("create: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		g, err := db.Agreement(ctx, vr.ID, "samarbeidsavtale-med-universitetet-i-sorost-norge")
		if err != nil || len(g.Areas) != 2 || g.Areas[0].NameEN != "Leadership" || g.SignedPrecision != samrad.PrecisionMonth {
			t.Fatalf("stored: %+v %v", g, err)
		}

		// Parties: the organisations of the time are offered; a second
		// entry of the same one is a clear error, and nothing is written.
		code, page = sec.get(page0)
		if code != http.StatusOK || !strings.Contains(page, "<dd>mai 2019</dd>") || !strings.Contains(page, `id="pt-org"`) {
			t.Fatalf("agreement page for the secretariat: %d", code)
		}
		reg, _ := db.Registry(ctx)
		asker, ok := reg.AtDate("0220", samrad.MustDate("2019-06-01"))
		if !ok || !strings.Contains(page, `<option value="`+itoa(asker.ID)+`">0220 Asker</option>`) {
			t.Fatalf("the party list lacks Asker as of 2019")
		}
		party := url.Values{"csrf": {token}, "org": {itoa(asker.ID)}, "role": {"party"}, "joined_on": {"2019-06-01"}}
		if resp, _ := sec.post(page0+"/parter", party); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("add party: %d", resp.StatusCode)
		}
		before = counts()
		resp, body = sec.post(page0+"/parter", party)
		if resp.StatusCode != http.StatusConflict || !strings.Contains(body, `<p class="field-error" id="pt-org-error">Asker er allerede part i avtalen.</p>`) {
			t.Errorf("duplicate party: %d, want 409 with the error next to the field", resp.StatusCode)
		}
		if after := counts(); after != before {
			t.Errorf("a duplicate party wrote rows: %s → %s", before, after)
		}
		for _, bad := range []url.Values{{"org": {""}, "role": {"party"}}, {"org": {itoa(asker.ID + 100000)}, "role": {"party"}}, {"org": {itoa(asker.ID)}, "role": {"owner"}}} {
			bad.Set("csrf", token)
			if resp, _ := sec.post(page0+"/parter", bad); resp.StatusCode != http.StatusBadRequest {
				t.Errorf("bad party %v: %d, want 400", bad, resp.StatusCode)
			}
		}
		// A signatory by title only, and one with a name.
		if resp, body := sec.post(page0+"/signatarer", url.Values{"csrf": {token}}); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="sg-name-error"`) {
			t.Errorf("empty signatory: %d", resp.StatusCode)
		}
		if resp, _ := sec.post(page0+"/signatarer", url.Values{"csrf": {token}, "signatory_name": {"Kari Leder"}, "signatory_title": {"rådmann"},
			"signatory_org": {itoa(asker.ID)}, "signatory_signed_on": {"2019-05-20"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("signatory: %d", resp.StatusCode)
		}
		// A document, downloaded as an attachment.
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("csrf", token)
		mw.WriteField("document_title", "Signert avtale")
		fw, _ := mw.CreateFormFile("file", "avtale.pdf")
		fw.Write([]byte("%PDF-1.4\navtale\n"))
		mw.Close()
		req, _ := http.NewRequest(http.MethodPost, ts.URL+page0+"/dokumenter", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		up, err := sec.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		up.Body.Close()
		if up.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload: %d", up.StatusCode)
		}
		g, _ = db.Agreement(ctx, vr.ID, g.Slug)
		anon := newBrowser(t, ts.URL)
		_, body = anon.get(page0)
		if !strings.Contains(body, "Kari Leder, rådmann, Asker") || !strings.Contains(body, "(fra 1. juni 2019)") || !strings.Contains(body, "Signert avtale") {
			t.Errorf("public page lacks the signatory, the party's date or the document")
		}
		resp2, err := http.Get(ts.URL + page0 + "/dokumenter/" + itoa(g.Documents[0].ID))
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(resp2.Body)
		resp2.Body.Close()
		if resp2.StatusCode != http.StatusOK || string(data) != "%PDF-1.4\navtale\n" || !strings.HasPrefix(resp2.Header.Get("Content-Disposition"), "attachment") ||
			!strings.Contains(resp2.Header.Get("Content-Security-Policy"), "sandbox") {
			t.Errorf("download: %d %q", resp2.StatusCode, resp2.Header.Get("Content-Disposition"))
		}
		// Remove the party; unpublish, and visitors no longer find it.
		if resp, _ := sec.post(page0+"/parter/"+itoa(asker.ID)+"/fjern", url.Values{"csrf": {token}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("remove party: %d", resp.StatusCode)
		}
		form.Del("published")
		form.Set("title_nb", "Samarbeidsavtale med USN")
		form.Set("slug", g.Slug)
		if resp, _ := sec.post(page0+"/endre", form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit: %d", resp.StatusCode)
		}
		g, _ = db.Agreement(ctx, vr.ID, g.Slug)
		if g.TitleNB != "Samarbeidsavtale med USN" || g.Published || len(g.Parties) != 0 || len(g.Signatories) != 1 {
			t.Errorf("after edit: %+v", g)
		}
		for _, p := range []string{page0, page0 + "/dokumenter/" + itoa(g.Documents[0].ID)} {
			if code, _ := anon.get(p); code != http.StatusNotFound {
				t.Errorf("unpublished %s: %d, want 404", p, code)
			}
		}
		if code, _ := sec.get(page0); code != http.StatusOK {
			t.Errorf("the secretariat's view of an unpublished agreement: %d", code)
		}
	})
}
