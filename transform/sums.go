package transform

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// The sums a document's tables must satisfy, read from the tables
// themselves — one list, used to mark every amount's sum_check, to repair
// OCR misreadings and to report what does not add up:
//
//   - sum.hierarchy: a coded row is the sum of its sub-items (类 = Σ 款,
//     款 = Σ 项), in each measure;
//   - sum.total: a table's 合计 row is the sum of its 类 rows;
//   - sum.outline: in a list of rows numbered 一、（一）1. (a side of a 收支总表,
//     a flat list), an item is the sum of the rows under it, and a total row
//     (layouts/rows.toml) the sum of the top-level rows since the previous
//     total, plus that total (本年收入合计 = Σ 一、二、…; 收入总计 = 本年收入合计
//     + 上年结转 + …);
//   - sum.row: within a row, a header group's total column (合计, 小计, …总数)
//     is the sum of the group's other columns (see columnSums);
//   - sum.projects: a project table's department total is the sum of its
//     projects.
//
// "其中" rows and columns are parts of what they follow, not additions: a
// group whose other members all start with 其中 has no sum.

type identity struct {
	target int   // index into Result.Lines: the total
	parts  []int // the addends
	desc   string
	check  string // the check id of a failure
}

// colSum says that in every row of a table, column total is the sum of
// columns parts (header-tree identities, from columnSums).
type colSum struct {
	total int
	parts []int
}

// Outline styles of list numbering, in the order documents nest them.
const (
	outlineNone   = 0
	outlineSubset = -1 // 其中：…
)

var outlineStyles = []*regexp.Regexp{
	regexp.MustCompile(`^[一二三四五六七八九十百]+[、.．]`),   // 一、
	regexp.MustCompile(`^[（(][一二三四五六七八九十]+[）)]`), // （一）
	regexp.MustCompile(`^\d{1,2}[、.．]\D`),        // 1.
	regexp.MustCompile(`^[（(]\d{1,2}[）)]`),       // （1）
	regexp.MustCompile(`^[①-⑳]`),                 // ①
}

// firstOrdinal reports a row name numbered with the first ordinal of its
// style: 一、 （一） 1. （1） ①.
func firstOrdinal(raw string) bool {
	s := strings.TrimLeft(strings.TrimPrefix(squashSpace(raw), "其中"), ":：")
	return firstOrdinalRe.MatchString(s)
}

var firstOrdinalRe = regexp.MustCompile(`^(?:一[、.．]|[（(]一[）)]|1[、.．]\D|[（(]1[）)]|①)`)

// outlineStyle is the numbering style a raw row name starts with (1-based
// index into outlineStyles), outlineSubset for 其中, or outlineNone.
func outlineStyle(raw string) int {
	s := strings.TrimSpace(squashSpace(raw))
	if rest, ok := strings.CutPrefix(s, "其中"); ok {
		// 其中：（一）因公出国… opens a numbered breakdown; a plain
		// 其中：教育收费 is a part of the row above, no addend.
		rest = strings.TrimLeft(rest, ":：")
		if st := outlineStyle(rest); st > 0 {
			return st
		}
		return outlineSubset
	}
	for i, re := range outlineStyles {
		if re.MatchString(s) {
			return i + 1
		}
	}
	return outlineNone
}

// identities lists the sums a document's tables must satisfy.
func identities(res *Result) []identity {
	var out []identity
	seen := map[string]bool{}
	add := func(id identity) {
		if len(id.parts) == 0 {
			return
		}
		ps := append([]int{}, id.parts...)
		sort.Ints(ps)
		k := fmt.Sprint(id.target, ps)
		if seen[k] {
			return
		}
		seen[k] = true
		out = append(out, id)
	}
	type group struct {
		table, side, measure string
		grp                  int
		across               bool
	}
	byGroup := map[group][]int{}
	var groups []group
	for i, l := range res.Lines {
		g := group{l.TableKey, l.Side, l.Measure, l.grp, l.across}
		if byGroup[g] == nil {
			groups = append(groups, g)
		}
		byGroup[g] = append(byGroup[g], i)
	}
	for _, g := range groups {
		idx := byGroup[g]
		if res.Lines[idx[0]].across || strings.HasPrefix(g.table, "project_") && g.table != KeyProjectByEconomic {
			continue // tables printed across are summed by columns; project lists below
		}
		codeSums(res, g.table, g.measure, idx, add)
		// A side printed in two column groups (功能分类 | 支出用途) closes with
		// total rows printed in one of them: they total the other too.
		var borrowed []int
		if g.grp > 0 || byGroup[group{g.table, g.side, g.measure, 1, false}] != nil {
			for og, oidx := range byGroup {
				if og.table == g.table && og.side == g.side && og.measure == g.measure && og.grp != g.grp && !og.across {
					for _, i := range oidx {
						if isTotalRole(res.Lines[i].role) {
							borrowed = append(borrowed, i)
						}
					}
				}
			}
		}
		outlineSums(res, g.table, g.measure, idx, borrowed, add)
	}
	columnIdentities(res, add)
	projectSums(res, add)
	sort.SliceStable(out, func(a, b int) bool { return out[a].target < out[b].target })
	return out
}

