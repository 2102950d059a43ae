-- Narrower tokens. A metrics token reads GET /metrics and nothing else, so
-- a monitoring system does not hold an admin token. A host link may be
-- limited to one round (round_id): the links a round's publication and
-- its announcements make open that round's offers only, so a link that
-- leaks shows one round, not every round the host takes part in. Links
-- made before this migration keep opening all their host's offers.

-- +goose Up
ALTER TABLE access_tokens DROP CONSTRAINT access_tokens_kind_check;
ALTER TABLE access_tokens DROP CONSTRAINT access_tokens_check;
ALTER TABLE access_tokens ADD COLUMN round_id bigint REFERENCES rounds (id) ON DELETE CASCADE;
ALTER TABLE access_tokens ADD CONSTRAINT access_tokens_kind_check CHECK (kind IN ('admin', 'metrics', 'host', 'feed'));
ALTER TABLE access_tokens ADD CONSTRAINT access_tokens_subject_check CHECK ((kind IN ('admin', 'metrics')) = (subject = ''));
ALTER TABLE access_tokens ADD CONSTRAINT access_tokens_round_check CHECK (round_id IS NULL OR kind = 'host');

-- +goose Down
-- Without their round, links made for one would open every round of their
-- host: they go, with the metrics tokens the old schema cannot hold.
DELETE FROM access_tokens WHERE kind = 'metrics' OR round_id IS NOT NULL;
ALTER TABLE access_tokens DROP CONSTRAINT access_tokens_round_check;
ALTER TABLE access_tokens DROP CONSTRAINT access_tokens_subject_check;
ALTER TABLE access_tokens DROP CONSTRAINT access_tokens_kind_check;
ALTER TABLE access_tokens DROP COLUMN round_id;
ALTER TABLE access_tokens ADD CONSTRAINT access_tokens_kind_check CHECK (kind IN ('admin', 'host', 'feed'));
ALTER TABLE access_tokens ADD CONSTRAINT access_tokens_check CHECK ((kind = 'admin') = (subject = ''));
