package main

// The document model shared by the PDF fixture writers (pdf.go: go-pdf/fpdf;
// odf.go: flat ODF for LibreOffice Writer and Calc). ParseDoc reads a text
// export (tab-separated cells, blank lines or form feeds as page breaks) and
// classifies every line as the kind of paragraph or table row a government
// office would have typeset it as.

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

type paraStyle int

const (
	psBody       paraStyle = iota // narrative paragraph, first-line indent
	psCover                       // cover title lines (department, 年度部门预算公开)
	psWatermark                   // 仅供内部审核 lines of the export
	psTOCTitle                    // 目 录
	psTOC                         // TOC entry: Text + Right (page number)
	psPart                        // 第一部分 概况 …
	psH1                          // 一、…
	psH2                          // （一）… / 1、…
	psTableLabel                  // 预算公开表1
	psTableTitle                  // 2026年预算收支总表
	psMetaLeft                    // 部门名称：…
	psMetaRight                   // 单位：万元
	psMetaPair                    // 部门名称：… and 单位：万元 on one line (Text, Right)
	psFormTitle                   // …绩效目标表 / 集中采购目录 titles
	psCenter                      // (2026年度)
	psNote                        // 注：…
)

type tableKind int

const (
	tkStandard tableKind = iota // one of the 13 tables (after 部门名称 / 单位：万元)
	tkForm                      // a performance form (绩效目标表): merged label cells
	tkPlain                     // any other tab block: no merges
)

// Block is one paragraph or one table.
type Block struct {
	Para      bool
	Style     paraStyle
	Text      string
	Right     string // TOC page number, or the 单位 part of a meta pair
	Table     *Table
	PageBreak bool // a new page starts before this block
	Landscape bool // orientation of the page(s) started here
}

// Table is a block of tab-separated rows, padded to NCols cells.
type Table struct {
	Kind   tableKind
	Title  string // the title line above the table, if any
	Rows   [][]string
	NCols  int
	Header int          // leading header rows (standard tables only)
	Breaks map[int]bool // an original page break falls before this row
	Spans  [][]Span
}

// Span says how one grid position is drawn: Covered positions belong to a
// merged cell that starts above or to the left; others start a cell of
// ColSpan×RowSpan positions.
type Span struct {
	ColSpan, RowSpan int
	Covered          bool
}

// Wide reports whether the table is printed on a landscape page.
func (t *Table) Wide() bool { return t.Kind == tkStandard && t.NCols >= 7 }

// Doc is the parsed document.
type Doc struct {
	Blocks  []Block
	HasFF   bool   // the export marks its pages with form feeds
	Title   string // e.g. 朔州经济开发区党群工作部2026年度部门预算公开
	Subject string
}

var (
	partRe     = regexp.MustCompile(`^第[一二三四五六七八九十]+部分`)
	h1Re       = regexp.MustCompile(`^[一二三四五六七八九十]+、`)
	h2Re       = regexp.MustCompile(`^([（(][一二三四五六七八九十]+[）)]|\d+、)`)
	labelRe    = regexp.MustCompile(`^预算公开表\d+$`)
	yearLineRe = regexp.MustCompile(`^[（(]\d{4}[年)）]`)
)

// headerLabels are the first cells of header rows of the standard tables.
var headerLabels = map[string]bool{
	"": true, "收入": true, "支出": true, "项目": true, "科目编码": true, "收入科目编码": true,
	"科目名称": true, "项目名称": true, "单位名称": true, "部门预算支出经济科目名称": true,
	"国有资本经营预算收入": true, "编码": true,
}

const watermarkText = "仅供内部审核"

type rawLine struct {
	ff    bool
	text  string // without form feeds and CR
	cells []string
}

func (l rawLine) tabbed() bool { return l.cells != nil }
func (l rawLine) blank() bool  { return l.cells == nil && strings.TrimSpace(l.text) == "" }

