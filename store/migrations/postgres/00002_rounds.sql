-- Rounds, their places and matches (which become offers), and calendar
-- events. Instants are timestamptz and always written in UTC by the store.
--
-- A match sends a participant or a visiting organisation (exactly one) to a
-- host organisation, a community or a study circle of the round (exactly
-- one); a place is named by the host's or community's id, or circle-N.
-- round_places holds each host's capacity in a round and how many of its offers are accepted; the
-- triggers below keep that count, and its CHECK makes the database refuse an
-- acceptance beyond capacity even when two transactions race: the second
-- waits for the first's row lock on the place, then sees the new count.

-- +goose Up
CREATE TABLE rounds (
	id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name       text NOT NULL,
	kind       text NOT NULL CHECK (kind IN ('internship', 'peer_exchange', 'international_exchange', 'study_circle', 'community_visit')),
	status     text NOT NULL CHECK (status IN ('draft', 'proposed', 'published', 'closed')),
	weights    text NOT NULL DEFAULT '{}',
	settings   text NOT NULL DEFAULT '{}',
	seed       bigint NOT NULL, -- a uint64 stored by its bit pattern
	input_hash text NOT NULL DEFAULT '',
	solver_version text NOT NULL DEFAULT '',
	created_at timestamptz NOT NULL,
	updated_at timestamptz NOT NULL
);

CREATE TABLE round_places (
	round_id bigint NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
	place_id text NOT NULL,
	capacity integer NOT NULL CHECK (capacity >= 0),
	accepted integer NOT NULL DEFAULT 0,
	PRIMARY KEY (round_id, place_id),
	CONSTRAINT round_places_capacity CHECK (accepted BETWEEN 0 AND capacity)
);

CREATE TABLE matches (
	id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	round_id       bigint NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
	participant_id text REFERENCES participants (id),
	visitor_id     text REFERENCES organizations (id),
	host_id        text REFERENCES organizations (id),
	community_id   text REFERENCES communities (id),
	circle         integer CHECK (circle > 0), -- a study circle of the round
	status         text NOT NULL CHECK (status IN ('proposed', 'offered', 'accepted', 'declined', 'expired', 'withdrawn')),
	score          double precision NOT NULL,
	breakdown      text NOT NULL DEFAULT '{}',
	deadline       timestamptz,
	decided_at     timestamptz,
	reason         text NOT NULL DEFAULT '',
	CHECK ((participant_id IS NULL) <> (visitor_id IS NULL)),
	CHECK (num_nonnulls(host_id, community_id, circle) = 1)
);

-- One row per pairing in a round: a declined pair is not offered again.
CREATE UNIQUE INDEX matches_pair ON matches (round_id, coalesce(participant_id, visitor_id), coalesce(host_id, community_id, 'circle-' || circle::text));
CREATE INDEX matches_host ON matches (host_id, status) WHERE host_id IS NOT NULL;
CREATE INDEX matches_participant ON matches (participant_id) WHERE participant_id IS NOT NULL;
CREATE INDEX matches_deadline ON matches (deadline) WHERE status = 'offered';

-- +goose StatementBegin
CREATE FUNCTION matches_count_accepted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP <> 'INSERT' AND OLD.status = 'accepted' THEN
		UPDATE round_places SET accepted = accepted - 1
		WHERE round_id = OLD.round_id AND place_id = coalesce(OLD.host_id, OLD.community_id, 'circle-' || OLD.circle::text);
	END IF;
	IF TG_OP <> 'DELETE' AND NEW.status = 'accepted' THEN
		UPDATE round_places SET accepted = accepted + 1
		WHERE round_id = NEW.round_id AND place_id = coalesce(NEW.host_id, NEW.community_id, 'circle-' || NEW.circle::text);
		IF NOT FOUND THEN
			RAISE EXCEPTION 'round % has no places for %', NEW.round_id, coalesce(NEW.host_id, NEW.community_id, 'circle-' || NEW.circle::text)
				USING ERRCODE = 'check_violation', CONSTRAINT = 'round_places_capacity';
		END IF;
	END IF;
	RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER matches_accepted_insert AFTER INSERT ON matches
	FOR EACH ROW WHEN (NEW.status = 'accepted') EXECUTE FUNCTION matches_count_accepted();
CREATE TRIGGER matches_accepted_update AFTER UPDATE OF status ON matches
	FOR EACH ROW WHEN ((OLD.status = 'accepted') <> (NEW.status = 'accepted')) EXECUTE FUNCTION matches_count_accepted();
CREATE TRIGGER matches_accepted_delete AFTER DELETE ON matches
	FOR EACH ROW WHEN (OLD.status = 'accepted') EXECUTE FUNCTION matches_count_accepted();

CREATE TABLE events (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	uid         text NOT NULL UNIQUE CHECK (uid <> ''),
	kind        text NOT NULL CHECK (kind IN ('internship', 'peer_exchange', 'international_exchange', 'study_circle', 'community_visit', 'meeting', 'training')),
	title       text NOT NULL,
	start_at    timestamptz NOT NULL,
	end_at      timestamptz NOT NULL,
	zone        text NOT NULL,
	location    text NOT NULL DEFAULT '',
	source_rule text NOT NULL DEFAULT '',
	sequence    integer NOT NULL DEFAULT 0 CHECK (sequence >= 0),
	updated_at  timestamptz NOT NULL,
	CHECK (end_at > start_at)
);

CREATE INDEX events_start ON events (start_at);

CREATE TABLE event_attendees (
	event_id    bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	position    integer NOT NULL,
	attendee_id text, -- a participant's or organisation's id; NULL for a guest
	name        text NOT NULL,
	email       text NOT NULL,
	PRIMARY KEY (event_id, position)
);

CREATE INDEX event_attendees_attendee ON event_attendees (attendee_id) WHERE attendee_id IS NOT NULL;

-- +goose Down
DROP TABLE event_attendees;
DROP TABLE events;
DROP TABLE matches;
DROP FUNCTION matches_count_accepted();
DROP TABLE round_places;
DROP TABLE rounds;
