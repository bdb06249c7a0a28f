// Command scalebench measures how ingest time and peak memory grow with the
// number of documents: for each size it writes that many distinct text
// exports (the seed with a unique note appended, so each is a document of
// its own), runs `gongkai ingest` on them as a separate process under
// /usr/bin/time -v, and reports wall time, documents/s and peak RSS, as a
// Markdown table and an SVG chart.
//
//	go run ./cmd/scalebench -bin bin/gongkai -sizes 100,1000,10000 -svg scaling.svg
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

type point struct {
	n      int
	wall   time.Duration
	rssMiB float64
}

func main() {
	bin := flag.String("bin", "bin/gongkai", "the gongkai binary")
	src := flag.String("src", "fixtures/text/shuozhou-dangqun-2026-budget.txt", "the document to copy")
	sizes := flag.String("sizes", "100,1000", "numbers of documents, comma-separated")
	svg := flag.String("svg", "", "write an SVG chart here")
	flag.Parse()
	seed, err := os.ReadFile(*src)
	if err != nil {
		fail(err)
	}
	var pts []point
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			fail(fmt.Errorf("bad size %q", s))
		}
		p, err := measure(*bin, seed, n)
		if err != nil {
			fail(err)
		}
		pts = append(pts, p)
		fmt.Fprintf(os.Stderr, "%d documents: %s, %.0f MiB\n", n, p.wall.Round(time.Millisecond), p.rssMiB)
	}
	fmt.Println("| documents | wall time | documents/s | peak RSS |")
	fmt.Println("|---|---|---|---|")
	for _, p := range pts {
		fmt.Printf("| %d | %.1f s | %.0f | %.0f MiB |\n", p.n, p.wall.Seconds(), float64(p.n)/p.wall.Seconds(), p.rssMiB)
	}
	if *svg != "" {
		if err := os.WriteFile(*svg, chart(pts), 0o644); err != nil {
			fail(err)
		}
	}
}

var maxRSS = regexp.MustCompile(`Maximum resident set size \(kbytes\): (\d+)`)

func measure(bin string, seed []byte, n int) (point, error) {
	dir, err := os.MkdirTemp("", "scalebench")
	if err != nil {
		return point{}, err
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "in")
	if err := os.MkdirAll(in, 0o755); err != nil {
		return point{}, err
	}
	for i := 0; i < n; i++ {
		body := append(append([]byte(nil), seed...), fmt.Sprintf("\n备注：第%d份\n", i)...)
		if err := os.WriteFile(filepath.Join(in, fmt.Sprintf("d%06d.txt", i)), body, 0o644); err != nil {
			return point{}, err
		}
	}
	cmd := exec.Command("/usr/bin/time", "-v", bin, "ingest", "--db", filepath.Join(dir, "w.duckdb"), in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return point{}, fmt.Errorf("%d documents: %v\n%s", n, err, tail(stderr.String()))
	}
	p := point{n: n, wall: time.Since(start)}
	if m := maxRSS.FindStringSubmatch(stderr.String()); m != nil {
		kb, _ := strconv.ParseFloat(m[1], 64)
		p.rssMiB = kb / 1024
	}
	return p, nil
}

func tail(s string) string {
	if len(s) > 2000 {
		return s[len(s)-2000:]
	}
	return s
}

// chart draws time and peak RSS against documents, log-scaled on x.
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
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/><text x="%d" y="20">gongkai ingest: time (blue, left) and peak RSS (orange, right) by documents</text>`, pad)
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
