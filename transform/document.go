package transform

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/gongkai/gongkai/extract"
)

// oneAmountPerCell keeps one amount per cell of budget_lines — (table,
// side, line, item, measure), the warehouse's key — and reports every other
// amount a parse put there (a column read twice, a name cell spanning two
// rows) as a cell.duplicate finding, not loaded.
func oneAmountPerCell(res *Result) {
	type cell struct {
		table, side, name, measure string
		line                       int
	}
	seen := map[cell]int{}
	kept := res.Lines[:0]
	for _, l := range res.Lines {
		k := cell{l.TableKey, l.Side, l.ItemName, l.Measure, l.Line}
		if i, dup := seen[k]; dup {
			first := kept[i]
			res.Findings = append(res.Findings, Finding{CheckID: "cell.duplicate", Severity: "warning", TableKey: l.TableKey,
				Message: fmt.Sprintf("two amounts read for one cell of %s (row %q, measure %s): %q kept, %q not loaded",
					l.TableKey, l.ItemName, l.Measure, first.Raw, l.Raw),
				Expected: first.Raw, Actual: l.Raw, Page: l.Page, Line: l.Line})
			continue
		}
		seen[k] = len(kept)
		kept = append(kept, l)
	}
	res.Lines = kept
}

type tableParser struct {
	res    *Result
	rg     *tableRegion
	year   int
	dept   string
	factor decimal.Decimal
	cells  cellReader // how cells are read: as printed, or repaired (OCR)
	class  string     // the code of the last 类 row (3 digits) of the table
	// The last code printed in a table whose codes stand in 类 | 款 | 项
	// columns, for rows that print only their own part (│40│ under 201).
	lastCode string
}

