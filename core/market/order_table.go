package market

// orderTable maps open OrderIDs to book slots. It replaces a Go map because
// bid placement looks an order up on every call and, at 100,000 open orders,
// a map's key/control layout costs several cache misses per lookup. This is
// an open-addressing table of 8-byte entries (32-bit hash, slot+1) with linear
// probing and backward-shift deletion: a lookup usually reads one cache line
// of a table that stays in the CPU's cache, then confirms the hit against the
// slot's order ID, which the caller reads anyway.
//
// The hash is a fixed function of the ID (no per-process seed): the table's
// layout never reaches an output, but fixing it keeps runs easy to profile
// and compare.
type orderTable struct {
	entries []uint64 // 0 = empty; else hash<<32 | (slot+1)
	mask    uint64
	n       int
	recent  *[recentSets][recentWays]uint64 // recent hits: hash<<32 | (slot+1) as in entries; 0 = none; see get
}

// recentSets × recentWays is the number of entries of the table of recent
// hits: 32 KiB.
//
// Bids come to the orders that opened lately, a window of a few hundred or
// thousand orders that each take a run of bids, so placement by OrderID
// looks the same orders up again and again. In the main table those orders'
// entries are scattered one to a cache line over a megabyte (at 100,000
// orders), and between two bids on an order its line is often evicted by
// the slots and bid entries the other bids touched; the recent table is a
// 32 KiB array, dense with the window's entries, that stays in cache.
// Set hash % recentSets holds the main table's entries (hash and slot) of
// the last IDs with that index found there, newest first (a hit in the
// main table pushes the set's oldest entry out). A set has 4 ways (32
// bytes, half a line) because bids go round robin over the window: with
// one way, two orders of a 1,000-order window that shared an index (a
// fifth of them, with 4,096 indexes) evicted each other on every bid and
// both went to the main table each time; with 4 ways a set overflows only
// when 5 of the window's orders share it. The hash is compared first, so a
// cold order does not read the slot that another ID's entry names, and
// then the slot's ID. Deleting an order clears the entry that names its
// slot, so an entry always names a slot holding the ID that was found
// there. No answer depends on the entries.
const (
	recentSets = 1 << 10
	recentWays = 4
	recentSize = recentSets * recentWays
)

// The table is kept at most 4/5 full. Its size, not its probe count, is what
// placement by OrderID pays for: at 100,000 orders, 131,072 entries (1 MiB)
// stay in cache far better than the 2 MiB a half-full table needs, and a
// longer probe run is still one or two lines. A miss (AddOrder's duplicate
// check) reads about 13 entries on average at 4/5.
const maxLoadNum, maxLoadDen = 4, 5

func newOrderTable(hint int) orderTable {
	size := 16
	for size*maxLoadNum < hint*maxLoadDen {
		size <<= 1
	}
	return orderTable{entries: make([]uint64, size), mask: uint64(size - 1), recent: new([recentSets][recentWays]uint64)}
}

// hashOrderID hashes the owner address (strHash) seeded with quickHash,
// whose bits it keeps as its own low bits: those pick the recent-hit set
// and the main table's home slot.
//
// Not a defence against chosen collisions; the simulator is not
// adversarial and the chain keeps orders in its own store.
func hashOrderID(id *OrderID) uint32 { return fullHash(id, quickHash(id)) }

// quickHash mixes the sequence numbers with the owner's last 8 bytes (the
// checksum of a bech32 address: they differ between owners) in one
// multiply, so get can read the recent set while the owner's whole hash,
// several dependent multiplies, is still being worked out; until now the
// set's load, then the slot's, waited for it. Orders created in one block
// share their DSeq (a client's usual choice); the owner's bytes keep them
// apart.
func quickHash(id *OrderID) uint64 {
	o := id.Owner
	var tail uint64
	if len(o) >= 8 {
		tail = le64(o[len(o)-8:])
	} else {
		for i := range len(o) {
			tail = tail<<8 | uint64(o[i])
		}
	}
	return wymix(id.DSeq^wyp2, (uint64(id.GSeq)<<32|uint64(id.OSeq))^tail^wyp3)
}

