package transform_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gongkai/gongkai/transform"
)

// formCases have a forms.tsv golden (true names, canonical codes, funding).
var formCases = map[string]string{
	"shuozhou-dangqun-2026-budget.txt":          "shuozhou-dangqun-2026-budget",
	"shuozhou-dangqun-2026-budget.spaces.txt":   "shuozhou-dangqun-2026-budget",
	"shuozhou-dangqun-2026-budget.glitched.txt": "shuozhou-dangqun-2026-budget.glitched",
	"shuozhou-dangqun-2025-budget.txt":          "shuozhou-dangqun-2025-budget",
	"yangquan-chengqu-caizheng-2024-budget.txt": "yangquan-chengqu-caizheng-2024-budget",
}

func TestFormsGolden(t *testing.T) {
	for fixture, golden := range formCases {
		t.Run(fixture, func(t *testing.T) {
			res := parseFixture(t, fixture)
			for _, f := range res.Forms {
				if f.Scope == "project" && !f.Linked {
					t.Errorf("form %q not linked to a project", f.ProjectNameRaw)
				}
			}
			compareForms(t, res, golden)
		})
	}
}

// compareForms checks a result's forms against a golden forms.tsv: scope,
// canonical project name and code, and funding.
func compareForms(t *testing.T, res *transform.Result, golden string) {
	t.Helper()
	var got []string
	for _, f := range res.Forms {
		total, annual := "", ""
		if f.TotalFunding != nil {
			total = f.TotalFunding.StringFixed(2)
		}
		if f.AnnualFunding != nil {
			annual = f.AnnualFunding.StringFixed(2)
		}
		got = append(got, strings.Join([]string{f.Scope, f.ProjectName, f.DepartmentCode, total, annual}, "\t"))
	}
	var want []string
	for _, r := range readTSV(t, filepath.Join("..", "fixtures", "golden", golden, "forms.tsv")) {
		want = append(want, strings.Join(r, "\t"))
	}
	diffMultiset(t, "forms", want, got)
}

// TestGlitchesRepairedOrReported checks every glitch written down in a
// fixture's glitches.tsv: it is repaired with a correction from the printed
// text to the true value, or (place names the document cannot settle)
// reported as a finding. Nothing is repaired silently.
func TestGlitchesRepairedOrReported(t *testing.T) {
	for _, golden := range []string{"shuozhou-dangqun-2026-budget.glitched", "yangquan-chengqu-caizheng-2024-budget"} {
		t.Run(golden, func(t *testing.T) {
			res := parseFixture(t, golden+".txt")
			rows := readTSV(t, filepath.Join("..", "fixtures", "golden", golden, "glitches.tsv"))
			if len(rows) == 0 {
				t.Fatal("no glitches listed")
			}
			for _, g := range rows {
				kind, printed, truth := g[0], g[2], g[3]
				if !covered(res, kind, printed, truth) {
					t.Errorf("line %s: %s %q → %q neither repaired nor reported", g[1], kind, printed, truth)
				}
			}
		})
	}
}

func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

func covered(res *transform.Result, kind, printed, truth string) bool {
	for _, c := range res.Corrections {
		switch kind {
		case "funding":
			if digits(c.Raw) == digits(printed) && digits(c.Normalized) == digits(truth) && c.Rule == "amount.single_digit" {
				return true
			}
		case "department_code":
			if c.Raw == printed && (c.Normalized == truth || c.Rule == "department_code.glued_prefix") {
				return true
			}
		default:
			if c.Raw == printed && strings.Contains(truth, c.Normalized) {
				return true
			}
		}
	}
	if kind == "place_name" {
		for _, f := range res.Findings {
			if f.CheckID == "text.place_name_variant" && strings.Contains(f.Message, printed) {
				return true
			}
		}
	}
	return false
}

// The seed's department code is printed six ways; each variant is one
// correction to 609 and every form carries 609.
func TestSeedDepartmentCodes(t *testing.T) {
	res := parseFixture(t, "shuozhou-dangqun-2026-budget.txt")
	for _, f := range res.Forms {
		if f.DepartmentCode != "609" {
			t.Errorf("form %q: department code %q, want 609", f.ProjectNameRaw, f.DepartmentCode)
		}
	}
	want := map[string]bool{"609 朔州经济开发区党群工作部": true, "909-朔州经济开发区党群工作部": true, "6090朔州经济开发区党群工作部": true,
		"608-朔州经济开发区党群工作部": true, "60900-经常性项目(长期开展)": true}
	for _, c := range res.Corrections {
		delete(want, c.Raw)
	}
	for raw := range want {
		t.Errorf("no correction for the printed variant %q", raw)
	}
	if len(res.Forms) != 13 {
		t.Errorf("forms = %d, want 13 (12 project, 1 department)", len(res.Forms))
	}
	// Findings the acceptance names: two projects without forms, the 绩效 text's sum.
	var without, amount int
	for _, f := range res.Findings {
		switch f.CheckID {
		case "projects.without_form":
			without++
		case "forms.amount_vs_text":
			amount++
			if f.Expected != "1760900.00" || f.Actual != "1788100.00" {
				t.Errorf("forms.amount_vs_text expected/actual = %s/%s", f.Expected, f.Actual)
			}
		}
		if f.Severity == "error" {
			t.Errorf("error finding on the seed: %s %s", f.CheckID, f.Message)
		}
	}
	if without != 2 || amount != 1 {
		t.Errorf("projects.without_form = %d (want 2), forms.amount_vs_text = %d (want 1)", without, amount)
	}
}

func TestParseTarget(t *testing.T) {
	for raw, want := range map[string]string{"≥90%": ">= 90 %", "≤5万元": "<= 5 万元", "100元/人/天": "= 100 元/人/天", "及时": "  ", "≥1000份": ">= 1000 份"} {
		op, v, unit := transform.ParseTarget(raw)
		vs := ""
		if v != nil {
			vs = v.String()
		}
		if got := op + " " + vs + " " + unit; got != want {
			t.Errorf("ParseTarget(%q) = %q, want %q", raw, got, want)
		}
	}
}

func TestNotADisclosure(t *testing.T) {
	path := filepath.Join("..", "fixtures", "bad", "not-a-disclosure.txt")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := parseBytes(path, b); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("err = %v, want a not-a-disclosure error naming the file", err)
	}
}
