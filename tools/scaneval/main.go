// Command scaneval is a held-out accuracy check for the OCR path: it turns
// born-digital PDFs (with a text layer) into image-only scans exactly the way
// fixtures/scan/make.sh makes the committed scans, reads each scan with OCR
// and compares its budget_lines, cell by cell, with what the original's text
// layer gives. The OCR pipeline was tuned on fixtures/scan/; this measures it
// on scans it has not seen (other sources, other seeds).
//
//	go run -tags duckdb_arrow ./tools/scaneval [-seeds 11,12] [-dpi 200] [-out DIR] [-keep] [-reuse] [-dump] FILE.pdf...
//	go run -tags duckdb_arrow ./tools/scaneval -truth FILE.pdf...   # text layers only: what the truth would be
//
// Run it from inside the module (it builds ./tools/fixturegen with `go build`).
// It needs the tools make.sh uses, pdftoppm and pdftotext (poppler-utils),
// cjpeg (libjpeg-turbo-progs), img2pdf and Go, and for the OCR tesseract with
// chi_sim (tesseract-ocr tesseract-ocr-chi-sim).
//
// For each PDF it first parses the original through its text layer (PDFium,
// extract.ReadPDF, then transform.Parse): that is the truth. A PDF whose text
// layer gives no budget_lines is skipped. Then, for each seed: pdftoppm -r DPI
// -gray renders the pages, `fixturegen scan` degrades them
// (FIXTUREGEN_SCAN_SEED=seed), cjpeg -quality 70 -optimize -grayscale
// compresses them and img2pdf wraps them as an image-only PDF; the scan is
// read with extract.ReadScanned and transform.Parse, and compared.
//
// Cells are keyed by (table_key, side, item_code, item_name, measure), valued
// by amount_yuan, duplicate keys counted as multisets. Per scan it prints:
//
//   - identity (department, year, stage) of the scan against the truth;
//   - exact cells of the truth's total, per table and overall, and also
//     with the key less item_name (as transform/ocr_test.go's amountScore);
//   - the tables OCR found elsewhere than the text layer (page, status, rows)
//     and the table.* findings the truth does not have;
//   - every missing cell (truth key not read), wrong cell (key read, value
//     differs: truth and OCR value, raw text, page/line), key-misread cell (a
//     missing and an extra cell on the same page, same table, side and
//     measure, that share the code or the name) and extra cell (OCR key not
//     in the truth), each with a guessed cause (digit misread, lost decimal
//     point, unit misread, column shift, read but not parsed, cell/row/table
//     not found, region on the wrong page, name or code misread …);
//   - the OCR corrections (rules ocr.*) and how many gave the truth's value;
//   - for every wrong cell, whether the OCR result has an error finding of a
//     sum.* check in the same table that the truth does not have (a finding
//     the misreading caused); those without are "wrong and not caught";
//   - OCR seconds per page (render + Tesseract + table rebuild), and parse time.
//
// It ends with a total line and a Markdown table of all scans.
//
// Scans and work files go under -out (default a new /tmp/scaneval-* folder),
// removed at the end unless -keep, which also stores each scan's OCR text
// (SCAN.ocr.json). With -reuse, a scan already in -out under the same name
// (SOURCE-sSEED-dDPI.pdf) is used as it is, and so is its stored OCR text:
// a re-run then measures transform changes in seconds (but not extract
// changes, nor the OCR time, which is the stored run's). With -dump, the
// text each read gives transform (SCAN.ocr.txt, SOURCE.text.txt, lines
// numbered as the page/line the report cites) is written beside the scans.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gongkai/gongkai/extract"
	"github.com/gongkai/gongkai/transform"
)

const jpegQuality = "70" // fixtures/scan/make.sh's QUALITY

