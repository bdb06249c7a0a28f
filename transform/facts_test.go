package transform

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/gongkai/gongkai/extract"
)

// factWant is an expected fact: its value as printed in yuan/pct/count, its
// unit, the source line, and words Raw must contain.
type factWant struct {
	value string
	unit  string
	line  int
	raw   string
}

func factsOf(t *testing.T, name string) map[string]Fact {
	t.Helper()
	path := filepath.Join("..", "fixtures", "text", name)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := extract.ReadText(path, b)
	if err != nil {
		t.Fatal(err)
	}
	return factMap(t, ExtractFacts(doc.Lines))
}

func factMap(t *testing.T, fs []Fact) map[string]Fact {
	t.Helper()
	m := map[string]Fact{}
	for _, f := range fs {
		if _, dup := m[f.Key]; dup {
			t.Errorf("key %s emitted twice", f.Key)
		}
		m[f.Key] = f
	}
	return m
}

func checkFacts(t *testing.T, got map[string]Fact, want map[string]factWant) {
	t.Helper()
	for k, w := range want {
		f, ok := got[k]
		if !ok {
			t.Errorf("%s: missing", k)
			continue
		}
		if !f.Value.Equal(decimal.RequireFromString(w.value)) {
			t.Errorf("%s = %s, want %s (raw %q)", k, f.Value, w.value, f.Raw)
		}
		if f.Unit != w.unit {
			t.Errorf("%s: unit %q, want %q", k, f.Unit, w.unit)
		}
		if w.line != 0 && f.Line != w.line {
			t.Errorf("%s: line %d, want %d", k, f.Line, w.line)
		}
		if !strings.Contains(f.Raw, w.raw) {
			t.Errorf("%s: raw %q, want it to contain %q", k, f.Raw, w.raw)
		}
		if len([]rune(f.Raw)) > 60 {
			t.Errorf("%s: raw %q is not short", k, f.Raw)
		}
	}
}

