package main

import (
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"strings"
	"testing"
)

const (
	seedText   = "../../fixtures/text/shuozhou-dangqun-2026-budget.txt"
	datongText = "../../fixtures/text/datong-yungang-jiaoyu-2025-budget.txt"
)

func parseFile(t *testing.T, path string) *Doc {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return ParseDoc(string(b))
}

func standardTables(d *Doc) []*Table {
	var ts []*Table
	for _, b := range d.Blocks {
		if b.Table != nil && b.Table.Kind == tkStandard {
			ts = append(ts, b.Table)
		}
	}
	return ts
}

// spanAt returns "label colspan×rowspan" of the cell starting at (r, c).
func spanAt(tb *Table, r, c int) (string, int, int) {
	s := tb.Spans[r][c]
	if s.Covered {
		return "~", 0, 0
	}
	return tb.Rows[r][c], s.ColSpan, s.RowSpan
}

func TestParseDocSeed(t *testing.T) {
	d := parseFile(t, seedText)
	ts := standardTables(d)
	if len(ts) != 13 {
		t.Fatalf("%d standard tables, want 13", len(ts))
	}
	type cell struct {
		table, r, c int
		label       string
		cs, rs      int
	}
	for _, w := range []cell{
		{0, 0, 0, "收入", 2, 1}, {0, 0, 2, "支出", 4, 1},
		{1, 0, 0, "项目", 2, 1}, {1, 0, 2, "本年收入", 6, 1}, {1, 0, 8, "上年结转", 1, 2},
		{3, 0, 0, "收入", 2, 1}, {3, 0, 2, "支出", 5, 1}, {3, 1, 0, "项目", 1, 2}, {3, 1, 3, "金额", 4, 1},
		{5, 0, 0, "部门预算支出经济科目名称", 1, 2}, {5, 0, 2, "2026年预算数", 3, 1},
		{9, 0, 0, "项目", 1, 2}, {9, 0, 1, "2026年预算数", 4, 1},
		{11, 0, 2, "2026年财政拨款", 3, 1}, {11, 0, 5, "财政专户管理 资金", 1, 2},
	} {
		l, cs, rs := spanAt(ts[w.table], w.r, w.c)
		if l != w.label || cs != w.cs || rs != w.rs {
			t.Errorf("table %d cell (%d,%d) = %q %d×%d, want %q %d×%d", w.table+1, w.r, w.c, l, cs, rs, w.label, w.cs, w.rs)
		}
	}
	for i, want := range []int{2, 2, 2, 3, 2, 2, 2, 1, 3, 2, 2, 3, 3} {
		if ts[i].Header != want {
			t.Errorf("table %d: %d header rows, want %d", i+1, ts[i].Header, want)
		}
	}
	// 表2 预算收入总表: the export's blank line after 2100799 is a page break,
	// and the rows after it have one cell fewer (padded).
	t2 := ts[1]
	if len(t2.Breaks) != 1 || t2.Rows[19][0] != "21011" || !t2.Breaks[19] {
		t.Errorf("表2 breaks %v, row 19 %q", t2.Breaks, t2.Rows[19][0])
	}
	if len(t2.Rows[19]) != 9 {
		t.Errorf("表2 row 19 has %d cells, want 9", len(t2.Rows[19]))
	}
	if !t2.Wide() || !ts[3].Wide() || ts[0].Wide() {
		t.Errorf("wide: 表1 %v 表2 %v 表4 %v", ts[0].Wide(), t2.Wide(), ts[3].Wide())
	}
	// every standard table starts a page (seed has no form feeds)
	pages, land := 0, 0
	for _, b := range d.Blocks {
		if b.PageBreak {
			pages++
			if b.Landscape {
				land++
			}
		}
	}
	if pages < 20 || land != 4 {
		t.Errorf("%d page breaks (%d landscape)", pages, land)
	}
}

