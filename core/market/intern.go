package market

// interner maps provider addresses to dense integer handles so the book's
// per-bid records hold a uint32 instead of a string, compare providers with
// one integer compare, and never copy addresses. Handles are never reused; a
// run sees a bounded set of providers.
type interner struct {
	ids   map[string]uint32
	names []string
	// The last address looked up: a provider usually places a run of bids
	// (on the orders Fillable gave it), so one cached entry saves most
	// hash lookups. Comparing equal strings that share memory is one
	// pointer compare.
	last  string
	lastH uint32
}

const noProvider = ^uint32(0)

func newInterner(hint int) interner {
	return interner{ids: make(map[string]uint32, hint), names: make([]string, 0, hint)}
}

// intern returns addr's handle, adding it on first sight.
func (in *interner) intern(addr string) uint32 {
	if addr == in.last && len(in.names) > 0 {
		return in.lastH
	}
	if h, ok := in.ids[addr]; ok {
		in.last, in.lastH = addr, h
		return h
	}
	h := uint32(len(in.names))
	in.ids[addr] = h
	in.names = append(in.names, addr)
	in.last, in.lastH = addr, h
	return h
}

// lookup returns addr's handle or noProvider, without adding it.
func (in *interner) lookup(addr string) uint32 {
	if h, ok := in.ids[addr]; ok {
		return h
	}
	return noProvider
}

func (in *interner) name(h uint32) string { return in.names[h] }
