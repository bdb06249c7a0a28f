package transform

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/gongkai/gongkai/extract"
)

// colSumsOf renders a header's column sums as "total=part+part" by column
// label path, sorted.
func colSumsOf(t *testing.T, header [][]string) []string {
	t.Helper()
	ncol := 0
	for _, h := range header {
		ncol = max(ncol, len(h))
	}
	cols := analyzeHeader(KeyExpenditure, header, ncol)
	itemColumns(cols, 2026)
	name := func(c int) string { return strings.Join(cols[c].path, "›") }
	var out []string
	for _, cs := range columnSums(cols) {
		var ps []string
		for _, p := range cs.parts {
			ps = append(ps, name(p))
		}
		out = append(out, name(cs.total)+"="+strings.Join(ps, "+"))
	}
	sort.Strings(out)
	return out
}

// The header tree gives each group's total column the sum of the group's
// other members: a sub-group by its own total, else by its members; memo
// columns, percentages, 其中 subsets and label columns take no part.
func TestColumnSums(t *testing.T) {
	for _, c := range []struct {
		name   string
		header [][]string
		want   []string
	}{
		{"basic split into its parts, no 基本支出 column",
			[][]string{{"科目编码", "科目名称", "总计", "基本支出", "", "项目支出", "事业单位经营支出"}, {"", "", "", "人员支出", "公用经费", "", ""}},
			[]string{"总计=基本支出›人员支出+基本支出›公用经费+项目支出+事业单位经营支出"}},
		{"groups with their own 小计",
			[][]string{{"单位名称", "总计", "本年收入", "", "", "上年结转结余", "", ""}, {"", "", "小计", "一般公共预算", "事业收入", "小计", "一般公共预算", "单位资金"}},
			[]string{"上年结转结余›小计=上年结转结余›一般公共预算+上年结转结余›单位资金", "总计=本年收入›小计+上年结转结余›小计",
				"本年收入›小计=本年收入›一般公共预算+本年收入›事业收入"}},
		{"memo and percentage columns take no part",
			[][]string{{"科目名称", "合计", "基本支出", "项目支出", "政府采购项目", "", "增减(%)"}, {"", "", "", "", "小计", "其中：中小企业", ""}},
			[]string{"合计=基本支出+项目支出"}},
		{"a group's …总数 column stands for it; 扣除 views are memos",
			[][]string{{"科目名称", "合计", "基本支出", "", "", "项目支出", ""}, {"", "", "小计", "人员经费", "公用经费", "项目支出总数", "扣除基建项目后预算数"}},
			[]string{"合计=基本支出›小计+项目支出›项目支出总数", "基本支出›小计=基本支出›人员经费+基本支出›公用经费"}},
		{"a 其中 subset is no part",
			[][]string{{"合计", "事业收入", "", "其他收入"}, {"", "金额", "其中：教育收费", ""}},
			[]string{"合计=事业收入›金额+其他收入"}},
		{"a qualified total sums its own items only",
			[][]string{{"“三公”经费合计", "因公出国（境）费", "公务用车购置及运行维护费", "", "", "公务接待费", "会议费", "培训费"},
				{"", "", "小计", "公务用车购置费", "公务用车运行维护费", "", "", ""}},
			[]string{"“三公”经费合计=因公出国（境）费+公务用车购置及运行维护费›小计+公务接待费", // a quote the label closes is kept
				"公务用车购置及运行维护费›小计=公务用车购置及运行维护费›公务用车购置费+公务用车购置及运行维护费›公务用车运行维护费"}},
		{"决算's 预算数 | 决算数, leaf by leaf",
			[][]string{{"合计", "", "因公出国（境）费", "", "公务接待费", ""}, {"预算数", "决算数", "预算数", "决算数", "预算数", "决算数"}},
			[]string{"合计›决算数=因公出国（境）费›决算数+公务接待费›决算数", "合计›预算数=因公出国（境）费›预算数+公务接待费›预算数"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := colSumsOf(t, c.header); !slices.Equal(got, c.want) {
				t.Errorf("sums\n got %q\nwant %q", got, c.want)
			}
		})
	}
}