// codeSums: a coded row is the sum of its sub-items, and the table's 合计
// row the sum of its 类 rows.
func codeSums(res *Result, table, measure string, idx []int, add func(identity)) {
	coded := map[string]int{}
	total := -1
	for _, i := range idx {
		l := res.Lines[i]
		if l.ItemCode != "" {
			if j, ok := coded[l.ItemCode]; !ok {
				coded[l.ItemCode] = i
			} else if res.Lines[j].Line != l.Line {
				return // a code printed in several blocks (部门 × 政府经济分类): outlineSums reads them by position
			}
		} else if isTotalRole(l.role) && total < 0 && l.Side == "" {
			total = i
		}
	}
	children := map[string][]int{} // code → its sub-items (a code two digits longer)
	for c, j := range coded {
		if len(c) > 3 {
			children[c[:len(c)-2]] = append(children[c[:len(c)-2]], j)
		}
	}
	var tops []int
	for code, i := range coded {
		if parts := children[code]; len(parts) > 0 {
			sort.Ints(parts)
			add(identity{i, parts, fmt.Sprintf("%s %s %s %s = Σ its %d sub-items", table, measure, code, res.Lines[i].ItemName, len(parts)), "sum.hierarchy"})
		}
		if len(code) == 3 {
			tops = append(tops, i)
		}
	}
	sort.Ints(tops)
	if total >= 0 && len(tops) > 0 {
		add(identity{total, tops, fmt.Sprintf("%s %s %s = Σ its %d top-level items", table, measure, res.Lines[total].ItemName, len(tops)), "sum.total"})
	}
}

