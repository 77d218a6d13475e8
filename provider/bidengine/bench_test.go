package bidengine

import (
	"testing"

	"github.com/akash-market/akash/provider/inventory"
	"github.com/akash-market/akash/provider/pricing"
)

// BenchmarkOrderSeen: one new order judged (market offer checks, inventory
// fit and reservation, rate-card price, price checks) and bid on, then
// released, so the book stays the same size.
func BenchmarkOrderSeen(b *testing.B) {
	e := newEngine(b, testConfig())
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		o := mkOrder(uint64(i+1), 100, "10", 100)
		e.OrderSeen(o)
		_ = e.BidResult(o.ID, BidOK, "")
		e.BidLost(o.ID, "bench")
		delete(e.orders, o.ID)
		e.out = e.out[:0]
	}
}

// BenchmarkCatchup10k: a catch-up snapshot of 10,000 open orders, 1,000 of
// which fit (the provider's pool holds 1,000 of them), taken by a fresh engine.
func BenchmarkCatchup10k(b *testing.B) {
	snap := Snapshot{Height: 101}
	for i := uint64(1); i <= 10_000; i++ {
		cpu := uint64(100)
		if i%10 != 0 {
			cpu = 1 << 40 // too big for any pool
		}
		snap.Orders = append(snap.Orders, mkOrder(i, cpu, "1000000", 100))
	}
	rc, _ := pricing.RateCardConfig{Denom: "uakt", CPU: "1", MarginBPS: 1000}.Build()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		inv, _ := inventory.New([]inventory.Pool{{Name: "main", Capacity: inventory.Resources{CPUMillis: 100_000, MemoryBytes: 1 << 50}}})
		e, _ := New(testConfig(), inv, rc, 100)
		_ = e.Catchup(snap)
		if n := len(e.Actions()); n < 10_000 {
			b.Fatalf("%d actions", n)
		}
	}
}
