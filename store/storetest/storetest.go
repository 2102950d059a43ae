// Package storetest is the conformance suite of package store: the same
// behaviours checked on every engine. store's sqlite_test.go and
// postgres_test.go each call [Run] with a function that opens a fresh,
// empty, migrated database.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/store"
)

// Migrate opens dsn with store.Open, which migrates it, and closes it: the
// pgtest.PrepareFunc of every test binary that uses the store, so the
// template database its tests clone is migrated once.
func Migrate(ctx context.Context, dsn string) error {
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	return db.Close()
}

// Run runs the suite. open must return a fresh database owned by the calling
// test (closed by the caller's cleanup), so subtests run in parallel.
func Run(t *testing.T, open func(testing.TB) *store.DB) {
	t.Run("MigrationsVersioned", func(t *testing.T) {
		t.Parallel()
		db := open(t)
		for range 2 { // migrating again is a no-op
			if err := db.Migrate(t.Context()); err != nil {
				t.Fatalf("Migrate on a migrated database: %v", err)
			}
			v, err := db.SchemaVersion(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if want := store.LatestVersion(); v != want || v == 0 {
				t.Fatalf("SchemaVersion = %d, want %d (and not 0)", v, want)
			}
		}
	})

	t.Run("RoundTrip", func(t *testing.T) {
		t.Parallel()
		db := open(t)
		ctx := t.Context()
		orgs := []program.Organization{org("o-2"), org("o-1"), {
			ID: "o-3", Name: "Bare", Sector: program.SectorMedia, Region: "Imereti",
			Country: "GE", TimeZone: "Asia/Tbilisi", Email: "bare@example.ge",
		}}
		if err := db.Upsert(ctx, store.Records{Organizations: orgs}); err != nil {
			t.Fatal(err)
		}
		ps := []program.Participant{participant("p-1", "o-1"), {
			ID: "p-2", Name: "No org", Email: "p2@example.ge", Role: program.RoleExpert, Region: "Guria",
		}}
		if err := db.Upsert(ctx, store.Records{Participants: ps}); err != nil {
			t.Fatal(err)
		}
		cs := []program.Community{community("c-1"), {ID: "c-2", Name: "Empty", Region: "Racha"}}
		if err := db.Upsert(ctx, store.Records{Communities: cs}); err != nil {
			t.Fatal(err)
		}

		gotOrgs, err := db.Organizations(ctx)
		if err != nil {
			t.Fatal(err)
		}
		check(t, "Organizations", gotOrgs, []program.Organization{orgs[1], orgs[0], orgs[2]})
		o, err := db.Organization(ctx, "o-1")
		if err != nil {
			t.Fatal(err)
		}
		check(t, "Organization(o-1)", o, orgs[1])

		gotPs, err := db.Participants(ctx)
		if err != nil {
			t.Fatal(err)
		}
		check(t, "Participants", gotPs, ps)
		p, err := db.Participant(ctx, "p-1")
		if err != nil {
			t.Fatal(err)
		}
		check(t, "Participant(p-1)", p, ps[0])

		gotCs, err := db.Communities(ctx)
		if err != nil {
			t.Fatal(err)
		}
		check(t, "Communities", gotCs, cs)
		c, err := db.Community(ctx, "c-1")
		if err != nil {
			t.Fatal(err)
		}
		check(t, "Community(c-1)", c, cs[0])
	})

	t.Run("UpsertUpdates", func(t *testing.T) {
		t.Parallel()
		db := open(t)
		ctx := t.Context()
		o := org("o-1")
		if err := db.Upsert(ctx, store.Records{Organizations: []program.Organization{o}}); err != nil {
			t.Fatal(err)
		}
		o.Name, o.InternCapacity, o.Themes, o.Blackouts = "ახალი სახელი", 7, nil, nil
		if err := db.Upsert(ctx, store.Records{Organizations: []program.Organization{o, org("o-2")}}); err != nil {
			t.Fatal(err)
		}
		got, err := db.Organizations(ctx)
		if err != nil {
			t.Fatal(err)
		}
		check(t, "Organizations after update", got, []program.Organization{o, org("o-2")})

		p := participant("p-1", "o-1")
		if err := db.Upsert(ctx, store.Records{Participants: []program.Participant{p}}); err != nil {
			t.Fatal(err)
		}
		p.OrganizationID, p.Preferences, p.AvailableTo = "", []program.OrgID{"o-2"}, program.Date{}
		if err := db.Upsert(ctx, store.Records{Participants: []program.Participant{p}}); err != nil {
			t.Fatal(err)
		}
		gotP, err := db.Participant(ctx, "p-1")
		if err != nil {
			t.Fatal(err)
		}
		check(t, "Participant after update", gotP, p)

		c := community("c-1")
		if err := db.Upsert(ctx, store.Records{Communities: []program.Community{c}}); err != nil {
			t.Fatal(err)
		}
		c.VisitsPerYear = 52
		if err := db.Upsert(ctx, store.Records{Communities: []program.Community{c}}); err != nil {
			t.Fatal(err)
		}
		gotC, err := db.Community(ctx, "c-1")
		if err != nil {
			t.Fatal(err)
		}
		check(t, "Community after update", gotC, c)
	})

	t.Run("MissingIsNotFound", func(t *testing.T) {
		t.Parallel()
		db := open(t)
		ctx := t.Context()
		_, err1 := db.Organization(ctx, "nope")
		_, err2 := db.Participant(ctx, "nope")
		_, err3 := db.Community(ctx, "nope")
		for _, err := range []error{err1, err2, err3} {
			if !errors.Is(err, program.ErrNotFound) {
				t.Errorf("load missing id: got %v, want an error matching program.ErrNotFound", err)
			}
		}
		if all, err := db.Organizations(ctx); err != nil || len(all) != 0 {
			t.Errorf("Organizations on an empty database = %v, %v; want none, nil", all, err)
		}
	})

	t.Run("BadRowWritesNothing", func(t *testing.T) {
		t.Parallel()
		db := open(t)
		ctx := t.Context()
		// More rows than fit in one statement on either engine, so the
		// bad row's batch comes after a good batch has been sent.
		orgs := make([]program.Organization, 4000)
		for i := range orgs {
			orgs[i] = org(program.OrgID(fmt.Sprintf("o-%04d", i)))
		}
		orgs[len(orgs)-1].InternCapacity = -1 // breaks a CHECK
		err := db.Upsert(ctx, store.Records{Organizations: orgs})
		if !errors.Is(err, program.ErrInvalid) {
			t.Fatalf("upsert with a negative capacity: got %v, want an error matching program.ErrInvalid", err)
		}
		if got, err := db.Organizations(ctx); err != nil || len(got) != 0 {
			t.Fatalf("after a failed upsert: %d organisations stored (err %v), want none", len(got), err)
		}

		orgs[len(orgs)-1].Sector = "church" // not a sector
		orgs[len(orgs)-1].InternCapacity = 1
		if err := db.Upsert(ctx, store.Records{Organizations: orgs}); !errors.Is(err, program.ErrInvalid) {
			t.Fatalf("upsert with an unknown sector: got %v, want program.ErrInvalid", err)
		}

		if err := db.Upsert(ctx, store.Records{Participants: []program.Participant{participant("p-1", "ghost")}}); !errors.Is(err, program.ErrInvalid) {
			t.Fatalf("participant of an unknown organisation: got %v, want program.ErrInvalid", err)
		}
		dup := []program.Community{community("c-1"), community("c-1")}
		if err := db.Upsert(ctx, store.Records{Communities: dup}); !errors.Is(err, program.ErrConflict) {
			t.Fatalf("id given twice: got %v, want program.ErrConflict", err)
		}
		if got, err := db.Communities(ctx); err != nil || len(got) != 0 {
			t.Fatalf("after a failed upsert: %d communities stored (err %v), want none", len(got), err)
		}
	})

	runRounds(t, open)
	runRepropose(t, open)
	runEvents(t, open)
	runFeed(t, open)
	runMetrics(t, open)
	runJobs(t, open)
	runAnnouncements(t, open)
	runCandidates(t, open)
}

// check fails t when got differs from want.
func check[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

// date parses a YYYY-MM-DD literal.
func date(s string) program.Date {
	d, err := program.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// org returns an organisation with every field set, in Georgian where text.
func org(id program.OrgID) program.Organization {
	return program.Organization{
		ID: id, Name: "სამოქალაქო ჩართულობის ცენტრი", Sector: program.SectorCSO,
		Region: "სამეგრელო-ზემო სვანეთი", City: "ზუგდიდი",
		Lat: 42.5088, Lon: 41.8709, Country: "GE", TimeZone: "Asia/Tbilisi",
		Themes: []string{"youth-participation", "media-literacy"}, Languages: []string{"ka", "en", "ru"},
		Experienced: true, InternCapacity: 3, VisitorCapacity: 12,
		Availability: []program.Window{{From: date("2026-09-01"), To: date("2026-12-20")}, {From: date("2027-02-01")}},
		Blackouts:    []program.Date{date("2026-10-14"), date("2026-11-23")},
		Email:        "info@example.ge",
	}
}

// participant returns a participant with every field set.
func participant(id program.ParticipantID, orgID program.OrgID) program.Participant {
	return program.Participant{
		ID: id, Name: "ნინო ბერიძე", Email: "nino@example.ge", Role: program.RoleCSOLeader,
		OrganizationID: orgID, Region: "აჭარა", City: "ბათუმი", Lat: 41.6168, Lon: 41.6367,
		Themes: []string{"environment"}, Languages: []string{"ka", "tr"}, ExperienceYears: 6,
		AvailableFrom: date("2026-09-15"), AvailableTo: date("2027-06-30"),
		Preferences: []program.OrgID{"o-2", "o-1"},
	}
}

// community returns a community with every field set.
func community(id program.CommunityID) program.Community {
	return program.Community{
		ID: id, Name: "უშგული", Region: "სვანეთი", Lat: 42.9167, Lon: 43.0167,
		Needs: []string{"tourism", "water"}, VisitsPerYear: 4,
	}
}
