package bidengine

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
)

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		mod  func(*Config)
		want string
	}{
		{"provider", func(c *Config) { c.Provider = "" }, "provider address is empty"},
		{"manifest timeout", func(c *Config) { c.ManifestTimeout = 0 }, "manifest timeout 0"},
		{"withdraw period", func(c *Config) { c.WithdrawPeriod = -1 }, "withdraw period -1"},
		{"stall", func(c *Config) { c.StallAfter = 0 }, "stall-after 0"},
		{"retries", func(c *Config) { c.BidRetries = -1 }, "bid retries -1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := testConfig()
			tc.mod(&c)
			if err := c.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Validate: %v, want %q", err, tc.want)
			}
		})
	}
}

func TestOrderDecisions(t *testing.T) {
	for _, tc := range []struct {
		name   string
		order  func() manifest.Totals
		mod    func(o *orderArgs)
		want   string
		reason string
	}{
		{name: "fits: bids cost + margin", want: "place-bid o1 1.1uakt"},
		{name: "max between cost and margin: bids the max", mod: func(o *orderArgs) { o.max = "1.05" }, want: "place-bid o1 1.05uakt"},
		{name: "below cost", mod: func(o *orderArgs) { o.max = "0.9" }, want: "skipped o1", reason: "max price below cost"},
		{name: "too big", mod: func(o *orderArgs) { o.cpu = 5000 }, want: "skipped o1", reason: `cpu needs 5000, 4000 free`},
		{name: "attribute we lack", mod: func(o *orderArgs) { o.attr = "us" }, want: "skipped o1", reason: "does not offer: attribute"},
		{name: "reputation too low", mod: func(o *orderArgs) { o.rep = 9000 }, want: "skipped o1", reason: "does not offer: reputation"},
		{name: "window closed", mod: func(o *orderArgs) { o.open = 50 }, want: "skipped o1", reason: "bidding window [50, 60) does not include the next block 101"},
		{name: "window closes this block", mod: func(o *orderArgs) { o.open = 91 }, want: "skipped o1", reason: "[91, 101) does not include the next block 101"},
		{name: "window opens next block: bid now", mod: func(o *orderArgs) { o.open = 101 }, want: "place-bid o1 1.1uakt"},
		{name: "sealed", mod: func(o *orderArgs) { o.sealed = true }, want: "skipped o1", reason: "sealed-bid orders are not supported"},
		{name: "other denom", mod: func(o *orderArgs) { o.denom = "uatom" }, want: "skipped o1", reason: "another denomination"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEngine(t, testConfig())
			a := orderArgs{cpu: 1000, max: "10", open: 100, denom: "uakt"}
			if tc.mod != nil {
				tc.mod(&a)
			}
			o := mkOrder(1, a.cpu, a.max, a.open)
			o.MaxPrice.Denom = a.denom
			o.MinReputation = market.Reputation(a.rep)
			if a.attr != "" {
				o.Requirements.Attributes = manifest.Attributes{{Key: "region", Value: a.attr}}
			}
			if a.sealed {
				o.Sealed, o.RevealEnd = true, o.CloseHeight+5
			}
			e.OrderSeen(o)
			acts := expect(t, e, tc.want)
			if !strings.Contains(acts[0].Reason, tc.reason) {
				t.Fatalf("reason %q, want it to contain %q", acts[0].Reason, tc.reason)
			}
			if acts[0].Kind == PlaceBid {
				if freeCPU(e) != 4000-a.cpu {
					t.Fatalf("free cpu %d after bid, want %d reserved", freeCPU(e), a.cpu)
				}
				if acts[0].Deposit.String() != "5uakt" {
					t.Fatalf("deposit %s", acts[0].Deposit)
				}
			} else if freeCPU(e) != 4000 {
				t.Fatalf("a skipped order holds capacity: free %d", freeCPU(e))
			}
			e.OrderSeen(o)
			expect(t, e) // seen again: nothing
		})
	}
}

