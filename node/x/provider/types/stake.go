package types

import (
	"fmt"

	"cosmossdk.io/math"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/money"
)

// Stake amounts are whole coins on chain and money.Dec in core/lease; these
// convert exactly (through the decimal string, never a float).

// DecFromInt returns the whole amount n as a core Dec. n must be ≥ 0.
func DecFromInt(n math.Int) (money.Dec, error) {
	if n.IsNil() || n.IsNegative() {
		return money.Dec{}, fmt.Errorf("amount %v: want a whole amount of 0 or more", n)
	}
	return money.ParseDec(n.String())
}

// IntFromDec returns a whole core Dec as math.Int; a fraction is an error
// (the chain's stake book slashes in whole units, so none should appear).
func IntFromDec(d money.Dec) (math.Int, error) {
	units, frac := d.QuoInt(1_000_000_000_000_000_000)
	if !frac.IsZero() {
		return math.Int{}, fmt.Errorf("amount %s has a fraction of a unit; stake moves in whole units", d)
	}
	n, ok := math.NewIntFromString(units.Atto())
	if !ok {
		return math.Int{}, fmt.Errorf("amount %s does not fit an Int", d)
	}
	return n, nil
}

// NewStake returns an empty stake record of provider (all amounts zero).
func NewStake(provider string) Stake {
	return Stake{Provider: provider, Bonded: math.ZeroInt(), Deposited: math.ZeroInt(), Released: math.ZeroInt(), Slashed: math.ZeroInt()}
}

// Core converts the record to core/lease.Stake.
func (s Stake) Core() (lease.Stake, error) {
	var out lease.Stake
	out.Provider = s.Provider
	var err error
	conv := func(field string, n math.Int, dst *money.Dec) {
		if err == nil {
			if *dst, err = DecFromInt(n); err != nil {
				err = fmt.Errorf("stake %s: %s: %w", s.Provider, field, err)
			}
		}
	}
	conv("bonded", s.Bonded, &out.Bonded)
	conv("deposited", s.Deposited, &out.Deposited)
	conv("released", s.Released, &out.Released)
	conv("slashed", s.Slashed, &out.Slashed)
	for i, u := range s.Unbonding {
		var d money.Dec
		conv(fmt.Sprintf("unbonding[%d]", i), u.Amount, &d)
		out.Unbonding = append(out.Unbonding, lease.Unbonding{Amount: d, MatureAt: u.MatureAt})
	}
	return out, err
}

// StakeFromCore converts core/lease.Stake to its store form.
func StakeFromCore(c lease.Stake) (Stake, error) {
	s := Stake{Provider: c.Provider}
	var err error
	conv := func(field string, d money.Dec, dst *math.Int) {
		if err == nil {
			if *dst, err = IntFromDec(d); err != nil {
				err = fmt.Errorf("stake %s: %s: %w", c.Provider, field, err)
			}
		}
	}
	conv("bonded", c.Bonded, &s.Bonded)
	conv("deposited", c.Deposited, &s.Deposited)
	conv("released", c.Released, &s.Released)
	conv("slashed", c.Slashed, &s.Slashed)
	for i, u := range c.Unbonding {
		var n math.Int
		conv(fmt.Sprintf("unbonding[%d]", i), u.Amount, &n)
		s.Unbonding = append(s.Unbonding, Unbonding{Amount: n, MatureAt: u.MatureAt})
	}
	return s, err
}

// Held is what the module account holds for this provider: bonded + unbonding.
func (s Stake) Held() math.Int {
	h := s.Bonded
	for _, u := range s.Unbonding {
		h = h.Add(u.Amount)
	}
	return h
}

// IsEmpty reports whether nothing is held any more (the record only keeps totals).
func (s Stake) IsEmpty() bool { return s.Bonded.IsZero() && len(s.Unbonding) == 0 }

// Core converts the stored history to core/lease.History.
func (h History) Core() lease.History {
	return lease.History{Served: h.Served, Faults: h.Faults, Neutral: h.Neutral}
}

// Closed is the number of leases closed for any reason.
func (h History) Closed() uint64 { return h.Served + h.Faults + h.Neutral }

// Active is the number of leases won and not yet closed.
func (h History) Active() uint64 {
	if c := h.Closed(); c < h.Opened {
		return h.Opened - c
	}
	return 0
}
