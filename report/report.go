package report

import (
	"bytes"
	"context"
	"database/sql"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
	"go.uber.org/zap"
)

// Options configure Generate. The zero value works.
type Options struct {
	// Logger receives what the report holds (debug). Nil discards.
	Logger *zap.Logger
	// Source names the warehouse in the page header (e.g. its path).
	Source string
	// Now stamps the page; nil means time.Now.
	Now func() time.Time
}

// Stats says what a generated report holds.
type Stats struct {
	Documents   int // current documents (department-years) in the overview
	Departments int // department sections
	Charts      int // inline SVG charts
}

// Generate reads the warehouse through db and writes the report to w.
func Generate(ctx context.Context, db *sql.DB, w io.Writer, opt Options) (Stats, error) {
	now := time.Now
	if opt.Now != nil {
		now = opt.Now
	}
	r, err := Load(ctx, db)
	if err != nil {
		return Stats{}, err
	}
	r.Source = opt.Source
	r.GeneratedAt = now().UTC().Format("2006-01-02 15:04 UTC")

	r.FontStack = fontStack()
	if err := r.drawCharts(); err != nil {
		return Stats{}, err
	}

	var buf bytes.Buffer
	if err := page.Execute(&buf, r); err != nil {
		return Stats{}, fmt.Errorf("render report: %w", err)
	}
	if _, err := buf.WriteTo(w); err != nil {
		return Stats{}, fmt.Errorf("write report: %w", err)
	}
	st := Stats{Documents: len(r.Years), Departments: len(r.Departments), Charts: r.Charts}
	if opt.Logger != nil {
		opt.Logger.Debug("report", zap.Int("departments", st.Departments), zap.Int("documents", st.Documents), zap.Int("charts", st.Charts))
	}
	return st, nil
}

//go:embed report.html.tmpl
var pageTemplate string

var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"where": where,
}).Parse(pageTemplate))

// where says where a row came from: "p. 12, l. 345" or "l. 345".
func where(page, line Count) string {
	switch {
	case page.Valid && line.Valid:
		return "第" + page.String() + "页 第" + line.String() + "行"
	case line.Valid:
		return "第" + line.String() + "行"
	case page.Valid:
		return "第" + page.String() + "页"
	}
	return "—"
}

// Report is the model the page is rendered from.
type Report struct {
	GeneratedAt string
	Source      string
	Years       []*DocYear    // every current document, by region, department, year
	Departments []*Department // by region and name
	Compare     Compare
	Charts      int
	FontStack   template.CSS // CSS font-family list of the page and its charts
	Findings    struct{ Errors, Warnings, Infos int }
	Corrections int
}

// DocYear is one current document: a department's disclosure for a year.
type DocYear struct {
	DocumentID, Region, Code, Name, Stage string
	Year                                  int64
	Dept                                  *Department

	Income, Expenditure, Basic, Project, Carryover, GeneralBudget Money
	Personnel, Public                                             Money // 基本支出 by economic class: 301+303, 302
	StaffActual, StaffQuota                                       Count
	Errors, Warnings, Infos                                       int
	ThreePublic, Operating                                        TableFigure

	PerStaff, ProjectShare, PersonnelShare Ratio // 万元/人, %, %
	ThreePublicPerStaff, OperatingPerStaff Ratio // 元/人
	Growth                                 *YoY

	Quality Quality

	Functions   []FunctionClass
	Projects    []*Project
	DeptGoal    string      // 部门整体支出绩效目标 年度目标
	DeptTargets []Indicator // its indicators
	Corrections []Correction
	Findings    []Finding
}

// StageName is 预算 or 决算.
func (d *DocYear) StageName() string {
	if d.Stage == "final_account" {
		return "决算"
	}
	return "预算"
}

