package market

import (
	"fmt"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/money"
)

// Test fixtures shared by the table, property, script and benchmark tests.

func uakt(s string) money.Coin { return money.Coin{Denom: "uakt", Amount: money.MustParseDec(s)} }

func orderID(owner string, dseq uint64) OrderID {
	return OrderID{GroupID: GroupID{DeploymentID: DeploymentID{Owner: owner, DSeq: dseq}, GSeq: 1}, OSeq: 1}
}

func attrs(kv ...string) manifest.Attributes {
	var out manifest.Attributes
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, manifest.Attribute{Key: kv[i], Value: kv[i+1]})
	}
	return out
}

// baseOrder is a plain order: 2 cores, 4 GiB, 10 GiB storage, no gpu, at most
// 100uakt, region=us-west, bids in [10, 20).
func baseOrder() Order {
	return Order{
		ID:            orderID("tenant", 1),
		Requirements:  manifest.PlacementRequirements{Attributes: attrs("region", "us-west")},
		Resources:     manifest.Totals{CPUMillis: 2000, MemoryBytes: 4 << 30, StorageBytes: 10 << 30},
		MinReputation: 100,
		MaxPrice:      uakt("100"),
		OpenHeight:    10,
		CloseHeight:   20,
	}
}

// fitOffer fills baseOrder with room to spare.
func fitOffer() Offer {
	return Offer{
		Resources:  manifest.Totals{CPUMillis: 8000, MemoryBytes: 32 << 30, StorageBytes: 1 << 40, GPUUnits: 1, BandwidthBps: 1 << 30},
		Attributes: attrs("host", "akash", "region", "us-west", "tier", "community"),
		Audited:    []AuditedAttributes{{Auditor: "auditor1", Attributes: attrs("region", "us-west", "tier", "community")}},
		Reputation: 5000,
	}
}

func bidOn(o Order, provider string, price string, height int64, seq uint64) Bid {
	return Bid{
		ID:       BidID{OrderID: o.ID, Provider: provider},
		Price:    uakt(price),
		Offer:    fitOffer(),
		PlacedAt: height,
		Seq:      seq,
		Deposit:  uakt("5"),
	}
}

func providerName(i int) string { return fmt.Sprintf("akash1provider%04d", i) }

// outcomeView is an outcome as its Result shows it: the bid's whole ID and
// its coins with their denominations, so outcomes of two Results (which may
// record denominations differently: see Result.DepositDenom) compare.
type outcomeView struct {
	ID       BidID
	Price    money.Coin
	Deposit  money.Coin
	PlacedAt int64
	Seq      uint64
	Outcome  Outcome
	Reason   Reason
	Action   DepositAction
}

func viewOf(r *Result, b *BidOutcome) outcomeView {
	return outcomeView{ID: r.BidID(b), Price: r.PriceOf(b), Deposit: r.DepositOf(b), PlacedAt: b.PlacedAt, Seq: b.Seq,
		Outcome: b.Outcome, Reason: b.Reason, Action: b.Action}
}