type orderArgs struct {
	cpu    uint64
	max    string
	open   int64
	attr   string
	rep    uint32
	sealed bool
	denom  string
}

func TestLostReleasesAndRetriesSkipped(t *testing.T) {
	e := newEngine(t, testConfig())
	e.OrderSeen(mkOrder(1, 3000, "10", 100))
	e.OrderSeen(mkOrder(2, 2000, "10", 100))
	expect(t, e, "place-bid o1 3.3uakt", "skipped o2")
	if err := e.BidResult(oid(1), BidOK, ""); err != nil {
		t.Fatal(err)
	}
	e.BidLost(oid(1), "outbid")
	// Capacity came back: the skipped order gets its bid.
	expect(t, e, "lost o1", "place-bid o2 2.2uakt")
	if freeCPU(e) != 2000 {
		t.Fatalf("free cpu %d, want 2000", freeCPU(e))
	}
	e.BidLost(oid(1), "again")
	expect(t, e)
}

func TestBidRetry(t *testing.T) {
	e := newEngine(t, testConfig()) // BidRetries = 1
	e.OrderSeen(mkOrder(1, 1000, "10", 100))
	expect(t, e, "place-bid o1 1.1uakt")
	_ = e.BidResult(oid(1), BidRetryable, "rpc: connection refused")
	expect(t, e, "skipped o1")
	if freeCPU(e) != 4000 {
		t.Fatalf("failed bid holds capacity")
	}
	e.Block(101)
	expect(t, e, "place-bid o1 1.1uakt")
	_ = e.BidResult(oid(1), BidRetryable, "rpc: connection refused")
	expect(t, e, "skipped o1")
	e.Block(102)
	expect(t, e) // retries used up
	_ = e.BidResult(oid(1), BidOK, "")
	expect(t, e) // a late result for a bid no longer in flight is ignored
}

func TestBidRejectedIsNotRetried(t *testing.T) {
	e := newEngine(t, testConfig())
	e.OrderSeen(mkOrder(1, 1000, "10", 100))
	e.Actions()
	_ = e.BidResult(oid(1), BidRejected, "insufficient funds for deposit 5uakt")
	e.Block(101)
	acts := expect(t, e, "skipped o1")
	if !strings.Contains(acts[0].Reason, "insufficient funds") {
		t.Fatal(acts[0].Reason)
	}
	if err := e.BidResult(oid(99), BidOK, ""); err == nil {
		t.Fatal("result for an unknown order must be an error")
	}
}

func TestManifestTimeoutClosesAndReleases(t *testing.T) {
	e := newEngine(t, testConfig()) // ManifestTimeout 5
	o := mkOrder(1, 1000, "10", 100)
	e.OrderSeen(o)
	_ = e.BidResult(o.ID, BidOK, "")
	e.Actions()
	if err := e.LeaseWon(leaseInfo(o, 110)); err != nil {
		t.Fatal(err)
	}
	acts := expect(t, e, "won o1")
	if acts[0].Adopted || !strings.Contains(acts[0].Reason, "manifest awaited until height 115") {
		t.Fatalf("won action %+v", acts[0])
	}
	if r, c := e.inv.Holds(); r != 0 || c != 1 {
		t.Fatalf("holds %d reserved %d committed, want 0/1", r, c)
	}
	e.Block(114)
	expect(t, e)
	e.Block(115)
	acts = expect(t, e, "close-lease o1 manifest-timeout")
	if !strings.Contains(acts[0].Closure.Detail, "no manifest within 5 blocks of the lease's start at height 110") {
		t.Fatal(acts[0].Closure.Detail)
	}
	e.Block(116)
	expect(t, e) // not sent twice
	e.Block(119)
	expect(t, e, "close-lease o1 manifest-timeout") // the close did not take effect after StallAfter blocks: again
	e.LeaseClosed(lid(1), lease.Closure{Reason: lease.ReasonManifestTimeout})
	expect(t, e, "teardown o1")
	if freeCPU(e) != 4000 {
		t.Fatalf("capacity not released: free %d", freeCPU(e))
	}
}

