package transform

import (
	"regexp"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/gongkai/gongkai/extract"
)

// Performance forms (绩效目标表) are label–value grids, printed with cells
// shifted and merged differently from form to form. They are read by their
// labels, not by positions: a value is the next non-empty cell after its
// label, and the indicator grid is read as a sequence of 一级/二级 names and
// texts.

var wideGap = regexp.MustCompile(`\s{2,}|\x{3000}+`)

var (
	formTitleLine = regexp.MustCompile(`(绩效目标(申报)?表|绩效目标表)$`)
	formEnd       = regexp.MustCompile(`^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、)`)
)

// formTextKeys maps printed text labels to the keys of Form.Texts.
var formTextKeys = map[string]string{
	"项目概况":         "overview",
	"立项依据":         "basis",
	"项目设立必要性":      "necessity",
	"保证项目实施的制度、措施": "measures",
	"项目实施计划":       "plan",
	"部门职责":         "duties",
	"部门战略目标":       "strategy",
	"年度绩效目标":       "annual_goal",
}

// formValueLabels are labels whose value is the next non-empty cell.
var formValueLabels = map[string]string{
	"项目名称": "project_name", "主管部门及代码": "department", "实施单位": "unit", "项目属性": "attribute",
	"项目期": "period", "部门名称": "department", "填报日期": "filed_at",
}

var sourceLabel = regexp.MustCompile(`^(其中[:：])?(中央财政资金?|省级财政资金?|市县[(（]区[)）]财政资?金?|市级财政资金?|县级财政资金?|单位自筹|其他资金|上年结转资金?)$`)

// level1Names and level2Names are the indicator vocabulary of the national
// templates (2019 and 2021 editions).
var level1Names = map[string]bool{"产出指标": true, "效益指标": true, "满意度指标": true, "成本指标": true}
var level2Names = map[string]bool{
	"数量指标": true, "质量指标": true, "时效指标": true, "成本指标": true, "经济效益": true, "社会效益": true,
	"生态效益": true, "可持续影响": true, "服务对象满意度": true, "经济效益指标": true, "社会效益指标": true,
	"生态效益指标": true, "可持续影响指标": true, "服务对象满意度指标": true, "经济成本指标": true,
	"社会成本指标": true, "生态环境成本指标": true,
}

func squashCells(text string, tabbed bool) []string {
	var cells []string
	if tabbed {
		cells = strings.Split(text, "\t")
	} else {
		// Space-aligned exports: cells are separated by two or more spaces;
		// a single space belongs to the cell (609 朔州…).
		cells = wideGap.Split(strings.TrimSpace(text), -1)
	}
	for i, c := range cells {
		cells[i] = strings.TrimSpace(c)
	}
	return cells
}

// parseForms finds every performance form in the document.
func parseForms(lines []extract.Line) []Form {
	var forms []Form
	var cur *formParser
	list := -1 // forms[list]: the last project of a list of forms (see listRow)
	unit := decimal.Zero
	for _, l := range lines {
		t := squashSpace(l.Text)
		if t == "" {
			continue
		}
		if cur != nil && !l.Tabbed && strings.HasPrefix(t, "金额单位") {
			unit = listUnit(t)
			continue
		}
		if cur != nil && l.Tabbed && cur.list == nil && listHeader(l) != nil {
			cur.list, cur.unit = listHeader(l), unit
			continue
		}
		if cur != nil && cur.list != nil && l.Tabbed {
			switch {
			case cur.listName(l) != "":
				if cur.f.ProjectNameRaw != "" {
					forms = append(forms, cur.finish())
				}
				list = len(forms) // where cur goes when it is done
				cur = cur.next(l)
				cur.listRow(l)
			case cur.f.ProjectNameRaw == "" && list >= 0 && list == len(forms)-1:
				// A project continued on the next page, under the repeated title and header.
				prev := &formParser{f: forms[list], list: cur.list, l1: cur.l1, oneHorizon: true}
				prev.listRow(l)
				forms[list] = prev.f
				cur.l1 = prev.l1
			default:
				cur.listRow(l)
			}
			continue
		}
		if !l.Tabbed && formTitleLine.MatchString(t) && len([]rune(t)) < 60 {
			if cur != nil && (cur.list == nil || cur.f.ProjectNameRaw != "") {
				forms = append(forms, cur.finish())
			}
			unit = decimal.Zero
			scope := "project"
			if strings.Contains(t, "整体") {
				scope = "department"
			}
			cur = &formParser{f: Form{Scope: scope, Texts: map[string]string{}, Page: l.Page, Line: l.No}}
			continue
		}
		if cur == nil {
			continue
		}
		if !l.Tabbed && formEnd.MatchString(t) {
			forms = append(forms, cur.finish())
			cur = nil
			continue
		}
		cur.row(l)
		if cur.done {
			forms = append(forms, cur.finish())
			cur = nil
		}
	}
	if cur != nil {
		forms = append(forms, cur.finish())
	}
	// A sentence that only mentions the forms (详见…绩效目标表) is no form.
	kept := forms[:0]
	for _, f := range forms {
		if f.ProjectNameRaw == "" && f.DepartmentCodeRaw == "" && len(f.Indicators) == 0 && f.TotalFunding == nil {
			continue
		}
		kept = append(kept, f)
	}
	return kept
}

