package mail

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"github.com/khidi/khidi/internal/mail/smtptest"
)

func TestParseURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw  string
		want Config
		err  string // part of the error, "" when none
	}{
		{raw: "smtp://khidi:s3cret@mail.example.ge?from=programme@example.ge",
			want: Config{Host: "mail.example.ge", Port: 587, Username: "khidi", Password: "s3cret", TLS: TLSMandatory, From: "programme@example.ge", Timeout: DefaultTimeout}},
		{raw: "smtp://relay:2525?starttls=none&from=khidi%20%3Ck@example.ge%3E&timeout=5s",
			want: Config{Host: "relay", Port: 2525, TLS: TLSNone, From: "khidi <k@example.ge>", Timeout: 5 * time.Second}},
		{raw: "smtps://u:p@mail.example.ge?from=k@example.ge",
			want: Config{Host: "mail.example.ge", Port: 465, Username: "u", Password: "p", TLS: TLSImplicit, From: "k@example.ge", Timeout: DefaultTimeout}},
		{raw: "smtp://u:p@host?starttls=sometimes&from=k@example.ge", err: "starttls"},
		{raw: "http://host?from=k@example.ge", err: "scheme"},
		{raw: "smtp://u:hunter2@host:99999?from=k@example.ge", err: "port"},
		{raw: "smtp://u:hunter2@host", err: "from"},
		{raw: "smtp://host?from=k@example.ge&tls=1", err: "unknown parameter"},
		{raw: "smtps://host?from=k@example.ge&starttls=none", err: "starttls"},
		{raw: "smtp://?from=k@example.ge", err: "no host"},
		{raw: "smtp://host?from=x.@example.ge", err: "not an email address"}, // net/mail refuses it, as invitations do
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			got, err := ParseURL(tt.raw)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("ParseURL = %+v, %v; want an error about %s", got, err, tt.err)
				}
				if strings.Contains(err.Error(), "hunter2") {
					t.Errorf("the error repeats the password: %v", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("ParseURL = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

const invite = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:x@khidi\r\nSUMMARY:სტაჟირება\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"

// checkMessage parses m with net/mail and mime/multipart and checks what
// Compose promises.
func checkMessage(t *testing.T, m *mail.Message) {
	t.Helper()
	subject, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil || subject != "თქვენი სტაჟირება — Your internship" {
		t.Errorf("Subject decodes to %q, %v", subject, err)
	}
	if to, err := m.Header.AddressList("To"); err != nil || len(to) != 1 || to[0].Name != "ნინო ბერიძე" || to[0].Address != "nino@example.ge" {
		t.Errorf("To = %v, %v", to, err)
	}
	if id := m.Header.Get("Message-Id"); !strings.HasSuffix(id, "@example.ge>") {
		t.Errorf("Message-ID %q", id)
	}
	if d, err := m.Header.Date(); err != nil || !d.Equal(time.Date(2027, 1, 5, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("Date %v, %v", d, err)
	}
	mediaType, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(mediaType, "multipart/") {
		t.Fatalf("Content-Type %q: %v", m.Header.Get("Content-Type"), err)
	}
	r := multipart.NewReader(m.Body, params["boundary"])
	found := map[string]string{}
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		ct, ps, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		body, _ := io.ReadAll(p) // multipart decodes quoted-printable
		found[ct] = string(body)
		if ct == "text/calendar" && (ps["method"] != "REQUEST" || !strings.EqualFold(ps["charset"], "utf-8")) {
			t.Errorf("calendar part params %v; want method=REQUEST, charset=UTF-8", ps)
		}
	}
	if !strings.Contains(found["text/plain"], "ნინო") {
		t.Errorf("text part %q", found["text/plain"])
	}
	if strings.ReplaceAll(found["text/calendar"], "\r\n", "\n") != strings.ReplaceAll(invite, "\r\n", "\n") {
		t.Errorf("calendar part %q, want %q", found["text/calendar"], invite)
	}
}

func message() Message {
	return Message{From: "khidi <programme@example.ge>", To: "ნინო ბერიძე <nino@example.ge>",
		Subject: "თქვენი სტაჟირება — Your internship", Text: "გამარჯობა ნინო,\n\nyour internship starts on 1 March.\n",
		Calendars: []Calendar{{Method: "REQUEST", Data: []byte(invite)}}, Key: "calendar:p-1:1", Date: time.Date(2027, 1, 5, 9, 0, 0, 0, time.UTC)}
}

func TestCompose(t *testing.T) {
	t.Parallel()
	b, err := Compose(message())
	if err != nil {
		t.Fatal(err)
	}
	m, err := mail.ReadMessage(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	checkMessage(t, m)
	again, _ := Compose(message())
	if m2, _ := mail.ReadMessage(bytes.NewReader(again)); m2.Header.Get("Message-Id") != m.Header.Get("Message-Id") {
		t.Error("the same notice composed twice has two Message-IDs")
	}
	multiline := message()
	multiline.To = "ნინო\nბერიძე <nino@example.ge>"
	if b, err := Compose(multiline); err != nil {
		t.Errorf("Compose to a name with a line break: %v", err)
	} else if m, _ := mail.ReadMessage(bytes.NewReader(b)); m != nil {
		if to, err := m.Header.AddressList("To"); err != nil || to[0].Name != "ნინო ბერიძე" {
			t.Errorf("To = %v, %v; want the name on one line", to, err)
		}
	}
	bad := message()
	bad.To = "nino"
	if _, err := Compose(bad); err == nil {
		t.Error("Compose to a bad address: no error")
	}
	bad = message()
	bad.Calendars[0].Method = "REQUEST; x=1"
	if _, err := Compose(bad); err == nil {
		t.Error("Compose with a bad method: no error")
	}
}

// TestSend sends a message to a real SMTP server and reads it back.
func TestSend(t *testing.T) {
	t.Parallel()
	srv := smtptest.Start(t)
	cfg, err := ParseURL(srv.URL("programme@example.ge"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Compose(message())
	if err != nil {
		t.Fatal(err)
	}
	conn, err := NewSender(cfg).Dial(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := conn.Send(cfg.From, "nino@example.ge", b); err != nil {
		t.Fatal(err)
	}
	if err := conn.Close(); err != nil {
		t.Fatal(err)
	}
	got := srv.Messages()
	if len(got) != 1 {
		t.Fatalf("the server received %d messages, want 1", len(got))
	}
	checkMessage(t, got[0])

	srv.Stop()
	_, err = NewSender(cfg).Dial(context.Background())
	if err == nil || Permanent(err) {
		t.Errorf("sending to a stopped server: %v; want a temporary error", err)
	}
}

// TestComposeAttachments checks that several invitations travel as .ics
// attachments, one per event, each with its method.
func TestComposeAttachments(t *testing.T) {
	t.Parallel()
	m := message()
	cancel := strings.Replace(invite, "METHOD:REQUEST", "METHOD:CANCEL", 1)
	m.Calendars = append(m.Calendars, Calendar{Method: "CANCEL", Data: []byte(cancel)})
	b, err := Compose(m)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	_, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	var methods []string
	var walk func(r *multipart.Reader)
	walk = func(r *multipart.Reader) {
		for {
			p, err := r.NextPart()
			if err != nil {
				return
			}
			ct, ps, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
			switch {
			case strings.HasPrefix(ct, "multipart/"):
				walk(multipart.NewReader(p, ps["boundary"]))
			case ct == "text/calendar":
				var body []byte
				if strings.EqualFold(p.Header.Get("Content-Transfer-Encoding"), "base64") {
					body, _ = io.ReadAll(base64.NewDecoder(base64.StdEncoding, p))
				} else {
					body, _ = io.ReadAll(p)
				}
				if !strings.Contains(string(body), "METHOD:"+ps["method"]) {
					t.Errorf("attachment with method=%s holds %q", ps["method"], body)
				}
				if !strings.HasSuffix(p.FileName(), ".ics") {
					t.Errorf("calendar attachment named %q", p.FileName())
				}
				methods = append(methods, ps["method"])
			}
		}
	}
	walk(multipart.NewReader(msg.Body, params["boundary"]))
	if strings.Join(methods, ",") != "REQUEST,CANCEL" {
		t.Errorf("calendar parts %v, want REQUEST and CANCEL attachments", methods)
	}
}

func TestPermanent(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		err  error
		want bool
	}{
		{&textproto.Error{Code: 550, Msg: "no such user"}, true},
		{&textproto.Error{Code: 421, Msg: "try later"}, false},
		{errors.New("connection refused"), false},
		{permanent{errors.New("bad address")}, true},
	} {
		if got := Permanent(tt.err); got != tt.want {
			t.Errorf("Permanent(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}
