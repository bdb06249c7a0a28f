package corpus

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"unicode/utf8"
)

// Performance forms (绩效目标表): one department form and one project form
// per current-year project (a few projects have none, as in the seed), in
// the layout of the seed's clean forms. Glitches are injected here.

type indicator struct{ l1, l2, label, target string }

type form struct {
	p      *project
	unit   string
	period string
	attr   string
	annual int64 // yuan, true
	total  int64 // yuan, true (实施期)
	inds   []indicator
	texts  [5]string // 项目概况, 立项依据, 项目设立必要性, 保证项目实施的制度、措施, 项目实施计划
	goal   string
	filed  string

	// What is printed, where a glitch makes it differ from the truth.
	nameCell    string
	codeCell    string
	attrCell    string
	annualCell  int64
	totalCell   int64
	annualLabel map[int]string // indicator → label printed in the 年度 half
	village     string         // the village as it should read (with its county)
	planVillage string         // the village as 项目实施计划 prints it
	glitches    []*Glitch
}

// buildForms gives the current-year projects their forms.
func (b *budget) buildForms(r *rand.Rand) {
	ps := b.currentProjects()
	for i, p := range ps {
		if i > 0 && r.IntN(12) == 0 {
			continue // no form, like the seed's provincial projects
		}
		f := &form{p: p, unit: b.units[p.unit], annual: p.total().yuan()}
		f.period, f.attr = "1年", "经常性项目(长期开展)"
		f.total = f.annual
		switch r.IntN(6) {
		case 0, 1:
			f.period = "99年"
		case 2:
			f.period, f.attr = "3年", "延续性项目"
			f.total = 3 * f.annual
		case 3:
			f.attr = "一次性项目"
		}
		tp := topic(p.name)
		f.texts = [5]string{
			fmt.Sprintf("围绕%s工作职责，保障%s各项任务按计划完成。", b.dept.typ.name, tp),
			fmt.Sprintf("根据上级有关文件精神和本部门职责，安排%s。", p.name),
			fmt.Sprintf("为更好履行%s职能，需要持续推进%s工作。", b.dept.typ.name, tp),
			"严格执行财务管理制度，专款专用，定期开展自查，按进度拨付资金。",
			fmt.Sprintf("%d年1月至12月分阶段组织实施%s工作，年底前完成全部任务。", b.year, tp),
		}
		f.goal = fmt.Sprintf("按期完成%s各项工作任务，资金使用规范，服务对象满意。", tp)
		if isVillageProject(p.name) && b.village != "" {
			f.village = b.village
			f.planVillage = b.village
			f.texts[0] = fmt.Sprintf("帮扶%s发展集体经济，改善村容村貌，巩固拓展脱贫攻坚成果。", b.village)
			f.texts[4] = fmt.Sprintf("%d年在%s开展驻村帮扶，分季度落实帮扶措施。", b.year, b.village)
			f.goal = fmt.Sprintf("推动%s集体经济发展，群众收入持续增加。", b.village)
		}
		f.inds = drawIndicators(r, tp, b.dept.typ.served)
		f.filed = fmt.Sprintf("%d%02d%02d%02d%02d%02d", b.year, 1, between(r, 5, 28), between(r, 8, 17), r.IntN(60), r.IntN(60))
		f.nameCell = p.name
		f.codeCell = b.dept.code + "-" + b.dept.name
		f.attrCell = f.attr
		f.annualCell, f.totalCell = f.annual, f.total
		f.annualLabel = map[int]string{}
		p.form = f
	}
}

func isVillageProject(name string) bool {
	for _, s := range villageStems {
		if strings.HasSuffix(name, s) {
			return true
		}
	}
	return false
}

