package samrad

import (
	"strings"
	"time"
	"unicode/utf8"
)

// AgreementKind is what sort of agreement it is.
type AgreementKind string

const (
	// AgreementCooperation is a cooperation agreement (samarbeidsavtale)
	// between the alliance and a partner, such as a university college.
	AgreementCooperation AgreementKind = "cooperation"
	// AgreementFramework is a joint framework agreement (felles
	// rammeavtale) that members join, often with suppliers.
	AgreementFramework AgreementKind = "framework"
)

// AgreementKinds lists the kinds in display order.
var AgreementKinds = []AgreementKind{AgreementCooperation, AgreementFramework}

// Valid reports whether k is a known kind.
func (k AgreementKind) Valid() bool { return k == AgreementCooperation || k == AgreementFramework }

// PartyRole is an organisation's part in an agreement.
type PartyRole string

const (
	PartyParty    PartyRole = "party"    // signs the agreement
	PartyJoined   PartyRole = "joined"   // a member that has joined a joint agreement
	PartySupplier PartyRole = "supplier" // delivers under a framework agreement
)

// PartyRoles lists the roles in display order.
var PartyRoles = []PartyRole{PartyParty, PartyJoined, PartySupplier}

// Valid reports whether r is a known role.
func (r PartyRole) Valid() bool { return r == PartyParty || r == PartyJoined || r == PartySupplier }

// Agreement is a cooperation agreement or a joint framework agreement of an
// alliance, with its parties, areas of cooperation, signatories and
// documents. Dates the source does not give are zero; the signing date has
// a precision, since sources often give only the month ("mai 2014").
type Agreement struct {
	ID              int64
	AllianceID      int64
	Slug            string
	Kind            AgreementKind
	TitleNB         string
	TitleEN         string
	DescriptionNB   string
	DescriptionEN   string
	SignedOn        Date
	SignedPrecision Precision
	Starts          Date
	Ends            Date
	RenewalDate     Date  // when it must be renewed or renegotiated; may be after the end
	NetworkID       int64 // the network it belongs to, 0: none
	// PartiesNoteNB/EN tell of parties the source does not name, such as
	// "13 kommuner i Vestregionen og seks kommersielle leverandører".
	PartiesNoteNB string
	PartiesNoteEN string
	Published     bool
	Source        string

	Parties     []AgreementParty // by role, then name
	Areas       []AgreementArea  // in order
	Signatories []Signatory
	Documents   []AgreementDocument
}

// AgreementParty is an organisation's part in an agreement.
type AgreementParty struct {
	Org      Organisation
	Role     PartyRole
	JoinedOn Date // zero: not known
}

// AgreementArea is one area of cooperation an agreement names.
type AgreementArea struct {
	Position int
	NameNB   string
	NameEN   string
}

// Name returns the area's name in lang.
func (a AgreementArea) Name(lang string) Text { return localized(lang, a.NameNB, a.NameEN) }

// Signatory is someone who signed an agreement: a person, or only a title
// ("rektor") when the source names no one, for an organisation.
type Signatory struct {
	ID          int64
	AgreementID int64
	Person      Person // ID 0: no person named
	Title       string
	Org         Organisation // ID 0: none given
	SignedOn    Date
}

