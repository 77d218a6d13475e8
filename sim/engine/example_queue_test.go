package engine_test

import (
	"fmt"

	"github.com/akash-market/akash/sim/engine"
)

// An M/M/1 queue: customers arrive at 0.5 per second, one server serves 1
// per second. Theory says the mean number in system is ρ/(1−ρ) = 1 and the
// mean time in system is 1/(μ−λ) = 2 s. The model is in queue_model_test.go.
func Example_mm1Queue() {
	const seed = 2018
	q := newMMC(seed, 1, 0.5, 1.0, 0, engine.Time(1000*engine.Second))
	l, w, s := q.run(100_000 * engine.Second)
	fmt.Printf("served %d customers in %d events\n", q.served, s.Stats().Fired)
	fmt.Printf("mean number in system L = %.2f (theory 1)\n", l)
	fmt.Printf("mean time in system   W = %.2f s (theory 2)\n", w)
	// Output:
	// served 49502 customers in 99976 events
	// mean number in system L = 0.99 (theory 1)
	// mean time in system   W = 1.99 s (theory 2)
}
