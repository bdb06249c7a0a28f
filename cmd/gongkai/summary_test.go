package main

import (
	"encoding/csv"
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
	// What v_document_quality holds, least trustworthy first (the numbers
	// themselves are asserted on the fixtures in ingest's tests).
	_, csvOut, _ := gongkai(t, "query", "--db", db, "--format", "csv", `SELECT department_name, fiscal_year, stage, scope, pages,
		tables_present, amounts, round(amounts_in_sum * 100 / amounts, 1)::DECIMAL(4,1), amounts_confirmed_pct, amounts_broken, errors, warnings
		FROM v_document_quality ORDER BY errors + amounts_broken DESC, amounts_confirmed_pct, region, department_name, fiscal_year`)
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvOut, "\ufeff"))).ReadAll()
	if err != nil || len(recs) != 5 {
		t.Fatalf("v_document_quality: %v\n%s", err, csvOut)
	}
	var want []string
	for _, r := range recs[1:] {
		want = append(want, strings.Join(r, " "))
	}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("quality rows:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(strings.Join(want, "\n"), "朔州经济开发区党群工作部 2026 budget department 1 8 257 ") {
		t.Errorf("the seed's row: %q", want)
	}
	if !regexp.MustCompile(`\(4 rows\)`).MatchString(sections[2]) {
		t.Errorf("quality section:\n%s", sections[2])
	}
}
