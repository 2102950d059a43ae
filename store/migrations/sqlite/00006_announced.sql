-- When a host was emailed about an offer (its link), so each offer a repair
-- makes is announced once.

-- +goose Up
ALTER TABLE matches ADD COLUMN announced_at TEXT;
CREATE INDEX matches_unannounced ON matches (host_id) WHERE status = 'offered' AND announced_at IS NULL;

-- +goose Down
DROP INDEX matches_unannounced;
ALTER TABLE matches DROP COLUMN announced_at;
