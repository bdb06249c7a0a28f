package load_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/gongkai/gongkai/load"
)

// fixtures is every text fixture: what make demo loads.
const fixtures = "../fixtures/text"

// readCSV checks the byte-order mark, strips it and parses the rest.
func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	bom := []byte{0xEF, 0xBB, 0xBF}
	if !bytes.HasPrefix(b, bom) {
		t.Fatalf("CSV does not start with the UTF-8 byte-order mark: % x", b[:min(len(b), 8)])
	}
	recs, err := csv.NewReader(bytes.NewReader(b[len(bom):])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// column sums one column of rows read back (header first) as decimals.
func column(t *testing.T, rows [][]string, name string) (decimal.Decimal, int) {
	t.Helper()
	i := slices.Index(rows[0], name)
	if i < 0 {
		t.Fatalf("no column %s in %q", name, rows[0])
	}
	var sum decimal.Decimal
	for _, r := range rows[1:] {
		sum = sum.Add(decimal.RequireFromString(r[i]))
	}
	return sum, len(rows) - 1
}

func TestExportCSVReadsBack(t *testing.T) {
	w, _ := openTemp(t)
	loadText(t, w, fixtures)
	db := w.DB()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "budget_lines.csv")
	if err := load.ExportCSVFile(ctx, db, "budget_lines", path); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte("一般公共服务支出")) {
		t.Error("CSV lost the Chinese text 一般公共服务支出")
	}
	recs := readCSV(t, b)
	wantN := count(t, db, `SELECT count(*) FROM budget_lines`)
	wantSum := amount(t, db, `SELECT sum(amount_yuan) FROM budget_lines`)
	sum, n := column(t, recs, "amount_yuan")
	t.Logf("budget_lines CSV: %d rows, sum(amount_yuan) %s (warehouse %d, %s)", n, sum.StringFixed(2), wantN, wantSum.StringFixed(2))
	if n != wantN || !sum.Equal(wantSum) {
		t.Errorf("CSV read back: %d rows, sum %s; warehouse %d rows, sum %s", n, sum, wantN, wantSum)
	}
	amountText := regexp.MustCompile(`^-?[0-9]+\.[0-9]{2}$`)
	i := slices.Index(recs[0], "amount_yuan")
	for _, r := range recs[1:] {
		if !amountText.MatchString(r[i]) {
			t.Fatalf("amount %q is not exact decimal text with two places", r[i])
		}
	}

	// NULL is an empty field: current documents have no superseded_by.
	var buf bytes.Buffer
	if err := load.ExportCSV(ctx, db, "documents", &buf); err != nil {
		t.Fatal(err)
	}
	docs := readCSV(t, buf.Bytes())
	j := slices.Index(docs[0], "superseded_by")
	empty := 0
	for _, r := range docs[1:] {
		if r[j] == "" {
			empty++
		}
	}
	if want := count(t, db, `SELECT count(*) FROM documents WHERE superseded_by IS NULL`); empty != want || want == 0 {
		t.Errorf("empty superseded_by fields = %d, want %d (the NULLs)", empty, want)
	}
}

