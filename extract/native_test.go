package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-pdf/fpdf"
)

// handPDF builds a one-page PDF from a content stream and a page resource
// dictionary; objects are numbered from 4 on, in the order given.
func handPDF(resources, content string, objects ...string) []byte {
	return handPDFPage("/MediaBox [0 0 595 842]", resources, content, objects...)
}

func handPDFPage(box, resources, content string, objects ...string) []byte {
	var b bytes.Buffer
	var offs []int
	obj := func(s string) {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offs), s)
	}
	b.WriteString("%PDF-1.7\n")
	obj("<</Type /Catalog /Pages 2 0 R>>")
	obj("<</Type /Pages /Count 1 /Kids [3 0 R]>>")
	obj(fmt.Sprintf("<</Type /Page /Parent 2 0 R %s /Resources %s /Contents %d 0 R>>", box, resources, 4+len(objects)))
	for _, o := range objects {
		obj(o)
	}
	obj(fmt.Sprintf("<</Length %d>>\nstream\n%s\nendstream", len(content)+1, content))
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<</Size %d /Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n", len(offs)+1, xref)
	return b.Bytes()
}

func streamObj(s string) string {
	return fmt.Sprintf("<</Length %d>>\nstream\n%s\nendstream", len(s), s)
}

// comparePages checks the native reader's pages against PDFium's.
func comparePages(t *testing.T, name string, b []byte) {
	t.Helper()
	want, err := (&Pdfium{}).Pages(context.Background(), b)
	if err != nil {
		t.Fatalf("%s: pdfium: %v", name, err)
	}
	got, err := Native{}.Pages(context.Background(), b)
	if err != nil {
		t.Fatalf("%s: native: %v", name, err)
	}
	if len(got) != len(want) {
		t.Fatalf("%s: %d pages, pdfium %d", name, len(got), len(want))
	}
	for i := range got {
		extra, missing := glyphDiff(got[i].Glyphs, want[i].Glyphs, 0.006)
		if len(extra)+len(missing) > 0 {
			t.Errorf("%s page %d: glyphs only native %v; only pdfium %v", name, i+1, extra, missing)
		}
		if !rulesNear(got[i].Rules, want[i].Rules, 0.006) {
			t.Errorf("%s page %d: rules %v, pdfium %v", name, i+1, got[i].Rules, want[i].Rules)
		}
		if got[i].Width != want[i].Width || got[i].Height != want[i].Height || got[i].Rotation != want[i].Rotation {
			t.Errorf("%s page %d: %gx%g/%d, pdfium %gx%g/%d", name, i+1, got[i].Width, got[i].Height, got[i].Rotation, want[i].Width, want[i].Height, want[i].Rotation)
		}
	}
}

// A Type3 font: a d1 glyph with its declared box, a d0 glyph measured by
// what it draws, names outside the glyph list standing for their codes.
func TestNativeType3(t *testing.T) {
	font := "<</Type /Font /Subtype /Type3 /FontBBox [0 0 750 750] /FontMatrix [0.001 0 0 0.001 0 0] " +
		"/CharProcs <</square 5 0 R /tri 6 0 R /one 7 0 R>> /Encoding <</Type /Encoding /Differences [65 /square /tri 49 /one]>> " +
		"/FirstChar 49 /LastChar 66 /Widths [600 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 800 700] /Resources <<>>>>"
	pdf := handPDF("<</Font <</F1 4 0 R>>>>",
		"BT /F1 12 Tf 100 700 Td (ABAB1) Tj 0 -20 Td 2 Tz (BA) Tj ET",
		font,
		streamObj("800 0 0 0 750 750 d1 0 0 750 750 re f"),
		streamObj("700 0 d0 0 0 m 700 0 l 350 600 l f"),
		streamObj("600 0 0 0 500 700 d1 100 0 m 500 0 l 300 700 l f"))
	comparePages(t, "type3.pdf", pdf)
}

