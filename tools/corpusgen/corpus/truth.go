package corpus

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Truth is what the warehouse must hold for one document, in the formats of
// fixtures/golden (fixtures/golden/README.md), plus the glitches injected.
type Truth struct {
	Region, Department, Code string
	Year                     int
	Stage                    string
	Tables                   []TableStatus
	Lines                    []Line
	Projects                 []Project
	Forms                    []Form
	Glitches                 []Glitch
	Defects                  []Defect
}

// TableStatus is a source_tables row: present or empty.
type TableStatus struct{ Key, Status string }

// Line is a budget_lines row.
type Line struct {
	Table, Side, Code, Name string
	Level                   int
	Measure                 string
	Yuan                    int64
	Raw                     string
}

// Project is a projects row; GPBYuan only when HasGPB.
type Project struct {
	Funding, Name string
	Yuan, GPBYuan int64
	HasGPB        bool
}

// Form is a performance_forms row with its true values.
type Form struct {
	Scope, Project, Code  string
	TotalYuan, AnnualYuan int64
}

// Glitch is one misprinted cell: what is printed, what it should read, and
// the corrections row the pipeline writes when it repairs it (Field, the
// printed value as raw_value, True as normalized_value, Rule).
type Glitch struct {
	Kind    string // department_code, project_name, funding, truncated_label, place_name
	Rule    string // the repair rule expected (corrections.rule)
	Project string // the form's project (true name)
	Field   string // corrections.field
	Printed string // as printed
	True    string // as it should read
	Line    int    // 1-based line of the text export (text exports keep lines; PDFs do not)
	Note    string
	where   string
}

// Yuan formats whole yuan as the warehouse prints DECIMAL(18,2).
func Yuan(y int64) string { return strconv.FormatInt(y, 10) + ".00" }

// ParseYuan reads "3302300.00" back.
func ParseYuan(s string) (int64, error) {
	s = strings.TrimSuffix(s, ".00")
	return strconv.ParseInt(s, 10, 64)
}

func writeTSV(path string, header []string, rows [][]string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, strings.Join(header, "\t"))
	for _, r := range rows {
		fmt.Fprintln(w, strings.Join(r, "\t"))
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Write writes the truth as TSV files into dir.
func (t *Truth) Write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	files := []struct {
		name   string
		header []string
		rows   [][]string
	}{
		{"document.tsv", []string{"region", "department_name", "fiscal_year", "stage", "department_code"},
			[][]string{{t.Region, t.Department, strconv.Itoa(t.Year), t.Stage, t.Code}}},
		{"source_tables.tsv", []string{"table_key", "status"}, nil},
		{"budget_lines.tsv", []string{"table_key", "side", "item_code", "item_name", "item_level", "measure", "amount_yuan", "raw"}, nil},
		{"projects.tsv", []string{"funding", "project_name", "amount_yuan", "general_public_budget_yuan"}, nil},
		{"forms.tsv", []string{"scope", "project_name", "department_code", "total_funding_yuan", "annual_funding_yuan"}, nil},
		{"glitches.tsv", []string{"kind", "line", "printed", "true_value", "note", "rule", "project_name", "field"}, nil},
		{"defects.tsv", []string{"kind", "token", "note"}, nil},
	}
	for _, d := range t.Defects {
		files[6].rows = append(files[6].rows, []string{d.Kind, d.Token, d.Note})
	}
	for _, s := range t.Tables {
		files[1].rows = append(files[1].rows, []string{s.Key, s.Status})
	}
	for _, l := range t.Lines {
		files[2].rows = append(files[2].rows, []string{l.Table, l.Side, l.Code, l.Name, strconv.Itoa(l.Level), l.Measure, Yuan(l.Yuan), l.Raw})
	}
	for _, p := range t.Projects {
		gpb := ""
		if p.HasGPB {
			gpb = Yuan(p.GPBYuan)
		}
		files[3].rows = append(files[3].rows, []string{p.Funding, p.Name, Yuan(p.Yuan), gpb})
	}
	for _, f := range t.Forms {
		files[4].rows = append(files[4].rows, []string{f.Scope, f.Project, f.Code, Yuan(f.TotalYuan), Yuan(f.AnnualYuan)})
	}
	for _, g := range t.Glitches {
		files[5].rows = append(files[5].rows, []string{g.Kind, strconv.Itoa(g.Line), g.Printed, g.True, "injected: " + g.Note, g.Rule, g.Project, g.Field})
	}
	for _, f := range files {
		if err := writeTSV(filepath.Join(dir, f.name), f.header, f.rows); err != nil {
			return err
		}
	}
	return nil
}

