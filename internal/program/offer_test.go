package program

import (
	"math"
	"testing"
)

func TestOfferStatusValid(t *testing.T) {
	t.Parallel()
	for _, s := range AllOfferStatuses() {
		if !s.Valid() {
			t.Errorf("%q.Valid() = false", s)
		}
	}
	if OfferStatus("pending").Valid() {
		t.Errorf(`"pending".Valid() = true`)
	}
}

func TestOfferStatusCanMove(t *testing.T) {
	t.Parallel()
	allowed := map[[2]OfferStatus]bool{
		{OfferProposed, OfferOffered}:   true,
		{OfferProposed, OfferWithdrawn}: true,
		{OfferOffered, OfferAccepted}:   true,
		{OfferOffered, OfferDeclined}:   true,
		{OfferOffered, OfferExpired}:    true,
		{OfferOffered, OfferWithdrawn}:  true,
		{OfferAccepted, OfferWithdrawn}: true,
	}
	all := append(AllOfferStatuses(), "bogus")
	for _, from := range all {
		for _, to := range all {
			if got, want := from.CanMove(to), allowed[[2]OfferStatus{from, to}]; got != want {
				t.Errorf("%q.CanMove(%q) = %v, want %v", from, to, got, want)
			}
		}
	}
}

func TestMatchValidate(t *testing.T) {
	t.Parallel()
	good := func() *Match {
		return &Match{RoundID: 1, ParticipantID: "p-1", HostID: "org-1", Status: OfferProposed,
			Score: 0.8, Breakdown: map[string]float64{"theme": 0.5, "distance": 0.3}}
	}
	tests := []struct {
		name   string
		edit   func(m *Match)
		fields []string
	}{
		{"good", func(*Match) {}, nil},
		{"missing", func(m *Match) { m.RoundID, m.ParticipantID, m.HostID = 0, "", "" }, []string{"host_id", "participant_id", "round_id"}},
		{"organisation visits community", func(m *Match) { m.ParticipantID, m.VisitorID, m.HostID, m.CommunityID = "", "org-2", "", "c-1" }, nil},
		{"both who", func(m *Match) { m.VisitorID = "org-2" }, []string{"participant_id"}},
		{"both where", func(m *Match) { m.CommunityID = "c-1" }, []string{"host_id"}},
		{"circle", func(m *Match) { m.HostID, m.Circle = "", 2 }, nil},
		{"host and circle", func(m *Match) { m.Circle = 2 }, []string{"host_id"}},
		{"status", func(m *Match) { m.Status = "maybe" }, []string{"status"}},
		{"score", func(m *Match) { m.Score = math.NaN() }, []string{"score"}},
		{"breakdown", func(m *Match) { m.Breakdown["theme"] = math.Inf(-1) }, []string{"breakdown.theme"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := good()
			tt.edit(m)
			checkFields(t, m, tt.fields...)
		})
	}
}

func TestMatchPlace(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		m    Match
		want string
	}{
		{Match{HostID: "org-1"}, "org-1"},
		{Match{CommunityID: "c-1"}, "c-1"},
		{Match{Circle: 3}, "circle-3"},
	} {
		if got := tt.m.Place(); got != tt.want {
			t.Errorf("%+v.Place() = %q, want %q", tt.m, got, tt.want)
		}
	}
}

func TestOfferStatusLeaves(t *testing.T) {
	t.Parallel()
	for _, s := range AllOfferStatuses() {
		want := s == OfferDeclined || s == OfferExpired || s == OfferWithdrawn
		// Leaving is ending from offered other than by acceptance.
		if ended := OfferOffered.CanMove(s) && s != OfferAccepted; s.Leaves() != want || s.Leaves() != ended {
			t.Errorf("%s.Leaves() = %v, want %v", s, s.Leaves(), want)
		}
	}
}
