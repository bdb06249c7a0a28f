package load

import (
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	duckdb "github.com/duckdb/duckdb-go/v2"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// ErrUnknownTable is returned for a name that is not one of ExportTables.
var ErrUnknownTable = errors.New("unknown table")

// utf8BOM starts every CSV file: Excel on Chinese Windows reads a CSV
// without it as GBK and garbles the Chinese text.
const utf8BOM = "\uFEFF"

// ExportTables lists what the exports accept, which is also the allow-list
// a table name is checked against before it goes into SQL: the warehouse
// tables of the fixed list that the warehouse has (in that order), then the
// views in schema main of the warehouse's catalog (sql/views.sql), by name.
func ExportTables(ctx context.Context, db *sql.DB) ([]string, error) {
	tables, err := queryNames(ctx, db, "list tables", `SELECT table_name FROM duckdb_tables()
		WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary`)
	if err != nil {
		return nil, err
	}
	views, err := queryNames(ctx, db, "list views", `SELECT view_name FROM duckdb_views()
		WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal AND NOT temporary
		ORDER BY view_name`)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, t := range exportTables {
		if slices.Contains(tables, t) {
			names = append(names, t)
		}
	}
	return append(names, views...), nil
}

// queryNames runs a query of one text column and returns its values.
func queryNames(ctx context.Context, db *sql.DB, what, q string) ([]string, error) {
	rs, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rs.Close()
	var out []string
	for rs.Next() {
		var name string
		if err := rs.Scan(&name); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, name)
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// allowed returns the allow-list's spelling of each name, or ErrUnknownTable
// naming the first that is not on it. Only names returned here reach SQL.
func allowed(ctx context.Context, db *sql.DB, names []string) ([]string, error) {
	list, err := ExportTables(ctx, db)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(names))
	for i, n := range names {
		j := slices.Index(list, n)
		if j < 0 {
			return nil, fmt.Errorf("%w %q: not a warehouse table or view (%s)", ErrUnknownTable, n, strings.Join(list, ", "))
		}
		out[i] = list[j]
	}
	return out, nil
}

// selectAll reads every row of an allow-listed table or view. Views keep
// their own order (v_findings sorts most severe first).
func selectAll(ctx context.Context, db *sql.DB, table string) (*sql.Rows, error) {
	return db.QueryContext(ctx, `SELECT * FROM "`+table+`"`)
}

// ExportCSV writes one table or view as CSV to w: UTF-8 with a byte-order
// mark, a header row, DECIMAL amounts as exact text with their scale
// (3463800.00), timestamps as DuckDB prints them (UTC), NULL as an empty field.
func ExportCSV(ctx context.Context, db *sql.DB, table string, w io.Writer) error {
	names, err := allowed(ctx, db, []string{table})
	if err != nil {
		return err
	}
	table = names[0]
	if err := writeCSV(ctx, db, table, w); err != nil {
		return fmt.Errorf("export %s: %w", table, err)
	}
	return nil
}

func writeCSV(ctx context.Context, db *sql.DB, table string, w io.Writer) error {
	rs, err := selectAll(ctx, db, table)
	if err != nil {
		return err
	}
	defer rs.Close()
	cols, err := rs.ColumnTypes()
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, utf8BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	rec := make([]string, len(cols))
	for i, c := range cols {
		rec[i] = c.Name()
	}
	if err := cw.Write(rec); err != nil {
		return err
	}
	vals, ptrs := scanTargets(len(cols))
	for rs.Next() {
		if err := rs.Scan(ptrs...); err != nil {
			return err
		}
		for i, v := range vals {
			rec[i] = csvText(v, cols[i].DatabaseTypeName())
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	if err := rs.Err(); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

func scanTargets(n int) ([]any, []any) {
	vals, ptrs := make([]any, n), make([]any, n)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	return vals, ptrs
}

// exactDecimal turns the driver's DECIMAL into shopspring/decimal, exactly.
func exactDecimal(v any) (decimal.Decimal, int, bool) {
	switch x := v.(type) {
	case duckdb.Decimal:
		return decimal.NewFromBigInt(x.Value, -int32(x.Scale)), int(x.Scale), true
	case *duckdb.Decimal:
		if x != nil {
			return decimal.NewFromBigInt(x.Value, -int32(x.Scale)), int(x.Scale), true
		}
	}
	return decimal.Decimal{}, 0, false
}

// csvText is a value as CSV text; never a float's scientific notation.
func csvText(v any, dbType string) string {
	if d, scale, ok := exactDecimal(v); ok {
		return d.StringFixed(int32(scale))
	}
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []byte:
		return string(x)
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		if dbType == "DATE" {
			return x.Format(time.DateOnly)
		}
		return x.UTC().Format("2006-01-02 15:04:05.999999")
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32)
	case *big.Int:
		return x.String()
	}
	return fmt.Sprint(v)
}

// ExportCSVFile writes ExportCSV's output to path, whole or not at all: the
// file appears (by rename) only once every row is written.
func ExportCSVFile(ctx context.Context, db *sql.DB, table, path string) error {
	names, err := allowed(ctx, db, []string{table})
	if err != nil {
		return err
	}
	table = names[0]
	if err := writeFileAtomic(path, func(w io.Writer) error { return writeCSV(ctx, db, table, w) }); err != nil {
		return fmt.Errorf("export %s: %w", table, err)
	}
	return nil
}

// writeFileAtomic writes a temporary file beside path and renames it over
// path when write succeeds, so a failed export leaves no half file.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // a no-op after the rename
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// excelDigits is the precision Excel keeps and shows of a number.
const excelDigits = 15

// maxSheetRows is what an Excel sheet holds below its header row.
const maxSheetRows = excelize.TotalRows - 1

// ExportXLSX writes the tables and views, one sheet each in the order given,
// into one workbook at path. Sheets are named after the table (cut to
// Excel's 31 characters and made unique); the header row is bold and frozen.
// Cells are typed:
//
//   - DECIMAL: a number. Excel holds numbers as float64 and shows 15
//     significant digits, so the exact decimal text (3463800.00) is parsed
//     with strconv.ParseFloat, which rounds correctly; for up to 15
//     significant digits (any amount below 10^13 yuan with its fen) the
//     shortest text of that float64, which is what the file stores, is the
//     same decimal, and Excel shows it unchanged. A longer value is written as
//     text, never as a different figure. Scale-2 columns (amounts in yuan)
//     show "#,##0.00"; other scales (targets, facts) show as General.
//   - integers: numbers; booleans: TRUE/FALSE; TIMESTAMP: a date-time cell
//     (UTC, yyyy-mm-dd hh:mm:ss), DATE: a date cell; text and codes: text,
//     so leading zeros stay.
//
// Rows are streamed (excelize's StreamWriter), so a large table is not held
// in memory; a table with more rows than a sheet holds is refused.
func ExportXLSX(ctx context.Context, db *sql.DB, tables []string, path string) error {
	tables, err := allowed(ctx, db, tables)
	if err != nil {
		return err
	}
	if len(tables) == 0 {
		return errors.New("export xlsx: no tables")
	}
	f := excelize.NewFile()
	defer f.Close()
	st, err := newXLSXStyles(f)
	if err != nil {
		return fmt.Errorf("export xlsx: %w", err)
	}
	used := map[string]bool{}
	for i, t := range tables {
		sheet := sheetName(t, used)
		if i == 0 {
			err = f.SetSheetName(f.GetSheetName(0), sheet)
		} else {
			_, err = f.NewSheet(sheet)
		}
		if err != nil {
			return fmt.Errorf("export %s: sheet %q: %w", t, sheet, err)
		}
		if err := writeSheet(ctx, db, f, st, t, sheet); err != nil {
			return fmt.Errorf("export %s: %w", t, err)
		}
	}
	f.SetActiveSheet(0)
	if err := writeFileAtomic(path, func(w io.Writer) error { return f.Write(w) }); err != nil {
		return fmt.Errorf("export xlsx %s: %w", path, err)
	}
	return nil
}

type xlsxStyles struct{ header, amount, timestamp, date int }

func newXLSXStyles(f *excelize.File) (xlsxStyles, error) {
	var s xlsxStyles
	var err error
	if s.header, err = f.NewStyle(&excelize.Style{
		Font:   &excelize.Font{Bold: true},
		Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Border: []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}},
	}); err != nil {
		return s, err
	}
	if s.amount, err = f.NewStyle(&excelize.Style{NumFmt: 4}); err != nil { // built-in #,##0.00
		return s, err
	}
	ts := "yyyy-mm-dd hh:mm:ss"
	if s.timestamp, err = f.NewStyle(&excelize.Style{CustomNumFmt: &ts}); err != nil {
		return s, err
	}
	d := "yyyy-mm-dd"
	s.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &d})
	return s, err
}

