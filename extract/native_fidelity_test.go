package extract_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/gongkai/gongkai/extract"
	"github.com/gongkai/gongkai/transform"
)

// pagesOf is a backend that returns pages already read.
type pagesOf struct {
	name  string
	pages []extract.PDFPage
}

func (p pagesOf) Name() string { return p.name }
func (p pagesOf) Pages(context.Context, []byte) ([]extract.PDFPage, error) {
	out := make([]extract.PDFPage, len(p.pages))
	copy(out, p.pages) // ReadPDF empties the glyphs of unusable pages
	return out, nil
}

// budgetLines is a document's budget_lines as a multiset of
// table_key, side, item_code, item_name, measure, amount.
func budgetLines(r *transform.Result) map[string]int {
	m := map[string]int{}
	for _, l := range r.Lines {
		m[fmt.Sprintf("%s|%s|%s|%s|%s|%s", l.TableKey, l.Side, l.ItemCode, l.ItemName, l.Measure, l.AmountYuan.String())]++
	}
	return m
}

func identityOf(r *transform.Result) string {
	id := r.Identity
	return fmt.Sprintf("%s|%s|%s|%d|%s|%s", id.Region, id.DepartmentCode, id.DepartmentName, id.FiscalYear, id.Stage, id.Scope)
}

// TestNativeFidelity checks the native reader against PDFium on every
// fixture PDF and every real PDF of ../shared/realpdf: the native reader
// must read each document itself (and Auto keep it), and Layout of its pages must give
// PDFium's lines — where a page's lines differ, transform.Parse of the two
// documents must give the same budget_lines (table_key, side, item_code,
// item_name, measure, amount as a multiset) and the same identity. Every
// difference is printed.
func TestNativeFidelity(t *testing.T) {
	files := extract.NativeCorpus(t)
	identical, sameLines := 0, 0
	for _, f := range files {
		name := filepath.Base(f)
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		want := extract.PdfiumPagesCached(t, b)
		got, err := extract.Native{}.Pages(context.Background(), b)
		if err != nil {
			t.Errorf("%s: the native reader does not read it: %v", name, err)
			continue
		}
		if len(got) != len(want) {
			t.Errorf("%s: %d pages, PDFium %d", name, len(got), len(want))
			continue
		}
		if _, reader, err := (&extract.Auto{}).PagesBy(context.Background(), b); err != nil || reader != "native" {
			_, why := extract.NativeFallbacks()
			t.Errorf("%s: Auto reads it with %s (err %v): %s", name, reader, err, why)
		}
		var diffs []string
		for i := range got {
			lg := strings.Split(extract.Layout(got[i:i+1]), "\n")
			lw := strings.Split(extract.Layout(want[i:i+1]), "\n")
			for k := 0; k < len(lg) || k < len(lw); k++ {
				var a, b string
				if k < len(lg) {
					a = lg[k]
				}
				if k < len(lw) {
					b = lw[k]
				}
				if a != b {
					diffs = append(diffs, fmt.Sprintf("page %d line %d:\n      native %q\n      pdfium %q", i+1, k+1, a, b))
				}
			}
		}
		if len(diffs) == 0 {
			identical++
			continue
		}
		t.Logf("%s: %d line(s) laid out differently:\n    %s", name, len(diffs), strings.Join(diffs, "\n    "))
		dn, errN := extract.ReadPDF(context.Background(), f, b, pagesOf{"native", got})
		dp, errP := extract.ReadPDF(context.Background(), f, b, pagesOf{"pdfium", want})
		if (errN == nil) != (errP == nil) {
			t.Errorf("%s: ReadPDF native error %v, PDFium error %v", name, errN, errP)
			continue
		}
		if errN != nil {
			continue
		}
		rn, errN := transform.Parse(dn)
		rp, errP := transform.Parse(dp)
		if (errN == nil) != (errP == nil) {
			t.Errorf("%s: transform.Parse native error %v, PDFium error %v", name, errN, errP)
			continue
		}
		if errN != nil {
			t.Logf("%s: not a disclosure either way (%v)", name, errP)
			sameLines++
			continue
		}
		if a, b := identityOf(rn), identityOf(rp); a != b {
			t.Errorf("%s: identity native %s, PDFium %s", name, a, b)
		}
		mn, mp := budgetLines(rn), budgetLines(rp)
		var extra, missing []string
		for k, n := range mn {
			if n > mp[k] {
				extra = append(extra, fmt.Sprintf("%s ×%d", k, n-mp[k]))
			}
		}
		for k, n := range mp {
			if n > mn[k] {
				missing = append(missing, fmt.Sprintf("%s ×%d", k, n-mn[k]))
			}
		}
		sort.Strings(extra)
		sort.Strings(missing)
		if len(extra)+len(missing) > 0 {
			t.Errorf("%s: budget_lines differ: native only %v; PDFium only %v", name, extra, missing)
			continue
		}
		t.Logf("%s: the same %d budget_lines and identity either way", name, len(rn.Lines))
		sameLines++
	}
	t.Logf("%d files: %d laid out identically, %d with the same budget_lines and identity", len(files), identical, sameLines)
}
