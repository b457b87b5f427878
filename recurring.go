package samrad

import (
	"strings"
	"unicode/utf8"
)

// RecurringKind is the kind of a recurring programme.
type RecurringKind string

const (
	RecurringOrchestra  RecurringKind = "orchestra"  // a youth orchestra with gatherings through the year
	RecurringExhibition RecurringKind = "exhibition" // a yearly exhibition hosted in turn by the members
	RecurringOther      RecurringKind = "other"
)

// RecurringKinds lists the kinds in form order.
var RecurringKinds = []RecurringKind{RecurringOrchestra, RecurringExhibition, RecurringOther}

// Valid reports whether k is a known kind.
func (k RecurringKind) Valid() bool {
	return k == RecurringOrchestra || k == RecurringExhibition || k == RecurringOther
}

// RecurringProgramme is something an alliance runs year after year, such
// as a youth orchestra or an exhibition whose host rotates among the
// members.
type RecurringProgramme struct {
	ID                int64
	AllianceID        int64
	Slug              string
	Kind              RecurringKind
	NameNB, NameEN    string
	DescriptionNB     string // paragraphs; lines starting with "- " are a list
	DescriptionEN     string
	AgeMin, AgeMax    int // the ages it is for; 0: not limited
	GatheringsPerYear int // 0: not known
	GatheringsNote    string
	Leader            Person // by ID, or a new person by name; zero if none
	LeaderRole        string // "dirigent"
	FirstYear         int    // 0: not known
	Published         bool
	Source            string

	// Read with the programme, never written from here.
	Partners []RecurringPartner
	Years    []RecurringYear  // oldest first
	Totals   []RecurringTotal // by span, then measure
}

// Name returns the name in lang, Norwegian if there is no English one.
func (p RecurringProgramme) Name(lang string) string { return netText(lang, p.NameNB, p.NameEN) }

// Description returns the description in lang.
func (p RecurringProgramme) Description(lang string) string {
	return netText(lang, p.DescriptionNB, p.DescriptionEN)
}

// GatheringsApprox reports whether the number of gatherings is an
// estimate: the source says "ca. 8".
func (p RecurringProgramme) GatheringsApprox() bool {
	n := strings.ToLower(p.GatheringsNote)
	return strings.HasPrefix(n, "ca") || strings.HasPrefix(n, "about") || strings.HasPrefix(n, "omtrent")
}

// Validate checks a programme before it is stored, trimming its texts.
func (p *RecurringProgramme) Validate() error {
	for _, s := range []*string{&p.Slug, &p.NameNB, &p.NameEN, &p.DescriptionNB, &p.DescriptionEN, &p.GatheringsNote, &p.LeaderRole, &p.Source, &p.Leader.Name} {
		*s = strings.TrimSpace(*s)
	}
	if err := netSlug("slug", p.Slug); err != nil {
		return err
	}
	switch {
	case !p.Kind.Valid():
		return FieldErrorf("kind", "unknown programme kind %q", p.Kind)
	case p.NameNB == "":
		return FieldErrorf("name_nb", "the programme needs a Norwegian name")
	case p.AgeMin < 0 || p.AgeMin > 120:
		return FieldErrorf("age_min", "the lowest age must be between 0 and 120")
	case p.AgeMax < 0 || p.AgeMax > 120:
		return FieldErrorf("age_max", "the highest age must be between 0 and 120")
	case p.AgeMax != 0 && p.AgeMax < p.AgeMin:
		return FieldErrorf("age_max", "the highest age is below the lowest")
	case p.GatheringsPerYear < 0 || p.GatheringsPerYear > 366:
		return FieldErrorf("gatherings", "the gatherings a year must be between 0 and 366")
	case p.FirstYear != 0 && (p.FirstYear < 1800 || p.FirstYear > 2200):
		return FieldErrorf("first_year", "the first year must be between 1800 and 2200")
	case p.Leader.ID == 0 && p.Leader.Name == "" && p.LeaderRole != "":
		return FieldErrorf("leader_name", "a leader's role needs a leader")
	}
	for _, f := range []struct{ field, v string }{{"name_nb", p.NameNB}, {"name_en", p.NameEN}, {"gatherings_note", p.GatheringsNote},
		{"leader_name", p.Leader.Name}, {"leader_role", p.LeaderRole}, {"source", p.Source}} {
		if err := netLine(f.field, f.v, 200, "the text"); err != nil {
			return err
		}
	}
	for _, s := range []string{p.DescriptionNB, p.DescriptionEN} {
		if utf8.RuneCountInString(s) > 10000 {
			return FieldErrorf("description_nb", "the text is longer than 10,000 characters")
		}
	}
	return nil
}

