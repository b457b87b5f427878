package samrad

import (
	"strings"
	"time"
	"unicode/utf8"
)

// ProjectStatus is where a project stands.
type ProjectStatus string

const (
	ProjectIdea        ProjectStatus = "idea"        // being thought out, not applied for
	ProjectApplication ProjectStatus = "application" // funding applied for
	ProjectRunning     ProjectStatus = "running"
	ProjectClosed      ProjectStatus = "closed"
)

// ProjectStatuses lists the statuses in the order a project moves through them.
var ProjectStatuses = []ProjectStatus{ProjectIdea, ProjectApplication, ProjectRunning, ProjectClosed}

// Valid reports whether s is a known status.
func (s ProjectStatus) Valid() bool {
	for _, x := range ProjectStatuses {
		if x == s {
			return true
		}
	}
	return false
}

// ProjectFundingKind is the kind of source a project's money comes from.
type ProjectFundingKind string

const (
	ProjectFundingState           ProjectFundingKind = "state"
	ProjectFundingCounty          ProjectFundingKind = "county"
	ProjectFundingMunicipal       ProjectFundingKind = "municipal"
	ProjectFundingEU              ProjectFundingKind = "eu"
	ProjectFundingResearchCouncil ProjectFundingKind = "research_council"
	ProjectFundingPrivate         ProjectFundingKind = "private"
	ProjectFundingOwn             ProjectFundingKind = "own" // the alliance's own money
	ProjectFundingOther           ProjectFundingKind = "other"
)

// ProjectFundingKinds lists the kinds in display order.
var ProjectFundingKinds = []ProjectFundingKind{ProjectFundingState, ProjectFundingCounty, ProjectFundingMunicipal, ProjectFundingEU,
	ProjectFundingResearchCouncil, ProjectFundingPrivate, ProjectFundingOwn, ProjectFundingOther}

// Valid reports whether k is a known kind.
func (k ProjectFundingKind) Valid() bool {
	for _, x := range ProjectFundingKinds {
		if x == k {
			return true
		}
	}
	return false
}

// ProjectMilestoneKind tells a milestone from a deliverable or a report due.
type ProjectMilestoneKind string

const (
	MilestonePlain       ProjectMilestoneKind = "milestone"
	MilestoneDeliverable ProjectMilestoneKind = "deliverable"
	MilestoneReport      ProjectMilestoneKind = "report"
)

// ProjectMilestoneKinds lists the kinds in display order.
var ProjectMilestoneKinds = []ProjectMilestoneKind{MilestonePlain, MilestoneDeliverable, MilestoneReport}

// Valid reports whether k is a known kind.
func (k ProjectMilestoneKind) Valid() bool {
	for _, x := range ProjectMilestoneKinds {
		if x == k {
			return true
		}
	}
	return false
}

// ProjectDocumentKind says what a project's document is.
type ProjectDocumentKind string

const (
	ProjectDocumentPlain       ProjectDocumentKind = "document"
	ProjectDocumentApplication ProjectDocumentKind = "application"
	ProjectDocumentReport      ProjectDocumentKind = "report"
	ProjectDocumentResult      ProjectDocumentKind = "result"
)

// ProjectDocumentKinds lists the kinds in display order.
var ProjectDocumentKinds = []ProjectDocumentKind{ProjectDocumentPlain, ProjectDocumentApplication, ProjectDocumentReport, ProjectDocumentResult}

// Valid reports whether k is a known kind.
func (k ProjectDocumentKind) Valid() bool {
	for _, x := range ProjectDocumentKinds {
		if x == k {
			return true
		}
	}
	return false
}

// Project is a project in an alliance's portfolio, whoever owns it: the
// alliance itself, one of its members or another organisation. It may
// have come from one of the alliance's networks or from a measure of its
// action programme.
type Project struct {
	ID              int64
	AllianceID      int64
	Slug            string
	NameNB          string
	NameEN          string
	DescriptionNB   string
	DescriptionEN   string
	OwnerOrgID      int64 // 0: the alliance itself
	Status          ProjectStatus
	Starts, Ends    Date   // zero: not known
	Budget          *Money // nil: not known
	OwnContribution *Money // the alliance's own share; nil: not known
	NetworkID       int64  // 0: none
	MeasureID       int64  // 0: none
	Website         string
	Published       bool
	Source          string
	CreatedAt       time.Time
	UpdatedAt       time.Time

	// Read with the project; the project's own changes do not write them.
	Partners   []ProjectPartner
	Funding    []ProjectFunding
	Milestones []ProjectMilestone
	Documents  []ProjectDocument
}

