// Package web serves Samråd's pages: server-rendered HTML in Norwegian
// (default) and English, with CSV downloads. Handlers parse and validate the
// request, call the store, and render a template with a view; nothing here
// knows SQL.
package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"net/netip"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/i18n"
	"github.com/samrad/samrad/mail"
	"github.com/samrad/samrad/pdf"
	"github.com/samrad/samrad/refresh"
	"github.com/samrad/samrad/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Server is the web application.
type Server struct {
	db     *store.DB
	cat    *i18n.Catalogue
	log    *slog.Logger
	pages  map[string]map[string]*template.Template // language → page → template
	static fs.FS
	hashes map[string]string // static file → content hash, for cache busting
	mux    *http.ServeMux
	cache  *pageCache
	// searches keeps the answers of recent searches, apart from the pages.
	searches *pageCache

	started time.Time             // Last-Modified of static files
	assets  map[string]cachedPage // static files with their compressed forms

	mailer   Mailer
	wake     func() // tells the outbox sender that messages are queued
	mailFrom mail.Address
	baseURL  string
	pdf      *pdf.Renderer
	runner   *refresh.Runner // fetches and reads indicators' figures

	registered []Route
	ops        ops            // readiness, metrics (ops.go)
	proxies    []netip.Prefix // reverse proxies whose X-Forwarded-* headers are believed
}

// New builds the server's templates and routes.
func New(db *store.DB, log *slog.Logger) (*Server, error) {
	cat, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	st, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}
	s := &Server{db: db, cat: cat, log: log, static: st, hashes: map[string]string{}, mux: http.NewServeMux(), cache: newPageCache(4096), searches: newPageCache(512),
		started: time.Now(), assets: map[string]cachedPage{}}
	s.runner = &refresh.Runner{DB: db, Log: log} // no statbank client until SetIndicatorRunner
	if err := fs.WalkDir(st, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(st, p)
		if err != nil {
			return err
		}
		h := sha256.Sum256(b)
		s.hashes[p] = hex.EncodeToString(h[:6])
		s.assets[p] = staticAsset(p, b, s.hashes[p], s.started)
		return nil
	}); err != nil {
		return nil, err
	}
	if err := s.parseTemplates(); err != nil {
		return nil, err
	}
	s.routes()
	return s, nil
}

// Handler returns the root handler with the common middleware.
func (s *Server) Handler() http.Handler {
	h := s.recoverer(s.securityHeaders(s.logRequests(s.limitRequests(s.routeHost(s.mux)))))
	if s.ops.metrics != nil {
		h = s.measure(h)
	}
	return h
}

// routeTable maps a route name to its path in each language: the core
// routes below and those of the areas kept in their own files.
// Placeholders in braces are filled in order by Path.
var routeTable = mergeRoutes(coreRoutes, networkPaths, projectPaths, fundingPaths, servicePaths, indicatorPaths, searchPaths, downloadPaths, sitePaths, hostPaths)

// mergeRoutes joins route tables; a name defined twice is a programming
// error.
func mergeRoutes(tables ...map[string][2]string) map[string][2]string {
	out := map[string][2]string{}
	for _, t := range tables {
		for name, paths := range t {
			if _, dup := out[name]; dup {
				panic("web: route " + name + " defined twice")
			}
			out[name] = paths
		}
	}
	return out
}

