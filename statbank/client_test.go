package statbank

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/samrad/samrad/ssb"
)

func TestDataSendsQueryAndDecodesCube(t *testing.T) {
	body := fixture(t, "07459_kommsummer.json")
	c, srv, waits := serve(t, reply{body: body})
	res, err := c.Data(context.Background(), kommSummerQuery())
	if err != nil {
		t.Fatal(err)
	}

	reqs := srv.requests()
	if len(reqs) != 1 {
		t.Fatalf("server got %d requests, want 1", len(reqs))
	}
	r := reqs[0]
	if r.Method != http.MethodPost || r.Path != apiPath+"/tables/07459/data" {
		t.Errorf("request %s %s, want POST %s/tables/07459/data", r.Method, r.Path, apiPath)
	}
	q, err := url.ParseQuery(r.RawQuery)
	if err != nil {
		t.Fatal(err)
	}
	wantQuery := url.Values{"lang": {"no"}, "outputFormat": {"json-stat2"}, "outputValues[Region]": {"aggregated"}}
	if !reflect.DeepEqual(q, wantQuery) {
		t.Errorf("query string %v, want %v", q, wantQuery)
	}
	var got, want any
	if err := json.Unmarshal(r.Body, &got); err != nil {
		t.Fatalf("body %s: %v", r.Body, err)
	}
	json.Unmarshal([]byte(`{"selection": [
		{"variableCode": "Region", "codelist": "agg_KommSummer", "valueCodes": ["K-0301", "K-3203"]},
		{"variableCode": "ContentsCode", "valueCodes": ["Personer1"]},
		{"variableCode": "Tid", "valueCodes": ["top(1)"]}]}`), &want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("body %s, want %v", r.Body, want)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	if a := r.Header.Get("Accept"); a != "application/json" {
		t.Errorf("Accept %q", a)
	}
	if ua := r.Header.Get("User-Agent"); ua != DefaultUserAgent {
		t.Errorf("User-Agent %q", ua)
	}

	base := strings.TrimSuffix(c.BaseURL, "/")
	wantRes := Exchange{
		Method: http.MethodPost, URL: base + "/tables/07459/data?lang=no&outputFormat=json-stat2&outputValues[Region]=aggregated",
		Status: 200, ContentType: "application/json; charset=UTF-8", Bytes: int64(len(body)), Attempts: 1, Fetched: fetchTime,
	}
	if res.Exchange != wantRes {
		t.Errorf("exchange\n%+v, want\n%+v", res.Exchange, wantRes)
	}
	wantGet := base + "/tables/07459/data?lang=no&valueCodes[Region]=K-0301,K-3203&codelist[Region]=agg_KommSummer&outputValues[Region]=aggregated&valueCodes[ContentsCode]=Personer1&valueCodes[Tid]=top(1)&outputFormat=json-stat2"
	if res.QueryURL != wantGet {
		t.Errorf("QueryURL\n%s, want\n%s", res.QueryURL, wantGet)
	}
	if res.Cube == nil || res.Cube.TableID != "07459" {
		t.Fatalf("cube %+v", res.Cube)
	}
	i, ok := res.Cube.Index(map[string]string{"Region": "K-3203", "ContentsCode": "Personer1", "Tid": "2024"})
	if !ok || res.Cube.Values[i] != (ssb.Cell{Value: 98815, Present: true}) {
		t.Errorf("Asker 2024: %v %v, want 98815", ok, res.Cube.Values[i])
	}
	if len(*waits) != 0 {
		t.Errorf("waited %v", *waits)
	}
}

func TestDataMissingCellStaysMissing(t *testing.T) {
	c, _, _ := serve(t, reply{body: fixture(t, "07459_plain.json")})
	q := Query{Table: "07459", Lang: "en", Selections: []Selection{
		{Variable: "Region", Codes: []string{"0301", "3203"}},
		{Variable: "ContentsCode", Codes: []string{"Personer1"}},
		{Variable: "Tid", Codes: []string{"2023", "2024"}},
	}}
	res, err := c.Data(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	i, _ := res.Cube.Index(map[string]string{"Region": "3203", "ContentsCode": "Personer1", "Tid": "2023"})
	if cell := res.Cube.Values[i]; cell.Present || cell.Status != ".." {
		t.Errorf("Asker 2023 = %+v, want missing with status ..", cell)
	}
	if !strings.Contains(res.URL, "lang=en") {
		t.Errorf("URL %s does not ask for English", res.URL)
	}
}

func TestRetryAfterSecondsIsHonoured(t *testing.T) {
	c, srv, waits := serve(t,
		reply{status: 429, header: map[string]string{"Retry-After": "7"}, body: []byte(`{"title":"Too Many Requests"}`)},
		reply{body: fixture(t, "07459_kommsummer.json")},
	)
	res, err := c.Data(context.Background(), kommSummerQuery())
	if err != nil {
		t.Fatal(err)
	}
	if res.Attempts != 2 || res.Status != 200 {
		t.Errorf("attempts %d, status %d; want 2, 200", res.Attempts, res.Status)
	}
	if want := []time.Duration{7 * time.Second}; !reflect.DeepEqual(*waits, want) {
		t.Errorf("waited %v, want %v", *waits, want)
	}
	reqs := srv.requests()
	if len(reqs) != 2 || string(reqs[0].Body) != string(reqs[1].Body) || reqs[1].Method != http.MethodPost {
		t.Errorf("requests %+v: want the same POST twice", reqs)
	}
}

func TestRetryAfterDateAndCap(t *testing.T) {
	for _, tc := range []struct {
		name, header string
		maxWait      time.Duration
		want         time.Duration
	}{
		{"date", fetchTime.Add(90 * time.Second).Format(http.TimeFormat), 0, 90 * time.Second},
		{"date in the past", fetchTime.Add(-time.Hour).Format(http.TimeFormat), 0, 0},
		{"capped", "3600", 30 * time.Second, 30 * time.Second},
		{"unreadable, back-off", "soon", 0, 3 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _, waits := serve(t,
				reply{status: 503, header: map[string]string{"Retry-After": tc.header}},
				reply{body: fixture(t, "07459_kommsummer.json")},
			)
			c.Backoff = func(int) time.Duration { return 3 * time.Second }
			if tc.maxWait > 0 {
				c.MaxRetryAfter = tc.maxWait
			}
			if _, err := c.Data(context.Background(), kommSummerQuery()); err != nil {
				t.Fatal(err)
			}
			if want := []time.Duration{tc.want}; !reflect.DeepEqual(*waits, want) {
				t.Errorf("waited %v, want %v", *waits, want)
			}
		})
	}
}

func TestUnavailableThreeTimesGivesUp(t *testing.T) {
	c, srv, waits := serve(t, reply{status: 503, body: []byte("Service Unavailable")})
	c.MaxAttempts = 3
	c.Backoff = func(attempt int) time.Duration { return time.Duration(attempt) * time.Second }
	res, err := c.Data(context.Background(), kommSummerQuery())
	var he *HTTPError
	if !errors.As(err, &he) {
		t.Fatalf("error %v (%T), want *HTTPError", err, err)
	}
	if he.Status != 503 || he.Attempts != 3 || he.URL != res.URL {
		t.Errorf("HTTPError %+v", he)
	}
	for _, part := range []string{res.URL, "HTTP 503", "after 3 attempts", "Service Unavailable"} {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("error %q does not contain %q", err, part)
		}
	}
	if res.Attempts != 3 || res.Status != 503 || res.Cube != nil {
		t.Errorf("result %+v", res)
	}
	if n := len(srv.requests()); n != 3 {
		t.Errorf("server got %d requests, want 3", n)
	}
	if want := []time.Duration{time.Second, 2 * time.Second}; !reflect.DeepEqual(*waits, want) {
		t.Errorf("waited %v, want %v", *waits, want)
	}
}

