package extract

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"testing"
)

// rawPDF assembles a PDF from its objects (1-based, in order), with a
// correct cross-reference table.
func rawPDF(objs ...string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

func stream(dict, data string) string {
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data)
}

// Ruling lines a producer draws inside a form XObject (a table placed as
// one object: Beijing's 预算01表, Shenzhen's platform output) are read like
// those on the page, through the form's /Matrix and the placing cm.
func TestPdfiumRulesInsideForm(t *testing.T) {
	form := stream("/Type /XObject /Subtype /Form /BBox [0 0 100 100] /Matrix [2 0 0 1 0 0]",
		"0.5 w 10 10 m 90 10 l S 10 10 60 40 re S")
	pdf := rawPDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Resources << /XObject << /F1 5 0 R >> >> /Contents 4 0 R >>",
		stream("", "q 1 0 0 1 50 30 cm /F1 Do Q"),
		form,
	)
	pages, err := (&Pdfium{}).Pages(context.Background(), pdf)
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 1 {
		t.Fatalf("%d pages, want 1", len(pages))
	}
	// Form space → × /Matrix (x doubled) → × cm (+50, +30) → the page frame
	// (y from the top of a 200 pt page): the line (10,10)–(90,10) is at
	// x 70–230, y 160; the rectangle (10,10) 60×40 spans x 70–190, y 120–160
	// (PDFium's bounds take in the line width: within snap).
	want := []Rule{{70, 160, 230, 160}, {70, 160, 190, 160}, {70, 120, 190, 120}, {70, 120, 70, 160}, {190, 120, 190, 160}}
	got := pages[0].Rules
	for _, w := range want {
		found := false
		for _, r := range got {
			if math.Abs(r.X0-w.X0) <= snap && math.Abs(r.X1-w.X1) <= snap && math.Abs(r.Y0-w.Y0) <= snap && math.Abs(r.Y1-w.Y1) <= snap {
				found = true
			}
		}
		if !found {
			t.Errorf("no rule %v among %v", w, got)
		}
	}
}
