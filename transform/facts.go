package transform

// Facts are the figures a disclosure states in words: the 情况说明 of 第三部分,
// the 概况 of 第一部分, 国有资产占有使用情况, and the staffing cells of the
// 部门整体支出绩效目标申报表. Each key is emitted at most once per document: when
// the same key is stated twice (for example 编制 in 概况 and again in the
// form), the first statement in document order is kept.
//
// Units: yuan = amounts in 元 (万元 × 10000, exact decimals); pct = percent as
// printed (11.31 means 11.31 %); count, person, vehicle = whole numbers;
// m2 = square metres. A change is signed: 减少/下降/降低 give a negative
// value, 增加/增长/上升/提高 a positive one, 与上年持平 gives 0.
//
// Totals and their change (部门预算收支数据变动情况, the first statement about
// 收入总计 / 支出总计):
//
//	income_total                     收入总计 (预算收入总计 X万元), yuan
//	income_current_year              本年收入 X万元, yuan
//	income_carryover                 上年结转 X万元 in the 收入总计 statement, yuan
//	income_total_change              收入总计 比上年增加/减少 Y万元, yuan, signed
//	income_total_change_pct          收入总计 增长/下降 Z%, pct, signed
//	expenditure_total                支出总计 X万元, yuan
//	expenditure_total_change         支出总计 比上年增加/减少 Y万元, yuan, signed
//	expenditure_total_change_pct     支出总计 增长/下降 Z%, pct, signed
//
// Income by source (收入预算情况说明); each with a *_share_pct, the 占 P% of
// total income printed next to it:
//
//	general_public_budget_income     一般公共预算拨款收入, yuan
//	government_fund_income           政府性基金预算拨款收入, yuan
//	state_capital_income             国有资本经营预算拨款收入, yuan
//	special_account_income           财政专户管理资金收入, yuan
//	unit_funds_income                单位资金, yuan
//	carryover_income                 上年结转 (as a source of income), yuan
//	<each of the above>_share_pct    its share of total income, pct
//
// Expenditure by kind (支出预算情况说明):
//
//	basic_expenditure                基本支出, yuan
//	basic_expenditure_share_pct      its share of total expenditure, pct
//	project_expenditure              项目支出, yuan
//	project_expenditure_share_pct    its share of total expenditure, pct
//
// Appropriations (财政拨款收支预算总体情况, 一般公共预算支出情况, 基本支出情况):
//
//	appropriation_total              财政拨款收支总预算 X万元, yuan
//	general_public_budget_current    一般公共预算当年支出 X万元, yuan
//	general_public_budget_change     its change 比上年, yuan, signed
//	general_public_budget_change_pct its change in percent, pct, signed
//	personnel_expense                基本支出中的人员经费, yuan
//	public_expense                   基本支出中的公用经费, yuan
//
// “三公”经费, 机关运行经费, 政府采购 (none is emitted when the text says the
// department has no such spending, e.g. 本部门无“三公”经费预算):
//
//	three_public_total               “三公”经费预算 X万元, yuan
//	three_public_abroad              of which 因公出国（境）费, yuan (预算 wording)
//	three_public_vehicle             of which 公务用车购置及运行费, yuan
//	three_public_vehicle_purchase    of which 公务用车购置费, yuan
//	three_public_vehicle_operation   of which 公务用车运行（维护）费, yuan
//	three_public_reception           of which 公务接待费, yuan
//	three_public_change              its change 比上年, yuan, signed
//	three_public_change_pct          its change in percent, pct, signed
//	operating_expense                机关运行经费预算 X万元, yuan
//	operating_expense_change         its change 比上年, yuan, signed
//	operating_expense_change_pct     its change in percent, pct, signed
//	procurement_total                政府采购预算总额, yuan
//	procurement_goods                of which 货物, yuan
//	procurement_works                of which 工程, yuan
//	procurement_services             of which 服务, yuan
//
// Performance management (绩效管理情况):
//
//	performance_projects_count       二级项目 纳入绩效目标管理, count
//	performance_projects_amount      their amount (共计金额 X万元), yuan
//	department_performance_amount    部门整体支出绩效目标 涉及部门预算资金, yuan
//
// Profile, staffing and assets (概况 / 机构设置, the department form,
// 国有资产占有使用情况):
//
//	internal_divisions               内设科室/机构 (内设职能部门数), count
//	staff_quota                      人员编制 (核定的人员编制数); the sum when the
//	                                 text lists 行政编制 and 事业编制 separately, person
//	staff_actual                     实有/实际在职人员 (实际在职人员总数), person
//	contract_staff                   聘用/编外人员 (其他人员数), person
//	vehicles_quota                   公务用车编制, vehicle
//	vehicles_actual                  公务用车实有, vehicle
//	office_area_m2                   办公用房建筑总面积, m2
//	large_equipment_count            the first stated count of equipment above a
//	                                 value threshold (单位价值50万元以上通用设备 N台（套）), count

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/gongkai/gongkai/extract"
)

// ExtractFacts reads the figures a disclosure states in words.
func ExtractFacts(lines []extract.Line) []Fact {
	x := &factState{seen: map[string]bool{}}
	narrativeParagraphs(lines, x.paragraph, x.formRow)
	return x.out
}

