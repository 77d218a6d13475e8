package replay

import (
	"bytes"
	"testing"
	"time"

	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/scenarios"
	"github.com/akash-market/akash/sim"
	"github.com/akash-market/akash/sim/trace"
)

// smallRun is the shipped default market cut down to a chain-sized run:
// six providers, a tenant every few minutes, short leases and small
// deposits so that leases end by term and by running dry within the run.
func smallRun(t testing.TB) (*sim.Result, *trace.Trace) {
	t.Helper()
	sc, err := scenarios.Open("default", "providers[0].count=4", "providers[1].count=2", "market.min_deposit=500",
		"tenants[0].arrival.rate_per_hour=30", "tenants[0].lease_length.mean=1500", "tenants[0].lease_length.std=1500",
		"tenants[0].deposit_blocks.kind=const", "tenants[0].deposit_blocks.value=200", "tenants[0].top_up.probability=0")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w := trace.NewWriter(&buf, 0)
	res, err := sim.Run(sc, sim.Options{Seed: 4, Until: sim.Duration(75 * time.Minute), Trace: w})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	tr, err := trace.Read(&buf, "small")
	if err != nil {
		t.Fatal(err)
	}
	return res, tr
}

func TestPlanFromTrace(t *testing.T) {
	res, tr := smallRun(t)
	p, err := NewPlan(tr)
	if err != nil {
		t.Fatal(err)
	}
	s := res.Summary
	if len(p.Providers) != 6 || len(p.Tenants) == 0 || int64(len(p.Want.Leases)) != s.Leases.Opened || s.Leases.Opened < 5 {
		t.Fatalf("%d providers, %d tenants, %d leases (summary %d)", len(p.Providers), len(p.Tenants), len(p.Want.Leases), s.Leases.Opened)
	}
	closed := map[string]int{}
	for id, l := range p.Want.Leases {
		o, ok := p.Want.Orders[id.OrderID]
		if !ok || !o.Matched || o.Winner != id.Provider || !o.Price.Equal(l.Price) || o.Closed != l.Opened {
			t.Errorf("lease %s %+v does not follow its order's result %+v", id, l, o)
		}
		if l.Closed != 0 {
			closed[l.Reason]++
		}
	}
	t.Logf("%d steps, %d orders, %d leases, closed %v", len(p.Steps), len(p.Want.Orders), len(p.Want.Leases), closed)
	if closed["insufficient-funds"] == 0 || closed["tenant-closed"] == 0 {
		t.Errorf("the run should close leases by term and by running dry: %v", closed)
	}
	// Every action is at its simulator height + 1, in trace order.
	first := p.Steps[0]
	if first.Height != 1 || first.Record.Kind != trace.KindProvider {
		t.Errorf("first step %+v: want the first provider joining in block 1", first)
	}
	// Genesis funds less what the transfers took equal the end wallets.
	var providersEnd money.Dec
	for _, a := range p.Providers {
		w := p.Want.Wallets[a]
		_ = providersEnd.AddAssign(&w)
	}
	var ledger trace.Ledger
	last := tr.Records[len(tr.Records)-1]
	ledger = last.End.Ledger
	if !providersEnd.Equal(ledger.Providers) {
		t.Errorf("providers' wallets sum to %s, the ledger's bucket %s", providersEnd, ledger.Providers)
	}
	var tenantsEnd money.Dec
	for _, a := range p.Tenants {
		w := p.Want.Wallets[a]
		_ = tenantsEnd.AddAssign(&w)
	}
	if !tenantsEnd.Equal(ledger.Tenants) {
		t.Errorf("tenants' wallets sum to %s, the ledger's bucket %s", tenantsEnd, ledger.Tenants)
	}
	if !p.Want.Take.Equal(ledger.Take) || p.Want.Take.IsZero() {
		t.Errorf("take %s, ledger %s (want equal and > 0)", p.Want.Take, ledger.Take)
	}
}

func TestPlanRefusesIncompleteTrace(t *testing.T) {
	_, tr := smallRun(t)
	tr.Complete = false
	if _, err := NewPlan(tr); err == nil {
		t.Fatal("an incomplete trace was accepted")
	}
}
