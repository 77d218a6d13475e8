package lease

import (
	"errors"
	"fmt"

	"github.com/akash-market/akash/core/money"
)

// StakeFlows are the totals of stake transfers, tallied by the caller from
// the Transfers it applied.
type StakeFlows struct {
	Bonded   money.Dec // providers → stake
	Released money.Dec // stake → providers after unbonding
	Slashed  money.Dec // stake → pool
}

// Record adds a stake transfer to the totals; escrow transfers are ignored.
func (f *StakeFlows) Record(t Transfer) error {
	var dst *money.Dec
	switch t.Why {
	case WhyBond:
		dst = &f.Bonded
	case WhyUnbond:
		dst = &f.Released
	case WhySlash:
		dst = &f.Slashed
	default:
		return nil
	}
	v, err := dst.Add(t.Coin.Amount)
	if err != nil {
		return fmt.Errorf("stake flows: %s of %s: %w", t.Why, t.Coin, ErrOverflow)
	}
	*dst = v
	return nil
}

// CheckStake verifies that stake neither appears nor vanishes: for every
// provider, bonded-in = bonded + unbonding + released + slashed; the book's
// Total is Σ bonded; and the observed transfer totals match the providers'
// counters. All violations are joined, each wrapping ErrStakeInvariant.
func CheckStake(b *StakeBook, observed StakeFlows) error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: %s", ErrStakeInvariant, fmt.Sprintf(format, args...)))
	}
	sum := func(acc *money.Dec, v money.Dec) {
		var err error
		if *acc, err = acc.Add(v); err != nil {
			bad("sum overflows")
		}
	}
	var bonded, in, released, slashed money.Dec
	for _, p := range b.order {
		s := b.stakes[p]
		var held money.Dec
		sum(&held, s.Bonded)
		last := int64(-1 << 63)
		for _, u := range s.Unbonding {
			sum(&held, u.Amount)
			if u.MatureAt < last {
				bad("provider %s: unbonding entries out of maturity order", p)
			}
			last = u.MatureAt
		}
		sum(&held, s.Released)
		sum(&held, s.Slashed)
		if !held.Equal(s.Deposited) {
			bad("provider %s: bonded in %s != bonded %s + unbonding + released %s + slashed %s (= %s)",
				p, s.Deposited, s.Bonded, s.Released, s.Slashed, held)
		}
		sum(&bonded, s.Bonded)
		sum(&in, s.Deposited)
		sum(&released, s.Released)
		sum(&slashed, s.Slashed)
	}
	if len(b.order) != len(b.stakes) {
		bad("%d providers in order, %d in map", len(b.order), len(b.stakes))
	}
	if !bonded.Equal(b.Total) {
		bad("total bonded %s != Σ provider bonded %s", b.Total, bonded)
	}
	if !in.Equal(observed.Bonded) || !released.Equal(observed.Released) || !slashed.Equal(observed.Slashed) {
		bad("transfers say bonded %s released %s slashed %s; providers say %s %s %s",
			observed.Bonded, observed.Released, observed.Slashed, in, released, slashed)
	}
	return errors.Join(errs...)
}
