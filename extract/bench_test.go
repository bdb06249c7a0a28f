package extract

import (
	"context"
	"os"
	"testing"
)

// BenchmarkReadText decodes and splits the seed text export, noise dropped.
func BenchmarkReadText(b *testing.B) {
	data, err := os.ReadFile("../fixtures/text/shuozhou-dangqun-2026-budget.txt")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ReadText("seed.txt", data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGridSpaces infers the columns of the space-aligned seed.
func BenchmarkGridSpaces(b *testing.B) {
	data, err := os.ReadFile("../fixtures/text/shuozhou-dangqun-2026-budget.spaces.txt")
	if err != nil {
		b.Fatal(err)
	}
	doc, err := ReadText("seed.spaces.txt", data)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		Grid(doc.Lines)
	}
}

// BenchmarkLayoutTables rebuilds the tables of the fpdf seed (44 pages)
// from glyphs and ruling lines already read by PDFium.
func BenchmarkLayoutTables(b *testing.B) {
	data, err := os.ReadFile("../fixtures/pdf/seed-fpdf.pdf")
	if err != nil {
		b.Fatal(err)
	}
	pages, err := (&Pdfium{}).Pages(context.Background(), data)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(len(pages)), "pages/op")
	for b.Loop() {
		Layout(pages)
	}
}

// BenchmarkPdfiumPages reads glyphs and ruling lines of the fpdf seed.
func BenchmarkPdfiumPages(b *testing.B) {
	data, err := os.ReadFile("../fixtures/pdf/seed-fpdf.pdf")
	if err != nil {
		b.Fatal(err)
	}
	be := &Pdfium{}
	if _, err := be.Pages(context.Background(), data); err != nil { // compile and warm
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := be.Pages(context.Background(), data); err != nil {
			b.Fatal(err)
		}
	}
}
