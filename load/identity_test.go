package load_test

import (
	"context"
	"strings"
	"testing"

	"github.com/gongkai/gongkai/load"
	"github.com/gongkai/gongkai/transform"
)

// documents.scope and identity_source carry transform's Identity; a
// document identified by its file name gets one identity.file_name warning
// (transform's own when it gave one), and every document lists its file.
func TestIdentityColumnsAndFiles(t *testing.T) {
	w, _ := openTemp(t)
	lines := []transform.Line{line("summary", "income", "收入总计", "total", "1.00", 4)}
	byName := &transform.Result{Lines: lines, Identity: transform.Identity{Region: "北京市", DepartmentName: "北京市人民政府办公厅", FiscalYear: 2026,
		Stage: "budget", Scope: transform.ScopeDepartment, Source: transform.SourceFileName}}
	stated := &transform.Result{Lines: lines, Facts: []transform.Fact{{Key: "income_total", Unit: "yuan", Value: lines[0].AmountYuan}},
		Identity: transform.Identity{Region: "某市", DepartmentName: "某市某中心", FiscalYear: 2026, Stage: "budget", Scope: transform.ScopeUnit, Source: transform.SourceDocument}}
	own := *byName
	own.Identity.DepartmentName = "北京市司法局"
	own.Findings = []transform.Finding{{CheckID: "identity.file_name", Severity: "warning", Message: "transform's own"}}
	for i, err := range w.LoadGroup(context.Background(), []load.Doc{{Meta: docMeta("byname"), Res: byName}, {Meta: docMeta("stated"), Res: stated}, {Meta: docMeta("own"), Res: &own}}) {
		if err != nil {
			t.Fatalf("document %d: %v", i, err)
		}
	}
	db := w.DB()
	for id, want := range map[string]string{"byname": "department file_name", "stated": "unit document", "own": "department file_name"} {
		var scope, source string
		if err := db.QueryRow(`SELECT scope, identity_source FROM documents WHERE document_id = ?`, id).Scan(&scope, &source); err != nil {
			t.Fatal(err)
		}
		if scope+" "+source != want {
			t.Errorf("%s: scope, identity_source = %s %s, want %s", id, scope, source, want)
		}
	}
	var msg string
	if err := db.QueryRow(`SELECT message FROM findings WHERE document_id = 'byname' AND check_id = 'identity.file_name' AND severity = 'warning'`).Scan(&msg); err != nil {
		t.Fatalf("no identity.file_name warning: %v", err)
	}
	if !strings.Contains(msg, "byname.txt") || !strings.Contains(msg, "北京市人民政府办公厅") {
		t.Errorf("warning %q names neither the file nor the identity", msg)
	}
	if n := count(t, db, `SELECT count(*) FROM findings WHERE check_id = 'identity.file_name'`); n != 2 {
		t.Errorf("identity.file_name findings: %d, want 2 (one each for byname and own, none for stated)", n)
	}
	var files string
	if err := db.QueryRow(`SELECT string_agg(document_id || ' ' || sha256 || ' ' || role || ' ' || source_path, '; ' ORDER BY document_id) FROM document_files`).Scan(&files); err != nil {
		t.Fatal(err)
	}
	if files != "byname byname tables byname.txt; own own tables own.txt; stated stated whole stated.txt" {
		t.Errorf("document_files = %q", files)
	}
}