func TestWhichStatusesAreRetried(t *testing.T) {
	for status, retried := range map[int]bool{
		400: false, 403: false, 404: false, 413: false, 500: false,
		429: true, 502: true, 503: true, 504: true,
	} {
		c, srv, _ := serve(t, reply{status: status}, reply{body: fixture(t, "07459_kommsummer.json")})
		_, err := c.Data(context.Background(), kommSummerQuery())
		n := len(srv.requests())
		if retried && (err != nil || n != 2) {
			t.Errorf("HTTP %d: %d requests, error %v; want a second, successful attempt", status, n, err)
		}
		var he *HTTPError
		if !retried && (!errors.As(err, &he) || he.Status != status || n != 1) {
			t.Errorf("HTTP %d: %d requests, error %v; want one request and an HTTPError", status, n, err)
		}
	}
}

func TestBadRequestIsNotRetried(t *testing.T) {
	c, srv, waits := serve(t, reply{status: 400, header: map[string]string{"Content-Type": "application/problem+json"}, body: fixture(t, "error_400.json")})
	res, err := c.Data(context.Background(), kommSummerQuery())
	var he *HTTPError
	if !errors.As(err, &he) || he.Status != 400 || he.Attempts != 1 {
		t.Fatalf("error %v, want HTTP 400", err)
	}
	if !strings.Contains(he.Body, "Missing selection for mandatory variable Tid") {
		t.Errorf("body snippet %q", he.Body)
	}
	if !strings.Contains(err.Error(), "cannot be left out") {
		t.Errorf("error %q gives no hint", err)
	}
	if n := len(srv.requests()); n != 1 || len(*waits) != 0 || res.Attempts != 1 {
		t.Errorf("%d requests, waits %v, attempts %d; want one request and no wait", n, *waits, res.Attempts)
	}
}

