package transform

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/gongkai/gongkai/extract"
	"github.com/shopspring/decimal"
)

// Item names read by OCR. The amounts of a scanned table are checked by its
// sums; its names by the classification dictionary, the template's total
// rows and the document itself (the same code is printed in several tables).

// ocrSpecks are marks OCR reads beside a figure from specks, watermark
// strokes and cell borders; never part of an amount.
const ocrSpecks = "、'‘’\"“”`_~|"

// labelMarks are marks at either end of a name, code or header label that
// are never part of it: the specks of ocrSpecks, rule strokes, stray
// punctuation and the dash of a list number OCR reads there.
const labelMarks = ocrSpecks + "。，,.-—@\\:：;；"

// trimLabel trims labelMarks off a label's ends, but keeps an opening
// quote the label closes (“三公”经费合计).
func trimLabel(s string) string {
	t := strings.Trim(s, labelMarks)
	for _, q := range [][2]string{{"“", "”"}, {"‘", "’"}} {
		if strings.HasPrefix(s, q[0]) && !strings.HasPrefix(t, q[0]) && strings.Contains(t, q[1]) && !strings.Contains(t, q[0]) {
			t = q[0] + t
		}
	}
	return t
}

// ocrBrackets puts the brackets OCR reads half-width or as angle brackets
// back to the full-width ones the templates print (党委办公厅（室）).
var ocrBrackets = strings.NewReplacer("(", "（", ")", "）", "〈", "（", "〉", "）", "《", "（", "》", "）", "（（", "（", "））", "）")

var ocrListNumber = regexp.MustCompile(`^[^、,，]{1,4}[、,，]`)

// cleanOCRName strips junk from the ends of a name read by OCR and puts its
// brackets right; the text as read stays in the row's cells.
func cleanOCRName(s string) string {
	s = CleanName(strings.Trim(s, labelMarks))
	// List numbering misread (人+、卫生健康支出, 十五,其他支出): up to four
	// characters before a 、 or comma.
	if m := ocrListNumber.FindStringIndex(s); m != nil && extract.HanCount(s[m[1]:]) >= 2 {
		s = s[m[1]:]
	}
	s = ocrBrackets.Replace(strings.Trim(s, labelMarks))
	return strings.NewReplacer("（（", "（", "））", "）").Replace(s)
}

// templateLabels are the uncoded row labels the templates print: the total
// rows, the funding sources of the summary tables and the items of the
// “三公” table.
var templateLabels = func() map[string]bool {
	m := map[string]bool{}
	for _, r := range layouts.Rows {
		for _, t := range r.Exact {
			m[t] = true
		}
	}
	for _, t := range []string{"一般公共预算", "政府性基金预算", "国有资本经营预算", "财政专户管理资金", "单位资金",
		"事业收入", "事业单位经营收入", "上级补助收入", "附属单位上缴收入", "其他收入",
		"公务接待费", "公务用车购置及运行费", "公务用车购置费", "公务用车运行维护费", "因公出国（境）费"} {
		m[t] = true
	}
	return m
}()

// ocrTotalName gives an uncoded row whose name is a misreading of exactly
// one of the template's row labels that label: a stray mark or digit in
// front (2公务用车运行维护费), or one character in five off (支出总计了,
// 务接待费); a lone 计 — the 合 of a spaced 合  计 lost — is 合计.
func (p *tableParser) ocrTotalName(lab *label, r extract.Row) {
	if lab.code != "" || lab.name == "" || templateLabels[lab.name] {
		return
	}
	name := ""
	if lab.name == "计" || lab.name == "合" {
		name = "合计"
	} else if rest := strings.TrimLeft(lab.name, "0123456789０１２３４５６７８９-_,.;:、“”\"'@\\"); rest != lab.name && templateLabels[rest] {
		name = rest
	} else if n := len([]rune(lab.name)); n >= 3 {
		// Tried in turn, each needing exactly one label: one character in
		// five off; the same characters in another order (本年合计收入, a
		// cell's two lines read out of order); the label's start or end,
		// three quarters of it or more (上年财政拨款, 年结转).
		tests := []func(t string) bool{
			func(t string) bool {
				limit := max(1, n/5)
				return abs(len([]rune(t))-n) <= limit && editOps(lab.name, t) <= limit
			},
			func(t string) bool { return sameRunes(t, lab.name) },
			func(t string) bool {
				return n*4 >= len([]rune(t))*3 && (strings.HasPrefix(t, lab.name) || strings.HasSuffix(t, lab.name))
			},
		}
		for _, test := range tests {
			found, ties := "", 0
			for t := range templateLabels {
				if test(t) {
					found = t
					ties++
				}
			}
			if ties == 1 {
				name = found
				break
			}
		}
	}
	if name == "" {
		return
	}
	p.res.Corrections = append(p.res.Corrections, Correction{Field: "budget_lines.item_name", Raw: lab.name, Normalized: name,
		Rule: "name.template", Evidence: "a misreading of the template's row label " + name + ", with no code", Page: r.Page, Line: r.No})
	lab.name = name
}

