package app

import (
	"context"
	"log/slog"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"regulars/internal/web"
	"regulars/preferences"
	"regulars/scheduler"
)

// metrics is the service's own Prometheus registry (one per App: tests run many apps in
// one process) and the series the service records. No label holds a guest's id, name,
// email, a document or a token: only route patterns, methods, statuses, kinds and reasons.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.HistogramVec
	letters  *prometheus.CounterVec
	jobs     *prometheus.GaugeVec
	lockouts prometheus.Counter
	signIns  *prometheus.CounterVec
	bounces  *prometheus.CounterVec

	mu        sync.RWMutex
	observers map[requestKey]prometheus.Observer // the histogram's children, found once
}

type requestKey struct {
	method, route string
	status        int
}

// requestBuckets fit this service: a card or a look-up takes about a millisecond, the
// kiosk's identification waits 250 ms on purpose, a slowed-down sign-in up to 10 s.
var requestBuckets = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.3, 0.5, 1, 2.5, 5, 10}

func newMetrics(db *Store) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "regulars_http_request_duration_seconds",
			Help: "HTTP requests by route pattern, method and status, and how long they took.", Buckets: requestBuckets},
			[]string{"route", "method", "status"}),
		letters: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "regulars_letters_sent_total",
			Help: "Attempts to send a letter, by kind and result (sent, retry, failed, unknown)."}, []string{"kind", "result"}),
		jobs: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "regulars_job_last_success_timestamp_seconds",
			Help: "When each part of the scheduled outreach run (birthday, lapse, deliver) last succeeded, in Unix seconds."},
			[]string{"job"}),
		lockouts: prometheus.NewCounter(prometheus.CounterOpts{Name: "regulars_kiosk_lockouts_total",
			Help: "Kiosk lock-outs begun after too many failed identifications."}),
		signIns: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "regulars_signin_failures_total",
			Help: "Refused staff sign-ins, by reason (password: wrong name or password; throttled: 429)."}, []string{"reason"}),
		bounces: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "regulars_bounces_total",
			Help: "Bounces recorded through the webhook by this instance, by kind (hard, soft, complaint)."}, []string{"kind"}),
		observers: map[requestKey]prometheus.Observer{},
	}
	m.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewBuildInfoCollector(), m.requests, m.letters, m.jobs, m.lockouts, m.signIns, m.bounces, outboxCollector{db})
	for name, pool := range db.Pools() {
		m.reg.MustRegister(collectors.NewDBStatsCollector(pool, name))
	}
	// Series that exist from the start, so that a rate over them is defined at 0.
	for _, kind := range []preferences.OutreachKind{preferences.OutreachBirthday, preferences.OutreachLapse} {
		for _, result := range []string{scheduler.LetterSent, scheduler.LetterRetry, scheduler.LetterFailed, scheduler.LetterUnknown} {
			m.letters.WithLabelValues(string(kind), result)
		}
	}
	for _, kind := range []preferences.BounceKind{preferences.BounceHard, preferences.BounceSoft, preferences.BounceComplaint} {
		m.bounces.WithLabelValues(string(kind))
	}
	m.signIns.WithLabelValues(web.SignInWrongPassword)
	m.signIns.WithLabelValues(web.SignInThrottled)
	return m
}

// observeRequest records one request; the histogram's child for its labels is looked up
// once, then taken from a map (no label hashing or formatting per request).
func (m *metrics) observeRequest(method, route string, status int, took time.Duration) {
	k := requestKey{method, route, status}
	m.mu.RLock()
	o, ok := m.observers[k]
	m.mu.RUnlock()
	if !ok {
		o = m.requests.WithLabelValues(route, method, strconv.Itoa(status))
		m.mu.Lock()
		m.observers[k] = o
		m.mu.Unlock()
	}
	o.Observe(took.Seconds())
}

func (m *metrics) letterSent(kind preferences.OutreachKind, result string) {
	m.letters.WithLabelValues(string(kind), result).Inc()
}

func (m *metrics) jobDone(job string, at time.Time) {
	m.jobs.WithLabelValues(job).Set(float64(at.UnixNano()) / 1e9)
}

func (m *metrics) bounced(kind preferences.BounceKind) { m.bounces.WithLabelValues(string(kind)).Inc() }

func (m *metrics) signInFailed(reason string) { m.signIns.WithLabelValues(reason).Inc() }

// handler serves the registry to the clients in allow (behind trusted proxies, the real
// client's address); others get 403. A series that cannot be read (the database busy) is
// left out of the scrape and logged, rather than failing the whole scrape.
func (m *metrics) handler(allow []netip.Prefix, log *slog.Logger) fiber.Handler {
	serve := adaptor.HTTPHandler(promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelError), ErrorHandling: promhttp.ContinueOnError}))
	return func(c *fiber.Ctx) error {
		addr, err := netip.ParseAddr(web.ClientIP(c))
		if err != nil || !web.InPrefixes(allow, addr) {
			return preferences.Errorf(preferences.EFORBIDDEN, "The metrics are served only to the addresses in REGULARS_METRICS_ALLOW.")
		}
		return serve(c)
	}
}

// outboxCollector reads the outbox from the database at each scrape: several instances
// share one database, and each reports the same whole outbox. Both queries read the
// status index only.
type outboxCollector struct{ db *Store }

var (
	outboxDesc = prometheus.NewDesc("regulars_outbox_messages",
		"Letters in the outbox by status, read from the database at each scrape.", []string{"status"}, nil)
	oldestQueuedDesc = prometheus.NewDesc("regulars_outbox_oldest_queued_age_seconds",
		"How long the oldest letter still queued has waited; 0 when none is queued.", nil, nil)
)

func (o outboxCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- outboxDesc
	ch <- oldestQueuedDesc
}

func (o outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	counts, err := o.db.OutreachCounts(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(outboxDesc, err)
	} else {
		for _, st := range preferences.OutboxStatuses {
			ch <- prometheus.MustNewConstMetric(outboxDesc, prometheus.GaugeValue, float64(counts[st]), st)
		}
	}
	oldest, err := o.db.OldestQueuedOutreach(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(oldestQueuedDesc, err)
		return
	}
	age := 0.0
	if !oldest.IsZero() {
		age = max(0, o.db.Now().Sub(oldest).Seconds())
	}
	ch <- prometheus.MustNewConstMetric(oldestQueuedDesc, prometheus.GaugeValue, age)
}
