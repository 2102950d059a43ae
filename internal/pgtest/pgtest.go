// Package pgtest gives each test a fresh PostgreSQL database.
//
// A test binary that uses it calls [Main] from TestMain:
//
//	func TestMain(m *testing.M) {
//		os.Exit(pgtest.Main(m, migrate))
//	}
//
// and each test asks for its own database with [NewDatabase], which returns a
// DSN for lib/pq.
//
// When KHIDI_TEST_POSTGRES holds a DSN, the databases are made on that
// server, with names unique to the process, so that several test binaries may
// share it. Otherwise the first call to [NewDatabase] starts a throw-away
// cluster from the machine's PostgreSQL binaries (initdb and postgres, found
// on PATH or under /usr/lib/postgresql/*/bin, highest version first) in a new
// temporary folder, listening only on a Unix socket there, with durability
// turned off for speed. When the process runs as root (initdb refuses to), the
// cluster runs as the unprivileged "postgres" account of Debian's package.
// [Main] stops the cluster and removes its folder once the tests are done; if
// the test binary is killed instead, the postmaster is told to quit too.
//
// The hook given to [Main] prepares a template database once per binary (for
// example by applying the migrations); every test database is a copy of it
// made with CREATE DATABASE … TEMPLATE, which is much cheaper than migrating
// each one, and is dropped when its test ends.
//
// Without PostgreSQL binaries the tests that need a database are skipped with
// a message saying what to install, except when CI is set, when they fail.
//
// A program that is not a test, such as a load benchmark, gets the same
// throw-away cluster from [StartCluster].
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/lib/pq"
)

// EnvDSN names the environment variable that points the helper at an existing
// server instead of a throw-away cluster. Its value is a lib/pq DSN, URL
// (postgres://…) or key=value form, for a role allowed to create databases.
const EnvDSN = "KHIDI_TEST_POSTGRES"

// PrepareFunc prepares the template database that every test database copies,
// typically by applying the schema migrations to it. dsn connects to the
// template; the hook must close its connections before it returns (any left
// open are terminated), since PostgreSQL copies only a database nobody is
// connected to.
type PrepareFunc func(ctx context.Context, dsn string) error

// Timeouts for the work the helper does on behalf of a test.
const (
	startTimeout   = 60 * time.Second // initdb and postmaster start-up
	prepareTimeout = 5 * time.Minute  // the caller's PrepareFunc
	stmtTimeout    = 60 * time.Second // one CREATE or DROP DATABASE
	stopTimeout    = 10 * time.Second // postmaster shutdown before SIGKILL
)

// errNoPostgres marks a start that failed for want of PostgreSQL binaries,
// which skips the test rather than failing it (outside CI).
var errNoPostgres = errors.New("no PostgreSQL binaries")

// state is the per-process server the test databases live on.
var state struct {
	mu       sync.Mutex
	mainRan  bool        // Main has been called
	prepare  PrepareFunc // given to Main
	once     sync.Once   // guards the start
	srv      *server     // set by the start, nil if it failed
	startErr error       // why the start failed
	dbSeq    atomic.Int64
}

// server is a PostgreSQL server with a prepared template database.
type server struct {
	admin    *sql.DB             // maintenance connection for CREATE/DROP DATABASE
	dsnFor   func(string) string // DSN of the named database on this server
	prefix   string              // prefix of every database name this process makes
	template string              // name of the template database
	cluster  *cluster            // the throw-away cluster, nil with EnvDSN
}

