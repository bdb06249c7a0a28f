/*
Question: what does it cost to keep each department's offices running, and
how does that compare with its 公用经费?

机关运行经费 (机关运行经费预算表, the 合计 / 部门合计 row) beside 公用经费 (the
公用经费 column of the 一般公共预算基本支出分经济科目表's 合计 row) and
人员经费, and 机关运行经费 as a share of 公用经费. A table printed 本表无数据
has operating_table_status 'empty' and shows 0.00.
*/
WITH op AS (
    SELECT document_id, max(amount_yuan) AS operating_expense_yuan
    FROM budget_lines
    WHERE table_key = 'operating_expense' AND measure = 'total' AND item_name IN ('合计', '部门合计')
    GROUP BY document_id
), basic AS (
    SELECT document_id,
           max(amount_yuan) FILTER (WHERE measure = 'public_expense') AS public_expense_yuan,
           max(amount_yuan) FILTER (WHERE measure = 'personnel') AS personnel_yuan
    FROM budget_lines
    WHERE table_key = 'basic_expenditure_by_economic' AND item_name = '合计' AND item_code = ''
    GROUP BY document_id
)
SELECT d.department_name,
       d.fiscal_year,
       coalesce(s.status, 'missing') AS operating_table_status,
       CASE WHEN s.status IS NOT NULL THEN coalesce(op.operating_expense_yuan, 0)::DECIMAL(18,2) END AS operating_expense_yuan,
       basic.public_expense_yuan,
       basic.personnel_yuan,
       round(op.operating_expense_yuan * 100 / nullif(basic.public_expense_yuan, 0), 2)::DECIMAL(9,2) AS operating_share_of_public_pct
FROM documents d
LEFT JOIN source_tables s ON s.document_id = d.document_id AND s.table_key = 'operating_expense'
LEFT JOIN op ON op.document_id = d.document_id
LEFT JOIN basic ON basic.document_id = d.document_id
WHERE d.is_current
ORDER BY d.department_name, d.fiscal_year;