// outlineSums reads a list of rows as an outline: the depth of a coded row
// is its code's level; of a numbered row, the rank of its numbering style
// in the list (一、 before （一） before 1.); of an unnumbered row, one
// below the numbered or coded row it follows, or the top after a total. An
// item is the sum of the rows one level below it; a total row the sum of
// the top-level rows since the previous total, plus that total — or, when
// it opens the list, of the top-level rows after it.
func outlineSums(res *Result, table, measure string, idx, borrowed []int, add func(identity)) {
	rows := append([]int{}, idx...)
	hasTotal := false
	for _, i := range idx {
		hasTotal = hasTotal || isTotalRole(res.Lines[i].role)
	}
	if !hasTotal && len(borrowed) > 0 {
		rows = append(rows, borrowed...)
	}
	sort.SliceStable(rows, func(a, b int) bool { return res.Lines[rows[a]].Line < res.Lines[rows[b]].Line })
	// One line per source row: a row printed twice in one group (two name
	// columns of one side) is no list.
	for k := 1; k < len(rows); k++ {
		if res.Lines[rows[k]].Line == res.Lines[rows[k-1]].Line {
			return
		}
	}
	rank := map[int]int{}      // numbering style → depth, in order of first use
	restarted := map[int]int{} // numbering style → its rank before it started again under a row
	depth := make([]int, len(rows))
	total := make([]bool, len(rows))
	uncoded := false
	last := 0   // depth of the last item since the last total
	offset := 0 // depth of a coded row less its code's level (see below)
	// numbered: the list numbers some uncoded rows, so numbering, not
	// codes, gives the depth of numbered rows.
	numbered := false
	for _, i := range rows {
		l := res.Lines[i]
		numbered = numbered || l.outline > 0 && l.ItemCode == "" && !isTotalRole(l.role)
	}
	// A list of classified items (功能分类, 经济分类 codes), some of them coded.
	// classesOnly: an 经济分类 list whose coded rows are all 类 (the
	// dictionary knows the 款 names too, so its uncoded rows are no 款).
	fam := codeFamily(table, res.Lines[rows[0]].Side)
	classList, classesOnly := false, fam == "3"
	if fam != "" {
		for _, i := range rows {
			classList = classList || res.Lines[i].ItemCode != ""
			classesOnly = classesOnly && res.Lines[i].ItemLevel <= 1
		}
	}
	nested := false
	for _, i := range rows {
		nested = nested || res.Lines[i].nameCol > 0
	}
	// A list of units (收入总表 by 单位名称) whose first row after the total
	// is named as the department: that row totals the units after it.
	deptGroup := -1
	if d := squashSpace(res.Identity.DepartmentName); d != "" {
		for k, i := range rows {
			l := res.Lines[i]
			if isTotalRole(l.role) {
				continue
			}
			// …and only when it prints the list's total: otherwise it is the
			// department's own line beside its units'.
			if n := squashSpace(l.ItemName); (n == d || sameOrg(d, n) || sameOrg(n, d)) && l.ItemCode == "" && k > 0 && isTotalRole(res.Lines[rows[k-1]].role) &&
				deptTotals(res, table, l.Line, res.Lines[rows[k-1]].Line) && k+1 < len(rows) && !isTotalRole(res.Lines[rows[k+1]].role) {
				deptGroup = k
			}
			break
		}
	}
	for k, i := range rows {
		l := res.Lines[i]
		switch {
		case isTotalRole(l.role) && l.outline <= 0:
			total[k], last = true, 0
			for st, r := range restarted {
				rank[st] = r
			}
			clear(restarted)
			continue
		case l.ItemLevel > 0 && l.outline > 0 && numbered:
			// A coded row that is numbered in a list whose numbering nests
			// (一、本年支出 › （一）一般公共服务支出): its numbering is its depth,
			// and the coded rows under it follow from there.
			if _, ok := rank[l.outline]; !ok {
				rank[l.outline] = last + 1 // a style first seen nests under the row before it
			}
			depth[k] = rank[l.outline]
			offset = depth[k] - l.ItemLevel
		case l.ItemLevel > 0:
			depth[k] = l.ItemLevel + offset
		case l.outline == outlineSubset:
			depth[k] = -1 // a part of the row above, no addend
			continue
		case nested:
			// Names in several columns: the column is the depth; a row
			// whose names are all blank is a sibling of the row above.
			depth[k] = l.nameCol + 1
			if l.nameCol < 0 {
				depth[k] = max(last, 1)
			}
			// A row in the same name column as the row above, printing the
			// same figures, with rows under it: a level of its own between
			// them (货物 › 无锡市交通运输局（本级） › its items).
			if k > 0 && k+1 < len(rows) && !total[k-1] && res.Lines[rows[k-1]].nameCol == l.nameCol &&
				res.Lines[rows[k+1]].nameCol > l.nameCol && deptTotals(res, table, l.Line, res.Lines[rows[k-1]].Line) {
				depth[k] = depth[k-1] + 1
			}
			uncoded = true
		case l.outline > 0:
			// A numbered row (一、本年支出合计 numbered like an item is one:
			// the coded rows under it are its parts).
			if _, ok := rank[l.outline]; !ok {
				rank[l.outline] = last + 1 // a style first seen nests under the row before it
			}
			if p := res.Lines[rows[max(k-1, 0)]]; l.first && k > 0 && p.outline == outlineNone && !total[k-1] && depth[k-1] > 0 && rank[l.outline] <= depth[k-1] {
				// A numbering that starts again under an unnumbered row
				// (上年结转结余, then 一、一般公共预算拨款 …) lists that row's
				// parts, until the next total.
				if _, ok := restarted[l.outline]; !ok {
					restarted[l.outline] = rank[l.outline]
				}
				rank[l.outline] = depth[k-1] + 1
			}
			depth[k] = rank[l.outline]
			offset = depth[k] // coded rows under it nest below it
			uncoded = true
		case classList && classesOnly && l.nameCol >= 0:
			// A list whose coded rows are all 类: an uncoded row among them
			// is a 类 printed under another name (工资和福利支出).
			depth[k] = 1 + offset
			uncoded = true
		case classList && l.role != "" && l.ItemCode == "":
			// A row rows.toml names (上年结转, 结余分配, 年末结转和结余) is no
			// classified item: it stands beside the top-level rows.
			depth[k] = 1
			uncoded = true
		case classList && (last > 0 || l.nameCol < 0):
			// An uncoded row among classified rows (a 款 or 项 name the
			// document prints without its code, and no other table of it
			// prints): its level is unknown, so it takes part in no sum.
			depth[k] = -2
			continue
		default:
			uncoded = true
			switch {
			case last == 0:
				depth[k] = 1
			case k > 0 && !total[k-1] && res.Lines[rows[k-1]].outline == outlineNone && res.Lines[rows[k-1]].ItemLevel == 0:
				depth[k] = depth[k-1] // a sibling of the unnumbered row before it
			default:
				depth[k] = last + 1
			}
		}
		last = depth[k]
	}
	if !nested {
		// Units each followed by their own rows (部门预算基本支出预算表: a unit,
		// then its 工资福利支出, 商品和服务支出 …): each unit totals the rows
		// up to the next unit.
		isUnit := func(k int) bool {
			l := res.Lines[rows[k]]
			return !total[k] && l.ItemCode == "" && l.outline == outlineNone && orgLike(squashSpace(l.ItemName))
		}
		grouped := false
		for k := range rows {
			if isUnit(k) && k+1 < len(rows) && !total[k+1] && !isUnit(k+1) {
				grouped = true
			}
		}
		under := false
		for k := range rows {
			switch {
			case total[k]:
				under = false
			case grouped && isUnit(k):
				depth[k], under, uncoded = 1, true, true
			case under && depth[k] > 0:
				depth[k]++
			}
		}
	}
	if deptGroup >= 0 {
		// Everything listed after the department's own row is under it.
		for k := deptGroup + 1; k < len(rows); k++ {
			if depth[k] > 0 {
				depth[k]++
			}
		}
		depth[deptGroup], uncoded = 1, true
	}
	// Codes alone, each printed once: codeSums has the items' sums (the
	// totals of a side of a 收支总表 are still read here).
	codesOnly := !uncoded && uniqueCodes(res, rows)
	desc := func(i int, what string, n int) string {
		return fmt.Sprintf("%s %s %q = Σ %s (%d rows)", table, measure, res.Lines[i].ItemName, what, n)
	}
	// Items: the sum of the rows one level below.
	for k, i := range rows {
		if total[k] || depth[k] <= 0 || codesOnly {
			continue
		}
		// The rows under it, down to the next row as high as it; its parts
		// are those of the highest level among them.
		end, child := k+1, 0
		for ; end < len(rows) && !total[end] && (depth[end] > depth[k] || depth[end] < 0); end++ {
			if depth[end] > 0 && (child == 0 || depth[end] < child) {
				child = depth[end]
			}
		}
		var parts []int
		for j := k + 1; j < end; j++ {
			if depth[j] == child {
				parts = append(parts, rows[j])
			}
		}
		if len(parts) > 0 {
			add(identity{i, parts, desc(i, "the rows under it", len(parts)), "sum.outline"})
		}
	}
	// Totals.
	prev := -1
	for k, i := range rows {
		if !total[k] {
			continue
		}
		// The highest level of rows in [lo, hi).
		level := func(lo, hi int) int {
			top := 0
			for j := lo; j < hi; j++ {
				if !total[j] && depth[j] > 0 && (top == 0 || depth[j] < top) {
					top = depth[j]
				}
			}
			return top
		}
		var parts []int
		if prev >= 0 {
			parts = append(parts, rows[prev])
		}
		top := level(prev+1, k)
		for j := prev + 1; j < k; j++ {
			if !total[j] && depth[j] == top {
				parts = append(parts, rows[j])
			}
		}
		if prev < 0 && len(parts) == 0 {
			// A total opening the list: the top-level rows after it.
			end := k + 1
			for end < len(rows) && !total[end] {
				end++
			}
			top := level(k+1, end)
			for j := k + 1; j < end; j++ {
				if depth[j] == top {
					parts = append(parts, rows[j])
				}
			}
		}
		if len(parts) > 0 {
			add(identity{i, parts, desc(i, "the top-level rows since the previous total", len(parts)), "sum.outline"})
		}
		prev = k
	}
}

