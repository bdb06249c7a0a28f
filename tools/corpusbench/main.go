// Command corpusbench generates a corpus with tools/corpusgen's generator
// (N documents of each input kind: tab-separated text, space-aligned text,
// PDF), ingests each kind into its own warehouse with `gongkai ingest`
// (a separate process under /usr/bin/time -v), scores every warehouse
// against the truth, and reports per kind:
//
//   - accuracy: cells, projects, identity, source tables, forms and glitch
//     repairs (precision / recall, tools/corpusgen/score), with the shortfalls;
//
//   - throughput: documents/s, pages/s, rows loaded into DuckDB per second,
//     peak RSS; for the PDFs, the ratio to `pdftotext -layout` over the same
//     files in the same run (one file at a time, and as many at once as
//     there are cores, as gongkai parses).
//
//     go run -tags duckdb_arrow ./tools/corpusbench -bin bin/gongkai -n 200
package main

import (
	"bytes"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/gongkai/gongkai/tools/corpusgen/corpus"
	"github.com/gongkai/gongkai/tools/corpusgen/score"
)

type run struct {
	kind        string
	docs, pages int
	paginated   int // documents with a page count (text exports: those with form feeds)
	bytes       int64
	rows        int64
	wall        time.Duration
	rssMiB      float64
	report      *score.KindReport
}

func main() {
	bin := flag.String("bin", "bin/gongkai", "the gongkai binary")
	n := flag.Int("n", 200, "documents per input kind")
	seed := flag.Uint64("seed", 1, "generator seed")
	rate := flag.Float64("glitch-rate", 0.3, "share of project forms given a glitch")
	out := flag.String("out", "", "corpus and warehouses here, kept (default: a temporary folder, removed)")
	examples := flag.Int("examples", 5, "examples per shortfall")
	flag.Parse()
	load0 := loadavg()
	dir := *out
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "corpusbench"); err != nil {
			fail(err)
		}
		defer os.RemoveAll(dir)
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		fail(err)
	}
	ctx := context.Background()
	gen := filepath.Join(dir, "corpus")
	if ents, err := os.ReadDir(gen); err == nil && len(ents) > 0 {
		fail(fmt.Errorf("%s is not empty", gen))
	}
	fg, err := corpus.BuildFixturegen(dir)
	if err != nil {
		fail(err)
	}
	start := time.Now()
	w := &corpus.Writer{Dir: gen, Fixturegen: fg}
	if err := w.WriteCorpus(corpus.Options{Seed: *seed, PerKind: *n, GlitchRate: *rate}); err != nil {
		fail(err)
	}
	fmt.Fprintf(os.Stderr, "generated %d documents per kind in %s\n", *n, time.Since(start).Round(time.Millisecond))

	// Warm PDFium's WebAssembly compile cache (paid once per machine).
	pdfs, _ := filepath.Glob(filepath.Join(gen, "docs", corpus.KindPDF, "*.pdf"))
	if len(pdfs) > 0 {
		warm := filepath.Join(dir, "warm.duckdb")
		_ = exec.Command(*bin, "ingest", "--db", warm, pdfs[0]).Run()
		os.Remove(warm)
	}

	var runs []*run
	for _, kind := range corpus.AllKinds {
		r, err := ingest(ctx, *bin, dir, gen, kind)
		if err != nil {
			fail(err)
		}
		rep, err := score.Score(ctx, r.db, gen, []string{kind})
		if err != nil {
			fail(err)
		}
		r.report = rep.Kind(kind)
		runs = append(runs, &r.run)
		fmt.Fprintf(os.Stderr, "%s: %d documents in %s\n", kind, r.docs, r.wall.Round(time.Millisecond))
	}
	seq, par := pdftotext(pdfs)

	fmt.Printf("Machine: %d cores, %s/%s, %s; load average (1, 5, 15 min) at the start: %s, at the end: %s.\n\n",
		runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version(), load0, loadavg())
	fmt.Printf("### Accuracy (%d documents per kind, seed %d, glitch rate %.2f)\n\n", *n, *seed, *rate)
	rep := &score.Report{}
	for _, r := range runs {
		rep.Kinds = append(rep.Kinds, r.report)
	}
	rep.Markdown(os.Stdout, *examples)
	fmt.Printf("\n### Throughput\n\n")
	fmt.Println("| input kind | documents | pages | input | wall time | documents/s | pages/s | rows loaded | rows/s | peak RSS |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|")
	for _, r := range runs {
		pages, pps := "—", "—"
		switch {
		case r.paginated == r.docs:
			pages, pps = strconv.Itoa(r.pages), fmt.Sprintf("%.1f", float64(r.pages)/r.wall.Seconds())
		case r.paginated > 0:
			// Text exports without form feeds have no pages: estimate
			// pages/s from the pages of those with them.
			pages = fmt.Sprintf("%d in the %d of %d with form feeds", r.pages, r.paginated, r.docs)
			pps = fmt.Sprintf("≈ %.1f", float64(r.docs)/r.wall.Seconds()*float64(r.pages)/float64(r.paginated))
		}
		fmt.Printf("| %s | %d | %s | %.1f MB | %.1f s | %.1f | %s | %d | %.0f | %.0f MiB |\n", r.kind, r.docs, pages, float64(r.bytes)/1e6,
			r.wall.Seconds(), float64(r.docs)/r.wall.Seconds(), pps, r.rows, float64(r.rows)/r.wall.Seconds(), r.rssMiB)
	}
	if seq > 0 {
		pdf := runs[len(runs)-1]
		fmt.Println()
		fmt.Println("| over the same PDFs | seconds | pages/s | gongkai ingest ÷ this |")
		fmt.Println("|---|---|---|---|")
		fmt.Printf("| gongkai ingest into DuckDB (parse on %d cores, one writer) | %.1f | %.1f | 1.00× |\n", runtime.NumCPU(), pdf.wall.Seconds(), float64(pdf.pages)/pdf.wall.Seconds())
		fmt.Printf("| pdftotext -layout, one file at a time | %.1f | %.1f | %.2f× |\n", seq.Seconds(), float64(pdf.pages)/seq.Seconds(), pdf.wall.Seconds()/seq.Seconds())
		fmt.Printf("| pdftotext -layout, %d files at once | %.1f | %.1f | %.2f× |\n", runtime.NumCPU(), par.Seconds(), float64(pdf.pages)/par.Seconds(), pdf.wall.Seconds()/par.Seconds())
	}
}

