package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/auth"
	"github.com/samrad/samrad/mail"
	"github.com/samrad/samrad/store"
)

// Token purposes and lifetimes of the newsletter's links.
const (
	purposeConfirm = "newsletter-confirm"
	purposeManage  = "newsletter-manage"
	confirmFor     = 7 * 24 * time.Hour
)

type newsletterData struct {
	Alliance samrad.Alliance
	Lists    []samrad.NewsletterList
	Consent  string
	Sent     bool // the sign-up was taken: check your e-mail
	CanEdit  bool
	Forms    forms
}

func (s *Server) handleNewsletter(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.newsletterPage(w, r, v, http.StatusOK, nil)
}

// newsletterPage is the public sign-up form: the alliance's lists, the
// address, an optional name, the language, and the consent text that is
// stored with the sign-up.
func (s *Server) newsletterPage(w http.ResponseWriter, r *http.Request, v *view, status int, fs forms) error {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	lists, err := s.db.Lists(ctx, a.ID)
	if err != nil {
		return err
	}
	if v.User == nil {
		v.CSRF = s.anonymousCSRF(w, r)
	}
	data := newsletterData{Alliance: a, Lists: lists, Consent: s.cat.T(v.Lang, "newsletter_consent", a.Name(v.Lang)),
		Sent: r.URL.Query().Get("ok") == "1", CanEdit: v.User.Can(a.ID, samrad.RoleSecretariat), Forms: fs}
	title := s.cat.T(v.Lang, "newsletter")
	v.Title, v.Nav, v.Data = title+" – "+a.Name(v.Lang), "home", data
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), title, "")
	s.render(w, status, "newsletter", v)
	return nil
}

// handleSubscribe takes a sign-up and queues the e-mail with the
// confirmation link. The answer is the same whether the address was new,
// pending or subscribed already, so the form tells no one who subscribes.
func (s *Server) handleSubscribe(w http.ResponseWriter, r *http.Request, v *view) error {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	if err := checkCSRF(r, v); err != nil {
		return err
	}
	f := newForm("subscribe", r)
	sub := samrad.Subscriber{AllianceID: a.ID, Email: f.Get("email"), Name: f.Get("name"), Lang: f.Get("lang"),
		Consent: s.cat.T(v.Lang, "newsletter_consent", a.Name(v.Lang))}
	if sub.Lang == "" {
		sub.Lang = v.Lang
	}
	sub.Lists = formIDs(r, "lists")
	if f.Get("consent") != "yes" {
		f.Errors["consent"] = s.cat.T(v.Lang, "newsletter_consent_required")
	}
	if len(f.Errors) == 0 {
		secret, serr := s.db.Secret(ctx, "newsletter")
		if serr != nil {
			return serr
		}
		err = s.db.Subscribe(ctx, &sub, func(sub samrad.Subscriber) (store.OutboxMessage, error) {
			return s.confirmMessage(a, sub, secret)
		})
	}
	return settle(w, r, f, err, "email", Path(v.Lang, "newsletter", a.Slug)+"?ok=1#pamelding",
		func(status int, fs forms) error { return s.newsletterPage(w, r, v, status, fs) })
}

