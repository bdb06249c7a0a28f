package main

// fixturegen fodt IN OUT / fods IN OUT: write a text export as flat ODF for
// LibreOffice to print to PDF (`soffice --headless --convert-to pdf`), the way
// an office types a disclosure in Writer or lays its tables out in Calc.
//
// Writer (.fodt): A4, Liberation Serif + Noto Serif CJK SC body text, Noto
// Sans CJK SC headings; real tables with 0.5 pt borders, merged header cells
// (number-columns-spanned / number-rows-spanned), amounts right-aligned,
// header rows repeated when a table runs over a page; every standard table
// and part on a new page, landscape pages for wide tables; a header holding
// ten or twelve rotated light-grey 仅供内部审核 text shapes (tiled watermark
// behind the text) and a page number footer.
//
// Calc (.fods): one sheet per standard table, Noto Sans CJK SC for all
// cells; title, 部门名称 and 单位 rows merged across the table; header rows
// merged as in Writer and repeated on every printed page; amounts as float
// cells with 0.00 / #,##0.00 formats; manual row breaks where the export has
// a page break inside a table (表2 预算收入总表 splits across two pages);
// cell borders plus printed grid lines; landscape sheets for wide tables.

import (
	"fmt"
	"strconv"
	"strings"
)

// ToFODT writes the document as a flat ODF text document.
func ToFODT(b []byte) ([]byte, error) {
	return []byte(FODT(ParseDoc(string(b)))), nil
}

// ToFODS writes the document's standard tables as a flat ODF spreadsheet.
func ToFODS(b []byte) ([]byte, error) {
	d := ParseDoc(string(b))
	s := FODS(d)
	if s == "" {
		return nil, fmt.Errorf("no standard tables found")
	}
	return []byte(s), nil
}

var xmlEsc = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

func esc(s string) string { return xmlEsc.Replace(s) }

const odfNS = `xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ` +
	`xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" ` +
	`xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" ` +
	`xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" ` +
	`xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" ` +
	`xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" ` +
	`xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" ` +
	`xmlns:xlink="http://www.w3.org/1999/xlink" ` +
	`xmlns:dc="http://purl.org/dc/elements/1.1/" ` +
	`xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" ` +
	`xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"`

const fontDecls = `<office:font-face-decls>
<style:font-face style:name="Liberation Serif" svg:font-family="'Liberation Serif'" style:font-family-generic="roman" style:font-pitch="variable"/>
<style:font-face style:name="Liberation Sans" svg:font-family="'Liberation Sans'" style:font-family-generic="swiss" style:font-pitch="variable"/>
<style:font-face style:name="Noto Serif CJK SC" svg:font-family="'Noto Serif CJK SC'" style:font-family-generic="roman" style:font-pitch="variable"/>
<style:font-face style:name="Noto Sans CJK SC" svg:font-family="'Noto Sans CJK SC'" style:font-family-generic="swiss" style:font-pitch="variable"/>
</office:font-face-decls>
`

func odfMeta(d *Doc) string {
	return `<office:meta><meta:generator>gongkai fixturegen</meta:generator><dc:title>` + esc(d.Title) +
		`</dc:title><dc:subject>` + esc(d.Subject) + `</dc:subject><dc:language>zh-CN</dc:language></office:meta>
`
}

// textProps: western font, Asian font, size (pt), extra attributes.
func textProps(western, asian string, size float64, extra string) string {
	sz := strconv.FormatFloat(size, 'f', -1, 64) + "pt"
	return fmt.Sprintf(`<style:text-properties style:font-name=%q style:font-name-asian=%q fo:font-size=%q style:font-size-asian=%q fo:language="zh" fo:country="CN" style:language-asian="zh" style:country-asian="CN"%s/>`,
		western, asian, sz, sz, extra)
}

