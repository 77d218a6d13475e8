package market

import (
	"fmt"
	"strings"

	"github.com/akash-market/akash/core/money"
)

// Result is the decision made when an order is matched: data for the caller
// to apply (create the lease, move deposits), in the way raft hands its caller
// a Ready. It names the winner and, for every other bid, why it lost.
//
// It is lean so that a close writes little: the outcomes name neither the
// order (Order does: BidID(b) is a bid's whole ID) nor, as a rule, a
// denomination (Denom, the order's, is every price's, and DepositDenom every
// deposit's, unless the outcome says otherwise: PriceOf and DepositOf give
// the coins), and why an
// unmatched order closed is worked out from the outcomes when asked
// (Explanation), not written at every close.
type Result struct {
	Order   OrderID
	Matched bool
	why     explanation // which Explanation; see there
	Winner  BidID       // zero when not matched
	Price   money.Coin  // the winner's price per block; zero when not matched
	// Denom is the order's price denomination: every outcome's Price is in
	// it unless the outcome is marked otherwise (see PriceOf).
	Denom string
	// DepositDenom is the denomination of the outcomes' deposits, unless
	// an outcome is marked otherwise (see DepositOf): the book's is its
	// order's common deposit (the first bid's), Match's the least of its
	// bids' (so it does not depend on their order); compare coins, not
	// these fields.
	DepositDenom string
	// Bids lists every bid the order received, the winner included, in
	// placement order (PlacedAt, Seq), each with its outcome and what to do
	// with its deposit.
	Bids  []BidOutcome
	odd   []oddDenoms // the few outcomes' denominations other than Denom and "" (the Result's own memory)
	until int64       // for a bid timeout: the last height a pick was taken
}

// BidOutcome is one bid's fate at match time: 104 bytes (TestBidOutcomeSize).
// The bid is Result.Order's by Provider; Price and Deposit are amounts in
// Result.Denom and Result.DepositDenom unless denoms says otherwise
// (Result.PriceOf, DepositOf).
type BidOutcome struct {
	Provider string    // the bidder's address (the book's interned string)
	Price    money.Dec // as bid; zero for an unrevealed sealed bid
	Deposit  money.Dec
	PlacedAt int64
	Seq      uint64
	Outcome  Outcome
	Reason   Reason        // the failed rule, for OutcomeIneligible
	Action   DepositAction // what the escrow does with Deposit
	denoms   denomFlags    // Price's and Deposit's denominations when not Result.Denom
}

// denomFlags says where an outcome's denominations are when they are not
// the Result's Denom and DepositDenom: the empty denom (no price, no
// deposit) or the Result's odd list (by provider).
type denomFlags uint8

const (
	priceNoDenom   denomFlags = 1 << iota // Price has no denomination (never revealed, or none given)
	priceOdd                              // Price's denomination is in Result.odd
	depositNoDenom                        // Deposit has no denomination
	depositOdd                            // Deposit's denomination is in Result.odd
)

// oddDenoms is an outcome's denominations when one of them is neither the
// Result's nor empty (a bid refused for its price's denomination, a deposit
// in another one): rare, so a list searched by provider (a provider bids
// once per order).
type oddDenoms struct {
	provider       string
	price, deposit string
}

// denomFlag is how an outcome records denomination d, given the Result's
// (usual) one: nothing for usual, noDenom for "", odd (and an entry in
// r.odd) otherwise.
func denomFlag(d, usual string, noDenom, odd denomFlags) denomFlags {
	switch d {
	case usual:
		return 0
	case "":
		return noDenom
	}
	return odd
}

func (r *Result) depositFlag(d string) denomFlags {
	return denomFlag(d, r.DepositDenom, depositNoDenom, depositOdd)
}

// setDenoms records b's price and deposit denominations.
func (r *Result) setDenoms(b *BidOutcome, price, deposit string) {
	b.denoms = denomFlag(price, r.Denom, priceNoDenom, priceOdd) | r.depositFlag(deposit)
	if b.denoms&(priceOdd|depositOdd) != 0 {
		r.setOdd(b.Provider, price, deposit)
	}
}

// setOdd records a provider's denominations in r.odd.
func (r *Result) setOdd(provider, price, deposit string) {
	for i := range r.odd {
		if r.odd[i].provider == provider {
			r.odd[i].price, r.odd[i].deposit = price, deposit
			return
		}
	}
	r.odd = append(r.odd, oddDenoms{provider: provider, price: price, deposit: deposit})
}

func (r *Result) oddOf(provider string) *oddDenoms {
	for i := range r.odd {
		if r.odd[i].provider == provider {
			return &r.odd[i]
		}
	}
	return &oddDenoms{}
}

// PriceOf is outcome b's price as a coin: zero with no denomination for an
// unrevealed sealed bid.
func (r *Result) PriceOf(b *BidOutcome) money.Coin {
	switch {
	case b.denoms&priceNoDenom != 0:
		return money.Coin{Amount: b.Price}
	case b.denoms&priceOdd != 0:
		return money.Coin{Denom: r.oddOf(b.Provider).price, Amount: b.Price}
	}
	return money.Coin{Denom: r.Denom, Amount: b.Price}
}

