// Package rng derives the simulator's random streams: one seed per run, and
// one independent stream per (agent, purpose) computed by hashing
// (seed, agent id, purpose). A stream depends on nothing else: not on how many
// agents exist, not on the order they were created, not on what other
// streams drew. Adding a provider to a scenario therefore changes no draw of
// any other agent, and any single agent's draws can be replayed alone.
//
// Streams are math/rand/v2 PCG generators wrapped in *rand.Rand. A *rand.Rand
// is itself a rand.Source, so gonum's distributions (gonum.org/v1/gonum/stat/
// distuv, v0.17.0 takes a math/rand/v2 Source) draw from a stream by setting
// their Src field to it; Exponential, LogNormal and friends here do that.
//
// Derivation (version 1, pinned by a golden test; changing it changes every
// run's results): SHA-256 over a domain tag, the seed, the agent (tagged as a
// number or a string, length-prefixed) and the length-prefixed purpose; the
// first two 64-bit big-endian words of the digest seed rand.NewPCG.
package rng
