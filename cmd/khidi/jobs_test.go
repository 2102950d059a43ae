package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/khidi/khidi/internal/logtest"
	"github.com/khidi/khidi/internal/mail/smtptest"
	"github.com/khidi/khidi/internal/pgtest"
	"github.com/khidi/khidi/store"
)

func TestJobsList(t *testing.T) {
	dsn := "sqlite:" + t.TempDir() + "/k.db"
	code, out, errOut := runKhidi(t, "jobs", "list", "--db", dsn, "--schedule", "reminders=CRON_TZ=Europe/Warsaw 30 2 * * *", "--next", "2")
	if code != exitOK {
		t.Fatalf("khidi jobs list: exit %d: %s", code, errOut)
	}
	for _, want := range []string{"send-calendars", "expire-offers", "yearly-meeting", "deliver-mail", "CRON_TZ=Europe/Warsaw 30 2 * * *",
		"CRON_TZ=Asia/Tbilisi 0 9 1 10 *"} {
		if !strings.Contains(out, want) {
			t.Errorf("khidi jobs list lacks %q:\n%s", want, out)
		}
	}
	// send-calendars cannot make messages without a sender and links. (Each
	// on a database of its own: a run claims its second.)
	for _, flags := range [][]string{
		{"--base-url", "https://khidi.example.ge"},
		{"--smtp-url", "smtp://localhost?starttls=none&from=a@b.ge"},
	} {
		args := append([]string{"jobs", "run", "send-calendars", "--db", "sqlite:" + t.TempDir() + "/k.db"}, flags...)
		if code, _, errOut := runKhidi(t, args...); code != exitFailure || !strings.Contains(errOut, "--") {
			t.Errorf("khidi %v: exit %d, %q; want 1 naming the missing flag", args, code, errOut)
		}
	}
	for _, bad := range [][]string{
		{"jobs"},
		{"jobs", "run", "--db", dsn},
		{"jobs", "run", "nope", "--db", dsn},
		{"jobs", "list", "--db", dsn, "--schedule", "nope=CRON_TZ=UTC @daily"},
		{"jobs", "list", "--db", dsn, "--schedule", "reminders=every day"},
		{"jobs", "run", "deliver-mail", "--db", dsn, "--smtp-url", "smtp://host?starttls=maybe&from=a@b.ge"},
		{"jobs", "list", "--db", dsn, "--meeting-month", "13"},
		{"jobs", "list", "--db", dsn, "--reminder-lead", "-1h"},
	} {
		if code, _, errOut := runKhidi(t, bad...); code != exitUsage || errOut == "" {
			t.Errorf("khidi %v: exit %d, %q; want 2 with a message", bad, code, errOut)
		}
	}
}

// TestJobsEnvironment checks the job flags' variables: a bad one is refused
// by name, and a flag given on the command line wins over it.
func TestJobsEnvironment(t *testing.T) {
	dsn := "sqlite:" + t.TempDir() + "/k.db"
	for _, tt := range []struct {
		vars     map[string]string
		args     []string
		wantCode int
		wantErr  string
	}{
		{map[string]string{"KHIDI_REMINDER_LEAD": "soon"}, nil, exitUsage, `KHIDI_REMINDER_LEAD="soon"`},
		{map[string]string{"KHIDI_MEETING_MONTH": "May"}, nil, exitUsage, `KHIDI_MEETING_MONTH="May"`},
		{map[string]string{"KHIDI_REMINDER_LEAD": "soon", "KHIDI_MEETING_MONTH": "May"}, []string{"--reminder-lead", "24h", "--meeting-month", "5"}, exitOK, ""},
		{map[string]string{"KHIDI_MEETING_MONTH": "13"}, nil, exitUsage, "KHIDI_MEETING_MONTH 13"},
	} {
		var out bytes.Buffer
		errOut := new(logtest.Buffer)
		args := append([]string{"jobs", "list", "--db", dsn}, tt.args...)
		code := run(t.Context(), args, serveEnv(tt.vars, &out, errOut))
		if code != tt.wantCode || !strings.Contains(errOut.String(), tt.wantErr) {
			t.Errorf("khidi %v with %v: exit %d, %q; want %d and %q", args, tt.vars, code, errOut, tt.wantCode, tt.wantErr)
		}
	}
}

// TestJobsReplicas lays out a small programme's year in PostgreSQL, then
// fires send-calendars and deliver-mail in two khidi processes at once:
// every message arrives once.
func TestJobsReplicas(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	for _, args := range [][]string{
		{"import", "--db", dsn, "../../internal/importer/testdata/organizations.csv", "../../internal/importer/testdata/participants.csv",
			"../../internal/importer/testdata/communities.csv"},
		{"match", "--db", dsn, "--kind", "internship"},
		{"match", "--db", dsn, "--kind", "community_visit"},
		{"schedule", "--db", dsn, "--year", "2027", "--proposed"},
	} {
		if code, _, errOut := runKhidi(t, args...); code != exitOK {
			t.Fatalf("khidi %v: exit %d: %s", args, code, errOut)
		}
	}
	smtp := smtptest.Start(t)
	url := smtp.URL("programme@khidi.example.ge")
	// both runs khidi with args in two processes at once.
	both := func(args ...string) {
		var wg sync.WaitGroup
		for range 2 {
			wg.Go(func() {
				cmd := exec.Command(os.Args[0], args...)
				cmd.Env = append(os.Environ(), asKhidi+"=1")
				var out bytes.Buffer
				cmd.Stdout, cmd.Stderr = &out, &out
				if err := cmd.Run(); err != nil {
					t.Errorf("khidi %v: %v\n%s", args, err, out.String())
				}
			})
		}
		wg.Wait()
	}
	both("jobs", "run", "send-calendars", "--db", dsn, "--smtp-url", url, "--base-url", "https://khidi.example.ge")
	both("jobs", "run", "deliver-mail", "--db", dsn, "--smtp-url", url)
	if code, out, _ := runKhidi(t, "jobs", "list", "--db", dsn); code != exitOK || !strings.Contains(out, "ok on ") || !strings.Contains(out, "never") {
		t.Errorf("khidi jobs list after runs: exit %d\n%s", code, out)
	}
	// A third run picks up anything the two left (a claim lost to the
	// other replica within the same second).
	if code, out, errOut := runKhidi(t, "jobs", "run", "deliver-mail", "--db", dsn, "--smtp-url", url); code != exitOK {
		t.Fatalf("deliver-mail: exit %d: %s %s", code, out, errOut)
	}

	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	queued, err := db.Outbox(context.Background())
	if err != nil || len(queued) == 0 {
		t.Fatalf("outbox: %d messages, %v", len(queued), err)
	}
	ids := map[string]int{}
	for _, m := range smtp.Messages() {
		ids[m.Header.Get("Message-Id")]++
	}
	if len(ids) != len(queued) {
		t.Errorf("the server received %d distinct messages, the outbox holds %d", len(ids), len(queued))
	}
	for id, n := range ids {
		if n != 1 {
			t.Errorf("message %s arrived %d times", id, n)
		}
	}
	for _, m := range queued {
		if m.SentAt.IsZero() {
			t.Errorf("message %s not marked sent", m.DedupKey)
		}
	}
}