// Main runs the tests of m with prepare as the template hook (nil for an empty
// template), then drops what the helper made: it stops the throw-away cluster
// and removes its folder, or, on a server given by KHIDI_TEST_POSTGRES, drops
// the template database. It returns m.Run's exit code, for os.Exit in
// TestMain. No server is started unless a test calls [NewDatabase].
func Main(m *testing.M, prepare PrepareFunc) int {
	state.mu.Lock()
	state.mainRan = true
	state.prepare = prepare
	state.mu.Unlock()

	code := m.Run()
	if err := shutdown(); err != nil {
		fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// NewDatabase creates a fresh database for t, a copy of the prepared template,
// and returns a lib/pq DSN for it. The database is dropped when t ends, with
// any connections still open to it. The first call in a test binary starts
// the server (see the package doc), which takes a few seconds. Without
// PostgreSQL binaries it skips t, or fails it when CI is set.
func NewDatabase(t testing.TB) string {
	t.Helper()
	state.mu.Lock()
	mainRan := state.mainRan
	state.mu.Unlock()
	if !mainRan {
		t.Fatal("pgtest: call pgtest.Main from TestMain, so the PostgreSQL server is stopped when the tests end")
	}
	state.once.Do(func() { state.srv, state.startErr = start() })
	if err := state.startErr; err != nil {
		if errors.Is(err, errNoPostgres) && os.Getenv("CI") == "" {
			t.Skipf("pgtest: %v", err)
		}
		t.Fatalf("pgtest: %v", err)
	}
	srv := state.srv

	name := fmt.Sprintf("%s_t%d", srv.prefix, state.dbSeq.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), stmtTimeout)
	defer cancel()
	q := fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", pq.QuoteIdentifier(name), pq.QuoteIdentifier(srv.template))
	if _, err := srv.admin.ExecContext(ctx, q); err != nil {
		t.Fatalf("pgtest: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), stmtTimeout)
		defer cancel()
		if err := dropDatabase(ctx, srv.admin, name); err != nil {
			t.Errorf("pgtest: %v", err)
		}
	})
	return srv.dsnFor(name)
}

// start connects to the server named by EnvDSN or starts a throw-away
// cluster, then makes the template database.
func start() (srv *server, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()

	srv = &server{}
	var adminDSN string
	if dsn := os.Getenv(EnvDSN); dsn != "" {
		// Names unique to the process: other test binaries, perhaps on
		// other machines, may share the server.
		var b [4]byte
		if _, err := rand.Read(b[:]); err != nil {
			return nil, fmt.Errorf("random database prefix: %w", err)
		}
		srv.prefix = fmt.Sprintf("khidi_%d_%s", os.Getpid(), hex.EncodeToString(b[:]))
		adminDSN = dsn
		srv.dsnFor = func(name string) string { return withDatabase(dsn, name) }
	} else {
		c, err := startCluster(ctx)
		if err != nil {
			return nil, err
		}
		srv.cluster = c
		srv.prefix = "khidi"
		adminDSN = c.dsn("postgres")
		srv.dsnFor = c.dsn
	}
	defer func() {
		if err != nil {
			srv.close()
		}
	}()

	srv.admin, err = sql.Open("postgres", adminDSN)
	if err != nil {
		return nil, fmt.Errorf("open maintenance connection: %w", err)
	}
	if err := srv.admin.PingContext(ctx); err != nil {
		return nil, fmt.Errorf("connect to %s: %w", serverName(srv), err)
	}

	srv.template = srv.prefix + "_template"
	if _, err := srv.admin.ExecContext(ctx, "CREATE DATABASE "+pq.QuoteIdentifier(srv.template)); err != nil {
		return nil, fmt.Errorf("create template database on %s: %w", serverName(srv), err)
	}
	state.mu.Lock()
	prepare := state.prepare
	state.mu.Unlock()
	if prepare != nil {
		pctx, pcancel := context.WithTimeout(context.Background(), prepareTimeout)
		defer pcancel()
		if err := prepare(pctx, srv.dsnFor(srv.template)); err != nil {
			return nil, fmt.Errorf("prepare template database %s: %w", srv.template, err)
		}
	}
	// CREATE DATABASE … TEMPLATE fails while anyone is connected to the
	// template, so end whatever the hook left open.
	if _, err := srv.admin.ExecContext(ctx,
		"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", srv.template); err != nil {
		return nil, fmt.Errorf("close connections to template database %s: %w", srv.template, err)
	}
	return srv, nil
}

// StartCluster starts a throw-away cluster, as the first [NewDatabase] of
// a test binary does (the same binaries, a Unix socket in a new temporary
// folder, durability off, the postgres account when run as root), makes an
// empty database with the given name in it, and returns that database's
// lib/pq DSN and a function that stops the cluster and removes its folder.
// It is for programs that are not tests, which have no [testing.M] to hand
// to [Main]; they must call stop, and the postmaster quits on its own if
// the program dies first (on Linux). Without PostgreSQL binaries the error
// says what to install.
func StartCluster(ctx context.Context, name string) (dsn string, stop func() error, err error) {
	c, err := startCluster(ctx)
	if err != nil {
		return "", nil, err
	}
	admin, err := sql.Open("postgres", c.dsn("postgres"))
	if err == nil {
		_, err = admin.ExecContext(ctx, "CREATE DATABASE "+pq.QuoteIdentifier(name))
		admin.Close()
	}
	if err != nil {
		return "", nil, errors.Join(fmt.Errorf("create database %s in %s: %w", name, c.dir, err), c.stop())
	}
	return c.dsn(name), c.stop, nil
}

// serverName describes srv's server for error messages.
func serverName(srv *server) string {
	if srv.cluster != nil {
		return "the test cluster in " + srv.cluster.dir
	}
	return "the server named by " + EnvDSN
}

// shutdown undoes start, if it ran and succeeded.
func shutdown() error {
	srv := state.srv
	if srv == nil {
		return nil
	}
	state.srv = nil
	if srv.cluster == nil && srv.admin != nil {
		ctx, cancel := context.WithTimeout(context.Background(), stmtTimeout)
		defer cancel()
		if err := dropDatabase(ctx, srv.admin, srv.template); err != nil {
			srv.close()
			return err
		}
	}
	return srv.close()
}

// close closes the maintenance connection and stops the cluster, if any.
func (srv *server) close() error {
	var errs []error
	if srv.admin != nil {
		if err := srv.admin.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close maintenance connection: %w", err))
		}
	}
	if srv.cluster != nil {
		if err := srv.cluster.stop(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// dropDatabase drops the named database, closing connections still open to it.
func dropDatabase(ctx context.Context, admin *sql.DB, name string) error {
	if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+pq.QuoteIdentifier(name)+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop database %s: %w", name, err)
	}
	return nil
}

// withDatabase returns dsn, in either of lib/pq's forms, with its database
// replaced by name.
func withDatabase(dsn, name string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		if u, err := url.Parse(dsn); err == nil {
			u.Path = "/" + name
			u.RawPath = ""
			return u.String()
		}
	}
	// In the key=value form the last setting of a key wins.
	return dsn + " dbname=" + quoteValue(name)
}

// quoteValue quotes v for a key=value DSN.
func quoteValue(v string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(v) + "'"
}

// cluster is a throw-away PostgreSQL cluster run by this process.
type cluster struct {
	dir     string    // temporary folder: data/, the socket and postgres.log
	proc    *exec.Cmd // the postmaster
	exited  chan struct{}
	waitErr error // the postmaster's exit, once exited is closed
}

// clusterUser is the role the test process connects as: the cluster's
// superuser, trusted on the socket.
const clusterUser = "khidi"

// dsn returns the DSN of the named database in c.
func (c *cluster) dsn(name string) string {
	return fmt.Sprintf("host=%s port=5432 user=%s dbname=%s sslmode=disable",
		quoteValue(c.dir), clusterUser, quoteValue(name))
}

// startCluster makes a cluster in a new temporary folder and starts it.
func startCluster(ctx context.Context) (c *cluster, err error) {
	bin, err := findBinaries()
	if err != nil {
		return nil, err
	}
	cred, err := credential()
	if err != nil {
		return nil, err
	}

	removeStale()
	dir, err := os.MkdirTemp("", folderPattern)
	if err != nil {
		return nil, fmt.Errorf("make cluster folder: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("record cluster owner: %w", err)
	}
	// The socket path must stay under the kernel's limit of about 107 bytes.
	if len(dir) > 80 {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("cluster folder %s: path too long for a Unix socket; set TMPDIR to a shorter folder", dir)
	}
	c = &cluster{dir: dir, exited: make(chan struct{})}
	defer func() {
		if err != nil {
			c.stop()
		}
	}()
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			return nil, fmt.Errorf("give cluster folder to the postgres account: %w", err)
		}
	}

	data := filepath.Join(dir, "data")
	initdb := exec.CommandContext(ctx, filepath.Join(bin, "initdb"),
		"--pgdata="+data, "--username="+clusterUser, "--auth=trust",
		"--encoding=UTF8", "--locale=C", "--no-sync")
	initdb.Dir = dir
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := initdb.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("initdb in %s: %w\n%s", dir, err, out)
	}

	logPath := filepath.Join(dir, "postgres.log")
	log, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("create cluster log: %w", err)
	}
	defer log.Close() // the postmaster holds its own descriptor
	c.proc = exec.Command(filepath.Join(bin, "postgres"),
		"-D", data,
		"-k", dir,
		"-c", "listen_addresses=",
		"-c", "port=5432",
		"-c", "fsync=off",
		"-c", "synchronous_commit=off",
		"-c", "full_page_writes=off",
		"-c", "max_connections=100",
		"-c", "log_min_messages=warning",
	)
	c.proc.Dir = dir
	c.proc.Stdout = log
	c.proc.Stderr = log
	c.proc.SysProcAttr = postmasterAttr(cred)
	if err := c.proc.Start(); err != nil {
		c.proc = nil
		return nil, fmt.Errorf("start postgres: %w", err)
	}
	go func() {
		c.waitErr = c.proc.Wait()
		close(c.exited)
	}()

	if err := c.waitReady(ctx); err != nil {
		return nil, fmt.Errorf("start postgres in %s: %w\n%s", dir, err, tail(logPath))
	}
	return c, nil
}

