package replay

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/akash-market/akash/sim/trace"
)

// Limits are the largest run a replay takes. The chain runs in this process
// with one validator on an in-memory database: every block is finalized and
// committed (about 1.2 ms of CPU when empty) and every action is a signed
// transaction (about 0.9 ms), and the whole trace is held in memory, so time
// and memory grow with blocks, and with providers × deployments (the bids).
// docs/trace.md ("Replay limits") has the measurements.
type Limits struct {
	Providers   int   // providers that joined over the run
	Deployments int   // deployments created over the run
	Blocks      int64 // chain blocks: the trace's end height + 1
}

// DefaultLimits are chain-sized runs: up to a simulated week of 6-second
// blocks, 50 providers and 2,000 deployments (at most about 100,000 bids:
// two minutes of CPU and a few GB). The shipped scenarios at full size (120
// providers, 7,200 deployments a day, half a million bids) are beyond them.
var DefaultLimits = Limits{Providers: 50, Deployments: 2_000, Blocks: 7 * 14_400}

// LimitError is a trace larger than a limit: what, how many, the limit, and
// how to run a smaller simulation.
type LimitError struct {
	What    string
	Have    int64
	AtLeast bool // Have is as far as the reader counted before it stopped
	Limit   int64
	Hint    string
}

func (e *LimitError) Error() string {
	at := ""
	if e.AtLeast {
		at = "at least "
	}
	return fmt.Sprintf("the trace has %s%d %s; a replay takes at most %d (%s)", at, e.Have, e.What, e.Limit, e.Hint)
}

func (l Limits) blocks(h trace.Header) error {
	if have := h.EndHeight + HeightOffset; l.Blocks > 0 && have > l.Blocks {
		return &LimitError{What: "blocks", Have: have, Limit: l.Blocks,
			Hint: "simulate a shorter run, e.g. akash-sim run SCENARIO --until 24h, or raise --max-blocks"}
	}
	return nil
}

func (l Limits) providers(n int) error {
	if l.Providers > 0 && n > l.Providers {
		return &LimitError{What: "providers", Have: int64(n), Limit: int64(l.Providers),
			Hint: "simulate fewer, e.g. akash-sim run SCENARIO --set providers[0].count=4 --set providers[1].count=2, or raise --max-providers"}
	}
	return nil
}

func (l Limits) deployments(n int) error {
	if l.Deployments > 0 && n > l.Deployments {
		return &LimitError{What: "deployments", Have: int64(n), Limit: int64(l.Deployments),
			Hint: "simulate fewer tenants or a shorter run, e.g. --set tenants[0].arrival.rate_per_hour=30 or --until 6h, or raise --max-deployments"}
	}
	return nil
}

// Check refuses a plan beyond the limits; a zero limit is no limit.
func (l Limits) Check(p *Plan) error {
	providers, _, deployments, _ := p.Counts()
	if err := l.blocks(p.Header); err != nil {
		return err
	}
	if err := l.providers(providers); err != nil {
		return err
	}
	return l.deployments(deployments)
}

// Read reads a trace, refusing it as soon as it is beyond the limits (the
// header's end height, then the providers and deployments as they come),
// so a trace too large to replay is not first read whole into memory.
func (l Limits) Read(in io.Reader, source string) (*trace.Trace, error) {
	providers, deployments := 0, 0
	var classes []string // provider classes in the order they first joined
	perClass := map[string]int{}
	t, err := trace.ReadChecked(in, source, func(h *trace.Header, rec *trace.Record, line int) error {
		var err error
		switch {
		case rec == nil:
			return l.blocks(*h)
		case rec.Kind == trace.KindProvider:
			providers++
			if c := rec.Provider.Class; perClass[c] == 0 {
				classes = append(classes, c)
			}
			perClass[rec.Provider.Class]++
			if err = l.providers(providers); err != nil {
				seen := make([]string, len(classes))
				for i, c := range classes {
					seen[i] = fmt.Sprintf("%s %d", c, perClass[c])
				}
				err.(*LimitError).Hint += "; the classes so far: " + strings.Join(seen, ", ") + " (set providers[i].count of each)"
			}
		case rec.Kind == trace.KindDeployment:
			deployments++
			err = l.deployments(deployments)
		}
		if err != nil {
			err.(*LimitError).AtLeast = true
			return fmt.Errorf("%s:%d: %w", source, line, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// ReadFile is Read of the file at path.
func (l Limits) ReadFile(path string) (*trace.Trace, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("replay: %w", err)
	}
	defer f.Close()
	return l.Read(f, path)
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
