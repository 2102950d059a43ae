package matcher

import (
	"cmp"

	"github.com/khidi/khidi/internal/program"
)

// sides are the two sides of a round's assignment, as profiles with the
// number of matches each may take part in, and how to write a match
// between them.
type sides struct {
	left, right             []Profile
	leftAmount, rightAmount []int
	// set fills the who and where fields of a match between left l and
	// right r.
	set func(m *program.Match, l, r int)
}

// sidesOf selects who goes where for a round of in.Kind (study circles
// excepted, which form groups rather than pairs):
//
//   - internship: activists (novices by role, whatever their years) and new
//     CSO members (fewer than
//     NoviceYears of experience) → experienced organisations in the host
//     region with intern places;
//   - peer_exchange: CSOs with visitor places → the same CSOs;
//   - international_exchange: Georgian CSOs → organisations abroad with
//     visitor places;
//   - community_visit: CSO leaders (VisitsPerLeader each) → communities
//     that want visits (as many as they want).
func sidesOf(in *Input) sides {
	var s sides
	st := in.Settings
	switch in.Kind {
	case program.RoundInternship:
		region := cmp.Or(st.HostRegion, DefaultHostRegion)
		for _, p := range in.Participants {
			if p.Role == program.RoleActivist || (p.Role == program.RoleCSOMember && p.ExperienceYears < NoviceYears) {
				s.left = append(s.left, ParticipantProfile(p))
				s.leftAmount = append(s.leftAmount, 1)
			}
		}
		for _, o := range in.Organizations {
			if o.Experienced && o.Region == region && o.InternCapacity > 0 {
				s.right = append(s.right, OrganizationProfile(o))
				s.rightAmount = append(s.rightAmount, o.InternCapacity)
			}
		}
		s.set = func(m *program.Match, l, r int) {
			m.ParticipantID, m.HostID = program.ParticipantID(s.left[l].ID), program.OrgID(s.right[r].ID)
		}
	case program.RoundPeerExchange:
		for _, o := range in.Organizations {
			if o.Sector == program.SectorCSO && georgian(o) && o.VisitorCapacity > 0 {
				s.left = append(s.left, OrganizationProfile(o))
				s.leftAmount = append(s.leftAmount, 1)
			}
		}
		s.right, s.rightAmount = s.left, s.leftAmount
		s.set = func(m *program.Match, l, r int) {
			m.VisitorID, m.HostID = program.OrgID(s.left[l].ID), program.OrgID(s.right[r].ID)
		}
	case program.RoundInternationalExchange:
		for _, o := range in.Organizations {
			switch {
			case georgian(o) && o.Sector == program.SectorCSO:
				s.left = append(s.left, OrganizationProfile(o))
				s.leftAmount = append(s.leftAmount, 1)
			case !georgian(o) && o.VisitorCapacity > 0:
				s.right = append(s.right, OrganizationProfile(o))
				s.rightAmount = append(s.rightAmount, o.VisitorCapacity)
			}
		}
		s.set = func(m *program.Match, l, r int) {
			m.VisitorID, m.HostID = program.OrgID(s.left[l].ID), program.OrgID(s.right[r].ID)
		}
	case program.RoundCommunityVisit:
		visits := cmp.Or(st.VisitsPerLeader, DefaultVisitsPerLeader)
		for _, p := range in.Participants {
			if p.Role == program.RoleCSOLeader {
				s.left = append(s.left, ParticipantProfile(p))
				s.leftAmount = append(s.leftAmount, visits)
			}
		}
		for _, c := range in.Communities {
			if c.VisitsPerYear > 0 {
				s.right = append(s.right, CommunityProfile(c))
				s.rightAmount = append(s.rightAmount, c.VisitsPerYear)
			}
		}
		s.set = func(m *program.Match, l, r int) {
			m.ParticipantID, m.CommunityID = program.ParticipantID(s.left[l].ID), program.CommunityID(s.right[r].ID)
		}
	}
	return s
}

// georgian reports whether o is in Georgia: an empty country means
// program.DefaultCountry, as for records not yet normalised.
func georgian(o program.Organization) bool {
	return cmp.Or(o.Country, program.DefaultCountry) == program.DefaultCountry
}

// activityDays returns how many days of common availability a pair needs.
func activityDays(in *Input) int {
	if in.Settings.ActivityDays > 0 {
		return in.Settings.ActivityDays
	}
	if in.Kind == program.RoundInternship {
		return DefaultInternshipDays
	}
	return DefaultVisitDays
}
