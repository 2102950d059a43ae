-- The programme's people and places: organisations (hosts), participants and
-- communities. List-valued fields are JSON text, as on SQLite (see the store
-- package documentation for why). Rounds, matches and events follow in the
-- next migration.

-- +goose Up
CREATE TABLE organizations (
	id               text PRIMARY KEY CHECK (id <> ''),
	name             text NOT NULL CHECK (name <> ''),
	sector           text NOT NULL CHECK (sector IN ('cso', 'government', 'private', 'media', 'academia', 'international')),
	region           text NOT NULL,
	city             text NOT NULL,
	lat              double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
	lon              double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
	country          text NOT NULL,
	timezone         text NOT NULL,
	themes           text NOT NULL DEFAULT '[]',
	languages        text NOT NULL DEFAULT '[]',
	experienced      boolean NOT NULL,
	intern_capacity  integer NOT NULL CHECK (intern_capacity >= 0),
	visitor_capacity integer NOT NULL CHECK (visitor_capacity >= 0),
	availability     text NOT NULL DEFAULT '[]',
	blackout_dates   text NOT NULL DEFAULT '[]',
	email            text NOT NULL
);

CREATE TABLE participants (
	id               text PRIMARY KEY CHECK (id <> ''),
	name             text NOT NULL CHECK (name <> ''),
	email            text NOT NULL,
	role             text NOT NULL CHECK (role IN ('activist', 'cso_member', 'cso_leader', 'trainer', 'expert')),
	organization_id  text REFERENCES organizations (id),
	region           text NOT NULL,
	city             text NOT NULL,
	lat              double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
	lon              double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
	themes           text NOT NULL DEFAULT '[]',
	languages        text NOT NULL DEFAULT '[]',
	experience_years integer NOT NULL CHECK (experience_years BETWEEN 0 AND 80),
	available_from   date,
	available_to     date,
	preferences      text NOT NULL DEFAULT '[]',
	CHECK (available_from IS NULL OR available_to IS NULL OR available_from <= available_to)
);

CREATE INDEX participants_organization_id ON participants (organization_id);

CREATE TABLE communities (
	id              text PRIMARY KEY CHECK (id <> ''),
	name            text NOT NULL CHECK (name <> ''),
	region          text NOT NULL,
	lat             double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
	lon             double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
	needs           text NOT NULL DEFAULT '[]',
	visits_per_year integer NOT NULL CHECK (visits_per_year BETWEEN 0 AND 52)
);

-- +goose Down
DROP TABLE communities;
DROP TABLE participants;
DROP TABLE organizations;
