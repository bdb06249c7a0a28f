package transform

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
)

// Checks of what the document says in words against its own tables and
// forms. Check ids are stable; sql/CHECKS.md documents them.

// textRef names a figure of the tables that a fact should equal. A name
// "" with a side is the side's grand total (收入总计, a 决算's 总计);
// "本年" its total of the year (本年收入合计, 本年支出合计), by row role.
type textRef struct {
	fact                       string
	table, side, name, measure string
}

var narrativeRefs = []textRef{
	{"income_total", KeySummary, "income", "", "total"},
	{"income_current_year", KeySummary, "income", "本年", "total"},
	{"income_carryover", KeySummary, "income", "上年结转", "total"},
	{"expenditure_total", KeySummary, "expenditure", "", "total"},
	{"expenditure_current_year", KeySummary, "expenditure", "本年", "total"},
	{"general_public_budget_income", KeySummary, "income", "一般公共预算", "total"},
	{"basic_expenditure", KeyExpenditure, "", "合计", "basic"},
	{"project_expenditure", KeyExpenditure, "", "合计", "project"},
	{"general_public_budget_current", KeyGeneralBudget, "", "合计", "total"},
	{"personnel_expense", KeyBasicByEconomic, "", "合计", "personnel"},
	{"public_expense", KeyBasicByEconomic, "", "合计", "public_expense"},
	{"appropriation_total", KeyAppropriation, "income", "", "total"},
}

// figure is the table cell r names.
func (lg *ledger) figure(r textRef) (Line, bool) {
	switch {
	case r.name == "" && r.side != "":
		return lg.grandTotal(r.table, r.side)
	case r.name == "本年":
		return lg.yearTotal(r.table, r.side)
	}
	return lg.get(r.table, r.side, r.name, r.measure)
}

// shareRefs: a stated share (percent) = part / whole × 100.
var shareRefs = []struct{ pct, part, whole string }{
	{"basic_expenditure_share_pct", "basic_expenditure", "expenditure_total"},
	{"project_expenditure_share_pct", "project_expenditure", "expenditure_total"},
	{"general_public_budget_income_share_pct", "general_public_budget_income", "income_total"},
	{"carryover_income_share_pct", "carryover_income", "income_total"},
}

// changeRefs: a stated change and percent imply the prior year's figure.
var changeRefs = []struct{ base, change, pct string }{
	{"income_total", "income_total_change", "income_total_change_pct"},
	{"expenditure_total", "expenditure_total_change", "expenditure_total_change_pct"},
	{"general_public_budget_current", "general_public_budget_change", "general_public_budget_change_pct"},
}

// share checks a stated share (fact pctKey) against part / whole × 100,
// both facts.
func (lg *ledger) share(res *Result, pctKey, partKey, wholeKey string) {
	pct, ok1 := res.fact(pctKey)
	part, ok2 := res.fact(partKey)
	whole, ok3 := res.fact(wholeKey)
	if !ok1 || !ok2 || !ok3 || whole.Value.IsZero() {
		return
	}
	got := part.Value.Mul(hundred).Div(whole.Value).Round(2)
	if got.Sub(pct.Value).Abs().GreaterThan(decimal.RequireFromString("0.01")) {
		lg.out = append(lg.out, Finding{CheckID: "narrative.share", Severity: "warning",
			Message: fmt.Sprintf("%s: the narrative says %s%% (%q); %s / %s = %s / %s gives %s%%", pctKey, pct.Value.String(), pct.Raw,
				partKey, wholeKey, part.Value.StringFixed(2), whole.Value.StringFixed(2), got.StringFixed(2)),
			Expected: got.StringFixed(2), Actual: pct.Value.String(), Page: pct.Page, Line: pct.Line})
	}
}