func TestParseDocDatong(t *testing.T) {
	d := parseFile(t, datongText)
	if !d.HasFF {
		t.Fatal("form feeds not seen")
	}
	ts := standardTables(d)
	if len(ts) != 13 {
		t.Fatalf("%d standard tables, want 13", len(ts))
	}
	l, cs, rs := spanAt(ts[0], 1, 3)
	if l != "2025年" || cs != 3 || rs != 1 {
		t.Errorf("表一 2025年 = %q %d×%d", l, cs, rs)
	}
	if !ts[1].Breaks[10] || ts[1].Rows[10][0] != "208" {
		t.Errorf("表二: form feed inside the table not kept as a break: %v", ts[1].Breaks)
	}
	breaks := 0
	for _, b := range d.Blocks {
		if b.PageBreak {
			breaks++
		}
	}
	if breaks != 18 { // 19 form feeds, one inside 表二
		t.Errorf("%d page breaks, want 18", breaks)
	}
}

func TestFormMerges(t *testing.T) {
	d := parseFile(t, seedText)
	var form *Table
	for _, b := range d.Blocks {
		if b.Table != nil && b.Table.Kind == tkForm {
			form = b.Table
			break
		}
	}
	if form == nil {
		t.Fatal("no form")
	}
	if l, cs, rs := spanAt(form, 0, 0); l != "部门基本信息" || cs != 1 || rs != 4 {
		t.Errorf("部门基本信息 = %q %d×%d", l, cs, rs)
	}
	if l, cs, _ := spanAt(form, 0, 2); !strings.HasPrefix(l, "609-") || cs != 3 {
		t.Errorf("部门名称 value = %q colspan %d", l, cs)
	}
}

func TestODFWellFormed(t *testing.T) {
	for _, path := range []string{seedText, datongText} {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for name, conv := range map[string]func([]byte) ([]byte, error){"fodt": ToFODT, "fods": ToFODS} {
			out, err := conv(b)
			if err != nil {
				t.Fatal(name, err)
			}
			dec := xml.NewDecoder(bytes.NewReader(out))
			for {
				if _, err := dec.Token(); err == io.EOF {
					break
				} else if err != nil {
					t.Fatalf("%s %s: %v", path, name, err)
				}
			}
			if !bytes.Contains(out, []byte(`table:number-columns-spanned="`)) {
				t.Errorf("%s %s: no merged cells", path, name)
			}
		}
	}
	out, _ := ToFODS(mustRead(t, seedText))
	for _, want := range []string{`office:value="330.23"`, `fo:break-before="page"`, `<table:table-header-rows>`, `table:name="表13"`} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("seed fods lacks %s", want)
		}
	}
	out, _ = ToFODS(mustRead(t, datongText))
	if !bytes.Contains(out, []byte(`office:value="2939.54"`)) {
		t.Error("datong fods: 2,939.54 not a float cell")
	}
}

func mustRead(t *testing.T, p string) []byte {
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestBreakable(t *testing.T) {
	for _, c := range []struct {
		a, b rune
		want bool
	}{{'3', '0', false}, {'.', '2', false}, {'收', '入', true}, {'元', '，', false}, {'（', '一', false}, {'入', '3', true}} {
		if breakable(c.a, c.b) != c.want {
			t.Errorf("breakable(%q,%q) = %v", c.a, c.b, !c.want)
		}
	}
	if got := splitWrapSpaces("财政专户管理 资金"); len(got) != 2 {
		t.Errorf("wrap space: %q", got)
	}
	if got := splitWrapSpaces("第一部分 概况 2026 年"); len(got) != 2 {
		t.Errorf("wrap space next to digits must stay: %q", got)
	}
}

// TestPDFDeterministic renders the seed twice with the system fonts (skipped
// when they are not installed, e.g. in CI).
func TestPDFDeterministic(t *testing.T) {
	for _, ff := range fontFiles {
		if _, err := os.Stat(ff.def); err != nil && os.Getenv(ff.env) == "" {
			t.Skipf("font %s not installed", ff.def)
		}
	}
	b := mustRead(t, seedText)
	p1, err := ToPDF(b)
	if err != nil {
		t.Fatal(err)
	}
	p2, err := ToPDF(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(p1, []byte("%PDF-")) || !bytes.Equal(p1, p2) {
		t.Fatal("PDF output not deterministic")
	}
	if len(p1) > 2<<20 {
		t.Errorf("PDF is %d bytes", len(p1))
	}
}
