// Command loadtest sends a bounded number of GET requests to a server on
// this machine with a fixed number of concurrent connections and prints the
// throughput and latency percentiles. It refuses any host that is not a
// loopback address.
//
//	go run ./internal/tools/loadtest -url http://127.0.0.1:8080/allianser/ore/medlemmer -c 64 -n 20000
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"sort"
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

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "loadtest: "+format+"\n", args...)
	os.Exit(2)
}
