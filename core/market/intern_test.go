package market

import (
	"fmt"
	"strings"
	"testing"
)

// The address table against a slice of names: handles are dense and
// stable across growth, a copy of an address (other memory, same bytes)
// finds the same handle, and an unknown address is not added by lookup.
func TestInternerTable(t *testing.T) {
	in := newInterner(0)
	var names []string
	for i := range 1000 {
		// Lengths 1..43 so short strings (byte by byte) and tails of every
		// length (the overlapping last word) are hashed.
		names = append(names, fmt.Sprintf("p%d", i)+strings.Repeat("x", i%40))
	}
	for i, n := range names {
		if h := in.intern(n); h != uint32(i) {
			t.Fatalf("intern(%q) = %d, want %d", n, h, i)
		}
	}
	for i, n := range names {
		c := strings.Clone(n)
		if h := in.lookup(c); h != uint32(i) {
			t.Fatalf("lookup(copy of %q) = %d, want %d", n, h, i)
		}
		if h := in.intern(c); h != uint32(i) || in.name(h) != n {
			t.Fatalf("intern(copy of %q) = %d (%q), want %d", n, h, in.name(h), i)
		}
	}
	if h := in.lookup("nobody"); h != noProvider || len(in.names) != len(names) {
		t.Fatalf("lookup of an unknown address = %d, %d names; want none added", h, len(in.names))
	}
	if 2*len(in.names) > len(in.table) {
		t.Fatalf("table %d entries for %d names; it is kept at most half full", len(in.table), len(in.names))
	}
}
