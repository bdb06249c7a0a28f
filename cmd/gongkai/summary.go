package main

import (
	"context"
	"fmt"
	"io"

	"github.com/gongkai/gongkai/load"
)

// The summary is what an analyst wants first: whose documents are loaded,
// their totals, basic vs project spending, how far each document's figures
// can be trusted, which tables were found, and anything that did not add up.
var summaryQueries = []struct{ title, sql string }{
	{"Departments and years (current documents; amounts in yuan)", `
SELECT department_name AS 部门, department_code AS 代码, fiscal_year AS 年度, stage AS 阶段,
       income_total_yuan AS 收入总计, expenditure_total_yuan AS 支出总计,
       basic_yuan AS 基本支出, project_yuan AS 项目支出, carryover_yuan AS 上年结转,
       round(project_yuan * 100 / nullif(basic_yuan + project_yuan, 0), 1) AS 项目占比pct
FROM v_department_year ORDER BY region, department_name, fiscal_year`},
	{"Which documents to trust (v_document_quality; 参与核对: amounts in a sum of their table; 核对通过: in a sum, none broken; 不符: in a sum that does not hold)", `
SELECT department_name AS 部门, fiscal_year AS 年度, stage AS 阶段, coalesce(scope, '') AS 范围, pages AS 页数,
       tables_present AS 报表, amounts AS 金额数,
       round(amounts_in_sum * 100 / nullif(amounts, 0), 1)::DECIMAL(4,1) AS 参与核对pct,
       amounts_confirmed_pct AS 核对通过pct, amounts_broken AS 不符, errors AS 错误, warnings AS 警告
FROM v_document_quality
ORDER BY errors + amounts_broken DESC, amounts_confirmed_pct NULLS FIRST, region, department_name, fiscal_year`},
	{"Standard tables found", `
SELECT d.department_name AS 部门, d.fiscal_year AS 年度,
       count(*) FILTER (WHERE s.status = 'present') AS present,
       count(*) FILTER (WHERE s.status = 'empty') AS empty,
       13 - count(s.table_key) AS missing,
       coalesce(string_agg(s.table_key, ', ' ORDER BY c.ordinal) FILTER (WHERE s.status = 'empty'), '') AS empty_tables
FROM documents d LEFT JOIN source_tables s USING (document_id) LEFT JOIN catalog_tables c USING (table_key)
WHERE d.is_current GROUP BY ALL ORDER BY 1, 2`},
	{"Largest projects", `
SELECT d.department_name AS 部门, d.fiscal_year AS 年度, p.funding, p.project_name AS 项目, p.amount_yuan
FROM projects p JOIN documents d USING (document_id)
WHERE d.is_current QUALIFY row_number() OVER (PARTITION BY p.document_id ORDER BY p.amount_yuan DESC) <= 5
ORDER BY 1, 2, p.amount_yuan DESC`},
	{"What did not add up (errors and warnings; rounding within 尾差 counted as info)", `
SELECT department_name AS 部门, fiscal_year AS 年度, severity, check_id, coalesce(table_key, '') AS table_key, message, expected, actual
FROM v_findings WHERE severity <> 'info' LIMIT 40`},
	{"Findings by severity", `
SELECT severity, check_id, count(*) AS n FROM v_findings GROUP BY ALL ORDER BY min(CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END), n DESC`},
	{"Year over year (departments with the prior year loaded)", `
SELECT department_name AS 部门, stage AS 阶段, prior_fiscal_year AS 上年, fiscal_year AS 本年,
       income_total_change_yuan AS 收入总计变动, income_total_change_pct AS 变动pct,
       general_public_budget_change_yuan AS 一般公共预算变动, general_public_budget_change_pct AS 变动pct2
FROM v_year_over_year ORDER BY 1, 4`},
	{"Repairs of OCR-style glitches (corrections by rule; every one auditable in corrections)", `
SELECT c.rule, count(*) AS n, any_value(c.raw_value || ' → ' || c.normalized_value) AS example
FROM corrections c JOIN documents d USING (document_id) WHERE d.is_current GROUP BY 1 ORDER BY 2 DESC`},
	{"Last ingest runs", `
SELECT run_id, started_at, finished_at, files_seen, files_loaded, files_unchanged, files_failed
FROM ingest_runs ORDER BY started_at DESC LIMIT 3`},
}

func cmdSummary(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("summary", "summary [--db PATH]\n\nPrints what an analyst wants first (make demo prints it): departments and years with their totals,\nbasic vs project and carry-over; which documents to trust (v_document_quality); the standard tables found;\nthe largest projects; what did not add up and the findings by severity; year over year; the repairs made;\nthe last ingest runs.", stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	conn, err := load.OpenReadOnly(*db)
	if err != nil {
		return err
	}
	defer conn.Close()
	for _, q := range summaryQueries {
		cols, rows, err := queryAll(ctx, conn, q.sql)
		if err != nil {
			return fmt.Errorf("%s: %w", q.title, err)
		}
		fmt.Fprintf(stdout, "\n== %s ==\n", q.title)
		writeTable(stdout, cols, rows)
	}
	return nil
}