var coreRoutes = map[string][2]string{
	"home":           {"/", "/en/"},
	"alliance":       {"/allianser/{slug}", "/en/alliances/{slug}"},
	"members":        {"/allianser/{slug}/medlemmer", "/en/alliances/{slug}/members"},
	"popolo":         {"/allianser/{slug}/popolo.json", "/en/alliances/{slug}/popolo.json"},
	"fees":           {"/allianser/{slug}/kontingent", "/en/alliances/{slug}/fees"},
	"orgs":           {"/organisasjoner", "/en/organisations"},
	"org":            {"/organisasjoner/{code}", "/en/organisations/{code}"},
	"body":           {"/allianser/{slug}/organer/{body}", "/en/alliances/{slug}/bodies/{body}"},
	"seat_add":       {"/allianser/{slug}/organer/{body}/seter", "/en/alliances/{slug}/bodies/{body}/seats"},
	"meeting_add":    {"/allianser/{slug}/organer/{body}/moter", "/en/alliances/{slug}/bodies/{body}/meetings"},
	"m_status":       {"/allianser/{slug}/moter/{id}/status", "/en/alliances/{slug}/meetings/{id}/status"},
	"m_minutes":      {"/allianser/{slug}/moter/{id}/protokoll", "/en/alliances/{slug}/meetings/{id}/minutes"},
	"m_case":         {"/allianser/{slug}/moter/{id}/saker", "/en/alliances/{slug}/meetings/{id}/cases"},
	"m_upload":       {"/allianser/{slug}/moter/{id}/dokumenter", "/en/alliances/{slug}/meetings/{id}/documents"},
	"document":       {"/allianser/{slug}/dokumenter/{id}", "/en/alliances/{slug}/documents/{id}"},
	"m_notice":       {"/allianser/{slug}/moter/{id}/innkalling", "/en/alliances/{slug}/meetings/{id}/notice"},
	"m_notice_pdf":   {"/allianser/{slug}/moter/{id}/innkalling.pdf", "/en/alliances/{slug}/meetings/{id}/notice.pdf"},
	"m_record_pdf":   {"/allianser/{slug}/moter/{id}/protokoll.pdf", "/en/alliances/{slug}/meetings/{id}/minutes.pdf"},
	"m_record":       {"/allianser/{slug}/moter/{id}/protokoll", "/en/alliances/{slug}/meetings/{id}/minutes"},
	"m_send":         {"/allianser/{slug}/moter/{id}/send-innkalling", "/en/alliances/{slug}/meetings/{id}/send-notice"},
	"m_decision":     {"/allianser/{slug}/moter/{id}/vedtak", "/en/alliances/{slug}/meetings/{id}/decisions"},
	"case_edit":      {"/allianser/{slug}/saker/{year}/{number}/endre", "/en/alliances/{slug}/cases/{year}/{number}/edit"},
	"case_withdraw":  {"/allianser/{slug}/saker/{year}/{number}/trekk", "/en/alliances/{slug}/cases/{year}/{number}/withdraw"},
	"programme":      {"/allianser/{slug}/handlingsprogram/{year}", "/en/alliances/{slug}/action-programme/{year}"},
	"programme_pdf":  {"/allianser/{slug}/handlingsprogram/{year}/handlingsprogram.pdf", "/en/alliances/{slug}/action-programme/{year}/action-programme.pdf"},
	"progress_add":   {"/allianser/{slug}/handlingsprogram/{year}/tiltak/{id}/fremdrift", "/en/alliances/{slug}/action-programme/{year}/measures/{id}/progress"},
	"budget":         {"/allianser/{slug}/budsjett/{year}", "/en/alliances/{slug}/budget/{year}"},
	"budget_save":    {"/allianser/{slug}/budsjett/{year}/vedtak", "/en/alliances/{slug}/budget/{year}/adoption"},
	"budget_line":    {"/allianser/{slug}/budsjett/{year}/linjer", "/en/alliances/{slug}/budget/{year}/lines"},
	"measure_case":   {"/allianser/{slug}/handlingsprogram/{year}/tiltak/{id}/saker", "/en/alliances/{slug}/action-programme/{year}/measures/{id}/cases"},
	"status_report":  {"/allianser/{slug}/handlingsprogram/{year}/statusrapport", "/en/alliances/{slug}/action-programme/{year}/status-report"},
	"status_to_case": {"/allianser/{slug}/handlingsprogram/{year}/statusrapport/til-sak", "/en/alliances/{slug}/action-programme/{year}/status-report/to-case"},
	"cycle":          {"/allianser/{slug}/arshjul", "/en/alliances/{slug}/yearly-cycle"},
	"cycle_add":      {"/allianser/{slug}/arshjul/steg", "/en/alliances/{slug}/yearly-cycle/steps"},
	"cycle_record":   {"/allianser/{slug}/arshjul/steg/{id}/gjennomfort", "/en/alliances/{slug}/yearly-cycle/steps/{id}/done"},
	"inputs":         {"/allianser/{slug}/innspill/{year}", "/en/alliances/{slug}/input/{year}"},
	"input_add":      {"/allianser/{slug}/innspill/{year}/nytt", "/en/alliances/{slug}/input/{year}/new"},
	"input_answer":   {"/allianser/{slug}/innspill/{year}/{id}/svar", "/en/alliances/{slug}/input/{year}/{id}/answer"},
	"annual_report":  {"/allianser/{slug}/arsrapport/{year}", "/en/alliances/{slug}/annual-report/{year}"},
	"report_pdf":     {"/allianser/{slug}/arsrapport/{year}/arsrapport.pdf", "/en/alliances/{slug}/annual-report/{year}/annual-report.pdf"},
	"report_save":    {"/allianser/{slug}/arsrapport/{year}/tekster", "/en/alliances/{slug}/annual-report/{year}/texts"},
	"goals":          {"/allianser/{slug}/medlemsmal", "/en/alliances/{slug}/member-goals"},
	"goal_add":       {"/allianser/{slug}/medlemsmal/nytt", "/en/alliances/{slug}/member-goals/new"},
	"goal_report":    {"/allianser/{slug}/medlemsmal/{id}/rapport", "/en/alliances/{slug}/member-goals/{id}/report"},
	"ledger_import":  {"/allianser/{slug}/budsjett/{year}/regnskap", "/en/alliances/{slug}/budget/{year}/accounts"},
	"body_add":       {"/allianser/{slug}/organer", "/en/alliances/{slug}/bodies"},
	"rotation_add":   {"/allianser/{slug}/rotasjon", "/en/alliances/{slug}/rotation"},
	"seat_end":       {"/allianser/{slug}/organer/{body}/seter/{id}/avslutt", "/en/alliances/{slug}/bodies/{body}/seats/{id}/end"},
	"m_vote":         {"/allianser/{slug}/moter/{id}/stemmer", "/en/alliances/{slug}/meetings/{id}/votes"},
	"body_ics":       {"/allianser/{slug}/organer/{body}/moter.ics", "/en/alliances/{slug}/bodies/{body}/meetings.ics"},
	"meeting":        {"/allianser/{slug}/moter/{id}", "/en/alliances/{slug}/meetings/{id}"},
	"meetings":       {"/allianser/{slug}/moter", "/en/alliances/{slug}/meetings"},
	"minutes_atom":   {"/allianser/{slug}/protokoller.atom", "/en/alliances/{slug}/minutes.atom"},
	"decisions_atom": {"/allianser/{slug}/vedtak.atom", "/en/alliances/{slug}/decisions.atom"},
	"audit":          {"/allianser/{slug}/endringslogg", "/en/alliances/{slug}/audit-log"},
	"cases":          {"/allianser/{slug}/saker", "/en/alliances/{slug}/cases"},
	"case":           {"/allianser/{slug}/saker/{year}/{number}", "/en/alliances/{slug}/cases/{year}/{number}"},
	"login":          {"/logg-inn", "/en/login"},
	"accessibility":  {"/tilgjengelighet", "/en/accessibility"},
	"logout":         {"/logg-ut", "/en/logout"},
	"decide":         {"/allianser/{slug}/medlemskap/{id}", "/en/alliances/{slug}/memberships/{id}"},
	"news":           {"/allianser/{slug}/nyheter", "/en/alliances/{slug}/news"},
	"article":        {"/allianser/{slug}/nyheter/{id}", "/en/alliances/{slug}/news/{id}"},
	"news_atom":      {"/allianser/{slug}/nyheter.atom", "/en/alliances/{slug}/news.atom"},
	"image":          {"/allianser/{slug}/bilder/{id}", "/en/alliances/{slug}/images/{id}"},
	"contact_email":  {"/allianser/{slug}/kontakter/{id}/e-post", "/en/alliances/{slug}/contacts/{id}/email"},
	"article_add":    {"/allianser/{slug}/nyheter/ny", "/en/alliances/{slug}/news/new"},
	"article_edit":   {"/allianser/{slug}/nyheter/{id}/endre", "/en/alliances/{slug}/news/{id}/edit"},
	"article_pub":    {"/allianser/{slug}/nyheter/{id}/publiser", "/en/alliances/{slug}/news/{id}/publish"},
	"image_add":      {"/allianser/{slug}/nyheter/{id}/bilder", "/en/alliances/{slug}/news/{id}/images"},
	"image_delete":   {"/allianser/{slug}/bilder/{id}/slett", "/en/alliances/{slug}/images/{id}/delete"},
	"contact_save":   {"/allianser/{slug}/kontakter", "/en/alliances/{slug}/contacts"},
	"contact_delete": {"/allianser/{slug}/kontakter/{id}/slett", "/en/alliances/{slug}/contacts/{id}/delete"},
	"office_save":    {"/allianser/{slug}/kontorer", "/en/alliances/{slug}/offices"},
	"office_delete":  {"/allianser/{slug}/kontorer/{id}/slett", "/en/alliances/{slug}/offices/{id}/delete"},
	"newsletter":     {"/allianser/{slug}/nyhetsbrev", "/en/alliances/{slug}/newsletter"},
	"nl_confirm":     {"/allianser/{slug}/nyhetsbrev/bekreft/{token}", "/en/alliances/{slug}/newsletter/confirm/{token}"},
	"nl_prefs":       {"/allianser/{slug}/nyhetsbrev/innstillinger/{token}", "/en/alliances/{slug}/newsletter/preferences/{token}"},
	"nl_unsub":       {"/allianser/{slug}/nyhetsbrev/avmelding/{list}/{token}", "/en/alliances/{slug}/newsletter/unsubscribe/{list}/{token}"},
	"nl_admin":       {"/allianser/{slug}/nyhetsbrev/redaksjon", "/en/alliances/{slug}/newsletter/editor"},
	"nl_list_add":    {"/allianser/{slug}/nyhetsbrev/lister", "/en/alliances/{slug}/newsletter/lists"},
	"nl_issue_add":   {"/allianser/{slug}/nyhetsbrev/utgaver", "/en/alliances/{slug}/newsletter/issues"},
	"nl_issue":       {"/allianser/{slug}/nyhetsbrev/utgaver/{id}", "/en/alliances/{slug}/newsletter/issues/{id}"},
	"nl_send":        {"/allianser/{slug}/nyhetsbrev/utgaver/{id}/send", "/en/alliances/{slug}/newsletter/issues/{id}/send"},
	"nl_resend":      {"/allianser/{slug}/nyhetsbrev/utgaver/{id}/send-pa-nytt", "/en/alliances/{slug}/newsletter/issues/{id}/resend"},
	"events":         {"/allianser/{slug}/arrangementer", "/en/alliances/{slug}/events"},
	"events_ics":     {"/allianser/{slug}/arrangementer.ics", "/en/alliances/{slug}/events.ics"},
	"event_new":      {"/allianser/{slug}/arrangementer/nytt", "/en/alliances/{slug}/events/new"},
	"event":          {"/allianser/{slug}/arrangementer/{event}", "/en/alliances/{slug}/events/{event}"},
	"event_ics":      {"/allianser/{slug}/arrangementer/{event}/arrangement.ics", "/en/alliances/{slug}/events/{event}/event.ics"},
	"event_register": {"/allianser/{slug}/arrangementer/{event}/pamelding", "/en/alliances/{slug}/events/{event}/registration"},
	"event_edit":     {"/allianser/{slug}/arrangementer/{event}/endre", "/en/alliances/{slug}/events/{event}/edit"},
	"session_add":    {"/allianser/{slug}/arrangementer/{event}/okter", "/en/alliances/{slug}/events/{event}/sessions"},
	"speaker_add":    {"/allianser/{slug}/arrangementer/{event}/okter/{id}/foredragsholdere", "/en/alliances/{slug}/events/{event}/sessions/{id}/speakers"},
	"material_add":   {"/allianser/{slug}/arrangementer/{event}/okter/{id}/materiell", "/en/alliances/{slug}/events/{event}/sessions/{id}/materials"},
	"material":       {"/allianser/{slug}/arrangementer/{event}/materiell/{id}", "/en/alliances/{slug}/events/{event}/materials/{id}"},
	"participants":   {"/allianser/{slug}/arrangementer/{event}/deltakere", "/en/alliances/{slug}/events/{event}/participants"},
	"checkin":        {"/allianser/{slug}/arrangementer/{event}/innsjekk", "/en/alliances/{slug}/events/{event}/check-in"},
	"checkin_toggle": {"/allianser/{slug}/arrangementer/{event}/innsjekk/{id}", "/en/alliances/{slug}/events/{event}/check-in/{id}"},
	"registration":   {"/pamelding/{token}", "/en/registration/{token}"},
	"reg_cancel":     {"/pamelding/{token}/avmeld", "/en/registration/{token}/cancel"},
}