// classShares checks the 类 the narrative lists under 一般公共预算 spending:
// each amount against the 一般公共预算支出表's row of that code, each share
// against amount / total, and the shares together against 100 %.
func (lg *ledger) classShares(res *Result) {
	const prefix = "general_public_budget_class_"
	var total decimal.Decimal
	n, before := 0, len(lg.out)
	var first Fact
	for _, f := range res.Facts {
		if !strings.HasPrefix(f.Key, prefix) {
			continue
		}
		code, isPct := strings.CutSuffix(strings.TrimPrefix(f.Key, prefix), "_share_pct")
		if isPct {
			lg.share(res, f.Key, prefix+code, f.of)
			if n == 0 {
				first = f
			}
			total = total.Add(f.Value)
			n++
			continue
		}
		for _, l := range res.Lines {
			if l.TableKey == KeyGeneralBudget && l.ItemCode == code && l.Measure == "total" {
				if d := f.Value.Sub(l.AmountYuan).Abs(); !d.IsZero() && !d.LessThan(statedUnit(f.Raw)) {
					lg.out = append(lg.out, Finding{CheckID: "narrative.class_amount", Severity: "warning", TableKey: KeyGeneralBudget,
						Message:  fmt.Sprintf("the narrative states %q for 类 %s; the 一般公共预算支出表 prints %s", f.Raw, code, l.AmountYuan.StringFixed(2)),
						Expected: l.AmountYuan.StringFixed(2), Actual: f.Value.StringFixed(2), Page: f.Page, Line: f.Line})
				}
				break
			}
		}
	}
	// Shares rounded to 0.01 each add to 100 within 0.01 per share — a
	// finding of its own only when no share was found wrong already (one
	// misstated share is one finding).
	if n >= 2 && !slices.ContainsFunc(lg.out[before:], func(f Finding) bool { return f.CheckID == "narrative.share" }) && total.Sub(hundred).Abs().GreaterThan(decimal.RequireFromString("0.01").Mul(decimal.NewFromInt(int64(n)))) {
		lg.out = append(lg.out, Finding{CheckID: "narrative.shares_sum", Severity: "warning",
			Message:  fmt.Sprintf("the shares of the %d 类 the narrative lists add up to %s%%, not 100%%", n, total.StringFixed(2)),
			Expected: "100.00", Actual: total.StringFixed(2), Page: first.Page, Line: first.Line})
	}
}

// statedUnit is the yuan value of one unit of the last digit a figure in
// words prints: 2,106.66万元 is exact to 100 yuan, 3,130万元 to 10,000; a
// table's figure, rounded to its own last digit, may differ from it by less.
// A figure in 元 with no decimals: 1 yuan.
func statedUnit(raw string) decimal.Decimal {
	m := statedFigure.FindStringSubmatch(raw)
	if m == nil {
		return decimal.NewFromInt(1)
	}
	u := map[string]int64{"元": 1, "万元": 10000, "亿元": 100000000}[m[2]]
	return decimal.NewFromInt(u).Shift(-int32(len(m[1]))).Add(decimal.Zero)
}

var statedFigure = regexp.MustCompile(`\d(?:[.．]\s*(\d+))?\s*(亿元|万元|元)`)

func (res *Result) fact(key string) (Fact, bool) {
	for _, f := range res.Facts {
		if f.Key == key {
			return f, true
		}
	}
	return Fact{}, false
}

var hundred = decimal.NewFromInt(100)

