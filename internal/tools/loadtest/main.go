// Command loadtest loads servers on this machine with GET requests over a
// fixed number of keep-alive HTTP/1.1 connections and prints the
// throughput and the latency percentiles of every request measured. It
// refuses any host that is not a loopback address.
//
// One URL, for a count of requests (-n) or a time (-d), after a warm-up:
//
//	go run ./internal/tools/loadtest -url http://127.0.0.1:8080/allianser/ore/medlemmer -c 64 -d 5s
//
// Two servers side by side (-compare): each line of the -pairs file names
// a path on the server -a and the path of the same answer on the server -b
// (a static copy, say); each pair is measured on a, then on b, with the
// same settings, and a table is printed (-format markdown, tsv or json):
//
//	go run ./internal/tools/loadtest -compare -pairs pairs.txt -a http://127.0.0.1:8080 -b http://127.0.0.1:8081 -d 5s
//
// The client is small on purpose (one goroutine per connection writing a
// prepared request and reading the answer with http.ReadResponse): it
// shares the machine's cores with the servers, and the less it takes, the
// more is left to them. No compression is asked for unless -gzip is given.
//
// With -register it instead signs people up on an event's registration
// form at a fixed rate (-rate per second): each sign-up is a visitor of
// its own who opens the form (for its form token) and posts it with a new
// e-mail address. Every answer but a redirect to the confirmation counts
// as an error; the latencies are of the POST. Each visitor names an address
// of its own in X-Forwarded-For; start the server with
// --trusted-proxies 127.0.0.1 so that the sign-ups are not refused by the
// limit per client address.
//
//	go run ./internal/tools/loadtest -register -url http://127.0.0.1:8080/allianser/ore/arrangementer/best/pamelding -rate 200 -n 2000
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"
)

// settings are the client's settings for every measurement of a run.
type settings struct {
	conns    int
	requests int           // measured requests, when duration is 0
	duration time.Duration // measuring time, when not 0
	warmup   time.Duration // requests sent and not measured, first
	limit    time.Duration // the longest a measurement may take
	gzip     bool
	pids     []int // processes whose CPU time is counted while measuring
}

// result is one measurement of one URL.
type result struct {
	URL      string  `json:"url"`
	Bytes    int64   `json:"bytes"` // of the first answer's body
	Requests int     `json:"requests"`
	Errors   int64   `json:"errors"`
	Seconds  float64 `json:"seconds"`
	RPS      float64 `json:"rps"`
	P50      float64 `json:"p50_ms"`
	P90      float64 `json:"p90_ms"`
	P99      float64 `json:"p99_ms"`
	Max      float64 `json:"max_ms"`
	// CPU is the CPU time the server's processes (-pids) took per
	// measured request, in microseconds; 0 when not counted.
	CPU float64 `json:"cpu_us,omitempty"`
	// FirstError says what the first error was.
	FirstError string `json:"first_error,omitempty"`
}