// drawIndicators draws the indicator grid: labels distinct within the form.
func drawIndicators(r *rand.Rand, tp, served string) []indicator {
	var out []indicator
	seen := map[string]bool{}
	draw := func(l1, l2 string) {
		pool := indicatorPool[l2]
		for try := 0; try < 10; try++ {
			e := pick(r, pool)
			label := fmt.Sprintf(e.label, tp)
			if seen[label] {
				continue
			}
			seen[label] = true
			target := strings.NewReplacer("{n}", fmt.Sprint(between(r, 2, 9)*pow10(r.IntN(3))), "{d}", fmt.Sprint(between(r, 1, 9))).Replace(e.target)
			out = append(out, indicator{l1, l2, label, target})
			return
		}
	}
	draw("产出指标", "数量指标")
	draw("产出指标", "质量指标")
	draw("产出指标", "时效指标")
	draw("产出指标", "成本指标")
	out = append(out, indicator{"效益指标", "经济效益", "", ""})
	draw("效益指标", "社会效益")
	out = append(out, indicator{"效益指标", "生态效益", "", ""})
	if r.IntN(2) == 0 {
		draw("效益指标", "可持续影响")
	} else {
		out = append(out, indicator{"效益指标", "可持续影响", "", ""})
	}
	out = append(out, indicator{"满意度指标", "服务对象满意度", served + "满意度", fmt.Sprintf("≥%d%%", 85+5*r.IntN(3))})
	return out
}

func pow10(n int) int {
	p := 1
	for ; n > 0; n-- {
		p *= 10
	}
	return p
}

// formOrder is the order the project forms are printed in.
func (b *budget) formOrder() []*project {
	var out []*project
	for _, p := range b.currentProjects() {
		if p.form != nil {
			out = append(out, p)
		}
	}
	return out
}

// formTitle is the title of a form; the department form is 整体支出.
func (b *budget) formTitle(department bool) string {
	level := "县(区)级"
	prefix := b.dept.region
	if b.dept.county == "" && !strings.Contains(b.dept.region, "开发区") {
		level = "市级"
	}
	if department {
		return level + "预算部门(单位)整体支出绩效目标申报表"
	}
	return prefix + level + "预算部门(单位)项目支出绩效目标表"
}

func (w *docWriter) departmentForm() {
	b := w.b
	cur := b.currentTotal()
	basic := b.basicTotal()
	var projCur cents
	for _, p := range b.currentProjects() {
		projCur += p.total()
	}
	gf := b.sourceTotal(func(f figure) cents { return f.gf })
	sa := b.sourceTotal(func(f figure) cents { return f.sa })
	uf := b.sourceTotal(func(f figure) cents { return f.uf })
	d := func(c cents) string { return fmtWan(c, false) }
	w.newPage()
	w.add(b.formTitle(true))
	w.blank()
	w.add(fmt.Sprintf("(%d)年度", b.year))
	w.blank()
	w.row("部门基本信息", "部门名称", b.dept.code+"-"+b.dept.name, "", "")
	w.row("", "内设职能部门数", fmt.Sprintf("%d个", b.divisions), "所属预算单位数", fmt.Sprintf("%d个", len(b.units)-1))
	w.row("", "核定的人员编制数", fmt.Sprintf("%d人", b.dept.staff), "实际在职人员总数", fmt.Sprintf("%d人", b.staffReal))
	w.row("", "", "", "其中:在编人员数", fmt.Sprintf("%d人", b.staffReal))
	w.row("部门职责", strings.Join(b.dept.typ.duties, "；")+"。", "", "", "")
	w.row("年度预算情况", "按资金来源划分", "资金总额(万元)", "按资金方向划分", "资金总额(万元)")
	w.row("", "合计", d(cur), "合计", d(cur))
	w.row("", "其中:一般公共预算资金", d(b.generalCurrentTotal()), "其中:基本支出", d(basic))
	w.row("", "政府性基金预算资金", d(gf), "项目支出", d(projCur))
	w.row("", "国有资本经营预算资金", "0.00", "", "")
	w.row("", "专户管理资金", d(sa), "", "")
	w.row("", "单位资金", d(uf), "", "")
	w.row("年度绩效目标", "保障部门正常运转，按期完成年度重点工作任务，提高资金使用效益。", "", "", "")
	w.row("年度绩效指标", "一级指标", "二级指标", "三级指标", "指标值")
	w.row("", "产出指标", "数量指标", "预算完成率", "≥90%")
	w.row("", "", "质量指标", "资金使用合规性", "合规")
	w.row("", "", "时效指标", "资金拨付及时率", "≥95%")
	w.row("", "效益指标", "社会效益", "履职能力提升情况", "提升")
	w.row("", "满意度指标", "服务对象满意度", b.dept.typ.served+"满意度", "≥90%")
	w.blank()
	w.truth.Forms = append(w.truth.Forms, Form{Scope: "department", Code: b.dept.code, TotalYuan: cur.yuan(), AnnualYuan: cur.yuan()})
}

