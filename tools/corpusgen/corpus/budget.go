package corpus

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// cents counts hundredths of 万元 (100 yuan): every figure of the tables is
// printed in 万元 with two decimals, so cents are exact.
type cents int64

func (c cents) yuan() int64 { return int64(c) * 100 }

// department is what stays the same across a department's years.
type department struct {
	typ    *deptType
	region string // 大同市云冈区
	county string // a county of the region, for villages
	city   string // 大同市
	name   string // 大同市云冈区教育局
	code   string // 118
	units  []string
	staff  int // 编制
}

// project is one row of a project table.
type project struct {
	name    string // canonical
	printed string // as printed in the project table (a wrap space at most)
	unit    int    // index into budget.units; 0 is the department itself (本级)
	code    string // 支出功能分类 项
	gpb, gf cents
	sa, uf  cents
	carry   bool // 项目支出预算表（上年结转）
	form    *form
}

func (p *project) total() cents { return p.gpb + p.gf + p.sa + p.uf }

// figure is what one 项 receives.
type figure struct {
	basic           cents // 一般公共预算 基本支出
	gpb, gf, sa, uf cents // current-year 项目支出 by source
	carry           cents // 上年结转 (一般公共预算) 项目支出
}

func (f figure) current() cents        { return f.basic + f.gpb + f.gf + f.sa + f.uf }
func (f figure) all() cents            { return f.current() + f.carry }
func (f figure) project() cents        { return f.gpb + f.gf + f.sa + f.uf + f.carry }
func (f figure) generalCurrent() cents { return f.basic + f.gpb }

func (f *figure) add(g figure) {
	f.basic += g.basic
	f.gpb += g.gpb
	f.gf += g.gf
	f.sa += g.sa
	f.uf += g.uf
	f.carry += g.carry
}

type econLine struct {
	econItem
	amount cents
}

// prior holds the figures of the year before that the narrative compares with.
type prior struct {
	incomeTotal, generalCurrent, three, operating cents
}

// budget is one department's budget for one year: everything a disclosure prints.
type budget struct {
	dept      *department
	year      int
	units     []string // units[0] is the department
	staffReal int
	contract  int
	retirees  int
	econ      []econLine
	basicBy   map[string]cents // 项 → 基本支出
	projects  []*project
	figs      map[string]figure // 项 → figures; also 款 and 类 (aggregated)
	reception cents             // 公务接待费 (三公)
	carRun    cents             // 公务用车运行维护费 (三公)
	operating cents             // 机关运行经费 (0: none printed)
	prior     prior
	procure   [3]cents // goods, works, services
	vehicles  int
	office    int // m²
	divisions int
	style     style
	village   string      // county + village of the village project, if any
	defect    *defectPlan // the auditor's error injected, if any (defects.go)
}

// style is how a document is laid out; it varies between documents.
type style struct {
	formFeeds      bool // pages marked with \f (pdftotext style); else blank lines
	thousands      bool // 2,939.54
	labelEvery     bool // 预算公开表N before every table title
	tableNumbers   int  // 0: titles alone; 1: 表一…; 2: 表一 … (with a space)
	roundingNote   bool
	watermark      bool
	summary3Rows   bool // 表一 with a three-row header
	incomeUnitCol  bool // 表二 prints the 单位资金 column
	threeTotalLast bool // 三公 table's 合计 row last
	midBreaks      bool // page breaks inside long tables
	deptUnitLine   bool // 部门名称 and 单位 on one line
	wrapName       int  // index of a project whose table name is wrapped with a space (-1 none)
	operatingUnit  bool // 机关运行经费 prints the department's own row after 部门合计
	asciiPunct     bool // half-width punctuation in parts of the narrative
	ideoSpace      bool // 表N followed by an ideographic space in titles
}

func between(r *rand.Rand, lo, hi int) int { return lo + r.IntN(hi-lo+1) }

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// money draws an amount in [lo, hi] 万元, often a round figure.
func money(r *rand.Rand, lo, hi float64) cents {
	v := lo + r.Float64()*(hi-lo)
	c := cents(v * 100)
	switch r.IntN(4) {
	case 0:
		c = c / 100 * 100 // whole 万元
	case 1:
		c = c / 10 * 10
	}
	if c < 1 {
		c = 1
	}
	return c
}

// scale multiplies c by f, rounded to the cent.
func scale(c cents, f float64) cents { return cents(float64(c)*f + 0.5) }

