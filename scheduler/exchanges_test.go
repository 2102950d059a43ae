package scheduler

import (
	"cmp"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/khidi/khidi/internal/program"
)

// exchangeStrings is a compact, comparable view of a layout: each placed visit
// as "ID FIRST..LAST START END" (instants in UTC) and each unplaced one as
// its ID.
func exchangeStrings(l *ExchangeLayout) (placed, unplaced []string) {
	for _, p := range l.Placed {
		placed = append(placed, fmt.Sprintf("%s %s..%s %s %s", p.ID(), p.First, p.Last, p.Start.Format(time.RFC3339), p.End.Format(time.RFC3339)))
	}
	for _, u := range l.Unplaced {
		unplaced = append(unplaced, u.ID())
	}
	return placed, unplaced
}

// georgianHosts blocks Georgia's public holidays for hosts whose id starts
// with "ge-", and nothing for partners abroad.
func georgianHosts(host program.OrgID) Blocked {
	if strings.HasPrefix(string(host), "ge-") {
		return georgianHolidays()
	}
	return nil
}

// Calendar facts used below, checked against a 2027 calendar: 1 January
// 2027 is a Friday, so 4 January, 12 April and 24 May are Mondays, 19 January
// and 2 February Tuesdays, 24 March a Wednesday. Georgia (UTC+4 all year)
// keeps 1–2 January (New Year), 7 January (Christmas) and 26 May
// (Independence Day). Warsaw moves from CET (UTC+1) to CEST (UTC+2) on
// Sunday 28 March 2027, the last Sunday of March.
func TestPlaceExchanges(t *testing.T) {
	t.Parallel()
	year := mustWindow(t, "2027-01-01", "2027-12-31")
	ws := func(from, to string) []program.Window { return []program.Window{mustWindow(t, from, to)} }
	tests := []struct {
		name     string
		in       ExchangeInput
		placed   []string
		unplaced []string
	}{
		{
			// Windows overlap from Monday 12 April; Tbilisi 10:00 is 06:00Z
			// and 17:00 is 13:00Z.
			name: "one-way visit inside both windows",
			in: ExchangeInput{
				Exchanges: []Exchange{{Visitor: "ge-a", Host: "ge-b", Days: 5}},
				Availability: map[program.OrgID][]program.Window{
					"ge-a": ws("2027-03-01", "2027-06-30"),
					"ge-b": ws("2027-04-12", "2027-12-31"),
				},
			},
			placed: []string{"ge-a→ge-b 2027-04-12..2027-04-16 2027-04-12T06:00:00Z 2027-04-16T13:00:00Z"},
		},
		{
			// ge-a visits Warsaw from Friday 1 January (10:00 CET = 09:00Z)
			// to Tuesday 5 January (17:00 CET = 16:00Z). The return visit
			// may start 4 weeks after 5 January: Tuesday 2 February, in
			// Tbilisi. Listed return first: the order is by ids.
			name: "mutual pair with the default gap",
			in: ExchangeInput{
				Exchanges: []Exchange{
					{Visitor: "pl-w", Host: "ge-a", Days: 5},
					{Visitor: "ge-a", Host: "pl-w", Days: 5, Zone: "Europe/Warsaw"},
				},
			},
			placed: []string{
				"ge-a→pl-w 2027-01-01..2027-01-05 2027-01-01T09:00:00Z 2027-01-05T16:00:00Z",
				"pl-w→ge-a 2027-02-02..2027-02-06 2027-02-02T06:00:00Z 2027-02-06T13:00:00Z",
			},
		},
		{
			// Gap 2 weeks: 5 January + 14 days = Tuesday 19 January.
			name: "mutual pair with a gap of two weeks",
			in: ExchangeInput{
				Exchanges: []Exchange{
					{Visitor: "ge-a", Host: "pl-w", Days: 5, Zone: "Europe/Warsaw"},
					{Visitor: "pl-w", Host: "ge-a", Days: 5},
				},
				Gap: 2,
			},
			placed: []string{
				"ge-a→pl-w 2027-01-01..2027-01-05 2027-01-01T09:00:00Z 2027-01-05T16:00:00Z",
				"pl-w→ge-a 2027-01-19..2027-01-23 2027-01-19T06:00:00Z 2027-01-23T13:00:00Z",
			},
		},
		{
			// Wednesday 24 March 10:00 CET = 09:00Z; Tuesday 30 March 17:00
			// CEST = 15:00Z. The second visit to pl-w waits for the first
			// and starts Wednesday 31 March at 10:00 CEST = 08:00Z: the
			// same local 10:00, an hour earlier in UTC.
			name: "Warsaw across the clock change keeps local time",
			in: ExchangeInput{
				Exchanges: []Exchange{
					{Visitor: "ge-a", Host: "pl-w", Days: 7, Zone: "Europe/Warsaw"},
					{Visitor: "ge-b", Host: "pl-w", Days: 1, Zone: "Europe/Warsaw"},
				},
				Availability: map[program.OrgID][]program.Window{"pl-w": ws("2027-03-24", "2027-04-30")},
			},
			placed: []string{
				"ge-a→pl-w 2027-03-24..2027-03-30 2027-03-24T09:00:00Z 2027-03-30T15:00:00Z",
				"ge-b→pl-w 2027-03-31..2027-03-31 2027-03-31T08:00:00Z 2027-03-31T15:00:00Z",
			},
		},
		{
			// From 1 January: 1–2 are holidays, 3 a Sunday; starts on 4, 5
			// and 6 January would have Christmas (7) on site, 7 is
			// Christmas itself; Friday 8 January is the first allowed. The
			// Warsaw host has no Georgian holidays and starts on 1 January.
			name: "Georgian holidays push a start",
			in: ExchangeInput{
				Exchanges: []Exchange{
					{Visitor: "pl-w", Host: "ge-a", Days: 5},
					{Visitor: "ge-b", Host: "pl-x", Days: 5, Zone: "Europe/Warsaw"},
				},
				Blocked: georgianHosts,
			},
			placed: []string{
				"ge-b→pl-x 2027-01-01..2027-01-05 2027-01-01T09:00:00Z 2027-01-05T16:00:00Z",
				"pl-w→ge-a 2027-01-08..2027-01-12 2027-01-08T06:00:00Z 2027-01-12T13:00:00Z",
			},
		},
		{
			// A→B takes 1–5 January (A and B busy); A→D waits for A: Wednesday
			// 6 January; C→B waits for B: also 6 January.
			name: "an organisation is never in two visits at once",
			in: ExchangeInput{
				Exchanges: []Exchange{
					{Visitor: "ge-c", Host: "ge-b", Days: 5},
					{Visitor: "ge-a", Host: "ge-d", Days: 3},
					{Visitor: "ge-a", Host: "ge-b", Days: 5},
				},
			},
			placed: []string{
				"ge-a→ge-b 2027-01-01..2027-01-05 2027-01-01T06:00:00Z 2027-01-05T13:00:00Z",
				"ge-a→ge-d 2027-01-06..2027-01-08 2027-01-06T06:00:00Z 2027-01-08T13:00:00Z",
				"ge-c→ge-b 2027-01-06..2027-01-10 2027-01-06T06:00:00Z 2027-01-10T13:00:00Z",
			},
		},
		{
			// 09:00 to 12:30 Warsaw on Monday 4 January (CET).
			name: "configured day times",
			in: ExchangeInput{
				Exchanges: []Exchange{{Visitor: "ge-a", Host: "pl-w", Days: 1, Zone: "Europe/Warsaw"}},
				Horizon:   mustWindow(t, "2027-01-02", "2027-01-31"),
				DayStart:  9 * time.Hour, DayEnd: 12*time.Hour + 30*time.Minute,
			},
			placed: []string{"ge-a→pl-w 2027-01-04..2027-01-04 2027-01-04T08:00:00Z 2027-01-04T11:30:00Z"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := tt.in
			if in.Horizon == (program.Window{}) {
				in.Horizon = year
			}
			got, err := PlaceExchanges(in)
			if err != nil {
				t.Fatalf("PlaceExchanges: %v", err)
			}
			placed, unplaced := exchangeStrings(got)
			if !reflect.DeepEqual(placed, tt.placed) || !reflect.DeepEqual(unplaced, tt.unplaced) {
				t.Errorf("PlaceExchanges placed\n\t%s\nunplaced %v; want\n\t%s\nunplaced %v",
					strings.Join(placed, "\n\t"), unplaced, strings.Join(tt.placed, "\n\t"), tt.unplaced)
			}
			checkExchangeLayout(t, in, got)
		})
	}
}

