package load

import (
	"context"
	"crypto/rand"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	duckdb "github.com/duckdb/duckdb-go/v2"
	"go.uber.org/zap"

	sqlfiles "github.com/gongkai/gongkai/sql"
	"github.com/gongkai/gongkai/transform"
)

// ErrUnchanged is returned by Load when the document (same bytes) is
// already in the warehouse.
var ErrUnchanged = errors.New("document already loaded")

// Warehouse is a read-write handle on the DuckDB file.
type Warehouse struct {
	db     *sql.DB
	log    *zap.Logger
	path   string
	mem    memory.Allocator
	conn   *sql.Conn // the writer's connection, holding the staging tables; nil until the first load
	staged []string  // the staging tables of the group being loaded
}

var viewSeq atomic.Int64

// dsn builds a DuckDB DSN that never reaches the network.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Set("autoinstall_known_extensions", "false")
	q.Set("autoload_known_extensions", "false")
	if readOnly {
		q.Set("access_mode", "READ_ONLY")
	}
	// Bound DuckDB's buffer cache: the nightly job's memory must not grow with
	// the warehouse (DuckDB's default is 80% of RAM). The writer keeps less
	// (its reads are the ledger and a few lookups; measured: the cache of
	// table blocks grew ~10 MB per 1,000 documents loaded); queries more.
	// GONGKAI_MEMORY_LIMIT overrides both, e.g. 1GB.
	limit := os.Getenv("GONGKAI_MEMORY_LIMIT")
	switch {
	case limit != "":
	case readOnly:
		limit = "256MB"
	default:
		limit = "128MB"
	}
	q.Set("memory_limit", limit)
	return path + "?" + q.Encode()
}

// Open opens (creating if needed) the warehouse at path for writing and
// brings its schema and views up to date.
func Open(ctx context.Context, path string, log *zap.Logger) (*Warehouse, error) {
	if log == nil {
		log = zap.NewNop()
	}
	db, err := sql.Open("duckdb", dsn(path, false))
	if err != nil {
		return nil, fmt.Errorf("open warehouse %s: %w", path, err)
	}
	w := &Warehouse{db: db, log: log, path: path, mem: memory.NewGoAllocator()}
	if err := w.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open warehouse %s: %w", path, err)
	}
	return w, nil
}

// OpenReadOnly opens the warehouse for queries only.
func OpenReadOnly(path string) (*sql.DB, error) {
	db, err := sql.Open("duckdb", dsn(path, true))
	if err != nil {
		return nil, fmt.Errorf("open warehouse %s read-only: %w", path, err)
	}
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open warehouse %s read-only: %w", path, err)
	}
	return db, nil
}

// DB exposes the handle for queries in the same process.
func (w *Warehouse) DB() *sql.DB { return w.db }

// Close checkpoints and closes the warehouse. A checkpoint that cannot be
// written (disk full, file too large, no permission) is returned, not
// swallowed: DuckDB's own close does not report it.
func (w *Warehouse) Close() error {
	if w.conn != nil {
		w.conn.Close()
		w.conn = nil
	}
	_, cpErr := w.db.ExecContext(context.Background(), "CHECKPOINT")
	err := w.db.Close()
	if cpErr != nil {
		return fmt.Errorf("checkpoint %s: %w", w.path, cpErr)
	}
	return err
}

