package transform

import (
	"regexp"
	"strings"
)

// Table keys of the national template (the contract's budget_lines.table_key).
const (
	KeySummary            = "summary"
	KeyIncome             = "income"
	KeyExpenditure        = "expenditure"
	KeyAppropriation      = "appropriation_summary"
	KeyGeneralBudget      = "general_budget_expenditure"
	KeyBasicByEconomic    = "basic_expenditure_by_economic"
	KeyGovFundIncome      = "gov_fund_income"
	KeyGovFundExpenditure = "gov_fund_expenditure"
	KeyStateCapital       = "state_capital"
	KeyThreePublic        = "three_public"
	KeyOperatingExpense   = "operating_expense"
	KeyProjectCurrent     = "project_current"
	KeyProjectCarryover   = "project_carryover"

	// Tables of other regions' layouts with no counterpart in the national
	// 预算 template (see sql/TABLES.md).
	KeyAppropriationExpenditure = "appropriation_expenditure"       // 江苏 财政拨款支出预算表（功能科目）
	KeyAppropriationBasic       = "appropriation_basic_expenditure" // 江苏 财政拨款基本支出预算表
	KeyProcurement              = "procurement"                     // 政府采购支出预算表
	KeyGovFundSummary           = "gov_fund_summary"                // 决算 政府性基金预算财政拨款收入支出决算表
	KeyBasicExpenditure         = "basic_expenditure"               // 深圳 基本支出总表
	KeyGeneralBudgetByEconomic  = "general_budget_by_economic"      // 深圳 一般公共预算支出表（按经济分类）
	KeyProjectByEconomic        = "project_by_economic"             // 广东 一般公共预算项目支出情况表（按经济分类）
	KeyServicePurchase          = "service_purchase"                // 北京 财政拨款政府购买服务明细表
)

// StandardTables lists the thirteen tables of the national 预算 template in
// their usual order, with their Chinese names (catalog_tables).
var StandardTables = []struct{ Key, Name string }{
	{KeySummary, "预算收支总表"},
	{KeyIncome, "预算收入总表"},
	{KeyExpenditure, "预算支出总表"},
	{KeyAppropriation, "财政拨款收支总表"},
	{KeyGeneralBudget, "一般公共预算支出预算表"},
	{KeyBasicByEconomic, "一般公共预算基本支出分经济科目表"},
	{KeyGovFundIncome, "政府性基金预算收入表"},
	{KeyGovFundExpenditure, "政府性基金预算支出表"},
	{KeyStateCapital, "国有资本经营预算收支预算表"},
	{KeyThreePublic, "“三公”经费支出预算表"},
	{KeyOperatingExpense, "机关运行经费预算表"},
	{KeyProjectCurrent, "项目支出预算表（本年预算）"},
	{KeyProjectCarryover, "项目支出预算表（上年结转）"},
}

// OtherTables are the keys added for regional layouts, with their names:
// every table of layouts/tables.toml that the national template lacks.
var OtherTables = func() []struct{ Key, Name string } {
	var out []struct{ Key, Name string }
	for _, e := range layouts.Tables {
		std := false
		for _, st := range StandardTables {
			std = std || st.Key == e.Key
		}
		if !std {
			out = append(out, struct{ Key, Name string }{e.Key, e.Zh})
		}
	}
	return out
}()

var (
	titlePrefix = regexp.MustCompile(`^((部门|单位)?(预算|决算)?公开)?(附)?表\s*[0-9一二三四五六七八九十]+[-—、.．:：]?\s*`)
	titleYear   = regexp.MustCompile(`^.{0,20}?(20\d\d)\s*年(度)?`)
	notCarry    = regexp.MustCompile(`[（(]不含上年结转[）)]`)
	titleEnd    = regexp.MustCompile(`表\s*([（(][^）)]{1,12}[）)])?$`)
)

// ClassifyTitle maps a printed table title to its table key. It accepts the
// variants regions print: with or without 表N, year, unit, （不含上年结转）.
// It returns "" when the line is not the title of a standard table.
func ClassifyTitle(line string) string {
	t := squashSpace(line)
	if !titleShaped(t) {
		return ""
	}
	if !titleEnd.MatchString(t) {
		return ""
	}
	t = titlePrefix.ReplaceAllString(t, "")
	t = titleYear.ReplaceAllString(t, "")
	t = notCarry.ReplaceAllString(t, "")
	return tableKeyOf(t)
}

// titleShaped reports whether a line (spaces squashed) could be a table's
// title: short, no sentence punctuation, not a form's, a contents entry with
// leaders, or a heading of the explanations.
func titleShaped(t string) bool {
	return t != "" && len([]rune(t)) <= 48 && !strings.ContainsAny(t, "。，；") && !strings.Contains(t, "绩效") &&
		!strings.Contains(t, "目录") && !strings.Contains(t, "说明") && !strings.Contains(t, "……") && !strings.Contains(t, "...")
}

// squashSpace removes white space of any kind.
func squashSpace(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\u3000', '\u00a0', '\f', '\v', '\r', '\n':
			return -1
		}
		return r
	}, s)
}