func TestPlaceExchangesMutualFlags(t *testing.T) {
	t.Parallel()
	in := ExchangeInput{
		Exchanges: []Exchange{{Visitor: "b", Host: "a", Days: 2}, {Visitor: "a", Host: "b", Days: 2}, {Visitor: "a", Host: "c", Days: 2}},
		Horizon:   mustWindow(t, "2027-01-01", "2027-12-31"),
	}
	got, err := PlaceExchanges(in)
	if err != nil {
		t.Fatal(err)
	}
	type flags struct {
		id       string
		index    int
		mutual   bool
		returnOf string
	}
	var fs []flags
	for _, p := range got.Placed {
		fs = append(fs, flags{p.ID(), p.Index, p.Mutual, p.ReturnOf})
	}
	want := []flags{{"a→b", 1, true, ""}, {"a→c", 2, false, ""}, {"b→a", 0, true, "a→b"}}
	if !reflect.DeepEqual(fs, want) {
		t.Errorf("PlaceExchanges flags = %v, want %v", fs, want)
	}
}

func TestPlaceExchangesReasons(t *testing.T) {
	t.Parallel()
	ws := func(from, to string) []program.Window { return []program.Window{mustWindow(t, from, to)} }
	tests := []struct {
		name      string
		in        ExchangeInput
		id        string // the unplaced visit
		reasonHas string
		conflicts []string
	}{
		{
			name: "windows overlap too little",
			in: ExchangeInput{
				Exchanges:    []Exchange{{Visitor: "a", Host: "b", Days: 5}},
				Availability: map[program.OrgID][]program.Window{"a": ws("2027-03-01", "2027-03-10"), "b": ws("2027-03-08", "2027-03-31")},
			},
			id: "a→b", reasonHas: "at most 3 days, fewer than the 5 asked",
		},
		{
			// Monday 24 to Friday 28 May; every 3-day start (24, 25, 26)
			// has Independence Day, 26 May, on site.
			name: "every start has a holiday on site",
			in: ExchangeInput{
				Exchanges:    []Exchange{{Visitor: "pl-w", Host: "ge-a", Days: 3}},
				Availability: map[program.OrgID][]program.Window{"ge-a": ws("2027-05-24", "2027-05-28")},
				Blocked:      georgianHosts,
			},
			id: "pl-w→ge-a", reasonHas: "first blocked: 2027-05-26",
		},
		{
			// 6–7 March 2027 are a Saturday and a Sunday.
			name: "only weekend starts",
			in: ExchangeInput{
				Exchanges:    []Exchange{{Visitor: "a", Host: "b", Days: 2}},
				Availability: map[program.OrgID][]program.Window{"b": ws("2027-03-06", "2027-03-07")},
			},
			id: "a→b", reasonHas: "weekend",
		},
		{
			// Both want b in the one week it hosts; a→b goes first.
			name: "conflict with an earlier visit",
			in: ExchangeInput{
				Exchanges: []Exchange{
					{Visitor: "c", Host: "b", Days: 5},
					{Visitor: "a", Host: "b", Days: 5},
				},
				Availability: map[program.OrgID][]program.Window{"b": ws("2027-01-04", "2027-01-08")},
			},
			id: "c→b", reasonHas: "clashes with a visit already placed", conflicts: []string{"a→b"},
		},
		{
			// a→b ends 5 January; the return may start 2 February, after
			// a's window closes on 31 January.
			name: "the gap leaves no start",
			in: ExchangeInput{
				Exchanges:    []Exchange{{Visitor: "a", Host: "b", Days: 5}, {Visitor: "b", Host: "a", Days: 5}},
				Availability: map[program.OrgID][]program.Window{"a": ws("2027-01-01", "2027-01-31")},
			},
			id: "b→a", reasonHas: "no earlier than 2027-02-02, the mutual gap after a→b",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := tt.in
			in.Horizon = mustWindow(t, "2027-01-01", "2027-12-31")
			got, err := PlaceExchanges(in)
			if err != nil {
				t.Fatalf("PlaceExchanges: %v", err)
			}
			if len(got.Unplaced) != 1 || got.Unplaced[0].ID() != tt.id {
				t.Fatalf("PlaceExchanges unplaced = %+v, want only %s", got.Unplaced, tt.id)
			}
			u := got.Unplaced[0]
			if !strings.Contains(u.Reason, tt.reasonHas) {
				t.Errorf("reason = %q, want it to contain %q", u.Reason, tt.reasonHas)
			}
			if !reflect.DeepEqual(u.Conflicts, tt.conflicts) {
				t.Errorf("conflicts = %v, want %v", u.Conflicts, tt.conflicts)
			}
			checkExchangeLayout(t, in, got)
		})
	}
}

