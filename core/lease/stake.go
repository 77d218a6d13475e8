package lease

import (
	"fmt"

	"github.com/akash-market/akash/core/money"
)

// Unbonding is stake on its way back to the provider. It can still be
// slashed until it matures.
type Unbonding struct {
	Amount   money.Dec
	MatureAt int64 // released by Release at this height or later
}

// Stake is one provider's stake. There is no minimum: any positive bond
// joins, and reputation (not a threshold) turns stake into trust.
type Stake struct {
	Provider  string
	Bonded    money.Dec   // counts for governance weight and reputation
	Unbonding []Unbonding // ordered by MatureAt
	Deposited money.Dec   // total ever bonded
	Released  money.Dec   // total returned after unbonding
	Slashed   money.Dec   // total slashed to the pool
}

// StakeBook holds every provider's stake and the bonded total that
// governance weights divide by. Look-ups use a map; anything that iterates
// uses the first-bond order, so outputs never depend on map order.
type StakeBook struct {
	Denom           string
	UnbondingPeriod int64     // blocks from Unbond to release
	Total           money.Dec // Σ bonded over all providers

	stakes map[string]*Stake
	order  []string // providers in first-bond order
	spare  []Stake  // blank records for new providers (Reserve)
}

// NewStakeBook returns an empty book for one staking denomination.
func NewStakeBook(denom string, unbondingPeriod int64) (*StakeBook, error) {
	if !money.ValidDenom(denom) {
		return nil, fmt.Errorf("stake: denom %q: %w (want e.g. uakt)", denom, ErrDenomMismatch)
	}
	if unbondingPeriod < 0 {
		return nil, fmt.Errorf("stake: unbonding period %d: %w", unbondingPeriod, ErrUnbondingPeriod)
	}
	return &StakeBook{Denom: denom, UnbondingPeriod: unbondingPeriod, stakes: map[string]*Stake{}}, nil
}

// Get returns a copy of a provider's stake.
func (b *StakeBook) Get(provider string) (Stake, bool) {
	s, ok := b.stakes[provider]
	if !ok {
		return Stake{}, false
	}
	c := *s
	c.Unbonding = append([]Unbonding(nil), s.Unbonding...)
	return c, true
}

// Providers lists every provider that ever bonded, in first-bond order.
func (b *StakeBook) Providers() []string { return append([]string(nil), b.order...) }

// Weight is a provider's governance weight: bonded ÷ total bonded, exact.
func (b *StakeBook) Weight(provider string) Fraction {
	s, ok := b.stakes[provider]
	if !ok {
		return Fraction{Den: b.Total}
	}
	return Fraction{Num: s.Bonded, Den: b.Total}
}

// Bond moves coin from the provider's address into its bonded stake.
func (b *StakeBook) Bond(provider string, coin money.Coin, eff *Effects) error {
	if provider == "" {
		return fmt.Errorf("stake: bond: provider: %w", ErrBadAddress)
	}
	if coin.Denom != b.Denom {
		return fmt.Errorf("stake %s: bond %s: %w (stake is in %s)", provider, coin, ErrDenomMismatch, b.Denom)
	}
	if coin.Amount.IsZero() {
		return fmt.Errorf("stake %s: bond: %w", provider, ErrZeroAmount)
	}
	s := b.stakes[provider]
	var deposited money.Dec
	if s != nil {
		deposited = s.Deposited
	}
	total, err1 := b.Total.Add(coin.Amount)
	dep, err2 := deposited.Add(coin.Amount)
	if err1 != nil || err2 != nil {
		return fmt.Errorf("stake %s: bond %s: %w", provider, coin, ErrOverflow)
	}
	if s == nil {
		s = b.newStake(provider)
		b.stakes[provider] = s
		b.order = append(b.order, provider)
	}
	s.Deposited = dep
	s.Bonded = add(s.Bonded, coin.Amount) // ≤ Deposited
	b.Total = total
	eff.Transfers = append(eff.Transfers, Transfer{
		From: Party{Kind: PartyProvider, Addr: provider},
		To:   Party{Kind: PartyStake, Addr: provider},
		Coin: coin,
		Why:  WhyBond,
	})
	return nil
}

