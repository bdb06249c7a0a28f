package corpus

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// The narrative (第三部分 情况说明) states the tables' totals, shares and the
// changes against the year before, computed exactly as the checks
// recompute them (transform/checks_text.go): a share is part × 100 / whole
// and a change percent is change × 100 / prior, both rounded to two places.

var hundred = decimal.NewFromInt(100)

// pct is part × 100 / whole rounded to two places, printed as the
// disclosures print it (0 without decimals).
func pct(part, whole cents) string {
	if part == 0 || whole == 0 {
		return "0"
	}
	return decimal.NewFromInt(int64(part)).Mul(hundred).Div(decimal.NewFromInt(int64(whole))).Round(2).StringFixed(2)
}

// change states cur against prior: 比上年增加X万元，增长P% (or 减少/下降, or 与上年持平).
func change(cur, prior cents) string {
	d := cur - prior
	switch {
	case d == 0:
		return "与上年持平"
	case prior == 0:
		return fmt.Sprintf("比上年增加%s万元", narr(d))
	}
	p := decimal.NewFromInt(int64(d)).Mul(hundred).Div(decimal.NewFromInt(int64(prior))).Round(2).Abs().StringFixed(2)
	if d > 0 {
		return fmt.Sprintf("比上年增加%s万元，增长%s%%", narr(d), p)
	}
	return fmt.Sprintf("比上年减少%s万元，下降%s%%", narr(-d), p)
}

var reasonsUp = []string{"新增重点项目支出", "人员经费标准调整", "项目支出增加", "上级专项补助资金增加"}
var reasonsDown = []string{"部分项目完成后不再安排", "严格落实过紧日子要求，压减一般性支出", "项目支出减少", "人员退休减少"}

func (w *docWriter) reason(cur, prior cents) string {
	if cur >= prior {
		return pick(w.r, reasonsUp)
	}
	return pick(w.r, reasonsDown)
}

func (w *docWriter) para(s string) {
	w.add(s)
	w.blank()
}

// asciiPara is para with half-width punctuation, as some offices type it
// (the seed's 一般公共预算支出情况说明).
func (w *docWriter) asciiPara(s string) {
	if w.st.asciiPunct {
		s = strings.NewReplacer("，", ",", "：", ":", "；", ";").Replace(s)
	}
	w.para(s)
}

