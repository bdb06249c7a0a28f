package extract

import (
	"context"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// nativeCorpus lists the PDFs the native reader is compared on: the
// fixtures and, when present, the real disclosures in ../shared/realpdf.
func nativeCorpus(t testing.TB) []string {
	files, _ := filepath.Glob("../fixtures/pdf/*.pdf")
	real, _ := filepath.Glob("../../shared/realpdf/*.pdf")
	files = append(files, real...)
	sort.Strings(files)
	if len(files) == 0 {
		t.Skip("no PDFs")
	}
	return files
}

// pdfiumPagesCached reads a PDF with PDFium, keeping the pages in a cache
// under the temporary folder keyed by the file's hash and that of
// pdfium.go (PDFium is the slow part of comparing the backends; a change
// to readPdfiumPage reads them again).
func pdfiumPagesCached(t testing.TB, b []byte) []PDFPage {
	src, err := os.ReadFile("pdfium.go")
	if err != nil {
		t.Fatalf("pdfium.go: %v", err)
	}
	h := sha256.New()
	h.Write(b)
	h.Write(src)
	sum := h.Sum(nil)
	dir := filepath.Join(os.TempDir(), "gongkai-pdfium-pages")
	path := filepath.Join(dir, hex.EncodeToString(sum[:12])+".gob")
	if f, err := os.Open(path); err == nil {
		defer f.Close()
		var pages []PDFPage
		if err := gob.NewDecoder(f).Decode(&pages); err == nil {
			return pages
		}
	}
	pages, err := (&Pdfium{}).Pages(context.Background(), b)
	if err != nil {
		t.Fatalf("pdfium: %v", err)
	}
	if err := os.MkdirAll(dir, 0o755); err == nil {
		if f, err := os.Create(path + ".tmp"); err == nil {
			if gob.NewEncoder(f).Encode(pages) == nil && f.Close() == nil {
				os.Rename(path+".tmp", path)
			}
		}
	}
	return pages
}

func TestNativeWarmPdfiumCache(t *testing.T) {
	for _, f := range nativeCorpus(t) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		pages := pdfiumPagesCached(t, b)
		n := 0
		for _, p := range pages {
			n += len(p.Glyphs)
		}
		t.Logf("%s: %d pages, %d glyphs", filepath.Base(f), len(pages), n)
	}
}

// glyphKey is a glyph as compared between the backends: its text and its
// box to a hundredth of a point.
func glyphKey(g Glyph) string {
	return fmt.Sprintf("%q %.6f %.6f %.6f %.6f %.3f", g.Text, g.X0, g.Y0, g.X1, g.Y1, g.Angle)
}

// TestNativeGlyphsDebug compares glyphs page by page (NATIVEDEBUG=substring
// of file names; NATIVEPAGE=page number to list every difference).
func TestNativeGlyphsDebug(t *testing.T) {
	filter := os.Getenv("NATIVEDEBUG")
	if filter == "" {
		t.Skip("set NATIVEDEBUG")
	}
	only, _ := strconv.Atoi(os.Getenv("NATIVEPAGE"))
	for _, f := range nativeCorpus(t) {
		if filter != "all" && !strings.Contains(f, filter) {
			continue
		}
		b, _ := os.ReadFile(f)
		want := pdfiumPagesCached(t, b)
		got, err := Native{}.Pages(context.Background(), b)
		if err != nil {
			fmt.Printf("%s: native error: %v\n", filepath.Base(f), err)
			continue
		}
		if len(got) != len(want) {
			fmt.Printf("%s: %d pages, pdfium %d\n", filepath.Base(f), len(got), len(want))
			continue
		}
		pagesSame, glyphDiffs, ruleDiff, layoutDiff := 0, 0, 0, 0
		for i := range got {
			g, w := got[i], want[i]
			extra, missing := glyphDiff(g.Glyphs, w.Glyphs, nativeTol)
			sort.Strings(extra)
			sort.Strings(missing)
			rk := func(rs []Rule) []string {
				var out []string
				for _, r := range rs {
					out = append(out, fmt.Sprintf("%.2f %.2f %.2f %.2f", r.X0, r.Y0, r.X1, r.Y1))
				}
				sort.Strings(out)
				return out
			}
			gr, wr := rk(g.Rules), rk(w.Rules)
			rulesSame := rulesNear(g.Rules, w.Rules, 0.006)
			lg, lw := Layout([]PDFPage{g}), Layout([]PDFPage{w})
			same := len(extra) == 0 && len(missing) == 0 && rulesSame && g.Width == w.Width && g.Height == w.Height && g.Rotation == w.Rotation
			if same {
				pagesSame++
			}
			if len(extra)+len(missing) > 0 {
				glyphDiffs++
			}
			if !rulesSame {
				ruleDiff++
			}
			if lg != lw {
				layoutDiff++
			}
			if only == i+1 || only == 0 && !same && os.Getenv("NATIVEALL") != "" {
				fmt.Printf("%s p%d: size %.2fx%.2f/%d vs %.2fx%.2f/%d; glyphs %d vs %d; rules %d vs %d; layout same %v\n",
					filepath.Base(f), i+1, g.Width, g.Height, g.Rotation, w.Width, w.Height, w.Rotation, len(g.Glyphs), len(w.Glyphs), len(gr), len(wr), lg == lw)
				for k, e := range extra {
					if k < 60 {
						fmt.Printf("   + %s\n", e)
					}
				}
				for k, e := range missing {
					if k < 60 {
						fmt.Printf("   - %s\n", e)
					}
				}
				if !rulesSame {
					fmt.Printf("   rules native %v\n   rules pdfium %v\n", head(gr, 6), head(wr, 6))
				}
			}
		}
		fmt.Printf("%s: %d pages, %d identical, %d with glyph differences, %d with rule differences, %d layout differences\n",
			filepath.Base(f), len(got), pagesSame, glyphDiffs, ruleDiff, layoutDiff)
	}
}