func TestPlaceExchangesErrors(t *testing.T) {
	t.Parallel()
	year := mustWindow(t, "2027-01-01", "2027-12-31")
	ok := []Exchange{{Visitor: "a", Host: "b", Days: 3}}
	tests := []struct {
		name string
		in   ExchangeInput
		has  string
	}{
		{"horizon ends before it starts", ExchangeInput{Exchanges: ok, Horizon: mustWindow(t, "2027-12-31", "2027-01-01")}, "2027-12-31..2027-01-01"},
		{"horizon open", ExchangeInput{Exchanges: ok, Horizon: program.Window{From: year.From}}, "both ends"},
		{"window ends before it starts", ExchangeInput{Exchanges: ok, Horizon: year, Availability: map[program.OrgID][]program.Window{"b": {mustWindow(t, "2027-05-01", "2027-04-01")}}}, "organisation b: window 2027-05-01..2027-04-01"},
		{"unknown zone", ExchangeInput{Exchanges: []Exchange{{Visitor: "a", Host: "b", Days: 3, Zone: "Europe/Atlantis"}}, Horizon: year}, `"Europe/Atlantis"`},
		{"machine zone", ExchangeInput{Exchanges: []Exchange{{Visitor: "a", Host: "b", Days: 3, Zone: "Local"}}, Horizon: year}, `"Local"`},
		{"no days", ExchangeInput{Exchanges: []Exchange{{Visitor: "a", Host: "b"}}, Horizon: year}, "0 days on site"},
		{"visits itself", ExchangeInput{Exchanges: []Exchange{{Visitor: "a", Host: "a", Days: 1}}, Horizon: year}, "cannot visit itself"},
		{"no host", ExchangeInput{Exchanges: []Exchange{{Visitor: "a", Days: 1}}, Horizon: year}, "must both be set"},
		{"listed twice", ExchangeInput{Exchanges: append(slices.Clone(ok), ok...), Horizon: year}, "listed twice"},
		{"negative gap", ExchangeInput{Exchanges: ok, Horizon: year, Gap: -1}, "gap -1"},
		{"day ends before it starts", ExchangeInput{Exchanges: ok, Horizon: year, DayStart: 18 * time.Hour}, "18h0m0s to 17h0m0s"},
		{"day past midnight", ExchangeInput{Exchanges: ok, Horizon: year, DayEnd: 25 * time.Hour}, "[0, 24h)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := PlaceExchanges(tt.in)
			if !errors.Is(err, program.ErrInvalid) {
				t.Fatalf("PlaceExchanges = %v, %v; want an error wrapping ErrInvalid", got, err)
			}
			if !strings.Contains(err.Error(), tt.has) {
				t.Errorf("PlaceExchanges error %q, want it to quote %q", err, tt.has)
			}
		})
	}
}

