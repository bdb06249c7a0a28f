package transform_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gongkai/gongkai/extract"
	"github.com/gongkai/gongkai/transform"
)

// BenchmarkParseSeed measures extract + transform of the seed text export.
func BenchmarkParseSeed(b *testing.B) {
	path := filepath.Join("..", "fixtures", "text", "shuozhou-dangqun-2026-budget.txt")
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		doc, err := extract.ReadText(path, data)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := transform.Parse(doc); err != nil {
			b.Fatal(err)
		}
	}
}
