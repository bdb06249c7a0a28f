// Command pdfbench measures the PDF backends side by side: pages/s of
// extract + transform for each backend on every PDF given, cell-level
// accuracy where the truth is known (fixture goldens, the Jiangsu summary
// CSV), and `pdftotext -layout` over the same files in the same run.
//
//	go run ./tools/pdfbench [-n 3] FILE.pdf...
//
// It prints a Markdown report (BENCHMARKS.md quotes it).
package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/gongkai/gongkai/extract"
	"github.com/gongkai/gongkai/ingest"
	"github.com/gongkai/gongkai/load"
	"github.com/gongkai/gongkai/transform"
)

// goldenOf names the golden folder of a fixture PDF, by file-name prefix.
func goldenOf(pdf string) string {
	base := filepath.Base(pdf)
	switch {
	case strings.HasPrefix(base, "seed-"):
		return "fixtures/golden/shuozhou-dangqun-2026-budget"
	case strings.Contains(base, "datong"):
		return "fixtures/golden/datong-yungang-jiaoyu-2025-budget"
	}
	return ""
}

func main() {
	n := flag.Int("n", 3, "runs per file and backend (the fastest counts)")
	only := flag.String("backends", "pdfium,ledongthuc,native,auto", "the backends of the per-file table, comma-separated")
	flag.Parse()
	files := flag.Args()
	if len(files) == 0 {
		fmt.Fprintln(os.Stderr, "usage: pdfbench [-n N] FILE.pdf...")
		os.Exit(2)
	}
	ctx := context.Background()
	var backends []extract.PDFBackend
	for _, be := range []extract.PDFBackend{&extract.Pdfium{}, extract.Ledongthuc{}, extract.Native{}, &extract.Auto{}} {
		if slices.Contains(strings.Split(*only, ","), be.Name()) {
			backends = append(backends, be)
		}
	}
	if len(backends) == 0 {
		fmt.Fprintln(os.Stderr, "pdfbench: -backends names none of pdfium, ledongthuc, native, auto")
		os.Exit(2)
	}
	// Warm PDFium's WebAssembly runtime (compiled once per process, cached on disk).
	if b, err := os.ReadFile(files[0]); err == nil {
		_, _ = (&extract.Pdfium{}).Pages(ctx, b)
	}
	fmt.Printf("Machine: %d cores, %s/%s, %s. Best of %d runs per file.\n\n", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version(), *n)
	fmt.Println("| file | pages | backend | ms (extract+transform) | pages/s | budget_lines | cells right (precision / recall vs truth) |")
	fmt.Println("|---|---|---|---|---|---|---|")
	totals := map[string]time.Duration{}
	totalPages := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		for _, be := range backends {
			var best time.Duration
			var res *transform.Result
			var pages int
			var runErr error
			for i := 0; i < *n; i++ {
				start := time.Now()
				doc, err := extract.ReadPDF(ctx, f, b, be)
				var r *transform.Result
				if err == nil {
					r, err = transform.Parse(doc)
					pages = doc.Pages
				}
				d := time.Since(start)
				if i == 0 || d < best {
					best = d
				}
				res, runErr = r, err
			}
			totals[be.Name()] += best
			acc := "—"
			lines := 0
			switch {
			case runErr != nil:
				acc = "error: " + strings.ReplaceAll(runErr.Error(), "|", "/")
			default:
				lines = len(res.Lines)
				acc = accuracy(f, res)
			}
			pps := 0.0
			if best > 0 && pages > 0 {
				pps = float64(pages) / best.Seconds()
			}
			fmt.Printf("| %s | %d | %s | %.0f | %.1f | %d | %s |\n", filepath.Base(f), pages, be.Name(), float64(best.Microseconds())/1000, pps, lines, acc)
			if be == backends[0] {
				totalPages += pages
			}
		}
	}
	fmt.Println()
	var ptt time.Duration
	if _, err := exec.LookPath("pdftotext"); err == nil {
		for _, f := range files {
			var best time.Duration
			for i := 0; i < *n; i++ {
				start := time.Now()
				if err := exec.Command("pdftotext", "-layout", f, os.DevNull).Run(); err != nil {
					fmt.Fprintln(os.Stderr, "pdftotext:", err)
				}
				if d := time.Since(start); i == 0 || d < best {
					best = d
				}
			}
			ptt += best
		}
	}
	// End to end: a folder's worth of PDFs ingested into a fresh warehouse,
	// with the default reader (auto) and with PDFium alone.
	e2e := []extract.PDFBackend{&extract.Auto{}, &extract.Pdfium{}}
	ingestTime := map[string]time.Duration{}
	if dir, err := os.MkdirTemp("", "pdfbench"); err == nil {
		defer os.RemoveAll(dir)
		for _, be := range e2e {
			for i := 0; i < *n; i++ {
				w, err := load.Open(ctx, filepath.Join(dir, fmt.Sprintf("%s%d.duckdb", be.Name(), i)), nil)
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(1)
				}
				start := time.Now()
				in := &ingest.Ingester{W: w, PDF: be}
				if _, err := in.Run(ctx, files); err != nil {
					fmt.Fprintln(os.Stderr, err)
				}
				if d := time.Since(start); i == 0 || d < ingestTime[be.Name()] {
					ingestTime[be.Name()] = d
				}
				w.Close()
			}
		}
	}
	fmt.Println("| over all files | seconds | pages/s | ratio to pdftotext -layout |")
	fmt.Println("|---|---|---|---|")
	for _, be := range backends {
		t := totals[be.Name()]
		ratio := "—"
		if ptt > 0 {
			ratio = fmt.Sprintf("%.2f×", t.Seconds()/ptt.Seconds())
		}
		fmt.Printf("| %s (extract+transform) | %.2f | %.1f | %s |\n", be.Name(), t.Seconds(), float64(totalPages)/t.Seconds(), ratio)
	}
	for _, be := range e2e {
		d := ingestTime[be.Name()]
		if d == 0 {
			continue
		}
		ratio := "—"
		if ptt > 0 {
			ratio = fmt.Sprintf("%.2f×", d.Seconds()/ptt.Seconds())
		}
		fmt.Printf("| **gongkai ingest, end to end into DuckDB (%s)** | %.2f | %.1f | **%s** |\n", be.Name(), d.Seconds(), float64(totalPages)/d.Seconds(), ratio)
	}
	if ptt > 0 {
		fmt.Printf("| pdftotext -layout (text dump only) | %.2f | %.1f | 1.00× |\n", ptt.Seconds(), float64(totalPages)/ptt.Seconds())
	}
}

