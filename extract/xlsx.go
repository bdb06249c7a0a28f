package extract

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	pathpkg "path"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// readXLSX reads an Office Open XML workbook (.xlsx, and .xlsm, whose
// macros are never run nor read): each visible sheet is a page; a cell
// shows its cached value (a formula's last result) through its number
// format; merged cells keep their text in their first position; hidden
// sheets, rows and columns are left out and reported. excelize opens the
// workbook (its sheets, their visibility, the cell styles); the sheets'
// cells are read in one pass over each sheet's XML (xlsxSheet), not cell
// by cell through excelize, which parses a sheet twice that way and was
// four times slower on the fixtures (docs/office.md).
func readXLSX(path string, b []byte) (*Office, error) {
	zr, err := openPackage(b, "workbook", "not an .xlsx workbook: a compound file (an .xls workbook or a Word 97–2003 document)")
	if err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{UnzipSizeLimit: 1 << 30, UnzipXMLSizeLimit: 256 << 20})
	if err != nil {
		return nil, fmt.Errorf("damaged workbook: %v", err)
	}
	defer f.Close()
	w := newOfficeText()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, fmt.Errorf("%w: the workbook has no sheets", ErrEmpty)
	}
	if hasVBA(b) {
		w.finding("office.macros_ignored", "the workbook holds macros (a VBA project); they were neither run nor read", 0)
	}
	pk, err := openXLSXPackage(zr)
	if err != nil {
		return nil, fmt.Errorf("damaged workbook: %v", err)
	}
	fmts := map[int]string{} // style id → number format code
	numFmt := func(id int) string {
		code, ok := fmts[id]
		if !ok {
			code = styleNumFmt(f, id)
			fmts[id] = code
		}
		return code
	}
	for _, name := range sheets {
		visible, err := f.GetSheetVisible(name)
		if err != nil {
			return nil, fmt.Errorf("sheet %q: %v", name, err)
		}
		if !visible {
			w.finding("office.hidden_sheet", fmt.Sprintf("sheet %q is hidden; it was not read", name), 0)
			continue
		}
		part := pk.sheets[name]
		if part == nil {
			return nil, fmt.Errorf("damaged workbook: sheet %q has no part in the package", name)
		}
		if err := readXLSXSheet(part, name, pk.sst, numFmt, w); err != nil {
			return nil, fmt.Errorf("sheet %q: %w", name, err)
		}
	}
	return w.finish(path)
}

// xlsxPackage is what the sheet reader needs of a workbook's package: each
// sheet's part by name and the shared strings.
type xlsxPackage struct {
	sheets map[string]*zip.File
	sst    []string
}

// xmlLimit bounds what is decompressed of one part of a package.
const xmlLimit = 256 << 20