func (p *tableParser) parse() {
	rg := p.rg
	unit := rg.unit
	if unit == "" {
		unit = "万元"
		p.res.Findings = append(p.res.Findings, Finding{CheckID: "table.unit_missing", Severity: "warning", TableKey: rg.key,
			Message: "no 单位 line above the table; assumed 万元", Expected: "单位：…", Actual: "", Page: rg.page, Line: rg.no})
	}
	p.factor = unitFactor[unit]
	rows := extract.Grid(rg.lines)
	var header [][]string
	var headerRows, body []extract.Row
	for _, r := range rows {
		if len(r.Cells) == 0 {
			continue
		}
		if isOrdinalRow(r.Cells) {
			continue
		}
		if len(body) == 0 && !isBodyRow(r.Cells, len(header) > 0) {
			header = append(header, r.Cells)
			headerRows = append(headerRows, r)
			continue
		}
		if isRepeatedHeader(header, r.Cells) {
			continue // the header printed again on a continuation page
		}
		if isRepeatedTotal(body, r.Cells) {
			continue // the 合计 row printed again atop a continuation page
		}
		body = append(body, r)
	}
	body = p.alignToHeader(headerRows, body)
	ncol := 0
	for _, h := range header {
		ncol = max(ncol, len(h))
	}
	for _, b := range body {
		ncol = max(ncol, len(b.Cells))
	}
	cols := analyzeHeader(rg.key, header, ncol)
	nameFromBody(cols, body)
	transposed := itemColumns(cols, p.year)
	// byUnit: items across and a row a unit (浙江's “三公” tables).
	byUnit := transposed && slices.ContainsFunc(cols, isLabelColumn)
	unlabelled := !transposed && !slices.ContainsFunc(cols, func(c colInfo) bool {
		return c.role == roleCode || c.role == roleName || c.role == roleName2
	})
	p.skippedColumns(cols, body)
	if sums := columnSums(cols); len(sums) > 0 {
		if p.res.colSums == nil {
			p.res.colSums = map[string][]colSum{}
		}
		p.res.colSums[rg.key] = sums
	}
	st := SourceTable{TableKey: rg.key, Title: rg.title, Page: rg.page, Line: rg.no, Unit: unit}
	if rg.titleLost {
		// The title itself was not read: the table is known by its header.
		p.res.Findings = append(p.res.Findings, Finding{CheckID: "table.title_unread", Severity: "warning", TableKey: rg.key,
			Message:  fmt.Sprintf("no title read above the table on page %d; identified as %s by its column header", rg.page, rg.key),
			Expected: "a table title", Actual: "", Page: rg.page, Line: rg.no})
	}
	before := len(p.res.Lines)
	unitItems := 0 // amounts of units' rows by item, in a table of items across (not loaded)
	groups := columnGroups(cols)
	p.cells.table(body)
	carryBlock := false // inside the 上年(财政拨款)结转 block of a two-sided table
	var projRows []projectRow
	for _, r := range body {
		rowHasAmount := false
		labs := make([]label, len(groups))
		amts := make([][]amountCell, len(groups))
		for gi, g := range groups {
			labs[gi], amts[gi] = p.cellsOf(cols, g, r)
		}
		// A total whose name sits in one group and its amount in the next
		// (a merged cell across 功能分类 and 支出用途): the amount takes the name.
		for gi := 1; gi < len(groups); gi++ {
			prev := gi - 1
			if groups[prev].side == groups[gi].side && labs[gi].name == "" && labs[gi].code == "" && hasValue(amts[gi]) &&
				labs[prev].name != "" && !hasValue(amts[prev]) {
				labs[gi] = labs[prev]
				labs[prev] = label{}
			}
		}
		for gi, g := range groups {
			side := g.side
			lab, amounts := labs[gi], amts[gi]
			if lab.name == "" && lab.code == "" && len(amounts) == 0 {
				continue
			}
			p.cells.label(&lab, r)
			if side == "income" {
				switch {
				case lab.name == "上年结转" || lab.name == "上年财政拨款结转":
					carryBlock = len(amounts) > 0
				case totals.has(lab.name):
					carryBlock = false
				}
			}
			if rg.key == KeyProjectCurrent || rg.key == KeyProjectCarryover {
				if len(amounts) == 0 && lab.name != "" && len(projRows) > 0 && lab.code == "" {
					// A project name wrapped onto a line of its own.
					last := &projRows[len(projRows)-1]
					last.name += lab.name
					p.renameLast(last.name)
					continue
				}
			}
			code, level := p.classify(side, &lab, r)
			fromDict := code != "" && lab.code == ""
			if code != "" && len(amounts) > 0 {
				p.cells.codedLabel(code, &lab, r)
			}
			for _, a := range amounts {
				if a.raw == "" {
					continue
				}
				text, ok := p.cells.amount(a, &lab, r)
				if !ok {
					continue
				}
				v, err := ParseAmount(text, p.factor)
				if err != nil {
					if !isDash(a.raw) {
						p.res.Findings = append(p.res.Findings, Finding{CheckID: "cell.not_amount", Severity: "warning", TableKey: rg.key,
							Message: fmt.Sprintf("cell %q in column %s of row %q is not an amount", a.raw, a.measure, lab.name), Expected: "amount", Actual: a.raw, Page: r.Page, Line: r.No})
					}
					continue
				}
				measure := a.measure
				if carryBlock && side == "income" && !totals.has(lab.name) {
					measure = "carryover"
				}
				rowHasAmount = true
				name := lab.name
				across, itemsRow := transposed, false
				switch {
				case transposed && name == "":
					name = cols[a.col].item // a table whose items are its columns
				case byUnit && rowMeasure(name, p.year, a.measure) != "":
					// A row a year (深圳: 2025年 │ 2026年 │ 增减变化金额): the
					// year's, the year before's or the change of each item.
					measure = rowMeasure(name, p.year, a.measure)
					name = cols[a.col].item
				case byUnit && !totals.has(CleanName(name)):
					// A unit's row of a table whose items are its columns: its
					// total under its name; its items are not loaded (budget_lines
					// has no unit beside the item), the total row's are.
					if len(cols[a.col].path) != 1 || !totalLike(cols[a.col].label) {
						unitItems++
						continue
					}
					across = false
				case byUnit:
					// The total row: the department's figure of each item, its
					// total column under the row's own name.
					itemsRow = true
					if len(cols[a.col].path) == 1 && totalLike(cols[a.col].label) {
						across = false
					} else {
						name = cols[a.col].item
					}
				case name == "" && lab.code == "" && unlabelled:
					name = "合计" // the one row of a table without a label column: its total
				}
				p.res.Lines = append(p.res.Lines, Line{TableKey: rg.key, Side: side, ItemCode: code, ItemName: name, ItemLevel: level,
					Measure: measure, AmountYuan: v, Raw: a.raw, Page: r.Page, Line: r.No,
					col: a.col, outline: lab.outline, first: lab.first, role: rowRole(name), across: across, itemsRow: itemsRow, nameCol: lab.nameCol, grp: gi, dictCode: fromDict})
			}
			if rg.key == KeyProjectCurrent || rg.key == KeyProjectCarryover {
				if pr, ok := p.projectRow(lab, amounts, r); ok {
					projRows = append(projRows, pr)
				}
			}
		}
		if rowHasAmount {
			st.RowCount++
		}
	}
	if unitItems > 0 {
		p.res.Findings = append(p.res.Findings, Finding{CheckID: "table.unit_items", Severity: "info", TableKey: rg.key,
			Message:  fmt.Sprintf("%s prints its items across and a row a unit: the total row's items and each unit's total are loaded, the %d amounts of the units' items are not (budget_lines has no unit beside the item)", rg.key, unitItems),
			Expected: "one row of items", Actual: fmt.Sprintf("%d amounts by unit", unitItems), Page: rg.page, Line: rg.no})
	}
	if len(p.res.Lines) > before {
		st.Status = "present"
	} else {
		st.Status = "empty"
	}
	p.res.Tables = append(p.res.Tables, st)
	if len(projRows) > 0 {
		p.addProjects(projRows)
	}
}

