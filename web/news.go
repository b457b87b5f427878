package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/picture"
	"github.com/samrad/samrad/store"
)

// uncached names the routes the page cache must not keep: image files
// (large, with their own cache headers) and pages with the visitor's own
// form token.
var uncached = map[string]bool{"image": true, "contact_email": true}

// searched names the routes kept in a cache of their own: each query is
// its own address, and many of them would crowd the pages out.
var searched = map[string]bool{"search": true, "search_alliance": true}

const newsPerPage = 10

// maxListPage is the highest page number a paged list is asked for; a
// higher one is refused before its offset could overflow.
const maxListPage = 1_000_000

// figure is an article's image as a page shows it.
type figure struct {
	Src, SrcSet   string
	Width, Height int
	Alt, Caption  samrad.Text
	Credit        string
	ID            int64
}

// articleView is an article with its links, for the list and its page.
type articleView struct {
	samrad.Article
	URL     string
	Figures []figure
}

func imagePath(lang, slug string, imageID int64, v samrad.ImageVariant) string {
	return Path(lang, "image", slug, fmt.Sprintf("%d-%d-%s.jpg", imageID, v.Width, v.SHA256[:16]))
}

// articlePath is the path of an article's page.
func (s *Server) articlePath(lang string, a samrad.Alliance, art samrad.Article) string {
	return Path(lang, "article", a.Slug, fmt.Sprintf("%d-%s", art.ID, art.Slug))
}

func (s *Server) articleView(lang string, al samrad.Alliance, a samrad.Article) articleView {
	slug := al.Slug
	av := articleView{Article: a, URL: s.articlePath(lang, al, a)}
	for _, im := range a.Images {
		if len(im.Variants) == 0 {
			continue
		}
		f := figure{ID: im.ID, Alt: im.Alt(lang), Caption: im.Caption(lang), Credit: im.Credit}
		var set []string
		for _, x := range im.Variants {
			u := imagePath(lang, slug, im.ID, x)
			set = append(set, fmt.Sprintf("%s %dw", u, x.Width))
			if f.Src == "" || x.Width <= 960 {
				f.Src, f.Width, f.Height = u, x.Width, x.Height
			}
		}
		l := im.Largest()
		f.Width, f.Height = l.Width, l.Height // the intrinsic size, for the aspect ratio
		f.SrcSet = strings.Join(set, ", ")
		av.Figures = append(av.Figures, f)
	}
	return av
}

// articleID reads the article number at the start of the {id} segment
// ("12-kontaktgruppesamling-i-baerum").
func articleID(r *http.Request) (int64, error) {
	x, _, _ := strings.Cut(r.PathValue("id"), "-")
	id, err := strconv.ParseInt(x, 10, 64)
	if err != nil {
		return 0, samrad.Errorf(samrad.ENOTFOUND, "no article %q", r.PathValue("id"))
	}
	return id, nil
}

type newsData struct {
	Alliance samrad.Alliance
	Articles []articleView
	Page     int
	Prev     string
	Next     string
	Contacts contactBlock
	CanEdit  bool
	All      []articleView // the secretariat's list, drafts and scheduled too
	Now      time.Time
	Form     articleForm // for a new article
}

// articleForm is the form that writes or edits an article.
type articleForm struct {
	ID, Action, Legend, Button string
	F                          *form // the rejected form, if any
	A                          samrad.Article
	Choices                    articleChoices
}

// Value is a field's value: as sent, if the form came back, else the article's.
func (af articleForm) Value(field string) string {
	if af.F != nil {
		return af.F.Get(field)
	}
	a := af.A
	id := func(n int64) string {
		if n == 0 {
			return ""
		}
		return strconv.FormatInt(n, 10)
	}
	switch field {
	case "title_nb":
		return a.TitleNB
	case "title_en":
		return a.TitleEN
	case "summary_nb":
		return a.SummaryNB
	case "summary_en":
		return a.SummaryEN
	case "body_nb":
		return a.BodyNB
	case "body_en":
		return a.BodyEN
	case "slug":
		return a.Slug
	case "author":
		return a.Author
	case "publish_at":
		if a.PublishAt.IsZero() {
			return ""
		}
		return a.PublishAt.In(samrad.Oslo()).Format("2006-01-02 15:04")
	case "event":
		return id(a.EventID)
	case "meeting":
		return id(a.MeetingID)
	case "measure":
		return id(a.MeasureID)
	}
	return ""
}