// deptTotals reports whether the department's row (at line dept) prints
// the same figures as the list's total row (at line total) in every
// measure of the table: then it totals the units listed after it.
func deptTotals(res *Result, table string, dept, total int) bool {
	figures := map[int]map[string]string{}
	for _, l := range res.Lines {
		if l.TableKey == table && (l.Line == dept || l.Line == total) {
			if figures[l.Line] == nil {
				figures[l.Line] = map[string]string{}
			}
			figures[l.Line][l.Measure] = l.AmountYuan.String()
		}
	}
	if len(figures[dept]) == 0 || len(figures[dept]) != len(figures[total]) {
		return false
	}
	for m, v := range figures[dept] {
		if figures[total][m] != v {
			return false
		}
	}
	return true
}

// uniqueCodes reports whether no code is printed on two rows of a list.
func uniqueCodes(res *Result, rows []int) bool {
	line := map[string]int{}
	for _, i := range rows {
		l := res.Lines[i]
		if l.ItemCode == "" {
			continue
		}
		if n, ok := line[l.ItemCode]; ok && n != l.Line {
			return false
		}
		line[l.ItemCode] = l.Line
	}
	return true
}

// columnIdentities: within each row, the column sums of its table's header.
func columnIdentities(res *Result, add func(identity)) {
	type rowKey struct {
		table, side string
		line        int
		name        string
	}
	rows := map[rowKey]map[int]int{} // column → line index
	var order []rowKey
	for i, l := range res.Lines {
		if l.col < 0 || len(res.colSums[l.TableKey]) == 0 {
			continue
		}
		k := rowKey{l.TableKey, l.Side, l.Line, ""}
		if !l.across && !l.itemsRow {
			k.name = l.ItemName
		}
		if rows[k] == nil {
			rows[k] = map[int]int{}
			order = append(order, k)
		}
		if _, ok := rows[k][l.col]; !ok {
			rows[k][l.col] = i
		}
	}
	for _, k := range order {
		m := rows[k]
		for _, cs := range res.colSums[k.table] {
			t, ok := m[cs.total]
			if !ok {
				continue
			}
			var parts []int
			var names []string
			for _, c := range cs.parts {
				if i, ok := m[c]; ok {
					parts = append(parts, i)
					names = append(names, res.Lines[i].Measure)
				}
			}
			if len(parts) == 0 {
				continue // no part printed: nothing to compare
			}
			tl := res.Lines[t]
			what := tl.Measure
			if tl.across || tl.itemsRow {
				what = tl.ItemName
				names = names[:0]
				for _, i := range parts {
					names = append(names, res.Lines[i].ItemName)
				}
			}
			add(identity{t, parts, fmt.Sprintf("%s row %q: %s = %s", k.table, tl.ItemName, what, strings.Join(names, " + ")), "sum.row"})
		}
	}
}