// mark records the line a glitch is printed on.
func (f *form) mark(what string, line int) {
	for _, g := range f.glitches {
		if g.where == what {
			g.Line = line
		}
	}
}

func (w *docWriter) projectForm(f *form) {
	b := w.b
	w.newPage()
	w.add(b.formTitle(false))
	w.blank()
	w.add(fmt.Sprintf("(%d年度)", b.year))
	w.blank()
	// Two layouts: the clean one, and the seed's shifted one (an empty cell
	// after most labels, as in its 驻村 form).
	shift := w.r.IntN(3) == 0
	r2 := func(a, b, c, d string) int {
		if shift {
			return w.row(a, "", b, "", c, "", d, "")
		}
		return w.row(a, b, c, d, "", "", "", "")
	}
	f.mark("name", w.row("项目名称", "", f.nameCell, "", "", "", "", ""))
	f.mark("code", r2("主管部门及代码", f.codeCell, "实施单位", f.unit))
	f.mark("attr", r2("项目属性", f.attrCell, "项目期", f.period))
	money := func(a, b, c, d, e string) int {
		if shift {
			return w.row(a, b, c, "", d, e, "", "")
		}
		return w.row(a, b, c, d, e, "", "", "")
	}
	ln := money("项目资金(元)", "实施期资金总额:", yuanText(f.totalCell), "年度资金总额:", yuanText(f.annualCell))
	f.mark("annual", ln)
	f.mark("total", ln)
	p := f.p
	// Sources per horizon: 省级 projects from the province, 单位资金 as 单位自筹,
	// 财政专户 as 其他资金, the rest from the city or county.
	src := func(total int64) (prov, local, own, other int64) {
		factor := total / max(1, p.total().yuan())
		own, other = p.uf.yuan()*factor, p.sa.yuan()*factor
		rest := total - own - other
		if strings.Contains(p.name, "省级") {
			return rest, 0, own, other
		}
		return 0, rest, own, other
	}
	ip, il, io, iot := src(f.total)
	ap, al, ao, aot := src(f.annual)
	z := func(v int64) string { return yuanText(v) }
	money("", "其中:中央财政资金", "0", "其中:中央财政资金", "0")
	money("", "省级财政资金", z(ip), "省级财政资金", z(ap))
	money("", "市县(区)财政资金", z(il), "市县(区)财政资金", z(al))
	money("", "单位自筹", z(io), "单位自筹", z(ao))
	other := func(v int64) string {
		if v == 0 {
			return ""
		}
		return z(v)
	}
	money("", "其他资金", other(iot), "其他资金", other(aot))
	text := func(label, t string) int {
		if shift {
			return w.row(label, "", t, "", "", "", "", "")
		}
		return w.row(label, t, "", "", "", "", "", "")
	}
	labels := []string{"项目概况", "立项依据", "项目设立必要性", "保证项目实施的制度、措施", "项目实施计划"}
	for i, t := range f.texts {
		if i == 4 && f.planVillage != f.village {
			t = strings.Replace(t, f.village, f.planVillage, 1)
			f.mark("plan", text(labels[i], t))
			continue
		}
		text(labels[i], t)
	}
	if shift {
		w.row("实施期目标", "", "", "", "年度目标", "", "", "")
		w.row("总体目标", f.goal, "", "", f.goal, "", "", "")
	} else {
		w.row("实施期目标", "", "年度目标", "", "", "", "", "")
		w.row("总体目标", f.goal, "", f.goal, "", "", "", "")
	}
	w.row("绩效指标", "一级指标", "二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值")
	prevL1 := ""
	for i, in := range f.inds {
		l1 := ""
		if in.l1 != prevL1 {
			l1 = in.l1
			prevL1 = in.l1
		}
		annual := in.label
		if s, ok := f.annualLabel[i]; ok {
			annual = s
		}
		ln := w.row("", l1, in.l2, in.label, in.target, in.l2, annual, in.target)
		f.mark(fmt.Sprintf("label%d", i), ln)
	}
	if shift {
		w.row("负责人:", "经办人:", "联系电话:", "", "填报日期:", "", f.filed, "")
	} else {
		w.row("负责人:", "经办人:", "联系电话:", "填报日期:", f.filed, "", "", "")
	}
	w.blank()
	tf := Form{Scope: "project", Project: p.name, Code: b.dept.code, TotalYuan: f.total, AnnualYuan: f.annual}
	w.truth.Forms = append(w.truth.Forms, tf)
	for _, g := range f.glitches {
		w.truth.Glitches = append(w.truth.Glitches, *g)
	}
}