// checkExchangeLayout checks the rules of PlaceExchanges on a layout without
// recomputing it: every visit placed or unplaced once, days inside the
// horizon and both windows, a working, open first day and no blocked day on
// site, no organisation in two visits on one date, the mutual gap, and times
// at DayStart and DayEnd local.
func checkExchangeLayout(t *testing.T, in ExchangeInput, got *ExchangeLayout) {
	t.Helper()
	if n := len(got.Placed) + len(got.Unplaced); n != len(in.Exchanges) {
		t.Fatalf("%d placed + unplaced, want %d", n, len(in.Exchanges))
	}
	gap := cmp.Or(in.Gap, DefaultExchangeGap)
	dayStart, dayEnd := exchangeDay(in)
	inWindows := func(org program.OrgID, d program.Date) bool {
		ws := in.Availability[org]
		return len(ws) == 0 || slices.ContainsFunc(ws, func(w program.Window) bool { return w.Contains(d) })
	}
	byPair := map[[2]program.OrgID]PlacedExchange{}
	for i, p := range got.Placed {
		if i > 0 && got.Placed[i-1].ID() >= p.ID() && got.Placed[i-1].Visitor == p.Visitor {
			t.Errorf("%s placed after %s: not in id order", p.ID(), got.Placed[i-1].ID())
		}
		byPair[[2]program.OrgID{p.Visitor, p.Host}] = p
		first, last := dayNumber(p.First), dayNumber(p.Last)
		if last-first+1 != p.Days {
			t.Errorf("%s: %s..%s is not %d days", p.ID(), p.First, p.Last, p.Days)
		}
		if !isWorkingDay(first) {
			t.Errorf("%s starts on a weekend, %s", p.ID(), p.First)
		}
		var blocked Blocked
		if in.Blocked != nil {
			blocked = in.Blocked(p.Host)
		}
		for d := first; d <= last; d++ {
			date := dateOfDay(d)
			if !in.Horizon.Contains(date) || !inWindows(p.Visitor, date) || !inWindows(p.Host, date) {
				t.Errorf("%s: %s outside the horizon or a window", p.ID(), date)
			}
			if r, no := blocked.check(date); no {
				t.Errorf("%s: %s on site is blocked (%s)", p.ID(), date, r)
			}
		}
		loc, err := time.LoadLocation(cmp.Or(p.Zone, program.DefaultTimeZone))
		if err != nil {
			t.Fatal(err)
		}
		ls, le := p.Start.In(loc), p.End.In(loc)
		if program.DateOf(ls) != p.First || program.DateOf(le) != p.Last ||
			time.Duration(ls.Hour())*time.Hour+time.Duration(ls.Minute())*time.Minute != dayStart ||
			time.Duration(le.Hour())*time.Hour+time.Duration(le.Minute())*time.Minute != dayEnd {
			t.Errorf("%s: %v..%v local, want %s at %v to %s at %v", p.ID(), ls, le, p.First, dayStart, p.Last, dayEnd)
		}
	}
	for i, p := range got.Placed {
		for _, q := range got.Placed[i+1:] {
			shared := p.Visitor == q.Visitor || p.Visitor == q.Host || p.Host == q.Visitor || p.Host == q.Host
			if shared && overlaps(dayNumber(p.First), p.Days, dayNumber(q.First), q.Days) {
				t.Errorf("%s (%s..%s) and %s (%s..%s) share an organisation on one date", p.ID(), p.First, p.Last, q.ID(), q.First, q.Last)
			}
		}
		if back, ok := byPair[[2]program.OrgID{p.Host, p.Visitor}]; ok && p.Visitor < p.Host {
			if dayNumber(back.First) < dayNumber(p.Last)+7*gap {
				t.Errorf("return %s starts %s, less than %d weeks after %s ends %s", back.ID(), back.First, gap, p.ID(), p.Last)
			}
		}
	}
}