// typeOf is a cell's type, CellTypeNumber for a number: a number cell carries
// no t attribute (OOXML's default), which excelize reports as unset.
func typeOf(t *testing.T, f *excelize.File, sheet, cell string) excelize.CellType {
	t.Helper()
	ct, err := f.GetCellType(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	if ct != excelize.CellTypeUnset {
		return ct
	}
	v, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := decimal.NewFromString(v); err == nil {
		return excelize.CellTypeNumber
	}
	return ct
}

func TestExportXLSXReadsBack(t *testing.T) {
	w, _ := openTemp(t)
	loadText(t, w, fixtures)
	db := w.DB()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "w.xlsx")
	if err := load.ExportXLSX(ctx, db, []string{"budget_lines", "documents", "v_department_year"}, path); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{"budget_lines", "documents", "v_department_year"}) {
		t.Errorf("sheets = %q", got)
	}
	rows, err := f.GetRows("budget_lines", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	wantN := count(t, db, `SELECT count(*) FROM budget_lines`)
	wantSum := amount(t, db, `SELECT sum(amount_yuan) FROM budget_lines`)
	sum, n := column(t, rows, "amount_yuan")
	t.Logf("budget_lines XLSX: %d rows, sum(amount_yuan) %s (warehouse %d, %s)", n, sum.StringFixed(2), wantN, wantSum.StringFixed(2))
	if n != wantN || !sum.Equal(wantSum) {
		t.Errorf("XLSX read back: %d rows, sum %s; warehouse %d rows, sum %s", n, sum, wantN, wantSum)
	}

	cellStyle := func(sheet, cell string) *excelize.Style {
		t.Helper()
		id, err := f.GetCellStyle(sheet, cell)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	cellType := func(sheet, cell string) excelize.CellType {
		t.Helper()
		return typeOf(t, f, sheet, cell)
	}
	// budget_lines: H amount_yuan, F item_level, E item_name.
	if rows[0][7] != "amount_yuan" || rows[0][5] != "item_level" {
		t.Fatalf("budget_lines header = %q", rows[0])
	}
	if ct, st := cellType("budget_lines", "H2"), cellStyle("budget_lines", "H2"); ct != excelize.CellTypeNumber || st.NumFmt != 4 {
		t.Errorf("amount cell: type %v, number format %d; want a number formatted #,##0.00 (4)", ct, st.NumFmt)
	}
	if ct := cellType("budget_lines", "F2"); ct != excelize.CellTypeNumber {
		t.Errorf("item_level cell type %v, want a number", ct)
	}
	if st := cellStyle("budget_lines", "A1"); st.Font == nil || !st.Font.Bold {
		t.Error("header is not bold")
	}
	if p, err := f.GetPanes("budget_lines"); err != nil || !p.Freeze || p.YSplit != 1 {
		t.Errorf("header not frozen: %+v %v", p, err)
	}
	texts, err := f.GetRows("budget_lines")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(texts, func(r []string) bool { return len(r) > 4 && r[4] == "一般公共服务支出" }) {
		t.Error("no row named 一般公共服务支出 in the budget_lines sheet")
	}

	// documents: department_code is text (codes keep leading zeros),
	// is_current a boolean, ingested_at a date-time.
	head, err := f.GetRows("documents")
	if err != nil {
		t.Fatal(err)
	}
	col := func(name string) string {
		i := slices.Index(head[0], name)
		if i < 0 {
			t.Fatalf("documents has no column %s", name)
		}
		c, _ := excelize.CoordinatesToCellName(i+1, 2)
		return c
	}
	if ct := cellType("documents", col("department_code")); ct != excelize.CellTypeInlineString {
		t.Errorf("department_code cell type %v, want text", ct)
	}
	if ct := cellType("documents", col("is_current")); ct != excelize.CellTypeBool {
		t.Errorf("is_current cell type %v, want a boolean", ct)
	}
	if st := cellStyle("documents", col("ingested_at")); st.CustomNumFmt == nil || *st.CustomNumFmt != "yyyy-mm-dd hh:mm:ss" {
		t.Errorf("ingested_at is not a date-time cell: %+v", st)
	}
}

func TestExportXLSXSheetNamesAndPrecision(t *testing.T) {
	w, _ := openTemp(t)
	db := w.DB()
	ctx := context.Background()
	// Two views whose names agree in their first 31 characters.
	for _, q := range []string{
		`CREATE VIEW v_amounts_with_a_name_longer_than_excel_allows_a AS SELECT
			12345678901234.56::DECIMAL(18,2) AS big_yuan, 9999999999999.99::DECIMAL(18,2) AS largest_exact_yuan,
			0.10::DECIMAL(18,2) AS fen_yuan, 12.5::DECIMAL(18,4) AS target_value, NULL::DECIMAL(18,2) AS missing_yuan`,
		`CREATE VIEW v_amounts_with_a_name_longer_than_excel_allows_b AS SELECT 1 AS one`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "w.xlsx")
	if err := load.ExportXLSX(ctx, db, []string{"v_amounts_with_a_name_longer_than_excel_allows_a",
		"v_amounts_with_a_name_longer_than_excel_allows_b", "projects", "projects"}, path); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// Cut to 31 characters; the second one cut further to make room for ~2.
	want := []string{"v_amounts_with_a_name_longer_th", "v_amounts_with_a_name_longer_~2", "projects", "projects~2"}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Errorf("sheets = %q, want %q", got, want)
	}
	sheet := want[0]
	raw, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	// 16 significant digits are more than Excel keeps: text, exact.
	if ct := typeOf(t, f, sheet, "A2"); ct != excelize.CellTypeInlineString || raw[1][0] != "12345678901234.56" {
		t.Errorf("big_yuan = %q (type %v), want the exact text 12345678901234.56", raw[1][0], ct)
	}
	// 15 digits and fewer: numbers that read back as the same decimal.
	for cell, wantV := range map[string]string{"B2": "9999999999999.99", "C2": "0.1", "D2": "12.5"} {
		ct := typeOf(t, f, sheet, cell)
		v, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
		if ct != excelize.CellTypeNumber || v != wantV {
			t.Errorf("%s = %q (type %v), want the number %s", cell, v, ct, wantV)
		}
	}
	if st, _ := f.GetCellStyle(sheet, "D2"); st != 0 {
		t.Errorf("target_value (DECIMAL(18,4)) has style %d, want General", st)
	}
	if len(raw[1]) > 4 && raw[1][4] != "" {
		t.Errorf("NULL amount = %q, want an empty cell", raw[1][4])
	}
}

