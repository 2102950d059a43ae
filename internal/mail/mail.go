// Package mail writes khidi's email (a short text and, for invitations, an
// iCalendar part that mail programs show as an invitation) and hands it to
// an SMTP server. Messages are composed once, when they are queued, so a
// retry sends the same bytes with the same Message-ID; the MIME encoding
// and the SMTP conversation (STARTTLS, AUTH) are github.com/wneessen/go-mail's.
package mail

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"
)

// TLS is how the connection to the SMTP server is protected.
type TLS string

// The TLS modes of an SMTP URL.
const (
	// TLSMandatory upgrades with STARTTLS and refuses a server without it:
	// the default, since mail carries people's links.
	TLSMandatory TLS = "mandatory"
	// TLSOpportunistic upgrades when the server offers STARTTLS.
	TLSOpportunistic TLS = "opportunistic"
	// TLSNone sends in clear text, for a relay on the same host or tests.
	TLSNone TLS = "none"
	// TLSImplicit speaks TLS from the first byte (smtps://, port 465).
	TLSImplicit TLS = "implicit"
)

// Config is where and how to send mail.
type Config struct {
	Host     string
	Port     int
	Username string
	Password string
	TLS      TLS
	// From is the sender of every message, "khidi <programme@example.ge>".
	From string
	// Timeout bounds connecting and each command.
	Timeout time.Duration
}

// DefaultTimeout is Config.Timeout when the URL does not set one.
const DefaultTimeout = 30 * time.Second

// ParseURL reads an SMTP URL: smtp://USER:PASS@HOST:PORT?starttls=MODE&from=ADDR
// (MODE mandatory, the default, opportunistic or none; port 587 by default)
// or smtps://USER:PASS@HOST:PORT?from=ADDR (port 465). timeout=30s sets the
// timeout. Errors say what is wrong and never repeat the password.
func ParseURL(raw string) (Config, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Config{}, fmt.Errorf("mail: SMTP URL: not a URL; want smtp://user:pass@host:587?from=programme@example.ge")
	}
	redacted := u.Redacted()
	bad := func(format string, a ...any) error {
		return fmt.Errorf("mail: SMTP URL %s: %s", redacted, fmt.Sprintf(format, a...))
	}
	c := Config{Host: u.Hostname(), Timeout: DefaultTimeout}
	q := u.Query()
	switch u.Scheme {
	case "smtp":
		c.Port, c.TLS = 587, TLS(cmp.Or(q.Get("starttls"), string(TLSMandatory)))
		switch c.TLS {
		case TLSMandatory, TLSOpportunistic, TLSNone:
		default:
			return Config{}, bad("starttls=%q: want mandatory, opportunistic or none", c.TLS)
		}
	case "smtps":
		c.Port, c.TLS = 465, TLSImplicit
		if q.Has("starttls") {
			return Config{}, bad("starttls does not apply to smtps://, which is TLS throughout")
		}
	default:
		return Config{}, bad("scheme %q: want smtp:// or smtps://", u.Scheme)
	}
	if c.Host == "" {
		return Config{}, bad("no host")
	}
	if p := u.Port(); p != "" {
		if c.Port, err = strconv.Atoi(p); err != nil || c.Port < 1 || c.Port > 65535 {
			return Config{}, bad("port %q: want 1 to 65535", p)
		}
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	c.From = q.Get("from")
	if _, _, err := SplitAddress(c.From); err != nil {
		return Config{}, bad("from=%q: %v; give the sender, e.g. from=programme@example.ge", c.From, err)
	}
	if t := q.Get("timeout"); t != "" {
		if c.Timeout, err = time.ParseDuration(t); err != nil || c.Timeout <= 0 {
			return Config{}, bad("timeout=%q: want a duration such as 30s", t)
		}
	}
	for k := range q {
		switch k {
		case "starttls", "from", "timeout":
		default:
			return Config{}, bad("unknown parameter %q: want starttls, from or timeout", k)
		}
	}
	return c, nil
}

// SplitAddress reads "Name <addr>" or "addr", refusing an addr that is
// not an email address.
func SplitAddress(s string) (name, addr string, err error) {
	if s == "" {
		return "", "", errors.New("empty address")
	}
	if i := strings.LastIndexByte(s, '<'); i >= 0 && strings.HasSuffix(s, ">") {
		name, addr = strings.TrimSpace(s[:i]), s[i+1:len(s)-1]
	} else {
		addr = s
	}
	// RFC 5322's addr-spec, as net/mail reads it: the same test the
	// invitations' ORGANIZER and ATTENDEE addresses pass (internal/ical).
	if a, err := netmail.ParseAddress(addr); err != nil || a.Address != addr {
		return "", "", fmt.Errorf("%q is not an email address", addr)
	}
	return name, addr, nil
}

// Message is one email to compose.
type Message struct {
	From, To string // "Name <addr>" or "addr"
	Subject  string
	Text     string // the body, plain text
	// Calendars are iCalendar objects, each carrying one event (iTIP sends
	// one event per object). A single one is sent as a text/calendar part
	// beside the text, which mail programs show as an invitation to add or
	// remove; several are attached as .ics files, one per event.
	Calendars []Calendar
	// Key names what the message is about; the Message-ID is derived from
	// it, so the same notice composed twice has the same id and receivers
	// can drop a duplicate.
	Key  string
	Date time.Time
}

// Calendar is an iCalendar object and its iTIP method (REQUEST, CANCEL).
type Calendar struct {
	Method string
	Data   []byte
}

