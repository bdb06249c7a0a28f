package ingest_test

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"strings"
	"testing"
)

const priorYear = "../fixtures/text/shuozhou-dangqun-2025-budget.txt"

func fileID(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// Consecutive years that agree give no cross-document finding.
func TestCrossDocumentAgreement(t *testing.T) {
	w, _ := openTemp(t)
	runIngest(t, w, priorYear, seed)
	if n := count(t, w.DB(), `SELECT count(*) FROM findings WHERE check_id LIKE 'xdoc.%'`); n != 0 {
		t.Errorf("xdoc findings = %d, want 0 for two years that agree", n)
	}
}

// A prior-year document that contradicts what the seed's narrative says
// about 2025 (its totals printed as 380.53万元 where the seed implies
// 390.53万元) gives a finding that names both documents, the figure and
// both values; a re-run recomputes rather than repeats it.
func TestCrossDocumentContradiction(t *testing.T) {
	const contra = "../fixtures/crossdoc/shuozhou-dangqun-2025-budget.contradicting.txt"
	w, _ := openTemp(t)
	runIngest(t, w, contra, seed)
	db := w.DB()
	var msg, expected, actual, related string
	err := db.QueryRow(`SELECT message, expected, actual, related_document_id FROM findings
		WHERE check_id = 'xdoc.prior_figure' AND document_id = ? AND message LIKE '%收入总计%'`, fileID(t, seed)).Scan(&msg, &expected, &actual, &related)
	if err != nil {
		t.Fatal(err)
	}
	if expected != "3805300.00" || actual != "3905300.00" || related != fileID(t, contra) {
		t.Errorf("expected %s actual %s related %s", expected, actual, related)
	}
	for _, want := range []string{"shuozhou-dangqun-2026-budget.txt", "shuozhou-dangqun-2025-budget.contradicting.txt", "2025 收入总计", "3905300.00", "3805300.00"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	if n := count(t, db, `SELECT count(*) FROM findings WHERE check_id = 'xdoc.prior_figure'`); n != 3 {
		t.Errorf("xdoc.prior_figure findings = %d, want 3 (收入总计, 支出总计, 一般公共预算)", n)
	}
	if n := count(t, db, `SELECT count(*) FROM findings WHERE check_id = 'xdoc.prior_change_pct' AND actual = '-11.31' AND expected = '-8.97'`); n != 2 {
		t.Errorf("xdoc.prior_change_pct findings for 下降11.31%% = %d, want 2", n)
	}
	before := count(t, db, `SELECT count(*) FROM findings WHERE check_id LIKE 'xdoc.%'`)
	runIngest(t, w, "../fixtures/text/datong-yungang-jiaoyu-2025-budget.txt")
	if after := count(t, db, `SELECT count(*) FROM findings WHERE check_id LIKE 'xdoc.%'`); after != before {
		t.Errorf("xdoc findings after another run = %d, want %d", after, before)
	}
	// Loading the true 2025 document supersedes the contradicting one: the findings go.
	runIngest(t, w, priorYear)
	if n := count(t, db, `SELECT count(*) FROM findings WHERE check_id LIKE 'xdoc.%'`); n != 0 {
		t.Errorf("xdoc findings once the true 2025 document is current = %d, want 0", n)
	}
}

// The same department under another code in the year before.
func TestCrossDocumentDepartmentCode(t *testing.T) {
	const recoded = "../fixtures/crossdoc/shuozhou-dangqun-2025-budget.recoded.txt"
	w, _ := openTemp(t)
	runIngest(t, w, recoded, seed)
	var msg, expected, actual string
	if err := w.DB().QueryRow(`SELECT message, expected, actual FROM findings WHERE check_id = 'xdoc.department_code'`).Scan(&msg, &expected, &actual); err != nil {
		t.Fatal(err)
	}
	if expected != "610" || actual != "609" || !strings.Contains(msg, "2025") || !strings.Contains(msg, "recoded") {
		t.Errorf("finding %q expected %s actual %s", msg, expected, actual)
	}
}
