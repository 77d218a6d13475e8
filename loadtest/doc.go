// Package loadtest drives the market's order book (core/market) and escrow
// (core/lease) directly, with no simulation clock, at a chosen scale and mix,
// and measures each step a market makes per order: adding the order, placing
// bids (eligibility and book update), the eligibility rules alone, sealed
// reveals, matching at close, and opening the winner's lease.
//
// Generation is deterministic: one seed feeds math/rand/v2 PCG streams (one
// per purpose), so the same Config places the same bids and closes the same
// matches on every machine; Run.Digest fingerprints those outcomes. Only the
// timings differ between runs.
//
// Timing: a ~100 ns operation cannot be timed alone (a time.Now pair costs
// tens of ns and its resolution is coarse), so operations are timed in
// batches (Config.Batch, 64 by default) and each batch's mean per-op time is
// recorded Batch times in an HdrHistogram. Percentiles are therefore
// percentiles of batch means: they show slow stretches (GC, cache-cold
// runs, a slow order) but a single slow op inside a batch is diluted by the
// other 63. Throughput is total ops over total phase time. See
// docs/loadtest.md.
package loadtest