func main() {
	target := flag.String("url", "", "URL to request (loopback only)")
	conc := flag.Int("c", 64, "concurrent connections")
	total := flag.Int("n", 20000, "number of measured requests (without -d)")
	dur := flag.Duration("d", 0, "measure for this long instead of -n requests")
	warm := flag.Duration("warmup", time.Second, "send requests for this long before measuring")
	limit := flag.Duration("max", 2*time.Minute, "stop a measurement after this long whatever the count")
	gz := flag.Bool("gzip", false, "ask for gzip (Accept-Encoding: gzip); bytes are then those on the wire")
	format := flag.String("format", "text", "output: text, tsv, json or markdown")
	compare := flag.Bool("compare", false, "measure the paths of -pairs on -a and on -b")
	pairsFile := flag.String("pairs", "", "with -compare: file of lines \"path-on-a path-on-b\"")
	baseA := flag.String("a", "", "with -compare: base URL of the first server")
	baseB := flag.String("b", "", "with -compare: base URL of the second server")
	nameA := flag.String("a-name", "a", "with -compare: name of the first server in the table")
	nameB := flag.String("b-name", "b", "with -compare: name of the second server in the table")
	pids := flag.String("pids", "", "count the CPU time of these processes (comma-separated ids) per request")
	pidsA := flag.String("a-pids", "", "with -compare: -pids of the first server")
	pidsB := flag.String("b-pids", "", "with -compare: -pids of the second server")
	register := flag.Bool("register", false, "post registrations to the form at -url at -rate per second")
	rate := flag.Float64("rate", 200, "registrations per second with -register")
	flag.Parse()
	set := settings{conns: *conc, requests: *total, duration: *dur, warmup: *warm, limit: *limit, gzip: *gz, pids: parsePids(*pids)}
	if *compare {
		pairs, err := readPairs(*pairsFile)
		if err != nil {
			fail("-pairs: %v", err)
		}
		for _, base := range []string{*baseA, *baseB} {
			mustLoopback(base)
		}
		var rows []row
		failed := false
		setA, setB := set, set
		setA.pids, setB.pids = parsePids(*pidsA), parsePids(*pidsB)
		for _, p := range pairs {
			a := measure(*baseA+p[0], setA)
			b := measure(*baseB+p[1], setB)
			if a.Errors > 0 || b.Errors > 0 {
				failed = true
			}
			if a.Bytes != b.Bytes {
				fmt.Fprintf(os.Stderr, "loadtest: %s: %d bytes from %s, %d from %s\n", p[0], a.Bytes, *nameA, b.Bytes, *nameB)
				failed = true
			}
			rows = append(rows, row{Path: p[0], A: a, B: b})
			fmt.Fprintf(os.Stderr, "%s: %s %.0f/s p99 %.2f ms, %s %.0f/s p99 %.2f ms\n", p[0], *nameA, a.RPS, a.P99, *nameB, b.RPS, b.P99)
			for _, r := range []result{a, b} {
				if r.Errors > 0 {
					fmt.Fprintf(os.Stderr, "loadtest: %s: %d errors, the first: %s\n", r.URL, r.Errors, r.FirstError)
				}
			}
		}
		printTable(os.Stdout, *format, *nameA, *nameB, set, rows)
		if failed {
			os.Exit(1)
		}
		return
	}
	mustLoopback(*target)
	if *register {
		tr := &http.Transport{MaxIdleConns: *conc, MaxIdleConnsPerHost: *conc, MaxConnsPerHost: *conc}
		registerLoad(tr, *target, *rate, *total, *limit)
		return
	}
	r := measure(*target, set)
	switch *format {
	case "json":
		_ = json.NewEncoder(os.Stdout).Encode(r)
	case "tsv":
		fmt.Printf("%s\t%d\t%d\t%d\t%.0f\t%.3f\t%.3f\t%.3f\t%.3f\n", r.URL, r.Bytes, r.Requests, r.Errors, r.RPS, r.P50, r.P90, r.P99, r.Max)
	default:
		fmt.Printf("url=%s connections=%d requests=%d errors=%d elapsed=%.3fs rps=%.0f p50=%.2fms p90=%.2fms p99=%.2fms max=%.2fms cpu=%s\n",
			r.URL, set.conns, r.Requests, r.Errors, r.Seconds, r.RPS, r.P50, r.P90, r.P99, r.Max, micro(r.CPU))
	}
	if r.FirstError != "" {
		fmt.Fprintf(os.Stderr, "loadtest: first error: %s\n", r.FirstError)
	}
	if r.Errors > 0 {
		os.Exit(1)
	}
}

// mustLoopback stops the program unless target's host is this machine.
func mustLoopback(target string) {
	u, err := url.Parse(target)
	if err != nil || u.Host == "" || u.Scheme != "http" {
		fail("%q: an http:// URL is needed", target)
	}
	ips, err := net.LookupIP(u.Hostname())
	if err != nil {
		fail("%v", err)
	}
	for _, ip := range ips {
		if !ip.IsLoopback() {
			fail("%s is not a loopback address: this tool only loads servers on this machine", u.Hostname())
		}
	}
}