func TestExportRefusesUnknownTables(t *testing.T) {
	w, _ := openTemp(t)
	db := w.DB()
	ctx := context.Background()
	dir := t.TempDir()
	for _, name := range []string{"nope", "BUDGET_LINES", `budget_lines"; DROP TABLE documents; --`, "duckdb_settings()", "information_schema.tables", ""} {
		var buf bytes.Buffer
		err := load.ExportCSV(ctx, db, name, &buf)
		if !errors.Is(err, load.ErrUnknownTable) || !strings.Contains(err.Error(), "budget_lines") {
			t.Errorf("ExportCSV(%q) = %v, want ErrUnknownTable listing the tables", name, err)
		}
		if buf.Len() != 0 {
			t.Errorf("ExportCSV(%q) wrote %d bytes", name, buf.Len())
		}
		out := filepath.Join(dir, "x")
		if err := load.ExportXLSX(ctx, db, []string{"budget_lines", name}, out); !errors.Is(err, load.ErrUnknownTable) {
			t.Errorf("ExportXLSX(%q) = %v, want ErrUnknownTable", name, err)
		}
		if err := load.ExportParquetTable(ctx, db, name, out); !errors.Is(err, load.ErrUnknownTable) {
			t.Errorf("ExportParquetTable(%q) = %v, want ErrUnknownTable", name, err)
		}
		if err := load.ExportCSVFile(ctx, db, name, out); !errors.Is(err, load.ErrUnknownTable) {
			t.Errorf("ExportCSVFile(%q) = %v, want ErrUnknownTable", name, err)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("a refused export of %q left a file: %v", name, err)
		}
	}
	if n := count(t, db, `SELECT count(*) FROM duckdb_tables() WHERE table_name = 'documents'`); n != 1 {
		t.Error("documents is gone")
	}
}

// The allow-list holds every table of the schema and every view of
// sql/views.sql: a table added to the schema must be added to the exports.
func TestExportTablesCoverTheCatalog(t *testing.T) {
	w, _ := openTemp(t)
	db := w.DB()
	names, err := load.ExportTables(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := db.Query(`SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'
		UNION ALL SELECT view_name FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal`)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var catalog []string
	for rs.Next() {
		var n string
		if err := rs.Scan(&n); err != nil {
			t.Fatal(err)
		}
		catalog = append(catalog, n)
	}
	for _, n := range append(catalog, "budget_lines", "v_department_year", "v_function_class", "v_year_over_year",
		"v_findings", "v_stated_vs_prior", "v_department_profile") {
		if !slices.Contains(names, n) {
			t.Errorf("%s is not exported (ExportTables = %q)", n, names)
		}
	}
	if len(names) != len(catalog) {
		t.Errorf("ExportTables = %d names, catalog %d: %q", len(names), len(catalog), names)
	}
}