// Route is a route as registered, for tests and documentation.
type Route struct {
	Name, Method, Pattern string
}

// Routes lists every registered page and action.
func (s *Server) Routes() []Route { return s.registered }

// Path returns the URL path of a route in lang with its arguments.
func Path(lang, name string, args ...string) string {
	paths, ok := routeTable[name]
	if !ok {
		panic("web: unknown route " + name)
	}
	p := paths[0]
	if lang == "en" {
		p = paths[1]
	}
	for _, a := range args {
		i := strings.Index(p, "{")
		j := strings.Index(p, "}")
		if i < 0 || j < i {
			break
		}
		p = p[:i] + url.PathEscape(a) + p[j+1:]
	}
	return p
}

// handlerFunc is a page handler; it returns an error to render instead.
type handlerFunc func(w http.ResponseWriter, r *http.Request, v *view) error

func (s *Server) routes() {
	handle := func(name string, h handlerFunc) {
		for i, lang := range i18n.Languages {
			pattern := routeTable[name][i]
			if strings.HasSuffix(pattern, "/") {
				pattern += "{$}"
			}
			s.mux.Handle("GET "+pattern, s.page(lang, name, h))
			s.registered = append(s.registered, Route{name, "GET", routeTable[name][i]})
		}
	}
	handle("home", s.handleHome)
	handle("alliance", s.handleAlliance)
	handle("members", s.handleMembers)
	handle("popolo", s.handlePopolo)
	handle("fees", s.handleFees)
	handle("orgs", s.handleOrgs)
	handle("org", s.handleOrg)
	handle("body", s.handleBody)
	handle("body_ics", s.handleBodyICS)
	handle("meeting", s.handleMeeting)
	handle("meetings", s.handleMeetings)
	handle("minutes_atom", s.handleMinutesAtom)
	handle("decisions_atom", s.handleDecisionsAtom)
	handle("audit", s.handleAudit)
	handle("document", s.handleDocument)
	handle("m_notice", s.handleNotice)
	handle("m_record", s.handleRecord)
	handle("m_notice_pdf", s.handleNoticePDF)
	handle("m_record_pdf", s.handleRecordPDF)
	handle("programme", s.handleProgramme)
	handle("programme_pdf", s.handleProgrammePDF)
	handle("budget", s.handleBudget)
	handle("annual_report", s.handleReport)
	handle("cycle", s.handleCycle)
	handle("inputs", s.handleInputs)
	handle("status_report", s.handleProgressReport)
	handle("report_pdf", s.handleReportPDF)
	handle("goals", s.handleGoals)
	handle("cases", s.handleCases)
	handle("case", s.handleCase)
	handle("login", s.handleLoginForm)
	handle("accessibility", func(w http.ResponseWriter, r *http.Request, v *view) error {
		v.Title = s.cat.T(v.Lang, "a11y_title")
		s.render(w, http.StatusOK, "accessibility", v)
		return nil
	})
	handle("news", s.handleNews)
	handle("article", s.handleArticle)
	handle("news_atom", s.handleNewsAtom)
	handle("image", s.handleImage)
	handle("contact_email", s.handleContactEmail)
	handle("newsletter", s.handleNewsletter)
	handle("nl_confirm", s.handleConfirmLink)
	handle("nl_prefs", s.handlePreferences)
	handle("nl_unsub", s.handleUnsubscribeLink)
	handle("nl_admin", s.handleNewsletterAdmin)
	handle("nl_issue", s.handleIssue)
	post := func(name string, h handlerFunc) {
		for i, lang := range i18n.Languages {
			s.mux.Handle("POST "+routeTable[name][i], s.page(lang, name, h))
			s.registered = append(s.registered, Route{name, "POST", routeTable[name][i]})
		}
	}
	post("login", s.handleLogin)
	post("logout", s.handleLogout)
	post("decide", s.handleDecide)
	post("seat_add", s.handleAddSeat)
	post("meeting_add", s.handleCreateMeeting)
	post("m_status", s.meetingAction("status", s.meetingStatus))
	post("m_minutes", s.meetingAction("minutes", s.meetingMinutes))
	post("m_case", s.meetingAction("case", s.meetingCase))
	post("m_vote", s.meetingAction("vote", s.meetingVote))
	post("m_decision", s.meetingAction("decision", s.meetingDecision))
	post("case_edit", s.handleEditCase)
	post("case_withdraw", s.handleWithdrawCase)
	post("seat_end", s.handleEndSeat)
	post("body_add", s.handleAddBody)
	post("rotation_add", s.handleAddRotation)
	post("progress_add", s.handleAddProgress)
	post("budget_save", s.handleSaveBudget)
	post("budget_line", s.handleBudgetLine)
	post("ledger_import", s.handleLedgerImport)
	post("report_save", s.handleSaveReport)
	post("cycle_add", s.handleAddCycleStep)
	post("input_add", s.handleGiveInput)
	post("input_answer", s.handleAnswerInput)
	post("cycle_record", s.handleRecordCycleStep)
	post("measure_case", s.handleMeasureCase)
	post("status_to_case", s.handleProgressReportCase)
	post("goal_add", s.handleAddGoal)
	post("goal_report", s.handleGoalReport)
	post("m_upload", s.handleUpload)
	post("m_send", s.meetingAction("send", s.meetingSendNotice))
	post("contact_email", s.handleRevealEmail)
	post("article_add", s.handleAddArticle)
	post("article_edit", s.handleEditArticle)
	post("article_pub", s.handlePublishArticle)
	post("image_add", s.handleAddImage)
	post("image_delete", s.handleDeleteImage)
	post("contact_save", s.handleSaveContact)
	post("contact_delete", s.handleDeleteContact)
	post("office_save", s.handleSaveOffice)
	post("office_delete", s.handleDeleteOffice)
	post("newsletter", s.handleSubscribe)
	post("nl_confirm", s.handleConfirm)
	post("nl_prefs", s.handleSavePreferences)
	post("nl_unsub", s.handleUnsubscribe)
	post("nl_list_add", s.handleAddList)
	post("nl_issue_add", s.handleNewIssue)
	post("nl_issue", s.handleSaveIssue)
	post("nl_send", s.handleSendIssue)
	post("nl_resend", s.handleResendUnknown)
	handle("events", s.handleEvents)
	handle("events_ics", s.handleEventsICS)
	handle("event", s.handleEvent)
	handle("event_ics", s.handleEventICS)
	handle("material", s.handleMaterial)
	handle("event_register", s.handleRegisterForm)
	handle("registration", s.handleRegistration)
	handle("event_new", s.handleEventNew)
	handle("event_edit", s.handleEventEditForm)
	handle("participants", s.handleParticipants)
	handle("checkin", s.handleCheckin)
	post("event_register", s.handleRegister)
	post("reg_cancel", s.handleCancelRegistration)
	post("event_new", s.handleEventCreate)
	post("event_edit", s.handleEventUpdate)
	post("session_add", s.handleSessionAdd)
	post("speaker_add", s.handleSpeakerAdd)
	post("material_add", s.handleMaterialAdd)
	post("checkin_toggle", s.handleCheckinToggle)
	s.networkRoutes(handle, post)
	s.projectRoutes(handle, post)
	s.searchRoutes(handle, post)
	s.siteRoutes(handle, post)
	s.fundingRoutes(handle, post)
	s.serviceRoutes(handle, post)
	s.indicatorRoutes(handle, post)
	s.downloadRoutes(handle)
	s.hostRoutes(handle, post)
	s.oparlRoutes()
	s.mux.Handle("GET /robots.txt", http.HandlerFunc(s.handleRobots))
	s.mux.Handle("GET /sitemap.xml", s.page("nb", "", s.handleSitemap))
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", s.staticHandler()))
	s.mux.HandleFunc("GET /healthz", s.handleHealthz)
	s.mux.HandleFunc("GET /readyz", s.handleReadyz)
	s.mux.HandleFunc("GET /metrics", s.handleMetrics)
	notFound := func(lang string) http.Handler {
		return s.page(lang, "", func(w http.ResponseWriter, r *http.Request, v *view) error {
			return samrad.Errorf(samrad.ENOTFOUND, "%s", s.cat.T(lang, "not_found_text"))
		})
	}
	s.mux.Handle("/en/", notFound("en"))
	s.mux.Handle("/", notFound("nb"))
}

