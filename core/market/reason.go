package market

// Reason says why a bid cannot compete for an order: the first eligibility
// check it failed. ReasonNone means the bid is eligible. Reasons are small
// integers so the book can record them with no allocation; String gives the
// stable name used in results, logs and test scripts.
type Reason uint8

const (
	ReasonNone       Reason = iota // eligible: every check passed
	ReasonOrder                    // the bid names another order
	ReasonDenom                    // price is in another denomination than the order's max price
	ReasonPrice                    // price is above the order's max price
	ReasonReputation               // provider reputation is below the order's minimum
	ReasonCPU                      // offered cpu is below the order's total
	ReasonMemory                   // offered memory is below the order's total
	ReasonStorage                  // offered storage is below the order's total
	ReasonGPU                      // offered gpu units are below the order's total
	ReasonBandwidth                // offered bandwidth is below the order's total
	ReasonAttribute                // a required placement attribute is missing from the provider's attributes
	ReasonSignedBy                 // the required auditors have not signed the required attributes
	numReasons
)

var reasonNames = [numReasons]string{
	ReasonNone:       "eligible",
	ReasonOrder:      "order",
	ReasonDenom:      "denom",
	ReasonPrice:      "price",
	ReasonReputation: "reputation",
	ReasonCPU:        "cpu",
	ReasonMemory:     "memory",
	ReasonStorage:    "storage",
	ReasonGPU:        "gpu",
	ReasonBandwidth:  "bandwidth",
	ReasonAttribute:  "attribute",
	ReasonSignedBy:   "signed-by",
}

// String returns the reason's stable name, e.g. "cpu" or "signed-by".
func (r Reason) String() string {
	if r < numReasons {
		return reasonNames[r]
	}
	return "unknown-reason"
}

// ParseReason is the inverse of String; it reports false for an unknown name.
func ParseReason(s string) (Reason, bool) {
	for r, n := range reasonNames {
		if n == s {
			return Reason(r), true
		}
	}
	return 0, false
}
