package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/url"
	"time"

	"github.com/khidi/khidi/internal/server"
	"github.com/khidi/khidi/internal/service"
	"github.com/khidi/khidi/store"
)

const serveHelp = `usage: khidi serve [--addr ADDR] [--db DSN] [--base-url URL] [flags]

Runs the khidi service until it is interrupted (SIGINT or SIGTERM), then
stops taking connections and lets the requests in flight finish. It logs
one line per request on stderr, naming the route, never the path, which
may hold a secret link.

  /api/…                  the manager API (Authorization: Bearer ADMIN-TOKEN;
                          khidi token create --admin makes one), described
                          at GET /openapi.json
  /host/{token}           a host's page: its offers, to accept or decline
  /calendars/{token}.ics  a person's or organisation's calendar feed
  GET /healthz            200 "ok" while the process runs (liveness)
  GET /readyz             200 "ok" when the database answers, else 503 (readiness)
  GET /metrics            Prometheus metrics

It also runs the scheduled jobs (see khidi jobs -h) unless --no-jobs is
given: on several replicas against one PostgreSQL each run happens once.

Every flag can be set from the environment variable beside it; a flag on
the command line wins.

  --addr ADDR              KHIDI_ADDR              where to listen (default :8080;
                                                   127.0.0.1:0 picks a free port)
  --db DSN                 KHIDI_DB                the database (default sqlite:khidi.db)
  --base-url URL           KHIDI_BASE_URL          the public address, https://… in
                                                   production: links point to it,
                                                   and https turns on HSTS
  --max-body BYTES         KHIDI_MAX_BODY          largest request body (default 10 MiB)
  --read-timeout D         KHIDI_READ_TIMEOUT      to read a whole request (default 1m)
  --write-timeout D        KHIDI_WRITE_TIMEOUT     to answer a request (default 2m)
  --idle-timeout D         KHIDI_IDLE_TIMEOUT      to keep an idle connection (default 2m)
  --shutdown-timeout D     KHIDI_SHUTDOWN_TIMEOUT  to let requests finish on stop (default 10s)
  --log-format FORMAT      KHIDI_LOG_FORMAT        text or json (default text)
  --smtp-url URL           KHIDI_SMTP_URL          where the jobs send mail, smtp://USER:PASS@HOST:587?from=ADDR
                                                   (without it mail stays queued)
  --schedule NAME=SPEC     KHIDI_SCHEDULES         a job's schedule instead of its default
  --no-jobs                                        run no scheduled jobs in this process

Durations D are written as 30s, 2m or 1h30m.

Exit status: 0 stopped cleanly, 1 the database, the address or the
shutdown failed, 2 bad flags or environment variables.
`

