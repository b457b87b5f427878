package samrad

import (
	"fmt"
	"strings"
)

// OrgKind is the kind of a member organisation.
type OrgKind string

const (
	KindMunicipality    OrgKind = "municipality"     // kommune, 4-digit code
	KindCounty          OrgKind = "county"           // fylke(skommune), 2-digit code
	KindRegionalCouncil OrgKind = "regional_council" // regionråd, delregion
	KindInstitution     OrgKind = "institution"      // university, university college
	KindStateAgency     OrgKind = "state_agency"
	KindCompany         OrgKind = "company"
	KindOther           OrgKind = "other"
)

// OrgKinds lists every kind in display order.
var OrgKinds = []OrgKind{KindMunicipality, KindCounty, KindRegionalCouncil, KindInstitution, KindStateAgency, KindCompany, KindOther}

// Valid reports whether k is a known kind.
func (k OrgKind) Valid() bool {
	for _, v := range OrgKinds {
		if v == k {
			return true
		}
	}
	return false
}

// Official reports whether organisations of this kind carry an official SSB code.
func (k OrgKind) Official() bool { return k == KindMunicipality || k == KindCounty }

// Organisation is one organisation during one period of one code. A
// municipality renumbered in a reform is a new Organisation linked to its
// predecessor by a Change.
type Organisation struct {
	ID        int64
	Kind      OrgKind
	Code      string // SSB code for municipalities and counties; a short key for others
	OrgNumber string // 9-digit organisation number (Enhetsregisteret), optional
	NameNB    string
	NameEN    string
	ValidFrom Date // zero: existed before the reference data starts
	ValidTo   Date // zero: still valid
	Note      string
}

// Name returns the name in language lang ("nb" or "en"), falling back to Norwegian.
func (o Organisation) Name(lang string) string {
	if lang == "en" && o.NameEN != "" {
		return o.NameEN
	}
	return o.NameNB
}

// ValidOn reports whether the organisation existed on d.
func (o Organisation) ValidOn(d Date) bool { return d.Within(o.ValidFrom, o.ValidTo) }

// Period formats the validity as "2020–2023", "–2019" or "2024–".
func (o Organisation) Period() string {
	from, to := "", ""
	if !o.ValidFrom.IsZero() {
		from = o.ValidFrom.String()
		if o.ValidFrom.Month() == 1 && o.ValidFrom.Day() == 1 {
			from = fmt.Sprint(o.ValidFrom.Year())
		}
	}
	if !o.ValidTo.IsZero() {
		to = o.ValidTo.String()
		if o.ValidTo.Month() == 12 && o.ValidTo.Day() == 31 {
			to = fmt.Sprint(o.ValidTo.Year())
		}
	}
	return from + "–" + to
}

// Label is "3203 Asker" for coded organisations and the name for others.
func (o Organisation) Label(lang string) string {
	if o.Kind.Official() {
		return o.Code + " " + o.Name(lang)
	}
	return o.Name(lang)
}

// County returns the county code a municipality belonged to while its code
// was valid: the first two digits of a Norwegian municipality code always give
// the county of the time (Jevnaker 0532 Oppland, 3053 Viken, 3236 Akershus).
func (o Organisation) County() string {
	if o.Kind == KindMunicipality && len(o.Code) == 4 {
		return o.Code[:2]
	}
	return ""
}

// Validate checks an organisation before it is stored.
func (o Organisation) Validate() error {
	if !o.Kind.Valid() {
		return FieldErrorf("kind", "unknown kind %q", o.Kind)
	}
	if err := ValidateOrgCode(o.Kind, o.Code); err != nil {
		return err
	}
	if strings.TrimSpace(o.NameNB) == "" {
		return FieldErrorf("name_nb", "a Norwegian name is required")
	}
	if o.OrgNumber != "" {
		if err := ValidateOrgNumber(o.OrgNumber); err != nil {
			return err
		}
	}
	if !o.ValidFrom.IsZero() && !o.ValidTo.IsZero() && o.ValidTo.Before(o.ValidFrom) {
		return FieldErrorf("valid_to", "ends %s before it starts %s", o.ValidTo, o.ValidFrom)
	}
	return nil
}

// ValidateOrgCode checks the code's shape for the kind.
func ValidateOrgCode(kind OrgKind, code string) error {
	switch kind {
	case KindMunicipality:
		if len(code) != 4 || !allDigits(code) {
			return FieldErrorf("code", "a municipality code has 4 digits, got %q", code)
		}
	case KindCounty:
		if len(code) != 2 || !allDigits(code) {
			return FieldErrorf("code", "a county code has 2 digits, got %q", code)
		}
	default:
		if code == "" || len(code) > 64 {
			return FieldErrorf("code", "a key of 1 to 64 characters is required")
		}
		for _, r := range code {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return FieldErrorf("code", "the key %q may hold only a–z, 0–9 and '-'", code)
			}
		}
	}
	return nil
}

// KindForCode guesses the kind of an official code by its length.
func KindForCode(code string) (OrgKind, bool) {
	switch {
	case len(code) == 4 && allDigits(code):
		return KindMunicipality, true
	case len(code) == 2 && allDigits(code):
		return KindCounty, true
	}
	return "", false
}

// ValidateOrgNumber checks a Norwegian organisation number: 9 digits whose last
// digit is the modulus-11 check digit with weights 3 2 7 6 5 4 3 2.
func ValidateOrgNumber(s string) error {
	if len(s) != 9 || !allDigits(s) {
		return FieldErrorf("org_number", "an organisation number has 9 digits, got %q", s)
	}
	weights := [8]int{3, 2, 7, 6, 5, 4, 3, 2}
	sum := 0
	for i, w := range weights {
		sum += int(s[i]-'0') * w
	}
	check := 11 - sum%11
	if check == 11 {
		check = 0
	}
	if check == 10 || check != int(s[8]-'0') {
		return FieldErrorf("org_number", "%s is not a valid organisation number (check digit)", s)
	}
	return nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// ChangeKind is the kind of a registry change between two organisations.
type ChangeKind string

const (
	ChangeMerge       ChangeKind = "merge"
	ChangeRenumbering ChangeKind = "renumbering"
	ChangeSplit       ChangeKind = "split"
	ChangeNameChange  ChangeKind = "name_change"
	ChangeTransfer    ChangeKind = "transfer" // part of a territory moved; never carries memberships
)

// Valid reports whether c is a known change kind.
func (c ChangeKind) Valid() bool {
	switch c {
	case ChangeMerge, ChangeRenumbering, ChangeSplit, ChangeNameChange, ChangeTransfer:
		return true
	}
	return false
}

// CarriesMembership reports whether a membership in the old organisation
// continues in the new one without a decision (merge, renumbering, name change).
func (c ChangeKind) CarriesMembership() bool {
	return c == ChangeMerge || c == ChangeRenumbering || c == ChangeNameChange
}

// Change links a predecessor to a successor. Date is the successor's first day.
type Change struct {
	ID     int64
	Kind   ChangeKind
	Date   Date
	From   Organisation
	To     Organisation
	Source string
}

// Succession is an organisation with every predecessor and successor reachable
// through changes, ordered by date.
type Succession struct {
	Organisation Organisation
	Changes      []Change
}
