package reports

import (
	"image/color"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Plot geometry: a 16:9-ish figure that reads at 100% in the HTML report and
// still prints on A4.
const (
	plotWidth  = 540 // points
	plotHeight = 300
)

// palette is Okabe & Ito's colour-blind-safe set (minus yellow, which vanishes
// on white), in the order that keeps neighbours distinguishable.
var palette = []color.NRGBA{
	{0x00, 0x72, 0xB2, 0xFF}, // blue
	{0xD5, 0x5E, 0x00, 0xFF}, // vermillion
	{0x00, 0x9E, 0x73, 0xFF}, // bluish green
	{0xCC, 0x79, 0xA7, 0xFF}, // reddish purple
	{0xE6, 0x9F, 0x00, 0xFF}, // orange
	{0x56, 0xB4, 0xE9, 0xFF}, // sky blue
	{0x00, 0x00, 0x00, 0xFF}, // black
}

// dashes cycle once the palette is used up, so series 8 differs from series 1.
var dashes = [][]vg.Length{
	nil,
	{vg.Points(6), vg.Points(3)},
	{vg.Points(1.5), vg.Points(2)},
	{vg.Points(6), vg.Points(2), vg.Points(1.5), vg.Points(2)},
}

var (
	gridColor      = color.NRGBA{0xE3, 0xE3, 0xE3, 0xFF}
	referenceColor = color.NRGBA{0x80, 0x80, 0x80, 0xFF}
	axisColor      = color.NRGBA{0x44, 0x44, 0x44, 0xFF}
)

// bandAlpha makes a confidence band visible without hiding the grid or a
// neighbouring band.
const bandAlpha = 0x38

func seriesStyle(i int) (draw.LineStyle, color.NRGBA) {
	c := palette[i%len(palette)]
	return draw.LineStyle{
		Color:    c,
		Width:    vg.Points(1.4),
		Dashes:   dashes[(i/len(palette))%len(dashes)],
		DashOffs: 0,
	}, c
}

func referenceStyle() draw.LineStyle {
	return draw.LineStyle{Color: referenceColor, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}
}

func sans(size vg.Length, bold bool) font.Font {
	f := font.Font{Typeface: "Liberation", Variant: "Sans", Size: size}
	if bold {
		f.Weight = xfont.WeightBold
	}
	return f
}

// styleAxes sets the fonts, colours and tickers shared by every plot. Text is
// measured with the embedded Liberation Sans metrics, so layout never depends
// on the fonts installed on the machine that writes the report.
func styleAxes(p *plot.Plot) {
	p.Title.TextStyle.Font = sans(12, true)
	p.Title.Padding = vg.Points(8)
	p.X.Tick.Marker = niceTicks{n: 6}
	p.Y.Tick.Marker = niceTicks{n: 5}
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = sans(10, false)
		a.Label.TextStyle.Color = axisColor
		a.Tick.Label.Font = sans(9, false)
		a.Tick.Label.Color = axisColor
		a.Tick.LineStyle.Color = axisColor
		a.LineStyle.Color = axisColor
		a.Padding = vg.Points(3)
	}
	p.X.Label.Padding = vg.Points(2)
	p.Y.Label.Padding = vg.Points(4)
}
