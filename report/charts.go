package report

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"html/template"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// The charts are gonum/plot bar charts rendered by vg/vgsvg and inlined in
// the page. Plotting values are float64 (万元, %); the printed value labels
// come from the exact decimals.

var (
	colorText = color.RGBA{0x22, 0x22, 0x22, 0xff}
	colorAxis = color.RGBA{0x88, 0x88, 0x88, 0xff}
	colorGrid = color.RGBA{0xe3, 0xe5, 0xe8, 0xff}
	// Tableau-like palette: distinguishable, calm, prints in grey.
	palette = []color.Color{
		color.RGBA{0x4c, 0x78, 0xa8, 0xff}, color.RGBA{0xf5, 0x85, 0x18, 0xff},
		color.RGBA{0x54, 0xa2, 0x4b, 0xff}, color.RGBA{0xb2, 0x79, 0xa2, 0xff},
		color.RGBA{0xe4, 0x57, 0x56, 0xff}, color.RGBA{0x72, 0xb7, 0xb2, 0xff},
		color.RGBA{0x9d, 0x75, 0x5d, 0xff}, color.RGBA{0xee, 0xca, 0x3b, 0xff},
	}
)

// chartWidth fits the page's text column (780pt = 1040 CSS px).
const chartWidth = 780 * vg.Length(1)

// label is a chart text in Chinese with the Latin text used when no
// Chinese font is available.
type label struct{ zh, en string }

type barSeries struct {
	name   label
	values []float64 // one per category, in the value axis's unit
	texts  []string  // the value printed at each bar's end; "" prints none
}

type barSpec struct {
	cats       []label
	series     []barSeries
	horizontal bool  // categories down the side, bars to the right
	valueAxis  label // the value axis's title with its unit
}

var errNoData = errors.New("no data to chart")