func (w *Warehouse) migrate(ctx context.Context) error {
	if _, err := w.db.ExecContext(ctx, sqlfiles.Schema); err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	if err := w.ensureCellKey(ctx); err != nil {
		return err
	}
	if _, err := w.db.ExecContext(ctx, sqlfiles.Views); err != nil {
		return fmt.Errorf("views: %w", err)
	}
	for i, t := range transform.StandardTables {
		if _, err := w.db.ExecContext(ctx, `INSERT INTO catalog_tables VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, t.Key, t.Name, i+1); err != nil {
			return fmt.Errorf("catalog: %w", err)
		}
	}
	return nil
}

// ensureCellKey creates the unique index of budget_lines' cells
// (sql/keys.sql). A warehouse made before the key that already holds two
// amounts for one cell cannot have it: the index is left off with a
// warning naming the cells' documents (new documents are refused by
// LoadGroup's own check all the same), and the next open tries again.
func (w *Warehouse) ensureCellKey(ctx context.Context) error {
	_, err := w.db.ExecContext(ctx, sqlfiles.CellKey)
	var de *duckdb.Error
	if err == nil || !errors.As(err, &de) || de.Type != duckdb.ErrorTypeConstraint {
		if err != nil {
			return fmt.Errorf("budget_lines cell key: %w", err)
		}
		return nil
	}
	var cells, docs int
	var ids string
	if qerr := w.db.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT document_id), coalesce(string_agg(DISTINCT document_id, ' '), '')
		FROM (SELECT document_id FROM budget_lines WHERE line IS NOT NULL
		      GROUP BY document_id, table_key, side, line, item_name, measure HAVING count(*) > 1)`).Scan(&cells, &docs, &ids); qerr != nil {
		return fmt.Errorf("budget_lines cell key: %w (and counting the duplicates: %v)", err, qerr)
	}
	w.log.Warn("budget_lines holds two amounts for one cell, loaded before the warehouse had its key: the unique index budget_lines_cell is left off until they are deleted; new documents are checked all the same",
		zap.Int("cells", cells), zap.Int("documents", docs), zap.Strings("document_ids", strings.Fields(ids)), zap.Error(err))
	return nil
}

// Has reports whether these bytes are loaded: a document with this id, or a
// file of one (document_files.sha256, a part of a merged document).
func (w *Warehouse) Has(ctx context.Context, sha256 string) (bool, error) {
	id, err := w.DocumentOf(ctx, sha256)
	return id != "", err
}

// DocumentOf returns the document whose bytes these are: the document with
// this id, else the document that lists a file of this SHA-256 (the current
// one first, then the latest); "" when none.
func (w *Warehouse) DocumentOf(ctx context.Context, sha256 string) (string, error) {
	var id string
	err := w.db.QueryRowContext(ctx, `SELECT document_id FROM (
		    SELECT document_id, 0 AS rank FROM documents WHERE document_id = ?
		    UNION ALL
		    SELECT d.document_id, CASE WHEN d.is_current THEN 1 ELSE 2 END FROM document_files f JOIN documents d USING (document_id)
		    WHERE f.sha256 = ?)
		ORDER BY rank LIMIT 1`, sha256, sha256).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}

// CurrentFiles returns the current document of an identity (region,
// department, fiscal year, stage) and its files; "" when there is none.
func (w *Warehouse) CurrentFiles(ctx context.Context, id transform.Identity) (string, []transform.FileMeta, error) {
	rows, err := w.db.QueryContext(ctx, `SELECT d.document_id, f.source_path, f.sha256, f.role, f.source_format, coalesce(f.encoding, ''),
		    coalesce(f.pages, 0), coalesce(f.byte_size, 0)
		FROM documents d JOIN document_files f USING (document_id)
		WHERE d.is_current AND d.region IS NOT DISTINCT FROM ? AND d.department_name IS NOT DISTINCT FROM ?
		  AND d.fiscal_year IS NOT DISTINCT FROM ? AND d.stage = ?
		ORDER BY d.ingested_at DESC, d.document_id, f.sha256`,
		nullIfEmpty(id.Region), nullIfEmpty(id.DepartmentName), id.FiscalYear, id.Stage)
	if err != nil {
		return "", nil, err
	}
	defer rows.Close()
	var doc string
	var files []transform.FileMeta
	for rows.Next() {
		var d string
		var f transform.FileMeta
		if err := rows.Scan(&d, &f.SourcePath, &f.SHA256, &f.Role, &f.SourceFormat, &f.Encoding, &f.Pages, &f.ByteSize); err != nil {
			return "", nil, err
		}
		if doc == "" {
			doc = d
		}
		if d == doc { // one current document per identity; the latest if ever more
			files = append(files, f)
		}
	}
	return doc, files, rows.Err()
}

// loadTableList is the warehouse tables a document writes, all in one transaction.
var loadTableList = []string{
	"documents", "document_files", "budget_lines", "source_tables", "projects", "findings", "corrections",
	"performance_forms", "performance_indicators", "performance_form_funding", "document_facts",
}

var loadTables = func() map[string]bool {
	m := map[string]bool{}
	for _, t := range loadTableList {
		m[t] = true
	}
	return m
}()

// CrossCheck recomputes the cross-document findings (check ids xdoc.*,
// sql/crossdoc.sql) from the current documents, in one transaction: what a
// document's narrative says about the year before against that year's own
// document, and a department's code and name across years.
func (w *Warehouse) CrossCheck(ctx context.Context) error {
	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, sqlfiles.CrossDocument); err != nil {
		return fmt.Errorf("cross-document checks: %w", err)
	}
	return tx.Commit()
}

