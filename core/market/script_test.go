package market

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/money"
)

// TestScripts runs the market stories in testdata/*.txt (cockroachdb/
// datadriven, as etcd raft's interaction tests do). Each command drives the
// book one step and prints what it decided. Regenerate expected output after
// an intended change with: go test ./core/market -run TestScripts -rewrite
// and review the diff.
//
// Commands:
//
//	order name=o1 max=100uakt open=10 close=20 [cpu= mem= storage= gpu= bw=] [attrs=(k=v,...)]
//	      [allof=(a,...)] [anyof=(a,...)] [minrep=N] [sealed reveal=25]
//	provider name=p1 [cpu= mem= storage= gpu= bw=] [attrs=(k=v,...)] [audited=(k=v@auditor,...)] [rep=N]
//	bid order=o1 provider=p1 price=50uakt height=11 [deposit=5uakt]
//	withdraw order=o1 provider=p1 height=12
//	commit order=o1 provider=p1 price=50uakt salt=7 height=11 [deposit=5uakt]
//	reveal order=o1 provider=p1 height=21 [price=..] [salt=..]
//	best order=o1
//	fillable provider=p1 height=12
//	close height=20
//	cancel order=o1
func TestScripts(t *testing.T) {
	paths, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no scripts in testdata: %v", err)
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			s := newScript()
			datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
				out, err := s.run(t, d)
				if err != nil {
					return "error: " + err.Error() + "\n"
				}
				return out
			})
		})
	}
}

type script struct {
	book      *OrderBook
	orders    map[string]OrderID
	names     map[OrderID]string
	providers map[string]Offer
	reveals   map[BidID]Reveal
}

func newScript() *script {
	return &script{
		book:      NewOrderBook(BookConfig{}),
		orders:    map[string]OrderID{},
		names:     map[OrderID]string{},
		providers: map[string]Offer{},
		reveals:   map[BidID]Reveal{},
	}
}

func (s *script) run(t *testing.T, d *datadriven.TestData) (string, error) {
	switch d.Cmd {
	case "order":
		return s.order(t, d)
	case "provider":
		var name string
		d.ScanArgs(t, "name", &name)
		offer := Offer{Resources: scanTotals(t, d), Attributes: scanAttrs(t, d, "attrs")}
		var rep uint64
		d.MaybeScanArgs(t, "rep", &rep)
		offer.Reputation = Reputation(rep)
		if d.HasArg("audited") {
			byAuditor := map[string]int{}
			for _, v := range argVals(d, "audited") {
				kv, auditor, _ := strings.Cut(v, "@")
				k, val, _ := strings.Cut(kv, "=")
				i, ok := byAuditor[auditor]
				if !ok {
					i = len(offer.Audited)
					byAuditor[auditor] = i
					offer.Audited = append(offer.Audited, AuditedAttributes{Auditor: auditor})
				}
				offer.Audited[i].Attributes = append(offer.Audited[i].Attributes, manifest.Attribute{Key: k, Value: val})
			}
		}
		s.providers[name] = offer
		return "ok\n", nil
	case "bid", "commit":
		bid := s.scanBid(t, d)
		var r Receipt
		var err error
		if d.Cmd == "bid" {
			r, err = s.book.PlaceBid(&bid)
		} else {
			rv := Reveal{Bid: bid.ID, Price: bid.Price, Salt: scanSalt(t, d)}
			bid.Commitment, bid.Price = rv.Commitment(), money.Coin{}
			s.reveals[bid.ID] = rv
			r, err = s.book.Commit(&bid)
		}
		if err != nil {
			return "", err
		}
		return receipt(r, true), nil
	case "withdraw":
		var h int64
		d.ScanArgs(t, "height", &h)
		refund, err := s.book.Withdraw(s.bidID(t, d), h)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("withdrawn; refund %s\n", refund), nil
	case "reveal":
		id := s.bidID(t, d)
		rv := s.reveals[id]
		if d.HasArg("price") {
			rv.Price = scanCoin(t, d, "price")
		}
		if d.HasArg("salt") {
			rv.Salt = scanSalt(t, d)
		}
		var h int64
		d.ScanArgs(t, "height", &h)
		r, err := s.book.Reveal(rv, h)
		if err != nil {
			return "", err
		}
		return receipt(r, false), nil
	case "best":
		bid, price, ok := s.book.Best(s.orderID(t, d))
		if !ok {
			return "none\n", nil
		}
		return fmt.Sprintf("%s at %s\n", bid.Provider, price), nil
	case "fillable":
		var name string
		var h int64
		d.ScanArgs(t, "provider", &name)
		d.ScanArgs(t, "height", &h)
		var out []string
		for _, id := range s.book.Fillable(nil, s.providers[name], h) {
			out = append(out, s.names[id])
		}
		if len(out) == 0 {
			return "none\n", nil
		}
		return strings.Join(out, " ") + "\n", nil
	case "close":
		var h int64
		d.ScanArgs(t, "height", &h)
		res := s.book.CloseDue(h)
		if len(res) == 0 {
			return "nothing due\n", nil
		}
		var sb strings.Builder
		for _, r := range res {
			sb.WriteString(s.rename(r.String()))
		}
		return sb.String(), nil
	case "cancel":
		r, err := s.book.CancelOrder(s.orderID(t, d))
		if err != nil {
			return "", err
		}
		return s.rename(r.String()), nil
	}
	t.Fatalf("%s: unknown command %q", d.Pos, d.Cmd)
	return "", nil
}

