package transform_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gongkai/gongkai/extract"
	"github.com/gongkai/gongkai/transform"
)

// goldenCases maps each text fixture to the golden folder holding the truth
// written by reading the document (fixtures/golden/README.md). Re-laid and
// re-encoded copies share the golden of their original.
var goldenCases = map[string]string{
	"shuozhou-dangqun-2026-budget.txt":              "shuozhou-dangqun-2026-budget",
	"shuozhou-dangqun-2026-budget.spaces.txt":       "shuozhou-dangqun-2026-budget",
	"datong-yungang-jiaoyu-2025-budget.txt":         "datong-yungang-jiaoyu-2025-budget",
	"datong-yungang-jiaoyu-2025-budget.spaces.txt":  "datong-yungang-jiaoyu-2025-budget",
	"datong-yungang-jiaoyu-2025-budget.gb18030.txt": "datong-yungang-jiaoyu-2025-budget",
}

func parseFixture(t testing.TB, name string) *transform.Result {
	t.Helper()
	path := filepath.Join("..", "fixtures", "text", name)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read fixture: %v", err)
	}
	res, err := parseBytes(path, b)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func parseBytes(path string, b []byte) (*transform.Result, error) {
	doc, err := extract.ReadText(path, b)
	if err != nil {
		return nil, err
	}
	return transform.Parse(doc)
}

// readTSV reads a golden TSV file into rows of fields, without its header.
func readTSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("golden file: %v", err)
	}
	defer f.Close()
	var rows [][]string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	first := true
	for sc.Scan() {
		if first {
			first = false
			continue
		}
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		rows = append(rows, strings.Split(sc.Text(), "\t"))
	}
	return rows
}

func TestGolden(t *testing.T) {
	for fixture, golden := range goldenCases {
		t.Run(fixture, func(t *testing.T) {
			if _, err := os.Stat(filepath.Join("..", "fixtures", "text", fixture)); err != nil {
				t.Fatalf("fixture missing: %v", err)
			}
			compareGolden(t, parseFixture(t, fixture), golden)
		})
	}
	// Every office fixture (fixtures/office/README.md) has the golden of
	// the text export it was made from: its name up to the first dot.
	office, err := filepath.Glob(filepath.Join("..", "fixtures", "office", "*.*"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, path := range office {
		name := filepath.Base(path)
		if strings.HasSuffix(name, ".go") || strings.HasSuffix(name, ".md") {
			continue
		}
		n++
		t.Run("office/"+name, func(t *testing.T) {
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
			res, err := transform.Parse(o.Doc)
			if err != nil {
				t.Fatal(err)
			}
			compareGolden(t, res, strings.SplitN(name, ".", 2)[0])
		})
	}
	if n < 16 {
		t.Errorf("%d office fixtures, want the 16 of fixtures/office/README.md", n)
	}
}

// compareGolden checks a result against a golden folder: identity, source
// tables, budget lines and projects.
func compareGolden(t *testing.T, res *transform.Result, golden string) {
	t.Helper()
	dir := filepath.Join("..", "fixtures", "golden", golden)

	doc := readTSV(t, filepath.Join(dir, "document.tsv"))[0]
	id := res.Identity
	got := []string{id.Region, id.DepartmentName, fmt.Sprint(id.FiscalYear), id.Stage}
	if strings.Join(got, "|") != strings.Join(doc, "|") {
		t.Errorf("identity = %v, want %v", got, doc)
	}

	wantTables := map[string]string{}
	for _, r := range readTSV(t, filepath.Join(dir, "source_tables.tsv")) {
		wantTables[r[0]] = r[1]
	}
	gotTables := map[string]string{}
	for _, st := range res.Tables {
		gotTables[st.TableKey] = st.Status
	}
	for k, v := range wantTables {
		if gotTables[k] != v {
			t.Errorf("source table %s: status %q, want %q", k, gotTables[k], v)
		}
	}
	for k := range gotTables {
		if _, ok := wantTables[k]; !ok {
			t.Errorf("unexpected source table %s", k)
		}
	}

	var gotLines []string
	for _, l := range res.Lines {
		gotLines = append(gotLines, strings.Join([]string{l.TableKey, l.Side, l.ItemCode, l.ItemName, fmt.Sprint(l.ItemLevel),
			l.Measure, l.AmountYuan.StringFixed(2), l.Raw}, "\t"))
	}
	var wantLines []string
	for _, r := range readTSV(t, filepath.Join(dir, "budget_lines.tsv")) {
		wantLines = append(wantLines, strings.Join(r, "\t"))
	}
	diffMultiset(t, "budget_lines", wantLines, gotLines)

	var gotProjects []string
	for _, p := range res.Projects {
		gpb := ""
		if p.GeneralPublicBudgetYuan != nil {
			gpb = p.GeneralPublicBudgetYuan.StringFixed(2)
		}
		gotProjects = append(gotProjects, strings.Join([]string{p.Funding, p.ProjectName, p.AmountYuan.StringFixed(2), gpb}, "\t"))
	}
	var wantProjects []string
	for _, r := range readTSV(t, filepath.Join(dir, "projects.tsv")) {
		wantProjects = append(wantProjects, strings.Join(r, "\t"))
	}
	diffMultiset(t, "projects", wantProjects, gotProjects)
}

// diffMultiset reports rows missing from got and rows got has in excess.
func diffMultiset(t *testing.T, what string, want, got []string) {
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
	if len(missing)+len(extra) > 0 {
		t.Errorf("%s: %d rows wanted, %d got; %d missing, %d unexpected", what, len(want), len(got), len(missing), len(extra))
		for i, m := range missing {
			if i < 15 {
				t.Errorf("  missing:    %s", m)
			}
		}
		for i, e := range extra {
			if i < 15 {
				t.Errorf("  unexpected: %s", e)
			}
		}
	}
}

// FuzzParse feeds mutated text exports through extract and transform: no
// input may panic; errors are fine.
func FuzzParse(f *testing.F) {
	b, err := os.ReadFile(filepath.Join("..", "fixtures", "text", "shuozhou-dangqun-2026-budget.txt"))
	if err != nil {
		f.Fatal(err)
	}
	s := string(b)
	for _, title := range []string{"预算收支总表", "预算支出总表", "项目支出预算表（本年预算）"} {
		at := strings.Index(s, "2026年"+title)
		f.Add([]byte("朔州经济开发区党群工作部\n2026年度部门预算公开\n" + s[at:min(len(s), at+900)]))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		doc, err := extract.ReadText("fuzz.txt", b)
		if err != nil {
			return
		}
		_, _ = transform.Parse(doc)
	})
}
