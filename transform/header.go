package transform

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// Column roles.
const (
	roleIgnore = iota
	roleCode
	roleName
	roleName2 // a second label column, e.g. 政府预算支出经济科目名称
	roleMeasure
)

type colInfo struct {
	role    int
	side    string
	measure string
	label   string   // deepest header label
	path    []string // header labels from the top
	item    string   // the item a column stands for, in tables printed across
	partial []string // measures whose keyword holds the unrecognised label (经费: personnel, public_expense)
	memo    bool     // not a part of the totals beside it (政府采购, 扣除基建, 增减)
	percent bool     // percentages: not amounts
	dup     bool     // a second column of its side with the same measure: not loaded
	unknown bool     // an amount column whose header says nothing known
	node    *hnode   // the deepest header cell over the column
}

// hnode is a header cell: a label over one or more columns. The header of
// a table is a forest of them; each side of a two-sided table has its own.
type hnode struct {
	label    string
	cols     []int // the columns under it, in order
	parent   *hnode
	children []*hnode
	col      int // for a leaf over a single column: that column; else -1
}

var yearLabel = regexp.MustCompile(`^(20\d\d)年?(度)?(预算数?|合计|决算数?)?$`)

// measureOf maps one header label to a measure key; "" when it names none.
// (analyzeHeader composes a column's measure from every label above it.)
func measureOf(label string) string {
	l := squashSpace(label)
	if l == "" {
		return ""
	}
	m := meaningOf(l)
	switch {
	case m.base != "":
		return m.base
	case len(m.prefixes) > 0:
		return m.prefixes[0]
	case yearLabel.MatchString(l):
		return "total"
	}
	// OCR: a keyword one character off (上年的结转, 人员经赞).
	for _, c := range layouts.Columns {
		if c.Key == "" || c.Kind == "percent" {
			continue
		}
		for _, w := range c.Words {
			if len([]rune(w)) >= 4 && approxContains(l, w) {
				return c.Key
			}
		}
	}
	return ""
}

// partialMeasures are the measures whose keyword holds label, at most two
// characters longer (经费 → 人员经费, 公用经费); nil for a label of one
// character or none.
func partialMeasures(label string) []string {
	n := len([]rune(label))
	if n < 2 {
		return nil
	}
	var out []string
	for _, c := range layouts.Columns {
		if c.Key == "" || c.Kind != "" && c.Kind != "base" {
			continue
		}
		for _, w := range c.Words {
			if len([]rune(w))-n <= 2 && strings.Contains(w, label) && !slices.Contains(out, c.Key) {
				out = append(out, c.Key)
			}
		}
	}
	return out
}

// approxContains reports whether s holds w with at most one character
// inserted, dropped or changed.
func approxContains(s, w string) bool {
	rs, n := []rune(s), len([]rune(w))
	for size := n - 1; size <= n+1; size++ {
		for i := 0; i+size <= len(rs); i++ {
			if editOps(string(rs[i:i+size]), w) <= 1 {
				return true
			}
		}
	}
	return false
}

// labelRole is the role of a label column's deepest label, or roleIgnore.
func labelRole(l string) int {
	switch meaningOf(l).role {
	case "code":
		return roleCode
	case "name":
		return roleName
	}
	return roleIgnore
}

func isCodeLabel(l string) bool { return meaningOf(l).role == "code" }

