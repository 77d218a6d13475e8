// Package trace records what a simulated market did, one JSON object per
// line, so that the same story can be replayed elsewhere (through the chain's
// modules) and compared event by event.
//
// A trace is a header line followed by records in the order the simulator
// applied them. Every record names its kind and the block height in force when
// it happened (Record.Height, the simulator's w.h). Actions (a deployment
// created, a bid placed, a lease closed by its provider, a withdrawal) are what
// a replay must submit; outcomes (an order matched, a lease opened or closed by
// the escrow, a transfer) are what a replay must observe. Amounts are exact
// decimal strings with all 18 fractional digits (core/money.Dec's String), so
// nothing is lost to floats.
//
// The Writer buffers records and writes only whole lines, so a crash leaves a
// valid prefix of the trace; Close flushes and fsyncs and writes the end
// record that marks the trace complete. The Reader is strict: an unknown kind
// or field, a missing payload, a record before the header or a truncated last
// line is an error naming the line.
//
// The format, its versioning and the height convention of a replay are
// described in docs/trace.md.
package trace