func cmdServe(ctx context.Context, e env, args []string) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprint(e.stderr, serveHelp) }
	dsn := dbFlag(fs, e)
	addr := fs.String("addr", ":8080", "where to listen, `HOST:PORT`")
	baseURL := fs.String("base-url", "", "the public address of the service")
	maxBody := fs.Int64("max-body", server.DefaultMaxBodyBytes, "largest request body in `BYTES`")
	readTimeout := fs.Duration("read-timeout", server.DefaultReadTimeout, "time to read a whole request")
	writeTimeout := fs.Duration("write-timeout", server.DefaultWriteTimeout, "time to answer a request")
	idleTimeout := fs.Duration("idle-timeout", server.DefaultIdleTimeout, "time to keep an idle connection")
	shutdownTimeout := fs.Duration("shutdown-timeout", server.DefaultShutdownTimeout, "time to let requests finish on stop")
	logFormat := fs.String("log-format", "text", "text or json")
	noJobs := fs.Bool("no-jobs", false, "do not run the scheduled jobs in this process")
	jf := addJobFlags(fs, baseURL)
	if code, ok := parseFlags(fs, args, e); !ok {
		return code
	}
	fail := func(code int, format string, a ...any) int {
		fmt.Fprintf(e.stderr, "khidi serve: "+format+"\n", a...)
		return code
	}
	// KHIDI_DB is read by dbFlag, as every command does.
	vars := map[string]string{
		"addr":             "KHIDI_ADDR",
		"max-body":         "KHIDI_MAX_BODY",
		"read-timeout":     "KHIDI_READ_TIMEOUT",
		"write-timeout":    "KHIDI_WRITE_TIMEOUT",
		"idle-timeout":     "KHIDI_IDLE_TIMEOUT",
		"shutdown-timeout": "KHIDI_SHUTDOWN_TIMEOUT",
		"log-format":       "KHIDI_LOG_FORMAT",
	}
	maps.Copy(vars, jobEnvVars) // base-url among them
	fromEnv, err := flagsFromEnv(fs, e, vars)
	if err != nil {
		return fail(exitUsage, "%v", err)
	}
	jf.fromEnv = fromEnv
	// source names where a flag's value came from, for messages.
	source := func(name string) string {
		if key, ok := fromEnv[name]; ok {
			return key
		}
		return "--" + name
	}
	if fs.NArg() > 0 {
		return fail(exitUsage, "unexpected arguments %q", fs.Args())
	}
	if _, _, err := net.SplitHostPort(*addr); err != nil {
		return fail(exitUsage, "%s %q: want HOST:PORT or :PORT, such as :8080 or 127.0.0.1:0", source("addr"), *addr)
	}
	var base *url.URL
	if *baseURL != "" {
		if base, err = server.ParseBaseURL(*baseURL); err != nil {
			return fail(exitUsage, "%s %q: %v", source("base-url"), *baseURL, err)
		}
	}
	if *maxBody <= 0 {
		return fail(exitUsage, "%s %d: want a positive number of bytes", source("max-body"), *maxBody)
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{
		{"read-timeout", *readTimeout}, {"write-timeout", *writeTimeout},
		{"idle-timeout", *idleTimeout}, {"shutdown-timeout", *shutdownTimeout},
	} {
		if d.v <= 0 {
			return fail(exitUsage, "%s %v: want a positive duration such as 30s or 2m", source(d.name), d.v)
		}
	}
	logger, err := newLogger(e.stderr, *logFormat)
	if err != nil {
		return fail(exitUsage, "%s %q: %v", source("log-format"), *logFormat, err)
	}

	db, err := store.Open(ctx, *dsn)
	if err != nil {
		return fail(exitFailure, "%v", err)
	}
	defer db.Close()
	svc, err := service.New(service.Config{Store: db, Server: server.Config{
		Logger:          logger,
		BaseURL:         base,
		MaxBodyBytes:    *maxBody,
		ReadTimeout:     *readTimeout,
		WriteTimeout:    *writeTimeout,
		IdleTimeout:     *idleTimeout,
		ShutdownTimeout: *shutdownTimeout,
	}})
	if err != nil {
		return fail(exitFailure, "%v", err)
	}
	if !*noJobs {
		r, err := jf.runner(e, db, svc.Offers, logger, svc.Registry())
		if err != nil {
			return fail(exitUsage, "%v", err)
		}
		r.Start(ctx)
		defer r.Stop() // runs in flight finish before the database closes
	}
	// Listening before serving lets a port of 0 pick a free port, which
	// Serve then logs.
	ln, err := new(net.ListenConfig).Listen(ctx, "tcp", *addr)
	if err != nil {
		return fail(exitFailure, "%v", err)
	}
	if err := svc.Serve(ctx, ln); err != nil {
		return fail(exitFailure, "%v", err)
	}
	return exitOK
}

// flagsFromEnv sets each flag of fs named in vars from its environment
// variable, when that is set and the flag was not given on the command
// line, so that flags win over the environment. It returns the variable
// each flag so set came from.
func flagsFromEnv(fs *flag.FlagSet, e env, vars map[string]string) (map[string]string, error) {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	fromEnv := map[string]string{}
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		key, ok := vars[f.Name]
		if !ok || given[f.Name] || err != nil {
			return
		}
		v := e.getenv(key)
		if v == "" {
			return
		}
		if fs.Set(f.Name, v) != nil {
			// Only the numeric flags can refuse a value, and flag's
			// own error says no more than "parse error".
			want := "a whole number"
			if _, isDuration := f.Value.(flag.Getter).Get().(time.Duration); isDuration {
				want = "a duration such as 30s, 2m or 1h30m"
			}
			err = fmt.Errorf("%s=%q: want %s", key, v, want)
			return
		}
		fromEnv[f.Name] = key
	})
	return fromEnv, err
}

// newLogger returns the service's logger on w: logfmt-like text for
// people, or JSON lines for a log collector.
func newLogger(w io.Writer, format string) (*slog.Logger, error) {
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	}
	return nil, errors.New("want text or json")
}
