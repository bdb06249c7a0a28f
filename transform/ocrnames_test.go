package transform

import (
	"testing"

	"github.com/gongkai/gongkai/extract"
)

func TestOCRAmountText(t *testing.T) {
	p := &tableParser{res: &Result{}}
	for raw, want := range map[string]string{
		"、346.38":       "346.38",
		"。30.00":        "30.00",
		"217.50.":       "217.50",
		"3.035.66":      "3,035.66",
		"3,.035.66":     "3,035.66",
		"22.186.440.80": "22,186,440.80",
		"2;960.66":      "2,960.66",
		"、217:50":       "217.50",
		"1.75":          "1.75",
		"12.3.4":        "12.3.4", // no digit groups of three: left to fail as not an amount
	} {
		if got := p.ocrAmountText(raw, extract.Row{}); got != want {
			t.Errorf("ocrAmountText(%q) = %q, want %q", raw, got, want)
		}
	}
	// Specks alone are no correction; separators put back are.
	n := 0
	for _, c := range p.res.Corrections {
		if c.Rule == "ocr.punctuation" {
			n++
		}
	}
	if n != 5 {
		t.Errorf("%d ocr.punctuation corrections, want 5: %+v", n, p.res.Corrections)
	}
}

func TestClassifyTitleOCR(t *testing.T) {
	for line, want := range map[string]string{
		"2026年预算收支 表":                   KeySummary,
		"2026年项目支出预算条 (上年结转)":           KeyProjectCarryover,
		"表十三 2025 年项目支出预算表 年结转)":        KeyProjectCarryover,
		"支出预算表-( 上年结转 )":                KeyProjectCarryover,
		"机关运行双费预算表":                     KeyOperatingExpense,
		"2026年一般公共预算基本支出分双济科目表〈不含上年结转)": KeyBasicByEconomic,
		"2026年预算收支":                     "", // too far from any table's name
		"一般公共预算支出情况说明":                  "",
		"表一 2026 年预算收支总表":               KeySummary,
	} {
		if got := classifyTitleOCR(line); got != want {
			t.Errorf("classifyTitleOCR(%q) = %q, want %q", line, got, want)
		}
	}
}

func TestCleanOCRName(t *testing.T) {
	for raw, want := range map[string]string{
		"党委办公厅〈室)及相关机构事务":      "党委办公厅（室）及相关机构事务",
		"党委办公厅(〈室)及相关机构事务":     "党委办公厅（室）及相关机构事务",
		"“其他党委办公厅(室)及相关机构事务支出": "其他党委办公厅（室）及相关机构事务支出",
		"本年支出合计。":              "本年支出合计",
		"-、一般公共预算":             "一般公共预算",
		"教育管理事务，":              "教育管理事务",
	} {
		if got := cleanOCRName(raw); got != want {
			t.Errorf("cleanOCRName(%q) = %q, want %q", raw, got, want)
		}
	}
}

// 单位：万元 read on the 部门名称 line with its colon misread is not part of
// the department's name; a name ending in 单位 keeps it.
func TestUnitTail(t *testing.T) {
	for in, want := range map[string]string{
		"大同市云冈区教育局单位;万元": "大同市云冈区教育局",
		"大同市云冈区教育局单位：":   "大同市云冈区教育局",
		"某某区机关事务服务单位":    "某某区机关事务服务单位",
	} {
		if got := unitTail.ReplaceAllString(in, ""); got != want {
			t.Errorf("%q → %q, want %q", in, got, want)
		}
	}
}

// A header label that is part of a keyword (经费 with its 人员 lost) is the
// one such measure no other column has, not the group header's 合计.
func TestPartialHeaderLabel(t *testing.T) {
	cols := analyzeHeader(KeyBasicByEconomic, [][]string{
		{"科目名称", "2026年预算数", "", ""},
		{"", "合计", "经费", "公用经费"},
	}, 4)
	want := []string{"", "total", "personnel", "public_expense"}
	for c, w := range want {
		if cols[c].measure != w {
			t.Errorf("column %d (%v) measure = %q, want %q", c, cols[c].path, cols[c].measure, w)
		}
	}
}

func TestIsSpeck(t *testing.T) {
	for s, want := range map[string]bool{"2": true, ".2": true, ",5": true, "30": true, "0": true,
		"0.01": false, "2.50": false, "1253": false, "346.38": false, "3,035.66": false} {
		if got := isSpeck(s); got != want {
			t.Errorf("isSpeck(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestOCRTotalName(t *testing.T) {
	for raw, want := range map[string]string{
		"计":          "合计",
		"支出总计了":      "支出总计",
		"务接待费":       "公务接待费",
		"2公务用车运行维护费": "公务用车运行维护费",
		"本年合计收入":     "本年收入合计",
		"上年财政拨款":     "上年财政拨款结转",
		"年结转":        "上年结转",
		"上年":         "上年", // the start of several labels, and too short
		"教育支出":       "教育支出",
	} {
		p := &tableParser{res: &Result{}}
		lab := label{name: raw}
		p.ocrTotalName(&lab, extract.Row{})
		if lab.name != want {
			t.Errorf("ocrTotalName(%q) = %q, want %q", raw, lab.name, want)
		}
		if (lab.name != raw) != (len(p.res.Corrections) == 1) {
			t.Errorf("ocrTotalName(%q): corrections %+v", raw, p.res.Corrections)
		}
	}
}
