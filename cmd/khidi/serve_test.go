package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/khidi/khidi/internal/logtest"
)

// serveEnv is an env whose variables are vars and whose stderr is stderr.
func serveEnv(vars map[string]string, stdout io.Writer, stderr *logtest.Buffer) env {
	return env{stdin: strings.NewReader(""), stdout: stdout, stderr: stderr, getenv: func(key string) string { return vars[key] }}
}

// listeningRE finds the address in the server's "listening" log line.
var listeningRE = regexp.MustCompile(`msg=listening addr=(\S+)`)

// waitListening returns the address serve logged it listens on, failing
// the test if serve exits first.
func waitListening(t *testing.T, stderr *logtest.Buffer, exited <-chan int) string {
	t.Helper()
	for {
		if m := listeningRE.FindStringSubmatch(stderr.String()); m != nil {
			return m[1]
		}
		select {
		case code := <-exited:
			t.Fatalf("khidi serve exited %d before listening; stderr:\n%s", code, stderr)
		case <-time.After(5 * time.Millisecond):
		}
	}
}

func TestServe(t *testing.T) {
	for _, engine := range engines {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			dsn := engine.DSN(t)
			ctx, stop := context.WithCancel(t.Context())
			defer stop()
			var stdout bytes.Buffer // read only after serve has returned
			stderr := new(logtest.Buffer)
			e := serveEnv(map[string]string{
				"KHIDI_ADDR":     "not an address", // the flag wins
				"KHIDI_BASE_URL": "https://khidi.example.org",
			}, &stdout, stderr)
			exited := make(chan int, 1)
			go func() { exited <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", dsn}, e) }()
			addr := waitListening(t, stderr, exited)

			req, err := http.NewRequestWithContext(ctx, "GET", "http://"+addr+"/readyz", nil)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatalf("GET /readyz: %v", err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || string(body) != "ok\n" {
				t.Errorf("GET /readyz = %d %q, want 200 ok", resp.StatusCode, body)
			}
			// The base URL came from KHIDI_BASE_URL, and it is https.
			if resp.Header.Get("Strict-Transport-Security") == "" {
				t.Errorf("GET /readyz lacks Strict-Transport-Security with KHIDI_BASE_URL=https://…")
			}

			stop()
			if code := <-exited; code != exitOK {
				t.Fatalf("khidi serve exited %d after its context was cancelled, want 0; stderr:\n%s", code, stderr)
			}
			if stdout.Len() > 0 {
				t.Errorf("khidi serve printed %q on stdout, which is for results only", stdout.String())
			}
			for _, want := range []string{`route="GET /readyz" status=200`, "msg=stopped"} {
				if !strings.Contains(stderr.String(), want) {
					t.Errorf("stderr lacks %s:\n%s", want, stderr)
				}
			}
		})
	}
}

func TestServeUsage(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		vars    map[string]string
		wantErr []string // substrings of stderr
	}{
		{"base URL not http", []string{"--base-url", "ftp://khidi.example.org"}, nil,
			[]string{`--base-url "ftp://khidi.example.org"`, "http:// or https://"}},
		{"base URL relative, from the environment", nil, map[string]string{"KHIDI_BASE_URL": "khidi.example.org"},
			[]string{`KHIDI_BASE_URL "khidi.example.org"`, "absolute"}},
		{"duration from the environment", nil, map[string]string{"KHIDI_READ_TIMEOUT": "soon"},
			[]string{`KHIDI_READ_TIMEOUT="soon"`, "want a duration such as 30s"}},
		{"size from the environment", nil, map[string]string{"KHIDI_MAX_BODY": "10MB"},
			[]string{`KHIDI_MAX_BODY="10MB"`, "want a whole number"}},
		{"zero grace", []string{"--shutdown-timeout", "0s"}, nil,
			[]string{"--shutdown-timeout 0s", "positive duration"}},
		{"port only", []string{"--addr", "8080"}, nil,
			[]string{`--addr "8080"`, "HOST:PORT"}},
		{"log format", nil, map[string]string{"KHIDI_LOG_FORMAT": "xml"},
			[]string{`KHIDI_LOG_FORMAT "xml"`, "text or json"}},
		{"argument", []string{"extra"}, nil, []string{`unexpected arguments ["extra"]`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// Cancelled, so that a case wrongly accepted fails at once
			// instead of serving.
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			var stdout bytes.Buffer
			stderr := new(logtest.Buffer)
			// A later --addr in tt.args overrides this one.
			args := append([]string{"serve", "--db", "sqlite:" + filepath.Join(t.TempDir(), "k.db"), "--addr", "127.0.0.1:0"}, tt.args...)
			if code := run(ctx, args, serveEnv(tt.vars, &stdout, stderr)); code != exitUsage {
				t.Fatalf("khidi %v with %v exited %d, want %d; stderr:\n%s", args, tt.vars, code, exitUsage, stderr)
			}
			for _, want := range tt.wantErr {
				if !strings.Contains(stderr.String(), want) {
					t.Errorf("khidi %v with %v: stderr %q lacks %q", args, tt.vars, stderr, want)
				}
			}
		})
	}
}