// alignToHeader maps the cells of body rows drawn on another column grid
// than the header's — a table continued on a page where the office suite
// merged or split columns — onto the header's columns: each cell to the
// header column it overlaps most (a merged cell: the first of those it
// spans). Rows on the header's grid, and rows without extents (text
// exports, unruled tables), are left as they are.
func (p *tableParser) alignToHeader(header, body []extract.Row) []extract.Row {
	// The header's columns: the narrowest extent printed at each index (a
	// merged header cell is wider than the columns under it).
	var cols []extract.Extent
	for _, h := range header {
		if h.Extents == nil {
			continue
		}
		for c, e := range h.Extents {
			if c >= len(cols) {
				cols = append(cols, e)
			} else if e.X1-e.X0 < cols[c].X1-cols[c].X0 {
				cols[c] = e
			}
		}
	}
	if len(cols) == 0 {
		return body
	}
	const tol = 3.0 // points: the same column, drawn a little apart
	for bi, r := range body {
		if r.Extents == nil {
			continue
		}
		aligned := len(r.Cells) <= len(cols)
		for c, v := range r.Cells {
			if v != "" && (c >= len(cols) || math.Abs(r.Extents[c].X0-cols[c].X0) > tol) {
				aligned = false
			}
		}
		if aligned {
			continue
		}
		cells := make([]string, len(cols))
		moved := false
		for c, v := range r.Cells {
			if v == "" {
				continue
			}
			best, most := -1, 0.0
			for k, hc := range cols {
				// Ties go to the leftmost column: a merged cell's text
				// stands in its first column.
				if o := r.Extents[c].Overlap(hc); o > most+0.01 {
					best, most = k, o
				}
			}
			if best < 0 {
				best = min(c, len(cols)-1)
			}
			if best != c {
				moved = true
			}
			if cells[best] != "" {
				cells[best] += " "
			}
			cells[best] += v
		}
		if moved {
			p.res.Corrections = append(p.res.Corrections, Correction{Field: "budget_lines.column", Raw: strings.Join(r.Cells, " | "),
				Normalized: strings.Join(cells, " | "), Rule: "layout.column_grid",
				Evidence: "the row's page draws other column borders than the table's header; each cell placed under the header column it overlaps most",
				Page:     r.Page, Line: r.No})
		}
		body[bi].Cells, body[bi].Extents = cells, cols
	}
	return body
}

