package chainclient

import (
	"strings"

	sdkmath "cosmossdk.io/math"

	"github.com/akash-market/akash/core/money"
)

// sdkmathInt converts a whole-number Dec to an sdk Int exactly (via its
// decimal string), reporting false for a fractional amount.
func sdkmathInt(d money.Dec) (sdkmath.Int, bool) {
	s := d.ShortString()
	if strings.Contains(s, ".") {
		return sdkmath.Int{}, false
	}
	return sdkmath.NewIntFromString(s)
}