// formIDs reads the ids a form posted under name, ignoring what is not a number.
func formIDs(r *http.Request, name string) []int64 {
	var ids []int64
	for _, x := range r.PostForm[name] {
		if id, err := strconv.ParseInt(x, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

// mailFromFor is the sender of an alliance's e-mail: the configured
// address with the alliance's name.
func (s *Server) mailFromFor(a samrad.Alliance, lang string) mail.Address {
	from := s.mailFrom
	if from.Email == "" {
		from.Email = "noreply@samrad.invalid"
	}
	from.Name = a.Name(lang)
	return from
}

// outboxMessage builds m for the outbox.
func outboxMessage(kind string, m *mail.Message) (store.OutboxMessage, error) {
	data, err := m.Bytes()
	if err != nil {
		return store.OutboxMessage{}, err
	}
	return store.OutboxMessage{Kind: kind, From: m.From.Email, To: m.To[0].Email, Data: data}, nil
}

// confirmMessage is the double opt-in e-mail: the link to confirm a
// pending sign-up, or, for an address subscribed already, the link to its
// preferences.
func (s *Server) confirmMessage(a samrad.Alliance, sub samrad.Subscriber, secret []byte) (store.OutboxMessage, error) {
	lang := sub.Lang
	m := &mail.Message{From: s.mailFromFor(a, lang), To: []mail.Address{{Name: sub.Name, Email: sub.Email}}}
	var text strings.Builder
	if sub.Status == samrad.SubscriberConfirmed {
		m.Subject = s.cat.T(lang, "newsletter_already_subject", a.Name(lang))
		link := s.baseURL + Path(lang, "nl_prefs", a.Slug, auth.Sign(secret, purposeManage, sub.ID, time.Time{}))
		fmt.Fprintf(&text, "%s\n\n%s\n%s\n", s.cat.T(lang, "newsletter_already_text", a.Name(lang)), s.cat.T(lang, "newsletter_prefs"), link)
	} else {
		m.Subject = s.cat.T(lang, "newsletter_confirm_subject", a.Name(lang))
		link := s.baseURL + Path(lang, "nl_confirm", a.Slug, auth.Sign(secret, purposeConfirm, sub.ID, time.Now().Add(confirmFor)))
		fmt.Fprintf(&text, "%s\n\n%s\n\n%s\n", s.cat.T(lang, "newsletter_confirm_text", a.Name(lang)), link, s.cat.T(lang, "newsletter_confirm_ignore"))
	}
	m.Text = text.String()
	return outboxMessage("newsletter_confirm", m)
}

// errLeft is the answer to a genuine link of a subscriber who has left.
var errLeft = errors.New("newsletter: the subscriber has left")

// subscriberFromToken reads the {token} of a newsletter link. A genuine
// link of a subscriber who has since left gives an ENOTFOUND error that
// wraps errLeft.
func (s *Server) subscriberFromToken(r *http.Request, v *view, purpose string) (samrad.Alliance, samrad.Subscriber, error) {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return a, samrad.Subscriber{}, err
	}
	secret, err := s.db.Secret(ctx, "newsletter")
	if err != nil {
		return a, samrad.Subscriber{}, err
	}
	id, err := auth.Verify(secret, purpose, r.PathValue("token"), time.Now())
	switch {
	case errors.Is(err, auth.ErrExpired):
		return a, samrad.Subscriber{}, samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "newsletter_link_expired"))
	case err != nil:
		return a, samrad.Subscriber{}, samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "newsletter_link_invalid"))
	}
	sub, err := s.db.Subscriber(ctx, a.ID, id)
	if samrad.ErrorCode(err) == samrad.ENOTFOUND {
		return a, sub, errors.Join(samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "newsletter_gone")), errLeft)
	}
	return a, sub, err
}

type subscriptionData struct {
	Alliance   samrad.Alliance
	Subscriber samrad.Subscriber
	Lists      []samrad.NewsletterList
	List       samrad.NewsletterList // the list of an unsubscribe link
	Step       string                // "confirm", "confirmed", "prefs", "saved", "unsubscribe", "gone"
	Token      string
	ManageURL  string
	Forms      forms
}

func (d subscriptionData) Has(list int64) bool {
	for _, l := range d.Subscriber.Lists {
		if l == list {
			return true
		}
	}
	return false
}

func (s *Server) subscriptionPage(w http.ResponseWriter, v *view, status int, d subscriptionData) error {
	title := s.cat.T(v.Lang, "newsletter_step_"+d.Step)
	v.Title, v.Nav, v.Data = title+" – "+d.Alliance.Name(v.Lang), "home", d
	v.crumbs(d.Alliance.Name(v.Lang), Path(v.Lang, "alliance", d.Alliance.Slug), s.cat.T(v.Lang, "newsletter"), Path(v.Lang, "newsletter", d.Alliance.Slug), title, "")
	s.render(w, status, "subscription", v)
	return nil
}

