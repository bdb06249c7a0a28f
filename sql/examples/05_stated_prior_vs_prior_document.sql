/*
Question: when a department's narrative says how much its budget changed from
last year, does the implied last-year figure match last year's own document?

说明 such as “收入总计346.38万元，比上年减少44.15万元” imply last year's figure
(stated figure minus stated change). v_stated_vs_prior sets that beside the
prior year's document when it is loaded. Disagreements come first; “prior
year not loaded” means the warehouse has no document to check against yet.
*/
SELECT department_name,
       fiscal_year,
       fact_key,
       stated_prior_yuan,
       prior_document_yuan,
       prior_document_yuan - stated_prior_yuan AS difference_yuan,
       CASE WHEN prior_document_id IS NULL THEN 'prior year not loaded'
            WHEN prior_document_yuan = stated_prior_yuan THEN 'agrees'
            ELSE 'differs'
       END AS verdict
FROM v_stated_vs_prior
ORDER BY CASE verdict WHEN 'differs' THEN 0 WHEN 'agrees' THEN 1 ELSE 2 END,
         department_name, fiscal_year, fact_key;
