package transform

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func yuan(raw string) decimal.Decimal {
	d, _ := ParseAmount(raw, decimal.NewFromInt(10000))
	return d
}

// testCols are the columns of the test tables: 合计, then its parts.
var testCols = map[string]int{"total": 2, "basic": 3, "project": 4, "general_public_budget": 3, "government_fund": 4}

// testSums: in the test tables, 合计 is the sum of the other two columns.
var testSums = map[string][]colSum{KeyExpenditure: {{2, []int{3, 4}}}, KeyIncome: {{2, []int{3, 4}}}}

func line(code, name, measure, raw string, no int) Line {
	return Line{TableKey: KeyExpenditure, ItemCode: code, ItemName: name, ItemLevel: levelOf(code), Measure: measure, AmountYuan: yuan(raw), Raw: raw, Line: no,
		col: testCols[measure]}
}

// A misread amount that breaks the sums it takes part in, where exactly one
// OCR-plausible reading restores them all, is repaired with a correction.
func TestArithmeticRepairsOneMisreading(t *testing.T) {
	res := &Result{Tables: []SourceTable{{TableKey: KeyExpenditure, Unit: "万元"}}}
	res.Lines = []Line{
		line("201", "一般公共服务支出", "total", "305.64", 1),
		line("20131", "党委办公厅（室）及相关机构事务", "total", "294.84", 2),
		line("20132", "组织事务", "total", "0.22", 3),
		line("20139", "社会工作事务", "total", "1057", 4), // 10.57 with its decimal point lost
		line("201", "一般公共服务支出", "basic", "110.68", 1),
		line("201", "一般公共服务支出", "project", "194.96", 1),
		line("20139", "社会工作事务", "project", "10.57", 4),
	}
	repairArithmetic(res)
	if got := res.Lines[3].AmountYuan; !got.Equal(yuan("10.57")) {
		t.Fatalf("20139 total = %s, want 105700 (10.57 万元)", got)
	}
	if len(res.Corrections) != 1 || res.Corrections[0].Raw != "1057" || res.Corrections[0].Normalized != "10.57" ||
		res.Corrections[0].Rule != "ocr.arithmetic" || res.Corrections[0].Evidence == "" {
		t.Errorf("corrections = %+v", res.Corrections)
	}
}

// When two readings would restore the sum, nothing is changed and the cell
// gets a finding.
func TestArithmeticLeavesAmbiguityAlone(t *testing.T) {
	res := &Result{Tables: []SourceTable{{TableKey: KeyExpenditure, Unit: "万元"}}}
	res.Lines = []Line{
		line("201", "一般公共服务支出", "total", "16.00", 1),
		line("20131", "甲", "total", "3.00", 2),
		line("20132", "乙", "total", "3.00", 3), // one of the two should read 8.00
		line("20139", "丙", "total", "5.00", 4),
	}
	repairArithmetic(res)
	if len(res.Corrections) != 0 {
		t.Errorf("repaired an ambiguous sum: %+v", res.Corrections)
	}
	n := 0
	for _, f := range res.Findings {
		if f.CheckID == "ocr.ambiguous" {
			n++
		}
	}
	if n == 0 {
		t.Error("no ocr.ambiguous finding")
	}
}

func TestOCRVariants(t *testing.T) {
	has := func(vs []string, want string) bool {
		for _, v := range vs {
			if v == want {
				return true
			}
		}
		return false
	}
	for raw, want := range map[string]string{"17881": "178.81", "16.16": "16.15", "38.00": "33.00", "2.50": "12.50",
		"17.44": "7.44", "95": "5.95", "1253": "12.53"} {
		if !has(ocrVariants(raw), want) {
			t.Errorf("ocrVariants(%q) lacks %q", raw, want)
		}
	}
}