func TestHTMLInsteadOfJSON(t *testing.T) {
	page := fixture(t, "maintenance.html")
	for name, rep := range map[string]reply{
		"content type": {header: map[string]string{"Content-Type": "text/html; charset=utf-8"}, body: page},
		"body":         {header: map[string]string{"Content-Type": "application/json"}, body: page},
	} {
		t.Run(name, func(t *testing.T) {
			c, srv, _ := serve(t, rep)
			res, err := c.Data(context.Background(), kommSummerQuery())
			if !errors.Is(err, ErrNotJSON) {
				t.Fatalf("error %v, want ErrNotJSON", err)
			}
			var ne *NotJSONError
			if !errors.As(err, &ne) || !strings.Contains(ne.Body, "Statistikkbanken er utilgjengelig") {
				t.Errorf("NotJSONError %+v", ne)
			}
			for _, part := range []string{"SSB answered with HTML, not JSON-stat", res.URL} {
				if !strings.Contains(err.Error(), part) {
					t.Errorf("error %q does not contain %q", err, part)
				}
			}
			if n := len(srv.requests()); n != 1 || res.Cube != nil {
				t.Errorf("%d requests, cube %v", n, res.Cube)
			}
		})
	}
}

func TestMalformedBody(t *testing.T) {
	for name, body := range map[string][]byte{
		"truncated":      fixture(t, "07459_truncated.json"),
		"not a dataset":  []byte(`{"error": "unknown"}`),
		"empty":          nil,
		"values missing": []byte(`{"class":"dataset","id":["Tid"],"size":[1],"dimension":{"Tid":{"category":{"index":["2024"]}}}}`),
	} {
		t.Run(name, func(t *testing.T) {
			c, srv, _ := serve(t, reply{body: body})
			res, err := c.Data(context.Background(), kommSummerQuery())
			var de *DecodeError
			var pe *ssb.ParseError
			if !errors.As(err, &de) || !errors.As(err, &pe) {
				t.Fatalf("error %v (%T), want *DecodeError wrapping *ssb.ParseError", err, err)
			}
			if !strings.Contains(err.Error(), res.URL) || !strings.Contains(err.Error(), "table 07459") {
				t.Errorf("error %q does not name the URL and table", err)
			}
			if n := len(srv.requests()); n != 1 {
				t.Errorf("%d requests; a malformed body is not tried again", n)
			}
		})
	}
}

