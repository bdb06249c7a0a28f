package transform

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/gongkai/gongkai/extract"
)

// Checks of the document against itself (sql/CHECKS.md, "The document
// against itself"): the words of a sentence against the figures they
// compare, a 原因 where the 决算 template asks for one, years in titles,
// headings, dates and comparisons against the fiscal year and stage,
// placeholders left in, and empty tables without their 空表说明.

// consistency collects the findings of the document against itself.
type consistency struct {
	res *Result
	out []Finding
	// none: the funds the narrative says the department has none of
	// (本部门无政府性基金…, 未安排“三公”经费), by table group.
	none map[string]bool
	// narrative: the document has a paragraph of narrative (a tables-only
	// part of a split disclosure leaves its 空表说明 to the other part).
	narrative bool
	// carry: the figures of an item whose comparison has not come yet at
	// the end of a paragraph (…支出决算为202.24万元。 then, on a line of its
	// own, 决算数与全年预算数持平。), for the next paragraph of its section.
	carry *cmpItem
}

// cmpItem is the budget and outturn figures of an item being compared.
type cmpItem struct {
	sec     factSection
	budgets map[string]cmpFig
	outturn *cmpFig
}

func checkConsistency(p *parse) []Finding {
	c := &consistency{res: p.res, none: map[string]bool{}}
	narrativeParagraphs(p.doc.Lines, c.paragraph, func(extract.Line, string) {})
	c.years(p)
	c.placeholders(p.doc.Lines)
	c.emptyTables(p)
	return c.out
}

func (c *consistency) add(f Finding) { c.out = append(c.out, f) }

// Patterns over a paragraph's normalized text (factPara.s).
var (
	// cmpBudget is a budget figure of a 决算 sentence (年初预算为2993.92万元);
	// cmpOutturn its outturn (支出决算为2940.05万元).
	cmpBudget  = factRe(`(?P<k>年初预算|全年预算|调整预算|调整后预算|预算)数?(?:为|是)?(?P<v>` + factNum + `)(?P<u>万元|元)`)
	cmpOutturn = factRe(`决算数?(?:为|是)?(?P<v>` + factNum + `)(?P<u>万元|元)`)
	// cmpWord compares them: 决算数小于预算数, 决算数与全年预算数持平.
	cmpWord = factRe(`决算数?(?:支出)?(?P<w>大于|小于|等于|高于|低于|超过|超出|少于|多于)(?P<k>年初|全年|调整后?)?预算数?` +
		`|决算数?与(?P<k2>年初|全年|调整后?)?预算数?(?P<w2>基本持平|持平|基本一致|一致|相等|相同)` +
		`|(?:决算数?)?(?:比|较)(?P<k3>年初|全年|调整后?)?预算数?(?P<w3>增加|增长|减少|下降|持平)(?P<a3>` + factNum + `)?`)
	// cmpDone: the outturn as a share of a budget (完成年初预算的98.20%,
	// 完成预算0万元的0%).
	cmpDone = factRe(`完成(?P<k>年初|全年|调整后?)?预算数?(?:` + factNum + `(?:万元|元))?的(?P<p>` + factNum + `)%`)
	// cmpReason: the words that give a reason.
	cmpReason = factRe(`原因|由于|因为|因此|主要是|系因`)
	// cmpPair: a change stated as an amount and a percent, whose two
	// direction words must agree (比上年增加12.5万元，增长3.2%).
	cmpPair = factRe(`(?P<d1>` + factUp + `|` + factDown + `)了?(?P<a>` + factNum + `)(?P<u>万元|元),?(?:同比|比上年)?(?P<d2>` + factUp + `|` + factDown + `)(?:了|幅度为|为)?(?P<p>` + factNum + `)%`)
	// yearCmp: a comparison with a year (与2023年度相比, 比2025年预算增加).
	yearCmp = factRe(`(?:与|比|较)(?P<y>20\d\d)年度?(?:预算|决算)?(?:执行)?数?(?:相比|比较)?,?(?:` + factUp + `|` + factDown + `|基本持平|持平)`)
	// yearAsOf: the date of a statement of assets (截至2024年12月31日).
	yearAsOf = factRe(`截[至止](?P<y>20\d\d)年(?:(?P<m>\d{1,2})月(?:\d{1,2}日)?|底|末)`)
	// yearIn: a year in a title (2024年度部门决算); not a range's end (2024-2026年).
	yearIn = regexp.MustCompile(`(?:^|[^\d\-~—至到])(20\d\d)年`)
	// placeholder: a template's blank left in (XX局, ××, 待填写, 某某).
	placeholder = regexp.MustCompile(`[XＸ×]{2,}|[xｘ]{2,}[\p{Han}]|[\p{Han}][xｘ]{2,}|某某|待填写|待补充|待填报|此处填写|（单位名称）|\(单位名称\)`)
	// noFunds: a note under a table that says why it is empty.
	noFunds = factRe(`无|没有|未安排|未发生|不涉及|未涉及|空表|为零`)
)

