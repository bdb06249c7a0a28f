package load_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gongkai/gongkai/ingest"
	"github.com/gongkai/gongkai/load"
)

// mergeCorpus copies fixtures into one folder under names whose order is
// the order a single run loads them in: three versions of one department's
// 2025 budget (the last, contradicting what its 2026 narrative says about
// 2025, is current and gives xdoc findings), its 2026 budget, two
// publications of another department's 2025 budget, and a third
// department. shards lists which files each of three shards ingests, so
// that every version of a document lands on another shard than the one
// it supersedes.
func mergeCorpus(t *testing.T) (dir string, all []string, shards [3][]string) {
	t.Helper()
	dir = t.TempDir()
	files := []struct{ name, src string }{
		{"0-shuozhou-2025-recoded.txt", "../fixtures/crossdoc/shuozhou-dangqun-2025-budget.recoded.txt"},
		{"b-shuozhou-2025.txt", "../fixtures/text/shuozhou-dangqun-2025-budget.txt"},
		{"c-shuozhou-2026.txt", "../fixtures/text/shuozhou-dangqun-2026-budget.txt"},
		{"d-datong-2025.txt", "../fixtures/text/datong-yungang-jiaoyu-2025-budget.txt"},
		{"e-datong-2025-spaces.txt", "../fixtures/text/datong-yungang-jiaoyu-2025-budget.spaces.txt"},
		{"f-yangquan-2024.txt", "../fixtures/text/yangquan-chengqu-caizheng-2024-budget.txt"},
		{"z-shuozhou-2025-contradicting.txt", "../fixtures/crossdoc/shuozhou-dangqun-2025-budget.contradicting.txt"},
	}
	path := map[string]string{}
	for _, f := range files {
		b, err := os.ReadFile(f.src)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, f.name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		path[f.name[:1]] = p
		all = append(all, p)
	}
	shards = [3][]string{
		{path["b"], path["e"]},
		{path["c"], path["f"], path["z"]},
		{path["0"], path["d"]},
	}
	return dir, all, shards
}

