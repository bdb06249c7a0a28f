package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"golang.org/x/text/width"

	"github.com/gongkai/gongkai/extract"
	"github.com/gongkai/gongkai/transform"
)

type evalOptions struct{ reuse, keep, dump bool }

// key is what identifies a budget_lines cell.
type key struct{ table, side, code, name, measure string }

func keyOf(l transform.Line) key {
	return key{l.TableKey, l.Side, l.ItemCode, l.ItemName, l.Measure}
}

// rowKey is a cell's row: its key without the measure.
type rowKey struct{ table, side, code, name string }

func rowOf(l transform.Line) rowKey { return rowKey{l.TableKey, l.Side, l.ItemCode, l.ItemName} }

// A wrong cell: the key was read, the value differs.
type wrongCell struct {
	t, o   int // indexes into truth.Lines, ocr.Lines
	cause  string
	caught []string // new sum.* error findings in the table
}

// A missing cell (t >= 0, o < 0), an extra cell (t < 0, o >= 0), or a cell
// whose key was misread (both: the truth's cell and the OCR cell it most
// likely is).
type oddCell struct {
	t, o   int
	cause  string
	caught []string
}

type correction struct {
	c     transform.Correction
	line  int    // index into ocr.Lines; -1 when not found
	state string // right, wrong, unknown
	truth string
}

type scanResult struct {
	src, scan string
	seed      uint64
	pages     int
	truth     *transform.Result
	ocr       *transform.Result
	err       error

	scanTime, ocrTime, parseTime time.Duration
	idOK                         bool

	total, exact   int
	exactNoName    int // exact with the key less item_name, as transform/ocr_test.go's amountScore counts
	wrong          []wrongCell
	missing, extra []oddCell
	keyMisread     []oddCell // a missing cell paired with the extra cell it was read as
	corrections    []correction
	perTable       map[string][2]int // table → exact, total
	otherErrors    map[string][]string
	newFindings    []transform.Finding // OCR findings the truth does not have
	ocrCached      bool                // the OCR text came from the -reuse cache
}

// evaluate reads the scan with OCR and compares it with the truth.
// ocrCache is what -keep stores beside a scan (SCAN.ocr.json) and -reuse
// reads back instead of running OCR again.
type ocrCache struct {
	Seconds float64
	Doc     *extract.Document
}

// evaluate reads the scan with OCR (or its cache) and compares it with the truth.
func evaluate(ctx context.Context, o *extract.OCR, src, scan string, seed uint64, truth *transform.Result, tpages int, opt evalOptions) *scanResult {
	r := &scanResult{src: src, scan: scan, seed: seed, truth: truth, pages: tpages, perTable: map[string][2]int{}}
	for _, l := range truth.Lines {
		c := r.perTable[l.TableKey]
		c[1]++
		r.perTable[l.TableKey] = c
	}
	r.total = len(truth.Lines)
	cachePath := strings.TrimSuffix(scan, ".pdf") + ".ocr.json"
	var doc *extract.Document
	if opt.reuse {
		if cb, err := os.ReadFile(cachePath); err == nil {
			var c ocrCache
			if err := json.Unmarshal(cb, &c); err == nil && c.Doc != nil {
				doc, r.ocrCached = c.Doc, true
				r.ocrTime = time.Duration(c.Seconds * float64(time.Second))
			}
		}
	}
	if doc == nil {
		b, err := os.ReadFile(scan)
		if err != nil {
			r.err = err
			return r
		}
		t0 := time.Now()
		doc, err = extract.ReadScanned(ctx, scan, b, o)
		r.ocrTime = time.Since(t0)
		if err != nil {
			r.err = err
			return r
		}
		if opt.keep {
			if cb, err := json.Marshal(ocrCache{r.ocrTime.Seconds(), doc}); err == nil {
				if err := os.WriteFile(cachePath, cb, 0o644); err != nil {
					fmt.Fprintln(os.Stderr, "scaneval:", err)
				}
			}
		}
	}
	r.pages = doc.Pages
	if opt.dump {
		if err := dumpDoc(strings.TrimSuffix(scan, ".pdf")+".ocr.txt", doc); err != nil {
			fmt.Fprintln(os.Stderr, "scaneval:", err)
		}
	}
	t1 := time.Now()
	res, err := transform.Parse(doc)
	r.parseTime = time.Since(t1)
	if err != nil {
		r.err = err
		for i := range truth.Lines {
			r.missing = append(r.missing, oddCell{t: i, o: -1, cause: "document rejected: " + err.Error()})
		}
		return r
	}
	r.ocr = res
	r.compare()
	return r
}

