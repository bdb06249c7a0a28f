package load

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"go.uber.org/zap"

	sqlfiles "github.com/gongkai/gongkai/sql"
)

// SchemaVersion is the version of sql/schema.sql this gongkai writes (the
// view warehouse_schema holds it in every warehouse it opens). It is raised
// only by a change a merge cannot carry across by column name; additive
// changes keep it.
const SchemaVersion = 1

// ErrIncompatibleShard is returned by Merge for a shard it cannot merge: one
// of a newer schema version, with a column or table this warehouse does not
// know, a column of another type, or no gongkai warehouse at all. Nothing is
// written.
var ErrIncompatibleShard = errors.New("incompatible shard")

// Shard warehouses merge into one (issue 16). `ingest --shard i/n` splits a
// corpus between machines, but whatever spans documents — which document of
// a department, year and stage is current, the cross-document checks — is
// computed inside one shard. Merge brings the shards' documents and ledgers
// into this warehouse and computes those again over all documents:
//
//   - A document is its id (the SHA-256 of its bytes): one that the
//     warehouse already holds is not copied again; one that several shards
//     hold is copied once, with all its rows, from the shard that read it at
//     the first path in path order (as one run over all the files loads
//     that path and finds the others unchanged).
//   - Supersession is recomputed over every document of a region,
//     department, fiscal year and stage, as if one process had loaded them
//     all: each shard's own order is kept (a document a shard superseded
//     stays before the one that superseded it there, and so is the
//     warehouse's); documents no shard orders are loaded as a single run
//     loads its files, by source path; documents the warehouse held before
//     this merge come before those it brings. Each is superseded by the next
//     (superseded_by), the last is current, exactly as load.Load leaves a
//     chain.
//   - The cross-document findings (xdoc.*) are not copied: they are
//     recomputed by sql/crossdoc.sql over the merged documents.
//   - The ledger keeps every run of every shard, each with the shard it came
//     from (ingest_runs.shard, the shard as named to Merge; a shard that is
//     itself a merge keeps its runs' own), and their files. A run the
//     warehouse already holds is taken again only when the shard's copy is
//     further along (finished, or more files seen): a run merged while it
//     was still going is completed by a later merge.
//
// So merging the same shard again changes nothing, and a new shard merges
// into an existing warehouse. Everything is one transaction: a merge that
// fails, or a shard refused, leaves the warehouse as it was.

// mergeDocTables are the document tables, copied per document; documents first.
var mergeDocTables = []string{
	"documents", "document_files", "budget_lines", "source_tables", "projects", "performance_forms",
	"performance_form_funding", "performance_indicators", "document_facts", "corrections", "findings",
}

// mergeTables is every table Merge reads from a shard (a fixed list: only
// these names reach SQL).
var mergeTables = append(slices.Clone(mergeDocTables), "ingest_runs", "ingest_files", "catalog_tables")

// requiredTables must be in a shard that is a warehouse file.
var requiredTables = []string{"documents", "document_files", "ingest_runs", "ingest_files"}

// MergeStats says what a merge did.
type MergeStats struct {
	Shards        int // shards merged
	ShardDocs     int // documents the shards hold, each shard's counted
	NewDocs       int // documents new to the warehouse
	NewRuns       int // ingest runs new to the warehouse
	UpdatedRuns   int // runs the warehouse held, taken again from a shard further along
	Documents     int // documents in the warehouse after the merge
	Current       int // of those, current
	Reordered     int // documents whose is_current or superseded_by the merge changed
	CrossFindings int // xdoc.* findings after the merge
	SplitAcross   int // identities whose narrative and tables parts came from different shards (see Merge)
}

// column is one column of a table.
type column struct {
	name, typ string
	nullable  bool
	hasDef    bool
}

// shardSource is one shard: a warehouse file attached read-only, or a
// Parquet tree written by ExportParquet.
type shardSource struct {
	name    string // as given to Merge
	alias   string // the attached database, "" for a Parquet tree
	dir     string // the Parquet tree
	version int    // warehouse_schema.schema_version; 0 when it has none
	cols    map[string][]column
	// hive lists, per table, the columns read from a Parquet tree's
	// folder names (documents' fiscal_year and region): cast to the
	// warehouse's type.
	hive map[string]map[string]bool
}