// Error is the message for a field of a rejected form.
func (af articleForm) Error(field string) string { return af.F.Error(field) }

// articleChoices are what an article may link to.
type articleChoices struct {
	Meetings []store.AllianceMeeting
	Measures []store.MeasureRef
}

func (s *Server) handleNews(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.newsPage(w, r, v, http.StatusOK, nil)
}

// newsPage lists an alliance's published news, newest first, a page at a
// time; the secretariat sees every article and the form for a new one.
func (s *Server) newsPage(w http.ResponseWriter, r *http.Request, v *view, status int, fs forms) error {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	page := 1
	if x := v.param("page"); x != "" {
		if page, err = strconv.Atoi(x); err != nil || page < 1 || page > maxListPage {
			return samrad.Errorf(samrad.EINVALID, "%s", s.cat.T(v.Lang, "bad_page", x, maxListPage))
		}
	}
	now := time.Now()
	np, err := s.db.NewsPage(ctx, a.ID, now, (page-1)*newsPerPage, newsPerPage)
	if err != nil {
		return err
	}
	if page > 1 && len(np.Articles) == 0 {
		return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
	}
	v.until = np.NextPublish
	data := newsData{Alliance: a, Page: page, Now: now, CanEdit: v.User.Can(a.ID, samrad.RoleSecretariat)}
	for _, x := range np.Articles {
		data.Articles = append(data.Articles, s.articleView(v.Lang, a, x))
	}
	pageURL := func(n int) string {
		return Path(v.Lang, "news", a.Slug) + "?" + paramNames["page"][langIndex(v.Lang)] + "=" + strconv.Itoa(n)
	}
	if page > 1 {
		data.Prev = pageURL(page - 1)
	}
	if page*newsPerPage < np.Total {
		data.Next = pageURL(page + 1)
	}
	if data.Contacts, err = s.contacts(ctx, a); err != nil {
		return err
	}
	if data.CanEdit {
		all, err := s.db.AllArticles(ctx, a.ID)
		if err != nil {
			return err
		}
		for _, x := range all {
			data.All = append(data.All, s.articleView(v.Lang, a, x))
		}
		data.Form = articleForm{ID: "new", Action: Path(v.Lang, "article_add", a.Slug), Legend: s.cat.T(v.Lang, "article_new"),
			Button: s.cat.T(v.Lang, "article_save"), F: fs.Of("article")}
		if data.Form.Choices, err = s.articleChoices(r, a); err != nil {
			return err
		}
	}
	title := s.cat.T(v.Lang, "news_title")
	v.Title, v.Nav, v.Data = title+" – "+a.Name(v.Lang), "home", data
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), title, "")
	s.render(w, status, "news", v)
	return nil
}

func langIndex(lang string) int {
	if lang == "en" {
		return 1
	}
	return 0
}

func (s *Server) articleChoices(r *http.Request, a samrad.Alliance) (articleChoices, error) {
	ctx := r.Context()
	var c articleChoices
	var err error
	if c.Meetings, err = s.db.AllianceMeetings(ctx, a.ID); err != nil {
		return c, err
	}
	years, err := s.db.ProgrammeYears(ctx, a.ID)
	if err != nil {
		return c, err
	}
	for _, y := range years {
		p, err := s.db.Programme(ctx, a.ID, y)
		if err != nil {
			return c, err
		}
		for _, sec := range p.Sections {
			for _, m := range sec.Measures {
				c.Measures = append(c.Measures, store.MeasureRef{ID: m.ID, AllianceID: a.ID, Year: y, Label: m.Label(), Title: m.Title})
			}
		}
	}
	return c, nil
}

type articleData struct {
	Alliance samrad.Alliance
	Article  articleView
	Meeting  *store.AllianceMeeting
	Measure  *store.MeasureRef
	Event    *samrad.Event
	Contacts contactBlock
	CanEdit  bool
	Now      time.Time
	Form     articleForm
	Image    *form // the rejected image form, if any
}

func (s *Server) handleArticle(w http.ResponseWriter, r *http.Request, v *view) error {
	return s.articlePage(w, r, v, http.StatusOK, nil)
}