func (r *scanResult) compare() {
	T, O := r.truth.Lines, r.ocr.Lines
	id, tid := r.ocr.Identity, r.truth.Identity
	r.idOK = id.DepartmentName == tid.DepartmentName && id.FiscalYear == tid.FiscalYear && id.Stage == tid.Stage

	byKey := map[key][]int{}
	for i, l := range O {
		byKey[keyOf(l)] = append(byKey[keyOf(l)], i)
	}
	usedO := make([]bool, len(O))
	matchedT := make([]bool, len(T))
	// 1. exact: same key, same amount (multisets)
	for i, t := range T {
		for _, j := range byKey[keyOf(t)] {
			if !usedO[j] && O[j].AmountYuan.Equal(t.AmountYuan) {
				usedO[j], matchedT[i] = true, true
				r.exact++
				c := r.perTable[t.TableKey]
				c[0]++
				r.perTable[t.TableKey] = c
				break
			}
		}
	}
	// the amountScore view: key without item_name, amount included
	noName := map[string]int{}
	for _, l := range O {
		noName[strings.Join([]string{l.TableKey, l.Side, l.ItemCode, l.Measure, l.AmountYuan.StringFixed(2)}, "|")]++
	}
	for _, t := range T {
		k := strings.Join([]string{t.TableKey, t.Side, t.ItemCode, t.Measure, t.AmountYuan.StringFixed(2)}, "|")
		if noName[k] > 0 {
			noName[k]--
			r.exactNoName++
		}
	}
	// 2. wrong: same key, another amount; paired in reading order
	// (a cell on the same page first: scan page N is source page N)
	for pass := 0; pass < 2; pass++ {
		for i, t := range T {
			if matchedT[i] {
				continue
			}
			for _, j := range byKey[keyOf(t)] {
				if !usedO[j] && (pass == 1 || O[j].Page == t.Page) {
					usedO[j], matchedT[i] = true, true
					r.wrong = append(r.wrong, wrongCell{t: i, o: j})
					break
				}
			}
		}
	}
	// 3. key misread: a missing cell and an extra cell on the same page, of
	// the same table, side and measure, that share the amount and the code
	// or the name, or (next) the code or the name alone.
	pairs := []func(t, o transform.Line) (string, bool){
		func(t, o transform.Line) (string, bool) {
			if !t.AmountYuan.Equal(o.AmountYuan) {
				return "", false
			}
			switch {
			case t.ItemCode == o.ItemCode && fold(t.ItemName) == fold(o.ItemName):
				return fmt.Sprintf("name differs only in full/half-width form: %q (amount right)", o.ItemName), true
			case t.ItemCode == o.ItemCode:
				return fmt.Sprintf("name misread as %q (amount right)", o.ItemName), true
			case t.ItemName == o.ItemName:
				return fmt.Sprintf("code misread as %q (amount right)", o.ItemCode), true
			}
			return "", false
		},
		func(t, o transform.Line) (string, bool) {
			switch {
			case t.ItemCode != "" && t.ItemCode == o.ItemCode:
				return fmt.Sprintf("name misread as %q and amount %s (raw %q)", o.ItemName, o.AmountYuan.StringFixed(2), o.Raw), true
			case t.ItemName == o.ItemName:
				return fmt.Sprintf("code misread as %q and amount %s (raw %q)", o.ItemCode, o.AmountYuan.StringFixed(2), o.Raw), true
			}
			return "", false
		},
	}
	for _, pf := range pairs {
		for i, t := range T {
			if matchedT[i] {
				continue
			}
			for j, o := range O {
				if usedO[j] || o.Page != t.Page || o.TableKey != t.TableKey || o.Side != t.Side || o.Measure != t.Measure {
					continue
				}
				if cause, ok := pf(t, o); ok {
					usedO[j], matchedT[i] = true, true
					r.keyMisread = append(r.keyMisread, oddCell{t: i, o: j, cause: cause})
					break
				}
			}
		}
	}
	// 4. what is left: missing truth cells, extra OCR cells
	ocrRows := map[rowKey][]int{}
	ocrTables := map[string]bool{}
	for j, o := range O {
		ocrRows[rowOf(o)] = append(ocrRows[rowOf(o)], j)
		ocrTables[o.TableKey] = true
	}
	truthRows := map[rowKey][]int{}
	for i, t := range T {
		truthRows[rowOf(t)] = append(truthRows[rowOf(t)], i)
	}
	ocrTableStatus := map[string]string{}
	for _, st := range r.ocr.Tables {
		ocrTableStatus[st.TableKey] = st.Status
	}
	for i, t := range T {
		if matchedT[i] {
			continue
		}
		var cause string
		switch {
		case !ocrTables[t.TableKey] && ocrTableStatus[t.TableKey] == "":
			cause = "table not found"
		case !ocrTables[t.TableKey]:
			cause = fmt.Sprintf("table found (%s) but no amount read in it", ocrTableStatus[t.TableKey])
		case len(ocrRows[rowOf(t)]) == 0:
			cause = "row not found (no OCR cell with this table, side, code and name)"
		default:
			cause = "cell not read (row found, this measure missing)"
			for _, j := range ocrRows[rowOf(t)] {
				if O[j].AmountYuan.Equal(t.AmountYuan) && O[j].Measure != t.Measure {
					cause = fmt.Sprintf("amount read under measure %s (header/column misassigned)", O[j].Measure)
					break
				}
			}
		}
		r.missing = append(r.missing, oddCell{t: i, o: -1, cause: cause})
	}
	for j, o := range O {
		if usedO[j] {
			continue
		}
		cause := "row not in the truth"
		if ts := truthRows[rowOf(o)]; len(ts) > 0 {
			cause = "measure not in the truth's row (header/column misassigned?)"
			if len(byKey[keyOf(o)]) > 1 {
				cause = "cell read more than once"
			}
		}
		r.extra = append(r.extra, oddCell{t: -1, o: j, cause: cause})
	}

	// causes of wrong cells
	truthByRow := map[rowKey]map[string]decimal.Decimal{}
	for _, t := range T {
		if truthByRow[rowOf(t)] == nil {
			truthByRow[rowOf(t)] = map[string]decimal.Decimal{}
		}
		truthByRow[rowOf(t)][t.Measure] = t.AmountYuan
	}
	for k := range r.wrong {
		w := &r.wrong[k]
		w.cause = wrongCause(T[w.t], O[w.o], truthByRow[rowOf(T[w.t])], T)
	}

	// corrections
	status := make([]string, len(O)) // exact, wrong, extra, key
	for j := range O {
		status[j] = "exact"
	}
	truthOf := map[int]string{}
	for _, w := range r.wrong {
		status[w.o] = "wrong"
		truthOf[w.o] = T[w.t].AmountYuan.StringFixed(2)
	}
	for _, e := range r.extra {
		status[e.o] = "extra"
	}
	for _, m := range r.keyMisread {
		status[m.o] = "key misread"
		truthOf[m.o] = T[m.t].AmountYuan.StringFixed(2)
	}
	corrected := map[int]string{}
	for _, c := range r.ocr.Corrections {
		if !strings.HasPrefix(c.Rule, "ocr.") {
			continue
		}
		cr := correction{c: c, line: -1, state: "unknown"}
		for j, o := range O {
			if o.Page != c.Page || o.Line != c.Line {
				continue
			}
			if c.Rule == "ocr.inferred" && o.Raw == "" && o.AmountYuan.StringFixed(2) == c.Normalized ||
				c.Rule != "ocr.inferred" && o.Raw == c.Normalized {
				cr.line = j
				break
			}
		}
		if cr.line >= 0 {
			corrected[cr.line] = c.Rule
			switch status[cr.line] {
			case "exact":
				cr.state = "right"
			default:
				cr.state = "wrong (" + status[cr.line] + ")"
				cr.truth = truthOf[cr.line]
			}
		}
		r.corrections = append(r.corrections, cr)
	}
	for k := range r.wrong {
		if rule, ok := corrected[r.wrong[k].o]; ok {
			r.wrong[k].cause = "after " + rule + ": " + r.wrong[k].cause
		}
	}

	// caught: a sum.* error finding in the table that the truth does not have
	type fk struct{ id, table, exp, act string }
	truthF := map[fk]int{}
	for _, f := range r.truth.Findings {
		truthF[fk{f.CheckID, f.TableKey, f.Expected, f.Actual}]++
	}
	newSum := map[string][]string{}
	r.otherErrors = map[string][]string{}
	for _, f := range r.ocr.Findings {
		k := fk{f.CheckID, f.TableKey, f.Expected, f.Actual}
		if truthF[k] > 0 {
			truthF[k]--
			continue
		}
		r.newFindings = append(r.newFindings, f)
		if f.Severity != "error" {
			continue
		}
		if strings.HasPrefix(f.CheckID, "sum.") {
			if !slices.Contains(newSum[f.TableKey], f.CheckID) {
				newSum[f.TableKey] = append(newSum[f.TableKey], f.CheckID)
			}
		} else if !slices.Contains(r.otherErrors[f.TableKey], f.CheckID) {
			r.otherErrors[f.TableKey] = append(r.otherErrors[f.TableKey], f.CheckID)
		}
	}
	// a missing amount that OCR read but could not parse: a new
	// cell.not_amount finding on the same page with the same digits
	usedNA := map[int]bool{}
	for k := range r.missing {
		m := &r.missing[k]
		t := T[m.t]
		td := digits(t.Raw)
		for fi, f := range r.newFindings {
			if f.CheckID != "cell.not_amount" || f.Page != t.Page || usedNA[fi] || td == "" || digits(f.Actual) != td {
				continue
			}
			usedNA[fi] = true
			m.cause = fmt.Sprintf("read as %q, not parsed as an amount (cell.not_amount, %s l%d); %s", f.Actual, f.TableKey, f.Line, m.cause)
			break
		}
	}
	for k := range r.missing {
		m := &r.missing[k]
		if !strings.Contains(m.cause, "table not found") && !strings.Contains(m.cause, "table found (") {
			continue
		}
		for _, f := range r.newFindings {
			if f.TableKey == T[m.t].TableKey && (f.CheckID == "table.duplicate" || f.CheckID == "table.missing") {
				m.cause += "; " + f.CheckID + ": " + f.Message
				break
			}
		}
	}
	for k := range r.wrong {
		r.wrong[k].caught = newSum[T[r.wrong[k].t].TableKey]
	}
	for k := range r.extra {
		r.extra[k].caught = newSum[O[r.extra[k].o].TableKey]
	}
	for k := range r.keyMisread {
		m := &r.keyMisread[k]
		if !O[m.o].AmountYuan.Equal(T[m.t].AmountYuan) {
			m.caught = newSum[O[m.o].TableKey]
		}
	}
}