func TestWithdrawPeriodAndClose(t *testing.T) {
	e := newEngine(t, testConfig()) // WithdrawPeriod 10
	o := mkOrder(1, 1000, "10", 100)
	if err := e.LeaseWon(leaseInfo(o, 100)); err != nil { // adopted: never bid in this run
		t.Fatal(err)
	}
	if err := e.ManifestReceived(lid(1)); err != nil {
		t.Fatal(err)
	}
	e.Actions()
	var withdrawals []int64
	for h := int64(101); h <= 130; h++ {
		e.Block(h)
		for _, a := range e.Actions() {
			if a.Kind != Withdraw {
				t.Fatalf("unexpected %s", a)
			}
			withdrawals = append(withdrawals, a.Height)
		}
	}
	if len(withdrawals) != 3 || withdrawals[0] != 110 || withdrawals[1] != 120 || withdrawals[2] != 130 {
		t.Fatalf("withdrawals at %v, want [110 120 130]", withdrawals)
	}
	e.LeaseClosed(lid(1), lease.Closure{Reason: lease.ReasonInsufficientFunds, Detail: "dry at 131"})
	acts := expect(t, e, "teardown o1")
	if acts[0].Reason != "escrow ran out of funds: dry at 131" {
		t.Fatal(acts[0].Reason)
	}
	if err := e.ManifestReceived(lid(1)); err == nil {
		t.Fatal("manifest for a closed lease must be an error")
	}
	if err := e.LeaseWon(LeaseInfo{ID: otherLease("akash1other")}); err == nil {
		t.Fatal("a lease of another provider must be refused")
	}
}

func TestStallSignal(t *testing.T) {
	e := newEngine(t, testConfig()) // StallAfter 4
	e.OrderSeen(mkOrder(1, 1000, "10", 100))
	e.Actions()
	_ = e.BidResult(oid(1), BidRejected, "insufficient funds: 0uakt < 5uakt deposit")
	e.Actions()
	for h := int64(101); h < 104; h++ {
		e.Block(h)
		expect(t, e)
	}
	e.Block(104)
	acts := expect(t, e, "stalled")
	for _, want := range []string{"no bid landed for 4 blocks", "1 eligible order", "insufficient funds: 0uakt < 5uakt deposit"} {
		if !strings.Contains(acts[0].Reason, want) {
			t.Fatalf("stall reason %q lacks %q", acts[0].Reason, want)
		}
	}
	if !e.Stalled() {
		t.Fatal("Stalled() false")
	}
	e.Block(105)
	expect(t, e)
	e.Block(108)
	expect(t, e, "stalled") // repeated every StallAfter blocks
	e.OrderSeen(mkOrder(2, 1000, "10", 108))
	_ = e.BidResult(oid(2), BidOK, "")
	expect(t, e, "place-bid o2 1.1uakt", "recovered")
}

func TestStallPendingTx(t *testing.T) {
	e := newEngine(t, testConfig())
	e.OrderSeen(mkOrder(1, 1000, "10", 100))
	e.Actions()
	e.Block(104)
	acts := expect(t, e, "stalled")
	if !strings.Contains(acts[0].Reason, "1 bid tx(s) sent with no result") {
		t.Fatal(acts[0].Reason)
	}
}

func TestNoStallWhenSkippedByChoice(t *testing.T) {
	e := newEngine(t, testConfig())
	e.OrderSeen(mkOrder(1, 1000, "0.5", 100)) // below cost
	e.OrderSeen(mkOrder(2, 9000, "50", 100))  // too big
	e.Actions()
	e.Block(109)
	expect(t, e)
}

