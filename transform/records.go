package transform

import (
	"fmt"
	"math"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/shopspring/decimal"
)

// Amount is the Arrow type of every *_yuan column: DECIMAL(18,2).
var Amount = &arrow.Decimal128Type{Precision: 18, Scale: 2}

// Batch is one warehouse table's rows of one document as an Arrow record.
// The caller releases Record.
type Batch struct {
	Table  string
	Record arrow.RecordBatch
}

// DocumentMeta is what the loader knows of a document beyond its content.
type DocumentMeta struct {
	DocumentID   string
	SourcePath   string
	SourceFormat string
	Encoding     string
	Pages        int
	ByteSize     int64
	IngestedAt   time.Time
	// Files are the document's files (document_files). Empty for a
	// document of one file: DocumentID is then its SHA-256, and its role
	// is Role of the result.
	Files []FileMeta
}

// FileMeta is one file of a document: a row of document_files.
type FileMeta struct {
	SourcePath   string
	SHA256       string // lowercase hex of the file's bytes
	Role         string // RoleWhole, RoleTables or RoleNarrative
	SourceFormat string
	Encoding     string
	Pages        int
	ByteSize     int64
}

type field struct {
	name string
	typ  arrow.DataType
}

func str(n string) field  { return field{n, arrow.BinaryTypes.String} }
func i32(n string) field  { return field{n, arrow.PrimitiveTypes.Int32} }
func i16(n string) field  { return field{n, arrow.PrimitiveTypes.Int16} }
func i64(n string) field  { return field{n, arrow.PrimitiveTypes.Int64} }
func bln(n string) field  { return field{n, arrow.FixedWidthTypes.Boolean} }
func amt(n string) field  { return field{n, Amount} }
func num4(n string) field { return field{n, &arrow.Decimal128Type{Precision: 18, Scale: 4}} }
func ts(n string) field   { return field{n, arrow.FixedWidthTypes.Timestamp_us} }

// tableBuilder appends typed rows to an Arrow record builder. Values are
// Go values matching the field types; nil is NULL; an int 0 in a page or
// line column means unknown and is stored as NULL by the caller passing nil.
type tableBuilder struct {
	name string
	b    *array.RecordBuilder
	err  error
}

func newTable(mem memory.Allocator, name string, fields ...field) *tableBuilder {
	fs := make([]arrow.Field, len(fields))
	for i, f := range fields {
		fs[i] = arrow.Field{Name: f.name, Type: f.typ, Nullable: true}
	}
	return &tableBuilder{name: name, b: array.NewRecordBuilder(mem, arrow.NewSchema(fs, nil))}
}

func (t *tableBuilder) add(vals ...any) {
	if t.err != nil {
		return
	}
	if len(vals) != len(t.b.Fields()) {
		t.err = fmt.Errorf("%s: %d values for %d columns", t.name, len(vals), len(t.b.Fields()))
		return
	}
	for i, v := range vals {
		fb := t.b.Field(i)
		if v == nil {
			fb.AppendNull()
			continue
		}
		switch b := fb.(type) {
		case *array.StringBuilder:
			b.Append(v.(string))
		case *array.Int32Builder:
			b.Append(int32(v.(int)))
		case *array.Int16Builder:
			b.Append(int16(v.(int)))
		case *array.Int64Builder:
			b.Append(v.(int64))
		case *array.BooleanBuilder:
			b.Append(v.(bool))
		case *array.Decimal128Builder:
			d := v.(decimal.Decimal)
			dt := b.Type().(*arrow.Decimal128Type)
			if d.Abs().Cmp(decimal.New(1, dt.Precision-dt.Scale)) >= 0 {
				t.err = fmt.Errorf("%s.%s: amount %s does not fit DECIMAL(%d,%d)", t.name, t.b.Schema().Field(i).Name, d.String(), dt.Precision, dt.Scale)
				return
			}
			b.Append(decimal128.FromBigInt(d.Shift(dt.Scale).Round(0).BigInt()))
		case *array.TimestampBuilder:
			b.Append(arrow.Timestamp(v.(time.Time).UnixMicro()))
		default:
			t.err = fmt.Errorf("%s: unsupported column type %T", t.name, fb)
			return
		}
	}
}

func (t *tableBuilder) batch() (Batch, error) {
	defer t.b.Release()
	if t.err != nil {
		return Batch{}, t.err
	}
	return Batch{Table: t.name, Record: t.b.NewRecordBatch()}, nil
}

