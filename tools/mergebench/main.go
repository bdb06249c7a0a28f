// Command mergebench measures scale-out on one machine: `gongkai ingest
// --shard i/k` as k processes at once followed by `gongkai merge`, against
// one `gongkai ingest` process over the same documents; and what the merge
// costs as the warehouse grows.
//
// The documents are distinct disclosures from tools/corpusgen's generator
// (tab-separated text exports; departments over several fiscal years), as
// in tools/scalebench. Every step is a separate gongkai process timed from
// outside, under /usr/bin/time -v for its peak RSS.
//
//   - Compare (-n): one process over n documents; k shard processes at
//     once over the same folder, then the merge of their k warehouses. The
//     merged warehouse is checked against the single one (documents,
//     current documents, budget lines, findings, year-over-year rows).
//
//   - Grow (-sizes): for each size N, k shards over N documents, merged
//     into a new warehouse; the same shards merged again (nothing new);
//     and a shard of -extra other documents merged into the warehouse of N.
//
//     go run ./tools/mergebench -bin bin/gongkai -n 1000 -sizes 100,1000,10000
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gongkai/gongkai/tools/corpusgen/corpus"
)

// step is one timed gongkai process (or several at once: the slowest).
type step struct {
	wall   time.Duration
	rssMiB float64 // the largest peak RSS of the processes
	cpu    float64 // user + system CPU seconds of all the processes
}

func main() {
	bin := flag.String("bin", "bin/gongkai", "the gongkai binary")
	n := flag.Int("n", 1000, "documents of the comparison against one process (0: skip it)")
	sizes := flag.String("sizes", "100,1000,10000", "warehouse sizes in documents for the merge's cost, comma-separated (empty: skip)")
	shards := flag.Int("shards", 3, "shards, run as that many processes at once")
	extra := flag.Int("extra", 100, "documents of the shard merged into each grown warehouse")
	seed := flag.Uint64("seed", 1, "generator seed")
	years := flag.Int("years", 4, "fiscal years per generated department")
	keep := flag.String("keep", "", "work in this folder and keep it (default: a temporary folder, removed)")
	flag.Parse()
	var ns []int
	if *sizes != "" {
		for _, s := range strings.Split(*sizes, ",") {
			v, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil || v < 1 {
				fail(fmt.Errorf("bad size %q", s))
			}
			ns = append(ns, v)
		}
	}
	slices.Sort(ns)
	most := *n
	if len(ns) > 0 {
		most = max(most, ns[len(ns)-1])
	}
	if most == 0 {
		fail(errors.New("nothing to measure: -n 0 and no -sizes"))
	}
	dir := *keep
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "mergebench"); err != nil {
			fail(err)
		}
		defer os.RemoveAll(dir)
	}
	gen := filepath.Join(dir, "corpus")
	start := time.Now()
	w := &corpus.Writer{Dir: gen, NoTruth: true}
	if err := w.WriteCorpus(corpus.Options{Seed: *seed, PerKind: most + *extra, Kinds: []string{corpus.KindTabs}, Years: *years, GlitchRate: 0.2}); err != nil {
		fail(err)
	}
	man, err := corpus.ReadManifest(gen)
	if err != nil {
		fail(err)
	}
	if len(man) < most+*extra {
		fail(fmt.Errorf("the generator wrote %d documents, want %d", len(man), most+*extra))
	}
	b := &bench{bin: *bin, dir: dir, gen: gen, k: *shards}
	logf("generated %d documents in %s", len(man), time.Since(start).Round(time.Second))
	fmt.Printf("load average at the start: %s\n\n", loadavg())

	if *n > 0 {
		if err := b.compare(man[:*n]); err != nil {
			fail(err)
		}
	}
	if len(ns) > 0 {
		extraIn, err := b.folder("extra", man[len(man)-*extra:])
		if err != nil {
			fail(err)
		}
		extraDB := filepath.Join(dir, "extra.duckdb")
		if _, err := b.run("ingest", "--db", extraDB, extraIn); err != nil {
			fail(err)
		}
		fmt.Printf("| documents in the warehouse | %d shards ingested at once | merged into a new warehouse | peak RSS | merged again (nothing new) | a shard of %d other documents merged into it | peak RSS | warehouse file |\n", b.k, *extra)
		fmt.Println("|---|---|---|---|---|---|---|---|")
		for _, size := range ns {
			if err := b.grow(man[:size], extraDB, *extra); err != nil {
				fail(err)
			}
		}
	}
	fmt.Printf("\nload average at the end: %s\n", loadavg())
}

