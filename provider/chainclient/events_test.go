package chainclient

import (
	"strings"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"

	"github.com/akash-market/akash/core/lease"
)

func ev(typ string, kv ...string) abci.Event {
	e := abci.Event{Type: typ}
	for i := 0; i+1 < len(kv); i += 2 {
		e.Attributes = append(e.Attributes, abci.EventAttribute{Key: kv[i], Value: kv[i+1]})
	}
	return e
}

func TestBlockEvents(t *testing.T) {
	res := abci.ResponseFinalizeBlock{
		TxResults: []*abci.ExecTxResult{
			{Code: 0, Events: []abci.Event{ev("message"), ev(evOrderCreated, "order", "akash1t/5/1/1", "max_price", "10uakt")}},
			{Code: 7, Events: []abci.Event{ev(evOrderCreated, "order", "akash1t/6/1/1")}}, // failed tx: ignored
			{Code: 0, Events: []abci.Event{ev(evLeaseClosed, "lease", "akash1t/1/1/1/akash1p", "reason", "tenant-closed", "detail", "bye")}},
		},
		Events: []abci.Event{
			ev(evOrderMatched, "order", "akash1t/2/1/1", "lease", "akash1t/2/1/1/akash1p", "price", "1.5uakt"),
			ev(evOrderUnmatched, "order", "akash1t/3/1/1", "why", "no eligible bid among 0"),
			ev(evLeaseClosed, "lease", "akash1t/4/1/1/akash1p", "reason", "insufficient-funds", "detail", "dry at 40"),
		},
	}
	got, err := blockEvents(res)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, r := range got {
		kinds = append(kinds, r.kind+" "+r.order.String())
	}
	want := []string{
		evOrderCreated + " akash1t/5/1/1",
		evLeaseClosed + " akash1t/1/1/1",
		evOrderMatched + " akash1t/2/1/1",
		evOrderUnmatched + " akash1t/3/1/1",
		evLeaseClosed + " akash1t/4/1/1",
	}
	if strings.Join(kinds, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(kinds, "\n"), strings.Join(want, "\n"))
	}
	if got[2].lease.Provider != "akash1p" || got[2].price != "1.5uakt" {
		t.Fatalf("matched: %+v", got[2])
	}
	if got[4].closure != (lease.Closure{Reason: lease.ReasonInsufficientFunds, Detail: "dry at 40"}) {
		t.Fatalf("closure: %+v", got[4].closure)
	}
}

func TestBadEvents(t *testing.T) {
	for _, e := range []abci.Event{
		ev(evOrderCreated, "order", "akash1t/x/1/1"),
		ev(evOrderMatched, "lease", "akash1t/2/1/1"),
		ev(evLeaseClosed, "lease", "akash1t/2/1/1/p", "reason", "because"),
	} {
		if _, err := blockEvents(abci.ResponseFinalizeBlock{Events: []abci.Event{e}}); err == nil || !strings.Contains(err.Error(), e.Type) {
			t.Errorf("%v: want an error naming the event, got %v", e, err)
		}
	}
}

func FuzzParseLeaseID(f *testing.F) {
	for _, s := range []string{"akash1t/2/1/1/akash1p", "a/0/0/0/b", "//////", "a/1/2/3", "a/18446744073709551616/1/1/p"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseLeaseID(s)
		if err != nil {
			return
		}
		// What parses prints back to a string that parses to the same ID.
		again, err := ParseLeaseID(id.String())
		if err != nil || again != id {
			t.Fatalf("%q -> %v -> %q -> %v, %v", s, id, id.String(), again, err)
		}
	})
}

func FuzzParseOrderID(f *testing.F) {
	for _, s := range []string{"akash1t/2/1/1", "a/0/0/0", "a/b/c/d", "/1/1/1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseOrderID(s)
		if err != nil {
			return
		}
		again, err := ParseOrderID(id.String())
		if err != nil || again != id {
			t.Fatalf("%q -> %v -> %v, %v", s, id, again, err)
		}
	})
}

func TestParseCoin(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
		ok   bool
	}{
		{"1.5uakt", "1.5uakt", true},
		{"10uakt", "10uakt", true},
		{"uakt", "", false},
		{"1.5", "", false},
		{"1..5uakt", "", false},
	} {
		c, ok := parseCoin(tc.in)
		if ok != tc.ok || (ok && c.String() != tc.want) {
			t.Errorf("parseCoin(%q) = %v %v, want %q %v", tc.in, c, ok, tc.want, tc.ok)
		}
	}
}
