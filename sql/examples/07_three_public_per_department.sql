/*
Question: how much does each department budget for the “三公” expenses —
travel abroad, official receptions, official cars?

“三公”经费支出预算表 (budget_lines.table_key = 'three_public', column 合计):
因公出国（境）费, 公务接待费, 公务用车购置及运行费 and within it 公务用车购置费 and
公务用车运行维护费. A blank cell loads no row and shows here as 0.00; a
department whose table is printed 本表无数据 shows table_status 'empty' and zeros.
*/
WITH lines AS (
    SELECT document_id, item_name, amount_yuan
    FROM budget_lines
    WHERE table_key = 'three_public' AND measure = 'total'
)
SELECT d.department_name,
       d.fiscal_year,
       coalesce(s.status, 'missing') AS table_status,
       coalesce(max(l.amount_yuan) FILTER (WHERE l.item_name IN ('合计', '总计')), 0)::DECIMAL(18,2) AS three_public_total_yuan,
       coalesce(max(l.amount_yuan) FILTER (WHERE l.item_name LIKE '因公出国%'), 0)::DECIMAL(18,2) AS abroad_yuan,
       coalesce(max(l.amount_yuan) FILTER (WHERE l.item_name LIKE '公务接待%'), 0)::DECIMAL(18,2) AS reception_yuan,
       coalesce(max(l.amount_yuan) FILTER (WHERE l.item_name LIKE '公务用车购置及运行%'), 0)::DECIMAL(18,2) AS cars_yuan,
       coalesce(max(l.amount_yuan) FILTER (WHERE l.item_name IN ('公务用车购置费', '公务用车购置')), 0)::DECIMAL(18,2) AS cars_purchase_yuan,
       coalesce(max(l.amount_yuan) FILTER (WHERE l.item_name LIKE '公务用车运行%'), 0)::DECIMAL(18,2) AS cars_running_yuan
FROM documents d
LEFT JOIN source_tables s ON s.document_id = d.document_id AND s.table_key = 'three_public'
LEFT JOIN lines l ON l.document_id = d.document_id
WHERE d.is_current
GROUP BY d.department_name, d.fiscal_year, s.status
ORDER BY three_public_total_yuan DESC, d.department_name, d.fiscal_year;
