package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/gongkai/gongkai/ingest"
	"github.com/gongkai/gongkai/load"
	"github.com/gongkai/gongkai/tools/corpusgen/corpus"
)

// shardOf is the shard of n that `ingest --shard` gives the file at rel
// (its path relative to the folder ingested).
func shardOf(rel string, n int) int {
	for i := 1; i <= n; i++ {
		if (ingest.Shard{Index: i, Count: n}).Takes(rel) {
			return i
		}
	}
	return 0
}

// placeOnOtherShard writes b into dir under the first of names whose shard
// differs from the shards of the files in avoid, and returns its name.
func placeOnOtherShard(t *testing.T, dir string, b []byte, avoid []string, names ...string) string {
	t.Helper()
	for _, name := range names {
		if !slices.ContainsFunc(avoid, func(a string) bool { return shardOf(a, 3) == shardOf(name, 3) }) {
			if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), b, 0o644); err != nil {
				t.Fatal(err)
			}
			return name
		}
	}
	t.Fatalf("none of %v falls on another shard than %s", names, avoid)
	return ""
}

// acceptanceCorpus generates a corpus (tools/corpusgen: 45 disclosures, 15
// departments of three consecutive years) into dir/corpus, with one
// generated document re-published (the same document with other bytes,
// under a name that sorts after it and falls on another shard), and one
// real department of two years whose 2025 budget is re-published with
// figures its 2026 narrative contradicts (the xdoc.* findings), on a shard
// that has neither the version it supersedes nor the 2026 budget.
func acceptanceCorpus(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "corpus")
	w := &corpus.Writer{Dir: dir, NoTruth: true}
	if err := w.WriteCorpus(corpus.Options{Seed: 16, PerKind: 45, Kinds: []string{corpus.KindTabs}, Years: 3, GlitchRate: 0.2}); err != nil {
		t.Fatal(err)
	}
	man, err := corpus.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	// Re-publish a middle year of the first department.
	orig := man[1].Path
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(orig)))
	if err != nil {
		t.Fatal(err)
	}
	base := strings.TrimSuffix(orig, ".txt")
	placeOnOtherShard(t, dir, append(b, "\n"...), []string{orig}, base+".v2.txt", base+".v3.txt", base+".v4.txt", base+".v5.txt")

	real := filepath.Join(dir, "real")
	if err := os.MkdirAll(real, 0o755); err != nil {
		t.Fatal(err)
	}
	copyFile := func(src, name string) {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(real, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	copyFile("../../fixtures/text/shuozhou-dangqun-2026-budget.txt", "shuozhou-2026.txt")
	copyFile("../../fixtures/text/shuozhou-dangqun-2025-budget.txt", "shuozhou-2025.txt")
	contra, err := os.ReadFile("../../fixtures/crossdoc/shuozhou-dangqun-2025-budget.contradicting.txt")
	if err != nil {
		t.Fatal(err)
	}
	placeOnOtherShard(t, dir, contra, []string{"real/shuozhou-2025.txt", "real/shuozhou-2026.txt"},
		"real/shuozhou-2025.v2.txt", "real/shuozhou-2025.v3.txt", "real/shuozhou-2025.v4.txt", "real/shuozhou-2025.v5.txt", "real/shuozhou-2025.v6.txt")
	return dir
}

// gongkaiProcesses runs several gongkai processes at once.
func gongkaiProcesses(t *testing.T, runs ...[]string) {
	t.Helper()
	var wg sync.WaitGroup
	outs := make([]string, len(runs))
	codes := make([]int, len(runs))
	for i, args := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(os.Args[0], args...)
			cmd.Env = append(os.Environ(), "GONGKAI_TEST_MAIN=1")
			out, err := cmd.CombinedOutput()
			outs[i] = string(out)
			if err != nil {
				codes[i] = -1
				if ee, ok := err.(*exec.ExitError); ok {
					codes[i] = ee.ExitCode()
				}
			}
		}()
	}
	wg.Wait()
	for i := range runs {
		if codes[i] != 0 {
			t.Fatalf("gongkai %s: exit %d\n%s", strings.Join(runs[i], " "), codes[i], tail(outs[i]))
		}
	}
}

