package load_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gongkai/gongkai/load"

	"github.com/gongkai/gongkai/extract"
	"github.com/gongkai/gongkai/transform"
)

// parsedSeed reads and parses the seed.
func parsedSeed(b testing.TB) *transform.Result {
	b.Helper()
	data, err := os.ReadFile(seed)
	if err != nil {
		b.Fatal(err)
	}
	doc, err := extract.ReadText(seed, data)
	if err != nil {
		b.Fatal(err)
	}
	res, err := transform.Parse(doc)
	if err != nil {
		b.Fatal(err)
	}
	return res
}

// BenchmarkLoadSeed measures loading the parsed seed (257 budget lines and
// its other rows) as one transaction into a file warehouse; rows/s is the
// budget_lines rate.
func BenchmarkLoadSeed(b *testing.B) {
	res := parsedSeed(b)
	w, _ := openTemp(b)
	defer w.Close()
	i := 0
	start := time.Now()
	for b.Loop() {
		i++
		meta := transform.DocumentMeta{DocumentID: fmt.Sprintf("bench-%d", i), SourcePath: seed, SourceFormat: "text", IngestedAt: time.Now()}
		if err := w.Load(context.Background(), meta, res); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(i*len(res.Lines))/time.Since(start).Seconds(), "lines/s")
}

// BenchmarkLoadGroup32 measures the nightly job's writer: 32 parsed
// documents staged through one Arrow view per table, then each committed
// in its own transaction (Warehouse.LoadGroup); rows/s is the budget_lines rate.
func BenchmarkLoadGroup32(b *testing.B) {
	res := parsedSeed(b)
	w, _ := openTemp(b)
	defer w.Close()
	n := 0
	for b.Loop() {
		g := make([]load.Doc, 32)
		for k := range g {
			n++
			g[k] = load.Doc{Meta: transform.DocumentMeta{DocumentID: fmt.Sprintf("bench-%d", n), SourcePath: seed, SourceFormat: "text", IngestedAt: time.Now()}, Res: res}
		}
		for _, err := range w.LoadGroup(context.Background(), g) {
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "docs/s")
	b.ReportMetric(float64(n*len(res.Lines))/b.Elapsed().Seconds(), "lines/s")
}

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
		sum, err := (&load.Ingester{W: w}).Run(context.Background(), []string{dir})
		if err != nil {
			b.Fatal(err)
		}
		if sum.Unchanged != n || !sum.Files[0].Skipped {
			b.Fatalf("unchanged = %d of %d (skipped %v)", sum.Unchanged, n, sum.Files[0].Skipped)
		}
	}
}
