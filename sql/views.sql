-- Views for analysts (contract: v_department_year, v_function_class, v_year_over_year).
-- All views read current documents only (documents.is_current).

-- One row per current document. Figures come from the 预算收支总表 (summary)
-- where it prints them, else from the table that does:
--   income_total_yuan          summary, income side, 收入总计 (收入合计, or 决算's 总计, or the
--                              side's closing 合计, in layouts that total so)
--   expenditure_total_yuan     summary, expenditure side, 支出总计 (支出合计, 总计, 合计)
--   basic_yuan / project_yuan  预算支出总表 (expenditure) 合计 row, 基本支出 / 项目支出; else
--                              the 基本支出 / 项目支出 items (Jiangsu's 支出用途); basic_yuan
--                              else 人员经费 + 公用经费 of that 合计 row (基本支出 printed
--                              only as its two parts: Zhejiang); else the sum over the
--                              table's 功能分类 类 rows, each printed once (a table whose
--                              total row is named as the department: Shenzhen)
--   carryover_yuan             summary, income side, 上年结转
--   general_public_budget_yuan summary, income side, 一般公共预算 of the year itself
--                              (the carry-over block of 财政拨款收支总表 is measure 'carryover')
CREATE OR REPLACE VIEW v_department_year AS
WITH f AS (
    SELECT document_id,
        coalesce(
            max(amount_yuan) FILTER (WHERE table_key = 'summary' AND side = 'income' AND item_name = '收入总计' AND measure = 'total'),
            max(amount_yuan) FILTER (WHERE table_key = 'summary' AND side = 'income' AND item_name = '收入合计' AND measure = 'total'),
            max(amount_yuan) FILTER (WHERE table_key = 'summary' AND side = 'income' AND item_name = '总计' AND measure = 'total'),
            max(amount_yuan) FILTER (WHERE table_key = 'summary' AND side = 'income' AND item_name = '合计' AND measure = 'total')) AS income_total_yuan,
        coalesce(
            max(amount_yuan) FILTER (WHERE table_key = 'summary' AND side = 'expenditure' AND item_name = '支出总计' AND measure = 'total'),
            max(amount_yuan) FILTER (WHERE table_key = 'summary' AND side = 'expenditure' AND item_name = '支出合计' AND measure = 'total'),
            max(amount_yuan) FILTER (WHERE table_key = 'summary' AND side = 'expenditure' AND item_name = '总计' AND measure = 'total'),
            max(amount_yuan) FILTER (WHERE table_key = 'summary' AND side = 'expenditure' AND item_name = '合计' AND measure = 'total')) AS expenditure_total_yuan,
        coalesce(
            max(amount_yuan) FILTER (WHERE table_key = 'expenditure' AND item_name = '合计' AND item_code = '' AND measure = 'basic'),
            max(amount_yuan) FILTER (WHERE table_key IN ('expenditure', 'summary') AND item_name = '基本支出' AND measure = 'total'),
            max(amount_yuan) FILTER (WHERE table_key = 'expenditure' AND item_name = '合计' AND item_code = '' AND measure = 'personnel')
          + max(amount_yuan) FILTER (WHERE table_key = 'expenditure' AND item_name = '合计' AND item_code = '' AND measure = 'public_expense'),
            CASE WHEN count(*) FILTER (WHERE table_key = 'expenditure' AND item_level = 1 AND measure = 'basic')
                    = count(DISTINCT item_code) FILTER (WHERE table_key = 'expenditure' AND item_level = 1 AND measure = 'basic')
                 THEN sum(amount_yuan) FILTER (WHERE table_key = 'expenditure' AND item_level = 1 AND measure = 'basic') END) AS basic_yuan,
        coalesce(
            max(amount_yuan) FILTER (WHERE table_key = 'expenditure' AND item_name = '合计' AND item_code = '' AND measure = 'project'),
            max(amount_yuan) FILTER (WHERE table_key IN ('expenditure', 'summary') AND item_name = '项目支出' AND measure = 'total'),
            CASE WHEN count(*) FILTER (WHERE table_key = 'expenditure' AND item_level = 1 AND measure = 'project')
                    = count(DISTINCT item_code) FILTER (WHERE table_key = 'expenditure' AND item_level = 1 AND measure = 'project')
                 THEN sum(amount_yuan) FILTER (WHERE table_key = 'expenditure' AND item_level = 1 AND measure = 'project') END) AS project_yuan,
        max(amount_yuan) FILTER (WHERE table_key = 'summary' AND side = 'income' AND item_name IN ('上年结转', '上年结转资金', '年初结转和结余', '上年结转结余') AND measure = 'total') AS carryover_yuan,
        max(amount_yuan) FILTER (WHERE table_key = 'summary' AND side = 'income' AND item_name IN ('一般公共预算', '一般公共预算财政拨款收入', '一般公共预算财政拨款') AND measure = 'total') AS summary_gpb,
        max(amount_yuan) FILTER (WHERE table_key = 'income' AND item_name = '合计' AND item_code = '' AND measure = 'general_public_budget') AS income_gpb
    FROM budget_lines
    GROUP BY document_id
)
SELECT d.document_id, d.region, d.department_code, d.department_name, d.fiscal_year, d.stage,
       f.income_total_yuan, f.expenditure_total_yuan, f.basic_yuan, f.project_yuan, f.carryover_yuan,
       coalesce(f.summary_gpb, f.income_gpb) AS general_public_budget_yuan
FROM documents d
LEFT JOIN f USING (document_id)
WHERE d.is_current;

-- Per current document and 功能分类 类 (level 1), from the 预算支出总表.
CREATE OR REPLACE VIEW v_function_class AS
SELECT d.document_id, d.region, d.department_code, d.department_name, d.fiscal_year, d.stage,
       b.item_code, b.item_name,
       max(b.amount_yuan) FILTER (WHERE b.measure = 'total')   AS total_yuan,
       max(b.amount_yuan) FILTER (WHERE b.measure = 'basic')   AS basic_yuan,
       max(b.amount_yuan) FILTER (WHERE b.measure = 'project') AS project_yuan
FROM documents d
JOIN budget_lines b USING (document_id)
WHERE d.is_current AND b.table_key = 'expenditure' AND b.item_level = 1
GROUP BY ALL;

-- Year over year per department (region, department code — or name when no
-- code is known — and stage). change_pct is percent with two decimals, as the
-- documents' narratives state it (e.g. -11.31).
CREATE OR REPLACE VIEW v_year_over_year AS
SELECT c.region, c.department_code, c.department_name, c.stage,
       c.fiscal_year, p.fiscal_year AS prior_fiscal_year,
       c.income_total_yuan, p.income_total_yuan AS prior_income_total_yuan,
       c.income_total_yuan - p.income_total_yuan AS income_total_change_yuan,
       round((c.income_total_yuan - p.income_total_yuan) * 100 / nullif(p.income_total_yuan, 0), 2)::DECIMAL(9,2) AS income_total_change_pct,
       c.general_public_budget_yuan, p.general_public_budget_yuan AS prior_general_public_budget_yuan,
       c.general_public_budget_yuan - p.general_public_budget_yuan AS general_public_budget_change_yuan,
       round((c.general_public_budget_yuan - p.general_public_budget_yuan) * 100 / nullif(p.general_public_budget_yuan, 0), 2)::DECIMAL(9,2) AS general_public_budget_change_pct
FROM v_department_year c
JOIN v_department_year p
  ON p.region IS NOT DISTINCT FROM c.region
 AND coalesce(p.department_code, p.department_name) = coalesce(c.department_code, c.department_name)
 AND p.stage = c.stage
 AND p.fiscal_year = c.fiscal_year - 1;

-- Findings per current document, most severe first: what did not add up.
CREATE OR REPLACE VIEW v_findings AS
SELECT d.department_name, d.fiscal_year, d.stage, f.*
FROM findings f JOIN documents d USING (document_id)
WHERE d.is_current
ORDER BY CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, f.check_id;

-- What a document's narrative implies about the year before (stated figure
-- minus stated change), beside the prior year's own document when loaded.
CREATE OR REPLACE VIEW v_stated_vs_prior AS
WITH implied AS (
    SELECT d.document_id, d.region, d.department_code, d.department_name, d.stage, d.fiscal_year,
           f.fact_key, f.value AS stated_prior_yuan, f.line
    FROM documents d JOIN document_facts f USING (document_id)
    WHERE d.is_current AND f.fact_key LIKE '%\_prior\_implied' ESCAPE '\'
)
SELECT i.region, i.department_code, i.department_name, i.stage, i.fiscal_year, i.fact_key,
       i.stated_prior_yuan::DECIMAL(18,2) AS stated_prior_yuan,
       CASE i.fact_key
           WHEN 'income_total_prior_implied' THEN p.income_total_yuan
           WHEN 'expenditure_total_prior_implied' THEN p.expenditure_total_yuan
           WHEN 'general_public_budget_current_prior_implied' THEN p.general_public_budget_yuan
       END AS prior_document_yuan,
       p.document_id AS prior_document_id, i.document_id, i.line