// handleConfirmLink shows the confirmation button. Confirming takes a
// POST, so that a mail scanner following the link confirms nothing.
func (s *Server) handleConfirmLink(w http.ResponseWriter, r *http.Request, v *view) error {
	a, sub, err := s.subscriberFromToken(r, v, purposeConfirm)
	if err != nil {
		return err
	}
	step := "confirm"
	if sub.Status == samrad.SubscriberConfirmed {
		step = "confirmed"
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.subscriptionPage(w, v, http.StatusOK, subscriptionData{Alliance: a, Subscriber: sub, Step: step, Token: r.PathValue("token"),
		ManageURL: s.manageURL(r.Context(), v.Lang, a, sub.ID)})
}

// handleConfirm confirms a sign-up. The link's token proves the address;
// no session or form token is needed.
func (s *Server) handleConfirm(w http.ResponseWriter, r *http.Request, v *view) error {
	a, sub, err := s.subscriberFromToken(r, v, purposeConfirm)
	if err != nil {
		return err
	}
	if err := s.db.ConfirmSubscriber(r.Context(), a.ID, sub.ID); err != nil {
		return err
	}
	sub.Status = samrad.SubscriberConfirmed
	return s.subscriptionPage(w, v, http.StatusOK, subscriptionData{Alliance: a, Subscriber: sub, Step: "confirmed",
		ManageURL: s.manageURL(r.Context(), v.Lang, a, sub.ID)})
}

func (s *Server) manageURL(ctx context.Context, lang string, a samrad.Alliance, id int64) string {
	secret, err := s.db.Secret(ctx, "newsletter")
	if err != nil {
		return ""
	}
	return Path(lang, "nl_prefs", a.Slug, auth.Sign(secret, purposeManage, id, time.Time{}))
}

// handlePreferences shows a subscriber's lists and language, from the link
// in every e-mail.
func (s *Server) handlePreferences(w http.ResponseWriter, r *http.Request, v *view) error {
	a, sub, err := s.subscriberFromToken(r, v, purposeManage)
	if err != nil {
		return err
	}
	lists, err := s.db.Lists(r.Context(), a.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.subscriptionPage(w, v, http.StatusOK, subscriptionData{Alliance: a, Subscriber: sub, Lists: lists, Step: "prefs", Token: r.PathValue("token")})
}

// handleSavePreferences changes the lists and language; leaving every list
// (or the button to leave them all) deletes the subscriber.
func (s *Server) handleSavePreferences(w http.ResponseWriter, r *http.Request, v *view) error {
	a, sub, err := s.subscriberFromToken(r, v, purposeManage)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	lists := formIDs(r, "lists")
	if r.PostFormValue("all") == "off" {
		lists = nil
	}
	lang := r.PostFormValue("lang")
	if err := s.db.SetPreferences(r.Context(), a.ID, sub.ID, lists, lang); err != nil {
		return err
	}
	step := "saved"
	if len(lists) == 0 {
		step = "gone"
	}
	sub.Lists, sub.Lang = lists, lang
	all, err := s.db.Lists(r.Context(), a.ID)
	if err != nil {
		return err
	}
	return s.subscriptionPage(w, v, http.StatusOK, subscriptionData{Alliance: a, Subscriber: sub, Lists: all, Step: step, Token: r.PathValue("token")})
}

// unsubscribeTarget reads an unsubscribe link: the list and the token made
// for that subscriber and list.
func (s *Server) unsubscribeTarget(r *http.Request, v *view) (samrad.Alliance, samrad.Subscriber, samrad.NewsletterList, error) {
	listID, _ := strconv.ParseInt(r.PathValue("list"), 10, 64)
	a, sub, err := s.subscriberFromToken(r, v, unsubscribePurpose(listID))
	if err != nil {
		return a, sub, samrad.NewsletterList{}, err
	}
	lists, err := s.db.Lists(r.Context(), a.ID)
	if err != nil {
		return a, sub, samrad.NewsletterList{}, err
	}
	for _, l := range lists {
		if l.ID == listID {
			return a, sub, l, nil
		}
	}
	return a, sub, samrad.NewsletterList{}, samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "newsletter_link_invalid"))
}