// glyphDiff pairs glyphs of the same text in reading order and lists
// those of a (extra) and b (missing) that have no partner within tol.
func glyphDiff(a, b []Glyph, tol float64) (extra, missing []string) {
	group := func(gs []Glyph) map[string][]Glyph {
		m := map[string][]Glyph{}
		for _, g := range gs {
			m[g.Text] = append(m[g.Text], g)
		}
		for _, v := range m {
			sort.Slice(v, func(i, j int) bool {
				if v[i].Y0 != v[j].Y0 {
					return v[i].Y0 < v[j].Y0
				}
				return v[i].X0 < v[j].X0
			})
		}
		return m
	}
	ga, gb := group(a), group(b)
	near := func(x, y Glyph) bool {
		return math.Abs(x.X0-y.X0) <= tol && math.Abs(x.X1-y.X1) <= tol && math.Abs(x.Y0-y.Y0) <= tol && math.Abs(x.Y1-y.Y1) <= tol && math.Abs(x.Angle-y.Angle) <= 1e-4
	}
	for text, as := range ga {
		bs := gb[text]
		used := make([]bool, len(bs))
		for _, x := range as {
			found := false
			for j, y := range bs {
				if !used[j] && near(x, y) {
					used[j], found = true, true
					break
				}
			}
			if !found {
				extra = append(extra, glyphKey(x))
			}
		}
		for j, y := range bs {
			if !used[j] {
				missing = append(missing, glyphKey(y))
			}
		}
	}
	for text, bs := range gb {
		if _, ok := ga[text]; !ok {
			for _, y := range bs {
				missing = append(missing, glyphKey(y))
			}
		}
	}
	return extra, missing
}

// rulesNear reports whether two pages' rules are the same, in order,
// within tol points.
func rulesNear(a, b []Rule, tol float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i].X0-b[i].X0) > tol || math.Abs(a[i].Y0-b[i].Y0) > tol || math.Abs(a[i].X1-b[i].X1) > tol || math.Abs(a[i].Y1-b[i].Y1) > tol {
			return false
		}
	}
	return true
}

func head(s []string, n int) []string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// PdfiumPagesCached exposes the cached PDFium pages to the external tests.
func PdfiumPagesCached(t testing.TB, b []byte) []PDFPage { return pdfiumPagesCached(t, b) }

// NativeCorpus exposes the corpus list to the external tests.
func NativeCorpus(t testing.TB) []string { return nativeCorpus(t) }

// nativeTol is how far (points) a native glyph box may lie from PDFium's
// in TestNativeGlyphsDebug (NATIVETOL overrides).
var nativeTol = func() float64 {
	if v, err := strconv.ParseFloat(os.Getenv("NATIVETOL"), 64); err == nil {
		return v
	}
	return 0.006
}()