// fullHash is id's hash given q = quickHash(id): strHash of the owner
// seeded with q above the quick bits, q's own below them.
func fullHash(id *OrderID, q uint64) uint32 {
	return uint32(strHash(id.Owner, q))&^quickMask | uint32(q)&quickMask
}

// quickMask is the bits of an order's hash that quickHash alone gives:
// the recent set's index.
const quickMask = recentSets - 1

// get returns id's slot, looked up first among the recent hits, then in
// the table (recording the hit).
func (t *orderTable) get(id *OrderID, slots []orderSlot) (uint32, bool) {
	q := quickHash(id)
	set := &t.recent[q&quickMask]
	hash := fullHash(id, q)
	for _, e := range set {
		if uint32(e>>32) == hash && e != 0 {
			if slot := uint32(e) - 1; liveOrder(&slots[slot], id) {
				return slot, true
			}
		}
	}
	for i := uint64(hash) & t.mask; ; i = (i + 1) & t.mask {
		e := t.entries[i]
		if e == 0 {
			return 0, false
		}
		if uint32(e>>32) == hash {
			slot := uint32(e) - 1
			if liveOrder(&slots[slot], id) {
				set[3], set[2], set[1], set[0] = set[2], set[1], set[0], e
				return slot, true
			}
		}
	}
}

// liveOrder reports whether slot s holds order id. It reads the slot's
// first line (ins: a table entry names an occupied slot, so this holds)
// beside the line of its ID: a placement reads both, and the first line
// (best bid, bid list, bidders) would otherwise be fetched only after the
// ID's line had arrived and been compared, a second trip to memory for a
// cold order. A handle (refSlot) reads both lines at once the same way.
func liveOrder(s *orderSlot, id *OrderID) bool {
	return s.ins != 0 && sameOrder(&s.order.ID, id)
}

// put adds id → slot; id must not be present.
// put adds id's entry for slot and returns id's hash, for delHash.
func (t *orderTable) put(id *OrderID, slot uint32) uint32 {
	if (t.n+1)*maxLoadDen > len(t.entries)*maxLoadNum {
		t.grow()
	}
	hash := hashOrderID(id)
	t.insert(uint64(hash)<<32 | uint64(slot+1))
	t.n++
	return hash
}

func (t *orderTable) insert(e uint64) {
	for i := (e >> 32) & t.mask; ; i = (i + 1) & t.mask {
		if t.entries[i] == 0 {
			t.entries[i] = e
			return
		}
	}
}

func (t *orderTable) grow() {
	old := t.entries
	t.entries = make([]uint64, 2*len(old))
	t.mask = uint64(len(t.entries) - 1)
	for _, e := range old {
		if e != 0 {
			t.insert(e)
		}
	}
}

// del removes the entry for slot (found by id's hash), shifting later
// entries of the probe run back so lookups never need tombstones.
func (t *orderTable) del(id *OrderID, slot uint32) { t.delHash(hashOrderID(id), slot) }

// delHash is del given the hash put returned (the book keeps it in the
// slot, so closing an order does not hash its ID again).
func (t *orderTable) delHash(hash uint32, slot uint32) {
	want := uint64(hash)<<32 | uint64(slot+1)
	set := &t.recent[hash&quickMask]
	for w := range set {
		if set[w] == want {
			set[w] = 0
		}
	}
	i := uint64(hash) & t.mask
	for t.entries[i] != want {
		if t.entries[i] == 0 {
			return
		}
		i = (i + 1) & t.mask
	}
	for {
		t.entries[i] = 0
		j := i
		for {
			j = (j + 1) & t.mask
			e := t.entries[j]
			if e == 0 {
				t.n--
				return
			}
			home := (e >> 32) & t.mask
			// e may move back to i only if i lies on its probe path
			// (cyclically between home and j).
			if (j > i && (home <= i || home > j)) || (j < i && home <= i && home > j) {
				t.entries[i] = e
				i = j
				break
			}
		}
	}
}