// projectSums: in a project table, the first subtotal row of each measure
// is the sum of the projects.
func projectSums(res *Result, add func(identity)) {
	names := map[string]bool{}
	for _, p := range res.Projects {
		names[p.ProjectName] = true
	}
	for _, key := range []string{KeyProjectCurrent, KeyProjectCarryover} {
		sub := map[string]int{}
		projects := map[string][]int{}
		var measures []string
		for i, l := range res.Lines {
			if l.TableKey != key {
				continue
			}
			if names[l.ItemName] {
				projects[l.Measure] = append(projects[l.Measure], i)
			} else if _, ok := sub[l.Measure]; !ok {
				sub[l.Measure] = i
				measures = append(measures, l.Measure)
			}
		}
		for _, m := range measures {
			if ps := projects[m]; len(ps) > 0 {
				add(identity{sub[m], ps, fmt.Sprintf("%s %s: department total = Σ %d projects", key, m, len(ps)), "sum.projects"})
			}
		}
	}
}

// columnSums derives a table's column sums from its header tree: in every
// header group (and at the top of each side) a total-like leaf column
// (合计, 小计, 总计, …总数, 金额) is the sum of the group's other members —
// each a column, or a sub-group's own total column, or else the sub-group's
// members. Memo columns (政府采购, 扣除基建, 增减), percentages, label
// columns and 其中 subsets are no members. A group whose total column is
// itself a group of measure leaves (决算's 合计 › 预算数 | 决算数) sums leaf by
// leaf. A sum with a member whose header names nothing known is dropped:
// it could not be checked.
func columnSums(cols []colInfo) []colSum {
	// The forest of header nodes, by side.
	roots := map[string][]*hnode{}
	var sides []string
	seen := map[*hnode]bool{}
	for c := range cols {
		n := cols[c].node
		if n == nil {
			continue
		}
		for n.parent != nil {
			n = n.parent
		}
		if !seen[n] {
			seen[n] = true
			s := cols[c].side
			if roots[s] == nil {
				sides = append(sides, s)
			}
			roots[s] = append(roots[s], n)
		}
	}
	var out []colSum
	var walk func(children []*hnode)
	walk = func(children []*hnode) {
		out = append(out, groupSums(cols, children)...)
		for _, ch := range children {
			if len(ch.children) > 0 {
				walk(ch.children)
			}
		}
	}
	for _, s := range sides {
		walk(roots[s])
	}
	return out
}

