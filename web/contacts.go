package web

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/samrad/samrad"
)

// A contact's e-mail address is never written into a page: address
// harvesters read pages by the million, so the pages show a link "E-mail
// NAME" to the contact's own page, where a button (a form, with the
// visitor's form token) shows the address as text and as a mailto: link.
// It works without JavaScript, with a keyboard and with a screen reader.
// How often one client may have addresses shown is limited per address
// (revealLimit), counted in the database for every instance.

// contactView is a contact as the public pages show it: without the address.
type contactView struct {
	samrad.Contact
	HasEmail bool
	Tel      template.URL // the number as a tel: URI
}

// contactBlock is the contact block of an alliance's public pages.
type contactBlock struct {
	Alliance samrad.Alliance
	Contacts []contactView
	Offices  []samrad.Office
}

// contacts reads an alliance's contact block, with the addresses removed.
func (s *Server) contacts(ctx context.Context, a samrad.Alliance) (contactBlock, error) {
	cs, os, err := s.db.Contacts(ctx, a.ID)
	if err != nil {
		return contactBlock{}, err
	}
	b := contactBlock{Alliance: a, Offices: os}
	for _, c := range cs {
		has := c.Email != ""
		c.Email = ""
		b.Contacts = append(b.Contacts, contactView{Contact: c, HasEmail: has, Tel: telURI(c.Phone)})
	}
	return b, nil
}

// telURI makes a tel: URI of a number as people write it:
// "+32 (0) 460 94 1393" is tel:+32460941393.
func telURI(phone string) template.URL {
	if phone == "" {
		return ""
	}
	p := strings.ReplaceAll(phone, "(0)", "")
	var b strings.Builder
	for i, r := range p {
		if (r >= '0' && r <= '9') || (r == '+' && i == 0) {
			b.WriteRune(r)
		}
	}
	return template.URL("tel:" + b.String()) // digits and '+' only
}

type contactEmailData struct {
	Alliance samrad.Alliance
	Contact  contactView
	Email    string // shown after the button
	CSRF     string
	Limited  bool
}

func (s *Server) contactPage(r *http.Request) (samrad.Alliance, samrad.Contact, error) {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return a, samrad.Contact{}, err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return a, samrad.Contact{}, samrad.Errorf(samrad.ENOTFOUND, "no contact %q", r.PathValue("id"))
	}
	c, err := s.db.Contact(ctx, a.ID, id)
	if err == nil && c.Email == "" {
		err = samrad.Errorf(samrad.ENOTFOUND, "the contact has no e-mail address")
	}
	return a, c, err
}

// handleContactEmail shows the button that shows a contact's address.
func (s *Server) handleContactEmail(w http.ResponseWriter, r *http.Request, v *view) error {
	a, c, err := s.contactPage(r)
	if err != nil {
		return err
	}
	token := v.CSRF
	if v.User == nil {
		token = s.anonymousCSRF(w, r)
	}
	return s.renderContactEmail(w, v, http.StatusOK, a, c, contactEmailData{CSRF: token})
}

// handleRevealEmail answers the button with the address.
func (s *Server) handleRevealEmail(w http.ResponseWriter, r *http.Request, v *view) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	if err := checkCSRF(r, v); err != nil {
		return err
	}
	a, c, err := s.contactPage(r)
	if err != nil {
		return err
	}
	d := contactEmailData{CSRF: r.PostFormValue("csrf")}
	status := http.StatusOK
	var limited *limitedError
	switch err := s.allow(r, revealLimit, "client:"+s.clientIP(r)); {
	case errors.As(err, &limited):
		retryAfter(w, limited)
		d.Limited, status = true, http.StatusTooManyRequests
	case err != nil:
		return err
	default:
		d.Email = c.Email
	}
	return s.renderContactEmail(w, v, status, a, c, d)
}

func (s *Server) renderContactEmail(w http.ResponseWriter, v *view, status int, a samrad.Alliance, c samrad.Contact, d contactEmailData) error {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Robots-Tag", "noindex, nofollow")
	d.Alliance = a
	c.Email = ""
	d.Contact = contactView{Contact: c, HasEmail: true, Tel: telURI(c.Phone)}
	title := s.cat.T(v.Lang, "email_to", c.Name)
	v.Title, v.Nav, v.Data = title, "home", d
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), title, "")
	s.render(w, status, "contact_email", v)
	return nil
}

// handleSaveContact creates or changes a contact of the alliance.
func (s *Server) handleSaveContact(w http.ResponseWriter, r *http.Request, v *view) error {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return err
	}
	f := newForm("contact", r)
	c := samrad.Contact{AllianceID: a.ID, Name: f.Get("name"), Title: f.Get("title"), Phone: f.Get("phone"), Email: f.Get("email")}
	c.ID, _ = strconv.ParseInt(f.Get("id"), 10, 64)
	if x := f.Get("person"); x != "" {
		if c.PersonID, err = strconv.ParseInt(x, 10, 64); err != nil {
			f.Errors["person"] = s.cat.T(v.Lang, "unknown_person")
		}
	}
	err = nil
	if len(f.Errors) == 0 {
		err = s.db.SaveContact(ctx, &c)
	}
	if samrad.ErrorCode(err) == samrad.ENOTFOUND {
		return err
	}
	return settle(w, r, f, err, "name", Path(v.Lang, "alliance", a.Slug)+"#kontakt",
		func(status int, fs forms) error { return s.alliancePage(w, r, v, status, fs) })
}

// handleSaveOffice creates or changes an office of the alliance.
func (s *Server) handleSaveOffice(w http.ResponseWriter, r *http.Request, v *view) error {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return err
	}
	f := newForm("office", r)
	o := samrad.Office{AllianceID: a.ID, Name: f.Get("name"), Lines: strings.Split(strings.ReplaceAll(f.Get("lines"), "\r\n", "\n"), "\n"),
		PostalCode: f.Get("postal_code"), City: f.Get("city")}
	o.ID, _ = strconv.ParseInt(f.Get("id"), 10, 64)
	err = s.db.SaveOffice(ctx, &o)
	if samrad.ErrorCode(err) == samrad.ENOTFOUND {
		return err
	}
	return settle(w, r, f, err, "name", Path(v.Lang, "alliance", a.Slug)+"#kontakt",
		func(status int, fs forms) error { return s.alliancePage(w, r, v, status, fs) })
}

// handleDeleteContact and handleDeleteOffice remove a contact or an office.
func (s *Server) handleDeleteContact(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.deleteFromBlock(w, r, v, func(ctx context.Context, allianceID, id int64) error { return s.db.DeleteContact(ctx, allianceID, id) })
}

func (s *Server) handleDeleteOffice(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.deleteFromBlock(w, r, v, func(ctx context.Context, allianceID, id int64) error { return s.db.DeleteOffice(ctx, allianceID, id) })
}

func (s *Server) deleteFromBlock(w http.ResponseWriter, r *http.Request, v *view, del func(ctx context.Context, allianceID, id int64) error) error {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
	}
	if err := del(ctx, a.ID, id); err != nil {
		return err
	}
	http.Redirect(w, r, Path(v.Lang, "alliance", a.Slug)+"#kontakt", http.StatusSeeOther)
	return nil
}