// rel is the FROM expression of a table of the shard; "" when the shard
// has no rows of it. Table names come from mergeTables; the folder is the
// operator's, quoted as a literal.
func (s *shardSource) rel(table string) string {
	if _, ok := s.cols[table]; !ok {
		return ""
	}
	if s.alias != "" {
		return s.alias + `.main.` + table
	}
	return parquetRel(s.dir, table)
}

func parquetRel(dir, table string) string {
	switch table {
	case "ingest_runs", "ingest_files", "catalog_tables":
		return `read_parquet(` + lit(filepath.Join(dir, table+".parquet")) + `)`
	case "documents":
		return `read_parquet(` + lit(filepath.Join(dir, table, "**", "*.parquet")) + `, hive_partitioning = true, union_by_name = true)`
	}
	return `read_parquet(` + lit(filepath.Join(dir, table, "**", "*.parquet")) + `, hive_partitioning = false, union_by_name = true)`
}

// Merge merges the shards — warehouse files or Parquet trees of
// ExportParquet — into this warehouse, in one transaction (see above).
// A shard that cannot be merged is refused with ErrIncompatibleShard before
// anything is written.
func (w *Warehouse) Merge(ctx context.Context, shards []string) (*MergeStats, error) {
	conn, err := w.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("merge: %w", err)
	}
	defer conn.Close()
	outCols, err := tableColumns(ctx, conn, "current_database()", "")
	if err != nil {
		return nil, fmt.Errorf("merge: columns of %s: %w", w.path, err)
	}
	if v, err := schemaVersion(ctx, conn, "main"); err != nil {
		return nil, fmt.Errorf("merge: schema version of %s: %w", w.path, err)
	} else if v > SchemaVersion {
		return nil, fmt.Errorf("merge into %s: %w: it has schema version %d, this gongkai writes version %d; use a gongkai at least as new as the one that wrote it",
			w.path, ErrIncompatibleShard, v, SchemaVersion)
	}
	var srcs []*shardSource
	defer func() {
		for _, s := range srcs {
			if s.alias != "" {
				if _, err := conn.ExecContext(context.Background(), `DETACH DATABASE IF EXISTS `+s.alias); err != nil {
					w.log.Warn("detach shard", zap.String("shard", s.name), zap.Error(err))
				}
			}
		}
	}()
	for i, name := range shards {
		s := &shardSource{name: name}
		if err := w.openShard(ctx, conn, s, i+1); err != nil {
			if s.alias != "" {
				srcs = append(srcs, s)
			}
			return nil, err
		}
		srcs = append(srcs, s)
		if err := checkShard(s, outCols); err != nil {
			return nil, err
		}
	}
	// The writer's memory_limit (dsn) keeps a nightly ingest flat, one
	// document a transaction. A merge is one transaction over every new
	// document, and DuckDB keeps the new rows' entries of the cell key
	// (budget_lines_cell) in memory until the commit: at 10,000 documents
	// (2.6 million budget lines) it needs about 1 GB and fails with "Out of
	// Memory" under 128 MB (BENCHMARKS.md). So a merge takes DuckDB's own
	// limit (80 % of the memory the machine or its cgroup has), unless
	// GONGKAI_MEMORY_LIMIT says otherwise.
	if os.Getenv("GONGKAI_MEMORY_LIMIT") == "" {
		// RESET gives the setting DuckDB's default but leaves its buffer
		// pool at the old limit; SET moves both.
		var limit string
		if _, err := conn.ExecContext(ctx, `RESET memory_limit`); err != nil {
			return nil, fmt.Errorf("merge: %w", err)
		}
		if err := conn.QueryRowContext(ctx, `SELECT current_setting('memory_limit')`).Scan(&limit); err != nil {
			return nil, fmt.Errorf("merge: %w", err)
		}
		if _, err := conn.ExecContext(ctx, `SET memory_limit = `+lit(limit)); err != nil {
			return nil, fmt.Errorf("merge: memory limit %s: %w", limit, err)
		}
		w.log.Debug("merge memory limit", zap.String("memory_limit", limit))
	}
	stats := &MergeStats{Shards: len(srcs)}
	if err := w.mergeTx(ctx, conn, srcs, outCols, stats); err != nil {
		return nil, err
	}
	w.log.Info("merged", zap.Int("shards", stats.Shards), zap.Int("shard_documents", stats.ShardDocs),
		zap.Int("new_documents", stats.NewDocs), zap.Int("new_runs", stats.NewRuns), zap.Int("updated_runs", stats.UpdatedRuns),
		zap.Int("documents", stats.Documents), zap.Int("current", stats.Current), zap.Int("reordered", stats.Reordered),
		zap.Int("xdoc_findings", stats.CrossFindings))
	return stats, nil
}

