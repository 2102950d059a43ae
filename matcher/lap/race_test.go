//go:build race

package lap

// raceEnabled shrinks the randomised tests, which the race detector slows
// several-fold.
const raceEnabled = true
