// Package demodata generates a realistic, seeded programme for `khidi demo`
// and the benchmarks: Tbilisi host organisations, regional CSOs in every
// region of Georgia, partner organisations in ten Eastern European countries,
// participants of every role, and remote communities asking for visits.
//
// The data is made to exercise every kind of round, not to be uniform noise:
//
//   - Geography is real. Georgia's regions and their towns, the communities
//     (villages in Racha, Svaneti, Tusheti, Khevsureti, Javakheti, Kvemo
//     Kartli, Guria and the Adjara highlands) and the partners' cities carry
//     their real coordinates; people live within a few kilometres of their
//     town. About 60% of participants live outside Tbilisi.
//   - Languages follow the country: nearly everyone works in Georgian (ka);
//     Armenian (hy) is common in Samtskhe-Javakheti (Akhalkalaki,
//     Ninotsminda) and Azerbaijani (az) in Kvemo Kartli (Marneuli, Bolnisi,
//     Gardabani, Dmanisi); Russian and English are the usual second
//     languages. Some people from those towns do not speak Georgian, so the
//     matcher's shared-language rule has work to do.
//   - Themes come from one English vocabulary (Themes) with skewed
//     popularity, so theme similarity discriminates: sharing a rare theme
//     means more than sharing a common one.
//   - About half the novice activists rank one to five Tbilisi hosts, biased
//     toward popular hosts that share their themes, so popular hosts are
//     oversubscribed and a stability report has something to show.
//
// # Determinism
//
// Generate is a pure function of its Config: no I/O, no clock, no global
// state. Each kind of record is drawn from its own math/rand/v2 PCG stream
// seeded from Config.Seed, so asking for more participants leaves the
// organisations unchanged. Only the seed, the year and the counts change
// the output.
//
// # Identifiers
//
// Ids are readable and stable: "org-tbs-001" (Tbilisi hosts), "org-reg-001"
// (regional CSOs), "org-abr-001" (partners abroad), "p-0001"
// (participants), "c-001" (communities), numbered from 1 in generation
// order. The number is zero-padded to three digits (four for participants),
// or to as many as the largest number needs, so ids sort in generation
// order at every size.
//
// # Names
//
// Georgian people and organisations are named in Georgian script
// ("ნინო ბერიძე", "ქუთაისის სამოქალაქო განათლების ცენტრი"), Armenian
// participants in Armenian script and Azerbaijani participants in the
// Azerbaijani Latin alphabet; partners carry plausible local names, mostly
// in their own language. The names are invented: any likeness to a real
// organisation is accidental. E-mail addresses are ASCII transliterations
// under example.ge (people, and organisations in Georgia) and example.org
// (partners abroad), in the spirit of RFC 2606, and are unique within a
// programme.
package demodata