// kindOf reports the 项 of a department that take its basic expenditure
// and those its projects may use.
func projectCodes(t *deptType) []string {
	var out []string
	for _, kk := range t.kuans {
		for _, it := range kk.items {
			if it.code == t.run || strings.HasSuffix(it.name, "行政运行") || strings.HasSuffix(it.name, "事业运行") {
				continue
			}
			out = append(out, it.code)
		}
	}
	if len(out) == 0 {
		out = append(out, t.run)
	}
	return out
}

// newBudget draws department d's budget for year y.
func newBudget(r *rand.Rand, d *department, y int, pr prior, first bool) *budget {
	b := &budget{dept: d, year: y, units: d.units, basicBy: map[string]cents{}}
	t := d.typ
	b.staffReal = max(3, d.staff-between(r, 0, max(1, d.staff/8)))
	b.contract = between(r, 0, 1+d.staff/10)
	if r.IntN(3) > 0 {
		b.retirees = between(r, 1, 1+d.staff/6)
	}
	b.divisions = len(t.offices)
	b.econ = b.drawEconomic(r)

	// Basic expenditure by 项: pensions, medical insurance and housing
	// fund have their own 项; the rest goes to the department's running 项.
	admin := t.admin
	get := func(code string) cents {
		for _, e := range b.econ {
			if e.code == code {
				return e.amount
			}
		}
		return 0
	}
	var basicTotal cents
	for _, e := range b.econ {
		basicTotal += e.amount
	}
	retire, med := "2080502", "2101102"
	if admin {
		retire, med = "2080501", "2101101"
	}
	b.basicBy["2080505"] = get("30108")
	b.basicBy["2080506"] = get("30109")
	b.basicBy[retire] += get("30302")
	b.basicBy[med] = get("30110")
	b.basicBy["2210201"] = get("30113")
	rest := basicTotal
	for _, v := range b.basicBy {
		rest -= v
	}
	b.basicBy[t.run] += rest

	b.drawProjects(r)
	b.aggregate()

	// “三公” and 机关运行经费 follow the economic table.
	b.reception, b.carRun = get("30217"), get("30231")
	if admin {
		for _, e := range b.econ {
			if !e.personnel {
				b.operating += e.amount
			}
		}
	}
	b.procure[0] = money(r, 0, 30)
	if r.IntN(4) == 0 {
		b.procure[1] = money(r, 5, 80)
	}
	b.procure[2] = money(r, 0, 40)
	if r.IntN(3) == 0 {
		b.vehicles = between(r, 1, 4)
	}
	b.office = between(r, 8, 25) * max(1, b.staffReal) / 2 * 2

	b.prior = pr
	if first {
		b.prior = prior{
			incomeTotal:    scale(b.incomeTotal(), 0.8+r.Float64()*0.35),
			generalCurrent: scale(b.generalCurrentTotal(), 0.8+r.Float64()*0.35),
			three:          scale(b.reception+b.carRun, 0.85+r.Float64()*0.3),
			operating:      scale(b.operating, 0.85+r.Float64()*0.3),
		}
	}
	b.style = drawStyle(r, b)
	return b
}

func (b *budget) drawEconomic(r *rand.Rand) []econLine {
	n := float64(b.staffReal)
	amt := map[string]cents{}
	amt["30101"] = money(r, 2.6*n, 4.2*n)
	amt["30102"] = money(r, 0.3*n, 1.3*n)
	amt["30107"] = money(r, 1.8*n, 3.6*n)
	wage := amt["30101"] + amt["30102"] + amt["30107"]
	amt["30108"] = scale(wage, 0.16)
	amt["30109"] = scale(wage, 0.08)
	amt["30110"] = scale(wage, 0.075+r.Float64()*0.02)
	amt["30113"] = scale(wage, 0.12)
	amt["30201"] = money(r, 0.08*n+0.3, 0.3*n+1)
	amt["30211"] = money(r, 0.05*n+0.2, 0.2*n+0.8)
	amt["30299"] = money(r, 0.05*n+0.3, 0.4*n+2)
	if b.retirees > 0 {
		amt["30302"] = money(r, 3*float64(b.retirees), 6*float64(b.retirees))
	}
	var out []econLine
	for _, e := range econItems {
		v, ok := amt[e.code]
		if !ok && e.optional && e.code != "30302" && r.IntN(3) == 0 {
			switch e.code[:3] {
			case "301":
				v = money(r, 0.05*n, 0.5*n+1)
			case "302":
				v = money(r, 0.2, 0.15*n+2)
			default:
				v = money(r, 0.1, 0.2*n+1)
			}
		}
		if v > 0 {
			out = append(out, econLine{e, v})
		}
	}
	return out
}

