package sim

import (
	"math/rand/v2"
	"testing"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/money"
)

// TestWholeCarryWordIsWholeCarry holds the deployment's one-word payout
// fractions to lease.WholeCarry on a money.Dec: every step pays the same
// whole units and leaves the same fraction, over long runs of amounts of
// every size (below a unit, whole units, units with fractions, above 2^64
// units, where WholeCarry takes its slow path).
func TestWholeCarryWordIsWholeCarry(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 4))
	unit := money.NewDec(1)
	for run := 0; run < 200; run++ {
		var word uint64
		var dec money.Dec
		for step := 0; step < 200; step++ {
			var amt money.Dec
			switch r.IntN(5) {
			case 0:
				amt = money.NewDecFromAtto(r.Uint64N(1_000_000_000_000_000_000))
			case 1:
				amt = money.NewDec(r.Uint64N(1000))
			case 2:
				amt = money.DecFromUint128(r.Uint64(), r.Uint64N(1000))
			case 3:
				amt = money.DecFromUint128(r.Uint64(), r.Uint64()) // above 2^64 units
			case 4:
				amt, _ = unit.Sub(money.NewDecFromAtto(r.Uint64N(3))) // a unit or just below
			}
			want, errWant := lease.WholeCarry(&dec, amt)
			got, errGot := wholeCarryWord(&word, amt)
			if (errWant != nil) != (errGot != nil) {
				t.Fatalf("run %d step %d: amount %s: WholeCarry error %v, wholeCarryWord error %v", run, step, amt, errWant, errGot)
			}
			if !got.Equal(want) {
				t.Fatalf("run %d step %d: amount %s: wholeCarryWord pays %s, WholeCarry %s", run, step, amt, got, want)
			}
			if f := money.NewDecFromAtto(word); !f.Equal(dec) {
				t.Fatalf("run %d step %d: amount %s: fraction %s, WholeCarry leaves %s", run, step, amt, f, dec)
			}
		}
	}
}
