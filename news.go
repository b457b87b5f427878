package samrad

import (
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Article is a news article an alliance publishes. Its text is plain
// paragraphs (a blank line starts a new one); the English text is optional,
// and a page in English shows the Norwegian where it is missing.
//
// An article with no publish time is a draft; one with a publish time in
// the future is scheduled and invisible to the public until then.
type Article struct {
	ID         int64
	AllianceID int64
	Slug       string
	TitleNB    string
	TitleEN    string
	SummaryNB  string // the lead
	SummaryEN  string
	BodyNB     string
	BodyEN     string
	Author     string
	PublishAt  time.Time // zero: a draft
	EventID    int64     // 0: none
	MeetingID  int64     // 0: none
	MeasureID  int64     // 0: none
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Images     []ArticleImage // by position
}

// Text is a text with the language it is written in.
type Text struct {
	Text string
	Lang string
}

// localized picks the English text for lang "en" if there is one, else the Norwegian.
func localized(lang, nb, en string) Text {
	if lang == "en" && strings.TrimSpace(en) != "" {
		return Text{en, "en"}
	}
	return Text{nb, "nb"}
}

// Title returns the title to show on a page in lang.
func (a Article) Title(lang string) Text { return localized(lang, a.TitleNB, a.TitleEN) }

// Summary returns the lead to show on a page in lang.
func (a Article) Summary(lang string) Text { return localized(lang, a.SummaryNB, a.SummaryEN) }

// Body returns the text to show on a page in lang.
func (a Article) Body(lang string) Text { return localized(lang, a.BodyNB, a.BodyEN) }

// Published reports whether the public may see the article at now.
func (a Article) Published(now time.Time) bool {
	return !a.PublishAt.IsZero() && !a.PublishAt.After(now)
}

// Scheduled reports whether the article is due to be published after now.
func (a Article) Scheduled(now time.Time) bool { return a.PublishAt.After(now) }

// Validate checks an article before it is stored, deriving the slug from
// the title if it has none.
func (a *Article) Validate() error {
	a.TitleNB, a.TitleEN = strings.TrimSpace(a.TitleNB), strings.TrimSpace(a.TitleEN)
	if a.TitleNB == "" || utf8.RuneCountInString(a.TitleNB) > 200 {
		return FieldErrorf("title_nb", "the article needs a Norwegian title of at most 200 characters")
	}
	if utf8.RuneCountInString(a.TitleEN) > 200 {
		return FieldErrorf("title_en", "the English title is longer than 200 characters")
	}
	for _, f := range []struct {
		field, text string
		max         int
	}{{"summary_nb", a.SummaryNB, 1000}, {"summary_en", a.SummaryEN, 1000}, {"body_nb", a.BodyNB, 50000}, {"body_en", a.BodyEN, 50000}, {"author", a.Author, 200}} {
		if utf8.RuneCountInString(f.text) > f.max {
			return FieldErrorf(f.field, "the text is longer than %d characters", f.max)
		}
	}
	if a.Slug == "" {
		a.Slug = Slugify(a.TitleNB)
	}
	if !slugPattern.MatchString(a.Slug) || len(a.Slug) > 80 {
		return FieldErrorf("slug", "%q is not a slug (a–z, 0–9 and single '-', at most 80 characters)", a.Slug)
	}
	return nil
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// Slugify makes a slug of a Norwegian title: lower case, æ ø å spelt out,
// other letters without accents where that is simple, words joined by '-'.
func Slugify(title string) string {
	r := strings.NewReplacer("æ", "ae", "ø", "o", "å", "a", "é", "e", "è", "e", "ü", "u", "ö", "o", "ä", "a", "á", "a", "ó", "o")
	s := nonSlug.ReplaceAllString(r.Replace(strings.ToLower(title)), "-")
	s = strings.Trim(s, "-")
	if len(s) > 80 {
		s = strings.TrimRight(s[:80], "-")
	}
	if s == "" {
		s = "nyhet"
	}
	return s
}

// ParsePublishTime reads a publish time in Norwegian time, as a browser's
// date-and-time field sends it ("2020-01-28T09:00") or written by hand
// ("2020-01-28 09:00"; a date alone means midnight). "" is no time: a draft.
func ParsePublishTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, Oslo()); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, FieldErrorf("publish_at", "%q is not a date and time (YYYY-MM-DD HH:MM)", s)
}

