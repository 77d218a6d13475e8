package money

import (
	"fmt"
	"regexp"
)

// Coin is an amount of one denomination, e.g. 0.5 uakt.
type Coin struct {
	Denom  string
	Amount Dec
}

// denomRE is the Cosmos SDK's denomination rule: a letter, then 2–127 of
// letters, digits and "/:._-". IBC denoms ("ibc/27394F...") pass it.
var denomRE = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$`)

// ValidDenom reports whether s is a denomination the chain accepts.
func ValidDenom(s string) bool { return denomRE.MatchString(s) }

// NewCoin returns a Coin after checking the denomination.
func NewCoin(denom string, amount Dec) (Coin, error) {
	if !ValidDenom(denom) {
		return Coin{}, fmt.Errorf("denom %q: want a letter then 2-127 letters, digits or /:._- (e.g. uakt)", denom)
	}
	return Coin{Denom: denom, Amount: amount}, nil
}

// String prints "0.5uakt".
func (c Coin) String() string { return c.Amount.ShortString() + c.Denom }