type formParser struct {
	f            Form
	list         map[string]int  // a list of forms: the header's columns (项目名称, 项目总额, 财政资金, 绩效目标, 一级指标 …)
	unit         decimal.Decimal // a list's 金额单位 in yuan; zero when it does not say
	oneHorizon   bool            // the indicators state one horizon (a list's 本年绩效指标值)
	inGrid       bool
	done         bool
	l1           string
	l2           [2]string
	budgetBlock  bool // inside the department form's 年度预算情况 block
	budgetFactor decimal.Decimal
}

func (p *formParser) finish() Form { return p.f }

func (p *formParser) row(l extract.Line) {
	cells := squashCells(l.Text, l.Tabbed)
	var ne, raw []string // non-empty cells, squashed for matching labels and as printed
	for _, c := range cells {
		if s := squashSpace(c); s != "" {
			ne = append(ne, s)
			raw = append(raw, c)
		}
	}
	if len(ne) == 0 {
		return
	}
	if p.inGrid && !strings.HasPrefix(ne[0], "负责人") && !strings.HasPrefix(ne[0], "填报") {
		p.indicatorRow(ne, l)
		return
	}
	for i := 0; i < len(ne); i++ {
		c := strings.TrimRight(ne[i], ":：")
		// next is the cell after the label, unless it is a label itself.
		next := func() string {
			if i+1 >= len(ne) {
				return ""
			}
			n := strings.TrimRight(ne[i+1], ":：")
			if formValueLabels[n] != "" || formTextKeys[n] != "" || sourceLabel.MatchString(n) {
				return ""
			}
			return raw[i+1]
		}
		switch {
		case c == "绩效指标" || c == "年度绩效指标":
			p.inGrid = true
			return
		case c == "年度预算情况":
			p.budgetBlock = true
			p.budgetFactor = decimal.NewFromInt(1)
			if strings.Contains(strings.Join(ne, ""), "万元") {
				p.budgetFactor = decimal.NewFromInt(10000)
			}
		case formValueLabels[c] != "":
			v := next()
			if v == "" {
				continue
			}
			switch formValueLabels[c] {
			case "project_name":
				p.f.ProjectNameRaw = CleanName(v)
			case "department":
				if p.f.DepartmentCodeRaw == "" {
					p.f.DepartmentCodeRaw = v
				}
			case "unit":
				p.f.ImplementingUnit = v
			case "attribute":
				p.f.ProjectAttribute = v
				p.f.AttributeLine = l.No
			case "period":
				p.f.ProjectPeriod = v
			case "filed_at":
				p.f.FiledAt = v
				p.done = true
			}
			i++
		case formTextKeys[c] != "":
			if v := next(); v != "" {
				p.f.Texts[formTextKeys[c]] = v
				i++
			}
		case c == "总体目标":
			var vals []string
			for j := i + 1; j < len(ne); j++ {
				vals = append(vals, ne[j])
			}
			if len(vals) > 0 {
				p.f.Texts["goal_implementation"] = vals[0]
				p.f.Texts["goal_annual"] = vals[len(vals)-1]
			}
			return
		case c == "实施期资金总额" || c == "年度资金总额":
			if v := next(); v != "" {
				if d, err := ParseAmount(v, decimal.NewFromInt(1)); err == nil {
					if c == "实施期资金总额" {
						p.f.TotalFunding = &d
					} else {
						p.f.AnnualFunding = &d
					}
					i++
				}
			}
		case sourceLabel.MatchString(c):
			horizon := "implementation"
			for _, s := range p.f.Sources {
				if s.Line == l.No {
					horizon = "annual"
				}
			}
			src := sourceLabel.FindStringSubmatch(c)[2]
			src = strings.NewReplacer("（", "(", "）", ")").Replace(src)
			if !strings.HasSuffix(src, "金") && strings.Contains(src, "财政") {
				src = strings.TrimRight(src, "资") + "资金"
			}
			if v := next(); v != "" {
				if d, err := ParseAmount(v, decimal.NewFromInt(1)); err == nil {
					p.f.Sources = append(p.f.Sources, FundingSource{Horizon: horizon, Source: src, Amount: d, Raw: v, Line: l.No})
					i++
					continue
				}
			}
			// An empty amount still marks the horizon as seen on this line.
			p.f.Sources = append(p.f.Sources, FundingSource{Horizon: horizon, Source: src, Raw: "", Line: l.No})
		case p.budgetBlock && c == "合计":
			// The department form: 合计 <amount by source> 合计 <amount by direction>.
			if v := next(); v != "" {
				if d, err := ParseAmount(v, p.budgetFactor); err == nil && p.f.TotalFunding == nil {
					p.f.TotalFunding = &d
					dd := d
					p.f.AnnualFunding = &dd
				}
			}
			return
		}
	}
}