func main() {
	seedsFlag := flag.String("seeds", "11,12", "comma-separated scan seeds (FIXTUREGEN_SCAN_SEED), one scan per seed and PDF")
	dpi := flag.Int("dpi", 200, "resolution the pages are rendered and scanned at")
	out := flag.String("out", "", "folder for the scans and work files (default: a new /tmp/scaneval-* folder)")
	keep := flag.Bool("keep", false, "keep the scans (and -out) after the run")
	reuse := flag.Bool("reuse", false, "use a scan already in -out under the same name instead of making it again, and its OCR text (SCAN.ocr.json, written with -keep) instead of running OCR again")
	dump := flag.Bool("dump", false, "write the OCR text of each scan (the lines transform parses, with page and line numbers) to SCAN.ocr.txt and the text layer's to SOURCE.text.txt, in -out; implies -keep")
	truthOnly := flag.Bool("truth", false, "only parse the PDFs' text layers and print what they give (no scans, no OCR)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: scaneval [-seeds 11,12] [-dpi 200] [-out DIR] [-keep] [-reuse] [-dump] [-truth] FILE.pdf...")
		flag.PrintDefaults()
	}
	flag.Parse()
	files := flag.Args()
	if len(files) == 0 {
		flag.Usage()
		os.Exit(2)
	}
	var seeds []uint64
	for _, s := range strings.Split(*seedsFlag, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			fatalf("-seeds: %q is not an unsigned integer", s)
		}
		seeds = append(seeds, n)
	}
	if len(seeds) == 0 {
		fatalf("-seeds: no seed given")
	}
	if *truthOnly {
		printTruth(files)
		return
	}
	if *dump {
		*keep = true
	}
	if *dpi < 50 || *dpi > 1200 {
		fatalf("-dpi %d: out of range", *dpi)
	}
	for _, tool := range []struct{ bin, pkg string }{
		{"pdftoppm", "poppler-utils"}, {"pdftotext", "poppler-utils"}, {"cjpeg", "libjpeg-turbo-progs"},
		{"img2pdf", "img2pdf"}, {"go", "Go (go.mod's version), to build ./tools/fixturegen"},
	} {
		if _, err := exec.LookPath(tool.bin); err != nil {
			fatalf("%s is missing: install %s (Debian: apt-get install -y poppler-utils libjpeg-turbo-progs img2pdf)", tool.bin, tool.pkg)
		}
	}
	ocr := &extract.OCR{}
	if err := ocr.Available(); err != nil {
		fatalf("OCR: %v", err)
	}

	dir := *out
	if dir == "" {
		d, err := os.MkdirTemp("", "scaneval-")
		if err != nil {
			fatalf("%v", err)
		}
		dir = d
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		fatalf("%v", err)
	}
	work, err := os.MkdirTemp(dir, "work-")
	if err != nil {
		fatalf("%v", err)
	}
	var made []string // scans this run wrote, removed unless -keep
	cleanup := func() {
		os.RemoveAll(work)
		if *keep {
			return
		}
		for _, f := range made {
			os.Remove(f)
		}
		if *out == "" {
			os.RemoveAll(dir)
		}
	}
	fixturegen := filepath.Join(work, "fixturegen")
	if err := buildFixturegen(fixturegen); err != nil {
		cleanup()
		fatalf("%v", err)
	}

	ctx := context.Background()
	var all []*scanResult
	var skipped []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			cleanup()
			fatalf("%v", err)
		}
		truth, tdoc, err := parseTextLayer(ctx, f, b)
		switch {
		case err != nil:
			fmt.Printf("== %s: SKIPPED, its text layer does not parse: %v\n\n", f, err)
			skipped = append(skipped, filepath.Base(f)+" (text layer does not parse)")
			continue
		case len(truth.Lines) == 0:
			fmt.Printf("== %s: SKIPPED, its text layer gives no budget_lines\n\n", f)
			skipped = append(skipped, filepath.Base(f)+" (text layer gives no budget_lines)")
			continue
		}
		if *dump {
			p := filepath.Join(dir, strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))+".text.txt")
			if err := dumpDoc(p, tdoc); err != nil {
				cleanup()
				fatalf("%v", err)
			}
		}
		for _, seed := range seeds {
			name := fmt.Sprintf("%s-s%d-d%d.pdf", strings.TrimSuffix(filepath.Base(f), filepath.Ext(f)), seed, *dpi)
			scan := filepath.Join(dir, name)
			t0 := time.Now()
			if _, err := os.Stat(scan); *reuse && err == nil {
				fmt.Printf("(reusing %s)\n", scan)
			} else {
				if err := makeScan(fixturegen, filepath.Join(work, name), f, scan, seed, *dpi); err != nil {
					cleanup()
					fatalf("scan %s seed %d: %v", f, seed, err)
				}
				made = append(made, scan)
			}
			scanTime := time.Since(t0)
			r := evaluate(ctx, ocr, f, scan, seed, truth, tdoc.Pages, evalOptions{reuse: *reuse, keep: *keep, dump: *dump})
			r.scanTime = scanTime
			r.print()
			all = append(all, r)
		}
	}
	printTotal(all, skipped)
	if *keep {
		fmt.Printf("\nscans kept in %s\n", dir)
	}
	cleanup()
}

func fatalf(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "scaneval: "+format+"\n", a...)
	os.Exit(1)
}