// The values below were read by hand in the seed text (narrative lines
// 405–475 and 898–910, 概况 line 80, department form lines 481–485).
var seedFacts = map[string]factWant{
	// 一、部门预算收支数据变动情况及原因 (line 409)
	"income_total":                 {"3463800.00", "yuan", 409, "预算收入总计346.38万元"},
	"income_current_year":          {"3302300.00", "yuan", 409, "本年收入330.23万元"},
	"income_carryover":             {"161500.00", "yuan", 409, "上年结转16.15万元"},
	"income_total_change":          {"-441500.00", "yuan", 409, "比上年减少44.15万元"},
	"income_total_change_pct":      {"-11.31", "pct", 409, "下降11.31%"},
	"expenditure_total":            {"3463800.00", "yuan", 409, "支出总计346.38万元"},
	"expenditure_total_change":     {"-441500.00", "yuan", 409, "比上年减少44.15万元"},
	"expenditure_total_change_pct": {"-11.31", "pct", 409, "下降11.31%"},
	// 二、收入预算情况说明 (line 413)
	"general_public_budget_income":           {"3302300.00", "yuan", 413, "一般公共预算拨款收入330.23万元"},
	"general_public_budget_income_share_pct": {"95.34", "pct", 413, "占95.34%"},
	"government_fund_income":                 {"0", "yuan", 413, "政府性基金预算拨款收入0万元"},
	"government_fund_income_share_pct":       {"0", "pct", 413, "占0%"},
	"state_capital_income":                   {"0", "yuan", 413, "国有资本经营预算拨款收入0万元"},
	"state_capital_income_share_pct":         {"0", "pct", 413, "占0%"},
	"special_account_income":                 {"0", "yuan", 413, "财政专户管理资金收入0万元"},
	"special_account_income_share_pct":       {"0", "pct", 413, "占0%"},
	"unit_funds_income":                      {"0", "yuan", 413, "单位资金0万元"},
	"unit_funds_income_share_pct":            {"0", "pct", 413, "占0%"},
	"carryover_income":                       {"161500.00", "yuan", 413, "上年结转16.15万元"},
	"carryover_income_share_pct":             {"4.66", "pct", 413, "占4.66%"},
	// 三、支出预算情况说明 (line 419)
	"basic_expenditure":             {"1514300.00", "yuan", 419, "基本支出151.43万元"},
	"basic_expenditure_share_pct":   {"43.72", "pct", 419, "占43.72%"},
	"project_expenditure":           {"1949600.00", "yuan", 419, "项目支出194.96万元"},
	"project_expenditure_share_pct": {"56.29", "pct", 419, "占56.29%"},
	// 四、财政拨款收支预算总体情况说明 (line 423)
	"appropriation_total": {"3463800.00", "yuan", 423, "财政拨款收支总预算346.38万元"},
	// 五、一般公共预算支出情况说明 (line 432, half-width commas)
	"general_public_budget_current":    {"3302300.00", "yuan", 432, "一般公共预算当年支出330.23万元"},
	"general_public_budget_change":     {"-603000.00", "yuan", 432, "比上年减少60.30万元"},
	"general_public_budget_change_pct": {"-15.44", "pct", 432, "下降15.44%"},
	// Line 436 lists the 类 of that spending, each with its share of it.
	"general_public_budget_class_201":           {"2894800.00", "yuan", 436, "一般公共服务支出289.48万元"},
	"general_public_budget_class_201_share_pct": {"87.66", "pct", 436, "占87.66%"},
	"general_public_budget_class_208":           {"205500.00", "yuan", 436, "社会保障和就业支出20.55万元"},
	"general_public_budget_class_208_share_pct": {"6.22", "pct", 436, "占6.22%"},
	"general_public_budget_class_210":           {"76200.00", "yuan", 436, "卫生健康支出7.62万元"},
	"general_public_budget_class_210_share_pct": {"2.31", "pct", 436, "占2.31%"},
	"general_public_budget_class_221":           {"125800.00", "yuan", 436, "住房保障支出12.58万元"},
	"general_public_budget_class_221_share_pct": {"3.81", "pct", 436, "占3.81%"},
	// 六、一般公共预算基本支出情况说明 (lines 446, 448)
	"personnel_expense": {"1464300.00", "yuan", 446, "人员经费146.43万元"},
	"public_expense":    {"50000.00", "yuan", 448, "公用经费5.00万元"},
	// 九、政府采购情况 (line 460)
	"procurement_total":    {"34000.00", "yuan", 460, "政府采购预算总额3.40万元"},
	"procurement_goods":    {"9000.00", "yuan", 460, "货物预算0.90万元"},
	"procurement_works":    {"0", "yuan", 460, "工程预算0万元"},
	"procurement_services": {"25000.00", "yuan", 460, "服务预算2.50万元"},
	// 十、绩效管理情况 (lines 466, 472)
	"department_performance_amount": {"3302300.00", "yuan", 466, "涉及部门预算资金330.23万元"},
	"performance_projects_count":    {"12", "count", 472, "二级项目12个"},
	"performance_projects_amount":   {"1788100.00", "yuan", 472, "共计金额178.81万元"},
	// 概况 (line 80): 下设4个内设科室 … 现有事业编制9名，聘用人员1名.
	// The form (line 483) says 核定的人员编制数 10人; the first statement wins.
	"internal_divisions": {"4", "count", 80, "下设4个内设科室"},
	"staff_quota":        {"9", "person", 80, "事业编制9名"},
	"contract_staff":     {"1", "person", 80, "聘用人员1名"},
	// 实际在职人员总数 is only in the department form.
	"staff_actual": {"9", "person", 483, "实际在职人员总数"},
	// 十一、国有资产占有使用情况 (lines 902, 906, 910)
	"vehicles_quota":        {"0", "vehicle", 902, "公务用车编制0辆"},
	"vehicles_actual":       {"0", "vehicle", 902, "实有0辆"},
	"office_area_m2":        {"100", "m2", 906, "办公用房建筑总面积100平方米"},
	"large_equipment_count": {"0", "count", 910, "50万元（原值）以上的通用设备0台"},
}

func TestFactsSeed(t *testing.T) {
	for _, name := range []string{"shuozhou-dangqun-2026-budget.txt", "shuozhou-dangqun-2026-budget.spaces.txt"} {
		t.Run(name, func(t *testing.T) {
			got := factsOf(t, name)
			checkFacts(t, got, seedFacts)
			// 本部门无“三公”经费预算 / 无机关运行经费: nothing to state.
			for _, k := range []string{"three_public_total", "three_public_change", "operating_expense"} {
				if f, ok := got[k]; ok {
					t.Errorf("%s emitted from %q; the seed has none", k, f.Raw)
				}
			}
			if len(got) != len(seedFacts) {
				for k, f := range got {
					if _, ok := seedFacts[k]; !ok {
						t.Errorf("unexpected fact %s = %s (%q)", k, f.Value, f.Raw)
					}
				}
			}
		})
	}
}

