/*
Question: how much does each department spend per person on its payroll?

部门概况 (the profile in the narrative: 编制 staff_quota, 实有人数 staff_actual,
v_department_profile) against 支出总计, 基本支出 and 人员经费: spending per
actual staff member (人均), and how full the 编制 is.
*/
SELECT p.department_name,
       p.fiscal_year,
       p.staff_quota,
       p.staff_actual,
       round(p.staff_actual * 100.0 / nullif(p.staff_quota, 0), 2)::DECIMAL(9,2) AS quota_filled_pct,
       y.expenditure_total_yuan,
       round(y.expenditure_total_yuan / nullif(p.staff_actual, 0), 2)::DECIMAL(18,2) AS expenditure_per_staff_yuan,
       round(y.basic_yuan / nullif(p.staff_actual, 0), 2)::DECIMAL(18,2) AS basic_per_staff_yuan,
       round(b.personnel_yuan / nullif(p.staff_actual, 0), 2)::DECIMAL(18,2) AS personnel_per_staff_yuan
FROM v_department_profile p
JOIN v_department_year y USING (document_id)
LEFT JOIN (
    SELECT document_id, max(amount_yuan) AS personnel_yuan
    FROM budget_lines
    WHERE table_key = 'basic_expenditure_by_economic' AND item_name = '合计' AND item_code = '' AND measure = 'personnel'
    GROUP BY document_id
) b USING (document_id)
ORDER BY expenditure_per_staff_yuan DESC NULLS LAST, p.department_name, p.fiscal_year;
