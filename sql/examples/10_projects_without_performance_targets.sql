/*
Question: how much project money has a performance target (绩效目标) behind
it, and which projects have none?

项目支出预算表 projects (本年预算 'current', 上年结转 'carryover') with and
without a 项目支出绩效目标表 (projects.has_performance_target): one row per
department, year and funding with counts, amounts and the share of the
money covered, then the names of the projects without a target.
*/
SELECT d.department_name,
       d.fiscal_year,
       p.funding,
       count(*) AS projects,
       count(*) FILTER (WHERE p.has_performance_target) AS with_target,
       sum(p.amount_yuan) AS amount_yuan,
       coalesce(sum(p.amount_yuan) FILTER (WHERE p.has_performance_target), 0)::DECIMAL(18,2) AS amount_with_target_yuan,
       round(coalesce(sum(p.amount_yuan) FILTER (WHERE p.has_performance_target), 0) * 100 / sum(p.amount_yuan), 2)::DECIMAL(9,2) AS covered_pct,
       string_agg(p.project_name, '；' ORDER BY p.project_name) FILTER (WHERE NOT p.has_performance_target) AS without_target
FROM projects p
JOIN documents d USING (document_id)
WHERE d.is_current
GROUP BY d.department_name, d.fiscal_year, p.funding
ORDER BY d.department_name, d.fiscal_year, p.funding DESC;
