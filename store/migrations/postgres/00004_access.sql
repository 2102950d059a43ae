-- Secret tokens (host links, calendar feeds, manager API keys), stored by
-- the hash of their secret only; and the audit log of who changed what.

-- +goose Up
CREATE TABLE access_tokens (
	id          text PRIMARY KEY,
	kind        text NOT NULL CHECK (kind IN ('admin', 'host', 'feed')),
	subject     text NOT NULL DEFAULT '',
	secret_hash bytea NOT NULL CHECK (length(secret_hash) = 32),
	note        text NOT NULL DEFAULT '',
	created_at  timestamptz NOT NULL,
	expires_at  timestamptz,
	revoked_at  timestamptz,
	CHECK ((kind = 'admin') = (subject = ''))
);

CREATE INDEX access_tokens_subject ON access_tokens (kind, subject);

CREATE TABLE audit_log (
	id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at       timestamptz NOT NULL,
	actor    text NOT NULL,
	action   text NOT NULL,
	round_id bigint REFERENCES rounds (id) ON DELETE CASCADE,
	match_id bigint REFERENCES matches (id) ON DELETE CASCADE,
	detail   text NOT NULL DEFAULT ''
);

CREATE INDEX audit_log_round ON audit_log (round_id, id);
CREATE INDEX audit_log_match ON audit_log (match_id) WHERE match_id IS NOT NULL;

-- +goose Down
DROP TABLE audit_log;
DROP TABLE access_tokens;
