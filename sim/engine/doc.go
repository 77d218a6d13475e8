// Package engine is a deterministic discrete-event simulation engine: a
// virtual clock and one queue of pending events.
//
// # Time
//
// Virtual time is an integer number of nanoseconds since the start of the run
// (Time, Duration, and the constants Second, Millisecond, ...). There are no
// floats in the clock: a float draw (an exponential inter-arrival time, say)
// becomes a Duration through Seconds, which rounds to the nanosecond.
//
// # Order
//
// Events fire in order of (time, lane, sequence number):
//
//   - earlier time first;
//   - at the same time, front-lane events (AtFront, used for blocks) before
//     ordinary events (At, After);
//   - within a lane, in the order they were scheduled (the sequence number
//     counts every scheduling call on the Sim, from 1).
//
// Nothing else (no map iteration, no pointer value, no goroutine) reaches
// the order, so a run is a pure function of its inputs and its seed.
//
// # Events
//
// A Handler's Fire method runs when its event fires. Schedule a reusable
// value with a pointer receiver (a pooled struct) and a run allocates nothing
// per event once the queue has reached its peak size; HandlerFunc adapts a
// function for code where an allocation does not matter. At, After and
// AtFront return an EventID that Cancel takes (O(1) amortised; cancelled
// events never pile up in the queue).
//
// # Cost
//
// The queue is a timing wheel over windows of time with a heap for the
// current window (queue.go). Grow sizes it for a number of pending events,
// after which a run within that size allocates nothing; SetResolution
// widens the windows for a simulation whose events are seconds apart (the
// market simulator uses a sixteenth of a block), which neither changes the
// order nor any result.
//
// # Running
//
// Step fires one event. Run fires until the queue is empty or a handler
// calls Stop. RunUntil(t) fires every event at or before t, then sets the
// clock to t. Sim is single-threaded: run replicates on separate Sims.
//
// # Blocks
//
// StartBlocks produces a block every interval (DefaultBlockTime is 6 s):
// block h fires at exactly h × interval, in the front lane, so the block is
// the first thing that happens at its instant and every ordinary event at
// that instant sees the new height. BlockClock converts between times and
// heights.
package engine