FROM implied i
LEFT JOIN v_department_year p
  ON p.region IS NOT DISTINCT FROM i.region
 AND coalesce(p.department_code, p.department_name) = coalesce(i.department_code, i.department_name)
 AND p.stage = i.stage AND p.fiscal_year = i.fiscal_year - 1;

-- A department's profile as stated in words (people, vehicles, office area,
-- procurement), one row per current document.
CREATE OR REPLACE VIEW v_department_profile AS
SELECT d.document_id, d.region, d.department_code, d.department_name, d.fiscal_year, d.stage,
       max(f.value) FILTER (WHERE f.fact_key = 'internal_divisions')::INTEGER AS internal_divisions,
       max(f.value) FILTER (WHERE f.fact_key = 'staff_quota')::INTEGER AS staff_quota,
       max(f.value) FILTER (WHERE f.fact_key = 'staff_actual')::INTEGER AS staff_actual,
       max(f.value) FILTER (WHERE f.fact_key = 'contract_staff')::INTEGER AS contract_staff,
       max(f.value) FILTER (WHERE f.fact_key = 'vehicles_quota')::INTEGER AS vehicles_quota,
       max(f.value) FILTER (WHERE f.fact_key = 'vehicles_actual')::INTEGER AS vehicles_actual,
       max(f.value) FILTER (WHERE f.fact_key = 'office_area_m2') AS office_area_m2,
       max(f.value) FILTER (WHERE f.fact_key = 'procurement_total')::DECIMAL(18,2) AS procurement_total_yuan