func (s *script) order(t *testing.T, d *datadriven.TestData) (string, error) {
	var name string
	d.ScanArgs(t, "name", &name)
	id := orderID("tenant", uint64(len(s.orders)+1))
	o := Order{ID: id, Resources: scanTotals(t, d), MaxPrice: scanCoin(t, d, "max")}
	o.Requirements.Attributes = scanAttrs(t, d, "attrs")
	o.Requirements.SignedBy.AllOf = argVals(d, "allof")
	o.Requirements.SignedBy.AnyOf = argVals(d, "anyof")
	var minRep uint64
	d.MaybeScanArgs(t, "minrep", &minRep)
	o.MinReputation = Reputation(minRep)
	d.ScanArgs(t, "open", &o.OpenHeight)
	d.ScanArgs(t, "close", &o.CloseHeight)
	o.Sealed = d.HasArg("sealed")
	d.MaybeScanArgs(t, "reveal", &o.RevealEnd)
	if err := s.book.AddOrder(o); err != nil {
		return "", err
	}
	s.orders[name], s.names[id] = id, name
	return fmt.Sprintf("%s = %s\n", name, id), nil
}

func (s *script) orderID(t *testing.T, d *datadriven.TestData) OrderID {
	var name string
	d.ScanArgs(t, "order", &name)
	id, ok := s.orders[name]
	if !ok {
		id = orderID("unknown-"+name, 0)
	}
	return id
}

func (s *script) bidID(t *testing.T, d *datadriven.TestData) BidID {
	var p string
	d.ScanArgs(t, "provider", &p)
	return BidID{OrderID: s.orderID(t, d), Provider: p}
}

func (s *script) scanBid(t *testing.T, d *datadriven.TestData) Bid {
	b := Bid{ID: s.bidID(t, d), Price: scanCoin(t, d, "price"), Deposit: uakt("5")}
	b.Offer = s.providers[b.ID.Provider]
	d.ScanArgs(t, "height", &b.PlacedAt)
	if d.HasArg("deposit") {
		b.Deposit = scanCoin(t, d, "deposit")
	}
	return b
}

// rename shows orders by their script names.
func (s *script) rename(text string) string {
	names := make([]string, 0, len(s.names))
	for id := range s.names {
		names = append(names, id.String())
	}
	// Longest first, so tenant/1/1/1 does not eat part of tenant/11/1/1.
	sort.Slice(names, func(i, j int) bool {
		return len(names[i]) > len(names[j]) || (len(names[i]) == len(names[j]) && names[i] < names[j])
	})
	for _, n := range names {
		for id, name := range s.names {
			if id.String() == n {
				text = strings.ReplaceAll(text, "order "+n+" ", "order "+name+" ")
			}
		}
	}
	return text
}

func receipt(r Receipt, placed bool) string {
	var sb strings.Builder
	switch {
	case !r.Accepted():
		fmt.Fprintf(&sb, "rejected: %s", r.Reason)
	case placed:
		sb.WriteString("accepted")
	default:
		sb.WriteString("revealed")
	}
	if placed {
		fmt.Fprintf(&sb, " seq=%d", r.Seq)
	}
	if r.Best {
		sb.WriteString(" (now best)")
	}
	sb.WriteByte('\n')
	return sb.String()
}

func argVals(d *datadriven.TestData, key string) []string {
	for _, a := range d.CmdArgs {
		if a.Key == key {
			var out []string
			for _, v := range a.Vals {
				if v = strings.TrimSpace(v); v != "" {
					out = append(out, v)
				}
			}
			return out
		}
	}
	return nil
}

func scanAttrs(t *testing.T, d *datadriven.TestData, key string) manifest.Attributes {
	var out manifest.Attributes
	for _, v := range argVals(d, key) {
		k, val, ok := strings.Cut(v, "=")
		if !ok {
			t.Fatalf("%s: %s: want key=value, got %q", d.Pos, key, v)
		}
		out = append(out, manifest.Attribute{Key: k, Value: val})
	}
	return out
}

func scanTotals(t *testing.T, d *datadriven.TestData) manifest.Totals {
	var tot manifest.Totals
	d.MaybeScanArgs(t, "cpu", &tot.CPUMillis)
	d.MaybeScanArgs(t, "mem", &tot.MemoryBytes)
	d.MaybeScanArgs(t, "storage", &tot.StorageBytes)
	d.MaybeScanArgs(t, "gpu", &tot.GPUUnits)
	d.MaybeScanArgs(t, "bw", &tot.BandwidthBps)
	return tot
}

func scanCoin(t *testing.T, d *datadriven.TestData, key string) money.Coin {
	var s string
	d.ScanArgs(t, key, &s)
	i := strings.IndexFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	if i <= 0 {
		t.Fatalf("%s: %s=%q: want an amount then a denom, e.g. 50uakt", d.Pos, key, s)
	}
	amount, err := money.ParseDec(s[:i])
	if err != nil {
		t.Fatalf("%s: %s: %v", d.Pos, key, err)
	}
	return money.Coin{Denom: s[i:], Amount: amount}
}

func scanSalt(t *testing.T, d *datadriven.TestData) [32]byte {
	var n uint64
	d.ScanArgs(t, "salt", &n)
	var salt [32]byte
	for i := range salt {
		salt[i] = byte(n >> (8 * (i % 8)))
	}
	return salt
}