// skippedColumns reports, once per column, amounts that are not loaded:
// a column whose header names no known measure (layouts/columns.toml) and
// a second column of a side that would repeat a measure.
func (p *tableParser) skippedColumns(cols []colInfo, body []extract.Row) {
	for c, ci := range cols {
		if !(ci.unknown && ci.role == roleIgnore) && !ci.dup {
			continue
		}
		n := 0
		for _, r := range body {
			if c < len(r.Cells) && extract.IsNumber(r.Cells[c]) {
				n++
			}
		}
		if n == 0 {
			continue
		}
		f := Finding{CheckID: "column.unmapped", Severity: "warning", TableKey: p.rg.key,
			Message: fmt.Sprintf("column %q of %s holds %d amounts but its header names no known measure (transform/layouts/columns.toml); not loaded",
				strings.Join(ci.path, " › "), p.rg.key, n),
			Expected: "a known column header", Actual: strings.Join(ci.path, " › "), Page: p.rg.page, Line: p.rg.no}
		if ci.dup {
			f.CheckID = "column.duplicate_measure"
			f.Message = fmt.Sprintf("column %q of %s would repeat measure %s of another column; its %d amounts were not loaded",
				strings.Join(ci.path, " › "), p.rg.key, ci.measure, n)
			f.Expected, f.Actual = "one column per measure", ci.measure
		}
		p.res.Findings = append(p.res.Findings, f)
	}
}

// renameLast fixes the item_name of the lines of the last row after a
// wrapped name was joined.
func (p *tableParser) renameLast(name string) {
	ls := p.res.Lines
	if len(ls) == 0 {
		return
	}
	last := ls[len(ls)-1].Line
	for i := len(ls) - 1; i >= 0 && ls[i].Line == last && ls[i].TableKey == p.rg.key; i-- {
		ls[i].ItemName = name
	}
}

type label struct {
	code, name, name2 string
	outline           int  // the numbering style the name was printed with (outlineStyle)
	first             bool // its numbering is the first of its style (一、 （一） 1. ①)
	nameCol           int  // which of the group's name columns held the name (0: the first)
}

type amountCell struct {
	measure, raw string
	col          int
}

var codePart = regexp.MustCompile(`^\d{2}$`)

// columnGroup is a row's label columns with the amount columns that follow
// them. A side of a table usually has one; Jiangsu's 收支预算总表 prints two
// on its expenditure side (功能分类 and 支出用途), each name with its amounts.
type columnGroup struct {
	side string
	cols []int
}

func columnGroups(cols []colInfo) []columnGroup {
	var gs []columnGroup
	hasMeasure := false
	for c, ci := range cols {
		isLabel := ci.role == roleCode || ci.role == roleName || ci.role == roleName2
		if len(gs) == 0 || ci.side != gs[len(gs)-1].side || isLabel && hasMeasure {
			gs = append(gs, columnGroup{side: ci.side})
			hasMeasure = false
		}
		gs[len(gs)-1].cols = append(gs[len(gs)-1].cols, c)
		if ci.role == roleMeasure {
			hasMeasure = true
		}
	}
	return gs
}