// ocrCodeName gives a coded row the dictionary's name for its code when the
// name read is a misreading of it (at most a third of its characters off).
func (p *tableParser) ocrCodeName(code string, lab *label, r extract.Row) {
	d := FunctionClasses
	if p.rg.key == KeyBasicByEconomic {
		d = EconomicClasses
	}
	want := d.NameOf(code, p.year)
	if want == "" || lab.name == want {
		return
	}
	ops := editOps(dictKey(lab.name), want)
	if lab.name != "" && ops*3 > len([]rune(want)) {
		return
	}
	p.res.Corrections = append(p.res.Corrections, Correction{Field: "budget_lines.item_name", Raw: lab.name, Normalized: want,
		Rule: "name.dictionary", Evidence: fmt.Sprintf("the classification dictionary's name for code %s, %d character(s) off", code, ops), Page: r.Page, Line: r.No})
	lab.name = want
}

// NameOf returns the name of code in force in year ("" when the dictionary
// does not have the code).
func (d *Dictionary) NameOf(code string, year int) string {
	d.once.Do(func() {
		d.byCode = map[string][]string{}
		for name, es := range d.entries {
			for _, e := range es {
				d.byCode[e.code] = append(d.byCode[e.code], name)
			}
		}
		for _, names := range d.byCode {
			sort.Strings(names)
		}
	})
	names := d.byCode[code]
	for _, n := range names {
		if d.Lookup(n, year) == code {
			for _, e := range d.entries[n] {
				if e.code == code && (e.from == 0 || year >= e.from) && (e.to == 0 || year <= e.to) {
					return n
				}
			}
		}
	}
	if len(names) == 1 {
		return names[0]
	}
	return ""
}

// nameMajority makes the spellings of a code's name agree across a scanned
// document's tables: where one spelling is printed at least twice as often
// as any other, the others (each at most a third of its characters off)
// take it. Rows are counted once, whatever their number of amounts.
func nameMajority(res *Result) {
	type row struct {
		table, side string
		line        int
	}
	counts := map[string]map[string]int{} // code → name → rows
	seen := map[row]bool{}
	for _, l := range res.Lines {
		if l.ItemCode == "" || l.ItemName == "" {
			continue
		}
		k := row{l.TableKey, l.Side, l.Line}
		if seen[k] {
			continue
		}
		seen[k] = true
		if counts[l.ItemCode] == nil {
			counts[l.ItemCode] = map[string]int{}
		}
		counts[l.ItemCode][l.ItemName]++
	}
	rename := map[[2]string]string{} // code, name → majority name
	for code, names := range counts {
		if len(names) < 2 {
			continue
		}
		best, bestN, second := "", 0, 0
		for n, c := range names {
			switch {
			case c > bestN || c == bestN && n < best:
				best, bestN, second = n, c, max(second, bestN)
			case c > second:
				second = c
			}
		}
		if bestN < 2*second {
			continue
		}
		for n := range names {
			if n != best && editOps(n, best)*3 <= len([]rune(best)) {
				rename[[2]string{code, n}] = best
			}
		}
	}
	done := map[row]bool{}
	for i := range res.Lines {
		l := &res.Lines[i]
		to, ok := rename[[2]string{l.ItemCode, l.ItemName}]
		if !ok {
			continue
		}
		if k := (row{l.TableKey, l.Side, l.Line}); !done[k] {
			done[k] = true
			res.Corrections = append(res.Corrections, Correction{Field: "budget_lines.item_name", Raw: l.ItemName, Normalized: to,
				Rule: "name.majority", Evidence: fmt.Sprintf("code %s is printed as %s in %d rows of the document, as %s in %d",
					l.ItemCode, to, counts[l.ItemCode][to], l.ItemName, counts[l.ItemCode][l.ItemName]), Page: l.Page, Line: l.Line})
		}
		l.ItemName = to
	}
}