// ReadTruth reads a truth folder written by Write.
func ReadTruth(dir string) (*Truth, error) {
	read := func(name string) ([][]string, error) {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		var rows [][]string
		for i, l := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
			if i == 0 || l == "" {
				continue
			}
			rows = append(rows, strings.Split(l, "\t"))
		}
		return rows, nil
	}
	t := &Truth{}
	rows, err := read("document.tsv")
	if err != nil {
		return nil, err
	}
	if len(rows) != 1 || len(rows[0]) < 5 {
		return nil, fmt.Errorf("%s: document.tsv: want one row of 5 fields", dir)
	}
	t.Region, t.Department, t.Stage, t.Code = rows[0][0], rows[0][1], rows[0][3], rows[0][4]
	if t.Year, err = strconv.Atoi(rows[0][2]); err != nil {
		return nil, fmt.Errorf("%s: fiscal_year: %w", dir, err)
	}
	if rows, err = read("source_tables.tsv"); err != nil {
		return nil, err
	}
	for _, r := range rows {
		t.Tables = append(t.Tables, TableStatus{r[0], r[1]})
	}
	if rows, err = read("budget_lines.tsv"); err != nil {
		return nil, err
	}
	for _, r := range rows {
		lv, _ := strconv.Atoi(r[4])
		y, err := ParseYuan(r[6])
		if err != nil {
			return nil, fmt.Errorf("%s: budget_lines amount %q: %w", dir, r[6], err)
		}
		t.Lines = append(t.Lines, Line{Table: r[0], Side: r[1], Code: r[2], Name: r[3], Level: lv, Measure: r[5], Yuan: y, Raw: r[7]})
	}
	if rows, err = read("projects.tsv"); err != nil {
		return nil, err
	}
	for _, r := range rows {
		p := Project{Funding: r[0], Name: r[1]}
		p.Yuan, _ = ParseYuan(r[2])
		if len(r) > 3 && r[3] != "" {
			p.GPBYuan, _ = ParseYuan(r[3])
			p.HasGPB = true
		}
		t.Projects = append(t.Projects, p)
	}
	if rows, err = read("forms.tsv"); err != nil {
		return nil, err
	}
	for _, r := range rows {
		f := Form{Scope: r[0], Project: r[1], Code: r[2]}
		f.TotalYuan, _ = ParseYuan(r[3])
		f.AnnualYuan, _ = ParseYuan(r[4])
		t.Forms = append(t.Forms, f)
	}
	if rows, err = read("glitches.tsv"); err != nil {
		return nil, err
	}
	for _, r := range rows {
		line, _ := strconv.Atoi(r[1])
		t.Glitches = append(t.Glitches, Glitch{Kind: r[0], Line: line, Printed: r[2], True: r[3], Note: strings.TrimPrefix(r[4], "injected: "),
			Rule: r[5], Project: r[6], Field: r[7]})
	}
	// defects.tsv is absent from corpora written before defects were injected.
	if _, err := os.Stat(filepath.Join(dir, "defects.tsv")); err == nil {
		if rows, err = read("defects.tsv"); err != nil {
			return nil, err
		}
		for _, r := range rows {
			if len(r) >= 3 {
				t.Defects = append(t.Defects, Defect{Kind: r[0], Token: r[1], Note: r[2]})
			}
		}
	}
	return t, nil
}
