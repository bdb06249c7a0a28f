package report

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"math"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/shopspring/decimal"

	"github.com/gongkai/gongkai/ingest"
	"github.com/gongkai/gongkai/load"
)

// warehouse loads fixtures/text into a new warehouse and returns it open.
func warehouse(t *testing.T) *load.Warehouse {
	t.Helper()
	ctx := context.Background()
	w, err := load.Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	sum, err := (&ingest.Ingester{W: w}).Run(ctx, []string{"../fixtures/text"})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Loaded == 0 || sum.Failed != 0 {
		t.Fatalf("fixtures: %d loaded, %d failed", sum.Loaded, sum.Failed)
	}
	return w
}

func currentNames(t *testing.T, w *load.Warehouse) []string {
	t.Helper()
	rs, err := w.DB().Query(`SELECT DISTINCT department_name FROM documents WHERE is_current ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var names []string
	for rs.Next() {
		var n string
		if err := rs.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	return names
}

var fixed = func() time.Time { return time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC) }

func TestReportOnRealWarehouse(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the fixtures into DuckDB")
	}
	w := warehouse(t)
	// Data is never markup: a department name, a project and a finding that
	// look like HTML must come out as text.
	for _, q := range []string{
		`UPDATE documents SET department_name = '<script>alert("x")</script>' || department_name WHERE department_name = '阳泉市城区财政局'`,
		`UPDATE projects SET project_name = '</table><img src=x onerror=alert(1)>' || project_name WHERE project_name = '党建经费'`,
		`UPDATE findings SET message = '<b onclick="x()">' || message WHERE check_id = 'text.place_name_variant'`,
	} {
		if _, err := w.DB().Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}

	var buf bytes.Buffer
	st, err := Generate(context.Background(), w.DB(), &buf, Options{Now: fixed, Source: "w.duckdb"})
	if err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	t.Logf("%+v, %d bytes", st, len(page))

	if st.Departments != 3 || st.Documents != 4 {
		t.Errorf("stats = %+v, want 3 departments in 4 department-years (the current fixtures)", st)
	}
	// Three charts per department, four across departments, each an inline
	// <svg> without the XML prolog.
	if want := 3*st.Departments + 4; st.Charts != want || strings.Count(page, "<svg") != want {
		t.Errorf("%d charts, %d <svg> in the page; want %d", st.Charts, strings.Count(page, "<svg"), want)
	}
	if strings.Contains(page, "<?xml") {
		t.Error("an SVG kept its XML prolog")
	}
	for _, caption := range []string{"按支出功能分类（类）的支出", "基本支出与项目支出；基本支出中的人员经费与公用经费",
		"历年收支（已加载的各年度）", "人均支出：支出总计 ÷ 实有人数", "项目支出占比与人员经费占比",
		"“三公”经费与机关运行经费", "增长率：与上一年度相比"} {
		if !strings.Contains(page, "<figcaption>"+caption+"</figcaption>") {
			t.Errorf("no chart %q", caption)
		}
	}

	// Every current department, escaped.
	for _, name := range currentNames(t, w) {
		esc := strings.NewReplacer("<", "&lt;", ">", "&gt;", `"`, "&#34;").Replace(name)
		if !strings.Contains(page, esc) {
			t.Errorf("department %q is not in the page (as %q)", name, esc)
		}
		if !strings.Contains(page, `<h3>`+esc+`</h3>`) {
			t.Errorf("department %q has no section heading", name)
		}
	}
	if n := len(regexp.MustCompile(`(?i)<script`).FindAllString(page, -1)); n != 1 {
		t.Errorf("%d <script elements, want only the page's own sorting script", n)
	}
	for _, raw := range []string{"<img", "<b onclick", "</table><img"} {
		if strings.Contains(page, raw) {
			t.Errorf("data came out as markup: %q", raw)
		}
	}
	for _, esc := range []string{"&lt;/table&gt;&lt;img src=x onerror=alert(1)&gt;党建经费", "&lt;b onclick=&#34;x()&#34;&gt;"} {
		if !strings.Contains(page, esc) {
			t.Errorf("escaped data %q not in the page", esc)
		}
	}

	// Money in 万元 with separators, from exact decimals; the growth the
	// Shuozhou narrative states (-11.31 %).
	for _, want := range []string{">3,035.66<", ">346.38<", ">-44.15<", ">-11.31<", "第13页 第369行"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if !strings.Contains(page, ">一般公共服务支出</text>") {
		t.Error("the charts do not label 一般公共服务支出")
	}
	// Every chart is well-formed SVG, the department name that looks like
	// markup included.
	for _, svg := range chartSVGs(t, page) {
		if svg.texts == nil {
			t.Errorf("a chart has no text")
		}
	}
	if !strings.Contains(page, `>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;阳泉市城区财政局 2024</text>`) {
		t.Error("the markup-like department name is not an escaped chart label")
	}
}

// The charts need no font where the report is made (report reads none:
// TestReportImportsNoFontCode): every chart label is Chinese SVG <text> in the page's font
// list, for the browser to lay out.
func TestReportChartsWithoutChineseFont(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the fixtures into DuckDB")
	}
	w := warehouse(t)
	var buf bytes.Buffer
	st, err := Generate(context.Background(), w.DB(), &buf, Options{Now: fixed})
	if err != nil {
		t.Fatal(err)
	}
	if st.Charts != 13 {
		t.Errorf("stats = %+v, want all 13 charts", st)
	}
	page := buf.String()
	charts := chartSVGs(t, page)
	if len(charts) != 13 {
		t.Fatalf("%d <svg> in the page, want 13", len(charts))
	}
	var all []string
	for i, c := range charts {
		if !strings.Contains(c.fontFamily, "'Droid Sans Fallback'") || !strings.HasSuffix(c.fontFamily, "sans-serif") {
			t.Errorf("chart %d: font-family %q does not name the Chinese fonts", i, c.fontFamily)
		}
		han := 0
		for _, s := range c.texts {
			if strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0 {
				han++
			}
		}
		if han == 0 {
			t.Errorf("chart %d has no Chinese text: %q", i, c.texts)
		}
		all = append(all, c.texts...)
	}
	// Categories, series (legend), axis titles with units and value labels.
	for _, want := range []string{"一般公共服务支出", "金额（万元）", "基本支出", "公用经费", "收入总计", "上年结转",
		"朔州经济开发区党群工作部 2026", "大同市云冈区教育局 2025", "万元/人", "占比（%）", "增长率（%）",
		"项目支出 ÷ (基本+项目)", "“三公”经费", "机关运行经费", "2025", "346.38", "-11.31%"} {
		if !slices.Contains(all, want) {
			t.Errorf("no chart text %q", want)
		}
	}
	// Nothing of the old Latin fallback.
	for _, latin := range []string{"10,000 yuan", "basic", "income total", "n/a", "201"} {
		if slices.Contains(all, latin) {
			t.Errorf("a chart is labelled in Latin: %q", latin)
		}
	}
	if strings.Contains(page, "没有中文字体") {
		t.Error("the page still says it was made without a Chinese font")
	}
}