// analyzeHeader turns header rows (merged cells left empty, as spreadsheets
// export them) into one role per column. Horizontal merges are filled from
// the left within the span of the parent cell above; vertical merges leave
// the lower cell empty, so a column's label is its deepest non-empty one.
//
// A column's measure is composed from the labels on its path (see
// layouts/columns.toml); its side from the header's top row when that row
// prints an income and an expenditure group over their own name columns.
func analyzeHeader(key string, header [][]string, ncol int) []colInfo {
	header = slices.DeleteFunc(slices.Clone(header), func(row []string) bool {
		// A row of marks alone (the 、 of a title wrapped into the frame).
		return !slices.ContainsFunc(row, func(c string) bool {
			return strings.ContainsFunc(c, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) })
		})
	})
	h := make([][]string, len(header))
	origin := make([][]int, len(header)) // column where the (filled) cell's text starts
	for r, row := range header {
		h[r] = make([]string, ncol)
		origin[r] = make([]int, ncol)
		for c := 0; c < ncol; c++ {
			if c < len(row) {
				// Marks OCR reads at a label's ends (-项目) are no part of it,
				// and a cell of marks alone (the 、 of a title wrapped into
				// the table's frame) is no label.
				h[r][c] = trimLabel(squashSpace(row[c]))
				if !strings.ContainsFunc(h[r][c], func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
					h[r][c] = ""
				}
			}
			origin[r][c] = c
		}
		for c := 1; c < ncol; c++ {
			if h[r][c] != "" || h[r][c-1] == "" {
				continue
			}
			samePar := r == 0 || origin[r-1][c] == origin[r-1][c-1] && h[r-1][c] != ""
			if samePar {
				h[r][c] = h[r][c-1]
				origin[r][c] = origin[r][c-1]
			}
		}
	}
	// The header's cells as a tree: a cell is (row, origin column); a
	// column's path is the cells over it, top down, a label repeated in the
	// row below (a vertical merge printed twice) counted once.
	type cellID struct{ r, o int }
	nodes := map[cellID]*hnode{}
	cols := make([]colInfo, ncol)
	for c := 0; c < ncol; c++ {
		var path []string
		var parent *hnode
		for r := range h {
			if h[r][c] == "" || len(path) > 0 && path[len(path)-1] == h[r][c] {
				continue
			}
			path = append(path, h[r][c])
			id := cellID{r, origin[r][c]}
			n := nodes[id]
			if n == nil {
				n = &hnode{label: h[r][c], parent: parent, col: -1}
				nodes[id] = n
				if parent != nil {
					parent.children = append(parent.children, n)
				}
			}
			n.cols = append(n.cols, c)
			parent = n
		}
		ci := colInfo{path: path, node: parent}
		if len(path) > 0 {
			ci.label = path[len(path)-1]
		}
		cols[c] = ci
	}
	for _, n := range nodes {
		if len(n.children) == 0 && len(n.cols) == 1 {
			n.col = n.cols[0]
		}
	}
	for c := range cols {
		ci := &cols[c]
		switch {
		case ci.label == "":
			ci.role = roleIgnore
		case labelRole(ci.label) == roleCode:
			ci.role = roleCode
		case (ci.label == "类" || ci.label == "款" || ci.label == "项") && len(ci.path) > 1 && isCodeLabel(ci.path[len(ci.path)-2]):
			ci.role = roleCode // a code printed in 类/款/项 columns (201 | 06 | 01)
		case labelRole(ci.label) == roleName:
			ci.role = roleName
		case meaningOf(ci.label).role == "text":
			ci.role = roleIgnore
		}
	}
	sides(key, h, cols)
	composeMeasures(cols)
	// A label that is part of a keyword (经费, its 人员 lost to OCR) is the
	// one such measure no other column of its side has.
	for c := range cols {
		if cols[c].measure != "" || cols[c].role != roleIgnore || cols[c].label == "" {
			continue
		}
		var left []string
		for _, m := range partialMeasures(cols[c].label) {
			used := false
			for o := range cols {
				if o != c && cols[o].side == cols[c].side && cols[o].measure == m {
					used = true
				}
			}
			if !used {
				left = append(left, m)
			}
		}
		cols[c].partial = partialMeasures(cols[c].label)
		if len(left) == 1 {
			cols[c].measure, cols[c].role, cols[c].unknown = left[0], roleMeasure, false
		}
	}
	// The first name column of each side names the row; later ones are labels.
	seen := map[string]bool{}
	for c := range cols {
		if cols[c].role == roleName {
			if seen[cols[c].side] {
				cols[c].role = roleName2
			}
			seen[cols[c].side] = true
		}
	}
	return cols
}

// sides gives each column of a two-sided table its side. A table is
// two-sided when its top header row prints an income group and, after it,
// an expenditure group (收入 | 支出, 本年收入 | 本年支出, 财政拨款收入 | 财政拨款支出),
// each over a name column of its own; a two-sided table whose top row was
// not read (OCR) is split at its second name column.
func sides(key string, h [][]string, cols []colInfo) {
	ncol := len(cols)
	if ncol == 0 {
		return
	}
	split := -1
	if len(h) > 0 {
		in, out := -1, -1
		for c := 0; c < ncol; c++ {
			t := h[0][c]
			switch {
			case t == "":
			case strings.Contains(t, "收入") && !strings.Contains(t, "支出") && in < 0 && out < 0:
				in = c
			case strings.Contains(t, "支出") && !strings.Contains(t, "收入") && in >= 0 && out < 0 && c > in:
				out = c
			}
		}
		if in >= 0 && out > in {
			names := func(lo, hi int) bool {
				for c := lo; c < hi; c++ {
					if cols[c].role == roleName || cols[c].role == roleCode {
						return true
					}
				}
				return false
			}
			if names(in, out) && names(out, ncol) {
				split = out
			}
		}
	}
	if split < 0 && (key == KeySummary || key == KeyAppropriation) {
		n := 0
		for c := range cols {
			if cols[c].role == roleName {
				if n++; n == 2 {
					split = c
					break
				}
			}
		}
	}
	if split < 0 {
		return
	}
	for c := range cols {
		cols[c].side = "income"
		if c >= split {
			cols[c].side = "expenditure"
		}
	}
}

