package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/khidi/khidi/internal/access"
	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/internal/server"
	"github.com/khidi/khidi/store"
)

const tokenHelp = `usage: khidi token create (--admin | --metrics | --programme | --feed ID) [--expires D] [--note TEXT] [--base-url URL] [--json] [--db DSN]
       khidi token list [--kind KIND] [--subject ID] [--json] [--db DSN]
       khidi token revoke [--db DSN] ID

Makes, lists and revokes the secret tokens of khidi serve. An admin token
opens the manager API (Authorization: Bearer TOKEN); a metrics token reads
GET /metrics and nothing else, for Prometheus (authorization: credentials);
a feed token reads one participant's or organisation's calendar at
BASE_URL/calendars/TOKEN.ics, and a programme token the whole programme's
there, for a manager's calendar program. A token is printed once, when it is made: only
the hash of its secret is stored. Making one is recorded in the audit log.
Host links are made when a round is published.

create prints the token alone on stdout (and a feed's URL on a second line
when the base URL is known), so that TOKEN=$(khidi token create --admin)
keeps it:
  --admin          an admin token
  --metrics        a metrics token
  --programme      a programme token: the programme's calendar feed
  --feed ID        a feed token for the participant or organisation ID
  --expires D      how long it works: days (90d), a duration (2160h) or never
                   (default 90d for admin tokens, never for the others)
  --note TEXT      whom or what it is for, shown by list
  --base-url URL   the service's public address (default $KHIDI_BASE_URL)
  --json           print the token and its record as one JSON object

list prints the tokens' records, never their secrets: with no flags the
admin, metrics and programme tokens, with --subject ID alone that subject's host and
feed tokens.

revoke stops the token with the public ID (the first 16 digits of the
token, as list shows it) from working at once.

Exit status: 0 done, 1 the database failed, 2 bad flags or arguments, an
unknown subject or token.
`

func cmdToken(ctx context.Context, e env, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, tokenHelp)
		return exitUsage
	}
	switch args[0] {
	case "create":
		return tokenCreate(ctx, e, args[1:])
	case "list":
		return tokenList(ctx, e, args[1:])
	case "revoke":
		return tokenRevoke(ctx, e, args[1:])
	case "-h", "-help", "--help", "help":
		fmt.Fprint(e.stderr, tokenHelp)
		return exitOK
	}
	fmt.Fprintf(e.stderr, "khidi token: unknown subcommand %q: want create, list or revoke\n", args[0])
	return exitUsage
}

// tokenFail reports a failure of khidi token SUB and returns code.
func tokenFail(e env, sub string, code int, format string, a ...any) int {
	fmt.Fprintf(e.stderr, "khidi token "+sub+": "+format+"\n", a...)
	return code
}

// tokenFlags returns the flag set of khidi token SUB with its --db flag.
func tokenFlags(e env, sub string) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("token "+sub, flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprint(e.stderr, tokenHelp) }
	return fs, dbFlag(fs, e)
}

// storeCode is the exit status of a store failure: 2 when the input was
// at fault (an unknown subject or token), 1 when the database was.
func storeCode(err error) int {
	if errors.Is(err, program.ErrInvalid) || errors.Is(err, program.ErrNotFound) {
		return exitUsage
	}
	return exitFailure
}

func tokenCreate(ctx context.Context, e env, args []string) int {
	fs, dsn := tokenFlags(e, "create")
	admin := fs.Bool("admin", false, "an admin token")
	metrics := fs.Bool("metrics", false, "a metrics token")
	programme := fs.Bool("programme", false, "a programme token: the programme's calendar feed")
	feedFor := fs.String("feed", "", "a feed token for the participant or organisation `ID`")
	expires := fs.String("expires", "", "lifetime: 90d, 2160h or never")
	note := fs.String("note", "", "whom or what the token is for")
	baseURL := fs.String("base-url", e.getenv("KHIDI_BASE_URL"), "the service's public address")
	asJSON := fs.Bool("json", false, "print JSON")
	if code, ok := parseFlags(fs, args, e); !ok {
		return code
	}
	fail := func(code int, format string, a ...any) int { return tokenFail(e, "create", code, format, a...) }
	if fs.NArg() > 0 {
		return fail(exitUsage, "unexpected arguments %q", fs.Args())
	}
	kind, subject := program.TokenAdmin, ""
	switch {
	case len(slices.DeleteFunc([]bool{*admin, *metrics, *programme, *feedFor != ""}, func(given bool) bool { return !given })) != 1:
		return fail(exitUsage, "give exactly one of --admin, --metrics, --programme and --feed ID")
	case *metrics:
		kind = program.TokenMetrics
	case *programme:
		kind = program.TokenProgramme
	case *feedFor != "":
		kind, subject = program.TokenFeed, *feedFor
	}
	lifetime := access.DefaultLifetime(kind)
	if *expires != "" {
		var err error
		if lifetime, err = parseLifetime(*expires); err != nil {
			return fail(exitUsage, "--expires %q: %v", *expires, err)
		}
	}
	var base *url.URL
	if *baseURL != "" {
		var err error
		if base, err = server.ParseBaseURL(*baseURL); err != nil {
			return fail(exitUsage, "--base-url %q: %v", *baseURL, err)
		}
	}

	db, err := store.Open(ctx, *dsn)
	if err != nil {
		return fail(exitFailure, "%v", err)
	}
	defer db.Close()
	g := access.Grant{Kind: kind, Subject: subject, Lifetime: lifetime, Note: *note, Actor: "cli"}
	plain, tok, err := access.Issue(ctx, db, g, time.Now())
	if err != nil {
		return fail(storeCode(err), "%v", err)
	}
	out := access.Issued{AccessToken: tok, Token: plain}
	if (kind == program.TokenFeed || kind == program.TokenProgramme) && base != nil {
		out.FeedURL = base.JoinPath("calendars", plain+".ics").String()
	}
	if *asJSON {
		if err := json.NewEncoder(e.stdout).Encode(out); err != nil {
			return fail(exitFailure, "%v", err)
		}
	} else {
		fmt.Fprintln(e.stdout, out.Token)
		if out.FeedURL != "" {
			fmt.Fprintln(e.stdout, out.FeedURL)
		}
	}
	until := "never expires"
	if !tok.ExpiresAt.IsZero() {
		until = "expires " + tok.ExpiresAt.Format(time.RFC3339)
	}
	fmt.Fprintf(e.stderr, "khidi token create: %s token %s %s; keep it now, it is not shown again\n", kind, tok.ID, until)
	return exitOK
}

