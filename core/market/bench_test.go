package market

import (
	"testing"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/money"
)

const (
	benchOrders    = 100_000
	benchProviders = 20
	// benchOwner is a tenant address of real length (bech32, 44 characters):
	// placement by OrderID hashes and compares it.
	benchOwner = "akash1qy352euf40x77qfrg4ncn27daufrg4ncx6nm7m"
)

// benchMarket is a book with benchOrders open orders and the bids to place.
type benchMarket struct {
	book   *OrderBook
	orders []Order
	ids    []OrderID // orders[i].ID, compact so the harness itself streams little memory
	bids   []Bid     // one template per provider
}

func newBenchMarket(tb testing.TB, n int, closeAt func(i int) int64) *benchMarket {
	m := &benchMarket{book: NewOrderBook(BookConfig{Orders: n, Providers: benchProviders, BidsPerOrder: benchProviders})}
	for i := range n {
		o := baseOrder()
		o.ID = orderID(benchOwner, uint64(i+1))
		o.OpenHeight, o.CloseHeight = 0, closeAt(i)
		m.orders = append(m.orders, o)
		m.ids = append(m.ids, o.ID)
	}
	for p := range benchProviders {
		bid := bidOn(m.orders[0], providerName(p), "1", 1, 0)
		// Registered as the simulator and the load test do, so placement
		// takes the verdict cache (eligibility_cache.go).
		m.book.RegisterProvider(bid.ID.Provider, ProviderProfile{Attributes: bid.Offer.Attributes, Audited: bid.Offer.Audited})
		m.bids = append(m.bids, bid)
	}
	m.open(tb)
	return m
}

func (m *benchMarket) open(tb testing.TB) {
	for i := range m.orders {
		if err := m.book.AddOrder(m.orders[i]); err != nil {
			tb.Fatal(err)
		}
	}
}

// prices gives each (order, provider) a price 50..99 uakt so the best bid
// changes often, as it does in a real auction.
var benchPrices = func() []money.Dec {
	p := make([]money.Dec, 50)
	for i := range p {
		p[i] = money.NewDec(uint64(50 + i))
	}
	return p
}()

func (m *benchMarket) place(tb testing.TB, i int) {
	n := len(m.orders)
	m.placeAt(tb, i%n, (i/n)%benchProviders)
}

// placeAt places provider p's bid on order k.
func (m *benchMarket) placeAt(tb testing.TB, k, p int) {
	bid := &m.bids[p]
	bid.ID.OrderID = m.ids[k]
	bid.Price.Amount = benchPrices[(k*7+p*13)%len(benchPrices)]
	r, err := m.book.PlaceBid(bid)
	if err != nil || !r.Accepted() {
		tb.Fatalf("bid on order %d by provider %d: %v %v", k, p, r.Reason, err)
	}
}

// BenchmarkPlaceBid is bid placement in a book of 100,000 open orders in its
// steady state. Orders arrive in batches of 1,000; providers answer the
// newest batch (each of its orders gets 20 bids, round robin, as in a live
// market where providers bid within a few blocks of an order opening); then,
// with the timer stopped, the oldest batch closes and a new one opens, so the
// book stays at 100,000 orders and reuses the closed orders' memory.
func BenchmarkPlaceBid(b *testing.B) { benchPlaceNewest(b, false) }

// BenchmarkPlaceBidFrom is BenchmarkPlaceBid through PlaceBidFrom: the
// order by OrderID, the provider by the handle its registration returned
// (as a chain keeping it beside the provider's record would).
func BenchmarkPlaceBidFrom(b *testing.B) { benchPlaceNewest(b, true) }

func benchPlaceNewest(b *testing.B, from bool) {
	const window = 1000
	m := newBenchMarket(b, benchOrders, func(i int) int64 { return 2 + int64(i/window) })
	provs := make([]ProviderRef, benchProviders)
	for p := range provs {
		provs[p] = m.book.Provider(m.bids[p].ID.Provider)
	}
	next := benchOrders // the next order's number
	oldest := int64(2)  // close height of the oldest batch
	newest := make([]OrderID, window)
	copy(newest, m.ids[benchOrders-window:])
	roll := func() {
		m.book.CloseDue(oldest)
		oldest++
		for k := range window {
			o := baseOrder()
			o.ID = orderID(benchOwner, uint64(next+1))
			o.OpenHeight, o.CloseHeight = 0, 2+int64(next/window)
			if err := m.book.AddOrder(o); err != nil {
				b.Fatal(err)
			}
			newest[k] = o.ID
			next++
		}
	}
	placeNewest := func(k, p int) {
		bid := &m.bids[p]
		bid.ID.OrderID = newest[k]
		bid.Price.Amount = benchPrices[(k*7+p*13)%len(benchPrices)]
		var r Receipt
		var err error
		if from {
			r, err = m.book.PlaceBidFrom(provs[p], bid)
		} else {
			r, err = m.book.PlaceBid(bid)
		}
		if err != nil || !r.Accepted() {
			b.Fatalf("bid on %s by %d: %v %v", newest[k], p, r.Reason, err)
		}
	}
	// Warm up: cycle through every slot once so each has grown its bid list.
	for range benchOrders / window {
		for p := range benchProviders {
			for k := range window {
				placeNewest(k, p)
			}
		}
		roll()
	}
	b.ReportAllocs()
	var cpu cpuClock
	k, p := 0, 0
	cpu.resume()
	for b.Loop() {
		if k == window {
			k, p = 0, p+1
			if p == benchProviders {
				cpu.pause()
				b.StopTimer()
				roll()
				p = 0
				b.StartTimer()
				cpu.resume()
			}
		}
		placeNewest(k, p)
		k++
	}
	cpu.pause()
	cpu.report(b)
}

