/*
Question: where do a department's tables not add up, and is it only rounding?

The arithmetic checks of findings — 类 = Σ款, 款 = Σ项, 合计 = Σ类, 合计 = 基本 +
项目, row totals (sum.*), and figures printed in two tables (cross.*) — per
department, check and table (catalog_tables.name_zh), by severity: info is a
rounding difference within the 尾差 the document declares; warning and error
are real gaps. sql/CHECKS.md explains every check id.
*/
SELECT f.department_name,
       f.fiscal_year,
       f.check_id,
       f.severity,
       coalesce(f.table_key, '') AS table_key,
       coalesce(c.name_zh, '') AS table_name_zh,
       count(*) AS findings
FROM v_findings f
LEFT JOIN catalog_tables c USING (table_key)
WHERE f.check_id LIKE 'sum.%' OR f.check_id LIKE 'cross.%'
GROUP BY f.department_name, f.fiscal_year, f.check_id, f.severity, f.table_key, c.name_zh
ORDER BY CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END,
         f.department_name, f.fiscal_year, f.check_id, f.table_key NULLS FIRST;