func (p *tableParser) cellsOf(cols []colInfo, g columnGroup, r extract.Row) (label, []amountCell) {
	lab := label{nameCol: -1}
	var amounts []amountCell
	names, nameOrd := 0, 0
	var nameVals []string // the row's cells in the group's name columns, in order
	textTotal := ""       // a total word printed in a column of no label role
	for _, c := range g.cols {
		ci := cols[c]
		if ci.role == roleName2 && names == 0 {
			ci.role = roleName // the group's first name column names its rows
		}
		if ci.role == roleName {
			names++
		}
		if ci.role == roleName || ci.role == roleName2 {
			nameOrd++
		}
		v := ""
		if c < len(r.Cells) {
			v = strings.TrimSpace(r.Cells[c])
		}
		switch ci.role {
		case roleCode:
			sv := strings.Trim(squashSpace(v), labelMarks) // OCR specks and rule strokes beside a code
			if len(sv) == 1 && sv[0] >= '0' && sv[0] <= '9' && (ci.label == "款" || ci.label == "项") {
				// A spreadsheet that printed the part as a number drops its
				// leading zero (301 | 2 for 30102): put back, on record.
				p.res.Corrections = append(p.res.Corrections, Correction{Field: "budget_lines.item_code", Raw: sv, Normalized: "0" + sv,
					Rule: "code.leading_zero", Evidence: "a " + ci.label + " part of a code printed in its own column has two digits; this one was printed without its leading zero",
					Page: r.Page, Line: r.No})
				sv = "0" + sv
			}
			switch {
			case codeCell.MatchString(sv) && lab.code == "":
				lab.code = sv
			case codePart.MatchString(sv) && lab.code != "":
				lab.code += sv // 款 and 项 of a code printed in 类/款/项 columns
			case codePart.MatchString(sv) && lab.code == "" && (ci.label == "款" || ci.label == "项"):
				// Only the row's own part printed: the rest is the code above.
				want := 3
				if ci.label == "项" {
					want = 5
				}
				if len(p.lastCode) >= want {
					lab.code = p.lastCode[:want] + sv
				}
			case splitCode.MatchString(v):
				lab.code = sv
			case v != "":
				if lab.name == "" {
					lab.name = v
				}
			}
		case roleName:
			if v != "" {
				lab.name = v
			}
		case roleName2:
			if lab.name2 == "" && v != "" {
				lab.name2 = v
			}
		}
		if ci.role == roleName || ci.role == roleName2 {
			nameVals = append(nameVals, v)
		}
		if (ci.role == roleName || ci.role == roleName2) && v != "" && (!totals.has(CleanName(v)) || lab.nameCol < 0) {
			// The row's level in a table whose names stand in several
			// columns: the rightmost name column it fills (a 小计 there
			// marks the row as its group's total, not an item below).
			lab.nameCol = nameOrd - 1
		}
		switch ci.role {
		case roleMeasure:
			if ci.percent || ci.dup {
				continue // percentages are no amounts; a second column of a measure is reported once (skippedColumns)
			}
			amounts = append(amounts, amountCell{measure: ci.measure, raw: v, col: c})
		case roleIgnore:
			// A column whose header cell was not read at all (OCR): a number
			// there still counts, as a total.
			if ci.label == "" && v != "" && extract.IsNumber(v) && len(cols) > 0 {
				amounts = append(amounts, amountCell{measure: "total", raw: v, col: c})
			}
			if textTotal == "" && totals.has(CleanName(v)) {
				textTotal = CleanName(v) // 合计 printed in a 项目编号 column
			}
		}
	}
	if lab.code == "" {
		if m := codeAndName.FindStringSubmatch(squashLead(lab.name)); m != nil {
			lab.code, lab.name = m[1]+m[2], m[3]
		}
	}
	if lab.nameCol > 0 && lab.nameCol < len(nameVals) && nameVals[0] != "" && nameVals[lab.nameCol] != "" && codeFamily(p.rg.key, "") == "" {
		// In a list of no budget classification (purchases, services), a
		// row that fills several name columns (一级 | 二级 | 三级; a group
		// printed on its first item's row) is the item of the rightmost,
		// its level. In a classified table the columns are parallel
		// classifications (部门预算 | 政府预算经济科目名称): the first names it.
		lab.name = nameVals[lab.nameCol]
	}
	if lab.name == "" && lab.name2 == "" && lab.code == "" && textTotal != "" {
		lab.name = textTotal // the row names itself in a column read as text: 合计 under 项目编号
	}
	if lab.name == "" && lab.name2 != "" {
		// A table whose names stand in several columns (Jiangsu's 收入预算总表:
		// 一般公共预算资金 | 小计, then │公共财政拨款(补助)资金): a row named in a
		// later column alone is an item of the row above named further left.
		lab.name = lab.name2
	}
	if codeCell.MatchString(lab.code) {
		p.lastCode = lab.code
	}
	lab.outline = outlineStyle(lab.name)
	lab.first = lab.outline > 0 && firstOrdinal(lab.name)
	lab.name = CleanName(lab.name)
	return lab, amounts
}