// fold maps full-width forms to half-width ones (（ → (, ０ → 0 …).
func fold(s string) string { return width.Fold.String(s) }

// digits keeps the decimal digits of s.
func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// wrongCause guesses why OCR read amount o where the text layer has t.
func wrongCause(t, o transform.Line, row map[string]decimal.Decimal, all []transform.Line) string {
	if o.Page != t.Page {
		return fmt.Sprintf("read on page %d, the truth's cell is on page %d: a region/table boundary misplaced", o.Page, t.Page)
	}
	hundred, tenThousand := decimal.NewFromInt(100), decimal.NewFromInt(10000)
	switch {
	case !t.AmountYuan.IsZero() && o.AmountYuan.Equal(t.AmountYuan.Neg()):
		return "sign: a mark read as a minus"
	case !t.AmountYuan.IsZero() && t.AmountYuan.Equal(o.AmountYuan.Mul(tenThousand)):
		return "unit misread (万元 taken as 元: 10000× too small)"
	case !t.AmountYuan.IsZero() && o.AmountYuan.Equal(t.AmountYuan.Mul(tenThousand)):
		return "unit misread (元 taken as 万元: 10000× too large)"
	case o.AmountYuan.Equal(t.AmountYuan.Mul(hundred)):
		return "lost decimal point (100× too large)"
	case t.AmountYuan.Equal(o.AmountYuan.Mul(hundred)):
		return "extra decimal point (100× too small)"
	}
	td, od := digits(t.Raw), digits(o.Raw)
	if td == od && td != "" {
		return "decimal point or separator misread (same digits)"
	}
	for m, v := range row {
		if m != t.Measure && v.Equal(o.AmountYuan) {
			return fmt.Sprintf("column shift (the truth's %s of this row)", m)
		}
	}
	// a neighbouring row's amount in the same column
	for _, l := range all {
		if l.TableKey == t.TableKey && l.Side == t.Side && l.Measure == t.Measure && l.Page == t.Page &&
			(l.Line == t.Line-1 || l.Line == t.Line+1 || l.Line == t.Line-2 || l.Line == t.Line+2) && l.AmountYuan.Equal(o.AmountYuan) && !l.AmountYuan.Equal(t.AmountYuan) {
			return fmt.Sprintf("row shift (the truth's %s %s)", l.ItemCode, l.ItemName)
		}
	}
	if len(td) == len(od) && td != "" {
		var subs []string
		for i := range td {
			if td[i] != od[i] {
				subs = append(subs, fmt.Sprintf("%c→%c", td[i], od[i]))
			}
		}
		return fmt.Sprintf("digit misread (%s)", strings.Join(subs, ", "))
	}
	if len(od) == len(td)-1 {
		for i := range td {
			if td[:i]+td[i+1:] == od {
				return fmt.Sprintf("digit dropped (%c at position %d)", td[i], i+1)
			}
		}
	}
	if len(od) == len(td)+1 {
		for i := range od {
			if od[:i]+od[i+1:] == td {
				return fmt.Sprintf("digit added (%c at position %d)", od[i], i+1)
			}
		}
	}
	return "other (amount unrelated to the truth's)"
}

