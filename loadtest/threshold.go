package loadtest

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ErrThreshold is wrapped by every malformed threshold.
var ErrThreshold = errors.New("loadtest: bad threshold")

// Limit kinds.
const (
	MinThroughput = "min-throughput" // ops/s at least
	MaxP99        = "max-p99"        // p99 per-op latency at most
)

// Threshold is one --min-throughput or --max-p99 limit on one phase.
type Threshold struct {
	Kind  string        // MinThroughput or MaxP99
	Phase string        // a name from PhaseNames
	Ops   float64       // MinThroughput: ops/s
	P99   time.Duration // MaxP99
	Text  string        // as given, for messages: "place=5M"
}

// ParseThreshold parses PHASE=VALUE for kind: a rate such as 5e6, 5M, 500k
// or 2.5G for MinThroughput; a duration such as 2us, 2µs or 1.5ms for MaxP99.
func ParseThreshold(kind, s string) (Threshold, error) {
	phase, val, ok := strings.Cut(s, "=")
	phase, val = strings.TrimSpace(phase), strings.TrimSpace(val)
	t := Threshold{Kind: kind, Phase: phase, Text: s}
	if !ok || phase == "" || val == "" {
		return t, fmt.Errorf("%w: --%s %q: want PHASE=VALUE, e.g. place=%s", ErrThreshold, kind, s, example(kind))
	}
	if !slices.Contains(PhaseNames(), phase) {
		return t, fmt.Errorf("%w: --%s %q: unknown phase %q; phases are %s", ErrThreshold, kind, s, phase, strings.Join(PhaseNames(), ", "))
	}
	switch kind {
	case MinThroughput:
		v, err := ParseRate(val)
		if err != nil {
			return t, fmt.Errorf("%w: --%s %q: %v", ErrThreshold, kind, s, err)
		}
		t.Ops = v
	case MaxP99:
		d, err := time.ParseDuration(val)
		if err != nil || d <= 0 {
			return t, fmt.Errorf("%w: --%s %q: %q is not a positive duration such as 2us or 1.5ms", ErrThreshold, kind, s, val)
		}
		t.P99 = d
	default:
		return t, fmt.Errorf("%w: unknown kind %q", ErrThreshold, kind)
	}
	return t, nil
}

func example(kind string) string {
	if kind == MaxP99 {
		return "2us"
	}
	return "5M"
}

// ParseRate parses an ops/s figure: a number (5000000, 5e6) with an
// optional k, M or G suffix (5M, 2.5G, 500k).
func ParseRate(s string) (float64, error) {
	mul := 1.0
	switch {
	case strings.HasSuffix(s, "k"), strings.HasSuffix(s, "K"):
		mul, s = 1e3, s[:len(s)-1]
	case strings.HasSuffix(s, "M"):
		mul, s = 1e6, s[:len(s)-1]
	case strings.HasSuffix(s, "G"):
		mul, s = 1e9, s[:len(s)-1]
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) || v <= 0 {
		return 0, fmt.Errorf("%q is not a positive rate such as 5e6, 5M or 500k", s)
	}
	return v * mul, nil
}

// Breach is one figure outside its limit; Error is the message the command
// prints, naming the figure, the limit and the measured value.
type Breach struct {
	OpenOrders int
	Phase      string
	Figure     string // "throughput" or "p99"
	Message    string
}

func (b Breach) Error() string { return b.Message }

// Check applies thresholds to every run of r. A threshold on a phase that
// did not run (reveal without sealed orders) is an error, not a pass.
func Check(r *Report, ths []Threshold) ([]Breach, error) {
	var out []Breach
	for _, run := range r.Runs {
		for _, t := range ths {
			p, ok := run.Phase(t.Phase)
			if !ok || p.Ops == 0 {
				return nil, fmt.Errorf("%w: --%s %s: phase %s did not run (reveal needs --sealed > 0)", ErrThreshold, t.Kind, t.Text, t.Phase)
			}
			where := scaleNote(r, run)
			switch t.Kind {
			case MinThroughput:
				if p.OpsPerSec < t.Ops {
					out = append(out, Breach{run.OpenOrders, p.Name, "throughput", fmt.Sprintf("%s%s throughput %s ops/s is below --min-throughput %s",
						where, p.Name, FormatRate(p.OpsPerSec), t.Text)})
				}
			case MaxP99:
				if time.Duration(p.Latency.P99) > t.P99 {
					out = append(out, Breach{run.OpenOrders, p.Name, "p99", fmt.Sprintf("%s%s p99 %s is above --max-p99 %s",
						where, p.Name, time.Duration(p.Latency.P99), t.Text)})
				}
			}
		}
	}
	return out, nil
}

