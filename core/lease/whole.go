package lease

import (
	"math/bits"

	"github.com/akash-market/akash/core/money"
)

// Whole coins. core/lease decides amounts with 18 decimals (prices per block
// are fractions of a unit), but a bank moves whole units: a deposit is an
// sdk.Coin on chain. The rules that keep both modes holding the same money,
// written once here:
//
//   - Deposits are whole: a tenant covering an exact amount deposits it
//     rounded up to the next whole unit (WholeDeposit). The simulator's
//     tenants and the chain's both do, so an escrow account holds the same
//     balance, runs dry at the same height and refunds the same amount.
//   - Payouts are whole: a payee receives the whole part of what it is owed
//     in total (WholeStep), and an account's fractions go to the community
//     pool when it closes (node/x/escrow/keeper/pay.go applies this with the
//     bank).

// WholeDeposit is amt rounded up to a whole unit: what a tenant deposits to
// cover amt.
func WholeDeposit(amt money.Dec) money.Dec {
	whole, frac := SplitWhole(amt)
	if frac.IsZero() {
		return whole
	}
	up, err := whole.Add(money.NewDec(1))
	if err != nil {
		return whole // at the top of the range; Deposit refuses what overflows
	}
	return up
}

// unit is one whole unit in atto-units.
const unit = 1_000_000_000_000_000_000

// SplitWhole splits d into its whole units and the fraction below one unit,
// over the whole range of Dec.
func SplitWhole(d money.Dec) (whole, frac money.Dec) {
	if lo, hi, ok := d.Uint128(); ok && hi < unit { // below 2^64 units: one division
		q, r := bits.Div64(hi, lo, unit)
		wh, wl := bits.Mul64(q, unit)
		return money.DecFromUint128(wl, wh), money.DecFromUint128(r, 0)
	}
	whole = d.FloorTo(unit)
	frac, _ = d.Sub(whole)
	return whole, frac
}

// WholeStep is ⌊next⌋ − ⌊prev⌋ for prev ≤ next: the whole units that became
// payable when a payee's running total moved from prev to next.
func WholeStep(prev, next money.Dec) money.Dec {
	pl, ph, pok := prev.Uint128()
	nl, nh, nok := next.Uint128()
	if pok && nok && nh < unit && ph <= nh { // both below 2^64 units: whole counts in machine words
		qp, _ := bits.Div64(ph, pl, unit)
		qn, _ := bits.Div64(nh, nl, unit)
		if qp <= qn {
			hi, lo := bits.Mul64(qn-qp, unit)
			return money.DecFromUint128(lo, hi)
		}
	}
	p, _ := SplitWhole(prev)
	n, _ := SplitWhole(next)
	d, _ := n.Sub(p)
	return d
}

// WholeCarry is WholeStep for a payee whose running total is kept as its
// fraction below one unit (*frac, less than one unit): it adds amt to the
// total and returns the whole units that became payable, ⌊t + amt⌋ − ⌊t⌋
// for every total t with that fraction, leaving the new total's fraction in
// *frac. Below 2^64 units it is one 128-by-64-bit division where WholeStep
// of the totals is two. The error is money.ErrOverflow, *frac unchanged,
// when frac + amt does not fit a Dec.
func WholeCarry(frac *money.Dec, amt money.Dec) (money.Dec, error) {
	fl, fh, fok := frac.Uint128()
	al, ah, aok := amt.Uint128()
	if fok && aok && fh == 0 && fl < unit && ah < unit-1 { // the sum's whole part fits 64 bits
		lo, c := bits.Add64(fl, al, 0)
		q, r := bits.Div64(ah+c, lo, unit)
		frac.SetUint128(r, 0)
		hi, wl := bits.Mul64(q, unit)
		return money.DecFromUint128(wl, hi), nil
	}
	sum, err := frac.Add(amt)
	if err != nil {
		return money.Dec{}, err
	}
	whole, f := SplitWhole(sum)
	*frac = f
	return whole, nil
}
