package transform

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gongkai/gongkai/extract"
	"github.com/shopspring/decimal"
)

// Arithmetic repair of OCR misreadings. A budget is numbers that must add
// up: when an amount breaks identities its neighbours satisfy, and exactly
// one OCR-plausible change of it (a confusable digit, a lost or moved
// decimal point, a digit lost or added) restores every identity it takes
// part in, it is repaired with a correction naming the identities. An
// ambiguous case stays as read, and the checks report it.

// attachOCR gives each amount line of a scanned document its cell's OCR
// confidence and alternative readings: the word of its source line whose
// text is the cell's, each word used once, in order.
func attachOCR(res *Result, words map[int][]extract.Glyph) {
	used := map[int][]bool{}
	for i := range res.Lines {
		l := &res.Lines[i]
		ws := words[l.Line]
		if used[l.Line] == nil {
			used[l.Line] = make([]bool, len(ws))
		}
		for k, w := range ws {
			if !used[l.Line][k] && w.Text == l.Raw {
				used[l.Line][k] = true
				l.Conf, l.Alt = w.Conf, w.Alt
				break
			}
		}
	}
}

// markSums sets each line's SumCheck from the sums it takes part in.
func markSums(res *Result) {
	for _, id := range identities(res) {
		st := "holds"
		if !identityHolds(res, id) {
			st = "broken"
		}
		for _, i := range append([]int{id.target}, id.parts...) {
			if res.Lines[i].SumCheck != "broken" {
				res.Lines[i].SumCheck = st
			}
		}
	}
}

// ocrVariants are the readings a printed amount could have had: one
// confusable digit, a decimal point lost or moved, a leading digit dropped,
// one digit lost or added anywhere (with a lost point put back).
func ocrVariants(raw string) []string {
	confuse := map[byte]string{'0': "689", '1': "74", '2': "7", '3': "85", '4': "1", '5': "63", '6': "58", '7': "12", '8': "3609", '9': "08"}
	s := strings.NewReplacer(",", "", "，", "", " ", "").Replace(strings.TrimSpace(raw))
	seen := map[string]bool{s: true}
	var out []string
	add := func(v string) {
		if !seen[v] && numberLike(v) {
			seen[v] = true
			out = append(out, v)
		}
	}
	for i := 0; i < len(s); i++ {
		for _, c := range confuse[s[i]] {
			add(s[:i] + string(c) + s[i+1:])
		}
	}
	digits := strings.ReplaceAll(s, ".", "")
	if len(digits) >= 3 {
		add(digits[:len(digits)-2] + "." + digits[len(digits)-2:]) // a lost or moved decimal point
	}
	for d := '1'; d <= '9'; d++ {
		add(string(d) + s)
	}
	// One digit lost anywhere (a faint stroke) or one too many (a speck read
	// as a digit), and, where the point is missing too, with it put back
	// before the last two digits (万元 figures print two decimals).
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] >= '0' && s[i] <= '9' {
			add(s[:i] + s[i+1:])
		}
		for d := '0'; d <= '9'; d++ {
			v := s[:i] + string(d) + s[i:]
			add(v)
			if !strings.Contains(v, ".") && len(v) >= 3 {
				add(v[:len(v)-2] + "." + v[len(v)-2:])
			}
		}
	}
	return out
}

func numberLike(s string) bool {
	_, err := decimal.NewFromString(s)
	return err == nil && s != "" && s[0] != '.' && !(len(s) > 1 && s[0] == '0' && s[1] != '.')
}

// identityHolds reports whether a sum holds, within 0.01 of the table's
// unit per addend (the rounding a document may declare).
func identityHolds(res *Result, id identity) bool {
	sum := decimal.Zero
	for _, p := range id.parts {
		sum = sum.Add(res.Lines[p].AmountYuan)
	}
	tol := centOf(res, res.Lines[id.target].TableKey).Mul(decimal.NewFromInt(int64(len(id.parts))))
	return sum.Sub(res.Lines[id.target].AmountYuan).Abs().LessThanOrEqual(tol)
}

// inferUnread fills a row's total cell that OCR read as nothing (or as no
// number) when two independent sums agree on its value: the row's own
// (its header's column sum, e.g. 合计 = 基本支出 + 项目支出) and at least one
// of its column (类 = Σ款, 合计 = Σ类), every sum it takes part in holding
// with it. The cell gets raw "" and an ocr.inferred correction naming the
// sums.
func inferUnread(res *Result) {
	type rowKey struct {
		table, side string
		line        int
	}
	rows := map[rowKey][]int{}
	var keys []rowKey
	for i, l := range res.Lines {
		if strings.HasPrefix(l.TableKey, "project_") || l.Line == 0 || l.across || l.col < 0 {
			continue
		}
		k := rowKey{l.TableKey, l.Side, l.Line}
		if rows[k] == nil {
			keys = append(keys, k)
		}
		rows[k] = append(rows[k], i)
	}
	for _, k := range keys {
		byCol := map[int]int{}
		for _, i := range rows[k] {
			byCol[res.Lines[i].col] = i
		}
		for _, cs := range res.colSums[k.table] {
			if _, ok := byCol[cs.total]; ok {
				continue
			}
			sum, found := decimal.Zero, 0
			for _, c := range cs.parts {
				if i, ok := byCol[c]; ok {
					sum, found = sum.Add(res.Lines[i].AmountYuan), found+1
				}
			}
			if found == 0 {
				continue
			}
			t := res.Lines[rows[k][0]]
			measure := ""
			for _, l := range res.Lines {
				if l.TableKey == k.table && l.col == cs.total {
					measure = l.Measure
					break
				}
			}
			if measure == "" {
				continue
			}
			res.Lines = append(res.Lines, Line{TableKey: t.TableKey, Side: t.Side, ItemCode: t.ItemCode, ItemName: t.ItemName,
				ItemLevel: t.ItemLevel, Measure: measure, AmountYuan: sum, Page: t.Page, Line: t.Line,
				col: cs.total, outline: t.outline, role: t.role})
			added := len(res.Lines) - 1
			var names []string
			ok := true
			for _, id := range identities(res) {
				if id.target != added && !slices.Contains(id.parts, added) {
					continue
				}
				names = append(names, id.desc)
				if !identityHolds(res, id) {
					ok = false
				}
			}
			if !ok || len(names) < 2 {
				res.Lines = res.Lines[:added]
				continue
			}
			byCol[cs.total] = added
			res.Corrections = append(res.Corrections, Correction{Field: "budget_lines.amount_yuan", Raw: "", Normalized: sum.StringFixed(2),
				Rule: "ocr.inferred", Evidence: "cell not read; " + strings.Join(names, "; ") + " agree on it", Page: t.Page, Line: t.Line})
		}
	}
}

