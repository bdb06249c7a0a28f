package transform

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// Checks of what the document says in words against its own tables and
// forms. Check ids are stable; sql/CHECKS.md documents them.

// textRef names a figure of the tables that a fact should equal.
type textRef struct {
	fact                       string
	table, side, name, measure string
}

var narrativeRefs = []textRef{
	{"income_total", KeySummary, "income", "收入总计", "total"},
	{"income_current_year", KeySummary, "income", "本年收入合计", "total"},
	{"income_carryover", KeySummary, "income", "上年结转", "total"},
	{"expenditure_total", KeySummary, "expenditure", "支出总计", "total"},
	{"general_public_budget_income", KeySummary, "income", "一般公共预算", "total"},
	{"basic_expenditure", KeyExpenditure, "", "合计", "basic"},
	{"project_expenditure", KeyExpenditure, "", "合计", "project"},
	{"general_public_budget_current", KeyGeneralBudget, "", "合计", "total"},
	{"personnel_expense", KeyBasicByEconomic, "", "合计", "personnel"},
	{"public_expense", KeyBasicByEconomic, "", "合计", "public_expense"},
	{"appropriation_total", KeyAppropriation, "income", "收入总计", "total"},
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
		l, ok := lg.get(r.table, r.side, r.name, r.measure)
		if !ok {
			continue
		}
		// A figure stated in 万元 with two decimals is exact to 100 yuan.
		if d := f.Value.Sub(l.AmountYuan).Abs(); !d.IsZero() && !(strings.Contains(f.Raw, "万") && d.LessThan(decimal.NewFromInt(100))) {
			lg.out = append(lg.out, Finding{CheckID: "narrative." + r.fact, Severity: "warning", TableKey: r.table,
				Message:  fmt.Sprintf("the narrative states %s (%q) but %s %s %s prints otherwise", r.fact, f.Raw, r.table, r.name, r.measure),
				Expected: l.AmountYuan.StringFixed(2), Actual: f.Value.StringFixed(2), Page: f.Page, Line: f.Line})
		}
	}
	tol := decimal.RequireFromString("0.01")
	for _, s := range shareRefs {
		pct, ok1 := res.fact(s.pct)
		part, ok2 := res.fact(s.part)
		whole, ok3 := res.fact(s.whole)
		if !ok1 || !ok2 || !ok3 || whole.Value.IsZero() {
			continue
		}
		got := part.Value.Mul(hundred).Div(whole.Value).Round(2)
		if got.Sub(pct.Value).Abs().GreaterThan(tol) {
			lg.out = append(lg.out, Finding{CheckID: "narrative.share", Severity: "warning",
				Message:  fmt.Sprintf("%s: the narrative says %s%% (%q); %s / %s gives %s%%", s.pct, pct.Value.String(), pct.Raw, s.part, s.whole, got.StringFixed(2)),
				Expected: got.StringFixed(2), Actual: pct.Value.String(), Page: pct.Page, Line: pct.Line})
		}
	}
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
