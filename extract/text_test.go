package extract

import (
	"os"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestDecodeDetectsEncodings(t *testing.T) {
	text := "2026年预算收支总表\n部门名称：某局\n"
	gb, err := simplifiedchinese.GB18030.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		in, enc string
	}{
		"utf8":    {text, "utf-8"},
		"bom":     {"\xEF\xBB\xBF" + text, "utf-8-bom"},
		"gb18030": {gb, "gb18030"},
	} {
		got, enc, err := Decode([]byte(c.in))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got != text || enc != c.enc {
			t.Errorf("%s: got %q (%s), want %q (%s)", name, got, enc, text, c.enc)
		}
	}
	if _, _, err := Decode([]byte{0xFF, 0xFE, 'a', 0}); err == nil {
		t.Error("UTF-16 accepted")
	}
}

func TestReadTextDropsNoiseAndKeepsProvenance(t *testing.T) {
	in := strings.Join([]string{
		"仅供内部审核", "", "仅供内部审核", "封面", "仅供内部审核", "", "仅供内部审核",
		"目 录",
		"表一2026年预算收支总表.....\t2",
		"第一部分 概况\t1",
		"\f- 2 -",
		"2026年预算收支总表",
		"合计\t\t1.00",
		"\f3",
		"续表\t2.00",
	}, "\r\n")
	doc, err := ReadText("x.txt", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, l := range doc.Lines {
		if strings.TrimSpace(l.Text) != "" {
			kept = append(kept, l.Text)
		}
	}
	want := []string{"封面", "目 录", "2026年预算收支总表", "合计\t\t1.00", "续表\t2.00"}
	if strings.Join(kept, "|") != strings.Join(want, "|") {
		t.Errorf("kept %q, want %q", kept, want)
	}
	for _, l := range doc.Lines {
		switch l.Text {
		case "合计\t\t1.00":
			if l.Page != 2 || l.No != 13 || !l.Tabbed {
				t.Errorf("合计 line at page %d line %d tabbed %v, want page 2 line 13", l.Page, l.No, l.Tabbed)
			}
		case "续表\t2.00":
			if l.Page != 3 || l.No != 15 {
				t.Errorf("续表 line at page %d line %d, want page 3 line 15", l.Page, l.No)
			}
		}
	}
	if doc.Pages != 3 {
		t.Errorf("pages = %d, want 3", doc.Pages)
	}
}

func TestReadTextRefusesEmptyAndBinary(t *testing.T) {
	if _, err := ReadText("e.txt", []byte(" \n\n")); err == nil || !strings.Contains(err.Error(), "e.txt") {
		t.Errorf("empty: %v", err)
	}
	if _, err := ReadText("b.txt", []byte("abc\x00def")); err == nil || !strings.Contains(err.Error(), "b.txt") {
		t.Errorf("binary: %v", err)
	}
}

func TestGridInfersSpaceAlignedColumns(t *testing.T) {
	// Display-width alignment: CJK counts two columns.
	lines := []Line{
		{Text: "科目编码  科目名称          合计    基本支出  项目支出"},
		{Text: "201       一般公共服务支出  305.64    110.68    194.96"},
		{Text: "2013150   事业运行          110.68    110.68"},
		{Text: "20139     社会工作事务       10.57              10.57"},
	}
	rows := Grid(lines)
	want := [][]string{
		{"科目编码", "科目名称", "合计", "基本支出", "项目支出"},
		{"201", "一般公共服务支出", "305.64", "110.68", "194.96"},
		{"2013150", "事业运行", "110.68", "110.68", ""},
		{"20139", "社会工作事务", "10.57", "", "10.57"},
	}
	for i, r := range rows {
		if strings.Join(r.Cells, "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d = %q, want %q", i, r.Cells, want[i])
		}
	}
}

func FuzzReadTextGrid(f *testing.F) {
	for _, p := range []string{"../fixtures/text/shuozhou-dangqun-2026-budget.txt", "../fixtures/text/datong-yungang-jiaoyu-2025-budget.spaces.txt"} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		// Small seeds keep the fuzzer fast: a slice around the first table.
		at := strings.Index(string(b), "预算收支总表")
		f.Add(b[at:min(len(b), at+900)])
	}
	f.Add([]byte("合计\t\t1.00\n\f  201   一般  3.00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		doc, err := ReadText("fuzz.txt", b)
		if err != nil {
			return
		}
		rows := Grid(doc.Lines)
		if len(rows) != len(doc.Lines) {
			t.Fatalf("%d rows for %d lines", len(rows), len(doc.Lines))
		}
	})
}

// A figure letter-spaced after its separators is one number; numbers apart
// stay apart.
func TestSpacedNumberJoined(t *testing.T) {
	rows := Grid([]Line{{Text: "项目          预算数                决算数"}, {Text: "一、收入      5, 131. 706333        110. 05"}, {Text: "二、支出      12                    2025"}})
	if got := rows[1].Cells; len(got) != 3 || got[1] != "5,131.706333" || got[2] != "110.05" {
		t.Errorf("cells = %q, want the two figures joined", got)
	}
	if got := rows[2].Cells; len(got) != 3 || got[1] != "12" || got[2] != "2025" {
		t.Errorf("cells = %q, want 12 and 2025 apart", got)
	}
}
