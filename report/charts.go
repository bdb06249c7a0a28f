package report

import (
	"cmp"
	"errors"
	"fmt"
	"html"
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// The charts are bar charts written as SVG by this file and inlined in the
// page. Their text is SVG <text> in Chinese, set in the page's font list and
// laid out by the browser: nothing here reads a font file, so a report made
// on a machine without Chinese fonts reads in Chinese wherever the browser
// has them. Text widths are estimated from display width (textWidth) only to
// reserve room; alignment is left to text-anchor. Plotting values are
// float64 (万元, %); the printed value labels come from the exact decimals.
// Coordinates are in the viewBox's units (1 = 1pt at the natural size).

const (
	colorText = "#222222"
	colorAxis = "#888888"
	colorGrid = "#e3e5e8"
)

// Tableau-like palette: distinguishable, calm, prints in grey.
var palette = []string{"#4c78a8", "#f58518", "#54a24b", "#b279a2", "#e45756", "#72b7b2", "#9d755d", "#eeca3b"}

// Font sizes of the chart text.
const (
	sizeTick   = 9.0
	sizeCat    = 9.5
	sizeTitle  = 10.0
	sizeValue  = 8.0
	sizeLegend = 10.0
)

// chartWidth fits the page's text column (780pt = 1040 CSS px).
const chartWidth = 780.0

type barSeries struct {
	name   string
	values []float64 // one per category, in the value axis's unit
	texts  []string  // the value printed at each bar's end; "" prints none
}

type barSpec struct {
	cats       []string
	series     []barSeries
	horizontal bool   // categories down the side, bars to the right
	valueAxis  string // the value axis's title with its unit
}

var errNoData = errors.New("no data to chart")

// bars draws a grouped bar chart and returns it as inline SVG.
func bars(s barSpec) (template.HTML, error) {
	n, k := len(s.cats), len(s.series)
	if n == 0 || k == 0 {
		return "", errNoData
	}
	vmin, vmax, anyText := 0.0, 0.0, false
	for _, sr := range s.series {
		for j, v := range sr.values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return "", fmt.Errorf("series %s: value %v", sr.name, v)
			}
			vmin, vmax = math.Min(vmin, v), math.Max(vmax, v)
			if j < len(sr.texts) && sr.texts[j] != "" {
				anyText = true
			}
		}
	}
	// The value range: room for the value labels at both ends.
	span := vmax - vmin
	if span == 0 {
		span, vmax = 1, 1
	}
	head := 0.0
	if anyText {
		head = 0.16
	}
	lo, hi := vmin, vmax+head*span
	if vmin < 0 {
		lo = vmin - head*span
	}
	ticks := valueTicks(lo, hi)

	const pad = 4.0
	legendH := 0.0
	if k > 1 {
		legendH = 22
	}
	c := &svgChart{}
	var height float64
	if s.horizontal {
		barW := 10.0
		if k == 1 {
			barW = 14
		}
		slot := float64(k)*barW + 14
		catW := 0.0
		for _, cat := range s.cats {
			catW = max(catW, textWidth(cat, sizeCat))
		}
		catW = min(catW, chartWidth*0.45)
		left := pad + catW + 10
		right := chartWidth - pad - 14
		top := pad + legendH + 8
		bottom := top + float64(n)*slot
		height = bottom + 40
		x := func(v float64) float64 { return left + (v-lo)/(hi-lo)*(right-left) }

		for _, t := range ticks {
			c.line(x(t.Value), top, x(t.Value), bottom, colorGrid, 0.6)
		}
		for j := range n {
			cy := top + (float64(j)+0.5)*slot
			c.line(left-4, cy, left, cy, colorAxis, 0.6)
			c.text(left-7, cy+0.35*sizeCat, sizeCat, "end", "", s.cats[j])
			for i, sr := range s.series {
				if j >= len(sr.values) {
					continue
				}
				v := sr.values[j]
				by := cy + (float64(i)-float64(k-1)/2)*barW
				x0, x1 := x(0), x(v)
				c.rect(min(x0, x1), by-barW/2, math.Abs(x1-x0), barW, palette[i%len(palette)])
				if j < len(sr.texts) && sr.texts[j] != "" {
					if v >= 0 {
						c.text(x1+3, by+0.35*sizeValue, sizeValue, "start", "", sr.texts[j])
					} else {
						c.text(x1-3, by+0.35*sizeValue, sizeValue, "end", "", sr.texts[j])
					}
				}
			}
		}
		if vmin < 0 {
			c.line(x(0), top, x(0), bottom, colorAxis, 0.8)
		}
		c.line(left, top, left, bottom, colorAxis, 0.6)
		c.line(left, bottom, right, bottom, colorAxis, 0.6)
		for _, t := range ticks {
			c.line(x(t.Value), bottom, x(t.Value), bottom+4, colorAxis, 0.6)
			c.text(x(t.Value), bottom+6+0.8*sizeTick, sizeTick, "middle", "", t.Label)
		}
		c.text((left+right)/2, bottom+34, sizeTitle, "middle", "", s.valueAxis)
	} else {
		height = 250 + legendH
		tickW := 0.0
		for _, t := range ticks {
			tickW = max(tickW, textWidth(t.Label, sizeTick))
		}
		left := pad + sizeTitle + 8 + tickW + 4 + 4
		right := chartWidth - pad - 8
		slotW := (right - left) / float64(n)
		barW := min(34, (chartWidth-120)/float64(n*k+n))
		catW := 0.0
		for _, cat := range s.cats {
			catW = max(catW, textWidth(cat, sizeCat))
		}
		// Category names too wide for their slot are set slanting (30°,
		// ending under their tick): the chart grows to hold them, and the
		// plot moves right so that the first one starts inside.
		catH := 4 + 1.3*sizeCat
		slant := catW > slotW-6
		if slant {
			catW = min(catW, chartWidth/2)
			slanted := 6 + catW*0.5 + sizeCat
			height += slanted - catH
			catH = slanted
			m := 2 * float64(n)
			left = max(left, (pad+catW*0.87-right/m)/(1-1/m))
			slotW = (right - left) / float64(n)
		}
		top := pad + legendH + 12
		bottom := height - pad - catH
		y := func(v float64) float64 { return bottom - (v-lo)/(hi-lo)*(bottom-top) }

		for _, t := range ticks {
			c.line(left, y(t.Value), right, y(t.Value), colorGrid, 0.6)
		}
		for j := range n {
			cx := left + (float64(j)+0.5)*slotW
			c.line(cx, bottom, cx, bottom+4, colorAxis, 0.6)
			if slant {
				ty := bottom + 6 + 0.8*sizeCat
				c.text(cx, ty, sizeCat, "end", fmt.Sprintf(` transform="rotate(-30 %s %s)"`, num(cx), num(ty)), s.cats[j])
			} else {
				c.text(cx, bottom+6+0.8*sizeCat, sizeCat, "middle", "", s.cats[j])
			}
			for i, sr := range s.series {
				if j >= len(sr.values) {
					continue
				}
				v := sr.values[j]
				bx := cx + (float64(i)-float64(k-1)/2)*barW
				y0, y1 := y(0), y(v)
				c.rect(bx-barW/2, min(y0, y1), barW, math.Abs(y1-y0), palette[i%len(palette)])
				if j < len(sr.texts) && sr.texts[j] != "" {
					if v >= 0 {
						c.text(bx, y1-3, sizeValue, "middle", "", sr.texts[j])
					} else {
						c.text(bx, y1+3+0.8*sizeValue, sizeValue, "middle", "", sr.texts[j])
					}
				}
			}
		}
		if vmin < 0 {
			c.line(left, y(0), right, y(0), colorAxis, 0.8)
		}
		c.line(left, top, left, bottom, colorAxis, 0.6)
		c.line(left, bottom, right, bottom, colorAxis, 0.6)
		for _, t := range ticks {
			c.line(left-4, y(t.Value), left, y(t.Value), colorAxis, 0.6)
			c.text(left-6, y(t.Value)+0.35*sizeTick, sizeTick, "end", "", t.Label)
		}
		tx, ty := pad+0.8*sizeTitle, (top+bottom)/2
		c.text(tx, ty, sizeTitle, "middle", fmt.Sprintf(` transform="rotate(-90 %s %s)"`, num(tx), num(ty)), s.valueAxis)
	}

	// Legend: one row above the plot, entries side by side.
	if k > 1 {
		x, cy := pad+6, pad+legendH/2
		for i, sr := range s.series {
			c.rect(x, cy-5, 11, 10, palette[i%len(palette)])
			c.text(x+15, cy+0.35*sizeLegend, sizeLegend, "start", "", sr.name)
			x += 15 + textWidth(sr.name, sizeLegend) + 16
		}
	}
	return c.svg(height), nil
}