func caughtText(c []string) string {
	if len(c) == 0 {
		return "NOT CAUGHT"
	}
	return "caught: " + strings.Join(c, ",")
}

func cellText(l transform.Line) string {
	code := l.ItemCode
	if code == "" {
		code = "-"
	}
	side := l.Side
	if side == "" {
		side = "-"
	}
	return fmt.Sprintf("%s %s %s %s %s", l.TableKey, side, code, l.ItemName, l.Measure)
}

func (r *scanResult) label() string {
	return fmt.Sprintf("%s seed %d", filepath.Base(r.src), r.seed)
}

func (r *scanResult) secPerPage() float64 {
	if r.pages == 0 {
		return 0
	}
	return r.ocrTime.Seconds() / float64(r.pages)
}

func (r *scanResult) notCaught() int {
	n := 0
	for _, w := range r.wrong {
		if len(w.caught) == 0 {
			n++
		}
	}
	return n
}

func (r *scanResult) correctionCounts() (right, total int) {
	for _, c := range r.corrections {
		total++
		if c.state == "right" {
			right++
		}
	}
	return right, total
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

func (r *scanResult) print() {
	fmt.Printf("== %s → %s (%d pages)\n", r.label(), filepath.Base(r.scan), r.pages)
	if r.err != nil {
		fmt.Printf("FAILED: %v\n", r.err)
		fmt.Printf("truth cells %d, exact 0 (0.0%%), all %d missing; OCR %.1f s = %.2f s/page\n\n", r.total, len(r.missing), r.ocrTime.Seconds(), r.secPerPage())
		return
	}
	T, O := r.truth.Lines, r.ocr.Lines
	id, tid := r.ocr.Identity, r.truth.Identity
	mark := "MATCH"
	if !r.idOK {
		mark = "MISMATCH"
	}
	fmt.Printf("identity: %s: OCR %s %d %s; truth %s %d %s\n", mark, id.DepartmentName, id.FiscalYear, id.Stage,
		tid.DepartmentName, tid.FiscalYear, tid.Stage)
	fmt.Printf("cells: truth %d, exact %d (%.1f%%), wrong %d, missing %d, key misread %d, extra %d; OCR read %d cells\n",
		r.total, r.exact, pct(r.exact, r.total), len(r.wrong), len(r.missing), len(r.keyMisread), len(r.extra), len(O))
	tables := make([]string, 0, len(r.perTable))
	for t := range r.perTable {
		tables = append(tables, t)
	}
	sort.Strings(tables)
	var tb []string
	for _, t := range tables {
		c := r.perTable[t]
		tb = append(tb, fmt.Sprintf("%s %d/%d", t, c[0], c[1]))
	}
	fmt.Printf("per table: %s\n", strings.Join(tb, ", "))
	fmt.Printf("exact ignoring item_name (transform/ocr_test.go's amountScore): %d (%.1f%%)\n", r.exactNoName, pct(r.exactNoName, r.total))
	r.printTables()
	right, total := r.correctionCounts()
	fmt.Printf("OCR corrections: %d, right %d\n", total, right)
	fmt.Printf("wrong and not caught by a sum.* error in the same table: %d of %d wrong\n", r.notCaught(), len(r.wrong))
	cached := ""
	if r.ocrCached {
		cached = " (OCR text from the -reuse cache; the time is the cached run's)"
	}
	fmt.Printf("time: OCR %.1f s = %.2f s/page%s; parse %.2f s; scan made in %.1f s\n",
		r.ocrTime.Seconds(), r.secPerPage(), cached, r.parseTime.Seconds(), r.scanTime.Seconds())
	if len(r.wrong) > 0 {
		fmt.Println("WRONG (key read, amount differs):")
		for _, w := range r.wrong {
			t, o := T[w.t], O[w.o]
			fmt.Printf("  p%d l%d %s: truth %s (raw %q) OCR %s (raw %q) [%s] %s\n", o.Page, o.Line, cellText(t),
				t.AmountYuan.StringFixed(2), t.Raw, o.AmountYuan.StringFixed(2), o.Raw, w.cause, caughtText(w.caught))
		}
	}
	if len(r.missing) > 0 {
		fmt.Println("MISSING (truth cell not read):")
		for _, m := range r.missing {
			t := T[m.t]
			fmt.Printf("  truth p%d l%d %s: %s (raw %q) [%s]\n", t.Page, t.Line, cellText(t), t.AmountYuan.StringFixed(2), t.Raw, m.cause)
		}
	}
	if len(r.keyMisread) > 0 {
		fmt.Println("KEY MISREAD (truth cell read under another code or name):")
		for _, m := range r.keyMisread {
			t, o := T[m.t], O[m.o]
			c := ""
			if !o.AmountYuan.Equal(t.AmountYuan) {
				c = " " + caughtText(m.caught)
			}
			fmt.Printf("  p%d l%d %s: truth %s (raw %q) OCR %q %q %s (raw %q) [%s]%s\n", o.Page, o.Line, cellText(t),
				t.AmountYuan.StringFixed(2), t.Raw, o.ItemCode, o.ItemName, o.AmountYuan.StringFixed(2), o.Raw, m.cause, c)
		}
	}
	if len(r.extra) > 0 {
		fmt.Println("EXTRA (OCR cell not in the truth):")
		for _, e := range r.extra {
			o := O[e.o]
			fmt.Printf("  p%d l%d %s: %s (raw %q) [%s] %s\n", o.Page, o.Line, cellText(o), o.AmountYuan.StringFixed(2), o.Raw, e.cause, caughtText(e.caught))
		}
	}
	if len(r.corrections) > 0 {
		fmt.Println("OCR CORRECTIONS:")
		for _, c := range r.corrections {
			what := ""
			if c.line >= 0 {
				what = cellText(O[c.line])
			}
			t := ""
			if c.truth != "" {
				t = " truth " + c.truth
			}
			fmt.Printf("  p%d l%d %s %s: %q → %q: %s%s (%s)\n", c.c.Page, c.c.Line, c.c.Rule, what, c.c.Raw, c.c.Normalized, strings.ToUpper(c.state), t, c.c.Evidence)
		}
	}
	r.printFindings()
	var other []string
	for t, ids := range r.otherErrors {
		other = append(other, t+": "+strings.Join(ids, ","))
	}
	sort.Strings(other)
	if len(other) > 0 {
		fmt.Printf("other new error findings (not sum.*): %s\n", strings.Join(other, "; "))
	}
	fmt.Println()
}

func printTotal(all []*scanResult, skipped []string) {
	var nn, total, exact, wrong, missing, key, extra, nc, cr, ct, pages, idok int
	var ocr time.Duration
	for _, r := range all {
		total += r.total
		exact += r.exact
		nn += r.exactNoName
		wrong += len(r.wrong)
		missing += len(r.missing)
		key += len(r.keyMisread)
		extra += len(r.extra)
		nc += r.notCaught()
		a, b := r.correctionCounts()
		cr += a
		ct += b
		pages += r.pages
		ocr += r.ocrTime
		if r.idOK && r.err == nil {
			idok++
		}
	}
	spp := 0.0
	if pages > 0 {
		spp = ocr.Seconds() / float64(pages)
	}
	fmt.Printf("TOTAL: %d scans, identity right %d/%d; cells exact %d/%d (%.1f%%; ignoring item_name %d, %.1f%%); wrong %d (not caught %d), missing %d, key misread %d, extra %d; OCR corrections right %d/%d; OCR %.0f s for %d pages = %.2f s/page\n",
		len(all), idok, len(all), exact, total, pct(exact, total), nn, pct(nn, total), wrong, nc, missing, key, extra, cr, ct, ocr.Seconds(), pages, spp)
	for _, s := range skipped {
		fmt.Printf("skipped: %s\n", s)
	}
	fmt.Println()
	fmt.Println("| scan | pages | identity | cells exact / total | % | % ignoring item_name | wrong | missing | key misread | extra | wrong not caught | corrections right / total | OCR s/page |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
	for _, r := range all {
		idt := "right"
		switch {
		case errors.Is(r.err, transform.ErrNotDisclosure):
			idt = "rejected (no identity)"
		case r.err != nil:
			idt = "failed"
		case !r.idOK:
			idt = "WRONG"
		}
		a, b := r.correctionCounts()
		fmt.Printf("| %s | %d | %s | %d / %d | %.1f | %.1f | %d | %d | %d | %d | %d | %d / %d | %.2f |\n", r.label(), r.pages, idt,
			r.exact, r.total, pct(r.exact, r.total), pct(r.exactNoName, r.total), len(r.wrong), len(r.missing), len(r.keyMisread), len(r.extra), r.notCaught(), a, b, r.secPerPage())
	}
	fmt.Printf("| **total** | %d | %d/%d | %d / %d | %.1f | %.1f | %d | %d | %d | %d | %d | %d / %d | %.2f |\n", pages, idok, len(all),
		exact, total, pct(exact, total), pct(nn, total), wrong, missing, key, extra, nc, cr, ct, spp)
}

// printTables lists the standard tables whose region OCR found elsewhere, or
// with another status, than the text layer did.
func (r *scanResult) printTables() {
	type tinfo struct {
		page, line, rows int
		status           string
		n                int
	}
	tt, ot := map[string]tinfo{}, map[string]tinfo{}
	var keys []string
	for _, t := range r.truth.Tables {
		if _, ok := tt[t.TableKey]; !ok {
			keys = append(keys, t.TableKey)
		}
		i := tt[t.TableKey]
		tt[t.TableKey] = tinfo{t.Page, t.Line, t.RowCount, t.Status, i.n + 1}
	}
	for _, t := range r.ocr.Tables {
		if _, ok := tt[t.TableKey]; !ok {
			if _, ok := ot[t.TableKey]; !ok {
				keys = append(keys, t.TableKey)
			}
		}
		i := ot[t.TableKey]
		ot[t.TableKey] = tinfo{t.Page, t.Line, t.RowCount, t.Status, i.n + 1}
	}
	show := func(i tinfo, ok bool) string {
		if !ok {
			return "none"
		}
		return fmt.Sprintf("p%d l%d %s %d rows", i.page, i.line, i.status, i.rows)
	}
	var diffs []string
	for _, k := range keys {
		a, okA := tt[k]
		b, okB := ot[k]
		if okA != okB || a.page != b.page || a.status != b.status || a.rows != b.rows {
			diffs = append(diffs, fmt.Sprintf("%s: truth %s, OCR %s", k, show(a, okA), show(b, okB)))
		}
	}
	if len(diffs) > 0 {
		fmt.Printf("tables found differently: %s\n", strings.Join(diffs, "; "))
	}
}

// printFindings lists the OCR result's new table-level findings in full and
// counts the other new findings by check.
func (r *scanResult) printFindings() {
	count := map[string]int{}
	var ids, tables []string
	for _, f := range r.newFindings {
		if strings.HasPrefix(f.CheckID, "table.") || strings.HasPrefix(f.CheckID, "page.") {
			tables = append(tables, fmt.Sprintf("  %s %s p%d l%d: %s", f.CheckID, f.TableKey, f.Page, f.Line, f.Message))
			continue
		}
		if count[f.CheckID] == 0 {
			ids = append(ids, f.CheckID)
		}
		count[f.CheckID]++
	}
	if len(tables) > 0 {
		fmt.Println("NEW TABLE FINDINGS (not in the truth):")
		fmt.Println(strings.Join(tables, "\n"))
	}
	sort.Strings(ids)
	var parts []string
	for _, id := range ids {
		parts = append(parts, fmt.Sprintf("%s %d", id, count[id]))
	}
	if len(parts) > 0 {
		fmt.Printf("other new findings (not in the truth): %s\n", strings.Join(parts, ", "))
	}
}
