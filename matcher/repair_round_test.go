package matcher_test

import (
	"testing"

	"github.com/khidi/khidi/internal/demodata"
	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/matcher"
)

// TestRepairRound declines one offer of a published internship round and
// checks what the repair changes: the accepted offers stay, every other
// open offer is kept, the declined pair is not offered again, and the freed
// place goes to someone who had no offer.
func TestRepairRound(t *testing.T) {
	prog := demodata.Generate(demodata.Config{Seed: 5})
	in := matcher.Input{Kind: program.RoundInternship, Organizations: prog.Organizations, Participants: prog.Participants}
	prop, err := matcher.Propose(in)
	if err != nil {
		t.Fatal(err)
	}
	prior := offered(prop)
	prior[0].Status = program.OfferAccepted
	prior[1].Status = program.OfferDeclined
	declined := prior[1]

	rep, err := matcher.RepairRound(in, prior)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Accepted != 1 || rep.Kept != len(prior)-2 || len(rep.Withdrawn) != 0 {
		t.Errorf("repair kept %d open offers and %d accepted, withdrew %d; want %d, 1, 0",
			rep.Kept, rep.Accepted, len(rep.Withdrawn), len(prior)-2)
	}
	if len(rep.New) != 1 {
		t.Fatalf("repair made %d new offers, want 1 for the one freed place: %+v", len(rep.New), rep.New)
	}
	n := rep.New[0]
	if n.HostID != declined.HostID {
		t.Errorf("the new offer goes to %s, want the host whose place was declined, %s", n.HostID, declined.HostID)
	}
	offered := map[program.ParticipantID]bool{}
	for _, m := range prior {
		offered[m.ParticipantID] = true
	}
	if offered[n.ParticipantID] {
		t.Errorf("the freed place went to %s, who already had an offer", n.ParticipantID)
	}
	for _, m := range rep.Proposal.Matches {
		if m.ParticipantID == declined.ParticipantID && m.HostID == declined.HostID {
			t.Errorf("the declined pair %s:%s is offered again", m.ParticipantID, m.HostID)
		}
	}

	if len(rep.Proposal.Explanations) == 0 {
		t.Error("RepairRound's proposal is not explained")
	}
	// A prepared plan gives the same repair, and again: a repair does not
	// change the plan.
	plan, err := matcher.PrepareRepair(in)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		again, err := plan.Repair(prior)
		if err != nil || len(again.New) != 1 || again.New[0].ParticipantID != n.ParticipantID || again.Kept != rep.Kept {
			t.Errorf("PrepareRepair then Repair: %+v, %v; want RepairRound's new offer to %s", again, err, n.ParticipantID)
		}
	}
	// A second decline: the plan serves the round's next repair.
	prior[2].Status = program.OfferDeclined
	next, err := plan.Repair(prior)
	want, err2 := matcher.RepairRound(in, prior)
	if err != nil || err2 != nil || len(next.New) != len(want.New) || next.New[0].ParticipantID != want.New[0].ParticipantID {
		t.Errorf("a plan's second repair: %+v, %v; RepairRound gives %+v, %v", next.New, err, want.New, err2)
	}

	for _, kind := range []program.RoundKind{program.RoundPeerExchange, program.RoundStudyCircle} {
		if _, err := matcher.RepairRound(matcher.Input{Kind: kind, Organizations: prog.Organizations, Participants: prog.Participants}, nil); err == nil {
			t.Errorf("RepairRound of a %s round succeeded; it must say to run the round again", kind)
		}
	}
}