// checkText compares the narrative with the tables, derives the prior-year
// figures the narrative implies, and compares the 绩效 text with the forms.
func checkText(res *Result, lg *ledger) {
	for _, r := range narrativeRefs {
		f, ok := res.fact(r.fact)
		if !ok {
			continue
		}
		l, ok := lg.figure(r)
		if !ok {
			continue
		}
		if r.name == "" && r.table == KeySummary {
			// 收入总计 / 支出总计 in words may be the year's totals where the
			// table's grand total row is a 合计 that adds the balances (教育部
			// universities): either figure is the one the words name.
			if y, ok := lg.yearTotal(r.table, r.side); ok && f.Value.Sub(y.AmountYuan).Abs().LessThan(statedUnit(f.Raw)) {
				continue
			}
		}
		if d := f.Value.Sub(l.AmountYuan).Abs(); !d.IsZero() && !d.LessThan(statedUnit(f.Raw)) {
			if lg.unitSlip(f, l, r.table) {
				continue
			}
			lg.out = append(lg.out, Finding{CheckID: "narrative." + r.fact, Severity: "warning", TableKey: r.table,
				Message:  fmt.Sprintf("the narrative states %s (%q) but %s %s %s prints %s", r.fact, f.Raw, r.table, l.ItemName, r.measure, l.AmountYuan.StringFixed(2)),
				Expected: l.AmountYuan.StringFixed(2), Actual: f.Value.StringFixed(2), Page: f.Page, Line: f.Line})
		}
	}
	tol := decimal.RequireFromString("0.01")
	for _, s := range shareRefs {
		pct, ok1 := res.fact(s.pct)
		if ok1 && pct.of != "" {
			s.whole = pct.of // the total the words say the share is of
		}
		lg.share(res, s.pct, s.part, s.whole)
	}
	lg.classShares(res)
	lg.threePublicText(res)
	for _, c := range changeRefs {
		base, ok1 := res.fact(c.base)
		chg, ok2 := res.fact(c.change)
		if !ok1 || !ok2 {
			continue
		}
		prior := base.Value.Sub(chg.Value)
		res.Facts = append(res.Facts, Fact{Key: c.base + "_prior_implied", Value: prior, Unit: "yuan",
			Raw: fmt.Sprintf("%s − %s (stated change)", base.Raw, chg.Raw), Page: chg.Page, Line: chg.Line})
		pct, ok := res.fact(c.pct)
		if !ok || prior.IsZero() {
			continue
		}
		got := chg.Value.Mul(hundred).Div(prior).Round(2)
		if got.Sub(pct.Value).Abs().GreaterThan(tol) {
			lg.out = append(lg.out, Finding{CheckID: "narrative.change_pct", Severity: "warning",
				Message:  fmt.Sprintf("%s: the narrative says %s%% but %s against the implied prior %s gives %s%%", c.pct, pct.Value, chg.Raw, prior.StringFixed(2), got.StringFixed(2)),
				Expected: got.StringFixed(2), Actual: pct.Value.String(), Page: pct.Page, Line: pct.Line})
		}
	}

	// The 绩效 text against the forms.
	var nForms int
	var sum decimal.Decimal
	var dept *Form
	for i, f := range res.Forms {
		switch f.Scope {
		case "project":
			nForms++
			if f.AnnualFunding != nil {
				sum = sum.Add(*f.AnnualFunding)
			}
		case "department":
			dept = &res.Forms[i]
		}
	}
	if f, ok := res.fact("performance_projects_count"); ok && !f.Value.Equal(decimal.NewFromInt(int64(nForms))) {
		lg.out = append(lg.out, Finding{CheckID: "forms.count_vs_text", Severity: "warning",
			Message:  fmt.Sprintf("the 绩效 text states %s projects under performance targets (%q); the document prints %d project forms", f.Value, f.Raw, nForms),
			Expected: fmt.Sprint(nForms), Actual: f.Value.String(), Page: f.Page, Line: f.Line})
	}
	if f, ok := res.fact("performance_projects_amount"); ok && nForms > 0 && !f.Value.Equal(sum) {
		lg.out = append(lg.out, Finding{CheckID: "forms.amount_vs_text", Severity: "warning",
			Message:  fmt.Sprintf("the 绩效 text states %s yuan for the projects under performance targets (%q); the %d project forms add up to %s yuan", f.Value.StringFixed(2), f.Raw, nForms, sum.StringFixed(2)),
			Expected: sum.StringFixed(2), Actual: f.Value.StringFixed(2), Page: f.Page, Line: f.Line})
	}
	if f, ok := res.fact("department_performance_amount"); ok && dept != nil && dept.TotalFunding != nil && !f.Value.Equal(*dept.TotalFunding) {
		lg.out = append(lg.out, Finding{CheckID: "forms.department_amount_vs_text", Severity: "warning",
			Message:  fmt.Sprintf("the 绩效 text states %s yuan for the department's overall targets; its form prints %s", f.Value.StringFixed(2), dept.TotalFunding.StringFixed(2)),
			Expected: dept.TotalFunding.StringFixed(2), Actual: f.Value.StringFixed(2), Page: f.Page, Line: f.Line})
	}

	// Project tables against 项目支出 of the expenditure table.
	if l, ok := lg.get(KeyExpenditure, "", "合计", "project"); ok && len(res.Projects) > 0 {
		var s decimal.Decimal
		for _, p := range res.Projects {
			s = s.Add(p.AmountYuan)
		}
		lg.compare("cross.projects_total", KeyExpenditure, "projects of the two project tables ≠ 预算支出总表 合计 项目支出", l.AmountYuan, s, len(res.Projects), l)
	}
}

