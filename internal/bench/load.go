// Package bench is the benchmark harness behind `make bench`: it generates (or reuses) a
// hotel of N guests, starts the baselines and the real service on loopback, drives
// them with a closed-loop load generator and reports requests/s and latency.
package bench

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"
)

// Request fills req for the next call of worker w and returns the status codes that
// count as success. After the call, done (when not nil) sees the response.
type Request func(w *Worker, req *fasthttp.Request) (ok func(status int) bool, done func(resp *fasthttp.Response))

// Worker is one connection's loop; Rand and State are its own.
type Worker struct {
	ID    int
	seq   uint64
	State any
}

// Next returns a pseudo-random number in [0, n) private to the worker.
func (w *Worker) Next(n int) int {
	w.seq = w.seq*6364136223846793005 + 1442695040888963407 + uint64(w.ID)*2
	return int((w.seq >> 33) % uint64(n))
}

// Load is one load row: Concurrency workers calling Addr for Duration after Warmup.
type Load struct {
	Addr string // host:port
	// Addrs, when set, are the servers called in turn instead of Addr (a round-robin:
	// each worker's requests go to each in turn, the workers starting at different ones).
	Addrs       []string
	Concurrency int
	Warmup      time.Duration
	Duration    time.Duration
	Request     Request
	Setup       func(w *Worker) // optional, once per worker before the run
}

// Stats are the figures of one row. Errors counts transport failures and unexpected
// statuses; FirstError describes the first of them.
type Stats struct {
	RPS    float64 `json:"rps"`
	P50    float64 `json:"p50_ms"`
	P99    float64 `json:"p99_ms"`
	Errors int64   `json:"errors"`
	// BaselineRPS, of a service row: baseline B's requests/s, the mean of the B rows
	// measured just before and just after it; the row's share of B is against this.
	BaselineRPS float64 `json:"baseline_pk_rps,omitempty"`
	Requests    int64   `json:"-"`
	FirstError  string  `json:"-"`
}

// Run drives the load and returns its statistics. Requests in the warm-up are neither
// timed nor counted, but their errors are.
func Run(ctx context.Context, l Load) Stats {
	addrs := l.Addrs
	if len(addrs) == 0 {
		addrs = []string{l.Addr}
	}
	clients := make([]*fasthttp.HostClient, len(addrs))
	for i, a := range addrs {
		clients[i] = &fasthttp.HostClient{Addr: a, MaxConns: l.Concurrency, ReadTimeout: 10 * time.Second,
			WriteTimeout: 10 * time.Second, MaxIdemponentCallAttempts: 1}
	}
	var (
		errs     atomic.Int64
		firstErr sync.Once
		first    string
		wg       sync.WaitGroup
		mu       sync.Mutex
		all      []uint32 // latencies in µs
	)
	start := time.Now()
	measureFrom := start.Add(l.Warmup)
	end := measureFrom.Add(l.Duration)
	fail := func(msg string) {
		errs.Add(1)
		firstErr.Do(func() { first = msg })
	}
	for id := range l.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := &Worker{ID: id, seq: uint64(id)*0x9e3779b97f4a7c15 + 1}
			if l.Setup != nil {
				l.Setup(w)
			}
			lat := make([]uint32, 0, 1<<14)
			req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
			defer fasthttp.ReleaseRequest(req)
			defer fasthttp.ReleaseResponse(resp)
			for n := id; ctx.Err() == nil; n++ {
				client := clients[n%len(clients)]
				req.Reset()
				ok, done := l.Request(w, req)
				req.SetHost(client.Addr)
				t0 := time.Now()
				if t0.After(end) {
					break
				}
				err := client.Do(req, resp)
				t1 := time.Now()
				switch {
				case err != nil:
					fail(err.Error())
				case !ok(resp.StatusCode()):
					fail(fmt.Sprintf("%s %s → %d %.200s", req.Header.Method(), req.URI().Path(), resp.StatusCode(), resp.Body()))
				default:
					if done != nil {
						done(resp)
					}
				}
				if t0.After(measureFrom) && t1.Before(end) {
					lat = append(lat, uint32(t1.Sub(t0).Microseconds()))
				}
			}
			mu.Lock()
			all = append(all, lat...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	for _, c := range clients {
		c.CloseIdleConnections()
	}
	slices.Sort(all)
	s := Stats{Requests: int64(len(all)), Errors: errs.Load(), FirstError: first}
	s.RPS = float64(len(all)) / l.Duration.Seconds()
	s.P50, s.P99 = quantileMS(all, 0.50), quantileMS(all, 0.99)
	return s
}

func quantileMS(sorted []uint32, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q * float64(len(sorted)-1))
	return float64(sorted[i]) / 1000
}

// Status200 accepts 200 only.
func Status200(status int) bool { return status == 200 }

// Status2xx accepts any success.
func Status2xx(status int) bool { return status >= 200 && status < 300 }