// openShard attaches a warehouse file read-only (or finds the tables of a
// Parquet tree) and reads its columns and schema version.
func (w *Warehouse) openShard(ctx context.Context, conn *sql.Conn, s *shardSource, n int) error {
	st, err := os.Stat(s.name)
	if err != nil {
		return fmt.Errorf("shard %s: %w", s.name, err)
	}
	if st.IsDir() {
		s.dir = s.name
		s.cols, s.hive, err = parquetColumns(ctx, conn, s.dir)
		if err != nil {
			return fmt.Errorf("shard %s: %w", s.name, err)
		}
		if _, ok := s.cols["ingest_runs"]; !ok {
			return fmt.Errorf("shard %s: %w: a folder that is no Parquet export of a gongkai warehouse (no ingest_runs.parquet; gongkai export --format parquet --all writes one)",
				s.name, ErrIncompatibleShard)
		}
		return nil
	}
	s.alias = fmt.Sprintf("gk_shard_%d", n)
	// The alias is ours; the path is the operator's, as a literal (ATTACH takes no parameter).
	if _, err := conn.ExecContext(ctx, `ATTACH `+lit(s.name)+` AS `+s.alias+` (READ_ONLY)`); err != nil {
		s.alias = ""
		return fmt.Errorf("shard %s: %w", s.name, err)
	}
	if s.cols, err = tableColumns(ctx, conn, "?", s.alias); err != nil {
		return fmt.Errorf("shard %s: %w", s.name, err)
	}
	for _, t := range requiredTables {
		if _, ok := s.cols[t]; !ok {
			return fmt.Errorf("shard %s: %w: it has no table %s (not a gongkai warehouse, or one made before %s existed: open it once with this gongkai, e.g. gongkai ingest --db %s over its folder, and merge again)",
				s.name, ErrIncompatibleShard, t, t, s.name)
		}
	}
	if s.version, err = schemaVersion(ctx, conn, s.alias); err != nil {
		return fmt.Errorf("shard %s: schema version: %w", s.name, err)
	}
	return nil
}

// tableColumns reads the columns of mergeTables in a database (db is an SQL
// expression: current_database(), or ? bound to alias).
func tableColumns(ctx context.Context, conn *sql.Conn, db, alias string) (map[string][]column, error) {
	var args []any
	if db == "?" {
		args = append(args, alias)
	}
	rows, err := conn.QueryContext(ctx, `SELECT table_name, column_name, data_type, is_nullable, column_default IS NOT NULL
		FROM duckdb_columns() WHERE database_name = `+db+` AND schema_name = 'main' AND NOT internal
		ORDER BY table_name, column_index`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]column{}
	for rows.Next() {
		var t string
		var c column
		if err := rows.Scan(&t, &c.name, &c.typ, &c.nullable, &c.hasDef); err != nil {
			return nil, err
		}
		if slices.Contains(mergeTables, t) {
			out[t] = append(out[t], c)
		}
	}
	return out, rows.Err()
}