// DepositOf is outcome b's deposit as a coin.
func (r *Result) DepositOf(b *BidOutcome) money.Coin {
	switch {
	case b.denoms&depositNoDenom != 0:
		return money.Coin{Amount: b.Deposit}
	case b.denoms&depositOdd != 0:
		return money.Coin{Denom: r.oddOf(b.Provider).deposit, Amount: b.Deposit}
	}
	return money.Coin{Denom: r.DepositDenom, Amount: b.Deposit}
}

// BidID is outcome b's bid: the Result's order and b's provider.
func (r *Result) BidID(b *BidOutcome) BidID {
	return BidID{OrderID: r.Order, Provider: b.Provider}
}

// CopyTo makes dst a copy of r that shares no memory with it (the book's
// CloseDueInto reuses its Results' memory), reusing dst's arrays.
func (r *Result) CopyTo(dst *Result) {
	bids, odd := dst.Bids, dst.odd
	*dst = *r
	dst.Bids = append(bids[:0], r.Bids...)
	dst.odd = append(odd[:0], r.odd...)
}

// explanation is which text Explanation gives.
type explanation uint8

const (
	explainNone        explanation = iota // matched: no explanation
	explainUnmatched                      // counted from the outcomes (unmatchedText)
	explainCancelled                      // the book's CancelOrder
	explainPickTimeout                    // Expire: counted from the outcomes, with until
	explainPickCancel                     // Cancel
)

// Explanation says why the order closed unmatched, e.g. "no eligible bid
// among 3: 2 ineligible (price 1, cpu 1), 1 withdrawn"; it is empty when
// matched. It is worked out from the outcomes when asked (a close does not
// spend time and memory on text its caller may never read), so it reads the
// Bids as the close left them.
func (r *Result) Explanation() string {
	switch r.why {
	case explainUnmatched:
		return unmatchedText(r.Bids)
	case explainCancelled:
		return "order cancelled before matching"
	case explainPickTimeout:
		n := 0
		for i := range r.Bids {
			if r.Bids[i].Outcome == OutcomeExpired {
				n++
			}
		}
		return fmt.Sprintf("bid timeout: the tenant picked none of %d eligible bids by height %d", n, r.until)
	case explainPickCancel:
		return "order cancelled before its tenant picked a bid"
	}
	return ""
}

// Outcome is why a bid won or lost.
type Outcome uint8

const (
	OutcomeWon              Outcome = iota // lowest eligible price, earliest among equals
	OutcomeOutbid                          // eligible, but the winner's price was lower
	OutcomeLaterAtSamePrice                // eligible at the winner's price, but placed later
	OutcomeIneligible                      // failed an eligibility rule (see Reason)
	OutcomeWithdrawn                       // withdrawn before close
	OutcomeUnrevealed                      // a sealed commitment never revealed
	OutcomeCancelled                       // the order was cancelled before it was matched
	OutcomeNotPicked                       // tenant matching: eligible, but the tenant picked another bid
	OutcomeExpired                         // tenant matching: eligible, but the tenant picked no bid before the bid timeout
	outcomePending                         // internal: eligible, not yet ranked against the winner
)

var outcomeNames = [...]string{
	OutcomeWon:              "won",
	OutcomeOutbid:           "outbid",
	OutcomeLaterAtSamePrice: "later-at-same-price",
	OutcomeIneligible:       "ineligible",
	OutcomeWithdrawn:        "withdrawn",
	OutcomeUnrevealed:       "unrevealed",
	OutcomeCancelled:        "order-cancelled",
	OutcomeNotPicked:        "not-picked",
	OutcomeExpired:          "expired",
	outcomePending:          "pending",
}

func (o Outcome) String() string {
	if int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return "unknown-outcome"
}

// DepositAction is what the escrow does with a bid's deposit at match time.
type DepositAction uint8

const (
	DepositNone    DepositAction = iota // nothing to move: no deposit, never taken (rejected at placement), or returned at withdrawal
	DepositRefund                       // return the deposit to the provider
	DepositKeep                         // the winner's deposit stays locked with the lease
	DepositForfeit                      // the provider loses the deposit (sealed commitment never revealed)
)

var depositNames = [...]string{
	DepositNone:    "none",
	DepositRefund:  "refund",
	DepositKeep:    "keep",
	DepositForfeit: "forfeit",
}

func (a DepositAction) String() string {
	if int(a) < len(depositNames) {
		return depositNames[a]
	}
	return "unknown-deposit-action"
}

// Why is the outcome in the form UIs and reports show: "won", "outbid",
// "later-at-same-price", "withdrawn", "unrevealed" or "ineligible:<reason>".
func (b BidOutcome) Why() string {
	if b.Outcome == OutcomeIneligible {
		return "ineligible:" + b.Reason.String()
	}
	return b.Outcome.String()
}

// WinnerOutcome returns the winner's entry in Bids.
func (r *Result) WinnerOutcome() (BidOutcome, bool) {
	for _, b := range r.Bids {
		if b.Outcome == OutcomeWon {
			return b, true
		}
	}
	return BidOutcome{}, false
}

