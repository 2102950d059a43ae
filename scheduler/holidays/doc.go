// Package holidays knows Georgia's public holidays for every year from 1991
// to 2100, the movable Orthodox Easter days included, and lets the
// programme and its organisations add blackout dates of their own, so that
// the scheduler can ask of any day whether it is free.
//
// The package is pure: no I/O, no clock, no mutable package state. The same
// question always gets the same answer.
//
// # What a public holiday is
//
// The holidays are the days off ("უქმე დღეები") of the Labour Code of
// Georgia (Organic Law of Georgia "Labour Code of Georgia", Article 30 as
// published by the Legislative Herald, matsne.gov.ge, document 1155567; the
// article was Article 20 before the Code's revision of September 2020). The
// table in holidays.go gives each day its first year, and the last year
// where a day changed, with the source of each. In short:
//
//	1–2 January          New Year (2 January from 2007, assumed; see below)
//	7 January            Orthodox Christmas
//	19 January           Epiphany (Natlisgeba)
//	3 March              Mother's Day
//	8 March              International Women's Day
//	9 April              Day of National Unity
//	Easter − 2 … + 1     Good Friday, Holy Saturday, Easter Sunday, Easter Monday
//	9 May                Day of Victory over Fascism
//	12 May               Saint Andrew the First-Called Day (also the Day of
//	                     Georgia as the Lot of the Mother of God from 2019)
//	17 May               Day of Family Sanctity and Respect for Parents (from 2024)
//	26 May               Independence Day
//	28 August            Saint Mary's Day (Mariamoba)
//	14 October           Svetitskhovloba (Mtskhetoba)
//	23 November          Saint George's Day (Giorgoba)
//
// 17 May is the day most holiday tables miss. In 2024 it was a day off by
// Government Ordinance No. 167 of 15 May 2024, for administrative bodies
// (as 1TV and Rustavi 2 reported it); the Labour Code has listed it since the
// family-values legislative package of autumn 2024 (Organic Law
// No. 4455-XVIმს-Xმპ, signed by the Speaker on 3 October 2024), so 2025 is
// its first year as a statutory holiday. The table carries it from 2024
// because on 17 May 2024 public offices were closed, which is what the
// scheduler needs to know.
//
// # Years before the current Code
//
// The history of the 1990s is not documented well enough to date every day
// exactly. The rule applied, stated once here rather than invented day by
// day: a day that the holiday article of the earlier Labour Code already
// listed (English Wikipedia, "Public holidays in Georgia", as archived in
// 2007, citing Article 64 of that Code, lists every current day except
// 2 January and 17 May) is assumed to have been a holiday since 1991, the
// first year of this package. 2 January is absent from that list and
// present in the Code's list after Organic Law No. 729 of 12 June 2013 (as
// reproduced by the National Parliamentary Library, nplg.gov.ge); it is
// assumed to have come with the Labour Code of 2006, so its first year is
// 2007. Current and future years do not depend on these assumptions.
//
// # Weekends and days the Government adds
//
// A holiday that falls on a Saturday or a Sunday is not moved: Article 30
// has no substitution rule and none is applied in practice, so a weekend
// holiday is simply lost. Two holidays may fall on the same day (Easter
// Monday on 9 April in 2029, for example); both are listed.
//
// Under Article 30(3) the Government may declare further days off, usually
// for administrative bodies, by ordinance and at short notice (for example
// Ordinance No. 698 of 26 November 2020 for 3–6 and 8–15 January 2021, or
// 5–6 January 2026). Those are not predictable and are not carried, 17 May
// 2024 apart: add them, like any organisation's own closing days, to a
// Calendar with Calendar.Add. Polling days and other one-off closures
// belong there too.
//
// # Orthodox Easter
//
// The Georgian Orthodox Church keeps Easter by the Julian computus: the
// first Sunday after the paschal full moon of the 19-year Metonic table, on
// the Julian calendar. OrthodoxEaster computes that Julian date (Meeus,
// Astronomical Algorithms, 2nd ed., ch. 8) and converts it to the Gregorian
// calendar through the Julian day number, so the growing gap between the
// calendars needs no special case: 13 days from 1 March 1900 (Julian) and
// 14 days from 1 March 2100 (Julian), which is 15 March 2100 (Gregorian),
// so Easter 2100 is Julian 18 April, Gregorian 2 May.
package holidays
