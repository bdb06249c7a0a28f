package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"syscall"
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
			cpu0 := cpuTime()
			for b.Loop() {
				_, res, err := in.parse(ctx, f, data, "x", time.Now())
				if err != nil {
					b.Fatal(err)
				}
				lines = len(res.Lines)
			}
			b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
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

// BenchmarkIngestFolder is the nightly job over a folder of 32 disclosures
// of one format (the seed, each copy a distinct file: bytes added where
// the format ignores them), into a new warehouse: parsing on every core,
// the writer staging them in a group. Its documents/s is the throughput
// each format allows, its CPU time per document what one costs on a
// machine shared with other work; the .xlsx against the PDF is the office
// readers' claim (BENCHMARKS.md).
func BenchmarkIngestFolder(b *testing.B) {
	const n = 32
	for _, c := range []struct {
		file string
		vary func(data []byte, i int) []byte
	}{
		// a zip's comment: the last bytes of its end record
		{"../fixtures/office/shuozhou-dangqun-2026-budget.xlsx", zipComment},
		{"../fixtures/text/shuozhou-dangqun-2026-budget.txt", func(d []byte, i int) []byte {
			return append(slices.Clone(d), bytes.Repeat([]byte("\n"), i+1)...)
		}},
		// a PDF comment after %%EOF
		{"../fixtures/pdf/seed-libreoffice-writer.pdf", func(d []byte, i int) []byte {
			return append(slices.Clone(d), fmt.Appendf(nil, "%%copy %d\n", i)...)
		}},
	} {
		b.Run(filepath.Base(c.file), func(b *testing.B) {
			data, err := os.ReadFile(c.file)
			if err != nil {
				b.Fatal(err)
			}
			dir := b.TempDir()
			for i := range n {
				if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%02d%s", i, filepath.Ext(c.file))), c.vary(data, i), 0o644); err != nil {
					b.Fatal(err)
				}
			}
			ctx := context.Background()
			// PDFium compiles its WebAssembly once per process: not part of a run.
			if _, _, err := (&Ingester{}).parse(ctx, c.file, data, "warm", time.Now()); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			var cpu time.Duration
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				w, err := load.Open(ctx, filepath.Join(b.TempDir(), "w.duckdb"), nil)
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				cpu0 := cpuTime()
				sum, err := (&Ingester{W: w}).Run(ctx, []string{dir})
				if err != nil {
					b.Fatal(err)
				}
				cpu += cpuTime() - cpu0
				b.StopTimer()
				if sum.Loaded != n {
					b.Fatalf("%d of %d loaded: %+v", sum.Loaded, n, sum.Files[0])
				}
				w.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "docs/s")
			// CPU time (every thread: Go's, DuckDB's, PDFium's) per document:
			// what a document costs whatever else runs on the machine.
			b.ReportMetric(float64(cpu.Milliseconds())/float64(n*b.N), "cpu-ms/doc")
		})
	}
}

// zipComment gives a zip archive the comment "copy i" (its end record's
// last field), which no reader of its members sees.
func zipComment(d []byte, i int) []byte {
	eocd := bytes.LastIndex(d, []byte("PK\x05\x06"))
	if eocd < 0 || eocd+22 > len(d) {
		panic("no end of central directory record")
	}
	c := fmt.Appendf(nil, "copy %d", i)
	out := slices.Clone(d[:eocd+20])
	out = append(out, byte(len(c)), byte(len(c)>>8))
	return append(out, c...)
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