// Doc is one parsed document waiting to be loaded.
type Doc struct {
	Meta transform.DocumentMeta
	Res  *transform.Result
}

// Load writes one document in a single transaction: either all its rows are
// in the warehouse afterwards or none. The same bytes again return
// ErrUnchanged. A newer file for the same region, department, year and
// stage marks older ones is_current = false.
func (w *Warehouse) Load(ctx context.Context, meta transform.DocumentMeta, res *transform.Result) error {
	return w.LoadGroup(ctx, []Doc{{meta, res}})[0]
}

// LoadGroup writes several documents, each whole or not at all as Load
// does; errs[i] is docs[i]'s outcome (nil, ErrUnchanged or the error).
//
// The group's rows are first copied into connection-local staging tables
// through one Arrow view per warehouse table, then moved into the
// warehouse in one transaction (loadStaged); if that fails, each document's
// own transaction moves its own rows (WHERE document_id = ?). Registering an
// Arrow view costs DuckDB about 13 KB of native memory that it does not give
// back (measured: 6,000 registrations, +70 MB, Go heap flat), so a view per
// table per document would grow the nightly job's memory with the corpus;
// per group it stays bounded. If staging the group fails, each document is
// staged and loaded alone, so one bad document only fails itself.
func (w *Warehouse) LoadGroup(ctx context.Context, docs []Doc) []error {
	errs := make([]error, len(docs))
	conn, err := w.stageConn(ctx)
	if err != nil {
		for i := range errs {
			errs[i] = err
		}
		return errs
	}
	// A document id twice in one group (the same bytes under two paths) would
	// stage its rows twice: the later copies are left to a group of their own.
	// A document with two amounts for one cell is refused before staging.
	seen := map[string]bool{}
	var first, again []int
	for i, d := range docs {
		if err := checkCells(d); err != nil {
			errs[i] = err
			continue
		}
		if seen[d.Meta.DocumentID] {
			again = append(again, i)
			continue
		}
		seen[d.Meta.DocumentID] = true
		first = append(first, i)
	}
	w.loadStaged(ctx, conn, docs, first, errs)
	for _, i := range again {
		w.loadStaged(ctx, conn, docs, []int{i}, errs)
	}
	return errs
}

// loadStaged stages docs[idx] together and moves them into the warehouse:
// all in one transaction — the statements each document's own transaction
// would run, in the same order, so supersession comes out the same — and,
// only when that fails, each in a transaction of its own, so that one bad
// document never keeps the others out and none is ever half-loaded. On a
// staging error with more than one document it retries them one by one.
func (w *Warehouse) loadStaged(ctx context.Context, conn *sql.Conn, docs []Doc, idx []int, errs []error) {
	defer w.clearStage(conn)
	if err := w.stage(ctx, conn, docs, idx); err != nil {
		if len(idx) > 1 {
			w.clearStage(conn)
			for _, i := range idx {
				w.loadStaged(ctx, conn, docs, []int{i}, errs)
			}
			return
		}
		errs[idx[0]] = err
		return
	}
	st, err := w.prepareCommit(ctx, conn)
	defer st.close()
	if err != nil {
		for _, i := range idx {
			errs[i] = err
		}
		return
	}
	if len(idx) > 1 {
		each := make([]error, len(idx))
		err := w.inTransaction(ctx, conn, func() error {
			if done, err := w.moveAllStaged(ctx, conn, st, docs, idx); done || err != nil {
				return err
			}
			for j, i := range idx {
				if err := w.moveStaged(ctx, st, docs[i]); errors.Is(err, ErrUnchanged) {
					each[j] = err
				} else if err != nil {
					return err
				}
			}
			return nil
		})
		if err == nil {
			for j, i := range idx {
				errs[i] = each[j]
			}
			return
		}
		w.log.Debug("group transaction failed; loading its documents one by one", zap.Error(err))
	}
	for _, i := range idx {
		errs[i] = w.inTransaction(ctx, conn, func() error { return w.moveStaged(ctx, st, docs[i]) })
	}
}

