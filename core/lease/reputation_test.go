package lease_test

import (
	"testing"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	"pgregory.net/rapid"
)

func share(ppm uint64) lease.Fraction {
	return lease.Fraction{Num: money.NewDec(ppm), Den: money.NewDec(1_000_000)}
}

// TestReputationTable: the worked examples of docs/reputation.md.
func TestReputationTable(t *testing.T) {
	p := lease.DefaultReputationParams()
	cases := []struct {
		name           string
		sharePPM       uint64
		served, faults uint64
		f, s           uint32
		want           market.Reputation
	}{
		{"newcomer, no stake", 0, 0, 0, 5000, 0, 4000},
		{"newcomer at the stake cap", 10_000, 0, 0, 5000, 10000, 6000},
		{"newcomer, 0.01% of stake", 100, 0, 0, 5000, 1000, 4200},
		{"one lease served", 0, 1, 0, 5454, 0, 4363},
		{"one fault", 0, 0, 1, 3333, 0, 2666},
		{"100 served at the cap", 10_000, 100, 0, 9545, 10000, 9636},
		{"100 served, one fault, at the cap", 10_000, 100, 1, 9130, 10000, 9304},
		{"whale: half of all stake, no history", 500_000, 0, 0, 5000, 10000, 6000},
		{"1000 served, no stake", 0, 1000, 0, 9950, 0, 7960},
		{"only faults", 10_000, 0, 1000, 9, 10000, 2007},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := lease.History{Served: c.served, Faults: c.faults}
			if got := lease.FulfillmentScore(h, p); got != c.f {
				t.Errorf("F = %d, want %d", got, c.f)
			}
			if got := lease.StakeScore(share(c.sharePPM), p); got != c.s {
				t.Errorf("S = %d, want %d", got, c.s)
			}
			if got := lease.ComputeReputation(share(c.sharePPM), h, p); got != c.want {
				t.Errorf("R = %d, want %d", got, c.want)
			}
		})
	}
}

func TestHistoryRecord(t *testing.T) {
	cases := []struct {
		r    lease.CloseReason
		want lease.History
	}{
		{lease.ReasonTenantClosed, lease.History{Served: 1}},
		{lease.ReasonDeploymentClosed, lease.History{Served: 1}},
		{lease.ReasonInsufficientFunds, lease.History{Served: 1}},
		{lease.ReasonProviderFault, lease.History{Faults: 1}},
		{lease.ReasonProviderClosed, lease.History{Neutral: 1}},
		{lease.ReasonManifestTimeout, lease.History{Neutral: 1}},
	}
	for _, c := range cases {
		var h lease.History
		h.Record(c.r)
		if h != c.want {
			t.Errorf("%s: %+v, want %+v", c.r, h, c.want)
		}
	}
}

func TestReputationParamsValidate(t *testing.T) {
	if err := lease.DefaultReputationParams().Validate(); err != nil {
		t.Fatal(err)
	}
	bad := []func(*lease.ReputationParams){
		func(p *lease.ReputationParams) { p.PriorLeases = 0 },
		func(p *lease.ReputationParams) { p.PriorServedBPS = 10001 },
		func(p *lease.ReputationParams) { p.FaultWeight = 0 },
		func(p *lease.ReputationParams) { p.StakeCapPPM = 0 },
		func(p *lease.ReputationParams) { p.StakeWeightBPS = 10001 },
	}
	for i, mut := range bad {
		p := lease.DefaultReputationParams()
		mut(&p)
		if p.Validate() == nil {
			t.Errorf("case %d: %+v accepted", i, p)
		}
	}
}

