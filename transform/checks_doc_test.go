package transform

import (
	"slices"
	"strings"
	"testing"
)

// findingsOf lists the findings of the given check ids as "id page actual".
func findingsOf(res *Result, ids ...string) []Finding {
	var out []Finding
	for _, f := range res.Findings {
		if slices.Contains(ids, f.CheckID) {
			out = append(out, f)
		}
	}
	return out
}

// docChecks are the check ids of checks_doc.go and the “三公” text.
var docChecks = []string{"text.comparison", "text.completion", "text.department_name", "text.reason_missing", "text.year", "text.placeholder", "text.unit", "text.zero_total",
	"three_public.text", "three_public.blank_table", "table.empty_unexplained"}

// withNarrative is finalDoc (a made-up 决算, checks_test.go) with more
// paragraphs of narrative at its end.
func withNarrative(paras ...string) string {
	return finalDoc + strings.Join(paras, "\n") + "\n"
}

// The words of a sentence against the figures they compare: 决算数大于预算数
// where the outturn is the smaller is found, quoting the words; a right
// word is not; the 全年预算 is the budget the outturn is compared with when
// both are stated; a difference without its 原因 is found.
func TestComparisonWords(t *testing.T) {
	cases := []struct {
		name, para string
		want       []string // check id and actual
	}{
		{"flipped", "四、一般公共预算财政拨款支出决算具体情况\n一般公共服务支出（类）。年初预算为 1560.05 万元，   支出决算为 1511.89万\n元。  决算数大于预算数的主要原 因 ：  人员进出及退休变化。",
			[]string{"text.comparison 大于"}},
		{"right", "四、一般公共预算财政拨款支出决算具体情况\n年初预算为 1560.05 万元，支出决算为 1511.89万元。决算数小于预算数的主要原因：人员变化。",
			nil},
		{"equal", "四、一般公共预算财政拨款支出决算具体情况\n年初预算为 10.00 万元，支出决算为 10.00万元。决算数与预算数基本持平。",
			nil},
		{"equal words, unequal figures", "四、一般公共预算财政拨款支出决算具体情况\n年初预算为 10.00 万元，支出决算为 12.00万元。决算数与预算数持平。",
			[]string{"text.comparison 持平"}},
		{"the words on a line of their own", "四、一般公共预算财政拨款支出决算具体情况\n年初预算为 10.00 万元，支出决算为 12.00万元。\n决算数与预算数持平。",
			[]string{"text.comparison 持平"}},
		{"adjusted budget", "四、一般公共预算财政拨款支出决算具体情况\n年初预算为 0 万元，全年预算为 321.02 万元，支出决算为 307.82 万元。决算数小于预算数的主要原因：人员经费支出数小于预算数。",
			nil},
		{"no reason", "四、一般公共预算财政拨款支出决算具体情况\n年初预算为 135.90万元，支出决算为 135.25万元。决算数小于预算数。",
			[]string{"text.reason_missing 决算数小于预算数"}},
		{"directions disagree", "五、其他说明\n本年收入合计110.00万元，比上年减少5.00万元，增长4.76%。",
			[]string{"text.comparison 减少/增长"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := parseText(t, withNarrative(c.para))
			var got []string
			for _, f := range findingsOf(res, docChecks...) {
				got = append(got, f.CheckID+" "+f.Actual)
				if f.Page == 0 && f.Line == 0 || !strings.Contains(f.Message, "\"") {
					t.Errorf("finding without its place or quoted words: %+v", f)
				}
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("findings %q, want %q", got, c.want)
			}
		})
	}
}

// Years against the fiscal year and stage, and placeholders left in.
func TestYearsAndPlaceholders(t *testing.T) {
	cases := []struct {
		name, doc string
		want      []string
	}{
		{"heading", strings.Replace(finalDoc, "第三部分  东城区财政局2024年度", "第三部分  东城区财政局2023年度", 1), []string{"text.year 2023"}},
		{"comparison year", withNarrative("五、其他说明\n本年收入合计110.00万元，与2022年度相比，减少5.00万元。"), []string{"text.year 2022"}},
		{"as of", withNarrative("五、国有资产占有使用情况\n截至2023年12月31日，共有车辆2辆。"), []string{"text.year 2023"}},
		{"as of, right", withNarrative("五、国有资产占有使用情况\n截至2024年12月31日，共有车辆2辆。"), nil},
		{"placeholder", withNarrative("五、其他说明\nXX局2024年度无其他重要事项。"), []string{"text.placeholder XX"}},
		{"another department", withNarrative("五、其他说明\n2024年度东城区民政局收入支出总计115.00万元。"), []string{"text.department_name 东城区民政局"}},
		{"another, not a 局", withNarrative("五、其他说明\n2024年度东城区残疾人联合会支出预算115.00万元。"), []string{"text.department_name 东城区残疾人联合会"}},
		{"an abbreviation", withNarrative("五、其他说明\n2024年度区财政局收入支出总计115.00万元。"), nil},
		{"placeholder ××", withNarrative("五、其他说明\n本年度××项目待填写。"), []string{"text.placeholder ××"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := parseText(t, c.doc)
			var got []string
			for _, f := range findingsOf(res, docChecks...) {
				got = append(got, f.CheckID+" "+f.Actual)
				if f.Line == 0 {
					t.Errorf("finding without its line: %+v", f)
				}
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("findings %q, want %q", got, c.want)
			}
		})
	}
}

