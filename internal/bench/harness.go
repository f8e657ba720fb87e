package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Secret is the service secret of benchmark databases (document hashes depend on it).
var Secret = []byte("regulars-bench-secret-0123456789")

// Zone is the hotel zone of benchmark runs.
const Zone = "Asia/Shanghai"

// Config sizes and locates one run.
type Config struct {
	// Engine is the engine measured: SQLite (a file in OutDir) or Postgres (a database
	// on the server Postgres names, a postgres:// URL of a role that may create databases).
	Engine   string
	Postgres string
	// PostgresNames prefixes the databases the run creates on that server (default
	// "regulars_bench"): the cached hotel and the run's copy.
	PostgresNames string
	Guests        int
	Seconds       float64 // of measured load per row
	Concurrency   int     // connections per load row (32)
	MailMessages  int     // messages of the mail rows (10,000)
	OutDir        string  // cached databases and logs (bench/out)
	Regulars      string  // the regulars binary
	// SettleOutreach waits, before the load rows, for the service's first minute's
	// outreach run to be sent (waitForCatchUp): up to a minute, so the smoke test skips it.
	SettleOutreach bool
	// Baseline returns the command serving the baselines (ServeBaseline) on addr, over
	// db (an SQLite file's path or a postgres:// URL).
	Baseline func(db, addr string) *exec.Cmd
	Log      io.Writer
}

func (c Config) duration() time.Duration { return rowDuration(c.Seconds) }

// rowDuration is the measured load of a row of seconds (Config.Seconds, Results.Seconds).
func rowDuration(seconds float64) time.Duration { return time.Duration(seconds * float64(time.Second)) }

func (c Config) warmup() time.Duration { return warmup(c.duration()) }

func (c Config) coldWarmup() time.Duration { return coldWarmup(c.duration()) }

// warmup is the unmeasured lead-in of a row of duration d.
func warmup(d time.Duration) time.Duration { return min(time.Second, d/4) }

// coldWarmup is the unmeasured lead-in of a process's first row (of duration d) on the
// database: its read connections start with empty page caches, which at 1M guests take
// a few seconds of load to fill (baseline B served 7k, 19k, then 33k req/s in its
// first three seconds). With the usual second, the first B and the service's first row
// carried that start into their figures, and the row's share of B with them.
func coldWarmup(d time.Duration) time.Duration { return min(3*time.Second, d/2) }

func (c Config) logf(format string, args ...any) {
	if c.Log != nil {
		fmt.Fprintf(c.Log, format+"\n", args...)
	}
}

// Execute runs every row and returns the results.
func Execute(ctx context.Context, cfg Config) (*Results, error) {
	if cfg.Engine == "" {
		cfg.Engine = SQLite
	}
	if _, ok := engineNames[cfg.Engine]; !ok {
		return nil, fmt.Errorf("bench: no engine %q", cfg.Engine)
	}
	// The service runs in OutDir (runService): its files beside a PostgreSQL database
	// (the .eml outbox) go under OutDir/data, not the data/ of the hotel's demo.
	var err error
	if cfg.OutDir, err = filepath.Abs(cfg.OutDir); err != nil {
		return nil, err
	}
	if strings.ContainsRune(cfg.Regulars, filepath.Separator) {
		if cfg.Regulars, err = filepath.Abs(cfg.Regulars); err != nil {
			return nil, err
		}
	}
	res := &Results{Engine: cfg.Engine, Guests: cfg.Guests, Seconds: cfg.Seconds, Concurrency: cfg.Concurrency, MailMessages: cfg.MailMessages}
	if err := os.MkdirAll(cfg.OutDir, 0o755); err != nil {
		return nil, err
	}
	dbPath, err := prepareDB(ctx, cfg, res)
	if err != nil {
		return nil, err
	}
	fx, err := loadFixture(ctx, cfg, dbPath)
	if err != nil {
		return nil, err
	}
	base, err := startBaseline(ctx, cfg, dbPath, fx)
	if err != nil {
		return nil, err
	}
	defer base.stop()
	res.BaselineStatic = base.static(ctx)
	res.BaselinePKRuns = []Stats{base.pk(ctx, cfg.coldWarmup())}
	if err := runSelections(ctx, cfg, dbPath, res); err != nil {
		return nil, err
	}
	if err := runService(ctx, cfg, dbPath, fx, base, res); err != nil {
		return nil, err
	}
	res.BaselinePK = meanStats(res.BaselinePKRuns)
	base.stop() // the outbox rows need neither baseline
	if err := runOutbox(ctx, cfg, dbPath, res); err != nil {
		return nil, err
	}
	return res, nil
}