// Glitch kinds the pipeline repairs today (transform/repair.go).
const (
	GlitchDepartmentCode = "department_code"
	GlitchProjectName    = "project_name"
	GlitchFunding        = "funding"
	GlitchTruncatedLabel = "truncated_label"
	GlitchPlaceName      = "place_name"
)

// AllGlitchKinds lists the kinds the generator can inject.
var AllGlitchKinds = []string{GlitchDepartmentCode, GlitchProjectName, GlitchFunding, GlitchTruncatedLabel, GlitchPlaceName}

// confusableDigits are the digit pairs OCR mixes up (transform/repair.go).
var confusableDigits = map[byte][]byte{}

func init() {
	for _, p := range []string{"38", "56", "17", "08", "09", "68", "69", "89", "35", "47", "23", "25", "14"} {
		confusableDigits[p[0]] = append(confusableDigits[p[0]], p[1])
		confusableDigits[p[1]] = append(confusableDigits[p[1]], p[0])
	}
}

var digitLetters = map[byte]string{'0': "O", '1': "l", '5': "S", '8': "B", '6': "b", '2': "Z", '9': "g"}

// injectGlitches misprints some forms, at most one glitch per form, of the
// kinds in enabled, each with the repair rule expected to undo it.
func (b *budget) injectGlitches(r *rand.Rand, rate float64, enabled []string) {
	forms := b.formOrder()
	codeBudget := len(forms) / 3 // the clean code must stay the majority
	codeVariants := map[string]bool{}
	placeDone := false
	var names []string
	for _, p := range b.projects {
		names = append(names, p.name)
	}
	for _, p := range forms {
		f := p.form
		if r.Float64() >= rate {
			continue
		}
		kinds := slices.Clone(enabled)
		r.Shuffle(len(kinds), func(i, j int) { kinds[i], kinds[j] = kinds[j], kinds[i] })
		for _, kind := range kinds {
			var g *Glitch
			switch kind {
			case GlitchDepartmentCode:
				if r.IntN(5) == 0 {
					// The code glued in front of 项目属性 (the seed's 60900-经常性项目(长期开展)).
					glued := b.dept.code + pick(r, []string{"", "00", "0"}) + "-" + f.attr
					g = &Glitch{Rule: "department_code.glued_prefix", Field: "performance_forms.project_attribute", Printed: glued, True: f.attr,
						where: "attr", Note: "项目属性 printed with the department code glued in front"}
					f.attrCell = glued
					break
				}
				if codeBudget == 0 {
					continue
				}
				g = codeGlitch(r, b.dept.code, b.dept.name, codeVariants)
				if g != nil {
					codeBudget--
					f.codeCell = g.Printed
				}
			case GlitchProjectName:
				g = nameGlitch(r, p.name, names)
				if g != nil {
					f.nameCell = g.Printed
				}
			case GlitchFunding:
				g = fundingGlitch(r, f)
			case GlitchTruncatedLabel:
				g = labelGlitch(r, f)
			case GlitchPlaceName:
				if f.village == "" || placeDone {
					continue
				}
				g = placeGlitch(r, f)
				placeDone = g != nil
			}
			if g != nil {
				g.Kind = kind
				g.Project = p.name
				f.glitches = append(f.glitches, g)
				break
			}
		}
	}
}

