package transform

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/gongkai/gongkai/extract"
)

// ErrNotDisclosure is wrapped by Parse when a document is not a budget or
// final-account disclosure.
var ErrNotDisclosure = errors.New("not a department budget disclosure")

// tableRegion is the lines of one standard table between its title and the
// next title, note or section heading.
type tableRegion struct {
	key       string
	title     string
	page, no  int
	unit      string
	lines     []extract.Line
	noData    bool // printed 本表无数据
	tabbed    bool // has tab-separated rows with amounts
	titleLost bool // found by its column header on a new page; no title was read
	titlePage int  // the last page that printed the table's title
	// key "": a table whose title names no standard table (新增资产配置预算表,
	// 财政专户管理资金预算表): its rows are not read, and not taken for
	// the table before it.
}

var (
	deptLine     = regexp.MustCompile(`^(?:预算|编制)?(?:主管)?(部门名称|单位名称|部门（单位）|部门\(单位\)|部门|预算单位|单位)[:：](.+?)((?:金额)?单位[:：].*)?$`)
	unitLine     = regexp.MustCompile(`单位[:：;；]?\s*(万元|元|千元|亿元)`)
	sectionHead  = regexp.MustCompile(`^第[一二三四五六七八九十]+部分`)
	noteLine     = regexp.MustCompile(`^(注|备注|说明)[:：0-9１-９]`)
	tableNoLine  = regexp.MustCompile(`^((部门|单位)?(预算|决算)?公开)?(附)?表[0-9一二三四五六七八九十]+$|^((部门|单位)?(预算|决算)?公开)?[0-9]+表$`)
	formTitle    = regexp.MustCompile(`绩效目标(申报)?表|绩效目标表`)
	roundingNote = regexp.MustCompile(`尾差|四舍五入`)
)

