package engine

import (
	"math"
	"time"
)

// Time is a point on the simulation's virtual clock, in nanoseconds since the
// start of the run (Time 0). It is an integer on purpose: float clocks lose
// resolution as a run gets longer and make event order depend on rounding.
// An int64 of nanoseconds spans about 292 years of simulated time.
type Time int64

// Duration is a span of virtual time in nanoseconds. Its unit is the same as
// time.Duration's, so a time.Duration converts with Duration(d) and back.
type Duration int64

// Units of virtual time.
const (
	Nanosecond  Duration = 1
	Microsecond          = 1000 * Nanosecond
	Millisecond          = 1000 * Microsecond
	Second               = 1000 * Millisecond
	Minute               = 60 * Second
	Hour                 = 60 * Minute
	Day                  = 24 * Hour
)

// MaxTime is the last representable instant; RunUntil(MaxTime) runs everything.
const MaxTime = Time(math.MaxInt64)

// Add returns t+d.
func (t Time) Add(d Duration) Time { return t + Time(d) }

// Sub returns the span t-u.
func (t Time) Sub(u Time) Duration { return Duration(t - u) }

// Seconds returns t in seconds since the start of the run, for reports and
// statistics; never feed it back into scheduling decisions that must be exact.
func (t Time) Seconds() float64 { return float64(t) / float64(Second) }

// String prints t as a span since the start of the run, e.g. "1m30s".
func (t Time) String() string { return time.Duration(t).String() }

// Seconds returns d in seconds.
func (d Duration) Seconds() float64 { return float64(d) / float64(Second) }

// String prints d like time.Duration does, e.g. "6s" or "1.5ms".
func (d Duration) String() string { return time.Duration(d).String() }

// Seconds converts a float number of seconds (typically a random draw, e.g. an
// exponential inter-arrival time) to a Duration, rounding to the nearest
// nanosecond. Values beyond the int64 range saturate; NaN and negative values
// are the caller's bug and panic, because a negative delay would schedule into
// the past.
func Seconds(s float64) Duration {
	if math.IsNaN(s) || s < 0 {
		panic("engine.Seconds: got a negative or NaN number of seconds; delays must be >= 0")
	}
	ns := math.Round(s * float64(Second))
	if ns >= math.MaxInt64 {
		return Duration(math.MaxInt64)
	}
	return Duration(ns)
}