// Name returns the project's name in lang, Norwegian if there is no English one.
func (p Project) Name(lang string) string {
	if lang == "en" && p.NameEN != "" {
		return p.NameEN
	}
	return p.NameNB
}

// Description returns the description in lang, Norwegian if there is no English one.
func (p Project) Description(lang string) string {
	if lang == "en" && p.DescriptionEN != "" {
		return p.DescriptionEN
	}
	return p.DescriptionNB
}

// FundingTotal is the sum of the project's funding sources.
func (p Project) FundingTotal() Money {
	var sum Money
	for _, f := range p.Funding {
		sum += f.Amount
	}
	return sum
}

// Validate checks a project before it is stored, deriving the slug from
// the Norwegian name if it has none.
func (p *Project) Validate() error {
	p.NameNB, p.NameEN, p.Website = strings.TrimSpace(p.NameNB), strings.TrimSpace(p.NameEN), strings.TrimSpace(p.Website)
	p.DescriptionNB, p.DescriptionEN = strings.TrimSpace(p.DescriptionNB), strings.TrimSpace(p.DescriptionEN)
	if p.NameNB == "" || utf8.RuneCountInString(p.NameNB) > 200 || strings.ContainsAny(p.NameNB, "\r\n") {
		return FieldErrorf("name_nb", "the project needs a Norwegian name of one line and at most 200 characters")
	}
	if utf8.RuneCountInString(p.NameEN) > 200 || strings.ContainsAny(p.NameEN, "\r\n") {
		return FieldErrorf("name_en", "the English name is one line of at most 200 characters")
	}
	if p.Slug == "" {
		p.Slug = Slugify(p.NameNB)
	}
	switch {
	case !slugPattern.MatchString(p.Slug) || len(p.Slug) > 80:
		return FieldErrorf("slug", "%q is not a slug (a–z, 0–9 and single '-', at most 80 characters)", p.Slug)
	case p.Slug == "ny" || p.Slug == "new":
		return FieldErrorf("slug", "%q is reserved", p.Slug)
	case !p.Status.Valid():
		return FieldErrorf("status", "unknown project status %q", p.Status)
	case !p.Starts.IsZero() && !p.Ends.IsZero() && p.Ends.Before(p.Starts):
		return FieldErrorf("ends", "the project ends %s, before it starts %s", p.Ends, p.Starts)
	case p.Budget != nil && *p.Budget < 0:
		return FieldErrorf("budget", "the budget cannot be negative")
	case p.OwnContribution != nil && *p.OwnContribution < 0:
		return FieldErrorf("own_contribution", "the own contribution cannot be negative")
	case p.Website != "" && !strings.HasPrefix(p.Website, "https://") && !strings.HasPrefix(p.Website, "http://"):
		return FieldErrorf("website", "the website must start with https://")
	case len(p.Website) > 500 || strings.ContainsAny(p.Website, " \r\n\"<>"):
		return FieldErrorf("website", "the website is not a link")
	case utf8.RuneCountInString(p.DescriptionNB) > 20000 || utf8.RuneCountInString(p.DescriptionEN) > 20000:
		return FieldErrorf("description_nb", "the description is longer than 20,000 characters")
	case utf8.RuneCountInString(p.Source) > 1000:
		return FieldErrorf("source", "the source is longer than 1,000 characters")
	}
	return nil
}

// ProjectPartner is an organisation taking part in a project, in a role
// such as "partner" or "lead partner" (free text).
type ProjectPartner struct {
	ProjectID int64
	OrgID     int64
	Role      string
	Org       Organisation // filled when read
}

// Validate checks a partner before it is stored.
func (p *ProjectPartner) Validate() error {
	p.Role = strings.TrimSpace(p.Role)
	if p.OrgID == 0 {
		return FieldErrorf("partner", "choose the partner organisation")
	}
	if utf8.RuneCountInString(p.Role) > 200 || strings.ContainsAny(p.Role, "\r\n") {
		return FieldErrorf("role", "the role is one line of at most 200 characters")
	}
	return nil
}

