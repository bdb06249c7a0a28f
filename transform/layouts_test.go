package transform

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

var snakeCase = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// The layout data is well formed, and sql/TABLES.md documents every table
// key and measure key it can produce (a new region's keys are a data
// change and a doc change, never a silent one).
func TestLayoutsData(t *testing.T) {
	doc, err := os.ReadFile("../sql/TABLES.md")
	if err != nil {
		t.Fatal(err)
	}
	md := string(doc)
	for _, e := range layouts.Tables {
		if !snakeCase.MatchString(e.Key) || e.Zh == "" || len(e.Match) == 0 {
			t.Errorf("table entry %+v: want a snake_case key, a Chinese name and a match", e)
		}
		if !strings.Contains(md, "`"+e.Key+"`") {
			t.Errorf("sql/TABLES.md does not document table key %s", e.Key)
		}
	}
	for _, c := range layouts.Columns {
		switch {
		case c.Role != "":
			if c.Role != "code" && c.Role != "name" && c.Role != "text" {
				t.Errorf("column entry %v: role %q", c.Words, c.Role)
			}
		case !snakeCase.MatchString(c.Key):
			t.Errorf("column entry %v: key %q is not snake_case", c.Words, c.Key)
		case c.Kind != "percent" && !strings.Contains(md, "`"+c.Key+"`"):
			t.Errorf("sql/TABLES.md does not document measure key %s", c.Key)
		}
		if c.Kind != "" && c.Kind != "base" && c.Kind != "prefix" && c.Kind != "suffix" && c.Kind != "percent" {
			t.Errorf("column entry %q: kind %q", c.Key, c.Kind)
		}
	}
	for _, r := range layouts.Rows {
		if !snakeCase.MatchString(r.Role) || len(r.Exact)+len(r.Words)+len(r.All) == 0 {
			t.Errorf("row entry %+v", r)
		}
	}
	for _, f := range layouts.Families {
		for _, k := range f.Tables {
			if tableName(k) == "" {
				t.Errorf("family %s lists unknown table %s", f.Name, k)
			}
		}
	}
}

func tableName(key string) string {
	for _, st := range append(append([]struct{ Key, Name string }{}, StandardTables...), OtherTables...) {
		if st.Key == key {
			return st.Name
		}
	}
	return ""
}

// Titles, column labels and row labels of several regions read through the
// data.
func TestLayoutsMatch(t *testing.T) {
	for title, want := range map[string]string{
		"收支总体情况表": KeySummary, "本年支出总体情况表": KeyExpenditure, "西南大学收入预算表": KeyIncome,
		"基本支出总表": KeyBasicExpenditure, "一般公共预算支出表（按经济分类）": KeyGeneralBudgetByEconomic,
		"一般公共预算项目支出情况表（按经济分类科目）": KeyProjectByEconomic, "高等学校收支决算总表": KeySummary,
		"财政拨款安排的行政经费及“三公”经费预算表": KeyThreePublic, "2026年部门财务收支预算总表": KeySummary,
		"部门预算项目支出及其他支出预算表": KeyProjectCurrent, "政府性基金预算财政拨款收入支出决算表": KeyGovFundSummary,
		"财政拨款政府购买服务明细表": KeyServicePurchase, "政府采购预算明细表": KeyProcurement,
		"基本支出预算情况表": KeyBasicExpenditure, "政府性基金预算收支表": KeyGovFundSummary,
		"一般公共预算支出预算表（按经济科目）": KeyGeneralBudgetByEconomic, "一般公共预算基本支出预算表（按经济科目）": KeyBasicByEconomic, "一般公共预算基本支出情况表": KeyBasicByEconomic,
	} {
		if got := ClassifyTitle(title); got != want {
			t.Errorf("ClassifyTitle(%q) = %q, want %q", title, got, want)
		}
	}
	for label, want := range map[string]string{
		"人员支出": "personnel", "日常公用支出": "public_expense", "事业单位经营支出": "operating_expenditure",
		"对附属单位补助支出": "affiliate_subsidy", "上缴上级支出": "upward_payment", "预算": "total",
		"使用非财政拨款结余": "non_appropriation_balance", "上年结转结余": "carryover", "执行数": "prior_outturn",
	} {
		if got := measureOf(label); got != want {
			t.Errorf("measureOf(%q) = %q, want %q", label, got, want)
		}
	}
	// A label qualified in brackets the layouts do not list means what it
	// says before them; a listed one keeps its own meaning.
	for label, want := range map[string]labelMeaning{
		"项目(按功能分类)": {role: "name"}, "项目（按经济分类）": {role: "name"}, "决算数（万元）": {base: "total"},
		"项目": {role: "name"}, "栏（次）": {},
	} {
		if got := meaningOf(label); got.role != want.role || got.base != want.base {
			t.Errorf("meaningOf(%q) = role %q base %q, want role %q base %q", label, got.role, got.base, want.role, want.base)
		}
	}
	for name, want := range map[string]string{
		"收入总计": "income_total", "总计": "total", "本年支出合计": "expenditure_year_total", "年末结转和结余": "carry_forward",
		"上年结余、结转": "carryover", "一般公共服务支出": "",
	} {
		if got := rowRole(name); got != want {
			t.Errorf("rowRole(%q) = %q, want %q", name, got, want)
		}
	}
}
