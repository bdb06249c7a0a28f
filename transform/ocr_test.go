package transform_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gongkai/gongkai/extract"
	"github.com/gongkai/gongkai/transform"
)

func parseScan(t testing.TB, path string) *transform.Result {
	t.Helper()
	o := &extract.OCR{}
	if err := o.Available(); err != nil {
		t.Skipf("OCR not available: %v (.ci/run installs tesseract-ocr and tesseract-ocr-chi-sim)", err)
	}
	return parseWith(t, path, func(ctx context.Context, p string, b []byte) (*extract.Document, error) {
		return extract.ReadScanned(ctx, p, b, o)
	})
}

// amountScore counts the golden amount cells found exactly (same table, side,
// item code, measure and amount) in a result.
func amountScore(t *testing.T, res *transform.Result, golden string, only ...string) (hit, total int) {
	got := map[string]int{}
	for _, l := range res.Lines {
		got[strings.Join([]string{l.TableKey, l.Side, l.ItemCode, l.Measure, l.AmountYuan.StringFixed(2)}, "|")]++
	}
	for _, r := range readTSV(t, filepath.Join("..", "fixtures", "golden", golden, "budget_lines.tsv")) {
		if len(only) > 0 && !slices.Contains(only, r[0]) {
			continue
		}
		k := strings.Join([]string{r[0], r[1], r[2], r[5], r[6]}, "|")
		total++
		if got[k] > 0 {
			got[k]--
			hit++
		}
	}
	return hit, total
}

// OCR of a clean rendering of the seed's tables (the Calc export read
// without its text layer): identity right and at least 99% of the amount
// cells exact.
func TestOCRCleanRendering(t *testing.T) {
	res := parseScan(t, "../fixtures/pdf/seed-libreoffice-calc.pdf")
	id := res.Identity
	if id.DepartmentName != "朔州经济开发区党群工作部" || id.FiscalYear != 2026 || id.Stage != "budget" {
		t.Errorf("identity = %+v", id)
	}
	hit, total := amountScore(t, res, "shuozhou-dangqun-2026-budget")
	t.Logf("%d of %d amount cells exact", hit, total)
	if hit*100 < total*99 {
		t.Errorf("%d of %d amount cells exact, want at least 99%%", hit, total)
	}
	for _, c := range res.Corrections {
		if c.Rule == "ocr.arithmetic" && (c.Raw == "" || c.Evidence == "") {
			t.Errorf("arithmetic repair without raw value or evidence: %+v", c)
		}
	}
}

// Degraded scans (tilt, noise, JPEG, a watermark): the document's identity
// is read right and at least 99% of the amount cells are exact after repair
// (issue 5's target; BENCHMARKS.md has the figures), every cell keeps its
// OCR confidence, and no wrong amount is marked as holding its sums.
func TestOCRScans(t *testing.T) {
	for _, c := range []struct {
		file, golden, dept string
		year, floorPct     int
		tables             []string // the golden tables the scan holds (none: all)
	}{
		{"scan-seed-calc.pdf", "shuozhou-dangqun-2026-budget", "朔州经济开发区党群工作部", 2026, 99, nil},
		{"scan-datong-calc.pdf", "datong-yungang-jiaoyu-2025-budget", "大同市云冈区教育局", 2025, 99, nil},
		{"scan-seed-watermark.pdf", "shuozhou-dangqun-2026-budget", "朔州经济开发区党群工作部", 2026, 99,
			[]string{"summary", "income", "expenditure", "appropriation_summary"}},
	} {
		res := parseScan(t, filepath.Join("..", "fixtures", "scan", c.file))
		if res.Identity.DepartmentName != c.dept || res.Identity.FiscalYear != c.year {
			t.Errorf("%s: identity = %+v", c.file, res.Identity)
		}
		hit, total := amountScore(t, res, c.golden, c.tables...)
		t.Logf("%s: %d of %d amount cells exact", c.file, hit, total)
		if hit*100 < total*c.floorPct || hit == 0 {
			t.Errorf("%s: %d of %d amount cells exact, want at least %d%%", c.file, hit, total, c.floorPct)
		}
		for _, k := range res.Corrections {
			if k.Rule == "ocr.arithmetic" && (k.Raw == "" || k.Evidence == "") {
				t.Errorf("%s: arithmetic repair without raw value or evidence: %+v", c.file, k)
			}
		}
		// Every cell keeps its OCR confidence, and no amount is loaded wrong
		// where a sum could have caught it: a wrong amount is never marked
		// as holding its sums.
		withConf := 0
		for _, l := range res.Lines {
			if l.Conf > 0 {
				withConf++
			} else {
				t.Logf("no conf: %+v", l)
			}
		}
		if withConf != len(res.Lines) {
			t.Errorf("%s: %d of %d amount lines have an OCR confidence", c.file, withConf, len(res.Lines))
		}
		for _, w := range wrongAmounts(t, res, c.golden, c.tables...) {
			if w.SumCheck == "holds" {
				t.Errorf("%s: %s %s %s %s loaded as %s (read %q) and marked as holding its sums", c.file, w.TableKey, w.ItemCode, w.ItemName, w.Measure, w.AmountYuan.StringFixed(2), w.Raw)
			}
		}
	}
}

// wrongAmounts are the lines whose (table, side, code, measure) the golden
// has, but with another amount.
func wrongAmounts(t *testing.T, res *transform.Result, golden string, only ...string) []transform.Line {
	want := map[string][]string{}
	for _, r := range readTSV(t, filepath.Join("..", "fixtures", "golden", golden, "budget_lines.tsv")) {
		k := strings.Join([]string{r[0], r[1], r[2], r[3], r[5]}, "|")
		want[k] = append(want[k], r[6])
	}
	var out []transform.Line
	for _, l := range res.Lines {
		if len(only) > 0 && !slices.Contains(only, l.TableKey) {
			continue
		}
		vs, ok := want[strings.Join([]string{l.TableKey, l.Side, l.ItemCode, l.ItemName, l.Measure}, "|")]
		if ok && !slices.Contains(vs, l.AmountYuan.StringFixed(2)) {
			out = append(out, l)
		}
	}
	return out
}

// BenchmarkOCRScan reads the 17-page seed scan end to end (render, Tesseract
// on both cores, cell re-reads, table reconstruction, parse, repair) and
// reports pages/s.
func BenchmarkOCRScan(b *testing.B) {
	o := &extract.OCR{}
	if err := o.Available(); err != nil {
		b.Skipf("OCR not available: %v", err)
	}
	path := filepath.Join("..", "fixtures", "scan", "scan-seed-calc.pdf")
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	pages := 0
	for b.Loop() {
		doc, err := extract.ReadScanned(context.Background(), path, data, o)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := transform.Parse(doc); err != nil {
			b.Fatal(err)
		}
		pages += doc.Pages
	}
	b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
}