// drawProjects draws the current-year and carried-over projects.
func (b *budget) drawProjects(r *rand.Rand) {
	t := b.dept.typ
	codes := projectCodes(t)
	used := map[string]bool{}
	nameOf := func(stems []string) string {
		for try := 0; try < 40; try++ {
			s := pick(r, stems)
			switch r.IntN(7) {
			case 0:
				s = fmt.Sprintf("%d年%s", b.year, s)
			case 1:
				if !strings.HasPrefix(s, "20") && !strings.Contains(s, "省级") {
					s = fmt.Sprintf("%d年省级%s", b.year, strings.TrimSuffix(strings.TrimSuffix(s, "经费"), "资金")+"补助资金")
				}
			}
			if used[s] || tooClose(s, used) || s == b.dept.name {
				continue
			}
			used[s] = true
			return s
		}
		return ""
	}
	n := between(r, 2, 11)
	stems := append(append([]string{}, t.stems...), commonStems...)
	var ps []*project
	for i := 0; i < n; i++ {
		name := nameOf(stems)
		if name == "" {
			break
		}
		p := &project{name: name, printed: name, code: pick(r, codes)}
		p.gpb = money(r, 0.5, 25+float64(b.staffReal)*2)
		if len(b.units) > 1 && r.IntN(3) == 0 {
			p.unit = between(r, 1, len(b.units)-1)
		}
		ps = append(ps, p)
	}
	if r.IntN(3) == 0 {
		if name := nameOf(villageStems); name != "" {
			ps = append(ps, &project{name: name, printed: name, code: pick(r, codes), gpb: money(r, 2, 30)})
		}
	}
	// Other sources: a government-fund project, a 财政专户 project, 单位资金.
	if len(t.gf) > 0 && r.IntN(3) == 0 {
		if name := nameOf([]string{"彩票公益金支持项目", "彩票公益金资助项目", "基础设施建设项目", "专项债券配套项目", "移民后期扶持项目"}); name != "" {
			p := &project{name: name, printed: name, code: pick(r, t.gf), gf: money(r, 5, 120)}
			if len(b.units) > 1 && r.IntN(2) == 0 {
				p.unit = between(r, 1, len(b.units)-1)
			}
			ps = append(ps, p)
		}
	}
	if t.sa != "" && r.IntN(2) == 0 {
		if name := nameOf([]string{"高中学费收入安排教学运转经费", "住宿费收入安排学生公寓运转经费"}); name != "" {
			p := &project{name: name, printed: name, code: t.sa, sa: money(r, 10, 90)}
			if len(b.units) > 1 {
				p.unit = 1
			}
			ps = append(ps, p)
		}
	}
	if r.IntN(5) == 0 && len(ps) > 0 {
		p := ps[r.IntN(len(ps))]
		if p.gpb > 0 {
			p.uf = money(r, 0.5, 20)
		}
	}
	// Carried over from last year.
	for i, nc := 0, r.IntN(4); i < nc; i++ {
		stem := pick(r, stems)
		name := fmt.Sprintf("%d年%s", b.year-1, strings.TrimPrefix(stem, fmt.Sprintf("%d年", b.year)))
		if used[name] || tooClose(name, used) {
			continue
		}
		used[name] = true
		p := &project{name: name, printed: name, code: pick(r, codes), gpb: money(r, 0.5, 30), carry: true}
		if len(b.units) > 1 && r.IntN(3) == 0 {
			p.unit = between(r, 1, len(b.units)-1)
		}
		ps = append(ps, p)
	}
	// Print order: by unit, 本级 first, keeping the draw order within a unit.
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].unit < ps[j].unit })
	b.projects = ps
}