// openXLSXPackage finds the sheets' parts (xl/workbook.xml through its
// relationships) and reads the shared strings.
func openXLSXPackage(zr *zip.Reader) (*xlsxPackage, error) {
	parts := map[string]*zip.File{}
	for _, f := range zr.File {
		parts[strings.TrimPrefix(f.Name, "/")] = f
	}
	target := func(rel string) string {
		if strings.HasPrefix(rel, "/") {
			return strings.TrimPrefix(rel, "/")
		}
		return pathpkg.Clean("xl/" + rel)
	}
	rels := map[string]string{} // relationship id → part
	sstPart := "xl/sharedStrings.xml"
	if err := eachElement(parts["xl/_rels/workbook.xml.rels"], func(se xml.StartElement, _ *xml.Decoder) error {
		if se.Name.Local == "Relationship" {
			id, _ := attr(se, "Id")
			t, _ := attr(se, "Target")
			rels[id] = target(t)
			if typ, _ := attr(se, "Type"); strings.HasSuffix(typ, "/sharedStrings") {
				sstPart = target(t)
			}
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("xl/_rels/workbook.xml.rels: %v", err)
	}
	pk := &xlsxPackage{sheets: map[string]*zip.File{}}
	if err := eachElement(parts["xl/workbook.xml"], func(se xml.StartElement, _ *xml.Decoder) error {
		if se.Name.Local == "sheet" {
			name, _ := attr(se, "name")
			for _, a := range se.Attr {
				// r:id, whatever its prefix (raw tokens leave namespaces unresolved)
				if a.Name.Local == "id" && a.Name.Space != "" {
					pk.sheets[name] = parts[rels[a.Value]]
				}
			}
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("xl/workbook.xml: %v", err)
	}
	// Shared strings: each si's text runs joined; phonetic runs (rPh) left out.
	var si strings.Builder
	inSI, inT, inPh := false, false, 0
	err := eachToken(parts[sstPart], func(tok xml.Token, _ *xml.Decoder) error {
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				inSI = true
				si.Reset()
			case "rPh":
				inPh++
			case "t":
				inT = inSI && inPh == 0
			}
		case xml.CharData:
			if inT {
				si.Write(t)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				pk.sst = append(pk.sst, si.String())
				inSI = false
			case "rPh":
				inPh--
			case "t":
				inT = false
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %v", sstPart, err)
	}
	return pk, nil
}

// eachToken decodes a part of the package token by token; a part that is
// not there is no error.
func eachToken(f *zip.File, fn func(xml.Token, *xml.Decoder) error) error {
	if f == nil {
		return nil
	}
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	dec := xml.NewDecoder(io.LimitReader(rc, xmlLimit))
	dec.Strict = false
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(tok, dec); err != nil {
			return err
		}
	}
}

// readPart decompresses a part of the package, at most xmlLimit bytes.
func readPart(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, xmlLimit+1))
	if err != nil {
		return nil, err
	}
	if len(b) > xmlLimit {
		return nil, fmt.Errorf("%s: over %d bytes uncompressed", f.Name, xmlLimit)
	}
	return b, nil
}

// eachElement calls fn on each start element of a part.
func eachElement(f *zip.File, fn func(xml.StartElement, *xml.Decoder) error) error {
	return eachToken(f, func(tok xml.Token, dec *xml.Decoder) error {
		if se, ok := tok.(xml.StartElement); ok {
			return fn(se, dec)
		}
		return nil
	})
}

// readXLSXSheet writes one visible sheet as a page, reading its XML once
// (xmlScan):
// the hidden columns (cols), rows with their hidden flag, cells with
// their type, style and value, the merged ranges.
func readXLSXSheet(part *zip.File, sheet string, sst []string, numFmt func(int) string, w *officeText) error {
	var grid [][]gridCell
	var hiddenRows []int
	type stored struct {
		ref, raw, shown string
		row             int
	}
	var changed []stored
	hiddenCol := map[int]bool{}
	hcWith := map[int]bool{}
	var merges [][4]int // c0, r0, c1, r1, 1-based
	var (
		row            []gridCell
		rowNo          int
		rowHidden      bool
		rowAny         bool
		ref, typ       string
		style          int
		val, inline    strings.Builder
		inV, inIs, inC bool
	)
	put := func() error {
		c, r, err := excelize.CellNameToCoordinates(ref)
		if ref == "" {
			c, r, err = len(row)+1, rowNo, nil
		}
		if err != nil || r != rowNo || c > 16384 {
			return fmt.Errorf("a cell %q outside its row %d", ref, rowNo)
		}
		raw := val.String()
		text := raw
		switch typ {
		case "s":
			k, err := strconv.Atoi(strings.TrimSpace(raw))
			if err != nil || k < 0 || k >= len(sst) {
				return fmt.Errorf("cell %s refers to shared string %q of %d", ref, raw, len(sst))
			}
			text = sst[k]
		case "inlineStr":
			text = inline.String()
		case "b":
			text = "FALSE"
			if strings.TrimSpace(raw) == "1" {
				text = "TRUE"
			}
		case "", "n":
			if raw == "" {
				break
			}
			v, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
			if err != nil {
				break
			}
			shown, diff := numberCellText(v, strings.TrimSpace(raw), numFmt(style))
			text = shown
			if diff && !hiddenCol[c-1] && !rowHidden {
				changed = append(changed, stored{ref: ref, raw: strings.TrimSpace(raw), shown: shown, row: rowNo})
			}
		}
		text = officeCell(text)
		if text == "" {
			return nil
		}
		rowAny = true
		if hiddenCol[c-1] {
			hcWith[c-1] = true
		}
		for len(row) < c {
			row = append(row, gridCell{span: 1})
		}
		row[c-1].text = text
		return nil
	}
	data, err := readPart(part)
	if err != nil {
		return fmt.Errorf("damaged sheet: %v", err)
	}
	err = xmlScan(data, func(t *xmlEvent) error {
		switch t.kind {
		case xmlStart:
			switch string(t.name) {
			case "col":
				if v, _ := t.attr("hidden"); v == "1" || v == "true" {
					lo, _ := t.attr("min")
					hi, _ := t.attr("max")
					a, err1 := strconv.Atoi(lo)
					z, err2 := strconv.Atoi(hi)
					for c := a; err1 == nil && err2 == nil && c >= 1 && c <= z && c <= 16384; c++ {
						hiddenCol[c-1] = true
					}
				}
			case "row":
				n := rowNo + 1
				if v, ok := t.attr("r"); ok {
					k, err := strconv.Atoi(v)
					if err != nil || k <= rowNo || k > 1<<20 {
						return fmt.Errorf("row %q after row %d", v, rowNo)
					}
					n = k
				}
				for len(grid) < n-1 {
					grid = append(grid, []gridCell{})
				}
				rowNo, row, rowAny = n, nil, false
				v, _ := t.attr("hidden")
				rowHidden = v == "1" || v == "true"
			case "c":
				inC = true
				ref, _ = t.attr("r")
				typ, _ = t.attr("t")
				style = 0
				if v, ok := t.attr("s"); ok {
					style, _ = strconv.Atoi(v)
				}
				val.Reset()
				inline.Reset()
			case "v":
				inV = inC
			case "is":
				inIs = inC
			case "mergeCell":
				v, _ := t.attr("ref")
				from, to, ok := strings.Cut(v, ":")
				c0, r0, err1 := excelize.CellNameToCoordinates(from)
				c1, r1, err2 := excelize.CellNameToCoordinates(to)
				if ok && err1 == nil && err2 == nil && c1 >= c0 && r1 >= r0 {
					merges = append(merges, [4]int{c0, r0, c1, r1})
				}
			}
		case xmlText:
			switch {
			case inV:
				val.Write(t.text)
			case inIs:
				inline.Write(t.text) // the t elements of an inline string, rPh aside (rare)
			}
		case xmlEnd:
			switch string(t.name) {
			case "v":
				inV = false
			case "is":
				inIs = false
			case "c":
				if !inC {
					return nil
				}
				inC = false
				return put()
			case "row":
				if rowNo == 0 {
					return nil
				}
				for len(grid) < rowNo {
					grid = append(grid, []gridCell{})
				}
				if rowHidden {
					if rowAny {
						hiddenRows = append(hiddenRows, rowNo)
					}
					grid[rowNo-1] = nil
				} else {
					grid[rowNo-1] = row
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("damaged sheet: %v", err)
	}
	// Merged cells: the text stays in the first position, the rest is blank
	// (a producer may leave stale values under a merge).
	for _, m := range merges {
		c0, r0, c1, r1 := m[0], m[1], m[2], m[3]
		for rr := r0; rr <= r1 && rr <= len(grid); rr++ {
			for len(grid[rr-1]) > 0 && len(grid[rr-1]) < min(c1, 16384) {
				grid[rr-1] = append(grid[rr-1], gridCell{span: 1})
			}
			row := grid[rr-1]
			for cc := c0; cc <= c1 && cc <= len(row); cc++ {
				if rr == r0 && cc == c0 {
					row[cc-1].span = c1 - c0 + 1
					continue
				}
				row[cc-1].text = ""
			}
		}
	}
	for i := range grid {
		for c := range grid[i] {
			if grid[i][c].span == 0 {
				grid[i][c].span = 1
			}
		}
	}
	// Hidden columns are dropped from the grid, as they are not printed.
	if len(hiddenCol) > 0 {
		for i, row := range grid {
			var kept []gridCell
			for c, cell := range row {
				if !hiddenCol[c] {
					kept = append(kept, cell)
				}
			}
			if row != nil && kept == nil {
				kept = []gridCell{}
			}
			grid[i] = kept
		}
	}
	w.pageBreak()
	nos := w.table(grid)
	for _, s := range changed {
		w.o.Corrections = append(w.o.Corrections, OfficeCorrection{Field: "cell", Raw: s.raw, Normalized: s.shown, Rule: "office.number_format",
			Evidence: fmt.Sprintf("sheet %q cell %s stores %s; its number format shows %s", sheet, s.ref, s.raw, s.shown),
			Page:     w.page, Line: nos[s.row-1]})
	}
	if len(hiddenRows) > 0 {
		w.finding("office.hidden_rows", fmt.Sprintf("sheet %q: %s hidden (%s); not read", sheet, plural(len(hiddenRows), "row"), rowList(hiddenRows)), 0)
	}
	if len(hcWith) > 0 {
		var names []string
		for c := 0; c < 16384 && len(names) < len(hcWith); c++ {
			if hcWith[c] {
				names = append(names, colName(c))
			}
		}
		w.finding("office.hidden_columns", fmt.Sprintf("sheet %q: %s hidden (%s) with values; not read", sheet, plural(len(hcWith), "column"), strings.Join(names, ", ")), 0)
	}
	return nil
}

// styleNumFmt is the number format code of a cell style.
func styleNumFmt(f *excelize.File, id int) string {
	st, err := f.GetStyle(id)
	if err != nil || st == nil {
		return ""
	}
	if st.CustomNumFmt != nil && *st.CustomNumFmt != "" {
		return *st.CustomNumFmt
	}
	return builtinNumFmts[st.NumFmt]
}

// rowList names rows compactly: 3, 5–7.
func rowList(rs []int) string {
	var parts []string
	for i := 0; i < len(rs); {
		j := i
		for j+1 < len(rs) && rs[j+1] == rs[j]+1 {
			j++
		}
		if j > i {
			parts = append(parts, fmt.Sprintf("%d–%d", rs[i], rs[j]))
		} else {
			parts = append(parts, strconv.Itoa(rs[i]))
		}
		i = j + 1
	}
	if len(parts) > 12 {
		parts = append(parts[:12], "…")
	}
	return strings.Join(parts, ", ")
}

// hasVBA reports whether a zip package holds a VBA project.
func hasVBA(b []byte) bool {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return false
	}
	for _, f := range zr.File {
		if strings.HasSuffix(strings.ToLower(f.Name), "vbaproject.bin") {
			return true
		}
	}
	return false
}
