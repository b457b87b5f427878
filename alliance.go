package samrad

import (
	"regexp"
	"strings"
)

// AllianceKind is the kind of cooperation an alliance is.
type AllianceKind string

const (
	AllianceAssociation    AllianceKind = "association"    // forening
	AllianceIntermunicipal AllianceKind = "intermunicipal" // interkommunalt samarbeid
	AllianceNetwork        AllianceKind = "network"        // nettverk
	AllianceOffice         AllianceKind = "office"         // e.g. a Brussels office
)

// Valid reports whether k is a known kind.
func (k AllianceKind) Valid() bool {
	switch k {
	case AllianceAssociation, AllianceIntermunicipal, AllianceNetwork, AllianceOffice:
		return true
	}
	return false
}

// Alliance is a regional cooperation alliance hosted by this instance.
type Alliance struct {
	ID               int64
	Slug             string
	NameNB, NameEN   string
	Kind             AllianceKind
	LegalForm        string
	Founded          Date
	FoundedPrecision Precision
	DescriptionNB    string
	DescriptionEN    string
	// MembersNote says where the member list is partial because the source is.
	MembersNoteNB, MembersNoteEN string
	Website                      string
	OrganiserID                  int64  // the organisation that runs a network, if any
	CaseScheme                   string // how case numbers are written, see CaseNumber
}

// Name returns the alliance's name in lang, falling back to Norwegian.
func (a Alliance) Name(lang string) string {
	if lang == "en" && a.NameEN != "" {
		return a.NameEN
	}
	return a.NameNB
}

// MembersNote returns the partial-list note in lang, falling back to Norwegian.
func (a Alliance) MembersNote(lang string) string {
	if lang == "en" && a.MembersNoteEN != "" {
		return a.MembersNoteEN
	}
	return a.MembersNoteNB
}

// Description returns the description in lang, falling back to Norwegian.
func (a Alliance) Description(lang string) string {
	if lang == "en" && a.DescriptionEN != "" {
		return a.DescriptionEN
	}
	return a.DescriptionNB
}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Validate checks an alliance before it is stored.
func (a Alliance) Validate() error {
	if !slugPattern.MatchString(a.Slug) || len(a.Slug) > 64 {
		return FieldErrorf("slug", "%q is not a slug (a–z, 0–9 and single '-')", a.Slug)
	}
	if strings.TrimSpace(a.NameNB) == "" {
		return FieldErrorf("name_nb", "a Norwegian name is required")
	}
	if !a.Kind.Valid() {
		return FieldErrorf("kind", "unknown alliance kind %q", a.Kind)
	}
	if a.FoundedPrecision == "" {
		return FieldErrorf("founded_precision", "precision is required")
	}
	if !a.FoundedPrecision.Valid() {
		return FieldErrorf("founded_precision", "unknown precision %q", a.FoundedPrecision)
	}
	return nil
}
