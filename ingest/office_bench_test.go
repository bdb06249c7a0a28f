package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gongkai/gongkai/load"
)

// seedFormats is the seed disclosure in each format it is published in:
// the same 257 amounts, 13 tables and 13 forms.
var seedFormats = []string{
	"../fixtures/office/shuozhou-dangqun-2026-budget.xlsx",
	"../fixtures/office/shuozhou-dangqun-2026-budget.xls",
	"../fixtures/office/shuozhou-dangqun-2026-budget.docx",
	"../fixtures/office/shuozhou-dangqun-2026-budget.html",
	"../fixtures/text/shuozhou-dangqun-2026-budget.txt",
	"../fixtures/pdf/seed-libreoffice-writer.pdf",
	"../fixtures/pdf/seed-fpdf.pdf",
}

// BenchmarkReadDisclosure reads and parses the seed from each format, as
// ingest does before writing: the reader its format needs, then
// transform. What differs between the formats is here.
func BenchmarkReadDisclosure(b *testing.B) {
	for _, f := range seedFormats {
		b.Run(filepath.Base(f), func(b *testing.B) {
			data, err := os.ReadFile(f)
			if err != nil {
				b.Fatal(err)
			}
			in := &Ingester{}
			ctx := context.Background()
			// PDFium compiles its WebAssembly once per process: not part of a read.
			if _, _, err := in.parse(ctx, f, data, "warm", time.Now()); err != nil {
				b.Fatal(err)
			}
			lines := 0
			for b.Loop() {
				_, res, err := in.parse(ctx, f, data, "x", time.Now())
				if err != nil {
					b.Fatal(err)
				}
				lines = len(res.Lines)
			}
			if lines != 257 {
				b.Fatalf("%d budget lines, want the seed's 257", lines)
			}
		})
	}
}

// BenchmarkLoadDisclosure loads the seed as ingest does — read, parse,
// write to DuckDB in its own transaction — from each format. Each
// operation loads it as a new version (its own document id), superseding
// the one before. The .xlsx against the PDF is the office readers' claim
// (BENCHMARKS.md).
func BenchmarkLoadDisclosure(b *testing.B) {
	for _, f := range seedFormats {
		b.Run(filepath.Base(f), func(b *testing.B) {
			data, err := os.ReadFile(f)
			if err != nil {
				b.Fatal(err)
			}
			w, err := load.Open(context.Background(), filepath.Join(b.TempDir(), "w.duckdb"), nil)
			if err != nil {
				b.Fatal(err)
			}
			defer w.Close()
			in := &Ingester{W: w}
			ctx := context.Background()
			// PDFium compiles its WebAssembly once per process: not part of a load.
			if _, _, err := in.parse(ctx, f, data, "warm", time.Now()); err != nil {
				b.Fatal(err)
			}
			lines := 0
			n := 0
			for b.Loop() {
				n++
				h := sha256.Sum256(fmt.Appendf(nil, "%s %d", f, n))
				meta, res, err := in.parse(ctx, f, data, hex.EncodeToString(h[:]), time.Now())
				if err != nil {
					b.Fatal(err)
				}
				if err := w.Load(ctx, meta, res); err != nil {
					b.Fatal(err)
				}
				lines = len(res.Lines)
			}
			if lines != 257 {
				b.Fatalf("%d budget lines, want the seed's 257", lines)
			}
			b.ReportMetric(float64(len(data)), "bytes/doc")
		})
	}
}
