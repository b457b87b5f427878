package samrad

import (
	"strings"
	"time"
	"unicode/utf8"
)

// NewsletterList is one of an alliance's newsletters: its main newsletter,
// or a topic list for those who want only that topic.
type NewsletterList struct {
	ID            int64
	AllianceID    int64
	Slug          string
	NameNB        string
	NameEN        string
	DescriptionNB string
	DescriptionEN string
	Subscribers   int // confirmed subscribers, when read with counts
}

// Name is the list's name in lang, Norwegian if it has none in English.
func (l NewsletterList) Name(lang string) string {
	if lang == "en" && l.NameEN != "" {
		return l.NameEN
	}
	return l.NameNB
}

// Description is the list's description in lang.
func (l NewsletterList) Description(lang string) string {
	if lang == "en" && l.DescriptionEN != "" {
		return l.DescriptionEN
	}
	return l.DescriptionNB
}

// Validate checks the list.
func (l *NewsletterList) Validate() error {
	l.NameNB, l.NameEN = strings.TrimSpace(l.NameNB), strings.TrimSpace(l.NameEN)
	if l.NameNB == "" {
		return FieldErrorf("name_nb", "the list needs a name")
	}
	if !slugPattern.MatchString(l.Slug) || len(l.Slug) > 64 {
		return FieldErrorf("slug", "%q is not a slug (a–z, 0–9 and single '-')", l.Slug)
	}
	return nil
}

// SubscriberStatus is where a subscriber is in double opt-in.
type SubscriberStatus string

const (
	SubscriberPending   SubscriberStatus = "pending"   // signed up, has not confirmed
	SubscriberConfirmed SubscriberStatus = "confirmed" // confirmed by the link in the e-mail
)

// UnconfirmedKept is how long a sign-up that is never confirmed is kept
// before it is deleted: the address may be someone else's.
const UnconfirmedKept = 30 * 24 * time.Hour

// Subscriber is a person who signed up for an alliance's newsletters. A
// subscriber who unsubscribes from every list is deleted.
type Subscriber struct {
	ID          int64
	AllianceID  int64
	Email       string
	Name        string
	Lang        string // "nb" or "en": the language of what they get
	Status      SubscriberStatus
	Lists       []int64 // the lists they get
	Consent     string  // the consent text they were shown when signing up
	SignedUp    time.Time
	ConfirmedAt time.Time // zero until confirmed
}

// Validate checks and tidies the subscriber: an address that can take mail
// and cannot smuggle header fields, a name without line breaks, a language
// and at least one list.
func (s *Subscriber) Validate() error {
	email, err := NormaliseEmail(s.Email)
	if err != nil {
		return err
	}
	s.Email, s.Name = email, strings.TrimSpace(s.Name)
	if strings.ContainsAny(s.Name, "\r\n") || !utf8.ValidString(s.Name) || len(s.Name) > 200 {
		return FieldErrorf("name", "the name must be one line of at most 200 characters")
	}
	if s.Lang != "nb" && s.Lang != "en" {
		s.Lang = "nb"
	}
	if len(s.Lists) == 0 {
		return FieldErrorf("lists", "choose at least one newsletter")
	}
	if strings.TrimSpace(s.Consent) == "" {
		return FieldErrorf("consent", "the consent text is missing")
	}
	return nil
}

// IssueStatus is where a newsletter issue is.
type IssueStatus string

const (
	IssueDraft IssueStatus = "draft" // being written
	IssueSent  IssueStatus = "sent"  // queued for every subscriber; delivery in the outbox
)

// NewsletterIssue is one issue of a list: a subject, free text before and
// after, and news articles in between.
type NewsletterIssue struct {
	ID         int64
	AllianceID int64
	ListID     int64
	Subject    string
	Intro      string  // free text before the articles; paragraphs split by blank lines
	Outro      string  // free text after them
	Articles   []int64 // news articles, in order
	Status     IssueStatus
	Created    time.Time
	Sent       time.Time // zero until sent
	SentBy     string
	Recipients int // how many were queued when sent
}

// Validate checks the issue.
func (i *NewsletterIssue) Validate() error {
	i.Subject = strings.TrimSpace(i.Subject)
	switch {
	case i.Subject == "":
		return FieldErrorf("subject", "the issue needs a subject")
	case strings.ContainsAny(i.Subject, "\r\n") || utf8.RuneCountInString(i.Subject) > 200:
		return FieldErrorf("subject", "the subject must be one line of at most 200 characters")
	case i.ListID == 0:
		return FieldErrorf("list", "choose the newsletter the issue belongs to")
	case strings.TrimSpace(i.Intro) == "" && len(i.Articles) == 0:
		return FieldErrorf("intro", "the issue is empty: write a text or choose articles")
	case len(i.Intro)+len(i.Outro) > 50000:
		return FieldErrorf("intro", "the texts are longer than 50,000 characters")
	}
	return nil
}