// parseLifetime reads --expires: whole days ("90d"), a Go duration
// ("2160h"), or "never" (0).
func parseLifetime(s string) (time.Duration, error) {
	if s == "never" {
		return 0, nil
	}
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 1 || n > access.MaxLifetimeDays {
			return 0, fmt.Errorf("want 1d to %dd, a duration such as 2160h, or never", access.MaxLifetimeDays)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 || d > access.MaxLifetimeDays*24*time.Hour {
		return 0, fmt.Errorf("want a number of days such as 90d, a positive duration such as 2160h, or never")
	}
	return d, nil
}

func tokenList(ctx context.Context, e env, args []string) int {
	fs, dsn := tokenFlags(e, "list")
	kind := fs.String("kind", "", "admin, metrics, programme, host or feed")
	subject := fs.String("subject", "", "an organisation's or participant's `ID`")
	asJSON := fs.Bool("json", false, "print JSON")
	if code, ok := parseFlags(fs, args, e); !ok {
		return code
	}
	fail := func(code int, format string, a ...any) int { return tokenFail(e, "list", code, format, a...) }
	if fs.NArg() > 0 {
		return fail(exitUsage, "unexpected arguments %q", fs.Args())
	}
	db, err := store.Open(ctx, *dsn)
	if err != nil {
		return fail(exitFailure, "%v", err)
	}
	defer db.Close()
	ts, err := access.List(ctx, db, program.TokenKind(*kind), *subject)
	if err != nil {
		return fail(storeCode(err), "%v", err)
	}
	if *asJSON {
		if ts == nil {
			ts = []program.AccessToken{}
		}
		if err := json.NewEncoder(e.stdout).Encode(ts); err != nil {
			return fail(exitFailure, "%v", err)
		}
		return exitOK
	}
	now := time.Now()
	day := func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return t.Format(time.DateOnly)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tSUBJECT\tCREATED\tEXPIRES\tSTATE\tNOTE")
	for _, t := range ts {
		state := "active"
		switch {
		case !t.RevokedAt.IsZero():
			state = "revoked " + day(t.RevokedAt)
		case !t.Usable(now):
			state = "expired"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Kind, cmp.Or(t.Subject, "-"), day(t.CreatedAt), day(t.ExpiresAt), state, t.Note)
	}
	if err := tw.Flush(); err != nil {
		return fail(exitFailure, "%v", err)
	}
	return exitOK
}

func tokenRevoke(ctx context.Context, e env, args []string) int {
	fs, dsn := tokenFlags(e, "revoke")
	if code, ok := parseFlags(fs, args, e); !ok {
		return code
	}
	fail := func(code int, format string, a ...any) int { return tokenFail(e, "revoke", code, format, a...) }
	if fs.NArg() != 1 {
		return fail(exitUsage, "expected exactly one token ID (khidi token list shows them), got %q", fs.Args())
	}
	id := fs.Arg(0)
	db, err := store.Open(ctx, *dsn)
	if err != nil {
		return fail(exitFailure, "%v", err)
	}
	defer db.Close()
	if err := db.RevokeToken(ctx, id, "cli"); err != nil {
		return fail(storeCode(err), "%v", err)
	}
	fmt.Fprintf(e.stdout, "revoked token %s\n", id)
	return exitOK
}
