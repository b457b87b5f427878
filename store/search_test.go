package store_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/demo"
	"github.com/samrad/samrad/fulltext"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/store"
)

// searchFixture is a fee case decided by the board and then the council,
// published minutes, a published, a draft and a scheduled article, a measure
// of an action programme and a person in the board.
type searchFixture struct {
	alliance      samrad.Alliance
	board         samrad.Body
	feeCase       samrad.Case
	boardMeeting  samrad.Meeting
	draft, future samrad.Article
	person        samrad.Person
}

func newSearchFixture(t *testing.T, db *store.DB) searchFixture {
	t.Helper()
	ctx := context.Background()
	var f searchFixture
	f.alliance = newAlliance(t, db, "vr")
	f.board = samrad.Body{AllianceID: f.alliance.ID, Slug: "styret", NameNB: "Styret", NameEN: "The board", Kind: samrad.BodyBoard}
	must(t, db.CreateBody(ctx, &f.board))
	f.feeCase = samrad.Case{AllianceID: f.alliance.ID, Year: 2017, Title: "Kontingent for 2018",
		Presentation: "Styret foreslår at kommunene betaler kr 1,50 per innbygger.", Type: samrad.CaseDecision}
	must(t, db.CreateCase(ctx, &f.feeCase))
	f.boardMeeting = samrad.Meeting{BodyID: f.board.ID, Number: 4, Year: 2017, Start: time.Date(2017, 9, 1, 9, 0, 0, 0, time.UTC)}
	must(t, db.CreateMeeting(ctx, &f.boardMeeting))
	must(t, db.AddAgendaItem(ctx, f.boardMeeting.ID, f.feeCase.ID, 1))
	must(t, db.SetDecision(ctx, f.boardMeeting.ID, f.feeCase.ID, "Satsen videreføres uendret."))
	must(t, db.SetMinutes(ctx, f.boardMeeting.ID, "Styret drøftet samhandlingen med fylkeskommunen."))

	published := samrad.Article{AllianceID: f.alliance.ID, TitleNB: "Ny kontingentmodell", TitleEN: "A new fee model",
		BodyNB: "Kommunene får ny modell.", PublishAt: time.Date(2020, 1, 2, 8, 0, 0, 0, time.UTC)}
	f.draft = samrad.Article{AllianceID: f.alliance.ID, TitleNB: "Utkast om kontingenten", BodyNB: "Ikke ferdig."}
	f.future = samrad.Article{AllianceID: f.alliance.ID, TitleNB: "Kontingenten i 2099", PublishAt: time.Now().Add(24 * time.Hour)}
	for _, a := range []*samrad.Article{&published, &f.draft, &f.future} {
		must(t, db.CreateArticle(ctx, a))
	}
	p := samrad.Programme{AllianceID: f.alliance.ID, Year: 2017, Title: "Handlingsprogram 2017", Sections: []samrad.Section{
		{Number: 1, Title: "Styring", Measures: []samrad.Measure{
			{Section: 1, Number: 1, Title: "Ny kontingentmodell", Intro: "Utrede en modell for kontingenten.",
				Content: []string{"Samordne med kommunenes budsjettarbeid"}},
		}},
	}}
	must(t, db.CreateProgramme(ctx, &p))
	f.person = samrad.Person{Name: "Gunnar Selvik", Title: "ordfører i Bærum", Email: "gunnar@example.org"}
	must(t, db.CreatePerson(ctx, &f.person))
	must(t, db.AddSeat(ctx, &samrad.Seat{BodyID: f.board.ID, Person: f.person, Role: samrad.RoleChair, From: d("2016-01-01")}))
	return f
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// found lists a search's hits as "kind ref title", in order.
func found(t *testing.T, db *store.DB, q samrad.SearchQuery) []string {
	t.Helper()
	res, err := db.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("search %+v: %v", q, err)
	}
	var out []string
	for _, h := range res.Hits {
		out = append(out, fmt.Sprintf("%s %s", h.Kind, h.TitleNB))
	}
	sort.Strings(out)
	return out
}

