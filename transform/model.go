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
}

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
}
