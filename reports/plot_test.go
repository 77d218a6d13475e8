package reports

import (
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/akash-market/akash/reports/stats"
)

// Plots that real runs produce at their edges render without panics: no
// data, all NaN, one point, a constant, a band that is NaN everywhere.
func TestRenderEdgeCases(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name string
		p    Plot
	}{
		{"no series", Plot{Title: "empty"}},
		{"empty series", Plot{Series: []Series{{Name: "x"}}}},
		{"all NaN", Plot{Series: []Series{{Name: "x", X: []float64{1, 2}, Y: []float64{nan, nan}}}}},
		{"one point", Plot{Series: []Series{{Name: "x", X: []float64{3}, Y: []float64{4}}}}},
		{"constant", Plot{YFromZero: true, Series: []Series{{Name: "x", X: []float64{0, 1, 2}, Y: []float64{5, 5, 5}}}}},
		{"zero constant", Plot{Series: []Series{{X: []float64{0, 1}, Y: []float64{0, 0}}}}},
		{"NaN band", Plot{Series: []Series{{Name: "x", X: []float64{0, 1}, Y: []float64{1, 2}, Lo: []float64{nan, nan}, Hi: []float64{nan, nan}}}}},
		{"inf x", Plot{Series: []Series{{Name: "x", X: []float64{math.Inf(1), 1, 2}, Y: []float64{1, 2, 3}}}}},
		{"many series", Plot{Series: func() []Series {
			var ss []Series
			for i := range 20 {
				ss = append(ss, Series{Name: "s" + strconv.Itoa(i), X: []float64{0, 1}, Y: []float64{float64(i), float64(i + 1)}})
			}
			return ss
		}()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			svg, err := RenderSVG(tc.p)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(svg), "</svg>") {
				t.Fatalf("not an SVG")
			}
		})
	}
}

// Decimation keeps long series light but keeps what the eye needs: the first
// and last point, every spike, every gap.
func TestDecimate(t *testing.T) {
	n := 100_000
	s := Series{X: make([]float64, n), Y: make([]float64, n)}
	for i := range n {
		s.X[i] = float64(i)
		s.Y[i] = math.Sin(float64(i) / 1000)
	}
	s.Y[31_337] = 50         // a spike
	s.Y[77_777] = -50        // a dip
	s.Y[50_001] = math.NaN() // a gap
	idx := decimate(s)
	if len(idx) > maxDrawnPoints {
		t.Fatalf("kept %d points, limit %d", len(idx), maxDrawnPoints)
	}
	keep := map[int]bool{}
	for k, i := range idx {
		if k > 0 && i <= idx[k-1] {
			t.Fatalf("indices not increasing at %d", k)
		}
		keep[i] = true
	}
	for _, i := range []int{0, n - 1, 31_337, 77_777, 50_001} {
		if !keep[i] {
			t.Errorf("point %d was dropped", i)
		}
	}
	if short := decimate(Series{X: make([]float64, 10), Y: make([]float64, 10)}); len(short) != 10 {
		t.Errorf("a short series lost points: %v", short)
	}
}

func TestCISeriesAndLorenzPlot(t *testing.T) {
	sums := []stats.Summary{stats.Summarize([]float64{1, 2, 3}), stats.Summarize([]float64{4})}
	s := CISeries("m", []float64{10, 20}, sums)
	if s.Y[0] != 2 || !(s.Lo[0] < 2 && s.Hi[0] > 2) || !math.IsNaN(s.Lo[1]) || !s.Points {
		t.Errorf("CISeries = %+v", s)
	}
	big := make([]float64, 10_000)
	for i := range big {
		big[i] = float64(i % 97)
	}
	p, err := LorenzPlot("l", "L", "providers", []string{"a"}, [][]float64{big})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Series) != 2 || !p.Series[0].Reference || len(p.Series[1].X) != maxLorenzPoints || !strings.HasPrefix(p.Series[1].Name, "a (Gini 0.") {
		t.Errorf("LorenzPlot series = %d, first ref %v, points %d, name %q", len(p.Series), p.Series[0].Reference, len(p.Series[1].X), p.Series[1].Name)
	}
	if x := p.Series[1].X; x[0] != 0 || x[len(x)-1] != 1 {
		t.Errorf("thinned Lorenz curve lost its ends: %v … %v", x[0], x[len(x)-1])
	}
	if _, err := LorenzPlot("l", "L", "p", []string{"a"}, [][]float64{{-1}}); err == nil {
		t.Errorf("negative amounts accepted")
	}
}

// BenchmarkWriteLeases writes a leases.csv the size of the large scenario's
// (1,000,000 rows of 10 cells) with the summary, HTML and one plot.
func BenchmarkWriteLeases(b *testing.B) {
	const rows = 1_000_000
	t := Table{File: "leases", Header: []string{"lease", "tenant", "provider", "region", "opened_s", "closed_s", "price", "paid", "reason", "bids"}}
	t.Rows = make([][]string, rows)
	for i := range rows {
		id := strconv.Itoa(i)
		t.Rows[i] = []string{id + "/1/1", "t" + id, "p" + strconv.Itoa(i%10000), "us-west", strconv.Itoa(i * 6), strconv.Itoa(i*6 + 3600), "12.500000000000000000", "1234.560000000000000000", "closed_by_tenant", "10"}
	}
	run := Run{Title: "bench", Summary: map[string]int{"leases": rows}, Tables: []Table{t}}
	dir := filepath.Join(b.TempDir(), "out")
	b.ReportAllocs()
	for b.Loop() {
		if err := Write(dir, run); err != nil {
			b.Fatal(err)
		}
	}
}