// unitSlip reports a stated figure that differs from its table by the
// factor between 元 and 万元 (the table's 2,961.68万元 stated as 2961.68元),
// or a stated 0 beside a table that prints a figure: findings of their own
// (text.unit, text.zero_total), not a misstated figure.
func (lg *ledger) unitSlip(f Fact, l Line, table string) bool {
	if f.Value.IsZero() && !l.AmountYuan.IsZero() {
		lg.out = append(lg.out, Finding{CheckID: "text.zero_total", Severity: "error", TableKey: table,
			Message:  fmt.Sprintf("the narrative states %q, but %s %s prints %s", f.Raw, table, l.ItemName, l.AmountYuan.StringFixed(2)),
			Expected: l.AmountYuan.StringFixed(2), Actual: f.Value.StringFixed(2), Page: f.Page, Line: f.Line})
		return true
	}
	tol := statedUnit(f.Raw)
	for _, k := range []decimal.Decimal{decimal.NewFromInt(10000), decimal.RequireFromString("0.0001")} {
		d := f.Value.Mul(k).Sub(l.AmountYuan).Abs()
		if d.LessThan(tol.Mul(k).Add(decimal.NewFromInt(1))) && d.Mul(decimal.NewFromInt(1000)).LessThanOrEqual(l.AmountYuan.Abs()) {
			lg.out = append(lg.out, Finding{CheckID: "text.unit", Severity: "error", TableKey: table,
				Message:  fmt.Sprintf("the narrative states %q where %s %s prints %s yuan: 元 and 万元 confused", f.Raw, table, l.ItemName, l.AmountYuan.StringFixed(2)),
				Expected: l.AmountYuan.StringFixed(2), Actual: f.Value.StringFixed(2), Page: f.Page, Line: f.Line})
			return true
		}
	}
	return false
}

// threeParts names the rows of the “三公” table a stated figure is
// compared with: by the words the row name holds.
var threeParts = []struct {
	fact     string
	has, not []string
}{
	{"three_public_total", []string{"合计"}, []string{"机关", "运行"}},
	{"three_public_abroad", []string{"出国"}, nil},
	{"three_public_vehicle", []string{"购置及运行"}, nil},
	{"three_public_vehicle_purchase", []string{"购置"}, []string{"运行"}},
	{"three_public_vehicle_operation", []string{"运行"}, []string{"购置", "机关"}},
	{"three_public_reception", []string{"接待"}, nil},
}

// threePublicText compares the “三公” figures the narrative states with
// the rows of the “三公” table that print them (its 合计 or 预算数 column);
// a 决算 table, printed by 预算数 and 决算数, is compared by its
// own sentences (text.comparison), not here.
func (lg *ledger) threePublicText(res *Result) {
	for _, tp := range threeParts {
		f, ok := res.fact(tp.fact)
		if !ok {
			continue
		}
		var row Line
		found := false
		for _, l := range res.Lines {
			if l.TableKey != KeyThreePublic || l.Measure != "total" || l.ItemCode != "" {
				continue
			}
			n := squashSpace(l.ItemName)
			if !containsAll(n, tp.has) || containsAny(n, tp.not) {
				continue
			}
			row, found = l, true
			break
		}
		if !found {
			continue
		}
		if d := f.Value.Sub(row.AmountYuan).Abs(); !d.IsZero() && !d.LessThan(statedUnit(f.Raw)) {
			if lg.unitSlip(f, row, KeyThreePublic) {
				continue
			}
			lg.out = append(lg.out, Finding{CheckID: "three_public.text", Severity: "warning", TableKey: KeyThreePublic,
				Message:  fmt.Sprintf("the narrative states %q but the “三公” table's %s prints %s", f.Raw, row.ItemName, row.AmountYuan.StringFixed(2)),
				Expected: row.AmountYuan.StringFixed(2), Actual: f.Value.StringFixed(2), Page: f.Page, Line: f.Line})
		}
	}
}

func containsAll(s string, ws []string) bool {
	for _, w := range ws {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}

func containsAny(s string, ws []string) bool {
	for _, w := range ws {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