// articlePage shows an article; to the public only once it is published.
func (s *Server) articlePage(w http.ResponseWriter, r *http.Request, v *view, status int, fs forms) error {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	id, err := articleID(r)
	if err != nil {
		return err
	}
	art, err := s.db.Article(ctx, id)
	if err != nil {
		return err
	}
	now := time.Now()
	canEdit := v.User.Can(a.ID, samrad.RoleSecretariat)
	if art.AllianceID != a.ID || (!art.Published(now) && !canEdit) {
		return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
	}
	if r.Method == http.MethodGet && r.PathValue("id") != fmt.Sprintf("%d-%s", art.ID, art.Slug) {
		http.Redirect(w, r, s.articlePath(v.Lang, a, art), http.StatusMovedPermanently)
		return nil
	}
	data := articleData{Alliance: a, Article: s.articleView(v.Lang, a, art), CanEdit: canEdit, Now: now, Image: fs.Of("image")}
	if art.MeetingID != 0 {
		ms, err := s.db.AllianceMeetings(ctx, a.ID)
		if err != nil {
			return err
		}
		for i, m := range ms {
			if m.ID == art.MeetingID && (m.Public() || canEdit) {
				data.Meeting = &ms[i]
			}
		}
	}
	if art.EventID != 0 {
		events, err := s.db.Events(ctx, a.ID, canEdit)
		if err != nil {
			return err
		}
		for i, e := range events {
			if e.ID == art.EventID {
				data.Event = &events[i]
			}
		}
	}
	if art.MeasureID != 0 {
		m, err := s.db.MeasureRef(ctx, art.MeasureID)
		if err != nil && samrad.ErrorCode(err) != samrad.ENOTFOUND {
			return err
		}
		if err == nil {
			data.Measure = &m
		}
	}
	if data.Contacts, err = s.contacts(ctx, a); err != nil {
		return err
	}
	if canEdit {
		data.Form = articleForm{ID: "edit", Action: Path(v.Lang, "article_edit", a.Slug, strconv.FormatInt(art.ID, 10)), Legend: s.cat.T(v.Lang, "article_edit"),
			Button: s.cat.T(v.Lang, "save"), F: fs.Of("article"), A: art}
		if data.Form.Choices, err = s.articleChoices(r, a); err != nil {
			return err
		}
	}
	t := art.Title(v.Lang)
	v.Title, v.Nav, v.Data = t.Text+" – "+a.Name(v.Lang), "home", data
	v.crumbs(a.Name(v.Lang), Path(v.Lang, "alliance", a.Slug), s.cat.T(v.Lang, "news_title"), Path(v.Lang, "news", a.Slug), t.Text, "")
	s.render(w, status, "article", v)
	return nil
}

// handleNewsAtom serves an Atom feed of an alliance's published news.
func (s *Server) handleNewsAtom(w http.ResponseWriter, r *http.Request, v *view) error {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	np, err := s.db.NewsPage(ctx, a.ID, time.Now(), 0, 50)
	if err != nil {
		return err
	}
	v.until = np.NextPublish
	base := s.publicBase(r)
	feed := newAtomFeed(v.Lang, s.cat.T(v.Lang, "news_feed_title", a.Name(v.Lang)), a.Name(v.Lang),
		base+Path(v.Lang, "news_atom", a.Slug), base+Path(v.Lang, "news", a.Slug))
	for _, art := range np.Articles {
		url := base + s.articlePath(v.Lang, a, art)
		t, sum := art.Title(v.Lang), art.Summary(v.Lang)
		e := atomEntry{Title: t.Text, ID: fmt.Sprintf("%s#%d", base+Path(v.Lang, "news", a.Slug), art.ID), Link: atomLink{Href: url},
			Summary: sum.Text, Published: art.PublishAt.UTC().Format(time.RFC3339)}
		if t.Lang != v.Lang {
			e.Lang = t.Lang
		}
		if art.Author != "" {
			e.Author = &atomName{art.Author}
		}
		updated := art.UpdatedAt
		if updated.Before(art.PublishAt) {
			updated = art.PublishAt
		}
		feed.add(e, updated)
	}
	return feed.write(w)
}

