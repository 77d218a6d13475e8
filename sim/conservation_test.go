package sim

import (
	"testing"

	"github.com/akash-market/akash/core/money"
)

// Tokens in outside + tenants + escrow + providers + bid deposits + pool +
// stake + slashed are constant, checked after every block, across seeds and
// with sealed bids (forfeits), top-ups, outages, churn and withdrawals.
func TestConservationEveryBlock(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		sc := smallScenario()
		if seed == 3 {
			sc.Tenants[0].SealedShare = 1
			sc.Market.BidDeposit = money.MustParseDec("0.123456789")
		}
		res, err := Run(sc, Options{Seed: seed, CheckEveryBlock: true})
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		s := res.Summary
		if s.Leases.Opened == 0 || s.Leases.InsufficientFunds == 0 || s.Leases.ProviderFault == 0 || s.Providers.Left == 0 {
			t.Fatalf("seed %d: the run must exercise leases, dry closes, faults and churn: %+v", seed, s.Leases)
		}
	}
}

func TestLedgerCheckCatchesALeak(t *testing.T) {
	l := newLedger(money.NewDec(100))
	if err := move(&l.Outside, &l.Tenants, money.NewDec(40), "fund"); err != nil {
		t.Fatal(err)
	}
	if err := l.Check(); err != nil {
		t.Fatal(err)
	}
	l.Escrow = money.NewDec(1) // a token from nowhere
	if err := l.Check(); err == nil {
		t.Fatal("a token from nowhere passed the check")
	}
}