// svgChart collects the elements of one chart.
type svgChart struct{ b strings.Builder }

func (c *svgChart) rect(x, y, w, h float64, fill string) {
	fmt.Fprintf(&c.b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>`+"\n", num(x), num(y), num(w), num(h), fill)
}

func (c *svgChart) line(x1, y1, x2, y2 float64, stroke string, width float64) {
	fmt.Fprintf(&c.b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="%s"/>`+"\n",
		num(x1), num(y1), num(x2), num(y2), stroke, num(width))
}

// text writes s at (x, y), y being the baseline; anchor is SVG's
// text-anchor. attrs is added verbatim (a transform); s is escaped.
func (c *svgChart) text(x, y, size float64, anchor, attrs, s string) {
	fmt.Fprintf(&c.b, `<text x="%s" y="%s" font-size="%s" text-anchor="%s"%s>%s</text>`+"\n",
		num(x), num(y), num(size), anchor, attrs, html.EscapeString(s))
}

// svg wraps the elements in an <svg> of the chart's width and the given
// height, its text in the page's fonts.
func (c *svgChart) svg(height float64) template.HTML {
	w, h := num(chartWidth), num(height)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%spt" height="%spt" viewBox="0 0 %s %s" font-family="%s" fill="%s">`+"\n",
		w, h, w, h, html.EscapeString(chartFontFamily()), colorText)
	fmt.Fprintf(&b, `<rect width="%s" height="%s" fill="#ffffff"/>`+"\n", w, h)
	b.WriteString(c.b.String())
	b.WriteString("</svg>")
	return template.HTML(b.String()) // #nosec G203 -- every text is escaped by svgChart.text
}