// TestPlaceExchangesProperties runs the layout rules on seeded random
// programmes, with Georgian holidays and Warsaw hosts.
func TestPlaceExchangesProperties(t *testing.T) {
	t.Parallel()
	placed, returns, kept := 0, 0, 0
	for seed := range uint64(200) {
		r := rand.New(rand.NewPCG(seed, 0))
		orgs := []program.OrgID{"ge-a", "ge-b", "ge-c", "pl-w", "pl-x"}
		in := ExchangeInput{
			Horizon:      mustWindow(t, "2027-01-01", "2027-06-30"),
			Availability: map[program.OrgID][]program.Window{},
			Blocked:      georgianHosts,
			Gap:          r.IntN(6),
		}
		for _, o := range orgs {
			for range r.IntN(3) {
				from := 1 + r.IntN(170)
				in.Availability[o] = append(in.Availability[o], program.Window{
					From: dateOfDay(dayNumber(in.Horizon.From) + from),
					To:   dateOfDay(dayNumber(in.Horizon.From) + from + r.IntN(60)),
				})
			}
			for _, h := range orgs {
				if h == o || r.IntN(3) > 0 {
					continue
				}
				e := Exchange{Visitor: o, Host: h, Days: 1 + r.IntN(10)}
				if strings.HasPrefix(string(h), "pl-") {
					e.Zone = "Europe/Warsaw"
				}
				in.Exchanges = append(in.Exchanges, e)
			}
		}
		got, err := PlaceExchanges(in)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		checkExchangeLayout(t, in, got)
		again, _ := PlaceExchanges(in)
		if !reflect.DeepEqual(got, again) {
			t.Fatalf("seed %d: two runs differ", seed)
		}
		// With a blackout added and the layout as Previous the rules still
		// hold, and laying out once more with that result as Previous
		// changes nothing.
		blackout := dayNumber(in.Horizon.From) + r.IntN(180)
		in.Blocked = func(host program.OrgID) Blocked {
			return func(d program.Date) (string, bool) {
				if dayNumber(d) == blackout {
					return "blackout", true
				}
				return georgianHosts(host).check(d)
			}
		}
		in.Exchanges = withPreviousExchanges(in.Exchanges, got)
		next, err := PlaceExchanges(in)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		checkExchangeLayout(t, in, next)
		in.Exchanges = withPreviousExchanges(in.Exchanges, next)
		if last, err := PlaceExchanges(in); err != nil || len(movedExchanges(next, last)) > 0 || len(last.Placed) != len(next.Placed) {
			t.Fatalf("seed %d: laid out with its own result as Previous, moved %q (%v)", seed, movedExchanges(next, last), err)
		}
		kept += len(next.Placed) - len(movedExchanges(got, next))
		placed += len(got.Placed)
		for _, p := range got.Placed {
			if p.ReturnOf != "" {
				returns++
			}
		}
	}
	// So that the checks above cannot pass on empty layouts.
	if placed < 500 || returns < 50 || kept == 0 {
		t.Errorf("%d visits placed, %d of them return visits, %d kept after a blackout; the generator should give more", placed, returns, kept)
	}
}