func codeGlitch(r *rand.Rand, code, dept string, used map[string]bool) *Glitch {
	for try := 0; try < 20; try++ {
		var printed, rule string
		bs := []byte(code)
		i := r.IntN(len(bs))
		switch r.IntN(7) {
		case 0: // a letter for a digit
			l, ok := digitLetters[bs[i]]
			if !ok {
				continue
			}
			printed, rule = code[:i]+l+code[i+1:]+"-", "department_code.ocr_letter"
		case 1: // a space or hyphen inside the code
			if i == 0 {
				continue
			}
			printed, rule = code[:i]+pick(r, []string{" ", "-"})+code[i:]+"-", "department_code.inner_separator"
		case 2: // another separator before the name
			printed, rule = code+pick(r, []string{" ", ""}), "department_code.format"
		case 3: // one digit confused
			alt := confusableDigits[bs[i]]
			if len(alt) == 0 {
				continue
			}
			c := pick(r, alt)
			if i == 0 && c == '0' {
				continue
			}
			printed, rule = code[:i]+string(c)+code[i+1:]+"-", "department_code.substituted_digit"
		case 4: // one digit doubled, or a 0 appended
			if r.IntN(2) == 0 {
				printed = code[:i+1] + code[i:] + "-"
			} else {
				printed = code + "0-"
			}
			rule = "department_code.extra_digit"
		case 5: // one digit dropped
			printed, rule = code[:i]+code[i+1:]+"-", "department_code.missing_digit"
			if strings.HasPrefix(printed, "0") {
				continue
			}
		case 6: // two confusable digits
			j := (i + 1 + r.IntN(len(bs)-1)) % len(bs)
			a, c := confusableDigits[bs[i]], confusableDigits[bs[j]]
			if len(a) == 0 || len(c) == 0 {
				continue
			}
			nb := slices.Clone(bs)
			nb[i], nb[j] = pick(r, a), pick(r, c)
			if nb[0] == '0' {
				continue
			}
			printed, rule = string(nb)+"-", "department_code.confused_digits"
		}
		cell := printed + dept
		if used[cell] || strings.HasPrefix(cell, code+"-") {
			continue
		}
		used[cell] = true
		return &Glitch{Rule: rule, Field: "performance_forms.department_code", Printed: cell, True: code, where: "code",
			Note: "主管部门及代码 printed " + strings.TrimSuffix(cell, dept)}
	}
	return nil
}

// nameGlitch misspells a project name in its form: one character confused,
// an inner character dropped or doubled. The misspelling must link back to
// the project alone and not look better to the repair than the truth.
func nameGlitch(r *rand.Rand, name string, names []string) *Glitch {
	rs := []rune(name)
	for try := 0; try < 20; try++ {
		out := slices.Clone(rs)
		var how string
		switch r.IntN(4) {
		case 0, 1:
			i := r.IntN(len(rs))
			c, ok := confusedChars[rs[i]]
			if !ok {
				continue
			}
			out[i] = c
			how = fmt.Sprintf("%c→%c", rs[i], c)
		case 2:
			if len(rs) < 6 {
				continue
			}
			i := 1 + r.IntN(len(rs)-2)
			if rs[i] >= '0' && rs[i] <= '9' {
				continue
			}
			out = append(out[:i:i], rs[i+1:]...)
			how = fmt.Sprintf("%c dropped", rs[i])
		case 3:
			i := 1 + r.IntN(len(rs)-2)
			if rs[i] >= '0' && rs[i] <= '9' {
				continue
			}
			out = slices.Insert(out, i, rs[i])
			how = fmt.Sprintf("%c doubled", rs[i])
		}
		g := string(out)
		if g == name || strings.Contains(name, g) || gainsTerm(g, name) || !linksTo(g, name, names) {
			continue
		}
		return &Glitch{Rule: "project_name.link", Field: "performance_forms.project_name", Printed: g, True: name, where: "name",
			Note: "项目名称 in the form only (" + how + ")"}
	}
	return nil
}

// dropAmbiguousGlitches undoes the project-name glitches whose misspelling
// the rendered document prints more than once (an indicator label can
// contain it): the document's own evidence would then favour the
// misspelling. It reports whether any glitch was dropped.
func (b *budget) dropAmbiguousGlitches(text []byte) bool {
	var sb strings.Builder
	for _, l := range strings.Split(string(text), "\n") {
		sb.WriteString(strings.Map(func(r rune) rune {
			if r == ' ' || r == '\t' || r == '\f' || r == '\u3000' {
				return -1
			}
			return r
		}, l))
		sb.WriteByte('\n')
	}
	full := sb.String()
	dropped := false
	for _, p := range b.formOrder() {
		f := p.form
		kept := f.glitches[:0]
		for _, g := range f.glitches {
			if g.Kind == GlitchProjectName && strings.Count(full, g.Printed) > 1 {
				f.nameCell = p.name
				dropped = true
				continue
			}
			kept = append(kept, g)
		}
		f.glitches = kept
	}
	return dropped
}

