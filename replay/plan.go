// Package replay replays a simulator trace (sim/trace) through the chain:
// each simulated actor's decision becomes a signed transaction in the block
// the chain would have seen it in, and the simulator's outcomes (leases,
// prices, balances) become the expectation the chain's state is checked
// against. See docs/trace.md.
package replay

import (
	"fmt"
	"slices"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/sim/trace"
)

// HeightOffset maps a simulator height to the chain's. The simulator runs
// block h's end-of-block work (matching, escrow) and then, until block h+1,
// the actors' events at height h. On a chain those events are transactions
// in block h+1, which run before block h+1's end-of-block work: the same
// order. So an action at simulator height h is in chain block h+1, and every
// height the market derives from it (order close, lease open, dry height)
// is one more than the simulator's.
const HeightOffset = 1

// Step is one action of the trace at the chain height it is submitted in.
type Step struct {
	Height int64 // chain height
	Record trace.Record
	// Amount is the stake a provider leaving unbonds: what it bonded less
	// what was slashed (the simulator unbonds all of it).
	Amount *money.Dec
}

// Plan is a trace arranged for a chain: the actions block by block, the
// accounts and their genesis funds, and what the simulator saw happen.
type Plan struct {
	Header trace.Header
	Steps  []Step // actions in trace order; heights never decrease
	// Funds is each simulated address's genesis balance: a provider's
	// joining funds, a tenant's total funding over the run (the simulator
	// funds a tenant just before each deposit; a chain account holds it all
	// from genesis, which changes no market decision).
	Funds     map[string]money.Dec
	Providers []string // in the order they joined
	Tenants   []string // in the order they first deployed
	Want      Outcome

	in, out map[string]money.Dec // what each wallet received and paid (NewPlan's scratch)
	bonded  map[string]money.Dec // each provider's stake so far (NewPlan's scratch)
	earned  map[market.LeaseID]money.Dec
	refunds map[refundKey]money.Dec
}

// Outcome is what the simulator decided, in simulator IDs and chain heights.
type Outcome struct {
	Orders  map[market.OrderID]OrderResult
	Leases  map[market.LeaseID]LeaseResult
	Wallets map[string]money.Dec // every address's final wallet (genesis funds + transfers)
	// ChainWallets are Wallets under the chain's whole-unit rule (node/x/escrow
	// pay.go): a provider is paid ⌊what a lease earned in total⌋, a depositor
	// refunded ⌊its refund⌋ per account; the fractions go to the community
	// pool (or stay in escrow while the account is open). Dust is the
	// difference, Wallets − ChainWallets, per address.
	ChainWallets map[string]money.Dec
	Dust         map[string]money.Dec
	Bonded       map[string]money.Dec // each provider's bonded stake at the end
	Slashed      map[string]money.Dec // each provider's stake slashed over the run
	Pool         money.Dec            // take + forfeited bid deposits + slashes
	Take         money.Dec
}

// OrderResult is how an order closed.
type OrderResult struct {
	Closed    int64 // chain height of the match (or cancel)
	Matched   bool
	Cancelled bool
	Winner    string
	Price     money.Dec
}

// LeaseResult is a lease's life.
type LeaseResult struct {
	Price  money.Dec
	Opened int64 // chain height
	Closed int64 // chain height; 0 while open at the end
	Reason string
}

