package corpus

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
)

// The renderer writes a disclosure as a tab-separated text export in the
// layout of the Shanxi 13-table family (fixtures/text/*.txt) and records,
// cell by cell as it prints them, the rows the warehouse must hold.

type docWriter struct {
	b      *budget
	st     style
	r      *rand.Rand
	lines  []string
	ffNext bool
	truth  *Truth
}

// add appends a line and returns its 1-based number.
func (w *docWriter) add(s string) int {
	if w.ffNext && s != "" {
		s = "\f" + s
		w.ffNext = false
	}
	w.lines = append(w.lines, s)
	return len(w.lines)
}

func (w *docWriter) blank() { w.add("") }

// newPage starts a page: a form feed before the next line, or (exports
// without form feeds) blank lines.
func (w *docWriter) newPage() {
	if w.st.formFeeds {
		w.ffNext = true
		return
	}
	w.blank()
}

// midTableBreak marks a page break before the next table row.
func (w *docWriter) midTableBreak() {
	if w.st.formFeeds {
		w.ffNext = true
		return
	}
	w.blank()
}

func (w *docWriter) row(cells ...string) int { return w.add(strings.Join(cells, "\t")) }

// amount formats a table cell in 万元; zero is an empty cell.
func (w *docWriter) amount(c cents) string {
	if c == 0 {
		return ""
	}
	return fmtWan(c, w.st.thousands)
}

func fmtWan(c cents, thousands bool) string {
	neg := c < 0
	if neg {
		c = -c
	}
	s := group(int64(c)/100, thousands) + fmt.Sprintf(".%02d", int64(c)%100)
	if neg {
		s = "-" + s
	}
	return s
}

// group prints n with thousands separators when asked.
func group(n int64, sep bool) string {
	s := strconv.FormatInt(n, 10)
	if !sep || len(s) <= 3 {
		return s
	}
	var b strings.Builder
	pre := len(s) % 3
	if pre > 0 {
		b.WriteString(s[:pre])
	}
	for i := pre; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// narr formats an amount of the narrative (万元, no separators; zero is 0).
func narr(c cents) string {
	if c == 0 {
		return "0"
	}
	return fmtWan(c, false)
}

// yuanText formats an amount of the forms in 元 with separators.
func yuanText(y int64) string { return group(y, true) }

// cell prints an amount and records the budget line it must become.
func (w *docWriter) cell(table, side, code, name, measure string, c cents) string {
	s := w.amount(c)
	if s != "" {
		w.truth.Lines = append(w.truth.Lines, Line{Table: table, Side: side, Code: code, Name: name, Level: levelOf(code),
			Measure: measure, Yuan: c.yuan(), Raw: s})
	}
	return s
}

func levelOf(code string) int {
	switch len(code) {
	case 3:
		return 1
	case 5:
		return 2
	case 7:
		return 3
	}
	return 0
}

var cnDigits = []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}

// cn writes 1…99 in Chinese numerals (十一, 二十, 三十).
func cn(n int) string {
	switch {
	case n < 10:
		return cnDigits[n]
	case n == 10:
		return "十"
	case n < 20:
		return "十" + cnDigits[n-10]
	case n%10 == 0:
		return cnDigits[n/10] + "十"
	}
	return cnDigits[n/10] + "十" + cnDigits[n%10]
}

// Render writes the whole document.
func (w *docWriter) render() {
	b := w.b
	w.cover()
	w.toc()
	w.profile()
	w.newPage()
	w.add(fmt.Sprintf("第二部分 %d年部门预算报表", b.year))
	w.blank()
	w.summary()
	w.income()
	w.expenditure()
	w.appropriation()
	w.generalBudget()
	w.economic()
	w.govFundIncome()
	w.govFundExpenditure()
	w.stateCapital()
	w.threePublic()
	w.operating()
	w.projectTable(KeyProjectCurrent)
	w.projectTable(KeyProjectCarryover)
	w.narrative()
	w.assets()
	w.glossary()
}

func (w *docWriter) watermarks(n int) {
	if !w.st.watermark {
		return
	}
	for i := 0; i < n; i++ {
		w.blank()
		w.add("仅供内部审核")
	}
}