func TestCatchup(t *testing.T) {
	e := newEngine(t, testConfig())
	a := mkOrder(1, 1000, "10", 95) // unseen open order
	b := mkOrder(2, 1000, "10", 95) // we bid on it before a restart
	c := mkOrder(3, 1000, "10", 80) // we won it before a restart
	snap := Snapshot{Height: 101, Orders: []market.Order{a, b}, Bids: []market.OrderID{b.ID}, Leases: []LeaseInfo{leaseInfo(c, 90)}}
	if err := e.Catchup(snap); err != nil {
		t.Fatal(err)
	}
	// Lease c started at 90 and has no manifest yet: due at 95, closed now.
	expect(t, e, "won o3", "missed o1", "place-bid o1 1.1uakt", "close-lease o3 manifest-timeout")
	if freeCPU(e) != 1000 {
		t.Fatalf("free %d, want 1000 (a reserved, b reserved, c committed)", freeCPU(e))
	}
	if err := e.Catchup(snap); err != nil {
		t.Fatal(err)
	}
	expect(t, e) // idempotent
	// b's order closes at 105 with a lease for someone else; a's bid landed.
	_ = e.BidResult(a.ID, BidOK, "")
	later := Snapshot{Height: 106, Bids: nil, Leases: []LeaseInfo{leaseInfo(c, 90)}}
	if err := e.Catchup(later); err != nil {
		t.Fatal(err)
	}
	// c still listed 5 blocks after its close was sent: the close is sent again.
	expect(t, e, "close-lease o3 manifest-timeout", "lost o1", "lost o2")
	if freeCPU(e) != 3000 {
		t.Fatalf("free %d, want 3000 (only c)", freeCPU(e))
	}
}

func TestCatchupFailedBidThatLanded(t *testing.T) {
	e := newEngine(t, testConfig())
	o := mkOrder(1, 1000, "10", 100)
	e.OrderSeen(o)
	_ = e.BidResult(o.ID, BidRejected, "timeout waiting for tx")
	e.Actions()
	_ = e.Catchup(Snapshot{Height: 101, Orders: []market.Order{o}, Bids: []market.OrderID{o.ID}})
	expect(t, e)
	if freeCPU(e) != 3000 {
		t.Fatalf("landed bid must hold capacity again: free %d", freeCPU(e))
	}
	e.Block(102)
	expect(t, e) // not re-placed
}

func TestLeaseWonOverInventory(t *testing.T) {
	e := newEngine(t, testConfig())
	big := mkOrder(1, 9000, "100", 100)
	err := e.LeaseWon(leaseInfo(big, 100))
	if err == nil || !strings.Contains(err.Error(), "served anyway") {
		t.Fatalf("want an overcommit error, got %v", err)
	}
	expect(t, e, "won o1")
	_ = e.ManifestReceived(lid(1))
	e.LeaseClosed(lid(1), lease.Closure{Reason: lease.ReasonTenantClosed})
	expect(t, e, "teardown o1")
	if freeCPU(e) != 4000 {
		t.Fatal("capacity changed")
	}
}

func TestCatchupDeployedLeaseIsNotTimedOut(t *testing.T) {
	e := newEngine(t, testConfig())
	li := leaseInfo(mkOrder(1, 1000, "10", 50), 60)
	li.Deployed = true // the runtime has its workload
	if err := e.Catchup(Snapshot{Height: 101, Leases: []LeaseInfo{li}}); err != nil {
		t.Fatal(err)
	}
	acts := expect(t, e, "won o1", "withdraw o1") // 41 blocks since the start: a withdrawal is due at once
	if !acts[0].Adopted || acts[0].Reason != "adopted: its workload is deployed" {
		t.Fatalf("won action %+v", acts[0])
	}
	e.Block(105)
	expect(t, e)
	if a, r, c := e.LeaseCount(); a != 0 || r != 1 || c != 0 {
		t.Fatalf("lease phases %d/%d/%d, want 0 awaiting, 1 running", a, r, c)
	}
}

