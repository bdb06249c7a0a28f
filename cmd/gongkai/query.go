package main

import (
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"
	"github.com/shopspring/decimal"

	"github.com/gongkai/gongkai/extract"
	"github.com/gongkai/gongkai/load"
)

func cmdQuery(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("query", "query [--db PATH] [--format table|csv|json] SQL\n\nRuns SQL against the warehouse opened read-only: writes are refused. Several arguments are joined by spaces.", stderr)
	format := fs.String("format", "table", "output format: table, csv or json")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errUsage
	}
	switch *format {
	case "table", "csv", "json":
	default:
		fmt.Fprintf(stderr, "gongkai query: unknown --format %q (table, csv or json)\n", *format)
		return errUsage
	}
	conn, err := load.OpenReadOnly(*db)
	if err != nil {
		return err
	}
	defer conn.Close()
	cols, rows, err := queryAll(ctx, conn, strings.Join(fs.Args(), " "))
	if err != nil {
		return err
	}
	return writeRows(stdout, *format, cols, rows)
}

// queryAll runs q and returns every row as display-ready values.
func queryAll(ctx context.Context, db *sql.DB, q string, args ...any) ([]string, [][]any, error) {
	rs, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, nil, err
	}
	defer rs.Close()
	cols, err := rs.Columns()
	if err != nil {
		return nil, nil, err
	}
	var out [][]any
	for rs.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			return nil, nil, err
		}
		for i, v := range vals {
			vals[i] = normalize(v)
		}
		out = append(out, vals)
	}
	return cols, out, rs.Err()
}

// normalize turns driver values into exact, printable values: DECIMAL stays
// a decimal (never a float), timestamps are UTC.
func normalize(v any) any {
	switch x := v.(type) {
	case duckdb.Decimal:
		return decimal.NewFromBigInt(x.Value, -int32(x.Scale))
	case *duckdb.Decimal:
		if x == nil {
			return nil
		}
		return decimal.NewFromBigInt(x.Value, -int32(x.Scale))
	case []byte:
		return string(x)
	case time.Time:
		return x.UTC()
	}
	return v
}

func cellText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case decimal.Decimal:
		return decimalText(x)
	case time.Time:
		return x.Format("2006-01-02 15:04:05")
	}
	return fmt.Sprint(v)
}

func writeRows(w io.Writer, format string, cols []string, rows [][]any) error {
	switch format {
	case "csv":
		cw := csv.NewWriter(w)
		if err := cw.Write(cols); err != nil {
			return err
		}
		for _, r := range rows {
			rec := make([]string, len(r))
			for i, v := range r {
				rec[i] = cellText(v)
			}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	case "json":
		out := make([]map[string]any, 0, len(rows))
		for _, r := range rows {
			m := make(map[string]any, len(cols))
			for i, v := range r {
				switch x := v.(type) {
				case decimal.Decimal:
					m[cols[i]] = json.Number(decimalText(x))
				case time.Time:
					m[cols[i]] = x.Format(time.RFC3339)
				default:
					m[cols[i]] = x
				}
			}
			out = append(out, m)
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(out)
	default:
		writeTable(w, cols, rows)
		return nil
	}
}

func pad(s string, w int, right bool) string {
	p := strings.Repeat(" ", max(0, w-extract.DisplayWidth(s)))
	if right {
		return p + s
	}
	return s + p
}

// writeTable prints rows aligned for a terminal; numbers right-aligned.
func writeTable(w io.Writer, cols []string, rows [][]any) {
	widths := make([]int, len(cols))
	numeric := make([]bool, len(cols))
	for i, c := range cols {
		widths[i] = extract.DisplayWidth(c)
		numeric[i] = true
	}
	text := make([][]string, len(rows))
	for r, row := range rows {
		text[r] = make([]string, len(row))
		for i, v := range row {
			s := cellText(v)
			text[r][i] = s
			widths[i] = max(widths[i], extract.DisplayWidth(s))
			switch v.(type) {
			case nil, decimal.Decimal, int, int8, int16, int32, int64, uint8, uint16, uint32, uint64, float32, float64:
			default:
				numeric[i] = false
			}
		}
	}
	line := func(cells []string, header bool) {
		parts := make([]string, len(cells))
		for i, c := range cells {
			parts[i] = pad(c, widths[i], numeric[i] && !header)
		}
		fmt.Fprintln(w, strings.TrimRight(strings.Join(parts, "  "), " "))
	}
	line(cols, true)
	seps := make([]string, len(cols))
	for i := range cols {
		seps[i] = strings.Repeat("─", widths[i])
	}
	fmt.Fprintln(w, strings.Join(seps, "  "))
	for _, r := range text {
		line(r, false)
	}
	fmt.Fprintf(w, "(%d rows)\n", len(rows))
}

// decimalText keeps a DECIMAL's scale: 3463800.00, not 3463800.
func decimalText(d decimal.Decimal) string {
	if e := d.Exponent(); e < 0 {
		return d.StringFixed(-e)
	}
	return d.String()
}
