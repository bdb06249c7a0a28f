// Package corpus generates synthetic department budget disclosures
// (部门预算公开) of the Shanxi 13-table family with their truth: the
// warehouse rows each document must produce and the OCR-style glitches
// injected into its performance forms. Generation is deterministic for a
// seed: the same options give the same bytes.
//
// Documents come as tab-separated text exports, space-aligned text exports
// and PDFs; the latter two are made from the tab-separated text by
// tools/fixturegen (relayout, pdf), run as a separate program.
package corpus

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Input kinds.
const (
	KindTabs   = "text-tabs"
	KindSpaces = "text-spaces"
	KindPDF    = "pdf"
)

// AllKinds lists the input kinds in report order.
var AllKinds = []string{KindTabs, KindSpaces, KindPDF}

// Options say what to generate.
type Options struct {
	Seed        uint64
	PerKind     int      // documents of each kind
	Kinds       []string // input kinds (AllKinds when empty)
	Years       int      // consecutive years per department (3 when 0)
	LastYear    int      // the latest fiscal year (2026 when 0)
	GlitchRate  float64  // share of project forms given a glitch
	GlitchKinds []string // kinds to inject (AllGlitchKinds when nil)
	DefectRate  float64  // share of documents given one defect (defects.go)
	DefectKinds []string // defect kinds to inject (AllDefectKinds when nil)
}

func (o *Options) defaults() {
	if len(o.Kinds) == 0 {
		o.Kinds = AllKinds
	}
	if o.Years <= 0 {
		o.Years = 3
	}
	if o.LastYear == 0 {
		o.LastYear = 2026
	}
	if o.GlitchKinds == nil {
		o.GlitchKinds = AllGlitchKinds
	}
	if o.DefectKinds == nil {
		o.DefectKinds = AllDefectKinds
	}
}

// Document is one generated disclosure: its tab-separated text and its truth.
type Document struct {
	Index int
	Name  string // doc00042-2025
	Kind  string
	Text  []byte // the tab-separated text export, UTF-8
	Truth *Truth
}

type placement struct {
	region, county, city string
	typ                  *deptType
}

