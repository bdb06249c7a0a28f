package transform

import (
	"fmt"

	"github.com/gongkai/gongkai/extract"
)

// cellReader is how a table's cells are read. The table parser
// (document.go) calls it at fixed points; plainCells reads cells as printed
// (a text layer or text export), ocrCells repairs what OCR misreads — the
// OCR-only reading lives here and in ocrnames.go, not in the parser.
type cellReader interface {
	// table sees the body rows of a table before its rows are read.
	table(body []extract.Row)
	// label cleans a row's name before it is classified.
	label(lab *label, r extract.Row)
	// codedLabel sees a row's name once its code is known (a name the code
	// disagrees with may be repaired).
	codedLabel(code string, lab *label, r extract.Row)
	// amount gives the text of an amount cell to parse; false drops the
	// cell (a speck, reported).
	amount(a amountCell, lab *label, r extract.Row) (string, bool)
	// unknownName gives the code of a row whose name the dictionary d does
	// not know; "" when there is none.
	unknownName(d *Dictionary, lab *label, r extract.Row) string
}

// plainCells reads cells as printed.
type plainCells struct{}

func (plainCells) table([]extract.Row)                                         {}
func (plainCells) label(*label, extract.Row)                                   {}
func (plainCells) codedLabel(string, *label, extract.Row)                      {}
func (plainCells) amount(a amountCell, _ *label, _ extract.Row) (string, bool) { return a.raw, true }
func (plainCells) unknownName(*Dictionary, *label, extract.Row) string         { return "" }

// ocrCells reads the cells of a document read by OCR: names cleaned of
// specks and repaired toward the document's own totals, department and
// region and the classification dictionaries; amounts read among OCR's
// alternatives; one- or two-digit specks in tables that print two decimals
// dropped.
type ocrCells struct {
	p *tableParser
	// pointed: four in five of the table's figures print two decimals, so
	// a figure of one or two digits is a speck (see isSpeck).
	pointed bool
}

func (o *ocrCells) table(body []extract.Row) { o.pointed = pointedTable(body) }

func (o *ocrCells) label(lab *label, r extract.Row) {
	lab.name = cleanOCRName(lab.name)
	o.p.ocrTotalName(lab, r)
	o.p.ocrDepartmentName(lab, r)
	o.p.ocrRegionPrefix(lab, r)
}

func (o *ocrCells) codedLabel(code string, lab *label, r extract.Row) { o.p.ocrCodeName(code, lab, r) }

func (o *ocrCells) amount(a amountCell, lab *label, r extract.Row) (string, bool) {
	p := o.p
	text := p.ocrAmountText(a.raw, r)
	if o.pointed && isSpeck(text) {
		p.res.Findings = append(p.res.Findings, Finding{CheckID: "ocr.speck", Severity: "warning", TableKey: p.rg.key,
			Message:  fmt.Sprintf("cell %q in column %s of row %q read as a figure of one or two digits in a table that prints two decimals: a mark, not loaded", a.raw, a.measure, lab.name),
			Expected: "a figure with two decimals", Actual: a.raw, Page: r.Page, Line: r.No})
		return "", false
	}
	return text, true
}

func (o *ocrCells) unknownName(d *Dictionary, lab *label, r extract.Row) string {
	return o.p.dictionaryRepair(d, lab, r)
}

// dictionaryRepair gives a row whose name is one or two characters off a
// classification name (an OCR misreading such as ]生健康支出) that name and
// its code, with a correction.
func (p *tableParser) dictionaryRepair(d *Dictionary, lab *label, r extract.Row) string {
	name, code := d.Nearest(lab.name, "")
	if code == "" && p.class != "" {
		// A short name, placed among the items of the class above it.
		name, code = d.Nearest(lab.name, p.class)
	}
	if clean := asciiNoise(lab.name); code == "" && clean != lab.name {
		if name, code = d.Nearest(clean, ""); code == "" && p.class != "" {
			name, code = d.Nearest(clean, p.class)
		}
	}
	if code == "" {
		return ""
	}
	p.res.Corrections = append(p.res.Corrections, Correction{Field: "budget_lines.item_name", Raw: lab.name, Normalized: name,
		Rule: "name.dictionary", Evidence: fmt.Sprintf("the classification dictionary's nearest name, %d character(s) off; code %s", editOps(dictKey(lab.name), name), code),
		Page: r.Page, Line: r.No})
	lab.name = name
	return code
}
