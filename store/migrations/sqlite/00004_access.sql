-- Secret tokens (host links, calendar feeds, manager API keys), stored by
-- the hash of their secret only; and the audit log of who changed what.

-- +goose Up
CREATE TABLE access_tokens (
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

CREATE INDEX access_tokens_subject ON access_tokens (kind, subject);

CREATE TABLE audit_log (
	id       INTEGER PRIMARY KEY AUTOINCREMENT,
	at       TEXT NOT NULL,
	actor    TEXT NOT NULL,
	action   TEXT NOT NULL,
	round_id INTEGER REFERENCES rounds (id) ON DELETE CASCADE,
	match_id INTEGER REFERENCES matches (id) ON DELETE CASCADE,
	detail   TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX audit_log_round ON audit_log (round_id, id);
CREATE INDEX audit_log_match ON audit_log (match_id) WHERE match_id IS NOT NULL;

-- +goose Down
DROP TABLE audit_log;
DROP TABLE access_tokens;
