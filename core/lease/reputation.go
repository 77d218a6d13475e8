package lease

import (
	"fmt"

	"github.com/akash-market/akash/core/market"
)

// History is a provider's fulfillment record: how its leases ended.
type History struct {
	Served  uint64 // ran until the tenant, the deployment or the money ended them
	Faults  uint64 // closed for provider fault
	Neutral uint64 // provider exits and manifest timeouts: no evidence either way
}

// Record counts one closed lease by its reason's Outcome.
func (h *History) Record(r CloseReason) {
	switch r.Outcome() {
	case OutcomeServed:
		h.Served++
	case OutcomeFault:
		h.Faults++
	default:
		h.Neutral++
	}
}

// ReputationParams are the knobs of the reputation formula (docs/reputation.md).
type ReputationParams struct {
	// PriorLeases is how many leases' worth of evidence a newcomer is
	// assumed to have (the weight of the prior); one lease moves the score
	// by at most about 1/(PriorLeases+1) of the range.
	PriorLeases uint64
	// PriorServedBPS is the fulfillment score assumed before any evidence.
	PriorServedBPS uint32
	// FaultWeight is how many failed leases one fault counts as.
	FaultWeight uint64
	// StakeCapPPM is the stake share (parts per million of all bonded
	// stake) at which the stake component is full; more stake adds nothing.
	StakeCapPPM uint64
	// StakeWeightBPS is the share of the score that stake can give; the rest
	// comes from fulfillment.
	StakeWeightBPS uint32
}

// DefaultReputationParams: a prior of 10 leases at 50%, a fault counts as
// 5 failures, full stake credit at 1% of all stake, stake worth 20%.
func DefaultReputationParams() ReputationParams {
	return ReputationParams{
		PriorLeases:    10,
		PriorServedBPS: 5_000,
		FaultWeight:    5,
		StakeCapPPM:    10_000,
		StakeWeightBPS: 2_000,
	}
}

// Validate checks the ranges that keep the formula meaningful and its
// integer arithmetic inside 64 bits.
func (p ReputationParams) Validate() error {
	switch {
	case p.PriorLeases < 1 || p.PriorLeases > 1_000_000:
		return fmt.Errorf("reputation params: prior leases %d: want 1..1000000 (a prior is what keeps one lease from swinging a newcomer)", p.PriorLeases)
	case p.PriorServedBPS > 10_000:
		return fmt.Errorf("reputation params: prior served %d bps: %w", p.PriorServedBPS, ErrBasisPoints)
	case p.FaultWeight < 1 || p.FaultWeight > 1_000:
		return fmt.Errorf("reputation params: fault weight %d: want 1..1000", p.FaultWeight)
	case p.StakeCapPPM < 1 || p.StakeCapPPM > 1_000_000:
		return fmt.Errorf("reputation params: stake cap %d ppm: want 1..1000000", p.StakeCapPPM)
	case p.StakeWeightBPS > 10_000:
		return fmt.Errorf("reputation params: stake weight %d bps: %w", p.StakeWeightBPS, ErrBasisPoints)
	}
	return nil
}

// countCap bounds lease counts so every product below fits in 64 bits
// (2^32 × 10^4 × 10^3 < 2^64); no provider will close 4 billion leases.
const countCap = 1 << 32

// FulfillmentScore is the smoothed served rate, in basis points:
//
//	F = (10000·served + PriorServedBPS·PriorLeases) ÷ (served + FaultWeight·faults + PriorLeases)
func FulfillmentScore(h History, p ReputationParams) uint32 {
	served, faults := min(h.Served, countCap), min(h.Faults, countCap)
	num := 10_000*served + uint64(p.PriorServedBPS)*p.PriorLeases
	den := served + p.FaultWeight*faults + p.PriorLeases
	return uint32(num / den)
}

// StakeScore is the concave, capped credit for stake, in basis points:
//
//	S = ⌊√(min(sharePPM, StakeCapPPM) · 10^8 ÷ StakeCapPPM)⌋
//
// so S = 10000 at the cap, 1000 at 1% of the cap, and never more.
func StakeScore(share Fraction, p ReputationParams) uint32 {
	ppm := min(share.PPM(), p.StakeCapPPM)
	return uint32(isqrt(ppm * 100_000_000 / p.StakeCapPPM))
}

// ComputeReputation is a provider's reputation from its stake share and its
// history (docs/reputation.md):
//
//	R = ⌊(F·(10000 − StakeWeightBPS) + S·StakeWeightBPS) ÷ 10000⌋
//
// Integer arithmetic only; the result is in 0..market.MaxReputation.
// p must be valid (Validate); the defaults are.
func ComputeReputation(share Fraction, h History, p ReputationParams) market.Reputation {
	return ReputationFrom(StakeScore(share, p), h, p)
}

// ReputationFrom is ComputeReputation with the stake component S already
// computed (StakeScore of the share): the score of one stake share and
// many histories. The stake score is the costly part (the exact share and
// its square root), the fulfillment score one division, so a caller whose
// provider's share is unchanged while its history grows keeps S and calls
// this.
func ReputationFrom(stakeScore uint32, h History, p ReputationParams) market.Reputation {
	f := uint64(FulfillmentScore(h, p))
	s := uint64(stakeScore)
	w := uint64(p.StakeWeightBPS)
	return market.Reputation((f*(10_000-w) + s*w) / 10_000)
}

// isqrt returns ⌊√n⌋ exactly (Newton's method on integers).
func isqrt(n uint64) uint64 {
	if n < 2 {
		return n
	}
	x := n
	y := (x + 1) / 2
	for y < x {
		x = y
		y = (x + n/x) / 2
	}
	return x
}
