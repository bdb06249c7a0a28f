package main

import (
	"context"
	"fmt"
	"io"

	"github.com/gongkai/gongkai/load"
)

func cmdExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("export", "export [--db PATH] --format parquet --out DIR\n\nWrites every table as Parquet, document tables Hive-partitioned by fiscal_year and region.", stderr)
	format := fs.String("format", "parquet", "output format: parquet")
	out := fs.String("out", "", "output folder")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || *format != "parquet" {
		fs.Usage()
		return errUsage
	}
	conn, err := load.OpenReadOnly(*db)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := load.ExportParquet(ctx, conn, *out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "exported to %s\n", *out)
	return nil
}
