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
	rnd := make([]byte, 4096)
	rand.New(rand.NewSource(1)).Read(rnd)
	good, err := os.ReadFile(jiangsu2019)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string][]byte{
		"random.pdf":    rnd,
		"empty.pdf":     nil,
		"truncated.pdf": good[:len(good)/2],
		"header.pdf":    []byte("%PDF-1.7\n%%EOF\n"),
	}
	for name, b := range cases {
		for _, be := range backends() {
			doc, err := ReadPDF(context.Background(), name, b, be)
			if err == nil {
				t.Errorf("%s via %s: no error (%d lines)", name, be.Name(), len(doc.Lines))
				continue
			}
			if !strings.Contains(err.Error(), name) {
				t.Errorf("%s via %s: error %q does not name the file", name, be.Name(), err)
			}
		}
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
