package samrad

import (
	"math"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// Service is one thing an alliance does for its members, as its catalogue
// lists it: contact with EU institutions, partner search, application
// review, study visits, answering enquiries on the members' behalf …
type Service struct {
	ID            int64
	AllianceID    int64
	Slug          string
	Position      int // order in the catalogue, from 1
	NameNB        string
	NameEN        string
	DescriptionNB string
	DescriptionEN string
	NetworkID     int64 // the network the service is given through, 0: none
	Active        bool  // an inactive service is kept for the request log but not offered
	Source        string
}

// Name returns the service's name in lang, Norwegian if there is no English one.
func (s Service) Name(lang string) Text { return localized(lang, s.NameNB, s.NameEN) }

// Description returns the description in lang.
func (s Service) Description(lang string) Text {
	return localized(lang, s.DescriptionNB, s.DescriptionEN)
}

// Validate checks a service before it is stored, deriving the slug from the
// name if it has none.
func (s *Service) Validate() error {
	s.NameNB, s.NameEN = strings.TrimSpace(s.NameNB), strings.TrimSpace(s.NameEN)
	s.DescriptionNB, s.DescriptionEN = strings.TrimSpace(s.DescriptionNB), strings.TrimSpace(s.DescriptionEN)
	s.Source = strings.TrimSpace(s.Source)
	if s.NameNB == "" || utf8.RuneCountInString(s.NameNB) > 300 {
		return FieldErrorf("name_nb", "the service needs a Norwegian name of at most 300 characters")
	}
	if utf8.RuneCountInString(s.NameEN) > 300 {
		return FieldErrorf("name_en", "the English name is longer than 300 characters")
	}
	for _, f := range []struct{ field, text string }{{"name_nb", s.NameNB}, {"name_en", s.NameEN}} {
		if strings.ContainsAny(f.text, "\r\n") {
			return FieldErrorf(f.field, "the name is one line")
		}
	}
	for _, f := range []struct{ field, text string }{{"description_nb", s.DescriptionNB}, {"description_en", s.DescriptionEN}, {"source", s.Source}} {
		if utf8.RuneCountInString(f.text) > 5000 {
			return FieldErrorf(f.field, "the text is longer than 5,000 characters")
		}
	}
	if s.Slug == "" {
		s.Slug = Slugify(s.NameNB)
	}
	if !slugPattern.MatchString(s.Slug) || len(s.Slug) > 80 {
		return FieldErrorf("slug", "%q is not a slug (a–z, 0–9 and single '-', at most 80 characters)", s.Slug)
	}
	return nil
}

// RequestKind tells a member's own request for help from an enquiry the
// secretariat answers on the members' behalf.
type RequestKind string

const (
	// RequestKindRequest is a member asking for help: contact with EU
	// institutions, a partner search, a review of an application …
	RequestKindRequest RequestKind = "request"
	// RequestKindEnquiry is an enquiry from users, suppliers or the media
	// that the secretariat answers for the members, such as Vestregionen's
	// answers about BPA.
	RequestKindEnquiry RequestKind = "enquiry"
)

// RequestKinds lists the kinds in display order.
var RequestKinds = []RequestKind{RequestKindRequest, RequestKindEnquiry}

// Valid reports whether k is a known kind.
func (k RequestKind) Valid() bool { return k == RequestKindRequest || k == RequestKindEnquiry }

// RequesterKind is who asked.
type RequesterKind string

const (
	RequesterMember   RequesterKind = "member"
	RequesterUser     RequesterKind = "user" // a user of a service, e.g. a BPA user
	RequesterSupplier RequesterKind = "supplier"
	RequesterMedia    RequesterKind = "media"
	RequesterOther    RequesterKind = "other"
)

// RequesterKinds lists the kinds of requester in display order.
var RequesterKinds = []RequesterKind{RequesterMember, RequesterUser, RequesterSupplier, RequesterMedia, RequesterOther}

// Valid reports whether k is a known kind of requester.
func (k RequesterKind) Valid() bool {
	for _, x := range RequesterKinds {
		if x == k {
			return true
		}
	}
	return false
}

// RequestStatus is where a request stands.
type RequestStatus string

const (
	RequestOpen       RequestStatus = "open"
	RequestInProgress RequestStatus = "in_progress"
	RequestDone       RequestStatus = "done"
	RequestDeclined   RequestStatus = "declined"
)

// RequestStatuses lists the statuses in display order.
var RequestStatuses = []RequestStatus{RequestOpen, RequestInProgress, RequestDone, RequestDeclined}

// Valid reports whether s is a known status.
func (s RequestStatus) Valid() bool {
	for _, x := range RequestStatuses {
		if x == s {
			return true
		}
	}
	return false
}

// Closed reports whether the request is finished, done or declined.
func (s RequestStatus) Closed() bool { return s == RequestDone || s == RequestDeclined }

// ServiceRequest is one entry in an alliance's request log. It holds
// personal data (the requester's name), so only the secretariat sees it,
// and it names the requester only as far as the secretariat needs.
type ServiceRequest struct {
	ID              int64
	AllianceID      int64
	Kind            RequestKind
	ServiceID       int64 // 0: none
	NetworkID       int64 // 0: none
	MemberOrgID     int64 // the member organisation concerned, 0: none
	RequesterKind   RequesterKind
	Requester       string
	Subject         string
	Description     string
	Status          RequestStatus
	Outcome         string
	ReceivedAt      time.Time
	FirstResponseAt time.Time // zero: not answered yet
	ClosedAt        time.Time // zero: not closed
	HandledBy       int64     // the user who handles it, 0: none
	HandledByName   string    // read from the user, for lists
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// ResponseTime is the time from receipt to the first response, and whether
// there has been one.
func (r ServiceRequest) ResponseTime() (time.Duration, bool) {
	if r.FirstResponseAt.IsZero() {
		return 0, false
	}
	return r.FirstResponseAt.Sub(r.ReceivedAt), true
}

// Validate checks a request before it is stored. Times are kept to the
// second in UTC.
func (r *ServiceRequest) Validate() error {
	r.Requester, r.Subject = strings.TrimSpace(r.Requester), strings.TrimSpace(r.Subject)
	r.Description, r.Outcome = strings.TrimSpace(r.Description), strings.TrimSpace(r.Outcome)
	for _, t := range []*time.Time{&r.ReceivedAt, &r.FirstResponseAt, &r.ClosedAt} {
		if !t.IsZero() {
			*t = t.UTC().Truncate(time.Second)
		}
	}
	if r.Status == "" {
		r.Status = RequestOpen
	}
	switch {
	case !r.Kind.Valid():
		return FieldErrorf("kind", "%q is not a kind of request", r.Kind)
	case !r.RequesterKind.Valid():
		return FieldErrorf("requester_kind", "%q is not a kind of requester", r.RequesterKind)
	case !r.Status.Valid():
		return FieldErrorf("status", "%q is not a status of a request", r.Status)
	case r.Subject == "" || utf8.RuneCountInString(r.Subject) > 300:
		return FieldErrorf("subject", "the request needs a subject of at most 300 characters")
	case utf8.RuneCountInString(r.Requester) > 200:
		return FieldErrorf("requester", "the requester is longer than 200 characters")
	case utf8.RuneCountInString(r.Description) > 10000:
		return FieldErrorf("description", "the description is longer than 10,000 characters")
	case utf8.RuneCountInString(r.Outcome) > 10000:
		return FieldErrorf("outcome", "the outcome is longer than 10,000 characters")
	case strings.ContainsAny(r.Subject+r.Requester, "\r\n"):
		return FieldErrorf("subject", "the subject and the requester are one line each")
	case r.ReceivedAt.IsZero():
		return FieldErrorf("received_at", "give the time the request was received")
	case !r.FirstResponseAt.IsZero() && r.FirstResponseAt.Before(r.ReceivedAt):
		return FieldErrorf("first_response_at", "the first response cannot come before the request was received")
	case !r.ClosedAt.IsZero() && r.ClosedAt.Before(r.ReceivedAt):
		return FieldErrorf("closed_at", "the request cannot be closed before it was received")
	case !r.ClosedAt.IsZero() && !r.FirstResponseAt.IsZero() && r.ClosedAt.Before(r.FirstResponseAt):
		return FieldErrorf("closed_at", "the request cannot be closed before its first response")
	case r.Status.Closed() && r.ClosedAt.IsZero():
		return FieldErrorf("closed_at", "give the time the request was closed")
	case r.Status.Closed() && r.Outcome == "":
		return FieldErrorf("outcome", "a closed request needs an outcome")
	case !r.Status.Closed() && !r.ClosedAt.IsZero():
		return FieldErrorf("status", "a request with a closing time must be done or declined")
	}
	return nil
}

// RequestFilter selects entries of the request log; zero fields select all.
// From and To are days in Norway, inclusive, of the time received.
type RequestFilter struct {
	Kind        RequestKind
	Status      RequestStatus
	ServiceID   int64
	MemberOrgID int64
	From, To    Date
}

// ResponseStats are the counts and response times of a set of requests.
// Median and P90 are over the requests with a first response.
type ResponseStats struct {
	Count     int
	Open      int // neither done nor declined
	Responded int
	Median    time.Duration
	P90       time.Duration
}

// RequestStats are the statistics of a request log: in all, per kind, and
// per service (ServiceID 0 is the requests tied to no service).
type RequestStats struct {
	All       ResponseStats
	ByKind    []KindStats
	ByService []ServiceStats
}

// KindStats are the statistics of one kind of request.
type KindStats struct {
	Kind RequestKind
	ResponseStats
}

// ServiceStats are the statistics of the requests about one service.
type ServiceStats struct {
	ServiceID int64
	ResponseStats
}

// ComputeRequestStats counts the requests and computes their response
// times. Percentiles are interpolated between the nearest ranks (as
// PostgreSQL's percentile_cont does), so the figures are the same whichever
// database holds the log. Kinds come in RequestKinds order and services in
// the order they first appear.
func ComputeRequestStats(list []ServiceRequest) RequestStats {
	type acc struct {
		stats ResponseStats
		times []time.Duration
	}
	add := func(a *acc, r ServiceRequest) {
		a.stats.Count++
		if !r.Status.Closed() {
			a.stats.Open++
		}
		if d, ok := r.ResponseTime(); ok {
			a.times = append(a.times, d)
		}
	}
	done := func(a *acc) ResponseStats {
		a.stats.Responded = len(a.times)
		a.stats.Median = Percentile(a.times, 50)
		a.stats.P90 = Percentile(a.times, 90)
		return a.stats
	}
	var all acc
	kinds := map[RequestKind]*acc{}
	services := map[int64]*acc{}
	var order []int64
	for _, r := range list {
		add(&all, r)
		if kinds[r.Kind] == nil {
			kinds[r.Kind] = &acc{}
		}
		add(kinds[r.Kind], r)
		if services[r.ServiceID] == nil {
			services[r.ServiceID] = &acc{}
			order = append(order, r.ServiceID)
		}
		add(services[r.ServiceID], r)
	}
	out := RequestStats{All: done(&all)}
	for _, k := range RequestKinds {
		if a := kinds[k]; a != nil {
			out.ByKind = append(out.ByKind, KindStats{Kind: k, ResponseStats: done(a)})
		}
	}
	for _, id := range order {
		out.ByService = append(out.ByService, ServiceStats{ServiceID: id, ResponseStats: done(services[id])})
	}
	return out
}

// Percentile returns the p-th percentile (0–100) of the durations,
// interpolating linearly between the two nearest ranks; 0 for none.
func Percentile(values []time.Duration, p float64) time.Duration {
	if len(values) == 0 {
		return 0
	}
	sorted := append([]time.Duration(nil), values...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	pos := p / 100 * float64(len(sorted)-1)
	lo := int(math.Floor(pos))
	hi := int(math.Ceil(pos))
	if lo == hi {
		return sorted[lo]
	}
	frac := pos - float64(lo)
	return sorted[lo] + time.Duration(math.Round(frac*float64(sorted[hi]-sorted[lo])))
}
