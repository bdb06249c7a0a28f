-- Cross-document checks (issue 8): what one year's document says about the
-- year before, against that year's own document; and a department's code and
-- name across years. Run by the loader after every ingest run that loaded
-- something, in one transaction: these findings are derived from whichever
-- documents are current, so they are recomputed, never appended.
-- Check ids are stable (sql/CHECKS.md). document_id is the later document,
-- related_document_id the earlier one.

DELETE FROM findings WHERE check_id LIKE 'xdoc.%';

-- xdoc.prior_figure: the later document's narrative states a total and its
-- change from last year (预算收入总计346.38万元，比上年减少44.15万元); stated −
-- change is what it says last year's figure was. Both figures are rounded to
-- 0.01 of their unit (万元: 50 yuan each), so up to 100 yuan is rounding.
INSERT INTO findings (document_id, check_id, severity, table_key, message, expected, actual, page, line, related_document_id)
SELECT s.document_id, 'xdoc.prior_figure', 'warning', 'summary',
       printf('%s %d: the narrative of %s implies the %d %s was %s yuan (%s); the %d document %s prints %s yuan',
              s.department_name, s.fiscal_year, cur.source_path, s.fiscal_year - 1,
              CASE s.fact_key WHEN 'income_total_prior_implied' THEN '收入总计'
                              WHEN 'expenditure_total_prior_implied' THEN '支出总计'
                              ELSE '一般公共预算当年拨款' END,
              s.stated_prior_yuan::VARCHAR, f.raw, s.fiscal_year - 1, prior.source_path, s.prior_document_yuan::VARCHAR),
       s.prior_document_yuan::VARCHAR, s.stated_prior_yuan::VARCHAR, f.page, s.line, s.prior_document_id
FROM v_stated_vs_prior s
JOIN documents cur ON cur.document_id = s.document_id
JOIN documents prior ON prior.document_id = s.prior_document_id
JOIN document_facts f ON f.document_id = s.document_id AND f.fact_key = s.fact_key AND f.line IS NOT DISTINCT FROM s.line
WHERE s.prior_document_yuan IS NOT NULL
  AND abs(s.stated_prior_yuan - s.prior_document_yuan) > CASE WHEN f.raw LIKE '%万元%' THEN 100 ELSE 0.02 END;

-- xdoc.prior_change_pct: the stated percentage change (下降11.31%) against
-- the one the two documents' own totals give. 0.02 points is rounding.
INSERT INTO findings (document_id, check_id, severity, table_key, message, expected, actual, page, line, related_document_id)
WITH pct AS (
    SELECT d.document_id, d.source_path, d.fiscal_year, d.department_name, d.region, d.department_code, d.stage,
           f.fact_key, f.value AS stated_pct, f.raw, f.page, f.line,
           CASE f.fact_key WHEN 'income_total_change_pct' THEN 'income_total'
                           WHEN 'expenditure_total_change_pct' THEN 'expenditure_total'
                           WHEN 'general_public_budget_change_pct' THEN 'general_public_budget' END AS measure
    FROM documents d JOIN document_facts f USING (document_id)
    WHERE d.is_current AND f.fact_key IN ('income_total_change_pct', 'expenditure_total_change_pct', 'general_public_budget_change_pct')
), joined AS (
    SELECT p.*, c.income_total_yuan AS c_income, c.expenditure_total_yuan AS c_expenditure, c.general_public_budget_yuan AS c_gpb,
           q.income_total_yuan AS q_income, q.expenditure_total_yuan AS q_expenditure, q.general_public_budget_yuan AS q_gpb,
           q.document_id AS prior_document_id, pd.source_path AS prior_path
    FROM pct p
    JOIN v_department_year c ON c.document_id = p.document_id
    JOIN v_department_year q
      ON q.region IS NOT DISTINCT FROM p.region
     AND coalesce(q.department_code, q.department_name) = coalesce(p.department_code, p.department_name)
     AND q.stage = p.stage AND q.fiscal_year = p.fiscal_year - 1
    JOIN documents pd ON pd.document_id = q.document_id
), computed AS (
    SELECT *,
           CASE measure WHEN 'income_total' THEN c_income WHEN 'expenditure_total' THEN c_expenditure ELSE c_gpb END AS cur_yuan,
           CASE measure WHEN 'income_total' THEN q_income WHEN 'expenditure_total' THEN q_expenditure ELSE q_gpb END AS prior_yuan
    FROM joined
)
SELECT document_id, 'xdoc.prior_change_pct', 'warning', 'summary',
       printf('%s %d: %s states %s (%s); its own figure %s against the %d document %s (%s yuan) gives %s%%',
              department_name, fiscal_year, source_path,
              CASE measure WHEN 'income_total' THEN '收入总计' WHEN 'expenditure_total' THEN '支出总计' ELSE '一般公共预算当年拨款' END,
              raw, cur_yuan::VARCHAR, fiscal_year - 1, prior_path, prior_yuan::VARCHAR,
              round((cur_yuan - prior_yuan) * 100 / prior_yuan, 2)::DECIMAL(9,2)::VARCHAR),
       round((cur_yuan - prior_yuan) * 100 / prior_yuan, 2)::DECIMAL(9,2)::VARCHAR,
       stated_pct::DECIMAL(9,2)::VARCHAR, page, line, prior_document_id
FROM computed
WHERE cur_yuan IS NOT NULL AND prior_yuan IS NOT NULL AND prior_yuan <> 0
  AND abs((cur_yuan - prior_yuan) * 100 / prior_yuan - stated_pct) > 0.02;

-- xdoc.department_code: the same department (region and name) under another
-- code in another year; xdoc.department_name: the same code under another
-- name. Both name the two documents; the later one carries the finding.
INSERT INTO findings (document_id, check_id, severity, table_key, message, expected, actual, page, line, related_document_id)
SELECT b.document_id, 'xdoc.department_code', 'warning', NULL,
       printf('%s: code %s in %d (%s) but %s in %d (%s)', b.department_name, a.department_code, a.fiscal_year, a.source_path,
              b.department_code, b.fiscal_year, b.source_path),
       a.department_code, b.department_code, NULL, NULL, a.document_id
FROM documents a JOIN documents b
  ON a.is_current AND b.is_current AND a.stage = b.stage
 AND a.region IS NOT DISTINCT FROM b.region AND a.department_name = b.department_name
 AND a.fiscal_year = (SELECT max(x.fiscal_year) FROM documents x
                      WHERE x.is_current AND x.stage = b.stage AND x.region IS NOT DISTINCT FROM b.region
                        AND x.department_name = b.department_name AND x.fiscal_year < b.fiscal_year)
WHERE a.department_code <> b.department_code;

INSERT INTO findings (document_id, check_id, severity, table_key, message, expected, actual, page, line, related_document_id)
SELECT b.document_id, 'xdoc.department_name', 'info', NULL,
       printf('code %s: named %s in %d (%s) but %s in %d (%s)', b.department_code, a.department_name, a.fiscal_year, a.source_path,
              b.department_name, b.fiscal_year, b.source_path),
       a.department_name, b.department_name, NULL, NULL, a.document_id
FROM documents a JOIN documents b
  ON a.is_current AND b.is_current AND a.stage = b.stage
 AND a.region IS NOT DISTINCT FROM b.region AND a.department_code = b.department_code
 AND a.fiscal_year = (SELECT max(x.fiscal_year) FROM documents x
                      WHERE x.is_current AND x.stage = b.stage AND x.region IS NOT DISTINCT FROM b.region
                        AND x.department_code = b.department_code AND x.fiscal_year < b.fiscal_year)
WHERE a.department_name <> b.department_name;