// schemaVersion reads warehouse_schema of a database (0 when it has none:
// a warehouse made before the view).
func schemaVersion(ctx context.Context, conn *sql.Conn, alias string) (int, error) {
	var n int
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM duckdb_views() WHERE database_name = `+dbExpr(alias)+`
		AND schema_name = 'main' AND view_name = 'warehouse_schema'`, dbArgs(alias)...).Scan(&n); err != nil {
		return 0, err
	}
	if n == 0 {
		return 0, nil
	}
	prefix := ""
	if alias != "main" {
		prefix = alias + ".main."
	}
	var v int
	// The alias is ours (gk_shard_N).
	err := conn.QueryRowContext(ctx, `SELECT max(schema_version) FROM `+prefix+`warehouse_schema`).Scan(&v)
	return v, err
}

func dbExpr(alias string) string {
	if alias == "main" {
		return "current_database()"
	}
	return "?"
}

func dbArgs(alias string) []any {
	if alias == "main" {
		return nil
	}
	return []any{alias}
}

// parquetColumns finds the tables of a Parquet tree and reads their
// columns. A table without files (ExportParquet writes none for a
// partitioned table without rows) is left out: the shard has no rows of it.
func parquetColumns(ctx context.Context, conn *sql.Conn, dir string) (map[string][]column, map[string]map[string]bool, error) {
	cols := map[string][]column{}
	hive := map[string]map[string]bool{}
	for _, t := range mergeTables {
		var pattern string
		switch t {
		case "ingest_runs", "ingest_files", "catalog_tables":
			pattern = filepath.Join(dir, t+".parquet")
		default:
			pattern = filepath.Join(dir, t, "*", "*", "*.parquet")
		}
		files, err := filepath.Glob(pattern)
		if err != nil {
			return nil, nil, err
		}
		if len(files) == 0 {
			continue
		}
		rows, err := conn.QueryContext(ctx, `DESCRIBE SELECT * FROM `+parquetRel(dir, t))
		if err != nil {
			return nil, nil, fmt.Errorf("read %s: %w", t, err)
		}
		for rows.Next() {
			var name, typ string
			var null, key, def, extra sql.NullString
			if err := rows.Scan(&name, &typ, &null, &key, &def, &extra); err != nil {
				rows.Close()
				return nil, nil, err
			}
			cols[t] = append(cols[t], column{name: name, typ: typ, nullable: true})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, err
		}
		if t == "documents" {
			hive[t] = map[string]bool{"fiscal_year": true, "region": true}
		}
	}
	return cols, hive, nil
}

// checkShard refuses a shard this warehouse cannot take whole: a newer
// schema version, a column the warehouse lacks (it would be lost), a column
// of another type, or a required column missing.
func checkShard(s *shardSource, out map[string][]column) error {
	if s.version > SchemaVersion {
		return fmt.Errorf("shard %s: %w: it has schema version %d, this gongkai merges version %d and older; merge with a gongkai at least as new as the one that made it",
			s.name, ErrIncompatibleShard, s.version, SchemaVersion)
	}
	for _, t := range mergeTables {
		sc, ok := s.cols[t]
		if !ok {
			continue
		}
		oc := out[t]
		for _, c := range sc {
			i := slices.IndexFunc(oc, func(o column) bool { return o.name == c.name })
			if i < 0 {
				return fmt.Errorf("shard %s: %w: table %s has a column %s that this warehouse lacks (made by a newer gongkai, schema version %s); merge with a gongkai at least as new as the one that made it",
					s.name, ErrIncompatibleShard, t, c.name, versionText(s.version))
			}
			if s.hive[t][c.name] {
				continue
			}
			if oc[i].typ != c.typ {
				return fmt.Errorf("shard %s: %w: column %s.%s is %s there and %s here (schema version %s against %d)",
					s.name, ErrIncompatibleShard, t, c.name, c.typ, oc[i].typ, versionText(s.version), SchemaVersion)
			}
		}
		for _, o := range oc {
			if !o.nullable && !o.hasDef && !slices.ContainsFunc(sc, func(c column) bool { return c.name == o.name }) {
				return fmt.Errorf("shard %s: %w: table %s has no column %s, which the warehouse requires (schema version %s against %d)",
					s.name, ErrIncompatibleShard, t, o.name, versionText(s.version), SchemaVersion)
			}
		}
	}
	return nil
}

func versionText(v int) string {
	if v == 0 {
		return "unknown: made before warehouse_schema"
	}
	return strconv.Itoa(v)
}

// selectList is the INSERT's column list and the SELECT's expressions for
// the columns of table the shard has: the warehouse's spelling, hive
// columns cast to the warehouse's type. Every name comes from the
// catalogs, checked against the warehouse's own columns.
func selectList(s *shardSource, table string, out map[string][]column, skip ...string) (into, sel string) {
	var in, se []string
	for _, o := range out[table] {
		if slices.Contains(skip, o.name) || !slices.ContainsFunc(s.cols[table], func(c column) bool { return c.name == o.name }) {
			continue
		}
		in = append(in, `"`+o.name+`"`)
		if s.hive[table][o.name] {
			se = append(se, `CAST(s."`+o.name+`" AS `+o.typ+`)`)
		} else {
			se = append(se, `s."`+o.name+`"`)
		}
	}
	return strings.Join(in, ", "), strings.Join(se, ", ")
}

// mergeTx copies the shards and recomputes supersession and the
// cross-document findings in one transaction.
func (w *Warehouse) mergeTx(ctx context.Context, conn *sql.Conn, srcs []*shardSource, out map[string][]column, stats *MergeStats) (err error) {
	for _, q := range []string{
		`CREATE OR REPLACE TEMP TABLE gk_merge_docs (document_id VARCHAR PRIMARY KEY, shard INTEGER NOT NULL)`,
		`CREATE OR REPLACE TEMP TABLE gk_merge_runs (run_id VARCHAR PRIMARY KEY, shard INTEGER NOT NULL, is_new BOOLEAN NOT NULL)`,
		`CREATE OR REPLACE TEMP TABLE gk_merge_edges (document_id VARCHAR NOT NULL, superseded_by VARCHAR NOT NULL)`,
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("merge: %w", err)
		}
	}
	defer func() {
		for _, t := range []string{"gk_merge_docs", "gk_merge_runs", "gk_merge_edges"} {
			if _, dropErr := conn.ExecContext(context.Background(), `DROP TABLE IF EXISTS temp.`+t); dropErr != nil {
				w.log.Warn("drop merge table", zap.String("table", t), zap.Error(dropErr))
			}
		}
	}()
	if _, err := conn.ExecContext(ctx, `BEGIN TRANSACTION`); err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			if _, rbErr := conn.ExecContext(context.Background(), `ROLLBACK`); rbErr != nil {
				w.log.Warn("rollback failed", zap.Error(rbErr))
			}
		}
	}()
	// The order the warehouse has already given its documents.
	if _, err := conn.ExecContext(ctx, `INSERT INTO gk_merge_edges SELECT document_id, superseded_by FROM main.documents WHERE superseded_by IS NOT NULL`); err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	if err := w.chooseDocs(ctx, conn, srcs, stats); err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	for i, s := range srcs {
		if err := w.mergeShard(ctx, conn, s, i+1, out, stats); err != nil {
			return fmt.Errorf("merge shard %s: %w", s.name, err)
		}
	}
	if err := w.resupersede(ctx, conn, stats); err != nil {
		return fmt.Errorf("merge: supersession: %w", err)
	}
	if _, err := conn.ExecContext(ctx, sqlfiles.CrossDocument); err != nil {
		return fmt.Errorf("merge: cross-document checks: %w", err)
	}
	if err := conn.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM documents WHERE is_current),
		(SELECT count(*) FROM findings WHERE check_id LIKE 'xdoc.%')`).Scan(&stats.Documents, &stats.Current, &stats.CrossFindings); err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	if err := conn.QueryRowContext(ctx, splitAcrossQuery).Scan(&stats.SplitAcross); err != nil {
		return fmt.Errorf("merge: split parts: %w", err)
	}
	if stats.SplitAcross > 0 {
		w.log.Warn("narrative and tables parts of one disclosure came from different shards and stay two documents (a single run merges them into one): ingest a department's files on one shard",
			zap.Int("identities", stats.SplitAcross))
	}
	if _, err := conn.ExecContext(ctx, `COMMIT`); err != nil {
		return fmt.Errorf("merge: commit: %w", err)
	}
	committed = true
	return nil
}