FROM documents d LEFT JOIN document_facts f USING (document_id)
WHERE d.is_current
GROUP BY ALL;

-- How far to trust each current document's figures, one row per document:
--   pages                 documents.pages (NULL for a text export without form feeds)
--   tables_present        standard tables printed with rows (source_tables.status = 'present')
--   amounts               budget_lines rows
--   amounts_in_sum        of those, the ones that take part in a sum of their table
--                         (budget_lines.sum_check not NULL): a sum can confirm or contradict them
--   amounts_broken        of those, the ones in a sum that does not hold (sum_check = 'broken')
--   amounts_confirmed_pct percent of all amounts that are in a sum and no sum contradicts,
--                         (amounts_in_sum − amounts_broken) / amounts × 100, one decimal
--   errors, warnings      findings of the document by severity (info, rounding within 尾差, aside)
-- A document with few amounts in a sum was read without the checks that catch misreadings;
-- any broken amount or error is a figure to look at before using it.
CREATE OR REPLACE VIEW v_document_quality AS
WITH b AS (
    SELECT document_id, count(*) AS amounts,
           count(sum_check) AS amounts_in_sum,
           count(*) FILTER (WHERE sum_check = 'broken') AS amounts_broken
    FROM budget_lines GROUP BY document_id
), t AS (
    SELECT document_id, count(*) FILTER (WHERE status = 'present') AS tables_present
    FROM source_tables GROUP BY document_id
), f AS (
    SELECT document_id, count(*) FILTER (WHERE severity = 'error') AS errors,
           count(*) FILTER (WHERE severity = 'warning') AS warnings
    FROM findings GROUP BY document_id
)
SELECT d.document_id, d.region, d.department_name, d.fiscal_year, d.stage, d.scope, d.pages,
       coalesce(t.tables_present, 0) AS tables_present,
       coalesce(b.amounts, 0) AS amounts,
       coalesce(b.amounts_in_sum, 0) AS amounts_in_sum,
       coalesce(b.amounts_broken, 0) AS amounts_broken,
       round((b.amounts_in_sum - b.amounts_broken) * 100 / nullif(b.amounts, 0), 1)::DECIMAL(4,1) AS amounts_confirmed_pct,
       coalesce(f.errors, 0) AS errors,
       coalesce(f.warnings, 0) AS warnings
FROM documents d
LEFT JOIN b USING (document_id)
LEFT JOIN t USING (document_id)
LEFT JOIN f USING (document_id)
WHERE d.is_current;
