package load_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/gongkai/gongkai/load"
	"github.com/gongkai/gongkai/transform"
)

// v_document_quality counts, per current document, the amounts, those in a
// sum, those a sum contradicts, the tables printed with rows and the
// findings by severity.
func TestDocumentQualityView(t *testing.T) {
	w, _ := openTemp(t)
	mark := func(l transform.Line, s string) transform.Line { l.SumCheck = s; return l }
	id := transform.Identity{Region: "某市", DepartmentName: "某市某局", FiscalYear: 2026, Stage: "budget", Scope: transform.ScopeUnit}
	shaky := &transform.Result{Identity: id,
		Tables: []transform.SourceTable{{TableKey: "summary", Status: "present"}, {TableKey: "income", Status: "present"}, {TableKey: "three_public", Status: "empty"}},
		Lines: []transform.Line{
			mark(line("income", "", "合计", "total", "10.00", 5), "broken"),
			mark(line("income", "", "一般公共服务支出", "total", "7.00", 6), "broken"),
			mark(line("income", "", "教育支出", "total", "2.00", 7), "broken"),
			mark(line("summary", "income", "一般公共预算", "total", "10.00", 3), "holds"),
			mark(line("summary", "income", "收入总计", "total", "10.00", 4), "holds"),
			line("summary", "expenditure", "支出总计", "total", "10.00", 4),
			line("summary", "expenditure", "基本支出", "total", "10.00", 5),
			line("summary", "expenditure", "项目支出", "total", "0.00", 6),
		},
		Findings: []transform.Finding{
			{CheckID: "sum.total", Severity: "error", Message: "off"},
			{CheckID: "table.missing", Severity: "warning", Message: "m1"},
			{CheckID: "table.missing", Severity: "warning", Message: "m2"},
			{CheckID: "sum.row.rounding", Severity: "info", Message: "r"},
		}}
	other := &transform.Result{Identity: transform.Identity{Region: "某市", DepartmentName: "某市另一局", FiscalYear: 2026, Stage: "budget"}}
	older := &transform.Result{Identity: id, Lines: []transform.Line{line("income", "", "合计", "total", "1.00", 5)}}
	meta := docMeta("shaky")
	meta.Pages = 12
	for i, err := range w.LoadGroup(context.Background(), []load.Doc{{Meta: docMeta("older"), Res: older}, {Meta: meta, Res: shaky}, {Meta: docMeta("other"), Res: other}}) {
		if err != nil {
			t.Fatalf("document %d: %v", i, err)
		}
	}
	got := rows(t, w.DB(), `SELECT document_id, scope, pages, tables_present, amounts, amounts_in_sum, amounts_broken,
		amounts_confirmed_pct::VARCHAR, errors, warnings FROM v_document_quality`)
	want := []string{
		"other <nil> <nil> 0 0 0 0 <nil> 0 0", // no amounts: nothing to confirm
		"shaky unit 12 2 8 5 3 25.0 1 2",      // (5 in a sum − 3 broken) of 8 amounts; info not counted
	}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("v_document_quality =\n  %q\nwant (the superseded 'older' left out)\n  %q", got, want)
	}
}

// rows dumps a query's rows as sorted text, values separated by spaces.
func rows(t *testing.T, db *sql.DB, q string, args ...any) []string {
	t.Helper()
	rs, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rs.Close()
	cols, _ := rs.Columns()
	var out []string
	for rs.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		strs := make([]string, len(vals))
		for i, v := range vals {
			strs[i] = fmt.Sprint(v)
		}
		out = append(out, strings.Join(strs, " "))
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}
