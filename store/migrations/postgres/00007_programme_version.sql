-- A counter raised by every write of the programme's records, so that a
-- service can tell cheaply whether what it computed from them (a round's
-- scored candidates, kept for its repairs) is still current.

-- +goose Up
CREATE TABLE programme_version (
	id      integer PRIMARY KEY CHECK (id = 1),
	version bigint NOT NULL
);
INSERT INTO programme_version (id, version) VALUES (1, 0);

-- +goose Down
DROP TABLE programme_version;
