// Command hostload puts the host pages under load: many host organisations
// at once open their page, pick an open offer, accept or decline it with a
// reason and read the confirmation, against the whole service (as `khidi
// serve` assembles it) on PostgreSQL over loopback. It reports throughput
// and latency percentiles per kind of request and the answers by status,
// then reads the round back and checks that no host holds more acceptances
// than places and that no offer changed twice.
//
// Usage (from the repository root; `make load` runs the defaults):
//
//	go run ./benchmarks/hostload [-db DSN] [-hosts 200] [-duration 30s] [-decline 0.3]
//
// Without -db it starts a throw-away PostgreSQL cluster from the machine's
// binaries (internal/pgtest.StartCluster: durability off, as in the tests)
// and removes it afterwards. The programme is demodata's, with -hosts
// experienced Tbilisi hosts of -capacity intern places each and enough
// novices that a decline's repair always has someone to offer the place
// to; an internship round is run and published, and each simulated host
// uses its own link. The results are printed on stdout as markdown tables;
// progress goes to stderr. The exit status is 1 when a check fails or the
// service answered with a 5xx or not at all, 2 for bad flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/khidi/khidi/benchmarks/internal/cli"
	"github.com/khidi/khidi/internal/demodata"
	"github.com/khidi/khidi/internal/offers"
	"github.com/khidi/khidi/internal/pgtest"
	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/internal/rounds"
	"github.com/khidi/khidi/internal/server"
	"github.com/khidi/khidi/internal/service"
	"github.com/khidi/khidi/store"
)

// config is the parsed command line.
type config struct {
	dsn          string
	hosts        int
	concurrency  int
	capacity     int
	participants int
	duration     time.Duration
	decline      float64
	think        time.Duration
	seed         uint64
	maxInflight  int
	cpuProfile   string
	args         []string // as given, for the report
}

func main() { cli.Main("hostload", parseFlags, hostload) }