const (
	serifW, serifA = "Liberation Serif", "Noto Serif CJK SC"
	sansW, sansA   = "Liberation Sans", "Noto Sans CJK SC"
	bold           = ` fo:font-weight="bold" style:font-weight-asian="bold"`
)

// Page geometry (cm).
const (
	odtMarginLR  = 2.5
	odtMarginTop = 2.2
	odtMarginBot = 2.0
)

func odtTextWidth(landscape bool) float64 {
	if landscape {
		return 29.7 - 2*odtMarginLR
	}
	return 21 - 2*odtMarginLR
}

func cm(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) + "cm" }

// watermarkShapes tiles rotated text shapes over a page of w×h cm.
func watermarkShapes(w, h float64) string {
	var sb strings.Builder
	n := 0
	for row, y := 0, 6.0; y < h+2; row, y = row+1, y+6.5 {
		off := 0.0
		if row%2 == 1 {
			off = 4
		}
		for x := -1.0 + off; x < w-2; x += 8 {
			n++
			fmt.Fprintf(&sb, `<draw:custom-shape text:anchor-type="char" draw:z-index="%d" draw:name="Watermark %d" draw:style-name="grWM" svg:width="7cm" svg:height="1.6cm" draw:transform="rotate (0.785398163397448) translate (%s %s)"><text:p text:style-name="WM"><text:span text:style-name="TWM">%s</text:span></text:p><draw:enhanced-geometry svg:viewBox="0 0 21600 21600" draw:type="rectangle" draw:enhanced-path="M 0 0 L 21600 0 21600 21600 0 21600 0 0 Z N"/></draw:custom-shape>`,
				n-1, n, cm(x), cm(y), watermarkText)
		}
	}
	return sb.String()
}