// The Datong variant (hand-authored, form feeds as page breaks): values read
// in its narrative, lines 69 and 390–444, 521–525.
var datongFacts = map[string]factWant{
	"internal_divisions":                     {"5", "count", 69, "5个科室"},
	"staff_quota":                            {"398", "person", 69, "行政编制12名，事业编制386名"},
	"staff_actual":                           {"371", "person", 69, "实有在职人员371名"},
	"income_total":                           {"30356600.00", "yuan", 390, "预算收入总计3035.66万元"},
	"income_current_year":                    {"30145400.00", "yuan", 390, "本年收入3014.54万元"},
	"income_carryover":                       {"211200.00", "yuan", 390, "上年结转21.12万元"},
	"income_total_change":                    {"1592300.00", "yuan", 390, "比上年增加159.23万元"},
	"income_total_change_pct":                {"5.54", "pct", 390, "增长5.54%"},
	"expenditure_total":                      {"30356600.00", "yuan", 390, "支出总计3035.66万元"},
	"expenditure_total_change":               {"1592300.00", "yuan", 390, "比上年增加159.23万元"},
	"expenditure_total_change_pct":           {"5.54", "pct", 390, "增长5.54%"},
	"general_public_budget_income":           {"29395400.00", "yuan", 394, "一般公共预算拨款收入2939.54万元"},
	"general_public_budget_income_share_pct": {"96.83", "pct", 394, "占96.83%"},
	"government_fund_income":                 {"300000.00", "yuan", 394, "政府性基金预算拨款收入30.00万元"},
	"government_fund_income_share_pct":       {"0.99", "pct", 394, "占0.99%"},
	"state_capital_income":                   {"0", "yuan", 394, "国有资本经营预算拨款收入0万元"},
	"special_account_income":                 {"450000.00", "yuan", 394, "财政专户管理资金收入45.00万元"},
	"special_account_income_share_pct":       {"1.48", "pct", 394, "占1.48%"},
	"unit_funds_income":                      {"0", "yuan", 394, "单位资金0万元"},
	"carryover_income":                       {"211200.00", "yuan", 394, "上年结转21.12万元"},
	"carryover_income_share_pct":             {"0.70", "pct", 394, "占0.70%"},
	"basic_expenditure":                      {"27220400.00", "yuan", 398, "基本支出2722.04万元"},
	"basic_expenditure_share_pct":            {"89.67", "pct", 398, "占89.67%"},
	"project_expenditure":                    {"3136200.00", "yuan", 398, "项目支出313.62万元"},
	"project_expenditure_share_pct":          {"10.33", "pct", 398, "占10.33%"},
	"appropriation_total":                    {"29906600.00", "yuan", 402, "财政拨款收支总预算2990.66万元"},
	"general_public_budget_current":          {"29395400.00", "yuan", 408, "一般公共预算当年支出2939.54万元"},
	"general_public_budget_change":           {"1382700.00", "yuan", 408, "比上年增加138.27万元"},
	"general_public_budget_change_pct":       {"4.94", "pct", 408, "增长4.94%"},
	"personnel_expense":                      {"24734400.00", "yuan", 418, "人员经费2473.44万元"},
	"public_expense":                         {"2486000.00", "yuan", 420, "公用经费248.60万元"},
	"three_public_total":                     {"100000.00", "yuan", 424, "“三公”经费预算10.00万元"},
	"three_public_change":                    {"-6000.00", "yuan", 424, "比上年减少0.60万元"},
	"three_public_change_pct":                {"-5.66", "pct", 424, "下降5.66%"},
	"operating_expense":                      {"286400.00", "yuan", 428, "机关运行经费预算28.64万元"},
	"operating_expense_change":               {"-11200.00", "yuan", 428, "比上年减少1.12万元"},
	"operating_expense_change_pct":           {"-3.76", "pct", 428, "下降3.76%"},
	"procurement_total":                      {"426000.00", "yuan", 432, "政府采购预算总额42.60万元"},
	"procurement_goods":                      {"300000.00", "yuan", 432, "货物预算30.00万元"},
	"procurement_works":                      {"0", "yuan", 432, "工程预算0万元"},
	"procurement_services":                   {"126000.00", "yuan", 432, "服务预算12.60万元"},
	"department_performance_amount":          {"30145400.00", "yuan", 438, "涉及部门预算资金3014.54万元"},
	"performance_projects_count":             {"7", "count", 444, "二级项目7个"},
	"performance_projects_amount":            {"2925000.00", "yuan", 444, "共计金额292.50万元"},
	"vehicles_quota":                         {"2", "vehicle", 521, "公务用车编制2辆"},
	"vehicles_actual":                        {"2", "vehicle", 521, "实有2辆"},
	"office_area_m2":                         {"860", "m2", 525, "办公用房建筑总面积860平方米"},
}