// narrativeParagraphs walks the document's text as the facts read it:
// each paragraph of sentences (lines joined, letter-spacing and runs of
// spaces dropped, with its section) to para, each row of cells to row.
func narrativeParagraphs(lines []extract.Line, para func(*factPara), row func(extract.Line, string)) {
	var p *factPara
	blanks := 0
	sec := factSecNone
	tocPage := 0
	flush := func() {
		if p != nil {
			p.finish()
			para(p)
			p = nil
		}
		blanks = 0
	}
	for _, l := range lines {
		t := strings.TrimSpace(l.Text)
		switch {
		case t == "":
			blanks++
			continue
		case l.Tabbed:
			flush()
			row(l, t)
			continue
		}
		// Headings are read without their spacing (第三部分    …决算情况,
		// （ 一 ） 一般公共预算…): a letter-spaced heading is no row of cells.
		if h := squashSpace(t); !l.Tabbed {
			if h == "目录" {
				tocPage = l.Page
			}
			if l.Page > 0 && l.Page == tocPage {
				flush()
				continue // the 目录's entries are no headings of the text
			}
			if lvl, ok := factHeadingLevel(h); ok {
				flush()
				sec = factNextSection(sec, lvl, h)
				continue
			}
		}
		if factSpaced.MatchString(t) && !factSentencePunct.MatchString(t) {
			// A row of cells; a line of sentences letter-spaced or set with
			// runs of spaces (…总计2995.39万元。       与…) is narrative.
			flush()
			row(l, t)
			continue
		}
		if p != nil && (blanks == 0 && !factEndsSentence(p.last) || blanks > 0 && blanks <= 2 && factContinues(p.last)) {
			p.add(t, l.Page, l.No)
			blanks = 0
			continue
		}
		flush()
		p = &factPara{sec: sec}
		p.add(t, l.Page, l.No)
	}
	flush()
}

// Sections of the document, set by headings.
type factSection int

const (
	factSecNone      factSection = iota // before any heading
	factSecProfile                      // 第一部分 概况, 部门职责, 机构设置
	factSecTables                       // 第二部分 报表
	factSecNarrative                    // 第三部分 情况说明, before a known subsection
	factSecChange                       // 收支数据变动情况
	factSecIncome                       // 收入预算情况说明
	factSecExpend                       // 支出预算情况说明
	factSecApprop                       // 财政拨款收支预算总体情况
	factSecGPB                          // 一般公共预算支出情况
	factSecBasic                        // 一般公共预算基本支出情况
	factSecThree                        // “三公”经费
	factSecOperating                    // 机关运行经费
	factSecProcure                      // 政府采购
	factSecPerf                         // 绩效管理
	factSecAssets                       // 国有资产占有使用情况
	factSecOther                        // a heading of no known meaning
	factSecGlossary                     // 名词解释
)

const (
	factLvlPart = iota // 第三部分
	factLvlTop         // 一、
	factLvlSub         // （一） 1、
)

var (
	factPartHead = regexp.MustCompile(`^第[一二三四五六七八九十]+部分`)
	factTopHead  = regexp.MustCompile(`^[一二三四五六七八九十]+[、.．]`)
	factSubHead  = regexp.MustCompile(`^([（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[、.．]\D)`)
	factAmtRe    = regexp.MustCompile(factAmt) // any amount
	factFigure   = regexp.MustCompile(`\d[\d,]*\.\d`)
	// factSpaced is a space-aligned row of cells (a table re-laid with spaces).
	factSpaced = regexp.MustCompile(`\S(\s{3,}|\t)\S`)
	// factSentencePunct: a sentence's punctuation, full-width or typed
	// half-width (万元,主要包括:); a comma between digits is a figure's.
	factSentencePunct = regexp.MustCompile(`[。，；;]|[^\d\s],|,[^\d\s]`)
)

// factHeadingLevel reports whether t is a numbered heading, and its level.
func factHeadingLevel(t string) (int, bool) {
	if utf8.RuneCountInString(t) > 40 || strings.HasSuffix(t, "。") || strings.Contains(t, "万元") || factFigure.MatchString(t) {
		return 0, false // a sentence, or a row of a table set as text (一、一般公共预算拨款收入 5,131.71)
	}
	switch {
	case factPartHead.MatchString(t):
		return factLvlPart, true
	case factTopHead.MatchString(t):
		return factLvlTop, true
	case factSubHead.MatchString(t):
		return factLvlSub, true
	}
	return 0, false
}

// factNextSection is the section a heading opens.
func factNextSection(cur factSection, lvl int, t string) factSection {
	h := factPartHead.ReplaceAllString(t, "")
	if lvl == factLvlPart {
		switch {
		case strings.Contains(h, "名词解释"):
			return factSecGlossary
		case strings.Contains(h, "概况"):
			return factSecProfile
		case strings.Contains(h, "说明"):
			return factSecNarrative
		case strings.Contains(h, "表"):
			return factSecTables
		}
		return factSecOther
	}
	s := factClassify(h)
	switch {
	case cur == factSecGlossary && (lvl == factLvlSub || s == factSecOther || !strings.Contains(h, "说明") && !strings.Contains(h, "情况")):
		return cur // 名词解释 entries are numbered like headings; a section of the text ends it
	case cur == factSecTables && s == factSecOther:
		return cur // row labels such as 二、政府性基金预算
	case s != factSecOther:
		return s
	case lvl == factLvlSub:
		return cur
	}
	return factSecOther
}

