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

// strHash reads every byte: for every length 0..100, flipping any one bit
// of any byte (or adding a byte) changes the hash; and the order table's
// hash tells apart IDs whose sequence numbers are swapped or shifted.
func TestStrHashEveryByteCounts(t *testing.T) {
	seen := map[uint64]string{}
	for n := 0; n <= 100; n++ {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('a' + (i*7)%26)
		}
		h := strHash(string(b), 0)
		if prev, dup := seen[h]; dup {
			t.Fatalf("length %d hashes as %q", n, prev)
		}
		seen[h] = string(b)
		for i := range b {
			for bit := range 8 {
				b[i] ^= 1 << bit
				if strHash(string(b), 0) == h {
					t.Fatalf("length %d: flipping bit %d of byte %d leaves the hash", n, bit, i)
				}
				b[i] ^= 1 << bit
			}
		}
		if strHash(string(b), 1) == h {
			t.Fatalf("length %d: the seed does not count", n)
		}
	}
	ids := map[uint32]OrderID{}
	for d := range uint64(40) {
		for g := range uint32(4) {
			for o := range uint32(4) {
				id := OrderID{GroupID: GroupID{DeploymentID: DeploymentID{Owner: "akash1tenant0001", DSeq: d}, GSeq: g}, OSeq: o}
				h := hashOrderID(&id)
				if prev, dup := ids[h]; dup {
					t.Fatalf("%s and %s hash alike", prev, id)
				}
				ids[h] = id
			}
		}
	}
}

// The order table's and the address table's hash of a 44-character
// address; placement by OrderID waits for both.
func BenchmarkHashOrderID(b *testing.B) {
	id := orderID(benchOwner, 12345)
	var sink uint32
	for b.Loop() {
		sink += hashOrderID(&id)
		id.DSeq++
	}
	_ = sink
}

// internLast answers as intern does, whether the address is the last one
// (shared memory or a copy) or another.
func TestInternLast(t *testing.T) {
	in := newInterner(0)
	for i, c := range []struct {
		denom string
		want  uint32
	}{{"uakt", 0}, {"uakt", 0}, {strings.Clone("uakt"), 0}, {"usdc", 1}, {"uakt", 0}, {"ibc/27", 2}, {"usdc", 1}} {
		if got := in.internLast(c.denom); got != c.want || in.name(got) != c.denom {
			t.Fatalf("step %d: internLast(%q) = %d, want %d", i, c.denom, got, c.want)
		}
	}
}
