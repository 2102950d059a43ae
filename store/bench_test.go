package store_test

import (
	"fmt"
	"testing"

	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/store"
)

// BenchmarkUpsertParticipants writes 100k participants (with 1000 host
// organisations) into an empty database: the write half of importing a
// national round. Each iteration gets a fresh database, opened off the
// clock; the databases are closed when the benchmark ends.
func BenchmarkUpsertParticipants(b *testing.B) {
	const people, hosts = 100_000, 1000
	recs := benchRecords(people, hosts)
	for _, engine := range []struct {
		name string
		open func(testing.TB) *store.DB
	}{{"sqlite", openSQLite}, {"postgres", openPostgres}} {
		b.Run(fmt.Sprintf("engine=%s/participants=%d", engine.name, people), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				db := engine.open(b)
				b.StartTimer()
				if err := db.Upsert(b.Context(), recs); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(people)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// benchRecords returns hosts organisations and people participants with
// realistic field sizes.
func benchRecords(people, hosts int) store.Records {
	var r store.Records
	for i := range hosts {
		r.Organizations = append(r.Organizations, program.Organization{
			ID: program.OrgID(fmt.Sprintf("o-%04d", i)), Name: "სამოქალაქო ჩართულობის ცენტრი", Sector: program.SectorCSO,
			Region: "Imereti", City: "Kutaisi", Lat: 42.27, Lon: 42.7, Country: "GE", TimeZone: "Asia/Tbilisi",
			Themes: []string{"youth-participation", "media-literacy"}, Languages: []string{"ka", "en"},
			Experienced: true, InternCapacity: 3, VisitorCapacity: 5, Email: "info@example.ge",
		})
	}
	for i := range people {
		r.Participants = append(r.Participants, program.Participant{
			ID: program.ParticipantID(fmt.Sprintf("p-%06d", i)), Name: "ნინო ბერიძე", Email: fmt.Sprintf("p%d@example.ge", i),
			Role: program.RoleActivist, OrganizationID: program.OrgID(fmt.Sprintf("o-%04d", i%hosts)),
			Region: "Samegrelo-Zemo Svaneti", City: "Zugdidi", Lat: 42.5, Lon: 41.87,
			Themes: []string{"environment", "youth-participation"}, Languages: []string{"ka", "en", "ru"},
			ExperienceYears: i % 10, Preferences: []program.OrgID{program.OrgID(fmt.Sprintf("o-%04d", (i+1)%hosts))},
		})
	}
	return r
}
