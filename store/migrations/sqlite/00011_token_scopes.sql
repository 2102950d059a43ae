-- Narrower tokens. A metrics token reads GET /metrics and nothing else, so
-- a monitoring system does not hold an admin token. A host link may be
-- limited to one round (round_id): the links a round's publication and
-- its announcements make open that round's offers only, so a link that
-- leaks shows one round, not every round the host takes part in. Links
-- made before this migration keep opening all their host's offers.
-- SQLite cannot change a CHECK, so the table is rebuilt.

-- +goose Up
CREATE TABLE access_tokens_new (
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
INSERT INTO access_tokens_new (id, kind, subject, secret_hash, note, created_at, expires_at, revoked_at)
	SELECT id, kind, subject, secret_hash, note, created_at, expires_at, revoked_at FROM access_tokens;
DROP TABLE access_tokens;
ALTER TABLE access_tokens_new RENAME TO access_tokens;
CREATE INDEX access_tokens_subject ON access_tokens (kind, subject);

-- +goose Down
CREATE TABLE access_tokens_old (
	id          TEXT PRIMARY KEY,
	kind        TEXT NOT NULL CHECK (kind IN ('admin', 'host', 'feed')),
	subject     TEXT NOT NULL DEFAULT '',
	secret_hash BLOB NOT NULL CHECK (length(secret_hash) = 32),
	note        TEXT NOT NULL DEFAULT '',
	created_at  TEXT NOT NULL,
	expires_at  TEXT,
	revoked_at  TEXT,
	CHECK ((kind = 'admin') = (subject = ''))
) STRICT;
-- Without their round, links made for one would open every round of their
-- host: they stay behind, with the metrics tokens the old schema cannot
-- hold.
INSERT INTO access_tokens_old (id, kind, subject, secret_hash, note, created_at, expires_at, revoked_at)
	SELECT id, kind, subject, secret_hash, note, created_at, expires_at, revoked_at FROM access_tokens
	WHERE kind <> 'metrics' AND round_id IS NULL;
DROP TABLE access_tokens;
ALTER TABLE access_tokens_old RENAME TO access_tokens;
CREATE INDEX access_tokens_subject ON access_tokens (kind, subject);
