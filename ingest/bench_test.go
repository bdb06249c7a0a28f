package ingest_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gongkai/gongkai/ingest"
)

// BenchmarkRerunUnchanged10k is the nightly job's common case: a re-run
// over a tree of 10,000 files none of which changed since they were loaded.
// The ledger is seeded as a previous run would leave it; no file is read.
func BenchmarkRerunUnchanged10k(b *testing.B) {
	const n = 10000
	dir := b.TempDir()
	mtime := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for i := 0; i < n; i++ {
		p := filepath.Join(dir, fmt.Sprintf("f%05d.txt", i))
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			b.Fatal(err)
		}
		if err := os.Chtimes(p, mtime, mtime); err != nil {
			b.Fatal(err)
		}
	}
	w, _ := openTemp(b)
	db := w.DB()
	if _, err := db.Exec(`INSERT INTO documents (document_id, source_path, source_format, is_current, ingested_at)
		SELECT 'doc' || i, ?, 'text', true, now() FROM range(?) t(i)`, dir, n); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO ingest_files (run_id, source_path, document_id, outcome, recorded_at, byte_size, modified_at)
		SELECT 'seed', ? || '/f' || lpad(i::VARCHAR, 5, '0') || '.txt', 'doc' || i, 'loaded', now(), 1, ?::TIMESTAMP FROM range(?) t(i)`,
		dir, mtime, n); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		sum, err := (&ingest.Ingester{W: w}).Run(context.Background(), []string{dir})
		if err != nil {
			b.Fatal(err)
		}
		if sum.Unchanged != n || !sum.Files[0].Skipped {
			b.Fatalf("unchanged = %d of %d (skipped %v)", sum.Unchanged, n, sum.Files[0].Skipped)
		}
	}
}
