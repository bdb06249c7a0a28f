/*
Question: which is each department's largest project this year, and how much
of its project money does it take?

项目支出预算表（本年预算）: for every current document, the project with the
largest 本年预算 amount (projects.funding = 'current'; 上年结转 projects are
left out) and its share of the document's current-year project total.
Projects tied for the largest amount are all listed.
*/
SELECT d.department_name,
       d.fiscal_year,
       p.project_name,
       p.unit_name,
       p.amount_yuan,
       sum(p.amount_yuan) OVER (PARTITION BY p.document_id) AS projects_total_yuan,
       round(p.amount_yuan * 100 / sum(p.amount_yuan) OVER (PARTITION BY p.document_id), 2)::DECIMAL(9,2) AS share_pct
FROM projects p
JOIN documents d USING (document_id)
WHERE d.is_current AND p.funding = 'current'
QUALIFY rank() OVER (PARTITION BY p.document_id ORDER BY p.amount_yuan DESC) = 1
ORDER BY d.department_name, d.fiscal_year, p.project_name;