// splitAcrossQuery counts the documents that are one part of a split
// disclosure (narrative or tables alone) that this merge made supersede the
// other part alone: parts loaded on two shards, which a single run would
// have merged into one document (ingest/split.go). Merge cannot read files
// (package load reads none), so they stay two documents, and it says so.
const splitAcrossQuery = `SELECT count(*) FROM documents a
	JOIN document_files fa ON fa.document_id = a.document_id
	JOIN documents b ON b.superseded_by = a.document_id
	JOIN document_files fb ON fb.document_id = b.document_id
	WHERE (SELECT count(*) FROM document_files x WHERE x.document_id = a.document_id) = 1
	  AND (SELECT count(*) FROM document_files x WHERE x.document_id = b.document_id) = 1
	  AND ((fa.role = 'tables' AND fb.role = 'narrative') OR (fa.role = 'narrative' AND fb.role = 'tables'))
	  AND NOT EXISTS (SELECT 1 FROM gk_merge_edges e WHERE e.document_id = b.document_id AND e.superseded_by = a.document_id)`

// chooseDocs fills gk_merge_docs: each document new to the warehouse, with
// the shard it is copied from. A document several shards hold (the same
// bytes, each shard under the path it read them at) is copied from the
// shard with the first of those paths, then the first named: one run over
// all the files loads the first path and finds the others unchanged.
func (w *Warehouse) chooseDocs(ctx context.Context, conn *sql.Conn, srcs []*shardSource, stats *MergeStats) error {
	if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE gk_merge_held (document_id VARCHAR NOT NULL, shard INTEGER NOT NULL, source_path VARCHAR)`); err != nil {
		return err
	}
	defer func() {
		if _, err := conn.ExecContext(context.Background(), `DROP TABLE IF EXISTS temp.gk_merge_held`); err != nil {
			w.log.Warn("drop merge table", zap.String("table", "gk_merge_held"), zap.Error(err))
		}
	}()
	for i, s := range srcs {
		docs := s.rel("documents")
		if docs == "" {
			continue
		}
		res, err := conn.ExecContext(ctx, `INSERT INTO gk_merge_held SELECT document_id, ?, source_path FROM `+docs, i+1)
		if err != nil {
			return fmt.Errorf("shard %s: documents: %w", s.name, err)
		}
		held, _ := res.RowsAffected()
		stats.ShardDocs += int(held)
	}
	res, err := conn.ExecContext(ctx, `INSERT INTO gk_merge_docs
		SELECT document_id, shard FROM (
		    SELECT document_id, shard, row_number() OVER (PARTITION BY document_id ORDER BY source_path, shard) AS k
		    FROM gk_merge_held h
		    WHERE NOT EXISTS (SELECT 1 FROM main.documents d WHERE d.document_id = h.document_id))
		WHERE k = 1`)
	if err != nil {
		return fmt.Errorf("new documents: %w", err)
	}
	added, _ := res.RowsAffected()
	stats.NewDocs = int(added)
	return nil
}

// mergeShard copies one shard's new documents with their rows, its runs and
// their files, and notes the order it gave its documents.
func (w *Warehouse) mergeShard(ctx context.Context, conn *sql.Conn, s *shardSource, n int, out map[string][]column, stats *MergeStats) error {
	if docs := s.rel("documents"); docs != "" {
		if _, err := conn.ExecContext(ctx, `INSERT INTO gk_merge_edges SELECT document_id, superseded_by FROM `+docs+` WHERE superseded_by IS NOT NULL`); err != nil {
			return fmt.Errorf("order of documents: %w", err)
		}
		for _, t := range mergeDocTables {
			rel := s.rel(t)
			if rel == "" {
				continue
			}
			into, sel := selectList(s, t, out)
			q := `INSERT INTO main.` + t + ` (` + into + `) SELECT ` + sel + ` FROM ` + rel + ` s
				WHERE s.document_id IN (SELECT document_id FROM gk_merge_docs WHERE shard = ?)`
			if t == "findings" {
				q += ` AND s.check_id NOT LIKE 'xdoc.%'` // recomputed below
			}
			if _, err := conn.ExecContext(ctx, q, n); err != nil {
				return fmt.Errorf("copy %s: %w", t, err)
			}
		}
	}
	// Runs: the new ones, and those the shard has further along.
	runs := s.rel("ingest_runs")
	res, err := conn.ExecContext(ctx, `INSERT INTO gk_merge_runs
		SELECT s.run_id, ?, o.run_id IS NULL FROM `+runs+` s LEFT JOIN main.ingest_runs o USING (run_id)
		WHERE (o.run_id IS NULL OR (o.finished_at IS NULL AND s.finished_at IS NOT NULL) OR s.files_seen > o.files_seen)
		  AND s.run_id NOT IN (SELECT run_id FROM gk_merge_runs)`, n)
	if err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return w.mergeCatalog(ctx, conn, s, out)
	}
	var newRuns, updated int
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE is_new), count(*) FILTER (WHERE NOT is_new) FROM gk_merge_runs WHERE shard = ?`, n).Scan(&newRuns, &updated); err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	stats.NewRuns += newRuns
	stats.UpdatedRuns += updated
	into, sel := selectList(s, "ingest_runs", out, "shard")
	label := `?`
	if slices.ContainsFunc(s.cols["ingest_runs"], func(c column) bool { return c.name == "shard" }) {
		label = `coalesce(s.shard, ?)` // a shard that is a merge itself keeps its runs' shards
	}
	if _, err := conn.ExecContext(ctx, `INSERT INTO main.ingest_runs (`+into+`, "shard") SELECT `+sel+`, `+label+` FROM `+runs+` s
		WHERE s.run_id IN (SELECT run_id FROM gk_merge_runs WHERE shard = ? AND is_new)`, s.name, n); err != nil {
		return fmt.Errorf("copy ingest_runs: %w", err)
	}
	if updated > 0 {
		if _, err := conn.ExecContext(ctx, `UPDATE main.ingest_runs o SET started_at = s.started_at, finished_at = s.finished_at,
			files_seen = s.files_seen, files_loaded = s.files_loaded, files_unchanged = s.files_unchanged, files_failed = s.files_failed
			FROM `+runs+` s WHERE o.run_id = s.run_id AND s.run_id IN (SELECT run_id FROM gk_merge_runs WHERE shard = ? AND NOT is_new)`, n); err != nil {
			return fmt.Errorf("update ingest_runs: %w", err)
		}
		if _, err := conn.ExecContext(ctx, `DELETE FROM main.ingest_files WHERE run_id IN (SELECT run_id FROM gk_merge_runs WHERE shard = ? AND NOT is_new)`, n); err != nil {
			return fmt.Errorf("update ingest_files: %w", err)
		}
	}
	if files := s.rel("ingest_files"); files != "" {
		into, sel := selectList(s, "ingest_files", out)
		if _, err := conn.ExecContext(ctx, `INSERT INTO main.ingest_files (`+into+`) SELECT `+sel+` FROM `+files+` s
			WHERE s.run_id IN (SELECT run_id FROM gk_merge_runs WHERE shard = ?)`, n); err != nil {
			return fmt.Errorf("copy ingest_files: %w", err)
		}
	}
	return w.mergeCatalog(ctx, conn, s, out)
}

// mergeCatalog adds table keys a shard knows and the warehouse does not.
func (w *Warehouse) mergeCatalog(ctx context.Context, conn *sql.Conn, s *shardSource, out map[string][]column) error {
	rel := s.rel("catalog_tables")
	if rel == "" {
		return nil
	}
	into, sel := selectList(s, "catalog_tables", out)
	if _, err := conn.ExecContext(ctx, `INSERT INTO main.catalog_tables (`+into+`) SELECT `+sel+` FROM `+rel+` s ON CONFLICT DO NOTHING`); err != nil {
		return fmt.Errorf("copy catalog_tables: %w", err)
	}
	return nil
}
