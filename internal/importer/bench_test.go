package importer

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// participantsCSV returns n participant rows as a spreadsheet would export
// them, from a seeded generator so every run reads the same bytes.
func participantsCSV(n int) []byte {
	rng := rand.New(rand.NewPCG(2026, 6))
	regions := []struct {
		region, city string
		lat, lon     float64
	}{
		{"Tbilisi", "Tbilisi", 41.7151, 44.8271},
		{"Imereti", "Kutaisi", 42.2679, 42.6946},
		{"Kakheti", "Telavi", 41.9198, 45.4731},
		{"Samegrelo-Zemo Svaneti", "Zugdidi", 42.5088, 41.8709},
		{"Adjara", "Batumi", 41.6168, 41.6367},
	}
	names := []string{"ნინო ბერიძე", "Giorgi Kapanadze", "მარიამ გელაშვილი", "Levan Tsiklauri", "თამარ ჯავახიშვილი", "Nika Gelashvili"}
	roles := []string{"activist", "cso_member", "cso_leader", "trainer", "expert"}
	themes := []string{"youth-participation", "environment", "civic-education", "media-literacy", "rural-development", "human-rights"}
	langs := []string{"ka", "en", "ru", "de", "az", "hy"}
	var b bytes.Buffer
	b.WriteString(participantHeader + "\r\n")
	pick := func(from []string, k int) string {
		var parts []string
		for _, i := range rng.Perm(len(from))[:k] {
			parts = append(parts, from[i])
		}
		return strings.Join(parts, ";")
	}
	for i := range n {
		r := regions[rng.IntN(len(regions))]
		org := ""
		if rng.IntN(3) > 0 {
			org = fmt.Sprintf("org-%04d", rng.IntN(5000))
		}
		var prefs []string
		for range rng.IntN(5) {
			prefs = append(prefs, fmt.Sprintf("org-%04d", rng.IntN(5000)))
		}
		from, to := "", ""
		if rng.IntN(2) == 0 {
			m := 1 + rng.IntN(6)
			from, to = fmt.Sprintf("2026-%02d-01", m), fmt.Sprintf("2026-%02d-28", m+rng.IntN(6))
		}
		name := names[rng.IntN(len(names))]
		if rng.IntN(10) == 0 {
			name = `"` + name + `, Jr."` // a quoted cell with a comma
		}
		fmt.Fprintf(&b, "p-%06d,%s,person%d@example.ge,%s,%s,%s,%s,%.4f,%.4f,%s,%s,%d,%s,%s,%s\r\n",
			i, name, i, roles[rng.IntN(len(roles))], org, r.region, r.city,
			r.lat+rng.Float64()/10, r.lon+rng.Float64()/10,
			pick(themes, 1+rng.IntN(3)), pick(langs, 1+rng.IntN(3)), rng.IntN(30), from, to,
			strings.Join(uniq(prefs), ";"))
	}
	return b.Bytes()
}

func uniq(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// BenchmarkReadParticipantsCSV reads a national round's participants: 100k
// rows, about 15 MB.
func BenchmarkReadParticipantsCSV(b *testing.B) {
	const n = 100_000
	data := participantsCSV(n)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var s *Set
	for b.Loop() {
		s = new(Set)
		if err := s.Read("participants.csv", bytes.NewReader(data), ""); err != nil {
			b.Fatal(err)
		}
	}
	if len(s.Participants) != n {
		b.Fatalf("read %d participants, want %d", len(s.Participants), n)
	}
}
