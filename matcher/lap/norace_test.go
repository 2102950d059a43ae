//go:build !race

package lap

const raceEnabled = false