// scaleNote prefixes messages of a scaling run with the scale.
func scaleNote(r *Report, run Run) string {
	if len(r.Runs) < 2 {
		return ""
	}
	return fmt.Sprintf("at %d open orders: ", run.OpenOrders)
}

// Compare checks cur against an earlier result: for every phase in both (at
// every open-order count in both), throughput may fall and p99 may rise by
// at most maxPct percent. Differences in the two configs are returned as
// notes: comparing different loads is allowed but worth saying.
func Compare(cur, base *Report, maxPct float64) (breaches []Breach, notes []string) {
	if d := configDiff(cur.Config, base.Config); d != "" {
		notes = append(notes, "baseline was run with a different config ("+d+"); comparing anyway")
	}
	if cur.Machine.CPUModel != base.Machine.CPUModel || cur.Machine.GOMAXPROCS != base.Machine.GOMAXPROCS {
		notes = append(notes, fmt.Sprintf("baseline machine differs (%q, GOMAXPROCS %d; now %q, %d)",
			base.Machine.CPUModel, base.Machine.GOMAXPROCS, cur.Machine.CPUModel, cur.Machine.GOMAXPROCS))
	}
	compared := 0
	for _, run := range cur.Runs {
		i := slices.IndexFunc(base.Runs, func(b Run) bool { return b.OpenOrders == run.OpenOrders })
		if i < 0 {
			notes = append(notes, fmt.Sprintf("baseline has no run at %d open orders", run.OpenOrders))
			continue
		}
		where := scaleNote(cur, run)
		for _, p := range run.Phases {
			b, ok := base.Runs[i].Phase(p.Name)
			if !ok || b.Ops == 0 || p.Ops == 0 {
				continue
			}
			compared++
			if floor := b.OpsPerSec * (1 - maxPct/100); p.OpsPerSec < floor {
				breaches = append(breaches, Breach{run.OpenOrders, p.Name, "throughput", fmt.Sprintf(
					"%s%s throughput %s ops/s is %.1f%% below the baseline's %s ops/s (--max-regression %g%% allows %s)",
					where, p.Name, FormatRate(p.OpsPerSec), 100*(1-p.OpsPerSec/b.OpsPerSec), FormatRate(b.OpsPerSec), maxPct, FormatRate(floor))})
			}
			if ceil := float64(b.Latency.P99) * (1 + maxPct/100); float64(p.Latency.P99) > ceil {
				breaches = append(breaches, Breach{run.OpenOrders, p.Name, "p99", fmt.Sprintf(
					"%s%s p99 %s is %.1f%% above the baseline's %s (--max-regression %g%% allows %s)",
					where, p.Name, time.Duration(p.Latency.P99), 100*(float64(p.Latency.P99)/float64(b.Latency.P99)-1),
					time.Duration(b.Latency.P99), maxPct, time.Duration(ceil))})
			}
		}
	}
	if compared == 0 {
		notes = append(notes, "no phase in common with the baseline: nothing compared")
	}
	return breaches, notes
}

// configDiff names the workload settings that differ ("orders 1000 vs
// 100000, mix ..."); run length and output settings are left out.
func configDiff(a, b Config) string {
	var d []string
	add := func(name string, x, y any) {
		if x != y {
			d = append(d, fmt.Sprintf("%s %v vs %v", name, x, y))
		}
	}
	add("orders", a.Orders, b.Orders)
	add("bids-per-order", a.BidsPerOrder, b.BidsPerOrder)
	add("mix", a.Mix, b.Mix)
	add("ineligible", a.Ineligible, b.Ineligible)
	add("sealed", a.Sealed, b.Sealed)
	add("pattern", a.Pattern, b.Pattern)
	add("lookup", a.Lookup, b.Lookup)
	add("batch", a.Batch, b.Batch)
	add("cpu", a.CPU, b.CPU)
	return strings.Join(d, ", ")
}

// FormatRate prints an ops/s figure with three significant digits and a
// k/M/G suffix: 3.1M, 512k, 950.
func FormatRate(v float64) string {
	switch {
	case v >= 1e9:
		return trimFloat(v/1e9) + "G"
	case v >= 1e6:
		return trimFloat(v/1e6) + "M"
	case v >= 1e3:
		return trimFloat(v/1e3) + "k"
	}
	return trimFloat(v)
}

func trimFloat(v float64) string {
	s := strconv.FormatFloat(v, 'f', 2, 64)
	if v >= 100 {
		s = strconv.FormatFloat(v, 'f', 0, 64)
	} else if v >= 10 {
		s = strconv.FormatFloat(v, 'f', 1, 64)
	}
	return s
}
