package ingest_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gongkai/gongkai/extract"
	"github.com/gongkai/gongkai/ingest"
	"github.com/gongkai/gongkai/transform"
)

const (
	splitNarrative = "../fixtures/split/shuozhou-dangqun-2026-budget.narrative.txt"
	splitTables    = "../fixtures/split/shuozhou-dangqun-2026-budget.tables.txt"
)

// copyFile copies a fixture into dir (tests that touch or delete it).
func copyFile(t *testing.T, src, dir string) string {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, filepath.Base(src))
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return dst
}

// rows dumps a query's rows as sorted text.
func rows(t *testing.T, db *sql.DB, q string, args ...any) []string {
	t.Helper()
	rs, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rs.Close()
	cols, _ := rs.Columns()
	var out []string
	for rs.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		strs := make([]string, len(vals))
		for i, v := range vals {
			strs[i] = fmt.Sprint(v)
		}
		out = append(out, strings.Join(strs, " "))
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// documentTables are the tables a document writes, but for documents.
var documentTables = []string{"document_files", "budget_lines", "source_tables", "projects", "findings", "corrections",
	"performance_forms", "performance_indicators", "performance_form_funding", "document_facts"}

// current dumps everything of the one current document: its documents row
// (without the time it was loaded) and its rows of every document table.
func current(t *testing.T, db *sql.DB) map[string][]string {
	t.Helper()
	var id string
	if err := db.QueryRow(`SELECT document_id FROM documents WHERE is_current`).Scan(&id); err != nil {
		t.Fatalf("the current document: %v", err)
	}
	out := map[string][]string{"documents": rows(t, db, `SELECT * EXCLUDE (ingested_at) FROM documents WHERE document_id = ?`, id)}
	for _, tbl := range documentTables {
		out[tbl] = rows(t, db, `SELECT * FROM `+tbl+` WHERE document_id = ?`, id)
	}
	return out
}

func sameDump(t *testing.T, what string, got, want map[string][]string) {
	t.Helper()
	for k, w := range want {
		if g := got[k]; !slices.Equal(g, w) {
			t.Errorf("%s: %s differs (%d rows against %d)\n  got:  %.600v\n  want: %.600v", what, k, len(g), len(w), g, w)
		}
	}
}

// A narrative and a tables file of one department and year load as one
// document, whether they come in one run or in two, in either order: the
// same id, files, rows, facts and findings; again, they are unchanged.
func TestSplitDisclosureLoadsAsOneDocument(t *testing.T) {
	dir := t.TempDir()
	narrative, tables := copyFile(t, splitNarrative, dir), copyFile(t, splitTables, dir)
	merged := ingest.MergedID(fileID(t, narrative), fileID(t, tables))

	w1, _ := openTemp(t)
	sum := runIngest(t, w1, narrative, tables)
	if sum.Loaded != 2 || sum.Failed != 0 {
		t.Fatalf("one run: %+v", sum)
	}
	db := w1.DB()
	if n := count(t, db, `SELECT count(*) FROM documents`); n != 1 {
		t.Fatalf("one run: %d documents, want 1", n)
	}
	for _, f := range sum.Files {
		if f.DocumentID != merged {
			t.Errorf("%s: document %s, want the merged %s", f.Path, f.DocumentID, merged)
		}
	}
	files := rows(t, db, `SELECT role, sha256, source_path FROM document_files WHERE document_id = ?`, merged)
	want := []string{"narrative " + fileID(t, narrative) + " " + narrative, "tables " + fileID(t, tables) + " " + tables}
	if !slices.Equal(files, want) {
		t.Errorf("document_files = %q, want %q", files, want)
	}
	var path string
	var pages, size int64
	if err := db.QueryRow(`SELECT source_path, coalesce(pages, 0), byte_size FROM documents`).Scan(&path, &pages, &size); err != nil {
		t.Fatal(err)
	}
	if st1, st2 := stat(t, narrative), stat(t, tables); path != tables || size != st1+st2 {
		t.Errorf("documents: source_path %s, byte_size %d; want the tables file and %d", path, size, st1+st2)
	}
	if n := count(t, db, `SELECT count(*) FROM ingest_files WHERE document_id = ? AND outcome = 'loaded'`, merged); n != 2 {
		t.Errorf("ledger: %d files loaded into the merged document, want 2", n)
	}
	oneRun := current(t, db)

	// The merged document holds what the seed itself gives (its rows but for
	// page and line: the two files number their lines anew).
	seedW, _ := openTemp(t)
	runIngest(t, seedW, seed)
	for tbl, q := range map[string]string{
		"budget_lines":   `SELECT * EXCLUDE (document_id, page, line, file_sha256) FROM budget_lines`,
		"document_facts": `SELECT fact_key, value, unit, raw FROM document_facts`,
		"findings":       `SELECT check_id, severity, table_key, message, expected, actual FROM findings`,
		"source_tables":  `SELECT table_key, title, status, row_count, unit FROM source_tables`,
		"projects":       `SELECT * EXCLUDE (document_id, page, line, file_sha256) FROM projects`,
		"forms":          `SELECT scope, project_name, department_code, total_funding_yuan, annual_funding_yuan FROM performance_forms`,
		"indicators":     `SELECT * EXCLUDE (document_id, page, line) FROM performance_indicators`,
	} {
		if g, w := rows(t, db, q), rows(t, seedW.DB(), q); !slices.Equal(g, w) || len(w) == 0 {
			t.Errorf("%s: merged document %d rows, seed %d, or they differ", tbl, len(g), len(w))
		}
	}

	// Two runs, either order: the part loaded first is superseded by the merged document.
	for _, order := range [][2]string{{narrative, tables}, {tables, narrative}} {
		w, _ := openTemp(t)
		if s := runIngest(t, w, order[0]); s.Loaded != 1 {
			t.Fatalf("%s alone: %+v", order[0], s)
		}
		first := fileID(t, order[0])
		if s := runIngest(t, w, order[1]); s.Loaded != 1 || s.Files[0].DocumentID != merged {
			t.Fatalf("%s after %s: %+v", order[1], order[0], s.Files)
		}
		db := w.DB()
		name := "two runs, " + filepath.Base(order[0]) + " first"
		if n := count(t, db, `SELECT count(*) FROM documents WHERE document_id = ? AND NOT is_current AND superseded_by = ?`, first, merged); n != 1 {
			t.Errorf("%s: the part loaded first is not superseded by the merged document", name)
		}
		sameDump(t, name, current(t, db), oneRun)
		if n := count(t, db, `SELECT count(*) FROM v_department_year`); n != 1 {
			t.Errorf("%s: v_department_year has %d rows", name, n)
		}
	}

	// Again: unchanged, without reading; touched: read, and unchanged by their bytes.
	if s := runIngest(t, w1, narrative, tables); s.Unchanged != 2 || s.Loaded != 0 || !s.Files[0].Skipped || !s.Files[1].Skipped {
		t.Errorf("re-ingest: %+v", s.Files)
	}
	later := time.Now().Add(time.Hour)
	for _, p := range []string{narrative, tables} {
		if err := os.Chtimes(p, later, later); err != nil {
			t.Fatal(err)
		}
	}
	s := runIngest(t, w1, tables, narrative)
	if s.Unchanged != 2 || s.Files[0].Skipped || s.Files[0].DocumentID != merged || s.Files[1].DocumentID != merged {
		t.Errorf("touched files: %+v", s.Files)
	}
	if s = runIngest(t, w1, narrative, tables); !s.Files[0].Skipped || !s.Files[1].Skipped {
		t.Errorf("after the touch was recorded, the files should be skipped again: %+v", s.Files)
	}
	if n := count(t, db, `SELECT count(*) FROM documents`); n != 1 {
		t.Errorf("after re-ingesting: %d documents", n)
	}
	sameDump(t, "after re-ingesting", current(t, db), oneRun)
}

func stat(t *testing.T, path string) int64 {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

// When the part loaded before cannot be read again (gone, or other bytes
// under its path), the new part loads on its own and a finding says why.
func TestSplitPartNotReadAgain(t *testing.T) {
	for _, change := range []string{"removed", "rewritten"} {
		t.Run(change, func(t *testing.T) {
			dir := t.TempDir()
			narrative := copyFile(t, splitNarrative, dir)
			w, _ := openTemp(t)
			runIngest(t, w, narrative)
			if change == "removed" {
				if err := os.Remove(narrative); err != nil {
					t.Fatal(err)
				}
			} else if err := os.WriteFile(narrative, []byte("另一份文件\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			s := runIngest(t, w, splitTables)
			if s.Loaded != 1 || s.Files[0].DocumentID != fileID(t, splitTables) {
				t.Fatalf("tables: %+v, want loaded on its own", s.Files)
			}
			var msg string
			if err := w.DB().QueryRow(`SELECT message FROM findings WHERE document_id = ? AND check_id = 'document.part_unread'`, fileID(t, splitTables)).Scan(&msg); err != nil {
				t.Fatalf("no document.part_unread finding: %v", err)
			}
			if !strings.Contains(msg, narrative) || !strings.Contains(msg, "cannot be read again") {
				t.Errorf("finding %q does not say which file and why", msg)
			}
			if n := count(t, w.DB(), `SELECT count(*) FROM document_files WHERE document_id = ?`, fileID(t, splitTables)); n != 1 {
				t.Errorf("document_files: %d rows, want 1", n)
			}
		})
	}
}

// Two versions of the tables and the narrative in one run: the earlier
// tables load alone, the later merge with the narrative and supersede them.
func TestSplitPartsInTwoVersions(t *testing.T) {
	dir := t.TempDir()
	v1 := copyFile(t, splitTables, dir)
	b, err := os.ReadFile(splitTables)
	if err != nil {
		t.Fatal(err)
	}
	v2 := filepath.Join(dir, "v2.tables.txt") // re-saved: one more line at the end
	if err := os.WriteFile(v2, append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	w, _ := openTemp(t)
	sum := runIngest(t, w, v1, v2, splitNarrative)
	if sum.Loaded != 3 {
		t.Fatalf("run: %+v", sum)
	}
	merged := ingest.MergedID(fileID(t, v2), fileID(t, splitNarrative))
	got := rows(t, w.DB(), `SELECT document_id, is_current, coalesce(superseded_by, '') FROM documents`)
	want := []string{fileID(t, v1) + " false " + merged, merged + " true "}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("documents = %q, want %q", got, want)
	}
}

// Beijing publishes 北京市司法局's 2026 budget as a narrative (附件1) and
// tables (附件2): one document, the narrative's facts with the tables.
func TestBeijingSplitPair(t *testing.T) {
	const dir = "../../shared/realpdf"
	narrative, tables := filepath.Join(dir, "bj-sifaju-2026-budget-narrative.pdf"), filepath.Join(dir, "bj-sifaju-2026-budget-tables.pdf")
	b, err := os.ReadFile(tables)
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("%s not present", tables)
	}
	if err != nil {
		t.Fatal(err)
	}
	// Runs once transform can tell whose tables these are.
	d, err := extract.ReadPDF(context.Background(), tables, b, &extract.Pdfium{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := transform.Parse(d); err != nil {
		t.Skipf("transform does not identify the Beijing tables file yet (issue 13, identity by consensus): %v", err)
	}
	w, _ := openTemp(t)
	sum := runIngest(t, w, narrative, tables)
	for _, f := range sum.Files {
		if f.Err != nil {
			t.Errorf("%s: %v", f.Path, f.Err)
		}
	}
	db := w.DB()
	var id, name, stage string
	var year int
	if err := db.QueryRow(`SELECT document_id, department_name, fiscal_year, stage FROM documents WHERE is_current`).Scan(&id, &name, &year, &stage); err != nil {
		t.Fatalf("one current document: %v", err)
	}
	if name != "北京市司法局" || year != 2026 || stage != "budget" {
		t.Errorf("identity %s %d %s", name, year, stage)
	}
	if got := rows(t, db, `SELECT role FROM document_files WHERE document_id = ?`, id); !slices.Equal(got, []string{"narrative", "tables"}) {
		t.Errorf("document_files roles %q, want narrative and tables", got)
	}
	if n := count(t, db, `SELECT count(*) FROM documents`); n != 1 {
		t.Errorf("%d documents, want 1", n)
	}
	// 一般公共预算拨款收入 29569.52 万元, as the narrative states it.
	if n := count(t, db, `SELECT count(*) FROM document_facts WHERE document_id = ? AND fact_key = 'general_public_budget_income' AND value = 295695200`, id); n != 1 {
		t.Errorf("the narrative's 一般公共预算拨款收入 is not attached to the document")
	}
	if n := count(t, db, `SELECT count(*) FROM budget_lines WHERE document_id = ?`, id); n == 0 {
		t.Error("no budget lines")
	}
}