// segment finds the standard tables in the document's lines.
func segment(lines []extract.Line, ocr bool) []*tableRegion {
	classify := ClassifyTitle
	if ocr {
		classify = classifyTitleOCR
	}
	var out []*tableRegion
	var cur *tableRegion
	closeCur := func() {
		if cur != nil {
			out = append(out, cur)
			cur = nil
		}
	}
	seen := map[string]bool{}
	filled := map[string]bool{} // tables that have a row with amounts
	tocPage := 0                // the page headed 目录: its titles are entries, not tables
	lastPage := 0               // the page of the current table's last row with amounts
	unitPage, unitSeen := 0, ""
	var orphans []extract.Line // tabbed lines without amounts since the last table ended, on one page
	_, inTOC := tocBlock(lines)
	for i, l := range lines {
		t := squashSpace(l.Text)
		if t == "" {
			continue
		}
		if m := unitLine.FindStringSubmatch(t); m != nil {
			unitPage, unitSeen = l.Page, m[1]
		}
		// A page that opens with the header of another table than the one
		// running: its title was lost (a watermark, a stamp, a fold).
		if l.Page > 0 && (cur == nil || l.Page != lastPage && l.Page != cur.titlePage) {
			if keys := headerTables(l); len(keys) > 0 && (cur == nil || !slices.Contains(keys, cur.key)) {
				key := ""
				for _, k := range keys {
					if !filled[k] {
						key = k
						break
					}
				}
				if key != "" {
					// Header rows above this one on the page belong to the new table.
					var above []extract.Line
					if len(orphans) > 0 && orphans[0].Page == l.Page {
						above = orphans
					}
					orphans = nil
					if cur != nil {
						n := len(cur.lines)
						for n > 0 && cur.lines[n-1].Page == l.Page && cur.lines[n-1].Tabbed && !hasAmount(cur.lines[n-1]) {
							n--
						}
						above = append(above, cur.lines[n:]...)
						cur.lines = cur.lines[:n]
					}
					closeCur()
					first := l
					if len(above) > 0 {
						first = above[0]
					}
					cur = &tableRegion{key: key, page: l.Page, no: first.No, titleLost: true}
					seen[key] = true
					if unitPage == l.Page {
						cur.unit = unitSeen
					}
					cur.lines = append(append(cur.lines, above...), l)
					continue
				}
			}
		}
		if t == "目录" || t == "目 录" {
			tocPage = l.Page
			continue
		}
		if key := classify(l.Text); key != "" && !hasAmount(l) && (l.Page == 0 || l.Page != tocPage) && !inTOC[i] {
			if cur != nil && cur.key == key && len(cur.lines) > 0 {
				cur.titlePage = l.Page
				continue // the title repeated on a continuation page
			}
			closeCur()
			cur = &tableRegion{key: key, title: strings.TrimSpace(strings.ReplaceAll(l.Text, "\t", "")), page: l.Page, no: l.No}
			seen[key] = true
			lastPage = l.Page
			continue
		}
		if !ocr && otherTableTitle(l) && (l.Page == 0 || l.Page != tocPage) && (cur == nil || cur.key != "" || len(cur.lines) > 0) {
			closeCur()
			cur = &tableRegion{title: strings.TrimSpace(strings.ReplaceAll(l.Text, "\t", "")), page: l.Page, no: l.No}
			continue
		}
		if cur == nil {
			// Tabbed lines outside any table may be the header rows of a
			// table whose title was not read (kept until the page ends).
			if l.Tabbed && !hasAmount(l) && (len(orphans) == 0 || orphans[0].Page == l.Page) {
				orphans = append(orphans, l)
			} else {
				orphans = nil
			}
			continue
		}
		orphans = nil
		switch {
		case strings.Contains(t, "本表无数据") || strings.Contains(t, "此表无数据") || strings.Contains(t, "无数据") || strings.Contains(t, "本表为空表") || strings.Contains(t, "空表"):
			cur.noData = true
			closeCur()
			continue
		case noteLine.MatchString(t), sectionHead.MatchString(t), formTitle.MatchString(t) && !l.Tabbed,
			strings.HasSuffix(t, "说明") && !hasAmount(l):
			// A heading of the explanations (其他相关情况说明) ends the table.
			closeCur()
			continue
		case tableNoLine.MatchString(t):
			continue
		case !l.Tabbed && (strings.Contains(t, "。") || (strings.Contains(t, "，") && len([]rune(t)) > 30)):
			closeCur()
			continue
		}
		if m := unitLine.FindStringSubmatch(t); m != nil {
			cur.unit = m[1]
			if !strings.Contains(t, "部门") || deptLine.FindStringSubmatch(t) == nil {
				continue
			}
		}
		if deptLine.MatchString(t) || strings.HasPrefix(t, "部门名称") || strings.HasPrefix(t, "单位名称：") || strings.HasPrefix(t, "编制单位") {
			continue
		}
		if ocr && !l.Tabbed && !slices.ContainsFunc(cur.lines, func(x extract.Line) bool { return x.Tabbed }) {
			// Read by OCR, a table's rows are its ruled cells: a plain line
			// between the title and the first row is a 部门名称 or 单位 line
			// misread (旭人名称:, 单位 without 万元), not a header row.
			continue
		}
		if cur.tabbed && !l.Tabbed && (len([]rune(t)) > 15 || strings.ContainsAny(t, "。，；")) {
			// In a document whose tables are tab-separated (text exports, ruled
			// PDF tables), a plain line after the rows ends the table.
			closeCur()
			continue
		}
		cur.tabbed = cur.tabbed || l.Tabbed && hasAmount(l)
		cur.lines = append(cur.lines, l)
		if hasAmount(l) {
			lastPage = l.Page
			filled[cur.key] = true
		}
	}
	closeCur()
	return out
}

// tocTables are the standard tables a document's 目录 lists, in order: the
// entries after the line 目录 — on its page and the next, or in a text
// without pages until the body begins (a tabbed row, or a table title the
// list already named) — their numbering, dot leaders and page numbers cut.
func tocTables(lines []extract.Line) []string {
	keys, _ := tocBlock(lines)
	return keys
}

