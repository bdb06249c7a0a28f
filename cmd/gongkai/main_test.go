package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"syscall"
	"time"

	"encoding/csv"
	"github.com/go-pdf/fpdf"

	"github.com/gongkai/gongkai/load"
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
	// Every document table: the same row count, and for amounts the same sum.
	for table, sum := range map[string]string{"budget_lines": "amount_yuan", "projects": "amount_yuan", "documents": "1",
		"source_tables": "row_count", "performance_forms": "annual_funding_yuan", "performance_indicators": "1",
		"corrections": "1", "findings": "1", "document_facts": "value"} {
		pq := "read_parquet('" + filepath.ToSlash(out) + "/" + table + "/**/*.parquet', hive_partitioning = true)"
		q := "SELECT (SELECT count(*) || '/' || coalesce(sum(" + sum + "), 0) FROM " + table + ") = (SELECT count(*) || '/' || coalesce(sum(" + sum + "), 0) FROM " + pq + ") AS same"
		_, got, errs := gongkai(t, "query", "--db", db, "--format", "csv", q)
		if !strings.Contains(got, "true") {
			t.Errorf("%s: parquet differs from the warehouse: %q %s", table, got, errs)
		}
	}
}

// TestMain lets the tests run gongkai as a separate process (the same test
// binary), as analysts and the nightly job are separate processes.
func TestMain(m *testing.M) {
	if os.Getenv("GONGKAI_TEST_MAIN") == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

func gongkaiProcess(t *testing.T, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "GONGKAI_TEST_MAIN=1")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, string(out)
	case errors.As(err, &exit):
		return exit.ExitCode(), string(out)
	}
	t.Fatal(err)
	return -1, ""
}

// An analyst holding the warehouse open does not stop the nightly ingest,
// keeps reading the version it opened, and the next reader sees the new data.
func TestReaderDuringIngest(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "w.duckdb")
	if code, out := gongkaiProcess(t, "ingest", "--db", db, seed); code != 0 {
		t.Fatal(out)
	}
	reader, err := load.OpenReadOnly(db)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	conn, err := reader.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var n int
	if err := conn.QueryRowContext(context.Background(), "SELECT count(*) FROM documents").Scan(&n); err != nil || n != 1 {
		t.Fatalf("before: %d documents, %v", n, err)
	}
	// Another process ingests while the reader holds the file.
	if code, out := gongkaiProcess(t, "ingest", "--db", db, "../../fixtures/text/datong-yungang-jiaoyu-2025-budget.txt"); code != 0 {
		t.Fatalf("ingest while a reader holds the warehouse: exit %d\n%s", code, out)
	}
	if err := conn.QueryRowContext(context.Background(), "SELECT count(*) FROM documents").Scan(&n); err != nil || n != 1 {
		t.Errorf("old reader after the ingest: %d documents, %v (want its snapshot, 1)", n, err)
	}
	// A new reader (another process: DuckDB shares one instance per file
	// within a process) sees the published data.
	if code, out := gongkaiProcess(t, "query", "--db", db, "--format", "csv", "SELECT count(*) AS n FROM documents"); code != 0 || !strings.Contains(out, "\n2\n") {
		t.Errorf("new reader: exit %d, %q, want 2 documents", code, out)
	}
}

