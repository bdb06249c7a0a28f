/*
Question: which of the thirteen standard tables did each department leave
out, or publish empty?

The national 部门预算 template has thirteen tables (catalog_tables, e.g.
政府性基金预算收入表, “三公”经费支出预算表, 机关运行经费预算表). For each current
预算 document, the standard tables it does not print (missing: no
source_tables row; also a table.missing finding) or prints as 本表无数据
(empty). Tables it prints with figures are not listed.
*/
SELECT d.department_name,
       d.fiscal_year,
       c.ordinal,
       c.table_key,
       c.name_zh,
       coalesce(s.status, 'missing') AS status
FROM documents d
CROSS JOIN catalog_tables c
LEFT JOIN source_tables s ON s.document_id = d.document_id AND s.table_key = c.table_key
WHERE d.is_current AND d.stage = 'budget' AND c.ordinal <= 13
  AND coalesce(s.status, 'missing') <> 'present'
ORDER BY d.department_name, d.fiscal_year, c.ordinal;