// budgetDoc is a made-up 预算 with a “三公” table, an empty 国有资本经营
// table and a narrative; the test cases change it.
const budgetDoc = "东城区民政局\n2026年度部门预算公开\n" +
	"第二部分 2026年部门预算报表\n" +
	"2026年国有资本经营预算支出表\n部门名称：东城区民政局\n单位：万元\n" +
	"科目编码\t科目名称\t合计\t基本支出\t项目支出\n合计\t\t\t\t\n" +
	"{NOTE}" +
	"2026年财政拨款安排“三公”经费支出预算表\n部门名称：东城区民政局\n单位：万元\n" +
	"项目\t2026年预算数\t\t\t\n\t合计\t一般公共预算\t政府性基金预算\t国有资本经营预算\n" +
	"{THREE}" +
	"第三部分 2026年度部门预算情况说明\n" +
	"一、“三公”经费增减变动原因说明\n" +
	"2026年东城区民政局“三公”经费预算12.00万元，其中：因公出国（境）费0万元；公务接待费2.00万元；公务用车购置及运行费10.00万元（其中：公务用车购置费0万元，公务用车运行维护费10.00万元）。\n" +
	"二、其他说明\n{SAY}\n"

var threeRows = "合计\t12.00\t12.00\t\t\n因公出国（境）费\t\t\t\t\n公务接待费\t2.00\t2.00\t\t\n公务用车购置及运行费\t10.00\t10.00\t\t\n" +
	"①公务用车购置费\t\t\t\t\n②公务用车运行维护费\t10.00\t10.00\t\t\n"

func budgetWith(note, three, say string) string {
	return strings.NewReplacer("{NOTE}", note, "{THREE}", three, "{SAY}", say).Replace(budgetDoc)
}

// Empty tables carry their 空表说明 (in or under the table, or in the
// narrative); a “三公” table left blank while the narrative states figures
// is found; each “三公” figure of the narrative against its row.
func TestEmptyTablesAndThreePublic(t *testing.T) {
	cases := []struct {
		name, doc string
		want      []string
	}{
		{"all well", budgetWith("注：本表无数据\n", threeRows, "无。"), nil},
		{"narrative says none", budgetWith("", threeRows, "本部门无国有资本经营预算拨款收支。"), nil},
		{"no 空表说明", budgetWith("", threeRows, "无。"), []string{"table.empty_unexplained state_capital"}},
		{"三公 blank", budgetWith("注：本表无数据\n", "合计\t\t\t\t\n因公出国（境）费\t\t\t\t\n公务接待费\t\t\t\t\n", "无。"),
			[]string{"three_public.blank_table three_public"}},
		{"三公 part differs", budgetWith("注：本表无数据\n", strings.Replace(threeRows, "公务接待费\t2.00\t2.00", "公务接待费\t3.00\t3.00", 1), "无。"),
			[]string{"three_public.text three_public"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := parseText(t, c.doc)
			var got []string
			for _, f := range findingsOf(res, docChecks...) {
				got = append(got, f.CheckID+" "+f.TableKey)
				if f.Page == 0 && f.Line == 0 {
					t.Errorf("finding without its place: %+v", f)
				}
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("findings %q, want %q\n%+v", got, c.want, res.Findings)
			}
		})
	}
}

