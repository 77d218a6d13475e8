package market

import (
	"fmt"
	"strings"

	"github.com/akash-market/akash/core/money"
)

// Result is the decision made when an order is matched: data for the caller
// to apply (create the lease, move deposits), in the way raft hands its caller
// a Ready. It names the winner and, for every other bid, why it lost.
type Result struct {
	Order       OrderID
	Matched     bool
	Winner      BidID      // zero when not matched
	Price       money.Coin // the winner's price per block; zero when not matched
	Explanation string     // why the order closed unmatched; empty when matched
	// Bids lists every bid the order received, the winner included, in
	// placement order (PlacedAt, Seq), each with its outcome and what to do
	// with its deposit.
	Bids []BidOutcome
}

// BidOutcome is one bid's fate at match time.
type BidOutcome struct {
	Bid      BidID
	Price    money.Coin // as bid; zero for an unrevealed sealed bid
	Deposit  money.Coin
	PlacedAt int64
	Seq      uint64
	Outcome  Outcome
	Reason   Reason        // the failed rule, for OutcomeIneligible
	Action   DepositAction // what the escrow does with Deposit
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
		fmt.Fprintf(&sb, "order %s unmatched: %s\n", r.Order, r.Explanation)
	}
	for _, b := range r.Bids {
		price := b.Price.String()
		if b.Outcome == OutcomeUnrevealed || b.Price.Denom == "" {
			price = "sealed" // a price never revealed
		}
		fmt.Fprintf(&sb, "  %s %s at %s (h=%d seq=%d) deposit %s %s\n",
			b.Bid.Provider, b.Why(), price, b.PlacedAt, b.Seq, b.Action, b.Deposit)
	}
	return sb.String()
}

// depositAction returns want unless there is no deposit to act on.
func depositAction(deposit money.Coin, want DepositAction) DepositAction {
	if deposit.Amount.IsZero() {
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
		w.Action = depositAction(w.Deposit, DepositKeep)
		for i := range r.Bids {
			b := &r.Bids[i]
			if b.Outcome == outcomePending {
				b.Outcome, b.Action = loserOutcome(&w.Price.Amount, b)
			}
		}
	}
	r.seal(best)
}

// loserOutcome labels an eligible bid that did not win: a higher price was
// outbid, an equal one came later.
func loserOutcome(winner *money.Dec, b *BidOutcome) (Outcome, DepositAction) {
	if winner.Less(b.Price.Amount) {
		return OutcomeOutbid, depositAction(b.Deposit, DepositRefund)
	}
	return OutcomeLaterAtSamePrice, depositAction(b.Deposit, DepositRefund)
}

// seal names the winner at index best (already labelled won, or -1), sorts
// Bids into placement order and explains an unmatched order.
func (r *Result) seal(best int) { r.sealSorted(best, false) }

// sealSorted is seal for Bids known to be in placement order already when
// sorted is true (the book's close checks its entries as it reads them).
func (r *Result) sealSorted(best int, sorted bool) {
	if best >= 0 {
		w := &r.Bids[best]
		r.Matched, r.Winner, r.Price = true, w.Bid, w.Price
	}
	if !sorted {
		sortOutcomes(r.Bids)
	}
	if best < 0 {
		r.Explanation = explainUnmatched(r.Bids)
	}
}

func outcomeBefore(a, b *BidOutcome) bool {
	return earlier(a.PlacedAt, a.Seq, a.Bid.Provider, b.PlacedAt, b.Seq, b.Bid.Provider)
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

// explainUnmatched says why no bid won, counting each kind of loss in a fixed
// order so the text is deterministic.
func explainUnmatched(bs []BidOutcome) string {
	if len(bs) == 0 {
		return "no bids"
	}
	var byReason [numReasons]int
	var ineligible, withdrawn, unrevealed int
	for _, b := range bs {
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
