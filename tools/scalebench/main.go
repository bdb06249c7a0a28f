// Command scalebench measures how ingest time and peak memory grow with the
// number of documents: it generates distinct disclosures with
// tools/corpusgen's generator (different departments, regions, years,
// subjects, projects and sizes; tab-separated text exports), and for each
// size runs `gongkai ingest` on the first N of them as a separate process
// under /usr/bin/time -v into a fresh warehouse. It reports wall time,
// documents/s, rows loaded per second and peak RSS, as a Markdown table
// and an SVG chart.
//
//	go run ./tools/scalebench -bin bin/gongkai -sizes 100,1000,10000 -svg scaling.svg
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gongkai/gongkai/tools/corpusgen/corpus"
)

type point struct {
	n      int
	bytes  int64
	wall   time.Duration
	rssMiB float64
	rows   int64
}

func main() {
	bin := flag.String("bin", "bin/gongkai", "the gongkai binary")
	sizes := flag.String("sizes", "100,1000", "numbers of documents, comma-separated")
	seed := flag.Uint64("seed", 1, "generator seed")
	years := flag.Int("years", 4, "fiscal years per generated department")
	svg := flag.String("svg", "", "write an SVG chart here")
	keep := flag.String("keep", "", "generate into this folder and keep it (default: a temporary folder, removed)")
	flag.Parse()
	var ns []int
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			fail(fmt.Errorf("bad size %q", s))
		}
		ns = append(ns, n)
	}
	sort.Ints(ns)
	dir := *keep
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "scalebench"); err != nil {
			fail(err)
		}
		defer os.RemoveAll(dir)
	}
	// One corpus of the largest size; each size ingests its first N files
	// (hard links, so each run reads a folder of exactly N documents).
	gen := filepath.Join(dir, "corpus")
	start := time.Now()
	w := &corpus.Writer{Dir: gen, NoTruth: true}
	if err := w.WriteCorpus(corpus.Options{Seed: *seed, PerKind: ns[len(ns)-1], Kinds: []string{corpus.KindTabs}, Years: *years, GlitchRate: 0.2}); err != nil {
		fail(err)
	}
	man, err := corpus.ReadManifest(gen)
	if err != nil {
		fail(err)
	}
	fmt.Fprintf(os.Stderr, "generated %d documents in %s\n", len(man), time.Since(start).Round(time.Millisecond))
	var pts []point
	for _, n := range ns {
		p, err := measure(*bin, dir, gen, man[:n])
		if err != nil {
			fail(err)
		}
		pts = append(pts, p)
		fmt.Fprintf(os.Stderr, "%d documents: %s, %.0f MiB\n", n, p.wall.Round(time.Millisecond), p.rssMiB)
	}
	fmt.Println("| documents | input | wall time | documents/s | rows loaded | rows/s | peak RSS |")
	fmt.Println("|---|---|---|---|---|---|---|")
	for _, p := range pts {
		fmt.Printf("| %d | %.0f MB | %.1f s | %.1f | %d | %.0f | %.0f MiB |\n", p.n, float64(p.bytes)/1e6, p.wall.Seconds(),
			float64(p.n)/p.wall.Seconds(), p.rows, float64(p.rows)/p.wall.Seconds(), p.rssMiB)
	}
	if *svg != "" {
		if err := os.WriteFile(*svg, chart(pts), 0o644); err != nil {
			fail(err)
		}
	}
}

var maxRSS = regexp.MustCompile(`Maximum resident set size \(kbytes\): (\d+)`)

