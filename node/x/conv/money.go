package conv

import (
	"errors"
	"fmt"
	"math/big"
	"strings"

	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/money"
)

// Errors callers can match with errors.Is; the returned errors wrap them with the value.
var (
	ErrNegative   = errors.New("amount is negative; core amounts are never below zero")
	ErrNil        = errors.New("amount is missing (nil)")
	ErrOverflow   = errors.New("amount does not fit 256 bits of atto-units (10^-18)")
	ErrFractional = errors.New("amount has a fractional part; bank moves whole units only")
	ErrDenom      = errors.New("denom is not valid (want a letter then 2-127 letters, digits or /:._-, e.g. uakt)")
)

var attoPerUnit = new(big.Int).Exp(big.NewInt(10), big.NewInt(money.Precision), nil)

// attoBig returns d's count of atto-units as a big.Int.
func attoBig(d money.Dec) *big.Int {
	b := d.Bytes32()
	return new(big.Int).SetBytes(b[:])
}

// decFromAtto builds a Dec from a non-negative count of atto-units. It goes
// through the decimal text form, which money.ParseDec reads exactly.
func decFromAtto(a *big.Int) (money.Dec, error) {
	switch {
	case a.Sign() < 0:
		return money.Dec{}, ErrNegative
	case a.BitLen() > 256:
		return money.Dec{}, ErrOverflow
	}
	s := a.String()
	if len(s) <= money.Precision {
		s = strings.Repeat("0", money.Precision+1-len(s)) + s
	}
	return money.ParseDec(s[:len(s)-money.Precision] + "." + s[len(s)-money.Precision:])
}

// DecFromLegacy converts a LegacyDec (18 decimals, like money.Dec) exactly.
func DecFromLegacy(d math.LegacyDec) (money.Dec, error) {
	if d.IsNil() {
		return money.Dec{}, ErrNil
	}
	v, err := decFromAtto(d.BigInt())
	if err != nil {
		return money.Dec{}, fmt.Errorf("%s: %w", d, err)
	}
	return v, nil
}

// LegacyFromDec converts a money.Dec to a LegacyDec. It cannot fail: a
// LegacyDec holds up to 315 bits of atto-units, a Dec at most 256.
func LegacyFromDec(d money.Dec) math.LegacyDec {
	return math.LegacyNewDecFromBigIntWithPrec(attoBig(d), money.Precision)
}

// DecFromInt converts a whole number of units (a bank amount) to a Dec.
func DecFromInt(i math.Int) (money.Dec, error) {
	if i.IsNil() {
		return money.Dec{}, ErrNil
	}
	v, err := decFromAtto(new(big.Int).Mul(i.BigInt(), attoPerUnit))
	if err != nil {
		return money.Dec{}, fmt.Errorf("%s: %w", i, err)
	}
	return v, nil
}

// SplitWhole splits d into its whole units (what bank can move) and the
// fractional rest, so that whole + rest = d exactly.
func SplitWhole(d money.Dec) (whole math.Int, rest money.Dec) {
	q, r := new(big.Int).QuoRem(attoBig(d), attoPerUnit, new(big.Int))
	rest, err := decFromAtto(r) // r < 10^18: always fits
	if err != nil {
		panic("conv: remainder below one unit does not fit a Dec")
	}
	return math.NewIntFromBigInt(q), rest
}

// IntFromDec converts a whole Dec to a bank amount; a fractional part is an error.
func IntFromDec(d money.Dec) (math.Int, error) {
	whole, rest := SplitWhole(d)
	if !rest.IsZero() {
		return math.Int{}, fmt.Errorf("%s: %w", d, ErrFractional)
	}
	return whole, nil
}

// CoinFromSDK converts a bank coin to a core coin.
func CoinFromSDK(c sdk.Coin) (money.Coin, error) {
	if !money.ValidDenom(c.Denom) {
		return money.Coin{}, fmt.Errorf("coin %s: denom %q: %w", c, c.Denom, ErrDenom)
	}
	v, err := DecFromInt(c.Amount)
	if err != nil {
		return money.Coin{}, fmt.Errorf("coin %s: %w", c.Denom, err)
	}
	return money.Coin{Denom: c.Denom, Amount: v}, nil
}

// SDKCoin converts a whole core coin to a bank coin; a fractional amount is an error.
func SDKCoin(c money.Coin) (sdk.Coin, error) {
	if !money.ValidDenom(c.Denom) {
		return sdk.Coin{}, fmt.Errorf("coin %s: denom %q: %w", c, c.Denom, ErrDenom)
	}
	i, err := IntFromDec(c.Amount)
	if err != nil {
		return sdk.Coin{}, fmt.Errorf("coin %s: %w", c, err)
	}
	return sdk.Coin{Denom: c.Denom, Amount: i}, nil
}

// CoinFromDecCoin converts an on-chain price (sdk.DecCoin) to a core coin.
func CoinFromDecCoin(c sdk.DecCoin) (money.Coin, error) {
	if !money.ValidDenom(c.Denom) {
		return money.Coin{}, fmt.Errorf("price %s: denom %q: %w", c, c.Denom, ErrDenom)
	}
	v, err := DecFromLegacy(c.Amount)
	if err != nil {
		return money.Coin{}, fmt.Errorf("price in %s: %w", c.Denom, err)
	}
	return money.Coin{Denom: c.Denom, Amount: v}, nil
}

// DecCoin converts a core coin to an sdk.DecCoin (exact; it cannot fail).
func DecCoin(c money.Coin) sdk.DecCoin {
	return sdk.DecCoin{Denom: c.Denom, Amount: LegacyFromDec(c.Amount)}
}