// cmpFig is a figure of a comparison: its kind (年初预算 …), value and
// where it stands in the paragraph.
type cmpFig struct {
	kind       string
	v          decimal.Decimal
	start, end int
	raw        string
}

// paragraph runs the sentence checks on one paragraph of narrative.
func (c *consistency) paragraph(p *factPara) {
	if p.sec == factSecTables || p.sec == factSecGlossary {
		return
	}
	c.narrative = c.narrative || p.sec >= factSecNarrative && p.sec != factSecOther
	c.budgetOutturn(p)
	c.changePairs(p)
	c.changeReason(p)
	c.yearsInText(p)
	c.subject(p)
	c.noFundStatements(p)
}

// subjectRe: the department a sentence of the narrative is about, next to
// the year (2024年度上海市普陀区财政局收入支出总计…, 上海市普陀区财政局2024年度…).
var subjectRe = factRe(`(?:^|[。;])(?P<y1>20\d\d年度?)?(?P<n>\p{Han}{2,30}?(?:委员会|办公室|局|委|办|院|厅|中心|所|站|馆|队|学校|大学|学院|部|会|处|室|社|署|府|公司|集团))` +
	`(?P<y2>20\d\d年度?)?(?:部门|单位)?(?:预算|决算)?(?:收入|支出|收支|一般公共预算|财政拨款|"三公"|机关运行|政府采购)`)

// subject: the department a sentence names as its subject is the
// document's, or an abbreviation of it (省检察院 for 江苏省人民检察院: its
// characters in the same order).
func (c *consistency) subject(p *factPara) {
	dept := c.res.Identity.DepartmentName
	if dept == "" {
		return
	}
	for _, h := range factFindAll(subjectRe, p.s) {
		n := h.g["n"]
		if h.g["y1"] == "" && h.g["y2"] == "" || strings.Contains(n, dept) || isSubsequence(n, dept) {
			continue
		}
		if r := []rune(n); strings.ContainsRune("本我该各其", r[0]) {
			continue
		}
		page, line := p.at(h.pos["n"][0])
		c.add(Finding{CheckID: "text.department_name", Severity: "warning",
			Message:  fmt.Sprintf("the narrative's sentence is about %q (%q), not the document's department %s", n, p.raw(h.start, h.end), dept),
			Expected: dept, Actual: n, Page: page, Line: line})
	}
}

// isSubsequence reports whether the characters of a appear in b in order.
func isSubsequence(a, b string) bool {
	rb := []rune(b)
	i := 0
	for _, r := range a {
		for i < len(rb) && rb[i] != r {
			i++
		}
		if i == len(rb) {
			return false
		}
		i++
	}
	return true
}

// yoyChange: a change against the year before stated as an amount or a
// percent (与2023年度相比，收入支出总计减少56.95万元; 比上年增长3.2%).
var yoyChange = factRe(factPrev + `[^。;]{0,20}?` + factDir + `(?P<a>` + factNum + `)(?:万元|元|%)`)

