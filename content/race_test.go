//go:build race

package content

// raceEnabled is set when the race detector is on: slow tests do less.
const raceEnabled = true