// Amounts and titles read by OCR.

var (
	ocrThousands = regexp.MustCompile(`^-?\d{1,3}(\.\d{3})+\.\d{2}$`) // 3.035.66, 22.186.440.80
	ocrColonDec  = regexp.MustCompile(`^-?[\d,]*\d[:：]\d{2}$`)        // 217:50
)

// ocrAmountText is the figure an amount cell read by OCR prints: specks at
// either end dropped (、346.38, 。30.00, 217.50.), a semicolon read for a
// thousands separator (2;960.66), a colon for the decimal point (217:50),
// and thousands separators read as points (3.035.66, with groups of three
// and two decimals). A change beyond the specks gets an ocr.punctuation
// correction; raw keeps what was read.
func (p *tableParser) ocrAmountText(raw string, r extract.Row) string {
	s := strings.Trim(raw, ocrSpecks+"。，")
	s = strings.TrimRight(s, ".,")
	if strings.Count(s, ".") > 1 && strings.HasPrefix(s, ".") {
		s = s[1:]
	}
	specks := s
	s = strings.NewReplacer(";", ",", "；", ",").Replace(s)
	s = strings.ReplaceAll(s, ",.", ".") // 3,.035.66
	if ocrColonDec.MatchString(s) {
		s = strings.NewReplacer(":", ".", "：", ".").Replace(s)
	}
	if ocrThousands.MatchString(s) {
		i := strings.LastIndexByte(s, '.')
		s = strings.ReplaceAll(s[:i], ".", ",") + s[i:]
	}
	if s != specks {
		p.res.Corrections = append(p.res.Corrections, Correction{Field: "budget_lines.raw", Raw: raw, Normalized: s, Rule: "ocr.punctuation",
			Evidence: "separators as OCR read them, put back by the figure's digit groups", Page: r.Page, Line: r.No})
	}
	return s
}

// ocrTitleDash is a dash read between 表 and its bracket (支出预算表-（上年结转）).
var (
	ocrTitleDash = regexp.MustCompile(`表[-—_~]+（`)
	noQuotes     = strings.NewReplacer("“", "", "”", "", "\"", "")
)

// classifyTitleOCR is ClassifyTitle for a line read by OCR: brackets put
// right first, and, when the line is still no title, the standard table
// whose name it is a misreading of — at most one character in five off
// (预算收支表 for 预算收支总表, 项目支出预算条（上年结转）), and no other
// table as close.
func classifyTitleOCR(line string) string {
	t := ocrTitleDash.ReplaceAllString(ocrBrackets.Replace(squashSpace(line)), "表（")
	if k := ClassifyTitle(t); k != "" {
		return k
	}
	if !titleShaped(t) {
		return ""
	}
	core := titlePrefix.ReplaceAllString(t, "")
	core = titleYear.ReplaceAllString(core, "")
	core = noQuotes.Replace(notCarry.ReplaceAllString(core, ""))
	// 表十三2025年…: the prefix's numeral run takes the year's digits too.
	core = strings.TrimPrefix(strings.TrimPrefix(core, "度"), "年")
	core = strings.TrimPrefix(core, "度")
	n := len([]rune(core))
	if n < 5 {
		return ""
	}
	best, bestD, ties := "", 0, 0
	for _, st := range append(append([]struct{ Key, Name string }{}, StandardTables...), OtherTables...) {
		name := noQuotes.Replace(st.Name)
		limit := max(1, len([]rune(name))/5)
		if abs(len([]rune(name))-n) > limit {
			continue
		}
		d := editOps(core, name)
		if d > limit {
			continue
		}
		switch {
		case best == "" || d < bestD:
			best, bestD, ties = st.Key, d, 1
		case d == bestD:
			ties++
		}
	}
	if ties != 1 {
		return ""
	}
	return best
}

// ocrRegionPrefix gives a row whose name starts with a misreading of the
// department's region (大同市云网区第一中学 under 大同市云冈区教育局: the
// units of the project tables) the region's spelling, one character off.
func (p *tableParser) ocrRegionPrefix(lab *label, r extract.Row) {
	region := []rune(regionOf(p.dept))
	name := []rune(lab.name)
	if lab.code != "" || len(region) < 3 || len(name) <= len(region)+1 || string(name[:len(region)]) == string(region) ||
		editOps(string(name[:len(region)]), string(region)) != 1 {
		return
	}
	to := string(region) + string(name[len(region):])
	p.res.Corrections = append(p.res.Corrections, Correction{Field: "budget_lines.item_name", Raw: lab.name, Normalized: to,
		Rule: "name.region", Evidence: "starts one character off the department's region " + string(region), Page: r.Page, Line: r.No})
	lab.name = to
}