func unsubscribePurpose(listID int64) string {
	return "newsletter-unsubscribe-" + strconv.FormatInt(listID, 10)
}

// handleUnsubscribeLink asks before unsubscribing: links in e-mail are
// followed by scanners, so leaving takes a POST.
func (s *Server) handleUnsubscribeLink(w http.ResponseWriter, r *http.Request, v *view) error {
	a, sub, list, err := s.unsubscribeTarget(r, v)
	if errors.Is(err, errLeft) {
		// Left already: say so, as the first time.
		return s.subscriptionPage(w, v, http.StatusOK, subscriptionData{Alliance: a, Step: "gone"})
	}
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.subscriptionPage(w, v, http.StatusOK, subscriptionData{Alliance: a, Subscriber: sub, List: list, Step: "unsubscribe", Token: r.PathValue("token"),
		ManageURL: s.manageURL(r.Context(), v.Lang, a, sub.ID)})
}

// handleUnsubscribe takes the subscriber off the list: the button on the
// page, or a mail program's one-click unsubscribe (RFC 8058: a POST with
// List-Unsubscribe=One-Click to the List-Unsubscribe address). The token
// in the address is the authority, so no session or form token is asked
// for; unsubscribing twice gives the same answer.
func (s *Server) handleUnsubscribe(w http.ResponseWriter, r *http.Request, v *view) error {
	a, sub, list, err := s.unsubscribeTarget(r, v)
	if errors.Is(err, errLeft) {
		// Left already: say so, as the first time.
		return s.subscriptionPage(w, v, http.StatusOK, subscriptionData{Alliance: a, Step: "gone"})
	}
	if err != nil {
		return err
	}
	if err := s.db.Unsubscribe(r.Context(), a.ID, sub.ID, list.ID); err != nil {
		return err
	}
	return s.subscriptionPage(w, v, http.StatusOK, subscriptionData{Alliance: a, List: list, Step: "gone"})
}