// changeReason: a 决算's overall statements — 收入支出决算总体情况,
// 财政拨款收入支出决算总体情况 — that state a change against the year
// before give its reason (the 决算 template: 增加/减少的主要原因是…).
func (c *consistency) changeReason(p *factPara) {
	if c.res.Identity.Stage != StageFinalAccount || p.sec != factSecChange && p.sec != factSecApprop {
		return
	}
	for _, h := range factFindAll(yoyChange, p.s) {
		if a, ok := factDecimal(h.g["a"]); !ok || a.IsZero() || cmpReason.MatchString(p.s) {
			continue
		}
		page, line := p.at(h.start)
		c.add(Finding{CheckID: "text.reason_missing", Severity: "warning",
			Message:  fmt.Sprintf("the narrative says %q but gives no reason (原因) for the change, which the 决算 template asks for", p.raw(h.start, h.end)),
			Expected: "主要原因", Actual: p.raw(h.start, h.end), Page: page, Line: line})
		return
	}
}

// budgetOutturn: in a 决算 sentence, 决算数大于/小于/等于预算数 against the
// budget and outturn figures stated before it; a difference needs a
// reason (决算数小于预算数的主要原因…).
func (c *consistency) budgetOutturn(p *factPara) {
	s := p.s
	const (
		evBudget  = iota // 年初预算为…万元
		evOutturn        // 支出决算为…万元
		evWord           // 决算数小于预算数
		evDone           // 完成年初预算的…%
	)
	type ev struct {
		at, typ int
		h       factHit
	}
	var evs []ev
	for typ, re := range []*regexp.Regexp{evBudget: cmpBudget, evOutturn: cmpOutturn, evWord: cmpWord, evDone: cmpDone} {
		for _, h := range factFindAll(re, s) {
			evs = append(evs, ev{h.start, typ, h})
		}
	}
	carried := c.carry
	c.carry = nil
	if len(evs) == 0 {
		return
	}
	slices.SortStableFunc(evs, func(a, b ev) int { return a.at - b.at })
	budgets := map[string]cmpFig{}
	var outturn *cmpFig
	itemStart, lastWord := -1, 0
	if carried != nil && carried.sec == p.sec {
		budgets, outturn = carried.budgets, carried.outturn
	}
	type pending struct {
		from, word int
		h          factHit
	}
	var diffs []pending // comparisons of unequal figures: each needs its reason
	var starts []int    // where each item (its first figure) begins
	for _, e := range evs {
		switch e.typ {
		case evBudget:
			if outturn != nil { // a new item begins
				budgets, outturn, itemStart = map[string]cmpFig{}, nil, -1
			}
			v, ok := e.h.amount()
			if !ok {
				continue
			}
			k := strings.TrimSuffix(e.h.g["k"], "预算")
			if itemStart < 0 {
				itemStart = e.at
				starts = append(starts, e.at)
			}
			budgets[k] = cmpFig{k, v, e.h.start, e.h.end, p.raw(e.h.start, e.h.end)}
		case evOutturn:
			v, ok := e.h.amount()
			if !ok {
				continue
			}
			if itemStart < 0 {
				itemStart = e.at
				starts = append(starts, e.at)
			}
			outturn = &cmpFig{"决算", v, e.h.start, e.h.end, p.raw(e.h.start, e.h.end)}
		case evDone:
			if outturn != nil && len(budgets) > 0 {
				c.completion(p, e.h, budgets, *outturn)
			}
		case evWord:
			w, k := e.h.g["w"], e.h.g["k"]
			if w == "" {
				w, k = e.h.g["w2"], e.h.g["k2"]
			}
			if w == "" { // 比年初预算增加12万元: 增加 says 大于 (增加0万元 says nothing)
				w, k = map[string]string{"增加": "大于", "增长": "大于", "减少": "小于", "下降": "小于", "持平": "持平"}[e.h.g["w3"]], e.h.g["k3"]
				if a, ok := factDecimal(e.h.g["a3"]); ok && a.IsZero() {
					w = ""
				}
			}
			if w == "" {
				continue
			}
			k = strings.TrimSuffix(k, "后")
			if outturn != nil && len(budgets) > 0 {
				c.judge(p, e.h, w, k, budgets, *outturn)
			}
			if cmpRel(w) != 0 {
				// The reason may come before the words (预算数为0，因此，
				// 决算数大于预算数): the item runs from the last comparison.
				diffs = append(diffs, pending{lastWord, e.at, e.h})
			}
			lastWord = e.h.end
			budgets, outturn, itemStart = map[string]cmpFig{}, nil, -1
		}
	}
	if outturn != nil && len(budgets) > 0 {
		c.carry = &cmpItem{sec: p.sec, budgets: budgets, outturn: outturn}
	}
	if c.res.Identity.Stage != StageFinalAccount {
		return
	}
	for _, d := range diffs {
		end := len(s)
		for _, st := range starts {
			if st > d.word {
				end = st
				break
			}
		}
		if cmpReason.MatchString(s[d.from:end]) {
			continue
		}
		page, line := p.at(d.h.start)
		c.add(Finding{CheckID: "text.reason_missing", Severity: "warning",
			Message:  fmt.Sprintf("the narrative says %q but gives no reason (原因) for the difference, which the 决算 template asks for", p.raw(d.h.start, d.h.end)),
			Expected: "主要原因", Actual: p.raw(d.h.start, d.h.end), Page: page, Line: line})
	}
}

