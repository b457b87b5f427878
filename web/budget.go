package web

import (
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/ledger"
	"github.com/samrad/samrad/store"
)

type budgetData struct {
	Alliance   samrad.Alliance
	Year       int
	Exists     bool
	Statement  samrad.BudgetStatement
	Years      []int
	Measures   map[int64]samrad.Measure // the year's measures by id
	MeasureIDs []int64                  // in programme order
	CanEdit    bool
	Forms      forms
	Categories []samrad.BudgetCategory
	Currencies []string
	Imports    []store.LedgerImport
	Editing    *samrad.BudgetLine // the line the form changes, if any
}

// currencies offered on a budget line; anything but NOK is refused with
// the reason, which is kinder than not letting a grant in euros be typed.
var currencies = []string{"NOK", "EUR", "SEK", "DKK", "USD"}

func (s *Server) handleBudget(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.budgetPage(w, r, v, http.StatusOK, nil)
}

// budgetPage shows a year's budget against its accounts. It is public, as
// the board's budget is; the secretariat also sees the forms and the
// record of imports, and may open a year that has no budget yet.
func (s *Server) budgetPage(w http.ResponseWriter, r *http.Request, v *view, status int, fs forms) error {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || year < 1900 || year > 2200 {
		return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
	}
	data := budgetData{Alliance: a, Year: year, CanEdit: v.User.Can(a.ID, samrad.RoleSecretariat), Forms: fs,
		Categories: samrad.BudgetCategories, Currencies: currencies, Measures: map[int64]samrad.Measure{}}
	data.Statement, err = s.db.BudgetStatement(ctx, a.ID, year)
	switch {
	case err == nil:
		data.Exists = true
	case samrad.ErrorCode(err) == samrad.ENOTFOUND && data.CanEdit:
		data.Statement.Budget = samrad.Budget{AllianceID: a.ID, Year: year}
	default:
		return err
	}
	if data.Years, err = s.db.BudgetYears(ctx, a.ID); err != nil {
		return err
	}
	p, err := s.db.Programme(ctx, a.ID, year)
	if err != nil && samrad.ErrorCode(err) != samrad.ENOTFOUND {
		return err
	}
	for _, sec := range p.Sections {
		for _, m := range sec.Measures {
			data.Measures[m.ID] = m
			data.MeasureIDs = append(data.MeasureIDs, m.ID)
		}
	}
	if data.CanEdit {
		if data.Imports, err = s.db.LedgerImports(ctx, a.ID, year); err != nil {
			return err
		}
		if id, err := strconv.ParseInt(v.param("line"), 10, 64); err == nil {
			for _, l := range data.Statement.Budget.Lines {
				if l.ID == id {
					data.Editing = &l
				}
			}
		}
	}
	title := s.cat.T(v.Lang, "budget_title", year)
	v.Title, v.Nav, v.Data = title+" – "+a.Name(v.Lang), "home", data
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), title, "")
	s.render(w, status, "budget", v)
	return nil
}

func (s *Server) budgetYear(r *http.Request, v *view) (samrad.Alliance, int, error) {
	a, err := s.db.AllianceBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return a, 0, err
	}
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || year < 1900 || year > 2200 {
		return a, 0, samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
	}
	return a, year, nil
}

// handleSaveBudget records the budget's adoption, opening balance and note.
func (s *Server) handleSaveBudget(w http.ResponseWriter, r *http.Request, v *view) error {
	a, year, err := s.budgetYear(r, v)
	if err != nil {
		return err
	}
	ctx, err := s.authorize(w, r, v, a)
	if err != nil {
		return err
	}
	f := newForm("budget", r)
	b := samrad.Budget{AllianceID: a.ID, Year: year, AdoptedBy: f.Get("adopted_by"), Note: f.Get("note")}
	b.AdoptedOn = s.formDate(v, f, "adopted_on")
	if x := f.Get("opening_balance"); x != "" {
		if b.OpeningBalance, err = samrad.ParseMoney(x); err != nil {
			f.Errors["opening_balance"] = s.cat.T(v.Lang, "bad_amount", x)
		}
	}
	err = nil
	if len(f.Errors) == 0 {
		err = s.db.SaveBudget(ctx, &b)
	}
	return settle(w, r, f, err, "adopted_by", Path(v.Lang, "budget", a.Slug, strconv.Itoa(year)),
		func(status int, fs forms) error { return s.budgetPage(w, r, v, status, fs) })
}