// ParseDoc parses a text export into blocks.
func ParseDoc(s string) *Doc {
	s = strings.TrimPrefix(s, "\uFEFF")
	var lines []rawLine
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSuffix(l, "\r")
		rest := strings.TrimLeft(l, "\f")
		rl := rawLine{ff: len(rest) != len(l), text: strings.TrimSpace(rest)}
		if strings.Contains(rest, "\t") {
			for _, c := range strings.Split(rest, "\t") {
				rl.cells = append(rl.cells, strings.TrimSpace(c))
			}
		}
		lines = append(lines, rl)
	}
	d := &Doc{}
	for _, l := range lines {
		if l.ff {
			d.HasFF = true
		}
	}
	nextNonBlank := func(i int) int {
		for j := i + 1; j < len(lines); j++ {
			if !lines[j].blank() || lines[j].ff {
				return j
			}
		}
		return -1
	}
	const (
		regCover = iota
		regTOC
		regBody
	)
	region := regCover
	pendingFF := false
	var lastTitle string
	metaSeen := false // 部门名称 / 单位 seen since the last title: the next table is standard
	var coverLines []string

	add := func(b Block) {
		if pendingFF {
			b.PageBreak = true
			pendingFF = false
		}
		d.Blocks = append(d.Blocks, b)
	}
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if l.ff {
			pendingFF = true
		}
		if l.blank() {
			continue
		}
		// Meta pair: 部门名称：…⇥⇥⇥单位：万元
		if l.tabbed() && strings.HasPrefix(l.cells[0], "部门名称") {
			var right []string
			for _, c := range l.cells[1:] {
				if c != "" {
					right = append(right, c)
				}
			}
			add(Block{Para: true, Style: psMetaPair, Text: l.cells[0], Right: strings.Join(right, " ")})
			metaSeen = true
			continue
		}
		if l.tabbed() && region == regTOC {
			var left []string
			for _, c := range l.cells[:len(l.cells)-1] {
				if c != "" {
					left = append(left, c)
				}
			}
			add(Block{Para: true, Style: psTOC, Text: strings.Join(left, " "), Right: l.cells[len(l.cells)-1]})
			continue
		}
		if l.tabbed() {
			t := &Table{Breaks: map[int]bool{}, Title: lastTitle}
			switch {
			case metaSeen:
				t.Kind = tkStandard
			case strings.Contains(lastTitle, "绩效目标"):
				t.Kind = tkForm
			default:
				t.Kind = tkPlain
			}
			b := Block{Table: t}
			if pendingFF {
				b.PageBreak = true
				pendingFF = false
			}
			j := i
			for j < len(lines) {
				lj := lines[j]
				if lj.tabbed() && !strings.HasPrefix(lj.cells[0], "部门名称") {
					if (lj.ff || (j > i && lines[j-1].blank())) && len(t.Rows) > 0 {
						t.Breaks[len(t.Rows)] = true
					}
					t.Rows = append(t.Rows, lj.cells)
					j++
					continue
				}
				if lj.blank() && !lj.ff {
					// blank lines inside a table are the export's page breaks
					k := nextNonBlank(j)
					if k > 0 && lines[k].tabbed() && !strings.HasPrefix(lines[k].cells[0], "部门名称") && !lines[k].ff {
						j = k
						// mark via the blank line before row k
						continue
					}
				}
				break
			}
			i = j - 1
			finishTable(t)
			d.Blocks = append(d.Blocks, b)
			metaSeen = false
			continue
		}
		// plain text line
		text := l.text
		b := Block{Para: true, Text: text}
		switch {
		case text == watermarkText:
			b.Style = psWatermark
		case region == regCover && strings.ReplaceAll(text, " ", "") == "目录":
			region = regTOC
			b.Style = psTOCTitle
		case region == regCover:
			b.Style = psCover
			coverLines = append(coverLines, text)
		case labelRe.MatchString(text):
			b.Style = psTableLabel
		case partRe.MatchString(text) && utf8.RuneCountInString(text) <= 30:
			region = regBody
			b.Style = psPart
		case strings.HasPrefix(text, "部门名称"):
			b.Style = psMetaLeft
			metaSeen = true
		case strings.HasPrefix(text, "单位：") || strings.HasPrefix(text, "单位:"):
			b.Style = psMetaRight
			metaSeen = true
		case isTableTitle(lines, i, nextNonBlank):
			b.Style = psTableTitle
			lastTitle = text
			metaSeen = false
		case strings.Contains(text, "绩效目标") && strings.HasSuffix(text, "表") ||
			strings.Contains(text, "采购目录") && !h1Re.MatchString(text) && utf8.RuneCountInString(text) <= 30:
			b.Style = psFormTitle
			lastTitle = text
			metaSeen = false
		case yearLineRe.MatchString(text) && utf8.RuneCountInString(text) <= 12:
			b.Style = psCenter
		case strings.HasPrefix(text, "注："):
			b.Style = psNote
		case h1Re.MatchString(text) && utf8.RuneCountInString(text) <= 30 && !strings.ContainsAny(text, "，。；："):
			b.Style = psH1
		case h2Re.MatchString(text) && utf8.RuneCountInString(text) <= 30 && !strings.ContainsAny(text, "，。；"):
			b.Style = psH2
		default:
			b.Style = psBody
		}
		if region == regTOC && b.Style == psBody {
			b.Style = psCenter
		}
		add(b)
	}
	if !d.HasFF {
		addSyntheticBreaks(d)
	}
	setOrientation(d)
	d.Title = strings.Join(coverLines, "")
	d.Subject = "部门预算公开"
	return d
}