// A 合计 cell read as nothing is filled only when its row sum and a column
// sum agree on it; with the row sum alone it stays empty.
func TestInferUnread(t *testing.T) {
	res := &Result{Tables: []SourceTable{{TableKey: KeyExpenditure, Unit: "万元"}}, colSums: testSums}
	res.Lines = []Line{
		line("201", "一般公共服务支出", "total", "10.00", 1),
		line("20131", "甲", "total", "6.00", 2),
		// 20132's total unread; its basic and project were read.
		line("20132", "乙", "basic", "3.00", 3),
		line("20132", "乙", "project", "1.00", 3),
		// A row outside any column sum: not filled.
		line("", "其他", "basic", "2.00", 9),
	}
	inferUnread(res)
	var got []Line
	for _, l := range res.Lines {
		if l.Measure == "total" && l.Raw == "" {
			got = append(got, l)
		}
	}
	if len(got) != 1 || got[0].ItemCode != "20132" || !got[0].AmountYuan.Equal(yuan("4.00")) {
		t.Fatalf("inferred cells = %+v, want 20132 total 40000", got)
	}
	if len(res.Corrections) != 1 || res.Corrections[0].Rule != "ocr.inferred" || res.Corrections[0].Raw != "" ||
		res.Corrections[0].Normalized != "40000.00" || !strings.Contains(res.Corrections[0].Evidence, "sub-items") {
		t.Errorf("corrections = %+v", res.Corrections)
	}
}

// Another OCR reading of the cell that restores its sums is taken before
// any variant of the text, and the correction says so. Here "2412" has no
// single-change variant that restores the sum; the cell's digits-only read
// "21.12" does.
func TestArithmeticPrefersAnotherReading(t *testing.T) {
	res := &Result{Tables: []SourceTable{{TableKey: KeyExpenditure, Unit: "万元"}}}
	res.Lines = []Line{
		line("205", "教育支出", "total", "21.12", 1),
		line("20502", "普通教育", "total", "2412", 2),
	}
	res.Lines[1].Alt = []string{"2012", "21.12"}
	repairArithmetic(res)
	if got := res.Lines[1].AmountYuan; !got.Equal(yuan("21.12")) {
		t.Fatalf("20502 = %s, want 211200", got)
	}
	if len(res.Corrections) != 1 || !strings.HasPrefix(res.Corrections[0].Evidence, "another OCR reading") {
		t.Errorf("corrections = %+v", res.Corrections)
	}
}

// markSums marks the amounts of a sum that holds, of one that does not, and
// leaves alone those in no sum; the tolerance is 0.01 of the table's unit
// per addend (1 yuan in a table printed in 元).
func TestMarkSums(t *testing.T) {
	res := &Result{Tables: []SourceTable{{TableKey: KeyExpenditure, Unit: "万元"}, {TableKey: KeyIncome, Unit: "元"}}, colSums: testSums}
	res.Lines = []Line{
		line("201", "一般公共服务支出", "total", "10.00", 1),
		line("20131", "甲", "total", "6.00", 2),
		line("20132", "乙", "total", "4.01", 3), // within 0.01 万元 per addend
		line("208", "社会保障和就业支出", "total", "9.00", 4),
		line("20805", "丙", "total", "8.00", 5),
		line("210", "卫生健康支出", "total", "3.00", 6), // no sub-items
	}
	in := func(raw string) Line {
		d, _ := ParseAmount(raw, decimal.NewFromInt(1))
		return Line{TableKey: KeyIncome, ItemName: "x", Measure: "total", AmountYuan: d, Raw: raw, Line: 7, col: 2}
	}
	total, gpb, gf := in("300.00"), in("200.00"), in("98.00") // off by 2 yuan: broken in 元
	gpb.Measure, gf.Measure = "general_public_budget", "government_fund"
	gpb.col, gf.col = 3, 4
	res.Lines = append(res.Lines, total, gpb, gf)
	markSums(res)
	want := []string{"holds", "holds", "holds", "broken", "broken", "", "broken", "broken", "broken"}
	for i, l := range res.Lines {
		if l.SumCheck != want[i] {
			t.Errorf("line %d (%s %s %s) sum_check = %q, want %q", i, l.TableKey, l.ItemCode, l.Measure, l.SumCheck, want[i])
		}
	}
}

// A short economic name misread by OCR is placed only among the items of
// the class above it.
func TestNearestWithinClass(t *testing.T) {
	for _, c := range []struct{ name, within, want, code string }{
		{"本工资", "", "", ""},
		{"本工资", "301", "基本工资", "30101"},
		{"绩效工", "301", "绩效工资", "30107"},
		{"本工资", "302", "", ""},
		{"工资福利支出", "301", "", ""}, // the class itself is no candidate
	} {
		name, code := EconomicClasses.Nearest(c.name, c.within)
		if name != c.want || code != c.code {
			t.Errorf("Nearest(%q, %q) = %q %q, want %q %q", c.name, c.within, name, code, c.want, c.code)
		}
	}
}
