package reports

import (
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
)

// niceTicks places about n major ticks at round values (steps of 1, 2, 2.5
// or 5 times a power of ten) with minor ticks between them, and labels the
// majors for people: the fewest decimals that keep the labels distinct and
// exact ("0.25", not "0.250"), SI suffixes for large magnitudes ("86.4k",
// "1.2M"), scientific form only for tiny ones. (gonum's default aims at three
// ticks, too few to read a value off a plot.)
type niceTicks struct{ n int }

func (t niceTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) || !finite(lo) || !finite(hi) {
		return plot.DefaultTicks{}.Ticks(lo, hi)
	}
	n := max(t.n, 2)
	// Among round steps near (hi-lo)/n, take the one whose tick count is
	// closest to n+½, preferring 1 and 2 and 5 to 2.5 a little (Talbot's
	// "simplicity"): 0..20 gets 0,5,..,20 rather than 0,2.5,..,20.
	e := math.Floor(math.Log10((hi - lo) / float64(n)))
	var step, minorDiv float64
	best := math.Inf(1)
	for _, mag := range []float64{math.Pow(10, e-1), math.Pow(10, e), math.Pow(10, e+1)} {
		for _, c := range []struct{ m, div, penalty float64 }{{1, 5, 0}, {2, 4, 0.25}, {2.5, 5, 0.5}, {5, 5, 0.25}} {
			st := c.m * mag
			count := math.Floor(hi/st+1e-9) - math.Ceil(lo/st-1e-9) + 1
			if score := math.Abs(count-float64(n)-0.5) + c.penalty; score < best {
				step, minorDiv, best = st, c.div, score
			}
		}
	}
	minor := step / minorDiv
	eps := step * 1e-9
	var majors []float64
	for k := math.Ceil((lo - eps) / step); k*step <= hi+eps; k++ {
		majors = append(majors, k*step+0) // +0 turns -0 into 0
	}
	labels := tickLabels(majors)
	ticks := make([]plot.Tick, 0, len(majors)*int(minorDiv))
	for i, v := range majors {
		ticks = append(ticks, plot.Tick{Value: v, Label: labels[i]})
	}
	for k := math.Ceil((lo - eps) / minor); k*minor <= hi+eps; k++ {
		if r := math.Mod(k, minorDiv); r != 0 {
			ticks = append(ticks, plot.Tick{Value: k * minor})
		}
	}
	return ticks
}

// siSuffixes are used from 10^4 up: "12k" reads faster than "12000" and
// "1.5M" than "1.5e+06".
var siSuffixes = []struct {
	div    float64
	suffix string
}{{1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}}

// tickLabels formats values that are evenly spaced, as axis ticks are.
func tickLabels(vs []float64) []string {
	if len(vs) == 0 {
		return nil
	}
	var big float64
	for _, v := range vs {
		big = max(big, math.Abs(v))
	}
	div, suffix := 1.0, ""
	if big >= 1e4 {
		for _, s := range siSuffixes {
			if big >= s.div {
				div, suffix = s.div, s.suffix
				break
			}
		}
	}
	step := 0.0
	if len(vs) > 1 {
		step = math.Abs(vs[1]-vs[0]) / div
	}
	if big > 0 && big < 1e-3 {
		return formatAll(vs, func(v float64, d int) string { return strconv.FormatFloat(v, 'g', d+1, 64) }, 1, step)
	}
	return formatAll(vs, func(v float64, d int) string {
		if v == 0 && suffix != "" {
			return "0" // "0k" reads oddly
		}
		return strconv.FormatFloat(v/div, 'f', d, 64) + suffix
	}, div, step)
}

// formatAll picks the smallest precision d at which every label is within a
// thousandth of a step of its value and all labels are distinct: up to 6
// decimals, or as many as the step needs on a narrow range (0.1999991,
// 0.1999992, ... rather than 0.199999 four times).
func formatAll(vs []float64, f func(v float64, d int) string, div, step float64) []string {
	out := make([]string, len(vs))
	maxD := 6
	if step > 0 && finite(step) {
		maxD = min(max(maxD, int(math.Ceil(-math.Log10(step)))+1), 17)
	}
	for d := 0; d <= maxD; d++ {
		ok := true
		seen := make(map[string]bool, len(vs))
		for i, v := range vs {
			s := f(v, d)
			if s == "-0" || strings.HasPrefix(s, "-0") && strings.Trim(s, "-0.kMGT") == "" {
				s = strings.TrimPrefix(s, "-")
			}
			out[i] = s
			if seen[s] {
				ok = false
			}
			seen[s] = true
			if step > 0 {
				num := strings.TrimRight(s, "kMGT")
				back, err := strconv.ParseFloat(num, 64)
				if err != nil || math.Abs(back-v/div) > step*1e-3 {
					ok = false
				}
			}
		}
		if ok {
			return out
		}
	}
	return out
}