func (w *docWriter) cover() {
	b := w.b
	w.blank()
	w.watermarks(3)
	w.blank()
	w.add(b.dept.name)
	w.blank()
	w.add(fmt.Sprintf("%d年度部门预算公开", b.year))
	w.blank()
	w.watermarks(3)
	w.blank()
}

func (w *docWriter) toc() {
	b := w.b
	y := b.year
	w.newPage()
	w.add("目 录")
	w.blank()
	leader := "....."
	if w.r.IntN(2) == 0 {
		leader = "……………………"
	}
	page := 1
	e := func(s string) {
		w.row(s+leader, strconv.Itoa(page))
	}
	w.row("第一部分 概况", "1")
	e("一、部门职责")
	e("二、机构设置情况")
	page++
	w.row(fmt.Sprintf("第二部分 %d年部门预算报表", y), strconv.Itoa(page))
	for i, t := range tableTitles {
		e(fmt.Sprintf("表%s%s", cn(i+1), titleOf(t.title, y)))
		if i%2 == 1 {
			page++
		}
	}
	page++
	w.row(fmt.Sprintf("第三部分 %d年度部门预算情况说明", y), strconv.Itoa(page))
	for i, s := range []string{"部门预算收支数据变动情况及原因", "收入预算情况说明", "支出预算情况说明", "财政拨款收支预算总体情况说明",
		"一般公共预算支出情况说明", "一般公共预算基本支出情况说明", "“三公”经费增减变动原因说明", "机关运行经费增减变动原因说明",
		"政府采购情况", "绩效管理情况", "国有资产占有使用情况", "其他说明"} {
		e(cn(i+1) + "、" + s)
		if i == 9 {
			page += 1 + len(b.currentProjects())
		}
	}
	page++
	w.row("第四部分 名词解释"+leader, strconv.Itoa(page))
	w.blank()
	w.watermarks(2)
}

func (w *docWriter) profile() {
	b := w.b
	t := b.dept.typ
	w.newPage()
	w.add("第一部分 概况")
	w.blank()
	w.add("一、部门职责")
	w.blank()
	var duties []string
	for i, d := range t.duties {
		duties = append(duties, fmt.Sprintf("%d、%s；", i+1, d))
	}
	duties = append(duties, fmt.Sprintf("%d、承办上级交办的其他事项。", len(t.duties)+1))
	w.add(strings.Join(duties, " "))
	w.blank()
	w.add("二、机构设置情况")
	w.blank()
	units := ""
	if n := len(b.units) - 1; n > 0 {
		units = fmt.Sprintf("所属预算单位%d个，分别是%s。%s部门预算由本级和所属%d个单位的预算组成。", n, strings.Join(b.units[1:], "、"), b.dept.name, n)
	} else {
		units = "无所属预算单位，部门预算即本级预算。"
	}
	w.add(fmt.Sprintf("%s内设%s%d个科室，%s现有编制%d名，实有在职人员%d名。", b.dept.name, strings.Join(t.offices, "、"), len(t.offices), units,
		b.dept.staff, b.staffReal))
}

// tableTitles are the thirteen titles ({Y} is the year) and their keys.
var tableTitles = []struct{ key, title string }{
	{KeySummary, "{Y}年预算收支总表"},
	{KeyIncome, "{Y}年预算收入总表"},
	{KeyExpenditure, "{Y}年预算支出总表"},
	{KeyAppropriation, "{Y}年财政拨款收支总表"},
	{KeyGeneralBudget, "{Y}年一般公共预算支出预算表（不含上年结转）"},
	{KeyBasicByEconomic, "{Y}年一般公共预算安排基本支出分经济科目表（不含上年结转）"},
	{KeyGovFundIncome, "{Y}年政府性基金预算收入表（不含上年结转）"},
	{KeyGovFundExpenditure, "{Y}年政府性基金预算支出表（不含上年结转）"},
	{KeyStateCapital, "{Y}年国有资本经营预算收支预算表（不含上年结转）"},
	{KeyThreePublic, "{Y}年财政拨款安排“三公”经费支出预算表"},
	{KeyOperatingExpense, "{Y}年财政拨款安排机关运行经费预算表"},
	{KeyProjectCurrent, "{Y}年项目支出预算表（本年预算）"},
	{KeyProjectCarryover, "{Y}年项目支出预算表（上年结转）"},
}

