package load

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// exportTables are the warehouse tables written by ExportParquet (the
// document tables partitioned by fiscal_year and region) and the tables of
// ExportTables' allow-list.
var exportTables = []string{
	"documents", "document_files", "budget_lines", "source_tables", "projects", "performance_forms", "performance_form_funding",
	"performance_indicators", "document_facts", "corrections", "findings", "ingest_runs", "ingest_files", "catalog_tables",
}

// ExportParquet writes every table as Parquet under dir: document tables
// Hive-partitioned by fiscal_year and region (dir/budget_lines/fiscal_year=2026/region=…/),
// the others as one file each. DuckDB, Spark and Trino read them as they are;
// exports of several machines' warehouses combine by copying the trees together.
func ExportParquet(ctx context.Context, db *sql.DB, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, t := range exportTables {
		var q string
		switch t {
		case "documents":
			q = `COPY (SELECT * FROM documents) TO ` + lit(filepath.Join(dir, t)) +
				` (FORMAT parquet, PARTITION_BY (fiscal_year, region), OVERWRITE_OR_IGNORE, FILENAME_PATTERN 'part_{uuid}')`
		case "ingest_runs", "ingest_files", "catalog_tables":
			q = `COPY (SELECT * FROM ` + t + `) TO ` + lit(filepath.Join(dir, t+".parquet")) + ` (FORMAT parquet)`
		default:
			// The table's own columns, then the partition keys of its document.
			q = `COPY (SELECT x.*, d.fiscal_year, d.region FROM ` + t + ` x JOIN documents d USING (document_id)) TO ` +
				lit(filepath.Join(dir, t)) + ` (FORMAT parquet, PARTITION_BY (fiscal_year, region), OVERWRITE_OR_IGNORE, FILENAME_PATTERN 'part_{uuid}')`
		}
		// Table names come from the fixed list above; the folder is the operator's.
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("export %s: %w", t, err)
		}
	}
	return nil
}

// ExportParquetTable writes one table or view of ExportTables as one Parquet
// file at path, unpartitioned.
func ExportParquetTable(ctx context.Context, db *sql.DB, table, path string) error {
	names, err := allowed(ctx, db, []string{table})
	if err != nil {
		return err
	}
	table = names[0]
	// The name is the allow-list's; the path is the operator's, as a literal.
	q := `COPY (SELECT * FROM "` + table + `") TO ` + lit(path) + ` (FORMAT parquet)`
	if _, err := db.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("export %s: %w", table, err)
	}
	return nil
}

// lit quotes a path as an SQL string literal (COPY … TO takes no parameter).
func lit(p string) string { return "'" + strings.ReplaceAll(p, "'", "''") + "'" }
