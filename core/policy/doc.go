// Package policy holds the management tiers' pure decision functions (the
// whitepaper's 5.1 delivery network: Decide; 5.2 ML batch job: MLDecide):
// plain values in, a decision as data out; no clock, IO or randomness. The
// simulator's tiers (sim/tiers) and the chain's manager (`akash-node manage
// run`) both call them, so one load trace gives one decision sequence in
// either mode. It imports neither sim nor node.
package policy