func (w *docWriter) narrative() {
	b := w.b
	y, dept := b.year, b.dept.name
	tot, cur, carry := b.incomeTotal(), b.currentTotal(), b.carryTotal()
	gpbCur := b.generalCurrentTotal()
	gf := b.sourceTotal(func(f figure) cents { return f.gf })
	sa := b.sourceTotal(func(f figure) cents { return f.sa })
	uf := b.sourceTotal(func(f figure) cents { return f.uf })
	basic, proj := b.basicTotal(), b.projectTotal()

	w.newPage()
	heading := y
	if d := w.defect(DefectHeadingYear); d != nil {
		heading = d.year
		w.recordDefect(d, fmt.Sprint(d.year), "第三部分's heading states another year")
	}
	w.add(fmt.Sprintf("第三部分 %d年度部门预算情况说明", heading))
	w.blank()
	w.para("一、部门预算收支数据变动情况及原因")
	chg := change(tot, b.prior.incomeTotal)
	first := fmt.Sprintf("%d年度%s预算收入总计%s万元，其中：本年收入%s万元，上年结转%s万元，%s，主要原因是%s；本年部门预算支出总计%s万元，其中：本年预算安排%s万元，上年结转%s万元，%s。",
		y, dept, narr(tot), narr(cur), narr(carry), chg, w.reason(tot, b.prior.incomeTotal), narr(tot), narr(cur), narr(carry), chg)
	if d := w.defect(DefectComparisonWord); d != nil {
		var word string
		first, word = flipChange(first)
		w.recordDefect(d, word, "比上年增加/减少 flipped, its percent's word left")
	}
	w.para(first)

	w.para("二、收入预算情况说明")
	gpbShare := pct(gpbCur, tot)
	if d := w.defect(DefectWrongShare); d != nil {
		gpbShare = shareOff(w.r, gpbCur, tot)
		w.recordDefect(d, gpbShare, "一般公共预算拨款收入's share misstated (true "+pct(gpbCur, tot)+")")
	}
	// An empty 国有资本经营 table without its note (empty_note) has no word
	// of those funds in the narrative either.
	sc, scApprop := "国有资本经营预算拨款收入0万元，占0%；", "，国有资本经营预算拨款0万元"
	if w.defect(DefectEmptyNote) != nil {
		sc, scApprop = "", ""
	}
	w.para(fmt.Sprintf("%d年度%s预算收入%s万元，主要包括一般公共预算拨款收入%s万元，占%s%%；政府性基金预算拨款收入%s万元，占%s%%；%s财政专户管理资金收入%s万元，占%s%%；单位资金%s万元，占%s%%；上年结转%s万元，占%s%%。",
		y, dept, narr(tot), narr(gpbCur), gpbShare, narr(gf), pct(gf, tot), sc, narr(sa), pct(sa, tot), narr(uf), pct(uf, tot), narr(carry), pct(carry, tot)))

	w.para("三、支出预算情况说明")
	subject := dept
	if d := w.defect(DefectDepartmentName); d != nil {
		subject = d.word
		w.recordDefect(d, d.word, "三、支出预算情况说明 names "+d.word+" as its subject")
	}
	w.para(fmt.Sprintf("%d年度%s支出预算%s万元，其中：基本支出%s万元，占%s%%；项目支出%s万元，占%s%%。",
		y, subject, narr(tot), narr(basic), pct(basic, tot), narr(proj), pct(proj, tot)))

	w.para("四、财政拨款收支预算总体情况说明")
	var spend []string
	for _, c := range classes {
		f := b.figs[c.code]
		if v := f.basic + f.gpb + f.carry + f.gf; v > 0 {
			spend = append(spend, c.name+narr(v)+"万元")
		}
	}
	w.para(fmt.Sprintf("%d年度%s财政拨款收支总预算%s万元。其中：一般公共预算拨款%s万元，政府性基金预算拨款%s万元%s。其中：当年拨款收入%s万元，上年结转收入%s万元。支出包括：%s。",
		y, dept, narr(gpbCur+gf+carry), narr(gpbCur+carry), narr(gf), scApprop, narr(gpbCur+gf), narr(carry), strings.Join(spend, "、")))

	w.para("五、一般公共预算支出情况说明")
	w.para("（一）一般公共预算当年支出规模变化情况")
	w.asciiPara(fmt.Sprintf("%d年度%s一般公共预算当年支出%s万元，%s。", y, dept, narr(gpbCur), change(gpbCur, b.prior.generalCurrent)))
	w.para("（二）一般公共预算当年支出结构情况")
	var uses []string
	for _, c := range classes {
		if v := b.figs[c.code].generalCurrent(); v > 0 {
			uses = append(uses, fmt.Sprintf("%s%s万元，占%s%%", c.name, narr(v), pct(v, gpbCur)))
		}
	}
	w.asciiPara(fmt.Sprintf("%d年度%s一般公共预算当年支出%s万元，主要用于以下方面：%s。", y, dept, narr(gpbCur), strings.Join(uses, "；")))

	w.para("六、一般公共预算基本支出情况说明")
	pers, pub := b.personnel()
	var pn, qn []string
	for _, e := range b.econ {
		if e.personnel {
			pn = append(pn, e.name)
		} else {
			qn = append(qn, e.name)
		}
	}
	w.asciiPara(fmt.Sprintf("%d年度%s一般公共预算安排基本支出%s万元，其中：", y, dept, narr(basic)))
	persSaid := pers
	if d := w.defect(DefectNarrativeFigure); d != nil {
		persSaid += d.delta
		w.recordDefect(d, narr(persSaid), "人员经费 stated "+narr(persSaid)+", the table prints "+narr(pers))
	}
	w.asciiPara(fmt.Sprintf("人员经费%s万元，主要包括：%s；", narr(persSaid), strings.Join(pn, "、")))
	w.asciiPara(fmt.Sprintf("公用经费%s万元，主要包括：%s。", narr(pub), strings.Join(qn, "、")))

	w.para("七、“三公”经费增减变动原因说明")
	three := b.reception + b.carRun
	if d := w.defect(DefectPartsSum); d != nil {
		three += d.delta // the 合计 printed in the table, and stated
	}
	if three == 0 {
		w.para("本部门无“三公”经费预算。")
	} else {
		w.para(fmt.Sprintf("%d年%s“三公”经费预算%s万元，其中：因公出国（境）费0万元；公务接待费%s万元；公务用车购置及运行费%s万元（其中：公务用车购置费0万元，公务用车运行维护费%s万元）。%s，主要原因是%s。",
			y, dept, narr(three), narr(b.reception), narr(b.carRun), narr(b.carRun), change(three, b.prior.three), w.reason(three, b.prior.three)))
	}

	w.para("八、机关运行经费增减变动原因说明")
	if b.operating == 0 {
		w.para("本部门(单位)无机关运行经费。")
	} else {
		w.para(fmt.Sprintf("%d年%s机关运行经费预算%s万元，%s，主要原因是%s。", y, dept, narr(b.operating), change(b.operating, b.prior.operating),
			w.reason(b.operating, b.prior.operating)))
	}

	w.newPage()
	w.para("九、政府采购情况")
	if p := b.procure[0] + b.procure[1] + b.procure[2]; p == 0 {
		w.para(fmt.Sprintf("%d年%s无政府采购预算。", y, dept))
	} else {
		w.para(fmt.Sprintf("%d年%s政府采购预算总额%s万元。其中：政府采购货物预算%s万元、政府采购工程预算%s万元、政府采购服务预算%s万元。",
			y, dept, narr(p), narr(b.procure[0]), narr(b.procure[1]), narr(b.procure[2])))
	}

	w.para("十、绩效管理情况")
	w.para("1、整体绩效目标")
	var projCur cents
	for _, p := range b.currentProjects() {
		projCur += p.total()
	}
	w.para(fmt.Sprintf("%d年编报部门整体支出绩效目标，涉及部门预算资金%s万元，其中基本支出%s万元，项目支出%s万元。", y, narr(cur), narr(basic), narr(projCur)))
	w.para("（部门整体目标表公开情况见附件）")
	w.para("2、项目绩效目标")
	n, sum := 0, int64(0)
	for _, p := range b.currentProjects() {
		if p.form != nil {
			n++
			sum += p.form.annual
		}
	}
	w.para(fmt.Sprintf("%d年%s纳入绩效目标管理的二级项目%d个，共计金额%s万元。", y, dept, n, narr(cents(sum/100))))
	w.para("（项目绩效目标表公开情况见附件）")
	w.departmentForm()
	for _, p := range b.formOrder() {
		w.projectForm(p.form)
	}
}

