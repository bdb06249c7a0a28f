package load_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
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
// documents staged through one Arrow view per table, then moved in one
// transaction (Warehouse.LoadGroup) — document by document, since all 32
// state the seed's identity and each supersedes the one before; rows/s is
// the budget_lines rate.
func BenchmarkLoadGroup32(b *testing.B) { benchmarkLoadGroup32(b, true) }

// BenchmarkLoadGroup32WithoutCellKey is BenchmarkLoadGroup32 with the
// unique index budget_lines_cell dropped: the cost of the key.
func BenchmarkLoadGroup32WithoutCellKey(b *testing.B) { benchmarkLoadGroup32(b, false) }

func benchmarkLoadGroup32(b *testing.B, cellKey bool) {
	res := parsedSeed(b)
	w, _ := openTemp(b)
	defer w.Close()
	if !cellKey {
		if _, err := w.DB().Exec(`DROP INDEX budget_lines_cell`); err != nil {
			b.Fatal(err)
		}
	}
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

// loadText parses the text exports among paths (files, or folders walked for
// .txt) and loads them, as the ingest pipeline would, without its ledger.
func loadText(t testing.TB, w *load.Warehouse, paths ...string) {
	t.Helper()
	var files []string
	for _, p := range paths {
		err := filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(path, ".txt") {
				files = append(files, path)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	sort.Strings(files)
	var docs []load.Doc
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := extract.ReadText(f, b)
		if err != nil {
			t.Fatal(err)
		}
		res, err := transform.Parse(doc)
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.Sum256(b)
		docs = append(docs, load.Doc{Res: res, Meta: transform.DocumentMeta{DocumentID: hex.EncodeToString(h[:]), SourcePath: f,
			SourceFormat: "text", Encoding: doc.Encoding, Pages: doc.Pages, ByteSize: int64(len(b)), IngestedAt: time.Now().UTC()}})
	}
	for i, err := range w.LoadGroup(context.Background(), docs) {
		if err != nil {
			t.Fatalf("%s: %v", docs[i].Meta.SourcePath, err)
		}
	}
}
