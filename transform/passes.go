package transform

import (
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/gongkai/gongkai/extract"
)

// Parse reads a document's identity, standard tables, projects, forms and
// facts, and checks its arithmetic: the passes below, in order. It fails
// with ErrNotDisclosure when the document has no standard table or no
// identifiable department and year.
func Parse(doc *extract.Document) (*Result, error) {
	return ParseWith(doc, Options{})
}

// Options change how Parse runs; the zero value is Parse.
type Options struct {
	// DumpAfter names a pass (see Passes) after which the result so far is
	// written to Dump: what a real document that goes wrong looked like at
	// that point (gongkai extract --after PASS).
	DumpAfter string
	Dump      io.Writer
}

// A pass reads the document or the result so far and adds to or changes
// the result. Passes run in the order of the passes table; a pass marked
// ocr runs only on documents read by OCR (their repairs need the OCR
// confidences and alternatives), beside the others rather than as
// branches inside them.
type pass struct {
	name string
	ocr  bool
	run  func(*parse) error
}

// parse is the state the passes share.
type parse struct {
	doc     *extract.Document
	res     *Result
	ocr     bool
	regions []*tableRegion  // segment: the standard tables found
	toc     []string        // segment: the standard tables the 目录 lists, in its order
	loaded  map[string]bool // tables: the table keys read
}

// passes is the order of the parse, in one place.
var passes = []pass{
	{name: "rounding", run: func(p *parse) error {
		for _, l := range p.doc.Lines {
			if roundingNote.MatchString(l.Text) {
				p.res.RoundingNote = true
				break
			}
		}
		return nil
	}},
	{name: "segment", run: func(p *parse) error {
		p.regions = segment(p.doc.Lines, p.ocr)
		p.toc = tocTables(p.doc.Lines)
		return nil
	}},
	{name: "identity", run: func(p *parse) error {
		id, fs, err := identify(p.doc, p.regions, p.toc)
		if err != nil {
			return err
		}
		p.res.Identity = id
		p.res.Findings = append(p.res.Findings, fs...)
		return nil
	}},
	{name: "tables", run: readTables},
	{name: "codes", run: func(p *parse) error { impliedCodes(p.res); return nil }},
	{name: "ocr.confidences", ocr: true, run: func(p *parse) error { attachOCR(p.res, p.doc.Words); return nil }},
	{name: "ocr.names", ocr: true, run: func(p *parse) error { nameMajority(p.res); nameUnnamedTotal(p.res); return nil }},
	{name: "ocr.arithmetic", ocr: true, run: func(p *parse) error { repairArithmetic(p.res); return nil }},
	{name: "ocr.unread", ocr: true, run: func(p *parse) error { inferUnread(p.res); return nil }},
	{name: "cells", run: func(p *parse) error { oneAmountPerCell(p.res); return nil }},
	{name: "sums", run: func(p *parse) error { markSums(p.res); return nil }},
	{name: "missing", run: missingTables},
	{name: "facts", run: func(p *parse) error { p.res.Facts = ExtractFacts(p.doc.Lines); return nil }},
	{name: "forms", run: func(p *parse) error { p.res.Forms = parseForms(p.doc.Lines); return nil }},
	{name: "repairs", run: func(p *parse) error {
		var full strings.Builder
		for _, l := range p.doc.Lines {
			full.WriteString(squashSpace(l.Text))
			full.WriteByte('\n')
		}
		repairDepartmentCodes(p.res)
		linkForms(p.res, full.String())
		checkFunding(p.res)
		completeLabels(p.res)
		checkPlaceNames(p.res, p.doc.Lines)
		return nil
	}},
	{name: "checks", run: func(p *parse) error { p.res.Findings = append(p.res.Findings, check(p.res)...); return nil }},
	{name: "consistency", run: func(p *parse) error { p.res.Findings = append(p.res.Findings, checkConsistency(p)...); return nil }},
}

