-- The programme's people and places: organisations (hosts), participants and
-- communities. List-valued fields are JSON text, as on PostgreSQL (see the
-- store package documentation for why); dates are YYYY-MM-DD text; tables are
-- STRICT so a value of the wrong type is refused, as PostgreSQL would.
-- Rounds, matches and events follow in the next migration.

-- +goose Up
CREATE TABLE organizations (
	id               TEXT PRIMARY KEY CHECK (id <> ''),
	name             TEXT NOT NULL CHECK (name <> ''),
	sector           TEXT NOT NULL CHECK (sector IN ('cso', 'government', 'private', 'media', 'academia', 'international')),
	region           TEXT NOT NULL,
	city             TEXT NOT NULL,
	lat              REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
	lon              REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
	country          TEXT NOT NULL,
	timezone         TEXT NOT NULL,
	themes           TEXT NOT NULL DEFAULT '[]',
	languages        TEXT NOT NULL DEFAULT '[]',
	experienced      INTEGER NOT NULL,
	intern_capacity  INTEGER NOT NULL CHECK (intern_capacity >= 0),
	visitor_capacity INTEGER NOT NULL CHECK (visitor_capacity >= 0),
	availability     TEXT NOT NULL DEFAULT '[]',
	blackout_dates   TEXT NOT NULL DEFAULT '[]',
	email            TEXT NOT NULL
) STRICT;

CREATE TABLE participants (
	id               TEXT PRIMARY KEY CHECK (id <> ''),
	name             TEXT NOT NULL CHECK (name <> ''),
	email            TEXT NOT NULL,
	role             TEXT NOT NULL CHECK (role IN ('activist', 'cso_member', 'cso_leader', 'trainer', 'expert')),
	organization_id  TEXT REFERENCES organizations (id),
	region           TEXT NOT NULL,
	city             TEXT NOT NULL,
	lat              REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
	lon              REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
	themes           TEXT NOT NULL DEFAULT '[]',
	languages        TEXT NOT NULL DEFAULT '[]',
	experience_years INTEGER NOT NULL CHECK (experience_years BETWEEN 0 AND 80),
	available_from   TEXT CHECK (available_from IS NULL OR available_from GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	available_to     TEXT CHECK (available_to IS NULL OR available_to GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	preferences      TEXT NOT NULL DEFAULT '[]',
	CHECK (available_from IS NULL OR available_to IS NULL OR available_from <= available_to)
) STRICT;

CREATE INDEX participants_organization_id ON participants (organization_id);

CREATE TABLE communities (
	id              TEXT PRIMARY KEY CHECK (id <> ''),
	name            TEXT NOT NULL CHECK (name <> ''),
	region          TEXT NOT NULL,
	lat             REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
	lon             REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
	needs           TEXT NOT NULL DEFAULT '[]',
	visits_per_year INTEGER NOT NULL CHECK (visits_per_year BETWEEN 0 AND 52)
) STRICT;

-- +goose Down
DROP TABLE communities;
DROP TABLE participants;
DROP TABLE organizations;