// groupSums are the sums of one header group with members children.
func groupSums(cols []colInfo, children []*hnode) []colSum {
	var total *hnode
	for _, ch := range children {
		if totalLike(ch.label) && measureNode(cols, ch) {
			total = ch
			break
		}
	}
	if total == nil {
		return nil
	}
	scope := scopeOf(total.label)
	member := func(ch *hnode) bool { return ch != total && measureNode(cols, ch) && inScope(ch.label, scope) }
	others := 0
	subsets := 0
	for _, ch := range children {
		if !member(ch) {
			continue
		}
		others++
		if strings.HasPrefix(ch.label, "其中") {
			subsets++
		}
	}
	if others == 0 || subsets == others {
		return nil
	}
	var out []colSum
	leafLabels := []string{""}
	if total.col < 0 {
		leafLabels = leafLabels[:0]
		for _, l := range total.children {
			if l.col >= 0 {
				leafLabels = append(leafLabels, l.label)
			}
		}
	}
	for _, leaf := range leafLabels {
		t := repCols(cols, total, leaf, true)
		if len(t) != 1 {
			continue
		}
		var parts []int
		ok := true
		for _, ch := range children {
			if !member(ch) {
				continue
			}
			ps := repCols(cols, ch, leaf, false)
			if ps == nil {
				ok = false
				break
			}
			parts = append(parts, ps...)
		}
		if ok && len(parts) > 0 {
			out = append(out, colSum{total: t[0], parts: parts})
		}
	}
	return out
}

// measureNode reports whether a header node stands over amounts that add
// up: not a label column, a memo or percentage column, or a 其中 subset's
// parent group's note.
func measureNode(cols []colInfo, n *hnode) bool {
	any := false
	for _, c := range n.cols {
		ci := cols[c]
		switch {
		case ci.role == roleCode || ci.role == roleName || ci.role == roleName2:
			return false
		case !ci.memo && !ci.percent:
			any = true // a group with a memo member (项目支出 › 扣除基建项目后) still adds up by its others
		}
	}
	return any
}

// repCols are the columns that stand for node n in its parent's sum: n's
// own column, its total-like member's, or its members'; with leaf set,
// only columns under a leaf of that label. nil when a column cannot be
// checked (its header names nothing known).
func repCols(cols []colInfo, n *hnode, leaf string, top bool) []int {
	if n.col >= 0 {
		ci := cols[n.col]
		if leaf != "" && n.label != leaf && !top {
			return []int{}
		}
		if ci.role != roleMeasure || ci.unknown || ci.dup {
			return nil
		}
		return []int{n.col}
	}
	if leaf != "" {
		for _, ch := range n.children {
			if ch.col >= 0 && ch.label == leaf {
				return repCols(cols, ch, "", top)
			}
		}
	}
	for _, ch := range n.children {
		if totalLike(ch.label) && measureNode(cols, ch) {
			return repCols(cols, ch, leaf, top)
		}
	}
	var out []int
	for _, ch := range n.children {
		if !measureNode(cols, ch) || strings.HasPrefix(ch.label, "其中") {
			continue
		}
		ps := repCols(cols, ch, leaf, false)
		if ps == nil {
			return nil
		}
		out = append(out, ps...)
	}
	return out
}