// issueMessage builds one subscriber's copy of an issue: plain text and
// HTML, with the one-click unsubscribe headers of RFC 8058 and a link to
// the preferences.
func (s *Server) issueMessage(a samrad.Alliance, list samrad.NewsletterList, i samrad.NewsletterIssue, articles []samrad.Article, sub samrad.Subscriber, secret []byte) (store.OutboxMessage, error) {
	lang := sub.Lang
	unsub := s.baseURL + Path(lang, "nl_unsub", a.Slug, strconv.FormatInt(list.ID, 10), auth.Sign(secret, unsubscribePurpose(list.ID), sub.ID, time.Time{}))
	prefs := s.baseURL + Path(lang, "nl_prefs", a.Slug, auth.Sign(secret, purposeManage, sub.ID, time.Time{}))
	d := s.issueMail(lang, a, list, i, articles, s.baseURL, prefs, unsub)
	var text strings.Builder
	for _, p := range d.Intro {
		fmt.Fprintf(&text, "%s\n\n", p)
	}
	for _, art := range d.Articles {
		fmt.Fprintf(&text, "%s\n%s\n%s: %s\n\n", art.Title.Text, art.Summary.Text, d.ReadMore, art.URL)
	}
	for _, p := range d.Outro {
		fmt.Fprintf(&text, "%s\n\n", p)
	}
	fmt.Fprintf(&text, "-- \n%s\n%s: %s\n%s: %s\n", d.Footer, d.PrefsText, prefs, d.UnsubText, unsub)
	var html bytes.Buffer
	if err := issueHTML.Execute(&html, d); err != nil {
		return store.OutboxMessage{}, err
	}
	host := "samrad"
	if u, err := url.Parse(s.baseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	m := &mail.Message{From: s.mailFromFor(a, lang), To: []mail.Address{{Name: sub.Name, Email: sub.Email}}, Subject: i.Subject,
		Text: text.String(), HTML: html.String(), Headers: map[string]string{
			"List-Unsubscribe":      "<" + unsub + ">",
			"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
			"List-Id":               fmt.Sprintf("%s <%s.%s.%s>", list.Name(lang), list.Slug, a.Slug, host),
			"Precedence":            "list",
		}}
	return outboxMessage("newsletter_issue", m)
}

// issueMail is what an issue shows in lang, with links to the articles
// under base ("" for links on this site) and to the subscriber's
// preferences and unsubscribe pages.
func (s *Server) issueMail(lang string, a samrad.Alliance, l samrad.NewsletterList, i samrad.NewsletterIssue, articles []samrad.Article, base, prefs, unsub string) issueMail {
	d := issueMail{Lang: lang, Alliance: a.Name(lang), List: l.Name(lang), Subject: i.Subject, Intro: paragraphs(i.Intro), Outro: paragraphs(i.Outro),
		Prefs: prefs, Unsubscribe: unsub, Footer: s.cat.T(lang, "newsletter_footer", l.Name(lang), a.Name(lang)),
		PrefsText: s.cat.T(lang, "newsletter_prefs"), UnsubText: s.cat.T(lang, "newsletter_unsubscribe"), ReadMore: s.cat.T(lang, "read_more")}
	for _, art := range articles {
		d.Articles = append(d.Articles, issueArticle{Title: art.Title(lang), Summary: art.Summary(lang), URL: base + s.articlePath(lang, a, art)})
	}
	return d
}

type issueMail struct {
	Lang, Alliance, List, Subject          string
	Intro, Outro                           []string
	Articles                               []issueArticle
	Prefs, Unsubscribe                     string
	Footer, PrefsText, UnsubText, ReadMore string
}

type issueArticle struct {
	Title, Summary samrad.Text
	URL            string
}

// issueHTML is the HTML part of an issue: simple, with its own styles
// inline, as mail programs want.
var issueHTML = template.Must(template.New("issue").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body style="margin:0;padding:1em;font-family:Arial,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;background:#fff">
<div style="max-width:40em;margin:0 auto">
<p style="color:#555">{{.Alliance}} · {{.List}}</p>
<h1 style="font-size:1.5em">{{.Subject}}</h1>
{{range .Intro}}<p>{{.}}</p>{{end}}
{{range .Articles}}<h2 style="font-size:1.2em;margin-bottom:0.2em"{{if ne .Title.Lang $.Lang}} lang="{{.Title.Lang}}"{{end}}><a href="{{.URL}}" style="color:#0b5394">{{.Title.Text}}</a></h2>
<p{{if ne .Summary.Lang $.Lang}} lang="{{.Summary.Lang}}"{{end}}>{{.Summary.Text}}</p>{{end}}
{{range .Outro}}<p>{{.}}</p>{{end}}
<hr style="border:0;border-top:1px solid #ccc">
<p style="font-size:0.9em;color:#555">{{.Footer}}<br><a href="{{.Prefs}}" style="color:#0b5394">{{.PrefsText}}</a> · <a href="{{.Unsubscribe}}" style="color:#0b5394">{{.UnsubText}}</a></p>
</div></body></html>
`))

type newsletterAdminData struct {
	Alliance    samrad.Alliance
	Lists       []samrad.NewsletterList
	Issues      []issueRow
	Subscribers []samrad.Subscriber
	ListNames   map[int64]string
	Articles    []samrad.Article
	Forms       forms
}

// issueForm is what the issue form partial needs.
type issueForm struct {
	CSRF, Lang, Action string
	Lists              []samrad.NewsletterList
	Articles           []samrad.Article
	Form               *form
	Issue              *samrad.NewsletterIssue // nil for a new issue
}

// IssueForm is the form for a new issue.
func (d newsletterAdminData) IssueForm(csrf, lang string, f *form, action string) issueForm {
	return issueForm{CSRF: csrf, Lang: lang, Action: action, Lists: d.Lists, Articles: d.Articles, Form: f}
}

// IssueForm is the form to change the draft.
func (d issuePageData) IssueForm(csrf, lang string, f *form, action string) issueForm {
	return issueForm{CSRF: csrf, Lang: lang, Action: action, Lists: d.Lists, Articles: d.Articles, Form: f, Issue: &d.Issue}
}

type issueRow struct {
	samrad.NewsletterIssue
	Counts store.OutboxCounts
}

func (s *Server) handleNewsletterAdmin(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.newsletterAdminPage(w, r, v, http.StatusOK, nil)
}

// newsletterAdminPage is the secretariat's desk: the lists, the issues with
// their delivery counts, and the subscribers (personal data: for the
// secretariat only).
func (s *Server) newsletterAdminPage(w http.ResponseWriter, r *http.Request, v *view, status int, fs forms) error {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	if err := s.requireRole(v, a, samrad.RoleSecretariat); err != nil {
		return err
	}
	d := newsletterAdminData{Alliance: a, Forms: fs, ListNames: map[int64]string{}}
	if d.Lists, err = s.db.Lists(ctx, a.ID); err != nil {
		return err
	}
	for _, l := range d.Lists {
		d.ListNames[l.ID] = l.Name(v.Lang)
	}
	issues, err := s.db.Issues(ctx, a.ID)
	if err != nil {
		return err
	}
	counts, err := s.db.CountOutboxOf(ctx, a.ID, "newsletter_issue")
	if err != nil {
		return err
	}
	for _, i := range issues {
		d.Issues = append(d.Issues, issueRow{NewsletterIssue: i, Counts: counts[i.ID]})
	}
	if d.Subscribers, err = s.db.Subscribers(ctx, a.ID); err != nil {
		return err
	}
	if d.Articles, err = s.db.Articles(ctx, a.ID, time.Now(), 30); err != nil {
		return err
	}
	title := s.cat.T(v.Lang, "newsletter_admin")
	v.Title, v.Nav, v.Data = title+" – "+a.Name(v.Lang), "home", d
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), title, "")
	s.render(w, status, "newsletter_admin", v)
	return nil
}

// handleAddList creates a newsletter list (the newsletter, or a topic).
func (s *Server) handleAddList(w http.ResponseWriter, r *http.Request, v *view) error {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return err
	}
	f := newForm("list", r)
	l := samrad.NewsletterList{AllianceID: a.ID, Slug: f.Get("slug"), NameNB: f.Get("name_nb"), NameEN: f.Get("name_en"),
		DescriptionNB: f.Get("description_nb"), DescriptionEN: f.Get("description_en")}
	if l.Slug == "" {
		l.Slug = samrad.Slugify(l.NameNB)
	}
	err = s.db.CreateList(ctx, &l)
	return settle(w, r, f, err, "name_nb", Path(v.Lang, "nl_admin", a.Slug),
		func(status int, fs forms) error { return s.newsletterAdminPage(w, r, v, status, fs) })
}

// issueFromForm reads an issue's fields.
func issueFromForm(r *http.Request, f *form, a samrad.Alliance) samrad.NewsletterIssue {
	i := samrad.NewsletterIssue{AllianceID: a.ID, Subject: f.Get("subject"), Intro: f.Get("intro"), Outro: f.Get("outro"), Articles: formIDs(r, "articles")}
	i.ListID, _ = strconv.ParseInt(f.Get("list"), 10, 64)
	return i
}

// handleNewIssue stores a new draft issue and opens it.
func (s *Server) handleNewIssue(w http.ResponseWriter, r *http.Request, v *view) error {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return err
	}
	f := newForm("issue", r)
	i := issueFromForm(r, f, a)
	err = s.db.SaveIssue(ctx, &i)
	return settle(w, r, f, err, "subject", Path(v.Lang, "nl_issue", a.Slug, strconv.FormatInt(i.ID, 10)),
		func(status int, fs forms) error { return s.newsletterAdminPage(w, r, v, status, fs) })
}

type issuePageData struct {
	Alliance samrad.Alliance
	Issue    samrad.NewsletterIssue
	List     samrad.NewsletterList
	Lists    []samrad.NewsletterList
	Articles []samrad.Article // to choose from
	Preview  template.HTML    // the HTML part as a subscriber gets it
	Counts   store.OutboxCounts
	Log      []store.OutboxEntry
	Forms    forms
}

func (d issuePageData) Chosen(id int64) bool {
	for _, x := range d.Issue.Articles {
		if x == id {
			return true
		}
	}
	return false
}

func (s *Server) handleIssue(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.issuePage(w, r, v, http.StatusOK, nil)
}

// issuePage shows an issue as subscribers will get it, the form to change
// it while it is a draft, the button to send it, and afterwards the
// delivery counts and the send log.
func (s *Server) issuePage(w http.ResponseWriter, r *http.Request, v *view, status int, fs forms) error {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	if err := s.requireRole(v, a, samrad.RoleSecretariat); err != nil {
		return err
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	d := issuePageData{Alliance: a, Forms: fs}
	if d.Issue, err = s.db.Issue(ctx, a.ID, id); err != nil {
		return err
	}
	if d.Lists, err = s.db.Lists(ctx, a.ID); err != nil {
		return err
	}
	for _, l := range d.Lists {
		if l.ID == d.Issue.ListID {
			d.List = l
		}
	}
	if d.Articles, err = s.db.Articles(ctx, a.ID, time.Now(), 30); err != nil {
		return err
	}
	chosen, err := s.issueArticles(ctx, a, d.Issue)
	if err != nil {
		return err
	}
	preview, err := s.issueMessagePreview(a, d.List, d.Issue, chosen, v.Lang)
	if err != nil {
		return err
	}
	d.Preview = preview
	if d.Issue.Status == samrad.IssueSent {
		if d.Counts, err = s.db.CountOutbox(ctx, "newsletter_issue", id); err != nil {
			return err
		}
		if d.Log, err = s.db.OutboxLog(ctx, a.ID, "newsletter_issue", id, 200); err != nil {
			return err
		}
	}
	title := s.cat.T(v.Lang, "newsletter_issue_title", d.Issue.Subject)
	v.Title, v.Nav, v.Data = title+" – "+a.Name(v.Lang), "home", d
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), s.cat.T(v.Lang, "newsletter_admin"), Path(v.Lang, "nl_admin", a.Slug), title, "")
	s.render(w, status, "newsletter_issue", v)
	return nil
}

// issueArticles reads the issue's articles in its order, leaving out any
// that has been deleted or is not the alliance's.
func (s *Server) issueArticles(ctx context.Context, a samrad.Alliance, i samrad.NewsletterIssue) ([]samrad.Article, error) {
	var out []samrad.Article
	for _, id := range i.Articles {
		art, err := s.db.Article(ctx, id)
		if samrad.ErrorCode(err) == samrad.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		if art.AllianceID == a.ID {
			out = append(out, art)
		}
	}
	return out, nil
}

// issueMessagePreview renders the HTML part for a made-up subscriber.
func (s *Server) issueMessagePreview(a samrad.Alliance, l samrad.NewsletterList, i samrad.NewsletterIssue, articles []samrad.Article, lang string) (template.HTML, error) {
	d := s.issueMail(lang, a, l, i, articles, "", "#", "#")
	var b bytes.Buffer
	if err := issuePreviewHTML.Execute(&b, d); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil
}

// issuePreviewHTML is the issue's content for the preview on the page.
var issuePreviewHTML = template.Must(template.New("preview").Parse(`{{range .Intro}}<p>{{.}}</p>{{end}}
{{range .Articles}}<h3{{if ne .Title.Lang $.Lang}} lang="{{.Title.Lang}}"{{end}}><a href="{{.URL}}">{{.Title.Text}}</a></h3>
<p{{if ne .Summary.Lang $.Lang}} lang="{{.Summary.Lang}}"{{end}}>{{.Summary.Text}}</p>{{end}}
{{range .Outro}}<p>{{.}}</p>{{end}}
<p class="muted">{{.Footer}} {{.PrefsText}} · {{.UnsubText}}</p>`))

// handleSaveIssue changes a draft issue.
func (s *Server) handleSaveIssue(w http.ResponseWriter, r *http.Request, v *view) error {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return err
	}
	f := newForm("issue", r)
	i := issueFromForm(r, f, a)
	i.ID, _ = strconv.ParseInt(r.PathValue("id"), 10, 64)
	err = s.db.SaveIssue(ctx, &i)
	if samrad.ErrorCode(err) == samrad.ENOTFOUND {
		return err
	}
	return settle(w, r, f, err, "subject", Path(v.Lang, "nl_issue", a.Slug, r.PathValue("id")),
		func(status int, fs forms) error { return s.issuePage(w, r, v, status, fs) })
}

// handleSendIssue queues the issue for every confirmed subscriber of its
// list, each with their own unsubscribe link, in one transaction.
func (s *Server) handleSendIssue(w http.ResponseWriter, r *http.Request, v *view) error {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return err
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	f := newForm("send", r)
	i, err := s.db.Issue(ctx, a.ID, id)
	if err != nil {
		return err
	}
	lists, err := s.db.Lists(ctx, a.ID)
	if err != nil {
		return err
	}
	var list samrad.NewsletterList
	for _, l := range lists {
		if l.ID == i.ListID {
			list = l
		}
	}
	articles, err := s.issueArticles(ctx, a, i)
	if err != nil {
		return err
	}
	secret, err := s.db.Secret(ctx, "newsletter")
	if err != nil {
		return err
	}
	_, err = s.db.SendIssue(ctx, a.ID, id, func(sub samrad.Subscriber) (store.OutboxMessage, error) {
		return s.issueMessage(a, list, i, articles, sub, secret)
	})
	if err == nil && s.wake != nil {
		s.wake()
	}
	return settle(w, r, f, err, "send", Path(v.Lang, "nl_issue", a.Slug, r.PathValue("id")),
		func(status int, fs forms) error { return s.issuePage(w, r, v, status, fs) })
}

// handleResendUnknown queues again the messages of a sent issue that may
// have been sent (the sender stopped during their SMTP transaction): the
// secretariat decides that a second copy is better than none.
func (s *Server) handleResendUnknown(w http.ResponseWriter, r *http.Request, v *view) error {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return err
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if _, err := s.db.Issue(ctx, a.ID, id); err != nil {
		return err
	}
	n, err := s.db.ResendUnknown(ctx, a.ID, "newsletter_issue", id, time.Now())
	if err != nil {
		return err
	}
	if n > 0 && s.wake != nil {
		s.wake()
	}
	http.Redirect(w, r, Path(v.Lang, "nl_issue", a.Slug, r.PathValue("id")), http.StatusSeeOther)
	return nil
}

// SetOutboxWake gives the server a function that tells the outbox sender
// new messages are queued.
func (s *Server) SetOutboxWake(f func()) { s.wake = f }
