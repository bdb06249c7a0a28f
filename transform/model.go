// Package transform reads what a disclosure says — its identity, standard
// tables, projects — from extracted lines, checks that its figures add up,
// and hands the result on as Arrow records (see records.go), the seam to load.
package transform

import (
	"github.com/shopspring/decimal"
)

// Stage values of documents.stage.
const (
	StageBudget       = "budget"
	StageFinalAccount = "final_account"
)

// Identity says whose disclosure a document is.
type Identity struct {
	Region         string
	DepartmentCode string // canonical; "" when unknown
	DepartmentName string
	FiscalYear     int
	Stage          string
	// Scope is "department" for a 部门预算/决算 (the department with its
	// units) and "unit" for a 单位预算/决算 (one unit alone).
	Scope string
	// Source says where the identity was read: "document" (its own text),
	// or "file_name" when the document states no department or year at
	// all and the file's path supplied what it lacks.
	Source string
	// Conflicts lists what the places that state the identity disagree on
	// (see identify); each is also a finding.
	Conflicts []string
}

// Scope and identity-source values of documents.scope / identity_source.
const (
	ScopeDepartment = "department"
	ScopeUnit       = "unit"
	SourceDocument  = "document"
	SourceFileName  = "file_name"
)

// Line is one row of budget_lines: one non-empty amount cell.
type Line struct {
	TableKey   string
	Side       string
	ItemCode   string
	ItemName   string
	ItemLevel  int
	Measure    string
	AmountYuan decimal.Decimal
	Raw        string
	Page, Line int
	// OCR only: Tesseract's confidence in the cell (0–100; 0 unknown), and
	// the other numbers the cell was read as, for arithmetic repair.
	Conf float64
	Alt  []string
	// SumCheck is "holds" when every sum of its table the amount takes part
	// in holds (within the rounding tolerance), "broken" when one does not,
	// "" when it takes part in none (see identities).
	SumCheck string
	// File is the SHA-256 of the file of a merged document the amount was
	// read from (document_files.sha256); "" when the document is one file.
	File string

	// Where the cell stood, for the sums (sums.go): its column in the
	// table, the numbering style of its row name (outlineStyle), the role
	// layouts/rows.toml gives the row, and whether the table is printed
	// across (its items are columns).
	col     int
	outline int
	first   bool // numbered with the first ordinal of its style (一、 （一） 1. ①)
	role    string
	across  bool
	// itemsRow: the line is of the total row of a table whose items are its
	// columns and whose other rows are units: the row's sum takes its
	// total column with its items, the outline its total with the units'.
	itemsRow bool
	nameCol  int // which of its table's name columns held the name: 0 the first; more, an item of the row above
	grp      int // the column group of its side (Jiangsu's 功能分类 | 支出用途)
	// dictCode: the code was not printed but looked up by name in a
	// dictionary of 类 and 经济分类 names; a coded table of the document
	// may know better (其他支出 is 229, 22999 and 2299999).
	dictCode bool
}

// SourceTable is one standard table found in a document.
type SourceTable struct {
	TableKey string
	Title    string
	Page     int
	Line     int
	Status   string // "present" or "empty"
	RowCount int    // body rows with at least one amount
	Unit     string // as printed, e.g. 万元
	File     string // as Line.File
}

// Project is one project of the project tables.
type Project struct {
	Funding                 string // "current" or "carryover"
	ProjectName             string
	RawName                 string
	UnitName                string // the unit subtotal it is listed under, if any
	AmountYuan              decimal.Decimal
	GeneralPublicBudgetYuan *decimal.Decimal
	HasPerformanceTarget    bool
	Page, Line              int
	File                    string // as Line.File
}

// Finding is a validation result that did not pass.
type Finding struct {
	CheckID  string
	Severity string // error, warning, info
	TableKey string
	Message  string
	Expected string
	Actual   string
	Page     int
	Line     int
}

// Correction records a normalization that changed what the source said.
type Correction struct {
	Field      string
	Raw        string
	Normalized string
	Rule       string
	Evidence   string
	Page, Line int
}

// Result is everything transform read from one document.
type Result struct {
	Identity     Identity
	Tables       []SourceTable
	Lines        []Line
	Projects     []Project
	Findings     []Finding
	Corrections  []Correction
	RoundingNote bool // the document declares 尾差 (rounding differences)
	Facts        []Fact
	Forms        []Form

	colSums map[string][]colSum // by table key: the header's column sums (sums.go)
}

// Fact is a figure the document states in words rather than in a standard
// table: the narrative (说明), the profile (机构设置, 国有资产占有使用情况,
// 政府采购) and the 绩效 text. Keys are stable snake_case (see facts.go).
type Fact struct {
	Key   string          // e.g. income_total, income_total_change, basic_share_pct
	Value decimal.Decimal // yuan for amounts (万元 × 10000), percent for *_pct, else a count, m² …
	Unit  string          // yuan | pct | person | vehicle | m2 | count | year
	Raw   string          // the words it was read from
	Page  int
	Line  int
	File  string // as Line.File
	// of: for a share, the fact key of the total it is a share of, as the
	// words state it (占本年支出合计的…, or the total their paragraph opens
	// with); "" for the template's default.
	of string
}

// Form is one 绩效目标表: the department's 整体支出绩效目标 form or a
// project's 项目支出绩效目标表.
type Form struct {
	Scope             string // department | project
	ProjectName       string // canonical, linked to Projects; "" for the department form
	ProjectNameRaw    string // as printed in the form
	Linked            bool   // the project was found in the project tables
	DepartmentCode    string // canonical
	DepartmentCodeRaw string // the printed 主管部门及代码 (or 部门名称) cell
	ImplementingUnit  string
	ProjectAttribute  string
	AttributeLine     int // source line of 项目属性
	ProjectPeriod     string
	TotalFunding      *decimal.Decimal // 实施期资金总额, yuan
	AnnualFunding     *decimal.Decimal // 年度资金总额, yuan
	Sources           []FundingSource
	Texts             map[string]string // 项目概况, 立项依据, … keyed by English names (see formTextKeys)
	FiledAt           string            // 填报日期 as printed (YYYYMMDDhhmmss)
	Indicators        []Indicator
	Page, Line        int
	File              string // as Line.File
}

// FundingSource is one 资金来源 line of a form.
type FundingSource struct {
	Horizon string // implementation | annual
	Source  string // 中央财政资金, 省级财政资金, 市县(区)财政资金, 单位自筹, 其他资金 …
	Amount  decimal.Decimal
	Raw     string
	Line    int
}

// Indicator is one 三级指标 of a form, for one horizon.
type Indicator struct {
	Horizon                string // implementation | annual
	Level1, Level2, Level3 string
	TargetRaw              string
	TargetOp               string           // >=, <=, >, <, = or "" when the target is words
	TargetValue            *decimal.Decimal // the number of the target, when it has one
	TargetUnit             string           // %, 万元, 元/人/天, 人 …
	Page, Line             int
}