// ingestInto runs one ingest over paths into a new or existing warehouse file.
func ingestInto(t *testing.T, db string, paths ...string) {
	t.Helper()
	w, err := load.Open(context.Background(), db, nil)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := (&ingest.Ingester{W: w}).Run(context.Background(), paths)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Failed > 0 {
		t.Fatalf("ingest %v: %d failed", paths, sum.Failed)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// mergeInto merges shards into the warehouse file db.
func mergeInto(t *testing.T, db string, shards ...string) (*load.MergeStats, error) {
	t.Helper()
	w, err := load.Open(context.Background(), db, nil)
	if err != nil {
		t.Fatal(err)
	}
	stats, err := w.Merge(context.Background(), shards)
	if cerr := w.Close(); cerr != nil {
		t.Fatal(cerr)
	}
	return stats, err
}

// dumpTables is every table and view of the warehouse, as sorted rows of
// text, without the columns named in skip (table.column).
func dumpWarehouse(t *testing.T, path string, skip ...string) map[string][]string {
	t.Helper()
	db, err := load.OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	names, err := load.ExportTables(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, n := range names {
		out[n] = dumpTable(t, db, n, skip)
	}
	return out
}

func dumpTable(t *testing.T, db *sql.DB, table string, skip []string) []string {
	t.Helper()
	rows, err := db.Query(`SELECT * FROM "` + table + `"`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var out []string
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		var sb strings.Builder
		for i, c := range cols {
			if slices.Contains(skip, table+"."+c) {
				continue
			}
			fmt.Fprintf(&sb, "%s=%v|", c, vals[i])
		}
		out = append(out, sb.String())
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// diffDumps reports the tables whose rows differ.
func diffDumps(t *testing.T, what string, got, want map[string][]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d tables and views, want %d", what, len(got), len(want))
	}
	for name, w := range want {
		g := got[name]
		if slices.Equal(g, w) {
			continue
		}
		t.Errorf("%s: %s differs: %d rows, want %d", what, name, len(g), len(w))
		shown := 0
		for _, r := range w {
			if !slices.Contains(g, r) && shown < 3 {
				t.Errorf("  missing: %s", r)
				shown++
			}
		}
		for _, r := range g {
			if !slices.Contains(w, r) && shown < 6 {
				t.Errorf("  extra:   %s", r)
				shown++
			}
		}
	}
}

// What differs between one run and shards merged: run ids, timestamps and
// the runs themselves (one against one per shard), compared apart.
var runColumns = []string{
	"documents.ingested_at", "ingest_files.run_id", "ingest_files.recorded_at",
	"ingest_runs.run_id", "ingest_runs.started_at", "ingest_runs.finished_at", "ingest_runs.shard",
}

func runTotals(t *testing.T, path string) string {
	t.Helper()
	db, err := load.OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var s string
	if err := db.QueryRow(`SELECT sum(files_seen) || '/' || sum(files_loaded) || '/' || sum(files_unchanged) || '/' || sum(files_failed) FROM ingest_runs`).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

func queryOne(t *testing.T, path, q string, args ...any) string {
	t.Helper()
	db, err := load.OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var s sql.NullString
	if err := db.QueryRow(q, args...).Scan(&s); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return s.String
}

// Three shards, each a different share of the files, merged: every table
// and view equals one run over all files, but for run ids, timestamps and
// the runs' count; the supersession chain and the xdoc findings are the
// single run's, though no shard alone had them. Merging again changes
// nothing at all.
func TestMergeShardsEqualsOneRun(t *testing.T) {
	dir, all, shards := mergeCorpus(t)
	single := filepath.Join(dir, "single.duckdb")
	ingestInto(t, single, dir)

	var shardDBs []string
	for i, files := range shards {
		db := filepath.Join(t.TempDir(), fmt.Sprintf("shard%d.duckdb", i+1))
		ingestInto(t, db, files...)
		shardDBs = append(shardDBs, db)
	}
	merged := filepath.Join(t.TempDir(), "merged.duckdb")
	stats, err := mergeInto(t, merged, shardDBs...)
	if err != nil {
		t.Fatal(err)
	}
	if stats.NewDocs != len(all) || stats.Documents != len(all) || stats.NewRuns != 3 || stats.Current != 4 {
		t.Errorf("stats = %+v, want %d new documents, 3 runs, 4 current", stats, len(all))
	}
	want := dumpWarehouse(t, single, runColumns...)
	got := dumpWarehouse(t, merged, runColumns...)
	delete(want, "ingest_runs")
	delete(got, "ingest_runs")
	diffDumps(t, "merged against one run", got, want)
	if g, w := runTotals(t, merged), runTotals(t, single); g != w {
		t.Errorf("runs' files seen/loaded/unchanged/failed: merged %s, one run %s", g, w)
	}
	// The chain of the three versions of 2025, the contradicting one current.
	chain := queryOne(t, merged, `SELECT string_agg(split_part(source_path, '/', -1) || ':' || is_current, ' ' ORDER BY source_path)
		FROM documents WHERE department_name = (SELECT department_name FROM documents WHERE source_path LIKE '%c-shuozhou-2026.txt') AND fiscal_year = 2025`)
	if chain != "0-shuozhou-2025-recoded.txt:false b-shuozhou-2025.txt:false z-shuozhou-2025-contradicting.txt:true" {
		t.Errorf("2025 versions = %s", chain)
	}
	if n := queryOne(t, merged, `SELECT count(*)::VARCHAR FROM findings WHERE check_id = 'xdoc.prior_figure'`); n != "3" {
		t.Errorf("xdoc.prior_figure findings = %s, want 3", n)
	}
	// Each run with its shard.
	if s := queryOne(t, merged, `SELECT string_agg(shard, ',' ORDER BY shard) FROM ingest_runs`); s != strings.Join(shardDBs, ",") {
		t.Errorf("runs' shards = %s, want %s", s, strings.Join(shardDBs, ","))
	}

	before := dumpWarehouse(t, merged)
	stats, err = mergeInto(t, merged, shardDBs...)
	if err != nil {
		t.Fatal(err)
	}
	if stats.NewDocs != 0 || stats.NewRuns != 0 || stats.UpdatedRuns != 0 || stats.Reordered != 0 {
		t.Errorf("merging again: %+v, want nothing new", stats)
	}
	diffDumps(t, "merged twice against once", dumpWarehouse(t, merged), before)
}

// A shard merged into a warehouse that already holds the others gives the
// warehouse all shards merged at once give, when its documents are not
// older versions of those (here: a department's first year); and a
// re-publication a later shard brings supersedes what the warehouse holds,
// as a later run does.
func TestMergeNewShardIntoExisting(t *testing.T) {
	_, _, shards := mergeCorpus(t)
	var dbs []string
	for i, files := range shards {
		db := filepath.Join(t.TempDir(), fmt.Sprintf("shard%d.duckdb", i+1))
		ingestInto(t, db, files...)
		dbs = append(dbs, db)
	}
	once := filepath.Join(t.TempDir(), "once.duckdb")
	if _, err := mergeInto(t, once, dbs...); err != nil {
		t.Fatal(err)
	}
	// Shard 2 (the 2026 budget, Yangquan and the contradicting 2025 version,
	// whose path sorts last) after shards 1 and 3: the same warehouse.
	stepwise := filepath.Join(t.TempDir(), "stepwise.duckdb")
	if _, err := mergeInto(t, stepwise, dbs[0], dbs[2]); err != nil {
		t.Fatal(err)
	}
	if _, err := mergeInto(t, stepwise, dbs[1]); err != nil {
		t.Fatal(err)
	}
	skip := []string{"ingest_runs.shard"} // the same shards, named the same: kept to compare
	diffDumps(t, "shard 2 merged later against all at once", dumpWarehouse(t, stepwise, skip...), dumpWarehouse(t, once, skip...))

	// A re-publication on a new shard, whose path sorts first: merged
	// later, it supersedes the current version, as a later run would.
	dir := t.TempDir()
	b, err := os.ReadFile("../fixtures/text/shuozhou-dangqun-2025-budget.txt")
	if err != nil {
		t.Fatal(err)
	}
	repub := filepath.Join(dir, "0-shuozhou-2025-republished.txt")
	if err := os.WriteFile(repub, append(b, "\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	late := filepath.Join(dir, "late.duckdb")
	ingestInto(t, late, repub)
	stats, err := mergeInto(t, stepwise, late)
	if err != nil {
		t.Fatal(err)
	}
	if stats.NewDocs != 1 || stats.Reordered != 1 {
		t.Errorf("stats = %+v, want 1 new document and 1 reordered (the one it supersedes)", stats)
	}
	cur := queryOne(t, stepwise, `SELECT string_agg(split_part(source_path, '/', -1), ',') FROM documents WHERE is_current AND fiscal_year = 2025
		AND department_name = (SELECT department_name FROM documents WHERE source_path LIKE '%c-shuozhou-2026.txt')`)
	if cur != "0-shuozhou-2025-republished.txt" {
		t.Errorf("current 2025 version = %s, want the re-publication merged last", cur)
	}
	prev := queryOne(t, stepwise, `SELECT superseded_by FROM documents WHERE source_path LIKE '%z-shuozhou-2025-contradicting.txt'`)
	if prev != fileID(t, repub) {
		t.Errorf("the contradicting version is superseded by %s, want %s", prev, fileID(t, repub))
	}
	// The xdoc findings of the contradicting version went with it.
	if n := queryOne(t, stepwise, `SELECT count(*)::VARCHAR FROM findings WHERE check_id LIKE 'xdoc.%'`); n != "0" {
		t.Errorf("xdoc findings = %s, want 0 once the true figures are current", n)
	}
}

// A shard this gongkai cannot take whole is refused with a message that
// names it and why, and the warehouse is left exactly as it was.
func TestMergeRefusesIncompatibleShard(t *testing.T) {
	_, _, shards := mergeCorpus(t)
	good := filepath.Join(t.TempDir(), "good.duckdb")
	ingestInto(t, good, shards[0]...)
	out := filepath.Join(t.TempDir(), "out.duckdb")
	if _, err := mergeInto(t, out, good); err != nil {
		t.Fatal(err)
	}
	before := dumpWarehouse(t, out)

	altered := func(name string, stmts ...string) string {
		p := filepath.Join(t.TempDir(), name+".duckdb")
		ingestInto(t, p, shards[1]...)
		db, err := sql.Open("duckdb", p)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		for _, s := range stmts {
			if _, err := db.Exec(s); err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}
		return p
	}
	notWarehouse := filepath.Join(t.TempDir(), "other.duckdb")
	if db, err := sql.Open("duckdb", notWarehouse); err != nil {
		t.Fatal(err)
	} else {
		if _, err := db.Exec(`CREATE TABLE t (x INTEGER)`); err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
	for _, c := range []struct {
		shard string
		want  []string
	}{
		{altered("newer", `CREATE OR REPLACE VIEW warehouse_schema AS SELECT 2 AS schema_version`),
			[]string{"schema version 2", "merges version 1 and older"}},
		{altered("extra", `ALTER TABLE budget_lines ADD COLUMN amount_wanyuan DECIMAL(18,6)`),
			[]string{"budget_lines", "amount_wanyuan", "lacks"}},
		{altered("retyped", `ALTER TABLE documents ALTER COLUMN pages TYPE BIGINT`),
			[]string{"documents.pages", "BIGINT", "INTEGER"}},
		{notWarehouse, []string{"no table documents", "not a gongkai warehouse"}},
	} {
		// The bad shard after a good new one: the good one is not merged either.
		fresh := filepath.Join(t.TempDir(), "fresh.duckdb")
		ingestInto(t, fresh, shards[2]...)
		_, err := mergeInto(t, out, fresh, c.shard)
		if !errors.Is(err, load.ErrIncompatibleShard) {
			t.Errorf("%s: err = %v, want ErrIncompatibleShard", c.shard, err)
			continue
		}
		for _, w := range append(c.want, c.shard) {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: message %q lacks %q", c.shard, err, w)
			}
		}
		diffDumps(t, "after a refused merge", dumpWarehouse(t, out), before)
	}
}

// A merge that fails half way (a shard whose rows break the warehouse's
// cell key, loaded there before the key existed) writes nothing.
func TestMergeFailingHalfWayWritesNothing(t *testing.T) {
	_, _, shards := mergeCorpus(t)
	out := filepath.Join(t.TempDir(), "out.duckdb")
	first := filepath.Join(t.TempDir(), "first.duckdb")
	ingestInto(t, first, shards[0]...)
	if _, err := mergeInto(t, out, first); err != nil {
		t.Fatal(err)
	}
	before := dumpWarehouse(t, out)
	bad := filepath.Join(t.TempDir(), "bad.duckdb")
	ingestInto(t, bad, shards[1]...)
	db, err := sql.Open("duckdb", bad)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`DROP INDEX budget_lines_cell`,
		`INSERT INTO budget_lines SELECT * REPLACE (amount_yuan + 1 AS amount_yuan) FROM budget_lines WHERE line IS NOT NULL LIMIT 1`} {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	db.Close()
	good := filepath.Join(t.TempDir(), "good.duckdb")
	ingestInto(t, good, shards[2]...)
	_, err = mergeInto(t, out, good, bad)
	if err == nil || !strings.Contains(err.Error(), "budget_lines") || !strings.Contains(err.Error(), bad) {
		t.Fatalf("err = %v, want the cell key's refusal naming budget_lines and the shard", err)
	}
	diffDumps(t, "after a failed merge", dumpWarehouse(t, out), before)
}

// The shards' Parquet trees (gongkai export --format parquet) merge as the
// shard warehouses do; a shard made before the schema version existed (no
// warehouse_schema, no documents.scope) merges with the column NULL.
func TestMergeParquetTreesAndOldShards(t *testing.T) {
	_, _, shards := mergeCorpus(t)
	var dbs, trees []string
	for i, files := range shards {
		db := filepath.Join(t.TempDir(), fmt.Sprintf("shard%d.duckdb", i+1))
		ingestInto(t, db, files...)
		dbs = append(dbs, db)
		r, err := load.OpenReadOnly(db)
		if err != nil {
			t.Fatal(err)
		}
		tree := filepath.Join(t.TempDir(), fmt.Sprintf("tree%d", i+1))
		if err := load.ExportParquet(context.Background(), r, tree); err != nil {
			t.Fatal(err)
		}
		r.Close()
		trees = append(trees, tree)
	}
	fromFiles := filepath.Join(t.TempDir(), "files.duckdb")
	if _, err := mergeInto(t, fromFiles, dbs...); err != nil {
		t.Fatal(err)
	}
	fromTrees := filepath.Join(t.TempDir(), "trees.duckdb")
	if _, err := mergeInto(t, fromTrees, trees...); err != nil {
		t.Fatal(err)
	}
	skip := []string{"ingest_runs.shard"}
	diffDumps(t, "Parquet trees against warehouse files", dumpWarehouse(t, fromTrees, skip...), dumpWarehouse(t, fromFiles, skip...))

	// An old shard: no warehouse_schema, no documents.scope.
	db, err := sql.Open("duckdb", dbs[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`DROP VIEW warehouse_schema`, `DROP VIEW v_document_quality`, `ALTER TABLE documents DROP COLUMN scope`} {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	db.Close()
	old := filepath.Join(t.TempDir(), "old.duckdb")
	if _, err := mergeInto(t, old, dbs...); err != nil {
		t.Fatal(err)
	}
	if n := queryOne(t, old, `SELECT count(*)::VARCHAR FROM documents WHERE scope IS NULL`); n != "2" {
		t.Errorf("documents without scope = %s, want the old shard's 2", n)
	}
}

func fileID(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// Supersession matches region, department and fiscal year as Load's UPDATE
// does, NULL with NULL: two versions of a document whose fiscal year was
// not read, on two shards, are one chain after the merge (the later by
// path current), as they are when one run loads both.
func TestMergeSupersedesWithoutFiscalYear(t *testing.T) {
	_, _, shards := mergeCorpus(t)
	// b-shuozhou-2025.txt on shard 1, z-shuozhou-2025-contradicting.txt on shard 2.
	b, z := shards[0][0], shards[1][2]
	var dbs []string
	for i, f := range []string{b, z} {
		db := filepath.Join(t.TempDir(), fmt.Sprintf("s%d.duckdb", i))
		ingestInto(t, db, f)
		conn, err := sql.Open("duckdb", db)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Exec(`UPDATE documents SET fiscal_year = NULL`); err != nil {
			t.Fatal(err)
		}
		conn.Close()
		dbs = append(dbs, db)
	}
	out := filepath.Join(t.TempDir(), "out.duckdb")
	if _, err := mergeInto(t, out, dbs...); err != nil {
		t.Fatal(err)
	}
	got := queryOne(t, out, `SELECT string_agg(split_part(source_path, '/', -1) || ':' || is_current || ':' || coalesce(superseded_by = ?, false), ' ' ORDER BY source_path)
		FROM documents`, fileID(t, z))
	if want := "b-shuozhou-2025.txt:false:true z-shuozhou-2025-contradicting.txt:true:false"; got != want {
		t.Errorf("documents without a fiscal year: %s, want %s", got, want)
	}
}

// A shard's path is the operator's and may hold any character: it reaches
// SQL only as a quoted literal (ATTACH and read_parquet take no
// parameters), so a quote in it is a character, for a warehouse file and
// for a Parquet tree alike.
func TestMergeShardPathWithQuotes(t *testing.T) {
	_, _, shards := mergeCorpus(t)
	dir := filepath.Join(t.TempDir(), "it's a 'shard'")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "o'neil.duckdb")
	ingestInto(t, db, shards[0]...)
	r, err := load.OpenReadOnly(db)
	if err != nil {
		t.Fatal(err)
	}
	tree := filepath.Join(dir, "tree'); DROP TABLE documents; --")
	if err := load.ExportParquet(context.Background(), r, tree); err != nil {
		t.Fatal(err)
	}
	r.Close()
	for _, shard := range []string{db, tree} {
		out := filepath.Join(t.TempDir(), "out.duckdb")
		if _, err := mergeInto(t, out, shard); err != nil {
			t.Fatalf("%s: %v", shard, err)
		}
		if n := queryOne(t, out, `SELECT count(*)::VARCHAR FROM documents`); n != "2" {
			t.Errorf("%s: %s documents, want 2", shard, n)
		}
		if s := queryOne(t, out, `SELECT shard FROM ingest_runs`); s != shard {
			t.Errorf("the run's shard = %q, want %q", s, shard)
		}
	}
}

// The same bytes under two paths on two shards are one document, and it is
// the one a single run over both keeps: the first path in path order (the
// other is that run's 'unchanged'), whichever shard is named first.
func TestMergeSameBytesOnTwoShardsKeepsTheFirstPath(t *testing.T) {
	dir := t.TempDir()
	b, err := os.ReadFile("../fixtures/text/yangquan-chengqu-caizheng-2024-budget.txt")
	if err != nil {
		t.Fatal(err)
	}
	first, second := filepath.Join(dir, "a", "yangquan.txt"), filepath.Join(dir, "b", "yangquan.txt")
	for _, p := range []string{first, second} {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	single := filepath.Join(t.TempDir(), "single.duckdb")
	ingestInto(t, single, dir)
	s1, s2 := filepath.Join(t.TempDir(), "s1.duckdb"), filepath.Join(t.TempDir(), "s2.duckdb")
	ingestInto(t, s1, second)
	ingestInto(t, s2, first)
	out := filepath.Join(t.TempDir(), "out.duckdb")
	stats, err := mergeInto(t, out, s1, s2)
	if err != nil {
		t.Fatal(err)
	}
	if stats.NewDocs != 1 || stats.ShardDocs != 2 {
		t.Errorf("stats = %+v, want 2 documents in the shards, 1 new", stats)
	}
	skip := []string{"documents.ingested_at"}
	for _, table := range []string{"documents", "document_files", "budget_lines", "findings", "corrections"} {
		got := dumpWarehouse(t, out, skip...)[table]
		want := dumpWarehouse(t, single, skip...)[table]
		if !slices.Equal(got, want) {
			t.Errorf("%s: merged %d rows, one run %d; first row merged %.200q, one run %.200q", table, len(got), len(want), first1(got), first1(want))
		}
	}
}

func first1(rows []string) string {
	if len(rows) == 0 {
		return ""
	}
	return rows[0]
}