// BenchmarkPlaceBidColdOrders is the worst case for the same book: bids go
// round robin over all 100,000 orders, so every placement finds its order
// cold in memory. It measures memory latency more than the market's rules.
func BenchmarkPlaceBidColdOrders(b *testing.B) {
	m := newBenchMarket(b, benchOrders, func(int) int64 { return 1 << 40 })
	refill := func() {
		m.book.CloseDue(1 << 40)
		m.open(b)
	}
	for i := range benchOrders * benchProviders {
		m.place(b, i)
	}
	refill()
	b.ReportAllocs()
	var cpu cpuClock
	k, p := 0, 0 // order and provider of the next bid, without a division per bid
	cpu.resume()
	for b.Loop() {
		if k == benchOrders {
			k, p = 0, p+1
			if p == benchProviders {
				cpu.pause()
				b.StopTimer()
				refill()
				p = 0
				b.StartTimer()
				cpu.resume()
			}
		}
		m.placeAt(b, k, p)
		k++
	}
	cpu.pause()
	cpu.report(b)
}

// BenchmarkPlaceBidRefColdOrders is BenchmarkPlaceBidColdOrders through
// handles: providers hold the OrderRefs FillableRefs gave them (taken here,
// untimed, after each refill) and place with PlaceBidRef, so the order-ID
// lookup's cache miss is gone and the order's slot is the one left.
func BenchmarkPlaceBidRefColdOrders(b *testing.B) {
	m := newBenchMarket(b, benchOrders, func(int) int64 { return 1 << 40 })
	refs := make([]OrderRef, benchOrders)
	refill := func() {
		m.book.CloseDue(1 << 40)
		m.open(b)
		for k, id := range m.ids {
			r, ok := m.book.Ref(id)
			if !ok {
				b.Fatalf("no handle for %s", id)
			}
			refs[k] = r
		}
	}
	for i := range benchOrders * benchProviders {
		m.place(b, i)
	}
	refill()
	b.ReportAllocs()
	var cpu cpuClock
	k, p := 0, 0
	cpu.resume()
	for b.Loop() {
		if k == benchOrders {
			k, p = 0, p+1
			if p == benchProviders {
				cpu.pause()
				b.StopTimer()
				refill()
				p = 0
				b.StartTimer()
				cpu.resume()
			}
		}
		bid := &m.bids[p]
		bid.ID.OrderID = m.ids[k]
		bid.Price.Amount = benchPrices[(k*7+p*13)%len(benchPrices)]
		if r, err := m.book.PlaceBidRef(refs[k], bid); err != nil || !r.Accepted() {
			b.Fatalf("bid on order %d by provider %d: %v %v", k, p, r.Reason, err)
		}
		k++
	}
	cpu.pause()
	cpu.report(b)
}

// BenchmarkCloseOrder20Bids matches one order with 20 bids through the book
// (CloseDueInto at its height, reusing a Closing as the simulator does) and
// builds its Result. 10,000 orders wait in the book; when all have closed,
// the timer stops and they are reopened with their bids.
func BenchmarkCloseOrder20Bids(b *testing.B) {
	benchClose(b, &Closing{}, 10_000)
}

// BenchmarkCloseOrder20BidsHot is the same with 512 orders, whose slots and
// entries stay in the core's caches: the close's own instructions, without
// the wait for its order's memory that BenchmarkCloseOrder20Bids includes.
func BenchmarkCloseOrder20BidsHot(b *testing.B) {
	benchClose(b, &Closing{}, 512)
}

// BenchmarkCloseOrder20BidsAlloc is the same with CloseDue, whose Results own
// fresh memory.
func BenchmarkCloseOrder20BidsAlloc(b *testing.B) {
	benchClose(b, nil, 10_000)
}

