package transform

import (
	"slices"
	"strings"
	"testing"
)

// A figure in words is exact to one unit of its last printed digit.
func TestStatedUnit(t *testing.T) {
	for raw, want := range map[string]string{
		"2,106.66万元": "100", "3, 130万元": "10000", "18,728.9 万元": "1000", "5.5亿元": "10000000", "1,234.56元": "0.01", "12元": "1",
		"no figure": "1",
	} {
		if got := statedUnit(raw); got.String() != want {
			t.Errorf("statedUnit(%q) = %s, want %s", raw, got, want)
		}
	}
}

// finalDoc is a made-up 决算: its tables total in 总计 rows (the 决算
// template), its narrative is letter-spaced and set with runs of spaces as
// office PDFs print it, and it states the appropriations' total and a 类's
// share wrongly.
const finalDoc = "东城区财政局2024年度部门决算\n目录\n" +
	"第二部分  2024年度部门决算表\n" +
	"收入支出决算总表\n部门：东城区财政局\n单位：万元\n收入\t\t支出\t\n项目\t决算数\t项目\t决算数\n" +
	"一、一般公共预算财政拨款收入\t100.00\t一、一般公共服务支出\t80.00\n" +
	"二、其他收入\t10.00\t二、住房保障支出\t20.00\n" +
	"本年收入合计\t110.00\t本年支出合计\t100.00\n" +
	"年初结转和结余\t5.00\t年末结转和结余\t15.00\n" +
	"总计\t115.00\t总计\t115.00\n" +
	"财政拨款收入支出决算总表\n单位：万元\n收入\t\t支出\t\n项目\t决算数\t项目\t决算数\n" +
	"一、一般公共预算财政拨款\t100.00\t一、一般公共服务支出\t80.00\n" +
	"\t\t二、住房保障支出\t20.00\n" +
	"本年收入合计\t100.00\t本年支出合计\t100.00\n" +
	"总计\t100.00\t总计\t100.00\n" +
	"一般公共预算财政拨款支出决算表\n单位：万元\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n" +
	"\t合计\t100.00\t70.00\t30.00\n201\t一般公共服务支出\t80.00\t50.00\t30.00\n221\t住房保障支出\t20.00\t20.00\t\n" +
	"第三部分  东城区财政局2024年度部门决算情况说明\n" +
	"一、收入支出决算总体情况说明\n" +
	"东城 区财政局2024年度收入支出总计115. 00万元。       与2023年度相 比，  收入\n" +
	"支出总计减少5. 00万元，    下降4.17%。主要原因是人员减少。\n" +
	"二、财政拨款收入支出决算总体情况说明\n" +
	"东城区财政局2024年度财政拨款收入支出总计0.3万元。        与2023年度相 比，\n" +
	"财政拨款收入支出总计持平。\n" +
	"三、一般公共预算财政拨款支出决算情况说明\n" +
	"一般公共预算财政拨款支出100. 00万元，      主要用 于以下方面：  一般公共服务支出\n" +
	" （类） 80. 00万元，  占81.00%；  住房保障支出  （类） 20. 00万元，  占20.00%。\n"

// On a 决算: the two misstatements are found, on their own lines and
// quoting their words, and nothing else — the balance checks run on the
// 总计 rows (no check.skipped), the totals stated in letter-spaced words
// agree, and one misstated share is one finding, not two.
func TestFinalNarrativeChecks(t *testing.T) {
	res := parseText(t, finalDoc)
	var got []string
	for _, f := range res.Findings {
		if strings.HasSuffix(f.CheckID, ".rounding") || f.CheckID == "table.missing" {
			continue
		}
		got = append(got, f.CheckID)
		switch f.CheckID {
		case "narrative.appropriation_total":
			if !strings.Contains(f.Message, "0.3万元") || f.Expected != "1000000.00" || f.Actual != "3000.00" {
				t.Errorf("appropriation total finding %+v", f)
			}
		case "narrative.share":
			if !strings.Contains(f.Message, "占81.00%") || f.Expected != "80.00" {
				t.Errorf("share finding %+v", f)
			}
		}
	}
	slices.Sort(got)
	if want := []string{"narrative.appropriation_total", "narrative.share"}; !slices.Equal(got, want) {
		t.Errorf("findings %q, want %q: %+v", got, want, res.Findings)
	}
	for _, key := range []string{"expenditure_total", "expenditure_total_change", "appropriation_total", "general_public_budget_class_201_share_pct"} {
		if _, ok := res.fact(key); !ok {
			t.Errorf("fact %s not read from the letter-spaced narrative", key)
		}
	}
}

