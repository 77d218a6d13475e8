package lease_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	"github.com/cockroachdb/datadriven"
)

// TestEscrowScripts runs the stories in testdata/escrow/*.txt: each command
// is one verb, its output the transfers and closes it decided. Conservation
// is checked after every command. Regenerate with -rewrite and review the diff.
//
//	account take=<bps> height=<h>
//	deposit from=<addr> amount=<dec> height=<h>
//	open provider=<addr> gseq=<n> price=<dec> height=<h>
//	settle height=<h>
//	withdraw provider=<addr> gseq=<n> height=<h>
//	close-lease provider=<addr> gseq=<n> reason=<reason> height=<h>
//	close-account reason=<reason> height=<h>
//	dry-height
//	show
func TestEscrowScripts(t *testing.T) {
	datadriven.Walk(t, "testdata/escrow", func(t *testing.T, path string) {
		var l *ledger
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			arg := func(key string) string {
				for _, a := range d.CmdArgs {
					if a.Key == key && len(a.Vals) > 0 {
						return a.Vals[0]
					}
				}
				d.Fatalf(t, "%s: missing %s=", d.Cmd, key)
				return ""
			}
			num := func(key string) int64 {
				var n int64
				if _, err := fmt.Sscan(arg(key), &n); err != nil {
					d.Fatalf(t, "%s: %s=%q is not an integer", d.Cmd, key, arg(key))
				}
				return n
			}
			coin := func(key string) money.Coin {
				v, err := money.ParseDec(arg(key))
				if err != nil {
					d.Fatalf(t, "%s: %s: %v", d.Cmd, key, err)
				}
				return money.Coin{Denom: denom, Amount: v}
			}
			id := func() market.LeaseID { return leaseID(arg("provider"), uint32(num("gseq"))) }
			reason := func() lease.Closure {
				r, err := lease.ParseCloseReason(arg("reason"))
				if err != nil {
					d.Fatalf(t, "%s: %v", d.Cmd, err)
				}
				return lease.Closure{Reason: r, Detail: "script"}
			}
			var err error
			switch d.Cmd {
			case "account":
				l = newLedger(t, uint32(num("take")), num("height"))
				return "ok"
			case "deposit":
				err = l.do(func(a *lease.Account, e *lease.Effects) error {
					return a.Deposit(arg("from"), coin("amount"), num("height"), e)
				})
			case "open":
				err = l.do(func(a *lease.Account, e *lease.Effects) error {
					return a.OpenLease(id(), coin("price"), num("height"), e)
				})
			case "settle":
				err = l.do(func(a *lease.Account, e *lease.Effects) error { return a.Settle(num("height"), e) })
			case "withdraw":
				err = l.do(func(a *lease.Account, e *lease.Effects) error { return a.Withdraw(id(), num("height"), e) })
			case "close-lease":
				err = l.do(func(a *lease.Account, e *lease.Effects) error { return a.CloseLease(id(), reason(), num("height"), e) })
			case "close-account":
				err = l.do(func(a *lease.Account, e *lease.Effects) error { return a.CloseAccount(reason(), num("height"), e) })
			case "dry-height":
				h, ok := l.acc.DryHeight()
				if !ok {
					return "never"
				}
				return fmt.Sprint(h)
			case "show":
				return show(l.acc)
			default:
				d.Fatalf(t, "unknown command %q", d.Cmd)
			}
			return effects(&l.eff, err)
		})
	})
}

func effects(eff *lease.Effects, err error) string {
	var b strings.Builder
	if err != nil {
		fmt.Fprintf(&b, "error: %v\n", err)
	}
	for _, t := range eff.Transfers {
		fmt.Fprintf(&b, "%-8s %s -> %s %s\n", t.Why, party(t.From, t), party(t.To, t), t.Coin)
	}
	for _, c := range eff.Closed {
		fmt.Fprintf(&b, "closed %s at %d: %s\n", c.ID.Provider, c.ClosedAt, c.Closure)
	}
	if b.Len() == 0 {
		return "ok"
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func party(p lease.Party, t lease.Transfer) string {
	if p.Kind == lease.PartyPayment && t.Lease.Provider == "" {
		return "leases"
	}
	return p.String()
}

func show(a *lease.Account) string {
	var b strings.Builder
	fmt.Fprintf(&b, "account %s %s settled-to=%d balance=%s rate=%s\n", a.ID, a.State, a.SettledTo, a.Balance.ShortString(), a.Rate.ShortString())
	for _, p := range a.Payments {
		l := p.Lease
		fmt.Fprintf(&b, "lease %s %s price=%s accrued=%s earned=%s taken=%s", l.ID.Provider, l.State, l.Price.Amount.ShortString(),
			p.Accrued.ShortString(), p.Earned.ShortString(), p.Taken.ShortString())
		if l.State == lease.StateClosed {
			fmt.Fprintf(&b, " closed-at=%d reason=%s", l.ClosedAt, l.Closure.Reason)
		}
		b.WriteString("\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}