// Passes names the passes of Parse in their order.
func Passes() []string {
	out := make([]string, len(passes))
	for i, ps := range passes {
		out[i] = ps.name
	}
	return out
}

// ParseWith is Parse with options.
func ParseWith(doc *extract.Document, o Options) (*Result, error) {
	if o.DumpAfter != "" && !knownPass(o.DumpAfter) {
		return nil, fmt.Errorf("no pass %q (passes: %s)", o.DumpAfter, strings.Join(Passes(), ", "))
	}
	p := &parse{doc: doc, res: &Result{}, ocr: doc.Backend == "tesseract"}
	for _, ps := range passes {
		if ps.ocr && !p.ocr {
			continue
		}
		if err := ps.run(p); err != nil {
			return nil, fmt.Errorf("%s: %w", doc.Path, err)
		}
		if ps.name == o.DumpAfter && o.Dump != nil {
			dumpResult(o.Dump, ps.name, p)
		}
	}
	return p.res, nil
}

func knownPass(name string) bool {
	for _, ps := range passes {
		if ps.name == name {
			return true
		}
	}
	return false
}

// readTables reads each standard table segment found; a table printed
// twice is read once and reported.
func readTables(p *parse) error {
	res, id := p.res, p.res.Identity
	// A title printed twice (a table of contents without leaders, a
	// repeated heading) yields an empty region; keep the one with content.
	best := map[string]*tableRegion{}
	for _, rg := range p.regions {
		if b := best[rg.key]; b == nil || len(b.lines) == 0 && len(rg.lines) > 0 {
			best[rg.key] = rg
		}
	}
	p.loaded = map[string]bool{}
	for _, rg := range p.regions {
		if rg.key == "" {
			if n := amountLines(rg.lines); n > 0 {
				res.Findings = append(res.Findings, Finding{CheckID: "table.unrecognized", Severity: "info",
					Message:  fmt.Sprintf("table %q names no standard table (sql/TABLES.md); its %d rows with amounts were not loaded", rg.title, n),
					Expected: "a standard table", Actual: rg.title, Page: rg.page, Line: rg.no})
			}
			continue
		}
		if best[rg.key] != rg && len(rg.lines) == 0 {
			continue
		}
		if p.loaded[rg.key] || best[rg.key] != rg {
			res.Findings = append(res.Findings, Finding{CheckID: "table.duplicate", Severity: "warning", TableKey: rg.key,
				Message: fmt.Sprintf("table %s printed twice; the second (line %d) was not loaded", rg.key, rg.no), Page: rg.page, Line: rg.no})
			continue
		}
		p.loaded[rg.key] = true
		tp := &tableParser{res: res, rg: rg, year: id.FiscalYear, dept: id.DepartmentName, cells: plainCells{}}
		if p.ocr {
			tp.cells = &ocrCells{p: tp} // OCR's repairs of names, codes and figures
		}
		tp.parse()
	}
	return nil
}

func amountLines(ls []extract.Line) int {
	n := 0
	for _, l := range ls {
		if hasAmount(l) {
			n++
		}
	}
	return n
}