// Unbond starts returning amount of bonded stake. It stops counting for
// weight and reputation at once, stays slashable, and is released by
// Release at the returned height (height + UnbondingPeriod).
func (b *StakeBook) Unbond(provider string, amount money.Dec, height int64) (matureAt int64, err error) {
	s, ok := b.stakes[provider]
	if !ok {
		return 0, fmt.Errorf("stake %s: unbond: %w", provider, ErrNoStake)
	}
	if amount.IsZero() {
		return 0, fmt.Errorf("stake %s: unbond: %w", provider, ErrZeroAmount)
	}
	if s.Bonded.Less(amount) {
		return 0, fmt.Errorf("stake %s: unbond %s%s: %w (bonded %s%s)", provider, amount.ShortString(), b.Denom, ErrInsufficientStake, s.Bonded.ShortString(), b.Denom)
	}
	matureAt = height + b.UnbondingPeriod
	s.Bonded = sub(s.Bonded, amount)
	b.Total = sub(b.Total, amount)
	// Keep the entries sorted by maturity; a new one usually goes last.
	i := len(s.Unbonding)
	for i > 0 && s.Unbonding[i-1].MatureAt > matureAt {
		i--
	}
	s.Unbonding = append(s.Unbonding, Unbonding{})
	copy(s.Unbonding[i+1:], s.Unbonding[i:])
	s.Unbonding[i] = Unbonding{Amount: amount, MatureAt: matureAt}
	return matureAt, nil
}

// Release returns every unbonding entry of the provider that has matured by
// height (MatureAt ≤ height) to the provider's address.
func (b *StakeBook) Release(provider string, height int64, eff *Effects) error {
	s, ok := b.stakes[provider]
	if !ok {
		return fmt.Errorf("stake %s: release: %w", provider, ErrNoStake)
	}
	b.release(s, height, eff)
	return nil
}

func (b *StakeBook) release(s *Stake, height int64, eff *Effects) {
	n := 0
	var out money.Dec
	for n < len(s.Unbonding) && s.Unbonding[n].MatureAt <= height {
		out = add(out, s.Unbonding[n].Amount)
		n++
	}
	if n == 0 {
		return
	}
	s.Unbonding = append(s.Unbonding[:0], s.Unbonding[n:]...)
	s.Released = add(s.Released, out)
	eff.Transfers = append(eff.Transfers, Transfer{
		From: Party{Kind: PartyStake, Addr: s.Provider},
		To:   Party{Kind: PartyProvider, Addr: s.Provider},
		Coin: money.Coin{Denom: b.Denom, Amount: out},
		Why:  WhyUnbond,
	})
}

// Slash takes bps basis points of the provider's stake for a fault at
// height: of its bonded stake and of every unbonding entry not yet matured
// (entries matured by height are released first — they left in time). The slashed coins go to the community pool; the amount is returned.
// Each part's cut is SlashCut (whole units, rounded down). When to slash is
// SlashPolicy's decision; both modes call Slash through it.
func (b *StakeBook) Slash(provider string, bps uint32, height int64, eff *Effects) (money.Dec, error) {
	if bps > 10_000 {
		return money.Dec{}, fmt.Errorf("stake %s: slash %d bps: %w", provider, bps, ErrBasisPoints)
	}
	s, ok := b.stakes[provider]
	if !ok {
		return money.Dec{}, fmt.Errorf("stake %s: slash: %w", provider, ErrNoStake)
	}
	b.release(s, height, eff)
	cut := SlashCut(s.Bonded, bps)
	s.Bonded = sub(s.Bonded, cut)
	b.Total = sub(b.Total, cut)
	total := cut
	for i := range s.Unbonding {
		u := &s.Unbonding[i]
		c := SlashCut(u.Amount, bps)
		u.Amount = sub(u.Amount, c)
		total = add(total, c)
	}
	// An entry slashed to nothing would release nothing; drop it.
	kept := s.Unbonding[:0]
	for _, u := range s.Unbonding {
		if !u.Amount.IsZero() {
			kept = append(kept, u)
		}
	}
	s.Unbonding = kept
	if total.IsZero() {
		return total, nil
	}
	s.Slashed = add(s.Slashed, total)
	eff.Transfers = append(eff.Transfers, Transfer{
		From: Party{Kind: PartyStake, Addr: provider},
		To:   Party{Kind: PartyPool},
		Coin: money.Coin{Denom: b.Denom, Amount: total},
		Why:  WhySlash,
	})
	return total, nil
}

func mulBPS(d money.Dec, bps uint32) money.Dec {
	v, err := d.MulFrac(uint64(bps), 10_000)
	if err != nil { // bps ≤ 10000, so v ≤ d
		panic("lease: basis points above 100%")
	}
	return v
}