// handleImage serves one size of an article's image. Its URL names the
// content's hash, so it may be cached for a year; an unpublished article's
// images are for the secretariat only.
func (s *Server) handleImage(w http.ResponseWriter, r *http.Request, v *view) error {
	ctx := r.Context()
	notFound := samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	name, ok := strings.CutSuffix(r.PathValue("id"), ".jpg")
	parts := strings.Split(name, "-")
	if !ok || len(parts) != 3 {
		return notFound
	}
	id, err1 := strconv.ParseInt(parts[0], 10, 64)
	width, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil {
		return notFound
	}
	f, err := s.db.ImageFile(ctx, id, width)
	if err != nil {
		return err
	}
	if f.AllianceID != a.ID || !strings.HasPrefix(f.SHA256, parts[2]) || len(parts[2]) < 16 {
		return notFound
	}
	published := !f.PublishAt.IsZero() && !f.PublishAt.After(time.Now())
	if !published && !v.User.Can(a.ID, samrad.RoleSecretariat) {
		return notFound
	}
	h := w.Header()
	h.Set("Content-Type", "image/jpeg") // always re-encoded as JPEG (picture package)
	h.Set("Content-Security-Policy", sandboxCSP)
	h.Set("Content-Length", strconv.Itoa(len(f.Data)))
	h.Set("ETag", `"`+f.SHA256[:32]+`"`)
	if published {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "private, no-store")
	}
	if r.Header.Get("If-None-Match") == `"`+f.SHA256[:32]+`"` {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	_, err = w.Write(f.Data)
	return err
}

// readArticle reads the article form into a; bad numbers and times are
// noted on their fields.
func (s *Server) readArticle(v *view, f *form, a *samrad.Article) {
	a.TitleNB, a.TitleEN = f.Get("title_nb"), f.Get("title_en")
	a.SummaryNB, a.SummaryEN = f.Get("summary_nb"), f.Get("summary_en")
	a.BodyNB, a.BodyEN = f.Get("body_nb"), f.Get("body_en")
	a.Slug, a.Author = f.Get("slug"), f.Get("author")
	t, err := samrad.ParsePublishTime(f.Get("publish_at"))
	if err != nil {
		f.Errors["publish_at"] = s.cat.T(v.Lang, "bad_publish_time", f.Get("publish_at"))
	}
	a.PublishAt = t
	for _, x := range []struct {
		field string
		dst   *int64
	}{{"event", &a.EventID}, {"meeting", &a.MeetingID}, {"measure", &a.MeasureID}} {
		*x.dst = 0
		if y := f.Get(x.field); y != "" {
			n, err := strconv.ParseInt(y, 10, 64)
			if err != nil || n < 0 {
				f.Errors[x.field] = s.cat.T(v.Lang, "bad_number", y)
			}
			*x.dst = n
		}
	}
}

// handleAddArticle stores a new article: a draft, published or scheduled.
func (s *Server) handleAddArticle(w http.ResponseWriter, r *http.Request, v *view) error {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return err
	}
	f := newForm("article", r)
	art := samrad.Article{AllianceID: a.ID}
	s.readArticle(v, f, &art)
	if art.Author == "" {
		art.Author = v.User.Name
	}
	err = nil
	if len(f.Errors) == 0 {
		err = s.db.CreateArticle(ctx, &art)
	}
	return settle(w, r, f, err, "title_nb", s.articlePath(v.Lang, a, art),
		func(status int, fs forms) error { return s.newsPage(w, r, v, status, fs) })
}

// articleAction loads the alliance and the article of an action on it.
func (s *Server) articleAction(w http.ResponseWriter, r *http.Request, v *view) (samrad.Alliance, samrad.Article, *form, error) {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return a, samrad.Article{}, nil, err
	}
	id, err := articleID(r)
	if err != nil {
		return a, samrad.Article{}, nil, err
	}
	art, err := s.db.Article(ctx, id)
	if err != nil || art.AllianceID != a.ID {
		return a, art, nil, samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
	}
	return a, art, nil, nil
}

// handleEditArticle changes an article's texts, links and publish time.
func (s *Server) handleEditArticle(w http.ResponseWriter, r *http.Request, v *view) error {
	a, art, _, err := s.articleAction(w, r, v)
	if err != nil {
		return err
	}
	f := newForm("article", r)
	s.readArticle(v, f, &art)
	if len(f.Errors) == 0 {
		ctx := samrad.WithActor(r.Context(), samrad.Actor{UserID: v.User.ID, Name: v.User.Email})
		err = s.db.UpdateArticle(ctx, &art)
	}
	return settle(w, r, f, err, "title_nb", s.articlePath(v.Lang, a, art),
		func(status int, fs forms) error { return s.articlePage(w, r, v, status, fs) })
}

