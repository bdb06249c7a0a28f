package extract_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gongkai/gongkai/extract"
	"github.com/gongkai/gongkai/transform"
)

// officeCases are the office fixtures (fixtures/office/README.md), each
// with the text export it was made from: its name up to the first dot.
func officeCases(t *testing.T) []struct{ file, text string } {
	paths, err := filepath.Glob(filepath.Join("..", "fixtures", "office", "*.*"))
	if err != nil {
		t.Fatal(err)
	}
	var out []struct{ file, text string }
	for _, p := range paths {
		name := filepath.Base(p)
		if strings.HasSuffix(name, ".go") || strings.HasSuffix(name, ".md") {
			continue
		}
		out = append(out, struct{ file, text string }{name, strings.SplitN(name, ".", 2)[0]})
	}
	if len(out) < 16 {
		t.Fatalf("%d office fixtures, want the 16 of fixtures/office/README.md", len(out))
	}
	return out
}

// readOffice reads an office file as ingest does: its kind from its bytes.
func readOffice(t testing.TB, path string) *extract.Office {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	kind := extract.OfficeKind(path, b)
	if kind == "" {
		t.Fatalf("%s: not recognized as an office file", path)
	}
	o, err := extract.ReadOffice(context.Background(), path, b, kind)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// facts are the rows a result gives the warehouse that the goldens hold:
// identity, source tables, budget lines, projects, forms.
func facts(res *transform.Result) map[string][]string {
	out := map[string][]string{}
	id := res.Identity
	out["identity"] = []string{strings.Join([]string{id.Region, id.DepartmentName, fmt.Sprint(id.FiscalYear), id.Stage, id.Scope, id.DepartmentCode}, "\t")}
	for _, st := range res.Tables {
		out["source_tables"] = append(out["source_tables"], strings.Join([]string{st.TableKey, st.Status, st.Unit, fmt.Sprint(st.RowCount)}, "\t"))
	}
	for _, l := range res.Lines {
		out["budget_lines"] = append(out["budget_lines"], strings.Join([]string{l.TableKey, l.Side, l.ItemCode, l.ItemName, fmt.Sprint(l.ItemLevel),
			l.Measure, l.AmountYuan.StringFixed(2), l.Raw, l.SumCheck}, "\t"))
	}
	for _, p := range res.Projects {
		gpb := ""
		if p.GeneralPublicBudgetYuan != nil {
			gpb = p.GeneralPublicBudgetYuan.StringFixed(2)
		}
		out["projects"] = append(out["projects"], strings.Join([]string{p.Funding, p.ProjectName, p.RawName, p.UnitName, p.AmountYuan.StringFixed(2), gpb, fmt.Sprint(p.HasPerformanceTarget)}, "\t"))
	}
	for _, f := range res.Forms {
		amt := func(d interface{ StringFixed(int32) string }, ok bool) string {
			if !ok {
				return ""
			}
			return d.StringFixed(2)
		}
		tot, ann := "", ""
		if f.TotalFunding != nil {
			tot = amt(f.TotalFunding, true)
		}
		if f.AnnualFunding != nil {
			ann = amt(f.AnnualFunding, true)
		}
		out["forms"] = append(out["forms"], strings.Join([]string{f.Scope, f.ProjectName, f.DepartmentCode, tot, ann, fmt.Sprint(len(f.Indicators)), fmt.Sprint(len(f.Sources))}, "\t"))
	}
	for _, f := range res.Facts {
		out["facts"] = append(out["facts"], strings.Join([]string{f.Key, f.Value.String(), f.Unit}, "\t"))
	}
	return out
}

func parseText(t testing.TB, name string) *transform.Result {
	t.Helper()
	path := filepath.Join("..", "fixtures", "text", name+".txt")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := extract.ReadText(path, b)
	if err != nil {
		t.Fatal(err)
	}
	res, err := transform.Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestOfficeSameAsText: every office fixture gives what its text export
// gives — identity, source tables, budget lines (with raw and sum check),
// projects, forms and narrative facts, as multisets. transform's
// TestGolden checks them against their golden folders.
func TestOfficeSameAsText(t *testing.T) {
	for _, c := range officeCases(t) {
		t.Run(c.file, func(t *testing.T) {
			o := readOffice(t, filepath.Join("..", "fixtures", "office", c.file))
			res, err := transform.Parse(o.Doc)
			if err != nil {
				t.Fatal(err)
			}
			want := facts(parseText(t, c.text))
			got := facts(res)
			for _, k := range []string{"identity", "source_tables", "budget_lines", "projects", "forms", "facts"} {
				diffRows(t, k, want[k], got[k])
			}
		})
	}
}

// diffRows reports the rows missing from got and those it has in excess,
// as multisets.
func diffRows(t *testing.T, what string, want, got []string) {
	t.Helper()
	count := map[string]int{}
	for _, w := range want {
		count[w]++
	}
	for _, g := range got {
		count[g]--
	}
	var missing, extra []string
	for k, n := range count {
		for ; n > 0; n-- {
			missing = append(missing, k)
		}
		for ; n < 0; n++ {
			extra = append(extra, k)
		}
	}
	if len(missing)+len(extra) == 0 {
		return
	}
	slices.Sort(missing)
	slices.Sort(extra)
	t.Errorf("%s: %d rows wanted, %d got; %d missing, %d unexpected", what, len(want), len(got), len(missing), len(extra))
	for i, m := range missing {
		if i < 10 {
			t.Errorf("  missing:    %q", m)
		}
	}
	for i, e := range extra {
		if i < 10 {
			t.Errorf("  unexpected: %q", e)
		}
	}
}
