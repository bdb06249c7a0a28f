package extract

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"math/rand"
	"os"
	"strings"
	"testing"

	"github.com/go-pdf/fpdf"
)

const jiangsu2019 = "../../shared/realpdf/jiangsu-jianchayuan-2019-budget.pdf"

func backends() []PDFBackend { return []PDFBackend{&Pdfium{}, Ledongthuc{}} }

func TestPDFBadInputsFailClearly(t *testing.T) {
	if _, err := os.Stat("../../shared/realpdf"); os.IsNotExist(err) {
		t.Skip("../shared/realpdf is absent")
	}
	rnd := make([]byte, 4096)
	rand.New(rand.NewSource(1)).Read(rnd)
	good, err := os.ReadFile(jiangsu2019)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		b    []byte
		want error // what pdfium says
	}{
		"random.pdf":    {rnd, ErrNotPDF},
		"empty.pdf":     {nil, ErrNotPDF},
		"truncated.pdf": {good[:len(good)/2], ErrDamaged},
		"header.pdf":    {[]byte("%PDF-1.7\n%%EOF\n"), ErrDamaged},
	}
	for name, c := range cases {
		for _, be := range backends() {
			doc, err := ReadPDF(context.Background(), name, c.b, be)
			if err == nil {
				t.Errorf("%s via %s: no error (%d lines)", name, be.Name(), len(doc.Lines))
				continue
			}
			if !strings.Contains(err.Error(), name) {
				t.Errorf("%s via %s: error %q does not name the file", name, be.Name(), err)
			}
			if errors.Is(err, ErrEmpty) {
				t.Errorf("%s via %s: %v, want the reason, not ErrEmpty", name, be.Name(), err)
			}
			if be.Name() == "pdfium" && !errors.Is(err, c.want) {
				t.Errorf("%s via pdfium: %v, want %v", name, err, c.want)
			}
		}
	}
}

// A page PDFium cannot load fails the document with the page's number.
func TestPDFBadPageNamed(t *testing.T) {
	f := fpdf.New("P", "pt", "A4", "")
	f.SetCompression(false)
	f.SetFont("Helvetica", "", 12)
	for i := 0; i < 3; i++ {
		f.AddPage()
		f.Text(50, 50, "2026 330.23 12.50")
	}
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		t.Fatal(err)
	}
	// The page tree's second kid points at an object that does not exist.
	bad := bytes.Replace(buf.Bytes(), []byte("/Kids [3 0 R 5 0 R "), []byte("/Kids [3 0 R 99 0 R"), 1)
	if bytes.Equal(bad, buf.Bytes()) {
		t.Fatal("fpdf's page tree changed: the test no longer breaks page 2")
	}
	_, err := ReadPDF(context.Background(), "pages.pdf", bad, &Pdfium{})
	if err == nil || !strings.Contains(err.Error(), "pages.pdf") || !strings.Contains(err.Error(), "page 2 could not be decoded") {
		t.Errorf("err = %v, want page 2 of pages.pdf named", err)
	}
}

// When no page has text to read, the error says how the pages fall; a
// backend giving no pages is ErrNoPages.
func TestNoTextLayerSaysWhy(t *testing.T) {
	garbage := glyphLine("&&'()&*&&'()&&'(&)&&''()&&", 100)
	pages := []PDFPage{{Number: 1}, {Number: 2, Glyphs: garbage}, {Number: 3, Glyphs: garbage}}
	_, err := ReadPDF(context.Background(), "scan.pdf", []byte("%PDF-1.4"), fakeBackend{pages})
	if !errors.Is(err, ErrNoTextLayer) {
		t.Fatalf("err = %v, want ErrNoTextLayer", err)
	}
	for _, want := range []string{"scan.pdf", "none of its 3 pages", "1 without text", "2 whose text does not decode", "page 2, 3"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("err = %q, want it to say %q", err, want)
		}
	}
	_, err = ReadPDF(context.Background(), "nopages.pdf", []byte("%PDF-1.4"), fakeBackend{nil})
	if !errors.Is(err, ErrNoPages) || !strings.Contains(err.Error(), "nopages.pdf") {
		t.Errorf("err = %v, want ErrNoPages naming the file", err)
	}
	// Text there is, but all of it at a slant: not "file is empty".
	slanted := glyphLine("2026年预算收支总表", 100)
	for i := range slanted {
		slanted[i].Angle = 0.6
	}
	_, err = ReadPDF(context.Background(), "stamp.pdf", []byte("%PDF-1.4"), fakeBackend{[]PDFPage{{Number: 1, Glyphs: slanted}}})
	if errors.Is(err, ErrEmpty) || !errors.Is(err, ErrNoTextLayer) || !strings.Contains(err.Error(), "11 glyphs set at a slant on 1 page ") {
		t.Errorf("err = %v, want ErrNoTextLayer counting the slanted glyphs", err)
	}
}

