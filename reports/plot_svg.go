package reports

import (
	"bytes"
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// RenderSVG draws p as an SVG document, the same bytes Write stores for it.
// Sweeps call it for plots that are not part of a Run.
func RenderSVG(p Plot) ([]byte, error) {
	if err := p.check(fmt.Sprintf("plot %q", p.File)); err != nil {
		return nil, err
	}
	return renderSVG(p)
}

func renderSVG(p Plot) ([]byte, error) {
	pl := plot.New()
	styleAxes(pl)
	pl.Title.Text = p.Title
	pl.X.Label.Text = p.XLabel
	pl.Y.Label.Text = p.YLabel

	grid := plotter.NewGrid()
	grid.Vertical = draw.LineStyle{Color: gridColor, Width: vg.Points(0.5)}
	grid.Horizontal = grid.Vertical
	pl.Add(grid)

	legend := plot.NewLegend()
	legend.TextStyle.Font = sans(9, false)
	legend.TextStyle.Color = axisColor
	legend.Left, legend.Top = true, true
	legend.ThumbnailWidth = vg.Points(18)
	legend.Padding = vg.Points(3)

	// Bands first, so that every line is drawn over every band.
	type drawn struct {
		line  draw.LineStyle
		color color.NRGBA
		idx   []int
	}
	styles := make([]drawn, len(p.Series))
	colorIdx := 0
	for i, s := range p.Series {
		d := drawn{idx: decimate(s)}
		if s.Reference {
			d.line = referenceStyle()
		} else {
			d.line, d.color = seriesStyle(colorIdx)
			colorIdx++
		}
		styles[i] = d
		if s.Lo == nil || s.Reference {
			continue
		}
		fill := d.color
		fill.A = bandAlpha
		for _, ring := range bandRings(s, d.idx) {
			poly, err := plotter.NewPolygon(ring)
			if err != nil {
				return nil, fmt.Errorf("plot %q series %q band: %w", p.File, s.Name, err)
			}
			poly.Color = fill
			poly.LineStyle.Width = 0
			pl.Add(poly)
		}
	}
	for i, s := range p.Series {
		d := styles[i]
		glyph := draw.GlyphStyle{Color: d.line.Color, Radius: vg.Points(2.2), Shape: draw.CircleGlyph{}}
		var thumbs []plot.Thumbnailer
		if s.Lo != nil && !s.Reference {
			fill := d.color
			fill.A = bandAlpha
			thumbs = append(thumbs, &plotter.Polygon{Color: fill})
		}
		line := &plotter.Line{LineStyle: d.line}
		thumbs = append(thumbs, line)
		for _, run := range lineRuns(s.X, s.Y, d.idx) {
			if len(run) == 1 && !s.Points {
				// A lone point between gaps would vanish as a line.
				sc := &plotter.Scatter{XYs: run, GlyphStyle: glyph}
				pl.Add(sc)
				continue
			}
			l := &plotter.Line{XYs: run, LineStyle: d.line}
			pl.Add(l)
		}
		if s.Points {
			sc := &plotter.Scatter{XYs: finitePoints(s.X, s.Y, d.idx), GlyphStyle: glyph}
			pl.Add(sc)
			thumbs = append(thumbs, sc)
		}
		if s.Name != "" {
			legend.Add(s.Name, thumbs...)
		}
	}
	setRanges(pl, p)

	c := vgsvg.New(plotWidth, plotHeight)
	dc := draw.New(c)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	area := draw.Crop(dc, vg.Points(4), -vg.Points(8), vg.Points(2), -vg.Points(6))
	areaW := area.Max.X - area.Min.X
	legendW := vg.Length(0)
	if legendHasEntries(p) {
		r := legend.Rectangle(area)
		// Beside the data, never over it: lines crossing a legend box are
		// the commonest flaw of automatic plots.
		legendW = min(r.Max.X-r.Min.X+vg.Points(10), areaW-vg.Points(200))
	}
	plotW := areaW - legendW
	if p.UnitSquare {
		// Equal scales on both axes, so the diagonal is at 45°: the data
		// area is square once the axes' ticks and labels (about 55 pt on
		// the left, 45 pt below) are taken off.
		plotW = min(plotW, area.Max.Y-area.Min.Y-vg.Points(45)+vg.Points(55))
	}
	pl.Draw(draw.Crop(area, 0, plotW-areaW, 0, 0))
	if legendW > 0 {
		titleH := vg.Length(0)
		if p.Title != "" {
			titleH = pl.Title.TextStyle.Rectangle(p.Title).Max.Y + pl.Title.Padding
		}
		legend.Draw(draw.Crop(area, plotW+vg.Points(10), 0, 0, -titleH-vg.Points(2)))
	}
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("plot %q: writing SVG: %w", p.File, err)
	}
	return fixFonts(buf.Bytes()), nil
}