type bench struct {
	bin, dir, gen string
	k             int
}

// folder links docs into a new folder (so each run reads exactly these).
func (b *bench) folder(name string, docs []corpus.ManifestRow) (string, error) {
	in := filepath.Join(b.dir, name)
	if err := os.MkdirAll(in, 0o755); err != nil {
		return "", err
	}
	for _, d := range docs {
		src := filepath.Join(b.gen, filepath.FromSlash(d.Path))
		if err := os.Link(src, filepath.Join(in, filepath.Base(src))); err != nil && !errors.Is(err, os.ErrExist) {
			return "", err
		}
	}
	return in, nil
}

// shardRun runs k `ingest --shard i/k` processes at once over in.
func (b *bench) shardRun(in, prefix string) ([]string, step, error) {
	var dbs []string
	var runs [][]string
	for i := 1; i <= b.k; i++ {
		db := filepath.Join(b.dir, fmt.Sprintf("%s-shard-%d.duckdb", prefix, i))
		dbs = append(dbs, db)
		runs = append(runs, []string{"ingest", "--db", db, "--shard", fmt.Sprintf("%d/%d", i, b.k), in})
	}
	st, err := b.runAll(runs...)
	return dbs, st, err
}

func (b *bench) compare(docs []corpus.ManifestRow) error {
	n := len(docs)
	in, err := b.folder(fmt.Sprintf("in%d", n), docs)
	if err != nil {
		return err
	}
	single := filepath.Join(b.dir, fmt.Sprintf("single%d.duckdb", n))
	one, err := b.run("ingest", "--db", single, in)
	if err != nil {
		return err
	}
	logf("%d documents, one process: %s", n, one.wall.Round(time.Millisecond))
	dbs, sh, err := b.shardRun(in, fmt.Sprintf("cmp%d", n))
	if err != nil {
		return err
	}
	merged := filepath.Join(b.dir, fmt.Sprintf("merged%d.duckdb", n))
	mg, err := b.run(append([]string{"merge", "--db", merged}, dbs...)...)
	if err != nil {
		return err
	}
	logf("%d documents, %d shards: %s + merge %s", n, b.k, sh.wall.Round(time.Millisecond), mg.wall.Round(time.Millisecond))
	ws, err := b.query(single, checkQuery)
	if err != nil {
		return err
	}
	wm, err := b.query(merged, checkQuery)
	if err != nil {
		return err
	}
	if ws != wm {
		return fmt.Errorf("the merged warehouse differs from the single run: %s against %s", wm, ws)
	}
	total := sh.wall + mg.wall
	fmt.Printf("%d documents (%s: documents, current, budget lines, findings, year-over-year rows — the same in both)\n\n", n, ws)
	fmt.Println("| run | wall time | documents/s | CPU time (user + system) | peak RSS (largest process) |")
	fmt.Println("|---|---|---|---|---|")
	fmt.Printf("| one `gongkai ingest` | %.1f s | %.1f | %.1f s | %.0f MiB |\n", one.wall.Seconds(), float64(n)/one.wall.Seconds(), one.cpu, one.rssMiB)
	fmt.Printf("| %d × `gongkai ingest --shard i/%d` at once | %.1f s | %.1f | %.1f s | %.0f MiB |\n", b.k, b.k, sh.wall.Seconds(), float64(n)/sh.wall.Seconds(), sh.cpu, sh.rssMiB)
	fmt.Printf("| `gongkai merge` of the %d | %.1f s | | %.1f s | %.0f MiB |\n", b.k, mg.wall.Seconds(), mg.cpu, mg.rssMiB)
	fmt.Printf("| shards + merge | %.1f s | %.1f | %.1f s | |\n\n", total.Seconds(), float64(n)/total.Seconds(), sh.cpu+mg.cpu)
	return nil
}