// cmpRel is the relation a comparison word states: 1 greater, -1 less, 0 equal.
func cmpRel(w string) int {
	switch w {
	case "大于", "高于", "超过", "超出", "多于":
		return 1
	case "小于", "低于", "少于":
		return -1
	}
	return 0
}

// judge reports a comparison word that holds against none of the budget
// figures it may compare with (the one its words name: 全年预算数; else any
// stated: a template's 年初 and 全年).
func (c *consistency) judge(p *factPara, h factHit, w, k string, budgets map[string]cmpFig, out cmpFig) {
	rel := cmpRel(w)
	var cands []cmpFig
	if b, ok := budgets[k]; ok && k != "" {
		cands = []cmpFig{b}
	} else {
		for _, b := range budgets {
			cands = append(cands, b)
		}
	}
	var shown []string
	for _, b := range cands {
		d := out.v.Sub(b.v)
		switch {
		case rel > 0 && d.IsPositive(), rel < 0 && d.IsNegative(), rel == 0 && d.IsZero():
			return
		case rel == 0 && strings.HasPrefix(w, "基本") && d.Abs().LessThanOrEqual(b.v.Abs().Div(hundred)):
			return // 基本持平: within 1 %
		}
		shown = append(shown, fmt.Sprintf("%q", b.raw))
	}
	want := "等于"
	if d := out.v.Sub(cands[0].v); d.IsPositive() {
		want = "大于"
	} else if d.IsNegative() {
		want = "小于"
	}
	page, line := p.at(h.start)
	c.add(Finding{CheckID: "text.comparison", Severity: "warning",
		Message: fmt.Sprintf("the narrative says %q, but the figures it compares are %s and %q: the outturn is %s the budget",
			p.raw(h.start, h.end), strings.Join(shown, ", "), out.raw, want),
		Expected: want, Actual: w, Page: page, Line: line})
}