type ingested struct {
	run
	db string
}

var maxRSS = regexp.MustCompile(`Maximum resident set size \(kbytes\): (\d+)`)

// ingest loads one kind's documents into a fresh warehouse and measures it.
func ingest(ctx context.Context, bin, dir, gen, kind string) (*ingested, error) {
	in := filepath.Join(gen, "docs", kind)
	r := &ingested{run: run{kind: kind}, db: filepath.Join(dir, kind+".duckdb")}
	os.Remove(r.db)
	ents, err := os.ReadDir(in)
	if err != nil {
		return nil, err
	}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(in, e.Name()))
		if err != nil {
			return nil, err
		}
		r.bytes += int64(len(b))
		// A text export's pages are its form-feed pages; one without form
		// feeds has no pages to count (the warehouse records it as 1).
		if kind != corpus.KindPDF {
			if ff := bytes.Count(b, []byte("\f")); ff > 0 {
				r.paginated++
				r.pages += ff + 1
			}
		}
	}
	cmd := exec.Command("/usr/bin/time", "-v", bin, "ingest", "--db", r.db, in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		// Failed files are scored as such; a run that did not finish is an error.
		if _, ok := err.(*exec.ExitError); !ok || !strings.Contains(stderr.String(), "Exit status: 1") {
			return nil, fmt.Errorf("ingest %s: %v\n%s", kind, err, tail(stderr.String()))
		}
	}
	r.wall = time.Since(start)
	if m := maxRSS.FindStringSubmatch(stderr.String()); m != nil {
		kb, _ := strconv.ParseFloat(m[1], 64)
		r.rssMiB = kb / 1024
	}
	q := url.Values{}
	q.Set("access_mode", "READ_ONLY")
	db, err := sql.Open("duckdb", r.db+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	defer db.Close()
	var pages sql.NullInt64
	if err := db.QueryRowContext(ctx, `SELECT count(*), sum(pages) FROM documents`).Scan(&r.docs, &pages); err != nil {
		return nil, err
	}
	if kind == corpus.KindPDF {
		r.pages, r.paginated = int(pages.Int64), r.docs
	}
	err = db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM documents) + (SELECT count(*) FROM budget_lines) + (SELECT count(*) FROM source_tables)
		+ (SELECT count(*) FROM projects) + (SELECT count(*) FROM performance_forms) + (SELECT count(*) FROM performance_form_funding)
		+ (SELECT count(*) FROM performance_indicators) + (SELECT count(*) FROM document_facts) + (SELECT count(*) FROM corrections)
		+ (SELECT count(*) FROM findings)`).Scan(&r.rows)
	return r, err
}

// pdftotext times `pdftotext -layout` over the files, one at a time and
// NumCPU at a time.
func pdftotext(files []string) (seq, par time.Duration) {
	if _, err := exec.LookPath("pdftotext"); err != nil || len(files) == 0 {
		return 0, 0
	}
	dump := func(f string) {
		if err := exec.Command("pdftotext", "-layout", f, os.DevNull).Run(); err != nil {
			fmt.Fprintln(os.Stderr, "pdftotext:", f, err)
		}
	}
	start := time.Now()
	for _, f := range files {
		dump(f)
	}
	seq = time.Since(start)
	start = time.Now()
	jobs := make(chan string)
	var wg sync.WaitGroup
	for i := 0; i < runtime.NumCPU(); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range jobs {
				dump(f)
			}
		}()
	}
	for _, f := range files {
		jobs <- f
	}
	close(jobs)
	wg.Wait()
	return seq, time.Since(start)
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func tail(s string) string {
	if len(s) > 2000 {
		return s[len(s)-2000:]
	}
	return s
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "corpusbench:", err)
	os.Exit(1)
}
