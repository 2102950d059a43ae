// Package oracle holds the independent references that the solver tests in
// matcher, matcher/lap and matcher/flow check against: exhaustive enumeration for tiny
// instances and gonum's simplex method for small linear programs. Nothing here
// shares code with the solvers it judges.
package oracle