// Table keys of the warehouse contract.
const (
	KeySummary            = "summary"
	KeyIncome             = "income"
	KeyExpenditure        = "expenditure"
	KeyAppropriation      = "appropriation_summary"
	KeyGeneralBudget      = "general_budget_expenditure"
	KeyBasicByEconomic    = "basic_expenditure_by_economic"
	KeyGovFundIncome      = "gov_fund_income"
	KeyGovFundExpenditure = "gov_fund_expenditure"
	KeyStateCapital       = "state_capital"
	KeyThreePublic        = "three_public"
	KeyOperatingExpense   = "operating_expense"
	KeyProjectCurrent     = "project_current"
	KeyProjectCarryover   = "project_carryover"
)

func titleOf(t string, y int) string { return strings.ReplaceAll(t, "{Y}", strconv.Itoa(y)) }

// tableStart prints a table's label, title, 部门名称 and 单位 lines, on a new
// page unless the table is small and shares the page of the one before.
func (w *docWriter) tableStart(key string, samePage bool) {
	b := w.b
	n := 0
	for i, t := range tableTitles {
		if t.key == key {
			n = i + 1
		}
	}
	if !samePage {
		w.newPage()
	} else {
		w.blank()
	}
	if n == 1 || w.st.labelEvery {
		w.add(fmt.Sprintf("预算公开表%d", n))
		w.blank()
	}
	title := titleOf(tableTitles[n-1].title, b.year)
	switch w.st.tableNumbers {
	case 1:
		title = "表" + cn(n) + title
	case 2:
		sep := " "
		if w.st.ideoSpace {
			sep = "\u3000"
		}
		title = "表" + cn(n) + sep + title
	}
	w.add(title)
	w.blank()
	if w.st.deptUnitLine {
		w.row("部门名称："+b.dept.name, "", "", "单位：万元")
	} else {
		w.add("部门名称：" + b.dept.name)
		w.blank()
		w.add("单位：万元")
	}
	w.blank()
	w.truthTable(key, "present")
}

func (w *docWriter) truthTable(key, status string) {
	for i := range w.truth.Tables {
		if w.truth.Tables[i].Key == key {
			w.truth.Tables[i].Status = status
			return
		}
	}
	w.truth.Tables = append(w.truth.Tables, TableStatus{key, status})
}

func (w *docWriter) noData(key string) {
	w.blank()
	w.add("注：本表无数据")
	w.truthTable(key, "empty")
}

// breakAt is the body row before which a long table breaks its page (-1: none).
func (w *docWriter) breakAt(rows int) int {
	if !w.st.midBreaks || rows < 14 {
		return -1
	}
	return rows/2 + w.r.IntN(rows/3)
}

// bodyRows prints rows, with a page break inside the table when the style
// asks; after a form-feed break, rows print one trailing empty cell fewer
// (as pdftotext does on the next page).
func (w *docWriter) bodyRows(rows [][]string) {
	at := w.breakAt(len(rows))
	short := false
	for i, r := range rows {
		if i == at {
			w.midTableBreak()
			short = w.st.formFeeds
		}
		if short && len(r) > 2 && r[len(r)-1] == "" {
			r = r[:len(r)-1]
		}
		w.row(r...)
	}
}

