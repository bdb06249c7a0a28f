package transform

import (
	"regexp"
	"slices"
	"strings"
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
}

var yearLabel = regexp.MustCompile(`^(20\d\d)年?(度)?(预算数?|合计|决算数?)?$`)

// measureOf maps a header label to a measure key; "" when it is not one.
// Order matters: 上年结转安排 is carryover, not current year.
func measureOf(label string) string {
	l := squashSpace(label)
	if l == "" {
		return ""
	}
	for _, k := range measureKeywords {
		if strings.Contains(l, k.word) {
			return k.measure
		}
	}
	if yearLabel.MatchString(l) {
		return "total"
	}
	// OCR: a keyword one character off (上年的结转, 人员经赞).
	for _, k := range measureKeywords {
		if len([]rune(k.word)) >= 4 && approxContains(l, k.word) {
			return k.measure
		}
	}
	return ""
}

// measureKeywords in the order they are tried: 上年结转安排 is carryover,
// not current year.
var measureKeywords = []struct{ word, measure string }{
	{"上年结转", "carryover"}, {"结转安排", "carryover"},
	{"当年预算安排", "current_year"}, {"本年预算安排", "current_year"}, {"当年拨款", "current_year"},
	{"基本支出", "basic"}, {"项目支出", "project"},
	{"人员经费", "personnel"}, {"公用经费", "public_expense"},
	{"一般公共预算", "general_public_budget"}, {"公共预算", "general_public_budget"}, {"政府性基金", "government_fund"}, {"国有资本经营", "state_capital"},
	{"财政专户", "special_account"}, {"专户管理", "special_account"}, {"单位资金", "unit_funds"},
	{"合计", "total"}, {"小计", "total"}, {"金额", "total"}, {"总计", "total"}, {"预算数", "total"}, {"决算数", "total"},
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
	for _, k := range measureKeywords {
		if len([]rune(k.word))-n <= 2 && strings.Contains(k.word, label) && !slices.Contains(out, k.measure) {
			out = append(out, k.measure)
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

func isNameLabel(l string) bool {
	return l == "项目" || l == "名称" || strings.HasSuffix(l, "名称") || strings.Contains(l, "科目名称") || l == "科目" || l == "单位"
}

func isCodeLabel(l string) bool {
	return strings.Contains(l, "编码") || strings.Contains(l, "代码")
}

// analyzeHeader turns header rows (merged cells left empty, as spreadsheets
// export them) into one role per column. Horizontal merges are filled from
// the left within the span of the parent cell above; vertical merges leave
// the lower cell empty, so a column's label is its deepest non-empty one.
func analyzeHeader(key string, header [][]string, ncol int) []colInfo {
	h := make([][]string, len(header))
	origin := make([][]int, len(header)) // column where the (filled) cell's text starts
	for r, row := range header {
		h[r] = make([]string, ncol)
		origin[r] = make([]int, ncol)
		for c := 0; c < ncol; c++ {
			if c < len(row) {
				// Marks OCR reads at a label's ends (-项目) are no part of it.
				h[r][c] = strings.Trim(squashSpace(row[c]), labelMarks)
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
	cols := make([]colInfo, ncol)
	for c := 0; c < ncol; c++ {
		var path []string
		for r := range h {
			if h[r][c] != "" && (len(path) == 0 || path[len(path)-1] != h[r][c]) {
				path = append(path, h[r][c])
			}
		}
		ci := colInfo{path: path}
		if len(path) > 0 {
			ci.label = path[len(path)-1]
		}
		switch {
		case ci.label == "":
			ci.role = roleIgnore
		case isCodeLabel(ci.label):
			ci.role = roleCode
		case (ci.label == "类" || ci.label == "款" || ci.label == "项") && len(path) > 1 && isCodeLabel(path[len(path)-2]):
			ci.role = roleCode // a code printed in 类/款/项 columns (201 | 06 | 01)
		case isNameLabel(ci.label):
			ci.role = roleName
		default:
			if measureOf(ci.label) == "" {
				ci.partial = partialMeasures(ci.label)
			}
			for i := len(path) - 1; i >= 0 && ci.measure == ""; i-- {
				ci.measure = measureOf(path[i])
			}
			if ci.measure != "" {
				ci.role = roleMeasure
			}
		}
		if twoSided(key) && len(path) > 0 {
			top := path[0]
			switch {
			case strings.Contains(top, "收入"):
				ci.side = "income"
			case strings.Contains(top, "支出"):
				ci.side = "expenditure"
			}
		}
		cols[c] = ci
	}
	if twoSided(key) {
		// Columns without a side of their own take the side of their left neighbour.
		for c := 1; c < ncol; c++ {
			if cols[c].side == "" {
				cols[c].side = cols[c-1].side
			}
		}
		if ncol > 0 && cols[0].side == "" {
			cols[0].side = "income"
		}
	}
	// A label that is part of a keyword (经费, its 人员 lost to OCR) is the
	// one such measure no other column of its side has; otherwise the column
	// keeps the measure of the header above it.
	for c := range cols {
		var left []string
		for _, m := range cols[c].partial {
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
		if len(left) == 1 {
			cols[c].measure, cols[c].role = left[0], roleMeasure
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
