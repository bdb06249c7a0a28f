package transform

import (
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
)

// Checks on the arithmetic of a document's tables. A difference within the
// rounding tolerance (0.01 of the table's unit per addend, when the document
// declares 尾差) is an info finding; beyond it, an error.

type cellKey struct{ table, side, code, name, measure string }

type ledger struct {
	cells map[cellKey]Line
	res   *Result
	out   []Finding
}

func check(res *Result) []Finding {
	lg := &ledger{cells: map[cellKey]Line{}, res: res}
	for _, l := range res.Lines {
		k := cellKey{l.TableKey, l.Side, l.ItemCode, l.ItemName, l.Measure}
		if _, dup := lg.cells[k]; !dup {
			lg.cells[k] = l
		}
	}
	lg.sums()
	lg.balances()
	lg.crossTable()
	lg.economicSplit()
	checkText(res, lg)
	return lg.out
}

// factorOf is the yuan value of one unit of a table as printed (万元:
// 10000); 万元 when the table's unit is unknown.
func factorOf(res *Result, table string) decimal.Decimal {
	for _, t := range res.Tables {
		if t.TableKey == table {
			if f, ok := unitFactor[t.Unit]; ok {
				return f
			}
		}
	}
	return decimal.NewFromInt(10000)
}

// centOf returns the yuan value of 0.01 of the table's printed unit: the
// rounding tolerance per addend.
func centOf(res *Result, table string) decimal.Decimal {
	return factorOf(res, table).Div(decimal.NewFromInt(100))
}

func (lg *ledger) cent(table string) decimal.Decimal { return centOf(lg.res, table) }

func (lg *ledger) compare(checkID, table, what string, expected, actual decimal.Decimal, addends int, at Line) {
	diff := expected.Sub(actual).Abs()
	if diff.IsZero() {
		return
	}
	tol := lg.cent(table).Mul(decimal.NewFromInt(int64(max(addends, 1))))
	f := Finding{CheckID: checkID, TableKey: table, Expected: expected.StringFixed(2), Actual: actual.StringFixed(2), Page: at.Page, Line: at.Line}
	switch {
	case diff.LessThanOrEqual(tol) && lg.res.RoundingNote:
		f.Severity = "info"
		f.CheckID = checkID + ".rounding"
		f.Message = fmt.Sprintf("%s: off by %s yuan, within the stated 尾差 tolerance", what, diff.StringFixed(2))
	case diff.LessThanOrEqual(tol):
		f.Severity = "warning"
		f.CheckID = checkID + ".rounding"
		f.Message = fmt.Sprintf("%s: off by %s yuan, a rounding difference the document does not declare (no 尾差 note)", what, diff.StringFixed(2))
	default:
		f.Severity = "error"
		f.Message = fmt.Sprintf("%s: off by %s yuan", what, diff.StringFixed(2))
	}
	lg.out = append(lg.out, f)
}

// sums: every sum of the document's tables (identities, sums.go) that
// does not hold is a finding under the sum's check id.
func (lg *ledger) sums() {
	for _, id := range identities(lg.res) {
		t := lg.res.Lines[id.target]
		var sum decimal.Decimal
		for _, p := range id.parts {
			sum = sum.Add(lg.res.Lines[p].AmountYuan)
		}
		lg.compare(id.check, t.TableKey, strings.Replace(id.desc, " = ", " ≠ ", 1), t.AmountYuan, sum, len(id.parts), t)
	}
}

func (lg *ledger) get(table, side, name, measure string) (Line, bool) {
	for _, l := range lg.res.Lines {
		if l.TableKey == table && l.Side == side && l.ItemName == name && l.Measure == measure && l.ItemCode == "" {
			return l, true
		}
	}
	return Line{}, false
}

// grandTotal is a side's grand total row (收入总计, 支出总计; a 决算's 总计 or
// 合计 at the foot of the side): a row layouts/rows.toml names so, else the
// lowest total row of the side.
func (lg *ledger) grandTotal(table, side string) (Line, bool) {
	want := map[string]string{"income": "income_total", "expenditure": "expenditure_total"}[side]
	var best Line
	found, named := false, false
	for _, l := range lg.res.Lines {
		if l.TableKey != table || l.Side != side || l.Measure != "total" || l.ItemCode != "" {
			continue
		}
		switch {
		case l.role == want && (!named || l.Line > best.Line):
			best, found, named = l, true, true
		case l.role == "total" && !named && (!found || l.Line > best.Line):
			best, found = l, true
		}
	}
	return best, found
}

// yearTotal is a side's total of the year (本年收入合计, 本年支出合计).
func (lg *ledger) yearTotal(table, side string) (Line, bool) {
	want := map[string]string{"income": "income_year_total", "expenditure": "expenditure_year_total"}[side]
	for _, l := range lg.res.Lines {
		if l.TableKey == table && l.Side == side && l.Measure == "total" && l.ItemCode == "" && l.role == want {
			return l, true
		}
	}
	return Line{}, false
}

// tableLoaded reports whether the document printed the table with rows.
func (lg *ledger) tableLoaded(table string) bool {
	for _, l := range lg.res.Lines {
		if l.TableKey == table {
			return true
		}
	}
	return false
}

