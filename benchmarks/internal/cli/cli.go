// Package cli is the command-line frame the benchmark programs share:
// flags parsed into a configuration, a run cancelled by SIGINT or SIGTERM,
// and the exit status 0 done, 1 failed, 2 bad flags.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Main runs the program named name on the process's arguments, standard
// streams and signals, and exits with Run's status.
func Main[C any](name string, parse func(args []string, stderr io.Writer) (C, error),
	body func(ctx context.Context, cfg C, stdout, stderr io.Writer) error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Run(ctx, name, os.Args[1:], os.Stdout, os.Stderr, parse, body)
	stop()
	os.Exit(code)
}

// Run parses args with parse and runs body with the configuration, and
// returns the exit status: 0 done (or -help asked), 1 body failed, 2 bad
// flags. Messages go to stderr, prefixed with name.
func Run[C any](ctx context.Context, name string, args []string, stdout, stderr io.Writer,
	parse func(args []string, stderr io.Writer) (C, error),
	body func(ctx context.Context, cfg C, stdout, stderr io.Writer) error) int {
	cfg, err := parse(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return 2
	}
	if err := body(ctx, cfg, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "%s: FAILED: %v\n", name, err)
		return 1
	}
	return 0
}
