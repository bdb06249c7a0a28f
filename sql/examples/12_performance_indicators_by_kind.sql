/*
Question: what kinds of performance indicators (绩效指标) do departments set,
and how many of them can actually be measured?

performance_indicators of the 年度 (annual) horizon of every current
document's 绩效目标表, by 一级指标 (产出指标, 效益指标, 满意度指标 …) and 二级指标
(数量指标, 质量指标, 时效指标, 成本指标, 社会效益, 服务对象满意度 …): how many,
in how many forms, how many have a quantified target (≥90%, ≤5万元, 100元/人/天,
i.e. target_op is set) rather than words (及时, 提升), and the units used.
*/
SELECT i.level1,
       coalesce(i.level2, '') AS level2,
       count(*) AS indicators,
       count(DISTINCT (i.document_id, coalesce(i.project_name, ''))) AS forms,
       count(*) FILTER (WHERE i.target_op IS NOT NULL) AS quantified,
       round(count(*) FILTER (WHERE i.target_op IS NOT NULL) * 100.0 / count(*), 2)::DECIMAL(9,2) AS quantified_pct,
       coalesce(string_agg(DISTINCT i.target_unit, ' ' ORDER BY i.target_unit), '') AS units
FROM performance_indicators i
JOIN documents d USING (document_id)
WHERE d.is_current AND i.horizon = 'annual'
GROUP BY ALL
ORDER BY i.level1, level2;
