package corpus

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// dict reads a transform/dict TSV: code, name, from_year, to_year.
func dict(t *testing.T, name string) map[string][]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "transform", "dict", name))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Split(l, "\t")
		if len(f) < 4 || strings.HasPrefix(l, "#") || f[0] == "code" {
			continue
		}
		from, _ := strconv.Atoi(f[2])
		to, _ := strconv.Atoi(f[3])
		if from <= 2021 && (to == 0 || to >= 2021) {
			out[f[0]] = append(out[f[0]], f[1])
		}
	}
	return out
}

func has(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// The generator's classification names are the parser's dictionaries' (so
// uncoded rows get the codes the truth says).
func TestCatalogAgreesWithTheDictionaries(t *testing.T) {
	fn := dict(t, "function_classes.tsv")
	for _, c := range classes {
		if !has(fn[c.code], c.name) {
			t.Errorf("类 %s %s is not in function_classes.tsv for 2021", c.code, c.name)
		}
	}
	if len(classes) != len(fn) {
		t.Errorf("%d classes, the dictionary has %d in force in 2021", len(classes), len(fn))
	}
	ec := dict(t, "economic_classes.tsv")
	for _, e := range econItems {
		if !has(ec[e.code], e.name) {
			t.Errorf("economic item %s %s is not in economic_classes.tsv", e.code, e.name)
		}
	}
	for _, c := range econClasses {
		if !has(ec[c.code], c.name) {
			t.Errorf("economic class %s %s is not in economic_classes.tsv", c.code, c.name)
		}
	}
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "transform", "dict", "lexicon.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var terms []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			terms = append(terms, l)
		}
	}
	if strings.Join(terms, " ") != strings.Join(lexicon, " ") {
		t.Errorf("the lexicon copy differs from transform/dict/lexicon.txt:\n%v\n%v", lexicon, terms)
	}
	for from, to := range confusedChars {
		for _, term := range lexicon {
			if strings.ContainsRune(term, to) {
				t.Errorf("confused character %c (for %c) is in the lexicon term %s", to, from, term)
			}
		}
	}
}

// Copies of transform/document.go's orgSuffix and notOrgSuffix: a unit's
// subtotal row must look like an organisation, a project must not.
var (
	orgSuffix    = regexp.MustCompile(`(部|局|委|委员会|办|办公室|中心|站|所|院|校|学|队|处|会|馆|厅|室|团|社|园|公司|集团|政府|街道|乡|镇)$`)
	notOrgSuffix = regexp.MustCompile(`(经费|费用|费|资金|项目|补助|补贴|工程|支出)$`)
)

func TestCatalogNames(t *testing.T) {
	types := append(append([]deptType{}, deptTypes...), devZoneType)
	for _, ty := range types {
		for _, u := range ty.units {
			if !orgSuffix.MatchString(u) || notOrgSuffix.MatchString(u) {
				t.Errorf("%s: unit %s does not read as an organisation", ty.name, u)
			}
		}
		for _, s := range append(append([]string{}, ty.stems...), append(commonStems, villageStems...)...) {
			if orgSuffix.MatchString(s) && !notOrgSuffix.MatchString(s) {
				t.Errorf("%s: project %s reads as an organisation", ty.name, s)
			}
		}
		found := false
		for _, kk := range ty.kuans {
			for _, it := range kk.items {
				if !strings.HasPrefix(it.code, kk.code) || len(it.code) != 7 || len(kk.code) != 5 {
					t.Errorf("%s: 项 %s not under 款 %s", ty.name, it.code, kk.code)
				}
				found = found || it.code == ty.run
			}
		}
		if !found {
			t.Errorf("%s: running 项 %s is not among its 款", ty.name, ty.run)
		}
		for _, c := range append(append([]string{}, ty.gf...), ty.sa) {
			if c == "" {
				continue
			}
			for _, p := range []string{c, c[:5], c[:3]} {
				if _, ok := codeNames[p]; !ok {
					t.Errorf("%s: no name for code %s", ty.name, p)
				}
			}
		}
	}
}

func TestNarrativeArithmetic(t *testing.T) {
	if got := pct(19496, 34638); got != "56.29" {
		t.Errorf("pct = %s, want 56.29 (the seed's 项目支出 share)", got)
	}
	if got := change(34638, 39053); got != "比上年减少44.15万元，下降11.31%" {
		t.Errorf("change = %s (the seed's statement)", got)
	}
	if got := fmtWan(293954, true); got != "2,939.54" {
		t.Errorf("fmtWan = %s", got)
	}
	if got := cn(23); got != "二十三" {
		t.Errorf("cn(23) = %s", got)
	}
}

// Every document's tables add up: the identities the parser checks hold in
// the truth itself.
func TestTruthAddsUp(t *testing.T) {
	n := 0
	err := Generate(Options{Seed: 7, PerKind: 10, Kinds: []string{KindTabs}, GlitchRate: 0.5}, func(d *Document) error {
		n++
		cell := map[string]int64{}
		for _, l := range d.Truth.Lines {
			cell[l.Table+"|"+l.Side+"|"+l.Code+"|"+l.Name+"|"+l.Measure] = l.Yuan
		}
		eq := func(what string, a, b int64) {
			if a != b {
				t.Errorf("%s: %s: %d ≠ %d", d.Name, what, a, b)
			}
		}
		eq("收入总计 = 支出总计", cell["summary|income||收入总计|total"], cell["summary|expenditure||支出总计|total"])
		eq("财政拨款 收入总计 = 支出总计", cell["appropriation_summary|income||收入总计|total"], cell["appropriation_summary|expenditure||支出总计|total"])
		eq("预算支出总表 合计 = 本年支出合计", cell["expenditure|||合计|total"], cell["summary|expenditure||本年支出合计|total"])
		eq("预算收入总表 合计 = 本年收入合计", cell["income|||合计|total"], cell["summary|income||本年收入合计|total"])
		eq("基本支出 = 经济科目 合计", cell["general_budget_expenditure|||合计|basic"], cell["basic_expenditure_by_economic|||合计|total"])
		eq("一般公共预算", cell["general_budget_expenditure|||合计|total"], cell["summary|income||一般公共预算|total"])
		eq("合计 = 基本 + 项目", cell["expenditure|||合计|total"], cell["expenditure|||合计|basic"]+cell["expenditure|||合计|project"])
		var proj int64
		for _, p := range d.Truth.Projects {
			proj += p.Yuan
		}
		eq("projects = 项目支出", proj, cell["expenditure|||合计|project"])
		return nil
	})
	if err != nil || n != 10 {
		t.Fatal(n, err)
	}
}