// The report's code reads no font: no package of it imports font or
// plotting code that would need a font file to measure text.
func TestReportImportsNoFontCode(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, im := range af.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			if strings.Contains(p, "font") || strings.HasPrefix(p, "gonum.org/v1/plot") {
				t.Errorf("%s imports %s", f, p)
			}
		}
	}
}

// Bar charts on their own: negative values, both orientations, one and
// several series; well-formed SVG whose estimated text stays in its box.
func TestBars(t *testing.T) {
	for _, s := range []barSpec{
		{cats: []string{"一般公共服务支出", "教育支出"}, horizontal: true, valueAxis: "增长率（%）",
			series: []barSeries{{name: "收入总计", values: []float64{-11.31, 4.5}, texts: []string{"-11.31%", "4.50%"}},
				{name: "一般公共预算拨款", values: []float64{2, -3}, texts: []string{"2.00%", ""}}}},
		{cats: []string{"基本支出", "项目支出", "人员经费", "公用经费"}, valueAxis: "金额（万元）",
			series: []barSeries{{name: "2026", values: []float64{3035.66, 428.14, 0, -44.15}, texts: []string{"3,035.66", "428.14", "0.00", "-44.15"}}}},
		{cats: []string{"朔州经济开发区党群工作部 2026", "大同市云冈区教育局 2025", "阳泉市城区财政局 2024"}, valueAxis: "金额（万元）",
			series: []barSeries{{name: "a", values: []float64{1, 2, 3}}, {name: "b", values: []float64{3, 2, 1}}}},
		// Names too wide for their slots, set slanting.
		{cats: []string{"朔州经济开发区党群工作部 2026", "大同市云冈区教育局 2025", "阳泉市城区财政局 2024", "a", "b", "c", "d", "e"},
			valueAxis: "金额（万元）", series: []barSeries{{name: "收入总计", values: []float64{100, -20, 300, 50, 1, 2, 3, 4}}}},
	} {
		svg, err := bars(s)
		if err != nil {
			t.Fatal(err)
		}
		c := chartSVGs(t, string(svg))[0]
		for _, cat := range s.cats {
			if !slices.Contains(c.texts, cat) {
				t.Errorf("no category %q in %q", cat, c.texts)
			}
		}
		if !slices.Contains(c.texts, s.valueAxis) {
			t.Errorf("no axis title %q", s.valueAxis)
		}
		for _, e := range c.outside {
			t.Errorf("%s: text %q would be set outside the chart (%g × %g)", s.valueAxis, e, c.w, c.h)
		}
	}
	if _, err := bars(barSpec{cats: []string{"x"}}); !errors.Is(err, errNoData) {
		t.Errorf("no series: %v, want errNoData", err)
	}
	for _, c := range []struct {
		s    string
		want float64
	}{{"一般公共服务支出", 80}, {"2026", 22.4}, {"金额（万元）", 60}} {
		if got := textWidth(c.s, 10); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("textWidth(%q, 10) = %g, want %g", c.s, got, c.want)
		}
	}
}