// bars draws a grouped bar chart and returns it as inline SVG.
func (cf *chartFonts) bars(s barSpec) (template.HTML, error) {
	n, k := len(s.cats), len(s.series)
	if n == 0 || k == 0 {
		return "", errNoData
	}
	cats := make([]string, n)
	for i, c := range s.cats {
		cats[i] = cf.pick(c)
	}
	names := make([]string, k)
	var texts []string
	vmin, vmax := 0.0, 0.0
	for i, sr := range s.series {
		names[i] = cf.pick(sr.name)
		for j, v := range sr.values {
			vmin, vmax = math.Min(vmin, v), math.Max(vmax, v)
			if j < len(sr.texts) && sr.texts[j] != "" {
				texts = append(texts, sr.texts[j])
			}
		}
	}

	p := plot.New()
	p.TextHandler = cf.handler
	p.BackgroundColor = color.White
	valueTitle := cf.pick(s.valueAxis)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.LineStyle.Color, a.LineStyle.Width = colorAxis, vg.Points(0.6)
		a.Tick.LineStyle.Color, a.Tick.LineStyle.Width = colorAxis, vg.Points(0.6)
		setFont(&a.Tick.Label, cf.style(9, "0123456789,.-"))
		setFont(&a.Label.TextStyle, cf.style(10, valueTitle))
		a.Label.Padding = vg.Points(4)
	}
	catAxis, valAxis := &p.X, &p.Y
	if s.horizontal {
		catAxis, valAxis = &p.Y, &p.X
	}
	setFont(&catAxis.Tick.Label, cf.style(9.5, cats...))
	valAxis.Label.Text = valueTitle
	valAxis.Tick.Marker = groupedTicks{}

	grid := plotter.NewGrid()
	grid.Vertical.Color, grid.Horizontal.Color = colorGrid, colorGrid
	grid.Vertical.Width, grid.Horizontal.Width = vg.Points(0.6), vg.Points(0.6)
	if s.horizontal {
		grid.Horizontal.Color = nil
	} else {
		grid.Vertical.Color = nil
	}
	p.Add(grid)

	barW := vg.Points(10)
	if k == 1 {
		barW = vg.Points(14)
	}
	if !s.horizontal {
		barW = min(vg.Points(34), (chartWidth-vg.Points(120))/vg.Length(n*k+n))
	}
	valStyle := cf.style(8, texts...)
	// Horizontal: category 0 at the top, so positions run n-1 … 0.
	pos := func(j int) float64 {
		if s.horizontal {
			return float64(n - 1 - j)
		}
		return float64(j)
	}
	bars := make([]*plotter.BarChart, k)
	for i, sr := range s.series {
		vals := make(plotter.Values, n)
		for j := range n {
			if j < len(sr.values) {
				vals[int(pos(j))] = sr.values[j]
			}
		}
		b, err := plotter.NewBarChart(vals, barW)
		if err != nil {
			return "", fmt.Errorf("bar chart: %w", err)
		}
		b.Horizontal = s.horizontal
		b.Color = palette[i%len(palette)]
		b.LineStyle.Width = 0
		off := (vg.Length(i) - vg.Length(k-1)/2) * barW
		if s.horizontal {
			off = -off // first series on top
		}
		b.Offset = off
		p.Add(b)
		bars[i] = b

		// Value labels, beyond the bar's end (left of negative bars).
		for _, positive := range []bool{true, false} {
			var xys plotter.XYs
			var strs []string
			for j := range n {
				if j >= len(sr.texts) || sr.texts[j] == "" || j >= len(sr.values) || (sr.values[j] >= 0) != positive {
					continue
				}
				if s.horizontal {
					xys = append(xys, plotter.XY{X: sr.values[j], Y: pos(j)})
				} else {
					xys = append(xys, plotter.XY{X: pos(j), Y: sr.values[j]})
				}
				strs = append(strs, sr.texts[j])
			}
			if len(xys) == 0 {
				continue
			}
			l, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: strs})
			if err != nil {
				return "", fmt.Errorf("value labels: %w", err)
			}
			sty := valStyle
			gap := vg.Points(3)
			if s.horizontal {
				sty.YAlign = text.YCenter
				if positive {
					sty.XAlign = text.XLeft
					l.Offset = vg.Point{X: gap, Y: off}
				} else {
					sty.XAlign = text.XRight
					l.Offset = vg.Point{X: -gap, Y: off}
				}
			} else {
				sty.XAlign = text.XCenter
				if positive {
					sty.YAlign = text.YBottom
					l.Offset = vg.Point{X: off, Y: gap}
				} else {
					sty.YAlign = text.YTop
					l.Offset = vg.Point{X: off, Y: -gap}
				}
			}
			for i := range l.TextStyle {
				l.TextStyle[i] = sty
			}
			p.Add(l)
		}
	}

	// Ranges after Add (which widens them to the data): room for the value
	// labels at both ends, categories centred in their slots.
	span := vmax - vmin
	if span == 0 {
		span, vmax = 1, 1
	}
	head := 0.0
	if len(texts) > 0 {
		head = 0.16
	}
	valAxis.Min, valAxis.Max = vmin, vmax+head*span
	if vmin < 0 {
		valAxis.Min = vmin - head*span
		zero, err := plotter.NewLine(zeroLine(s.horizontal, n))
		if err != nil {
			return "", fmt.Errorf("zero line: %w", err)
		}
		zero.LineStyle.Color, zero.LineStyle.Width = colorAxis, vg.Points(0.8)
		p.Add(zero)
	}
	catAxis.Min, catAxis.Max = -0.5, float64(n)-0.5
	if s.horizontal {
		p.NominalY(reversed(cats)...)
	} else {
		p.NominalX(cats...)
	}
	catAxis.Min, catAxis.Max = -0.5, float64(n)-0.5

	legendH := vg.Length(0)
	if k > 1 {
		legendH = vg.Points(22)
	}
	height := vg.Points(250) + legendH
	if s.horizontal {
		height = vg.Length(n)*(vg.Length(k)*barW+vg.Points(14)) + vg.Points(46) + legendH
	}
	c := vgsvg.New(chartWidth, height)
	dc := draw.New(c)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	area := draw.Crop(dc, vg.Points(4), -vg.Points(12), vg.Points(4), -legendH-vg.Points(6))
	p.Draw(area)

	// Legend: one row above the plot, entries side by side.
	if k > 1 {
		x := area.Min.X
		for i, name := range names {
			l := plot.NewLegend()
			l.TextStyle = cf.style(10, name)
			l.Top, l.Left = true, true
			l.ThumbnailWidth = vg.Points(11)
			l.Add(name, bars[i])
			w := l.ThumbnailWidth + l.TextStyle.Width(" ") + l.TextStyle.Width(name)
			strip := draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{
				Min: vg.Point{X: x, Y: dc.Max.Y - legendH},
				Max: vg.Point{X: x + w, Y: dc.Max.Y - vg.Points(4)},
			}}
			l.Draw(strip)
			x += w + vg.Points(16)
		}
	}

	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return "", fmt.Errorf("write SVG: %w", err)
	}
	return inlineSVG(buf.Bytes())
}

