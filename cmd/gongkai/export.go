package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/gongkai/gongkai/load"
)

const exportSynopsis = `export [--db PATH] [--format csv|xlsx|parquet] [--table NAME | --all] --out PATH

Writes warehouse tables and views for spreadsheets and other tools:
  csv      --table: one file at --out ("-" for stdout); --all: NAME.csv for every
           table and view in the folder --out. UTF-8 with a byte-order mark (Excel),
           amounts as exact text (3463800.00), NULL as an empty field.
  xlsx     one workbook at --out, a sheet per table (--all: every table and view),
           bold frozen header, amounts as numbers formatted #,##0.00.
  parquet  --table: one file at --out; --all: every table under the folder --out,
           document tables Hive-partitioned by fiscal_year and region.
Without --table, --all is meant (as before --table existed).`

func cmdExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("export", exportSynopsis, stderr)
	format := fs.String("format", "parquet", "output format: csv, xlsx or parquet")
	table := fs.String("table", "", "one table or view (unknown names are refused with the list)")
	all := fs.Bool("all", false, "every table (and, for csv and xlsx, every view)")
	out := fs.String("out", "", "output file (--table, xlsx) or folder (csv and parquet --all)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case *out == "" || fs.NArg() > 0 || (*all && *table != ""):
		fs.Usage()
		return errUsage
	case *format != "csv" && *format != "xlsx" && *format != "parquet":
		fmt.Fprintf(stderr, "gongkai export: unknown --format %q (csv, xlsx or parquet)\n", *format)
		return errUsage
	}
	conn, err := load.OpenReadOnly(*db)
	if err != nil {
		return err
	}
	defer conn.Close()
	tables := []string{*table}
	if *table == "" {
		if tables, err = load.ExportTables(ctx, conn); err != nil {
			return err
		}
	}
	switch {
	case *format == "csv" && *table != "" && *out == "-":
		return load.ExportCSV(ctx, conn, *table, stdout)
	case *format == "csv" && *table != "":
		err = load.ExportCSVFile(ctx, conn, *table, *out)
	case *format == "csv":
		if err := os.MkdirAll(*out, 0o755); err != nil {
			return err
		}
		for _, t := range tables {
			if err := load.ExportCSVFile(ctx, conn, t, filepath.Join(*out, t+".csv")); err != nil {
				return err
			}
		}
	case *format == "xlsx":
		err = load.ExportXLSX(ctx, conn, tables, *out)
	case *table != "":
		err = load.ExportParquetTable(ctx, conn, *table, *out)
	default:
		err = load.ExportParquet(ctx, conn, *out)
	}
	if err != nil {
		return err
	}
	switch {
	case *table != "":
		fmt.Fprintf(stdout, "exported %s to %s\n", *table, *out)
	case *format == "parquet":
		fmt.Fprintf(stdout, "exported every table to %s\n", *out)
	default:
		fmt.Fprintf(stdout, "exported %d tables and views to %s\n", len(tables), *out)
	}
	return nil
}