// placements lists every region × department type, shuffled by the seed.
func placements(r *rand.Rand) []placement {
	var out []placement
	for _, c := range cities {
		regions := []placement{{region: c.name, city: c.name}}
		for _, co := range c.counties {
			regions = append(regions, placement{region: c.name + co, county: co, city: c.name})
		}
		for _, rg := range regions {
			for i := range deptTypes {
				p := rg
				p.typ = &deptTypes[i]
				out = append(out, p)
			}
		}
	}
	for _, z := range devZones {
		city := ""
		for _, c := range cities {
			if strings.HasPrefix(c.name, string([]rune(z)[:2])) {
				city = c.name
			}
		}
		out = append(out, placement{region: z, city: city, typ: &devZoneType})
	}
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// Generate calls fn for every document, department by department and year
// by year (each year's narrative compares with the year before).
func Generate(opt Options, fn func(*Document) error) error {
	opt.defaults()
	for _, k := range opt.Kinds {
		if !slices.Contains(AllKinds, k) {
			return fmt.Errorf("unknown input kind %q (want %s)", k, strings.Join(AllKinds, ", "))
		}
	}
	for _, k := range opt.DefectKinds {
		if !slices.Contains(AllDefectKinds, k) {
			return fmt.Errorf("unknown defect kind %q (want %s)", k, strings.Join(AllDefectKinds, ", "))
		}
	}
	for _, k := range opt.GlitchKinds {
		if !slices.Contains(AllGlitchKinds, k) {
			return fmt.Errorf("unknown glitch kind %q (want %s)", k, strings.Join(AllGlitchKinds, ", "))
		}
	}
	n := opt.PerKind * len(opt.Kinds)
	places := placements(rand.New(rand.NewPCG(opt.Seed, 0x9e3779b97f4a7c15)))
	nd := (n + opt.Years - 1) / opt.Years
	if nd > len(places) {
		return fmt.Errorf("%d documents need %d departments of %d years, but only %d regions × department types exist; raise the years per department",
			n, nd, opt.Years, len(places))
	}
	// Kinds are dealt out shuffled, so that no kind gets only one year.
	assign := make([]string, 0, n)
	for _, k := range opt.Kinds {
		for i := 0; i < opt.PerKind; i++ {
			assign = append(assign, k)
		}
	}
	ar := rand.New(rand.NewPCG(opt.Seed, 0x5851f42d4c957f2d))
	ar.Shuffle(len(assign), func(i, j int) { assign[i], assign[j] = assign[j], assign[i] })
	idx := 0
	for di := 0; di < nd && idx < n; di++ {
		r := rand.New(rand.NewPCG(opt.Seed, uint64(di)+1))
		d := newDepartment(r, places[di], di)
		var pr prior
		first := opt.LastYear - opt.Years + 1
		for y := first; y <= opt.LastYear && idx < n; y++ {
			b := newBudget(r, d, y, pr, y == first)
			b.village = drawVillage(r, d)
			b.buildForms(r)
			b.injectGlitches(r, opt.GlitchRate, opt.GlitchKinds)
			// Defects draw from their own source: a corpus without them is
			// the same bytes as before.
			b.defect = b.drawDefect(rand.New(rand.NewPCG(opt.Seed^0x6a09e667f3bcc909, uint64(idx))), opt.DefectRate, opt.DefectKinds)
			doc := &Document{Index: idx, Name: fmt.Sprintf("doc%05d-%d", idx, y), Kind: assign[idx]}
			// Rendering draws from its own source, so that a document
			// rendered again (after dropping a glitch) is otherwise the same.
			renderRand := func() *rand.Rand { return rand.New(rand.NewPCG(opt.Seed^0x2545f4914f6cdd1d, uint64(idx))) }
			doc.Text, doc.Truth = render(renderRand(), b)
			if b.dropAmbiguousGlitches(doc.Text) {
				doc.Text, doc.Truth = render(renderRand(), b)
			}
			if err := fn(doc); err != nil {
				return err
			}
			pr = prior{incomeTotal: b.incomeTotal(), generalCurrent: b.generalCurrentTotal(), three: b.reception + b.carRun, operating: b.operating}
			idx++
		}
	}
	return nil
}

func newDepartment(r *rand.Rand, p placement, i int) *department {
	d := &department{typ: p.typ, region: p.region, county: p.county, city: p.city, name: p.region + p.typ.name}
	d.code = fmt.Sprintf("%d%02d", between(r, 1, 9), r.IntN(100))
	d.staff = between(r, 6, 60)
	if p.typ.name == "教育局" {
		d.staff = between(r, 40, 400)
	}
	d.units = []string{d.name}
	units := slices.Clone(p.typ.units)
	r.Shuffle(len(units), func(i, j int) { units[i], units[j] = units[j], units[i] })
	for _, u := range units[:min(len(units), r.IntN(4))] {
		d.units = append(d.units, p.region+u)
	}
	return d
}

// drawVillage names a village of the department's county (or of a county of its city).
func drawVillage(r *rand.Rand, d *department) string {
	county := d.county
	if county == "" {
		for _, c := range cities {
			if c.name == d.city {
				county = pick(r, c.counties)
			}
		}
	}
	if county == "" {
		return ""
	}
	return county + pick(r, villageHeads) + pick(r, villageTails) + "村"
}

func render(r *rand.Rand, b *budget) ([]byte, *Truth) {
	w := &docWriter{b: b, st: b.style, r: r, truth: &Truth{Region: b.dept.region, Department: b.dept.name, Code: b.dept.code, Year: b.year, Stage: "budget"}}
	w.render()
	text := strings.Join(w.lines, "\n") + "\n"
	// Tables in document order.
	order := map[string]int{}
	for i, t := range tableTitles {
		order[t.key] = i
	}
	sort.SliceStable(w.truth.Tables, func(i, j int) bool { return order[w.truth.Tables[i].Key] < order[w.truth.Tables[j].Key] })
	return []byte(text), w.truth
}

// ManifestRow describes one file of a written corpus.
type ManifestRow struct {
	Doc, Kind, Path, SHA256 string // Path relative to the corpus folder
	Year                    int
	Department              string
}

// Writer writes documents into a corpus folder:
//
//	DIR/docs/<kind>/<doc>.txt|.pdf   the inputs (ingest DIR/docs)
//	DIR/truth/<doc>/*.tsv            their truth, and source.txt (the tab text)
//	DIR/manifest.tsv                 doc, kind, path, sha256, year, department
type Writer struct {
	Dir        string
	Fixturegen string // the fixturegen binary, for text-spaces and pdf
	Workers    int    // conversions at once (number of cores when 0)
	NoTruth    bool   // inputs only (scaling runs)

	mu   sync.Mutex
	rows []ManifestRow
}

// WriteCorpus generates the corpus of opt into w.Dir.
func (w *Writer) WriteCorpus(opt Options) error {
	workers := w.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	jobs := make(chan *Document)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range jobs {
				if err := w.write(d); err != nil {
					errs <- err
					for range jobs {
					}
					return
				}
			}
		}()
	}
	genErr := Generate(opt, func(d *Document) error {
		select {
		case err := <-errs:
			return err
		case jobs <- d:
			return nil
		}
	})
	close(jobs)
	wg.Wait()
	close(errs)
	if genErr != nil {
		return genErr
	}
	if err := <-errs; err != nil {
		return err
	}
	return w.writeManifest()
}

