package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/internal/testdb"
	"github.com/samrad/samrad/oparl"
	"github.com/samrad/samrad/oparl/oparltest"
	"github.com/samrad/samrad/store"
)

// get fetches a URL and decodes its JSON, failing the test on anything
// but the wanted status.
func getJSON(t *testing.T, c *http.Client, u string, status int) (map[string]any, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status {
		t.Fatalf("GET %s: status %d, want %d: %s", u, resp.StatusCode, status, b)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("GET %s: content type %q", u, ct)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("GET %s: %v: %s", u, err, b)
	}
	return m, string(b)
}

// A generic client walks the API from the System through every list, page
// and object to every File: every object validates against the OParl
// schemas, every object fetched by its id equals the one in its list, and
// no e-mail address is published.
func TestOParlWalk(t *testing.T) {
	v, err := oparltest.New()
	if err != nil {
		t.Fatal(err)
	}
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		h := demoServer(t, db)
		// The demo's cases are on no agenda (the sources do not say where
		// they were treated): put case 24/2017 on a meeting whose notice has
		// gone out, with a document, and another on a planned meeting,
		// which must stay unpublished.
		ctx := context.Background()
		a, err := db.AllianceBySlug(ctx, "vestregionen")
		if err != nil {
			t.Fatal(err)
		}
		body, err := db.BodyBySlug(ctx, a.ID, "styringsgruppen")
		if err != nil {
			t.Fatal(err)
		}
		c24, err := db.CaseByNumber(ctx, a.ID, 2017, 24)
		if err != nil {
			t.Fatal(err)
		}
		var meetings [2]samrad.Meeting
		for i := range meetings {
			meetings[i] = samrad.Meeting{BodyID: body.ID, Year: 2017, Number: 5 + i, Start: time.Date(2017, 9, 14+i, 10, 0, 0, 0, samrad.Oslo()), Place: "Bærum rådhus"}
			if err := db.CreateMeeting(ctx, &meetings[i]); err != nil {
				t.Fatal(err)
			}
			if err := db.AddAgendaItem(ctx, meetings[i].ID, c24.ID, 1); err != nil {
				t.Fatal(err)
			}
			doc := samrad.Document{AllianceID: a.ID, MeetingID: meetings[i].ID, Title: "Innkalling", Filename: "innkalling.txt"}
			if err := db.AddDocument(ctx, &doc, []byte("Innkalling til møte i styringsgruppen.\n")); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.SetMeetingStatus(ctx, meetings[0].ID, samrad.MeetingNoticeSent); err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(h)
		defer ts.Close()
		c := ts.Client()
		api := ts.URL + "/oparl/v1"
		seen := map[string]bool{}
		inList := map[string]map[string]any{} // object id → as embedded in a list
		types := map[string]int{}
		queue := []string{api}
		var files []map[string]any
		// collect queues every API URL in a value, and validates and
		// counts every object in it.
		var collect func(val any, top bool)
		collect = func(val any, top bool) {
			switch x := val.(type) {
			case map[string]any:
				if typ, ok := x["type"].(string); ok && typ != oparl.TypeError {
					if errs := v.Validate(x); len(errs) > 0 {
						t.Errorf("%v: %v", x["id"], errs)
					}
					types[strings.TrimPrefix(typ, oparl.Version)]++
					if typ == oparl.TypeFile {
						files = append(files, x)
					}
				}
				for k, e := range x {
					if k == "web" || k == "accessUrl" || k == "downloadUrl" {
						continue
					}
					collect(e, false)
				}
			case []any:
				for _, e := range x {
					collect(e, false)
				}
			case string:
				if strings.HasPrefix(x, api) && !seen[x] {
					seen[x] = true
					queue = append(queue, x)
				}
			}
		}
		fetched := 0
		for len(queue) > 0 {
			u := queue[0]
			queue = queue[1:]
			m, body := getJSON(t, c, u, 200)
			fetched++
			if strings.Contains(body, "@") {
				t.Errorf("%s publishes something with @: %.200s", u, body)
			}
			if data, ok := m["data"].([]any); ok { // a list page
				for _, k := range []string{"pagination", "links"} {
					if _, ok := m[k]; !ok {
						t.Errorf("%s: list without %s", u, k)
					}
				}
				for _, d := range data {
					if o, ok := d.(map[string]any); ok {
						id, _ := o["id"].(string)
						inList[id] = o
					}
				}
				collect(m, true)
				continue
			}
			if _, ok := m["type"]; !ok {
				t.Errorf("%s: neither list nor object", u)
				continue
			}
			if m["id"] != u && u != api {
				t.Errorf("GET %s answers id %v", u, m["id"])
			}
			if o, ok := inList[u]; ok && !reflect.DeepEqual(o, m) {
				t.Errorf("%s differs from its list entry:\n%v\n%v", u, o, m)
			}
			collect(m, true)
		}
		want := []string{"System", "Body", "Organization", "Person", "Membership", "Meeting", "AgendaItem", "Paper", "Consultation", "File", "Location", "LegislativeTerm"}
		for _, w := range want {
			if types[w] == 0 {
				t.Errorf("the walk met no %s (met %v)", w, types)
			}
		}
		if len(files) == 0 {
			t.Fatal("no files")
		}
		for _, f := range files[:min(len(files), 20)] {
			resp, err := c.Get(f["accessUrl"].(string))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 || strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") || resp.Header.Get("Content-Type") != f["mimeType"] {
				t.Errorf("file %v: accessUrl answers %d, %q, %q", f["id"], resp.StatusCode, resp.Header.Get("Content-Disposition"), resp.Header.Get("Content-Type"))
			}
		}
		published := api + "/body/vestregionen/meeting/" + strconv.FormatInt(meetings[0].ID, 10)
		planned := api + "/body/vestregionen/meeting/" + strconv.FormatInt(meetings[1].ID, 10)
		if !seen[published] || seen[planned] {
			t.Errorf("meeting with notice sent seen %v (want true), planned meeting seen %v (want false)", seen[published], seen[planned])
		}
		getJSON(t, c, planned, 404)
		// 24/2017's attachment and the public meeting's notice; not the
		// planned meeting's.
		ids := map[any]bool{}
		for _, f := range files {
			ids[f["id"]] = true
		}
		if len(ids) != 2 {
			t.Errorf("files %v, want the case's attachment and the public meeting's notice", ids)
		}
		t.Logf("%s: fetched %d URLs, objects by type %v", db.Dialect(), fetched, types)
	})
}