// parseText parses a made-up text export.
func parseText(t *testing.T, text string) *Result {
	t.Helper()
	doc, err := extract.ReadText("made-up.txt", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// sumsOf lists the identities of one table as "target=part+part" by item
// name, and whether each holds.
func sumsOf(res *Result, table, measure string) []string {
	var out []string
	for _, id := range identities(res) {
		tl := res.Lines[id.target]
		if tl.TableKey != table || tl.Measure != measure || id.check == "sum.row" {
			continue
		}
		var ps []string
		for _, p := range id.parts {
			ps = append(ps, res.Lines[p].ItemName)
		}
		out = append(out, fmt.Sprintf("%s:%s=%s %v", tl.Side, tl.ItemName, strings.Join(ps, "+"), identityHolds(res, id)))
	}
	sort.Strings(out)
	return out
}

const outlineDoc = "朔州经济开发区党群工作部\n2026年度部门预算公开\n" +
	"2026年收支总体情况表\n部门名称：朔州经济开发区党群工作部\n单位：万元\n" +
	"收入\t\t支出\t\n项目\t预算数\t项目\t预算数\n" +
	"一、财政拨款收入\t100.00\t一、一般公共服务支出\t90.00\n" +
	"一般公共预算收入\t80.00\t政府办公厅（室）及相关机构事务\t90.00\n" +
	"政府性基金预算收入\t20.00\t行政运行\t60.00\n" +
	"二、事业收入\t10.00\t一般行政管理事务\t30.00\n" +
	"其中：教育收费\t4.00\t二、住房保障支出\t20.00\n" +
	"本年收入合计\t110.00\t本年支出合计\t110.00\n" +
	"上年结转结余\t5.00\t结余分配\t1.00\n" +
	"一、一般公共预算拨款\t3.00\t结转下年\t4.00\n" +
	"二、政府性基金预算拨款\t2.00\t\t\n" +
	"收入总计\t115.00\t支出总计\t115.00\n" +
	"2026年支出总体情况表\n单位：万元\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n" +
	"\t合计\t110.00\t80.00\t30.00\n" +
	"201\t一般公共服务支出\t90.00\t60.00\t30.00\n" +
	"20103\t政府办公厅（室）及相关机构事务\t90.00\t60.00\t30.00\n" +
	"2010301\t行政运行\t60.00\t60.00\t\n" +
	"2010302\t一般行政管理事务\t30.00\t\t30.00\n" +
	"221\t住房保障支出\t20.00\t20.00\t\n"

// The sides of a 收支总表 are outlines: a numbered item is the sum of the
// rows under it (其中 rows excepted), 本年收入合计 the sum of the top-level
// items, 收入总计 that total plus the rows after it — a numbering that starts
// again under one of those (上年结转结余: 一、… 二、…) lists its parts; the expenditure side's
// names take the codes the 支出总表 prints, and so nest by their codes.
func TestOutlineSums(t *testing.T) {
	res := parseText(t, outlineDoc)
	want := []string{
		"expenditure:一般公共服务支出=政府办公厅（室）及相关机构事务 true",
		"expenditure:支出总计=本年支出合计+结余分配+结转下年 true",
		"expenditure:政府办公厅（室）及相关机构事务=行政运行+一般行政管理事务 true",
		"expenditure:本年支出合计=一般公共服务支出+住房保障支出 true",
		"income:上年结转结余=一般公共预算拨款+政府性基金预算拨款 true",
		"income:收入总计=本年收入合计+上年结转结余 true",
		"income:本年收入合计=财政拨款收入+事业收入 true",
		"income:财政拨款收入=一般公共预算收入+政府性基金预算收入 true",
	}
	if got := sumsOf(res, KeySummary, "total"); !slices.Equal(got, want) {
		t.Errorf("summary sums\n got %q\nwant %q", got, want)
	}
	for _, l := range res.Lines {
		if l.TableKey == KeySummary && l.ItemName == "行政运行" && l.ItemCode != "2010301" {
			t.Errorf("行政运行 in the summary: code %q, want 2010301 from the 支出总表", l.ItemCode)
		}
		if l.TableKey == KeySummary && l.ItemName == "其中：教育收费" && l.SumCheck != "" {
			t.Errorf("a 其中 row takes part in a sum: %q", l.SumCheck)
		}
	}
}

// An uncoded row takes the code its name has in the document's coded
// tables, the k-th row of a name the k-th code; a dictionary's code for a
// 类 name yields to them (其他支出 under 229 is 22999, then 2299999).
func TestImpliedCodes(t *testing.T) {
	res := &Result{}
	add := func(table, code, name string, line int, dict bool) {
		res.Lines = append(res.Lines, Line{TableKey: table, Side: "", ItemCode: code, ItemName: name, ItemLevel: levelOf(code),
			Measure: "total", Line: line, dictCode: dict})
	}
	add(KeyExpenditure, "229", "其他支出", 1, false)
	add(KeyExpenditure, "22999", "其他支出", 2, false)
	add(KeyExpenditure, "2299999", "其他支出", 3, false)
	add(KeyExpenditure, "30101", "基本工资", 4, false) // another family
	add(KeyGeneralBudget, "229", "其他支出", 10, true)
	add(KeyGeneralBudget, "", "其他支出", 11, false)
	add(KeyGeneralBudget, "", "其他支出", 12, false)
	add(KeyGeneralBudget, "", "基本工资", 13, false) // a 功能分类 table: not given an economic code
	add(KeyGeneralBudget, "", "不在别处", 14, false)
	impliedCodes(res)
	var got []string
	for _, l := range res.Lines[4:] {
		got = append(got, l.ItemCode)
	}
	if want := []string{"229", "22999", "2299999", "", ""}; !slices.Equal(got, want) {
		t.Errorf("codes = %q, want %q", got, want)
	}
	// A document that prints 其他支出 only as a 项: a 类 row the dictionary
	// coded keeps its 229.
	res = &Result{}
	add(KeyExpenditure, "2299999", "其他支出", 1, false)
	add(KeySummary, "229", "其他支出", 10, true)
	impliedCodes(res)
	if got := res.Lines[1].ItemCode; got != "229" {
		t.Errorf("其他支出 as a 类 beside a printed 2299999 only: code %q, want 229", got)
	}
}

// A row of a continuation page drawn on another column grid is mapped onto
// its header's columns by overlap, with a correction; a row on the
// header's grid is left alone.
func TestAlignToHeader(t *testing.T) {
	ext := func(xs ...float64) []extract.Extent {
		var out []extract.Extent
		for i := 0; i+1 < len(xs); i += 2 {
			out = append(out, extract.Extent{X0: xs[i], X1: xs[i+1]})
		}
		return out
	}
	// 类 | 款 | 项 | 科目名称 | 合计 | 基本支出
	header := []extract.Row{{Cells: []string{"类", "款", "项", "科目名称", "合计", "基本支出"},
		Extents: ext(0, 20, 20, 40, 40, 60, 60, 160, 160, 220, 220, 280)}}
	same := extract.Row{Page: 1, No: 10, Cells: []string{"201", "", "", "一般公共服务支出", "90.00", "60.00"},
		Extents: ext(0, 20, 20, 40, 40, 60, 60, 160, 160, 220, 220, 280)}
	// The next page merged 类|款|项 into one code column and drew the
	// amounts a little apart.
	moved := extract.Row{Page: 2, No: 20, Cells: []string{"2010301", "行政运行", "60.00", "60.00"},
		Extents: ext(0, 60, 60, 161, 161, 221, 221, 280)}
	p := &tableParser{res: &Result{}, rg: &tableRegion{key: KeyExpenditure}}
	body := p.alignToHeader(header, []extract.Row{same, moved})
	if !slices.Equal(body[0].Cells, same.Cells) {
		t.Errorf("a row on the header's grid changed: %q", body[0].Cells)
	}
	if want := []string{"2010301", "", "", "行政运行", "60.00", "60.00"}; !slices.Equal(body[1].Cells, want) {
		t.Errorf("remapped row = %q, want %q", body[1].Cells, want)
	}
	if len(p.res.Corrections) != 1 || p.res.Corrections[0].Rule != "layout.column_grid" || p.res.Corrections[0].Line != 20 {
		t.Errorf("corrections = %+v", p.res.Corrections)
	}
}

// A table whose title names no standard table (新增资产配置预算表) ends the
// table before it: its rows are not read into that table, and an info
// finding says what was not loaded.
func TestUnrecognizedTableNotMerged(t *testing.T) {
	res := parseText(t, outlineDoc+"2026年新增资产配置预算表\n单位：万元\n资产名称\t数量\t金额\n办公设备\t3\t9.00\n")
	for _, l := range res.Lines {
		if l.ItemName == "办公设备" {
			t.Errorf("a row of an unrecognized table was read into %s", l.TableKey)
		}
	}
	found := false
	for _, f := range res.Findings {
		found = found || f.CheckID == "table.unrecognized" && strings.Contains(f.Message, "新增资产配置预算表")
	}
	if !found {
		t.Errorf("no table.unrecognized finding: %+v", res.Findings)
	}
}

// A table printed across (its items are columns): a 小计 column under an
// item is that item (公务用车购置及运行费, not 小计), a quoted label keeps
// its opening quote, and a 总额 column is the total the items add up to.
func TestItemsAcross(t *testing.T) {
	doc := outlineDoc + "2026年“三公”经费支出预算表\n单位：万元\n" +
		"“三公”经费预算总额\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费\n" +
		"\t\t小计\t公务用车购置费\t公务用车运行费\t\n" +
		"10.00\t2.00\t7.00\t4.00\t3.00\t1.00\n"
	res := parseText(t, doc)
	got := map[string]string{}
	for _, l := range res.Lines {
		if l.TableKey == KeyThreePublic {
			got[l.ItemName] = l.Raw + " " + l.SumCheck
		}
	}
	want := map[string]string{"“三公”经费预算总额": "10.00 holds", "因公出国（境）费": "2.00 holds", "公务用车购置及运行费": "7.00 holds",
		"公务用车购置费": "4.00 holds", "公务用车运行费": "3.00 holds", "公务接待费": "1.00 holds"}
	if !maps.Equal(got, want) {
		t.Errorf("三公 items\n got %v\nwant %v", got, want)
	}
}

// A table of items across with a row a unit (浙江's “三公” tables): the
// total row's items load under their names and add up to its total; each
// unit's total loads under the unit's name and the units add up to the
// total row; the units' items are not loaded, and an info finding says so.
// A part misprinted in the total row breaks the row's sum.
func TestItemsAcrossByUnit(t *testing.T) {
	table := func(visit string) string {
		return outlineDoc + "2026年一般公共预算“三公”经费预算表\n单位：万元\n" +
			"单位名称\t“三公”经费合计\t因公出国(境)费用\t公务用车购置及运行费\t\t\t公务接待费\n" +
			"\t\t\t小计\t公务用车购置费\t公务用车运行维护费\t\n" +
			"合计\t24.02\t\t18.00\t\t18.00\t" + visit + "\n" +
			"某市某局\t13.13\t\t7.20\t\t7.20\t5.93\n" +
			"某市某中心\t10.89\t\t10.80\t\t10.80\t0.09\n"
	}
	res := parseText(t, table("6.02"))
	got := map[string]string{}
	for _, l := range res.Lines {
		if l.TableKey == KeyThreePublic {
			got[l.ItemName] = l.Raw + " " + l.SumCheck
		}
	}
	want := map[string]string{"合计": "24.02 holds", "公务用车购置及运行费": "18.00 holds", "公务用车运行维护费": "18.00 holds",
		"公务接待费": "6.02 holds", "某市某局": "13.13 holds", "某市某中心": "10.89 holds"}
	if !maps.Equal(got, want) {
		t.Errorf("三公 by unit\n got %v\nwant %v", got, want)
	}
	if !slices.ContainsFunc(res.Findings, func(f Finding) bool {
		return f.CheckID == "table.unit_items" && strings.Contains(f.Actual, "6 amounts")
	}) {
		t.Errorf("no table.unit_items finding for the units' 6 item amounts: %+v", res.Findings)
	}
	res = parseText(t, table("6.20"))
	if !slices.ContainsFunc(res.Lines, func(l Line) bool { return l.ItemName == "公务接待费" && l.SumCheck == "broken" }) {
		t.Error("公务接待费 6.20 against 合计 24.02 = 18.00 + 公务接待费: the row's sum does not break")
	}
}

// Funding sources under each item and a row a year (深圳's “三公” table):
// each item › source is a line named by the item with the source as its
// measure, the year before's row prior_year_<source>, the 增减 row
// change_<source>; 总计 adds up the items and 小计 its two parts, source by
// source.
func TestItemsAcrossBySourceAndYear(t *testing.T) {
	doc := outlineDoc + "2026年财政拨款“三公”经费支出表\n单位：万元\n" +
		"预算单位\t年度\t总计\t\t因公出国(境)费\t\t公务接待费\t\t公务用车购置及运行维护费\t\t\t\t\t\n" +
		"\t\t\t\t\t\t\t\t小计\t\t公务用车购置费\t\t公务用车运行维护费\t\n" +
		"\t\t一般公共预算\t政府性基金预算\t一般公共预算\t政府性基金预算\t一般公共预算\t政府性基金预算\t一般公共预算\t政府性基金预算\t一般公共预算\t政府性基金预算\t一般公共预算\t政府性基金预算\n" +
		"某市某局\t2025年\t59.66\t0.00\t41.60\t0.00\t9.46\t0.00\t8.60\t0.00\t0.00\t0.00\t8.60\t0.00\n" +
		"\t2026年\t58.46\t0.00\t41.60\t0.00\t9.46\t0.00\t7.40\t0.00\t0.00\t0.00\t7.40\t0.00\n" +
		"\t增减变化金额\t-1.20\t0.00\t0.00\t0.00\t0.00\t0.00\t-1.20\t0.00\t0.00\t0.00\t-1.20\t0.00\n"
	res := parseText(t, doc)
	got := map[string]string{}
	for _, l := range res.Lines {
		if l.TableKey == KeyThreePublic && !strings.HasSuffix(l.Measure, "government_fund") {
			got[l.ItemName+" "+l.Measure] = l.Raw + " " + l.SumCheck
		}
	}
	want := map[string]string{}
	for _, r := range []struct{ prefix, total, abroad, visit, car, buy, run string }{
		{"prior_year_", "59.66", "41.60", "9.46", "8.60", "0.00", "8.60"},
		{"", "58.46", "41.60", "9.46", "7.40", "0.00", "7.40"},
		{"change_", "-1.20", "0.00", "0.00", "-1.20", "0.00", "-1.20"},
	} {
		m := r.prefix + "general_public_budget"
		want["总计 "+m] = r.total + " holds"
		want["因公出国(境)费 "+m] = r.abroad + " holds"
		want["公务接待费 "+m] = r.visit + " holds"
		want["公务用车购置及运行维护费 "+m] = r.car + " holds"
		want["公务用车购置费 "+m] = r.buy + " holds"
		want["公务用车运行维护费 "+m] = r.run + " holds"
	}
	if !maps.Equal(got, want) {
		t.Errorf("三公 by source and year\n got %v\nwant %v", got, want)
	}
}

// A 收入总表 that prints 上年结转 among its columns may total it in 合计
// (115.00) or not (110.00, the national template's 本年收入 › 合计): either
// agrees with the summary's 本年收入合计; a figure that fits neither is found.
func TestIncomeTotalLessCarryover(t *testing.T) {
	for _, c := range []struct {
		total string
		fails bool
	}{{"115.00", false}, {"110.00", false}, {"116.00", true}} {
		doc := outlineDoc + "2026年收入总体情况表\n单位：万元\n科目编码\t科目名称\t合计\t上年结转\t一般公共预算拨款收入\t事业收入\n" +
			"\t合计\t" + c.total + "\t5.00\t100.00\t10.00\n"
		res := parseText(t, doc)
		failed := false
		for _, f := range res.Findings {
			if f.CheckID == "cross.income_total" {
				failed = true
				if !strings.Contains(f.Message, "total − carryover") {
					t.Errorf("message %q does not say what was compared", f.Message)
				}
			}
		}
		if failed != c.fails {
			t.Errorf("合计 %s with 上年结转 5.00 against 本年收入合计 110.00: cross.income_total found = %v, want %v", c.total, failed, c.fails)
		}
	}
}

// In a list of no budget classification, a row that fills several name
// columns (一级 | 二级 | 三级) is the item of the rightmost; in a classified
// table the name columns are parallel classifications and the first names
// the row (部门预算 | 政府预算支出经济科目名称).
func TestNameColumnsLevelsOrParallel(t *testing.T) {
	doc := outlineDoc + "2026年政府购买服务预算表\n单位：万元\n一级\t二级\t三级\t预算金额\n合计\t\t\t9.00\n" +
		"01-公共服务\t0112-农业、林业和水利公共服务\t森林经营与管理服务\t9.00\n" +
		"2026年一般公共预算基本支出表\n单位：万元\n部门预算支出经济科目名称\t政府预算支出经济科目名称\t合计\n合计\t\t3.00\n" +
		"工资福利支出\t\t3.00\n基本工资\t工资福利支出\t3.00\n"
	res := parseText(t, doc)
	var got []string
	for _, l := range res.Lines {
		if (l.TableKey == KeyServicePurchase || l.TableKey == KeyBasicByEconomic) && l.ItemName != "合计" {
			got = append(got, l.TableKey+":"+l.ItemName)
		}
	}
	want := []string{KeyServicePurchase + ":森林经营与管理服务", "basic_expenditure_by_economic:工资福利支出", "basic_expenditure_by_economic:基本工资"}
	if !slices.Equal(got, want) {
		t.Errorf("items\n got %q\nwant %q", got, want)
	}
}

// A total row that names itself only in a column read as text (合计 under
// 项目编号) is the table's total, and the items add up to it.
func TestTotalNamedInTextColumn(t *testing.T) {
	res := parseText(t, outlineDoc+"2026年政府采购预算明细表\n单位：万元\n项目编号\t项目\t总计\t一般公共预算拨款收入\n"+
		"合计\t\t9.00\t9.00\nA\t货物\t4.00\t4.00\nC\t服务\t5.00\t5.00\n")
	got := map[string]string{}
	for _, l := range res.Lines {
		if l.TableKey == KeyProcurement && l.Measure == "total" {
			got[l.ItemName] = l.SumCheck
		}
	}
	if want := map[string]string{"合计": "holds", "货物": "holds", "服务": "holds"}; !maps.Equal(got, want) {
		t.Errorf("procurement rows and their sum checks = %v, want %v", got, want)
	}
}
