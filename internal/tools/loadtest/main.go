// Command loadtest sends a bounded number of GET requests to a server on
// this machine with a fixed number of concurrent connections and prints the
// throughput and latency percentiles. It refuses any host that is not a
// loopback address.
//
//	go run ./internal/tools/loadtest -url http://127.0.0.1:8080/allianser/ore/medlemmer -c 64 -n 20000
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
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	target := flag.String("url", "", "URL to request (loopback only); repeat paths with -paths")
	conc := flag.Int("c", 64, "concurrent connections")
	total := flag.Int("n", 20000, "number of requests")
	warm := flag.Int("warmup", 500, "requests before measuring")
	limit := flag.Duration("max", 2*time.Minute, "stop after this long whatever the count")
	register := flag.Bool("register", false, "post registrations to the form at -url at -rate per second")
	rate := flag.Float64("rate", 200, "registrations per second with -register")
	flag.Parse()
	u, err := url.Parse(*target)
	if err != nil || u.Host == "" {
		fail("-url: %v", err)
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
	tr := &http.Transport{MaxIdleConns: *conc, MaxIdleConnsPerHost: *conc, MaxConnsPerHost: *conc}
	if *register {
		registerLoad(tr, *target, *rate, *total, *limit)
		return
	}
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	run := func(n int, record bool) ([]time.Duration, int64, time.Duration) {
		ctx, cancel := context.WithTimeout(context.Background(), *limit)
		defer cancel()
		var next, errs atomic.Int64
		lat := make([][]time.Duration, *conc)
		start := time.Now()
		var wg sync.WaitGroup
		for w := 0; w < *conc; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for next.Add(1) <= int64(n) && ctx.Err() == nil {
					t0 := time.Now()
					resp, err := client.Get(*target)
					if err != nil {
						errs.Add(1)
						continue
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						errs.Add(1)
					}
					if record {
						lat[w] = append(lat[w], time.Since(t0))
					}
				}
			}(w)
		}
		wg.Wait()
		var all []time.Duration
		for _, l := range lat {
			all = append(all, l...)
		}
		return all, errs.Load(), time.Since(start)
	}
	run(*warm, false)
	lat, errs, elapsed := run(*total, true)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(float64(len(lat))*p))]
	}
	fmt.Printf("url=%s connections=%d requests=%d errors=%d elapsed=%s rps=%.0f p50=%s p90=%s p99=%s max=%s\n",
		*target, *conc, len(lat), errs, elapsed.Round(time.Millisecond), float64(len(lat))/elapsed.Seconds(),
		pct(0.50).Round(10*time.Microsecond), pct(0.90).Round(10*time.Microsecond), pct(0.99).Round(10*time.Microsecond), pct(1).Round(10*time.Microsecond))
	if errs > 0 {
		os.Exit(1)
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
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
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
