package extract

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// readXLSX reads an Office Open XML workbook (.xlsx, and .xlsm, whose
// macros are never run nor read) with excelize: each visible sheet is a
// page; a cell shows its cached value (a formula's last result) through
// its number format; merged cells keep their text in their first
// position; hidden sheets, rows and columns are left out and reported.
func readXLSX(path string, b []byte) (*Office, error) {
	if bytes.HasPrefix(b, cfbMagic) {
		if cfbKind(b) == "EncryptedPackage" {
			return nil, fmt.Errorf("workbook is %w", ErrProtected)
		}
		return nil, errors.New("not an .xlsx workbook: a compound file (an .xls workbook or a Word 97–2003 document)")
	}
	if _, err := zip.NewReader(bytes.NewReader(b), int64(len(b))); err != nil {
		return nil, fmt.Errorf("damaged workbook: not a readable zip archive (%v)", err)
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
	fmts := map[int]string{} // style id → number format code
	for _, name := range sheets {
		visible, err := f.GetSheetVisible(name)
		if err != nil {
			return nil, fmt.Errorf("sheet %q: %v", name, err)
		}
		if !visible {
			w.finding("office.hidden_sheet", fmt.Sprintf("sheet %q is hidden; it was not read", name), 0)
			continue
		}
		if err := readXLSXSheet(f, name, w, fmts); err != nil {
			return nil, fmt.Errorf("sheet %q: %w", name, err)
		}
	}
	return w.finish(path)
}

// readXLSXSheet writes one visible sheet as a page.
func readXLSXSheet(f *excelize.File, sheet string, w *officeText, fmts map[int]string) error {
	rows, err := f.Rows(sheet)
	if err != nil {
		return err
	}
	defer rows.Close()
	var grid [][]gridCell
	var hiddenRows []int
	type stored struct {
		ref, raw, shown string
		row             int
	}
	var changed []stored
	hiddenCol := map[int]bool{}
	colChecked := map[int]bool{}
	r := 0
	for rows.Next() {
		r++
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return err
		}
		if rows.GetRowOpts().Hidden {
			if slicesAnyNonEmpty(cols) {
				hiddenRows = append(hiddenRows, r)
			}
			grid = append(grid, nil)
			continue
		}
		row := make([]gridCell, len(cols))
		for c, raw := range cols {
			row[c].span = 1
			if raw == "" {
				continue
			}
			if !colChecked[c] {
				colChecked[c] = true
				name, _ := excelize.ColumnNumberToName(c + 1)
				if v, err := f.GetColVisible(sheet, name); err == nil && !v {
					hiddenCol[c] = true
				}
			}
			if hiddenCol[c] {
				continue
			}
			ref, _ := excelize.CoordinatesToCellName(c+1, r)
			text := raw
			typ, _ := f.GetCellType(sheet, ref)
			switch typ {
			case excelize.CellTypeUnset, excelize.CellTypeNumber:
				v, err := strconv.ParseFloat(raw, 64)
				if err != nil {
					break
				}
				code := ""
				if id, err := f.GetCellStyle(sheet, ref); err == nil {
					var ok bool
					if code, ok = fmts[id]; !ok {
						code = styleNumFmt(f, id)
						fmts[id] = code
					}
				}
				shown, diff := numberCellText(v, raw, code)
				text = shown
				if diff {
					changed = append(changed, stored{ref: ref, raw: raw, shown: shown, row: r})
				}
			case excelize.CellTypeBool:
				if raw == "1" {
					text = "TRUE"
				} else {
					text = "FALSE"
				}
			}
			row[c].text = officeCell(text)
		}
		grid = append(grid, row)
	}
	if err := rows.Error(); err != nil {
		return err
	}
	// Merged cells: the text stays in the first position, the rest is blank
	// (a producer may leave stale values under a merge).
	merges, err := f.GetMergeCells(sheet, true)
	if err != nil {
		return err
	}
	for _, m := range merges {
		c0, r0, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		c1, r1, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 != nil || err2 != nil {
			continue
		}
		for rr := r0; rr <= r1 && rr <= len(grid); rr++ {
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
	var hc []int
	for c := range hiddenCol {
		hc = append(hc, c)
	}
	// Hidden columns are dropped from the grid, as they are not printed.
	if len(hc) > 0 {
		for i, row := range grid {
			var kept []gridCell
			for c, cell := range row {
				if !hiddenCol[c] {
					kept = append(kept, cell)
				}
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
	if len(hc) > 0 {
		var names []string
		for c := 0; c < 16384 && len(names) < len(hc); c++ {
			if hiddenCol[c] {
				n, _ := excelize.ColumnNumberToName(c + 1)
				names = append(names, n)
			}
		}
		w.finding("office.hidden_columns", fmt.Sprintf("sheet %q: %s hidden (%s) with values; not read", sheet, plural(len(hc), "column"), strings.Join(names, ", ")), 0)
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

func slicesAnyNonEmpty(ss []string) bool {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return true
		}
	}
	return false
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