// ProjectFunding is one source of a project's money: a funder named by
// name, by organisation or both, and the amount.
type ProjectFunding struct {
	ID          int64
	ProjectID   int64
	Kind        ProjectFundingKind
	Funder      string
	FunderOrgID int64 // 0: named only
	Amount      Money
	Note        string
	FunderOrg   Organisation // filled when read
}

// FunderName is the funder as a page names it: the name given, else the
// organisation's name.
func (f ProjectFunding) FunderName(lang string) string {
	if f.Funder != "" {
		return f.Funder
	}
	return f.FunderOrg.Name(lang)
}

// Validate checks a funding source before it is stored. Only the
// alliance's own money needs no funder.
func (f *ProjectFunding) Validate() error {
	f.Funder, f.Note = strings.TrimSpace(f.Funder), strings.TrimSpace(f.Note)
	switch {
	case !f.Kind.Valid():
		return FieldErrorf("funding_kind", "unknown kind of funding %q", f.Kind)
	case f.Amount < 0:
		return FieldErrorf("amount", "the amount cannot be negative")
	case f.Funder == "" && f.FunderOrgID == 0 && f.Kind != ProjectFundingOwn:
		return FieldErrorf("funder", "name the funder or choose its organisation")
	case utf8.RuneCountInString(f.Funder) > 200 || strings.ContainsAny(f.Funder, "\r\n"):
		return FieldErrorf("funder", "the funder is one line of at most 200 characters")
	case utf8.RuneCountInString(f.Note) > 1000:
		return FieldErrorf("funding_note", "the note is longer than 1,000 characters")
	}
	return nil
}

// ProjectMilestone is a milestone, a deliverable or a report a project
// owes by a date; Done is when it was reached.
type ProjectMilestone struct {
	ID        int64
	ProjectID int64
	Kind      ProjectMilestoneKind
	Title     string
	Due       Date // zero: no date set
	Done      Date // zero: not done
	Note      string
}

// Late reports whether the milestone was due before today and is not done.
func (m ProjectMilestone) Late(today Date) bool {
	return m.Done.IsZero() && !m.Due.IsZero() && m.Due.Before(today)
}

// Validate checks a milestone before it is stored.
func (m *ProjectMilestone) Validate() error {
	m.Title, m.Note = strings.TrimSpace(m.Title), strings.TrimSpace(m.Note)
	switch {
	case !m.Kind.Valid():
		return FieldErrorf("milestone_kind", "unknown kind of milestone %q", m.Kind)
	case m.Title == "" || utf8.RuneCountInString(m.Title) > 300 || strings.ContainsAny(m.Title, "\r\n"):
		return FieldErrorf("milestone_title", "the milestone needs a title of one line and at most 300 characters")
	case utf8.RuneCountInString(m.Note) > 1000:
		return FieldErrorf("milestone_note", "the note is longer than 1,000 characters")
	}
	return nil
}

// ProjectDocument is a file of a project: an application, a report, a
// result. Its bytes are kept once by their SHA-256.
type ProjectDocument struct {
	ID          int64
	ProjectID   int64
	Kind        ProjectDocumentKind
	Title       string
	Filename    string
	SHA256      string
	ContentType string
	Size        int64
	CreatedAt   time.Time
}

// Validate checks a document's title, kind and file name; the content is
// judged by DetectDocumentType.
func (d *ProjectDocument) Validate() error {
	d.Title = strings.TrimSpace(d.Title)
	if d.Kind == "" {
		d.Kind = ProjectDocumentPlain
	}
	switch {
	case !d.Kind.Valid():
		return FieldErrorf("document_kind", "unknown kind of document %q", d.Kind)
	case d.Title == "" || utf8.RuneCountInString(d.Title) > 300 || strings.ContainsAny(d.Title, "\r\n"):
		return FieldErrorf("document_title", "the document needs a title of one line and at most 300 characters")
	case d.Filename == "" || len(d.Filename) > 200 || strings.ContainsAny(d.Filename, "/\\\x00\r\n\""):
		return FieldErrorf("file", "the file name %q is not allowed", d.Filename)
	}
	return nil
}