// page wraps a handler: it prepares the view for the language and renders
// errors as pages with the right status.
//
// Successful pages are cached for the current data version (see pageCache)
// and carry an ETag, so a repeated request costs one small query.
func (s *Server) page(lang, name string, h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := &view{Lang: lang, route: name, r: r, s: s}
		// The language links and the alliance's look are for rendering; a
		// page answered from the cache needs neither.
		prepared := false
		prepare := func() {
			if !prepared {
				prepared = true
				if name != "" {
					v.setSwitch(r)
				}
				v.setBrand(r)
			}
		}
		fail := func(w http.ResponseWriter, err error) {
			prepare()
			s.renderError(w, r, v, err)
		}
		if err := readable(r, s.cat.T(lang, "not_found_text"), func(n string) string { return s.cat.T(lang, "bad_encoding", n) }); err != nil {
			fail(w, err)
			return
		}
		if err := s.loadSession(r, v); err != nil {
			fail(w, err)
			return
		}
		if l, ok := publicPosts[name]; ok && r.Method == http.MethodPost && v.User == nil {
			if err := s.allow(r, l, "client:"+s.clientIP(r)); err != nil {
				w.Header().Set("Cache-Control", "no-store")
				fail(w, err)
				return
			}
		}
		// Only anonymous reads of pages are cached; forms, and pages shown to
		// a logged-in user, are rendered each time.
		if (r.Method != http.MethodGet && r.Method != http.MethodHead) || v.User != nil || name == "login" {
			w.Header().Set("Cache-Control", "no-store")
			prepare()
			if err := h(w, r, v); err != nil {
				fail(w, err)
			}
			return
		}
		// Pages without a date show today's, so the day is part of the key;
		// pages for an alliance's own host link differently, and without a
		// configured base URL the request's host is part of some pages.
		key := lang + " " + samrad.Today().String() + " " + s.hostKey(r) + " " + r.URL.RequestURI()
		version, err := s.db.Version(r.Context())
		if err != nil {
			fail(w, err)
			return
		}
		cache := s.cache
		if searched[name] {
			cache = s.searches
		}
		p, ok := cache.get(key, version)
		if !ok {
			rec := &recorder{header: http.Header{}}
			prepare()
			if err := h(rec, r, v); err != nil {
				fail(rec, err)
			}
			p = newPage(key, version, v.until, rec, p, s.started)
			// A page marked no-store (one with the visitor's own form token)
			// is not kept, nor are the uncached routes'.
			if p.status == http.StatusOK && rec.header.Get("Cache-Control") != "no-store" && !uncached[name] {
				cache.put(key, p)
			}
		}
		p.serve(w, r)
	})
}