// commitStmts are the statements of moveStaged, prepared once per group
// rather than on every Exec: a document's transaction runs about fifteen of
// them (measured: the writer 10–12 % faster, BENCHMARKS.md).
type commitStmts struct {
	exists, supersede *sql.Stmt
	copy              []*sql.Stmt // one per staged table, in w.staged's order
}

func (w *Warehouse) prepareCommit(ctx context.Context, conn *sql.Conn) (*commitStmts, error) {
	st := &commitStmts{}
	var err error
	if st.exists, err = conn.PrepareContext(ctx, `SELECT count(*) FROM documents WHERE document_id = ?`); err != nil {
		return st, err
	}
	if st.supersede, err = conn.PrepareContext(ctx, `UPDATE documents SET is_current = false, superseded_by = ?
		WHERE is_current AND document_id <> ? AND region IS NOT DISTINCT FROM ? AND department_name IS NOT DISTINCT FROM ?
		  AND fiscal_year IS NOT DISTINCT FROM ? AND stage = ?`); err != nil {
		return st, err
	}
	for _, t := range w.staged {
		// Table names are from the fixed list; the document id is a parameter.
		c, err := conn.PrepareContext(ctx, `INSERT INTO main.`+t+` BY NAME SELECT * FROM gk_stage_`+t+` WHERE document_id = ?`)
		if err != nil {
			return st, fmt.Errorf("prepare load %s: %w", t, err)
		}
		st.copy = append(st.copy, c)
	}
	return st, nil
}

// close closes the statements before their staging tables are dropped.
func (st *commitStmts) close() {
	for _, s := range append([]*sql.Stmt{st.exists, st.supersede}, st.copy...) {
		if s != nil {
			s.Close()
		}
	}
}

// stageConn is the connection that owns the staging tables (DuckDB temp
// tables live in one connection). The warehouse has a single writer.
func (w *Warehouse) stageConn(ctx context.Context) (*sql.Conn, error) {
	if w.conn != nil {
		return w.conn, nil
	}
	conn, err := w.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	w.conn = conn
	return conn, nil
}

// stage copies the documents' rows into the staging tables.
func (w *Warehouse) stage(ctx context.Context, conn *sql.Conn, docs []Doc, idx []int) error {
	byTable := map[string][]arrow.RecordBatch{}
	var all []transform.Batch
	defer func() {
		for _, b := range all {
			b.Record.Release()
		}
	}()
	for _, i := range idx {
		batches, err := transform.Records(w.mem, docs[i].Meta, docs[i].Res)
		if err != nil {
			return fmt.Errorf("build records: %w", err)
		}
		all = append(all, batches...)
		for _, b := range batches {
			if !loadTables[b.Table] {
				return fmt.Errorf("unknown warehouse table %q", b.Table)
			}
			if b.Record.NumRows() > 0 {
				byTable[b.Table] = append(byTable[b.Table], b.Record)
			}
		}
	}
	for _, t := range loadTableList {
		if len(byTable[t]) == 0 {
			continue
		}
		w.staged = append(w.staged, t) // dropped by clearStage even if staging fails half way
		if err := w.insert(ctx, conn, t, byTable[t]); err != nil {
			return fmt.Errorf("stage %s: %w", t, err)
		}
	}
	return nil
}

// clearStage drops the staging tables: DuckDB keeps a temp table's deleted
// rows in memory, a dropped table's it frees (measured: DELETE grew
// IN_MEMORY_TABLE by 115 MB over 320 documents). A failure here surfaces when
// the next group creates them again.
func (w *Warehouse) clearStage(conn *sql.Conn) {
	defer func() { w.staged = w.staged[:0] }()
	for _, t := range w.staged {
		if _, err := conn.ExecContext(context.Background(), `DROP TABLE IF EXISTS temp.gk_stage_`+t); err != nil {
			w.log.Warn("clear staging table", zap.String("table", t), zap.Error(err))
		}
	}
}