// handlePublishArticle publishes an article now or makes it a draft again.
func (s *Server) handlePublishArticle(w http.ResponseWriter, r *http.Request, v *view) error {
	a, art, _, err := s.articleAction(w, r, v)
	if err != nil {
		return err
	}
	at := time.Time{}
	if r.PostFormValue("when") == "now" {
		at = time.Now().UTC().Truncate(time.Second)
	}
	ctx := samrad.WithActor(r.Context(), samrad.Actor{UserID: v.User.ID, Name: v.User.Email})
	if err := s.db.SetArticlePublishTime(ctx, a.ID, art.ID, at); err != nil {
		return err
	}
	http.Redirect(w, r, s.articlePath(v.Lang, a, art), http.StatusSeeOther)
	return nil
}

// handleAddImage adds an uploaded photo to an article. Only a real JPEG or
// PNG within the limits is accepted, and only with an alternative text.
func (s *Server) handleAddImage(w http.ResponseWriter, r *http.Request, v *view) error {
	ctx := r.Context()
	a, err := s.db.AllianceBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	if err := s.requireRole(v, a, samrad.RoleSecretariat); err != nil {
		return err
	}
	limitBody(w, r, picture.MaxBytes+1<<20)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		if errors.Is(err, http.ErrNotMultipart) {
			if err := checkCSRF(r, v); err != nil {
				return err
			}
			return samrad.FieldErrorf("file", "%s", s.cat.T(v.Lang, "choose_file"))
		}
		return samrad.Errorf(samrad.EINVALID, "%s", s.cat.T(v.Lang, "upload_too_large", picture.MaxBytes>>20))
	}
	defer r.MultipartForm.RemoveAll()
	if err := checkCSRF(r, v); err != nil {
		return err
	}
	id, err := articleID(r)
	if err != nil {
		return err
	}
	art, err := s.db.Article(ctx, id)
	if err != nil || art.AllianceID != a.ID {
		return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
	}
	f := newForm("image", r)
	im := samrad.ArticleImage{ArticleID: art.ID, AltNB: f.Get("alt_nb"), AltEN: f.Get("alt_en"), CaptionNB: f.Get("caption_nb"),
		CaptionEN: f.Get("caption_en"), Credit: f.Get("credit")}
	again := func(status int, fs forms) error { return s.articlePage(w, r, v, status, fs) }
	// The texts are checked first, so a missing alternative text costs no decoding.
	if err := im.Validate(); err != nil {
		return settle(w, r, f, err, "file", "", again)
	}
	file, _, err := r.FormFile("file")
	if err != nil {
		f.Errors["file"] = s.cat.T(v.Lang, "choose_file")
		return again(http.StatusBadRequest, forms{"image": f})
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, picture.MaxBytes+1))
	if err != nil {
		return err
	}
	variants, err := picture.Process(data)
	if err != nil {
		var le *picture.LimitError
		switch {
		case errors.As(err, &le) && le.Pixels:
			f.Errors["file"] = s.cat.T(v.Lang, "image_too_many_pixels", float64(le.Got)/1e6, le.Limit/1_000_000)
		case errors.As(err, &le):
			f.Errors["file"] = s.cat.T(v.Lang, "image_too_large", float64(le.Got)/(1<<20), le.Limit>>20)
		case errors.Is(err, picture.ErrNotImage):
			f.Errors["file"] = s.cat.T(v.Lang, "image_not_image")
		default:
			return err
		}
		return again(http.StatusBadRequest, forms{"image": f})
	}
	actx := samrad.WithActor(ctx, samrad.Actor{UserID: v.User.ID, Name: v.User.Email})
	err = s.db.AddArticleImage(actx, a.ID, &im, variants)
	return settle(w, r, f, err, "file", s.articlePath(v.Lang, a, art)+"#bilder", again)
}

// handleDeleteImage removes an image from its article.
func (s *Server) handleDeleteImage(w http.ResponseWriter, r *http.Request, v *view) error {
	a, ctx, err := s.staffAction(w, r, v)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(v.Lang, "not_found_text"))
	}
	next := Path(v.Lang, "news", a.Slug)
	if x, err := strconv.ParseInt(r.PostFormValue("article"), 10, 64); err == nil {
		if art, err := s.db.Article(ctx, x); err == nil && art.AllianceID == a.ID {
			next = s.articlePath(v.Lang, a, art) + "#bilder"
		}
	}
	if err := s.db.DeleteArticleImage(ctx, a.ID, id); err != nil {
		return err
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}