// Label is the signatory as a list prints it: name, title, organisation.
func (s Signatory) Label(lang string) string {
	var parts []string
	for _, p := range []string{s.Person.Name, s.Title, s.Org.Name(lang)} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// AgreementDocument is a file of an agreement, such as the signed text.
type AgreementDocument struct {
	ID          int64
	AgreementID int64
	Title       string
	Filename    string
	SHA256      string
	ContentType string
	Size        int64
	CreatedAt   time.Time
}

// Title returns the agreement's title in lang.
func (a Agreement) Title(lang string) Text { return localized(lang, a.TitleNB, a.TitleEN) }

// Description returns the description in lang.
func (a Agreement) Description(lang string) Text {
	return localized(lang, a.DescriptionNB, a.DescriptionEN)
}

// PartiesNote returns the note on unnamed parties in lang.
func (a Agreement) PartiesNote(lang string) Text {
	return localized(lang, a.PartiesNoteNB, a.PartiesNoteEN)
}

// Ended reports whether the agreement has ended by day d.
func (a Agreement) Ended(d Date) bool { return !a.Ends.IsZero() && a.Ends.Before(d) }

// PartiesAs returns the parties with one role, in their order.
func (a Agreement) PartiesAs(role PartyRole) []AgreementParty {
	var out []AgreementParty
	for _, p := range a.Parties {
		if p.Role == role {
			out = append(out, p)
		}
	}
	return out
}

// Party returns the organisation's part in the agreement.
func (a Agreement) Party(orgID int64) (AgreementParty, bool) {
	for _, p := range a.Parties {
		if p.Org.ID == orgID {
			return p, true
		}
	}
	return AgreementParty{}, false
}

// Validate checks an agreement, its areas and its parties before it is
// stored, deriving the slug from the title if it has none.
func (a *Agreement) Validate() error {
	a.TitleNB, a.TitleEN = strings.TrimSpace(a.TitleNB), strings.TrimSpace(a.TitleEN)
	a.DescriptionNB, a.DescriptionEN = strings.TrimSpace(a.DescriptionNB), strings.TrimSpace(a.DescriptionEN)
	a.PartiesNoteNB, a.PartiesNoteEN = strings.TrimSpace(a.PartiesNoteNB), strings.TrimSpace(a.PartiesNoteEN)
	a.Source = strings.TrimSpace(a.Source)
	if a.SignedOn.IsZero() {
		a.SignedPrecision = PrecisionUnknown
	} else if a.SignedPrecision == "" || a.SignedPrecision == PrecisionUnknown {
		a.SignedPrecision = PrecisionDay
	}
	if a.Slug == "" {
		a.Slug = Slugify(a.TitleNB)
	}
	switch {
	case a.TitleNB == "" || utf8.RuneCountInString(a.TitleNB) > 300:
		return FieldErrorf("title_nb", "the agreement needs a Norwegian title of at most 300 characters")
	case utf8.RuneCountInString(a.TitleEN) > 300:
		return FieldErrorf("title_en", "the English title is longer than 300 characters")
	case strings.ContainsAny(a.TitleNB+a.TitleEN, "\r\n"):
		return FieldErrorf("title_nb", "the title is one line")
	case !a.Kind.Valid():
		return FieldErrorf("kind", "%q is not a kind of agreement", a.Kind)
	case !slugPattern.MatchString(a.Slug) || len(a.Slug) > 80:
		return FieldErrorf("slug", "%q is not a slug (a–z, 0–9 and single '-', at most 80 characters)", a.Slug)
	case a.Slug == "ny" || a.Slug == "new":
		return FieldErrorf("slug", "%q is reserved", a.Slug)
	case !a.SignedPrecision.Valid():
		return FieldErrorf("signed_precision", "%q is not a precision", a.SignedPrecision)
	case !a.Starts.IsZero() && !a.Ends.IsZero() && a.Ends.Before(a.Starts):
		return FieldErrorf("ends", "the agreement cannot end before it starts")
	case !a.Starts.IsZero() && !a.RenewalDate.IsZero() && a.RenewalDate.Before(a.Starts):
		return FieldErrorf("renewal_date", "the renewal date cannot be before the start")
	}
	for _, f := range []struct{ field, text string }{{"description_nb", a.DescriptionNB}, {"description_en", a.DescriptionEN},
		{"parties_note_nb", a.PartiesNoteNB}, {"parties_note_en", a.PartiesNoteEN}, {"source", a.Source}} {
		if utf8.RuneCountInString(f.text) > 10000 {
			return FieldErrorf(f.field, "the text is longer than 10,000 characters")
		}
	}
	for i := range a.Areas {
		ar := &a.Areas[i]
		ar.NameNB, ar.NameEN, ar.Position = strings.TrimSpace(ar.NameNB), strings.TrimSpace(ar.NameEN), i+1
		if ar.NameNB == "" || utf8.RuneCountInString(ar.NameNB) > 200 || utf8.RuneCountInString(ar.NameEN) > 200 ||
			strings.ContainsAny(ar.NameNB+ar.NameEN, "\r\n") {
			return FieldErrorf("areas", "area %d needs a Norwegian name of one line and at most 200 characters", i+1)
		}
	}
	seen := map[int64]bool{}
	for _, p := range a.Parties {
		if err := p.Validate(); err != nil {
			return err
		}
		if seen[p.Org.ID] {
			return &Error{Code: ECONFLICT, Field: "org", Message: p.Org.NameNB + " is already a party to the agreement"}
		}
		seen[p.Org.ID] = true
	}
	return nil
}

// Validate checks a party.
func (p AgreementParty) Validate() error {
	if p.Org.ID == 0 {
		return FieldErrorf("org", "choose the organisation")
	}
	if !p.Role.Valid() {
		return FieldErrorf("role", "%q is not a role in an agreement", p.Role)
	}
	return nil
}

// Validate checks a signatory: someone must be named, by person or title.
func (s *Signatory) Validate() error {
	s.Person.Name, s.Title = strings.TrimSpace(s.Person.Name), strings.TrimSpace(s.Title)
	if s.Person.ID == 0 && s.Person.Name == "" && s.Title == "" {
		return FieldErrorf("signatory_name", "give the signatory's name or title")
	}
	for _, v := range []string{s.Person.Name, s.Title} {
		if strings.ContainsAny(v, "\r\n") || utf8.RuneCountInString(v) > 200 {
			return FieldErrorf("signatory_name", "name and title are one short line each")
		}
	}
	return nil
}