type chartSVG struct {
	w, h       float64
	fontFamily string
	texts      []string
	outside    []string // texts whose estimated box leaves the viewBox
}

// chartSVGs parses every <svg> of page as XML and returns its texts.
func chartSVGs(t *testing.T, page string) []chartSVG {
	t.Helper()
	var out []chartSVG
	for _, raw := range regexp.MustCompile(`(?s)<svg.*?</svg>`).FindAllString(page, -1) {
		var doc struct {
			ViewBox    string `xml:"viewBox,attr"`
			FontFamily string `xml:"font-family,attr"`
			Texts      []struct {
				X         float64 `xml:"x,attr"`
				Y         float64 `xml:"y,attr"`
				Size      float64 `xml:"font-size,attr"`
				Anchor    string  `xml:"text-anchor,attr"`
				Transform string  `xml:"transform,attr"`
				Text      string  `xml:",chardata"`
			} `xml:"text"`
		}
		if err := xml.Unmarshal([]byte(raw), &doc); err != nil {
			t.Fatalf("chart SVG is not well-formed: %v\n%.300s", err, raw)
		}
		c := chartSVG{fontFamily: doc.FontFamily}
		if _, err := fmt.Sscanf(doc.ViewBox, "0 0 %g %g", &c.w, &c.h); err != nil {
			t.Fatalf("viewBox %q: %v", doc.ViewBox, err)
		}
		for _, tx := range doc.Texts {
			c.texts = append(c.texts, tx.Text)
			if tx.Transform != "" {
				continue // rotated: the axis title, slanting categories
			}
			w := textWidth(tx.Text, tx.Size)
			x0 := map[string]float64{"start": tx.X, "middle": tx.X - w/2, "end": tx.X - w}[tx.Anchor]
			if x0 < 0 || x0+w > c.w || tx.Y-tx.Size < 0 || tx.Y > c.h {
				c.outside = append(c.outside, tx.Text)
			}
		}
		out = append(out, c)
	}
	return out
}

