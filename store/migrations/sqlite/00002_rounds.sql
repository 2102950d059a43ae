-- Rounds, their places and matches (which become offers), and calendar
-- events, as in the PostgreSQL migration of the same number. Instants are
-- UTC text of fixed width (2026-11-25T09:30:00.000000Z), so that comparing
-- and ordering them as text is comparing and ordering them in time.
--
-- round_places holds each host's capacity in a round and how many of its
-- offers are accepted; the triggers keep that count and its CHECK refuses an
-- acceptance beyond capacity. SQLite has one writer at a time (the store
-- begins write transactions IMMEDIATE), so two acceptances cannot interleave.

-- +goose Up
CREATE TABLE rounds (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	name       TEXT NOT NULL,
	kind       TEXT NOT NULL CHECK (kind IN ('internship', 'peer_exchange', 'international_exchange', 'study_circle', 'community_visit')),
	status     TEXT NOT NULL CHECK (status IN ('draft', 'proposed', 'published', 'closed')),
	weights    TEXT NOT NULL DEFAULT '{}',
	settings   TEXT NOT NULL DEFAULT '{}',
	seed       INTEGER NOT NULL, -- a uint64 stored by its bit pattern
	input_hash TEXT NOT NULL DEFAULT '',
	solver_version TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE round_places (
	round_id INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
	place_id TEXT NOT NULL,
	capacity INTEGER NOT NULL CHECK (capacity >= 0),
	accepted INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (round_id, place_id),
	CONSTRAINT round_places_capacity CHECK (accepted BETWEEN 0 AND capacity)
) STRICT;

CREATE TABLE matches (
	id             INTEGER PRIMARY KEY AUTOINCREMENT,
	round_id       INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
	participant_id TEXT REFERENCES participants (id),
	visitor_id     TEXT REFERENCES organizations (id),
	host_id        TEXT REFERENCES organizations (id),
	community_id   TEXT REFERENCES communities (id),
	circle         INTEGER CHECK (circle > 0), -- a study circle of the round
	status         TEXT NOT NULL CHECK (status IN ('proposed', 'offered', 'accepted', 'declined', 'expired', 'withdrawn')),
	score          REAL NOT NULL,
	breakdown      TEXT NOT NULL DEFAULT '{}',
	deadline       TEXT,
	decided_at     TEXT,
	reason         TEXT NOT NULL DEFAULT '',
	CHECK ((participant_id IS NULL) <> (visitor_id IS NULL)),
	CHECK ((host_id IS NOT NULL) + (community_id IS NOT NULL) + (circle IS NOT NULL) = 1)
) STRICT;

-- One row per pairing in a round: a declined pair is not offered again.
CREATE UNIQUE INDEX matches_pair ON matches (round_id, coalesce(participant_id, visitor_id), coalesce(host_id, community_id, 'circle-' || circle));
CREATE INDEX matches_host ON matches (host_id, status) WHERE host_id IS NOT NULL;
CREATE INDEX matches_participant ON matches (participant_id) WHERE participant_id IS NOT NULL;
CREATE INDEX matches_deadline ON matches (deadline) WHERE status = 'offered';

-- +goose StatementBegin
CREATE TRIGGER matches_accepted_insert AFTER INSERT ON matches
WHEN NEW.status = 'accepted'
BEGIN
	SELECT RAISE(ABORT, 'round_places_capacity: the round has no places for this host')
	WHERE NOT EXISTS (SELECT 1 FROM round_places
		WHERE round_id = NEW.round_id AND place_id = coalesce(NEW.host_id, NEW.community_id, 'circle-' || NEW.circle));
	UPDATE round_places SET accepted = accepted + 1
	WHERE round_id = NEW.round_id AND place_id = coalesce(NEW.host_id, NEW.community_id, 'circle-' || NEW.circle);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER matches_accepted_update AFTER UPDATE OF status ON matches
WHEN (OLD.status = 'accepted') <> (NEW.status = 'accepted')
BEGIN
	SELECT RAISE(ABORT, 'round_places_capacity: the round has no places for this host')
	WHERE NEW.status = 'accepted' AND NOT EXISTS (SELECT 1 FROM round_places
		WHERE round_id = NEW.round_id AND place_id = coalesce(NEW.host_id, NEW.community_id, 'circle-' || NEW.circle));
	UPDATE round_places SET accepted = accepted + (CASE NEW.status WHEN 'accepted' THEN 1 ELSE -1 END)
	WHERE round_id = NEW.round_id AND place_id = coalesce(NEW.host_id, NEW.community_id, 'circle-' || NEW.circle);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER matches_accepted_delete AFTER DELETE ON matches
WHEN OLD.status = 'accepted'
BEGIN
	UPDATE round_places SET accepted = accepted - 1
	WHERE round_id = OLD.round_id AND place_id = coalesce(OLD.host_id, OLD.community_id, 'circle-' || OLD.circle);
END;
-- +goose StatementEnd

CREATE TABLE events (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	uid         TEXT NOT NULL UNIQUE CHECK (uid <> ''),
	kind        TEXT NOT NULL CHECK (kind IN ('internship', 'peer_exchange', 'international_exchange', 'study_circle', 'community_visit', 'meeting', 'training')),
	title       TEXT NOT NULL,
	start_at    TEXT NOT NULL,
	end_at      TEXT NOT NULL,
	zone        TEXT NOT NULL,
	location    TEXT NOT NULL DEFAULT '',
	source_rule TEXT NOT NULL DEFAULT '',
	sequence    INTEGER NOT NULL DEFAULT 0 CHECK (sequence >= 0),
	updated_at  TEXT NOT NULL,
	CHECK (end_at > start_at)
) STRICT;

CREATE INDEX events_start ON events (start_at);

CREATE TABLE event_attendees (
	event_id    INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	position    INTEGER NOT NULL,
	attendee_id TEXT, -- a participant's or organisation's id; NULL for a guest
	name        TEXT NOT NULL,
	email       TEXT NOT NULL,
	PRIMARY KEY (event_id, position)
) STRICT;

CREATE INDEX event_attendees_attendee ON event_attendees (attendee_id) WHERE attendee_id IS NOT NULL;

-- +goose Down
DROP TABLE event_attendees;
DROP TABLE events;
DROP TABLE matches;
DROP TABLE round_places;
DROP TABLE rounds;