// num prints a coordinate with at most two decimals.
func num(f float64) string {
	s := strconv.FormatFloat(f, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}

// textWidth estimates how wide s is set at size: a wide (CJK) character is
// 1 em, Latin letters and digits about 0.55 em (Arial's and Liberation
// Sans's digits are 0.556 em). It only reserves room, so it errs wide.
func textWidth(s string, size float64) float64 {
	em := 0.0
	for _, r := range s {
		switch {
		case wide(r):
			em += 1
		case r == ' ' || r == '.' || r == ',' || r == ':' || r == ';' || r == '/' || r == 'i' || r == 'l' || r == 'j':
			em += 0.3
		case r == '-' || r == '(' || r == ')' || r == '“' || r == '”' || r == '‘' || r == '’':
			em += 0.35
		case r == '%' || r == 'm' || r == 'w' || r == 'M' || r == 'W':
			em += 0.9
		case unicode.IsUpper(r):
			em += 0.7
		default:
			em += 0.56
		}
	}
	return em * size
}

// wide reports whether r is set full-width: CJK ideographs, kana, hangul,
// CJK punctuation and fullwidth forms.
func wide(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		r >= 0x3000 && r <= 0x303f || r >= 0xff01 && r <= 0xff60 || r >= 0xffe0 && r <= 0xffe6
}

type tick struct {
	Value float64
	Label string
}

// valueTicks puts about six labelled ticks on a value axis, at steps of
// 1, 2, 2.5 or 5 × 10ⁿ, labelled with thousands separators.
func valueTicks(lo, hi float64) []tick {
	span := hi - lo
	if !(span > 0) || math.IsInf(span, 0) {
		return nil
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
	var ts []tick
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
		ts = append(ts, tick{Value: v, Label: group(s)})
	}
	return ts
}

// drawCharts renders every chart of the report.
func (r *Report) drawCharts() error {
	render := func(ch *Chart, s barSpec) error {
		svg, err := bars(s)
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
	wan := "金额（万元）"
	for _, dep := range r.Departments {
		yearSeries := func(values func(d *DocYear) []Money) []barSeries {
			var out []barSeries
			for _, d := range dep.Years {
				sr := barSeries{name: d.Label()}
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
		var cats []string
		for _, c := range classes {
			cats = append(cats, c.Name)
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
			cats: []string{"基本支出", "项目支出", "人员经费", "公用经费"},
			series: yearSeries(func(d *DocYear) []Money {
				return []Money{d.Basic, d.Project, d.Personnel, d.Public}
			})}); err != nil {
			return err
		}

		dep.TrendChart.Caption = "历年收支（已加载的各年度）"
		trend := barSpec{valueAxis: wan}
		for _, d := range dep.Years {
			trend.cats = append(trend.cats, d.Label())
		}
		for i, m := range []struct {
			name string
			get  func(*DocYear) Money
		}{
			{"收入总计", func(d *DocYear) Money { return d.Income }},
			{"基本支出", func(d *DocYear) Money { return d.Basic }},
			{"项目支出", func(d *DocYear) Money { return d.Project }},
			{"上年结转", func(d *DocYear) Money { return d.Carryover }},
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
	docCats := func(ds []*DocYear) []string {
		var out []string
		for _, d := range ds {
			out = append(out, d.Name+" "+d.Label())
		}
		return out
	}
	ratioSeries := func(name string, ds []*DocYear, get func(*DocYear) Ratio, unit string) barSeries {
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
		valueAxis: "万元/人",
		series:    []barSeries{ratioSeries("人均支出", staffed, func(d *DocYear) Ratio { return d.PerStaff }, "")}}); err != nil {
		return err
	}
	if len(staffed) < len(r.Years) {
		c.PerStaffChart.Note = "未说明实有人数的部门不在图中。"
	}

	c.ShareChart.Caption = "项目支出占比与人员经费占比"
	if err := render(&c.ShareChart, barSpec{cats: docCats(r.Years), horizontal: true,
		valueAxis: "占比（%）",
		series: []barSeries{
			ratioSeries("项目支出 ÷ (基本+项目)", r.Years, func(d *DocYear) Ratio { return d.ProjectShare }, "%"),
			ratioSeries("人员经费 ÷ 基本支出", r.Years, func(d *DocYear) Ratio { return d.PersonnelShare }, "%"),
		}}); err != nil {
		return err
	}

	c.SmallTablesChart.Caption = "“三公”经费与机关运行经费"
	small := barSpec{cats: docCats(r.Years), horizontal: true, valueAxis: wan}
	for _, m := range []struct {
		name string
		get  func(*DocYear) TableFigure
	}{
		{"“三公”经费", func(d *DocYear) TableFigure { return d.ThreePublic }},
		{"机关运行经费", func(d *DocYear) TableFigure { return d.Operating }},
	} {
		sr := barSeries{name: m.name}
		for _, d := range r.Years {
			f := m.get(d)
			sr.values = append(sr.values, f.wanFloat())
			t := moneyText(f.Money)
			if f.Status == "missing" {
				t = "未公开"
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
		valueAxis: "增长率（%）",
		series: []barSeries{
			ratioSeries("收入总计", c.Growth, func(d *DocYear) Ratio { return d.Growth.IncomePct }, "%"),
			ratioSeries("一般公共预算拨款", c.Growth, func(d *DocYear) Ratio { return d.Growth.GeneralBudgetPct }, "%"),
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
