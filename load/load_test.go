package load_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"
	"github.com/shopspring/decimal"

	"github.com/gongkai/gongkai/load"
	"github.com/gongkai/gongkai/transform"
)

const seed = "../fixtures/text/shuozhou-dangqun-2026-budget.txt"

func openTemp(t testing.TB) (*load.Warehouse, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "w.duckdb")
	w, err := load.Open(context.Background(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w, path
}

func amount(t *testing.T, db *sql.DB, q string, args ...any) decimal.Decimal {
	t.Helper()
	var v duckdb.Decimal
	if err := db.QueryRow(q, args...).Scan(&v); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return decimal.NewFromBigInt(v.Value, -int32(v.Scale))
}

func count(t *testing.T, db *sql.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// A document whose load fails half-way leaves nothing behind.
func TestFailedLoadLeavesNothing(t *testing.T) {
	w, _ := openTemp(t)
	res := &transform.Result{Identity: transform.Identity{Region: "某市", DepartmentName: "某市某局", FiscalYear: 2026, Stage: "budget"}}
	res.Lines = []transform.Line{
		{TableKey: "summary", ItemName: "收入总计", Measure: "total", AmountYuan: decimal.RequireFromString("1.00"), Raw: "1"},
		// A side the schema's CHECK refuses: the insert fails after documents was written.
		{TableKey: "summary", Side: "bogus", ItemName: "支出总计", Measure: "total", AmountYuan: decimal.RequireFromString("1.00"), Raw: "1"},
	}
	meta := transform.DocumentMeta{DocumentID: "deadbeef", SourcePath: "x.txt", SourceFormat: "text", IngestedAt: time.Now()}
	if err := w.Load(context.Background(), meta, res); err == nil {
		t.Fatal("load of an invalid row succeeded")
	}
	db := w.DB()
	for _, tbl := range []string{"documents", "budget_lines", "findings"} {
		if n := count(t, db, `SELECT count(*) FROM `+tbl); n != 0 {
			t.Errorf("%s has %d rows after a failed load", tbl, n)
		}
	}
}

func TestAmountOutOfRangeIsRefused(t *testing.T) {
	w, _ := openTemp(t)
	res := &transform.Result{Identity: transform.Identity{DepartmentName: "某局", FiscalYear: 2026, Stage: "budget"}}
	res.Lines = []transform.Line{{TableKey: "summary", ItemName: "合计", Measure: "total", AmountYuan: decimal.RequireFromString("1e17"), Raw: "1e13"}}
	meta := transform.DocumentMeta{DocumentID: "feed", SourcePath: "y.txt", SourceFormat: "text", IngestedAt: time.Now()}
	err := w.Load(context.Background(), meta, res)
	if err == nil || !strings.Contains(err.Error(), "DECIMAL(18,2)") {
		t.Fatalf("err = %v, want an out-of-range error", err)
	}
	if n := count(t, w.DB(), `SELECT count(*) FROM documents`); n != 0 {
		t.Errorf("documents = %d after a refused load", n)
	}
}

func TestSecondIngestIsRefused(t *testing.T) {
	db := filepath.Join(t.TempDir(), "w.duckdb")
	unlock, err := load.LockIngest(db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := load.LockIngest(db); !errors.Is(err, load.ErrBusy) || !strings.Contains(err.Error(), "pid") {
		t.Errorf("second lock: %v, want ErrBusy naming the holder", err)
	}
	unlock()
	again, err := load.LockIngest(db)
	if err != nil {
		t.Fatalf("lock after unlock: %v", err)
	}
	again()
}

// In a group, a document whose rows the warehouse refuses fails alone: the
// others load, each with all its rows, and the bad one leaves nothing.
func TestGroupWithOneBadDocument(t *testing.T) {
	w, _ := openTemp(t)
	good := parsedSeed(t)
	bad := &transform.Result{Identity: transform.Identity{Region: "某市", DepartmentName: "某市某局", FiscalYear: 2026, Stage: "budget"}}
	bad.Lines = []transform.Line{
		{TableKey: "summary", ItemName: "收入总计", Measure: "total", AmountYuan: decimal.RequireFromString("1.00"), Raw: "1"},
		{TableKey: "summary", Side: "bogus", ItemName: "支出总计", Measure: "total", AmountYuan: decimal.RequireFromString("1.00"), Raw: "1"},
	}
	meta := func(id string) transform.DocumentMeta {
		return transform.DocumentMeta{DocumentID: id, SourcePath: id + ".txt", SourceFormat: "text", IngestedAt: time.Now()}
	}
	errs := w.LoadGroup(context.Background(), []load.Doc{{Meta: meta("a"), Res: good}, {Meta: meta("bad"), Res: bad}, {Meta: meta("c"), Res: good}, {Meta: meta("a"), Res: good}})
	if errs[0] != nil || errs[2] != nil || errs[1] == nil || !errors.Is(errs[3], load.ErrUnchanged) {
		t.Fatalf("errs = %v, want nil, an error, nil, ErrUnchanged", errs)
	}
	db := w.DB()
	for _, id := range []string{"a", "c"} {
		if n := count(t, db, `SELECT count(*) FROM budget_lines WHERE document_id = ?`, id); n != len(good.Lines) {
			t.Errorf("document %s: %d budget lines, want %d", id, n, len(good.Lines))
		}
	}
	for _, tbl := range []string{"documents", "budget_lines", "findings"} {
		if n := count(t, db, `SELECT count(*) FROM `+tbl+` WHERE document_id = 'bad'`); n != 0 {
			t.Errorf("%s has %d rows of the refused document", tbl, n)
		}
	}
}

// A group of documents of distinct identities is written in one
// transaction, one INSERT per table; when that fails on one document, the
// group is rolled back and written document by document, so the refused
// one leaves nothing and the others load whole. Supersession comes out as
// when each is loaded alone: a later group's document of an earlier one's
// identity supersedes it.
func TestGroupTogetherAndAlone(t *testing.T) {
	w, _ := openTemp(t)
	seed := parsedSeed(t)
	as := func(dept string) *transform.Result {
		r := *seed
		r.Identity.DepartmentName = dept
		return &r
	}
	meta := func(id string) transform.DocumentMeta {
		return transform.DocumentMeta{DocumentID: id, SourcePath: id + ".txt", SourceFormat: "text", IngestedAt: time.Now()}
	}
	bad := as("某市某局")
	bad.Lines = append(slices.Clone(seed.Lines), transform.Line{TableKey: "summary", Side: "bogus", ItemName: "支出总计", Measure: "total",
		AmountYuan: decimal.RequireFromString("1.00"), Raw: "1"})
	ctx := context.Background()
	if errs := w.LoadGroup(ctx, []load.Doc{{Meta: meta("x1"), Res: as("甲局")}, {Meta: meta("y1"), Res: as("乙局")}}); errs[0] != nil || errs[1] != nil {
		t.Fatalf("first group: %v", errs)
	}
	errs := w.LoadGroup(ctx, []load.Doc{{Meta: meta("x2"), Res: as("甲局")}, {Meta: meta("bad"), Res: bad}, {Meta: meta("z1"), Res: as("丙局")}})
	if errs[0] != nil || errs[1] == nil || errs[2] != nil {
		t.Fatalf("second group: errs = %v, want nil, an error, nil", errs)
	}
	db := w.DB()
	for _, id := range []string{"x1", "y1", "x2", "z1"} {
		if n := count(t, db, `SELECT count(*) FROM budget_lines WHERE document_id = ?`, id); n != len(seed.Lines) {
			t.Errorf("document %s: %d budget lines, want %d", id, n, len(seed.Lines))
		}
	}
	if n := count(t, db, `SELECT count(*) FROM budget_lines WHERE document_id = 'bad'`) + count(t, db, `SELECT count(*) FROM documents WHERE document_id = 'bad'`); n != 0 {
		t.Errorf("the refused document left %d rows", n)
	}
	var cur []string
	rows, err := db.Query(`SELECT document_id || ':' || is_current || ':' || coalesce(superseded_by, '') FROM documents ORDER BY document_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		cur = append(cur, s)
	}
	if want := []string{"x1:false:x2", "x2:true:", "y1:true:", "z1:true:"}; !slices.Equal(cur, want) {
		t.Errorf("documents %q, want %q", cur, want)
	}
}
