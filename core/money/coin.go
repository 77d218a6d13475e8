package money

import "fmt"

// Coin is an amount of one denomination, e.g. 0.5 uakt.
type Coin struct {
	Denom  string
	Amount Dec
}

// ValidDenom reports whether s is a denomination the chain accepts: the
// Cosmos SDK's rule `^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$`, a letter, then 2–127
// of letters, digits and "/:._-". IBC denoms ("ibc/27394F...") pass it.
//
// A byte loop rather than the regexp: every escrow account opened and every
// order validated checks its denomination, and the regexp engine was 2 % of
// the large simulation. FuzzValidDenom holds the two equal.
func ValidDenom(s string) bool {
	if len(s) < 3 || len(s) > 128 || !isLetter(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !isLetter(c) && (c < '0' || c > '9') && c != '/' && c != ':' && c != '.' && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// NewCoin returns a Coin after checking the denomination.
func NewCoin(denom string, amount Dec) (Coin, error) {
	if !ValidDenom(denom) {
		return Coin{}, fmt.Errorf("denom %q: want a letter then 2-127 letters, digits or /:._- (e.g. uakt)", denom)
	}
	return Coin{Denom: denom, Amount: amount}, nil
}

// String prints "0.5uakt".
func (c Coin) String() string { return c.Amount.ShortString() + c.Denom }