// classify gives a row its item code and level: the printed code, or for
// uncoded rows the 功能分类 类 or 经济分类 code of their name.
func (p *tableParser) classify(side string, lab *label, r extract.Row) (string, int) {
	code := lab.code
	if totals.has(lab.name) && code == "" {
		return "", 0
	}
	if code == "" && side != "income" {
		switch p.rg.key {
		case KeyBasicByEconomic:
			code = EconomicClasses.Lookup(lab.name, p.year)
			if code == "" {
				code = p.cells.unknownName(EconomicClasses, lab, r)
			}
			if len(code) == 3 {
				p.class = code
			}
			if code == "" && lab.name != "" {
				p.res.Findings = append(p.res.Findings, Finding{CheckID: "dict.economic_unplaced", Severity: "warning", TableKey: p.rg.key,
					Message:  fmt.Sprintf("economic item %q is not in the 部门预算支出经济分类 dictionary for %d; loaded without a code", lab.name, p.year),
					Expected: "a 部门预算支出经济分类 name", Actual: lab.name, Page: r.Page, Line: r.No})
			}
		case KeyProjectCurrent, KeyProjectCarryover, KeyThreePublic, KeyOperatingExpense:
		default:
			code = FunctionClasses.Lookup(lab.name, p.year)
			if code == "" {
				code = p.cells.unknownName(FunctionClasses, lab, r)
			}
		}
	}
	return code, levelOf(code)
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

type projectRow struct {
	name     string
	raw      string
	total    *decimal.Decimal
	gpb      *decimal.Decimal
	page, no int
}

func (p *tableParser) projectRow(lab label, amounts []amountCell, r extract.Row) (projectRow, bool) {
	if lab.name == "" || totals.has(lab.name) {
		return projectRow{}, false
	}
	pr := projectRow{name: lab.name, raw: lab.name, page: r.Page, no: r.No}
	var sum decimal.Decimal
	any := false
	for _, a := range amounts {
		v, err := ParseAmount(a.raw, p.factor)
		if err != nil {
			continue
		}
		switch a.measure {
		case "total":
			if pr.total == nil {
				vv := v
				pr.total = &vv
			}
		case "general_public_budget":
			if pr.gpb == nil {
				vv := v
				pr.gpb = &vv
			}
			sum = sum.Add(v)
			any = true
		default:
			sum = sum.Add(v)
			any = true
		}
	}
	if pr.total == nil && any {
		pr.total = &sum
	}
	if pr.total == nil {
		return projectRow{}, false
	}
	return pr, true
}

var orgSuffix = regexp.MustCompile(`(部|局|委|委员会|办|办公室|中心|站|所|院|校|学|队|处|会|馆|厅|室|团|社|园|公司|集团|政府|街道|乡|镇)$`)
var notOrgSuffix = regexp.MustCompile(`(经费|费用|费|资金|项目|补助|补贴|工程|支出)$`)

// addProjects keeps the project rows that are projects, not the department
// and unit subtotal rows: a row named as the department, or named like an
// organisation whose amount is the sum of the rows under it.
func (p *tableParser) addProjects(rows []projectRow) {
	funding := "current"
	if p.rg.key == KeyProjectCarryover {
		funding = "carryover"
	}
	tol := decimal.Zero
	if p.res.RoundingNote {
		tol = p.factor.Mul(decimal.RequireFromString("0.01"))
	}
	isOrg := func(n string) bool {
		return orgSuffix.MatchString(n) && !notOrgSuffix.MatchString(n)
	}
	dept := squashSpace(p.dept)
	sub := make([]bool, len(rows))
	for i, r := range rows {
		n := squashSpace(r.name)
		// The department's own row; OCR may misread a character of it.
		if dept != "" && (n == dept || len([]rune(dept)) >= 8 && editOps(n, dept) <= 2) {
			sub[i] = true
		}
	}
	for i, r := range rows {
		if sub[i] || !isOrg(r.name) {
			continue
		}
		var sum decimal.Decimal
		n := 0
		for j := i + 1; j < len(rows) && !sub[j] && !isOrg(rows[j].name); j++ {
			sum = sum.Add(*rows[j].total)
			n++
		}
		if n > 0 && sum.Sub(*r.total).Abs().LessThanOrEqual(tol.Mul(decimal.NewFromInt(int64(n)))) {
			sub[i] = true
		}
	}
	unit := ""
	for i, r := range rows {
		if sub[i] {
			unit = r.name
			continue
		}
		pj := Project{Funding: funding, ProjectName: r.name, RawName: r.raw, UnitName: unit, AmountYuan: *r.total,
			GeneralPublicBudgetYuan: r.gpb, Page: r.page, Line: r.no}
		p.res.Projects = append(p.res.Projects, pj)
	}
}

func argmax(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	best, n := "", 0
	for _, k := range keys {
		if m[k] > n {
			best, n = k, m[k]
		}
	}
	return best
}

func hasValue(as []amountCell) bool {
	for _, a := range as {
		if a.raw != "" {
			return true
		}
	}
	return false
}

// isRepeatedHeader reports a body row that repeats one of the header rows.
func isRepeatedHeader(header [][]string, cells []string) bool {
	key := squashSpace(strings.Join(cells, ""))
	if key == "" {
		return false
	}
	for _, h := range header {
		if squashSpace(strings.Join(h, "")) == key {
			return true
		}
	}
	return false
}

// isRepeatedTotal reports a total row (合计, 总计 …) that repeats, cell for
// cell, a row already read: a layout that prints the 合计 row atop each
// continuation page.
func isRepeatedTotal(body []extract.Row, cells []string) bool {
	key := totalKey(cells)
	if key == "" {
		return false
	}
	for _, b := range body {
		if totalKey(b.Cells) == key {
			return true
		}
	}
	return false
}

// totalKey is a total row's name and amounts, or "" for another row. Its
// other cells (a header's 类 | 款 | 项 printed on the same line) do not
// count.
func totalKey(cells []string) string {
	name := ""
	var amounts []string
	for _, c := range cells {
		c = squashSpace(c)
		switch {
		case extract.IsNumber(c):
			amounts = append(amounts, c)
		case isTotalRole(rowRole(CleanName(c))) && name == "":
			name = CleanName(c)
		}
	}
	if name == "" || len(amounts) == 0 {
		return ""
	}
	return name + "\t" + strings.Join(amounts, "\t")
}

// itemColumns handles tables printed across rather than down (Shanghai's
// “三公”经费 table: one row of amounts under 合计, 因公出国(境)费, 公务接待费 …):
// when no column names the rows, each amount column is an item named by its
// header. It reports whether the table is such a table.
// isAmountKindLabel: a label that says which figure (预算数, 决算数), not what of.
func isAmountKindLabel(l string) bool {
	switch l {
	case "预算数", "年初预算数", "全年预算数", "决算数", "实际数":
		return true
	}
	return false
}

func itemColumns(cols []colInfo, year int) bool {
	named := slices.ContainsFunc(cols, isLabelColumn)
	if named && !partsAcross(cols) {
		return false
	}
	items := false
	for _, c := range cols {
		if isLabelColumn(c) {
			continue
		}
		// An item names a column when a label on its path says nothing a
		// column header says (因公出国（境）费); a table whose columns are all
		// measures (合计 | 本年收入 › 小计 | …) is a one-row table, no list of items.
		for _, l := range c.path {
			if m := meaningOf(l); m.empty() &&
				!totalLike(l) && !yearLabel.MatchString(l) {
				items = true
			}
		}
	}
	if !items {
		return false
	}
	any := false
	for i := range cols {
		c := &cols[i]
		if c.label == "" || isLabelColumn(*c) {
			continue
		}
		c.item = c.label
		// A 小计 or 预算数 column stands for the item it is printed under
		// (公务用车购置及运行费 › 小计), not for a measure group (2026年预算数 › 合计).
		parent := ""
		for k := len(c.path) - 2; k >= 0 && parent == ""; k-- {
			if l := c.path[k]; meaningOf(l).empty() && !totalLike(l) && !yearLabel.MatchString(l) && !isAmountKindLabel(l) {
				parent = l
			}
		}
		if parent != "" && (totalLike(c.label) || isAmountKindLabel(c.label)) {
			c.item = parent
		}
		// A funding source under an item (深圳: 因公出国(境)费 › 一般公共预算):
		// the item is the group, the source the measure; under the table's
		// total group (总计 › 一般公共预算) the item is that group.
		source := ""
		if m := meaningOf(c.label); m.base != "" && !totalLike(c.label) && len(c.path) > 1 {
			source = c.measure
			c.item = parent
			if parent == "" {
				c.item = c.path[0]
			}
		}
		// An item's amount is total, but where the table prints the year's
		// budget beside the outturn (决算: 预算数 | 决算数, over the items or
		// under each) or last year's beside this year's (2025年预算数 |
		// 2026年预算数), by the group it stands under.
		c.role, c.measure = roleMeasure, "total"
		if source != "" {
			c.measure = source
		}
		for _, l := range c.path {
			switch {
			case l == "预算数" || l == "年初预算数" || l == "全年预算数":
				c.measure = "budgeted"
			case l == "决算数" || l == "实际数":
				c.measure = "total"
			default:
				if m := yearLabel.FindStringSubmatch(l); m != nil && year > 0 {
					if y, _ := strconv.Atoi(m[1]); y == year-1 {
						c.measure = "prior_year"
					}
				}
			}
		}
		c.unknown, c.dup = false, false // columns of one measure, told apart by their items
		any = true
	}
	return any
}

// rowMeasure is the measure of an amount of measure m in a row of a table
// of items across whose rows are years: m itself in the fiscal year's row,
// prior_year(_m) in the year before's, change(_m) in a row of 增减; "" for
// any other row.
func rowMeasure(label string, year int, m string) string {
	l := squashSpace(label)
	with := func(k string) string {
		if m == "total" {
			return k
		}
		return k + "_" + m
	}
	switch mm := yearLabel.FindStringSubmatch(l); {
	case mm != nil && year > 0:
		switch y, _ := strconv.Atoi(mm[1]); y {
		case year:
			return m
		case year - 1:
			return with("prior_year")
		}
	case strings.Contains(l, "增减") || strings.Contains(l, "变化") || strings.Contains(l, "比上年"):
		return with("change")
	}
	return ""
}

func isLabelColumn(c colInfo) bool {
	return c.role == roleCode || c.role == roleName || c.role == roleName2
}

// partsAcross reports a table with a name column whose amount columns are
// the parts of a qualified total ([[total_scope]] in columns.toml: the
// “三公” items) — 单位名称 │ “三公”经费合计 │ 因公出国（境）费 │ 公务用车… │
// 公务接待费, a row a unit (浙江): at least two columns name such a part,
// and every amount column is an item or a total (no funding source or
// other measure under the items, which would need their own measures).
func partsAcross(cols []colInfo) bool {
	n := 0
	for _, c := range cols {
		if isLabelColumn(c) || c.label == "" {
			continue
		}
		if m := meaningOf(c.label); !m.empty() && !totalLike(c.label) && (m.base == "" || len(c.path) < 2) {
			return false
		}
		for _, sc := range layouts.TotalScopes {
			if slices.ContainsFunc(c.path, func(l string) bool { return inScope(l, sc.Parts) }) {
				n++
				break
			}
		}
	}
	return n >= 2
}

// expectedTables says which tables a document of its layout family must
// print: the first family of layouts/tables.toml whose stage and condition
// the document meets.
func expectedTables(stage string, seen map[string]bool) (string, map[string]bool) {
	for _, f := range layouts.Families {
		if f.Stage != stage {
			continue
		}
		n, all := 0, len(f.WhenAll) > 0
		for _, k := range f.Tables {
			if seen[k] {
				n++
			}
		}
		for _, k := range f.WhenAll {
			all = all && seen[k]
		}
		if len(f.WhenAll) == 0 && f.WhenCount == 0 || all || f.WhenCount > 0 && n >= f.WhenCount {
			m := map[string]bool{}
			for _, k := range f.Tables {
				m[k] = true
			}
			return f.Name, m
		}
	}
	return "", nil
}

// nameFromBody names the rows by the first column when the header gave no
// label column (an OCR'd header cell can be unreadable) but the body's first
// column holds Chinese names.
func nameFromBody(cols []colInfo, body []extract.Row) {
	if len(cols) == 0 || len(body) == 0 {
		return
	}
	for _, c := range cols {
		if c.role == roleCode || c.role == roleName || c.role == roleName2 {
			return
		}
	}
	named := 0
	for _, r := range body {
		if len(r.Cells) > 0 && extract.HasHan(r.Cells[0]) && !extract.IsNumber(r.Cells[0]) {
			named++
		}
	}
	if named*2 > len(body) {
		cols[0].role, cols[0].measure = roleName, ""
	}
}
