package program

import "time"

// JobOutcome is how a job's run ended.
type JobOutcome string

// The outcomes of a run; a run still going is JobRunning.
const (
	JobRunning  JobOutcome = "running"
	JobOK       JobOutcome = "ok"
	JobFailed   JobOutcome = "failed"
	JobPanicked JobOutcome = "panicked"
)

// JobRun is one run of a scheduled job: the slot it ran for, which replica
// claimed it, and how it went. A slot is claimed once across every replica.
type JobRun struct {
	ID      int64     `json:"id" db:"id"`
	Job     string    `json:"job" db:"job"`
	Slot    time.Time `json:"slot" db:"slot"`
	Replica string    `json:"replica" db:"replica"`
	Started time.Time `json:"started" db:"started_at"`
	// Finished is zero while the run goes on.
	Finished time.Time      `json:"finished,omitzero" db:"finished_at"`
	Outcome  JobOutcome     `json:"outcome" db:"outcome"`
	Counts   map[string]int `json:"counts,omitempty" db:"counts"`
	Error    string         `json:"error,omitempty" db:"error"`
}

// Mail is one message in the outbox: the whole MIME message as it will be
// sent, so that a retry sends the same bytes (and the same Message-ID).
type Mail struct {
	ID int64 `json:"id" db:"id"`
	// DedupKey names what the message is about ("calendar:p-1:…"):
	// enqueueing a key already in the outbox does nothing, so a job run
	// twice for one slot sends once.
	DedupKey  string    `json:"dedup_key" db:"dedup_key"`
	From      string    `json:"from" db:"sender"`
	To        string    `json:"to" db:"recipient"`
	Subject   string    `json:"subject" db:"subject"`
	Message   []byte    `json:"-" db:"message"`
	CreatedAt time.Time `json:"created_at" db:"created_at"`
	Attempts  int       `json:"attempts" db:"attempts"`
	// NextAttempt is when the message may next be sent.
	NextAttempt time.Time `json:"next_attempt" db:"next_attempt_at"`
	// SentAt is when an SMTP server accepted it; FailedAt when it was given
	// up as undeliverable. Both zero while it waits.
	SentAt    time.Time `json:"sent_at,omitzero" db:"sent_at"`
	FailedAt  time.Time `json:"failed_at,omitzero" db:"failed_at"`
	LastError string    `json:"last_error,omitempty" db:"last_error"`
}

// Notice records what an attendee was told about an event: the SEQUENCE of
// the last invitation or cancellation enqueued, and whether the reminder
// was. Saved with the mail that tells it, in one transaction.
type Notice struct {
	Event    EventID
	Attendee string // a participant's or organisation's id
	Sequence int
	Reminded bool
}
