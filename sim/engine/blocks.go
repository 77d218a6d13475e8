package engine

import "fmt"

// Height is a block number. Block h is produced at virtual time h × interval,
// so height 0 is the genesis state at Time 0 and the first block (height 1)
// comes one interval into the run. A height is a pure function of time.
type Height int64

// DefaultBlockTime is the interval between blocks when a scenario does not
// set one; Akash's chain targets about 6 s.
const DefaultBlockTime = 6 * Second

// BlockClock converts between virtual time and block heights for blocks
// produced every Interval from Time 0. It is plain arithmetic: use it to turn
// "open for 10 blocks" into a Time, or a Time into the height in force.
type BlockClock struct {
	Interval Duration
}

// HeightAt returns the height of the last block produced at or before t
// (t ≥ 0). Because blocks fire first at their instant, this is the height
// every ordinary event at t sees.
func (c BlockClock) HeightAt(t Time) Height { return Height(int64(t) / int64(c.Interval)) }

// TimeOf returns the instant block h is produced.
func (c BlockClock) TimeOf(h Height) Time { return Time(int64(h) * int64(c.Interval)) }

// Blocks returns the span of n blocks.
func (c BlockClock) Blocks(n int64) Duration { return Duration(n) * c.Interval }

// BlockFunc is the per-block callback: the market's per-block work (order
// closes, matching, settlement, expiries) runs here.
type BlockFunc func(s *Sim, h Height)

// BlockProducer fires a BlockFunc at every multiple of its interval.
type BlockProducer struct {
	sim     *Sim
	clock   BlockClock
	fn      BlockFunc
	last    Height // last height produced
	next    EventID
	running bool
}

// blockTick is the producer seen as a Handler; a separate named type keeps
// Fire out of BlockProducer's public method set.
type blockTick BlockProducer

// StartBlocks starts producing blocks every interval and calls fn with each
// block's height, starting with the first block strictly after Now (so a
// producer started at Time 0 produces height 1 at Time interval).
//
// Ordering rule: a block is scheduled in the front lane (see AtFront), so at
// a block's instant fn runs before every ordinary event at that instant, no
// matter when those were scheduled; events that fn schedules for the same
// instant run after it. The next block is scheduled before fn runs, so fn
// may call Stop on the producer.
func (s *Sim) StartBlocks(interval Duration, fn BlockFunc) *BlockProducer {
	if interval <= 0 {
		panic(fmt.Sprintf("engine: StartBlocks(interval=%d ns): interval must be > 0 (e.g. engine.DefaultBlockTime)", int64(interval)))
	}
	if fn == nil {
		panic("engine: StartBlocks with a nil BlockFunc")
	}
	b := &BlockProducer{sim: s, clock: BlockClock{Interval: interval}, fn: fn, running: true}
	b.last = b.clock.HeightAt(s.now)
	b.next = s.AtFront(b.clock.TimeOf(b.last+1), (*blockTick)(b))
	return b
}

// Fire produces one block and schedules the next.
func (t *blockTick) Fire(s *Sim) {
	b := (*BlockProducer)(t)
	b.last++
	b.next = s.AtFront(b.clock.TimeOf(b.last+1), t)
	b.fn(s, b.last)
}

// Height returns the height of the last block produced. Before the first
// block it is the height in force when the producer started (HeightAt(Now)).
func (b *BlockProducer) Height() Height { return b.last }

// Clock returns the producer's time/height arithmetic.
func (b *BlockProducer) Clock() BlockClock { return b.clock }

// Stop cancels the next block; no more blocks are produced.
func (b *BlockProducer) Stop() {
	if b.running {
		b.sim.Cancel(b.next)
		b.running = false
	}
}