// parseFlags reads the command line.
func parseFlags(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("hostload", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := &config{args: args}
	fs.StringVar(&cfg.dsn, "db", "", "an empty database to fill and load, as a khidi `DSN`; default: a throw-away PostgreSQL cluster")
	fs.IntVar(&cfg.hosts, "hosts", 200, "host organisations in the programme, each answering with its own link")
	fs.IntVar(&cfg.concurrency, "concurrency", 0, "how many of the hosts answer at once (0: all); fewer measure the same round with less contention")
	fs.IntVar(&cfg.capacity, "capacity", 25, "intern places of each host: enough open offers for the whole run")
	fs.IntVar(&cfg.participants, "participants", 0, "people in the programme (about 60% of them apply); 0 means 4 × hosts × capacity")
	fs.DurationVar(&cfg.duration, "duration", 30*time.Second, "how long the hosts keep answering")
	fs.Float64Var(&cfg.decline, "decline", 0.3, "share of answers that decline (the rest accept)")
	fs.DurationVar(&cfg.think, "think", 0, "how long a host reads between one answer and the next, on average (0: none, every host answers again at once)")
	fs.Uint64Var(&cfg.seed, "seed", 1, "seed of the programme and of the hosts' choices")
	fs.IntVar(&cfg.maxInflight, "max-inflight", 0, "let at most `n` requests into the service at once, the rest queueing (0: no limit, as khidi serve runs)")
	fs.StringVar(&cfg.cpuProfile, "cpuprofile", "", "write a CPU profile of the load phase (server and hosts: one process) to `file`")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	switch {
	case fs.NArg() != 0:
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	case cfg.hosts < 1 || cfg.capacity < 1 || cfg.participants < 0 || cfg.maxInflight < 0 ||
		cfg.concurrency < 0 || cfg.concurrency > cfg.hosts:
		return nil, errors.New("-hosts and -capacity must be at least 1, -participants and -max-inflight at least 0, -concurrency between 0 and -hosts")
	case cfg.duration <= 0:
		return nil, errors.New("-duration must be positive, such as 30s")
	case !(cfg.decline >= 0 && cfg.decline <= 1):
		return nil, errors.New("-decline must be a share between 0 and 1")
	case cfg.think < 0:
		return nil, errors.New("-think must be 0 or more, such as 10s")
	}
	if cfg.concurrency == 0 {
		cfg.concurrency = cfg.hosts
	}
	if cfg.participants == 0 {
		cfg.participants = min(4*cfg.hosts*cfg.capacity, demodata.MaxCount)
	}
	return cfg, nil
}

// hostload does the whole run: database, programme, round, service, load,
// report, checks.
func hostload(ctx context.Context, cfg *config, stdout, stderr io.Writer) error {
	dsn, engine := cfg.dsn, "the database given with -db"
	if dsn == "" {
		fmt.Fprintln(stderr, "hostload: starting a throw-away PostgreSQL cluster")
		var stop func() error
		var err error
		if dsn, stop, err = pgtest.StartCluster(ctx, "khidi_hostload"); err != nil {
			return err
		}
		defer func() {
			if err := stop(); err != nil {
				fmt.Fprintf(stderr, "hostload: stop the cluster: %v\n", err)
			}
		}()
		engine = "a throw-away PostgreSQL cluster (internal/pgtest: Unix socket, fsync and synchronous_commit off)"
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()

	ln, err := new(net.ListenConfig).Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	base, err := server.ParseBaseURL("http://" + ln.Addr().String())
	if err != nil {
		return err
	}
	// Warnings only: a line per request would cost more than some requests.
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	svc, err := service.New(service.Config{Store: db, Server: server.Config{Logger: logger, BaseURL: base}})
	if err != nil {
		return err
	}
	round, links, err := seed(ctx, db, svc.Offers, cfg, stderr)
	if err != nil {
		return err
	}
	if len(links) < cfg.hosts {
		return fmt.Errorf("the round offered people to %d hosts, fewer than the %d asked for", len(links), cfg.hosts)
	}
	// Served by net/http as Service.Serve does, so that -max-inflight can
	// stand in front of the same handler chain.
	srv := &http.Server{Handler: limit(svc, cfg.maxInflight), ReadHeaderTimeout: server.DefaultReadHeaderTimeout,
		ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	fmt.Fprintf(stderr, "hostload: %d hosts answering for %v at %s\n", cfg.concurrency, cfg.duration, base)
	var res *results
	err = profiled(cfg.cpuProfile, func() {
		res = load(ctx, base.String(), links[:cfg.concurrency], cfg)
	})
	// The checks read the round in several queries, so they wait for the
	// handlers still running (for hosts that timed out) to finish.
	shutCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), requestTimeout)
	defer cancel()
	if serr := srv.Shutdown(shutCtx); serr != nil {
		err = errors.Join(err, fmt.Errorf("stop the service: %w", serr))
	}
	if serr := <-served; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	if err != nil {
		return err
	}

	checks, err := check(ctx, db, round, res)
	if err != nil {
		return err
	}
	report(stdout, cfg, engine, res, checks)
	var failures []string
	for _, c := range checks {
		if !c.ok {
			failures = append(failures, c.name)
		}
	}
	if n := res.failed(); n > 0 {
		failures = append(failures, fmt.Sprintf("%d requests answered 5xx or not at all", n))
	}
	if len(failures) > 0 {
		return errors.New(strings.Join(failures, "; "))
	}
	return nil
}

// seed stores the programme, runs an internship round and publishes it
// through the service's offers, as the manager API does, returning the
// round and one link per host offered someone. It returns once the round's
// repair plan is made, as it is moments after a real publication and long
// before hosts read their email.
func seed(ctx context.Context, db *store.DB, o *offers.Service, cfg *config, stderr io.Writer) (program.RoundID, []offers.Link, error) {
	start := time.Now()
	p := demodata.Generate(demodata.Config{Seed: cfg.seed, Hosts: cfg.hosts, Participants: cfg.participants,
		RegionalCSOs: -1, Partners: -1, Communities: -1})
	// Every host takes interns, with the same number of places, so that
	// each simulated host has offers to answer for the whole run.
	for i := range p.Organizations {
		p.Organizations[i].Experienced = true
		p.Organizations[i].InternCapacity = cfg.capacity
	}
	if err := db.Upsert(ctx, store.Records{Organizations: p.Organizations, Participants: p.Participants, Communities: p.Communities}); err != nil {
		return 0, nil, err
	}
	res, err := rounds.Run(ctx, db, rounds.Request{Kind: program.RoundInternship, Name: "hostload", Seed: cfg.seed}, time.Now)
	if err != nil {
		return 0, nil, err
	}
	round, links, err := o.Publish(ctx, res.Round.ID, time.Now().Add(offers.DefaultWindow), "hostload")
	if err != nil {
		return 0, nil, err
	}
	if err := o.Prepare(ctx, round); err != nil {
		return 0, nil, err
	}
	s := res.Proposal.Summary
	fmt.Fprintf(stderr, "hostload: %d organisations, %d participants (%d eligible); round %d: %d offers to %d hosts, %d without one; ready in %v\n",
		len(p.Organizations), len(p.Participants), s.Eligible, res.Round.ID, s.Matches, s.Hosts, s.Unmatched, time.Since(start).Round(time.Millisecond))
	return res.Round.ID, links, nil
}

// limit lets at most n requests into h at once (all of them when n is 0);
// the others wait, and their wait counts in the latency the hosts measure.
// It stands in for a bound on database connections, which khidi serve
// lacks: every request holds at most one connection at a time, so n
// requests in h use at most n connections.
func limit(h http.Handler, n int) http.Handler {
	if n == 0 {
		return h
	}
	slots := make(chan struct{}, n)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case slots <- struct{}{}:
		case <-r.Context().Done():
			return // the client gave up waiting
		}
		defer func() { <-slots }()
		h.ServeHTTP(w, r)
	})
}