// isTableTitle: the next non-blank line is 部门名称….
func isTableTitle(lines []rawLine, i int, next func(int) int) bool {
	k := next(i)
	if k < 0 {
		return false
	}
	n := lines[k]
	if n.tabbed() {
		return strings.HasPrefix(n.cells[0], "部门名称")
	}
	return strings.HasPrefix(n.text, "部门名称")
}

// addSyntheticBreaks starts a new page, as the printed original does, before
// 目 录, each 第…部分, each standard table (its label or title) and each form.
func addSyntheticBreaks(d *Doc) {
	for i := range d.Blocks {
		b := &d.Blocks[i]
		if !b.Para || i == 0 {
			continue
		}
		prev := d.Blocks[i-1]
		switch b.Style {
		case psTOCTitle, psPart, psTableLabel, psFormTitle:
			b.PageBreak = true
		case psTableTitle:
			if !(prev.Para && prev.Style == psTableLabel) {
				b.PageBreak = true
			}
		}
	}
	// a form title is followed by its table on the same page; the part heading
	// 第二部分 is followed by the label/title of 表1 which would break again:
	// keep the heading on the table's page.
	for i := 1; i < len(d.Blocks); i++ {
		if d.Blocks[i].PageBreak && d.Blocks[i-1].Para && d.Blocks[i-1].Style == psPart && d.Blocks[i-1].PageBreak {
			d.Blocks[i].PageBreak = false
		}
	}
}

// setOrientation makes a page landscape when a wide standard table starts on
// it; the orientation lasts until the next page break.
func setOrientation(d *Doc) {
	start := 0
	for i := 0; i <= len(d.Blocks); i++ {
		if i == len(d.Blocks) || (d.Blocks[i].PageBreak && i > 0) {
			wide := false
			for _, b := range d.Blocks[start:i] {
				if b.Table != nil && b.Table.Wide() {
					wide = true
				}
			}
			d.Blocks[start].Landscape = wide
			start = i
		}
	}
}

// finishTable pads the rows and works out header rows and merged cells.
func finishTable(t *Table) {
	for _, r := range t.Rows {
		if len(r) > t.NCols {
			t.NCols = len(r)
		}
	}
	for i, r := range t.Rows {
		for len(r) < t.NCols {
			r = append(r, "")
		}
		t.Rows[i] = r
	}
	if t.Kind == tkStandard {
		for t.Header < len(t.Rows) && t.Header < 4 && isHeaderRow(t.Rows[t.Header]) {
			t.Header++
		}
		if t.Header == len(t.Rows) { // a table of headers only: keep one body row
			t.Header = 0
		}
	}
	t.Spans = make([][]Span, len(t.Rows))
	for i := range t.Spans {
		t.Spans[i] = make([]Span, t.NCols)
		for j := range t.Spans[i] {
			t.Spans[i][j] = Span{ColSpan: 1, RowSpan: 1}
		}
	}
	switch t.Kind {
	case tkStandard:
		mergeHeader(t)
	case tkForm:
		mergeForm(t)
	}
}

