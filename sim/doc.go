// Package sim is the discrete-event simulator of the marketplace: a Scenario
// (the market's parameters, provider classes, tenant demand, management
// tiers, metrics) run from one seed by Run into a Result (summary, time
// series, per-lease records, optional trace), byte-identical for the same
// scenario and seed. The market rules are core's (core/market, core/lease);
// sim holds their state in memory, draws every agent's randomness from its
// own stream (sim/rng) and orders events by (time, sequence) (sim/engine).
//
// Scenario's types are the run's input; their defaults, validation and
// loading from files are package scenarios' (Defaults, Validate, Load). Run
// takes a scenario as it is given: one built in Go should pass
// scenarios.Validate first, as every loaded one has.
//
// Pricing strategies, provider and tenant agents and metrics are extensions
// registered by name (extension.go), so a researcher's own module can add
// them; the built-in ones register through the same calls.
package sim