// A figure stated in 元 where the table prints it in 万元 is a unit slip,
// and a stated 0 beside a table that prints a figure is a finding of its own.
func TestUnitsAndZeroTotals(t *testing.T) {
	unit := strings.Replace(finalDoc, "收入支出总计115. 00万元", "收入支出总计115. 00元", 1)
	zero := strings.Replace(finalDoc, "收入支出总计115. 00万元", "收入支出总计0万元", 1)
	for name, c := range map[string]struct{ doc, want string }{"unit": {unit, "text.unit"}, "zero": {zero, "text.zero_total"}} {
		res := parseText(t, c.doc)
		var got []string
		for _, f := range res.Findings {
			if strings.HasPrefix(f.CheckID, "text.") || f.CheckID == "narrative.expenditure_total" || f.CheckID == "narrative.income_total" {
				got = append(got, f.CheckID)
			}
		}
		if !slices.Contains(got, c.want) || slices.Contains(got, "narrative.expenditure_total") {
			t.Errorf("%s: findings %q, want %s and no narrative.expenditure_total", name, got, c.want)
		}
	}
}

// The “三公” table's parts add up (issue 14, item 5): 合计 = 因公出国（境）费 +
// 公务接待费 + 公务用车购置及运行费, and 公务用车购置及运行费 = 购置费 + 运行费;
// the table's sums report either broken.
func TestThreePublicParts(t *testing.T) {
	for name, rows := range map[string]string{
		"合计":   strings.Replace(threeRows, "合计\t12.00\t12.00", "合计\t13.00\t13.00", 1),
		"用车":   strings.Replace(threeRows, "②公务用车运行维护费\t10.00\t10.00", "②公务用车运行维护费\t9.00\t9.00", 1),
		"none": threeRows,
	} {
		res := parseText(t, budgetWith("注：本表无数据\n", rows, "无。"))
		var got []string
		for _, f := range res.Findings {
			if f.TableKey == KeyThreePublic && strings.HasPrefix(f.CheckID, "sum.") {
				got = append(got, f.CheckID)
			}
		}
		if name == "none" && len(got) > 0 || name != "none" && len(got) == 0 {
			t.Errorf("%s: sum findings %q", name, got)
		}
		t.Logf("%s: %q", name, got)
	}
}

// A stated completion rate against outturn / budget, and a rate of a
// budget of 0 (peer rule R004).
func TestCompletionRate(t *testing.T) {
	for _, c := range []struct{ para, want string }{
		{"年初预算为2993.92万元，支出决算为2940.05万元，完成年初预算的98.20%。决算数小于预算数的主要原因：调减。", ""},
		{"年初预算为2993.92万元，支出决算为2940.05万元，完成年初预算的96.20%。决算数小于预算数的主要原因：调减。", "98.20"},
		{"年初预算为 0 万元，全年预算为 321.02 万元，支出决算为 307.82 万元，完成年初预算的 95.89%。决算数小于预算数的主要原因：人员变动。", "a budget above 0"},
		{"年初预算为 0 万元，全年预算为 321.02 万元，支出决算为 307.82 万元，完成全年预算的 95.89%。决算数小于预算数的主要原因：人员变动。", ""},
	} {
		res := parseText(t, withNarrative("四、一般公共预算财政拨款支出决算具体情况\n"+c.para))
		got := ""
		for _, f := range findingsOf(res, "text.completion") {
			got = f.Expected
		}
		if got != c.want {
			t.Errorf("%q: text.completion expected %q, want %q", c.para, got, c.want)
		}
	}
}

// 决算比年初预算增加/减少 is a comparison word too.
func TestComparisonByChange(t *testing.T) {
	for para, want := range map[string]int{
		"年初预算为100.00万元，支出决算为90.00万元，比年初预算减少10.00万元，主要原因是节约。": 0,
		"年初预算为100.00万元，支出决算为90.00万元，比年初预算增加10.00万元，主要原因是节约。": 1,
		"年初预算为0万元，支出决算为0万元，比年初预算数增加0万元，主要是因为新成立单位。":          0,
	} {
		res := parseText(t, withNarrative("四、一般公共预算财政拨款支出决算具体情况\n"+para))
		if got := len(findingsOf(res, "text.comparison")); got != want {
			t.Errorf("%q: %d text.comparison findings, want %d", para, got, want)
		}
	}
}

// A 决算's overall statement of a change against the year before gives its
// reason.
func TestChangeReason(t *testing.T) {
	doc := strings.Replace(finalDoc, "主要原因是人员减少。", "", 1)
	res := parseText(t, doc)
	got := findingsOf(res, "text.reason_missing")
	if len(got) != 1 || !strings.Contains(got[0].Message, "减少5. 00万元") {
		t.Errorf("text.reason_missing %+v, want one quoting 减少5. 00万元", got)
	}
	if n := len(findingsOf(parseText(t, finalDoc), "text.reason_missing")); n != 0 {
		t.Errorf("%d text.reason_missing with the reason stated", n)
	}
}