// tocBlock is tocTables with the indexes of the 目录's lines.
func tocBlock(lines []extract.Line) ([]string, map[int]bool) {
	in, tocPage := false, 0
	var out []string
	seen := map[string]bool{}
	at := map[int]bool{}
	for i, l := range lines {
		t := squashSpace(l.Text)
		if !in {
			in, tocPage = t == "目录", l.Page
			continue
		}
		if tocPage > 0 && l.Page > tocPage+1 || tocPage == 0 && (l.Tabbed || opensTable(lines, i)) {
			break
		}
		t = tocEntryEnd.ReplaceAllString(strings.ReplaceAll(t, "\t", ""), "")
		t = tocEntryNo.ReplaceAllString(t, "")
		k := ClassifyTitle(t)
		if k != "" && seen[k] {
			if tocPage == 0 {
				break // the body's first table
			}
			continue
		}
		at[i] = true
		if k != "" {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out, at
}

// opensTable reports a line followed at once by a table's 部门/单位 lines
// or rows: a title in the body, not an entry of a 目录.
func opensTable(lines []extract.Line, i int) bool {
	for j := i + 1; j < len(lines) && j <= i+4; j++ {
		t := squashSpace(lines[j].Text)
		switch {
		case t == "":
			continue
		case lines[j].Tabbed || unitLine.MatchString(t) || deptLine.MatchString(t):
			return true
		}
		return false
	}
	return false
}

var (
	tocEntryEnd = regexp.MustCompile(`[.．…·\-—_]*\d*$`)
	tocEntryNo  = regexp.MustCompile(`^(?:[（(]?[一二三四五六七八九十\d]{1,3}[)）]?[、.．]?)`)
)

// otherTableTitle reports a line that is the title of a table, though of
// no standard table: shaped like a title, ending in 表, naming money.
func otherTableTitle(l extract.Line) bool {
	if hasAmount(l) {
		return false
	}
	if l.Tabbed {
		n := 0
		for _, c := range strings.Split(l.Text, "\t") {
			if strings.TrimSpace(c) != "" {
				n++
			}
		}
		if n != 1 {
			return false // a header row's cells
		}
	}
	t := squashSpace(l.Text)
	if !titleShaped(t) || !titleEnd.MatchString(t) || noteLine.MatchString(t) || sectionHead.MatchString(t) {
		return false // 第二部分 …部门决算表 heads a part of the document
	}
	t = titleYear.ReplaceAllString(titlePrefix.ReplaceAllString(t, ""), "")
	return len([]rune(t)) >= 5 && otherTitleWords.MatchString(t)
}

var otherTitleWords = regexp.MustCompile(`预算|决算|支出|收入|资金|经费|资产|采购|转移支付`)

// headerTables names the standard tables whose column header this line
// could be, in the template's order; nil when it is no such header. Only
// headers that tell tables apart are known: the 收入 | 支出 row of the two
// summary tables (预算收支总表, then 财政拨款收支总表), 财政拨款收支总表's 小计 and
// funding sources, 预算收入总表's funding sources,
// the 合计/基本支出/项目支出 of the expenditure tables, and the 人员经费/公用经费
// of the economic-class table.
func headerTables(l extract.Line) []string {
	if !l.Tabbed || hasAmount(l) {
		return nil
	}
	t := squashSpace(l.Text)
	has := func(words ...string) bool {
		for _, w := range words {
			if !strings.Contains(t, w) {
				return false
			}
		}
		return true
	}
	// The first header row of a two-sided table: 收入 | 支出 and nothing else.
	sides := 0
	for _, c := range strings.Split(l.Text, "\t") {
		switch squashSpace(c) {
		case "":
		case "收入", "支出":
			sides++
		default:
			sides = -10
		}
	}
	switch {
	case sides == 2:
		return []string{KeySummary, KeyAppropriation}
	case has("小计", "一般公共预算", "政府性基金") && !has("科目"):
		return []string{KeyAppropriation} // 财政拨款收支总表's expenditure side
	case !has("科目"):
		return nil
	case has("人员经费", "公用经费"):
		return []string{KeyBasicByEconomic}
	case has("项目支出") && (has("基本支出") || approxContains(t, "基本支出")):
		// 本支出: OCR may lose a character of the header.
		return []string{KeyExpenditure, KeyGeneralBudget, KeyGovFundExpenditure}
	case has("一般公共预算", "政府性基金") && !strings.Contains(t, "支出"):
		return []string{KeyIncome}
	}
	return nil
}

func hasAmount(l extract.Line) bool {
	for _, c := range strings.Split(l.Text, "\t") {
		if extract.IsNumber(c) {
			return true
		}
	}
	return false
}

var (
	codeCell  = regexp.MustCompile(`^\d{3}(\d{2}){0,2}$`)
	splitCode = regexp.MustCompile(`^(\d{3})\s+(\d{2})(\s+(\d{2}))?$`)
	// A code printed in the name cell: 201 一般公共服务支出, [20140]信访事务,
	// 2130201-行政运行.
	codeAndName  = regexp.MustCompile(`^(?:[\[【［](\d{3}|\d{5}|\d{7})[\]】］]|(\d{3}|\d{5}|\d{7})(?:[\s\x{3000}]+|\s*[-－—_]\s*))(\S.*)$`)
	listNumber   = regexp.MustCompile(`^(([一二三四五六七八九十百]+)[、.．]|[（(][一二三四五六七八九十\d]+[）)]、?|\d{1,2}[、.．](\D|$)|[①-⑳])`)
	hanSpaceHan  = regexp.MustCompile(`(\p{Han}|[（）“”])[\s\x{3000}]+(\p{Han}|[（）“”])`)
	ordinalCells = regexp.MustCompile(`^\d{1,2}$`)
)

// totals are row names that are no classified item (layouts/rows.toml):
// totals, carry-overs and balances.
var totals = rowNames{}

// rowNames answers whether a row name has a role in layouts/rows.toml.
type rowNames struct{}

func (rowNames) has(name string) bool { return rowRole(name) != "" }

// squashLead trims a name's leading and trailing white space.
func squashLead(s string) string { return strings.TrimSpace(strings.Trim(s, "\u3000")) }

// CleanName removes list numbering and line-wrap spaces from a row name.
func CleanName(s string) string {
	s = strings.TrimSpace(strings.Trim(s, "\u3000"))
	for i := 0; i < 2; i++ {
		s = hanSpaceHan.ReplaceAllString(s, "$1$2")
	}
	if m := listNumber.FindStringSubmatchIndex(s); m != nil {
		cut := m[1]
		if m[6] >= 0 && m[7] > m[6] { // \d、 followed by a kept character
			cut = m[6]
		}
		rest := strings.TrimSpace(s[cut:])
		if rest != "" {
			s = rest
		}
	}
	return strings.TrimSpace(s)
}

// ordinalMarks stand in the label columns of a row of column numbers.
var ordinalMarks = map[string]bool{"*": true, "**": true, "***": true, "栏次": true, "行次": true, "--": true, "—": true, "-": true, "栏号": true, "序号": true}

// isOrdinalRow reports a row of column numbers (1 2 3 …) under a header.
func isOrdinalRow(cells []string) bool {
	n, want := 0, 1
	consecutive, aligned := true, true
	offset := -1 // number − column, the same for every cell of a row of column numbers
	for i, c := range cells {
		if c == "" || ordinalMarks[squashSpace(c)] {
			continue // the label columns' marks of a row of column numbers (** | ** | 1 | 2, 栏次 | 1 | 2)
		}
		if !ordinalCells.MatchString(c) {
			return false
		}
		v, _ := strconv.Atoi(c)
		if c != fmt.Sprint(want) {
			consecutive = false
		}
		if offset < 0 {
			offset = v - i
		} else if v-i != offset {
			aligned = false
		}
		want++
		n++
	}
	// OCR may miss some of the numbers (1 |  |  | 4 |  | 6): those read
	// still stand under their own columns.
	return n >= 2 && (consecutive || aligned && offset >= 0)
}

func firstCell(cells []string) (int, string) {
	for i, c := range cells {
		if c != "" {
			return i, c
		}
	}
	return -1, ""
}

// isBodyRow decides where the header ends: the first row holding an amount,
// a classification code, list numbering or a total.
func isBodyRow(cells []string, haveHeader bool) bool {
	for _, c := range cells {
		if extract.IsNumber(c) && !ordinalCells.MatchString(c) {
			return true
		}
	}
	i, f := firstCell(cells)
	if i < 0 {
		return false
	}
	f = squashSpace(f)
	if codeCell.MatchString(f) || splitCode.MatchString(f) || listNumber.MatchString(f) {
		return true
	}
	if i == 0 && totals.has(f) {
		// 合计 opening a row of labels (合计 | 因公出国(境)费 | …) is a header.
		for _, c := range cells[1:] {
			if c = strings.TrimSpace(c); c != "" && !extract.IsNumber(c) {
				return false
			}
		}
		return true
	}
	// An item row without amounts (因公出国（境）费 in an empty “三公” table):
	// its one label is in the first column and is no header word.
	n := 0
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			n++
		}
	}
	return haveHeader && i == 0 && n == 1 && !headerWord.MatchString(f)
}