func (w *Writer) write(d *Document) error {
	dir := filepath.Join(w.Dir, "docs", d.Kind)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var path string
	var body []byte
	switch d.Kind {
	case KindTabs:
		path, body = filepath.Join(dir, d.Name+".txt"), d.Text
	case KindSpaces, KindPDF:
		sub, ext := "relayout", ".txt"
		if d.Kind == KindPDF {
			sub, ext = "pdf", ".pdf"
		}
		path = filepath.Join(dir, d.Name+ext)
		out, err := w.convert(sub, d)
		if err != nil {
			return err
		}
		body = out
	}
	if err := os.WriteFile(path, body, 0o644); err != nil {
		return err
	}
	if !w.NoTruth {
		td := filepath.Join(w.Dir, "truth", d.Name)
		if err := d.Truth.Write(td); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(td, "source.txt"), d.Text, 0o644); err != nil {
			return err
		}
	}
	sum := sha256.Sum256(body)
	rel, _ := filepath.Rel(w.Dir, path)
	w.mu.Lock()
	w.rows = append(w.rows, ManifestRow{Doc: d.Name, Kind: d.Kind, Path: filepath.ToSlash(rel), SHA256: hex.EncodeToString(sum[:]),
		Year: d.Truth.Year, Department: d.Truth.Department})
	w.mu.Unlock()
	return nil
}

// convert runs `fixturegen SUB IN OUT` on the document's tab text.
func (w *Writer) convert(sub string, d *Document) ([]byte, error) {
	if w.Fixturegen == "" {
		return nil, errors.New("a fixturegen binary is needed for " + d.Kind + " (Writer.Fixturegen)")
	}
	tmp, err := os.MkdirTemp("", "corpusgen")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	in, out := filepath.Join(tmp, "in.txt"), filepath.Join(tmp, "out")
	if err := os.WriteFile(in, d.Text, 0o644); err != nil {
		return nil, err
	}
	cmd := exec.Command(w.Fixturegen, sub, in, out)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("fixturegen %s %s: %v: %s", sub, d.Name, err, strings.TrimSpace(stderr.String()))
	}
	return os.ReadFile(out)
}

func (w *Writer) writeManifest() error {
	sort.Slice(w.rows, func(i, j int) bool { return w.rows[i].Doc < w.rows[j].Doc })
	var rows [][]string
	for _, r := range w.rows {
		rows = append(rows, []string{r.Doc, r.Kind, r.Path, r.SHA256, fmt.Sprint(r.Year), r.Department})
	}
	return writeTSV(filepath.Join(w.Dir, "manifest.tsv"), []string{"doc", "kind", "path", "sha256", "fiscal_year", "department_name"}, rows)
}

// ReadManifest reads DIR/manifest.tsv.
func ReadManifest(dir string) ([]ManifestRow, error) {
	b, err := os.ReadFile(filepath.Join(dir, "manifest.tsv"))
	if err != nil {
		return nil, err
	}
	var out []ManifestRow
	for i, l := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		if i == 0 || l == "" {
			continue
		}
		f := strings.Split(l, "\t")
		if len(f) < 6 {
			return nil, fmt.Errorf("manifest.tsv line %d: want 6 fields", i+1)
		}
		var y int
		fmt.Sscan(f[4], &y)
		out = append(out, ManifestRow{Doc: f[0], Kind: f[1], Path: f[2], SHA256: f[3], Year: y, Department: f[5]})
	}
	return out, nil
}

// BuildFixturegen builds tools/fixturegen of the module containing the
// working folder into dir and returns the binary's path.
func BuildFixturegen(dir string) (string, error) {
	root, err := ModuleRoot()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "fixturegen")
	cmd := exec.Command("go", "build", "-o", bin, "./tools/fixturegen")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build fixturegen: %v: %s", err, out)
	}
	return bin, nil
}

// ModuleRoot is the folder of the gongkai module's go.mod, found upwards
// from the working folder.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && bytes.Contains(b, []byte("module github.com/gongkai/gongkai\n")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("not inside the gongkai module (no go.mod found upwards)")
		}
		dir = parent
	}
}