func (w *docWriter) summary() {
	b := w.b
	y := b.year
	w.tableStart(KeySummary, false)
	if w.st.summary3Rows {
		w.row("收入", "", "支出", "", "", "")
		w.row("项目", fmt.Sprintf("%d年", y), "项目", fmt.Sprintf("%d年", y), "", "")
		w.row("", "", "", "合计", "当年预算安排", "上年结转安排")
	} else {
		w.row("收入", "", "支出", "", "", "")
		w.row("项目", fmt.Sprintf("%d年", y), "项目", fmt.Sprintf("%d年合计", y), "当年预算安排", "上年结转安排")
	}
	const T = KeySummary
	in := "income"
	gpbCur := b.generalCurrentTotal()
	gf := b.sourceTotal(func(f figure) cents { return f.gf })
	sa := b.sourceTotal(func(f figure) cents { return f.sa })
	uf := b.sourceTotal(func(f figure) cents { return f.uf })
	incomes := []struct {
		name string
		v    cents
	}{{"一般公共预算", gpbCur}, {"政府性基金预算", gf}, {"国有资本经营预算", 0}, {"财政专户管理资金", sa}, {"单位资金", uf}}
	var rows [][]string
	for i, c := range classes {
		left := []string{"", ""}
		if i < len(incomes) {
			left = []string{cn(i+1) + "、" + incomes[i].name, w.cell(T, in, "", incomes[i].name, "total", incomes[i].v)}
		}
		f := b.figs[c.code]
		right := []string{cn(i+1) + "、" + c.name,
			w.cell(T, "expenditure", c.code, c.name, "total", f.all()),
			w.cell(T, "expenditure", c.code, c.name, "current_year", f.current()),
			w.cell(T, "expenditure", c.code, c.name, "carryover", f.carry)}
		rows = append(rows, append(left, right...))
	}
	w.bodyRows(rows)
	cur, carry, all := b.currentTotal(), b.carryTotal(), b.incomeTotal()
	w.row("本年收入合计", w.cell(T, in, "", "本年收入合计", "total", cur), "本年支出合计",
		w.cell(T, "expenditure", "", "本年支出合计", "total", all), w.cell(T, "expenditure", "", "本年支出合计", "current_year", cur),
		w.cell(T, "expenditure", "", "本年支出合计", "carryover", carry))
	w.row("上年结转", w.cell(T, in, "", "上年结转", "total", carry), "年终结转", "", "", "")
	w.row("收入总计", w.cell(T, in, "", "收入总计", "total", all), "支出总计",
		w.cell(T, "expenditure", "", "支出总计", "total", all), w.cell(T, "expenditure", "", "支出总计", "current_year", cur),
		w.cell(T, "expenditure", "", "支出总计", "carryover", carry))
	if w.st.roundingNote {
		w.blank()
		w.add("注：本套报表因取数时四舍五入，部分金额可能存在尾差")
	}
}

// codedRows prints the 合计 row and one row per 类, 款 and 项 with figures.
func (w *docWriter) codedRows(table string, keep func(figure) bool, cols []measureCol) {
	b := w.b
	tot := figure{}
	for c, f := range b.figs {
		if len(c) == 3 {
			tot.add(f)
		}
	}
	first := []string{"合计", ""}
	for _, mc := range cols {
		first = append(first, w.cell(table, "", "", "合计", mc.measure, mc.v(tot)))
	}
	rows := [][]string{first}
	for _, code := range b.codes(keep) {
		f := b.figs[code]
		name := nameOf(code)
		r := []string{code, name}
		for _, mc := range cols {
			r = append(r, w.cell(table, "", code, name, mc.measure, mc.v(f)))
		}
		rows = append(rows, r)
	}
	w.bodyRows(rows)
}

type measureCol struct {
	measure string
	v       func(figure) cents
}

func zero(figure) cents { return 0 }

func (w *docWriter) income() {
	w.tableStart(KeyIncome, false)
	cols := []measureCol{
		{"total", figure.current},
		{"general_public_budget", figure.generalCurrent},
		{"government_fund", func(f figure) cents { return f.gf }},
		{"state_capital", zero},
		{"special_account", func(f figure) cents { return f.sa }},
	}
	if w.st.incomeUnitCol {
		w.row("项目", "", "本年收入", "", "", "", "", "", "上年结转")
		w.row("科目编码", "科目名称", "合计", "一般公共预算", "政府性基金", "国有资本经营预算", "财政专户管理资金", "单位资金", "")
		cols = append(cols, measureCol{"unit_funds", func(f figure) cents { return f.uf }})
	} else {
		w.row("项目", "", "本年收入", "", "", "", "", "上年结转")
		w.row("科目编码", "科目名称", "合计", "一般公共预算", "政府性基金", "国有资本经营预算", "财政专户管理资金", "")
	}
	cols = append(cols, measureCol{"carryover", func(f figure) cents { return f.carry }})
	w.codedRows(KeyIncome, func(f figure) bool { return f.current() > 0 || f.carry > 0 }, cols)
}

var expenditureCols = []measureCol{{"total", figure.all}, {"basic", func(f figure) cents { return f.basic }}, {"project", figure.project}}

