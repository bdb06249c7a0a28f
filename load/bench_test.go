package load_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/gongkai/gongkai/extract"
	"github.com/gongkai/gongkai/transform"
)

// BenchmarkLoadSeed measures loading the parsed seed (257 budget lines and
// its other rows) as one transaction into a file warehouse; rows/s is the
// budget_lines rate.
func BenchmarkLoadSeed(b *testing.B) {
	data, err := os.ReadFile(seed)
	if err != nil {
		b.Fatal(err)
	}
	doc, err := extract.ReadText(seed, data)
	if err != nil {
		b.Fatal(err)
	}
	res, err := transform.Parse(doc)
	if err != nil {
		b.Fatal(err)
	}
	w, _ := openTemp(b)
	defer w.Close()
	i := 0
	start := time.Now()
	for b.Loop() {
		i++
		meta := transform.DocumentMeta{DocumentID: fmt.Sprintf("bench-%d", i), SourcePath: seed, SourceFormat: "text", IngestedAt: time.Now()}
		if err := w.Load(context.Background(), meta, res); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(i*len(res.Lines))/time.Since(start).Seconds(), "lines/s")
}