// nz is an optional int: 0 (unknown page or line) becomes NULL.
func nz(v int) any {
	if v == 0 {
		return nil
	}
	return v
}

func nzs(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func dec(d *decimal.Decimal) any {
	if d == nil {
		return nil
	}
	return *d
}

// Records turns a parsed document into one Arrow record per warehouse table,
// in the column order of sql/schema.sql. The caller releases the records.
func Records(mem memory.Allocator, meta DocumentMeta, res *Result) ([]Batch, error) {
	id := meta.DocumentID
	ident := res.Identity

	docs := newTable(mem, "documents", str("document_id"), str("source_path"), str("source_format"), str("encoding"),
		str("region"), str("department_code"), str("department_name"), i32("fiscal_year"), str("stage"),
		bln("is_current"), ts("ingested_at"), str("superseded_by"), i32("pages"), i64("byte_size"),
		str("scope"), str("identity_source"))
	docs.add(id, meta.SourcePath, meta.SourceFormat, nzs(meta.Encoding), nzs(ident.Region), nzs(ident.DepartmentCode),
		nzs(ident.DepartmentName), nz(ident.FiscalYear), ident.Stage, true, meta.IngestedAt, nil, nz(meta.Pages), meta.ByteSize,
		nzs(ident.Scope), nzs(ident.Source))

	files := newTable(mem, "document_files", str("document_id"), str("source_path"), str("sha256"), str("role"),
		str("source_format"), str("encoding"), i32("pages"), i64("byte_size"))
	fms := meta.Files
	if len(fms) == 0 {
		fms = []FileMeta{{SourcePath: meta.SourcePath, SHA256: id, Role: Role(res), SourceFormat: meta.SourceFormat,
			Encoding: meta.Encoding, Pages: meta.Pages, ByteSize: meta.ByteSize}}
	}
	for _, f := range fms {
		files.add(id, f.SourcePath, f.SHA256, f.Role, f.SourceFormat, nzs(f.Encoding), nz(f.Pages), f.ByteSize)
	}

	// The file each row came from, in a document of several files.
	file := func(sha string) any {
		if len(meta.Files) <= 1 {
			return nil
		}
		return nzs(sha)
	}
	lines := newTable(mem, "budget_lines", str("document_id"), str("table_key"), str("side"), str("item_code"), str("item_name"),
		i16("item_level"), str("measure"), amt("amount_yuan"), str("raw"), i32("page"), i32("line"), i16("ocr_confidence"), str("sum_check"), str("file_sha256"))
	for _, l := range res.Lines {
		var conf any
		if l.Conf > 0 {
			conf = int(math.Round(l.Conf))
		}
		lines.add(id, l.TableKey, l.Side, l.ItemCode, l.ItemName, l.ItemLevel, l.Measure, l.AmountYuan, l.Raw, nz(l.Page), nz(l.Line),
			conf, nzs(l.SumCheck), file(l.File))
	}

	tables := newTable(mem, "source_tables", str("document_id"), str("table_key"), str("title"), i32("page"), i32("line"),
		str("status"), i32("row_count"), str("unit"), str("file_sha256"))
	for _, t := range res.Tables {
		tables.add(id, t.TableKey, t.Title, nz(t.Page), nz(t.Line), t.Status, t.RowCount, nzs(t.Unit), file(t.File))
	}

	projects := newTable(mem, "projects", str("document_id"), str("funding"), str("project_name"), str("project_name_raw"),
		str("unit_name"), amt("amount_yuan"), amt("general_public_budget_yuan"), bln("has_performance_target"), i32("page"), i32("line"), str("file_sha256"))
	for _, p := range res.Projects {
		projects.add(id, p.Funding, p.ProjectName, p.RawName, nzs(p.UnitName), p.AmountYuan, dec(p.GeneralPublicBudgetYuan),
			p.HasPerformanceTarget, nz(p.Page), nz(p.Line), file(p.File))
	}

	findings := newTable(mem, "findings", str("document_id"), str("check_id"), str("severity"), str("table_key"), str("message"),
		str("expected"), str("actual"), i32("page"), i32("line"))
	for _, f := range res.Findings {
		findings.add(id, f.CheckID, f.Severity, nzs(f.TableKey), f.Message, f.Expected, f.Actual, nz(f.Page), nz(f.Line))
	}
	if f, ok := fileNameFinding(res, meta); ok {
		findings.add(id, f.CheckID, f.Severity, nil, f.Message, f.Expected, f.Actual, nil, nil)
	}

	corrections := newTable(mem, "corrections", str("document_id"), str("field"), str("raw_value"), str("normalized_value"),
		str("rule"), str("evidence"), i32("page"), i32("line"))
	for _, c := range res.Corrections {
		corrections.add(id, c.Field, c.Raw, c.Normalized, c.Rule, c.Evidence, nz(c.Page), nz(c.Line))
	}

	forms := newTable(mem, "performance_forms", str("document_id"), str("scope"), str("project_name"), str("project_name_raw"), bln("linked"),
		str("department_code"), str("department_code_raw"), str("implementing_unit"), str("project_attribute"), str("project_period"),
		amt("total_funding_yuan"), amt("annual_funding_yuan"), str("overview"), str("basis"), str("necessity"), str("measures"), str("plan"),
		str("goal_implementation"), str("goal_annual"), ts("filed_at"), i32("page"), i32("line"), str("file_sha256"))
	funding := newTable(mem, "performance_form_funding", str("document_id"), str("project_name"), str("horizon"), str("source"),
		amt("amount_yuan"), str("raw"), i32("line"))
	indicators := newTable(mem, "performance_indicators", str("document_id"), str("project_name"), str("horizon"), str("level1"), str("level2"),
		str("level3"), str("target_raw"), str("target_op"), num4("target_value"), str("target_unit"), i32("page"), i32("line"))
	for _, f := range res.Forms {
		name := nzs(f.ProjectName)
		var filed any
		if t, err := time.Parse("20060102150405", f.FiledAt); err == nil {
			filed = t
		}
		forms.add(id, f.Scope, name, nzs(f.ProjectNameRaw), f.Linked, nzs(f.DepartmentCode), nzs(f.DepartmentCodeRaw), nzs(f.ImplementingUnit),
			nzs(f.ProjectAttribute), nzs(f.ProjectPeriod), dec(f.TotalFunding), dec(f.AnnualFunding), nzs(f.Texts["overview"]),
			nzs(f.Texts["basis"]), nzs(f.Texts["necessity"]), nzs(f.Texts["measures"]), nzs(f.Texts["plan"]),
			nzs(f.Texts["goal_implementation"]), nzs(firstOf(f.Texts["goal_annual"], f.Texts["annual_goal"])), filed, nz(f.Page), nz(f.Line), file(f.File))
		for _, s := range f.Sources {
			var a any
			if s.Raw != "" {
				a = s.Amount
			}
			funding.add(id, name, s.Horizon, s.Source, a, nzs(s.Raw), nz(s.Line))
		}
		for _, ind := range f.Indicators {
			indicators.add(id, name, ind.Horizon, nzs(ind.Level1), nzs(ind.Level2), nzs(ind.Level3), nzs(ind.TargetRaw), nzs(ind.TargetOp),
				dec(ind.TargetValue), nzs(ind.TargetUnit), nz(ind.Page), nz(ind.Line))
		}
	}
	facts := newTable(mem, "document_facts", str("document_id"), str("fact_key"), num4("value"), str("unit"), str("raw"), i32("page"), i32("line"), str("file_sha256"))
	for _, f := range res.Facts {
		facts.add(id, f.Key, f.Value, f.Unit, nzs(f.Raw), nz(f.Page), nz(f.Line), file(f.File))
	}

	var out []Batch
	for _, t := range []*tableBuilder{docs, files, lines, tables, projects, findings, corrections, forms, funding, indicators, facts} {
		b, err := t.batch()
		if err != nil {
			for _, o := range out {
				o.Record.Release()
			}
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// fileNameFinding is the warning a document gets when its identity came
// from its file name (Identity.Source), unless transform already gave it one.
func fileNameFinding(res *Result, meta DocumentMeta) (Finding, bool) {
	if res.Identity.Source != SourceFileName {
		return Finding{}, false
	}
	for _, f := range res.Findings {
		if f.CheckID == "identity.file_name" {
			return Finding{}, false
		}
	}
	id := res.Identity
	return Finding{CheckID: "identity.file_name", Severity: "warning",
		Message: fmt.Sprintf("identity (%s, %d, %s) read from the file name %s: the document does not state its department or fiscal year",
			id.DepartmentName, id.FiscalYear, id.Stage, meta.SourcePath),
		Expected: SourceDocument, Actual: SourceFileName}, true
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
