//go:build !race

package risk

// raceDetector is true in a test binary built with -race.
const raceDetector = false