// setFont gives dst the font, colour and handler of src, keeping the
// alignment and rotation gonum/plot chose for it.
func setFont(dst *text.Style, src text.Style) {
	dst.Font, dst.Color, dst.Handler = src.Font, src.Color, src.Handler
}

// inlineSVG drops the XML prolog and comment vgsvg writes before <svg, so
// the chart can sit in HTML. vgsvg escapes the text it draws.
func inlineSVG(b []byte) (template.HTML, error) {
	i := bytes.Index(b, []byte("<svg"))
	if i < 0 {
		return "", errors.New("vgsvg wrote no <svg> element")
	}
	return template.HTML(b[i:]), nil // #nosec G203 -- generated by vgsvg, text escaped there
}

func zeroLine(horizontal bool, n int) plotter.XYs {
	if horizontal {
		return plotter.XYs{{X: 0, Y: -0.5}, {X: 0, Y: float64(n) - 0.5}}
	}
	return plotter.XYs{{X: -0.5, Y: 0}, {X: float64(n) - 0.5, Y: 0}}
}

func reversed(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[len(s)-1-i] = v
	}
	return out
}

// groupedTicks puts about six labelled ticks on a value axis, at steps of
// 1, 2, 2.5 or 5 × 10ⁿ, labelled with thousands separators (gonum's
// default gives only two or three on a wide axis).
type groupedTicks struct{}

func (groupedTicks) Ticks(lo, hi float64) []plot.Tick {
	span := hi - lo
	if !(span > 0) || math.IsInf(span, 0) {
		return plot.DefaultTicks{}.Ticks(lo, hi)
	}
	raw := span / 6
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * mag
	for _, m := range []float64{1, 2, 2.5, 5} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	first := math.Ceil(lo/step) * step
	var ts []plot.Tick
	for i := 0; ; i++ {
		v := first + float64(i)*step
		if v > hi+step*1e-9 {
			break
		}
		s := strconv.FormatFloat(v, 'f', 6, 64)
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
		if s == "-0" {
			s = "0"
		}
		ts = append(ts, plot.Tick{Value: v, Label: group(s)})
	}
	return ts
}