// ArticleImage is a photo in an article. The alternative text, which
// describes the photo to those who cannot see it, is required.
type ArticleImage struct {
	ID        int64
	ArticleID int64
	Position  int
	AltNB     string
	AltEN     string
	CaptionNB string
	CaptionEN string
	Credit    string // the photographer
	Variants  []ImageVariant
}

// ImageVariant is one stored size of an image (a JPEG).
type ImageVariant struct {
	Width, Height int
	SHA256        string
}

// Alt returns the alternative text to use on a page in lang.
func (im ArticleImage) Alt(lang string) Text { return localized(lang, im.AltNB, im.AltEN) }

// Caption returns the caption to show on a page in lang.
func (im ArticleImage) Caption(lang string) Text { return localized(lang, im.CaptionNB, im.CaptionEN) }

// Largest returns the widest size.
func (im ArticleImage) Largest() ImageVariant {
	var v ImageVariant
	for _, x := range im.Variants {
		if x.Width > v.Width {
			v = x
		}
	}
	return v
}

// Validate checks an image's texts.
func (im *ArticleImage) Validate() error {
	im.AltNB, im.AltEN = strings.TrimSpace(im.AltNB), strings.TrimSpace(im.AltEN)
	if im.AltNB == "" {
		return FieldErrorf("alt_nb", "describe the image in an alternative text")
	}
	for _, f := range []struct {
		field, text string
		max         int
	}{{"alt_nb", im.AltNB, 300}, {"alt_en", im.AltEN, 300}, {"caption_nb", im.CaptionNB, 500}, {"caption_en", im.CaptionEN, 500}, {"credit", im.Credit, 200}} {
		if utf8.RuneCountInString(f.text) > f.max {
			return FieldErrorf(f.field, "the text is longer than %d characters", f.max)
		}
	}
	return nil
}

// Contact is a person to contact in an alliance, shown on its public
// pages. The person may be one of the instance's people (PersonID) or just
// a name. The e-mail address is public but never written into a page's
// source, so that address harvesters cannot collect it.
type Contact struct {
	ID         int64
	AllianceID int64
	Position   int
	PersonID   int64 // 0: not one of the people
	Name       string
	Title      string // e.g. "Direktør"
	Phone      string
	Email      string
}

var phonePattern = regexp.MustCompile(`^\+?[0-9 ()./-]{4,30}$`)

// Validate checks a contact before it is stored.
func (c *Contact) Validate() error {
	c.Name, c.Title, c.Phone, c.Email = strings.TrimSpace(c.Name), strings.TrimSpace(c.Title), strings.TrimSpace(c.Phone), strings.TrimSpace(c.Email)
	if c.Name == "" || utf8.RuneCountInString(c.Name) > 200 {
		return FieldErrorf("name", "the contact needs a name of at most 200 characters")
	}
	if utf8.RuneCountInString(c.Title) > 200 {
		return FieldErrorf("title", "the title is longer than 200 characters")
	}
	if c.Phone != "" && !phonePattern.MatchString(c.Phone) {
		return FieldErrorf("phone", "%q is not a telephone number", c.Phone)
	}
	if c.Email != "" {
		a, err := mail.ParseAddress(c.Email)
		if err != nil || a.Name != "" || a.Address != c.Email || len(c.Email) > 254 {
			return FieldErrorf("email", "%q is not an e-mail address", c.Email)
		}
	}
	return nil
}

// Office is one of an alliance's offices, with its postal address.
type Office struct {
	ID         int64
	AllianceID int64
	Position   int
	Name       string   // e.g. "Brussel"
	Lines      []string // address lines, e.g. "Nordic House", "Rue du Luxembourg 3 / 5"
	PostalCode string
	City       string
}

// Validate checks an office before it is stored.
func (o *Office) Validate() error {
	o.Name, o.PostalCode, o.City = strings.TrimSpace(o.Name), strings.TrimSpace(o.PostalCode), strings.TrimSpace(o.City)
	var lines []string
	for _, l := range o.Lines {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	o.Lines = lines
	if o.Name == "" || utf8.RuneCountInString(o.Name) > 200 {
		return FieldErrorf("name", "the office needs a name of at most 200 characters")
	}
	if len(o.Lines) > 6 {
		return FieldErrorf("lines", "an address has at most 6 lines")
	}
	for _, l := range o.Lines {
		if utf8.RuneCountInString(l) > 200 {
			return FieldErrorf("lines", "an address line is longer than 200 characters")
		}
	}
	if utf8.RuneCountInString(o.PostalCode) > 20 || utf8.RuneCountInString(o.City) > 100 {
		return FieldErrorf("city", "the postal code or the city is too long")
	}
	return nil
}