func TestSearchFindsStemsAndFollowsChanges(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newSearchFixture(t, db)
		// Compounds are words of their own: "kontingentmodell" is not found.
		want := []string{"case Kontingent for 2018", "decision Kontingent for 2018", "measure Ny kontingentmodell"}
		if got := found(t, db, samrad.SearchQuery{Text: "kontingenten"}); !reflect.DeepEqual(got, want) {
			t.Errorf("kontingenten: %q, want %q", got, want)
		}
		// "kommune" finds "kommunene" and "kommunenes"; the minutes are not
		// public yet.
		want = []string{"article Ny kontingentmodell", "case Kontingent for 2018", "measure Ny kontingentmodell"}
		if got := found(t, db, samrad.SearchQuery{Text: "kommune"}); !reflect.DeepEqual(got, want) {
			t.Errorf("kommune: %q, want %q", got, want)
		}
		if got := found(t, db, samrad.SearchQuery{Text: "fylkeskommunen"}); got != nil {
			t.Errorf("minutes not yet published found: %q", got)
		}
		for _, st := range []samrad.MeetingStatus{samrad.MeetingNoticeSent, samrad.MeetingHeld, samrad.MeetingMinutesApproved, samrad.MeetingPublished} {
			must(t, db.SetMeetingStatus(ctx, f.boardMeeting.ID, st))
		}
		want = []string{"minutes Styret"}
		if got := found(t, db, samrad.SearchQuery{Text: "fylkeskommunene"}); !reflect.DeepEqual(got, want) {
			t.Errorf("published minutes: %q, want %q", got, want)
		}
		// Decisions, people by name and role (never by e-mail).
		if got := found(t, db, samrad.SearchQuery{Text: `"satsen videreføres"`}); !reflect.DeepEqual(got, []string{"decision Kontingent for 2018"}) {
			t.Errorf("decision phrase: %q", got)
		}
		if got := found(t, db, samrad.SearchQuery{Text: "selvik leder"}); !reflect.DeepEqual(got, []string{"person Gunnar Selvik"}) {
			t.Errorf("person: %q", got)
		}
		if got := found(t, db, samrad.SearchQuery{Text: "example"}); got != nil {
			t.Errorf("contact data found: %q", got)
		}
		// A change of title moves the case in the index, in its transaction.
		c := f.feeCase
		c.Title = "Medlemsavgift for 2018"
		must(t, db.UpdateCase(ctx, &c))
		if got := found(t, db, samrad.SearchQuery{Text: "medlemsavgiften"}); !reflect.DeepEqual(got, []string{"case Medlemsavgift for 2018", "decision Medlemsavgift for 2018"}) {
			t.Errorf("after the change: %q", got)
		}
		// Drafts and scheduled articles stay out until they are public.
		if got := found(t, db, samrad.SearchQuery{Text: "utkast"}); got != nil {
			t.Errorf("draft found: %q", got)
		}
		must(t, db.SetArticlePublishTime(ctx, f.alliance.ID, f.draft.ID, time.Now().Add(-time.Minute)))
		if got := found(t, db, samrad.SearchQuery{Text: "utkast"}); !reflect.DeepEqual(got, []string{"article Utkast om kontingenten"}) {
			t.Errorf("published draft: %q", got)
		}
		if got := found(t, db, samrad.SearchQuery{Text: "2099"}); got != nil {
			t.Errorf("scheduled article found: %q", got)
		}
		// Exclusion, filters and facets.
		if got := found(t, db, samrad.SearchQuery{Text: "kontingent -kommunene"}); !reflect.DeepEqual(got, []string{"article Utkast om kontingenten"}) {
			t.Errorf("exclusion: %q", got)
		}
		res, err := db.Search(ctx, samrad.SearchQuery{Text: "kontingent", Kinds: []string{samrad.DocMeasure}, Year: 2017})
		if err != nil || res.Total != 1 || len(res.Hits) != 1 || res.Hits[0].Kind != samrad.DocMeasure {
			t.Fatalf("filtered: %+v, %v", res, err)
		}
		if !reflect.DeepEqual(res.Kinds, []samrad.Count{{Value: "measure", N: 1}}) {
			t.Errorf("kinds in 2017: %+v", res.Kinds)
		}
		if !reflect.DeepEqual(res.Years, []samrad.Count{{Value: "2017", N: 1}}) {
			t.Errorf("years of measures: %+v", res.Years)
		}
		if got := found(t, db, samrad.SearchQuery{Text: "kontingent", AllianceID: f.alliance.ID + 1}); got != nil {
			t.Errorf("another alliance: %q", got)
		}
		if got := found(t, db, samrad.SearchQuery{Text: "kommunene", BodyID: f.board.ID}); !reflect.DeepEqual(got, []string{"case Medlemsavgift for 2018"}) {
			t.Errorf("what the board handled: %q", got)
		}
	})
}

// Whatever is typed, the search answers without an error, and bad filters
// are refused with EINVALID.
func TestSearchHostileInput(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		newSearchFixture(t, db)
		for _, text := range []string{
			strings.Repeat("kontingent ", 5000),
			`kontingent* OR "NEAR(a b)" ^title: col:x {a b} (c) AND NOT - -- "`,
			`"unclosed kontingent`, `'; DROP TABLE cases; --`, "😀🇳🇴 kontingent", "Москва коммуна",
			"Sámediggi čáhci đ ŋ ŧ ž", "\xff\xfe kontingent", "og i på", "-kontingent", "",
		} {
			if _, err := db.Search(ctx, samrad.SearchQuery{Text: text}); err != nil {
				t.Errorf("search %.40q: %v", text, err)
			}
		}
		for _, q := range []samrad.SearchQuery{
			{Text: "x", Kinds: []string{"bogus"}}, {Text: "x", Year: 99999}, {Text: "x", Page: -1},
			{Text: "x", PerPage: 1000}, {Text: "x", Page: samrad.MaxSearchPage + 1},
		} {
			if _, err := db.Search(ctx, q); samrad.ErrorCode(err) != samrad.EINVALID {
				t.Errorf("%+v: %v, want EINVALID", q, err)
			}
		}
		if res, err := db.Search(ctx, samrad.SearchQuery{Text: "kontingent", Page: 100}); err != nil || len(res.Hits) != 0 || res.Total == 0 {
			t.Errorf("page past the end: %+v, %v", res, err)
		}
	})
}

