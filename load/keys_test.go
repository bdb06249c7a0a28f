package load_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/gongkai/gongkai/load"
	"github.com/gongkai/gongkai/transform"
)

func line(table, side, item, measure, amount string, no int) transform.Line {
	return transform.Line{TableKey: table, Side: side, ItemName: item, Measure: measure, AmountYuan: decimal.RequireFromString(amount), Raw: amount, Line: no}
}

func docMeta(id string) transform.DocumentMeta {
	return transform.DocumentMeta{DocumentID: id, SourcePath: id + ".txt", SourceFormat: "text", IngestedAt: time.Now()}
}

// A document that gives two amounts for one cell is refused with an error
// naming it and the cell, and nothing of it is written; the others of its
// group load.
func TestTwoAmountsForOneCellAreRefused(t *testing.T) {
	w, _ := openTemp(t)
	id := transform.Identity{Region: "某市", DepartmentName: "某市某局", FiscalYear: 2026, Stage: "budget"}
	bad := &transform.Result{Identity: id, Lines: []transform.Line{
		line("summary", "income", "收入总计", "total", "10.00", 7),
		line("expenditure", "", "合计", "project", "4.00", 30),
		line("expenditure", "", "合计", "basic", "6.00", 30),
		line("expenditure", "", "合计", "project", "5.00", 30), // the same cell again
	}}
	// Jiangsu's 收支预算总表: two items on one line of one side are two cells.
	good := &transform.Result{Identity: transform.Identity{Region: "某省", DepartmentName: "某省某院", FiscalYear: 2026, Stage: "budget"}, Lines: []transform.Line{
		line("summary", "expenditure", "一般公共服务支出", "total", "3.00", 12),
		line("summary", "expenditure", "工资福利支出", "total", "2.00", 12),
	}}
	errs := w.LoadGroup(context.Background(), []load.Doc{{Meta: docMeta("bad"), Res: bad}, {Meta: docMeta("good"), Res: good}})
	var dup *load.DuplicateCellError
	if !errors.As(errs[0], &dup) {
		t.Fatalf("bad document: %v, want a DuplicateCellError", errs[0])
	}
	for _, want := range []string{"document bad", "bad.txt", "table expenditure", "line 30", "item 合计", "measure project", `"4.00" and "5.00"`} {
		if !strings.Contains(errs[0].Error(), want) {
			t.Errorf("error %q does not name %s", errs[0], want)
		}
	}
	if errs[1] != nil {
		t.Errorf("good document: %v", errs[1])
	}
	db := w.DB()
	for _, tbl := range []string{"documents", "document_files", "budget_lines", "findings"} {
		if n := count(t, db, `SELECT count(*) FROM `+tbl+` WHERE document_id = 'bad'`); n != 0 {
			t.Errorf("%s has %d rows of the refused document", tbl, n)
		}
	}
	if n := count(t, db, `SELECT count(*) FROM budget_lines WHERE document_id = 'good'`); n != 2 {
		t.Errorf("good document: %d lines, want 2", n)
	}
}

// The warehouse itself refuses a second amount for a cell, whoever writes
// it; rows whose line is unknown are in no cell.
func TestWarehouseKeyRefusesTwoAmounts(t *testing.T) {
	w, _ := openTemp(t)
	db := w.DB()
	ins := `INSERT INTO budget_lines (document_id, table_key, side, item_code, item_name, item_level, measure, amount_yuan, raw, line)
		VALUES ('d', 'summary', 'income', '', '收入总计', 0, 'total', ?, ?, ?)`
	if _, err := db.Exec(ins, "1.00", "1.00", 5); err != nil {
		t.Fatal(err)
	}
	_, err := db.Exec(ins, "2.00", "2.00", 5)
	if err == nil || !strings.Contains(err.Error(), "violates unique constraint") {
		t.Errorf("second amount for the cell: %v, want a unique-constraint error", err)
	}
	for range 2 {
		if _, err := db.Exec(ins, "3.00", "3.00", nil); err != nil {
			t.Errorf("a row with an unknown line: %v", err)
		}
	}
	if n := count(t, db, `SELECT count(*) FROM duckdb_indexes() WHERE index_name = 'budget_lines_cell' AND is_unique`); n != 1 {
		t.Errorf("budget_lines_cell: %d unique indexes", n)
	}
}

