// Package matcher is khidi's matching engine: it turns a round's people and
// organisations into weighted bipartite assignment problems, solves them
// exactly with its subpackages lap (linear assignment) and flow (min-cost
// flow), and says why each match was made and why anyone was left out.
//
// The package is pure: records in, a proposal out, with no I/O, no clock
// and no randomness, so the same Input gives byte-identical output.
//
// # From records to a proposal
//
// [Propose] runs a round of any kind:
//
//  1. Sides. The kind decides who goes where (sides.go): novices to
//     experienced Tbilisi hosts for internships, CSOs to CSOs for peer
//     exchanges, Georgian CSOs to partners abroad, CSO leaders to
//     communities, members into study circles.
//  2. Scores. Every pair gets six features in [0, 1] ([Feature]) and a
//     score, their weighted mean under [Weights]; hard [Rule]s remove pairs
//     outright. [Scorer.Problem] keeps each person's K best admissible pairs
//     through an inverted index on themes and a proved bound, exactly the
//     set a scan of every pair would keep.
//  3. Solve. [Solve] finds the assignment of greatest total score by
//     min-cost flow, with pins and regional quotas inside the flow model;
//     [CycleCover] pairs organisations into rings of visits; [FormCircles]
//     groups members around experienced anchors.
//  4. Explain. [Explain] gives each match its features' contributions and
//     rank, and each unmatched person the reason; [Stability] compares the
//     optimum with deferred acceptance where people ranked hosts.
//
// [RepairRound] re-solves a published round after declines, disturbing as
// few people as possible ([Repair]).
package matcher