// TestReputationProperties: the economics the formula promises, for any
// valid parameters and histories.
func TestReputationProperties(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		p := lease.ReputationParams{
			PriorLeases:    rapid.Uint64Range(1, 1000).Draw(rt, "prior"),
			PriorServedBPS: uint32(rapid.Uint64Range(0, 10_000).Draw(rt, "priorBPS")),
			FaultWeight:    rapid.Uint64Range(1, 100).Draw(rt, "w"),
			StakeCapPPM:    rapid.Uint64Range(1, 1_000_000).Draw(rt, "cap"),
			StakeWeightBPS: uint32(rapid.Uint64Range(0, 10_000).Draw(rt, "sw")),
		}
		h := lease.History{
			Served: rapid.Uint64Range(0, 1<<40).Draw(rt, "served"),
			Faults: rapid.Uint64Range(0, 1<<40).Draw(rt, "faults"),
		}
		ppm := rapid.Uint64Range(0, 1_000_000).Draw(rt, "ppm")
		r := lease.ComputeReputation(share(ppm), h, p)
		if r > market.MaxReputation {
			rt.Fatalf("R = %d > max", r)
		}
		// The stake score computed apart (a caller keeping it while only
		// the history moves) gives the same score.
		if got := lease.ReputationFrom(lease.StakeScore(share(ppm), p), h, p); got != r {
			rt.Fatalf("ReputationFrom(StakeScore) = %d, ComputeReputation = %d", got, r)
		}
		more := h
		more.Served++
		worse := h
		worse.Faults++
		richer := share(min(ppm+rapid.Uint64Range(0, 1_000_000).Draw(rt, "dppm"), 1_000_000))
		if lease.ComputeReputation(share(ppm), more, p) < r {
			rt.Fatalf("serving one more lease lowered reputation")
		}
		if lease.ComputeReputation(share(ppm), worse, p) > r {
			rt.Fatalf("one more fault raised reputation")
		}
		if lease.ComputeReputation(richer, h, p) < r {
			rt.Fatalf("more stake lowered reputation")
		}
		// Stake alone can never give more than its weight.
		if s := lease.ComputeReputation(share(1_000_000), lease.History{}, p) - lease.ComputeReputation(share(0), lease.History{}, p); uint32(s) > p.StakeWeightBPS {
			rt.Fatalf("stake moved reputation by %d, more than its weight %d", s, p.StakeWeightBPS)
		}
		// A newcomer's first lease moves the fulfillment score by at most
		// 10000 × FaultWeight ÷ (PriorLeases + 1): the prior smooths it.
		f0 := int64(lease.FulfillmentScore(lease.History{}, p))
		f1 := int64(lease.FulfillmentScore(lease.History{Served: 1}, p))
		ff := int64(lease.FulfillmentScore(lease.History{Faults: 1}, p))
		bound := int64(10_000*p.FaultWeight/(p.PriorLeases+1)) + 1
		if f1-f0 > bound || f0-ff > bound {
			rt.Fatalf("one lease moved F from %d to %d / %d (bound %d)", f0, f1, ff, bound)
		}
	})
}

// With the defaults, a fault costs more than a success earns.
func TestFaultsWeighMore(t *testing.T) {
	p := lease.DefaultReputationParams()
	for _, served := range []uint64{0, 1, 10, 100, 1000} {
		base := lease.FulfillmentScore(lease.History{Served: served}, p)
		up := lease.FulfillmentScore(lease.History{Served: served + 1}, p) - base
		down := base - lease.FulfillmentScore(lease.History{Served: served, Faults: 1}, p)
		if down <= up {
			t.Errorf("served %d: a success earns %d, a fault costs only %d", served, up, down)
		}
	}
}

func TestCloseReasonNames(t *testing.T) {
	for r := lease.ReasonNone; r <= lease.ReasonDeploymentClosed; r++ {
		back, err := lease.ParseCloseReason(r.String())
		if err != nil || back != r {
			t.Errorf("%d: %q -> %v, %v", r, r.String(), back, err)
		}
		if r.Text() == "" || r.Text() == r.String() {
			t.Errorf("%s has no human text", r)
		}
		if r != lease.ReasonNone && !r.Valid() {
			t.Errorf("%s not valid", r)
		}
	}
	if lease.ReasonNone.Valid() || lease.CloseReason(99).Valid() {
		t.Error("none/unknown reason counted as valid")
	}
	if _, err := lease.ParseCloseReason("bored"); err == nil {
		t.Error("unknown reason parsed")
	}
	c := lease.Closure{Reason: lease.ReasonInsufficientFunds, Detail: "balance 1uakt"}
	if c.String() != "escrow ran out of funds: balance 1uakt" {
		t.Errorf("closure string %q", c)
	}
}

func FuzzParseCloseReason(f *testing.F) {
	for _, s := range []string{"tenant-closed", "insufficient-funds", "none", "", "reason(9)", "TENANT-CLOSED"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := lease.ParseCloseReason(s)
		if err != nil {
			return
		}
		if r.String() != s {
			t.Fatalf("%q parsed to %s", s, r)
		}
	})
}
