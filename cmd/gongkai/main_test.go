package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const seed = "../../fixtures/text/shuozhou-dangqun-2026-budget.txt"

func gongkai(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestIngestThenQueryCSV(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.duckdb")
	if code, out, errs := gongkai(t, "ingest", "--db", db, seed); code != 0 {
		t.Fatalf("ingest exit %d\n%s\n%s", code, out, errs)
	}
	code, out, errs := gongkai(t, "query", "--db", db, "--format", "csv",
		"SELECT department_name, fiscal_year, income_total_yuan FROM v_department_year")
	if code != 0 {
		t.Fatalf("query exit %d: %s", code, errs)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"department_name", "fiscal_year", "income_total_yuan"}, {"朔州经济开发区党群工作部", "2026", "3463800.00"}}
	if len(recs) != 2 || strings.Join(recs[0], ",") != strings.Join(want[0], ",") || strings.Join(recs[1], ",") != strings.Join(want[1], ",") {
		t.Errorf("csv = %q, want %q", recs, want)
	}

	// Read-only: a write is refused and changes nothing.
	if code, _, _ := gongkai(t, "query", "--db", db, "DELETE FROM budget_lines"); code == 0 {
		t.Error("DELETE through query succeeded; query must be read-only")
	}
	_, out, _ = gongkai(t, "query", "--db", db, "--format", "json", "SELECT count(*) AS n FROM budget_lines")
	if !strings.Contains(out, `"n": 257`) {
		t.Errorf("json count = %s, want 257 rows still there", out)
	}
}

func TestIngestExitStatusWhenAFileFails(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "w.duckdb")
	bad := filepath.Join(dir, "bad.txt")
	if err := os.WriteFile(bad, []byte("这不是预算公开文件。\n只是一段说明文字。\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := gongkai(t, "ingest", "--db", db, bad, seed)
	if code != 1 {
		t.Fatalf("exit = %d, want 1", code)
	}
	if !strings.Contains(out, "1 loaded") || !strings.Contains(out, "1 failed") {
		t.Errorf("summary line = %q", out)
	}
	if !strings.Contains(errs, bad) {
		t.Errorf("stderr does not name the bad file:\n%s", errs)
	}
}

func TestHelpAndUsage(t *testing.T) {
	for _, c := range []string{"ingest", "query", "summary"} {
		code, _, errs := gongkai(t, c, "--help")
		if code != 0 || !strings.Contains(errs, "Usage: gongkai "+c) {
			t.Errorf("%s --help: exit %d, %q", c, code, errs)
		}
	}
	if code, _, _ := gongkai(t, "query", "--format", "xml", "SELECT 1"); code != 2 {
		t.Errorf("bad --format exit = %d, want 2", code)
	}
	if code, _, _ := gongkai(t, "frobnicate"); code != 2 {
		t.Errorf("unknown command exit = %d, want 2", code)
	}
}

// The Parquet export reads back with the warehouse's row count, partitioned.
func TestExportParquet(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "w.duckdb")
	if code, _, errs := gongkai(t, "ingest", "--db", db, seed); code != 0 {
		t.Fatal(errs)
	}
	out := filepath.Join(dir, "parquet")
	if code, _, errs := gongkai(t, "export", "--db", db, "--format", "parquet", "--out", out); code != 0 {
		t.Fatalf("export: %s", errs)
	}
	if _, err := os.Stat(filepath.Join(out, "budget_lines", "fiscal_year=2026")); err != nil {
		t.Errorf("no fiscal_year partition: %v", err)
	}
	q := "SELECT count(*) AS n, sum(amount_yuan) AS s FROM read_parquet('" + filepath.ToSlash(out) + "/budget_lines/**/*.parquet', hive_partitioning = true)"
	_, got, errs := gongkai(t, "query", "--db", db, "--format", "csv", q)
	if !strings.Contains(got, "257,") {
		t.Errorf("parquet budget_lines = %q (%s), want 257 rows", got, errs)
	}
}
