package transform_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOCRDiag lists, for one scan, every golden amount cell OCR missed with
// what was read instead, and the OCR repairs and findings: a diagnostic, run
// by hand: OCRDIAG=../fixtures/scan/scan-seed-calc.pdf
// OCRGOLDEN=shuozhou-dangqun-2026-budget go test -tags duckdb_arrow -v -run TestOCRDiag ./transform
func TestOCRDiag(t *testing.T) {
	f := os.Getenv("OCRDIAG")
	if f == "" {
		t.Skip()
	}
	golden := os.Getenv("OCRGOLDEN")
	res := parseScan(t, f)
	got := map[string][]string{}
	for _, l := range res.Lines {
		k := strings.Join([]string{l.TableKey, l.Side, l.ItemCode, l.Measure}, "|")
		got[k] = append(got[k], fmt.Sprintf("%s(%s)@%d:%q", l.AmountYuan.StringFixed(2), l.ItemName, l.Line, l.Raw))
	}
	hit, total := amountScore(t, res, golden)
	fmt.Println("score", hit, total)
	seen := map[string]int{}
	for _, l := range res.Lines {
		seen[strings.Join([]string{l.TableKey, l.Side, l.ItemCode, l.Measure, l.AmountYuan.StringFixed(2)}, "|")]++
	}
	for _, r := range readTSV(t, filepath.Join("..", "fixtures", "golden", golden, "budget_lines.tsv")) {
		k := strings.Join([]string{r[0], r[1], r[2], r[5], r[6]}, "|")
		if seen[k] > 0 {
			seen[k]--
			continue
		}
		fmt.Printf("MISS %s %s  got: %v\n", k, r[3], got[strings.Join([]string{r[0], r[1], r[2], r[5]}, "|")])
	}
	for _, c := range res.Corrections {
		if strings.HasPrefix(c.Rule, "ocr") {
			fmt.Printf("CORR %s %s: %q -> %q (%s)\n", c.Rule, c.Field, c.Raw, c.Normalized, c.Evidence)
		}
	}
	for _, fd := range res.Findings {
		fmt.Printf("FIND %s %s %s exp=%s act=%s\n", fd.Severity, fd.CheckID, fd.Message, fd.Expected, fd.Actual)
	}
}