// A balance check whose rows the document does not print is recorded as
// skipped, not passed in silence.
func TestBalanceSkippedIsVisible(t *testing.T) {
	doc := "东城区财政局2024年度部门决算\n收入支出决算总表\n单位：万元\n收入\t\t支出\t\n项目\t决算数\t项目\t决算数\n" +
		"一、一般公共预算财政拨款收入\t100.00\t一、一般公共服务支出\t100.00\n"
	res := parseText(t, doc)
	found := false
	for _, f := range res.Findings {
		found = found || f.CheckID == "check.skipped" && strings.Contains(f.Message, "balance.totals") && f.Severity == "info"
	}
	if !found {
		t.Errorf("no check.skipped for balance.totals: %+v", res.Findings)
	}
}

// The 目录 says which tables a document holds: a table it lists and the
// document does not print is missing; one the template has and the 目录
// does not list is not.
func TestMissingTablesByContents(t *testing.T) {
	toc := "东城区财政局2024年度部门决算\n目录\n一、收入支出决算总表\n二、财政拨款收入支出决算总表\n三、一般公共预算财政拨款支出决算表\n四、政府性基金预算财政拨款收入支出决算表\n"
	res := parseText(t, strings.Replace(finalDoc, "东城区财政局2024年度部门决算\n目录\n", toc, 1))
	var missing []string
	for _, f := range res.Findings {
		if f.CheckID == "table.missing" {
			missing = append(missing, f.TableKey)
		}
	}
	if want := []string{KeyGovFundSummary}; !slices.Equal(missing, want) {
		t.Errorf("missing %q, want %q", missing, want)
	}
}

// 人员经费 is 301 and 303, 公用经费 302 and 310: a 303 item printed under
// 公用经费 is told (info) at its own row, once — not again at its class.
func TestEconomicSplit(t *testing.T) {
	doc := outlineDoc + "2026年一般公共预算基本支出表\n单位：万元\n" +
		"科目编码\t科目名称\t合计\t人员经费\t公用经费\n" +
		"\t合计\t100.00\t75.00\t25.00\n" +
		"301\t工资福利支出\t70.00\t70.00\t\n" +
		"30101\t基本工资\t70.00\t70.00\t\n" +
		"302\t商品和服务支出\t20.00\t\t20.00\n" +
		"30201\t办公费\t20.00\t\t20.00\n" +
		"303\t对个人和家庭的补助\t10.00\t5.00\t5.00\n" +
		"30399\t其他对个人和家庭的补助\t10.00\t5.00\t5.00\n"
	res := parseText(t, doc)
	var got []string
	for _, f := range res.Findings {
		if f.CheckID == "sum.economic_split" {
			got = append(got, f.Severity+" "+f.Actual+" "+f.Message[strings.Index(f.Message, " ")+1:])
		}
	}
	want := []string{"info 50000.00 30399 其他对个人和家庭的补助 prints 50000.00 under 公用经费; the template counts class 303 as 人员经费"}
	if !slices.Equal(got, want) {
		t.Errorf("findings\n got %q\nwant %q", got, want)
	}
}

// Without a 目录 of tables, tables that number themselves (表1 … 表3) are
// the document's own plan: fewer tables than the template's is no table
// missing; a number skipped is.
func TestMissingTablesByNumbering(t *testing.T) {
	for _, c := range []struct {
		numbers [3]string
		want    []string
	}{
		{[3]string{"表1", "表2", "表3"}, nil},
		{[3]string{"表1", "表2", "表4"}, []string{"表3"}},
	} {
		doc := finalDoc
		for i, title := range []string{"收入支出决算总表\n", "财政拨款收入支出决算总表\n", "一般公共预算财政拨款支出决算表\n"} {
			doc = strings.Replace(doc, title, c.numbers[i]+" "+title, 1)
		}
		var missing []string
		for _, f := range parseText(t, doc).Findings {
			if f.CheckID == "table.missing" {
				missing = append(missing, f.Expected)
			}
		}
		if !slices.Equal(missing, c.want) {
			t.Errorf("tables numbered %v: missing %q, want %q", c.numbers, missing, c.want)
		}
	}
}