// Rotated text, text in a form XObject drawn twice with a matrix, word and
// character spacing, TJ kerning, a stroked and a filled rule, a white
// strip, a page rotated by /Rotate 90 and cropped.
func TestNativeGeometry(t *testing.T) {
	font := "<</Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding>>"
	form := "<</Type /XObject /Subtype /Form /BBox [0 0 200 50] /Matrix [1 0 0 1 10 0] /Resources <</Font <</F1 4 0 R>>>> /Length 38>>\nstream\nBT /F1 9 Tf 0 10 Td (2026 in form) Tj ET\nendstream"
	content := strings.Join([]string{
		"BT /F1 12 Tf 72 700 Td 2 Tc 3 Tw (Word spacing 12.50) Tj ET",
		"BT /F1 12 Tf 0 1 -1 0 300 400 Tm [(Up) -300 (wards)] TJ ET",
		"q 2 0 0 2 50 100 cm /Fm1 Do Q q 1 0 0 1 50 300 cm /Fm1 Do Q",
		"0.5 w 72 650 m 500 650 l S",
		"0 0 0 rg 72 640 428 1 re f",
		"1 1 1 rg 72 630 428 1 re f",
		"0.2 0.2 0.2 RG 1 w 80 500 100 50 re S",
	}, "\n")
	comparePages(t, "geometry.pdf", handPDF("<</Font <</F1 4 0 R>> /XObject <</Fm1 5 0 R>>>>", content, font, form))
	comparePages(t, "rotated.pdf", handPDFPage("/MediaBox [0 0 595 842] /CropBox [10 20 585 832] /Rotate 90",
		"<</Font <</F1 4 0 R>> /XObject <</Fm1 5 0 R>>>>", content, font, form))
}

// Text that /ActualText replaces is left to PDFium: Auto reads the
// document with PDFium and says so.
func TestAutoFallsBackToPdfium(t *testing.T) {
	font := "<</Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding>>"
	pdf := handPDF("<</Font <</F1 4 0 R>>>>",
		"/Span <</ActualText (fi)>> BDC BT /F1 12 Tf 72 700 Td (2026 fi) Tj ET EMC", font)
	_, err := Native{}.Pages(context.Background(), pdf)
	if !errors.Is(err, ErrNativeUnsupported) || !strings.Contains(err.Error(), "ActualText") {
		t.Fatalf("native: err = %v, want it unsupported for ActualText", err)
	}
	before, _ := NativeFallbacks()
	pages, reader, err := (&Auto{}).PagesBy(context.Background(), pdf)
	if err != nil || reader != "pdfium" || len(pages) != 1 || len(pages[0].Glyphs) == 0 {
		t.Fatalf("auto: %d pages, reader %q, err %v; want PDFium's page", len(pages), reader, err)
	}
	if after, why := NativeFallbacks(); after != before+1 || !strings.Contains(why, "ActualText") {
		t.Errorf("fallbacks %d → %d (%q), want one more naming ActualText", before, after, why)
	}
	// A document the native reader reads is read natively, and recorded so.
	b, err := os.ReadFile("../fixtures/pdf/seed-libreoffice-calc.pdf")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := ReadPDF(context.Background(), "seed.pdf", b, &Auto{})
	if err != nil || doc.Backend != "native" {
		t.Fatalf("ReadPDF via Auto: backend %q, err %v; want native", doc.Backend, err)
	}
	if doc, err = ReadPDF(context.Background(), "actual.pdf", pdf, &Auto{}); err != nil || doc.Backend != "pdfium" {
		t.Errorf("ReadPDF via Auto of actual.pdf: err %v, want it read by PDFium", err)
	}
}

// Bad input gives errors, never panics; Auto fails the same way PDFium
// does.
func TestNativeBadInputs(t *testing.T) {
	good, err := os.ReadFile("../fixtures/pdf/seed-fpdf.pdf")
	if err != nil {
		t.Fatal(err)
	}
	rnd := make([]byte, 4096)
	rand.New(rand.NewSource(1)).Read(rnd)
	cases := map[string]struct {
		b    []byte
		want error
	}{
		"random.pdf":    {rnd, ErrNotPDF},
		"empty.pdf":     {nil, ErrNotPDF},
		"truncated.pdf": {good[:len(good)/2], ErrDamaged},
		"header.pdf":    {[]byte("%PDF-1.7\n%%EOF\n"), ErrDamaged},
	}
	for name, c := range cases {
		_, err := Native{}.Pages(context.Background(), c.b)
		if err == nil {
			t.Errorf("%s: native: no error", name)
		}
		if c.want == ErrNotPDF && !errors.Is(err, ErrNotPDF) {
			t.Errorf("%s: native: %v, want ErrNotPDF", name, err)
		}
		_, err = ReadPDF(context.Background(), name, c.b, &Auto{})
		if !errors.Is(err, c.want) || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: auto: %v, want %v naming the file", name, err, c.want)
		}
	}
}