func TestFactsDatong(t *testing.T) {
	for _, name := range []string{
		"datong-yungang-jiaoyu-2025-budget.txt",
		"datong-yungang-jiaoyu-2025-budget.gb18030.txt",
		"datong-yungang-jiaoyu-2025-budget.spaces.txt",
	} {
		t.Run(name, func(t *testing.T) {
			got := factsOf(t, name)
			checkFacts(t, got, datongFacts)
			// The narrative starts on form-feed page 15.
			if f := got["income_total"]; f.Page != 15 {
				t.Errorf("income_total page %d, want 15", f.Page)
			}
			// Not stated: 聘用人员, large equipment.
			for _, k := range []string{"contract_staff", "large_equipment_count"} {
				if f, ok := got[k]; ok {
					t.Errorf("%s emitted from %q; the text does not state it", k, f.Raw)
				}
			}
		})
	}
}

func factLines(texts ...string) []extract.Line {
	var ls []extract.Line
	for i, t := range texts {
		ls = append(ls, extract.Line{Page: 1, No: i + 1, Text: t, Tabbed: strings.Contains(t, "\t")})
	}
	return ls
}

// A paragraph of another department, with half-width punctuation, a number
// wrapped onto the next line, thousands separators, full-width digits,
// Chinese numerals and 增长/增加/上升 wording.
func TestFactsHandWritten(t *testing.T) {
	got := factMap(t, ExtractFacts(factLines(
		"一、收支预算总体情况",                            // 1
		"2025年度某某局收入预算总计1,234.50万元,其中:本年收入1,20", // 2
		"0.00万元,上年结转34.50万元,较上年增长100.00万元,增长8.82%;支出预算总计1,234.50万元,与上年相比增加100.00万元,上升8.82%.", // 3
		"",
		"二、收入预算情况说明", // 5
		"收入预算1,234.50万元,其中一般公共预算拨款收入1,000.00万元,占81.00%;上年结转34.50万元,占2.79%.", // 6
		"三、一般公共预算支出情况说明",                                     // 7
		"2025年一般公共预算财政拨款支出预算1,000.00万元,同比增加50.00万元,增长5.26%.", // 8
		"四、\"三公\"经费增减变动原因说明",                                 // 9
		"2025年\"三公\"经费预算为12.5万元,比上年增加2.5万元,增长25%.",           // 10
		"五、机关运行经费",                                           // 11
		"机关运行经费预算8.00万元,与上年持平.",                              // 12
		"六、机构设置情况",                                           // 13
		"本局下设六个科室,核定编制二十名,实有人员18人,编外人员3人.",                   // 14
		"七、政府采购情况",                                           // 15
		"政府采购预算合计20万元,其中货物类15万元,工程类0万元,服务类5万元.",              // 16
		"八、国有资产占有使用情况",                                       // 17
		"截至2024年12月31日,共有公务用车编制3辆,实有2辆;办公用房面积１２０．５平方米.",      // 18
	)))
	checkFacts(t, got, map[string]factWant{
		"income_total":                           {"12345000", "yuan", 2, "收入预算总计1,234.50万元"},
		"income_current_year":                    {"12000000", "yuan", 2, "本年收入1,200.00万元"},
		"income_carryover":                       {"345000", "yuan", 3, "上年结转34.50万元"},
		"income_total_change":                    {"1000000", "yuan", 3, "较上年增长100.00万元"},
		"income_total_change_pct":                {"8.82", "pct", 3, "增长8.82%"},
		"expenditure_total":                      {"12345000", "yuan", 3, "支出预算总计1,234.50万元"},
		"expenditure_total_change":               {"1000000", "yuan", 3, "与上年相比增加100.00万元"},
		"expenditure_total_change_pct":           {"8.82", "pct", 3, "上升8.82%"},
		"general_public_budget_income":           {"10000000", "yuan", 6, "一般公共预算拨款收入1,000.00万元"},
		"general_public_budget_income_share_pct": {"81.00", "pct", 6, "占81.00%"},
		"carryover_income":                       {"345000", "yuan", 6, "上年结转34.50万元"},
		"carryover_income_share_pct":             {"2.79", "pct", 6, "占2.79%"},
		"general_public_budget_current":          {"10000000", "yuan", 8, "一般公共预算财政拨款支出预算1,000.00万元"},
		"general_public_budget_change":           {"500000", "yuan", 8, "同比增加50.00万元"},
		"general_public_budget_change_pct":       {"5.26", "pct", 8, "增长5.26%"},
		"three_public_total":                     {"125000", "yuan", 10, "\"三公\"经费预算为12.5万元"},
		"three_public_change":                    {"25000", "yuan", 10, "比上年增加2.5万元"},
		"three_public_change_pct":                {"25", "pct", 10, "增长25%"},
		"operating_expense":                      {"80000", "yuan", 12, "机关运行经费预算8.00万元"},
		"operating_expense_change":               {"0", "yuan", 12, "与上年持平"},
		"internal_divisions":                     {"6", "count", 14, "下设六个科室"},
		"staff_quota":                            {"20", "person", 14, "核定编制二十名"},
		"staff_actual":                           {"18", "person", 14, "实有人员18人"},
		"contract_staff":                         {"3", "person", 14, "编外人员3人"},
		"procurement_total":                      {"200000", "yuan", 16, "政府采购预算合计20万元"},
		"procurement_goods":                      {"150000", "yuan", 16, "货物类15万元"},
		"procurement_works":                      {"0", "yuan", 16, "工程类0万元"},
		"procurement_services":                   {"50000", "yuan", 16, "服务类5万元"},
		"vehicles_quota":                         {"3", "vehicle", 18, "公务用车编制3辆"},
		"vehicles_actual":                        {"2", "vehicle", 18, "实有2辆"},
		"office_area_m2":                         {"120.5", "m2", 18, "办公用房面积１２０．５平方米"},
	})
	// 上年结转 of the totals statement is not a share of income: only the
	// one with 占 in 收入预算情况说明 is carryover_income.
	if f := got["income_carryover"]; f.Line != 3 {
		t.Errorf("income_carryover from line %d", f.Line)
	}
}

