-- A programme token reads the programme's calendar feed: managers'
-- calendar programs subscribe by address and cannot send the manager
-- API's header. Like admin and metrics tokens it speaks for no one.
-- SQLite cannot change a CHECK, so the table is rebuilt.

-- +goose Up
CREATE TABLE access_tokens_new (
	id          TEXT PRIMARY KEY,
	kind        TEXT NOT NULL CHECK (kind IN ('admin', 'metrics', 'programme', 'host', 'feed')),
	subject     TEXT NOT NULL DEFAULT '',
	secret_hash BLOB NOT NULL CHECK (length(secret_hash) = 32),
	note        TEXT NOT NULL DEFAULT '',
	created_at  TEXT NOT NULL,
	expires_at  TEXT,
	revoked_at  TEXT,
	round_id    INTEGER REFERENCES rounds (id) ON DELETE CASCADE,
	CHECK ((kind IN ('admin', 'metrics', 'programme')) = (subject = '')),
	CHECK (round_id IS NULL OR kind = 'host')
) STRICT;
INSERT INTO access_tokens_new (id, kind, subject, secret_hash, note, created_at, expires_at, revoked_at, round_id)
	SELECT id, kind, subject, secret_hash, note, created_at, expires_at, revoked_at, round_id FROM access_tokens;
DROP TABLE access_tokens;
ALTER TABLE access_tokens_new RENAME TO access_tokens;
CREATE INDEX access_tokens_subject ON access_tokens (kind, subject);

-- +goose Down
CREATE TABLE access_tokens_old (
	id          TEXT PRIMARY KEY,
	kind        TEXT NOT NULL CHECK (kind IN ('admin', 'metrics', 'host', 'feed')),
	subject     TEXT NOT NULL DEFAULT '',
	secret_hash BLOB NOT NULL CHECK (length(secret_hash) = 32),
	note        TEXT NOT NULL DEFAULT '',
	created_at  TEXT NOT NULL,
	expires_at  TEXT,
	revoked_at  TEXT,
	round_id    INTEGER REFERENCES rounds (id) ON DELETE CASCADE,
	CHECK ((kind IN ('admin', 'metrics')) = (subject = '')),
	CHECK (round_id IS NULL OR kind = 'host')
) STRICT;
INSERT INTO access_tokens_old (id, kind, subject, secret_hash, note, created_at, expires_at, revoked_at, round_id)
	SELECT id, kind, subject, secret_hash, note, created_at, expires_at, revoked_at, round_id FROM access_tokens WHERE kind <> 'programme';
DROP TABLE access_tokens;
ALTER TABLE access_tokens_old RENAME TO access_tokens;
CREATE INDEX access_tokens_subject ON access_tokens (kind, subject);