func (s *Server) renderError(w http.ResponseWriter, r *http.Request, v *view, err error) {
	status := http.StatusInternalServerError
	var limited *limitedError
	var tooLarge *tooLargeError
	switch {
	case errors.As(err, &limited):
		v.Title = s.cat.T(v.Lang, "error_429")
		v.Data = struct{ Message string }{s.cat.T(v.Lang, "rate_limited_text", retryAfter(w, limited))}
		s.render(w, http.StatusTooManyRequests, "error", v)
		return
	case errors.As(err, &tooLarge):
		v.Title = s.cat.T(v.Lang, fmt.Sprintf("error_%d", tooLarge.status))
		v.Data = struct{ Message string }{s.cat.T(v.Lang, fmt.Sprintf("error_%d_text", tooLarge.status))}
		s.render(w, tooLarge.status, "error", v)
		return
	}
	switch samrad.ErrorCode(err) {
	case samrad.ENOTFOUND:
		status = http.StatusNotFound
	case samrad.EINVALID:
		status = http.StatusBadRequest
	case samrad.ECONFLICT:
		status = http.StatusConflict
	case samrad.EUNAUTHORIZED:
		status = http.StatusUnauthorized
	case samrad.EFORBIDDEN:
		status = http.StatusForbidden
	case samrad.EUNAVAILABLE:
		status = http.StatusServiceUnavailable
	}
	msg := samrad.ErrorMessage(err)
	if status == http.StatusInternalServerError {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		msg = s.cat.T(v.Lang, "internal_error_text")
	}
	v.Title = s.cat.T(v.Lang, fmt.Sprintf("error_%d", status))
	v.Data = struct{ Message string }{msg}
	s.render(w, status, "error", v)
}

