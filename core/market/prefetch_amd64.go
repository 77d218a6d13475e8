package market

import "unsafe"

// prefetchRange asks the core to fetch the cache lines of [p, p+n) (n > 0)
// into its caches, without waiting for them (PREFETCHT0): unlike a load, a
// prefetch that misses does not hold up the instructions after it. Go has
// no prefetch of its own outside the runtime, hence the assembly.
//
//go:noescape
func prefetchRange(p unsafe.Pointer, n uintptr)