// completion checks a stated completion rate (完成年初预算的98.20%) against
// outturn / budget, the budget its words name (年初, 全年; else the one
// stated, 全年 before 年初). A rate of a budget of 0 is a misnomer: the
// words name the wrong budget (完成年初预算的95.89% where 年初预算 is 0 and
// 307.82 / 321.02 of 全年预算 gives it).
func (c *consistency) completion(p *factPara, h factHit, budgets map[string]cmpFig, out cmpFig) {
	stated, ok := factDecimal(h.g["p"])
	if !ok {
		return
	}
	k := strings.TrimSuffix(h.g["k"], "后")
	b, named := budgets[k]
	if !named {
		for _, alt := range []string{"全年", "调整", "", "年初"} {
			if x, ok := budgets[alt]; ok {
				b, named = x, true
				break
			}
		}
	}
	if !named {
		return
	}
	// The percent is printed to some decimals: half a unit of its last digit.
	tol := decimal.New(5, -1)
	if i := strings.Index(h.g["p"], "."); i >= 0 {
		tol = decimal.New(5, -int32(len(h.g["p"])-i))
	}
	tol = tol.Add(decimal.New(1, -2))
	page, line := p.at(h.start)
	if b.v.IsZero() {
		if out.v.IsZero() || stated.IsZero() {
			return
		}
		msg := fmt.Sprintf("the narrative says %q, a completion rate of %q", p.raw(h.start, h.end), b.raw)
		for _, x := range budgets {
			if !x.v.IsZero() && out.v.Mul(hundred).DivRound(x.v, 2).Sub(stated).Abs().LessThanOrEqual(tol) {
				msg += fmt.Sprintf("; it is the rate of %q", x.raw)
			}
		}
		c.add(Finding{CheckID: "text.completion", Severity: "warning", Message: msg,
			Expected: "a budget above 0", Actual: b.raw, Page: page, Line: line})
		return
	}
	got := out.v.Mul(hundred).DivRound(b.v, 2)
	if got.Sub(stated).Abs().LessThanOrEqual(tol) {
		return
	}
	c.add(Finding{CheckID: "text.completion", Severity: "warning",
		Message:  fmt.Sprintf("the narrative says %q, but %q of %q is %s%%", p.raw(h.start, h.end), out.raw, b.raw, got.StringFixed(2)),
		Expected: got.StringFixed(2), Actual: stated.String(), Page: page, Line: line})
}

// changePairs: a change stated twice, as an amount and a percent, with
// direction words that disagree (比上年减少12.5万元，增长3.2%).
func (c *consistency) changePairs(p *factPara) {
	for _, h := range factFindAll(cmpPair, p.s) {
		a, ok1 := factDecimal(h.g["a"])
		q, ok2 := factDecimal(h.g["p"])
		if !ok1 || !ok2 || a.IsZero() || q.IsZero() {
			continue
		}
		up1, up2 := !strings.ContainsAny(h.g["d1"], "减降"), !strings.ContainsAny(h.g["d2"], "减降")
		if up1 == up2 {
			continue
		}
		page, line := p.at(h.start)
		c.add(Finding{CheckID: "text.comparison", Severity: "warning",
			Message:  fmt.Sprintf("the narrative says %q: one change, %s by its amount and %s by its percent", p.raw(h.start, h.end), h.g["d1"], h.g["d2"]),
			Expected: "one direction", Actual: h.g["d1"] + "/" + h.g["d2"], Page: page, Line: line})
	}
}

// yearsInText: a comparison with a year other than the year before the
// fiscal year (与2023年度相比 in a 2024 决算), and a statement of assets as
// of a date the stage does not allow (a 决算 counts to 31 December of its
// year; a 预算 to a day of the year before, or early in its own).
func (c *consistency) yearsInText(p *factPara) {
	fy := c.res.Identity.FiscalYear
	if fy == 0 {
		return
	}
	for _, h := range factFindAll(yearCmp, p.s) {
		y, _ := strconv.Atoi(h.g["y"])
		if y == fy-1 {
			continue
		}
		page, line := p.at(h.start)
		c.add(Finding{CheckID: "text.year", Severity: "warning",
			Message:  fmt.Sprintf("the narrative compares with %d (%q) in a document of fiscal year %d: the year before is %d", y, p.raw(h.start, h.end), fy, fy-1),
			Expected: strconv.Itoa(fy - 1), Actual: strconv.Itoa(y), Page: page, Line: line})
	}
	for _, h := range factFindAll(yearAsOf, p.s) {
		y, _ := strconv.Atoi(h.g["y"])
		m, _ := strconv.Atoi(h.g["m"])
		if m == 0 {
			m = 12 // 年底, 年末
		}
		ok, want := y == fy, fy
		if c.res.Identity.Stage != StageFinalAccount {
			ok, want = y == fy-1 || y == fy && m <= 3, fy-1
		}
		if ok {
			continue
		}
		page, line := p.at(h.start)
		c.add(Finding{CheckID: "text.year", Severity: "warning",
			Message:  fmt.Sprintf("the narrative states figures as of %q in a %s of fiscal year %d: expected %d", p.raw(h.start, h.end), stageWord(c.res.Identity.Stage), fy, want),
			Expected: strconv.Itoa(want), Actual: strconv.Itoa(y), Page: page, Line: line})
	}
}