// baseline is the running baseline server (ServeBaseline). It stays up, idle, while the
// service's rows run, so that baseline B can be measured again right after each row.
type baseline struct {
	cfg  Config
	fx   *fixture
	addr string
	*process
}

func startBaseline(ctx context.Context, cfg Config, dbPath string, fx *fixture) (*baseline, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	p, err := startProcess(ctx, cfg.Baseline(dbPath, addr), "http://"+addr+"/static")
	if err != nil {
		return nil, fmt.Errorf("baseline server: %w", err)
	}
	return &baseline{cfg: cfg, fx: fx, addr: addr, process: p}, nil
}

// static runs baseline A, pk one row of baseline B after lead (unmeasured).
func (b *baseline) static(ctx context.Context) Stats {
	return b.cfg.row(ctx, "baseline A", b.addr, get("/static", ""), nil, b.cfg.warmup())
}

func (b *baseline) pk(ctx context.Context, lead time.Duration) Stats {
	return b.cfg.row(ctx, "baseline "+engineNames[b.cfg.Engine].base, b.addr, b.fx.baselinePK(), nil, lead)
}

// runService measures the service's rows, each between two rows of baseline B (the one
// before it is the previous row's after): the machine's speed drifts over a run, by a
// third at times on this VM, and a row compared with a B measured minutes earlier
// carried that drift into its share of B.
func runService(ctx context.Context, cfg Config, dbPath string, fx *fixture, base *baseline, res *Results) error {
	// The database in the environment: a URL in the arguments would show in ps.
	env := append(os.Environ(), "REGULARS_DB="+dbPath, "REGULARS_SECRET="+string(Secret), "REGULARS_TZ="+Zone)
	if cfg.SettleOutreach {
		// The day's letters are always due at start-up, whatever the time of day, so
		// that every run measures the rows after the same catch-up (waitForCatchUp),
		// sent at full speed (at the default 10 a second the day's ~3,700 would take
		// six minutes, and the rows would run during them).
		env = append(env, "REGULARS_BIRTHDAY_AT=00:00", "REGULARS_LAPSE_AT=00:00",
			"REGULARS_MAIL_RATE=100000", "REGULARS_MAIL_CONNECTIONS="+strconv.Itoa(MailConnections))
	}
	logPath := filepath.Join(cfg.OutDir, "service.log")
	p, addr, err := startService(ctx, cfg, env, logPath)
	if err != nil {
		return fmt.Errorf("service: %w", err)
	}
	defer p.stop()
	res.StartupMS = float64(p.startup.Microseconds()) / 1000
	cfg.logf("service up in %.0f ms", res.StartupMS)
	if cfg.SettleOutreach {
		cfg.logf("waiting for the service's first outreach run to be sent (at most a minute)")
		if err := waitForCatchUp(ctx, cfg, dbPath); err != nil {
			return err
		}
	}
	mixed, setup := fx.mixed(cfg.Concurrency)
	lead := cfg.coldWarmup() // the first row's warm-up
	for _, row := range []struct {
		name  string
		into  *Stats
		req   Request
		setup func(*Worker)
	}{
		{"lookup", &res.Lookup, fx.lookup(), nil},
		{"recognition", &res.Recognition, fx.recognition(), nil},
		{"housekeeping", &res.Housekeeping, fx.housekeeping(), nil},
		{"mixed", &res.Mixed, mixed, setup},
	} {
		before := res.BaselinePKRuns[len(res.BaselinePKRuns)-1]
		*row.into = cfg.row(ctx, row.name, addr, row.req, row.setup, lead)
		lead = cfg.warmup()
		after := base.pk(ctx, lead)
		res.BaselinePKRuns = append(res.BaselinePKRuns, after)
		row.into.BaselineRPS = (before.RPS + after.RPS) / 2
	}
	if res.RSSMB, err = p.peakRSS(); err != nil {
		return err
	}
	if cfg.Engine == Postgres {
		if err := runTwoInstances(ctx, cfg, env, addr, mixed, setup, res); err != nil {
			return err
		}
	}
	if err := p.stop(); err != nil {
		res.Notes = append(res.Notes, "service stop: "+err.Error())
	}
	log, err := os.ReadFile(logPath)
	if err != nil {
		return err
	}
	res.Locked = strings.Count(string(log), "database is locked")
	return nil
}

