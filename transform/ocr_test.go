package transform_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
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
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := extract.ReadScanned(context.Background(), path, b, o)
	if err != nil {
		t.Fatal(err)
	}
	res, err := transform.Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// amountScore counts the golden amount cells found exactly (same table, side,
// item code or name, measure and amount) in a result.
func amountScore(t *testing.T, res *transform.Result, golden string) (hit, total int, missing []string) {
	got := map[string]int{}
	for _, l := range res.Lines {
		got[strings.Join([]string{l.TableKey, l.Side, l.ItemCode, l.Measure, l.AmountYuan.StringFixed(2)}, "|")]++
	}
	for _, r := range readTSV(t, filepath.Join("..", "fixtures", "golden", golden, "budget_lines.tsv")) {
		k := strings.Join([]string{r[0], r[1], r[2], r[5], r[6]}, "|")
		total++
		if got[k] > 0 {
			got[k]--
			hit++
		} else {
			missing = append(missing, fmt.Sprint(r))
		}
	}
	return
}

func TestOCRCleanRendering(t *testing.T) {
	if os.Getenv("GONGKAI_OCR_DEBUG") == "" {
		t.Skip("set GONGKAI_OCR_DEBUG=1")
	}
	res := parseScan(t, "../fixtures/pdf/seed-libreoffice-calc.pdf")
	hit, total, missing := amountScore(t, res, "shuozhou-dangqun-2026-budget")
	t.Logf("identity %+v; %d of %d amount cells", res.Identity, hit, total)
	for _, m := range missing {
		t.Log("missing", m)
	}
}