func (w *docWriter) expenditure() {
	w.tableStart(KeyExpenditure, false)
	w.row("项目", "", fmt.Sprintf("%d年预算数", w.b.year), "", "")
	w.row("科目编码", "科目名称", "合计", "基本支出", "项目支出")
	w.codedRows(KeyExpenditure, func(f figure) bool { return f.all() > 0 }, expenditureCols)
}

func (w *docWriter) appropriation() {
	b := w.b
	const T = KeyAppropriation
	w.tableStart(T, false)
	w.row("收入", "", "支出", "", "", "", "")
	w.row("项目", "金额", "项目", "金额", "", "", "")
	w.row("", "", "", "小计", "一般公共预算", "政府性基金预算", "国有资本经营预算")
	gpbCur := b.generalCurrentTotal()
	gf := b.sourceTotal(func(f figure) cents { return f.gf })
	carry := b.carryTotal()
	incomes := []struct {
		name string
		v    cents
	}{{"一般公共预算", gpbCur}, {"政府性基金预算", gf}, {"国有资本经营预算", 0}}
	var rows [][]string
	for i, c := range classes {
		left := []string{"", ""}
		if i < len(incomes) {
			left = []string{cn(i+1) + "、" + incomes[i].name, w.cell(T, "income", "", incomes[i].name, "total", incomes[i].v)}
		}
		f := b.figs[c.code]
		g := f.basic + f.gpb + f.carry
		rows = append(rows, append(left, cn(i+1)+"、"+c.name,
			w.cell(T, "expenditure", c.code, c.name, "total", g+f.gf),
			w.cell(T, "expenditure", c.code, c.name, "general_public_budget", g),
			w.cell(T, "expenditure", c.code, c.name, "government_fund", f.gf), ""))
	}
	w.bodyRows(rows)
	tot := gpbCur + gf + carry
	w.row("本年收入合计", w.cell(T, "income", "", "本年收入合计", "total", gpbCur+gf), "本年支出合计",
		w.cell(T, "expenditure", "", "本年支出合计", "total", tot),
		w.cell(T, "expenditure", "", "本年支出合计", "general_public_budget", gpbCur+carry),
		w.cell(T, "expenditure", "", "本年支出合计", "government_fund", gf), "")
	w.row("上年财政拨款结转", w.cell(T, "income", "", "上年财政拨款结转", "total", carry), "年终结转", "", "", "", "")
	w.row("一、一般公共预算", w.cell(T, "income", "", "一般公共预算", "carryover", carry), "", "", "", "", "")
	w.row("二、政府性基金预算", "", "", "", "", "", "")
	w.row("三、国有资本经营预算", "", "", "", "", "", "")
	w.row("收入总计", w.cell(T, "income", "", "收入总计", "total", tot), "支出总计",
		w.cell(T, "expenditure", "", "支出总计", "total", tot),
		w.cell(T, "expenditure", "", "支出总计", "general_public_budget", gpbCur+carry),
		w.cell(T, "expenditure", "", "支出总计", "government_fund", gf), "")
}

func (w *docWriter) generalBudget() {
	w.tableStart(KeyGeneralBudget, false)
	if w.r.IntN(2) == 0 {
		w.row("项目", "", fmt.Sprintf("%d年预算数", w.b.year), "", "")
	}
	w.row("科目编码", "科目名称", "合计", "基本支出", "项目支出")
	w.codedRows(KeyGeneralBudget, func(f figure) bool { return f.generalCurrent() > 0 },
		[]measureCol{{"total", figure.generalCurrent}, {"basic", func(f figure) cents { return f.basic }}, {"project", func(f figure) cents { return f.gpb }}})
}

