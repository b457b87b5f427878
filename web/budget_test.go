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

// TestBudgetPage keeps a budget as the secretariat: lines through the form,
// a refused line in euros, the accounts imported from a CSV export with a
// bad line named, and the public page with budget against accounts.
func TestBudgetPage(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ts := httptest.NewServer(demoServer(t, db))
		defer ts.Close()
		or, _ := db.AllianceBySlug(ctx, "osloregionen")

		code, body := newBrowser(t, ts.URL).get("/allianser/osloregionen/budsjett/2019")
		ft, err := db.FeeTable(ctx, or.ID, 2019)
		if err != nil {
			t.Fatal(err)
		}
		if code != http.StatusOK || !strings.Contains(body, ft.Total.Norwegian()) || !strings.Contains(body, "Beregnet fra kontingenttabellen") {
			t.Errorf("budget 2019: %d, want the fee table's total %s", code, ft.Total.Norwegian())
		}
		if strings.Contains(body, `name="csrf"`) {
			t.Error("a visitor sees the budget forms")
		}
		if code, _ := newBrowser(t, ts.URL).get("/allianser/osloregionen/budsjett/2031"); code != http.StatusNotFound {
			t.Errorf("a year without a budget, as a visitor: %d", code)
		}

		if _, err := db.CreateUser(ctx, "s@example.no", "S", "et langt passord her", or.ID, samrad.RoleSecretariat, fastHash); err != nil {
			t.Fatal(err)
		}
		sec := newBrowser(t, ts.URL)
		sec.login("s@example.no", "et langt passord her")
		const page = "/allianser/osloregionen/budsjett/2019"
		_, body = sec.get(page)
		token := sec.csrf(body)
		post := func(path string, form url.Values) (int, string) {
			form.Set("csrf", token)
			resp, body := sec.post(path, form)
			return resp.StatusCode, body
		}
		for _, l := range []url.Values{
			{"account": {"3400"}, "title": {"Statstilskudd"}, "category": {"grants"}, "amount": {"500 000"}, "currency": {"NOK"}},
			{"account": {"5000"}, "title": {"Lønn"}, "category": {"fixed"}, "amount": {"1800000"}, "currency": {"NOK"}},
		} {
			if code, body := post(page+"/linjer", l); code != http.StatusSeeOther {
				t.Fatalf("line %s: %d %s", l.Get("account"), code, body)
			}
		}
		code, body = post(page+"/linjer", url.Values{"account": {"7700"}, "title": {"Studietur Brussel"}, "category": {"projects"}, "amount": {"12 000"}, "currency": {"EUR"}})
		if code != http.StatusBadRequest || !strings.Contains(body, `id="line-currency-error"`) || !strings.Contains(body, "Studietur Brussel") {
			t.Errorf("a line in euros: %d, want 400 on the currency with the title kept", code)
		}
		if code, body := post(page+"/linjer", url.Values{"account": {"3110"}, "title": {"Kontingent"}, "category": {"fees"}, "amount": {"1"}}); code != http.StatusBadRequest ||
			!strings.Contains(body, `id="line-amount-error"`) {
			t.Errorf("typed fee income: %d", code)
		}
		if b, _ := db.Budget(ctx, or.ID, 2019); len(b.Lines) != 3 {
			t.Errorf("%d lines, want 3 (the fee line and two added)", len(b.Lines))
		}
		// Changing a line keeps its id.
		b, _ := db.Budget(ctx, or.ID, 2019)
		var salary samrad.BudgetLine
		for _, l := range b.Lines {
			if l.Account == "5000" {
				salary = l
			}
		}
		if _, body := sec.get(page + "?linje=" + itoa(salary.ID)); !strings.Contains(body, "Endre budsjettlinje") || !strings.Contains(body, `value="Lønn"`) {
			t.Error("the edit link does not fill the form")
		}
		if code, _ := post(page+"/linjer", url.Values{"id": {itoa(salary.ID)}, "account": {"5000"}, "title": {"Lønn og sosiale kostnader"}, "category": {"fixed"}, "amount": {"1 850 000"}}); code != http.StatusSeeOther {
			t.Errorf("change a line: %d", code)
		}

		upload := func(filename, data string) (int, string) {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			mw.WriteField("csrf", token)
			fw, _ := mw.CreateFormFile("file", filename)
			fw.Write([]byte(data))
			mw.Close()
			resp, err := sec.c.Post(ts.URL+page+"/regnskap", mw.FormDataContentType(), &buf)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(b)
		}
		good := "Konto;Dato;Beløp;Tekst\n3100;15.02.2019;-3 000 000,00;Kontingent\n3400;2019-03-01;-500000;Tilskudd\n5000;2019-12-31;1 700 000;Lønn\n"
		if code, body := upload("regnskap.csv", strings.Replace(good, "-500000", "-500 000,5x", 1)); code != http.StatusBadRequest || !strings.Contains(body, "line 3: column &#34;Beløp&#34;") {
			t.Errorf("bad amount: %d, want 400 naming line 3", code)
		}
		if code, body := upload("regnskap.csv", good+"6800;2019-05-01;100;Møte\n"); code != http.StatusBadRequest || !strings.Contains(body, "account 6800 is not in the budget for 2019") {
			t.Errorf("unknown account: %d", code)
		}
		if imps, _ := db.LedgerImports(ctx, or.ID, 2019); len(imps) != 0 {
			t.Fatalf("refused files were imported: %d", len(imps))
		}
		if code, _ := upload("regnskap.csv", good); code != http.StatusSeeOther {
			t.Fatalf("import: %d", code)
		}
		st, _ := db.BudgetStatement(ctx, or.ID, 2019)
		if st.IncomeActual.String() != "3500000.00" || st.CostActual.String() != "1700000.00" || st.CostBudget.String() != "1850000.00" {
			t.Errorf("statement: income %s, costs %s (budget %s)", st.IncomeActual, st.CostActual, st.CostBudget)
		}
		_, body = newBrowser(t, ts.URL).get("/en/alliances/osloregionen/budget/2019")
		for _, want := range []string{"Budget 2019", "3,000,000.00", "1,700,000.00", "Carried over to 2020"} {
			if !strings.Contains(body, want) {
				t.Errorf("the English budget page has no %q", want)
			}
		}
		if strings.Contains(body, "regnskap.csv") {
			t.Error("a visitor sees the record of imports")
		}
	})
}
