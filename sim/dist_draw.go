package sim

import (
	"math"
	"math/bits"
	"math/rand/v2"

	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/sim/rng"
)

// Draw draws one value from the distribution with r. A zero Dist (Kind "")
// draws 0 without touching r. Values are never negative: a draw below zero
// (uniform with a negative Min) is clamped to 0.
func (d Dist) Draw(r *rand.Rand) float64 {
	var v float64
	switch d.Kind {
	case "", "none":
		return 0
	case "const":
		v = d.Value
	case "uniform":
		v = d.Min + (d.Max-d.Min)*r.Float64()
	case "exponential":
		if d.Mean <= 0 {
			return 0
		}
		v = r.ExpFloat64() * d.Mean
	case "lognormal":
		if d.Mean <= 0 {
			return 0
		}
		if d.Std <= 0 {
			v = d.Mean
		} else {
			v = rng.LogNormalMeanStd(r, d.Mean, d.Std).Rand()
		}
	default:
		// Validate rejects unknown kinds; a hand-built scenario that slips one
		// through gets the mean-like field rather than a panic mid-run.
		v = d.Value
	}
	if v < 0 || math.IsNaN(v) {
		return 0
	}
	return v
}

// distDraw is a Dist made ready for a hot path (an arrival's draws, a
// provider's bid latency): its kind as a number instead of a string switch,
// and for a lognormal its μ and σ computed once (rng.LogNormalMeanStd, which
// Dist.Draw calls on every draw), drawn from r directly rather than through
// a rand.Rand wrapped around it (the same Uint64s in the same order). Its
// draw is Dist.Draw's value bit for bit, with the same draws of r
// (TestDistDrawIsDraw); kinds and edge cases it does not make ready (a zero
// or infinite mean, an exponential) go through Dist.Draw itself.
type distDraw struct {
	kind      distKind
	d         Dist
	mu, sigma float64 // lognormal
}

type distKind uint8

const (
	distGeneral distKind = iota // Dist.Draw
	distConst
	distUniform
	distLogNormal
)

func newDistDraw(d Dist) distDraw {
	x := distDraw{d: d}
	finite := func(v float64) bool { return !math.IsInf(v, 0) && !math.IsNaN(v) }
	switch d.Kind {
	case "const":
		x.kind = distConst
	case "uniform":
		x.kind = distUniform
	case "lognormal":
		// Only where rng.LogNormalMeanStd gives finite μ and σ (it panics
		// otherwise, as Dist.Draw then does at each draw).
		if cv := d.Std / d.Mean; d.Mean > 0 && d.Std > 0 && finite(d.Mean) && finite(d.Std) && finite(cv*cv) {
			l := rng.LogNormalMeanStd(nil, d.Mean, d.Std)
			x.kind, x.mu, x.sigma = distLogNormal, l.Mu, l.Sigma
		}
	}
	return x
}

// draw is x's Dist.Draw(r).
func (x *distDraw) draw(r *rand.Rand) float64 {
	var v float64
	switch x.kind {
	case distConst:
		v = x.d.Value
	case distUniform:
		v = x.d.Min + (x.d.Max-x.d.Min)*r.Float64()
	case distLogNormal:
		// distuv.LogNormal.Rand: exp(N(0,1)·σ + μ).
		v = math.Exp(r.NormFloat64()*x.sigma + x.mu)
	default:
		return x.d.Draw(r)
	}
	if v < 0 || math.IsNaN(v) {
		return 0
	}
	return v
}

// IsZero reports whether the distribution is unset (draws 0).
func (d Dist) IsZero() bool { return d.Kind == "" || d.Kind == "none" }

// scaleMicro returns ⌊base × f⌋ rounded down to whole micro-units. f is a
// behavioural multiplier (a valuation, a cost factor) drawn as a float; it
// becomes an exact integer number of parts per million first, so the money
// arithmetic itself stays exact.
func scaleMicro(base money.Dec, f float64) money.Dec {
	if f <= 0 || math.IsNaN(f) {
		return money.Dec{}
	}
	ppm := uint64(math.Round(f * 1e6))
	v, err := base.MulFrac(ppm, 1_000_000)
	if err != nil {
		return money.Dec{}
	}
	return roundMicro(v)
}

// roundMicro rounds d down to whole micro-units, the grid prices and costs
// are quoted on (market.CostQuantum).
func roundMicro(d money.Dec) money.Dec { return d.FloorTo(market.CostQuantum) }

const attoPerUnit = 1_000_000_000_000_000_000

// decFloat converts an exact amount to a float for statistics and plots only.
func decFloat(d money.Dec) float64 {
	if lo, hi, ok := d.Uint128(); ok && hi < attoPerUnit {
		// Below 2^64 units: the same whole and atto parts from one division.
		whole, frac := bits.Div64(hi, lo, attoPerUnit)
		return float64(whole) + float64(frac)*1e-18
	}
	// Split into whole units and atto-units so both fit a uint64 path.
	whole := d.QuoFloor(money.NewDec(1))
	frac, err := d.Sub(money.NewDec(whole))
	if err != nil {
		return float64(whole)
	}
	// frac < 1 so its atto count fits in a uint64.
	return float64(whole) + float64(frac.QuoFloor(money.NewDecFromAtto(1)))*1e-18
}