// kill -9 in the middle of a run leaves the published warehouse as it was
// and the working copy consistent; the next run completes the work, with
// the interrupted run in the ledger and no document loaded twice.
func TestKillNineThenResume(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	if err := os.MkdirAll(in, 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	const files = 120
	for i := 0; i < files; i++ {
		// Distinct bytes, same department: each a document of its own.
		body := append(append([]byte(nil), b...), []byte(fmt.Sprintf("\n备注：第%d次修订\n", i))...)
		if err := os.WriteFile(filepath.Join(in, fmt.Sprintf("rev%03d.txt", i)), body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	db := filepath.Join(dir, "w.duckdb")
	cmd := exec.Command(os.Args[0], "ingest", "--db", db, in)
	cmd.Env = append(os.Environ(), "GONGKAI_TEST_MAIN=1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1200 * time.Millisecond)
	_ = cmd.Process.Signal(syscall.SIGKILL)
	_ = cmd.Wait()
	if _, err := os.Stat(db); err == nil {
		t.Fatal("the first run published before the kill; the kill came too late to test anything")
	}
	if code, out := gongkaiProcess(t, "ingest", "--db", db, in); code != 0 {
		t.Fatalf("resume: exit %d\n%s", code, out)
	}
	check := func(q, want string) {
		t.Helper()
		if code, out := gongkaiProcess(t, "query", "--db", db, "--format", "csv", q); code != 0 || !strings.Contains(out, want) {
			t.Errorf("%s: exit %d, %q, want %q", q, code, out, want)
		}
	}
	check("SELECT count(*) AS n FROM documents", fmt.Sprintf("\n%d\n", files))
	// Every document exactly once, each with the seed's 257 lines.
	check("SELECT count(*) AS n FROM (SELECT document_id FROM budget_lines GROUP BY 1 HAVING count(*) <> 257)", "\n0\n")
	check("SELECT count(DISTINCT document_id) AS n FROM budget_lines", fmt.Sprintf("\n%d\n", files))
	check("SELECT count(*) AS n FROM documents WHERE is_current", "\n1\n")
	// The interrupted run is in the ledger, unfinished; the resumed one finished.
	check("SELECT count(*) FILTER (WHERE finished_at IS NULL) AS open, count(*) FILTER (WHERE finished_at IS NOT NULL) AS done FROM ingest_runs", "\n1,1\n")
}

// Bad inputs each fail with a recorded error naming the file while the run
// goes on; a GB18030 export loads; the exit status is 1; one summary line.
func TestBadInputsInOneRun(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	if err := os.MkdirAll(in, 0o755); err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile("../../fixtures/pdf/seed-fpdf.pdf")
	if err != nil {
		t.Fatal(err)
	}
	gb, err := os.ReadFile("../../fixtures/text/datong-yungang-jiaoyu-2025-budget.gb18030.txt")
	if err != nil {
		t.Fatal(err)
	}
	notice, err := os.ReadFile("../../fixtures/bad/not-a-disclosure.txt")
	if err != nil {
		t.Fatal(err)
	}
	locked := fpdf.New("P", "mm", "A4", "")
	locked.SetProtection(fpdf.CnProtectPrint, "user-secret", "owner-secret")
	locked.AddPage()
	var enc bytes.Buffer
	if err := locked.Output(&enc); err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"encrypted.pdf":      enc.Bytes(),
		"empty.txt":          nil,
		"truncated.pdf":      good[:len(good)/3],
		"random.pdf":         bytes.Repeat([]byte{0x9c, 0x41, 0x07, 0xee}, 2000),
		"nopages.pdf":        []byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"),
		"notice.txt":         notice,
		"huge.txt":           bytes.Repeat([]byte("预算"), 40000),
		"datong-gb18030.txt": gb,
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(in, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	db := filepath.Join(dir, "w.duckdb")
	code, out, errs := gongkai(t, "ingest", "--db", db, "--max-bytes", "100000", in)
	if code != 1 {
		t.Errorf("exit = %d, want 1", code)
	}
	if strings.Count(strings.TrimSpace(out), "\n") != 0 || !strings.Contains(out, "8 files, 1 loaded, 0 unchanged, 7 failed") {
		t.Errorf("summary = %q", out)
	}
	for name := range files {
		if name == "datong-gb18030.txt" {
			continue
		}
		if !strings.Contains(errs, filepath.Join(in, name)) {
			t.Errorf("no error naming %s in:\n%s", name, errs)
		}
	}
	_, q, _ := gongkai(t, "query", "--db", db, "--format", "csv",
		"SELECT count(*) FILTER (WHERE outcome = 'failed' AND error IS NOT NULL) AS failed, count(*) FILTER (WHERE outcome = 'loaded') AS loaded FROM ingest_files")
	if !strings.Contains(q, "\n7,1\n") {
		t.Errorf("ledger = %q, want 7 failed with errors and 1 loaded", q)
	}
	if !strings.Contains(errs, "encrypted") {
		t.Errorf("the encrypted PDF's error does not say so:\n%s", errs)
	}
	_, q, _ = gongkai(t, "query", "--db", db, "--format", "csv", "SELECT department_name FROM documents")
	if !strings.Contains(q, "大同市云冈区教育局") {
		t.Errorf("the GB18030 export did not load: %q", q)
	}
}

// A second ingest while one runs is refused at once with a clear message.
func TestConcurrentIngestRefused(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.duckdb")
	unlock, err := load.LockIngest(db) // the first ingest, as far as the second can tell
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	code, out := gongkaiProcess(t, "ingest", "--db", db, seed)
	if code == 0 || !strings.Contains(out, "another gongkai ingest is running") || !strings.Contains(out, fmt.Sprint(os.Getpid())) {
		t.Errorf("second ingest: exit %d, %q", code, out)
	}
}

// A write that fails for lack of space (here a file-size limit: EFBIG, as a
// full disk gives ENOSPC) is reported, the published warehouse is untouched,
// and the next run completes the work.
func TestDiskFullIsReported(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "w.duckdb")
	cmd := exec.Command("bash", "-c", `trap '' XFSZ; ulimit -f 200; exec "$0" "$@"`, os.Args[0], "ingest", "--db", db, seed)
	cmd.Env = append(os.Environ(), "GONGKAI_TEST_MAIN=1")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "Could not write file") {
		t.Fatalf("ingest under a 200 KiB file-size limit: %v\n%s", err, out)
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("a failed run published the warehouse")
	}
	if code, out := gongkaiProcess(t, "ingest", "--db", db, seed); code != 0 {
		t.Fatalf("re-run: exit %d\n%s", code, out)
	}
	if code, out := gongkaiProcess(t, "query", "--db", db, "--format", "csv", "SELECT count(*) AS n FROM budget_lines"); code != 0 || !strings.Contains(out, "\n257\n") {
		t.Errorf("after the re-run: %q", out)
	}
}
