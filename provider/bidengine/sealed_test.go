package bidengine

import (
	"testing"

	"github.com/akash-market/akash/core/market"
)

func sealedOrder(dseq uint64, open int64) market.Order {
	o := mkOrder(dseq, 1000, "10", open)
	o.Sealed, o.RevealEnd = true, o.CloseHeight+3
	return o
}

// TestSealedCommitThenReveal: a sealed order gets a PlaceBid marked Sealed
// in its bidding window and, once the bid is on chain, a RevealBid as soon
// as a tx sent now lands in the reveal window, once; a retryable failure
// asks again at the next block, until the reveal window ends.
func TestSealedCommitThenReveal(t *testing.T) {
	e := newEngine(t, testConfig())
	o := sealedOrder(1, 100) // bids [100, 110), reveals [110, 113)
	e.OrderSeen(o)
	acts := expect(t, e, "place-bid o1 1.1uakt")
	if !acts[0].Sealed || acts[0].Closes != 110 {
		t.Fatalf("PlaceBid on a sealed order: Sealed=%v Closes=%d, want true and 110", acts[0].Sealed, acts[0].Closes)
	}
	if err := e.BidResult(o.ID, BidOK, ""); err != nil {
		t.Fatal(err)
	}
	for h := int64(101); h < 109; h++ {
		e.Block(h)
		expect(t, e) // nothing until a reveal can land
	}
	e.Block(109) // a reveal sent now lands at 110, the first reveal height
	acts = expect(t, e, "reveal-bid o1")
	if acts[0].Closes != 113 || acts[0].Price.String() != "1.1uakt" {
		t.Fatalf("RevealBid Closes=%d Price=%s, want 113 and the committed 1.1uakt", acts[0].Closes, acts[0].Price)
	}
	e.Block(110)
	expect(t, e) // one in flight at a time
	if err := e.RevealResult(o.ID, BidRetryable, "rpc down"); err != nil {
		t.Fatal(err)
	}
	e.Block(111)
	expect(t, e, "reveal-bid o1")
	if err := e.RevealResult(o.ID, BidOK, ""); err != nil {
		t.Fatal(err)
	}
	e.Block(112)
	expect(t, e)
	if free := freeCPU(e); free != 3000 {
		t.Fatalf("free cpu %d while the revealed bid waits for the match, want 3000", free)
	}
	if err := e.LeaseWon(leaseInfo(o, 113)); err != nil {
		t.Fatal(err)
	}
	expect(t, e, "won o1")
}

// TestSealedRevealAfterRestart: a new engine (a restarted daemon) that finds
// its commitment on chain in the snapshot (Bids and Sealed) asks for the
// reveal in the reveal window; one whose bid is already revealed does not.
func TestSealedRevealAfterRestart(t *testing.T) {
	for _, tc := range []struct {
		name     string
		at       int64
		revealed bool
		want     []string
	}{
		{name: "restart in the bidding window", at: 105, want: nil},
		{name: "restart at the last bid block", at: 109, want: []string{"reveal-bid o1"}},
		{name: "restart in the reveal window", at: 111, want: []string{"reveal-bid o1"}},
		{name: "already revealed", at: 111, revealed: true, want: nil},
		{name: "reveal window over", at: 113, want: nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEngine(t, testConfig())
			o := sealedOrder(1, 100)
			snap := Snapshot{Height: tc.at, Orders: []market.Order{o}, Bids: []market.OrderID{o.ID}}
			if !tc.revealed {
				snap.Sealed = []market.OrderID{o.ID}
			}
			if err := e.Catchup(snap); err != nil {
				t.Fatal(err)
			}
			expect(t, e, tc.want...)
			if tc.at == 105 {
				e.Block(109)
				expect(t, e, "reveal-bid o1")
			}
			if freeCPU(e) != 3000 {
				t.Fatalf("free cpu %d, want the bid on chain to hold 1000", freeCPU(e))
			}
		})
	}
}

// TestSealedRevealRefused: a reveal the chain refuses for good is not sent
// again; the order's close then reports the loss and frees the capacity.
func TestSealedRevealRefused(t *testing.T) {
	e := newEngine(t, testConfig())
	o := sealedOrder(1, 100)
	e.OrderSeen(o)
	expect(t, e, "place-bid o1 1.1uakt")
	_ = e.BidResult(o.ID, BidOK, "")
	e.Block(109)
	expect(t, e, "reveal-bid o1")
	if err := e.RevealResult(o.ID, BidRejected, "reveal does not match"); err != nil {
		t.Fatal(err)
	}
	expect(t, e, "skipped o1")
	e.Block(110)
	expect(t, e)
	e.BidLost(o.ID, "order closed")
	expect(t, e, "lost o1")
	if freeCPU(e) != 4000 {
		t.Fatalf("free cpu %d after the loss, want 4000", freeCPU(e))
	}
}

// TestSealedLateCommitResultRevealsAtOnce: the commitment's result comes in
// after the block from which a reveal can land (the tx landed in the last
// bidding block): the reveal is asked for at once, not a block later, when
// a one-block reveal window would be over. (Found by the property.)
func TestSealedLateCommitResultRevealsAtOnce(t *testing.T) {
	e := newEngine(t, testConfig())
	o := sealedOrder(1, 100)
	o.RevealEnd = o.CloseHeight + 1 // reveals only at 110
	e.OrderSeen(o)
	expect(t, e, "place-bid o1 1.1uakt")
	e.Block(109)
	expect(t, e) // the commitment's result is not in yet
	if err := e.BidResult(o.ID, BidOK, ""); err != nil {
		t.Fatal(err)
	}
	expect(t, e, "reveal-bid o1")
}
