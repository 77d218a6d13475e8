//go:build !race

package tunnel

// raceOn: the test binary runs under the race detector (make test-race).
const raceOn = false
