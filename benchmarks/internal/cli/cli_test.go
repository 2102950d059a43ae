package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	parse := func(args []string, stderr io.Writer) (string, error) {
		fs := flag.NewFlagSet("bench", flag.ContinueOnError)
		fs.SetOutput(stderr)
		what := fs.String("do", "ok", "what the body does")
		err := fs.Parse(args)
		return *what, err
	}
	body := func(_ context.Context, what string, stdout, _ io.Writer) error {
		if what == "fail" {
			return errors.New("it broke")
		}
		_, err := io.WriteString(stdout, "done")
		return err
	}
	tests := []struct {
		args       []string
		wantCode   int
		wantOut    string
		wantStderr string
	}{
		{nil, 0, "done", ""},
		{[]string{"-help"}, 0, "", "-do"},
		{[]string{"-colour"}, 2, "", "bench: flag provided but not defined: -colour"},
		{[]string{"-do", "fail"}, 1, "", "bench: FAILED: it broke"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := Run(t.Context(), "bench", tt.args, &stdout, &stderr, parse, body)
		if code != tt.wantCode || stdout.String() != tt.wantOut || !strings.Contains(stderr.String(), tt.wantStderr) {
			t.Errorf("Run(%q) = %d, stdout %q, stderr %q; want %d, %q, %q", tt.args, code, stdout.String(), stderr.String(), tt.wantCode, tt.wantOut, tt.wantStderr)
		}
	}
}