func stageWord(stage string) string {
	if stage == StageFinalAccount {
		return "决算"
	}
	return "预算"
}

// years: a year in the document's part headings, table titles and cover
// other than its fiscal year (第三部分 2023年度部门决算情况说明 in a 2024 决算).
func (c *consistency) years(p *parse) {
	fy := c.res.Identity.FiscalYear
	if fy == 0 {
		return
	}
	firstPage := 0
	for _, l := range p.doc.Lines {
		if strings.TrimSpace(l.Text) != "" {
			firstPage = l.Page
			break
		}
	}
	check := func(where, text string, page, line int) {
		h := squashSpace(text)
		for _, m := range yearIn.FindAllStringSubmatch(h, -1) {
			y, _ := strconv.Atoi(m[1])
			if y == fy {
				continue
			}
			c.add(Finding{CheckID: "text.year", Severity: "warning",
				Message:  fmt.Sprintf("the %s %q states %d in a document of fiscal year %d", where, strings.TrimSpace(text), y, fy),
				Expected: strconv.Itoa(fy), Actual: strconv.Itoa(y), Page: page, Line: line})
			return
		}
	}
	titled := map[int]bool{}
	for _, rg := range p.regions {
		if rg.key != "" {
			check("table title", rg.title, rg.page, rg.no)
			titled[rg.no] = true
		}
	}
	for _, l := range p.doc.Lines {
		if titled[l.No] || l.Tabbed {
			continue
		}
		h := squashSpace(l.Text)
		if !strings.Contains(h, "预算") && !strings.Contains(h, "决算") {
			continue
		}
		switch {
		case factPartHead.MatchString(h) && len([]rune(h)) <= 40:
			check("heading", l.Text, l.Page, l.No)
		case l.Page == firstPage && firstPage > 0 && len([]rune(h)) <= 30:
			check("cover", l.Text, l.Page, l.No)
		}
	}
}

// placeholders: a template's blank left in the text (XX局, ××, 待填写).
func (c *consistency) placeholders(lines []extract.Line) {
	for _, l := range lines {
		h := squashSpace(l.Text)
		if m := placeholder.FindString(h); m != "" {
			c.add(Finding{CheckID: "text.placeholder", Severity: "error",
				Message:  fmt.Sprintf("a template placeholder %q is left in the text: %q", m, strings.TrimSpace(l.Text)),
				Expected: "the document's own words", Actual: m, Page: l.Page, Line: l.No})
		}
	}
}

// fundGroups: the tables that may be empty for want of such funds, and
// the words that name the funds.
var fundGroups = []struct {
	group string
	none  *regexp.Regexp
	keys  []string
}{
	{"政府性基金", noFundsNear("政府性基金"), []string{KeyGovFundIncome, KeyGovFundExpenditure, KeyGovFundSummary}},
	{"国有资本经营", noFundsNear("国有资本经营"), []string{KeyStateCapital}},
	{"“三公”经费", noFundsNear("三公"), []string{KeyThreePublic}},
}

// noFundStatements notes the funds a sentence says the department has
// none of (本单位无政府性基金预算拨款收支, “三公”经费支出为零).
func (c *consistency) noFundStatements(p *factPara) {
	// A table's title run into the paragraph (注：本表无数据 above the next
	// table's title, no blank line between) is no part of its sentences.
	var sb strings.Builder
	for i, sg := range p.segs {
		end := len(p.s)
		if i+1 < len(p.segs) {
			end = p.segs[i+1].at
		}
		if seg := p.s[sg.at:end]; !tableTitleText.MatchString(seg) {
			sb.WriteString(seg)
		}
	}
	for _, g := range fundGroups {
		if g.none.MatchString(sb.String()) {
			c.none[g.group] = true
		}
	}
}