// Label is the year with the stage when it is not a budget: "2026", "2025 决算".
func (d *DocYear) Label() string {
	if d.Stage == "final_account" {
		return strconv.FormatInt(d.Year, 10) + " 决算"
	}
	return strconv.FormatInt(d.Year, 10)
}

// FindingsSort orders documents by errors, then warnings, then info.
func (d *DocYear) FindingsSort() int { return d.Errors*1_000_000 + d.Warnings*1_000 + d.Infos }

// Quality is how far a document's figures can be trusted (v_document_quality).
type Quality struct {
	Scope                             string // department | unit; "" when not recorded
	Pages, Tables                     Count
	Amounts, InSum, Broken            Count
	InSumPct, ConfirmedPct, BrokenPct Ratio // of all amounts; of all amounts; of those in a sum
}

// ScopeName is 部门 or 单位 (部门预算 vs 单位预算).
func (q Quality) ScopeName() string {
	switch q.Scope {
	case "department":
		return "部门"
	case "unit":
		return "单位"
	}
	return "—"
}

// trust orders documents from the least to the most trustworthy: each
// error or broken amount counts 1,000 points against the percent of
// amounts the sums confirm.
func (d *DocYear) trust() decimal.Decimal {
	pct := decimal.Zero
	if d.Quality.ConfirmedPct.Valid {
		pct = d.Quality.ConfirmedPct.Decimal
	}
	return pct.Sub(decimal.NewFromInt(1000 * (int64(d.Errors) + d.Quality.Broken.N)))
}

// Trust is trust for sorting the table.
func (d *DocYear) Trust() string { return d.trust().String() }

// ByTrust lists the current documents from the least to the most
// trustworthy (DocYear.Trust), then as in Years.
func (r *Report) ByTrust() []*DocYear {
	out := slices.Clone(r.Years)
	slices.SortStableFunc(out, func(a, b *DocYear) int { return a.trust().Cmp(b.trust()) })
	return out
}

// TableFigure is the total of a small table (三公经费, 机关运行经费) with
// whether the document printed it: present, empty (本表无数据: zero) or
// missing (no figure).
type TableFigure struct {
	Money
	Status string // present | empty | missing
}

// Note is the table's state when it gives no positive figure.
func (t TableFigure) Note() string {
	switch t.Status {
	case "empty":
		return "无数据"
	case "missing":
		return "未公开"
	}
	return ""
}

// Department groups the current documents of one department (region and
// code, or name when no code is known) over the years.
type Department struct {
	Anchor, Name, Region, Code      string
	Years                           []*DocYear // ascending
	YoY                             []*YoY
	FunctionChart, CompositionChart Chart
	TrendChart                      Chart
	order                           int
}

// Latest is the most recent year.
func (d *Department) Latest() *DocYear { return d.Years[len(d.Years)-1] }

// YearsDesc are the years, most recent first.
func (d *Department) YearsDesc() []*DocYear {
	out := make([]*DocYear, len(d.Years))
	for i, y := range d.Years {
		out[len(d.Years)-1-i] = y
	}
	return out
}

// YearSpan is "2025–2026" or "2026".
func (d *Department) YearSpan() string {
	first, last := d.Years[0].Year, d.Latest().Year
	if first == last {
		return strconv.FormatInt(first, 10)
	}
	return fmt.Sprintf("%d–%d", first, last)
}

// FunctionClass is one 功能分类 类 of the 预算支出总表.
type FunctionClass struct {
	Code, Name            string
	Total, Basic, Project Money
}

// YoY is a row of v_year_over_year.
type YoY struct {
	Year, PriorYear                                     int64
	Income, PriorIncome, IncomeChange                   Money
	IncomePct                                           Ratio
	GeneralBudget, PriorGeneralBudget, GeneralBudgetChg Money
	GeneralBudgetPct                                    Ratio
}

// Project is a row of the project tables with its performance form.
type Project struct {
	Funding, Name, Unit string
	Amount              Money
	HasTarget           bool
	Page, Line          Count
	Goal                string // 年度绩效目标 of its form
	FormWhere           string
	Indicators          []Indicator
}

