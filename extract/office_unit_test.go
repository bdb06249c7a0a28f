package extract

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// docxOf packs a document body into a minimal .docx.
func docxOf(t *testing.T, body string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(`<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body + `</w:body></w:document>`))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func texts(o *Office) []string {
	var out []string
	for _, l := range o.Doc.Lines {
		if strings.TrimSpace(l.Text) != "" {
			out = append(out, l.Text)
		}
	}
	return out
}

func sameLines(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A .docx table: a header cell spanning two columns (gridSpan), a cell
// merged down (vMerge: its text in the first row only), a table nested in
// a cell read after its row, hidden and deleted text left out.
func TestReadDOCXTables(t *testing.T) {
	tc := func(text, pr string) string {
		return `<w:tc><w:tcPr>` + pr + `</w:tcPr><w:p><w:r><w:t>` + text + `</w:t></w:r></w:p></w:tc>`
	}
	body := `<w:p><w:r><w:t>2026年预算收支总表</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r><w:del><w:r><w:delText>删去</w:delText></w:r></w:del></w:p>` +
		`<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>` +
		`<w:tr>` + tc("项目", `<w:vMerge w:val="restart"/>`) + tc("2026年", `<w:gridSpan w:val="2"/>`) + `</w:tr>` +
		`<w:tr>` + tc("", `<w:vMerge/>`) + tc("合计", "") + tc("基本支出", "") + `</w:tr>` +
		`<w:tr>` + tc("工资福利支出", "") + tc("141.25", "") +
		`<w:tc><w:tcPr/><w:tbl><w:tr>` + tc("嵌套", "") + tc("1.00", "") + `</w:tr></w:tbl><w:p/></w:tc>` + `</w:tr>` +
		`</w:tbl>`
	o, err := readDOCX("t.docx", docxOf(t, body))
	if err != nil {
		t.Fatal(err)
	}
	sameLines(t, texts(o), []string{
		"2026年预算收支总表",
		"项目\t2026年\t",
		"\t合计\t基本支出",
		"工资福利支出\t141.25\t",
		"嵌套\t1.00",
	})
	if len(o.Findings) != 1 || o.Findings[0].CheckID != "office.hidden_text" {
		t.Errorf("findings %v: want office.hidden_text", o.Findings)
	}
}

// An HTML page in GBK as its meta tag says: colspan and rowspan laid on
// the grid, a hidden row left out and reported, scripts not read, text
// outside tables as lines.
func TestReadHTMLTables(t *testing.T) {
	page := `<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk"><script>document.write("<td>x</td>")</script></head><body>
<p>部门名称：朔州经济开发区党群工作部</p><div>单位：万元</div>
<table><tr><td rowspan="2">项目</td><td colspan="2">2026年</td></tr>
<tr><td>合计</td><td>基本支出</td></tr>
<tr style="display:none"><td>隐藏行</td><td>999.99</td><td></td></tr>
<tr><td>工资福利支出<br>（在职）</td><td>141.25</td><td>141.25</td></tr></table></body></html>`
	b, err := simplifiedchinese.GBK.NewEncoder().String(page)
	if err != nil {
		t.Fatal(err)
	}
	o, err := readHTML("t.xls", []byte(b))
	if err != nil {
		t.Fatal(err)
	}
	sameLines(t, texts(o), []string{
		"部门名称：朔州经济开发区党群工作部",
		"单位：万元",
		"项目\t2026年\t",
		"\t合计\t基本支出",
		"工资福利支出（在职）\t141.25\t141.25",
	})
	if len(o.Findings) != 1 || o.Findings[0].CheckID != "office.hidden_rows" {
		t.Errorf("findings %v: want office.hidden_rows", o.Findings)
	}
	if OfficeKind("t.xls", []byte(b)) != KindHTML {
		t.Errorf("an HTML page named .xls is not read as HTML")
	}
}
