//go:build race

package flow

// raceEnabled shrinks the randomised tests, which the race detector slows
// several-fold.
const raceEnabled = true
