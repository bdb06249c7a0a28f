package transform

import (
	"strings"
	"testing"

	"github.com/gongkai/gongkai/extract"
)

// A list of project forms (Beijing's 预算12表 项目支出绩效目标表): a row a
// project, its indicators in the rows below, continued across pages under
// the repeated title and header. Each project is a form of its own, named
// without the code printed before it, its 项目总额 in the list's unit; the
// header's labels are no project.
func TestFormList(t *testing.T) {
	text := strings.Join([]string{
		"预算12表 项目支出绩效目标表",
		"金额单位：万元",
		"项目名称\t项目总额\t其中：\t\t绩效目标\t一级指标\t二级指标\t三级指标\t绩效指标性质\t本年绩效指标值\t绩效度量单位",
		"\t\t财政资金\t其他资金\t\t\t\t\t\t\t",
		"11000022T000000444194-法律援助办案补贴\t560.000000\t560.000000\t\t确保法律援助工作顺利进行",
		"\t\t\t\t\t效益指标\t社会效益指标\t挽回经济损失\t≥\t3000\t万元",
		"\f预算12表 项目支出绩效目标表",
		"金额单位：万元",
		"项目名称\t项目总额\t其中：\t\t绩效目标\t一级指标\t二级指标\t三级指标\t绩效指标性质\t本年绩效指标值\t绩效度量单位",
		"\t\t\t\t\t产出指标\t数量指标\t补贴案件数\t＝\t800\t件",
		"11000022T000000444210-法律援助值班补贴\t1,582.550000\t1,582.550000\t\t调动值班律师的积极性",
		"\t\t\t\t\t产出指标\t数量指标\t补贴值班律师人次\t≥\t3.1\t万人次",
	}, "\n")
	doc, err := extract.ReadText("list.txt", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	forms := parseForms(doc.Lines)
	if len(forms) != 2 {
		t.Fatalf("%d forms, want 2: %+v", len(forms), forms)
	}
	want := []struct {
		name, amount string
		inds         []string
	}{
		{"法律援助办案补贴", "5600000", []string{"挽回经济损失 >=3000万元", "补贴案件数 =800件"}},
		{"法律援助值班补贴", "15825500", []string{"补贴值班律师人次 >=3.1万人次"}},
	}
	for i, w := range want {
		f := forms[i]
		if f.ProjectNameRaw != w.name || f.AnnualFunding == nil || f.AnnualFunding.String() != w.amount {
			t.Errorf("form %d: %q %v, want %q %s", i, f.ProjectNameRaw, f.AnnualFunding, w.name, w.amount)
		}
		var got []string
		for _, ind := range f.Indicators {
			got = append(got, ind.Level3+" "+ind.TargetOp+ind.TargetValue.String()+ind.TargetUnit)
			if ind.Horizon != "annual" {
				t.Errorf("form %d: indicator %s horizon %s, want annual", i, ind.Level3, ind.Horizon)
			}
		}
		if strings.Join(got, "|") != strings.Join(w.inds, "|") {
			t.Errorf("form %d indicators %q, want %q", i, got, w.inds)
		}
	}
}