// skipped records a check that could not run on a table the document
// prints: silence is visible.
func (lg *ledger) skipped(checkID, table, why string) {
	lg.out = append(lg.out, Finding{CheckID: "check.skipped", Severity: "info", TableKey: table,
		Message: fmt.Sprintf("%s not checked on %s: %s", checkID, table, why), Expected: checkID, Actual: "skipped"})
}

// balances: a two-sided table's 收入总计 equals its 支出总计.
func (lg *ledger) balances() {
	for _, t := range []string{KeySummary, KeyAppropriation} {
		if !lg.tableLoaded(t) {
			continue
		}
		in, ok1 := lg.grandTotal(t, "income")
		out, ok2 := lg.grandTotal(t, "expenditure")
		if !ok1 || !ok2 {
			lg.skipped("balance.totals", t, "no grand total row on both sides (收入总计 | 支出总计, 总计, 合计)")
			continue
		}
		lg.compare("balance.totals", t, fmt.Sprintf("%s %s ≠ %s", t, in.ItemName, out.ItemName), in.AmountYuan, out.AmountYuan, 1, out)
	}
}

// economicSplit: in a 基本支出 table by economic class that prints 人员经费
// and 公用经费 beside 合计, the template's split — 人员经费 is 301 工资福利支出
// and 303 对个人和家庭的补助, 公用经费 302 商品和服务支出 and 310 资本性支出 —
// cell by cell: a class row with an amount on the other side (30399 under
// 公用经费, as some of 浙江's, 重庆's and 山东's tables print) is told, as
// info: the template's definition, not arithmetic, which the row sums check.
func (lg *ledger) economicSplit() {
	side := map[string]string{"301": "personnel", "303": "personnel", "302": "public_expense", "310": "public_expense"}
	zh := map[string]string{"personnel": "人员经费", "public_expense": "公用经费"}
	var found []Line
	for _, l := range lg.res.Lines {
		if l.TableKey != KeyBasicByEconomic && l.TableKey != KeyAppropriationBasic || l.AmountYuan.IsZero() {
			continue
		}
		cls := l.ItemCode
		if len(cls) > 3 {
			cls = cls[:3]
		}
		own, ok := side[cls]
		if !ok || zh[l.Measure] == "" || l.Measure == own {
			continue
		}
		found = append(found, l)
	}
	for _, l := range found {
		cls, own := l.ItemCode[:3], side[l.ItemCode[:3]]
		// A class whose items say which is told by its items.
		if len(l.ItemCode) == 3 && slices.ContainsFunc(found, func(o Line) bool {
			return o.TableKey == l.TableKey && len(o.ItemCode) > 3 && o.ItemCode[:3] == cls && o.Measure == l.Measure
		}) {
			continue
		}
		lg.out = append(lg.out, Finding{CheckID: "sum.economic_split", Severity: "info", TableKey: l.TableKey,
			Message: fmt.Sprintf("%s %s %s prints %s under %s; the template counts class %s as %s",
				l.TableKey, l.ItemCode, l.ItemName, l.AmountYuan.StringFixed(2), zh[l.Measure], cls, zh[own]),
			Expected: "0.00", Actual: l.AmountYuan.StringFixed(2), Page: l.Page, Line: l.Line})
	}
}

// crossTable: the same figure printed in two tables agrees.
func (lg *ledger) crossTable() {
	type ref struct{ table, side, name, measure string }
	pairs := []struct {
		id   string
		a, b ref
	}{
		{"cross.expenditure_total", ref{KeyExpenditure, "", "合计", "total"}, ref{KeySummary, "expenditure", "本年支出合计", "total"}},
		{"cross.income_total", ref{KeyIncome, "", "合计", "total"}, ref{KeySummary, "income", "本年收入合计", "total"}},
		{"cross.basic_total", ref{KeyGeneralBudget, "", "合计", "basic"}, ref{KeyBasicByEconomic, "", "合计", "total"}},
		{"cross.general_budget", ref{KeyGeneralBudget, "", "合计", "total"}, ref{KeySummary, "income", "一般公共预算", "total"}},
	}
	for _, p := range pairs {
		a, ok1 := lg.get(p.a.table, p.a.side, p.a.name, p.a.measure)
		b, ok2 := lg.get(p.b.table, p.b.side, p.b.name, p.b.measure)
		if !ok1 || !ok2 {
			continue
		}
		what, av := p.a.measure, a.AmountYuan
		if p.id == "cross.income_total" {
			// A 收入总表 that prints 上年结转 beside 本年收入 may total both in
			// its 合计 (北京, 珠海, 国家信访局) or the year alone (the national
			// template: 本年收入 › 合计 | 上年结转): the year's income is 合计,
			// or 合计 less the carry-over when that is what agrees.
			if c, ok := lg.get(p.a.table, p.a.side, p.a.name, "carryover"); ok && !c.AmountYuan.IsZero() {
				if less := av.Sub(c.AmountYuan); less.Sub(b.AmountYuan).Abs().LessThan(av.Sub(b.AmountYuan).Abs()) {
					what, av = "total − carryover", less
				}
			}
		}
		lg.compare(p.id, p.b.table, fmt.Sprintf("%s %s %s ≠ %s %s %s", p.a.table, p.a.name, what, p.b.table, p.b.name, p.b.measure),
			av, b.AmountYuan, 1, b)
	}
}
