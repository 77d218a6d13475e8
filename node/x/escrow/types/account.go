package types

import (
	"fmt"
	"math"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
)

// The stored Account mirrors core/lease.Account field by field (why a proto
// mirror and not a hand-rolled encoding: queries, genesis JSON and gRPC
// clients get a documented, typed schema for free, and gogoproto's encoding of
// a message with no maps is deterministic). Amounts are money.Dec's own text
// form, so AccountFromCore then ToCore returns the very same account.

// AccountFromCore converts a core account to its stored form.
func AccountFromCore(a *lease.Account) Account {
	out := Account{
		Owner:       a.ID.Owner,
		Dseq:        a.ID.DSeq,
		Denom:       a.Denom,
		TakeRateBps: a.TakeRate,
		State:       stateFromCore(a.State),
		OpenedAt:    a.OpenedAt,
		SettledTo:   a.SettledTo,
		ClosedAt:    a.ClosedAt,
		CloseReason: reasonName(a.Closure.Reason),
		CloseDetail: a.Closure.Detail,
		Balance:     a.Balance.String(),
		Rate:        a.Rate.String(),
		Active:      uint32(a.Active),
		Flows: Flows{
			Deposited:   a.Flows.Deposited.String(),
			Settled:     a.Flows.Settled.String(),
			ToProviders: a.Flows.ToProviders.String(),
			ToPool:      a.Flows.ToPool.String(),
			Refunded:    a.Flows.Refunded.String(),
		},
	}
	if len(a.Deposits) > 0 {
		out.Deposits = make([]Deposit, len(a.Deposits))
		for i, d := range a.Deposits {
			out.Deposits[i] = Deposit{Depositor: d.Depositor, Amount: d.Amount.String(), Height: d.Height}
		}
	}
	if len(a.Payments) > 0 {
		out.Payments = make([]Payment, len(a.Payments))
		for i := range a.Payments {
			p := &a.Payments[i]
			l := &p.Lease
			out.Payments[i] = Payment{
				Gseq:        l.ID.GSeq,
				Oseq:        l.ID.OSeq,
				Provider:    l.ID.Provider,
				Price:       l.Price.Amount.String(),
				State:       stateFromCore(l.State),
				OpenedAt:    l.OpenedAt,
				SettledTo:   l.SettledTo,
				ClosedAt:    l.ClosedAt,
				CloseReason: reasonName(l.Closure.Reason),
				CloseDetail: l.Closure.Detail,
				Accrued:     p.Accrued.String(),
				Earned:      p.Earned.String(),
				Taken:       p.Taken.String(),
			}
		}
	}
	return out
}