// makeOldWarehouse creates a warehouse with the schema of before the cell
// key, holding one document with two amounts for one cell and one without.
func makeOldWarehouse(t *testing.T) string {
	t.Helper()
	schema, err := os.ReadFile("testdata/schema-before-cell-key.sql")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "old.duckdb")
	db, err := sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{string(schema),
		`INSERT INTO documents (document_id, source_path, source_format, department_name, fiscal_year, stage, is_current, ingested_at, pages, byte_size)
		 VALUES ('old1', 'a.txt', 'text', '某局', 2025, 'budget', true, now(), 3, 100),
		        ('old2', 'b.txt', 'text', '某委', 2025, 'budget', true, now(), 2, 50)`,
		`INSERT INTO budget_lines (document_id, table_key, side, item_code, item_name, item_level, measure, amount_yuan, raw, line)
		 VALUES ('old1', 'summary', 'expenditure', '', '合计', 0, 'project', 4, '4', 30),
		        ('old1', 'summary', 'expenditure', '', '合计', 0, 'project', 5, '5', 30),
		        ('old2', 'summary', 'income', '', '收入总计', 0, 'total', 1, '1', 9)`,
		`INSERT INTO document_facts (document_id, fact_key, value, unit) VALUES ('old2', 'income_total', 1, 'yuan')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

// A warehouse made before gets the new columns and document_files; holding
// two amounts for one cell, it opens with the key left off and a warning
// naming the document, and gets the key once they are gone.
func TestCellKeyOnAWarehouseMadeBefore(t *testing.T) {
	path := makeOldWarehouse(t)
	core, logs := observer.New(zapcore.WarnLevel)
	w, err := load.Open(context.Background(), path, zap.New(core))
	if err != nil {
		t.Fatalf("open a warehouse made before: %v", err)
	}
	db := w.DB()
	if n := count(t, db, `SELECT count(*) FROM duckdb_indexes() WHERE index_name = 'budget_lines_cell'`); n != 0 {
		t.Errorf("the key was created over two amounts for one cell")
	}
	warned := logs.FilterMessageSnippet("two amounts for one cell").All()
	if len(warned) != 1 {
		t.Fatalf("warnings: %v", logs.All())
	}
	f := warned[0].ContextMap()
	if f["cells"] != int64(1) || f["documents"] != int64(1) || !strings.Contains(strings.Join(anyStrings(f["document_ids"]), " "), "old1") {
		t.Errorf("warning fields %v, want 1 cell of 1 document, old1", f)
	}
	if n := count(t, db, `SELECT count(*) FROM documents WHERE scope IS NULL AND identity_source IS NULL`); n != 2 {
		t.Errorf("documents made before: %d with scope and identity_source NULL, want 2", n)
	}
	// document_files: one row per document made before, its role from its rows.
	var roles string
	if err := db.QueryRow(`SELECT string_agg(document_id || ':' || role || ':' || sha256, ' ' ORDER BY document_id) FROM document_files`).Scan(&roles); err != nil {
		t.Fatal(err)
	}
	if roles != "old1:tables:old1 old2:whole:old2" {
		t.Errorf("document_files backfilled as %q", roles)
	}
	// A new document with two amounts for one cell is still refused.
	res := &transform.Result{Identity: transform.Identity{DepartmentName: "某局", FiscalYear: 2026, Stage: "budget"}, Lines: []transform.Line{
		line("income", "", "合计", "total", "1.00", 3), line("income", "", "合计", "total", "2.00", 3)}}
	if err := w.Load(context.Background(), docMeta("new"), res); !errors.As(err, new(*load.DuplicateCellError)) {
		t.Errorf("new duplicate without the index: %v", err)
	}
	if _, err := db.Exec(`DELETE FROM budget_lines WHERE document_id = 'old1' AND amount_yuan = 5`); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	w, err = load.Open(context.Background(), path, zap.New(core))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if n := count(t, w.DB(), `SELECT count(*) FROM duckdb_indexes() WHERE index_name = 'budget_lines_cell'`); n != 1 {
		t.Errorf("the key was not created once the duplicates were gone")
	}
	if n := count(t, w.DB(), `SELECT count(*) FROM document_files`); n != 2 {
		t.Errorf("document_files: %d rows after a second open, want 2 (the backfill runs once per document)", n)
	}
}

func anyStrings(v any) []string {
	switch x := v.(type) {
	case []string:
		return x
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, e.(string))
		}
		return out
	}
	return nil
}