// drawCharts renders every chart of the report.
func (r *Report) drawCharts(cf *chartFonts) error {
	render := func(ch *Chart, s barSpec) error {
		svg, err := cf.bars(s)
		if errors.Is(err, errNoData) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", ch.Caption, err)
		}
		ch.SVG = svg
		r.Charts++
		return nil
	}
	wan := label{"金额（万元）", "10,000 yuan"}
	for _, dep := range r.Departments {
		yearSeries := func(values func(d *DocYear) []Money) []barSeries {
			var out []barSeries
			for _, d := range dep.Years {
				sr := barSeries{name: label{d.Label(), latinYear(d)}}
				for _, m := range values(d) {
					sr.values = append(sr.values, m.wanFloat())
					sr.texts = append(sr.texts, moneyText(m))
				}
				out = append(out, sr)
			}
			return out
		}

		// Spending by 功能分类 类, every year's bars side by side.
		var classes []FunctionClass
		seen := map[string]bool{}
		for _, d := range dep.Years {
			for _, f := range d.Functions {
				if k := f.Code + f.Name; !seen[k] {
					seen[k] = true
					classes = append(classes, f)
				}
			}
		}
		sortClasses(classes)
		dep.FunctionChart.Caption = "按支出功能分类（类）的支出"
		var cats []label
		for _, c := range classes {
			cats = append(cats, label{c.Name, c.Code})
		}
		err := render(&dep.FunctionChart, barSpec{cats: cats, horizontal: true, valueAxis: wan,
			series: yearSeries(func(d *DocYear) []Money {
				out := make([]Money, len(classes))
				for i, c := range classes {
					for _, f := range d.Functions {
						if f.Code == c.Code && f.Name == c.Name {
							out[i] = f.Total
						}
					}
				}
				return out
			})})
		if err != nil {
			return err
		}
		if dep.FunctionChart.SVG == "" {
			dep.FunctionChart.Note = "预算支出总表没有按功能分类列出的类级科目。"
		}

		dep.CompositionChart.Caption = "基本支出与项目支出；基本支出中的人员经费与公用经费"
		if err := render(&dep.CompositionChart, barSpec{valueAxis: wan,
			cats: []label{{"基本支出", "basic"}, {"项目支出", "project"}, {"人员经费", "personnel"}, {"公用经费", "public expense"}},
			series: yearSeries(func(d *DocYear) []Money {
				return []Money{d.Basic, d.Project, d.Personnel, d.Public}
			})}); err != nil {
			return err
		}

		dep.TrendChart.Caption = "历年收支（已加载的各年度）"
		trend := barSpec{valueAxis: wan}
		for _, d := range dep.Years {
			trend.cats = append(trend.cats, label{d.Label(), latinYear(d)})
		}
		for i, m := range []struct {
			name label
			get  func(*DocYear) Money
		}{
			{label{"收入总计", "income total"}, func(d *DocYear) Money { return d.Income }},
			{label{"基本支出", "basic"}, func(d *DocYear) Money { return d.Basic }},
			{label{"项目支出", "project"}, func(d *DocYear) Money { return d.Project }},
			{label{"上年结转", "carry-over"}, func(d *DocYear) Money { return d.Carryover }},
		} {
			trend.series = append(trend.series, barSeries{name: m.name})
			for _, d := range dep.Years {
				trend.series[i].values = append(trend.series[i].values, m.get(d).wanFloat())
				trend.series[i].texts = append(trend.series[i].texts, moneyText(m.get(d)))
			}
		}
		if err := render(&dep.TrendChart, trend); err != nil {
			return err
		}
		if len(dep.Years) == 1 {
			dep.TrendChart.Note = "只加载了一个年度，没有同比。"
		}
	}

	// Across departments: one bar per department and year.
	docCats := func(ds []*DocYear) []label {
		var out []label
		for _, d := range ds {
			out = append(out, label{d.Name + " " + d.Label(), d.Dept.Short + " " + latinYear(d)})
		}
		return out
	}
	ratioSeries := func(name label, ds []*DocYear, get func(*DocYear) Ratio, unit string) barSeries {
		sr := barSeries{name: name}
		for _, d := range ds {
			v := get(d)
			sr.values = append(sr.values, v.float())
			t := ""
			if v.Valid {
				t = v.String() + unit
			}
			sr.texts = append(sr.texts, t)
		}
		return sr
	}
	c := &r.Compare
	var staffed []*DocYear
	for _, d := range r.Years {
		if d.PerStaff.Valid {
			staffed = append(staffed, d)
		}
	}
	c.PerStaffChart.Caption = "人均支出：支出总计 ÷ 实有人数"
	if err := render(&c.PerStaffChart, barSpec{cats: docCats(staffed), horizontal: true,
		valueAxis: label{"万元/人", "10,000 yuan per person"},
		series:    []barSeries{ratioSeries(label{"人均支出", "per staff"}, staffed, func(d *DocYear) Ratio { return d.PerStaff }, "")}}); err != nil {
		return err
	}
	if len(staffed) < len(r.Years) {
		c.PerStaffChart.Note = "未说明实有人数的部门不在图中。"
	}

	c.ShareChart.Caption = "项目支出占比与人员经费占比"
	if err := render(&c.ShareChart, barSpec{cats: docCats(r.Years), horizontal: true,
		valueAxis: label{"占比（%）", "share (%)"},
		series: []barSeries{
			ratioSeries(label{"项目支出 ÷ (基本+项目)", "project / (basic + project)"}, r.Years, func(d *DocYear) Ratio { return d.ProjectShare }, "%"),
			ratioSeries(label{"人员经费 ÷ 基本支出", "personnel / basic"}, r.Years, func(d *DocYear) Ratio { return d.PersonnelShare }, "%"),
		}}); err != nil {
		return err
	}

	c.SmallTablesChart.Caption = "“三公”经费与机关运行经费"
	small := barSpec{cats: docCats(r.Years), horizontal: true, valueAxis: wan}
	for _, m := range []struct {
		name label
		get  func(*DocYear) TableFigure
	}{
		{label{"“三公”经费", "three public"}, func(d *DocYear) TableFigure { return d.ThreePublic }},
		{label{"机关运行经费", "operating"}, func(d *DocYear) TableFigure { return d.Operating }},
	} {
		sr := barSeries{name: m.name}
		for _, d := range r.Years {
			f := m.get(d)
			sr.values = append(sr.values, f.wanFloat())
			t := moneyText(f.Money)
			if f.Status == "missing" {
				t = "未公开"
				if !cf.hasCJK() {
					t = "n/a"
				}
			}
			sr.texts = append(sr.texts, t)
		}
		small.series = append(small.series, sr)
	}
	if err := render(&c.SmallTablesChart, small); err != nil {
		return err
	}

	c.GrowthChart.Caption = "增长率：与上一年度相比"
	if err := render(&c.GrowthChart, barSpec{cats: docCats(c.Growth), horizontal: true,
		valueAxis: label{"增长率（%）", "change (%)"},
		series: []barSeries{
			ratioSeries(label{"收入总计", "income total"}, c.Growth, func(d *DocYear) Ratio { return d.Growth.IncomePct }, "%"),
			ratioSeries(label{"一般公共预算拨款", "general public budget"}, c.Growth, func(d *DocYear) Ratio { return d.Growth.GeneralBudgetPct }, "%"),
		}}); err != nil {
		return err
	}
	if len(c.Growth) == 0 {
		c.GrowthChart.Note = "没有部门加载了相邻两个年度的文件，无法计算增长率。"
	}
	return nil
}

// moneyText is a bar's printed value in 万元; none when there is no figure.
func moneyText(m Money) string {
	if !m.Valid {
		return ""
	}
	return m.Wan()
}

func latinYear(d *DocYear) string {
	if d.Stage == "final_account" {
		return strconv.FormatInt(d.Year, 10) + " final"
	}
	return strconv.FormatInt(d.Year, 10)
}

// sortClasses orders function classes by code (uncoded last, by name).
func sortClasses(cs []FunctionClass) {
	slices.SortStableFunc(cs, func(a, b FunctionClass) int {
		if (a.Code == "") != (b.Code == "") {
			if a.Code == "" {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(a.Code, b.Code), cmp.Compare(a.Name, b.Name))
	})
}