func (b *bench) grow(docs []corpus.ManifestRow, extraDB string, extraN int) error {
	n := len(docs)
	in, err := b.folder(fmt.Sprintf("in%d", n), docs)
	if err != nil {
		return err
	}
	dbs, sh, err := b.shardRun(in, fmt.Sprintf("grow%d", n))
	if err != nil {
		return err
	}
	merged := filepath.Join(b.dir, fmt.Sprintf("grown%d.duckdb", n))
	mg, err := b.run(append([]string{"merge", "--db", merged}, dbs...)...)
	if err != nil {
		return err
	}
	again, err := b.run(append([]string{"merge", "--db", merged}, dbs...)...)
	if err != nil {
		return err
	}
	var size int64
	if st, err := os.Stat(merged); err == nil {
		size = st.Size()
	}
	add, err := b.run("merge", "--db", merged, extraDB)
	if err != nil {
		return err
	}
	got, err := b.query(merged, `SELECT count(*) FROM documents`)
	if err != nil {
		return err
	}
	if want := strconv.Itoa(n + extraN); got != want {
		return fmt.Errorf("the warehouse of %d documents has %s after the extra shard's %d, want %s", n, got, extraN, want)
	}
	logf("%d documents: shards %s, merge %s, again %s, extra shard %s", n, sh.wall.Round(time.Millisecond),
		mg.wall.Round(time.Millisecond), again.wall.Round(time.Millisecond), add.wall.Round(time.Millisecond))
	fmt.Printf("| %d | %.1f s | %.1f s | %.0f MiB | %.1f s | %.1f s | %.0f MiB | %.0f MB |\n", n, sh.wall.Seconds(), mg.wall.Seconds(), mg.rssMiB,
		again.wall.Seconds(), add.wall.Seconds(), add.rssMiB, float64(size)/1e6)
	for _, db := range append(dbs, merged) {
		for _, f := range []string{db, db + ".wal", db + ".ingest.lock"} {
			os.Remove(f)
		}
	}
	return nil
}

// checkQuery is what the comparison checks the merged warehouse by.
const checkQuery = `SELECT (SELECT count(*) FROM documents) || ' / ' || (SELECT count(*) FROM documents WHERE is_current) || ' / ' ||
 (SELECT count(*) FROM budget_lines) || ' / ' || (SELECT count(*) FROM findings) || ' / ' || (SELECT count(*) FROM v_year_over_year)`

func (b *bench) query(db, q string) (string, error) {
	out, err := exec.Command(b.bin, "query", "--db", db, "--format", "csv", q).Output()
	if err != nil {
		return "", fmt.Errorf("query %s: %w", db, err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return strings.TrimSpace(lines[len(lines)-1]), nil
}

var (
	maxRSS  = regexp.MustCompile(`Maximum resident set size \(kbytes\): (\d+)`)
	cpuTime = regexp.MustCompile(`(?:User|System) time \(seconds\): ([0-9.]+)`)
)

func (b *bench) run(args ...string) (step, error) { return b.runAll(args) }

// runAll runs gongkai processes at once under /usr/bin/time -v; the wall
// time is until the last ends.
func (b *bench) runAll(runs ...[]string) (step, error) {
	var wg sync.WaitGroup
	errs := make([]error, len(runs))
	rss := make([]float64, len(runs))
	cpu := make([]float64, len(runs))
	start := time.Now()
	for i, args := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command("/usr/bin/time", append([]string{"-v", b.bin}, args...)...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Run(); err != nil {
				errs[i] = fmt.Errorf("gongkai %s: %v\n%s", strings.Join(args, " "), err, tail(stderr.String()))
				return
			}
			if m := maxRSS.FindStringSubmatch(stderr.String()); m != nil {
				kb, _ := strconv.ParseFloat(m[1], 64)
				rss[i] = kb / 1024
			}
			for _, m := range cpuTime.FindAllStringSubmatch(stderr.String(), -1) {
				s, _ := strconv.ParseFloat(m[1], 64)
				cpu[i] += s
			}
		}()
	}
	wg.Wait()
	st := step{wall: time.Since(start), rssMiB: slices.Max(rss)}
	for _, c := range cpu {
		st.cpu += c
	}
	return st, errors.Join(errs...)
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

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "mergebench: "+format+"\n", args...)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "mergebench:", err)
	os.Exit(1)
}