var headerWord = regexp.MustCompile(`项目|科目|编码|名称|合计|小计|金额|收入|支出|预算|结转|资金|单位|类|款|年`)

var unitFactor = map[string]decimal.Decimal{
	"万元": decimal.NewFromInt(10000),
	"元":  decimal.NewFromInt(1),
	"千元": decimal.NewFromInt(1000),
	"亿元": decimal.NewFromInt(100000000),
}

// ParseAmount reads a printed amount (thousands separators, full-width
// digits, minus signs) and scales it to yuan exactly.
func ParseAmount(raw string, factor decimal.Decimal) (decimal.Decimal, error) {
	s := strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return '0' + (r - '０')
		case r == '，' || r == ',' || r == ' ' || r == '\u3000':
			return -1
		case r == '－' || r == '—' || r == '−':
			return '-'
		case r == '．':
			return '.'
		}
		return r
	}, strings.TrimSpace(raw))
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") || strings.HasPrefix(s, "（") && strings.HasSuffix(s, "）") {
		s = "-" + strings.Trim(s, "()（）")
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, fmt.Errorf("not an amount: %q", raw)
	}
	return d.Mul(factor).Round(2), nil
}

func isDash(s string) bool {
	switch strings.TrimSpace(s) {
	case "-", "—", "--", "——", "/", "－", "无", "\\":
		return true
	}
	return false
}