func factClassify(h string) factSection {
	has := func(ws ...string) bool {
		for _, w := range ws {
			if strings.Contains(h, w) {
				return true
			}
		}
		return false
	}
	switch {
	case has("名词解释"):
		return factSecGlossary
	case has("三公"):
		return factSecThree
	case has("机关运行"):
		return factSecOperating
	case has("政府采购"):
		return factSecProcure
	case has("绩效"):
		return factSecPerf
	case has("国有资产", "资产占有"):
		return factSecAssets
	case has("机构设置", "部门职责", "本部门职责", "主要职能", "基本情况", "人员情况", "概况"):
		return factSecProfile
	case has("基本支出"):
		return factSecBasic
	case has("一般公共预算") && has("支出"):
		return factSecGPB
	case has("财政拨款收支", "财政拨款收入支出"):
		return factSecApprop
	case has("变动", "收支总体", "收入支出总体", "收支预算总体", "收入支出决算总体"):
		return factSecChange
	case has("收入") && !has("支出"):
		return factSecIncome
	case has("支出") && !has("收入"):
		return factSecExpend
	}
	return factSecOther
}

func factEndsSentence(t string) bool {
	return strings.HasSuffix(t, "。")
}

// factContinues reports whether a paragraph may go on after blank lines: a
// long line cut without closing punctuation (a page break inside a sentence).
func factContinues(t string) bool {
	r, _ := utf8.DecodeLastRuneInString(t)
	if strings.ContainsRune("。；;！!？?：:）)", r) {
		return false
	}
	return utf8.RuneCountInString(t) >= 20
}

// factPara is a paragraph of narrative: consecutive lines joined, with a
// normalized copy (half-width digits and punctuation, no white space) for
// matching and the byte offsets back into the original for Raw.
type factPara struct {
	orig strings.Builder
	norm []byte
	offs []int // offs[i] is the offset in orig of norm[i]
	segs []factSeg
	sec  factSection
	last string // the last line added

	text string // orig, after finish
	s    string // norm, after finish
}

type factSeg struct{ at, page, line int }

func (p *factPara) add(t string, page, line int) {
	p.segs = append(p.segs, factSeg{at: len(p.norm), page: page, line: line})
	base := p.orig.Len()
	for i, r := range t {
		n := factNormRune(r)
		if n < 0 {
			continue
		}
		var buf [utf8.UTFMax]byte
		k := utf8.EncodeRune(buf[:], n)
		for j := 0; j < k; j++ {
			p.norm = append(p.norm, buf[j])
			p.offs = append(p.offs, base+i)
		}
	}
	p.orig.WriteString(t)
	p.last = t
}

func (p *factPara) finish() {
	p.text = p.orig.String()
	p.s = string(p.norm)
	p.offs = append(p.offs, len(p.text))
}

// raw is the original text of norm[start:end].
func (p *factPara) raw(start, end int) string {
	return strings.TrimLeft(strings.TrimSpace(p.text[p.offs[start]:p.offs[end]]), ",，、;；:： ")
}

// at is the page and line of norm offset i.
func (p *factPara) at(i int) (int, int) {
	sg := p.segs[0]
	for _, s := range p.segs {
		if s.at <= i {
			sg = s
		}
	}
	return sg.page, sg.line
}

// factNormRune maps full-width forms to half-width ones and drops white space.
func factNormRune(r rune) rune {
	switch {
	case r >= '０' && r <= '９':
		return '0' + r - '０'
	case unicode.IsSpace(r) || r == '\u3000' || r == '\u00a0':
		return -1
	}
	switch r {
	case '．':
		return '.'
	case '，':
		return ','
	case '；':
		return ';'
	case '：':
		return ':'
	case '（':
		return '('
	case '）':
		return ')'
	case '％':
		return '%'
	case '“', '”', '‘', '’', '「', '」', '＂', '\'':
		return '"'
	case '－', '−':
		return '-'
	}
	return r
}

// Patterns, over normalized text. A value group is named v (amount, with
// its unit in u), n (count), s (share percent), p (change percent); d holds
// the word giving a change its direction.
const (
	factNum  = `(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)`
	factAmt  = `(?P<v>` + factNum + `)(?P<u>亿元|万元|元)`
	factCnt  = `(?P<n>\d+|[零〇一二两三四五六七八九十百]+)`
	factIs   = `(?:为|是|共|共计|合计|总计)?`
	factUp   = `增加|增长|上升|提高|增幅|增`
	factDown = `减少|下降|降低|降幅|减幅|减`
	factDir  = `(?P<d>` + factUp + `|` + factDown + `)(?:了|为|幅度为|约)?`
	factShr  = `(?:,?占(?P<of>[^,;。%\d]{0,15})?(?P<s>` + factNum + `)%)?`
	factPrev = `(?:(?:比|较|与|同)(?:上年|去年|上一年|20\d\d年)度?(?:预算数?|决算数?|执行数?)?(?:相比|比较|同期)?|同比),?(?:收(?:入)?[、,]?支(?:出)?总计)?(?:各|均)?`
)

func factRe(s string) *regexp.Regexp { return regexp.MustCompile(s) }