func (s *Server) render(w http.ResponseWriter, status int, name string, v *view) {
	t, ok := s.pages[v.Lang][name]
	if !ok {
		http.Error(w, "template "+name+" missing", http.StatusInternalServerError)
		return
	}
	var b strings.Builder
	if err := t.ExecuteTemplate(&b, "layout", v); err != nil {
		s.log.Error("render", "template", name, "err", err)
		http.Error(w, s.cat.T(v.Lang, "internal_error_text"), http.StatusInternalServerError)
		return
	}
	html := b.String()
	if own, ok := hostSite(v.r); ok {
		html = shorten(html, own.Slug)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Language", v.Lang)
	w.WriteHeader(status)
	_, _ = io.WriteString(w, html)
}

// staticHandler serves the embedded static files, compressed at start-up.
// A request with the file's fingerprint (?v=hash) may be cached for a
// year; the ETag is the fingerprint and Last-Modified the start of the
// program (embedded files have no time of their own).
func (s *Server) staticHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := s.assets[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if r.URL.Query().Get("v") == s.hashes[r.URL.Path] {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "public, max-age=300")
		}
		p.serve(w, r)
	})
}

// staticAsset makes a static file a page with its compressed forms made
// now, as small as they can be.
func staticAsset(name string, b []byte, hash string, start time.Time) cachedPage {
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = http.DetectContentType(b)
	}
	p := cachedPage{status: http.StatusOK, header: http.Header{"Content-Type": {ct}}, body: b,
		etag: `"` + hash + `"`, modified: start.Truncate(time.Second), enc: &variants{best: true}}
	if compressible(p.header, len(b)) {
		p.enc.of(b, codingGzip)
		p.enc.of(b, codingBrotli)
	}
	return p
}