func benchClose(b *testing.B, c *Closing, n int) {
	base := int64(2)
	m := newBenchMarket(b, n, func(i int) int64 { return base + int64(i) })
	fill := func() {
		for i := range n * benchProviders {
			m.place(b, i)
		}
	}
	fill()
	b.ReportAllocs()
	var cpu cpuClock
	h := base
	cpu.resume()
	for b.Loop() {
		if h == base+int64(n) {
			cpu.pause()
			b.StopTimer()
			base += int64(n)
			for i := range m.orders {
				m.orders[i].CloseHeight = base + int64(i)
			}
			m.open(b)
			fill()
			h = base
			b.StartTimer()
			cpu.resume()
		}
		res := m.book.CloseDueInto(c, h)
		if len(res) != 1 || !res[0].Matched || len(res[0].Bids) != benchProviders {
			b.Fatalf("height %d: %d results", h, len(res))
		}
		h++
	}
	cpu.pause()
	cpu.report(b)
}

// BenchmarkMatch20Bids is the same decision by the pure rule, as a keeper
// would make it from stored bids (reusing its outcome buffer).
func BenchmarkMatch20Bids(b *testing.B) {
	o := baseOrder()
	bids := make([]Bid, benchProviders)
	for p := range bids {
		bids[p] = bidOn(o, providerName(p), benchPrices[(p*13)%50].String(), 10+int64(p), uint64(p+1))
	}
	b.ReportAllocs()
	var cpu cpuClock
	buf := make([]BidOutcome, benchProviders)
	cpu.resume()
	for b.Loop() {
		if r := MatchInto(buf, o, bids); !r.Matched {
			b.Fatal("unmatched")
		}
	}
	cpu.pause()
	cpu.report(b)
}

// fillMarket is a book of 100,000 orders spread over 48 requirement sets
// (8 regions x 3 tiers x audited or not) and a range of sizes, as the
// provider lookup benchmarks see it.
func fillMarket(b *testing.B) (*OrderBook, []Order) {
	regions := []string{"us-west", "us-east", "eu-central", "eu-west", "ap-south", "ap-east", "sa-east", "af-south"}
	tiers := []string{"community", "premium", "enterprise"}
	book := NewOrderBook(BookConfig{Orders: benchOrders})
	orders := make([]Order, 0, benchOrders)
	for i := range benchOrders {
		o := baseOrder()
		o.ID = orderID(benchOwner, uint64(i+1))
		o.OpenHeight, o.CloseHeight = 0, 1000
		o.Requirements.Attributes = attrs("region", regions[i%8], "tier", tiers[(i/8)%3])
		if (i/24)%2 == 1 {
			o.Requirements.SignedBy.AllOf = []string{"auditor1"}
		}
		x := uint64(i*2654435761) % 1000
		o.Resources.CPUMillis = 250 << (x % 7)         // 0.25 .. 16 cores
		o.Resources.MemoryBytes = 256 << 20 << (x % 9) // 256 MiB .. 64 GiB
		if x%10 == 0 {
			o.Resources.GPUUnits = 1 + x%4
		}
		if err := book.AddOrder(o); err != nil {
			b.Fatal(err)
		}
		orders = append(orders, o)
	}
	return book, orders
}

func fillOffer() Offer {
	return Offer{
		Resources:  manifest.Totals{CPUMillis: 4000, MemoryBytes: 8 << 30, StorageBytes: 1 << 40, BandwidthBps: 1 << 30},
		Attributes: attrs("region", "us-west", "tier", "community"),
		Audited:    []AuditedAttributes{{Auditor: "auditor1", Attributes: attrs("region", "us-west", "tier", "community")}},
		Reputation: 5000,
	}
}

// BenchmarkFillable is a provider (us-west, community, 4 cores, 8 GiB, no
// gpu) asking which of 100,000 open orders it could fill.
func BenchmarkFillable(b *testing.B) {
	book, _ := fillMarket(b)
	offer := fillOffer()
	dst := make([]OrderID, 0, benchOrders)
	want := len(book.Fillable(dst[:0], offer, 5))
	b.ReportAllocs()
	var cpu cpuClock
	cpu.resume()
	for b.Loop() {
		if got := len(book.Fillable(dst[:0], offer, 5)); got != want || got == 0 {
			b.Fatalf("got %d orders, want %d", got, want)
		}
	}
	cpu.pause()
	cpu.report(b)
	b.ReportMetric(float64(want), "orders-found")
}

// BenchmarkFillableFullScan is the baseline the index beats: every order
// checked against the offer.
func BenchmarkFillableFullScan(b *testing.B) {
	_, orders := fillMarket(b)
	offer := fillOffer()
	probe := Bid{Offer: offer}
	dst := make([]OrderID, 0, benchOrders)
	b.ReportAllocs()
	for b.Loop() {
		dst = dst[:0]
		for i := range orders {
			probe.ID.OrderID = orders[i].ID
			if OfferEligible(&orders[i], &probe) == ReasonNone {
				dst = append(dst, orders[i].ID)
			}
		}
		if len(dst) == 0 {
			b.Fatal("none")
		}
	}
}