var (
	factIncTotal  = factRe(`(?:部门)?(?:预算|决算)?收入(?:预算|决算)?总计` + factIs + factAmt)
	factExpTotal  = factRe(`(?:部门)?(?:预算|决算)?支出(?:预算|决算)?总计` + factIs + factAmt)
	factBothTotal = factRe(`收(?:入)?[、,]?支(?:出)?(?:预算|决算)?总计(?:均为|各为|均|各)?` + factIs + factAmt)
	factCurYear   = factRe(`本年(?:预算)?收入(?:合计)?` + factIs + factAmt)
	factCurYearEx = factRe(`本年(?:预算)?支出(?:合计)?` + factIs + factAmt)
	// factOfTotal names the total a share is of (占本年支出合计的…, or the
	// total the paragraph opens with): the fact key it is stated as.
	factOfTotal = factRe(`本年支出合计|本年收入合计|收入支出总计|收支总计|支出总计|收入总计|一般公共预算财政拨款支出|一般公共预算支出`)
	// factClassShare: a 类 of the 一般公共预算 spending with its amount and
	// share (一般公共服务支出(类)2106.66万元,占71.73%).
	factClassShare = factRe(`(?P<name>\p{Han}{2,20}?支出)(?:\(类\))?` + factIs + factAmt + `,?占(?P<of>[^,;。%\d]{0,15})?(?P<s>` + factNum + `)%`)
	factCarry      = factRe(`上年结转(?:结余)?(?:收入|资金)?` + factIs + factAmt)
	factChgAmt     = factRe(factPrev + factDir + factAmt)
	factChgPct     = factRe(factPrev + factDir + `(?P<p>` + factNum + `)%`)
	factPctAfter   = factRe(`^[,、]?(?:同比)?` + factDir + `(?P<p>` + factNum + `)%`)
	factFlat       = factRe(factPrev + `(?:持平|一致|相同|无变化)`)

	factApprop = factRe(`财政拨款(?:收支(?:总)?(?:预算|决算)(?:总额|总计)?|收入支出(?:预算|决算)?(?:总计|总额))(?:均为|各为)?` + factIs + factAmt)
	factGPB    = factRe(`一般公共预算(?:财政)?(?:拨款)?(?:当年(?:支出|拨款)|支出)(?:预算)?(?:安排)?` + factIs + factAmt)

	factPersonnel = factRe(`人员经费(?:支出)?(?:预算)?` + factIs + factAmt)
	factPublic    = factRe(`公用经费(?:支出)?(?:预算)?` + factIs + factAmt)

	factThree   = factRe(`"?三公"?经费(?:财政拨款)?(?:支出)?(?:预算|决算)(?:数|总额|合计|支出)?(?:安排)?` + factIs + factAmt)
	factNoThree = factRe(`无"?三公"?经费`)
	// factThreeParts: the parts of the “三公” figure as a 预算 states them
	// (因公出国（境）费0万元；公务接待费1.2万元；公务用车购置及运行费3万元（其中：
	// 公务用车购置费0万元，公务用车运行维护费3万元）), or a 决算 its outturn
	// (公务接待费支出决算为0.16万元). A 决算's 年初预算为… of a part is not read.
	factThreeParts = []struct {
		key string
		re  *regexp.Regexp
	}{
		{"three_public_abroad", factRe(`因公出国\(境\)(?:费用?|经费)(?:支出)?(?:预算|决算)?数?(?:安排)?` + factIs + factAmt)},
		{"three_public_vehicle", factRe(`公务用车购置及运行(?:维护)?费(?:支出)?(?:预算|决算)?数?(?:安排)?` + factIs + factAmt)},
		{"three_public_vehicle_purchase", factRe(`公务用车购置费(?:支出)?(?:预算|决算)?数?(?:安排)?` + factIs + factAmt)},
		{"three_public_vehicle_operation", factRe(`公务用车运行(?:维护)?费(?:支出)?(?:预算|决算)?数?(?:安排)?` + factIs + factAmt)},
		{"three_public_reception", factRe(`公务接待费(?:支出)?(?:预算|决算)?数?(?:安排)?` + factIs + factAmt)},
	}
	factOper      = factRe(`机关运行经费(?:财政拨款)?(?:支出)?(?:预算|决算)?(?:数|总额)?(?:安排)?` + factIs + factAmt)
	factNoOper    = factRe(`无机关运行经费`)
	factProcTotal = factRe(`政府采购(?:预算|决算)?(?:总额|总计|合计|金额)` + factIs + factAmt + `|政府采购预算(?:安排)?` + factIs + `(?P<v2>` + factNum + `)(?P<u2>亿元|万元|元)`)
	factProcGoods = factRe(`(?:政府采购)?货物(?:类)?(?:采购)?(?:预算)?` + factIs + factAmt)
	factProcWorks = factRe(`(?:政府采购)?工程(?:类)?(?:采购)?(?:预算)?` + factIs + factAmt)
	factProcServ  = factRe(`(?:政府采购)?服务(?:类)?(?:采购)?(?:预算)?` + factIs + factAmt)

	factPerfCount = factRe(`纳入(?:绩效目标管理|绩效管理|绩效目标)(?:范围)?的?(?:二级)?项目(?:共)?(?:有)?` + factCnt + `个`)
	factPerfAmt   = factRe(`^,?(?:共计|合计|共|涉及)?(?:项目)?(?:金额|资金|预算资金)(?:共计|合计)?(?:为)?` + factAmt)
	factDeptPerf  = factRe(`部门整体支出绩效目标,?(?:共)?(?:涉及|覆盖)?(?:部门)?(?:预算)?(?:资金|金额)` + factIs + factAmt)

	factDivisions = []*regexp.Regexp{
		factRe(`下设` + factCnt + `个(?:内设)?(?:职能)?(?:科室|处室|股室|内设机构|机构|职能部门)`),
		factRe(`内设(?:机构|科室|处室|股室|职能科室|职能部门)(?:共)?(?:有)?` + factCnt + `个`),
		factRe(`内设[^。;\d]{0,80}?` + factCnt + `个(?:职能)?(?:科室|处室|股室|内设机构|机构)`),
	}
	factQuota      = factRe(`(?:核定的?|批复的?)?(?:人员)?(?P<k>行政|事业|工勤|参公|参照公务员法管理|全额事业|差额事业|自收自支)?(?:人员)?编制(?:数|人数)?(?:共)?(?:为|有)?` + factCnt + `(?:名|人)`)
	factActual     = factRe(`(?:实有|实际在职|在职)(?:在职)?(?:人员|职工)?(?:总数)?(?:共)?(?:为|有)?` + factCnt + `(?:名|人)`)
	factContract   = factRe(`(?:聘用|编外|临时|合同制?|劳务派遣)(?:人员|工作人员)?(?:共)?(?:为|有)?` + factCnt + `(?:名|人)`)
	factVehQuota   = factRe(`公务用车编制(?:数)?(?:为|共)?` + factCnt + `辆`)
	factVehActual  = factRe(`(?:实有|现有)(?:公务用车|车辆)?(?:共)?` + factCnt + `辆`)
	factOfficeArea = factRe(`办公用房(?:建筑)?(?:总)?面积(?:共|合计|为)*(?P<a>` + factNum + `)(?:平方米|㎡|m2|m²|平米)`)
	factEquipment  = factRe(`价值` + factNum + `万元(?:\(原值\))?以上的?(?:通用|专用)?(?:设备)?` + factCnt + `台(?:\(套\))?`)

	// factFormLabels maps the staffing labels of the department form.
	factFormLabels = []struct {
		re        *regexp.Regexp
		key, unit string
	}{
		{factRe(`^内设(?:职能部门|机构|科室|处室)数?$`), "internal_divisions", "count"},
		{factRe(`^(?:核定的?)?(?:人员)?编制(?:数|人数)$`), "staff_quota", "person"},
		{factRe(`^(?:实际在职|实有|在职)人员(?:总数|数)$`), "staff_actual", "person"},
		{factRe(`^(?:其他|编外|聘用)人员数$`), "contract_staff", "person"},
	}
	factFormValue = factRe(`^` + factCnt + `(?:个|人|名)?$`)
	factCellSep   = factRe(`\t|\s{2,}`)
)

