package bidengine

import (
	"fmt"
	"strings"
	"testing"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/provider/inventory"
	"github.com/akash-market/akash/provider/pricing"
)

const me = "akash1provider"

func testConfig() Config {
	return Config{
		Provider:        me,
		Attributes:      manifest.Attributes{{Key: "region", Value: "eu"}},
		Reputation:      5000,
		Deposit:         money.Coin{Denom: "uakt", Amount: money.NewDec(5)},
		ManifestTimeout: 5,
		WithdrawPeriod:  10,
		StallAfter:      4,
		BidRetries:      1,
	}
}

// newEngine: one pool of 4 cores / 8 GiB; rate card 1 uakt per core per
// block with a 10% margin.
// tb is what newEngine needs of *testing.T and *rapid.T.
type tb interface {
	Helper()
	Fatal(args ...any)
}

func newEngine(t tb, cfg Config) *Engine {
	t.Helper()
	inv, err := inventory.New([]inventory.Pool{{Name: "main", Capacity: inventory.Resources{CPUMillis: 4000, MemoryBytes: 8 << 30, StorageBytes: 100 << 30}}})
	if err != nil {
		t.Fatal(err)
	}
	rc, err := pricing.RateCardConfig{Denom: "uakt", CPU: "1", MarginBPS: 1000}.Build()
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(cfg, inv, rc, 100)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func oid(dseq uint64) market.OrderID {
	return market.OrderID{GroupID: market.GroupID{DeploymentID: market.DeploymentID{Owner: "akash1tenant", DSeq: dseq}, GSeq: 1}, OSeq: 1}
}

func lid(dseq uint64) market.LeaseID { return market.LeaseID{OrderID: oid(dseq), Provider: me} }

// mkOrder: cpu millis, max price, open [open, open+10).
func mkOrder(dseq, cpu uint64, maxPrice string, open int64) market.Order {
	return market.Order{
		ID:          oid(dseq),
		Resources:   manifest.Totals{CPUMillis: cpu, MemoryBytes: 1 << 30},
		MaxPrice:    money.Coin{Denom: "uakt", Amount: money.MustParseDec(maxPrice)},
		OpenHeight:  open,
		CloseHeight: open + 10,
	}
}

func leaseInfo(o market.Order, opened int64) LeaseInfo {
	return LeaseInfo{ID: market.LeaseID{OrderID: o.ID, Provider: me}, Price: o.MaxPrice, Resources: o.Resources, OpenedAt: opened}
}

// drain returns the actions as short strings: "place-bid t/3 1.1uakt".
func drain(e *Engine) []string {
	var out []string
	for _, a := range e.Actions() {
		out = append(out, short(a))
	}
	return out
}

func short(a Action) string {
	dseq := func(id market.OrderID) string { return fmt.Sprintf("o%d", id.DSeq) }
	switch a.Kind {
	case PlaceBid:
		return fmt.Sprintf("place-bid %s %s", dseq(a.Order), a.Price)
	case CloseLease:
		return fmt.Sprintf("close-lease %s %s", dseq(a.Lease.OrderID), a.Closure.Reason)
	case Withdraw, Teardown, Won:
		return fmt.Sprintf("%s %s", a.Kind, dseq(a.Lease.OrderID))
	case Stalled, Recovered:
		return a.Kind.String()
	}
	return fmt.Sprintf("%s %s", a.Kind, dseq(a.Order))
}

func expect(t *testing.T, e *Engine, want ...string) []Action {
	t.Helper()
	acts := e.Actions()
	var got []string
	for _, a := range acts {
		got = append(got, short(a))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("actions:\n  got  %q\n  want %q", got, want)
	}
	return acts
}

func freeCPU(e *Engine) uint64 { return e.inv.Usage()[0].Free.CPUMillis }

func otherLease(provider string) market.LeaseID {
	return market.LeaseID{OrderID: oid(1), Provider: provider}
}