// FundingName is 本年 or 上年结转.
func (p *Project) FundingName() string {
	if p.Funding == "carryover" {
		return "上年结转"
	}
	return "本年"
}

// Indicator is one 绩效指标 with its target as printed.
type Indicator struct {
	Level1, Level2, Level3, Target string
}

// Correction is a repair of what the document printed.
type Correction struct {
	Field, Raw, Normalized, Rule, Evidence string
	Page, Line                             Count
}

// Finding is a check that did not pass.
type Finding struct {
	Severity, CheckID, TableKey, Message, Expected, Actual string
	Page, Line                                             Count
}

// SeverityName is 错误, 警告 or 提示.
func (f Finding) SeverityName() string {
	switch f.Severity {
	case "error":
		return "错误"
	case "warning":
		return "警告"
	}
	return "提示"
}

// Chart is an inline SVG bar chart (charts.go) with its caption.
type Chart struct {
	SVG     template.HTML
	Caption string
	Note    string // what the chart leaves out, if anything
}

// Compare holds the cross-department ratios and their charts.
type Compare struct {
	PerStaffChart, ShareChart, SmallTablesChart, GrowthChart Chart
	Growth                                                   []*DocYear // documents with the prior year loaded
}

// Load reads the model from the warehouse's current documents.
func Load(ctx context.Context, db *sql.DB) (*Report, error) {
	r := &Report{}
	byDoc := map[string]*DocYear{}
	depts := map[string]*Department{}

	err := each(ctx, db, `
SELECT y.document_id, y.region, y.department_code, y.department_name, y.fiscal_year, y.stage,
       y.income_total_yuan, y.expenditure_total_yuan, y.basic_yuan, y.project_yuan, y.carryover_yuan,
       y.general_public_budget_yuan, p.staff_actual, p.staff_quota,
       coalesce(f.errors, 0), coalesce(f.warnings, 0), coalesce(f.infos, 0)
FROM v_department_year y
LEFT JOIN v_department_profile p USING (document_id)
LEFT JOIN (SELECT document_id,
                  count(*) FILTER (WHERE severity = 'error') AS errors,
                  count(*) FILTER (WHERE severity = 'warning') AS warnings,
                  count(*) FILTER (WHERE severity = 'info') AS infos
           FROM findings GROUP BY document_id) f USING (document_id)
ORDER BY y.region, coalesce(y.department_code, y.department_name), y.fiscal_year, y.stage`, func(v []any) {
		d := &DocYear{
			DocumentID: asString(v[0]), Region: asString(v[1]), Code: asString(v[2]), Name: asString(v[3]),
			Year: asCount(v[4]).N, Stage: asString(v[5]),
			Income: asDecimal(v[6]), Expenditure: asDecimal(v[7]), Basic: asDecimal(v[8]), Project: asDecimal(v[9]),
			Carryover: asDecimal(v[10]), GeneralBudget: asDecimal(v[11]),
			StaffActual: asCount(v[12]), StaffQuota: asCount(v[13]),
			Errors: int(asCount(v[14]).N), Warnings: int(asCount(v[15]).N), Infos: int(asCount(v[16]).N),
			ThreePublic: TableFigure{Status: "missing"}, Operating: TableFigure{Status: "missing"},
		}
		if d.Name == "" {
			d.Name = "（部门名称未知）"
		}
		key := d.Region + "\x00" + d.Code
		if d.Code == "" {
			key = d.Region + "\x00\x00" + d.Name
		}
		dep := depts[key]
		if dep == nil {
			dep = &Department{Name: d.Name, Region: d.Region, Code: d.Code}
			depts[key] = dep
			r.Departments = append(r.Departments, dep)
		}
		dep.Years = append(dep.Years, d)
		d.Dept = dep
		byDoc[d.DocumentID] = d
		r.Years = append(r.Years, d)
		r.Findings.Errors += d.Errors
		r.Findings.Warnings += d.Warnings
		r.Findings.Infos += d.Infos
	})
	if err != nil {
		return nil, fmt.Errorf("departments and years: %w", err)
	}
	sort.SliceStable(r.Departments, func(i, j int) bool {
		a, b := r.Departments[i], r.Departments[j]
		if a.Region != b.Region {
			return a.Region < b.Region
		}
		return a.Name < b.Name
	})
	for i, dep := range r.Departments {
		dep.order = i
		dep.Anchor = fmt.Sprintf("dept-%d", i+1)
		dep.Name = dep.Latest().Name // the name as most recently printed
	}
	sort.SliceStable(r.Years, func(i, j int) bool {
		a, b := r.Years[i], r.Years[j]
		if a.Dept != b.Dept {
			return a.Dept.order < b.Dept.order
		}
		return a.Year < b.Year
	})

	type query struct {
		name, sql string
		row       func(d *DocYear, v []any)
	}
	queries := []query{
		{"personnel and public expense", `
SELECT document_id,
       coalesce(sum(amount_yuan) FILTER (WHERE item_level = 1 AND item_code IN ('301', '303') AND measure = 'total'),
                max(amount_yuan) FILTER (WHERE item_code = '' AND item_name = '合计' AND measure = 'personnel')),
       coalesce(sum(amount_yuan) FILTER (WHERE item_level = 1 AND item_code = '302' AND measure = 'total'),
                max(amount_yuan) FILTER (WHERE item_code = '' AND item_name = '合计' AND measure = 'public_expense'))
FROM budget_lines WHERE table_key = 'basic_expenditure_by_economic'
GROUP BY document_id`, func(d *DocYear, v []any) {
			d.Personnel, d.Public = asDecimal(v[1]), asDecimal(v[2])
		}},
		{"三公经费 and 机关运行经费", `
WITH t AS (
    SELECT document_id, table_key,
           coalesce(max(amount_yuan) FILTER (WHERE item_name IN ('合计', '总计', '部门合计')),
                    sum(amount_yuan) FILTER (WHERE table_key = 'three_public' AND (item_name LIKE '因公出国%'
                        OR item_name LIKE '公务接待%' OR item_name = '公务用车购置及运行费')),
                    max(amount_yuan)) AS total_yuan
    FROM budget_lines
    WHERE table_key IN ('three_public', 'operating_expense') AND measure = 'total'
    GROUP BY ALL)
SELECT s.document_id, s.table_key, s.status, t.total_yuan
FROM source_tables s LEFT JOIN t USING (document_id, table_key)
WHERE s.table_key IN ('three_public', 'operating_expense')`, func(d *DocYear, v []any) {
			f := TableFigure{Money: asDecimal(v[3]), Status: asString(v[2])}
			if !f.Valid {
				f.Money = money(decimal.Zero) // present without a total row, or 本表无数据: nothing budgeted
			}
			if asString(v[1]) == "three_public" {
				d.ThreePublic = f
			} else {
				d.Operating = f
			}
		}},
		{"document quality", `
SELECT document_id, coalesce(scope, ''), pages, tables_present, amounts, amounts_in_sum, amounts_broken
FROM v_document_quality`, func(d *DocYear, v []any) {
			q := Quality{Scope: asString(v[1]), Pages: asCount(v[2]), Tables: asCount(v[3]),
				Amounts: asCount(v[4]), InSum: asCount(v[5]), Broken: asCount(v[6])}
			n := func(c Count) Money { return money(decimal.NewFromInt(c.N)) }
			if q.Amounts.N > 0 {
				q.InSumPct = share(n(q.InSum), n(q.Amounts))
				q.ConfirmedPct = share(money(decimal.NewFromInt(q.InSum.N-q.Broken.N)), n(q.Amounts))
			} else {
				q.InSumPct, q.ConfirmedPct = Ratio{Places: 1}, Ratio{Places: 1}
			}
			q.BrokenPct = Ratio{Places: 1}
			if q.InSum.N > 0 {
				q.BrokenPct = share(n(q.Broken), n(q.InSum))
			}
			d.Quality = q
		}},
		{"function classes", `
SELECT document_id, item_code, item_name, total_yuan, basic_yuan, project_yuan
FROM v_function_class ORDER BY document_id, item_code, item_name`, func(d *DocYear, v []any) {
			d.Functions = append(d.Functions, FunctionClass{Code: asString(v[1]), Name: asString(v[2]),
				Total: asDecimal(v[3]), Basic: asDecimal(v[4]), Project: asDecimal(v[5])})
		}},
		{"year over year", `
SELECT y.document_id, o.fiscal_year, o.prior_fiscal_year,
       o.income_total_yuan, o.prior_income_total_yuan, o.income_total_change_yuan, o.income_total_change_pct,
       o.general_public_budget_yuan, o.prior_general_public_budget_yuan,
       o.general_public_budget_change_yuan, o.general_public_budget_change_pct
FROM v_year_over_year o
JOIN v_department_year y
  ON y.region IS NOT DISTINCT FROM o.region
 AND coalesce(y.department_code, y.department_name) = coalesce(o.department_code, o.department_name)
 AND y.stage = o.stage AND y.fiscal_year = o.fiscal_year`, func(d *DocYear, v []any) {
			pct := func(x any) Ratio { return Ratio{asDecimal(x).NullDecimal, 2} }
			d.Growth = &YoY{Year: asCount(v[1]).N, PriorYear: asCount(v[2]).N,
				Income: asDecimal(v[3]), PriorIncome: asDecimal(v[4]), IncomeChange: asDecimal(v[5]), IncomePct: pct(v[6]),
				GeneralBudget: asDecimal(v[7]), PriorGeneralBudget: asDecimal(v[8]),
				GeneralBudgetChg: asDecimal(v[9]), GeneralBudgetPct: pct(v[10])}
		}},
		{"projects", `
WITH form AS (
    SELECT document_id, project_name, goal_annual, page, line
    FROM performance_forms WHERE scope = 'project' AND project_name IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY document_id, project_name ORDER BY line) = 1)
SELECT p.document_id, p.funding, p.project_name, coalesce(p.unit_name, ''), p.amount_yuan,
       p.has_performance_target, p.page, p.line, coalesce(f.goal_annual, ''), f.page, f.line
FROM projects p LEFT JOIN form f USING (document_id, project_name)
ORDER BY p.document_id, p.funding DESC, p.amount_yuan DESC, p.line`, func(d *DocYear, v []any) {
			p := &Project{Funding: asString(v[1]), Name: asString(v[2]), Unit: asString(v[3]), Amount: asDecimal(v[4]),
				HasTarget: asBool(v[5]), Page: asCount(v[6]), Line: asCount(v[7]), Goal: asString(v[8])}
			if fl := asCount(v[10]); fl.Valid {
				p.FormWhere = where(asCount(v[9]), fl)
			}
			d.Projects = append(d.Projects, p)
		}},
		{"department performance form", `
SELECT document_id, coalesce(goal_annual, '')
FROM performance_forms WHERE scope = 'department'
QUALIFY row_number() OVER (PARTITION BY document_id ORDER BY line) = 1`, func(d *DocYear, v []any) {
			d.DeptGoal = asString(v[1])
		}},
		{"performance indicators", `
WITH i AS (
    SELECT *, min(CASE horizon WHEN 'annual' THEN 0 ELSE 1 END)
                  OVER (PARTITION BY document_id, project_name) AS best
    FROM performance_indicators)
SELECT document_id, coalesce(project_name, ''), coalesce(level1, ''), coalesce(level2, ''),
       coalesce(level3, ''), coalesce(target_raw, '')
FROM i WHERE CASE horizon WHEN 'annual' THEN 0 ELSE 1 END = best
ORDER BY document_id, project_name NULLS FIRST, line`, func(d *DocYear, v []any) {
			ind := Indicator{Level1: asString(v[2]), Level2: asString(v[3]), Level3: asString(v[4]), Target: asString(v[5])}
			name := asString(v[1])
			if name == "" {
				d.DeptTargets = append(d.DeptTargets, ind)
				return
			}
			for _, p := range d.Projects {
				if p.Name == name {
					p.Indicators = append(p.Indicators, ind)
				}
			}
		}},
		{"corrections", `
SELECT document_id, field, coalesce(raw_value, ''), coalesce(normalized_value, ''), rule,
       coalesce(evidence, ''), page, line
FROM corrections ORDER BY document_id, line NULLS LAST, field`, func(d *DocYear, v []any) {
			d.Corrections = append(d.Corrections, Correction{Field: asString(v[1]), Raw: asString(v[2]),
				Normalized: asString(v[3]), Rule: asString(v[4]), Evidence: asString(v[5]),
				Page: asCount(v[6]), Line: asCount(v[7])})
			r.Corrections++
		}},
		{"findings", `
SELECT document_id, severity, check_id, coalesce(table_key, ''), message, coalesce(expected, ''),
       coalesce(actual, ''), page, line
FROM findings
ORDER BY document_id, CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, check_id, line`,
			func(d *DocYear, v []any) {
				d.Findings = append(d.Findings, Finding{Severity: asString(v[1]), CheckID: asString(v[2]),
					TableKey: asString(v[3]), Message: asString(v[4]), Expected: asString(v[5]),
					Actual: asString(v[6]), Page: asCount(v[7]), Line: asCount(v[8])})
			}},
	}
	for _, q := range queries {
		err := each(ctx, db, q.sql, func(v []any) {
			if d := byDoc[asString(v[0])]; d != nil { // current documents only
				q.row(d, v)
			}
		})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", q.name, err)
		}
	}

	for _, d := range r.Years {
		d.ProjectShare = share(d.Project, sumMoney(d.Basic, d.Project))
		d.PersonnelShare = share(d.Personnel, sumMoney(d.Personnel, d.Public))
		if d.StaffActual.Valid && d.StaffActual.N > 0 {
			staff := decimal.NewFromInt(d.StaffActual.N)
			if d.Expenditure.Valid {
				d.PerStaff = divide(Money{decimal.NullDecimal{Decimal: d.Expenditure.Decimal.Shift(-4), Valid: true}}, staff, 2)
			} else {
				d.PerStaff = Ratio{Places: 2}
			}
			d.ThreePublicPerStaff = divide(d.ThreePublic.Money, staff, 0)
			d.OperatingPerStaff = divide(d.Operating.Money, staff, 0)
		} else {
			d.PerStaff, d.ThreePublicPerStaff, d.OperatingPerStaff = Ratio{Places: 2}, Ratio{}, Ratio{}
		}
		if d.Growth != nil {
			d.Dept.YoY = append(d.Dept.YoY, d.Growth)
			r.Compare.Growth = append(r.Compare.Growth, d)
		}
	}
	return r, nil
}

// sumMoney adds two amounts; invalid when either is missing.
func sumMoney(a, b Money) Money {
	if !a.Valid || !b.Valid {
		return Money{}
	}
	return money(a.Decimal.Add(b.Decimal))
}

// each runs q and calls row with each row's values.
func each(ctx context.Context, db *sql.DB, q string, row func([]any)) error {
	rs, err := db.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer rs.Close()
	cols, err := rs.Columns()
	if err != nil {
		return err
	}
	for rs.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			return err
		}
		row(vals)
	}
	return rs.Err()
}