// Lists page and filter as the specification says; bad requests get an
// error object with a 4xx status.
func TestOParlListsAndErrors(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		h := demoServer(t, db)
		ctx := context.Background()
		a, err := db.AllianceBySlug(ctx, "vestregionen")
		if err != nil {
			t.Fatal(err)
		}
		for n := 30; n < 34; n++ {
			c := samrad.Case{AllianceID: a.ID, Year: 2017, Number: n, Title: "Sak " + strconv.Itoa(n), Type: samrad.CaseOrientation}
			if err := db.CreateCase(ctx, &c); err != nil {
				t.Fatal(err)
			}
		}
		ts := httptest.NewServer(h)
		defer ts.Close()
		c := ts.Client()
		base := ts.URL + "/oparl/v1/body/vestregionen/papers"
		all, _ := getJSON(t, c, base, 200)
		total := int(all["pagination"].(map[string]any)["totalElements"].(float64))
		if total < 3 {
			t.Fatalf("vestregionen has %d papers", total)
		}
		var ids []string
		for _, d := range all["data"].([]any) {
			ids = append(ids, d.(map[string]any)["id"].(string))
		}
		// Two to a page, following next, with a filter that is kept.
		var paged []string
		u := base + "?elementsPerPage=2&created_since=" + url.QueryEscape("2000-01-01T00:00:00+01:00")
		pages := 0
		for u != "" {
			m, _ := getJSON(t, c, u, 200)
			pages++
			links := m["links"].(map[string]any)
			for _, d := range m["data"].([]any) {
				paged = append(paged, d.(map[string]any)["id"].(string))
			}
			next, _ := links["next"].(string)
			if next != "" && !strings.Contains(next, "created_since=") {
				t.Fatalf("next link %s drops the filter", next)
			}
			u = next
		}
		if pages != (total+1)/2 || !reflect.DeepEqual(paged, ids) {
			t.Errorf("paged %d pages %v, want %d pages %v", pages, paged, (total+1)/2, ids)
		}
		for _, f := range []string{"created_until", "modified_until"} {
			m, _ := getJSON(t, c, base+"?"+f+"="+url.QueryEscape("1999-01-01T00:00:00Z"), 200)
			if n := m["pagination"].(map[string]any)["totalElements"].(float64); n != 0 {
				t.Errorf("%s 1999: %v papers", f, n)
			}
		}
		// One case changed: only it is modified since the others' time.
		for _, q := range []string{`UPDATE cases SET modified_at = '2001-01-01T00:00:00Z'`, `UPDATE agenda_items SET modified_at = '2001-01-01T00:00:00Z'`,
			`UPDATE meetings SET modified_at = '2001-01-01T00:00:00Z'`} {
			if _, err := db.SQL().ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		cases, err := db.Cases(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		changed := cases[len(cases)-1]
		changed.Title += " (endret)"
		if err := db.UpdateCase(ctx, &changed); err != nil {
			t.Fatal(err)
		}
		m, _ := getJSON(t, c, base+"?modified_since="+url.QueryEscape("2002-01-01T00:00:00Z"), 200)
		var got []string
		for _, d := range m["data"].([]any) {
			got = append(got, d.(map[string]any)["name"].(string))
		}
		sort.Strings(got)
		if !reflect.DeepEqual(got, []string{changed.Title}) {
			t.Errorf("modified since 2002: %v, want only %q", got, changed.Title)
		}

		for _, bad := range []struct {
			path   string
			status int
			msg    string
		}{
			{"/oparl/v1/body/vestregionen/papers?modified_since=2017-01-01", 400, "modified_since"},
			{"/oparl/v1/body/vestregionen/papers?page=0", 400, "page"},
			{"/oparl/v1/body/vestregionen/papers?page=999", 404, "sider"},
			{"/oparl/v1/body/vestregionen/papers?elementsPerPage=x", 400, "elementsPerPage"},
			{"/oparl/v1/body/nope", 404, ""},
			{"/oparl/v1/body/vestregionen/paper/abc", 404, ""},
			{"/oparl/v1/body/vestregionen/paper/999999", 404, ""},
			{"/oparl/v1/body/vestregionen/agenda-item/1", 404, ""},
			{"/oparl/v1/nothing", 404, ""},
		} {
			m, _ := getJSON(t, c, ts.URL+bad.path, bad.status)
			if m["type"] != oparl.TypeError || !strings.Contains(m["message"].(string), bad.msg) {
				t.Errorf("%s: %v", bad.path, m)
			}
		}
		// A repeated request with the ETag is answered 304.
		resp, err := c.Get(base)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		req, _ := http.NewRequest("GET", base, nil)
		req.Header.Set("If-None-Match", resp.Header.Get("ETag"))
		resp, err = c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotModified {
			t.Errorf("conditional GET: %d", resp.StatusCode)
		}
	})
}