// buildFixturegen builds ./tools/fixturegen of the module scaneval runs in.
func buildFixturegen(bin string) error {
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return fmt.Errorf("go env GOMOD: %v", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(gomod)))
	if strings.TrimSpace(string(gomod)) == "" || strings.TrimSpace(string(gomod)) == os.DevNull {
		return errors.New("not inside the gongkai module: run scaneval from the repository (it builds ./tools/fixturegen)")
	}
	if _, err := os.Stat(filepath.Join(root, "cmd", "fixturegen")); err != nil {
		return fmt.Errorf("%s has no tools/fixturegen: run scaneval from the gongkai repository", root)
	}
	cmd := exec.Command("go", "build", "-tags", "duckdb_arrow", "-o", bin, "./tools/fixturegen")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build ./tools/fixturegen: %v\n%s", err, out)
	}
	return nil
}

// run runs a command, returning its stderr in the error.
func run(env []string, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %v\n%s", name, err, stderr.String())
	}
	return nil
}

// makeScan does what fixtures/scan/make.sh's scan() does, into out.
func makeScan(fixturegen, work, src, out string, seed uint64, dpi int) error {
	render, degraded, jpeg := filepath.Join(work, "render"), filepath.Join(work, "degraded"), filepath.Join(work, "jpeg")
	for _, d := range []string{render, jpeg} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	defer os.RemoveAll(work)
	if err := run(nil, "pdftoppm", "-r", strconv.Itoa(dpi), "-gray", src, filepath.Join(render, "p")); err != nil {
		return err
	}
	if err := run([]string{"FIXTUREGEN_SCAN_SEED=" + strconv.FormatUint(seed, 10)}, fixturegen, "scan", render, degraded); err != nil {
		return err
	}
	pgms, _ := filepath.Glob(filepath.Join(degraded, "*.pgm"))
	if len(pgms) == 0 {
		return errors.New("fixturegen scan wrote no pages")
	}
	sort.Strings(pgms)
	var jpgs []string
	for _, p := range pgms {
		j := filepath.Join(jpeg, strings.TrimSuffix(filepath.Base(p), ".pgm")+".jpg")
		if err := run(nil, "cjpeg", "-quality", jpegQuality, "-optimize", "-grayscale", "-outfile", j, p); err != nil {
			return err
		}
		jpgs = append(jpgs, j)
	}
	d := strconv.Itoa(dpi)
	args := append([]string{"--engine", "internal", "--nodate", "--rotation", "none", "-s", d + "dpix" + d + "dpi",
		"--creator", "gongkai tools/scaneval", "-o", out}, jpgs...)
	if err := run(nil, "img2pdf", args...); err != nil {
		return err
	}
	// image-only, as make.sh checks: no text layer
	txt, err := exec.Command("pdftotext", out, "-").Output()
	if err != nil {
		return fmt.Errorf("pdftotext %s: %v", out, err)
	}
	if len(bytes.TrimSpace(txt)) > 0 {
		return fmt.Errorf("%s has a text layer", out)
	}
	return nil
}

// parseTextLayer reads a born-digital PDF through its text layer (PDFium).
func parseTextLayer(ctx context.Context, path string, b []byte) (*transform.Result, *extract.Document, error) {
	doc, err := extract.ReadPDF(ctx, path, b, &extract.Pdfium{})
	if err != nil {
		return nil, nil, err
	}
	if len(doc.NeedsOCR) > 0 {
		fmt.Printf("note: %s: pages %v have no usable text layer; the truth lacks them\n", path, doc.NeedsOCR)
	}
	res, err := transform.Parse(doc)
	if err != nil {
		return nil, doc, err
	}
	return res, doc, nil
}

// dumpDoc writes a document's lines as "pPAGE lLINE<TAB>text" (tabs between
// cells shown as " | ").
func dumpDoc(path string, doc *extract.Document) error {
	var b strings.Builder
	for _, l := range doc.Lines {
		fmt.Fprintf(&b, "p%d l%d\t%s\n", l.Page, l.No, strings.ReplaceAll(l.Text, "\t", " | "))
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// printTruth prints what each PDF's text layer gives: identity, pages and
// budget_lines per table.
func printTruth(files []string) {
	ctx := context.Background()
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			fatalf("%v", err)
		}
		res, doc, err := parseTextLayer(ctx, f, b)
		if err != nil {
			fmt.Printf("%s: text layer does not parse: %v\n", f, err)
			continue
		}
		per := map[string]int{}
		var keys []string
		for _, l := range res.Lines {
			if per[l.TableKey] == 0 {
				keys = append(keys, l.TableKey)
			}
			per[l.TableKey]++
		}
		var parts []string
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%s %d", k, per[k]))
		}
		id := res.Identity
		fmt.Printf("%s: %d pages; %s %d %s; %d budget_lines (%s)\n", f, doc.Pages, id.DepartmentName, id.FiscalYear, id.Stage,
			len(res.Lines), strings.Join(parts, ", "))
	}
}