func TestOrderOpeningLaterIsBidWhenItOpens(t *testing.T) {
	e := newEngine(t, testConfig())
	e.OrderSeen(mkOrder(1, 1000, "10", 103)) // seen in the block that created it; opens later
	expect(t, e, "skipped o1")
	e.Block(101)
	expect(t, e)
	e.Block(102)
	expect(t, e, "place-bid o1 1.1uakt")
}

// TestProviderCloses: the provider closes a running lease for a reason (its
// manifest cannot run here); the close is sent again with the same reason
// if the chain has not closed it StallAfter blocks later, and no withdrawal
// or manifest timeout intervenes.
func TestProviderCloses(t *testing.T) {
	e := newEngine(t, testConfig()) // StallAfter 4, WithdrawPeriod 10
	o := mkOrder(1, 1000, "10", 100)
	if err := e.LeaseWon(leaseInfo(o, 100)); err != nil {
		t.Fatal(err)
	}
	e.Actions()
	if err := e.Close(lid(9), lease.Closure{Reason: lease.ReasonProviderClosed, Detail: "x"}); !errors.Is(err, ErrUnknownLease) {
		t.Fatalf("closing an unknown lease: %v", err)
	}
	why := lease.Closure{Reason: lease.ReasonProviderClosed, Detail: "image example/app:1 is not on this provider"}
	if err := e.Close(lid(1), why); err != nil {
		t.Fatal(err)
	}
	acts := expect(t, e, "close-lease o1 provider-closed")
	if acts[0].Closure != why {
		t.Fatalf("closure %+v, want %+v", acts[0].Closure, why)
	}
	if err := e.Close(lid(1), why); err != nil {
		t.Fatal(err)
	}
	expect(t, e) // already closing
	for h := int64(101); h <= 103; h++ {
		e.Block(h)
		expect(t, e)
	}
	e.Block(104)
	acts = expect(t, e, "close-lease o1 provider-closed")
	if acts[0].Closure != why {
		t.Fatalf("retry closure %+v, want %+v", acts[0].Closure, why)
	}
	e.LeaseClosed(lid(1), why)
	expect(t, e, "teardown o1")
}

// TestLeaseWonAfterTheWindow: under tenant matching the tenant picks after
// the order's close, up to its bid timeout. The engine keeps the bid (and
// its reserved capacity) past the match height with no decision of its own,
// and the lease event that comes many blocks later is a win like any other:
// capacity committed, manifest awaited from the lease's own start.
func TestLeaseWonAfterTheWindow(t *testing.T) {
	e := newEngine(t, testConfig()) // StallAfter 4
	o := mkOrder(1, 1000, "10", 100)
	e.OrderSeen(o)
	_ = e.BidResult(o.ID, BidOK, "")
	e.Actions()
	late := o.MatchHeight() + 3*testConfig().StallAfter // well past the close and the engine's forgetting horizon
	for h := int64(101); h <= late; h++ {
		e.Block(h)
	}
	expect(t, e) // no loss, no retry, no stall: the bid waits for the tenant
	if r, c := e.inv.Holds(); r != 1 || c != 0 {
		t.Fatalf("holds %d reserved %d committed while the tenant picks, want 1/0", r, c)
	}
	if err := e.LeaseWon(leaseInfo(o, late)); err != nil {
		t.Fatal(err)
	}
	acts := expect(t, e, "won o1")
	if acts[0].Adopted || !strings.Contains(acts[0].Reason, fmt.Sprintf("manifest awaited until height %d", late+5)) {
		t.Fatalf("won action %+v", acts[0])
	}
	if r, c := e.inv.Holds(); r != 0 || c != 1 {
		t.Fatalf("holds %d reserved %d committed after the win, want 0/1", r, c)
	}
}
