package rng_test

import (
	"fmt"

	"github.com/akash-market/akash/sim/rng"
)

func Example() {
	seed := rng.Seed(2018)

	// Each provider draws its prices from its own stream; provider 3's draws
	// are the same whether or not providers 1 and 2 exist.
	price := seed.Stream(3, "price")
	fmt.Println("provider 3 price band pick:", rng.UniformInt(price, 100, 200))

	// Tenants arrive as a Poisson process: 0.5 per second on average.
	arrivals := seed.StreamFor("tenants", "arrivals")
	for range 3 {
		fmt.Println("next tenant in", rng.InterArrival(arrivals, 0.5))
	}

	// Any gonum distribution draws from a stream through its Src field.
	leaseLength := rng.LogNormalMeanStd(seed.Stream(3, "lease-length"), 3600, 1800)
	fmt.Printf("lease length %.0f s\n", leaseLength.Rand())
	// Output:
	// provider 3 price band pick: 148
	// next tenant in 1.348859643s
	// next tenant in 6.436347ms
	// next tenant in 131.258894ms
	// lease length 3092 s
}
