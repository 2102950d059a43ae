-- Cancelled events stay stored, so feeds and invitations can say
-- STATUS:CANCELLED; a study circle's sessions name their series and the
-- start their rule gave, so calendars can show them as one recurring event.

-- +goose Up
ALTER TABLE events ADD COLUMN status TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled'));
ALTER TABLE events ADD COLUMN series TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN nominal_at TEXT CHECK ((series = '') = (nominal_at IS NULL));

-- +goose Down
ALTER TABLE events DROP COLUMN nominal_at;
ALTER TABLE events DROP COLUMN series;
ALTER TABLE events DROP COLUMN status;