func readPairs(name string) ([][2]string, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var pairs [][2]string
	for i, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 2 || !strings.HasPrefix(f[0], "/") || !strings.HasPrefix(f[1], "/") {
			return nil, fmt.Errorf("line %d: want two paths, each starting with /", i+1)
		}
		pairs = append(pairs, [2]string{f[0], f[1]})
	}
	if len(pairs) == 0 {
		return nil, errors.New("no pairs")
	}
	return pairs, nil
}

// measure warms the server up for set.warmup, then sends set.requests
// requests (or requests for set.duration) over set.conns connections
// and reports every answer's latency.
func measure(target string, set settings) result {
	u, err := url.Parse(target)
	if err != nil {
		fail("%v", err)
	}
	var req bytes.Buffer
	fmt.Fprintf(&req, "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: samrad-loadtest\r\nAccept: */*\r\n", u.RequestURI(), u.Host)
	if set.gzip {
		req.WriteString("Accept-Encoding: gzip\r\n")
	}
	req.WriteString("\r\n")
	res := result{URL: target}
	if set.warmup > 0 {
		run(u.Host, req.Bytes(), set.conns, 0, set.warmup, false, nil)
	}
	d, n := set.duration, set.requests
	if d == 0 {
		d = set.limit
	} else {
		n = 0
	}
	var stats runStats
	cpu0 := cpuTime(set.pids)
	lat, elapsed := run(u.Host, req.Bytes(), set.conns, n, d, true, &stats)
	if len(set.pids) > 0 && len(lat) > 0 {
		res.CPU = float64(cpuTime(set.pids)-cpu0) / float64(time.Microsecond) / float64(len(lat))
	}
	slices.Sort(lat)
	ms := func(p float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		return float64(lat[min(len(lat)-1, int(float64(len(lat))*p))]) / float64(time.Millisecond)
	}
	res.Bytes = stats.bytes.Load()
	res.Requests = len(lat)
	res.Errors = stats.errors.Load()
	res.Seconds = elapsed.Seconds()
	res.RPS = float64(len(lat)) / elapsed.Seconds()
	res.P50, res.P90, res.P99, res.Max = ms(0.50), ms(0.90), ms(0.99), ms(1)
	if e := stats.first.Load(); e != nil {
		res.FirstError = *e
	}
	if len(lat) == 0 {
		res.Errors++
	}
	return res
}

func parsePids(list string) []int {
	var pids []int
	for _, f := range strings.Split(list, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		pid, err := strconv.Atoi(f)
		if err != nil || pid <= 0 {
			fail("bad process id %q", f)
		}
		pids = append(pids, pid)
	}
	return pids
}

// cpuTime is the user and system time the processes have taken, from
// /proc/PID/stat (in clock ticks of 10 ms).
func cpuTime(pids []int) time.Duration {
	var total time.Duration
	for _, pid := range pids {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			fail("CPU time of process %d: %v", pid, err)
		}
		// The fields after the command name, which is in parentheses.
		f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
		if len(f) < 13 {
			fail("/proc/%d/stat: too few fields", pid)
		}
		utime, _ := strconv.ParseInt(f[11], 10, 64)
		stime, _ := strconv.ParseInt(f[12], 10, 64)
		total += time.Duration(utime+stime) * 10 * time.Millisecond
	}
	return total
}

type runStats struct {
	bytes  atomic.Int64 // body bytes of the first answer
	errors atomic.Int64
	first  atomic.Pointer[string]
}

func (s *runStats) fail(why string) {
	s.errors.Add(1)
	s.first.CompareAndSwap(nil, &why)
}