// profiled runs f, under the CPU profiler when path is not empty.
func profiled(path string, f func()) error {
	if path == "" {
		f()
		return nil
	}
	out, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(out); err != nil {
		out.Close()
		return fmt.Errorf("cpu profile: %w", err)
	}
	f()
	pprof.StopCPUProfile()
	if err := out.Close(); err != nil {
		return fmt.Errorf("cpu profile: %w", err)
	}
	return nil
}

// report prints the run's figures and checks as markdown.
func report(w io.Writer, cfg *config, engine string, res *results, checks []checkResult) {
	fmt.Fprintf(w, "    %s\n\n", strings.Join(append([]string{"go run ./benchmarks/hostload"}, cfg.args...), " "))
	inflight := "no limit on requests in flight"
	if cfg.maxInflight > 0 {
		inflight = fmt.Sprintf("at most %d requests in flight", cfg.maxInflight)
	}
	if cfg.think > 0 {
		inflight += fmt.Sprintf("; each host reads %v on average between answers", cfg.think)
	}
	fmt.Fprintf(w, "%d of %d hosts answering for %v (answers in flight at the end included) on %s; %d participants, %d places per host; %.0f%% declines; %s; %s, %d CPUs\n\n",
		cfg.concurrency, cfg.hosts, res.elapsed.Round(time.Millisecond), engine, cfg.participants, cfg.capacity, 100*cfg.decline, inflight, runtime.Version(), runtime.NumCPU())
	fmt.Fprintln(w, "| request | count | per s | p50 ms | p90 ms | p99 ms | max ms | answers |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
	for _, row := range res.rows() {
		fmt.Fprintf(w, "| %s | %d | %.1f | %s | %s | %s | %s | %s |\n", row.name, row.count, row.rate,
			ms(row.p50), ms(row.p90), ms(row.p99), ms(row.max), row.statuses)
	}
	fmt.Fprintf(w, "\nHosts with no open offer left at the end: %d of %d.\n", res.exhausted, cfg.concurrency)
	for _, e := range res.transportErrors {
		fmt.Fprintf(w, "Transport error: %s\n", e)
	}
	fmt.Fprintln(w)
	for _, c := range checks {
		mark := "ok"
		if !c.ok {
			mark = "FAILED"
		}
		fmt.Fprintf(w, "- %s: %s: %s\n", mark, c.name, c.detail)
	}
}

// ms formats d in milliseconds.
func ms(d time.Duration) string {
	return fmt.Sprintf("%.1f", float64(d)/float64(time.Millisecond))
}
