package replay

import (
	"fmt"
	"time"

	"github.com/akash-market/akash/sim/trace"
)

// Options tune Trace.
type Options struct {
	Limits Limits
	// Progress, if not nil, is called after every block.
	Progress func(Progress)
}

// Report is what a whole replay found: the run's size, the transactions the
// chain refused that the simulator's market accepted, and the outcomes that
// differ (leases, orders, stake, wallets). It agrees when both are empty.
type Report struct {
	Scenario    string    `json:"scenario"`
	Seed        uint64    `json:"seed"`
	Providers   int       `json:"providers"`
	Tenants     int       `json:"tenants"`
	Deployments int       `json:"deployments"`
	Orders      int       `json:"orders"`
	Leases      int       `json:"leases"`
	Blocks      int64     `json:"blocks"`
	Txs         int       `json:"txs"`
	Rounded     int       `json:"rounded"` // amounts rounded up to whole units for the bank
	Failed      []Failure `json:"failed"`
	Diffs       []Diff    `json:"diffs"`
	Took        Duration  `json:"took"`
	Plan        *Plan     `json:"-"`
	Result      *Result   `json:"-"`
}

// Duration prints as Go writes durations ("12.3s").
type Duration time.Duration

// MarshalText writes d as "1m2.5s".
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// Agree is true when the chain did what the simulator did.
func (r *Report) Agree() bool { return len(r.Failed) == 0 && len(r.Diffs) == 0 }

// Trace replays a complete trace through a new in-process chain and
// compares: NewPlan, Limits.Check, NewChain with the trace's market
// parameters, Run, Compare.
func Trace(t *trace.Trace, opt Options) (*Report, error) {
	start := time.Now()
	plan, err := NewPlan(t)
	if err != nil {
		return nil, err
	}
	if err := opt.Limits.Check(plan); err != nil {
		return nil, err
	}
	chain, err := NewChain(GenesisFunds(plan), time.Duration(plan.Header.BlockTimeNS), MarketParams(plan))
	if err != nil {
		return nil, err
	}
	res, err := Run(plan, chain, NewTranslator(plan.Header.Denom), opt.Progress)
	if err != nil {
		return nil, err
	}
	if err := Compare(plan, chain, res); err != nil {
		return nil, fmt.Errorf("replay: comparing: %w", err)
	}
	providers, tenants, deployments, _ := plan.Counts()
	return &Report{Scenario: plan.Header.Scenario, Seed: plan.Header.Seed, Providers: providers, Tenants: tenants,
		Deployments: deployments, Orders: len(plan.Want.Orders), Leases: len(plan.Want.Leases), Blocks: res.Blocks, Txs: res.Txs,
		Rounded: len(res.Rounded), Failed: res.Failed, Diffs: res.Diffs, Took: Duration(time.Since(start)), Plan: plan, Result: res}, nil
}