func TestDimensionsChanged(t *testing.T) {
	c, _, _ := serve(t, reply{body: fixture(t, "07459_changed.json")})
	res, err := c.Data(context.Background(), kommSummerQuery())
	var de *DimensionError
	if !errors.As(err, &de) {
		t.Fatalf("error %v, want *DimensionError", err)
	}
	if !reflect.DeepEqual(de.Missing, []string{"Tid"}) || !reflect.DeepEqual(de.Extra, []string{"Kjonn"}) {
		t.Errorf("missing %v extra %v; want [Tid] [Kjonn]", de.Missing, de.Extra)
	}
	if !reflect.DeepEqual(de.UnknownCodes, map[string][]string{"Region": {"K-3203"}}) {
		t.Errorf("unknown codes %v", de.UnknownCodes)
	}
	for _, part := range []string{res.URL, `variable "Tid" is not in the table`, `variable "Kjonn" was not asked for`, `code "K-3203" of "Region" not in the table`} {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("error %q does not contain %q", err, part)
		}
	}
	if res.Cube != nil {
		t.Error("a cube that does not match the query is returned")
	}
}

func TestCodeNoLongerInStructure(t *testing.T) {
	c, _, _ := serve(t, reply{body: fixture(t, "07459_kommsummer.json")})
	q := kommSummerQuery()
	q.Selections[0].Codes = []string{"K-0301", "K-3025", "K-3203"} // K-3025 was Asker until 2023
	_, err := c.Data(context.Background(), q)
	var de *DimensionError
	if !errors.As(err, &de) || !reflect.DeepEqual(de.UnknownCodes, map[string][]string{"Region": {"K-3025"}}) {
		t.Fatalf("error %v, want K-3025 unknown", err)
	}
	if len(de.Missing)+len(de.Extra) != 0 {
		t.Errorf("missing %v extra %v", de.Missing, de.Extra)
	}

	q.Selections[0].OutputValues = Single // the codes that come back are others; not checked
	c, _, _ = serve(t, reply{body: fixture(t, "07459_kommsummer.json")})
	if _, err := c.Data(context.Background(), q); err != nil {
		t.Errorf("single output values: %v", err)
	}
}

func TestContextCancelledWhileWaiting(t *testing.T) {
	c, srv, _ := serve(t, reply{status: 503})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	waited := 0
	c.Sleep = func(ctx context.Context, d time.Duration) error {
		waited++
		cancel()
		return ctx.Err()
	}
	res, err := c.Data(ctx, kommSummerQuery())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	var ne *NetworkError
	if !errors.As(err, &ne) || !strings.Contains(err.Error(), res.URL) {
		t.Errorf("error %v does not name the URL", err)
	}
	if n := len(srv.requests()); n != 1 || waited != 1 || res.Attempts != 1 {
		t.Errorf("%d requests, %d waits, %d attempts; want 1 each", n, waited, res.Attempts)
	}
}

func TestContextCancelledDuringRequest(t *testing.T) {
	c, srv, waits := serve(t, reply{block: true})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-srv.started
		cancel()
	}()
	_, err := c.Data(ctx, kommSummerQuery())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if n := len(srv.requests()); n != 1 || len(*waits) != 0 {
		t.Errorf("%d requests, waits %v; want one request and no retry", n, *waits)
	}
}

func TestContextCancelledBefore(t *testing.T) {
	c, srv, _ := serve(t, reply{body: fixture(t, "07459_kommsummer.json")})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Data(ctx, kommSummerQuery()); !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if n := len(srv.requests()); n != 0 {
		t.Errorf("%d requests sent with a cancelled context", n)
	}
}

func TestOversizedBody(t *testing.T) {
	body := fixture(t, "07459_kommsummer.json")
	for name, rep := range map[string]reply{
		"Content-Length": {body: body},
		"chunked":        {body: body, chunked: true},
	} {
		t.Run(name, func(t *testing.T) {
			c, srv, _ := serve(t, rep)
			c.MaxBodyBytes = 200
			res, err := c.Data(context.Background(), kommSummerQuery())
			var te *TooLargeError
			if !errors.As(err, &te) || te.Limit != 200 || !strings.Contains(err.Error(), res.URL) {
				t.Fatalf("error %v, want *TooLargeError naming the URL", err)
			}
			if res.Bytes > 201 {
				t.Errorf("read %d bytes past the limit", res.Bytes)
			}
			if !rep.chunked && res.Bytes != 0 {
				t.Errorf("read %d bytes of an answer whose Content-Length is over the limit", res.Bytes)
			}
			if n := len(srv.requests()); n != 1 {
				t.Errorf("%d requests", n)
			}
		})
	}
	// Just below the limit is fine.
	c, _, _ := serve(t, reply{body: body, chunked: true})
	c.MaxBodyBytes = int64(len(body))
	if _, err := c.Data(context.Background(), kommSummerQuery()); err != nil {
		t.Errorf("body of exactly the limit: %v", err)
	}
}