// sheetName is the table's name cut to Excel's 31 characters, with ~2, ~3 …
// when that is taken (Excel compares sheet names case-insensitively).
func sheetName(table string, used map[string]bool) string {
	cut := func(s string, n int) string {
		for utf8.RuneCountInString(s) > n {
			_, size := utf8.DecodeLastRuneInString(s)
			s = s[:len(s)-size]
		}
		return s
	}
	name := cut(table, excelize.MaxSheetNameLength)
	for i := 2; used[strings.ToLower(name)]; i++ {
		suffix := "~" + strconv.Itoa(i)
		name = cut(table, excelize.MaxSheetNameLength-len(suffix)) + suffix
	}
	used[strings.ToLower(name)] = true
	return name
}

func writeSheet(ctx context.Context, db *sql.DB, f *excelize.File, st xlsxStyles, table, sheet string) error {
	rs, err := selectAll(ctx, db, table)
	if err != nil {
		return err
	}
	defer rs.Close()
	cols, err := rs.ColumnTypes()
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	header := make([]any, len(cols))
	dbTypes := make([]string, len(cols))
	for i, c := range cols {
		header[i] = excelize.Cell{StyleID: st.header, Value: c.Name()}
		dbTypes[i] = c.DatabaseTypeName()
		if err := sw.SetColWidth(i+1, i+1, columnWidth(c.Name(), dbTypes[i])); err != nil {
			return err
		}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	vals, ptrs := scanTargets(len(cols))
	row := make([]any, len(cols))
	n := 0
	for rs.Next() {
		if n == maxSheetRows {
			return fmt.Errorf("more than %d rows, more than an Excel sheet holds (use csv or parquet)", maxSheetRows)
		}
		if err := rs.Scan(ptrs...); err != nil {
			return err
		}
		for i, v := range vals {
			row[i] = xlsxValue(v, dbTypes[i], st)
		}
		n++
		cell, err := excelize.CoordinatesToCellName(1, n+1)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := rs.Err(); err != nil {
		return err
	}
	return sw.Flush()
}

// columnWidth is a readable starting width: the header's, or the type's
// usual width when that is wider.
func columnWidth(name, dbType string) float64 {
	floor := 12.0
	switch {
	case strings.HasPrefix(dbType, "DECIMAL"):
		floor = 16
	case strings.HasPrefix(dbType, "TIMESTAMP"):
		floor = 20
	case dbType == "VARCHAR":
		floor = 18
	}
	return max(min(float64(len(name))+2, 50), floor)
}

// xlsxValue is the typed cell for a driver value (see ExportXLSX).
func xlsxValue(v any, dbType string, st xlsxStyles) any {
	if d, scale, ok := exactDecimal(v); ok {
		text := d.StringFixed(int32(scale))
		f, err := strconv.ParseFloat(text, 64)
		if err != nil || len(strings.TrimLeft(d.Coefficient().String(), "-")) > excelDigits {
			return text
		}
		if scale == 2 {
			return excelize.Cell{StyleID: st.amount, Value: f}
		}
		return f
	}
	switch x := v.(type) {
	case nil, string, bool, int8, int16, int32, uint8, uint16, uint32, float32, float64:
		return x
	case int64: // beyond 2^53 a float64 cannot hold it: text, exact
		if x > 1<<53 || x < -(1<<53) {
			return strconv.FormatInt(x, 10)
		}
		return x
	case uint64:
		if x > 1<<53 {
			return strconv.FormatUint(x, 10)
		}
		return x
	case []byte:
		return string(x)
	case time.Time:
		if dbType == "DATE" {
			return excelize.Cell{StyleID: st.date, Value: x}
		}
		return excelize.Cell{StyleID: st.timestamp, Value: x.UTC()}
	case *big.Int:
		return x.String()
	}
	return fmt.Sprint(v)
}