// NewPlan arranges a complete trace. Actions the simulator itself saw fail
// (a reveal the book refused) are left out: the simulator carried on as if
// they had not happened.
func NewPlan(t *trace.Trace) (*Plan, error) {
	if !t.Complete {
		return nil, fmt.Errorf("replay: the trace does not end with its end record (cut off or --trace-limit); replay needs the whole run")
	}
	p := &Plan{Header: t.Header, Funds: map[string]money.Dec{},
		Want: Outcome{Orders: map[market.OrderID]OrderResult{}, Leases: map[market.LeaseID]LeaseResult{}, Wallets: map[string]money.Dec{},
			Slashed: map[string]money.Dec{}}}
	seen := map[string]bool{}
	p.in, p.out, p.bonded = map[string]money.Dec{}, map[string]money.Dec{}, map[string]money.Dec{}
	p.earned, p.refunds = map[market.LeaseID]money.Dec{}, map[refundKey]money.Dec{}
	var end *trace.End
	for i := range t.Records {
		r := t.Records[i]
		h := r.Height + HeightOffset
		switch r.Kind {
		case trace.KindProvider:
			p.Providers = append(p.Providers, r.Provider.Addr)
			seen[r.Provider.Addr] = true
			p.Steps = append(p.Steps, Step{Height: h, Record: r})
		case trace.KindDeployment:
			if o := r.Deployment.ID.Owner; !seen[o] {
				seen[o] = true
				p.Tenants = append(p.Tenants, o)
			}
			p.Steps = append(p.Steps, Step{Height: h, Record: r})
		case trace.KindReveal:
			if r.Reveal.Error == "" {
				p.Steps = append(p.Steps, Step{Height: h, Record: r})
			}
		case trace.KindProviderStatus:
			st := Step{Height: h, Record: r}
			if r.ProviderStatus.Status == trace.StatusLeft {
				b := p.bonded[r.ProviderStatus.Addr]
				st.Amount = &b
				p.bonded[r.ProviderStatus.Addr] = money.Dec{} // all of it unbonds
			}
			p.Steps = append(p.Steps, st)
		case trace.KindDeposit, trace.KindBid, trace.KindCommit, trace.KindBidWithdrawn,
			trace.KindCloseLease, trace.KindCloseDeployment, trace.KindWithdraw, trace.KindCreateLease:
			p.Steps = append(p.Steps, Step{Height: h, Record: r})
		case trace.KindOrderClosed:
			c := r.OrderClosed
			p.Want.Orders[c.ID.Order()] = OrderResult{Closed: h, Matched: c.Matched, Cancelled: c.Cancelled, Winner: c.Winner, Price: c.Price}
		case trace.KindLeaseOpened:
			p.Want.Leases[r.LeaseOpened.ID.Bid()] = LeaseResult{Price: r.LeaseOpened.Price, Opened: h}
		case trace.KindLeaseClosed:
			c := r.LeaseClosed
			l, ok := p.Want.Leases[c.ID.Bid()]
			if !ok {
				return nil, fmt.Errorf("replay: trace record %d closes lease %s, which never opened", i+2, c.ID)
			}
			l.Closed, l.Reason = c.ClosedAt+HeightOffset, c.Reason
			p.Want.Leases[c.ID.Bid()] = l
		case trace.KindTransfer:
			if err := p.apply(r.Transfer); err != nil {
				return nil, fmt.Errorf("replay: trace record %d: %w", i+2, err)
			}
		case trace.KindEnd:
			end = r.End
		}
	}
	// Genesis funds are what the run funded; wallets start there.
	for a, f := range p.Funds {
		in := p.in[a]
		sum, err := f.Add(in)
		if err == nil {
			sum, err = sum.Sub(p.out[a])
		}
		if err != nil {
			return nil, fmt.Errorf("replay: wallet of %s: funds %s + received %s - paid %s: %w", a, f, in, p.out[a], err)
		}
		p.Want.Wallets[a] = sum
	}
	if end == nil {
		return nil, fmt.Errorf("replay: the trace has no end record")
	}
	if err := p.wholeUnitWallets(); err != nil {
		return nil, err
	}
	p.Want.Bonded = p.bonded
	for _, b := range end.Wallets {
		if got := p.Want.Wallets[b.Addr]; !got.Equal(b.Amount) {
			return nil, fmt.Errorf("replay: the trace's transfers give provider %s a wallet of %s, its end record %s: the trace is inconsistent", b.Addr, got, b.Amount)
		}
	}
	if !slices.IsSortedFunc(p.Steps, func(a, b Step) int { return int(a.Height - b.Height) }) {
		return nil, fmt.Errorf("replay: trace heights go backwards")
	}
	return p, nil
}

