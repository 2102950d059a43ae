-- Scheduled jobs and what they send. job_runs is both the claim and the
-- history of each run: the first replica to insert (job, slot) runs that
-- slot, every other replica's insert does nothing. outbox holds every
-- message until an SMTP server accepted it. event_notices remembers, per
-- event and attendee, the SEQUENCE last sent and whether the reminder went,
-- so nobody is told twice.

-- +goose Up
CREATE TABLE job_runs (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	job         text NOT NULL,
	slot        timestamptz NOT NULL,
	replica     text NOT NULL,
	started_at  timestamptz NOT NULL,
	finished_at timestamptz,
	outcome     text NOT NULL DEFAULT 'running' CHECK (outcome IN ('running', 'ok', 'failed', 'panicked')),
	counts      text NOT NULL DEFAULT '{}',
	error       text NOT NULL DEFAULT '',
	UNIQUE (job, slot)
);

CREATE TABLE outbox (
	id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	dedup_key       text NOT NULL UNIQUE,
	sender          text NOT NULL,
	recipient       text NOT NULL,
	subject         text NOT NULL,
	message         bytea NOT NULL,
	created_at      timestamptz NOT NULL,
	attempts        integer NOT NULL DEFAULT 0,
	next_attempt_at timestamptz NOT NULL,
	claimed_until   timestamptz,
	sent_at         timestamptz,
	failed_at       timestamptz,
	last_error      text NOT NULL DEFAULT ''
);

CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;

CREATE TABLE event_notices (
	event_id    bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	attendee_id text NOT NULL,
	sequence    integer NOT NULL,
	reminded_at timestamptz,
	PRIMARY KEY (event_id, attendee_id)
);

-- +goose Down
DROP TABLE event_notices;
DROP TABLE outbox;
DROP TABLE job_runs;