// gainsTerm reports whether g holds a lexicon term that orig lacks.
func gainsTerm(g, orig string) bool {
	for _, t := range lexicon {
		if strings.Contains(g, t) && !strings.Contains(orig, t) {
			return true
		}
	}
	return false
}

// linksTo reports whether g is within the repair's edit limit of name and
// strictly nearer to it than to any other project name.
func linksTo(g, name string, names []string) bool {
	d := levenshtein(g, name)
	limit := 1
	if utf8.RuneCountInString(g) >= 8 {
		limit = 2
	}
	if d > limit {
		return false
	}
	for _, n := range names {
		if n != name && levenshtein(g, n) <= d {
			return false
		}
	}
	return true
}

// fundingGlitch misprints one digit of the 年度资金总额 (or, for a one-year
// project, of the 实施期资金总额) while the other total and the table agree.
func fundingGlitch(r *rand.Rand, f *form) *Glitch {
	if f.total != f.annual {
		return nil
	}
	which, where := "annual_funding_yuan", "annual"
	if f.period == "1年" && r.IntN(2) == 0 {
		which, where = "total_funding_yuan", "total"
	}
	v := f.annual
	s := []byte(fmt.Sprint(v))
	for try := 0; try < 20; try++ {
		i := r.IntN(len(s))
		alt := confusableDigits[s[i]]
		if len(alt) == 0 {
			continue
		}
		c := pick(r, alt)
		if i == 0 && c == '0' {
			continue
		}
		ns := slices.Clone(s)
		ns[i] = c
		var nv int64
		fmt.Sscan(string(ns), &nv)
		if where == "annual" {
			f.annualCell = nv
		} else {
			f.totalCell = nv
		}
		label := map[string]string{"annual": "年度资金总额", "total": "实施期资金总额"}[where]
		return &Glitch{Rule: "amount.single_digit", Field: "performance_forms." + which, Printed: yuanText(nv), True: fmt.Sprint(v), where: where,
			Note: fmt.Sprintf("%s printed %s (%c read as %c); the table and the other total agree", label, yuanText(nv), s[i], c)}
	}
	return nil
}

// labelGlitch cuts an indicator label short in the 年度 half.
func labelGlitch(r *rand.Rand, f *form) *Glitch {
	var cand []int
	for i, in := range f.inds {
		if utf8.RuneCountInString(in.label) >= 6 {
			cand = append(cand, i)
		}
	}
	if len(cand) == 0 {
		return nil
	}
	i := pick(r, cand)
	rs := []rune(f.inds[i].label)
	short := string(rs[:between(r, 3, len(rs)-2)])
	f.annualLabel[i] = short
	return &Glitch{Rule: "label.truncated", Field: "performance_indicators.level3", Printed: short, True: f.inds[i].label,
		where: fmt.Sprintf("label%d", i), Note: "年度 三级指标 of " + f.inds[i].l2 + " cut short"}
}

// placeGlitch misprints one character of the village in 项目实施计划; the
// other three mentions are right.
func placeGlitch(r *rand.Rand, f *form) *Glitch {
	county, v := splitVillage(f.village)
	rs := []rune(v)
	for try := 0; try < 10; try++ {
		i := r.IntN(len(rs) - 1) // not 村
		c, ok := villageConfused[rs[i]]
		if !ok {
			continue
		}
		out := slices.Clone(rs)
		out[i] = c
		f.planVillage = county + string(out)
		return &Glitch{Rule: "place_name.majority", Field: "text.place_name", Printed: string(out), True: v, where: "plan",
			Note: "项目实施计划 prints the village misspelt; 项目概况 and 总体目标 print it right"}
	}
	return nil
}

// splitVillage splits 平定县岔口村 into the county and the village.
func splitVillage(s string) (string, string) {
	rs := []rune(s)
	for i := len(rs) - 2; i >= 0; i-- {
		switch rs[i] {
		case '县', '区', '市', '镇', '乡':
			return string(rs[:i+1]), string(rs[i+1:])
		}
	}
	return "", s
}