// csp allows only the site's own scripts, styles, images (and the data:
// images in the stylesheets), fonts and requests (htmx); no inline script,
// style or event attribute, no plugins, no framing, no <base>, and forms
// post only to the site. Served files replace it with a sandbox.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
	"manifest-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// The security headers' values, built once: each answer gets the same
// slices, set straight into its header map (names already canonical).
var (
	securityHeaderValues = [][2]string{
		{"X-Content-Type-Options", "nosniff"},
		{"Referrer-Policy", "strict-origin-when-cross-origin"},
		{"X-Frame-Options", "DENY"},
		{"Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"},
		{"Cross-Origin-Opener-Policy", "same-origin"},
		{"Cross-Origin-Resource-Policy", "same-origin"},
	}
	securityHeaderSlices = func() [][]string {
		out := make([][]string, len(securityHeaderValues))
		for i, kv := range securityHeaderValues {
			out[i] = []string{kv[1]}
		}
		return out
	}()
	cspPlain = []string{csp}
	cspTLS   = []string{csp + "; upgrade-insecure-requests"}
	hsts     = []string{"max-age=63072000; includeSubDomains"}
)

// securityHeaders sets the headers every answer carries. Over HTTPS (here
// or at a trusted proxy) the browser is also told to come back only over
// HTTPS for two years, and to fetch anything named by http: over https:.
//
// The value slices are shared by all answers: a handler may replace a
// header (Set, Del) but must not change a value in place.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if s.overTLS(r) {
			h["Content-Security-Policy"] = cspTLS
			h["Strict-Transport-Security"] = hsts
		} else {
			h["Content-Security-Policy"] = cspPlain
		}
		for i, kv := range securityHeaderValues {
			h[kv[0]] = securityHeaderSlices[i]
		}
		next.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests logs each request at debug level. When the logger leaves
// debug out, as it does in production, it costs one check.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.log.Enabled(r.Context(), slog.LevelDebug) {
			next.ServeHTTP(w, r)
			return
		}
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		s.log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", sw.status, "duration", time.Since(start))
	})
}

func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.Error("panic", "path", r.URL.Path, "panic", p)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}