func tail(s string) string {
	if len(s) > 3000 {
		return "…" + s[len(s)-3000:]
	}
	return s
}

// warehouseRows is every table and view of a warehouse as sorted rows of
// text, without the columns named in skip (table.column).
func warehouseRows(t *testing.T, path string, skip ...string) map[string][]string {
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
		rows, err := db.Query(`SELECT * FROM "` + n + `"`) // n is from the allow-list
		if err != nil {
			t.Fatal(err)
		}
		cols, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		vals, ptrs := make([]any, len(cols)), make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var sb strings.Builder
			for i, c := range cols {
				if !slices.Contains(skip, n+"."+c) {
					fmt.Fprintf(&sb, "%s=%v|", c, vals[i])
				}
			}
			out[n] = append(out[n], sb.String())
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		slices.Sort(out[n])
	}
	return out
}

// sameRows reports each table or view whose rows differ, with a few of the rows.
func sameRows(t *testing.T, what string, got, want map[string][]string) {
	t.Helper()
	var names []string
	for n := range want {
		names = append(names, n)
	}
	for n := range got {
		if _, ok := want[n]; !ok {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	for _, n := range names {
		g, w := got[n], want[n]
		if slices.Equal(g, w) {
			continue
		}
		t.Errorf("%s: %s: %d rows, want %d", what, n, len(g), len(w))
		shown := 0
		for _, r := range w {
			if _, found := slices.BinarySearch(g, r); !found && shown < 3 {
				t.Errorf("  missing %s", r)
				shown++
			}
		}
		for _, r := range g {
			if _, found := slices.BinarySearch(w, r); !found && shown < 6 {
				t.Errorf("  extra   %s", r)
				shown++
			}
		}
	}
}

func queryString(t *testing.T, path, q string) string {
	t.Helper()
	db, err := load.OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var s sql.NullString
	if err := db.QueryRow(q).Scan(&s); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return s.String
}

// The acceptance test of issue 16. A generated corpus in which departments
// appear in three years and documents are re-published is ingested as 3
// shards by 3 gongkai processes at once (`ingest --shard i/3`) and merged
// (`gongkai merge`); every table and view equals a single process's run
// over the same files, apart from run ids and timestamps (and the runs
// themselves: one against three, compared by their totals). The shards
// alone do not: each has some years of a department and not the others,
// and a superseded version current. Merging the shards again changes
// nothing.
func TestMergeShardsAcceptance(t *testing.T) {
	dir := acceptanceCorpus(t)
	work := t.TempDir()
	single := filepath.Join(work, "single.duckdb")
	shards := []string{filepath.Join(work, "shard-1.duckdb"), filepath.Join(work, "shard-2.duckdb"), filepath.Join(work, "shard-3.duckdb")}
	runs := [][]string{{"ingest", "--db", single, dir}}
	for i, s := range shards {
		runs = append(runs, []string{"ingest", "--db", s, "--shard", fmt.Sprintf("%d/3", i+1), dir})
	}
	gongkaiProcesses(t, runs...)
	merged := filepath.Join(work, "merged.duckdb")
	code, out := gongkaiProcess(t, append([]string{"merge", "--db", merged}, shards...)...)
	if code != 0 {
		t.Fatalf("merge: exit %d\n%s", code, tail(out))
	}
	if !strings.Contains(out, "merged 3 shards: 49 documents in them, 49 new; 3 runs new, 0 updated") {
		t.Errorf("merge said:\n%s", tail(out))
	}

	skip := []string{"documents.ingested_at", "ingest_files.run_id", "ingest_files.recorded_at"}
	want := warehouseRows(t, single, skip...)
	got := warehouseRows(t, merged, skip...)
	if len(want["documents"]) != 49 || len(want["v_year_over_year"]) == 0 || len(want["v_stated_vs_prior"]) == 0 {
		t.Fatalf("the corpus gives %d documents, %d year-over-year rows, %d stated-vs-prior rows: not the corpus the test means",
			len(want["documents"]), len(want["v_year_over_year"]), len(want["v_stated_vs_prior"]))
	}
	for _, m := range []map[string][]string{want, got} {
		delete(m, "ingest_runs")
	}
	sameRows(t, "3 shards merged against one process", got, want)
	totals := `SELECT sum(files_seen) || ' seen, ' || sum(files_loaded) || ' loaded, ' || sum(files_failed) || ' failed' FROM ingest_runs`
	if g, w := queryString(t, merged, totals), queryString(t, single, totals); g != w {
		t.Errorf("runs: merged %s, one process %s", g, w)
	}
	if s := queryString(t, merged, `SELECT string_agg(shard, ' ' ORDER BY shard) FROM ingest_runs`); s != strings.Join(shards, " ") {
		t.Errorf("the runs' shards: %s", s)
	}

	// What the test is about: each shard alone is not the warehouse.
	for _, q := range []string{
		`SELECT count(*)::VARCHAR FROM v_year_over_year`,
		`SELECT count(*)::VARCHAR FROM findings WHERE check_id LIKE 'xdoc.%'`,
		`SELECT count(*)::VARCHAR FROM documents WHERE NOT is_current`,
	} {
		var perShard []string
		sum := 0
		for _, s := range shards {
			v := queryString(t, s, q)
			perShard = append(perShard, v)
			var n int
			fmt.Sscan(v, &n)
			sum += n
		}
		whole := queryString(t, single, q)
		if whole == "0" || fmt.Sprint(sum) == whole {
			t.Errorf("%s: one process %s, the shards %v: the corpus does not make the shards differ from the whole", q, whole, perShard)
		}
	}

	before := warehouseRows(t, merged)
	code, out = gongkaiProcess(t, append([]string{"merge", "--db", merged}, shards...)...)
	if code != 0 || !strings.Contains(out, "0 new; 0 runs new, 0 updated") {
		t.Fatalf("merge again: exit %d\n%s", code, tail(out))
	}
	sameRows(t, "merged twice against once", warehouseRows(t, merged), before)
}

// A refused shard: exit status 1, a message naming it, and nothing written
// — not even the new warehouse or its working copy.
func TestMergeCommandRefusesAndWritesNothing(t *testing.T) {
	dir := t.TempDir()
	shard := filepath.Join(dir, "shard.duckdb")
	if code, out, errs := gongkai(t, "ingest", "--db", shard, seed); code != 0 {
		t.Fatalf("ingest: exit %d\n%s%s", code, out, errs)
	}
	db, err := sql.Open("duckdb", shard)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE OR REPLACE VIEW warehouse_schema AS SELECT 9 AS schema_version`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	out := filepath.Join(dir, "merged.duckdb")
	code, stdout, stderr := gongkai(t, "merge", "--db", out, shard)
	if code != 1 || !strings.Contains(stderr, shard) || !strings.Contains(stderr, "schema version 9") {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	for _, p := range []string{out, out + ".next", out + ".next.wal", out + ".wal"} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s exists after a refused merge (%v)", p, err)
		}
	}
	if code, _, _ := gongkai(t, "merge", "--db", out); code != 2 {
		t.Errorf("merge without shards: exit %d, want 2", code)
	}
	// Into the shard itself: refused in place; through a working copy,
	// refused for its schema and the working copy is gone.
	var buf bytes.Buffer
	if code := run([]string{"merge", "--db", shard, "--in-place", shard}, &buf, &buf); code != 1 || !strings.Contains(buf.String(), "is the warehouse being written") {
		t.Errorf("merging a warehouse into itself --in-place: exit %d: %s", code, buf.String())
	}
	buf.Reset()
	if code := run([]string{"merge", "--db", shard, shard}, &buf, &buf); code != 1 || !strings.Contains(buf.String(), "schema version 9") {
		t.Errorf("merging a warehouse into itself: exit %d: %s", code, buf.String())
	}
	if _, err := os.Stat(shard + ".next"); !os.IsNotExist(err) {
		t.Errorf("%s.next left behind by a refused merge (%v)", shard, err)
	}
}