// withPreviousExchanges returns es with Previous set to l's first days.
func withPreviousExchanges(es []Exchange, l *ExchangeLayout) []Exchange {
	out := slices.Clone(es)
	for i := range out {
		out[i].Previous = program.Date{}
	}
	for _, p := range l.Placed {
		out[p.Index].Previous = p.First
	}
	return out
}

// movedExchanges lists the visits placed in before that after places on
// another day or not at all.
func movedExchanges(before, after *ExchangeLayout) []string {
	var moved []string
	for _, p := range before.Placed {
		i := slices.IndexFunc(after.Placed, func(q PlacedExchange) bool { return q.ID() == p.ID() })
		if i < 0 || after.Placed[i].First != p.First {
			moved = append(moved, p.ID())
		}
	}
	return moved
}

// TestPlaceExchangesPrevious lays out visits, changes the input a little
// and lays them out again without and with the first layout as Previous,
// listing the visits of the first layout that moved. 1 January 2027 is a
// Friday, 1 March a Monday; no day is blocked.
func TestPlaceExchangesPrevious(t *testing.T) {
	t.Parallel()
	fromMarch := map[program.OrgID][]program.Window{"a": {{From: mustDate(t, "2027-03-01")}}, "b": {{From: mustDate(t, "2027-03-01")}}}
	tests := []struct {
		name                    string
		before, after           ExchangeInput
		movedWithout, movedWith []string
		placed                  []string // with Previous
	}{
		{
			// a→h sorts before b→h: laid out afresh it takes 1–3 January
			// and pushes b→h to Monday 4 January.
			name:         "visit added before another of the same host",
			before:       ExchangeInput{Exchanges: []Exchange{{Visitor: "b", Host: "h", Days: 3}}},
			after:        ExchangeInput{Exchanges: []Exchange{{Visitor: "a", Host: "h", Days: 3}, {Visitor: "b", Host: "h", Days: 3}}},
			movedWithout: []string{"b→h"},
			placed:       []string{"a→h 2027-01-04", "b→h 2027-01-01"},
		},
		{
			// a→b makes the pair mutual and is its first visit. Afresh it
			// takes 1–3 January and b→a moves to 1 February, four weeks
			// later; with the previous layout b→a stays on 1 March and
			// a→b, which ends four weeks before, still fits.
			name:         "pair becomes mutual, room before the kept return visit",
			before:       ExchangeInput{Exchanges: []Exchange{{Visitor: "b", Host: "a", Days: 3}}, Availability: fromMarch},
			after:        ExchangeInput{Exchanges: []Exchange{{Visitor: "a", Host: "b", Days: 3}, {Visitor: "b", Host: "a", Days: 3}}},
			movedWithout: []string{"b→a"},
			placed:       []string{"a→b 2027-01-01", "b→a 2027-03-01"},
		},
		{
			// Nobody is available before March, so a→b cannot end four
			// weeks before b→a's 1 March: b→a is released, and both are
			// placed rather than b→a kept and a→b dropped.
			name:         "pair becomes mutual, no room before the return visit",
			before:       ExchangeInput{Exchanges: []Exchange{{Visitor: "b", Host: "a", Days: 3}}, Availability: fromMarch},
			after:        ExchangeInput{Exchanges: []Exchange{{Visitor: "a", Host: "b", Days: 3}, {Visitor: "b", Host: "a", Days: 3}}, Availability: fromMarch},
			movedWithout: []string{"b→a"},
			movedWith:    []string{"b→a"},
			placed:       []string{"a→b 2027-03-01", "b→a 2027-03-31"},
		},
		{
			// With a gap of one week b→a returns on Monday 11 January; two
			// weeks move it to the 18th whatever the previous layout.
			name:         "gap grown",
			before:       ExchangeInput{Exchanges: []Exchange{{Visitor: "a", Host: "b", Days: 3}, {Visitor: "b", Host: "a", Days: 3}}, Gap: 1},
			after:        ExchangeInput{Exchanges: []Exchange{{Visitor: "a", Host: "b", Days: 3}, {Visitor: "b", Host: "a", Days: 3}}, Gap: 2},
			movedWithout: []string{"b→a"},
			movedWith:    []string{"b→a"},
			placed:       []string{"a→b 2027-01-01", "b→a 2027-01-18"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			year := mustWindow(t, "2027-01-01", "2027-12-31")
			tt.before.Horizon, tt.after.Horizon = year, year
			first, err := PlaceExchanges(tt.before)
			if err != nil {
				t.Fatal(err)
			}
			fresh, err := PlaceExchanges(tt.after)
			if err != nil {
				t.Fatal(err)
			}
			if moved := movedExchanges(first, fresh); !reflect.DeepEqual(moved, tt.movedWithout) {
				t.Errorf("without Previous, moved %q, want %q", moved, tt.movedWithout)
			}
			in := tt.after
			in.Exchanges = slices.Clone(in.Exchanges)
			for _, p := range first.Placed {
				i := slices.IndexFunc(in.Exchanges, func(e Exchange) bool { return e.ID() == p.ID() })
				in.Exchanges[i].Previous = p.First
			}
			got, err := PlaceExchanges(in)
			if err != nil {
				t.Fatal(err)
			}
			checkExchangeLayout(t, in, got)
			if moved := movedExchanges(first, got); !reflect.DeepEqual(moved, tt.movedWith) {
				t.Errorf("with Previous, moved %q, want %q", moved, tt.movedWith)
			}
			var placed []string
			for _, p := range got.Placed {
				placed = append(placed, p.ID()+" "+p.First.String())
				if p.Kept != (p.First == p.Previous) {
					t.Errorf("%s on %s, previous %s: Kept = %v", p.ID(), p.First, p.Previous, p.Kept)
				}
				if p.Mutual && p.Host < p.Visitor && p.ReturnOf != string(p.Host)+"→"+string(p.Visitor) {
					t.Errorf("%s: ReturnOf = %q", p.ID(), p.ReturnOf)
				}
			}
			if !reflect.DeepEqual(placed, tt.placed) {
				t.Errorf("with Previous, placed %q, want %q", placed, tt.placed)
			}
		})
	}
}

