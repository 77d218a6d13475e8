package market

// interner maps provider addresses to dense integer handles so the book's
// per-bid records hold a uint32 instead of a string, compare providers with
// one integer compare, and never copy addresses. Handles are never reused; a
// run sees a bounded set of providers.
type interner struct {
	ids   map[string]uint32
	names []string
}

const noProvider = ^uint32(0)

func newInterner(hint int) interner {
	return interner{ids: make(map[string]uint32, hint), names: make([]string, 0, hint)}
}

// intern returns addr's handle, adding it on first sight.
func (in *interner) intern(addr string) uint32 {
	if h, ok := in.ids[addr]; ok {
		return h
	}
	h := uint32(len(in.names))
	in.ids[addr] = h
	in.names = append(in.names, addr)
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
