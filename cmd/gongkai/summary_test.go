package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The summary shows, near the top, how far each document can be trusted:
// v_document_quality, the least trustworthy first.
func TestSummaryShowsDocumentQuality(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.duckdb")
	if code, out, errs := gongkai(t, "ingest", "--db", db, "../../fixtures/text"); code != 0 {
		t.Fatalf("ingest exit %d\n%s\n%s", code, out, errs)
	}
	code, out, errs := gongkai(t, "summary", "--db", db)
	if code != 0 {
		t.Fatalf("summary exit %d: %s", code, errs)
	}
	sections := strings.Split(out, "\n== ")
	if len(sections) < 3 || !strings.HasPrefix(sections[2], "Which documents to trust") {
		t.Fatalf("the second section is not the quality table:\n%s", out)
	}
	var rows []string
	for _, l := range strings.Split(sections[2], "\n")[3:] {
		if f := strings.Fields(l); len(f) == 12 {
			rows = append(rows, strings.Join(f, " "))
		}
	}
	want := []string{ // name year stage scope pages tables amounts in-sum% confirmed% broken errors warnings
		"大同市云冈区教育局 2025 budget department 20 11 321 96.3 96.3 0 0 7",
		"朔州经济开发区党群工作部 2026 budget department 1 8 257 96.5 96.5 0 0 4",
		"阳泉市城区财政局 2024 budget department 1 10 268 96.6 96.6 0 0 4",
		"朔州经济开发区党群工作部 2025 budget department 1 7 237 97.5 97.5 0 0 2",
	}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("quality rows:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
	if !regexp.MustCompile(`\(4 rows\)`).MatchString(sections[2]) {
		t.Errorf("quality section:\n%s", sections[2])
	}
}
