package extract

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkNativePages reads every real PDF of ../shared/realpdf with the
// native reader, one after another on one goroutine.
func BenchmarkNativePages(b *testing.B) {
	files, _ := filepath.Glob("../../shared/realpdf/*.pdf")
	if len(files) == 0 {
		b.Skip("../shared/realpdf is absent")
	}
	var data [][]byte
	for _, f := range files {
		d, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		data = append(data, d)
	}
	pages := 0
	for b.Loop() {
		pages = 0
		for _, d := range data {
			ps, err := Native{}.Pages(context.Background(), d)
			if err == nil {
				pages += len(ps)
			}
		}
	}
	b.ReportMetric(float64(pages), "pages/op")
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/float64(pages)/1000, "ms/page")
}