func legendHasEntries(p Plot) bool {
	for _, s := range p.Series {
		if s.Name != "" {
			return true
		}
	}
	return false
}

// fixFonts gives the SVG's font-family a fallback list: the layout was
// measured with Liberation Sans, whose metrics Arial and Helvetica share, and
// a viewer without any of them should still pick a sans-serif face.
func fixFonts(svg []byte) []byte {
	return bytes.ReplaceAll(svg, []byte("font-family:Liberation Sans;"),
		[]byte("font-family:'Liberation Sans',Arial,Helvetica,sans-serif;"))
}

// setRanges fits the axes to the finite data (bands included), pads the y
// axis a little so lines do not run along the frame, and applies the plot's
// YFromZero and UnitSquare wishes.
func setRanges(pl *plot.Plot, p Plot) {
	xmin, xmax := math.Inf(1), math.Inf(-1)
	ymin, ymax := math.Inf(1), math.Inf(-1)
	for _, s := range p.Series {
		for i := range s.X {
			if !finite(s.X[i]) {
				continue
			}
			ys := []float64{s.Y[i]}
			if s.Lo != nil {
				ys = append(ys, s.Lo[i], s.Hi[i])
			}
			for _, y := range ys {
				if !finite(y) {
					continue
				}
				xmin, xmax = min(xmin, s.X[i]), max(xmax, s.X[i])
				ymin, ymax = min(ymin, y), max(ymax, y)
			}
		}
	}
	if p.UnitSquare {
		pl.X.Min, pl.X.Max, pl.Y.Min, pl.Y.Max = 0, 1, 0, 1
		return
	}
	if xmin > xmax { // no finite data at all
		xmin, xmax, ymin, ymax = 0, 1, 0, 1
	}
	xmin, xmax = widen(xmin, xmax)
	if p.YFromZero {
		ymin, ymax = min(ymin, 0), max(ymax, 0)
	}
	ymin, ymax = widen(ymin, ymax)
	pad := (ymax - ymin) * 0.04
	if !(p.YFromZero && ymin == 0) {
		ymin -= pad
	}
	if !(p.YFromZero && ymax == 0) {
		ymax += pad
	}
	pl.X.Min, pl.X.Max, pl.Y.Min, pl.Y.Max = xmin, xmax, ymin, ymax
}

// widen turns an empty range (a constant series) into one the ticker can
// label: ±10% around the value, or ±1 around zero.
func widen(lo, hi float64) (float64, float64) {
	if lo < hi {
		return lo, hi
	}
	d := math.Abs(lo) * 0.1
	if d == 0 {
		d = 1
	}
	return lo - d, hi + d
}

// lineRuns splits the selected points of a series into runs of finite points;
// a NaN or infinite point ends a run, leaving a visible gap.
func lineRuns(x, y []float64, idx []int) []plotter.XYs {
	var runs []plotter.XYs
	var cur plotter.XYs
	for _, i := range idx {
		if finite(x[i]) && finite(y[i]) {
			cur = append(cur, plotter.XY{X: x[i], Y: y[i]})
			continue
		}
		if len(cur) > 0 {
			runs = append(runs, cur)
			cur = nil
		}
	}
	if len(cur) > 0 {
		runs = append(runs, cur)
	}
	return runs
}

func finitePoints(x, y []float64, idx []int) plotter.XYs {
	var pts plotter.XYs
	for _, i := range idx {
		if finite(x[i]) && finite(y[i]) {
			pts = append(pts, plotter.XY{X: x[i], Y: y[i]})
		}
	}
	return pts
}

// bandRings returns one closed outline per run of points where X, Lo and Hi
// are all finite: along Hi forwards, then along Lo backwards.
func bandRings(s Series, idx []int) []plotter.XYs {
	var rings []plotter.XYs
	var run []int
	flush := func() {
		if len(run) >= 2 {
			ring := make(plotter.XYs, 0, 2*len(run))
			for _, i := range run {
				ring = append(ring, plotter.XY{X: s.X[i], Y: s.Hi[i]})
			}
			for k := len(run) - 1; k >= 0; k-- {
				ring = append(ring, plotter.XY{X: s.X[run[k]], Y: s.Lo[run[k]]})
			}
			rings = append(rings, ring)
		}
		run = run[:0]
	}
	for _, i := range idx {
		if finite(s.X[i]) && finite(s.Lo[i]) && finite(s.Hi[i]) {
			run = append(run, i)
			continue
		}
		flush()
	}
	flush()
	return rings
}