// Income sources and expenditure kinds: key, name.
var (
	factIncomeSources = []struct {
		key string
		re  *regexp.Regexp
	}{
		{"general_public_budget_income", factRe(`一般公共预算(?:财政)?拨款(?:收入)?` + factIs + factAmt + factShr)},
		{"government_fund_income", factRe(`政府性基金(?:预算)?(?:财政)?拨款(?:收入)?` + factIs + factAmt + factShr)},
		{"state_capital_income", factRe(`国有资本经营(?:预算)?(?:财政)?拨款(?:收入)?` + factIs + factAmt + factShr)},
		{"special_account_income", factRe(`财政专户管理资金(?:收入)?` + factIs + factAmt + factShr)},
		{"unit_funds_income", factRe(`单位资金(?:收入)?` + factIs + factAmt + factShr)},
		{"carryover_income", factRe(`上年结转(?:结余)?(?:收入|资金)?` + factIs + factAmt + factShr)},
	}
	factExpendKinds = []struct {
		key string
		re  *regexp.Regexp
	}{
		{"basic_expenditure", factRe(`基本支出(?:预算)?` + factIs + factAmt + factShr)},
		{"project_expenditure", factRe(`项目支出(?:预算)?` + factIs + factAmt + factShr)},
	}
)

var (
	factWan = decimal.NewFromInt(10000)
	factYi  = decimal.NewFromInt(100000000)
)

type factState struct {
	out  []Fact
	seen map[string]bool
}

// factHit is one match over a paragraph's normalized text.
type factHit struct {
	start, end int
	g          map[string]string
	pos        map[string][2]int
}

func factFind(re *regexp.Regexp, s string, from, to int) (factHit, bool) {
	if from > to {
		return factHit{}, false
	}
	loc := re.FindStringSubmatchIndex(s[from:to])
	if loc == nil {
		return factHit{}, false
	}
	return factMake(re, s[from:to], from, loc), true
}

func factFindAll(re *regexp.Regexp, s string) []factHit {
	var hs []factHit
	for _, loc := range re.FindAllStringSubmatchIndex(s, -1) {
		hs = append(hs, factMake(re, s, 0, loc))
	}
	return hs
}

func factMake(re *regexp.Regexp, s string, base int, loc []int) factHit {
	h := factHit{start: base + loc[0], end: base + loc[1], g: map[string]string{}, pos: map[string][2]int{}}
	for i, n := range re.SubexpNames() {
		if n != "" && loc[2*i] >= 0 {
			h.g[n] = s[loc[2*i]:loc[2*i+1]]
			h.pos[n] = [2]int{base + loc[2*i], base + loc[2*i+1]}
		}
	}
	return h
}

// amount is the hit's amount in yuan.
func (h factHit) amount() (decimal.Decimal, bool) {
	v, u := h.g["v"], h.g["u"]
	if v == "" {
		v, u = h.g["v2"], h.g["u2"]
	}
	return factYuan(v, u)
}

func factYuan(v, u string) (decimal.Decimal, bool) {
	d, err := decimal.NewFromString(strings.ReplaceAll(v, ",", ""))
	if err != nil {
		return decimal.Decimal{}, false
	}
	switch u {
	case "万元":
		d = d.Mul(factWan)
	case "亿元":
		d = d.Mul(factYi)
	}
	return d, true
}

func factDecimal(v string) (decimal.Decimal, bool) {
	d, err := decimal.NewFromString(strings.ReplaceAll(v, ",", ""))
	return d, err == nil
}

// factSigned gives v the sign of direction word d.
func factSigned(v decimal.Decimal, d string) decimal.Decimal {
	v = v.Abs()
	if strings.ContainsAny(d, "减降") {
		return v.Neg()
	}
	return v
}

