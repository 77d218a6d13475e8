//go:build !amd64

package market

import "unsafe"

// prefetchRange is a hint only (prefetch_amd64.go); elsewhere it does nothing.
func prefetchRange(p unsafe.Pointer, n uintptr) {}