func (w *docWriter) economic() {
	b := w.b
	const T = KeyBasicByEconomic
	w.tableStart(T, false)
	w.row("部门预算支出经济科目名称", "政府预算支出经济科目名称", fmt.Sprintf("%d年预算数", b.year), "", "")
	w.row("", "", "合计", "人员经费", "公用经费")
	pers, pub := b.personnel()
	rows := [][]string{{"合计", "", w.cell(T, "", "", "合计", "total", pers+pub), w.cell(T, "", "", "合计", "personnel", pers),
		w.cell(T, "", "", "合计", "public_expense", pub)}}
	for _, cl := range econClasses {
		var sum cents
		var items []econLine
		for _, e := range b.econ {
			if e.code[:3] == cl.code {
				sum += e.amount
				items = append(items, e)
			}
		}
		if sum == 0 {
			continue
		}
		m := "personnel"
		if cl.code == "302" {
			m = "public_expense"
		}
		rowFor := func(code, name, gov string, v cents) []string {
			r := []string{name, gov, w.cell(T, "", code, name, "total", v), "", ""}
			if m == "personnel" {
				r[3] = w.cell(T, "", code, name, m, v)
			} else {
				r[4] = w.cell(T, "", code, name, m, v)
			}
			return r
		}
		rows = append(rows, rowFor(cl.code, cl.name, "", sum))
		for _, e := range items {
			rows = append(rows, rowFor(e.code, e.name, e.gov, e.amount))
		}
	}
	w.bodyRows(rows)
}

func (w *docWriter) govFundIncome() {
	w.tableStart(KeyGovFundIncome, false)
	w.row("项目", "", "政府性基金收入预算")
	w.row("收入科目编码", "科目名称", "")
	w.row("合计", "", "")
	w.noData(KeyGovFundIncome)
}

func (w *docWriter) govFundExpenditure() {
	b := w.b
	w.tableStart(KeyGovFundExpenditure, true)
	has := b.sourceTotal(func(f figure) cents { return f.gf }) > 0
	if !has {
		w.row("科目编码", "科目名称", "合计", "基本支出", "项目支出")
		w.row("合计", "", "", "", "")
		w.noData(KeyGovFundExpenditure)
		return
	}
	w.row("项目", "", fmt.Sprintf("%d年预算数", b.year), "", "")
	w.row("科目编码", "科目名称", "合计", "基本支出", "项目支出")
	gf := func(f figure) cents { return f.gf }
	w.codedRows(KeyGovFundExpenditure, func(f figure) bool { return f.gf > 0 },
		[]measureCol{{"total", gf}, {"basic", zero}, {"project", gf}})
}

func (w *docWriter) stateCapital() {
	w.tableStart(KeyStateCapital, false)
	w.row("国有资本经营预算收入", "", "国有资本经营预算支出", "", "", "", "", "")
	w.row("项目", "", "国有资本经营收入预算", "科目编码", "科目名称", "合计", "基本支出", "项目支出")
	w.row("收入科目编码", "科目名称", "", "", "", "", "", "")
	w.row("合计", "", "", "", "", "", "", "")
	if d := w.defect(DefectEmptyNote); d != nil {
		w.truthTable(KeyStateCapital, "empty")
		w.recordDefect(d, KeyStateCapital, "the empty 国有资本经营 table without 空表说明")
		return
	}
	w.noData(KeyStateCapital)
}

func (w *docWriter) threePublic() {
	b := w.b
	const T = KeyThreePublic
	w.tableStart(T, true)
	w.row("项目", fmt.Sprintf("%d年预算数", b.year), "", "", "")
	w.row("", "合计", "一般公共预算", "政府性基金预算", "国有资本经营预算")
	tot := b.reception + b.carRun
	blank := w.defect(DefectBlankedTable) != nil && tot > 0
	if tot == 0 || blank {
		for _, n := range []string{"因公出国（境）费", "公务接待费", "公务用车购置及运行费", "①公务用车购置费", "②公务用车运行维护费", "合计"} {
			w.row(n, "", "", "", "")
		}
		if blank {
			w.truthTable(T, "empty")
			w.recordDefect(w.defect(DefectBlankedTable), "三公", "the “三公” table printed blank, the narrative stating "+narr(tot)+"万元")
			return
		}
		w.noData(T)
		return
	}
	line := func(printed, name string, v cents) []string {
		return []string{printed, w.cell(T, "", "", name, "total", v), w.cell(T, "", "", name, "general_public_budget", v), "", ""}
	}
	printed := tot
	if d := w.defect(DefectPartsSum); d != nil {
		printed += d.delta
		w.recordDefect(d, KeyThreePublic, "“三公” 合计 printed "+narr(printed)+", its parts add to "+narr(tot))
	}
	total := line("合计", "合计", printed)
	if !w.st.threeTotalLast {
		w.row(total...)
	}
	w.row(line("因公出国（境）费", "因公出国（境）费", 0)...)
	w.row(line("公务接待费", "公务接待费", b.reception)...)
	w.row(line("公务用车购置及运行费", "公务用车购置及运行费", b.carRun)...)
	w.row(line("①公务用车购置费", "公务用车购置费", 0)...)
	w.row(line("②公务用车运行维护费", "公务用车运行维护费", b.carRun)...)
	if w.st.threeTotalLast {
		w.row(total...)
	}
}