// run sends req to host over conns connections until n requests are
// answered (n > 0) or d has passed, and returns the latencies and the time
// taken. Each connection is kept alive; it is dialled again after an error
// or when the server closes it.
func run(host string, req []byte, conns, n int, d time.Duration, record bool, stats *runStats) ([]time.Duration, time.Duration) {
	if stats == nil {
		stats = &runStats{}
	}
	deadline := time.Now().Add(d)
	var next atomic.Int64
	var firstBody sync.Once
	lat := make([][]time.Duration, conns)
	start := time.Now()
	var wg sync.WaitGroup
	for w := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var c net.Conn
			var br *bufio.Reader
			defer func() {
				if c != nil {
					c.Close()
				}
			}()
			for {
				if n > 0 && next.Add(1) > int64(n) {
					return
				}
				t0 := time.Now()
				if !t0.Before(deadline) {
					return
				}
				if c == nil {
					var err error
					if c, err = net.DialTimeout("tcp", host, 5*time.Second); err != nil {
						stats.fail(err.Error())
						c = nil
						time.Sleep(10 * time.Millisecond)
						continue
					}
					br = bufio.NewReaderSize(c, 64<<10)
				}
				_ = c.SetDeadline(t0.Add(10 * time.Second))
				resp, nbody, err := roundTrip(c, br, req)
				if err != nil {
					stats.fail(err.Error())
					c.Close()
					c = nil
					continue
				}
				if record {
					lat[w] = append(lat[w], time.Since(t0))
				}
				if resp.StatusCode != http.StatusOK {
					stats.fail(fmt.Sprintf("status %d", resp.StatusCode))
				}
				firstBody.Do(func() { stats.bytes.Store(nbody) })
				if resp.Close {
					c.Close()
					c = nil
				}
			}
		}()
	}
	wg.Wait()
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	return all, time.Since(start)
}

// roundTrip writes one request and reads its whole answer.
func roundTrip(c net.Conn, br *bufio.Reader, req []byte) (*http.Response, int64, error) {
	if _, err := c.Write(req); err != nil {
		return nil, 0, err
	}
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		return nil, 0, err
	}
	n, err := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp, n, err
}

// micro writes a CPU time per request in microseconds, or – if not counted.
func micro(us float64) string {
	if us == 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f µs", us)
}

type row struct {
	Path string `json:"path"`
	A    result `json:"a"`
	B    result `json:"b"`
}

// printTable writes the comparison: per path the size, each server's
// requests per second and percentiles, and a's share of b's throughput.
func printTable(w io.Writer, format, nameA, nameB string, set settings, rows []row) {
	ratio := func(r row) float64 {
		if r.B.RPS == 0 {
			return 0
		}
		return r.A.RPS / r.B.RPS
	}
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", " ")
		_ = enc.Encode(map[string]any{"a": nameA, "b": nameB, "connections": set.conns,
			"seconds": set.duration.Seconds(), "rows": rows})
	case "tsv":
		fmt.Fprintf(w, "path\tbytes\t%[1]s_rps\t%[1]s_p50_ms\t%[1]s_p99_ms\t%[1]s_cpu_us\t%[2]s_rps\t%[2]s_p50_ms\t%[2]s_p99_ms\t%[2]s_cpu_us\tratio\n", nameA, nameB)
		for _, r := range rows {
			fmt.Fprintf(w, "%s\t%d\t%.0f\t%.2f\t%.2f\t%.0f\t%.0f\t%.2f\t%.2f\t%.0f\t%.2f\n", r.Path, r.A.Bytes,
				r.A.RPS, r.A.P50, r.A.P99, r.A.CPU, r.B.RPS, r.B.P50, r.B.P99, r.B.CPU, ratio(r))
		}
	case "markdown":
		fmt.Fprintf(w, "| path | bytes | %[1]s req/s | %[1]s p50 | %[1]s p99 | %[1]s CPU/req | %[2]s req/s | %[2]s p50 | %[2]s p99 | %[2]s CPU/req | %[1]s / %[2]s |\n", nameA, nameB)
		fmt.Fprintln(w, "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
		for _, r := range rows {
			fmt.Fprintf(w, "| `%s` | %d | %.0f | %.2f ms | %.2f ms | %s | %.0f | %.2f ms | %.2f ms | %s | %.2f |\n", r.Path, r.A.Bytes,
				r.A.RPS, r.A.P50, r.A.P99, micro(r.A.CPU), r.B.RPS, r.B.P50, r.B.P99, micro(r.B.CPU), ratio(r))
		}
	default:
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "path\tbytes\t%[1]s rps\tp50 ms\tp99 ms\tcpu\t%[2]s rps\tp50 ms\tp99 ms\tcpu\tratio\t\n", nameA, nameB)
		for _, r := range rows {
			fmt.Fprintf(tw, "%s\t%d\t%.0f\t%.2f\t%.2f\t%s\t%.0f\t%.2f\t%.2f\t%s\t%.2f\t\n", r.Path, r.A.Bytes,
				r.A.RPS, r.A.P50, r.A.P99, micro(r.A.CPU), r.B.RPS, r.B.P50, r.B.P99, micro(r.B.CPU), ratio(r))
		}
		tw.Flush()
	}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// registerLoad starts n sign-ups at rate per second, each in its own
