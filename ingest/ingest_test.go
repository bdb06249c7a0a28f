package ingest_test

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"
	"github.com/shopspring/decimal"

	"github.com/gongkai/gongkai/extract"
	"github.com/gongkai/gongkai/ingest"
	"github.com/gongkai/gongkai/load"
)

const seed = "../fixtures/text/shuozhou-dangqun-2026-budget.txt"

func openTemp(t testing.TB) (*load.Warehouse, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "w.duckdb")
	w, err := load.Open(context.Background(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w, path
}

func runIngest(t *testing.T, w *load.Warehouse, paths ...string) *ingest.Summary {
	t.Helper()
	in := &ingest.Ingester{W: w}
	sum, err := in.Run(context.Background(), paths)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

func count(t *testing.T, db *sql.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func amount(t *testing.T, db *sql.DB, q string, args ...any) decimal.Decimal {
	t.Helper()
	var v duckdb.Decimal
	if err := db.QueryRow(q, args...).Scan(&v); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return decimal.NewFromBigInt(v.Value, -int32(v.Scale))
}

// goldenSum adds up the amount_yuan column of the seed's golden budget lines.
func goldenSum(t *testing.T) (decimal.Decimal, int) {
	t.Helper()
	f, err := os.Open("../fixtures/golden/shuozhou-dangqun-2026-budget/budget_lines.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	var sum decimal.Decimal
	n := 0
	for sc.Scan() {
		p := strings.Split(sc.Text(), "\t")
		sum = sum.Add(decimal.RequireFromString(p[6]))
		n++
	}
	return sum, n
}

func TestLoadSeedIntoDuckDB(t *testing.T) {
	w, _ := openTemp(t)
	sum := runIngest(t, w, seed)
	if sum.Loaded != 1 || sum.Failed != 0 {
		t.Fatalf("summary = %+v", sum)
	}
	db := w.DB()
	wantSum, wantN := goldenSum(t)
	if n := count(t, db, `SELECT count(*) FROM budget_lines`); n != wantN {
		t.Errorf("budget_lines rows = %d, want %d", n, wantN)
	}
	if got := amount(t, db, `SELECT sum(amount_yuan) FROM budget_lines`); !got.Equal(wantSum) {
		t.Errorf("sum(amount_yuan) = %s, want %s (exact decimal round trip through Arrow)", got, wantSum)
	}
	if n := count(t, db, `SELECT count(*) FROM source_tables WHERE status = 'empty'`); n != 5 {
		t.Errorf("empty tables = %d, want 5", n)
	}
	if n := count(t, db, `SELECT count(*) FROM source_tables WHERE status = 'present'`); n != 8 {
		t.Errorf("present tables = %d, want 8", n)
	}
	if n := count(t, db, `SELECT count(*) FROM projects WHERE funding = 'current'`); n != 14 {
		t.Errorf("current projects = %d, want 14", n)
	}
	if n := count(t, db, `SELECT count(*) FROM projects WHERE funding = 'carryover'`); n != 3 {
		t.Errorf("carry-over projects = %d, want 3", n)
	}
	var region, name, code, stage string
	var year int
	if err := db.QueryRow(`SELECT region, department_name, department_code, fiscal_year, stage FROM documents`).Scan(&region, &name, &code, &year, &stage); err != nil {
		t.Fatal(err)
	}
	if region != "朔州经济开发区" || name != "朔州经济开发区党群工作部" || code != "609" || year != 2026 || stage != "budget" {
		t.Errorf("document = %s %s %s %d %s", region, name, code, year, stage)
	}
	// The view's figures as the document prints them (万元 × 10000).
	for col, want := range map[string]string{
		"income_total_yuan": "3463800", "expenditure_total_yuan": "3463800", "basic_yuan": "1514300",
		"project_yuan": "1949600", "carryover_yuan": "161500", "general_public_budget_yuan": "3302300",
	} {
		if got := amount(t, db, `SELECT `+col+` FROM v_department_year`); !got.Equal(decimal.RequireFromString(want)) {
			t.Errorf("v_department_year.%s = %s, want %s", col, got, want)
		}
	}
	// A text export has no OCR confidences; all its sums hold (one summary
	// amount takes part in none).
	if n := count(t, db, `SELECT count(*) FROM budget_lines WHERE ocr_confidence IS NOT NULL`); n != 0 {
		t.Errorf("%d text amounts with an OCR confidence", n)
	}
	for st, want := range map[string]int{"holds": 256, "broken": 0, "": 1} {
		if n := count(t, db, `SELECT count(*) FROM budget_lines WHERE coalesce(sum_check, '') = ?`, st); n != want {
			t.Errorf("sum_check %q: %d amounts, want %d", st, n, want)
		}
	}
	if n := count(t, db, `SELECT count(*) FROM v_function_class`); n != 4 {
		t.Errorf("v_function_class rows = %d, want 4 (201, 208, 210, 221)", n)
	}
	if n := count(t, db, `SELECT count(*) FROM duckdb_views() WHERE view_name LIKE 'gk_arrow_%'`); n != 0 {
		t.Errorf("%d Arrow views left behind", n)
	}
}

func TestIngestIsIdempotentAndSupersedes(t *testing.T) {
	w, _ := openTemp(t)
	runIngest(t, w, seed)
	again := runIngest(t, w, seed)
	if again.Unchanged != 1 || again.Loaded != 0 {
		t.Fatalf("second run = %+v, want 1 unchanged", again)
	}
	db := w.DB()
	lines := count(t, db, `SELECT count(*) FROM budget_lines`)

	// The same document re-saved with CRLF line endings: new bytes, same identity.
	b, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	crlf := filepath.Join(t.TempDir(), "resaved.txt")
	if err := os.WriteFile(crlf, []byte(strings.ReplaceAll(string(b), "\n", "\r\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	third := runIngest(t, w, crlf)
	if third.Loaded != 1 {
		t.Fatalf("re-saved copy = %+v", third)
	}
	if n := count(t, db, `SELECT count(*) FROM documents WHERE is_current`); n != 1 {
		t.Errorf("current documents = %d, want 1", n)
	}
	if n := count(t, db, `SELECT count(*) FROM documents WHERE NOT is_current AND superseded_by IS NOT NULL`); n != 1 {
		t.Errorf("superseded documents = %d, want 1", n)
	}
	if n := count(t, db, `SELECT count(*) FROM budget_lines`); n != 2*lines {
		t.Errorf("budget_lines = %d, want %d (both versions kept, one current)", n, 2*lines)
	}
	if n := count(t, db, `SELECT count(*) FROM v_department_year`); n != 1 {
		t.Errorf("v_department_year rows = %d, want 1", n)
	}
	if n := count(t, db, `SELECT count(*) FROM ingest_runs WHERE finished_at IS NOT NULL`); n != 3 {
		t.Errorf("finished runs = %d, want 3", n)
	}
}

func TestBadFileIsRecordedAndOthersLoad(t *testing.T) {
	w, _ := openTemp(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "notice.txt")
	notice := "关于召开2026年第一季度工作会议的通知\n\n各科室：\n定于2026年3月5日上午9时在三楼会议室召开工作会议，请准时参加。\n\n办公室\n2026年3月1日\n"
	if err := os.WriteFile(bad, []byte(notice), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.txt")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	sum := runIngest(t, w, bad, seed, empty)
	if sum.Loaded != 1 || sum.Failed != 2 {
		t.Fatalf("summary = %+v", sum)
	}
	for _, f := range sum.Files {
		if f.Outcome == "failed" && !strings.Contains(f.Err.Error(), f.Path) {
			t.Errorf("error %q does not name the file %s", f.Err, f.Path)
		}
	}
	db := w.DB()
	if n := count(t, db, `SELECT count(*) FROM documents`); n != 1 {
		t.Errorf("documents = %d, want 1 (nothing of the bad files)", n)
	}
	if n := count(t, db, `SELECT count(*) FROM ingest_files WHERE outcome = 'failed' AND error LIKE '%not a department budget disclosure%' AND source_path = ?`, bad); n != 1 {
		t.Errorf("ledger has no failed row for the notice")
	}
	if n := count(t, db, `SELECT files_failed FROM ingest_runs`); n != 2 {
		t.Errorf("files_failed = %d, want 2", n)
	}
}

// With the prior year loaded, v_year_over_year agrees with what the seed's
// narrative states: 收入总计 −44.15 万元 (−11.31 %), 一般公共预算 −60.30 万元 (−15.44 %).
func TestYearOverYearAgreesWithNarrative(t *testing.T) {
	w, _ := openTemp(t)
	sum := runIngest(t, w, "../fixtures/text/shuozhou-dangqun-2025-budget.txt", seed)
	if sum.Loaded != 2 {
		t.Fatalf("summary = %+v", sum)
	}
	db := w.DB()
	var prior int
	var incChange, incPct, gpbChange, gpbPct duckdb.Decimal
	err := db.QueryRow(`SELECT prior_fiscal_year, income_total_change_yuan, income_total_change_pct,
		general_public_budget_change_yuan, general_public_budget_change_pct
		FROM v_year_over_year WHERE fiscal_year = 2026 AND department_code = '609'`).Scan(&prior, &incChange, &incPct, &gpbChange, &gpbPct)
	if err != nil {
		t.Fatal(err)
	}
	dec := func(d duckdb.Decimal) string { return decimal.NewFromBigInt(d.Value, -int32(d.Scale)).StringFixed(2) }
	if prior != 2025 || dec(incChange) != "-441500.00" || dec(incPct) != "-11.31" || dec(gpbChange) != "-603000.00" || dec(gpbPct) != "-15.44" {
		t.Errorf("yoy = %d %s %s%% %s %s%%", prior, dec(incChange), dec(incPct), dec(gpbChange), dec(gpbPct))
	}
	// The narrative's implied prior figures equal the prior document's own.
	if n := count(t, db, `SELECT count(*) FROM v_stated_vs_prior WHERE fiscal_year = 2026 AND prior_document_yuan IS NOT NULL AND stated_prior_yuan = prior_document_yuan`); n != 3 {
		t.Errorf("stated-vs-prior agreements = %d, want 3", n)
	}
	if n := count(t, db, `SELECT count(*) FROM performance_forms f JOIN documents d USING (document_id) WHERE d.fiscal_year = 2026 AND f.department_code = '609'`); n != 13 {
		t.Errorf("2026 forms with code 609 = %d, want 13", n)
	}
	if n := count(t, db, `SELECT count(*) FROM corrections c JOIN documents d USING (document_id) WHERE d.fiscal_year = 2026 AND c.field = 'performance_forms.annual_funding_yuan' AND c.raw_value = '60000' AND c.normalized_value = '50000'`); n != 1 {
		t.Errorf("乡村振兴经费 annual funding correction rows = %d, want 1", n)
	}
}

// A file whose size and mtime are unchanged is skipped without reading; a
// touched file is read again and found unchanged by its hash.
func TestIncrementalSkipsUnchangedFiles(t *testing.T) {
	w, _ := openTemp(t)
	b, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "seed.txt")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if s := runIngest(t, w, path); s.Loaded != 1 {
		t.Fatalf("first run = %+v", s)
	}
	s := runIngest(t, w, path)
	if s.Unchanged != 1 || !s.Files[0].Skipped {
		t.Errorf("second run = %+v, want unchanged and skipped without reading", s.Files[0])
	}
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(path, later, later); err != nil {
		t.Fatal(err)
	}
	s = runIngest(t, w, path)
	if s.Unchanged != 1 || s.Files[0].Skipped {
		t.Errorf("touched file = %+v, want read and found unchanged by its hash", s.Files[0])
	}
	if s = runIngest(t, w, path); !s.Files[0].Skipped {
		t.Errorf("after the touch was recorded, the file should be skipped again: %+v", s.Files[0])
	}
}

// A re-run over more unchanged files than the reader has slots (workers +
// group) finishes: files that are not parsed hold their slots until the
// writer writes them, and it does once it holds a group of them.
func TestRerunOfManyUnchangedFilesFinishes(t *testing.T) {
	w, _ := openTemp(t)
	b, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	const n = 3*ingest.DefaultGroup + 5
	for i := range n {
		// Each copy other bytes (blank lines at the end), so each is a document of its own.
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%03d.txt", i)), append(slices.Clone(b), bytes.Repeat([]byte("\n"), i+1)...), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if s := runIngest(t, w, dir); s.Loaded != n {
		t.Fatalf("first run loaded %d of %d", s.Loaded, n)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s, err := (&ingest.Ingester{W: w, Workers: 2}).Run(ctx, []string{dir})
	if err != nil {
		t.Fatalf("second run: %v (it waited for slots the writer never freed)", err)
	}
	if s.Unchanged != n {
		t.Errorf("second run: %d unchanged of %d", s.Unchanged, n)
	}
}

// Shards split a corpus: every file is taken by exactly one of n shards.
func TestShardsSplitTheCorpus(t *testing.T) {
	files, keys, err := ingest.Collect([]string{"../fixtures/text", "../fixtures/pdf"})
	if err != nil {
		t.Fatal(err)
	}
	const n = 3
	taken := make([]int, n)
	for _, k := range keys {
		owners := 0
		for i := 1; i <= n; i++ {
			if (ingest.Shard{Index: i, Count: n}).Takes(k) {
				owners++
				taken[i-1]++
			}
		}
		if owners != 1 {
			t.Errorf("%s taken by %d shards", k, owners)
		}
	}
	if len(files) < 10 || taken[0] == len(files) {
		t.Errorf("shards took %v of %d files", taken, len(files))
	}
	if _, err := ingest.ParseShard("4/3"); err == nil {
		t.Error("shard 4/3 accepted")
	}
}

// A scanned, image-only PDF goes through OCR into the warehouse as
// scanned_pdf: every amount keeps its cell's OCR confidence, the figures
// agree with the golden, and nothing is left breaking its sums.
func TestScannedPDFIntoDuckDB(t *testing.T) {
	o := &extract.OCR{}
	if err := o.Available(); err != nil {
		t.Skipf("OCR not available: %v (.ci/run installs tesseract-ocr and tesseract-ocr-chi-sim)", err)
	}
	w, _ := openTemp(t)
	in := &ingest.Ingester{W: w, OCR: o}
	sum, err := in.Run(context.Background(), []string{"../fixtures/scan/scan-seed-watermark.pdf"})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Loaded != 1 {
		t.Fatalf("summary = %+v", sum)
	}
	db := w.DB()
	var format, name string
	var year, pages int
	if err := db.QueryRow(`SELECT source_format, department_name, fiscal_year, pages FROM documents`).Scan(&format, &name, &year, &pages); err != nil {
		t.Fatal(err)
	}
	if format != "scanned_pdf" || name != "朔州经济开发区党群工作部" || year != 2026 || pages != 8 {
		t.Errorf("document = %s %s %d, %d pages", format, name, year, pages)
	}
	if n := count(t, db, `SELECT count(*) FROM budget_lines WHERE ocr_confidence IS NULL OR ocr_confidence NOT BETWEEN 0 AND 100`); n != 0 {
		t.Errorf("%d amounts without an OCR confidence in 0–100", n)
	}
	if n := count(t, db, `SELECT count(*) FROM budget_lines WHERE sum_check = 'broken'`); n != 0 {
		t.Errorf("%d amounts break their sums", n)
	}
	// 收入总计 and 财政拨款 一般公共预算 as printed.
	for _, c := range []struct{ table, name, measure, want string }{
		{"summary", "收入总计", "total", "3463800"},
		{"income", "合计", "general_public_budget", "3302300"},
		{"appropriation_summary", "支出总计", "general_public_budget", "3463800"},
	} {
		got := amount(t, db, `SELECT amount_yuan FROM budget_lines WHERE table_key = ? AND item_name = ? AND measure = ?`, c.table, c.name, c.measure)
		if !got.Equal(decimal.RequireFromString(c.want)) {
			t.Errorf("%s %s %s = %s, want %s", c.table, c.name, c.measure, got, c.want)
		}
	}
}

// v_document_quality on the bundled fixtures (what make demo loads): every
// amount the golden files list, the 8 to 11 tables printed with rows, the
// amounts in a sum (all of them hold), and the findings an analyst sees.
// amounts_in_sum follows transform's sums, as TestLoadSeedIntoDuckDB's
// sum_check counts do: the two change together.
func TestDocumentQualityOnFixtures(t *testing.T) {
	w, _ := openTemp(t)
	runIngest(t, w, "../fixtures/text")
	got := rows(t, w.DB(), `SELECT department_name, fiscal_year, scope, pages, tables_present, amounts, amounts_in_sum,
		amounts_broken, amounts_confirmed_pct::VARCHAR, errors, warnings FROM v_document_quality`)
	want := []string{
		"大同市云冈区教育局 2025 department 20 11 321 320 0 99.7 0 7",
		"朔州经济开发区党群工作部 2025 department 1 7 237 237 0 100.0 0 2",
		"朔州经济开发区党群工作部 2026 department 1 8 257 256 0 99.6 0 4",
		"阳泉市城区财政局 2024 department 1 10 268 267 0 99.6 0 4",
	}
	if !slices.Equal(got, want) {
		t.Errorf("v_document_quality =\n  %q\nwant\n  %q", got, want)
	}
	// The seed's amounts are its golden rows.
	if _, n := goldenSum(t); !slices.Contains(got, fmt.Sprintf("朔州经济开发区党群工作部 2026 department 1 8 %d 256 0 99.6 0 4", n)) {
		t.Errorf("the seed's amounts are not its %d golden rows", n)
	}
}