func measure(bin, dir, gen string, docs []corpus.ManifestRow) (point, error) {
	n := len(docs)
	in := filepath.Join(dir, fmt.Sprintf("in%d", n))
	if err := os.MkdirAll(in, 0o755); err != nil {
		return point{}, err
	}
	defer os.RemoveAll(in)
	p := point{n: n}
	for _, d := range docs {
		src := filepath.Join(gen, filepath.FromSlash(d.Path))
		if err := os.Link(src, filepath.Join(in, filepath.Base(src))); err != nil {
			return point{}, err
		}
		if st, err := os.Stat(src); err == nil {
			p.bytes += st.Size()
		}
	}
	db := filepath.Join(dir, fmt.Sprintf("w%d.duckdb", n))
	defer func() {
		for _, f := range []string{db, db + ".wal", db + ".ingest.lock"} {
			os.Remove(f)
		}
	}()
	cmd := exec.Command("/usr/bin/time", "-v", bin, "ingest", "--db", db, in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return point{}, fmt.Errorf("%d documents: %v\n%s", n, err, tail(stderr.String()))
	}
	p.wall = time.Since(start)
	if m := maxRSS.FindStringSubmatch(stderr.String()); m != nil {
		kb, _ := strconv.ParseFloat(m[1], 64)
		p.rssMiB = kb / 1024
	}
	out, err := exec.Command(bin, "query", "--db", db, "--format", "csv", rowsQuery).Output()
	if err != nil {
		return point{}, fmt.Errorf("count rows: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	p.rows, _ = strconv.ParseInt(strings.TrimSpace(lines[len(lines)-1]), 10, 64)
	return p, nil
}

// rowsQuery counts the rows the documents put into the warehouse.
const rowsQuery = `SELECT (SELECT count(*) FROM documents) + (SELECT count(*) FROM budget_lines) + (SELECT count(*) FROM source_tables)
 + (SELECT count(*) FROM projects) + (SELECT count(*) FROM performance_forms) + (SELECT count(*) FROM performance_form_funding)
 + (SELECT count(*) FROM performance_indicators) + (SELECT count(*) FROM document_facts) + (SELECT count(*) FROM corrections)
 + (SELECT count(*) FROM findings) AS n`

func tail(s string) string {
	if len(s) > 2000 {
		return s[len(s)-2000:]
	}
	return s
}

// chart draws time and peak RSS against documents, one point per size
// (evenly spaced on x).
func chart(pts []point) []byte {
	const w, h, pad = 640, 360, 60
	var maxT, maxR float64
	for _, p := range pts {
		maxT = max(maxT, p.wall.Seconds())
		maxR = max(maxR, p.rssMiB)
	}
	x := func(i int) float64 {
		if len(pts) == 1 {
			return pad
		}
		return pad + float64(i)*(w-2*pad)/float64(len(pts)-1)
	}
	y := func(v, top float64) float64 { return h - pad - v/top*(h-2*pad) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">`, w, h)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/><text x="%d" y="20">gongkai ingest of generated disclosures: time (blue) and peak RSS (orange) by documents</text>`, pad)
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>`, pad, h-pad, w-pad, h-pad)
	var tl, rl []string
	for i, p := range pts {
		tl = append(tl, fmt.Sprintf("%.1f,%.1f", x(i), y(p.wall.Seconds(), maxT)))
		rl = append(rl, fmt.Sprintf("%.1f,%.1f", x(i), y(p.rssMiB, maxR)))
		fmt.Fprintf(&b, `<text x="%.0f" y="%d" text-anchor="middle">%d</text>`, x(i), h-pad+18, p.n)
		fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" fill="steelblue" text-anchor="middle">%.1fs</text>`, x(i), y(p.wall.Seconds(), maxT)-6, p.wall.Seconds())
		fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" fill="darkorange" text-anchor="middle">%.0f MiB</text>`, x(i), y(p.rssMiB, maxR)+16, p.rssMiB)
	}
	fmt.Fprintf(&b, `<polyline fill="none" stroke="steelblue" stroke-width="2" points="%s"/>`, strings.Join(tl, " "))
	fmt.Fprintf(&b, `<polyline fill="none" stroke="darkorange" stroke-width="2" points="%s"/>`, strings.Join(rl, " "))
	b.WriteString(`</svg>`)
	return []byte(b.String())
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "scalebench:", err)
	os.Exit(1)
}
