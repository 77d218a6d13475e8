package sim

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/sim/trace"
)

func tracedRun(t *testing.T, sc *Scenario, opt Options) (*Result, []byte) {
	t.Helper()
	var buf bytes.Buffer
	opt.Trace = trace.NewWriter(&buf, 0)
	res, err := Run(sc, opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := opt.Trace.Close(); err != nil {
		t.Fatal(err)
	}
	return res, buf.Bytes()
}

// The trace tells the whole story: counts agree with the summary, and the
// transfers it lists, replayed into the ledger's buckets and the providers'
// wallets, end exactly where the run's ledger and wallets ended.
func TestTraceAgreesWithTheRun(t *testing.T) {
	sc := smallScenario()
	opt := Options{Seed: 7, Until: Duration(4 * time.Hour)}
	plain, err := Run(sc, opt)
	if err != nil {
		t.Fatal(err)
	}
	res, data := tracedRun(t, sc, opt)
	if !bytes.Equal(canonicalBytes(t, plain), canonicalBytes(t, res)) {
		t.Fatal("tracing changed the run's outputs")
	}
	_, again := tracedRun(t, smallScenario(), opt)
	if !bytes.Equal(data, again) {
		t.Fatal("two traces of the same seed differ")
	}
	tr, err := trace.Read(bytes.NewReader(data), "small")
	if err != nil {
		t.Fatal(err)
	}
	if !tr.Complete || tr.Header.Seed != 7 || tr.Header.Market.BidWindowBlocks != 10 || tr.Header.EndHeight != 2400 {
		t.Fatalf("header %+v, complete %t", tr.Header, tr.Complete)
	}

	count := map[trace.Kind]int64{}
	var matched, sealed int64
	buckets := map[string]*money.Dec{}
	bucket := func(p trace.Party, why string) *money.Dec {
		k := p.Kind
		switch {
		case k == "pool" && why == "slash":
			k = "slashed"
		case k == "lease": // leases' accrued slots are in the escrow bucket (settling is not traced)
			k = "escrow"
		}
		if buckets[k] == nil {
			buckets[k] = new(money.Dec)
		}
		return buckets[k]
	}
	wallets := map[string]*money.Dec{}
	var end *trace.End
	for _, r := range tr.Records {
		count[r.Kind]++
		switch r.Kind {
		case trace.KindOrderClosed:
			if r.OrderClosed.Matched {
				matched++
			}
		case trace.KindOrder:
			if r.Order.Sealed {
				sealed++
			}
		case trace.KindProvider:
			wallets[r.Provider.Addr] = new(money.Dec)
		case trace.KindTransfer:
			x := r.Transfer
			if x.From.Kind != trace.PartyOutside {
				if err := bucket(x.From, x.Why).SubAssign(&x.Amount); err != nil {
					t.Fatalf("transfer %+v overdraws %s", x, x.From.Kind)
				}
			}
			_ = bucket(x.To, x.Why).AddAssign(&x.Amount)
			if x.From.Kind == "provider" {
				_ = wallets[x.From.Addr].SubAssign(&x.Amount)
			}
			if x.To.Kind == "provider" {
				_ = wallets[x.To.Addr].AddAssign(&x.Amount)
			}
		case trace.KindEnd:
			end = r.End
		}
	}
	s := res.Summary
	for _, c := range []struct {
		name      string
		got, want int64
	}{
		{"bids and commitments", count[trace.KindBid] + count[trace.KindCommit], s.Bids.Placed},
		{"orders", count[trace.KindOrder], s.Orders.Posted},
		{"matched orders", matched, s.Orders.Matched},
		{"leases opened", count[trace.KindLeaseOpened], s.Leases.Opened},
		{"deployments", count[trace.KindDeployment], s.Tenants.Deployments},
	} {
		if c.got != c.want || c.want == 0 {
			t.Errorf("%s: trace %d, summary %d (must agree and be > 0)", c.name, c.got, c.want)
		}
	}
	if count[trace.KindCommit] == 0 || count[trace.KindReveal] == 0 || sealed == 0 || count[trace.KindProviderStatus] == 0 ||
		count[trace.KindCloseLease] == 0 || count[trace.KindWithdraw] == 0 {
		t.Errorf("the run should exercise sealed bids, outages and withdrawals: %v", count)
	}
	if end == nil || end.Records != int64(len(tr.Records)) {
		t.Fatalf("end record %+v after %d records", end, len(tr.Records))
	}
	l := end.Ledger
	for _, b := range []struct {
		name string
		want money.Dec
	}{
		{"depositor", l.Tenants}, {"escrow", l.Escrow}, {"provider", l.Providers}, {"bid-deposit", l.BidLocked},
		{"pool", l.Pool}, {"stake", l.Staked}, {"slashed", l.Slashed},
	} {
		got := money.Dec{}
		if buckets[b.name] != nil {
			got = *buckets[b.name]
		}
		if !got.Equal(b.want) {
			t.Errorf("bucket %s: the trace's transfers sum to %s, the run's ledger holds %s", b.name, got, b.want)
		}
	}
	if len(end.Wallets) != len(wallets) {
		t.Fatalf("%d wallets at the end, %d providers joined", len(end.Wallets), len(wallets))
	}
	for _, b := range end.Wallets {
		if !wallets[b.Addr].Equal(b.Amount) {
			t.Errorf("wallet %s: the trace's transfers sum to %s, the run ended with %s", b.Addr, wallets[b.Addr], b.Amount)
		}
	}
}

// The groups in deployment records price and size the orders exactly.
func TestTraceGroupsMatchOrders(t *testing.T) {
	_, data := tracedRun(t, smallScenario(), Options{Seed: 3, Until: Duration(2 * time.Hour)})
	tr, err := trace.Read(bytes.NewReader(data), "small")
	if err != nil {
		t.Fatal(err)
	}
	groups := map[string]trace.Deployment{}
	n := 0
	for _, r := range tr.Records {
		switch r.Kind {
		case trace.KindDeployment:
			groups[r.Deployment.ID.String()] = *r.Deployment
		case trace.KindOrder:
			o := r.Order
			d, ok := groups[trace.DeploymentID(o.ID.Deployment()).String()]
			if !ok {
				t.Fatalf("order %s before its deployment", o.ID)
			}
			price, err := d.Group.MaxPrice()
			if err != nil {
				t.Fatal(err)
			}
			totals, err := d.Group.Totals()
			if err != nil {
				t.Fatal(err)
			}
			if !price.Amount.Equal(o.MaxPrice) || totals != o.Resources || d.Sealed != o.Sealed ||
				fmt.Sprint(d.Group.Requirements) != fmt.Sprint(o.Requirements) {
				t.Errorf("order %s: max price %s, totals %+v; its group gives %s, %+v", o.ID, o.MaxPrice, o.Resources, price.Amount, totals)
			}
			n++
		}
	}
	if n == 0 {
		t.Fatal("no orders")
	}
}

// Every tenant deposit is a whole number of units (lease.WholeDeposit), as a
// chain's bank takes them, and the run still conserves every token.
func TestWholeDeposits(t *testing.T) {
	_, data := tracedRun(t, smallScenario(), Options{Seed: 3, Until: Duration(3 * time.Hour), CheckEveryBlock: true})
	tr, err := trace.Read(bytes.NewReader(data), "small")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	whole := func(d money.Dec) bool { return money.NewDec(d.QuoFloor(money.NewDec(1))).Equal(d) }
	for _, r := range tr.Records {
		if r.Kind == trace.KindTransfer && r.Transfer.Why == "deposit" {
			n++
			if !whole(r.Transfer.Amount) {
				t.Fatalf("deposit %s is not whole", r.Transfer.Amount)
			}
		}
	}
	if n < 10 {
		t.Fatalf("only %d deposits", n)
	}
}