// fakeBackend returns fixed pages, for the checks that sit above the backends.
type fakeBackend struct{ pages []PDFPage }

func (f fakeBackend) Name() string { return "fake" }
func (f fakeBackend) Pages(context.Context, []byte) ([]PDFPage, error) {
	return f.pages, nil
}

func glyphLine(s string, y float64) []Glyph {
	var gs []Glyph
	x := 50.0
	for _, r := range s {
		gs = append(gs, Glyph{Text: string(r), X0: x, X1: x + 10, Y0: y, Y1: y + 10})
		x += 10
	}
	return gs
}

func TestGarbageTextLayerNeedsOCR(t *testing.T) {
	garbage := glyphLine("&&'()&*&&'()&&'(&)&&''()&&", 100)
	good := glyphLine("2026年预算收支总表", 100)
	if UsableText(garbage) {
		t.Error("a text layer of &&'()& symbols counted as usable")
	}
	if !UsableText(good) {
		t.Error("a Chinese title counted as unusable")
	}
	_, err := ReadPDF(context.Background(), "scan.pdf", []byte("%PDF-1.4"), fakeBackend{[]PDFPage{{Number: 1, Glyphs: garbage}, {Number: 2}}})
	if !errors.Is(err, ErrNoTextLayer) || !strings.Contains(err.Error(), "scan.pdf") {
		t.Errorf("err = %v, want ErrNoTextLayer naming the file", err)
	}
	doc, err := ReadPDF(context.Background(), "mixed.pdf", []byte("%PDF-1.4"), fakeBackend{[]PDFPage{{Number: 1, Glyphs: good}, {Number: 2, Glyphs: garbage}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.NeedsOCR) != 1 || doc.NeedsOCR[0] != 2 {
		t.Errorf("NeedsOCR = %v, want [2]", doc.NeedsOCR)
	}
	for _, l := range doc.Lines {
		if strings.Contains(l.Text, "&&") {
			t.Errorf("garbage line loaded: %q", l.Text)
		}
	}
}

// A ruled table with a merged header cell and a two-line cell comes out as
// the tab-separated rows a spreadsheet export gives.
func TestLayoutRebuildsRuledTable(t *testing.T) {
	// Columns at x = 0, 100, 200, 300; rows at y = 0, 20, 40, 70.
	var rules []Rule
	for _, y := range []float64{0, 20, 40, 70} {
		rules = append(rules, Rule{0, y, 300, y})
	}
	rules = append(rules, Rule{0, 0, 0, 70}, Rule{300, 0, 300, 70}, Rule{100, 0, 100, 70}, Rule{200, 20, 200, 70}) // 200 not in the header row
	var gs []Glyph
	put := func(s string, x, y float64) {
		for _, r := range s {
			gs = append(gs, Glyph{Text: string(r), X0: x, X1: x + 8, Y0: y, Y1: y + 8})
			x += 8
		}
	}
	put("项目", 10, 6)
	put("金额", 110, 6) // merged over two columns
	put("名称", 10, 26)
	put("合计", 110, 26)
	put("基本", 210, 26)
	put("一般公共", 10, 44)
	put("服务支出", 10, 56) // second line of the same cell
	put("12.50", 110, 50)
	put("7.50", 210, 50)
	put("斜", 150, 100)
	gs[len(gs)-1].Angle = 0.785 // a diagonal watermark glyph
	text := Layout([]PDFPage{{Number: 1, Glyphs: gs, Rules: rules}})
	want := "项目\t金额\t\n名称\t合计\t基本\n一般公共服务支出\t12.50\t7.50\n"
	if text != want {
		t.Errorf("layout =\n%q\nwant\n%q", text, want)
	}
}

// A table continued from the page before whose first row has no top
// border on this page (the vertical rules reach above the first horizontal
// rule) keeps that row in the table.
func TestLayoutRowAboveFirstRule(t *testing.T) {
	// Columns at x = 0, 100, 200; horizontal rules at y = 20, 40 only; the
	// vertical rules run from y = 0.
	rules := []Rule{{0, 20, 200, 20}, {0, 40, 200, 40}, {0, 0, 0, 40}, {100, 0, 100, 40}, {200, 0, 200, 40}}
	var gs []Glyph
	put := func(s string, x, y float64) {
		for _, r := range s {
			gs = append(gs, Glyph{Text: string(r), X0: x, X1: x + 8, Y0: y, Y1: y + 8})
			x += 8
		}
	}
	put("会议费", 10, 6)
	put("110.05", 110, 6)
	put("办公费", 10, 26)
	put("10.00", 110, 26)
	text := Layout([]PDFPage{{Number: 1, Glyphs: gs, Rules: rules}})
	if want := "会议费\t110.05\n办公费\t10.00\n"; text != want {
		t.Errorf("layout =\n%q\nwant\n%q", text, want)
	}
}

// A password-protected PDF gets ErrEncrypted from both backends.
func TestEncryptedPDF(t *testing.T) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetProtection(fpdf.CnProtectPrint, "user-secret", "owner-secret")
	pdf.AddPage()
	pdf.SetFont("Helvetica", "", 12)
	pdf.Cell(40, 10, "2026 budget")
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		t.Fatal(err)
	}
	for _, be := range backends() {
		_, err := ReadPDF(context.Background(), "locked.pdf", buf.Bytes(), be)
		if !errors.Is(err, ErrEncrypted) || !strings.Contains(err.Error(), "locked.pdf") {
			t.Errorf("%s: err = %v, want ErrEncrypted naming the file", be.Name(), err)
		}
	}
}