func isNumberRow(r []string) bool {
	for i, c := range r {
		if c != strconv.Itoa(i+1) {
			return false
		}
	}
	return len(r) > 1
}

func isHeaderRow(r []string) bool {
	if isNumberRow(r) {
		return true
	}
	if !headerLabels[r[0]] {
		return false
	}
	n := 0
	for _, c := range r {
		if c == "" {
			continue
		}
		n++
		if IsAmount(c) || codeRe.MatchString(c) {
			return false
		}
	}
	return n > 0
}

var codeRe = regexp.MustCompile(`^\d{3,}$`)

// owner returns the row/col of the cell whose span covers (r, c).
func owner(t *Table, r, c int) (int, int) {
	for rr := r; rr >= 0; rr-- {
		for cc := c; cc >= 0; cc-- {
			s := t.Spans[rr][cc]
			if !s.Covered && rr+s.RowSpan > r && cc+s.ColSpan > c {
				return rr, cc
			}
		}
	}
	return r, c
}

// goesUp: the empty position (r, c) continues the single-column cell above it.
func goesUp(t *Table, r, c int) bool {
	if r == 0 || t.Breaks[r] {
		return false
	}
	or, oc := owner(t, r-1, c)
	return t.Spans[or][oc].ColSpan == 1 && (t.Rows[or][oc] != "" || t.Spans[or][oc].RowSpan > 1)
}

func extendUp(t *Table, r, c int) {
	or, oc := owner(t, r-1, c)
	t.Spans[or][oc].RowSpan = r - or + 1
	t.Spans[r][c].Covered = true
}

// mergeHeader merges the header rows of a standard table: a label followed
// by empty cells spans them, unless an empty cell sits under a single-column
// label of the row above, which then spans down.
func mergeHeader(t *Table) {
	for r := 0; r < t.Header; r++ {
		row := t.Rows[r]
		if isNumberRow(row) {
			continue
		}
		for c := 0; c < t.NCols; c++ {
			if t.Spans[r][c].Covered {
				continue
			}
			if row[c] == "" {
				if goesUp(t, r, c) {
					extendUp(t, r, c)
				}
				continue
			}
			k := c + 1
			for k < t.NCols && row[k] == "" && !goesUp(t, r, k) {
				t.Spans[r][k].Covered = true
				k++
			}
			t.Spans[r][c].ColSpan = k - c
			c = k - 1
		}
	}
}

// mergeForm merges the cells of a performance form the way the form is
// printed: leading empty cells continue the label above them, any other cell
// spans the empty cells after it.
func mergeForm(t *Table) {
	for r := range t.Rows {
		row := t.Rows[r]
		c := 0
		for ; c < t.NCols && row[c] == ""; c++ {
			if c < 3 && goesUp(t, r, c) {
				extendUp(t, r, c)
			} else {
				break
			}
		}
		for ; c < t.NCols; c++ {
			if row[c] == "" || t.Spans[r][c].Covered {
				continue
			}
			k := c + 1
			for k < t.NCols && row[k] == "" {
				t.Spans[r][k].Covered = true
				k++
			}
			t.Spans[r][c].ColSpan = k - c
			c = k - 1
		}
	}
}

// cellAlign: 'R' for amounts, 'C' for column numbers, 'L' otherwise.
func cellAlign(t *Table, r, c int) byte {
	v := t.Rows[r][c]
	if r < t.Header {
		return 'C'
	}
	if t.Kind == tkStandard && IsAmount(v) {
		return 'R'
	}
	if t.Kind != tkStandard && IsAmount(v) && strings.ContainsAny(v, ".,") {
		return 'R'
	}
	return 'L'
}

// naturalWidths is each column's widest single-column cell in display
// columns (see DisplayWidth), at least min and at most max.
func naturalWidths(t *Table, min, max int) []int {
	w := make([]int, t.NCols)
	for r, row := range t.Rows {
		for c, v := range row {
			s := t.Spans[r][c]
			if s.Covered || s.ColSpan > 1 {
				continue
			}
			if n := DisplayWidth(v); n > w[c] {
				w[c] = n
			}
		}
	}
	for c := range w {
		if w[c] < min {
			w[c] = min
		}
		if w[c] > max {
			w[c] = max
		}
	}
	return w
}
