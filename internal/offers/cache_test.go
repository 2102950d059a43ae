package offers

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/khidi/khidi/internal/program"
)

// failingProgramme is a Store whose programme cannot be read, counting the
// attempts; its other methods are not called.
type failingProgramme struct {
	Store
	loads int
}

func (f *failingProgramme) ProgrammeVersion(context.Context) (int64, error) { return 1, nil }

func (f *failingProgramme) Organizations(context.Context) ([]program.Organization, error) {
	f.loads++
	return nil, errors.New("database down")
}

// madePlan returns a plan that is made, last used at used.
func madePlan(used time.Time) *cachedPlan {
	c := &cachedPlan{ready: make(chan struct{}), used: used}
	close(c.ready)
	return c
}

// TestPlanCache checks the plan cache's bounds: an answer's plan evicts
// the least recently used plan that is made, never one being made; a
// guess (Prepare) evicts nothing; and a plan that failed is the answer for
// a while instead of a new load of the programme for every answer.
func TestPlanCache(t *testing.T) {
	t0 := time.Now()
	s := &Service{plans: map[program.RoundID]*cachedPlan{}}
	for id := range program.RoundID(maxPlans) {
		s.plans[id+1] = madePlan(t0.Add(time.Duration(id) * time.Minute))
	}
	s.plans[1].used = t0.Add(time.Hour) // round 1 answered last; round 2 is the oldest
	if s.makeRoom(false) {
		t.Error("a guess made room in a full cache")
	}
	if !s.makeRoom(true) || len(s.plans) != maxPlans-1 || s.plans[2] != nil || s.plans[1] == nil {
		t.Errorf("an answer's room: %d plans, round 2 kept %v; want round 2, the least recently used, evicted", len(s.plans), s.plans[2] != nil)
	}
	for id := range program.RoundID(maxPlans) {
		s.plans[id+1] = &cachedPlan{ready: make(chan struct{})} // all being made
	}
	if !s.makeRoom(true) || len(s.plans) != maxPlans {
		t.Errorf("with every plan being made: %d plans left, want all %d", len(s.plans), maxPlans)
	}

	st := &failingProgramme{}
	svc := &Service{Store: st}
	round := program.Round{ID: 9, Kind: program.RoundInternship, Status: program.RoundPublished}
	for range 3 {
		if _, err := svc.plan(t.Context(), round, true); err == nil {
			t.Fatal("a plan made from a programme that cannot be read: no error")
		}
	}
	if st.loads != 1 {
		t.Errorf("three answers loaded the programme %d times after a failure, want once", st.loads)
	}
	svc.plans[round.ID].failed = time.Now().Add(-planRetry)
	if _, err := svc.plan(t.Context(), round, true); err == nil || st.loads != 2 {
		t.Errorf("after planRetry: %v, %d loads; want the plan tried again", err, st.loads)
	}
}
