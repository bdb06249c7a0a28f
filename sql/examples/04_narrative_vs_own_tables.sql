/*
Question: does each department's narrative say the same as its own tables?

部门预算说明 (the narrative) states totals in words — 预算收入总计, 支出总计,
基本支出, 项目支出, 一般公共预算当年支出, 人员经费, 公用经费, “三公”经费,
机关运行经费 (document_facts). Each is compared with the figure the
document's tables print: v_department_year, the 合计 row of the
一般公共预算基本支出分经济科目表 (人员经费 / 公用经费 columns), of the “三公”经费支出预算表
and of the 机关运行经费预算表. Verdict: agrees, differs, or not in the tables.
*/
WITH tables AS (
    SELECT y.document_id, t.fact_key, t.table_yuan
    FROM v_department_year y,
    LATERAL (VALUES
        ('income_total', y.income_total_yuan),
        ('expenditure_total', y.expenditure_total_yuan),
        ('basic_expenditure', y.basic_yuan),
        ('project_expenditure', y.project_yuan),
        ('general_public_budget_current', y.general_public_budget_yuan)
    ) AS t(fact_key, table_yuan)
    UNION ALL
    SELECT document_id,
           CASE WHEN table_key = 'three_public' THEN 'three_public_total'
                WHEN table_key = 'operating_expense' THEN 'operating_expense'
                WHEN measure = 'personnel' THEN 'personnel_expense'
                ELSE 'public_expense'
           END,
           max(amount_yuan)
    FROM budget_lines
    WHERE item_name IN ('合计', '部门合计')
      AND ((table_key IN ('three_public', 'operating_expense') AND measure = 'total')
        OR (table_key = 'basic_expenditure_by_economic' AND measure IN ('personnel', 'public_expense')))
    GROUP BY ALL
), stated AS (
    SELECT f.document_id, f.fact_key, max(f.value)::DECIMAL(18,2) AS stated_yuan
    FROM document_facts f
    WHERE f.fact_key IN ('income_total', 'expenditure_total', 'basic_expenditure', 'project_expenditure',
                         'general_public_budget_current', 'personnel_expense', 'public_expense',
                         'three_public_total', 'operating_expense')
    GROUP BY ALL
)
SELECT d.department_name,
       d.fiscal_year,
       s.fact_key,
       s.stated_yuan,
       t.table_yuan,
       t.table_yuan - s.stated_yuan AS difference_yuan,
       CASE WHEN t.table_yuan IS NULL THEN 'not in the tables'
            WHEN t.table_yuan = s.stated_yuan THEN 'agrees'
            ELSE 'differs'
       END AS verdict
FROM stated s
JOIN documents d USING (document_id)
LEFT JOIN tables t USING (document_id, fact_key)
WHERE d.is_current
ORDER BY verdict = 'agrees', d.department_name, d.fiscal_year, s.fact_key;
