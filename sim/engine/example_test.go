package engine_test

import (
	"fmt"

	"github.com/akash-market/akash/sim/engine"
)

// ping is a reusable event: rescheduling the same value allocates nothing.
type ping struct{ count int }

func (p *ping) Fire(s *engine.Sim) {
	p.count++
	fmt.Printf("%v ping %d\n", s.Now(), p.count)
	if p.count < 3 {
		s.After(5*engine.Second, p)
	}
}

func Example() {
	s := engine.New()

	// A block every 6 s; the callback sees the block height.
	s.StartBlocks(engine.DefaultBlockTime, func(s *engine.Sim, h engine.Height) {
		fmt.Printf("%v block %d\n", s.Now(), h)
	})

	// An ordinary event at a block instant fires after the block.
	s.At(engine.Time(12*engine.Second), engine.HandlerFunc(func(s *engine.Sim) {
		fmt.Printf("%v order closes\n", s.Now())
	}))

	// A timeout that is cancelled never fires.
	timeout := s.After(10*engine.Second, engine.HandlerFunc(func(*engine.Sim) {
		fmt.Println("timeout")
	}))
	s.At(engine.Time(7*engine.Second), engine.HandlerFunc(func(s *engine.Sim) {
		fmt.Printf("%v reply arrives, cancel timeout: %v\n", s.Now(), s.Cancel(timeout))
	}))

	// Ties at 7 s and 12 s fire in scheduling order: the reply and the
	// order close were scheduled before the pings that land there.
	s.After(2*engine.Second, &ping{})

	s.RunUntil(engine.Time(15 * engine.Second))
	fmt.Printf("now %v, %d events fired\n", s.Now(), s.Stats().Fired)
	// Output:
	// 2s ping 1
	// 6s block 1
	// 7s reply arrives, cancel timeout: true
	// 7s ping 2
	// 12s block 2
	// 12s order closes
	// 12s ping 3
	// now 15s, 7 events fired
}
