/*
Question: what did gongkai repair in the documents, by which rule, and how
often — so an analyst knows what to audit?

corrections rows (one per repaired value: raw_value → normalized_value) of
current documents, by rule (department_code.*, project_name.link,
amount.single_digit, label.truncated, ocr.*) and field, with the number of
repairs, the departments concerned and one example.
*/
SELECT c.rule,
       c.field,
       count(*) AS corrections,
       count(DISTINCT c.document_id) AS documents,
       string_agg(DISTINCT d.department_name, '；' ORDER BY d.department_name) AS departments,
       min(coalesce(c.raw_value, '') || ' → ' || coalesce(c.normalized_value, '')) AS example
FROM corrections c
JOIN documents d USING (document_id)
WHERE d.is_current
GROUP BY c.rule, c.field
ORDER BY c.rule, c.field;