// goroutine, and reports the POSTs' latencies and the errors.
func registerLoad(tr *http.Transport, target string, rate float64, n int, limit time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	stamp := time.Now().UnixNano()
	var (
		mu     sync.Mutex
		lat    []time.Duration
		errs   atomic.Int64
		wg     sync.WaitGroup
		reason sync.Once
	)
	interval := time.Duration(float64(time.Second) / rate)
	start := time.Now()
	for i := 0; i < n && ctx.Err() == nil; i++ {
		if d := time.Until(start.Add(time.Duration(i) * interval)); d > 0 {
			time.Sleep(d)
		}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			jar, _ := cookiejar.New(nil)
			client := &http.Client{Transport: tr, Jar: jar, Timeout: 10 * time.Second,
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			failed := func(why string) {
				errs.Add(1)
				reason.Do(func() { fmt.Fprintf(os.Stderr, "loadtest: first error: %s\n", why) })
			}
			resp, err := client.Get(target)
			if err != nil {
				failed(err.Error())
				return
			}
			page, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			m := csrfField.FindSubmatch(page)
			if resp.StatusCode != http.StatusOK || m == nil {
				failed(fmt.Sprintf("GET form: %d", resp.StatusCode))
				return
			}
			form := url.Values{"csrf": {string(m[1])}, "name": {fmt.Sprintf("Deltaker %d", i)},
				"email": {fmt.Sprintf("deltaker-%d-%d@example.no", stamp, i)}, "consent": {"yes"}}
			post, err := http.NewRequestWithContext(ctx, "POST", target, strings.NewReader(form.Encode()))
			if err != nil {
				failed(err.Error())
				return
			}
			post.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			// Each visitor comes from an address of its own in the
			// benchmarking range, believed by a server started with
			// --trusted-proxies 127.0.0.1: the limit per address applies
			// to each, not to all of them at once.
			post.Header.Set("X-Forwarded-For", fmt.Sprintf("198.18.%d.%d", i/250%256, i%250+1))
			t0 := time.Now()
			resp, err = client.Do(post)
			if err != nil {
				failed(err.Error())
				return
			}
			d := time.Since(t0)
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusSeeOther {
				failed(fmt.Sprintf("POST: %d", resp.StatusCode))
				return
			}
			mu.Lock()
			lat = append(lat, d)
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(lat)
	pct := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(float64(len(lat))*p))]
	}
	fmt.Printf("register url=%s rate=%.0f/s registrations=%d errors=%d elapsed=%s achieved=%.0f/s post p50=%s p90=%s p99=%s max=%s\n",
		target, rate, len(lat), errs.Load(), elapsed.Round(time.Millisecond), float64(len(lat))/elapsed.Seconds(),
		pct(0.50).Round(10*time.Microsecond), pct(0.90).Round(10*time.Microsecond), pct(0.99).Round(10*time.Microsecond), pct(1).Round(10*time.Microsecond))
	if errs.Load() > 0 {
		os.Exit(1)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "loadtest: "+format+"\n", args...)
	os.Exit(2)
}