// Roles of a recurring programme's partners.
const (
	PartnerRehearsals = "rehearsals" // leads rehearsals or teaching
	PartnerActivities = "activities" // organises activities for the participants
	PartnerUmbrella   = "umbrella"   // an umbrella organisation the programme belongs to
	PartnerFunding    = "funding"    // pays for it
	PartnerHost       = "host"       // hosts it
	PartnerOther      = "other"
)

// PartnerRoles lists the roles in form order.
var PartnerRoles = []string{PartnerRehearsals, PartnerActivities, PartnerUmbrella, PartnerFunding, PartnerHost, PartnerOther}

// RecurringPartner is an organisation that takes part in a programme.
type RecurringPartner struct {
	ProgrammeID int64
	Org         Organisation // by ID
	Role        string       // one of PartnerRoles
}

// Validate checks a partner before it is stored.
func (p *RecurringPartner) Validate() error {
	if p.Role == "" {
		p.Role = PartnerOther
	}
	if p.Org.ID == 0 {
		return FieldErrorf("partner_org", "choose an organisation")
	}
	for _, r := range PartnerRoles {
		if r == p.Role {
			return nil
		}
	}
	return FieldErrorf("partner_role", "unknown partner role %q", p.Role)
}

// RecurringYear is one year of a programme: who hosted it and its figures.
type RecurringYear struct {
	ProgrammeID  int64
	Year         int
	Host         Organisation // by ID; zero if the source names no host
	Participants int          // 0: not known
	Visits       int          // 0: not known
	Note         string
}

// Validate checks a year before it is stored.
func (y *RecurringYear) Validate() error {
	y.Note = strings.TrimSpace(y.Note)
	switch {
	case y.Year < 1800 || y.Year > 2200:
		return FieldErrorf("year", "the year must be between 1800 and 2200")
	case y.Participants < 0:
		return FieldErrorf("year_participants", "the number of participants cannot be negative")
	case y.Visits < 0:
		return FieldErrorf("visits", "the number of visits cannot be negative")
	}
	return netLine("year_note", y.Note, 500, "the note")
}

// What a programme's totals count.
const (
	MeasureArtists      = "artists"
	MeasureVisits       = "visits"
	MeasureParticipants = "participants"
	MeasureGatherings   = "gatherings"
	MeasureConcerts     = "concerts"
)

// TotalMeasures lists the measures in form order.
var TotalMeasures = []string{MeasureArtists, MeasureVisits, MeasureParticipants, MeasureGatherings, MeasureConcerts}

// RecurringTotal is a figure over a span of years, kept as a total where
// the source gives no yearly figures ("2007–2016: 315 artists").
type RecurringTotal struct {
	ID          int64
	ProgrammeID int64
	FirstYear   int
	LastYear    int
	Measure     string // one of TotalMeasures
	Value       int64
	Source      string
}

// Validate checks a total before it is stored.
func (t *RecurringTotal) Validate() error {
	t.Source = strings.TrimSpace(t.Source)
	known := false
	for _, m := range TotalMeasures {
		known = known || m == t.Measure
	}
	switch {
	case t.FirstYear < 1800 || t.FirstYear > 2200:
		return FieldErrorf("total_first_year", "the first year must be between 1800 and 2200")
	case t.LastYear < t.FirstYear:
		return FieldErrorf("total_last_year", "the last year is before the first")
	case t.LastYear > 2200:
		return FieldErrorf("total_last_year", "the last year must be at most 2200")
	case !known:
		return FieldErrorf("measure", "unknown measure %q", t.Measure)
	case t.Value < 0:
		return FieldErrorf("value", "the value cannot be negative")
	}
	return netLine("total_source", t.Source, 300, "the source")
}
