package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gongkai/gongkai/tools/corpusgen/corpus"
)

func TestChart(t *testing.T) {
	svg := string(chart([]point{{n: 100, wall: 4e9, rssMiB: 138}, {n: 1000, wall: 42e9, rssMiB: 433}}))
	if !strings.HasPrefix(svg, "<svg") || strings.Count(svg, "<polyline") != 2 || !strings.Contains(svg, "433 MiB") || !strings.Contains(svg, ">1000<") {
		t.Errorf("chart:\n%s", svg)
	}
}

// TestMeasure ingests three generated documents with a freshly built
// gongkai under /usr/bin/time and checks what is measured.
func TestMeasure(t *testing.T) {
	if testing.Short() {
		t.Skip("builds gongkai and ingests")
	}
	if _, err := os.Stat("/usr/bin/time"); err != nil {
		t.Skip("no /usr/bin/time (Debian package time)")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "gongkai")
	build := exec.Command("go", "build", "-tags", "duckdb_arrow", "-o", bin, "./cmd/gongkai")
	build.Dir = filepath.Join("..", "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build gongkai: %v\n%s", err, out)
	}
	gen := filepath.Join(dir, "corpus")
	w := &corpus.Writer{Dir: gen, NoTruth: true}
	if err := w.WriteCorpus(corpus.Options{Seed: 5, PerKind: 3, Kinds: []string{corpus.KindTabs}}); err != nil {
		t.Fatal(err)
	}
	man, err := corpus.ReadManifest(gen)
	if err != nil {
		t.Fatal(err)
	}
	p, err := measure(bin, dir, gen, man)
	if err != nil {
		t.Fatal(err)
	}
	if p.n != 3 || p.wall <= 0 || p.rssMiB < 10 || p.rows < 3*300 || p.bytes < 3*20000 {
		t.Errorf("measured %+v", p)
	}
}