// tooClose reports a name within two edits of one already used: the
// repairs link a misspelt form to its project by edit distance.
func tooClose(s string, used map[string]bool) bool {
	for u := range used {
		if levenshtein(s, u) <= 3 {
			return true
		}
	}
	return false
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			c := 1
			if ra[i-1] == rb[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// aggregate adds up the figures of every 项 into its 款 and 类.
func (b *budget) aggregate() {
	leaf := map[string]figure{}
	for code, v := range b.basicBy {
		if v == 0 {
			continue
		}
		f := leaf[code]
		f.basic += v
		leaf[code] = f
	}
	for _, p := range b.projects {
		f := leaf[p.code]
		if p.carry {
			f.carry += p.gpb
		} else {
			f.gpb += p.gpb
			f.gf += p.gf
			f.sa += p.sa
			f.uf += p.uf
		}
		leaf[p.code] = f
	}
	b.figs = map[string]figure{}
	for code, f := range leaf {
		for _, c := range []string{code, code[:5], code[:3]} {
			g := b.figs[c]
			g.add(f)
			b.figs[c] = g
		}
	}
}

// codes returns the codes with figures, sorted (类 before its 款 before its 项).
func (b *budget) codes(keep func(figure) bool) []string {
	var out []string
	for c, f := range b.figs {
		if keep(f) {
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return out
}

func (b *budget) total(f func(figure) cents) cents {
	var s cents
	for c, g := range b.figs {
		if len(c) == 3 {
			s += f(g)
		}
	}
	return s
}

func (b *budget) incomeTotal() cents         { return b.total(figure.all) }
func (b *budget) currentTotal() cents        { return b.total(figure.current) }
func (b *budget) carryTotal() cents          { return b.total(func(f figure) cents { return f.carry }) }
func (b *budget) generalCurrentTotal() cents { return b.total(figure.generalCurrent) }
func (b *budget) basicTotal() cents          { return b.total(func(f figure) cents { return f.basic }) }
func (b *budget) projectTotal() cents        { return b.total(figure.project) }
func (b *budget) sourceTotal(pick func(figure) cents) cents {
	return b.total(pick)
}

func (b *budget) personnel() (pers, public cents) {
	for _, e := range b.econ {
		if e.personnel {
			pers += e.amount
		} else {
			public += e.amount
		}
	}
	return
}

// currentProjects are the projects of 项目支出预算表（本年预算）.
func (b *budget) currentProjects() []*project {
	var out []*project
	for _, p := range b.projects {
		if !p.carry {
			out = append(out, p)
		}
	}
	return out
}

func (b *budget) carryProjects() []*project {
	var out []*project
	for _, p := range b.projects {
		if p.carry {
			out = append(out, p)
		}
	}
	return out
}

func drawStyle(r *rand.Rand, b *budget) style {
	s := style{
		formFeeds:      r.IntN(2) == 0,
		thousands:      r.IntN(2) == 0,
		labelEvery:     r.IntN(3) == 0,
		tableNumbers:   r.IntN(3),
		roundingNote:   r.IntN(2) == 0,
		watermark:      r.IntN(2) == 0,
		summary3Rows:   r.IntN(2) == 0,
		incomeUnitCol:  r.IntN(2) == 0,
		threeTotalLast: r.IntN(2) == 0,
		midBreaks:      r.IntN(2) == 0,
		deptUnitLine:   r.IntN(4) == 0,
		wrapName:       -1,
		operatingUnit:  r.IntN(2) == 0,
		asciiPunct:     r.IntN(3) == 0,
		ideoSpace:      r.IntN(4) == 0,
	}
	for _, p := range b.projects {
		if p.uf > 0 {
			s.incomeUnitCol = true
		}
	}
	// A project name broken by a wrap space in the project table.
	if r.IntN(3) == 0 {
		for i, p := range b.projects {
			if rs := []rune(p.name); len(rs) >= 9 && !p.carry {
				cut := len(rs) - 2
				p.printed = string(rs[:cut]) + " " + string(rs[cut:])
				s.wrapName = i
				break
			}
		}
	}
	return s
}

// topic is the subject of a project, for its indicators and texts.
func topic(name string) string {
	s := name
	if i := strings.Index(s, "年"); i > 0 && i <= 4 {
		s = s[i+len("年"):]
	}
	s = strings.TrimPrefix(s, "度")
	s = strings.TrimPrefix(s, "省级")
	for _, suf := range []string{"补助资金", "专项资金", "工作经费", "专项经费", "经费", "资金", "项目", "工程", "补助", "补贴", "费用", "费"} {
		if strings.HasSuffix(s, suf) && utf8.RuneCountInString(s) > utf8.RuneCountInString(suf)+1 {
			s = strings.TrimSuffix(s, suf)
			break
		}
	}
	if rs := []rune(s); len(rs) > 6 {
		s = string(rs[:6])
	}
	return s
}

// classOf is the name of a 类, 款 or 项 code.
func nameOf(code string) string {
	if n, ok := codeNames[code]; ok {
		return n
	}
	panic("no name for code " + code)
}

var codeNames = func() map[string]string {
	m := map[string]string{}
	for _, c := range classes {
		m[c.code] = c.name
	}
	add := func(kk kuan) {
		m[kk.code] = kk.name
		for _, it := range kk.items {
			m[it.code] = it.name
		}
	}
	for _, kk := range []kuan{kuanPension, kuanMedical, kuanHousing, kuanLottery, kuanLand, kuanResettle} {
		add(kk)
	}
	for _, t := range append(slices.Clone(deptTypes), devZoneType) {
		for _, kk := range t.kuans {
			add(kk)
		}
	}
	for _, e := range econItems {
		m[e.code] = e.name
	}
	for _, c := range econClasses {
		m[c.code] = c.name
	}
	return m
}()