// A sentence cut by a page break (blank lines) still reads as one, and a
// percent-only change (比上年下降) gives just the percent.
func TestFactsPageBreakAndPercentOnly(t *testing.T) {
	got := factMap(t, ExtractFacts(factLines(
		"五、一般公共预算支出情况说明",
		"2026年度某某单位一般公共预算当年支出330.2",
		"",
		"3万元，比上年下降15.44%。",
		"七、“三公”经费增减变动原因说明",
		"本部门无“三公”经费预算。",
	)))
	checkFacts(t, got, map[string]factWant{
		"general_public_budget_current":    {"3302300", "yuan", 2, "一般公共预算当年支出330.2"},
		"general_public_budget_change_pct": {"-15.44", "pct", 4, "比上年下降15.44%"},
	})
	for _, k := range []string{"general_public_budget_change", "three_public_total"} {
		if f, ok := got[k]; ok {
			t.Errorf("%s emitted from %q", k, f.Raw)
		}
	}
}

// The staffing cells of the department form, when the narrative is silent.
func TestFactsForm(t *testing.T) {
	got := factMap(t, ExtractFacts(factLines(
		"部门基本信息\t部门名称\t001-某某局\t\t",
		"\t内设职能部门数\t3个\t所属预算单位数\t0个",
		"\t核定的人员编制数\t12人\t实际在职人员总数\t11人",
		"其他人员数\t\t\t2人\t",
	)))
	checkFacts(t, got, map[string]factWant{
		"internal_divisions": {"3", "count", 2, "内设职能部门数"},
		"staff_quota":        {"12", "person", 3, "核定的人员编制数"},
		"staff_actual":       {"11", "person", 3, "实际在职人员总数"},
		"contract_staff":     {"2", "person", 4, "其他人员数"},
	})
}
