-- Offers announced to their hosts get a row of their own rather than a
-- column on matches, so that the mail job never locks matches: a host's
-- decline, a repair or a closing round lock them too, in other orders.

-- +goose Up
DROP INDEX matches_unannounced;
ALTER TABLE matches DROP COLUMN announced_at;
CREATE TABLE offer_announcements (
	match_id     bigint PRIMARY KEY REFERENCES matches (id) ON DELETE CASCADE,
	announced_at timestamptz NOT NULL
);

-- +goose Down
DROP TABLE offer_announcements;
ALTER TABLE matches ADD COLUMN announced_at timestamptz;
CREATE INDEX matches_unannounced ON matches (host_id) WHERE status = 'offered' AND announced_at IS NULL;
