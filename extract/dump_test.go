package extract

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"
)

func TestDumpPDF(t *testing.T) {
	p := os.Getenv("PDF")
	if p == "" {
		t.Skip()
	}
	b, _ := os.ReadFile(p)
	be := &Pdfium{}
	s := time.Now()
	pages, err := be.Pages(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintln(os.Stderr, "pages", len(pages), time.Since(s))
	os.WriteFile(os.Getenv("OUT"), []byte(Layout(pages)), 0o644)
}

func TestDumpRules(t *testing.T) {
	p := os.Getenv("PDF")
	if p == "" {
		t.Skip()
	}
	b, _ := os.ReadFile(p)
	pages, err := (&Pdfium{}).Pages(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	var pg int
	fmt.Sscan(os.Getenv("PAGE"), &pg)
	for _, tb := range findTables(pages[pg-1].Rules) {
		fmt.Fprintf(os.Stderr, "table %.0f,%.0f-%.0f,%.0f h=%d v=%d cols=%v\n", tb.x0, tb.y0, tb.x1, tb.y1, len(tb.hs), len(tb.vs), tb.cols)
		for _, v := range tb.vs {
			fmt.Fprintf(os.Stderr, "  v x=%.1f y=%.1f-%.1f\n", v.X0, v.Y0, v.Y1)
		}
	}
}
