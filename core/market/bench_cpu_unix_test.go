//go:build unix

package market

import (
	"syscall"
	"testing"
)

// cpuClock measures the process's CPU time (user + system) over the timed
// parts of a benchmark. Several people share the build machine, so wall-clock
// ns/op includes time spent waiting for a CPU; cpu-ns/op does not. Both are
// reported; with the machine to ourselves they agree.
type cpuClock struct {
	start, total int64
}

func cpuNow() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

func (c *cpuClock) resume() { c.start = cpuNow() }
func (c *cpuClock) pause()  { c.total += cpuNow() - c.start }

// report must run after the b.Loop loop, with the clock paused.
func (c *cpuClock) report(b *testing.B) {
	if b.N > 0 {
		b.ReportMetric(float64(c.total)/float64(b.N), "cpu-ns/op")
	}
}