// String renders the result on several lines for logs and test scripts.
func (r Result) String() string {
	var sb strings.Builder
	if r.Matched {
		fmt.Fprintf(&sb, "order %s matched: winner %s at %s\n", r.Order, r.Winner.Provider, r.Price)
	} else {
		fmt.Fprintf(&sb, "order %s unmatched: %s\n", r.Order, r.Explanation())
	}
	for i := range r.Bids {
		b := &r.Bids[i]
		price := r.PriceOf(b)
		shown := price.String()
		if b.Outcome == OutcomeUnrevealed || price.Denom == "" {
			shown = "sealed" // a price never revealed
		}
		fmt.Fprintf(&sb, "  %s %s at %s (h=%d seq=%d) deposit %s %s\n",
			b.Provider, b.Why(), shown, b.PlacedAt, b.Seq, b.Action, r.DepositOf(b))
	}
	return sb.String()
}

// depositAction returns want unless there is no deposit to act on.
func depositAction(deposit *money.Dec, want DepositAction) DepositAction {
	if deposit.IsZero() {
		return DepositNone
	}
	return want
}

// finish ranks the pending (eligible) outcomes against the winner at index
// best (or -1), puts Bids in placement order and explains an unmatched order.
// Match and the book's close share it so both report the same way.
func (r *Result) finish(best int) {
	if best >= 0 {
		w := &r.Bids[best]
		w.Outcome = OutcomeWon
		w.Action = depositAction(&w.Deposit, DepositKeep)
		for i := range r.Bids {
			b := &r.Bids[i]
			if b.Outcome == outcomePending {
				b.Outcome, b.Action = loserOutcome(&w.Price, b)
			}
		}
	}
	r.seal(best)
}

// loserOutcome labels an eligible bid that did not win: a higher price was
// outbid, an equal one came later.
func loserOutcome(winner *money.Dec, b *BidOutcome) (Outcome, DepositAction) {
	if winner.Less(b.Price) {
		return OutcomeOutbid, depositAction(&b.Deposit, DepositRefund)
	}
	return OutcomeLaterAtSamePrice, depositAction(&b.Deposit, DepositRefund)
}

// seal names the winner at index best (already labelled won, or -1), sorts
// Bids into placement order and explains an unmatched order.
func (r *Result) seal(best int) { r.sealSorted(best, false) }

// sealSorted is seal for Bids known to be in placement order already when
// sorted is true (the book's close checks its entries as it reads them).
func (r *Result) sealSorted(best int, sorted bool) {
	if best >= 0 {
		w := &r.Bids[best]
		r.Matched, r.Winner, r.Price = true, r.BidID(w), r.PriceOf(w)
	}
	if !sorted {
		sortOutcomes(r.Bids)
	}
	if best < 0 {
		r.why = explainUnmatched
	}
}

func outcomeBefore(a, b *BidOutcome) bool {
	return earlier(a.PlacedAt, a.Seq, a.Provider, b.PlacedAt, b.Seq, b.Provider)
}

// sortOutcomes sorts by placement. Bids almost always arrive in placement
// order, so it checks first and otherwise does an insertion sort, which is
// the fastest sort for the few dozen bids an order gets and allocates nothing.
func sortOutcomes(bs []BidOutcome) {
	for i := 1; i < len(bs); i++ {
		if outcomeBefore(&bs[i], &bs[i-1]) {
			goto sort
		}
	}
	return
sort:
	for i := 1; i < len(bs); i++ {
		for j := i; j > 0 && outcomeBefore(&bs[j], &bs[j-1]); j-- {
			bs[j], bs[j-1] = bs[j-1], bs[j]
		}
	}
}

// unmatchedText says why no bid won, counting each kind of loss in a fixed
// order so the text is deterministic.
func unmatchedText(bs []BidOutcome) string {
	if len(bs) == 0 {
		return "no bids"
	}
	var byReason [numReasons]int
	var ineligible, withdrawn, unrevealed int
	for i := range bs {
		b := &bs[i]
		switch b.Outcome {
		case OutcomeIneligible:
			ineligible++
			if b.Reason < numReasons {
				byReason[b.Reason]++
			}
		case OutcomeWithdrawn:
			withdrawn++
		case OutcomeUnrevealed:
			unrevealed++
		}
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "no eligible bid among %d:", len(bs))
	sep := " "
	if ineligible > 0 {
		fmt.Fprintf(&sb, "%s%d ineligible (", sep, ineligible)
		first := true
		for r, n := range byReason {
			if n == 0 {
				continue
			}
			if !first {
				sb.WriteString(", ")
			}
			first = false
			fmt.Fprintf(&sb, "%s %d", Reason(r), n)
		}
		sb.WriteString(")")
		sep = ", "
	}
	if withdrawn > 0 {
		fmt.Fprintf(&sb, "%s%d withdrawn", sep, withdrawn)
		sep = ", "
	}
	if unrevealed > 0 {
		fmt.Fprintf(&sb, "%s%d unrevealed", sep, unrevealed)
	}
	return sb.String()
}