// handleBudgetLine adds a line to the budget, or changes one.
func (s *Server) handleBudgetLine(w http.ResponseWriter, r *http.Request, v *view) error {
	a, year, err := s.budgetYear(r, v)
	if err != nil {
		return err
	}
	ctx, err := s.authorize(w, r, v, a)
	if err != nil {
		return err
	}
	f := newForm("line", r)
	l := samrad.BudgetLine{Account: f.Get("account"), Title: f.Get("title"), Category: samrad.BudgetCategory(f.Get("category")), Currency: f.Get("currency")}
	if x := f.Get("id"); x != "" {
		if l.ID, err = strconv.ParseInt(x, 10, 64); err != nil {
			return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
		}
	}
	if x := f.Get("amount"); x != "" {
		if l.Amount, err = samrad.ParseMoney(x); err != nil {
			f.Errors["amount"] = s.cat.T(v.Lang, "bad_amount", x)
		}
	}
	if x := f.Get("measure"); x != "" {
		if l.MeasureID, err = strconv.ParseInt(x, 10, 64); err != nil {
			f.Errors["measure"] = s.cat.T(v.Lang, "unknown_measure")
		}
	}
	err = nil
	if len(f.Errors) == 0 {
		err = s.db.SetBudgetLine(ctx, a.ID, year, &l)
	}
	return settle(w, r, f, err, "title", Path(v.Lang, "budget", a.Slug, strconv.Itoa(year))+"#linje-"+strconv.FormatInt(l.ID, 10),
		func(status int, fs forms) error { return s.budgetPage(w, r, v, status, fs) })
}

// handleLedgerImport replaces the year's accounts with an uploaded export
// from the accounting system.
func (s *Server) handleLedgerImport(w http.ResponseWriter, r *http.Request, v *view) error {
	a, year, err := s.budgetYear(r, v)
	if err != nil {
		return err
	}
	if err := s.requireRole(v, a, samrad.RoleSecretariat); err != nil {
		return err
	}
	limitBody(w, r, ledger.MaxSize+1<<20)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		if errors.Is(err, http.ErrNotMultipart) {
			if err := checkCSRF(r, v); err != nil {
				return err
			}
			return samrad.FieldErrorf("file", "%s", s.cat.T(v.Lang, "choose_file"))
		}
		return samrad.Errorf(samrad.EINVALID, "%s", s.cat.T(v.Lang, "upload_too_large", ledger.MaxSize>>20))
	}
	defer r.MultipartForm.RemoveAll()
	if err := checkCSRF(r, v); err != nil {
		return err
	}
	f := newForm("ledger", r)
	file, header, err := r.FormFile("file")
	if err != nil {
		f.Errors["file"] = s.cat.T(v.Lang, "choose_file")
		return s.budgetPage(w, r, v, http.StatusBadRequest, forms{"ledger": f})
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, ledger.MaxSize+1))
	if err != nil {
		return err
	}
	ctx := samrad.WithActor(r.Context(), samrad.Actor{UserID: v.User.ID, Name: v.User.Email})
	_, err = s.db.ImportLedger(ctx, a.ID, year, header.Filename, data)
	return settle(w, r, f, err, "file", Path(v.Lang, "budget", a.Slug, strconv.Itoa(year))+"#regnskap",
		func(status int, fs forms) error { return s.budgetPage(w, r, v, status, fs) })
}