// An image-only PDF (a scan) is told apart from a born-digital one.
func TestImageOnlyPDFNeedsOCR(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 200, 100))
	for i := range img.Pix {
		img.Pix[i] = byte(200 + i%50)
	}
	var png bytes.Buffer
	if err := pngEncode(&png, img); err != nil {
		t.Fatal(err)
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.AddPage()
	pdf.RegisterImageOptionsReader("scan", fpdf.ImageOptions{ImageType: "PNG"}, &png)
	pdf.ImageOptions("scan", 10, 10, 190, 95, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		t.Fatal(err)
	}
	_, err := ReadPDF(context.Background(), "scan.pdf", buf.Bytes(), &Pdfium{})
	if !errors.Is(err, ErrNoTextLayer) {
		t.Errorf("err = %v, want ErrNoTextLayer", err)
	}
}

var pngEncode = png.Encode

// FuzzReadPDF: no input may panic through the PDF boundary, whichever
// backend reads it; errors are fine.
func FuzzReadPDF(f *testing.F) {
	f.Add([]byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"))
	small := fpdf.New("P", "mm", "A4", "")
	small.AddPage()
	small.SetFont("Helvetica", "", 12)
	small.Cell(40, 10, "2026 330.23")
	small.Line(10, 20, 100, 20)
	var buf bytes.Buffer
	if err := small.Output(&buf); err == nil {
		f.Add(buf.Bytes())
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, be := range backends() {
			_, _ = ReadPDF(context.Background(), "fuzz.pdf", b, be)
		}
	})
}

// A scan whose pages OCR reads nothing on (a blank page) fails saying so,
// naming the file — not "file is empty".
func TestBlankScanSaysWhy(t *testing.T) {
	o := &OCR{}
	if err := o.Available(); err != nil {
		t.Skip(err)
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.AddPage()
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		t.Fatal(err)
	}
	_, err := ReadScanned(context.Background(), "blank.pdf", buf.Bytes(), o)
	if err == nil || errors.Is(err, ErrEmpty) || !strings.Contains(err.Error(), "blank.pdf") || !strings.Contains(err.Error(), "OCR found no text on its 1 page ") {
		t.Errorf("err = %v, want one naming the file and saying OCR found no text", err)
	}
}
