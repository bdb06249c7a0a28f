package transform

import (
	"strings"
	"testing"

	"github.com/gongkai/gongkai/extract"
)

// A small table every made-up document below carries, so that it is a
// disclosure.
const identityTable = "\n收支总表\n单位：万元\n收入\t\t支出\t\n项目\t预算数\t项目\t预算数\n本年收入合计\t1.00\t本年支出合计\t1.00\n"

func identifyText(t *testing.T, path, text string) (Identity, []Finding, error) {
	t.Helper()
	doc, err := extract.ReadText(path, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return identify(doc, segment(doc.Lines, false), tocTables(doc.Lines))
}

// Identity by consensus: the cover (a title wrapped over lines read
// joined), the 部门名称 lines and the tables' titles and headers vote; the
// file name is not read while the document states what it needs. The
// region is the name's administrative prefix, read past a party prefix
// (中共上海市普陀区委… → 上海市普陀区), 中央 for a central body.
func TestIdentityConsensus(t *testing.T) {
	for _, c := range []struct {
		name, text string
		dept       string
		year       int
		stage      string
		scope      string
		region     string
	}{
		{"a cover title wrapped over three lines", "中共上海市普陀区委\n社会工作部2024 年度\n部门决算\n目录\n" + identityTable,
			"中共上海市普陀区委社会工作部", 2024, StageFinalAccount, ScopeDepartment, "上海市普陀区"},
		{"the year alone above the department", "2026年\n广州市信访局部门预算\n目 录\n" + identityTable,
			"广州市信访局", 2026, StageBudget, ScopeDepartment, "广州市"},
		{"a space before 年", "2019 年佛山市轨道交通局 部门决算\n目录\n" + identityTable,
			"佛山市轨道交通局", 2019, StageFinalAccount, ScopeDepartment, "佛山市"},
		{"a 单位预算 named on a 预算单位 line", "上海市2026年市级单位预算\n预算单位：上海市信访办公室\n目录\n" + identityTable,
			"上海市信访办公室", 2026, StageBudget, ScopeUnit, "上海市"},
		{"no cover: 部门 lines over the tables", "表一\n收支预算总表\n部门：江苏省政协办公厅    单位：万元\n收入\t\t支出\t\n项目\t金额\t项目\t金额\n" +
			"本年收入合计\t1.00\t本年支出合计\t1.00\n2017年政府采购预算表\n部门：江苏省政协办公厅    单位：万元\n项目\t金额\n合计\t1.00\n",
			"江苏省政协办公厅", 2017, StageBudget, ScopeDepartment, "江苏省"},
		{"a 部门（单位） line and a cover with the department inside", "2026年烟台市信访局部门预算\n目 录\n" + identityTable + "部门（单位）：烟台市信访局    单位：万元\n",
			"烟台市信访局", 2026, StageBudget, ScopeDepartment, "烟台市"},
		{"a central body", "国家信访局2026年部门预算\n目录\n" + identityTable,
			"国家信访局", 2026, StageBudget, ScopeDepartment, "中央"},
	} {
		t.Run(c.name, func(t *testing.T) {
			id, fs, err := identifyText(t, "文件名说别的2031年某某局决算.txt", c.text)
			if err != nil {
				t.Fatal(err)
			}
			if id.DepartmentName != c.dept || id.FiscalYear != c.year || id.Stage != c.stage || id.Scope != c.scope || id.Source != SourceDocument || id.Region != c.region {
				t.Errorf("identity = %q %d %s %s %q (%s), want %q %d %s %s %q", id.DepartmentName, id.FiscalYear, id.Stage, id.Scope, id.Region, id.Source,
					c.dept, c.year, c.stage, c.scope, c.region)
			}
			for _, f := range fs {
				t.Errorf("unexpected finding %+v", f)
			}
		})
	}
}

// A place that states another department than the majority is an
// identity.conflict finding naming both; the majority wins.
func TestIdentityConflict(t *testing.T) {
	text := "甲市财政局\n2026年部门预算\n目录\n" + identityTable +
		"部门名称：甲市财政局    单位：万元\n部门名称：甲市财政局    单位：万元\n部门名称：乙市审计局    单位：万元\n部门名称：乙市审计局    单位：万元\n"
	id, fs, err := identifyText(t, "x.txt", text)
	if err != nil {
		t.Fatal(err)
	}
	if id.DepartmentName != "甲市财政局" {
		t.Errorf("department = %q, want the majority's 甲市财政局", id.DepartmentName)
	}
	if len(fs) != 1 || fs[0].CheckID != "identity.conflict" || fs[0].Expected != "甲市财政局" || fs[0].Actual != "乙市审计局" ||
		!strings.Contains(fs[0].Message, "the cover") {
		t.Errorf("findings = %+v", fs)
	}
}

// A document that states no department falls back on its file's path,
// and says so; one that states neither in the text nor the path fails
// with a clear error.
func TestIdentityFromFileName(t *testing.T) {
	text := "预算01表 收支总表\n金额单位：万元\n收入\t\t支出\t\n项目\t预算数\t项目\t预算数\n本年收入合计\t1.00\t本年支出合计\t1.00\n2026年政府采购预算表\n项目\t金额\n合计\t1.00\n"
	id, fs, err := identifyText(t, "北京市/北京市司法局2026年部门预算（报表）.txt", text)
	if err != nil {
		t.Fatal(err)
	}
	if id.DepartmentName != "北京市司法局" || id.Source != SourceFileName || id.FiscalYear != 2026 {
		t.Errorf("identity = %+v", id)
	}
	if len(fs) != 1 || fs[0].CheckID != "identity.file_name" || fs[0].Severity != "warning" {
		t.Errorf("findings = %+v", fs)
	}
	if _, _, err := identifyText(t, "tables.txt", text); err == nil || !strings.Contains(err.Error(), "no department name") {
		t.Errorf("a document naming no department anywhere: err = %v", err)
	}
}