// An encrypted file with an empty user password is read natively (RC4,
// decrypted by ledongthuc/pdf); one that needs a password is ErrEncrypted.
func TestNativeEncrypted(t *testing.T) {
	mk := func(user string) []byte {
		p := fpdf.New("P", "pt", "A4", "")
		p.SetProtection(fpdf.CnProtectPrint, user, "owner-secret")
		p.SetFont("Helvetica", "", 12)
		p.AddPage()
		p.Text(50, 50, "2026 330.23 12.50")
		var buf bytes.Buffer
		if err := p.Output(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	open := mk("")
	pages, reader, err := (&Auto{}).PagesBy(context.Background(), open)
	if err != nil || len(pages) != 1 {
		t.Fatalf("empty user password: %v", err)
	}
	t.Logf("an RC4 file with an empty user password is read by %s", reader)
	if reader == "native" {
		comparePages(t, "rc4.pdf", open)
	}
	_, err = ReadPDF(context.Background(), "locked.pdf", mk("user-secret"), &Auto{})
	if !errors.Is(err, ErrEncrypted) {
		t.Errorf("password needed: %v, want ErrEncrypted", err)
	}
}

// Damaged copies of real files: the native reader returns, with pages or
// an error, and never takes long.
func TestNativeMutations(t *testing.T) {
	files := []string{"../fixtures/pdf/seed-fpdf.pdf", "../fixtures/pdf/libreoffice-writer-datong.pdf"}
	rnd := rand.New(rand.NewSource(7))
	for _, f := range files {
		good, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for k := 0; k < 40; k++ {
			b := append([]byte(nil), good...)
			for n := 0; n < 1+rnd.Intn(20); n++ {
				b[rnd.Intn(len(b))] = byte(rnd.Intn(256))
			}
			start := time.Now()
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("%s mutation %d: panic %v", f, k, r)
					}
				}()
				Native{}.Pages(context.Background(), b)
			}()
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("%s mutation %d took %v", f, k, d)
			}
		}
	}
}

// A page that fails UsableText only for what it says (Latin text and dot
// leaders) stays native; one whose Unicode map gives private-use
// characters goes to PDFium.
func TestAutoUnusablePages(t *testing.T) {
	font := "<</Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding>>"
	latin := handPDF("<</Font <</F1 4 0 R>>>>",
		"BT /F1 12 Tf 72 700 Td (Contents ................ 3) Tj ET", font)
	pages, reader, err := (&Auto{}).PagesBy(context.Background(), latin)
	if err != nil || reader != "native" || len(pages) != 1 || UsableText(pages[0].Glyphs) {
		t.Fatalf("latin page: reader %q, err %v; want it read natively (and not usable)", reader, err)
	}
	cmap := "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def " +
		"1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfrange <41> <5A> <E000> endbfrange " +
		"endcmap CMapName currentdict /CMap defineresource pop end end"
	pua := handPDF("<</Font <</F1 4 0 R>>>>",
		"BT /F1 12 Tf 72 700 Td (ABCDEFGHIJKL) Tj ET",
		"<</Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding /ToUnicode 5 0 R>>",
		streamObj(cmap))
	before, _ := NativeFallbacks()
	pages, reader, err = (&Auto{}).PagesBy(context.Background(), pua)
	if err != nil || reader != "pdfium" || len(pages) != 1 {
		t.Fatalf("private-use page: reader %q, err %v; want PDFium's page", reader, err)
	}
	if after, why := NativeFallbacks(); after != before+1 || !strings.Contains(why, "failed Unicode map") {
		t.Errorf("fallbacks %d → %d (%q), want one more naming the failed map", before, after, why)
	}
}

// Bytes after the last %%EOF (a comment a tool appended, a server's
// padding) do not send a file to PDFium: the native reader reads the PDF up
// to it, the same pages as without them.
func TestNativeBytesAfterEOF(t *testing.T) {
	good, err := os.ReadFile("../fixtures/pdf/seed-libreoffice-writer.pdf")
	if err != nil {
		t.Fatal(err)
	}
	want, err := Native{}.Pages(context.Background(), good)
	if err != nil {
		t.Fatal(err)
	}
	for _, tail := range []string{"%copy 1\n", "\x00\x00\x00\x00", "<html>garbage</html>\r\n"} {
		b := append(slices.Clone(good), tail...)
		pages, reader, err := (&Auto{}).PagesBy(context.Background(), b)
		if err != nil || reader != "native" {
			t.Errorf("tail %q: read by %s, err %v; want native", tail, reader, err)
			continue
		}
		if len(pages) != len(want) || Layout(pages) != Layout(want) {
			t.Errorf("tail %q: %d pages laid out differently from the file without it (%d pages)", tail, len(pages), len(want))
		}
	}
}
