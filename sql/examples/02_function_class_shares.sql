/*
Question: what does each department spend its money on, by 功能分类 类
(function class), and what share of its spending is each class?

预算支出总表 by 支出功能分类 类 (v_function_class, level-1 codes such as
201 一般公共服务支出, 205 教育支出, 208 社会保障和就业支出, 221 住房保障支出),
with each class's share of the department's total over its classes.
*/
SELECT department_name,
       fiscal_year,
       item_code,
       item_name,
       total_yuan,
       basic_yuan,
       project_yuan,
       round(total_yuan * 100 / sum(total_yuan) OVER (PARTITION BY document_id), 2)::DECIMAL(9,2) AS share_pct
FROM v_function_class
ORDER BY department_name, fiscal_year, item_code, item_name;