// Both engines stem every word of the Snowball sample as the Go stemmer does.
func TestStemsAgreeAcrossEngines(t *testing.T) {
	f, err := os.Open("../fulltext/testdata/voc_output.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var words []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		w, _, _ := strings.Cut(sc.Text(), "\t")
		words = append(words, w)
	}
	words = append(words, "Kommunene", "KONTINGENTEN", "čáhci", "Москва", "b2b", "2017", "2017/2018", "e-post", "1,5", "10.5", "www.example.no", "foo_bar")
	list, _ := json.Marshal(words)
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		query := `SELECT j.value, nb_stem(j.value) FROM json_each($1) j`
		if db.Dialect() == store.Postgres {
			query = `SELECT w, array_to_string(tsvector_to_array(to_tsvector('norwegian', search_words(w))), ' ')
				FROM jsonb_array_elements_text($1::jsonb) w`
		}
		rows, err := db.SQL().QueryContext(context.Background(), query, string(list))
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var w, got string
			if err := rows.Scan(&w, &got); err != nil {
				t.Fatal(err)
			}
			n++
			// A tsvector lists its lexemes sorted, once each.
			want := strings.Fields(fulltext.IndexText(w))
			sort.Strings(want)
			want = slices.Compact(want)
			if got := strings.Fields(got); db.Dialect() == store.Postgres && !reflect.DeepEqual(got, want) ||
				db.Dialect() == store.SQLite && fulltext.IndexText(w) != strings.Join(got, " ") {
				t.Errorf("%s stems %q to %q, Go to %q", db.Dialect(), w, got, want)
			}
		}
		if n != len(words) {
			t.Errorf("%d words stemmed, want %d", n, len(words))
		}
	})
}

// The demo and the fixture give the same documents, totals and facets on
// both engines for each demo query.
func TestSearchEnginesAgree(t *testing.T) {
	ctx := context.Background()
	dbs := map[string]*store.DB{}
	for _, engine := range testdb.Engines {
		db := testdb.Open(t, engine)
		if err := demo.Load(ctx, db); err != nil {
			t.Fatal(err)
		}
		newSearchFixture(t, db)
		dbs[engine] = db
	}
	type answer struct {
		Total        int
		Kinds, Years []samrad.Count
		Hits         []string
	}
	for _, text := range []string{"kontingent", "kommunene", "kommune -helse", `"bærum med"`, "samarbeid", "styret", "leder", "prosjekt", "nettverk", "2017", "Osloregionen", "Brønnøysundsregistrene"} {
		answers := map[string]answer{}
		for engine, db := range dbs {
			res, err := db.Search(ctx, samrad.SearchQuery{Text: text, PerPage: samrad.MaxSearchPerPage})
			if err != nil {
				t.Fatalf("%s %q: %v", engine, text, err)
			}
			a := answer{Total: res.Total, Kinds: res.Kinds, Years: res.Years}
			for _, h := range res.Hits {
				a.Hits = append(a.Hits, h.Kind+" "+h.AllianceSlug+" "+h.Path1+" "+h.Path2)
			}
			sort.Strings(a.Hits)
			answers[engine] = a
		}
		if !reflect.DeepEqual(answers["sqlite"], answers["postgres"]) {
			t.Errorf("%q:\nsqlite   %+v\npostgres %+v", text, answers["sqlite"], answers["postgres"])
		}
		if text == "Brønnøysundsregistrene" {
			// A word only in the appendix to Vestregionen's case 24/2017, a
			// text file: found as the case's document.
			if want := []string{"document vestregionen 2017 24"}; !reflect.DeepEqual(answers["sqlite"].Hits, want) {
				t.Errorf("%s: %q, want %q", text, answers["sqlite"].Hits, want)
			}
		}
		if text == "kontingent" {
			// A newcomer finds the fee in the council's case and in the
			// action programme's economic framework.
			for _, want := range []string{"decision osloregionen 2016 48", "programme osloregionen 2017 "} {
				if !slices.Contains(answers["sqlite"].Hits, want) {
					t.Errorf("kontingent: %q not among %q", want, answers["sqlite"].Hits)
				}
			}
		}
	}
}
