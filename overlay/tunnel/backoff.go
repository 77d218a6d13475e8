package tunnel

import (
	"math/rand/v2"
	"time"
)

// Backoff spaces out reconnect attempts: Min, doubling up to Max, each wait
// drawn uniformly in [d/2, d] so that many tunnels cut by one partition do
// not reconnect in lockstep.
type Backoff struct {
	Min, Max time.Duration
}

func (b Backoff) withDefaults() Backoff {
	if b.Min <= 0 {
		b.Min = 100 * time.Millisecond
	}
	if b.Max < b.Min {
		b.Max = 5 * time.Second
		if b.Max < b.Min {
			b.Max = b.Min
		}
	}
	return b
}

// wait returns the delay before attempt n (0-based) and is never below Min/2.
func (b Backoff) wait(n int) time.Duration {
	d := b.Min
	for i := 0; i < n && d < b.Max; i++ {
		d *= 2
	}
	if d > b.Max {
		d = b.Max
	}
	return d/2 + rand.N(d/2+1)
}