// waitReady waits until the postmaster accepts connections.
func (c *cluster) waitReady(ctx context.Context) error {
	db, err := sql.Open("postgres", c.dsn("postgres"))
	if err != nil {
		return fmt.Errorf("open connection: %w", err)
	}
	defer db.Close()
	for {
		pctx, cancel := context.WithTimeout(ctx, time.Second)
		err := db.PingContext(pctx)
		cancel()
		if err == nil {
			return nil
		}
		select {
		case <-c.exited:
			return fmt.Errorf("postgres exited: %v", c.waitErr)
		case <-ctx.Done():
			return fmt.Errorf("not accepting connections: %w (last error: %v)", ctx.Err(), err)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// stop shuts the postmaster down at once and removes the cluster folder.
func (c *cluster) stop() error {
	var errs []error
	if c.proc != nil {
		if err := c.proc.Process.Signal(syscall.SIGQUIT); err != nil && !errors.Is(err, os.ErrProcessDone) {
			errs = append(errs, fmt.Errorf("stop postgres: %w", err))
		}
		select {
		case <-c.exited:
		case <-time.After(stopTimeout):
			// Kill the whole group: the postmaster and its backends.
			syscall.Kill(-c.proc.Process.Pid, syscall.SIGKILL)
			<-c.exited
		}
	}
	if err := os.RemoveAll(c.dir); err != nil {
		errs = append(errs, fmt.Errorf("remove cluster folder: %w", err))
	}
	return errors.Join(errs...)
}

// folderPattern names the temporary folders of clusters, and ownerFile the
// file in each that holds the process id of the test binary that made it.
const (
	folderPattern = "khidi-pgtest-"
	ownerFile     = "owner.pid"
)

// removeStale removes the folders of clusters whose test binary was killed
// (their postmaster quit when it died). Folders without a readable owner are
// left alone: another binary may be making one right now.
func removeStale() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), folderPattern+"*"))
	for _, dir := range dirs {
		b, err := os.ReadFile(filepath.Join(dir, ownerFile))
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || pid <= 1 {
			continue
		}
		if alive(pid) {
			continue
		}
		// A postmaster writes its process id on the first line of this file
		// and removes the file when it shuts down.
		if b, err := os.ReadFile(filepath.Join(dir, "data", "postmaster.pid")); err == nil {
			first, _, _ := strings.Cut(string(b), "\n")
			if pid, err := strconv.Atoi(strings.TrimSpace(first)); err == nil && alive(pid) {
				continue
			}
		}
		os.RemoveAll(dir)
	}
}