// moveAllStaged is moveStaged for every staged document at once, one
// INSERT per table, when that writes what the documents one after another
// would: none of them is in the warehouse already and no two state the
// same identity (so no document of the group supersedes another of it).
// Otherwise it writes nothing and reports done = false.
func (w *Warehouse) moveAllStaged(ctx context.Context, conn *sql.Conn, st *commitStmts, docs []Doc, idx []int) (done bool, err error) {
	type key struct {
		region, dept string
		year         int
		stage        string
	}
	seen := map[key]bool{}
	for _, i := range idx {
		id := docs[i].Res.Identity
		k := key{id.Region, id.DepartmentName, id.FiscalYear, id.Stage}
		if seen[k] {
			return false, nil
		}
		seen[k] = true
	}
	if !slices.Contains(w.staged, "documents") {
		return false, nil
	}
	var n int
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM main.documents WHERE document_id IN (SELECT document_id FROM temp.gk_stage_documents)`).Scan(&n); err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	for _, t := range w.staged {
		// Table names are from the fixed list, never text from a document.
		if _, err := conn.ExecContext(ctx, `INSERT INTO main.`+t+` BY NAME SELECT * FROM temp.gk_stage_`+t); err != nil {
			return true, fmt.Errorf("load %s: %w", t, err)
		}
	}
	for _, i := range idx {
		meta, id := docs[i].Meta, docs[i].Res.Identity
		if _, err := st.supersede.ExecContext(ctx, meta.DocumentID, meta.DocumentID, nullIfEmpty(id.Region), nullIfEmpty(id.DepartmentName),
			id.FiscalYear, id.Stage); err != nil {
			return true, fmt.Errorf("supersede: %w", err)
		}
	}
	return true, nil
}

// inTransaction runs fn in a transaction on conn: committed when fn
// returns nil, rolled back otherwise.
func (w *Warehouse) inTransaction(ctx context.Context, conn *sql.Conn, fn func() error) error {
	if _, err := conn.ExecContext(ctx, `BEGIN TRANSACTION`); err != nil {
		return err
	}
	if err := fn(); err != nil {
		if _, rbErr := conn.ExecContext(context.Background(), `ROLLBACK`); rbErr != nil {
			w.log.Warn("rollback failed", zap.Error(rbErr))
		}
		return err
	}
	if _, err := conn.ExecContext(ctx, `COMMIT`); err != nil {
		if _, rbErr := conn.ExecContext(context.Background(), `ROLLBACK`); rbErr != nil {
			w.log.Debug("rollback after a failed commit", zap.Error(rbErr))
		}
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// moveStaged copies one staged document into the warehouse tables and
// supersedes the documents of its identity, inside the caller's
// transaction; ErrUnchanged, with nothing written, when it is there already.
func (w *Warehouse) moveStaged(ctx context.Context, st *commitStmts, d Doc) error {
	meta := d.Meta
	var n int
	if err := st.exists.QueryRowContext(ctx, meta.DocumentID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return ErrUnchanged
	}
	for k, t := range w.staged {
		if _, err := st.copy[k].ExecContext(ctx, meta.DocumentID); err != nil {
			return fmt.Errorf("load %s: %w", t, err)
		}
	}
	id := d.Res.Identity
	if _, err := st.supersede.ExecContext(ctx, meta.DocumentID, meta.DocumentID, nullIfEmpty(id.Region), nullIfEmpty(id.DepartmentName),
		id.FiscalYear, id.Stage); err != nil {
		return fmt.Errorf("supersede: %w", err)
	}
	return nil
}

// insert registers the batches as one uniquely named Arrow view, copies it
// into a new staging table for the warehouse table and drops the view before releasing the
// Arrow stream (a view left behind, or a reused name, crashes DuckDB).
func (w *Warehouse) insert(ctx context.Context, conn *sql.Conn, table string, recs []arrow.RecordBatch) error {
	view := fmt.Sprintf("gk_arrow_%s_%d_%s", table, viewSeq.Add(1), randHex(4))
	rdr, err := array.NewRecordReader(recs[0].Schema(), recs)
	if err != nil {
		return err
	}
	defer rdr.Release()
	var release func()
	err = conn.Raw(func(dc any) error {
		ar, err := duckdb.NewArrowFromConn(dc.(driver.Conn))
		if err != nil {
			return err
		}
		release, err = ar.RegisterView(rdr, view)
		return err
	})
	if err != nil {
		return fmt.Errorf("register arrow view: %w", err)
	}
	defer release()
	// Table and view names are ours (a fixed set and a generated name), never text from a document.
	// A temp table (never on disk) with the Arrow schema's columns; loaded BY NAME later.
	_, err = conn.ExecContext(ctx, `CREATE TEMP TABLE gk_stage_`+table+` AS SELECT * FROM `+view)
	if _, dropErr := conn.ExecContext(ctx, `DROP VIEW IF EXISTS `+view); dropErr != nil && err == nil {
		err = dropErr
	}
	return err
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// NewRunID makes a sortable, unique run id.
func NewRunID(now time.Time) string {
	return now.UTC().Format("20060102T150405Z") + "-" + randHex(3)
}

// StartRun records the start of an ingest run.
func (w *Warehouse) StartRun(ctx context.Context, runID string, at time.Time) error {
	_, err := w.db.ExecContext(ctx, `INSERT INTO ingest_runs (run_id, started_at) VALUES (?, ?)`, runID, at.UTC())
	return err
}

// FileRecord is one file's row of the ledger (ingest_files).
type FileRecord struct {
	Path       string
	DocumentID string // the document the file's bytes are (part of); "" when it failed before hashing
	Outcome    string // loaded, unchanged, failed
	Err        error
	Size       int64     // bytes, as stat saw them
	ModTime    time.Time // as stat saw it; zero when unknown
}

// RecordFiles records files' outcomes in the ledger and the run's counters,
// in one transaction.
func (w *Warehouse) RecordFiles(ctx context.Context, runID string, fs []FileRecord) error {
	if len(fs) == 0 {
		return nil
	}
	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// Multi-row INSERTs: one statement per 500 files (a prepared INSERT per
	// row runs at about 2,000 rows/s).
	const chunk = 500
	counts := map[string]int{}
	now := time.Now().UTC()
	for start := 0; start < len(fs); start += chunk {
		part := fs[start:min(start+chunk, len(fs))]
		var sb strings.Builder
		sb.WriteString(`INSERT INTO ingest_files (run_id, source_path, document_id, outcome, error, recorded_at, byte_size, modified_at) VALUES `)
		args := make([]any, 0, len(part)*8)
		for i, f := range part {
			if f.Outcome != "loaded" && f.Outcome != "unchanged" && f.Outcome != "failed" {
				return fmt.Errorf("unknown outcome %q", f.Outcome)
			}
			counts[f.Outcome]++
			errMsg := ""
			if f.Err != nil {
				errMsg = f.Err.Error()
			}
			var mtime any
			if !f.ModTime.IsZero() {
				mtime = f.ModTime.UTC()
			}
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString("(?, ?, ?, ?, ?, ?, ?, ?)")
			args = append(args, runID, f.Path, nullIfEmpty(f.DocumentID), f.Outcome, nullIfEmpty(errMsg), now, f.Size, mtime)
		}
		if _, err := tx.ExecContext(ctx, sb.String(), args...); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE ingest_runs SET files_seen = files_seen + ?, files_loaded = files_loaded + ?,
		files_unchanged = files_unchanged + ?, files_failed = files_failed + ? WHERE run_id = ?`,
		len(fs), counts["loaded"], counts["unchanged"], counts["failed"], runID); err != nil {
		return err
	}
	return tx.Commit()
}