func (w *docWriter) assets() {
	b := w.b
	y, dept := b.year, b.dept.name
	w.newPage()
	w.para("十一、国有资产占有使用情况")
	w.para("1、车辆情况：")
	w.para(fmt.Sprintf("截至%d年12月31日，%s共有公务用车编制%d辆，实有%d辆，其中：领导用车0辆，机要通信用车0辆，应急保障用车0辆，执法执勤用车0辆，特种专业技术用车0辆，事业单位业务用车0辆，其他公务用车%d辆。",
		y-1, dept, b.vehicles, b.vehicles, b.vehicles))
	w.para("2、房屋情况：")
	w.para(fmt.Sprintf("截至%d年12月31日，%s使用的办公用房建筑总面积%d平方米。", y-1, dept, b.office))
	w.para("十二、其他说明")
	w.para("（一）政府购买服务指导性目录")
	w.para("无")
	w.para("（二）其他")
	if d := w.defect(DefectPlaceholder); d != nil {
		w.para(d.word + "无其他需要说明的事项。")
		w.recordDefect(d, d.word, "a template placeholder left in 其他说明")
	} else {
		w.para("无")
	}
}

func (w *docWriter) glossary() {
	w.newPage()
	w.para("第四部分 名词解释")
	for i, s := range []string{
		"基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。",
		"项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。",
		"“三公”经费：指用财政拨款安排的因公出国（境）费用、公务用车购置及运行费和公务接待费。",
		"机关运行经费：指行政单位和参照公务员法管理的事业单位使用财政拨款安排的基本支出中的公用经费支出。",
		"上年结转：指以前年度预算安排、结转到本年仍按原规定用途继续使用的资金。",
		"政府性基金预算：是对依照法律、行政法规的规定在一定期限内向特定对象征收、收取或者以其他方式筹集的资金，专项用于特定公共事业发展的收支预算。",
	} {
		w.para(cn(i+1) + "、" + s)
	}
}