// indicatorRow reads one row of the 一级/二级/三级指标 grid. Project forms
// carry two horizons side by side (实施期, 年度), the department form one.
func (p *formParser) indicatorRow(ne []string, l extract.Line) {
	if ne[0] == "一级指标" || strings.HasPrefix(ne[0], "一级") {
		return
	}
	i := 0
	// 成本指标 is a level-1 name in the 2021 template and a level-2 name in
	// the 2019 one: in a project form it is level 1 only when a level-2 name follows.
	isL1 := level1Names[ne[0]] && !(ne[0] == "成本指标" && p.f.Scope == "project" && (len(ne) < 2 || !level2Names[ne[1]]))
	if isL1 {
		if p.l1 != ne[0] {
			p.l2 = [2]string{}
		}
		p.l1 = ne[0]
		i = 1
	}
	horizons := []string{"implementation", "annual"}
	if p.f.Scope == "department" || p.oneHorizon {
		horizons = []string{"annual"}
	}
	// Split the rest into segments, each optionally headed by a level-2 name.
	type seg struct {
		l2    string
		texts []string
	}
	var segs []seg
	for ; i < len(ne); i++ {
		c := ne[i]
		isL2 := level2Names[c]
		if isL2 && len(segs) > 0 && len(segs[len(segs)-1].texts) == 0 && segs[len(segs)-1].l2 != "" && len(horizons) == 1 {
			isL2 = false // 服务对象满意度 as a level-3 label after its level-2 name
		}
		if isL2 && len(segs) > 0 && len(horizons) == 1 {
			isL2 = false // the department form has one horizon: one level-2 name per row
		}
		if isL2 {
			segs = append(segs, seg{l2: c})
			continue
		}
		if len(segs) == 0 {
			segs = append(segs, seg{})
		}
		segs[len(segs)-1].texts = append(segs[len(segs)-1].texts, c)
	}
	// Segments beyond the horizons: a segment with more than two texts holds both halves.
	if len(horizons) == 2 && len(segs) == 1 && len(segs[0].texts) >= 4 {
		t := segs[0].texts
		h := len(t) / 2
		segs = []seg{{l2: segs[0].l2, texts: t[:h]}, {l2: "", texts: t[h:]}}
	}
	for k, s := range segs {
		if k >= len(horizons) {
			break
		}
		hk := k
		if s.l2 != "" {
			p.l2[hk] = s.l2
		} else if hk == 1 && p.l2[1] == "" {
			p.l2[1] = p.l2[0]
		}
		if len(s.texts) == 0 {
			continue
		}
		ind := Indicator{Horizon: horizons[hk], Level1: p.l1, Level2: p.l2[hk], Level3: s.texts[0], Page: l.Page, Line: l.No}
		if len(s.texts) > 1 {
			ind.TargetRaw = strings.Join(s.texts[1:], " ")
		}
		ind.TargetOp, ind.TargetValue, ind.TargetUnit = ParseTarget(ind.TargetRaw)
		p.f.Indicators = append(p.f.Indicators, ind)
	}
}

