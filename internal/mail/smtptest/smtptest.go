// Package smtptest runs a real SMTP server for tests: Debian's aiosmtpd on
// loopback, storing what it receives in a maildir the test reads back with
// net/mail, a parser khidi's mail code does not share. Where aiosmtpd is
// missing the test is skipped with an install hint, or fails when the CI
// variable is set (.ci/run installs python3-aiosmtpd).
package smtptest

import (
	"bytes"
	"fmt"
	"net"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"
)

// python is Debian's interpreter, which sees Debian's python3-aiosmtpd.
const python = "/usr/bin/python3"

// Server is a running aiosmtpd.
type Server struct {
	t    testing.TB
	Port int
	dir  string // the maildir
	cmd  *exec.Cmd
}

// Start starts a server on a free loopback port; it stops when the test
// ends.
func Start(t testing.TB) *Server {
	t.Helper()
	if err := exec.Command(python, "-c", "import aiosmtpd").Run(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("aiosmtpd not available (CI is set, so this fails): apt-get install python3-aiosmtpd")
		}
		t.Skip("aiosmtpd not available: apt-get install python3-aiosmtpd")
	}
	root := t.TempDir()
	// aiosmtpd's Mailbox makes only the last folder of the path.
	s := &Server{t: t, Port: freePort(t), dir: filepath.Join(root, "maildir")}
	s.Restart()
	t.Cleanup(s.Stop)
	return s
}

// Addr is the server's host:port.
func (s *Server) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.Port)) }

// URL is an smtp:// URL for the server, without TLS, sending from from.
func (s *Server) URL(from string) string {
	return fmt.Sprintf("smtp://%s?starttls=none&from=%s&timeout=5s", s.Addr(), from)
}

// Stop stops the server; messages already received stay readable.
func (s *Server) Stop() {
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Kill()
	s.cmd.Wait()
	s.cmd = nil
}

// Restart starts the server again on its port after Stop, keeping its
// maildir, and waits until it accepts connections.
func (s *Server) Restart() {
	s.t.Helper()
	cmd := exec.Command(python, "-m", "aiosmtpd", "-n", "-l", s.Addr(), "-c", "aiosmtpd.handlers.Mailbox", s.dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("start aiosmtpd: %v", err)
	}
	s.cmd = cmd
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		c, err := net.Dial("tcp", s.Addr())
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			s.Stop()
			s.t.Fatalf("aiosmtpd did not listen on %s: %s", s.Addr(), stderr.String())
		}
	}
}

// Messages parses every message received so far, oldest file name first.
func (s *Server) Messages() []*mail.Message {
	s.t.Helper()
	var files []string
	for _, sub := range []string{"new", "cur"} {
		es, err := os.ReadDir(filepath.Join(s.dir, sub))
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			s.t.Fatal(err)
		}
		for _, e := range es {
			files = append(files, filepath.Join(s.dir, sub, e.Name()))
		}
	}
	slices.Sort(files)
	var out []*mail.Message
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			s.t.Fatal(err)
		}
		m, err := mail.ReadMessage(bytes.NewReader(b))
		if err != nil {
			s.t.Fatalf("%s: %v", f, err)
		}
		out = append(out, m)
	}
	return out
}

// freePort returns a loopback port nothing listens on now.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