// SeenFile is what the ledger knows of a path from its last load.
type SeenFile struct {
	DocumentID string
	Size       int64
	ModTime    time.Time // UTC, to the microsecond (DuckDB's TIMESTAMP)
}

// LastSeen reads, for every path the ledger has loaded or found unchanged,
// the document it held and the size and modification time it had then.
func (w *Warehouse) LastSeen(ctx context.Context) (map[string]SeenFile, error) {
	rows, err := w.db.QueryContext(ctx, `SELECT f.source_path, f.document_id, f.byte_size, f.modified_at FROM ingest_files f
		JOIN documents d USING (document_id)
		WHERE f.outcome IN ('loaded', 'unchanged') AND f.byte_size IS NOT NULL AND f.modified_at IS NOT NULL
		QUALIFY row_number() OVER (PARTITION BY f.source_path ORDER BY f.recorded_at DESC) = 1`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]SeenFile{}
	for rows.Next() {
		var path string
		var s SeenFile
		if err := rows.Scan(&path, &s.DocumentID, &s.Size, &s.ModTime); err != nil {
			return nil, err
		}
		out[path] = s
	}
	return out, rows.Err()
}

// FinishRun stamps the run's end.
func (w *Warehouse) FinishRun(ctx context.Context, runID string, at time.Time) error {
	_, err := w.db.ExecContext(ctx, `UPDATE ingest_runs SET finished_at = ? WHERE run_id = ?`, at.UTC(), runID)
	return err
}
