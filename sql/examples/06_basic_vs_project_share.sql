/*
Question: how much of each department's spending keeps the organisation
running, and how much goes to projects?

基本支出 (basic expenditure: salaries and running costs) against 项目支出
(project expenditure), as printed in the 预算支出总表 合计 row
(v_department_year), with each one's share of their sum, and 支出总计.
*/
SELECT department_name,
       fiscal_year,
       expenditure_total_yuan,
       basic_yuan,
       project_yuan,
       round(basic_yuan * 100 / (basic_yuan + project_yuan), 2)::DECIMAL(9,2) AS basic_share_pct,
       round(project_yuan * 100 / (basic_yuan + project_yuan), 2)::DECIMAL(9,2) AS project_share_pct
FROM v_department_year
ORDER BY department_name, fiscal_year;