func TestNetworkErrorIsRetried(t *testing.T) {
	c, srv, waits := serve(t, reply{hangUp: true}, reply{body: fixture(t, "07459_kommsummer.json")})
	res, err := c.Data(context.Background(), kommSummerQuery())
	if err != nil {
		t.Fatal(err)
	}
	if n := len(srv.requests()); n != 2 || res.Attempts != 2 || len(*waits) != 1 || (*waits)[0] != DefaultBackoff(1) {
		t.Errorf("%d requests, %d attempts, waits %v", n, res.Attempts, *waits)
	}

	c, _, _ = serve(t, reply{hangUp: true})
	c.MaxAttempts = 2
	res, err = c.Data(context.Background(), kommSummerQuery())
	var ne *NetworkError
	if !errors.As(err, &ne) || ne.Attempts != 2 || res.Status != 0 {
		t.Errorf("error %v (%+v), status %d; want a NetworkError after 2 attempts", err, ne, res.Status)
	}
}

func TestInvalidQuerySendsNothing(t *testing.T) {
	c, srv, _ := serve(t, reply{body: fixture(t, "07459_kommsummer.json")})
	q := kommSummerQuery()
	q.Selections[2].Codes = nil
	res, err := c.Data(context.Background(), q)
	var qe *QueryError
	if !errors.As(err, &qe) || res != nil {
		t.Fatalf("error %v, result %v; want a QueryError and no result", err, res)
	}
	if n := len(srv.requests()); n != 0 {
		t.Errorf("%d requests", n)
	}
}

func TestNewDefaults(t *testing.T) {
	c := New("")
	if c.BaseURL != "https://data.ssb.no/api/pxwebapi/v2" || c.HTTP == nil || c.HTTP.Timeout <= 0 ||
		c.MaxAttempts < 2 || c.Backoff == nil || c.Sleep == nil || c.Now == nil || c.MaxBodyBytes <= 0 || c.UserAgent == "" {
		t.Errorf("New(\"\") = %+v", c)
	}
	if c := New("http://example.test/v2/"); c.BaseURL != "http://example.test/v2" {
		t.Errorf("trailing slash kept: %s", c.BaseURL)
	}
	got := []time.Duration{DefaultBackoff(1), DefaultBackoff(2), DefaultBackoff(3), DefaultBackoff(10)}
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 30 * time.Second}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("DefaultBackoff = %v, want %v", got, want)
	}
}

func TestDefaultSleepStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("sleep = %v, want context.Canceled", err)
	}
	if err := sleep(context.Background(), 0); err != nil {
		t.Errorf("sleep 0 = %v", err)
	}
}

func TestParseRetryAfter(t *testing.T) {
	for v, want := range map[string]time.Duration{
		"":   -1,
		"0":  0,
		"12": 12 * time.Second,
		"-3": -1,
		"x":  -1,
		fetchTime.Add(time.Minute).Format(http.TimeFormat): time.Minute,
		"999999999999": 24 * time.Hour,
	} {
		if got := parseRetryAfter(v, fetchTime); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestSnippet(t *testing.T) {
	if got := snippet([]byte("  <h1>Feil</h1>\n\n\t<p>Prøv\r\nigjen</p> ")); got != "<h1>Feil</h1> <p>Prøv igjen</p>" {
		t.Errorf("snippet = %q", got)
	}
	long := snippet([]byte(strings.Repeat("å", 1000)))
	if n := len([]rune(long)); n != snippetLen+1 || !strings.HasSuffix(long, "…") {
		t.Errorf("long snippet has %d runes: %q", n, long)
	}
}
