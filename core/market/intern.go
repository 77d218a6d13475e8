package market

// interner maps provider addresses to dense integer handles so the book's
// per-bid records hold a uint32 instead of a string, compare providers with
// one integer compare, and never copy addresses. Handles are never reused; a
// run sees a bounded set of providers.
//
// Placement by address (PlaceBid, Commit) looks the address up on every bid,
// so the look-up is an open-addressing table at most half full whose entry
// holds the address's string header beside its hash and handle: a hit reads
// one line and confirms with a string compare that, when the caller shares
// the interned string (as drivers that keep their providers do), is one
// pointer compare. A Go map took a runtime call and two dependent lines
// (group, then key); an 8-byte entry confirmed against names took two.
type interner struct {
	table []internEntry
	mask  uint64
	names []string
	// The last address interned: the deposit denominations' interner sees
	// one denom bid after bid, and comparing equal strings that share
	// memory is one pointer compare. (lookup, the providers' path, skips
	// it: there the next address is usually another one of equal length,
	// and telling them apart cost a byte compare per bid.)
	last  string
	lastH uint32
}

// internEntry is one table entry; h1 == 0 marks it empty.
type internEntry struct {
	name string
	hash uint32
	h1   uint32 // handle + 1
}

const noProvider = ^uint32(0)

func newInterner(hint int) interner {
	size := 16
	for size < 2*hint {
		size <<= 1
	}
	return interner{table: make([]internEntry, size), mask: uint64(size - 1), names: make([]string, 0, hint)}
}

// intern returns addr's handle, adding it on first sight.
func (in *interner) intern(addr string) uint32 {
	if addr == in.last && len(in.names) > 0 {
		return in.lastH
	}
	h := in.lookup(addr)
	if h == noProvider {
		h = uint32(len(in.names))
		in.names = append(in.names, addr)
		if 2*len(in.names) > len(in.table) {
			in.grow()
		}
		in.insert(internEntry{name: addr, hash: hashString(addr), h1: h + 1})
	}
	in.last, in.lastH = addr, h
	return h
}

// lookup returns addr's handle or noProvider, without adding it.
func (in *interner) lookup(addr string) uint32 { return in.find(addr, hashString(addr)) }

func (in *interner) find(addr string, hash uint32) uint32 {
	if in.table == nil {
		return noProvider
	}
	for i := uint64(hash) & in.mask; ; i = (i + 1) & in.mask {
		e := &in.table[i]
		if e.h1 == 0 {
			return noProvider
		}
		if e.hash == hash && e.name == addr {
			return e.h1 - 1
		}
	}
}

func (in *interner) insert(e internEntry) {
	for i := uint64(e.hash) & in.mask; ; i = (i + 1) & in.mask {
		if in.table[i].h1 == 0 {
			in.table[i] = e
			return
		}
	}
}

func (in *interner) grow() {
	old := in.table
	n := max(2*len(old), 16)
	in.table, in.mask = make([]internEntry, n), uint64(n-1)
	for _, e := range old {
		if e.h1 != 0 {
			in.insert(e)
		}
	}
}

func (in *interner) name(h uint32) string { return in.names[h] }

// hashString is a fixed (unseeded) hash of s: mixString then fmix64. As
// with the order table, the layout it gives never reaches an output.
func hashString(s string) uint32 { return uint32(fmix64(mixString(uint64(len(s))*hashMul, s))) }

const hashMul = 0x9E3779B97F4A7C15

// mixString folds s into h 8 bytes at a time (the compiler loads each
// word with one instruction); a tail of 1 to 7 bytes is folded as the last
// 8 bytes of s (overlapping the previous word), or byte by byte when s is
// shorter than 8.
func mixString(h uint64, s string) uint64 {
	n := len(s)
	if n < 8 {
		for i := 0; i < n; i++ {
			h = (h ^ uint64(s[i])) * hashMul
		}
		return h
	}
	for i := 0; i+8 <= n; i += 8 {
		h = mixWord(h, s[i:i+8])
	}
	if n%8 != 0 {
		h = mixWord(h, s[n-8:])
	}
	return h
}

func mixWord(h uint64, s string) uint64 {
	w := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
	h = (h ^ w) * hashMul
	return h ^ h>>29
}

// fmix64 is murmur3's finalizer.
func fmix64(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}
