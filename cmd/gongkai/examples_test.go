package main

import (
	"bytes"
	"encoding/csv"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

var update = flag.Bool("update", false, "rewrite sql/examples/*.expected.csv from the demo warehouse (review the diff)")

const examplesDir = "../../sql/examples"

// Every analyst example, run as sql/examples/README.md says (gongkai query on the demo
// warehouse, the file as the SQL argument), prints exactly its expected CSV.
func TestExamples(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests every fixture")
	}
	files, err := filepath.Glob(filepath.Join(examplesDir, "*.sql"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 10 {
		t.Fatalf("%d examples in %s, want at least ten", len(files), examplesDir)
	}
	// The demo warehouse: what make demo loads.
	db := filepath.Join(t.TempDir(), "demo.duckdb")
	if code, out, errs := gongkai(t, "ingest", "--db", db, "../../fixtures/text"); code != 0 {
		t.Fatalf("ingest exit %d\n%s\n%s", code, out, errs)
	}
	documentID := regexp.MustCompile(`[0-9a-f]{64}`)
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".sql")
		t.Run(name, func(t *testing.T) {
			q, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(q, []byte("/*\nQuestion: ")) {
				t.Error("does not start with a comment block saying the question (/*\\nQuestion: …)")
			}
			if !regexp.MustCompile(`(?i)\border\s+by\b`).Match(q) {
				t.Error("no ORDER BY: the output must be deterministic")
			}
			code, out, errs := gongkai(t, "query", "--db", db, "--format", "csv", string(q))
			if code != 0 {
				t.Fatalf("query exit %d: %s", code, errs)
			}
			if documentID.MatchString(out) || strings.Contains(out, "fixtures/") {
				t.Error("output holds document ids or paths, which vary with the files loaded")
			}
			if recs, err := csv.NewReader(strings.NewReader(out)).ReadAll(); err != nil || len(recs) < 2 {
				t.Errorf("output is not CSV with rows (%d records, %v)", len(recs), err)
			}
			expected := filepath.Join(examplesDir, name+".expected.csv")
			if *update {
				if err := os.WriteFile(expected, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(expected)
			if err != nil {
				t.Fatalf("%v (run go test -tags duckdb_arrow ./cmd/gongkai -run TestExamples -update)", err)
			}
			if out != string(want) {
				t.Errorf("output differs from %s:\n--- got\n%s--- want\n%s", expected, out, want)
			}
		})
	}
}

// gongkai export, as a separate process: CSV of one table reads back with the
// warehouse's rows and sum; an unknown table is refused and writes nothing.
func TestExportCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "w.duckdb")
	if code, _, errs := gongkai(t, "ingest", "--db", db, seed); code != 0 {
		t.Fatal(errs)
	}
	_, out, errs := gongkai(t, "query", "--db", db, "--format", "csv", "SELECT count(*) AS n, sum(amount_yuan) AS s FROM budget_lines")
	want, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(want) != 2 {
		t.Fatalf("warehouse figures: %q %v %s", out, err, errs)
	}

	path := filepath.Join(dir, "budget_lines.csv")
	if code, out := gongkaiProcess(t, "export", "--db", db, "--format", "csv", "--table", "budget_lines", "--out", path); code != 0 {
		t.Fatalf("export exit %d: %s", code, out)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")) {
		t.Fatal("CSV does not start with the UTF-8 byte-order mark")
	}
	recs, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := slices.Index(recs[0], "amount_yuan")
	if col < 0 {
		t.Fatalf("header = %q", recs[0])
	}
	var sum decimal.Decimal
	for _, r := range recs[1:] {
		sum = sum.Add(decimal.RequireFromString(r[col]))
	}
	if n := len(recs) - 1; want[1][0] != decimal.NewFromInt(int64(n)).String() || sum.StringFixed(2) != want[1][1] {
		t.Errorf("CSV: %d rows, sum %s; warehouse %s rows, sum %s", n, sum.StringFixed(2), want[1][0], want[1][1])
	}
	if !bytes.Contains(b, []byte("一般公共服务支出")) {
		t.Error("CSV lost the Chinese text")
	}

	bad := filepath.Join(dir, "bad.csv")
	code, out := gongkaiProcess(t, "export", "--db", db, "--format", "csv", "--table", "budget_lines;DROP TABLE documents", "--out", bad)
	if code != 1 || !strings.Contains(out, `unknown table "budget_lines;DROP TABLE documents"`) || !strings.Contains(out, "v_department_year") {
		t.Errorf("unknown table: exit %d, %q; want 1 and the list of tables", code, out)
	}
	if _, err := os.Stat(bad); !os.IsNotExist(err) {
		t.Errorf("a refused export left %s", bad)
	}
	if code, _ := gongkaiProcess(t, "export", "--db", db, "--format", "csv", "--table", "x", "--all", "--out", bad); code != 2 {
		t.Errorf("--table with --all: exit %d, want 2", code)
	}

	// XLSX of every table and view: one sheet each.
	book := filepath.Join(dir, "w.xlsx")
	if code, out := gongkaiProcess(t, "export", "--db", db, "--format", "xlsx", "--all", "--out", book); code != 0 {
		t.Fatalf("xlsx export exit %d: %s", code, out)
	}
	f, err := excelize.OpenFile(book)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	for _, s := range []string{"documents", "budget_lines", "findings", "v_department_year", "v_function_class", "v_year_over_year", "v_findings"} {
		if !slices.Contains(sheets, s) {
			t.Errorf("no sheet %s in %q", s, sheets)
		}
	}
}
