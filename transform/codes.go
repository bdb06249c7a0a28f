package transform

import (
	"slices"
	"strings"
)

// Implied codes. Some tables list their items by name alone — a 收支总表
// whose expenditure side prints 类, 款 and 项 names one under the other, a
// 一般公共预算支出表 without a code column — while another table of the same
// document prints the same items with their codes. An uncoded row takes the
// code its name has in the document's coded tables: the k-th row of a name
// takes the k-th code printed with that name (其他科学技术支出 is both 20699
// and 2069999), in the code family of its table (功能分类 codes start with 2,
// 经济分类 codes with 3 or 5). The name was printed; the code is implied, as
// a 类 name's code from the dictionary is (docs/warehouse.md: Codes).

// economicTables list their rows by 经济分类; the others by 功能分类.
var economicTables = map[string]bool{
	KeyBasicByEconomic: true, KeyGeneralBudgetByEconomic: true, KeyProjectByEconomic: true,
	KeyBasicExpenditure: true, KeyAppropriationBasic: true, KeyOperatingExpense: true,
}

// codeFamily is the first digit of the codes a table's rows carry.
func codeFamily(table, side string) string {
	switch {
	case side == "income", strings.HasPrefix(table, "project_") && table != KeyProjectByEconomic,
		table == KeyThreePublic, table == KeyProcurement, table == KeyServicePurchase:
		return ""
	case economicTables[table]:
		return "3"
	}
	return "2"
}

// impliedCodes gives uncoded rows the code their name has in the
// document's coded tables.
func impliedCodes(res *Result) {
	// name → its codes in the order the coded tables print them, per
	// family, from the table that prints the name most often.
	byTable := map[string]map[string][]string{} // table → name → codes
	type rowKey struct {
		table, side, code string
		line              int
	}
	seenRow := map[rowKey]bool{}
	for _, l := range res.Lines {
		if l.ItemCode == "" || l.ItemName == "" || len(l.ItemCode) < 3 || l.dictCode {
			continue // only codes the document prints
		}
		k := rowKey{l.TableKey, l.Side, l.ItemCode, l.Line}
		if seenRow[k] {
			continue
		}
		seenRow[k] = true
		if byTable[l.TableKey] == nil {
			byTable[l.TableKey] = map[string][]string{}
		}
		byTable[l.TableKey][l.ItemName] = append(byTable[l.TableKey][l.ItemName], l.ItemCode)
	}
	if len(byTable) == 0 {
		return
	}
	codesOf := func(family, name string) []string {
		var best []string
		for _, names := range byTable {
			cs := names[name]
			if len(cs) == 0 || cs[0][:1] != family && !(family == "3" && cs[0][:1] == "5") {
				continue
			}
			if len(cs) > len(best) || len(cs) == len(best) && strings.Join(cs, ",") < strings.Join(best, ",") {
				best = cs // the fullest list; of equals, one chosen the same way every run
			}
		}
		return best
	}
	// Uncoded rows, per table and side, in order; the k-th row of a name
	// takes the name's k-th code.
	type group struct{ table, side string }
	nth := map[group]map[string]int{}
	lineCode := map[group]map[int]string{} // a row's code, once given, for its other cells
	for i := range res.Lines {
		l := &res.Lines[i]
		if l.ItemName == "" || l.across || l.role != "" {
			continue
		}
		fam := codeFamily(l.TableKey, l.Side)
		if fam == "" {
			continue
		}
		g := group{l.TableKey, l.Side}
		if lineCode[g] == nil {
			lineCode[g], nth[g] = map[int]string{}, map[string]int{}
		}
		if l.dictCode {
			// A 类 or 经济分类 code from the dictionary, by name alone: the
			// document's coded tables decide when they print the name at
			// that level too (其他支出 under 229 is 22999, then 2299999); a
			// document that prints the name only as a 项 (2299999) says
			// nothing of the 类 row.
			if cs := codesOf(fam, l.ItemName); slices.ContainsFunc(cs, func(c string) bool { return len(c) == len(l.ItemCode) }) {
				l.ItemCode, l.dictCode = "", false
			}
		}
		if l.ItemCode != "" {
			// A row coded already (printed, or a 类 by the dictionary) is
			// one of its name's rows too: the next row of the name takes the
			// code after its.
			if _, done := lineCode[g][l.Line]; !done {
				lineCode[g][l.Line] = l.ItemCode
				if k := slices.Index(codesOf(fam, l.ItemName), l.ItemCode); k >= 0 {
					nth[g][l.ItemName] = k + 1
				} else {
					nth[g][l.ItemName]++
				}
			}
			continue
		}
		code, done := lineCode[g][l.Line]
		if !done {
			cs := codesOf(fam, l.ItemName)
			k := nth[g][l.ItemName]
			nth[g][l.ItemName]++
			switch {
			case len(cs) == 1:
				code = cs[0] // a name of one code, repeated in blocks (per unit): each time that code
			case k < len(cs):
				code = cs[k]
			}
			lineCode[g][l.Line] = code
		}
		if code != "" {
			l.ItemCode, l.ItemLevel = code, levelOf(code)
		}
	}
}
