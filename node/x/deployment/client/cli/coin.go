package cli

import (
	"fmt"
	"regexp"
	"strings"

	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
)

var (
	reWholeCoin = regexp.MustCompile(`^([0-9]+)([a-zA-Z][a-zA-Z0-9/:._-]{2,127})$`)
	reExponent  = regexp.MustCompile(`^[0-9.]+[eE][+-]?[0-9]`)
	reFraction  = regexp.MustCompile(`^[0-9]*\.[0-9]*`)
)

// ParseWholeCoin reads an amount of escrow like 5000000uakt: a whole number
// of the denomination's smallest unit. A fraction (5000000.5uakt) or an
// exponent (1e40uakt) is refused, never rounded or read as part of the denom.
func ParseWholeCoin(what, s string) (sdk.Coin, error) {
	switch {
	case reExponent.MatchString(s):
		return sdk.Coin{}, fmt.Errorf("%s %q: exponents are not accepted; write the amount out in the smallest unit, e.g. 5000000uakt", what, s)
	case reFraction.MatchString(s):
		return sdk.Coin{}, fmt.Errorf("%s %q: %s has a fraction; amounts are whole numbers of the smallest unit (1 AKT = 1000000uakt), e.g. 5000000uakt", what, s, reFraction.FindString(s))
	}
	m := reWholeCoin.FindStringSubmatch(s)
	if m == nil {
		return sdk.Coin{}, fmt.Errorf("%s %q: want a whole amount followed by its denom, e.g. 5000000uakt", what, s)
	}
	// Leading zeros go first: NewIntFromString reads "010" as octal (8).
	digits := strings.TrimLeft(m[1], "0")
	if digits == "" {
		digits = "0"
	}
	amt, ok := sdkmath.NewIntFromString(digits)
	if !ok {
		return sdk.Coin{}, fmt.Errorf("%s %q: amount %s is not a number this chain can hold (at most 256 bits)", what, s, m[1])
	}
	c := sdk.Coin{Denom: m[2], Amount: amt}
	if err := c.Validate(); err != nil {
		return sdk.Coin{}, fmt.Errorf("%s %q: %v", what, s, err)
	}
	return c, nil
}
