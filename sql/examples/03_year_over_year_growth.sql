/*
Question: whose budget grew most, and whose shrank, compared with the year
before?

收入总计 比上年增长/减少: every current document ranked by the change of its
收入总计 (income total) from the year before. The change is computed from the
prior year's document when that is loaded (v_year_over_year), else taken from
what the document's own 说明 (narrative) states (document_facts
income_total_change, income_total_change_pct); the source column says which.
*/
WITH stated AS (
    SELECT document_id,
           max(value) FILTER (WHERE fact_key = 'income_total_change')::DECIMAL(18,2) AS change_yuan,
           max(value) FILTER (WHERE fact_key = 'income_total_change_pct')::DECIMAL(9,2) AS change_pct
    FROM document_facts
    GROUP BY document_id
), growth AS (
    SELECT y.department_name,
           y.fiscal_year,
           y.income_total_yuan,
           coalesce(c.income_total_change_yuan, s.change_yuan) AS income_total_change_yuan,
           coalesce(c.income_total_change_pct, s.change_pct) AS income_total_change_pct,
           CASE WHEN c.income_total_change_pct IS NOT NULL THEN 'prior year document'
                WHEN s.change_pct IS NOT NULL THEN 'narrative'
           END AS source
    FROM v_department_year y
    LEFT JOIN stated s USING (document_id)
    LEFT JOIN v_year_over_year c
      ON c.region IS NOT DISTINCT FROM y.region
     AND coalesce(c.department_code, c.department_name) = coalesce(y.department_code, y.department_name)
     AND c.stage = y.stage
     AND c.fiscal_year = y.fiscal_year
)
SELECT rank() OVER (ORDER BY income_total_change_pct DESC NULLS LAST) AS growth_rank,
       department_name,
       fiscal_year,
       income_total_yuan,
       income_total_change_yuan,
       income_total_change_pct,
       source
FROM growth
ORDER BY growth_rank, department_name, fiscal_year;