// ToCore converts a stored account back to the core account. It rejects
// malformed amounts, states and reasons (a corrupted store or a bad genesis
// file) with the field that is wrong.
func (s Account) ToCore() (*lease.Account, error) {
	id := market.DeploymentID{Owner: s.Owner, DSeq: s.Dseq}
	var err error
	dec := func(field, v string) money.Dec {
		if err != nil {
			return money.Dec{}
		}
		d, e := money.ParseDec(v)
		if e != nil {
			err = fmt.Errorf("escrow account %s: %s %q: %w (want a decimal such as 1.5)", id, field, v, e)
		}
		return d
	}
	a := &lease.Account{
		ID:        id,
		Denom:     s.Denom,
		TakeRate:  s.TakeRateBps,
		OpenedAt:  s.OpenedAt,
		SettledTo: s.SettledTo,
		ClosedAt:  s.ClosedAt,
		Closure:   lease.Closure{Detail: s.CloseDetail},
		Balance:   dec("balance", s.Balance),
		Rate:      dec("rate", s.Rate),
		Active:    int(s.Active),
		Flows: lease.Flows{
			Deposited:   dec("flows.deposited", s.Flows.Deposited),
			Settled:     dec("flows.settled", s.Flows.Settled),
			ToProviders: dec("flows.to_providers", s.Flows.ToProviders),
			ToPool:      dec("flows.to_pool", s.Flows.ToPool),
			Refunded:    dec("flows.refunded", s.Flows.Refunded),
		},
	}
	if err != nil {
		return nil, err
	}
	if a.State, err = stateToCore(s.State); err != nil {
		return nil, fmt.Errorf("escrow account %s: %w", id, err)
	}
	if a.Closure.Reason, err = parseReason(s.CloseReason); err != nil {
		return nil, fmt.Errorf("escrow account %s: %w", id, err)
	}
	if s.TakeRateBps > 10_000 {
		return nil, fmt.Errorf("escrow account %s: take_rate_bps %d: must be at most 10000", id, s.TakeRateBps)
	}
	if uint64(s.Active) > uint64(math.MaxInt32) {
		return nil, fmt.Errorf("escrow account %s: active %d is not a lease count", id, s.Active)
	}
	if len(s.Deposits) > 0 {
		a.Deposits = make([]lease.Deposit, len(s.Deposits))
		for i, d := range s.Deposits {
			a.Deposits[i] = lease.Deposit{Depositor: d.Depositor, Amount: dec(fmt.Sprintf("deposits[%d].amount", i), d.Amount), Height: d.Height}
		}
	}
	if len(s.Payments) > 0 {
		a.Payments = make([]lease.Payment, len(s.Payments))
		for i, p := range s.Payments {
			f := func(name string) string { return fmt.Sprintf("payments[%d].%s", i, name) }
			lid := market.LeaseID{OrderID: market.OrderID{GroupID: market.GroupID{DeploymentID: id, GSeq: p.Gseq}, OSeq: p.Oseq}, Provider: p.Provider}
			cp := lease.Payment{
				Lease: lease.Lease{
					ID:        lid,
					Price:     money.Coin{Denom: s.Denom, Amount: dec(f("price"), p.Price)},
					OpenedAt:  p.OpenedAt,
					SettledTo: p.SettledTo,
					ClosedAt:  p.ClosedAt,
					Closure:   lease.Closure{Detail: p.CloseDetail},
				},
				Accrued: dec(f("accrued"), p.Accrued),
				Earned:  dec(f("earned"), p.Earned),
				Taken:   dec(f("taken"), p.Taken),
			}
			var e error
			if cp.Lease.State, e = stateToCore(p.State); e != nil && err == nil {
				err = fmt.Errorf("escrow account %s: %s: %w", id, f("state"), e)
			}
			if cp.Lease.Closure.Reason, e = parseReason(p.CloseReason); e != nil && err == nil {
				err = fmt.Errorf("escrow account %s: %s: %w", id, f("close_reason"), e)
			}
			a.Payments[i] = cp
		}
	}
	if err != nil {
		return nil, err
	}
	return a, nil
}

// LeaseID returns the core ID of payment p of the account.
func (s Account) LeaseID(p Payment) market.LeaseID {
	return market.LeaseID{OrderID: market.OrderID{GroupID: market.GroupID{DeploymentID: market.DeploymentID{Owner: s.Owner, DSeq: s.Dseq}, GSeq: p.Gseq}, OSeq: p.Oseq}, Provider: p.Provider}
}

func stateFromCore(s lease.State) State {
	switch s {
	case lease.StateActive:
		return StateActive
	case lease.StateClosed:
		return StateClosed
	}
	return StateInvalid
}

func stateToCore(s State) (lease.State, error) {
	switch s {
	case StateActive:
		return lease.StateActive, nil
	case StateClosed:
		return lease.StateClosed, nil
	}
	return 0, fmt.Errorf("state %d: want active (1) or closed (2)", s)
}

// reasonName stores ReasonNone as "" so an open account shows no reason at all.
func reasonName(r lease.CloseReason) string {
	if r == lease.ReasonNone {
		return ""
	}
	return r.String()
}

func parseReason(s string) (lease.CloseReason, error) {
	if s == "" {
		return lease.ReasonNone, nil
	}
	return lease.ParseCloseReason(s)
}
