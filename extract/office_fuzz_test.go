package extract_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/gongkai/gongkai/extract"
)

// The office readers' fuzz targets: ReadOffice, the document boundary,
// on mutated files of each kind. No input may panic, hang or make a reader
// hold memory without bound; errors are fine. A reader that returns a
// document returns lines.

func fuzzOffice(f *testing.F, kind string, seeds ...[]byte) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		o, err := extract.ReadOffice(context.Background(), "fuzz", b, kind)
		if err == nil && (o.Doc == nil || len(o.Doc.Lines) == 0) {
			t.Fatalf("%s read without error and without lines", kind)
		}
	})
}

func seedFile(f *testing.F, rel string) []byte {
	b, err := os.ReadFile(filepath.Join("..", "fixtures", "office", rel))
	if err != nil {
		f.Fatal(err)
	}
	return b
}

// smallWorkbook: a few cells with a number format, a merge, a formula and
// a hidden row — the features the reader handles, in a file small enough
// for the fuzzer to mutate usefully.
func smallWorkbook(f *testing.F) []byte {
	x := excelize.NewFile()
	x.SetCellStr("Sheet1", "A1", "2026年预算收支总表")
	x.MergeCell("Sheet1", "A1", "C1")
	x.SetCellStr("Sheet1", "A2", "单位：万元")
	x.SetCellStr("Sheet1", "A3", "合计")
	x.SetCellFloat("Sheet1", "B3", 330.23000000000002, 17, 64)
	st, _ := x.NewStyle(&excelize.Style{NumFmt: 2})
	x.SetCellStyle("Sheet1", "B3", "B3", st)
	x.SetCellFormula("Sheet1", "C3", "B3")
	x.SetCellStr("Sheet1", "A4", "隐藏")
	x.SetRowVisible("Sheet1", 4, false)
	path := filepath.Join(f.TempDir(), "s.xlsx")
	if err := x.SaveAs(path); err != nil {
		f.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	return b
}

func FuzzReadXLSX(f *testing.F) {
	fuzzOffice(f, extract.KindXLSX, smallWorkbook(f), []byte("PK\x03\x04"))
}

func FuzzReadXLS(f *testing.F) {
	fuzzOffice(f, extract.KindXLS, seedFile(f, "split/附件2-08.xls"))
}

func FuzzReadDOCX(f *testing.F) {
	fuzzOffice(f, extract.KindDOCX, seedFile(f, "datong-yungang-jiaoyu-2025-budget.docx"))
}

// FuzzReadDOC fuzzes what is read of a .doc before LibreOffice converts
// it (the compound file, its FIB): without soffice in PATH a well-formed
// document ends in ErrNoSoffice rather than a conversion per input.
func FuzzReadDOC(f *testing.F) {
	f.Setenv("PATH", "")
	fuzzOffice(f, extract.KindDOC, seedFile(f, "split/附件1.doc"))
}

func FuzzReadHTML(f *testing.F) {
	fuzzOffice(f, extract.KindHTML,
		[]byte(`<html><head><meta charset="gb2312"></head><body><p>2026年预算收支总表</p><table><tr><td colspan="2">收入</td><td rowspan="2">支出</td></tr><tr><td>合计</td><td>330.23</td></tr><tr style="display:none"><td>x</td></tr></table></body></html>`),
		seedFile(f, "shuozhou-dangqun-2026-budget.html")[:4000])
}
