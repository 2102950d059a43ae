package store

import (
	"context"
	"fmt"
	"time"

	"github.com/khidi/khidi/internal/program"
)

// jobRuns maps program.JobRun onto its table.
var jobRuns = &table[program.JobRun]{
	name:    "job_runs",
	kind:    "job run",
	columns: []string{"id", "job", "slot", "replica", "started_at", "finished_at", "outcome", "counts", "error"},
	scan: func(r *program.JobRun) []any {
		return []any{&r.ID, &r.Job, asInstant(&r.Slot), &r.Replica, asInstant(&r.Started), asInstant(&r.Finished), &r.Outcome,
			asJSON(&r.Counts), &r.Error}
	},
}

// ClaimRun claims the run of job for slot (an instant the job's schedule
// gave) for replica. It reports false when the slot was claimed before, by
// this replica or another: the first insert of (job, slot) wins, so a slot
// runs once however many replicas wake for it, and a replica that wakes
// late for a slot already run does not repeat it. A claimed run is
// recorded as running, started now.
func (db *DB) ClaimRun(ctx context.Context, job string, slot time.Time, replica string) (program.JobRun, bool, error) {
	r := program.JobRun{Job: job, Slot: instantOf(slot), Replica: replica, Outcome: program.JobRunning}
	claimed := false
	err := db.inTx(ctx, fmt.Sprintf("store: claim %s at %s", job, slot.UTC().Format(time.RFC3339)), func(tx *txn) error {
		r.Started = tx.now
		q := tx.Rebind(`INSERT INTO job_runs (job, slot, replica, started_at, outcome) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (job, slot) DO NOTHING RETURNING id`)
		rows, err := tx.QueryxContext(ctx, q, job, asInstant(&r.Slot), replica, asInstant(&r.Started), string(r.Outcome))
		if err != nil {
			return err
		}
		defer rows.Close()
		if rows.Next() {
			claimed = true
			if err := rows.Scan(&r.ID); err != nil {
				return err
			}
		}
		return rows.Err()
	})
	return r, claimed && err == nil, err
}

// FinishRun records how run id ended, with the job's counts (messages
// enqueued, offers expired, …) and error text.
func (db *DB) FinishRun(ctx context.Context, id int64, outcome program.JobOutcome, counts map[string]int, errText string) error {
	return db.inTx(ctx, fmt.Sprintf("store: finish run %d", id), func(tx *txn) error {
		q := tx.Rebind(`UPDATE job_runs SET finished_at = ?, outcome = ?, counts = ?, error = ? WHERE id = ?`)
		res, err := tx.ExecContext(ctx, q, asInstant(&tx.now), string(outcome), asJSON(&counts), errText, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return fmt.Errorf("run %d: %w", id, program.ErrNotFound)
		}
		return nil
	})
}

// JobRuns returns the last limit runs of job ("" for every job), newest
// slot first.
func (db *DB) JobRuns(ctx context.Context, job string, limit int) ([]program.JobRun, error) {
	where, args := "", []any{}
	if job != "" {
		where, args = "WHERE job = ? ", append(args, job)
	}
	rs, err := jobRuns.query(ctx, db.db, where+"ORDER BY slot DESC, id DESC LIMIT ?", append(args, limit)...)
	return rs, wrap(err, "store: runs of job", job)
}
