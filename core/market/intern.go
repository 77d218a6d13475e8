package market

import "math/bits"

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
	// The last address internLast interned (see internLast).
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

// intern returns addr's handle, adding it on first sight. It hashes addr
// once (a miss then an insert used to hash it twice) and does not consult
// last: the providers' addresses come one after another, each usually
// another one of equal length, so comparing with the last cost a byte
// compare per bid.
func (in *interner) intern(addr string) uint32 {
	hash := hashString(addr)
	if h := in.find(addr, hash); h != noProvider {
		return h
	}
	h := uint32(len(in.names))
	in.names = append(in.names, addr)
	if 2*len(in.names) > len(in.table) {
		in.grow()
	}
	in.insert(internEntry{name: addr, hash: hash, h1: h + 1})
	return h
}

// internLast is intern for a table that sees one address again and again
// (the deposit denominations: one denom bid after bid): it answers the
// last address interned from a field, and comparing equal strings that
// share memory is one pointer compare.
func (in *interner) internLast(addr string) uint32 {
	if addr == in.last && len(in.names) > 0 {
		return in.lastH
	}
	h := in.intern(addr)
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

// hashString is a fixed (unseeded) hash of s (strHash with seed 0). As
// with the order table, the layout it gives never reaches an output.
func hashString(s string) uint32 { return uint32(strHash(s, 0)) }

// Constants of wyhash (public domain), the function Go's runtime uses for
// maps where it lacks AES instructions.
const (
	wyp0 = 0xa0761d6478bd642f
	wyp1 = 0xe7037ed1a0b428db
	wyp2 = 0x8ebc6af09c88c6e3
	wyp3 = 0x589965cc75374cc3
	wyp4 = 0x1d8e4e27c47d124f
)

// strHash is wyhash's construction (as in Go's runtime memhashFallback)
// with fixed keys: 16 bytes per 64×64→128-bit multiply, whose two halves
// are folded together. A 44-character bech32 address takes four dependent
// multiplies (was eight multiplies and their xor-shifts, 8 bytes per step
// and murmur3's finalizer): the address lookup and the order table's probe
// wait for this hash, so its latency is on placement's path by OrderID.
func strHash(s string, seed uint64) uint64 {
	n := len(s)
	var a, b uint64
	seed ^= wyp0
	switch {
	case n == 0:
		return wymix(wyp4, seed^wyp1)
	case n < 4:
		a = uint64(s[0]) | uint64(s[n>>1])<<8 | uint64(s[n-1])<<16
	case n < 8:
		a, b = uint64(le32(s)), uint64(le32(s[n-4:]))
	case n <= 16:
		a, b = le64(s), le64(s[n-8:])
	default:
		p := s
		if len(p) > 48 {
			seed1, seed2 := seed, seed
			for ; len(p) > 48; p = p[48:] {
				seed = wymix(le64(p)^wyp1, le64(p[8:])^seed)
				seed1 = wymix(le64(p[16:])^wyp2, le64(p[24:])^seed1)
				seed2 = wymix(le64(p[32:])^wyp3, le64(p[40:])^seed2)
			}
			seed ^= seed1 ^ seed2
		}
		for ; len(p) > 16; p = p[16:] {
			seed = wymix(le64(p)^wyp1, le64(p[8:])^seed)
		}
		a, b = le64(s[n-16:]), le64(s[n-8:])
	}
	return wymix(wyp4^uint64(n), wymix(a^wyp1, b^seed))
}

// wymix multiplies a and b to 128 bits and folds the halves.
func wymix(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

// le64 and le32 read the first 8 and 4 bytes of s, little-endian (the
// compiler loads each with one instruction).
func le64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

func le32(s string) uint32 {
	_ = s[3]
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}