// apply adds a transfer to the expected wallets (relative to genesis) and the pool.
func (p *Plan) apply(t *trace.Transfer) error {
	wallet := func(party trace.Party) bool {
		return party.Kind == lease.PartyProvider.String() || party.Kind == lease.PartyDepositor.String()
	}
	if t.From.Kind == trace.PartyOutside {
		if !wallet(t.To) {
			return fmt.Errorf("fund transfer to %s: want a provider or tenant", t.To.Kind)
		}
		f := p.Funds[t.To.Addr]
		sum, err := f.Add(t.Amount)
		p.Funds[t.To.Addr] = sum
		return err
	}
	if wallet(t.From) {
		o := p.out[t.From.Addr]
		_ = o.AddAssign(&t.Amount)
		p.out[t.From.Addr] = o
	}
	if wallet(t.To) {
		i := p.in[t.To.Addr]
		_ = i.AddAssign(&t.Amount)
		p.in[t.To.Addr] = i
	}
	switch t.Why {
	case lease.WhyWithdraw.String():
		if t.Lease != nil {
			id := t.Lease.Bid()
			e := p.earned[id]
			_ = e.AddAssign(&t.Amount)
			p.earned[id] = e
		}
	case lease.WhyRefund.String():
		if t.Account != nil {
			k := refundKey{t.Account.Deployment(), t.To.Addr}
			r := p.refunds[k]
			_ = r.AddAssign(&t.Amount)
			p.refunds[k] = r
		}
	case lease.WhyBond.String():
		b := p.bonded[t.From.Addr]
		_ = b.AddAssign(&t.Amount)
		p.bonded[t.From.Addr] = b
	case lease.WhySlash.String():
		// A slash cuts the bonded stake and each unbonding entry by the
		// same bps (core/lease StakeBook.Slash); the bonded part is the
		// policy's cut of what is bonded, the rest came from unbonding.
		b := p.bonded[t.From.Addr]
		cut := lease.SlashCut(b, p.Header.Market.SlashFaultBPS)
		if cut.Less(t.Amount) || cut.Equal(t.Amount) {
			_ = b.SubAssign(&cut)
		} else if err := b.SubAssign(&t.Amount); err != nil {
			return fmt.Errorf("slash of %s exceeds its stake %s", t.From.Addr, b)
		}
		p.bonded[t.From.Addr] = b
		s := p.Want.Slashed[t.From.Addr]
		_ = s.AddAssign(&t.Amount)
		p.Want.Slashed[t.From.Addr] = s
	}
	if t.To.Kind == lease.PartyPool.String() {
		_ = p.Want.Pool.AddAssign(&t.Amount)
		if t.Why == lease.WhyTake.String() {
			_ = p.Want.Take.AddAssign(&t.Amount)
		}
	}
	return nil
}

type refundKey struct {
	account   market.DeploymentID
	depositor string
}

// wholeUnitWallets applies the chain's whole-unit payout rule to the
// simulator's exact payouts: each lease's provider loses the fraction of
// what the lease earned in total, each depositor the fraction of each
// account's refund to it.
func (p *Plan) wholeUnitWallets() error {
	p.Want.ChainWallets, p.Want.Dust = map[string]money.Dec{}, map[string]money.Dec{}
	dust := func(who string, d money.Dec) {
		_, frac := splitWhole(d)
		v := p.Want.Dust[who]
		_ = v.AddAssign(&frac)
		p.Want.Dust[who] = v
	}
	for id, e := range p.earned {
		dust(id.Provider, e)
	}
	for k, r := range p.refunds {
		dust(k.depositor, r)
	}
	for a, w := range p.Want.Wallets {
		d := p.Want.Dust[a]
		cw, err := w.Sub(d)
		if err != nil {
			return fmt.Errorf("replay: wallet of %s (%s) is smaller than its dust %s", a, w, d)
		}
		p.Want.ChainWallets[a] = cw
	}
	return nil
}

// splitWhole splits d into whole units and the fraction below one.
func splitWhole(d money.Dec) (whole, frac money.Dec) {
	whole = money.NewDec(d.QuoFloor(money.NewDec(1)))
	frac, _ = d.Sub(whole)
	return whole, frac
}
