package transform_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/gongkai/gongkai/extract"
	"github.com/gongkai/gongkai/transform"
)

// realPDF is ../shared/realpdf, beside the clone in CI and on developer machines.
const realPDF = "../../shared/realpdf"

// parseWith reads a file with read (an extract reader) and transforms it.
func parseWith(t testing.TB, path string, read func(context.Context, string, []byte) (*extract.Document, error)) *transform.Result {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	doc, err := read(context.Background(), path, b)
	if err != nil {
		t.Fatal(err)
	}
	res, err := transform.Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func parsePDF(t testing.TB, path string) *transform.Result {
	t.Helper()
	return parseWith(t, path, func(ctx context.Context, p string, b []byte) (*extract.Document, error) {
		return extract.ReadPDF(ctx, p, b, &extract.Pdfium{})
	})
}

// realResults caches the parse of each real PDF: several tests read the
// same 32 files, and their results are not changed by the tests.
var realResults sync.Map // file → *transform.Result

// parseReal parses a file of ../shared/realpdf once per test binary.
func parseReal(t testing.TB, file string) *transform.Result {
	t.Helper()
	if r, ok := realResults.Load(file); ok {
		return r.(*transform.Result)
	}
	res := parsePDF(t, filepath.Join(realPDF, file))
	realResults.Store(file, res)
	return res
}

// corpusRow is one row of ../shared/realpdf/CORPUS.tsv: the identity a
// person read from each document's own text.
type corpusRow struct {
	file, region, dept string
	year               int
	stage              string // 预算 | 决算
	notes              string
}

func readCorpus(t *testing.T) []corpusRow {
	t.Helper()
	f, err := os.Open(filepath.Join(realPDF, "CORPUS.tsv"))
	if os.IsNotExist(err) {
		t.Skip("../shared/realpdf is not beside the clone")
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma, r.LazyQuotes, r.FieldsPerRecord = '\t', true, -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []corpusRow
	for _, rec := range recs[1:] {
		y, err := strconv.Atoi(rec[3])
		if err != nil {
			t.Fatalf("CORPUS.tsv %s: fiscal year %q", rec[0], rec[3])
		}
		out = append(out, corpusRow{file: rec[0], region: rec[1], dept: rec[2], year: y, stage: rec[4], notes: rec[7]})
	}
	return out
}

// corpusDept is CORPUS.tsv's department without the annotation its author
// adds in full-width brackets ((单位预算), (规划资源局下属)); (本级), which
// the documents print as part of the name, is kept.
func corpusDept(d string) string {
	if i := strings.LastIndex(d, "（"); i > 0 && strings.HasSuffix(d, "）") && d[i:] != "（本级）" {
		return d[:i]
	}
	return d
}

// Every real disclosure loads with the department, fiscal year and stage
// its own text states (CORPUS.tsv), and a 单位预算 is scoped "unit".
func TestRealPDFCorpusIdentity(t *testing.T) {
	for _, c := range readCorpus(t) {
		t.Run(c.file, func(t *testing.T) {
			res := parseReal(t, c.file)
			id := res.Identity
			stage := map[string]string{"预算": transform.StageBudget, "决算": transform.StageFinalAccount}[c.stage]
			if id.DepartmentName != corpusDept(c.dept) || id.FiscalYear != c.year || id.Stage != stage {
				t.Errorf("identity = %q %d %s (from %s), want %q %d %s", id.DepartmentName, id.FiscalYear, id.Stage, id.Source,
					corpusDept(c.dept), c.year, stage)
			}
			unit := strings.Contains(c.dept, "单位预算") || strings.Contains(c.file, "unit-budget")
			if want := map[bool]string{true: transform.ScopeUnit, false: transform.ScopeDepartment}[unit]; id.Scope != want {
				t.Errorf("scope = %q, want %q", id.Scope, want)
			}
			for _, f := range res.Findings {
				if f.CheckID == "identity.conflict" {
					t.Logf("finding: %s", f.Message)
				}
			}
		})
	}
}

func TestRealPDFIdentity(t *testing.T) {
	cases := []struct {
		file, region, dept string
		year               int
		stage              string
		tables             []string // table keys that must be present with amounts
	}{
		{"jiangsu-jianchayuan-2017-budget.pdf", "江苏省", "江苏省人民检察院", 2017, "budget", []string{"summary", "income", "expenditure", "appropriation_summary"}},
		{"jiangsu-jianchayuan-2018-budget.pdf", "江苏省", "江苏省人民检察院", 2018, "budget", []string{"summary", "income", "expenditure", "appropriation_summary"}},
		{"jiangsu-jianchayuan-2019-budget.pdf", "江苏省", "江苏省人民检察院", 2019, "budget", []string{"summary", "income", "expenditure", "appropriation_summary"}},
		{"shanghai-putuo-caizhengju-2024-final.pdf", "上海市普陀区", "上海市普陀区财政局", 2024, "final_account", []string{"summary", "income", "expenditure", "appropriation_summary", "general_budget_expenditure", "basic_expenditure_by_economic"}},
		{"shanghai-putuo-caizhengju-2025-budget.pdf", "上海市普陀区", "上海市普陀区财政局", 2025, "budget", []string{"summary", "income", "expenditure", "appropriation_summary", "general_budget_expenditure", "basic_expenditure_by_economic"}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			res := parseReal(t, c.file)
			id := res.Identity
			if id.Region != c.region || id.DepartmentName != c.dept || id.FiscalYear != c.year || id.Stage != c.stage {
				t.Errorf("identity = %+v", id)
			}
			status := map[string]string{}
			for _, st := range res.Tables {
				status[st.TableKey] = st.Status
			}
			for _, k := range c.tables {
				if status[k] != "present" {
					t.Errorf("table %s: %q, want present (found %v)", k, status[k], status)
				}
			}
		})
	}
}

// The Jiangsu 收支预算总表 figures equal the summary CSV an earlier public
// project parsed from the same PDFs (万元).
func TestJiangsuSummaryMatchesCSV(t *testing.T) {
	f, err := os.Open(filepath.Join(realPDF, "jiangsu-jianchayuan-summary.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := recs[0]
	income := map[string]bool{"财政拨款": true, "一般公共预算": true, "当年收入小计": true, "收入合计": true, "其他资金": true}
	for _, rec := range recs[1:] {
		year := rec[0][:4]
		t.Run(year, func(t *testing.T) {
			res := parseReal(t, "jiangsu-jianchayuan-"+year+"-budget.pdf")
			got := map[string]decimal.Decimal{}
			for _, l := range res.Lines {
				if l.TableKey == "summary" && l.Measure == "total" {
					got[l.Side+"/"+l.ItemName] = l.AmountYuan
				}
			}
			for i, col := range header[1:] {
				v := strings.TrimSpace(rec[i+1])
				if v == "" {
					continue
				}
				side := "expenditure"
				if income[col] {
					side = "income"
				}
				want := decimal.RequireFromString(v).Mul(decimal.NewFromInt(10000))
				if g, ok := got[side+"/"+col]; !ok || !g.Equal(want) {
					t.Errorf("%s %s = %v (found %v), want %s", side, col, g, ok, want)
				}
			}
		})
	}
}

// pdfFixtures are PDFs made from text fixtures by office software and a
// pure-Go writer (fixtures/pdf/README.md); each must give the rows its text
// export gives. The Calc exports hold the tables only, so their forms are
// not compared.
var pdfFixtures = []struct {
	file, golden string
	forms        bool // the export holds the performance forms: compare them
}{
	{"seed-fpdf.pdf", "shuozhou-dangqun-2026-budget", true},
	{"seed-libreoffice-writer.pdf", "shuozhou-dangqun-2026-budget", true},
	{"seed-libreoffice-calc.pdf", "shuozhou-dangqun-2026-budget", false},
	{"fpdf-datong.pdf", "datong-yungang-jiaoyu-2025-budget", false},
	{"libreoffice-writer-datong.pdf", "datong-yungang-jiaoyu-2025-budget", false},
	{"libreoffice-calc-datong.pdf", "datong-yungang-jiaoyu-2025-budget", false},
}

// tablesOnly marks exports without the forms: the project names their forms
// would correct (两书 → 两节) are expected as printed.
var tablesOnly = map[string]bool{"seed-libreoffice-calc.pdf": true, "libreoffice-calc-datong.pdf": true}

// asPrinted gives a tables-only result the project-name repairs its text
// export's forms support, so it can be compared with the golden.
func asPrinted(t *testing.T, res *transform.Result, golden string) {
	text := parseFixture(t, golden+".txt")
	canon := map[string]string{}
	for _, c := range text.Corrections {
		if c.Field == "projects.project_name" {
			canon[c.Raw] = c.Normalized
		}
	}
	for i := range res.Lines {
		if n, ok := canon[res.Lines[i].ItemName]; ok && strings.HasPrefix(res.Lines[i].TableKey, "project_") {
			res.Lines[i].ItemName = n
		}
	}
	for i := range res.Projects {
		if n, ok := canon[res.Projects[i].ProjectName]; ok {
			res.Projects[i].ProjectName = n
		}
	}
}

func TestPDFFixturesMatchTextGolden(t *testing.T) {
	for _, c := range pdfFixtures {
		t.Run(c.file, func(t *testing.T) {
			res := parsePDF(t, filepath.Join("..", "fixtures", "pdf", c.file))
			if tablesOnly[c.file] {
				asPrinted(t, res, c.golden)
			}
			compareGolden(t, res, c.golden)
			if c.forms {
				compareForms(t, res, c.golden)
			}
		})
	}
}

// Over every real disclosure, at least 80% of the amounts take part in a
// sum of their tables and at most 1% of those break one (issue 13's bar;
// BENCHMARKS.md has the per-document table from v_document_quality).
func TestRealPDFSums(t *testing.T) {
	rows := readCorpus(t)
	amounts, inSum, broken := 0, 0, 0
	for _, c := range rows {
		res := parseReal(t, c.file)
		n, in, br := 0, 0, 0
		for _, l := range res.Lines {
			n++
			if l.SumCheck != "" {
				in++
			}
			if l.SumCheck == "broken" {
				br++
			}
		}
		t.Logf("%-48s %5d amounts, %5d in a sum, %3d broken", c.file, n, in, br)
		amounts, inSum, broken = amounts+n, inSum+in, broken+br
	}
	pctIn := 100 * float64(inSum) / float64(amounts)
	pctBroken := 100 * float64(broken) / float64(inSum)
	t.Logf("%d amounts: %.1f%% in a sum, %.2f%% of those broken", amounts, pctIn, pctBroken)
	if pctIn < 80 {
		t.Errorf("%.1f%% of amounts in a sum, want at least 80%%", pctIn)
	}
	if pctBroken > 1 {
		t.Errorf("%.2f%% of the amounts in a sum break it, want at most 1%%", pctBroken)
	}
}

// The 决算 checks on real documents find the errors a reader finds and
// nothing else: Shanghai Putuo's finance bureau states on p21 a 财政拨款
// total of 0.3万元 (the tables print 2,961.68万元) and a 71.73% share of
// 一般公共服务 where 2106.66 / 2940.05 is 71.65%; the social work
// department states on p18 "年初预算为 0 万元 … 完成年初预算的 95.89%", a rate
// of its 全年预算 321.02 (the peer checker's rule R004 cites this very
// sentence); Foshan has no finding beyond rounding. Rounding findings and
// check.skipped notes are left out: they are the sums' own business.
func TestRealPDFFinalFindings(t *testing.T) {
	want := map[string][]string{
		"shanghai-putuo-caizhengju-2024-final.pdf": {"narrative.appropriation_total p21 3000.00", "narrative.share p21 71.73"},
		"sh-putuo-shehuigongzuobu-2024-final.pdf":  {"text.completion p18 年初预算为 0 万元"},
		"gd-foshan-guidaojiaotong-2019-final.pdf":  nil,
	}
	for file, w := range want {
		res := parseReal(t, file)
		var got []string
		for _, f := range res.Findings {
			if strings.HasSuffix(f.CheckID, ".rounding") || f.CheckID == "check.skipped" || f.Severity == "info" {
				continue
			}
			got = append(got, fmt.Sprintf("%s p%d %s", f.CheckID, f.Page, f.Actual))
		}
		if !slices.Equal(got, w) {
			t.Errorf("%s: findings\n got %q\nwant %q", file, got, w)
		}
	}
}

// The checks of the document against itself (checks_doc.go, the “三公”
// text, units) on every real disclosure: each finding here was read on
// its page and is the document's own error; none elsewhere.
func TestRealPDFConsistencyFindings(t *testing.T) {
	ids := map[string]bool{"text.comparison": true, "text.completion": true, "text.department_name": true, "text.reason_missing": true, "text.year": true, "text.placeholder": true,
		"text.unit": true, "text.zero_total": true, "three_public.text": true, "three_public.blank_table": true, "table.empty_unexplained": true}
	// sh-putuo-sifaju-2026-budget p8 compares its 2026 budget with "2026年预算"
	// five times (the year before is 2025); the social work department's
	// 完成年初预算的 95.89% is of a 年初预算 of 0 (TestRealPDFFinalFindings).
	// Every other real disclosure has none.
	want := map[string][]string{
		"sh-putuo-shehuigongzuobu-2024-final.pdf": {"text.completion p18 年初预算为 0 万元"},
		"sh-putuo-sifaju-2026-budget.pdf":         {"text.year p8 2026", "text.year p8 2026", "text.year p8 2026", "text.year p8 2026", "text.year p8 2026"},
	}
	for _, c := range readCorpus(t) {
		res := parseReal(t, c.file)
		var got []string
		for _, f := range res.Findings {
			if ids[f.CheckID] {
				got = append(got, fmt.Sprintf("%s p%d %s", f.CheckID, f.Page, f.Actual))
				t.Logf("%s: %s p%d l%d: %s", c.file, f.CheckID, f.Page, f.Line, f.Message)
			}
		}
		if !slices.Equal(got, want[c.file]) {
			t.Errorf("%s: findings\n got %q\nwant %q", c.file, got, want[c.file])
		}
	}
}

// Seeded-defect copies of real 决算 (Shanghai Putuo's finance bureau, 2024:
// twelve seeds; Foshan's rail transit bureau, 2019, and Putuo's social work
// department, 2024: one each): each seed is one change to the words of the extracted document,
// and must be a finding on its page that names the figure or word seeded
// (in its message or actual value), beyond the findings of the original.
func TestRealPDFSeededDefects(t *testing.T) {
	const putuo = "shanghai-putuo-caizhengju-2024-final.pdf"
	if _, err := os.Stat(filepath.Join(realPDF, putuo)); os.IsNotExist(err) {
		t.Skip("../shared/realpdf is not beside the clone")
	}
	type edit struct {
		line     int
		old, new string
	}
	seeds := []struct {
		name  string
		file  string // putuo when ""
		edits []edit
		check string // the finding's check id
		page  int
		token string
	}{
		{"heading year", "", []edit{{294, "2024年度", "2023年度"}}, "text.year", 21, "2023"},
		{"flipped comparison word", "", []edit{{327, "决算数小于预算数", "决算数大于预算数"}}, "text.comparison", 22, "大于"},
		{"flipped change word", "", []edit{{298, "减少56.95万元", "增加56.95万元"}}, "text.comparison", 21, "增加"},
		{"reason left out", "", []edit{{333, "预算数的主要原 因 ：  因产业政策扶持资金管理系统项 目 进度，   调减相关经费。", "预算数。"}}, "text.reason_missing", 22, "决算数小于预算数"},
		{"change's reason left out", "", []edit{{298, "主要原 因 ：  基本支出 中人员进出及退休变化，", ""}, {299, "以及项 目 支出 中合同支付进度条款等原 因减少支付。", ""}},
			"text.reason_missing", 21, "减少56.95万元"},
		{"another department", "", []edit{{297, "上海市普陀 区财政局", "上海市普陀区司法局"}}, "text.department_name", 21, "上海市普陀区司法局"},
		{"placeholder", "", []edit{{379, "上海市普陀 区财政局", "XX局"}}, "text.placeholder", 23, "XX"},
		{"narrative figure", "", []edit{{297, "2995.39万元", "2985.39万元"}}, "narrative.expenditure_total", 21, "2985.39"},
		{"wrong share", "", []edit{{304, "占79.49%", "占78.49%"}}, "narrative.share", 21, "78.49"},
		{"unit", "", []edit{{313, "2940.05万元", "2940.05元"}}, "text.unit", 21, "2940.05元"},
		{"as-of date", "", []edit{{406, "截至2024年", "截至2023年"}}, "text.year", 24, "2023"},
		{"空表说明 removed", "", []edit{{286, "故本表无数据。", ""}, {286, "无政府性基金预算财政拨款支出", ""},
			{381, "无政府性基金预算财政拨款收入和支出", "政府性基金预算财政拨款收入和支出情况如下"}}, "table.empty_unexplained", 19, "gov_fund_summary"},
		{"“三公” part against its table", "gd-foshan-guidaojiaotong-2019-final.pdf", []edit{{428, "支出决算为 0. 16 万元", "支出决算为 0. 26 万元"}},
			"three_public.text", 26, "0. 26"},
		{"equal figures called greater", "sh-putuo-shehuigongzuobu-2024-final.pdf", []edit{{302, "决算数与全年预算数持平", "决算数大于全年预算数"}},
			"text.comparison", 19, "大于"},
	}
	key := func(f transform.Finding) string {
		return fmt.Sprintf("%s p%d l%d %s", f.CheckID, f.Page, f.Line, f.Actual)
	}
	type original struct {
		doc  *extract.Document
		base map[string]bool // the findings of the document as published
	}
	originals := map[string]original{}
	load := func(t *testing.T, file string) original {
		if o, ok := originals[file]; ok {
			return o
		}
		path := filepath.Join(realPDF, file)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := extract.ReadPDF(context.Background(), path, b, &extract.Pdfium{})
		if err != nil {
			t.Fatal(err)
		}
		res, err := transform.Parse(doc)
		if err != nil {
			t.Fatal(err)
		}
		o := original{doc: doc, base: map[string]bool{}}
		for _, f := range res.Findings {
			o.base[key(f)] = true
		}
		originals[file] = o
		return o
	}
	for _, s := range seeds {
		t.Run(s.name, func(t *testing.T) {
			if s.file == "" {
				s.file = putuo
			}
			o := load(t, s.file)
			doc := *o.doc
			doc.Lines = slices.Clone(o.doc.Lines)
			for _, e := range s.edits {
				i := slices.IndexFunc(doc.Lines, func(l extract.Line) bool { return l.No == e.line })
				if i < 0 || !strings.Contains(doc.Lines[i].Text, e.old) {
					t.Fatalf("line %d does not hold %q (the extract changed?)", e.line, e.old)
				}
				doc.Lines[i].Text = strings.Replace(doc.Lines[i].Text, e.old, e.new, 1)
			}
			res, err := transform.Parse(&doc)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			var fresh []string
			for _, f := range res.Findings {
				if o.base[key(f)] {
					continue
				}
				fresh = append(fresh, key(f)+": "+f.Message)
				found = found || f.CheckID == s.check && f.Page == s.page &&
					(strings.Contains(f.Message, s.token) || f.Actual == s.token || f.TableKey == s.token)
			}
			if !found {
				t.Errorf("no %s finding on p%d naming %q; new findings: %q", s.check, s.page, s.token, fresh)
			}
		})
	}
}

// The 决算 balance checks run on every real 决算 (issue 14's acceptance):
// no check.skipped for balance.totals.
func TestRealPDFFinalBalancesRun(t *testing.T) {
	n := 0
	for _, c := range readCorpus(t) {
		if c.stage != "决算" {
			continue
		}
		n++
		res := parseReal(t, c.file)
		for _, f := range res.Findings {
			if f.CheckID == "check.skipped" {
				t.Logf("%s: %s", c.file, f.Message)
				if f.Expected == "balance.totals" {
					t.Errorf("%s: %s", c.file, f.Message)
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no 决算 in CORPUS.tsv")
	}
}

// Beijing's 项目支出绩效目标表 lists its projects a row each: every row is a
// form of its own, named as printed without the project code before it,
// with its 项目总额 in 万元; no form is named after a header label.
func TestRealPDFFormList(t *testing.T) {
	res := parseReal(t, "bj-sifaju-2026-budget-tables.pdf")
	n, funded := 0, 0
	for _, f := range res.Forms {
		if f.Scope != "project" {
			continue
		}
		n++
		if f.ProjectNameRaw == "项目总额" || f.ProjectNameRaw == "项目名称" || strings.Contains(f.ProjectNameRaw, "T0000") {
			t.Errorf("form named %q", f.ProjectNameRaw)
		}
		if f.AnnualFunding != nil {
			funded++
		}
		if f.ProjectNameRaw == "法律援助办案补贴" && (f.AnnualFunding == nil || f.AnnualFunding.String() != "5600000" || len(f.Indicators) != 3) {
			t.Errorf("法律援助办案补贴: funding %v, %d indicators; want 5600000 and 3 (p24: 符合相关办法要求, 挽回经济损失, 保障弱势群体权益)", f.AnnualFunding, len(f.Indicators))
		}
	}
	if n < 30 || funded < 30 {
		t.Errorf("%d project forms, %d with 项目总额; want at least 30 of each", n, funded)
	}
}