// tableTitleText is a line that titles a table (表九 …国有资本经营预算收支预算表).
var tableTitleText = regexp.MustCompile(`(?:预算|决算|经费|支出|收入)[^,;。]{0,12}表(?:\([^)]*\))?$`)

// noFundsNear is a negation next to a fund's name, in one clause.
func noFundsNear(w string) *regexp.Regexp {
	neg := `(?:无|没有|未安排|未使用|未发生|不涉及|未涉及)`
	return regexp.MustCompile(neg + `[^,;。]{0,12}` + w + `|` + w + `[^,;。]{0,24}(?:为空|空表|为零|` + neg + `)` +
		`|` + w + `[^,;。]{0,24}[^\d.,]0(?:\.0+)?(?:万元|元)?(?:[,;。]|$)`) // 政府性基金预算拨款支出预算0万元
}

// emptyTables: a 政府性基金, 国有资本经营 or “三公” table printed without a
// figure (blank, or only zeros) must say why — a note in or under it
// (本表无数据, 本部门无…，故本表为空表) or a sentence of the narrative that
// the department has no such funds. A “三公” table left blank while the
// narrative states its figures is reported as such.
func (c *consistency) emptyTables(p *parse) {
	nonzero := map[string]bool{}
	for _, l := range c.res.Lines {
		if !l.AmountYuan.IsZero() {
			nonzero[l.TableKey] = true
		}
	}
	stated := decimal.Zero
	var statedFact Fact
	for _, k := range []string{"three_public_total", "three_public_reception", "three_public_vehicle", "three_public_abroad"} {
		if f, ok := c.res.fact(k); ok && f.Value.IsPositive() && stated.IsZero() {
			stated, statedFact = f.Value, f
		}
	}
	seen := map[string]bool{}
	for i, rg := range p.regions {
		if rg.key == "" || seen[rg.key] || nonzero[rg.key] || len(rg.lines) == 0 && !rg.noData {
			continue
		}
		group := ""
		for _, g := range fundGroups {
			for _, k := range g.keys {
				if k == rg.key {
					group = g.group
				}
			}
		}
		if group == "" {
			continue
		}
		seen[rg.key] = true
		if rg.key == KeyThreePublic && stated.IsPositive() {
			c.add(Finding{CheckID: "three_public.blank_table", Severity: "error", TableKey: rg.key,
				Message:  fmt.Sprintf("table %q prints no figure, but the narrative states %q (p%d)", rg.title, statedFact.Raw, statedFact.Page),
				Expected: stated.StringFixed(2), Actual: "blank", Page: rg.page, Line: rg.no})
			continue
		}
		if rg.noData || c.none[group] || !c.narrative || c.noteUnder(p, i) {
			continue
		}
		c.add(Finding{CheckID: "table.empty_unexplained", Severity: "warning", TableKey: rg.key,
			Message:  fmt.Sprintf("table %q prints no figure and no note says why (本部门无%s…，本表为空表): neither in or under the table nor in the narrative", strings.TrimSpace(rg.title), group),
			Expected: "空表说明", Actual: "none", Page: rg.page, Line: rg.no})
	}
}

// noteUnder reports whether the lines from region i's title to the next
// table's (at most 15 lines past its last row) say the table is empty.
func (c *consistency) noteUnder(p *parse, i int) bool {
	rg := p.regions[i]
	last := rg.no
	if n := len(rg.lines); n > 0 {
		last = rg.lines[n-1].No
	}
	end := last + 15
	if i+1 < len(p.regions) && p.regions[i+1].no < end {
		end = p.regions[i+1].no
	}
	for _, l := range p.doc.Lines {
		if l.No <= rg.no || l.No >= end || l.Tabbed && hasAmount(l) {
			continue
		}
		h := squashSpace(l.Text)
		if strings.Contains(h, "空表") || strings.Contains(h, "无数据") || (strings.Contains(h, "说明") || strings.HasPrefix(h, "注")) && noFunds.MatchString(h) {
			return true
		}
	}
	return false
}
