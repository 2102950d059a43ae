-- The schedule's revision: a counter raised by every transaction that
-- writes events (SaveEvents, cancellations included). A layout reads the
-- events with the revision they are current at and saves its result only
-- if the revision is still the same, so two layouts of one year running at
-- once (the API and the yearly job, possibly in two replicas) cannot both
-- raise an event to the same SEQUENCE and lose one of the moves: the later
-- save is refused and laid out again from what the earlier one stored.
-- One counter for all years rather than one per year: a year's span
-- (yearplan.YearSpan) overlaps the next one's, and layouts are rare enough
-- that a layout of another year making one retry costs little.

-- +goose Up
CREATE TABLE schedule_revision (
	id       integer PRIMARY KEY CHECK (id = 1),
	revision bigint NOT NULL
);
INSERT INTO schedule_revision (id, revision) VALUES (1, 0);

-- +goose Down
DROP TABLE schedule_revision;