// alive reports whether a process with this id runs: it exists and, where
// /proc tells, is not a zombie waiting for its parent.
func alive(pid int) bool {
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	// pid (comm) state …; comm may itself hold parentheses.
	_, rest, ok := strings.Cut(string(b[strings.LastIndexByte(string(b), ')')+1:]), " ")
	return !ok || !strings.HasPrefix(rest, "Z")
}

// tail returns the end of the file at path, for error messages.
func tail(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	const limit = 4000
	if len(b) > limit {
		b = b[len(b)-limit:]
	}
	return string(b)
}

// credential returns whom to run the cluster as: nil (this process's user)
// unless the process runs as root, which initdb and postgres refuse.
func credential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("running as root, and PostgreSQL will not: need the unprivileged \"postgres\" account (Debian's postgresql package creates it) to run the test cluster as: %w", err)
	}
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("uid of the postgres account: %w", err)
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("gid of the postgres account: %w", err)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// installRoot is where Debian's packages install each PostgreSQL version.
var installRoot = "/usr/lib/postgresql"

// findBinaries returns the folder holding initdb and postgres: initdb's on
// PATH, or else the highest version under /usr/lib/postgresql.
func findBinaries() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real // Debian's links on PATH lead to the install folder
		}
		dir := filepath.Dir(p)
		if _, err := os.Stat(filepath.Join(dir, "postgres")); err == nil {
			return dir, nil
		}
	}
	matches, _ := filepath.Glob(filepath.Join(installRoot, "*", "bin", "initdb"))
	version := func(p string) float64 {
		// <installRoot>/<version>/bin/initdb
		v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(filepath.Dir(p))), 64)
		return v
	}
	slices.SortFunc(matches, func(a, b string) int {
		switch va, vb := version(a), version(b); {
		case va > vb:
			return -1
		case va < vb:
			return 1
		}
		return 0
	})
	for _, p := range matches {
		dir := filepath.Dir(p)
		if _, err := os.Stat(filepath.Join(dir, "postgres")); err == nil {
			return dir, nil
		}
	}
	return "", fmt.Errorf("%w: found no initdb and postgres on PATH or under /usr/lib/postgresql/*/bin; "+
		"install PostgreSQL (Debian: apt-get install postgresql) or set %s to a server's DSN", errNoPostgres, EnvDSN)
}