// factCount reads a count in Arabic or Chinese numerals (up to 999).
func factCount(s string) (decimal.Decimal, bool) {
	if s == "" {
		return decimal.Decimal{}, false
	}
	if s[0] >= '0' && s[0] <= '9' {
		return factDecimal(s)
	}
	digit := map[rune]int{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	total, cur := 0, 0
	for _, r := range s {
		switch r {
		case '百':
			if cur == 0 {
				cur = 1
			}
			total += cur * 100
			cur = 0
		case '十':
			if cur == 0 {
				cur = 1
			}
			total += cur * 10
			cur = 0
		default:
			d, ok := digit[r]
			if !ok {
				return decimal.Decimal{}, false
			}
			cur = cur*10 + d
		}
	}
	return decimal.NewFromInt(int64(total + cur)), true
}

func (x *factState) emit(key, unit string, v decimal.Decimal, raw string, page, line int) {
	if x.seen[key] {
		return
	}
	x.seen[key] = true
	x.out = append(x.out, Fact{Key: key, Value: v, Unit: unit, Raw: raw, Page: page, Line: line})
}

// emitAt emits key with the words norm[start:end] of p as Raw.
func (x *factState) emitAt(p *factPara, key, unit string, v decimal.Decimal, start, end int) {
	page, line := p.at(start)
	x.emit(key, unit, v, p.raw(start, end), page, line)
}

// emitAmount emits the amount of h.
func (x *factState) emitAmount(p *factPara, key string, h factHit) {
	if v, ok := h.amount(); ok {
		x.emitAt(p, key, "yuan", v, h.start, h.end)
	}
}

func (x *factState) emitCount(p *factPara, key, unit string, h factHit) {
	if v, ok := factCount(h.g["n"]); ok {
		x.emitAt(p, key, unit, v, h.start, h.end)
	}
}

func factIn(sec factSection, secs ...factSection) bool {
	for _, s := range secs {
		if s == sec {
			return true
		}
	}
	return false
}

// paragraph reads the facts of one narrative paragraph.
func (x *factState) paragraph(p *factPara) {
	sec, s := p.sec, p.s
	if sec == factSecTables || sec == factSecGlossary || s == "" {
		return
	}
	loose := factIn(sec, factSecNone, factSecNarrative, factSecOther) // no heading tells what the paragraph is about

	x.totals(p)

	if h, ok := factFind(factApprop, s, 0, len(s)); ok {
		x.emitAmount(p, "appropriation_total", h)
	}

	if sec == factSecIncome || loose {
		for _, src := range factIncomeSources {
			x.shares(p, src.key, src.re, sec == factSecIncome)
		}
	}
	if sec == factSecExpend || loose {
		for _, k := range factExpendKinds {
			x.shares(p, k.key, k.re, sec == factSecExpend)
		}
	}

	if sec != factSecIncome && sec != factSecApprop {
		if h, ok := factFind(factGPB, s, 0, len(s)); ok {
			x.emitAmount(p, "general_public_budget_current", h)
			x.change(p, h.end, factSentenceEnd(s, h.end), "general_public_budget_change", "general_public_budget_change_pct")
		}
	}

	if sec == factSecGPB || loose {
		x.classShares(p)
	}

	if sec == factSecBasic || loose || factIn(sec, factSecExpend, factSecGPB) {
		if h, ok := factFind(factPersonnel, s, 0, len(s)); ok {
			x.emitAmount(p, "personnel_expense", h)
		}
		if h, ok := factFind(factPublic, s, 0, len(s)); ok {
			x.emitAmount(p, "public_expense", h)
		}
	}

	if (sec == factSecThree || loose) && !factNoThree.MatchString(s) {
		if h, ok := factFind(factThree, s, 0, len(s)); ok {
			x.emitAmount(p, "three_public_total", h)
			x.change(p, h.end, len(s), "three_public_change", "three_public_change_pct")
		}
		if sec == factSecThree || strings.Contains(s, "三公") {
			for _, pt := range factThreeParts {
				if h, ok := factFind(pt.re, s, 0, len(s)); ok {
					x.emitAmount(p, pt.key, h)
				}
			}
		}
	}
	if (sec == factSecOperating || loose) && !factNoOper.MatchString(s) {
		if h, ok := factFind(factOper, s, 0, len(s)); ok {
			x.emitAmount(p, "operating_expense", h)
			x.change(p, h.end, len(s), "operating_expense_change", "operating_expense_change_pct")
		}
	}

	if sec == factSecProcure || loose {
		if h, ok := factFind(factProcTotal, s, 0, len(s)); ok {
			x.emitAmount(p, "procurement_total", h)
		}
		if sec == factSecProcure || strings.Contains(s, "政府采购") {
			x.procurementPart(p, "procurement_goods", factProcGoods)
			x.procurementPart(p, "procurement_works", factProcWorks)
			x.procurementPart(p, "procurement_services", factProcServ)
		}
	}

	if h, ok := factFind(factPerfCount, s, 0, len(s)); ok {
		x.emitCount(p, "performance_projects_count", "count", h)
		if a, ok := factFind(factPerfAmt, s, h.end, len(s)); ok {
			x.emitAmount(p, "performance_projects_amount", a)
		}
	}
	if h, ok := factFind(factDeptPerf, s, 0, len(s)); ok {
		x.emitAmount(p, "department_performance_amount", h)
	}

	if sec == factSecProfile || factIn(sec, factSecNone, factSecOther) {
		x.staffing(p)
	}

	if h, ok := factFind(factVehQuota, s, 0, len(s)); ok {
		x.emitCount(p, "vehicles_quota", "vehicle", h)
	}
	if h, ok := factFind(factVehActual, s, 0, len(s)); ok {
		x.emitCount(p, "vehicles_actual", "vehicle", h)
	}
	if h, ok := factFind(factOfficeArea, s, 0, len(s)); ok {
		if v, ok := factDecimal(h.g["a"]); ok {
			x.emitAt(p, "office_area_m2", "m2", v, h.start, h.end)
		}
	}
	if h, ok := factFind(factEquipment, s, 0, len(s)); ok {
		x.emitCount(p, "large_equipment_count", "count", h)
	}
}

// factFindOwn is factFind skipping hits that continue another subject's
// words (财政拨款收入支出总计 is the appropriations' total, not the
// department's).
func factFindOwn(re *regexp.Regexp, s string, from, to int) (factHit, bool) {
	for from < to {
		h, ok := factFind(re, s, from, to)
		if !ok {
			return h, false
		}
		if !factPartOf(s[:h.start]) {
			return h, true
		}
		from = h.end
	}
	return factHit{}, false
}

// factPartOf reports text before a total's name that makes it the total of
// a part (财政拨款收入支出总计, 其他资金收入预算总计), not the department's.
func factPartOf(before string) bool {
	for _, w := range []string{"财政拨款", "一般公共预算", "资金", "基金", "拨款", "事业", "经营", "其他", "补助", "上缴", "专户"} {
		if strings.HasSuffix(before, w) {
			return true
		}
	}
	return false
}

// totals reads the 收入总计 and 支出总计 statements and their changes.
func (x *factState) totals(p *factPara) {
	s := p.s
	if h, ok := factFindOwn(factCurYearEx, s, 0, len(s)); ok {
		x.emitAmount(p, "expenditure_current_year", h)
	}
	if h, ok := factFindOwn(factBothTotal, s, 0, len(s)); ok {
		x.emitAmount(p, "income_total", h)
		x.emitAmount(p, "expenditure_total", h)
		x.change(p, h.end, len(s), "income_total_change", "income_total_change_pct")
		x.change(p, h.end, len(s), "expenditure_total_change", "expenditure_total_change_pct")
		return
	}
	if h, ok := factFindOwn(factIncTotal, s, 0, len(s)); ok {
		end := len(s)
		if e, ok := factFind(factExpTotal, s, h.end, len(s)); ok {
			end = e.start
		}
		x.emitAmount(p, "income_total", h)
		if c, ok := factFind(factCurYear, s, h.end, end); ok {
			x.emitAmount(p, "income_current_year", c)
		}
		if c, ok := factFind(factCarry, s, h.end, end); ok {
			x.emitAmount(p, "income_carryover", c)
		}
		x.change(p, h.end, end, "income_total_change", "income_total_change_pct")
	}
	if h, ok := factFindOwn(factExpTotal, s, 0, len(s)); ok {
		end := len(s)
		if e, ok := factFind(factIncTotal, s, h.end, len(s)); ok {
			end = e.start
		}
		x.emitAmount(p, "expenditure_total", h)
		x.change(p, h.end, end, "expenditure_total_change", "expenditure_total_change_pct")
	}
}

// change reads the first year-over-year change in s[from:to]: an amount
// (比上年减少44.15万元) with the percent right after it (下降11.31%), a
// percent alone (比上年下降11.31%), or 与上年持平.
func (x *factState) change(p *factPara, from, to int, key, pctKey string) {
	s := p.s
	// The change of the figure just stated: in its own sentence, or the
	// next one when that names no other figure before it (收入总计X万元。与
	// 上年相比，减少Y万元 — not 支出总计X万元。包括：1．公共安全支出Z万元，…增加Y万元).
	e := factSentenceEnd(s, from)
	if e < to {
		to = min(to, factSentenceEnd(s, e+1))
	}
	own := func(h factHit) bool { return h.start <= e || factAmtRe.FindStringIndex(s[e:h.start]) == nil }
	if h, ok := factFind(factChgAmt, s, from, to); ok && own(h) {
		if v, ok := h.amount(); ok {
			x.emitAt(p, key, "yuan", factSigned(v, h.g["d"]), h.start, h.end)
		}
		if q, ok := factFind(factPctAfter, s, h.end, to); ok {
			if v, ok := factDecimal(q.g["p"]); ok {
				st := q.pos["d"][0]
				x.emitAt(p, pctKey, "pct", factSigned(v, q.g["d"]), st, q.end)
			}
		}
		return
	}
	if h, ok := factFind(factChgPct, s, from, to); ok && own(h) {
		if v, ok := factDecimal(h.g["p"]); ok {
			x.emitAt(p, pctKey, "pct", factSigned(v, h.g["d"]), h.start, h.end)
		}
		return
	}
	if h, ok := factFind(factFlat, s, from, to); ok && own(h) {
		x.emitAt(p, key, "yuan", decimal.Zero, h.start, h.end)
	}
}

// shares reads "name X万元，占P%"; outside its own section the share is required.
func (x *factState) shares(p *factPara, key string, re *regexp.Regexp, own bool) {
	for _, h := range factFindAll(re, p.s) {
		if !own && h.g["s"] == "" {
			continue
		}
		v, ok := h.amount()
		if !ok {
			continue
		}
		amtEnd := h.pos["u"][1]
		x.emitAt(p, key, "yuan", v, h.start, amtEnd)
		if h.g["s"] != "" {
			if sv, ok := factDecimal(h.g["s"]); ok {
				x.emitAt(p, key+"_share_pct", "pct", sv, h.start, h.end)
				x.shareOf(key+"_share_pct", shareOf(p.s, h.start, h.g["of"]))
			}
		}
		return
	}
}

// classShares reads the 功能分类 类 a paragraph lists with their amounts
// and shares (一般公共服务支出（类）2106.66万元，占71.73%): facts
// general_public_budget_class_<code> and …_share_pct.
func (x *factState) classShares(p *factPara) {
	for _, h := range factFindAll(factClassShare, p.s) {
		name := h.g["name"]
		code := ""
		for r := []rune(name); len(r) >= 4 && code == ""; r = r[1:] {
			// The longest tail that names a 类 (其中一般公共服务支出 → 一般公共服务支出).
			if c := FunctionClasses.Lookup(string(r), 0); len(c) == 3 {
				code = c
			}
		}
		v, ok := h.amount()
		if code == "" || !ok {
			continue
		}
		key := "general_public_budget_class_" + code
		x.emitAt(p, key, "yuan", v, h.pos["name"][0], h.pos["u"][1])
		if sv, ok := factDecimal(h.g["s"]); ok {
			x.emitAt(p, key+"_share_pct", "pct", sv, h.pos["name"][0], h.end)
			of := shareOf(p.s, h.start, h.g["of"])
			if of == "" {
				of = "general_public_budget_current"
			}
			x.shareOf(key+"_share_pct", of)
		}
	}
}

// shareOf is the fact key of the total a share at s[at:] is of: the one
// its words name (占本年支出合计的…), else the last total the paragraph
// states before it; "" when neither says.
func shareOf(s string, at int, of string) string {
	keys := map[string]string{"本年支出合计": "expenditure_current_year", "本年收入合计": "income_current_year",
		"收入支出总计": "expenditure_total", "收支总计": "expenditure_total", "支出总计": "expenditure_total", "收入总计": "income_total",
		"一般公共预算财政拨款支出": "general_public_budget_current", "一般公共预算支出": "general_public_budget_current"}
	if m := factOfTotal.FindString(of); m != "" {
		return keys[m]
	}
	last := ""
	for _, loc := range factOfTotal.FindAllStringIndex(s[:at], -1) {
		if !strings.HasSuffix(s[:loc[0]], "财政拨款") {
			last = keys[s[loc[0]:loc[1]]]
		}
	}
	return last
}

// shareOf records the total a stated share is of.
func (x *factState) shareOf(key, of string) {
	if of == "" {
		return
	}
	for i := range x.out {
		if x.out[i].Key == key {
			x.out[i].of = of
		}
	}
}

func (x *factState) procurementPart(p *factPara, key string, re *regexp.Regexp) {
	for _, h := range factFindAll(re, p.s) {
		if strings.HasSuffix(p.s[:h.start], "购买") { // 政府购买服务 is not procurement
			continue
		}
		x.emitAmount(p, key, h)
		return
	}
}

// staffing reads 内设机构, 编制, 在职 and 聘用 counts of the profile.
func (x *factState) staffing(p *factPara) {
	s := p.s
	for _, re := range factDivisions {
		if h, ok := factFind(re, s, 0, len(s)); ok {
			x.emitCount(p, "internal_divisions", "count", h)
			break
		}
	}
	// 编制: a total (核定编制9名) wins; else the typed ones are added up
	// (行政编制12名，事业编制386名).
	var typed []factHit
	total := false
	for _, h := range factFindAll(factQuota, s) {
		if h.g["k"] == "" {
			x.emitCount(p, "staff_quota", "person", h)
			total = true
			break
		}
		typed = append(typed, h)
	}
	if !total && len(typed) > 0 {
		sum := decimal.Zero
		ok := true
		for _, h := range typed {
			v, good := factCount(h.g["n"])
			ok = ok && good
			sum = sum.Add(v)
		}
		if ok {
			x.emitAt(p, "staff_quota", "person", sum, typed[0].start, typed[len(typed)-1].end)
		}
	}
	if h, ok := factFind(factActual, s, 0, len(s)); ok {
		x.emitCount(p, "staff_actual", "person", h)
	}
	if h, ok := factFind(factContract, s, 0, len(s)); ok {
		x.emitCount(p, "contract_staff", "person", h)
	}
}

// factSentenceEnd is the end of the sentence that goes on at i.
func factSentenceEnd(s string, i int) int {
	if j := strings.Index(s[i:], "。"); j >= 0 {
		return i + j
	}
	return len(s)
}

// formRow reads the staffing cells of the department form: a label cell
// followed by its value in the next non-empty cell.
func (x *factState) formRow(l extract.Line, t string) {
	var cells []string
	for _, c := range factCellSep.Split(t, -1) {
		if c = strings.TrimSpace(c); c != "" {
			cells = append(cells, c)
		}
	}
	for i := 0; i+1 < len(cells); i++ {
		lab := squashSpace(cells[i])
		lab = strings.TrimPrefix(strings.TrimPrefix(lab, "其中:"), "其中：")
		for _, fl := range factFormLabels {
			if !fl.re.MatchString(lab) {
				continue
			}
			m := factFormValue.FindStringSubmatch(squashSpace(cells[i+1]))
			if m == nil {
				break
			}
			if v, ok := factCount(m[1]); ok {
				x.emit(fl.key, fl.unit, v, cells[i]+" "+cells[i+1], l.Page, l.No)
			}
			break
		}
	}
}
