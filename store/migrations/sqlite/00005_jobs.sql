-- Scheduled jobs and what they send. job_runs is both the claim and the
-- history of each run: the first replica to insert (job, slot) runs that
-- slot, every other replica's insert does nothing. outbox holds every
-- message until an SMTP server accepted it. event_notices remembers, per
-- event and attendee, the SEQUENCE last sent and whether the reminder went,
-- so nobody is told twice.

-- +goose Up
CREATE TABLE job_runs (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	job         TEXT NOT NULL,
	slot        TEXT NOT NULL,
	replica     TEXT NOT NULL,
	started_at  TEXT NOT NULL,
	finished_at TEXT,
	outcome     TEXT NOT NULL DEFAULT 'running' CHECK (outcome IN ('running', 'ok', 'failed', 'panicked')),
	counts      TEXT NOT NULL DEFAULT '{}',
	error       TEXT NOT NULL DEFAULT '',
	UNIQUE (job, slot)
) STRICT;

CREATE TABLE outbox (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	dedup_key       TEXT NOT NULL UNIQUE,
	sender          TEXT NOT NULL,
	recipient       TEXT NOT NULL,
	subject         TEXT NOT NULL,
	message         BLOB NOT NULL,
	created_at      TEXT NOT NULL,
	attempts        INTEGER NOT NULL DEFAULT 0,
	next_attempt_at TEXT NOT NULL,
	claimed_until   TEXT,
	sent_at         TEXT,
	failed_at       TEXT,
	last_error      TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;

CREATE TABLE event_notices (
	event_id    INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	attendee_id TEXT NOT NULL,
	sequence    INTEGER NOT NULL,
	reminded_at TEXT,
	PRIMARY KEY (event_id, attendee_id)
) STRICT;

-- +goose Down
DROP TABLE event_notices;
DROP TABLE outbox;
DROP TABLE job_runs;