// accuracy compares a result's budget lines with the truth when known.
func accuracy(pdf string, res *transform.Result) string {
	if g := goldenOf(pdf); g != "" {
		want := readGolden(filepath.Join(g, "budget_lines.tsv"))
		if want == nil {
			return "—"
		}
		got := map[string]int{}
		for _, l := range res.Lines {
			got[strings.Join([]string{l.TableKey, l.Side, l.ItemCode, l.ItemName, l.Measure, l.AmountYuan.StringFixed(2)}, "\t")]++
		}
		hit, nw, ng := 0, 0, len(res.Lines)
		for k, c := range want {
			nw += c
			hit += min(c, got[k])
		}
		return fmt.Sprintf("%.1f%% / %.1f%% (%d of %d)", pct(hit, ng), pct(hit, nw), hit, nw)
	}
	base := filepath.Base(pdf)
	if strings.HasPrefix(base, "jiangsu-jianchayuan-") {
		return jiangsu(pdf, base[len("jiangsu-jianchayuan-"):][:4], res)
	}
	return "no truth"
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

func readGolden(path string) map[string]int {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	out := map[string]int{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	sc.Scan()
	for sc.Scan() {
		p := strings.Split(sc.Text(), "\t")
		if len(p) < 8 {
			continue
		}
		// table_key side item_code item_name item_level measure amount raw
		out[strings.Join([]string{p[0], p[1], p[2], p[3], p[5], p[6]}, "\t")]++
	}
	return out
}

// jiangsu checks the summary figures against the public CSV beside the PDFs.
func jiangsu(pdf, year string, res *transform.Result) string {
	f, err := os.Open(filepath.Join(filepath.Dir(pdf), "jiangsu-jianchayuan-summary.csv"))
	if err != nil {
		return "no truth"
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil || len(recs) < 2 {
		return "no truth"
	}
	got := map[string]decimal.Decimal{}
	for _, l := range res.Lines {
		if l.TableKey == "summary" && l.Measure == "total" {
			got[l.ItemName] = l.AmountYuan
		}
	}
	hit, n := 0, 0
	for _, rec := range recs[1:] {
		if !strings.HasPrefix(rec[0], year) {
			continue
		}
		for i, col := range recs[0][1:] {
			if strings.TrimSpace(rec[i+1]) == "" {
				continue
			}
			n++
			want := decimal.RequireFromString(rec[i+1]).Mul(decimal.NewFromInt(10000))
			if g, ok := got[col]; ok && g.Equal(want) {
				hit++
			}
		}
	}
	return fmt.Sprintf("summary CSV: %d of %d", hit, n)
}