func TestMoneyAndRatios(t *testing.T) {
	d := decimal.RequireFromString
	for _, c := range []struct{ got, want string }{
		{money(d("3463800.00")).Wan(), "346.38"},
		{money(d("30356600.00")).Wan(), "3,035.66"},
		{money(d("-441500.00")).Wan(), "-44.15"},
		{money(d("1234567.89")).Yuan(), "1,234,567.89"},
		{Money{}.Wan(), "—"},
		{share(money(d("1949600")), money(d("3463900"))).String(), "56.3"},
		{divide(money(d("100000")), d("371"), 0).String(), "270"},
		{Ratio{decimal.NullDecimal{Decimal: d("-11.31"), Valid: true}, 2}.Signed(), "-11.31"},
		{Ratio{decimal.NullDecimal{Decimal: d("4.5"), Valid: true}, 2}.Signed(), "+4.50"},
		{group("-1234567"), "-1,234,567"},
		{group("123"), "123"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	var labels []string
	for _, tk := range valueTicks(0, 2690) {
		labels = append(labels, tk.Label)
	}
	if got := strings.Join(labels, " "); got != "0 500 1,000 1,500 2,000 2,500" {
		t.Errorf("ticks = %q", got)
	}
}

// A cross-document finding (the seed's narrative against a prior-year
// document that contradicts it) is in the report, under the department,
// naming both files.
func TestReportShowsCrossDocumentFindings(t *testing.T) {
	if testing.Short() {
		t.Skip("loads fixtures into DuckDB")
	}
	ctx := context.Background()
	w, err := load.Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := (&ingest.Ingester{W: w}).Run(ctx, []string{
		"../fixtures/crossdoc/shuozhou-dangqun-2025-budget.contradicting.txt",
		"../fixtures/text/shuozhou-dangqun-2026-budget.txt",
	}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := Generate(ctx, w.DB(), &buf, Options{Now: fixed, Source: "w.duckdb"}); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	for _, want := range []string{"xdoc.prior_figure", "shuozhou-dangqun-2025-budget.contradicting.txt", "3805300.00", "3905300.00"} {
		if !strings.Contains(html, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

// The quality table: one row per current document, the least trustworthy
// first, with the figures of v_document_quality.
func TestReportDocumentQuality(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the fixtures into DuckDB")
	}
	w := warehouse(t)
	// One document made shaky: two amounts contradicted by their sums, an error.
	for _, q := range []string{
		`UPDATE budget_lines SET sum_check = 'broken' WHERE rowid IN (SELECT rowid FROM budget_lines
		   WHERE document_id = (SELECT document_id FROM documents WHERE is_current AND department_name = '阳泉市城区财政局')
		     AND sum_check = 'holds' ORDER BY line LIMIT 2)`,
		`INSERT INTO findings (document_id, check_id, severity, message) SELECT document_id, 'sum.total', 'error', 'off' FROM documents WHERE is_current AND department_name = '阳泉市城区财政局'`,
	} {
		if _, err := w.DB().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := Generate(context.Background(), w.DB(), &buf, Options{Now: fixed}); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	i := strings.Index(page, `<table class="sortable" id="quality-table">`)
	if i < 0 {
		t.Fatal("no quality table")
	}
	table := page[i : i+strings.Index(page[i:], "</table>")]
	cells := regexp.MustCompile(`(?s)<tr>(.*?)</tr>`).FindAllStringSubmatch(table, -1)
	var got []string
	for _, c := range cells[1:] { // the header row aside
		text := regexp.MustCompile(`<[^>]+>`).ReplaceAllString(c[1], " ")
		got = append(got, strings.Join(strings.Fields(text), " "))
	}
	// The figures of v_document_quality (percentages rounded by DuckDB, not
	// by the report's own code), the least trustworthy first: the shaky
	// document, then by the share of amounts the sums confirm.
	var want []string
	err := each(context.Background(), w.DB(), `
SELECT department_name, fiscal_year, pages, tables_present, amounts,
       round(amounts_in_sum * 100 / amounts, 1)::DECIMAL(4,1)::VARCHAR, amounts_confirmed_pct::VARCHAR, amounts_broken,
       round(amounts_broken * 100 / amounts_in_sum, 1)::DECIMAL(4,1)::VARCHAR, errors, warnings
FROM v_document_quality ORDER BY errors + amounts_broken DESC, amounts_confirmed_pct, region, department_name, fiscal_year`, func(v []any) {
		want = append(want, fmt.Sprintf("%s %d 部门 %d %d %d %s %s %d %s %d %d", v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10]))
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("quality rows =\n  %q\nwant (v_document_quality)\n  %q", got, want)
	}
	// name, year, scope, pages, tables, amounts, in a sum %, confirmed %, broken, broken %, errors, warnings
	if f := strings.Fields(got[0]); len(got) != 4 || f[0] != "阳泉市城区财政局" || f[5] != "268" || f[8] != "2" || f[10] != "1" {
		t.Errorf("first row %q, want 阳泉市城区财政局 with its 268 amounts, 2 broken, 1 error", got[0])
	}
}
