package replay

import (
	"fmt"

	"github.com/akash-market/akash/sim/trace"
)

// Limits are the largest run a replay takes. The chain runs in this process
// with one validator on an in-memory database: every block is finalized and
// committed, so the time grows with blocks and transactions, and the memory
// with accounts, deployments and bids (docs/trace.md, "Limits", measured).
type Limits struct {
	Providers   int   // provider accounts (each signs its own transactions)
	Deployments int   // deployments created over the run
	Blocks      int64 // chain blocks: the trace's end height + 1
}

// DefaultLimits are chain-sized runs: a simulated week of 6-second blocks, a
// few hundred providers and twenty thousand deployments.
var DefaultLimits = Limits{Providers: 500, Deployments: 20_000, Blocks: 7 * 14_400}

// LimitError is a trace larger than a limit: what, how many, the limit, and
// how to run a smaller simulation.
type LimitError struct {
	What  string
	Have  int64
	Limit int64
	Hint  string
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("the trace has %d %s; a replay takes at most %d (%s)", e.Have, e.What, e.Limit, e.Hint)
}

// Check refuses a plan beyond the limits; a zero limit is no limit.
func (l Limits) Check(p *Plan) error {
	_, _, deployments, blocks := p.Counts()
	switch {
	case l.Providers > 0 && len(p.Providers) > l.Providers:
		return &LimitError{What: "providers", Have: int64(len(p.Providers)), Limit: int64(l.Providers),
			Hint: "simulate fewer, e.g. akash-sim run SCENARIO --set providers[0].count=4 --set providers[1].count=2, or raise --max-providers"}
	case l.Deployments > 0 && deployments > l.Deployments:
		return &LimitError{What: "deployments", Have: int64(deployments), Limit: int64(l.Deployments),
			Hint: "simulate fewer tenants or a shorter run, e.g. --set tenants[0].arrival.rate_per_hour=30 or --until 6h, or raise --max-deployments"}
	case l.Blocks > 0 && blocks > l.Blocks:
		return &LimitError{What: "blocks", Have: blocks, Limit: l.Blocks,
			Hint: "simulate a shorter run, e.g. akash-sim run SCENARIO --until 24h, or raise --max-blocks"}
	}
	return nil
}

// Counts are the size of a plan as Limits measures it.
func (p *Plan) Counts() (providers, tenants, deployments int, blocks int64) {
	for _, s := range p.Steps {
		if s.Record.Kind == trace.KindDeployment {
			deployments++
		}
	}
	return len(p.Providers), len(p.Tenants), deployments, p.Header.EndHeight + HeightOffset
}