// FODT renders d as a flat ODF text document.
func FODT(d *Doc) string {
	var sb strings.Builder
	sb.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<office:document ` + odfNS + ` office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
`)
	sb.WriteString(odfMeta(d))
	sb.WriteString(fontDecls)
	tw := odtTextWidth(false)
	twL := odtTextWidth(true)
	para := func(name, parent, pprops, tprops string) string {
		p := ""
		if parent != "" {
			p = fmt.Sprintf(` style:parent-style-name=%q`, parent)
		}
		pp := "<style:paragraph-properties " + pprops + "/>"
		if i := strings.Index(pprops, "<"); i >= 0 { // with a child element (tab stops)
			pp = "<style:paragraph-properties " + pprops[:i] + ">" + pprops[i:] + "</style:paragraph-properties>"
		}
		return fmt.Sprintf(`<style:style style:name=%q style:family="paragraph"%s>%s%s</style:style>
`, name, p, pp, tprops)
	}
	tabStop := func(w float64) string {
		return `<style:tab-stops><style:tab-stop style:position="` + cm(w) + `" style:type="right"/></style:tab-stops>`
	}
	sb.WriteString("<office:styles>\n")
	sb.WriteString(`<style:default-style style:family="paragraph"><style:paragraph-properties fo:orphans="2" fo:widows="2" style:punctuation-wrap="hanging" style:line-break="strict" style:text-autospace="none"/>` +
		textProps(serifW, serifA, 10.5, "") + "</style:default-style>\n")
	sb.WriteString(`<style:default-style style:family="table-cell"><style:table-cell-properties style:vertical-align="middle"/></style:default-style>` + "\n")
	sb.WriteString(para("Standard", "", `fo:margin-top="0cm" fo:margin-bottom="0cm"`, ""))
	sb.WriteString(para("Body", "Standard", `fo:text-align="justify" fo:text-indent="0.74cm" fo:line-height="0.62cm" fo:margin-bottom="0.15cm"`, ""))
	sb.WriteString(para("Cover", "Standard", `fo:text-align="center" fo:margin-top="1.2cm" fo:margin-bottom="1cm"`, textProps(sansW, sansA, 24, bold)))
	sb.WriteString(para("Watermark", "Standard", `fo:text-align="center" fo:margin-top="0.15cm" fo:margin-bottom="0.15cm"`, textProps(sansW, sansA, 10, ` fo:color="#999999"`)))
	sb.WriteString(para("TOCTitle", "Standard", `fo:text-align="center" fo:margin-bottom="0.6cm"`, textProps(sansW, sansA, 16, bold)))
	sb.WriteString(para("TOC", "Standard", `fo:line-height="0.56cm"`+tabStop(tw), ""))
	sb.WriteString(para("Part", "Standard", `fo:text-align="center" fo:margin-top="0.3cm" fo:margin-bottom="0.5cm" fo:keep-with-next="always"`, textProps(sansW, sansA, 15, bold)))
	sb.WriteString(para("H1", "Standard", `fo:margin-top="0.3cm" fo:margin-bottom="0.15cm" fo:keep-with-next="always"`, textProps(sansW, sansA, 11.5, bold)))
	sb.WriteString(para("H2", "Standard", `fo:margin-left="0.37cm" fo:margin-top="0.15cm" fo:margin-bottom="0.15cm" fo:keep-with-next="always"`, textProps(serifW, serifA, 10.5, bold)))
	sb.WriteString(para("TableLabel", "Standard", `fo:margin-bottom="0.2cm"`, textProps(serifW, serifA, 10, "")))
	sb.WriteString(para("TableTitle", "Standard", `fo:text-align="center" fo:margin-top="0.2cm" fo:margin-bottom="0.4cm" fo:keep-with-next="always"`, textProps(sansW, sansA, 15, bold)))
	sb.WriteString(para("FormTitle", "Standard", `fo:text-align="center" fo:margin-top="0.2cm" fo:margin-bottom="0.3cm" fo:keep-with-next="always"`, textProps(sansW, sansA, 13, bold)))
	sb.WriteString(para("MetaLeft", "Standard", `fo:margin-bottom="0.05cm" fo:keep-with-next="always"`, textProps(serifW, serifA, 10, "")))
	sb.WriteString(para("MetaRight", "Standard", `fo:text-align="end" fo:margin-bottom="0.15cm" fo:keep-with-next="always"`, textProps(serifW, serifA, 10, "")))
	for _, mp := range []struct {
		name string
		w    float64
	}{{"MetaPair", tw}, {"MetaPairL", twL}} {
		sb.WriteString(para(mp.name, "Standard", `fo:margin-bottom="0.15cm" fo:keep-with-next="always"`+tabStop(mp.w), textProps(serifW, serifA, 10, "")))
	}
	sb.WriteString(para("Center", "Standard", `fo:text-align="center" fo:margin-bottom="0.3cm" fo:keep-with-next="always"`, ""))
	sb.WriteString(para("Note", "Standard", `fo:margin-top="0.15cm" fo:margin-bottom="0.2cm" fo:line-height="0.5cm"`, textProps(serifW, serifA, 9, "")))
	sb.WriteString(para("TH", "Standard", `fo:text-align="center" fo:line-height="0.42cm"`, textProps(sansW, sansA, 9, "")))
	sb.WriteString(para("TD", "Standard", `fo:text-align="start" fo:line-height="0.42cm"`, textProps(serifW, serifA, 9, "")))
	sb.WriteString(para("TDNum", "Standard", `fo:text-align="end" fo:line-height="0.42cm"`, textProps(serifW, serifA, 9, "")))
	sb.WriteString(para("TDCenter", "Standard", `fo:text-align="center" fo:line-height="0.42cm"`, textProps(serifW, serifA, 9, "")))
	sb.WriteString(para("Footer", "Standard", `fo:text-align="center"`, textProps(serifW, serifA, 9, "")))
	sb.WriteString(para("WM", "Standard", `fo:text-align="center"`, ""))
	sb.WriteString("</office:styles>\n")

	// automatic styles: page layouts, break paragraphs, tables
	var auto strings.Builder
	auto.WriteString(`<style:style style:name="TWM" style:family="text">` + textProps(sansW, sansA, 22, ` fo:color="#d9d9d9"`) + "</style:style>\n")
	auto.WriteString(`<style:style style:name="grWM" style:family="graphic"><style:graphic-properties draw:stroke="none" draw:fill="none" draw:textarea-horizontal-align="center" draw:textarea-vertical-align="middle" fo:padding="0cm" style:run-through="background" style:wrap="run-through" style:number-wrapped-paragraphs="no-limit" style:vertical-pos="from-top" style:vertical-rel="page" style:horizontal-pos="from-left" style:horizontal-rel="page"/></style:style>` + "\n")
	for _, pl := range []struct {
		name   string
		w, h   float64
		orient string
	}{{"pmPortrait", 21, 29.7, "portrait"}, {"pmLandscape", 29.7, 21, "landscape"}} {
		fmt.Fprintf(&auto, `<style:page-layout style:name=%q><style:page-layout-properties fo:page-width=%q fo:page-height=%q style:print-orientation=%q fo:margin-top="1.2cm" fo:margin-bottom="1.2cm" fo:margin-left=%q fo:margin-right=%q style:writing-mode="lr-tb"/><style:header-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-bottom="0.4cm"/></style:header-style><style:footer-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-top="0.4cm"/></style:footer-style></style:page-layout>`+"\n",
			pl.name, cm(pl.w), cm(pl.h), pl.orient, cm(odtMarginLR), cm(odtMarginLR))
	}
	cellBorder := `fo:border="0.5pt solid #000000" fo:padding-left="0.1cm" fo:padding-right="0.1cm" fo:padding-top="0.04cm" fo:padding-bottom="0.04cm" style:vertical-align="middle"`
	auto.WriteString(`<style:style style:name="Cell" style:family="table-cell"><style:table-cell-properties ` + cellBorder + `/></style:style>` + "\n")
	auto.WriteString(`<style:style style:name="CellH" style:family="table-cell"><style:table-cell-properties ` + cellBorder + ` fo:background-color="#f2f2f2"/></style:style>` + "\n")
	breakStyles := map[string]bool{}
	breakStyle := func(parent string, landscape bool) string {
		mp := "Standard"
		if landscape {
			mp = "Landscape"
		}
		name := "PB" + parent + mp
		if !breakStyles[name] {
			breakStyles[name] = true
			fmt.Fprintf(&auto, `<style:style style:name=%q style:family="paragraph" style:parent-style-name=%q style:master-page-name=%q><style:paragraph-properties style:page-number="auto"/></style:style>`+"\n", name, parent, mp)
		}
		return name
	}

	var body strings.Builder
	landscape := false
	tableN := 0
	styleName := map[paraStyle]string{
		psBody: "Body", psCover: "Cover", psWatermark: "Watermark", psTOCTitle: "TOCTitle", psTOC: "TOC",
		psPart: "Part", psH1: "H1", psH2: "H2", psTableLabel: "TableLabel", psTableTitle: "TableTitle",
		psMetaLeft: "MetaLeft", psMetaRight: "MetaRight", psMetaPair: "MetaPair", psFormTitle: "FormTitle",
		psCenter: "Center", psNote: "Note",
	}
	for i, b := range d.Blocks {
		brk := b.PageBreak && i > 0
		if brk {
			landscape = b.Landscape
		}
		if b.Para {
			st := styleName[b.Style]
			if st == "MetaPair" && landscape {
				st = "MetaPairL"
			}
			if brk {
				st = breakStyle(st, landscape)
			}
			txt := esc(b.Text)
			if b.Style == psTOC || b.Style == psMetaPair {
				txt += "<text:tab/>" + esc(b.Right)
			}
			fmt.Fprintf(&body, `<text:p text:style-name=%q>%s</text:p>`+"\n", st, txt)
			continue
		}
		tableN++
		t := b.Table
		tname := fmt.Sprintf("Table%d", tableN)
		width := odtTextWidth(landscape)
		mp := ""
		if brk {
			mp = ` style:master-page-name="Standard"`
			if landscape {
				mp = ` style:master-page-name="Landscape"`
			}
		}
		fmt.Fprintf(&auto, `<style:style style:name=%q style:family="table"%s><style:table-properties style:width=%q table:align="margins" fo:margin-top="0.1cm" fo:margin-bottom="0.2cm" style:may-break-between-rows="true"/></style:style>`+"\n", tname, mp, cm(width))
		nat := naturalWidths(t, 6, 34)
		tot := 0
		for c := range nat {
			nat[c] += 3 // cell padding
			tot += nat[c]
		}
		fmt.Fprintf(&body, `<table:table table:name=%q table:style-name=%q>`+"\n", tname, tname)
		for c, v := range nat {
			cs := fmt.Sprintf("%s.C%d", tname, c)
			fmt.Fprintf(&auto, `<style:style style:name=%q style:family="table-column"><style:table-column-properties style:column-width=%q style:rel-column-width="%d*"/></style:style>`+"\n", cs, cm(width*float64(v)/float64(tot)), v*100)
			fmt.Fprintf(&body, `<table:table-column table:style-name=%q/>`, cs)
		}
		body.WriteString("\n")
		if t.Header > 0 {
			body.WriteString("<table:table-header-rows>\n")
		}
		for r, row := range t.Rows {
			body.WriteString("<table:table-row>")
			for c, v := range row {
				sp := t.Spans[r][c]
				if sp.Covered {
					body.WriteString("<table:covered-table-cell/>")
					continue
				}
				attrs := ""
				if sp.ColSpan > 1 {
					attrs += fmt.Sprintf(` table:number-columns-spanned="%d"`, sp.ColSpan)
				}
				if sp.RowSpan > 1 {
					attrs += fmt.Sprintf(` table:number-rows-spanned="%d"`, sp.RowSpan)
				}
				cst, pst := "Cell", "TD"
				switch cellAlign(t, r, c) {
				case 'R':
					pst = "TDNum"
				case 'C':
					pst = "TDCenter"
				}
				if r < t.Header {
					cst, pst = "CellH", "TH"
				}
				fmt.Fprintf(&body, `<table:table-cell table:style-name=%q office:value-type="string"%s><text:p text:style-name=%q>%s</text:p></table:table-cell>`,
					cst, attrs, pst, cellText(v, "<text:line-break/>"))
			}
			body.WriteString("</table:table-row>\n")
			if t.Header > 0 && r == t.Header-1 {
				body.WriteString("</table:table-header-rows>\n")
			}
		}
		body.WriteString("</table:table>\n")
	}

	sb.WriteString("<office:automatic-styles>\n")
	sb.WriteString(auto.String())
	sb.WriteString("</office:automatic-styles>\n<office:master-styles>\n")
	for _, m := range []struct {
		name, layout string
		w, h         float64
	}{{"Standard", "pmPortrait", 21, 29.7}, {"Landscape", "pmLandscape", 29.7, 21}} {
		fmt.Fprintf(&sb, `<style:master-page style:name=%q style:page-layout-name=%q><style:header><text:p text:style-name="Standard">%s</text:p></style:header><style:footer><text:p text:style-name="Footer">- <text:page-number text:select-page="current">1</text:page-number> -</text:p></style:footer></style:master-page>`+"\n",
			m.name, m.layout, watermarkShapes(m.w, m.h))
	}
	sb.WriteString("</office:master-styles>\n<office:body>\n<office:text>\n")
	sb.WriteString(body.String())
	sb.WriteString("</office:text>\n</office:body>\n</office:document>\n")
	return sb.String()
}

// cellText escapes a cell and turns a wrap space between two CJK characters
// into a line break (sep).
func cellText(v, sep string) string {
	parts := splitWrapSpaces(v)
	for i := range parts {
		parts[i] = esc(parts[i])
	}
	return strings.Join(parts, sep)
}

// FODS renders the standard tables of d as a flat ODF spreadsheet, one sheet
// per table.
func FODS(d *Doc) string {
	type sheet struct {
		title string
		label string
		meta  []Block
		t     *Table
		notes []string
	}
	var sheets []*sheet
	var cur *sheet
	var pending []Block
	for _, b := range d.Blocks {
		if b.Para {
			switch b.Style {
			case psTableLabel, psTableTitle, psMetaLeft, psMetaRight, psMetaPair:
				pending = append(pending, b)
				continue
			case psNote:
				if cur != nil {
					cur.notes = append(cur.notes, b.Text)
				}
				continue
			}
			pending = nil
			cur = nil
			continue
		}
		if b.Table.Kind != tkStandard {
			pending, cur = nil, nil
			continue
		}
		cur = &sheet{t: b.Table}
		for _, p := range pending {
			switch p.Style {
			case psTableLabel:
				cur.label = p.Text
			case psTableTitle:
				cur.title = p.Text
			default:
				cur.meta = append(cur.meta, p)
			}
		}
		pending = nil
		sheets = append(sheets, cur)
	}
	if len(sheets) == 0 {
		return ""
	}
	var sb strings.Builder
	sb.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<office:document ` + odfNS + ` office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
`)
	sb.WriteString(odfMeta(d))
	sb.WriteString(fontDecls)
	cellTP := func(size float64, extra string) string { return textProps(sansA, sansA, size, extra) }
	sb.WriteString("<office:styles>\n")
	sb.WriteString(`<style:default-style style:family="table-cell"><style:paragraph-properties style:tab-stop-distance="1.25cm"/>` + cellTP(10, "") + "</style:default-style>\n")
	sb.WriteString(`<style:style style:name="Default" style:family="table-cell"/>` + "\n")
	sb.WriteString("</office:styles>\n<office:automatic-styles>\n")
	sb.WriteString(`<number:number-style style:name="N2"><number:number number:decimal-places="2" number:min-decimal-places="2" number:min-integer-digits="1"/></number:number-style>
<number:number-style style:name="N2G"><number:number number:decimal-places="2" number:min-decimal-places="2" number:min-integer-digits="1" number:grouping="true"/></number:number-style>
`)
	border := `fo:border="0.5pt solid #000000" style:vertical-align="middle" fo:wrap-option="wrap" fo:padding="0.05cm"`
	cells := []struct{ name, props, para, text, data string }{
		{"ceTitle", `style:vertical-align="middle"`, `fo:text-align="center"`, cellTP(16, bold), ""},
		{"ceMetaL", `style:vertical-align="middle"`, `fo:text-align="start"`, cellTP(10, ""), ""},
		{"ceMetaR", `style:vertical-align="middle"`, `fo:text-align="end"`, cellTP(10, ""), ""},
		{"ceLabel", `style:vertical-align="middle"`, `fo:text-align="start"`, cellTP(9, ""), ""},
		{"ceNote", `style:vertical-align="middle"`, `fo:text-align="start"`, cellTP(9, ""), ""},
		{"ceHead", border + ` fo:background-color="#f2f2f2"`, `fo:text-align="center"`, cellTP(10, bold), ""},
		{"ceText", border, `fo:text-align="start"`, cellTP(10, ""), ""},
		{"ceCenter", border, `fo:text-align="center"`, cellTP(10, ""), ""},
		{"ceNum", border, `fo:text-align="end"`, cellTP(10, ""), "N2"},
		{"ceNumG", border, `fo:text-align="end"`, cellTP(10, ""), "N2G"},
	}
	for _, c := range cells {
		ds := ""
		if c.data != "" {
			ds = fmt.Sprintf(` style:data-style-name=%q`, c.data)
		}
		fmt.Fprintf(&sb, `<style:style style:name=%q style:family="table-cell" style:parent-style-name="Default"%s><style:table-cell-properties %s/><style:paragraph-properties %s/>%s</style:style>`+"\n",
			c.name, ds, c.props, c.para, c.text)
	}
	sb.WriteString(`<style:style style:name="roTitle" style:family="table-row"><style:table-row-properties style:row-height="1.1cm" fo:break-before="auto" style:use-optimal-row-height="false"/></style:style>
<style:style style:name="ro" style:family="table-row"><style:table-row-properties style:row-height="0.62cm" fo:break-before="auto" style:use-optimal-row-height="true"/></style:style>
<style:style style:name="roBreak" style:family="table-row"><style:table-row-properties style:row-height="0.62cm" fo:break-before="page" style:use-optimal-row-height="true"/></style:style>
<style:style style:name="taP" style:family="table" style:master-page-name="Portrait"><style:table-properties table:display="true" style:writing-mode="lr-tb"/></style:style>
<style:style style:name="taL" style:family="table" style:master-page-name="Landscape"><style:table-properties table:display="true" style:writing-mode="lr-tb"/></style:style>
`)
	for _, pl := range []struct {
		name   string
		w, h   float64
		orient string
	}{{"pmP", 21, 29.7, "portrait"}, {"pmL", 29.7, 21, "landscape"}} {
		fmt.Fprintf(&sb, `<style:page-layout style:name=%q><style:page-layout-properties fo:page-width=%q fo:page-height=%q style:print-orientation=%q fo:margin-top="1.5cm" fo:margin-bottom="1.5cm" fo:margin-left="1.5cm" fo:margin-right="1.5cm" style:print="grid charts drawings objects zero-values" style:print-page-order="ttb" style:first-page-number="continue" style:table-centering="horizontal" style:writing-mode="lr-tb"/><style:header-style><style:header-footer-properties fo:min-height="0cm" fo:margin-bottom="0.25cm"/></style:header-style><style:footer-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-top="0.25cm"/></style:footer-style></style:page-layout>`+"\n",
			pl.name, cm(pl.w), cm(pl.h), pl.orient)
	}
	var body strings.Builder
	for si, s := range sheets {
		t := s.t
		ta := "taP"
		avail := 18.0
		if t.Wide() {
			ta, avail = "taL", 26.7
		}
		nat := naturalWidths(t, 8, 40)
		tot := 0.0
		for _, v := range nat {
			tot += float64(v+2) * 0.19
		}
		scale := 1.0
		if tot > avail {
			scale = avail / tot
		}
		name := fmt.Sprintf("表%d", si+1)
		fmt.Fprintf(&body, `<table:table table:name=%q table:style-name=%q>`+"\n", name, ta)
		for c, v := range nat {
			cs := fmt.Sprintf("co%d_%d", si+1, c)
			fmt.Fprintf(&sb, `<style:style style:name=%q style:family="table-column"><style:table-column-properties fo:break-before="auto" style:column-width=%q/></style:style>`+"\n", cs, cm(float64(v+2)*0.19*scale))
			fmt.Fprintf(&body, `<table:table-column table:style-name=%q table:default-cell-style-name="Default"/>`, cs)
		}
		body.WriteString("\n")
		n := t.NCols
		merged := func(style, ro, text string) {
			fmt.Fprintf(&body, `<table:table-row table:style-name=%q><table:table-cell table:style-name=%q office:value-type="string" table:number-columns-spanned="%d" table:number-rows-spanned="1"><text:p>%s</text:p></table:table-cell>`, ro, style, n, esc(text))
			if n > 1 {
				fmt.Fprintf(&body, `<table:covered-table-cell table:number-columns-repeated="%d"/>`, n-1)
			}
			body.WriteString("</table:table-row>\n")
		}
		if s.label != "" {
			merged("ceLabel", "ro", s.label)
		}
		merged("ceTitle", "roTitle", s.title)
		for _, m := range s.meta {
			switch m.Style {
			case psMetaLeft:
				merged("ceMetaL", "ro", m.Text)
			case psMetaRight:
				merged("ceMetaR", "ro", m.Text)
			case psMetaPair:
				fmt.Fprintf(&body, `<table:table-row table:style-name="ro"><table:table-cell table:style-name="ceMetaL" office:value-type="string" table:number-columns-spanned="%d" table:number-rows-spanned="1"><text:p>%s</text:p></table:table-cell>`, n-1, esc(m.Text))
				if n > 2 {
					fmt.Fprintf(&body, `<table:covered-table-cell table:number-columns-repeated="%d"/>`, n-2)
				}
				fmt.Fprintf(&body, `<table:table-cell table:style-name="ceMetaR" office:value-type="string"><text:p>%s</text:p></table:table-cell></table:table-row>`+"\n", esc(m.Right))
			}
		}
		if t.Header > 0 {
			body.WriteString("<table:table-header-rows>\n")
		}
		for r, row := range t.Rows {
			ro := "ro"
			if t.Breaks[r] && r >= t.Header {
				ro = "roBreak"
			}
			fmt.Fprintf(&body, `<table:table-row table:style-name=%q>`, ro)
			for c, v := range row {
				sp := t.Spans[r][c]
				if sp.Covered {
					body.WriteString(`<table:covered-table-cell table:style-name="ceText"/>`)
					continue
				}
				attrs := ""
				if sp.ColSpan > 1 || sp.RowSpan > 1 {
					attrs = fmt.Sprintf(` table:number-columns-spanned="%d" table:number-rows-spanned="%d"`, sp.ColSpan, sp.RowSpan)
				}
				style := "ceText"
				switch {
				case r < t.Header:
					style = "ceHead"
				case cellAlign(t, r, c) == 'R':
					style = "ceNum"
					if strings.Contains(v, ",") {
						style = "ceNumG"
					}
					val := strings.ReplaceAll(v, ",", "")
					fmt.Fprintf(&body, `<table:table-cell table:style-name=%q office:value-type="float" office:value=%q%s><text:p>%s</text:p></table:table-cell>`, style, val, attrs, esc(v))
					continue
				case cellAlign(t, r, c) == 'C':
					style = "ceCenter"
				}
				if v == "" {
					fmt.Fprintf(&body, `<table:table-cell table:style-name=%q%s/>`, style, attrs)
					continue
				}
				fmt.Fprintf(&body, `<table:table-cell table:style-name=%q office:value-type="string"%s><text:p>%s</text:p></table:table-cell>`,
					style, attrs, cellText(v, "</text:p><text:p>"))
			}
			body.WriteString("</table:table-row>\n")
			if t.Header > 0 && r == t.Header-1 {
				body.WriteString("</table:table-header-rows>\n")
			}
		}
		for _, note := range s.notes {
			merged("ceNote", "ro", note)
		}
		body.WriteString("</table:table>\n")
	}
	sb.WriteString("</office:automatic-styles>\n<office:master-styles>\n")
	for _, m := range []struct{ name, layout string }{{"Portrait", "pmP"}, {"Landscape", "pmL"}} {
		fmt.Fprintf(&sb, `<style:master-page style:name=%q style:page-layout-name=%q><style:header style:display="false"/><style:footer><style:region-center><text:p>第 <text:page-number>1</text:page-number> 页，共 <text:page-count>1</text:page-count> 页</text:p></style:region-center></style:footer></style:master-page>`+"\n", m.name, m.layout)
	}
	sb.WriteString("</office:master-styles>\n<office:body>\n<office:spreadsheet>\n")
	sb.WriteString(body.String())
	sb.WriteString("</office:spreadsheet>\n</office:body>\n</office:document>\n")
	return sb.String()
}
