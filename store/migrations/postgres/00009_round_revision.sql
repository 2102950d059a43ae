-- A round's revision is raised by every transaction that changes its
-- matches other than by accepting an offer: proposals saved or discarded,
-- publishing, declines, expiries, withdrawals, repairs, closing. A service
-- that keeps where a round's offers stand between its repairs (a repair
-- ledger) knows from it, under the round's lock, whether anything but
-- acceptances happened since, without reading every match again.
-- Acceptances do not raise it: they do not take the round's lock, and a
-- ledger does not tell an accepted offer from an open one.

-- +goose Up
ALTER TABLE rounds ADD COLUMN revision bigint NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE rounds DROP COLUMN revision;