// runTwoInstances measures the mixed row again through a round-robin of the running
// service (at addr) and a second instance started with the same environment on the same
// database: issue 22's row, whose combined req/s stands beside the one instance's.
func runTwoInstances(ctx context.Context, cfg Config, env []string, addr string, req Request, setup func(*Worker), res *Results) error {
	p, second, err := startService(ctx, cfg, env, filepath.Join(cfg.OutDir, "service-2.log"))
	if err != nil {
		return fmt.Errorf("second instance: %w", err)
	}
	defer p.stop()
	s := Run(ctx, Load{Addrs: []string{addr, second}, Concurrency: cfg.Concurrency, Warmup: cfg.warmup(),
		Duration: cfg.duration(), Request: req, Setup: setup})
	cfg.logf("%-14s %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  errors %d %s", "2 instances", s.RPS, s.P50, s.P99, s.Errors, s.FirstError)
	res.TwoInstances = &s
	if err := p.stop(); err != nil {
		res.Notes = append(res.Notes, "second instance stop: "+err.Error())
	}
	return nil
}

// startService starts `regulars serve` in OutDir on a free address with env, its output
// in logPath, and waits until its /healthz answers.
func startService(ctx context.Context, cfg Config, env []string, logPath string) (*process, string, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, "", err
	}
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, "", err
	}
	defer logFile.Close() // the process has its own descriptor of it
	cmd := exec.Command(cfg.Regulars, "serve", "--addr", addr)
	cmd.Env, cmd.Dir, cmd.Stdout, cmd.Stderr = env, cfg.OutDir, logFile, logFile
	p, err := startProcess(ctx, cmd, "http://"+addr+"/healthz")
	if err != nil {
		return nil, "", fmt.Errorf("%w (log in %s)", err, logPath)
	}
	return p, addr, nil
}

// row runs one load row after an unmeasured lead of load and logs its figures.
func (cfg Config) row(ctx context.Context, name, addr string, req Request, setup func(*Worker), lead time.Duration) Stats {
	s := Run(ctx, Load{Addr: addr, Concurrency: cfg.Concurrency, Warmup: lead, Duration: cfg.duration(), Request: req, Setup: setup})
	cfg.logf("%-14s %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  errors %d %s", name, s.RPS, s.P50, s.P99, s.Errors, s.FirstError)
	return s
}

// waitForCatchUp waits until the service has done its first minute's outreach run and
// sent what it queued. A fresh copy of the database has none of today's letters sent,
// and runService makes them all due at once (birthdays and lapses at 00:00), so the
// first run sends the day's letters (~1,600 birthday greetings and ~2,100 lapse
// letters at 1M guests, each claim a commit): the load rows measure the endpoints of a
// service in its steady state, as a hotel's is after the morning, not during that
// catch-up, and every run the same whatever the time of day it starts.
func waitForCatchUp(ctx context.Context, cfg Config, dbPath string) error {
	firstTick := time.Now().Truncate(time.Minute).Add(time.Minute + 2*time.Second)
	db, err := openSQL(dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	for {
		var pending int
		err := db.queryRow(ctx, `SELECT count(*) FROM outreach_messages
			WHERE status IN ('queued', 'sending') AND (next_attempt_at IS NULL OR next_attempt_at <= ?)`,
			db.d.TimeArg(time.Now())).Scan(&pending)
		if err != nil {
			return err
		}
		if pending == 0 && time.Now().After(firstTick) {
			return nil
		}
		if time.Now().After(firstTick.Add(2 * time.Minute)) {
			cfg.logf("outreach catch-up: %d letters still unsent, measuring anyway", pending)
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}