// listHeader reads a tabbed line as the header of a list of project forms
// (Beijing's 项目支出绩效目标表: a row a project — 项目名称 │ 项目总额 │ 财政资金 …
// │ 绩效目标 — and its indicators in the rows below it, 一级指标 │ 二级指标 │
// 三级指标 │ 绩效指标性质 │ 本年绩效指标值 │ 绩效度量单位): the column of each
// label, or nil when the line is no such header.
func listHeader(l extract.Line) map[string]int {
	cols := map[string]int{}
	for i, c := range strings.Split(l.Text, "\t") {
		if c = squashSpace(c); c != "" {
			if _, ok := cols[c]; !ok {
				cols[c] = i
			}
		}
	}
	n, ok1 := cols["项目名称"]
	l1, ok2 := cols["一级指标"]
	if !ok1 || !ok2 || n >= l1 {
		return nil
	}
	return cols
}

// listName is the project a row of a list of forms names in its 项目名称
// column, or "" for an indicator row (or the header's own labels).
func (p *formParser) listName(l extract.Line) string {
	cells := strings.Split(l.Text, "\t")
	i, ok := p.list["项目名称"]
	if !ok || i >= len(cells) {
		return ""
	}
	name := strings.TrimSpace(cells[i])
	if n := squashSpace(name); formValueLabels[n] != "" || p.list[n] != 0 || n == "项目名称" {
		return ""
	}
	return name
}

// listRow reads a row of a list of forms into p: a project's own row
// (its name, 项目总额 and 绩效目标, and an indicator when the row prints
// one) or one of its indicators.
func (p *formParser) listRow(l extract.Line) {
	cells := strings.Split(l.Text, "\t")
	at := func(label string) string {
		if i, ok := p.list[label]; ok && i < len(cells) {
			return strings.TrimSpace(cells[i])
		}
		return ""
	}
	if name := p.listName(l); name != "" {
		p.f.ProjectNameRaw = CleanName(listCode.ReplaceAllString(name, ""))
		p.f.Page, p.f.Line = l.Page, l.No
		if v := at("项目总额"); v != "" && !p.unit.IsZero() {
			if d, err := ParseAmount(v, p.unit); err == nil {
				p.f.AnnualFunding = &d
			}
		}
		if v := at("绩效目标"); v != "" {
			p.f.Texts["annual_goal"] = v
		}
	}
	var ne []string
	if i, ok := p.list["一级指标"]; ok {
		for _, c := range cells[min(i, len(cells)):] {
			if c = squashSpace(c); c != "" {
				ne = append(ne, c)
			}
		}
	}
	if len(ne) > 0 {
		p.indicatorRow(ne, l)
	}
}

// next starts the form of the next project of a list, with the list's
// header, unit and title.
func (p *formParser) next(l extract.Line) *formParser {
	return &formParser{f: Form{Scope: p.f.Scope, Texts: map[string]string{}, Page: l.Page, Line: l.No}, list: p.list, unit: p.unit, oneHorizon: true}
}

// listCode is the project code a list prints before a project's name
// (11000022T000000444194-法律援助办案补贴).
var listCode = regexp.MustCompile(`^[0-9A-Z]{12,}[-－—]`)

// listUnit is the yuan of the unit a 金额单位 line names (万元, 元 …), or
// zero when it names none.
func listUnit(t string) decimal.Decimal {
	if m := unitLine.FindStringSubmatch(t); m != nil {
		return unitFactor[m[1]]
	}
	return decimal.Zero
}

var targetRe = regexp.MustCompile(`^(≥|≤|>=|<=|＞=|＜=|>|<|＞|＜|=|＝|不低于|不高于|不少于|不超过|大于等于|小于等于|大于|小于|达到)?\s*(-?\d+(?:\.\d+)?)\s*(.*)$`)

// ParseTarget reads a 指标值 such as ≥90%, ≤5万元, 100元/人/天 or 3人 into
// a comparison, a number and a unit. Words (及时, 合理) give no number.
func ParseTarget(raw string) (op string, value *decimal.Decimal, unit string) {
	s := strings.TrimSpace(raw)
	m := targetRe.FindStringSubmatch(s)
	if m == nil {
		return "", nil, ""
	}
	d, err := decimal.NewFromString(m[2])
	if err != nil {
		return "", nil, ""
	}
	switch m[1] {
	case "≥", ">=", "＞=", "不低于", "不少于", "大于等于":
		op = ">="
	case "≤", "<=", "＜=", "不高于", "不超过", "小于等于":
		op = "<="
	case ">", "＞", "大于":
		op = ">"
	case "<", "＜", "小于":
		op = "<"
	default:
		op = "="
	}
	return op, &d, strings.TrimSpace(m[3])
}
