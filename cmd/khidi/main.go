// Command khidi matches and schedules civil-society exchange and internship
// programmes. Each subcommand lives in its own cmd_<name>.go file; this
// package only parses flags and wires the other packages together.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"

	_ "time/tzdata" // zones must load on a bare machine

	"github.com/khidi/khidi/store"
)

// Exit statuses, as every subcommand uses them.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2 // bad flags or malformed input
)

// env is what a subcommand may touch of the outside world, so tests run
// commands in process with their own streams.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(key string) string // os.Getenv, or a test's map
}

// command is one subcommand: it returns the exit status.
type command struct {
	summary string
	run     func(ctx context.Context, e env, args []string) int
}

var commands = map[string]command{
	"calendar": {"write a person's, an organisation's or the programme's events as an iCalendar file", cmdCalendar},
	"demo":     {"generate a realistic programme and run a round of every kind on it", cmdDemo},
	"match":    {"run a matching round and store its proposal", cmdMatch},
	"jobs":     {"list the scheduled jobs, or run one now (send-calendars, expire-offers, reminders, yearly-meeting, deliver-mail)", cmdJobs},
	"import":   {"check spreadsheets (CSV or JSON) of organisations, participants and communities and store them", cmdImport},
	"schedule": {"lay out the programme year's events from the stored rounds and store them", cmdSchedule},
	"serve":    {"run the HTTP service until interrupted", cmdServe},
	"solve":    {"solve an OR-Library assignment or DIMACS min-cost-flow file exactly", cmdSolve},
	"token":    {"create, list and revoke admin tokens (manager API) and calendar feed tokens", cmdToken},
	"version":  {"print the version of this build", cmdVersion},
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}))
}

// run dispatches args to a subcommand and returns the exit status.
func run(ctx context.Context, args []string, e env) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(e.stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "khidi: unknown command %q\n", args[0])
		usage(e.stderr)
		return exitUsage
	}
	return cmd.run(ctx, e, args[1:])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: khidi <command> [flags]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "  %-8s %s\n", name, commands[name].summary)
	}
	fmt.Fprintln(w, "\nRun 'khidi <command> -h' for a command's flags.")
}

// dbFlag adds the --db flag every command that opens the database takes:
// its default is $KHIDI_DB, or a SQLite file in the working directory.
func dbFlag(fs *flag.FlagSet, e env) *string {
	def := e.getenv("KHIDI_DB")
	if def == "" {
		def = store.DefaultDSN
	}
	return fs.String("db", def, "the database: postgres://…, or sqlite:`PATH` (default $KHIDI_DB, else "+store.DefaultDSN+")")
}

// parseFlags parses a subcommand's flags, reporting usage errors on stderr.
// It returns false with the exit status when the command should stop.
func parseFlags(fs *flag.FlagSet, args []string, e env) (int, bool) {
	fs.SetOutput(e.stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK, false
		}
		return exitUsage, false
	}
	return exitOK, true
}