// composeMeasures gives every amount column its measure, composed from the
// labels on its path (layouts/columns.toml): the prefixes of every label,
// the base of the deepest label that names one — a total-like label taking
// its group's base, unless the group spans every amount column of its side
// (the table's subject, 一般公共预算支出 › 合计) or is weak (本年收入 › 合计) —
// and the suffixes. Two columns of a side that would share a measure are
// told apart by their weak group when they have one; otherwise the second
// is marked dup and not loaded.
func composeMeasures(cols []colInfo) {
	amountCols := map[string]int{} // side → number of columns that may hold amounts
	for _, ci := range cols {
		if ci.role == roleIgnore && ci.label != "" && meaningOf(ci.label).role == "" {
			amountCols[ci.side]++
		}
	}
	weakOf := make([]string, len(cols))
	for c := range cols {
		ci := &cols[c]
		if ci.role != roleIgnore || ci.label == "" || meaningOf(ci.label).role != "" {
			continue
		}
		var prefixes, suffixes []string
		add := func(list *[]string, ks []string) {
			for _, k := range ks {
				if !slices.Contains(*list, k) {
					*list = append(*list, k)
				}
			}
		}
		base, weak, subject := "", "", ""
		n := ci.node
		depth := len(ci.path) - 1
		for i := depth; i >= 0 && n != nil; i, n = i-1, n.parent {
			m := meaningOf(ci.path[i])
			add(&prefixes, m.prefixes)
			add(&suffixes, m.suffixes)
			ci.memo = ci.memo || m.memo
			ci.percent = ci.percent || m.percent
			b := m.base
			if b == "" && i == depth && len(m.prefixes) == 0 && yearLabel.MatchString(ci.path[i]) {
				b = "total"
			}
			switch {
			case b == "":
			case i == depth:
				base = b
			case base == "total" || base == "":
				if len(n.cols) >= amountCols[ci.side] && amountCols[ci.side] > 1 {
					if subject == "" {
						subject = b
					}
					continue // the table's subject
				}
				if m.weak {
					if weak == "" {
						weak = b
					}
					continue
				}
				if base == "" || base == "total" {
					base = b
				}
			}
		}
		if base == "" && len(prefixes) == 0 && len(meaningOf(ci.label).prefixes)+len(partialMeasures(ci.label)) == 0 {
			// A label that says nothing known under the table's subject
			// (计, its 合 lost to OCR) is the subject's figure.
			base = subject
		}
		// Prefixes in the order the data lists them.
		slices.SortStableFunc(prefixes, func(a, b string) int { return entryIndex(a) - entryIndex(b) })
		if len(prefixes)+len(suffixes) == 0 && base == "" {
			ci.unknown = true
			continue
		}
		parts := append([]string{}, prefixes...)
		if base != "" && !(base == "total" && len(prefixes) > 0) {
			parts = append(parts, base)
		}
		parts = append(parts, suffixes...)
		ci.measure = strings.Join(parts, "_")
		ci.role = roleMeasure
		weakOf[c] = weak
	}
	// Columns of one side and column group sharing a measure. (A side may
	// print several groups, each with its own name column: Jiangsu's
	// 功能分类 and 支出用途.)
	group := make([]int, len(cols))
	g, measured := 0, false
	for c := range cols {
		if c > 0 && cols[c].side != cols[c-1].side {
			g, measured = g+1, false
		}
		switch cols[c].role {
		case roleCode, roleName, roleName2:
			if measured {
				g, measured = g+1, false
			}
		case roleMeasure:
			measured = true
		}
		group[c] = g
	}
	// A single-value column — the one amount column of its group — is
	// total (the contract's rule), whatever its header calls it
	// (政府性基金收入预算, 机关运行经费支出).
	amounts := map[int][]int{}
	for c := range cols {
		if cols[c].role == roleMeasure && !cols[c].percent && !cols[c].memo {
			amounts[group[c]] = append(amounts[group[c]], c)
		}
	}
	for _, cs := range amounts {
		if len(cs) == 1 {
			cols[cs[0]].measure = "total"
		}
	}
	for c := range cols {
		if cols[c].role != roleMeasure || cols[c].percent {
			continue
		}
		for o := 0; o < c; o++ {
			if cols[o].role != roleMeasure || group[o] != group[c] || cols[o].measure != cols[c].measure || cols[o].percent ||
				cols[o].node == cols[c].node {
				continue // one merged header cell over both: a row fills one of them
			}
			// The deeper one is qualified by its weak group (本年收入 › 小计 beside 总计).
			deeper := c
			if len(cols[o].path) > len(cols[c].path) {
				deeper = o
			}
			if w := weakOf[deeper]; w != "" && cols[deeper].measure == "total" {
				cols[deeper].measure = w
				continue
			}
			cols[c].dup = true
		}
	}
}

// entryIndex is the position of a measure key in columns.toml.
func entryIndex(key string) int {
	for i, c := range layouts.Columns {
		if c.Key == key {
			return i
		}
	}
	return len(layouts.Columns)
}