// missingTables reports the tables of the document's layout family it does
// not print, and the pages that could not be read without OCR.
func missingTables(p *parse) error {
	res := p.res
	layout, expected := expectedTables(res.Identity.Stage, p.loaded)
	if len(p.toc) >= 3 {
		// The document's own 目录 says which tables it holds (a 2019 决算
		// prints eight, later ones nine): it is the judge, not the template.
		layout, expected = "目录", map[string]bool{}
		for _, k := range p.toc {
			expected[k] = true
		}
	} else if last, gaps, ok := tableNumbers(p.regions); ok && (len(gaps) > 0 || last < len(expected)) {
		// No 目录 of tables, but the tables number themselves (表1 … 表10,
		// 浙江): the numbering is the document's own plan — fewer tables
		// than the template's is no table missing, a number skipped is.
		layout, expected = "numbering", map[string]bool{}
		for k := range p.loaded {
			expected[k] = true
		}
		for _, n := range gaps {
			res.Findings = append(res.Findings, Finding{CheckID: "table.missing", Severity: "warning",
				Message:  fmt.Sprintf("表%d is missing from the document's own numbering of its tables (表1 … 表%d)", n, last),
				Expected: fmt.Sprintf("表%d", n), Actual: "missing"})
		}
	}
	for _, st := range append(append([]struct{ Key, Name string }{}, StandardTables...), OtherTables...) {
		if expected[st.Key] && !p.loaded[st.Key] {
			msg := "standard table " + st.Name + " of the " + layout + " layout not found in the document"
			if layout == "目录" {
				msg = "standard table " + st.Name + " is listed in the document's 目录 but not found in it"
			}
			res.Findings = append(res.Findings, Finding{CheckID: "table.missing", Severity: "warning", TableKey: st.Key,
				Message: msg, Expected: "present", Actual: "missing"})
		}
	}
	for _, pg := range p.doc.NeedsOCR {
		res.Findings = append(res.Findings, Finding{CheckID: "page.needs_ocr", Severity: "warning",
			Message:  fmt.Sprintf("page %d has no usable text layer (scanned, or fonts without Unicode maps); it was not read", pg),
			Expected: "a text layer", Actual: "unusable", Page: pg})
	}
	return nil
}

// tableNumbers reads the numbers tables print before their titles (表1,
// 表 10：, 预算01表, 公开04表): the highest, the numbers below it no title
// carries, and whether at least three tables are numbered at all.
func tableNumbers(regions []*tableRegion) (last int, gaps []int, ok bool) {
	seen := map[int]bool{}
	for _, rg := range regions {
		m := tableNumber.FindStringSubmatch(squashSpace(rg.title))
		if m == nil {
			continue
		}
		n, _ := strconv.Atoi(m[1] + m[2])
		if n > 0 && n < 40 {
			seen[n] = true
			last = max(last, n)
		}
	}
	if len(seen) < 3 {
		return 0, nil, false
	}
	for n := 1; n < last; n++ {
		if !seen[n] {
			gaps = append(gaps, n)
		}
	}
	return last, gaps, true
}

var tableNumber = regexp.MustCompile(`^(?:表(\d{1,2})|(?:预算|公开|决算)?(\d{1,2})表)`)

// dumpResult writes what the parse holds after a pass: the tables found,
// each amount with its row and sum check, the corrections and findings.
func dumpResult(w io.Writer, after string, p *parse) {
	res := p.res
	fmt.Fprintf(w, "# after pass %q: %s %d %s (%s)\n", after, res.Identity.DepartmentName, res.Identity.FiscalYear, res.Identity.Stage, res.Identity.Source)
	for _, rg := range p.regions {
		fmt.Fprintf(w, "table %-32s page %-3d line %-5d %q (%d lines)\n", rg.key, rg.page, rg.no, rg.title, len(rg.lines))
	}
	lines := append([]Line(nil), res.Lines...)
	sort.SliceStable(lines, func(a, b int) bool { return lines[a].Line < lines[b].Line })
	for _, l := range lines {
		fmt.Fprintf(w, "%-28s %-11s p%-3d l%-5d %-8s %-24q %-24s %14s  %s\n", l.TableKey, l.Side, l.Page, l.Line, l.ItemCode, l.ItemName, l.Measure, l.Raw, l.SumCheck)
	}
	for _, c := range res.Corrections {
		fmt.Fprintf(w, "correction %s %s: %q → %q (p%d l%d) %s\n", c.Rule, c.Field, c.Raw, c.Normalized, c.Page, c.Line, c.Evidence)
	}
	for _, f := range res.Findings {
		fmt.Fprintf(w, "finding %s %s %s (p%d l%d): %s\n", f.Severity, f.CheckID, f.TableKey, f.Page, f.Line, f.Message)
	}
}
