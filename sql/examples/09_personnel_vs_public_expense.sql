/*
Question: of each department's basic expenditure, how much pays people and
how much buys goods and services?

一般公共预算基本支出分经济科目表: 人员经费 (personnel) and 公用经费 (public
expense) from its 合计 row, their shares, and the 部门预算支出经济分类 类 behind
them: 301 工资福利支出 (salaries and benefits), 302 商品和服务支出 (goods and
services), 303 对个人和家庭的补助 (payments to individuals and households).
*/
SELECT d.department_name,
       d.fiscal_year,
       max(b.amount_yuan) FILTER (WHERE b.item_name = '合计' AND b.item_code = '' AND b.measure = 'total') AS basic_total_yuan,
       max(b.amount_yuan) FILTER (WHERE b.item_name = '合计' AND b.item_code = '' AND b.measure = 'personnel') AS personnel_yuan,
       max(b.amount_yuan) FILTER (WHERE b.item_name = '合计' AND b.item_code = '' AND b.measure = 'public_expense') AS public_expense_yuan,
       round(personnel_yuan * 100 / nullif(basic_total_yuan, 0), 2)::DECIMAL(9,2) AS personnel_share_pct,
       round(public_expense_yuan * 100 / nullif(basic_total_yuan, 0), 2)::DECIMAL(9,2) AS public_expense_share_pct,
       max(b.amount_yuan) FILTER (WHERE b.item_code = '301' AND b.measure = 'total') AS class_301_salaries_yuan,
       max(b.amount_yuan) FILTER (WHERE b.item_code = '302' AND b.measure = 'total') AS class_302_goods_services_yuan,
       max(b.amount_yuan) FILTER (WHERE b.item_code = '303' AND b.measure = 'total') AS class_303_individuals_yuan
FROM budget_lines b
JOIN documents d USING (document_id)
WHERE d.is_current AND b.table_key = 'basic_expenditure_by_economic'
GROUP BY d.department_name, d.fiscal_year
ORDER BY d.department_name, d.fiscal_year;
