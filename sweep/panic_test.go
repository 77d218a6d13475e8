package sweep

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/sim"
)

// panicky is a pricing strategy with a bug: it panics on its first quote.
type panicky struct{}

func (*panicky) Check(*sim.Checker)                           {}
func (p *panicky) NewStrategy(*sim.ProviderInfo) sim.Strategy { return p }
func (*panicky) Price(*sim.Quote) money.Dec                   { panic("strategy bug") }
func (*panicky) Outcome(*sim.Outcome)                         {}

func init() {
	sim.RegisterStrategy(sim.StrategyKind{Name: "test-panics", Doc: "panics on its first quote (sweep tests)",
		Params: func() sim.StrategyParams { return &panicky{} }})
}

// A run that panics (a bug in the simulator or in an extension) runs on a
// worker goroutine, where akash-sim's own recover cannot see it: it must
// fail that run as an internal error, naming the run and the panic, and
// let the others finish, instead of killing the process with the Go
// runtime's exit code 2 (issue 16 item 7: a crash is never exit 2).
func TestAPanickingRunIsAnInternalError(t *testing.T) {
	p, err := LoadSpec("panics.yaml", []byte(`
name: panics
scenario: default
until: 10m
grid:
  providers[0].pricing.strategy: [cost-plus, test-panics]
replicates: 1
seed: 3
`))
	if err != nil {
		t.Fatal(err)
	}
	o, err := Execute(context.Background(), p, Options{Dir: t.TempDir(), Jobs: 2, Version: "test"})
	if !errors.Is(err, ErrRunFailed) || !errors.Is(err, ErrInternal) {
		t.Fatalf("want ErrRunFailed and ErrInternal, got %v", err)
	}
	if !strings.Contains(err.Error(), "strategy bug") || !strings.Contains(err.Error(), "p001/00") {
		t.Errorf("the error should name the run and the panic: %v", err)
	}
	if o.Ran != 1 || len(o.Failed) != 1 {
		t.Errorf("ran %d, failed %v; want the other run finished and this one failed", o.Ran, o.Failed)
	}
}
