package ical

import (
	"bytes"
	"strconv"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"
	"github.com/teambition/rrule-go"
)

// onset is when an observance of a parsed VTIMEZONE begins, and its offset.
type onset struct {
	at time.Time
	to int
}

func parseOffset(t *testing.T, s string) int {
	t.Helper()
	sign := 1
	if s[0] == '-' {
		sign = -1
	}
	h, _ := strconv.Atoi(s[1:3])
	m, _ := strconv.Atoi(s[3:5])
	sec := 0
	if len(s) == 7 {
		sec, _ = strconv.Atoi(s[5:7])
	}
	return sign * (h*3600 + m*60 + sec)
}

// onsets reads a VTIMEZONE back through go-ical's decoder and expands its
// observances with rrule-go, independently of how timezone built them.
func onsets(t *testing.T, tz *goical.Component, until time.Time) []onset {
	t.Helper()
	var out []onset
	for _, o := range tz.Children {
		from := parseOffset(t, o.Props.Get(goical.PropTimezoneOffsetFrom).Value)
		to := parseOffset(t, o.Props.Get(goical.PropTimezoneOffsetTo).Value)
		// DTSTART is wall-clock time on the clock before the change.
		local, err := time.ParseInLocation("20060102T150405", o.Props.Get(goical.PropDateTimeStart).Value, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		starts := []time.Time{local}
		if r := o.Props.Get(goical.PropRecurrenceRule); r != nil {
			opt, err := rrule.StrToROption(r.Value)
			if err != nil {
				t.Fatal(err)
			}
			opt.Dtstart = local
			// UNTIL is UTC; the rule runs on wall-clock time, so compare
			// like with like.
			if !opt.Until.IsZero() {
				opt.Until = opt.Until.Add(time.Duration(from) * time.Second)
			}
			rule, err := rrule.NewRRule(*opt)
			if err != nil {
				t.Fatal(err)
			}
			starts = rule.Between(local, until.AddDate(1, 0, 0), true)
		}
		for _, s := range starts {
			out = append(out, onset{s.Add(-time.Duration(from) * time.Second), to})
		}
	}
	return out
}

// TestTimezoneOffsets checks every VTIMEZONE against Go's zone data every
// six hours over the span it was built for.
func TestTimezoneOffsets(t *testing.T) {
	from := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2028, 2, 1, 0, 0, 0, 0, time.UTC)
	for _, name := range []string{
		"Asia/Tbilisi", "Europe/Warsaw", "Europe/Kyiv", "Europe/Chisinau", "Europe/London",
		"America/New_York", "Australia/Sydney", "Pacific/Chatham", "Asia/Kolkata", "Etc/GMT+5",
	} {
		t.Run(name, func(t *testing.T) {
			loc := mustZone(name)
			checkZone(t, loc, from, to)
		})
	}
	// Zones that gave up daylight-saving time inside the span.
	t.Run("America/Sao_Paulo 2018-2020", func(t *testing.T) {
		checkZone(t, mustZone("America/Sao_Paulo"), time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2020, 6, 1, 0, 0, 0, 0, time.UTC))
	})
	t.Run("Asia/Tehran 2020-2023", func(t *testing.T) {
		checkZone(t, mustZone("Asia/Tehran"), time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2023, 12, 1, 0, 0, 0, 0, time.UTC))
	})
}

func checkZone(t *testing.T, loc *time.Location, from, to time.Time) {
	t.Helper()
	cal := goical.NewCalendar()
	cal.Props.SetText(goical.PropVersion, "2.0")
	cal.Props.SetText(goical.PropProductID, DefaultProdID)
	cal.Children = append(cal.Children, timezone(loc, from, to))
	var buf bytes.Buffer
	if err := goical.NewEncoder(&buf).Encode(cal); err != nil {
		t.Fatal(err)
	}
	back, err := goical.NewDecoder(&buf).Decode()
	if err != nil {
		t.Fatal(err)
	}
	end := to.AddDate(zoneHorizon, 0, 0)
	obs := onsets(t, back.Children[0], end)
	for at := from; at.Before(end); at = at.Add(6 * time.Hour) {
		var cur *onset
		for i := range obs {
			if !obs[i].at.After(at) && (cur == nil || obs[i].at.After(cur.at)) {
				cur = &obs[i]
			}
		}
		_, want := at.In(loc).Zone()
		if cur == nil {
			t.Fatalf("%s: no observance in force at %s", loc, at)
		}
		if cur.to != want {
			t.Fatalf("%s at %s: VTIMEZONE offset %d s, Go says %d s\n%s", loc, at.Format(time.RFC3339), cur.to, want, buf.String())
		}
	}
}

func TestTbilisiSingleStandard(t *testing.T) {
	tz := timezone(tbilisi, meeting.Event.Start, meeting.Event.End)
	if len(tz.Children) != 1 || tz.Children[0].Name != goical.CompTimezoneStandard {
		t.Fatalf("VTIMEZONE Asia/Tbilisi has %d observances, want one STANDARD", len(tz.Children))
	}
	if got := tz.Children[0].Props.Get(goical.PropTimezoneOffsetTo).Value; got != "+0400" {
		t.Errorf("Asia/Tbilisi TZOFFSETTO = %s, want +0400", got)
	}
}
