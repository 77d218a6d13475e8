package lease

import (
	"fmt"

	"github.com/akash-market/akash/core/money"
)

// Restore puts one provider's stake record, as a store saved it, into the
// book, replacing any record of that provider. It does not touch Total: a
// chain keeper keeps the bonded total in its own store entry and restores it
// with the one record a transaction needs, instead of loading every provider
// per transaction. The record must be internally consistent (what CheckStake
// checks per provider); the error says which part is not.
func (b *StakeBook) Restore(s Stake) error {
	if s.Provider == "" {
		return fmt.Errorf("stake: restore: provider: %w", ErrBadAddress)
	}
	var held money.Dec
	add := func(v money.Dec) error {
		var err error
		held, err = held.Add(v)
		return err
	}
	if err := add(s.Bonded); err != nil {
		return fmt.Errorf("stake %s: restore: %w", s.Provider, ErrOverflow)
	}
	last := int64(-1 << 63)
	for i, u := range s.Unbonding {
		if u.MatureAt < last {
			return fmt.Errorf("stake %s: restore: unbonding entry %d matures at %d, before entry %d (%d): %w",
				s.Provider, i, u.MatureAt, i-1, last, ErrStakeInvariant)
		}
		if u.Amount.IsZero() {
			return fmt.Errorf("stake %s: restore: unbonding entry %d is empty: %w", s.Provider, i, ErrStakeInvariant)
		}
		last = u.MatureAt
		if err := add(u.Amount); err != nil {
			return fmt.Errorf("stake %s: restore: %w", s.Provider, ErrOverflow)
		}
	}
	if add(s.Released) != nil || add(s.Slashed) != nil {
		return fmt.Errorf("stake %s: restore: %w", s.Provider, ErrOverflow)
	}
	if !held.Equal(s.Deposited) {
		return fmt.Errorf("stake %s: restore: bonded in %s != bonded + unbonding + released + slashed (= %s): %w",
			s.Provider, s.Deposited, held, ErrStakeInvariant)
	}
	c := s
	c.Unbonding = append([]Unbonding(nil), s.Unbonding...)
	if _, ok := b.stakes[s.Provider]; !ok {
		b.order = append(b.order, s.Provider)
	}
	b.stakes[s.Provider] = &c
	return nil
}