func (w *docWriter) operating() {
	b := w.b
	const T = KeyOperatingExpense
	w.tableStart(T, false)
	w.row("单位名称", fmt.Sprintf("%d预算数", b.year), "", "", "")
	w.row("", "合计", "一般公共预算", "政府性基金预算", "国有资本经营预算")
	if b.operating == 0 {
		w.row("部门合计", "", "", "", "")
		w.noData(T)
		return
	}
	w.row("部门合计", w.cell(T, "", "", "部门合计", "total", b.operating), w.cell(T, "", "", "部门合计", "general_public_budget", b.operating), "", "")
	if w.st.operatingUnit && len(b.units) == 1 {
		n := b.dept.name
		w.row(n, w.cell(T, "", "", n, "total", b.operating), w.cell(T, "", "", n, "general_public_budget", b.operating), "", "")
	}
}

// projectTable prints 项目支出预算表 (本年预算 or 上年结转): the department's
// total row, then each unit's subtotal row and its projects (the
// department's own projects under a row with its own name).
func (w *docWriter) projectTable(key string) {
	b := w.b
	carry := key == KeyProjectCarryover
	ps := b.currentProjects()
	if carry {
		ps = b.carryProjects()
	}
	w.tableStart(key, false)
	y := b.year
	type col struct {
		measure string
		v       func(*project) cents
	}
	cols := []col{{"total", (*project).total}, {"general_public_budget", func(p *project) cents { return p.gpb }},
		{"government_fund", func(p *project) cents { return p.gf }}, {"state_capital", func(*project) cents { return 0 }}}
	if carry {
		w.row("项目名称", "合计", fmt.Sprintf("%d年财政拨款", y), "", "")
		w.row("", "", "一般公共预算", "政府性基金预算", "国有资本经营预算")
		w.row("1", "2", "3", "4", "5")
	} else {
		w.row("项目名称", "合计", fmt.Sprintf("%d年财政拨款", y), "", "", "财政专户管理 资金", "单位资金")
		w.row("", "", "一般公共预算", "政府性基 金预算", "国有资本经营预 算", "", "")
		w.row("1", "2", "3", "4", "5", "6", "7")
		cols = append(cols, col{"special_account", func(p *project) cents { return p.sa }}, col{"unit_funds", func(p *project) cents { return p.uf }})
	}
	if len(ps) == 0 {
		w.noData(key)
		return
	}
	sum := func(xs []*project) *project {
		s := &project{}
		for _, p := range xs {
			s.gpb += p.gpb
			s.gf += p.gf
			s.sa += p.sa
			s.uf += p.uf
		}
		return s
	}
	row := func(printed, name string, p *project) []string {
		r := []string{printed}
		for _, c := range cols {
			r = append(r, w.cell(key, "", "", name, c.measure, c.v(p)))
		}
		return r
	}
	var rows [][]string
	rows = append(rows, row(b.dept.name, b.dept.name, sum(ps)))
	for u, un := range b.units {
		var mine []*project
		for _, p := range ps {
			if p.unit == u {
				mine = append(mine, p)
			}
		}
		if len(mine) == 0 {
			continue
		}
		rows = append(rows, row(un, un, sum(mine)))
		for _, p := range mine {
			rows = append(rows, row(p.printed, p.name, p))
			pr := Project{Name: p.name, Yuan: p.total().yuan(), Funding: "current"}
			if carry {
				pr.Funding = "carryover"
			}
			if p.gpb > 0 {
				pr.GPBYuan, pr.HasGPB = p.gpb.yuan(), true
			}
			w.truth.Projects = append(w.truth.Projects, pr)
		}
	}
	w.bodyRows(rows)
}