// repairArithmetic fixes OCR misreadings that the sums expose.
func repairArithmetic(res *Result) {
	ids := identities(res)
	if len(ids) == 0 {
		return
	}
	involved := map[int][]int{} // line → identities
	for k, id := range ids {
		involved[id.target] = append(involved[id.target], k)
		for _, p := range id.parts {
			involved[p] = append(involved[p], k)
		}
	}
	holds := func(id identity) bool { return identityHolds(res, id) }
	var ambiguous map[int]bool
	defer func() {
		for i := range ambiguous {
			l := res.Lines[i]
			res.Findings = append(res.Findings, Finding{CheckID: "ocr.ambiguous", Severity: "warning", TableKey: l.TableKey,
				Message:  fmt.Sprintf("amount %q of %q breaks a sum and more than one OCR-plausible reading would restore it; left as read", l.Raw, l.ItemName),
				Expected: "one plausible reading", Actual: l.Raw, Page: l.Page, Line: l.Line})
		}
	}()
	for round := 0; round < 4; round++ {
		broken := map[int]bool{}
		for k, id := range ids {
			if !holds(id) {
				broken[k] = true
			}
		}
		if len(broken) == 0 {
			return
		}
		type fix struct {
			line  int
			raw   string
			value decimal.Decimal
			ids   []int
			read  bool // another reading of the cell, not a variant
		}
		var fixes []fix
		ambiguous = map[int]bool{}
		for i, ks := range involved {
			inBroken := false
			for _, k := range ks {
				if broken[k] {
					inBroken = true
				}
			}
			if !inBroken {
				continue
			}
			l := res.Lines[i]
			orig := l.AmountYuan
			var found []fix
			// The cell's other readings are tried first; the OCR-plausible
			// variants of its text only when none restores its sums.
			candidates := l.Alt
			for pass := 0; pass < 2 && len(found) == 0; pass++ {
				if pass == 1 {
					candidates = ocrVariants(l.Raw)
				}
				for _, v := range candidates {
					val, err := ParseAmount(v, factorOf(res, l.TableKey))
					if err != nil {
						continue
					}
					res.Lines[i].AmountYuan = val
					ok := true
					for _, k := range ks {
						if !holds(ids[k]) {
							ok = false
							break
						}
					}
					res.Lines[i].AmountYuan = orig
					for _, f := range found {
						if f.value.Equal(val) {
							ok = false // the same value by another path
						}
					}
					if ok {
						found = append(found, fix{i, v, val, ks, pass == 0})
					}
				}
			}
			switch len(found) {
			case 0:
			case 1:
				fixes = append(fixes, found[0])
			default:
				ambiguous[i] = true
			}
		}
		// A broken identity that more than one cell could repair is ambiguous.
		claims := map[int]int{}
		for _, f := range fixes {
			for _, k := range f.ids {
				if broken[k] {
					claims[k]++
				}
			}
		}
		applied := 0
		for _, f := range fixes {
			unique := true
			for _, k := range f.ids {
				if broken[k] && claims[k] > 1 {
					unique = false
				}
			}
			if !unique {
				ambiguous[f.line] = true
				continue
			}
			l := &res.Lines[f.line]
			var names []string
			for _, k := range f.ids {
				names = append(names, ids[k].desc)
			}
			how := "an OCR-plausible variant"
			if f.read {
				how = "another OCR reading of the cell"
			}
			res.Corrections = append(res.Corrections, Correction{Field: "budget_lines.amount_yuan", Raw: l.Raw, Normalized: f.raw,
				Rule: "ocr.arithmetic", Evidence: how + "; restores " + strings.Join(names, "; "), Page: l.Page, Line: l.Line})
			l.AmountYuan, l.Raw = f.value, f.raw
			for pi := range res.Projects {
				p := &res.Projects[pi]
				if p.Line == l.Line && strings.HasPrefix(l.TableKey, "project_") {
					switch l.Measure {
					case "total":
						p.AmountYuan = f.value
					case "general_public_budget":
						v := f.value
						p.GeneralPublicBudgetYuan = &v
					}
				}
			}
			applied++
		}
		if applied == 0 {
			return
		}
	}
}