// Compose returns m as a MIME message: UTF-8 throughout (Georgian names
// and subjects are encoded as RFC 2047 words), Date and Message-ID set,
// the text as text/plain, and the calendar, if any, as text/calendar with
// its method, alongside.
func Compose(m Message) ([]byte, error) {
	msg := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP))
	fromName, fromAddr, err := SplitAddress(m.From)
	if err != nil {
		return nil, fmt.Errorf("mail: from: %w", err)
	}
	toName, toAddr, err := SplitAddress(m.To)
	if err != nil {
		return nil, fmt.Errorf("mail: to: %w", err)
	}
	// A display name is one line: names imported from spreadsheets may
	// hold line breaks, which no address header can.
	fromName, toName = strings.Join(strings.Fields(fromName), " "), strings.Join(strings.Fields(toName), " ")
	if err := msg.FromFormat(fromName, fromAddr); err != nil {
		return nil, fmt.Errorf("mail: from %q: %w", m.From, err)
	}
	if err := msg.AddToFormat(toName, toAddr); err != nil {
		return nil, fmt.Errorf("mail: to %q: %w", m.To, err)
	}
	msg.Subject(m.Subject)
	msg.SetDateWithValue(m.Date)
	sum := sha256.Sum256([]byte(m.Key))
	domain := fromAddr[strings.LastIndexByte(fromAddr, '@')+1:]
	msg.SetMessageIDWithValue(hex.EncodeToString(sum[:16]) + "@" + domain)
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	for i, c := range m.Calendars {
		if c.Method == "" || strings.ContainsAny(c.Method, "; \r\n\"") {
			return nil, fmt.Errorf("mail: calendar %d: method %q: want REQUEST or CANCEL", i+1, c.Method)
		}
		ct := gomail.ContentType("text/calendar; method=" + c.Method)
		if len(m.Calendars) == 1 {
			msg.AddAlternativeString(ct, string(c.Data))
			continue
		}
		name := fmt.Sprintf("invitation-%d.ics", i+1)
		if err := msg.AttachReader(name, bytes.NewReader(c.Data), gomail.WithFileContentType(ct)); err != nil {
			return nil, fmt.Errorf("mail: attach %s: %w", name, err)
		}
	}
	var buf bytes.Buffer
	if _, err := msg.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("mail: compose %q: %w", m.Subject, err)
	}
	return buf.Bytes(), nil
}

// Sender hands composed messages to the SMTP server of its Config.
type Sender struct{ cfg Config }

// NewSender returns a sender for cfg.
func NewSender(cfg Config) *Sender { return &Sender{cfg: cfg} }

// Conn is one SMTP connection, for sending a batch of messages without a
// handshake each.
type Conn struct {
	c    *smtp.Client
	addr string
}

// Dial connects to the server and says hello, with STARTTLS and AUTH as
// the Config asks.
func (s *Sender) Dial(ctx context.Context) (*Conn, error) {
	opts := []gomail.Option{gomail.WithPort(s.cfg.Port), gomail.WithTimeout(s.cfg.Timeout)}
	switch s.cfg.TLS {
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	case TLSOpportunistic:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.cfg.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(s.cfg.Username), gomail.WithPassword(s.cfg.Password))
	}
	client, err := gomail.NewClient(s.cfg.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("mail: %s: %w", s.addr(), err)
	}
	c, err := client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("mail: connect to %s: %w", s.addr(), err)
	}
	return &Conn{c: c, addr: s.addr()}, nil
}

// Send delivers message, as composed, from the envelope sender from to the
// recipient to. It returns nil only when the server accepted the message.
// An error for which Permanent reports true means the server refused it
// for good (a 5xx reply); any other may pass. After a refusal the
// connection is reset and can send the next message.
func (c *Conn) Send(from, to string, message []byte) error {
	_, fromAddr, err := SplitAddress(from)
	if err != nil {
		return permanent{fmt.Errorf("mail: from: %w", err)}
	}
	_, toAddr, err := SplitAddress(to)
	if err != nil {
		return permanent{fmt.Errorf("mail: to: %w", err)}
	}
	err = c.transaction(fromAddr, toAddr, message)
	if err != nil && Permanent(err) {
		if rerr := c.c.Reset(); rerr != nil {
			return errors.Join(err, rerr)
		}
	}
	return err
}

func (c *Conn) transaction(from, to string, message []byte) error {
	if err := c.c.Mail(from); err != nil {
		return fmt.Errorf("mail: MAIL FROM %s: %w", from, err)
	}
	if err := c.c.Rcpt(to); err != nil {
		return fmt.Errorf("mail: RCPT TO %s: %w", to, err)
	}
	w, err := c.c.Data()
	if err != nil {
		return fmt.Errorf("mail: DATA: %w", err)
	}
	if _, err := w.Write(message); err != nil {
		return fmt.Errorf("mail: send to %s: %w", to, err)
	}
	// Close ends DATA and reads the server's verdict: accepted or not.
	if err := w.Close(); err != nil {
		return fmt.Errorf("mail: send to %s: %w", to, err)
	}
	return nil
}

// Close says goodbye and closes the connection.
func (c *Conn) Close() error {
	if err := c.c.Quit(); err != nil {
		c.c.Close()
		return fmt.Errorf("mail: %s: %w", c.addr, err)
	}
	return nil
}

func (s *Sender) addr() string { return net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.Port)) }

// permanent marks an error no retry can fix.
type permanent struct{ error }

func (p permanent) Unwrap() error { return p.error }

// Permanent reports whether err is a refusal for good: a 5xx SMTP reply or
// an address that cannot be sent to.
func Permanent(err error) bool {
	var p permanent
	if errors.As(err, &p) {
		return true
	}
	var te *textproto.Error
	return errors.As(err, &te) && te.Code >= 500 && te.Code < 600
}