// TestPlaceExchangesPreviousReason checks that a kept return visit stays
// when moving it would not place its first visit too, and the reason the
// first visit then gives.
func TestPlaceExchangesPreviousReason(t *testing.T) {
	t.Parallel()
	march := map[program.OrgID][]program.Window{"a": {mustWindow(t, "2027-03-01", "2027-03-05")}, "b": {mustWindow(t, "2027-03-01", "2027-03-05")}}
	in := ExchangeInput{
		Exchanges: []Exchange{{Visitor: "a", Host: "b", Days: 3}, {Visitor: "b", Host: "a", Days: 3, Previous: mustDate(t, "2027-03-01")}},
		Horizon:   mustWindow(t, "2027-01-01", "2027-12-31"), Availability: march,
	}
	got, err := PlaceExchanges(in)
	if err != nil {
		t.Fatal(err)
	}
	checkExchangeLayout(t, in, got)
	if len(got.Placed) != 1 || !got.Placed[0].Kept || len(got.Unplaced) != 1 {
		t.Fatalf("PlaceExchanges() placed %+v, unplaced %+v; want b→a kept, a→b unplaced", got.Placed, got.Unplaced)
	}
	// a→b fits 1–3 March only, and b→a, kept there, would have nowhere to
	// go after the gap: b→a stays and a→b is unplaced, for the gap.
	if r := got.Unplaced[0].Reason; !strings.Contains(r, "must end by 2027-02-01, the mutual gap before b→a") {
		t.Errorf("a→b unplaced because %q, want the gap before b→a", r)
	}
}
