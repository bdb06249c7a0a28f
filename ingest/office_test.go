package ingest_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gongkai/gongkai/ingest"
)

// A county's disclosure as one .xls per table and a .doc narrative
// (fixtures/office/split, names that say nothing) loads as one document,
// grouped by the identity each file states: document_files lists the 14
// files, and the document holds what the seed's text export gives.
func TestOfficeSplitDisclosure(t *testing.T) {
	if _, err := os.Stat("../fixtures/office/split/附件1.doc"); err != nil {
		t.Fatal(err)
	}
	w, _ := openTemp(t)
	sum := runIngest(t, w, "../fixtures/office/split")
	if sum.Loaded != 14 || sum.Failed != 0 {
		for _, f := range sum.Files {
			t.Logf("%s %s %v", f.Path, f.Outcome, f.Err)
		}
		t.Fatalf("run: %d loaded, %d failed; want 14 files loaded", sum.Loaded, sum.Failed)
	}
	db := w.DB()
	if n := count(t, db, `SELECT count(*) FROM documents`); n != 1 {
		t.Fatalf("%d documents, want 1", n)
	}
	var id string
	if err := db.QueryRow(`SELECT document_id FROM documents`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	var shas []string
	for _, f := range sum.Files {
		if f.DocumentID != id {
			t.Errorf("%s: document %s, want %s", f.Path, f.DocumentID, id)
		}
		shas = append(shas, fileID(t, f.Path))
	}
	if want := ingest.MergedID(shas...); id != want {
		t.Errorf("document id %s, want the merged id of the 14 files %s", id, want)
	}
	files := rows(t, db, `SELECT role, source_format, count(*) FROM document_files WHERE document_id = ? GROUP BY ALL ORDER BY ALL`, id)
	if want := []string{"narrative doc 1", "tables xls 13"}; !slices.Equal(files, want) {
		t.Errorf("document_files: %q, want %q", files, want)
	}

	// Every amount, table, project, form and fact keeps the file it came
	// from: the narrative's 57 facts (the seed's, TestFactsSeed), each table's
	// amounts their workbook's.
	perFile := rows(t, db, `SELECT f.role, count(DISTINCT f.sha256), count(*) FROM (
		SELECT file_sha256 FROM budget_lines WHERE document_id = $1 UNION ALL SELECT file_sha256 FROM source_tables WHERE document_id = $1
		UNION ALL SELECT file_sha256 FROM projects WHERE document_id = $1 UNION ALL SELECT file_sha256 FROM performance_forms WHERE document_id = $1
		UNION ALL SELECT file_sha256 FROM document_facts WHERE document_id = $1) r
		LEFT JOIN document_files f ON f.document_id = $1 AND f.sha256 = r.file_sha256 GROUP BY ALL ORDER BY ALL`, id)
	if want := []string{"narrative 1 57", "tables 13 299"}; !slices.Equal(perFile, want) {
		t.Errorf("rows by the role of their file (role, files, rows): %q, want %q", perFile, want)
	}
	if n := count(t, db, `SELECT count(DISTINCT file_sha256) FROM budget_lines WHERE document_id = ? AND table_key = 'summary'`, id); n != 1 {
		t.Errorf("the amounts of one table come from %d files", n)
	}

	seedW, _ := openTemp(t)
	runIngest(t, seedW, seed)
	for tbl, q := range map[string]string{
		"budget_lines":   `SELECT * EXCLUDE (document_id, page, line, file_sha256) FROM budget_lines`,
		"document_facts": `SELECT fact_key, value, unit FROM document_facts`,
		"source_tables":  `SELECT table_key, status, row_count, unit FROM source_tables`,
		"projects":       `SELECT * EXCLUDE (document_id, page, line, file_sha256) FROM projects`,
		"forms":          `SELECT scope, project_name, department_code, total_funding_yuan, annual_funding_yuan FROM performance_forms`,
		"identity":       `SELECT region, department_name, fiscal_year, stage FROM documents`,
	} {
		g, s := rows(t, db, q), rows(t, seedW.DB(), q)
		slices.Sort(g)
		slices.Sort(s)
		if !slices.Equal(g, s) || len(s) == 0 {
			t.Errorf("%s: split office files %d rows, seed %d, or they differ", tbl, len(g), len(s))
		}
	}
}

// Bad office files fail alone, each with an error naming it and saying
// why; the good file beside them loads.
func TestOfficeBadFilesFailAlone(t *testing.T) {
	dir := t.TempDir()
	good := copyFile(t, "../fixtures/office/datong-yungang-jiaoyu-2025-budget.xlsx", dir)
	xlsx, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	xls, err := os.ReadFile("../fixtures/office/datong-yungang-jiaoyu-2025-budget.xls")
	if err != nil {
		t.Fatal(err)
	}
	bad := map[string]struct {
		b   []byte
		why string
	}{
		"cut.xlsx":  {xlsx[:len(xlsx)/2], "not a readable zip archive"},
		"cut.xls":   {xls[:len(xls)/3], "truncated"},
		"empty.doc": {nil, "empty"},
		"junk.docx": {[]byte("PK\x03\x04 not a zip"), "not a readable zip archive"},
	}
	for name, c := range bad {
		if err := os.WriteFile(filepath.Join(dir, name), c.b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	w, _ := openTemp(t)
	in := &ingest.Ingester{W: w}
	sum, err := in.Run(t.Context(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Loaded != 1 || sum.Failed != len(bad) {
		t.Fatalf("%d loaded, %d failed; want 1 and %d", sum.Loaded, sum.Failed, len(bad))
	}
	for _, f := range sum.Files {
		if f.Path == good {
			if f.Outcome != "loaded" {
				t.Errorf("%s: %s %v", f.Path, f.Outcome, f.Err)
			}
			continue
		}
		why := bad[filepath.Base(f.Path)].why
		if f.Err == nil || !strings.HasPrefix(f.Err.Error(), f.Path+": ") || !strings.Contains(f.Err.Error(), why) {
			t.Errorf("%s: error %v: want it to name the file and say %q", f.Path, f.Err, why)
		}
	}
	if n := count(t, w.DB(), `SELECT count(*) FROM ingest_files WHERE outcome = 'failed'`); n != len(bad) {
		t.Errorf("ledger: %d failed files, want %d", n, len(bad))
	}
}

// The narrative arriving in a later run than the 13 workbooks: the
// workbooks, loaded as one document, are read again from their paths and
// the 14 files become the one document a single run makes.
func TestOfficeSplitNarrativeLater(t *testing.T) {
	dir := t.TempDir()
	paths, err := filepath.Glob("../fixtures/office/split/*")
	if err != nil {
		t.Fatal(err)
	}
	var narrative string
	var shas []string
	for _, p := range paths {
		c := copyFile(t, p, dir)
		shas = append(shas, fileID(t, c))
		if strings.HasSuffix(c, ".doc") {
			narrative = c
			if err := os.Rename(c, c+".later"); err != nil {
				t.Fatal(err)
			}
		}
	}
	w, _ := openTemp(t)
	if s := runIngest(t, w, dir); s.Loaded != 13 || s.Failed != 0 {
		t.Fatalf("the workbooks: %d loaded, %d failed", s.Loaded, s.Failed)
	}
	if err := os.Rename(narrative+".later", narrative); err != nil {
		t.Fatal(err)
	}
	s := runIngest(t, w, narrative)
	merged := ingest.MergedID(shas...)
	if s.Loaded != 1 || s.Files[0].DocumentID != merged {
		t.Fatalf("the narrative: %+v, want it merged into %s", s.Files, merged)
	}
	db := w.DB()
	if got := rows(t, db, `SELECT role, count(*) FROM document_files WHERE document_id = ? GROUP BY ALL ORDER BY ALL`, merged); !slices.Equal(got, []string{"narrative 1", "tables 13"}) {
		t.Errorf("document_files: %q", got)
	}
	if got := rows(t, db, `SELECT count(*) FILTER (is_current), count(*) FILTER (NOT is_current AND superseded_by = ?) FROM documents`, merged); !slices.Equal(got, []string{"1 1"}) {
		t.Errorf("documents (current, superseded by the merged one): %q, want the workbooks' document superseded", got)
	}
	if n := count(t, db, `SELECT count(*) FROM budget_lines WHERE document_id = ?`, merged); n != 257 {
		t.Errorf("%d budget lines, want 257", n)
	}
}
