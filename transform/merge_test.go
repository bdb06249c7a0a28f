package transform

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gongkai/gongkai/extract"
)

// parseFile reads and parses a text export.
func parseFile(t *testing.T, path string) *Result {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := extract.ReadText(path, b)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// splitSeed parses the seed split into its narrative and its tables
// (fixtures/split/README.md) and the seed itself.
func splitSeed(t *testing.T) (narrative, tables, whole *Result) {
	dir := filepath.Join("..", "fixtures", "split")
	return parseFile(t, filepath.Join(dir, "shuozhou-dangqun-2026-budget.narrative.txt")),
		parseFile(t, filepath.Join(dir, "shuozhou-dangqun-2026-budget.tables.txt")),
		parseFile(t, filepath.Join("..", "fixtures", "text", "shuozhou-dangqun-2026-budget.txt"))
}

// content lists a result's rows as sorted text, without page and line
// (the parts are other files than the seed, their lines are numbered anew).
func content(res *Result) map[string][]string {
	out := map[string][]string{}
	add := func(k string, v any) { out[k] = append(out[k], fmt.Sprintf("%+v", v)) }
	add("identity", res.Identity)
	for _, l := range res.Lines {
		l.Page, l.Line = 0, 0
		add("lines", l)
	}
	for _, f := range res.Facts {
		add("facts", []string{f.Key, f.Value.String(), f.Unit, f.Raw})
	}
	for _, f := range res.Findings {
		f.Page, f.Line = 0, 0
		add("findings", f)
	}
	for _, s := range res.Tables {
		add("tables", []any{s.TableKey, s.Title, s.Status, s.RowCount, s.Unit})
	}
	for _, p := range res.Projects {
		p.Page, p.Line = 0, 0
		add("projects", p)
	}
	for _, f := range res.Forms {
		add("forms", []any{f.Scope, f.ProjectName, f.DepartmentCode, f.TotalFunding, f.AnnualFunding, len(f.Indicators), len(f.Sources)})
	}
	for _, c := range res.Corrections {
		// The evidence counts what the file shows (609 on 9 of 12 forms
		// in the tables file, 10 of 13 in the seed).
		c.Page, c.Line, c.Evidence = 0, 0, ""
		add("corrections", c)
	}
	for _, v := range out {
		slices.Sort(v)
	}
	return out
}

func checkIDs(res *Result) []string {
	var ids []string
	for _, f := range res.Findings {
		ids = append(ids, f.CheckID+"/"+f.Severity)
	}
	return ids
}

// The seed cut into a narrative-only and a tables-only file merges back
// into what the seed itself gives, in either order: the same rows, facts,
// forms, corrections and findings.
func TestMergeSplitSeed(t *testing.T) {
	narrative, tables, whole := splitSeed(t)
	if r := Role(narrative); r != RoleNarrative {
		t.Errorf("narrative part: role %s", r)
	}
	if r := Role(tables); r != RoleTables {
		t.Errorf("tables part: role %s", r)
	}
	if r := Role(whole); r != RoleWhole {
		t.Errorf("seed: role %s", r)
	}
	nFindings, nFacts := len(narrative.Findings), len(narrative.Facts)
	m1, err := Merge(narrative, tables)
	if err != nil {
		t.Fatal(err)
	}
	m2, err := Merge(tables, narrative)
	if err != nil {
		t.Fatal(err)
	}
	if len(narrative.Findings) != nFindings || len(narrative.Facts) != nFacts {
		t.Error("Merge changed a part")
	}
	want := content(whole)
	for name, m := range map[string]*Result{"narrative+tables": m1, "tables+narrative": m2} {
		got := content(m)
		for k, w := range want {
			if g := got[k]; !slices.Equal(g, w) {
				t.Errorf("%s: %s differ from the seed's: %d against %d\n  merged only: %v\n  seed only: %v", name, k, len(g), len(w),
					minus(g, w), minus(w, g))
			}
		}
	}
	// Alone, the narrative's 12 project targets had no forms to match, and
	// the tables its 目录 lists were not in it.
	for _, id := range []string{"forms.count_vs_text/warning", "table.missing/warning"} {
		if !slices.Contains(checkIDs(narrative), id) {
			t.Errorf("narrative alone: findings %v, want %s", checkIDs(narrative), id)
		}
		if slices.Contains(checkIDs(m1), id) {
			t.Errorf("merged: %s of the narrative alone kept", id)
		}
	}
}

// writeVariant writes a fixture with its text changed and returns its path.
func writeVariant(t *testing.T, path string, change func(string) string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), filepath.Base(path))
	if err := os.WriteFile(out, []byte(change(string(b))), 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// All checks run again on the merged result: a difference within 尾差 is
// info only when the document declares 尾差, and the note may be printed in
// the other file.
func TestMergeRechecksWithTheOtherPartsRoundingNote(t *testing.T) {
	dir := filepath.Join("..", "fixtures", "split")
	tables := parseFile(t, writeVariant(t, filepath.Join(dir, "shuozhou-dangqun-2026-budget.tables.txt"), func(s string) string {
		return strings.Replace(s, "注：本套报表因取数时四舍五入，部分金额可能存在尾差", "注：", 1)
	}))
	narrative := parseFile(t, writeVariant(t, filepath.Join(dir, "shuozhou-dangqun-2026-budget.narrative.txt"), func(s string) string {
		return strings.Replace(s, "第四部分 名词解释", "注：本部门预算数据因四舍五入，可能存在尾差。\n\n第四部分 名词解释", 1)
	}))
	if tables.RoundingNote || !narrative.RoundingNote {
		t.Fatalf("variants: tables note %v, narrative note %v", tables.RoundingNote, narrative.RoundingNote)
	}
	m, err := Merge(narrative, tables)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(checkIDs(tables), "sum.total.rounding/warning") || !slices.Contains(checkIDs(m), "sum.total.rounding/info") ||
		slices.Contains(checkIDs(m), "sum.total.rounding/warning") {
		t.Errorf("sum.total.rounding: tables alone %v, merged %v; want warning alone, info merged", checkIDs(tables), checkIDs(m))
	}
}

func minus(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}

// The checks of the narrative against the tables run on the merged result:
// a narrative that states another 收入总计 than the tables print gets its
// finding only once the two are merged.
func TestMergeChecksNarrativeAgainstTables(t *testing.T) {
	_, tables, _ := splitSeed(t)
	changed := parseFile(t, writeVariant(t, filepath.Join("..", "fixtures", "split", "shuozhou-dangqun-2026-budget.narrative.txt"), func(s string) string {
		return strings.Replace(s, "预算收入总计346.38万元", "预算收入总计692.76万元", 1)
	}))
	if slices.Contains(checkIDs(changed), "narrative.income_total/warning") {
		t.Fatal("the narrative alone already has the finding")
	}
	m, err := Merge(changed, tables)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range m.Findings {
		if f.CheckID == "narrative.income_total" {
			n++
			if f.Expected != "3463800.00" || f.Actual != "6927600.00" {
				t.Errorf("finding %+v", f)
			}
		}
	}
	if n != 1 {
		t.Errorf("narrative.income_total findings: %d, want 1", n)
	}
	implied := 0
	for _, f := range m.Facts {
		if strings.HasSuffix(f.Key, "_prior_implied") {
			implied++
		}
	}
	if implied != 3 {
		t.Errorf("%d *_prior_implied facts, want 3 (derived once, not once per part and again)", implied)
	}
}

func TestMergeRefuses(t *testing.T) {
	narrative, tables, _ := splitSeed(t)
	if _, err := Merge(tables, tables); err == nil || !strings.Contains(err.Error(), "printed with rows in two parts") {
		t.Errorf("tables twice: %v", err)
	}
	other := *narrative
	other.Identity.FiscalYear = 2025
	if _, err := Merge(&other, tables); err == nil || !strings.Contains(err.Error(), "different documents") {
		t.Errorf("another year: %v", err)
	}
	other = *narrative
	other.Identity.DepartmentCode = "610"
	if _, err := Merge(&other, tables); err == nil || !strings.Contains(err.Error(), "department code") {
		t.Errorf("another department code: %v", err)
	}
	if _, err := Merge(); err == nil {
		t.Error("no parts merged")
	}
}
