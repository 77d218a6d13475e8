//go:build unix

package lease_test

import "syscall"

// cpuNow is the process's CPU time (user + system) in nanoseconds. The
// build machine is shared, so wall-clock ns/op includes time spent waiting
// for a CPU; benchmarks report cpu-ns/op from this as well.
func cpuNow() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