// ocrDepartmentName gives a row named as a misreading of the document's
// department (凌州经济开发区党群工作部 for 朔州…: the subtotal row of the
// project tables) the department's name, at most one character in five off.
func (p *tableParser) ocrDepartmentName(lab *label, r extract.Row) {
	if lab.code != "" || p.dept == "" || lab.name == "" || lab.name == p.dept {
		return
	}
	n := len([]rune(p.dept))
	if abs(len([]rune(lab.name))-n) > n/5 || editOps(lab.name, p.dept) > n/5 {
		return
	}
	p.res.Corrections = append(p.res.Corrections, Correction{Field: "budget_lines.item_name", Raw: lab.name, Normalized: p.dept,
		Rule: "name.department", Evidence: fmt.Sprintf("%d character(s) off the document's department", editOps(lab.name, p.dept)), Page: r.Page, Line: r.No})
	lab.name = p.dept
}

var twoDecimals = regexp.MustCompile(`^-?[\d,]*\d\.\d{2}$`)

// pointedTable reports whether four in five of the figures in a table's
// body print two decimals (and there are at least four).
func pointedTable(body []extract.Row) bool {
	n, pointed := 0, 0
	for _, r := range body {
		for _, c := range r.Cells {
			c = strings.TrimSpace(c)
			if !extract.IsNumber(c) || codeCell.MatchString(c) {
				continue
			}
			n++
			if twoDecimals.MatchString(c) {
				pointed++
			}
		}
	}
	return n >= 4 && pointed*5 >= n*4
}

// isSpeck reports an OCR figure of at most two digits without two decimals
// (2, .2, ,5, 30): in a table that prints 0.01 as its smallest figure, a
// mark on the paper.
func isSpeck(s string) bool {
	if twoDecimals.MatchString(s) {
		return false
	}
	digits := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	return digits <= 2
}

// sameRunes reports whether a and b hold the same characters, in any order.
func sameRunes(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	if len(ra) != len(rb) {
		return false
	}
	slices.Sort(ra)
	slices.Sort(rb)
	return slices.Equal(ra, rb)
}

// asciiNoise drops the Latin letters and ASCII punctuation OCR reads inside a
// Chinese name (其他商bn:和服务支出); digits stay.
func asciiNoise(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 128 && !(r >= '0' && r <= '9') {
			return -1
		}
		return r
	}, s)
}

// nameUnnamedTotal names 合计 the first row of a table whose name OCR lost
// entirely, when each of its amounts is the sum of the table's 类 rows in
// the same column (the template's total row).
func nameUnnamedTotal(res *Result) {
	first := map[string]int{} // table → line of its first amount row
	for _, l := range res.Lines {
		if f, ok := first[l.TableKey]; !ok || l.Line < f {
			first[l.TableKey] = l.Line
		}
	}
	twoSided := map[string]bool{}
	for _, l := range res.Lines {
		twoSided[l.TableKey] = twoSided[l.TableKey] || l.Side != ""
	}
	for table, line := range first {
		if table == KeySummary || table == KeyAppropriation || twoSided[table] {
			continue
		}
		var rows []int
		ok := true
		for i, l := range res.Lines {
			if l.TableKey == table && l.Line == line {
				rows = append(rows, i)
				ok = ok && l.ItemCode == "" && l.ItemName == ""
			}
		}
		if !ok || len(rows) == 0 {
			continue
		}
		for _, i := range rows {
			sum, n := decimal.Zero, 0
			for _, l := range res.Lines {
				if l.TableKey == table && l.Measure == res.Lines[i].Measure && len(l.ItemCode) == 3 {
					sum, n = sum.Add(l.AmountYuan), n+1
				}
			}
			if n == 0 || !sum.Equal(res.Lines[i].AmountYuan) {
				ok = false
			}
		}
		if !ok {
			continue
		}
		l := res.Lines[rows[0]]
		res.Corrections = append(res.Corrections, Correction{Field: "budget_lines.item_name", Raw: "", Normalized: "合计", Rule: "name.template",
			Evidence: "the table's first row, its name not read, each amount the sum of the table's 类 rows", Page: l.Page, Line: l.Line})
		for _, i := range rows {
			res.Lines[i].ItemName = "合计"
		}
	}
}
