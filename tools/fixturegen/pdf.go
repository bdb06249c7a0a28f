package main

// fixturegen pdf IN OUT: typeset a text export as a PDF with go-pdf/fpdf, the
// way a word processor writes one: a TrueType CJK font embedded as a subset
// with Identity-H encoding (Type0 / CIDFontType2 + ToUnicode), text drawn
// line by line at absolute positions, tables as cell rectangles (ruling
// lines) with merged header cells, a diagonal tiled watermark behind the
// text and page numbers in the footer.
//
// Page breaks: a form feed in the export starts a new page; an export
// without form feeds gets the pages of the printed original (cover, TOC,
// each part, each standard table, each form on a new page, and a new page
// where a blank line interrupts a table). A table that runs over a page
// continues WITHOUT repeating its header rows. Pages holding a wide table
// (7+ columns) are landscape.
//
// Fonts, mixed the way a Chinese word processor mixes them: CJK text in
// FIXTUREGEN_CJK_FONT (default fonts-droid-fallback DroidSansFallbackFull.ttf,
// which has no ASCII glyphs), ASCII/Latin and “” … ≤ ≥ in
// FIXTUREGEN_LATIN_FONT (default fonts-liberation2 LiberationSerif-Regular.ttf,
// Times New Roman metrics), anything else (① ②) in FIXTUREGEN_SYMBOL_FONT
// (default fonts-dejavu-core DejaVuSans.ttf). A line such as
// 一般公共预算330.23万元 is therefore three text runs in two fonts. Every
// font is embedded as a subset (Type0, CIDFontType2, Identity-H, ToUnicode).
// The output is deterministic: fixed creation/modification dates, sorted
// catalog, no random IDs.

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"time"
	"unicode"

	"github.com/go-pdf/fpdf"
)

var fontFiles = []struct{ family, env, def string }{
	{"cjk", "FIXTUREGEN_CJK_FONT", "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"},
	{"latin", "FIXTUREGEN_LATIN_FONT", "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"},
	{"symbol", "FIXTUREGEN_SYMBOL_FONT", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"},
}

// fixedDate is the creation and modification date written into every PDF.
var fixedDate = time.Date(2026, 1, 28, 9, 30, 0, 0, time.FixedZone("CST", 8*3600))

const (
	fontFamily = "cjk"
	ptMM       = 25.4 / 72 // one point in mm
	marginLR   = 20.0
	marginTop  = 22.0
	marginBot  = 20.0
)

// ToPDF renders a text export as a PDF (see the package comment of pdf.go).
func ToPDF(b []byte) ([]byte, error) {
	fonts := map[string][]byte{}
	for _, ff := range fontFiles {
		path := os.Getenv(ff.env)
		if path == "" {
			path = ff.def
		}
		font, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("%s font (set %s; Debian packages fonts-droid-fallback fonts-liberation2 fonts-dejavu-core): %w", ff.family, ff.env, err)
		}
		fonts[ff.family] = font
	}
	return RenderPDF(ParseDoc(string(b)), fonts)
}

// fontFor picks the font family of a rune.
func fontFor(r rune) string {
	switch {
	case r < 0x250, r >= 0x2000 && r <= 0x206F, r >= 0x20A0 && r <= 0x20CF, r >= 0x2200 && r <= 0x22FF:
		return "latin"
	case r >= 0x2E80:
		return "cjk"
	}
	return "symbol"
}

type fontRun struct{ font, text string }

// runs splits s into runs of one font.
func runs(s string) []fontRun {
	var out []fontRun
	for _, r := range s {
		fn := fontFor(r)
		if n := len(out); n > 0 && out[n-1].font == fn {
			out[n-1].text += string(r)
			continue
		}
		out = append(out, fontRun{fn, string(r)})
	}
	return out
}

type pdfWriter struct {
	f         *fpdf.Fpdf
	size      float64            // current font size (pt)
	widths    map[string]float64 // font+rune → advance at 1 pt, in mm
	landscape bool
	y         float64
	started   bool
}

// RenderPDF typesets d with the TrueType font ttf.
func RenderPDF(d *Doc, fonts map[string][]byte) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("fpdf: %v", r)
		}
	}()
	f := fpdf.New("P", "mm", "A4", "")
	f.SetCreationDate(fixedDate)
	f.SetModificationDate(fixedDate)
	f.SetCatalogSort(true)
	f.SetCompression(true)
	f.SetAutoPageBreak(false, marginBot)
	f.SetMargins(marginLR, marginTop, marginLR)
	for _, ff := range fontFiles {
		f.AddUTF8FontFromBytes(ff.family, "", fonts[ff.family])
	}
	f.SetTitle(d.Title, true)
	f.SetSubject(d.Subject, true)
	f.SetCreator("gongkai fixturegen pdf", true)
	f.SetProducer("go-pdf/fpdf v0.9.0", true)
	w := &pdfWriter{f: f, widths: map[string]float64{}}
	f.SetHeaderFunc(w.watermark)
	f.SetFooterFunc(w.footer)
	w.setSize(10.5)
	for _, b := range d.Blocks {
		if b.PageBreak || !w.started {
			w.newPage(b.Landscape)
		}
		if b.Para {
			w.para(b)
		} else {
			w.table(b.Table)
		}
	}
	if !w.started {
		w.newPage(false)
	}
	if err := f.Error(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (w *pdfWriter) pageSize() (float64, float64) {
	if w.landscape {
		return 297, 210
	}
	return 210, 297
}

func (w *pdfWriter) textWidth() float64 {
	pw, _ := w.pageSize()
	return pw - 2*marginLR
}

func (w *pdfWriter) bottom() float64 {
	_, ph := w.pageSize()
	return ph - marginBot
}

func (w *pdfWriter) newPage(landscape bool) {
	w.landscape = landscape
	w.started = true
	orient := "P"
	if landscape {
		orient = "L"
	}
	size := w.size
	w.f.AddPageFormat(orient, fpdf.SizeType{Wd: 210, Ht: 297})
	w.setSize(size)
	w.f.SetTextColor(0, 0, 0)
	w.f.SetDrawColor(0, 0, 0)
	w.y = marginTop
}

func (w *pdfWriter) setSize(pt float64) {
	w.size = pt
	w.f.SetFont(fontFamily, "", pt)
}

// measure is the width of s in mm at the current size.
func (w *pdfWriter) measure(s string) float64 {
	tot := 0.0
	for _, r := range s {
		fn := fontFor(r)
		key := fn + string(r)
		v, ok := w.widths[key]
		if !ok {
			w.f.SetFont(fn, "", 10)
			v = w.f.GetStringWidth(string(r)) / 10
			w.widths[key] = v
			w.f.SetFont(fontFamily, "", w.size)
		}
		tot += v
	}
	return tot * w.size
}

// text draws s with its baseline at y, one Text call per font run.
func (w *pdfWriter) text(x, y float64, s string) {
	for _, rn := range runs(s) {
		w.f.SetFont(rn.font, "", w.size)
		w.f.Text(x, y, rn.text)
		x += w.measure(rn.text)
	}
	w.f.SetFont(fontFamily, "", w.size)
}

// ensure starts a new page (same orientation) unless h mm fit on this one.
func (w *pdfWriter) ensure(h float64) {
	if w.y+h > w.bottom() {
		w.newPage(w.landscape)
	}
}

// watermark draws 仅供内部审核 rotated 45°, tiled in light grey, before the
// page content (header function).
func (w *pdfWriter) watermark() {
	f := w.f
	pw, ph := f.GetPageSize()
	size := w.size
	w.setSize(24)
	f.SetTextColor(222, 222, 222)
	tw := w.measure(watermarkText)
	row := 0
	for y := 45.0; y < ph+20; y += 62 {
		off := 0.0
		if row%2 == 1 {
			off = 42
		}
		for x := -10.0 + off; x < pw; x += 84 {
			f.TransformBegin()
			f.TransformRotate(45, x+tw/2, y)
			w.text(x, y, watermarkText)
			f.TransformEnd()
		}
		row++
	}
	f.SetTextColor(0, 0, 0)
	w.setSize(size)
}

func (w *pdfWriter) footer() {
	f := w.f
	pw, ph := f.GetPageSize()
	size := w.size
	w.setSize(9)
	f.SetTextColor(0, 0, 0)
	s := fmt.Sprintf("- %d -", f.PageNo())
	w.text((pw-w.measure(s))/2, ph-10, s)
	w.setSize(size)
}

type pstyle struct {
	size        float64 // pt
	align       byte    // L C R
	indent      float64 // first-line indent in em
	before      float64 // mm
	after       float64 // mm
	lead        float64 // line height / font size
	grey        bool
	left        float64 // extra left margin (mm)
	keepWithNxt bool
}

func styleOf(s paraStyle) pstyle {
	switch s {
	case psCover:
		return pstyle{size: 24, align: 'C', before: 14, after: 10, lead: 1.4}
	case psWatermark:
		return pstyle{size: 10, align: 'C', before: 1.5, after: 1.5, lead: 1.3, grey: true}
	case psTOCTitle:
		return pstyle{size: 16, align: 'C', before: 4, after: 8, lead: 1.4}
	case psTOC:
		return pstyle{size: 10.5, align: 'L', after: 0.5, lead: 1.3}
	case psPart:
		return pstyle{size: 15, align: 'C', before: 4, after: 6, lead: 1.4}
	case psH1:
		return pstyle{size: 11.5, align: 'L', before: 3, after: 2, lead: 1.5, keepWithNxt: true}
	case psH2:
		return pstyle{size: 10.5, align: 'L', before: 1.5, after: 1.5, lead: 1.5, left: 3.7, keepWithNxt: true}
	case psTableLabel:
		return pstyle{size: 10, align: 'L', after: 2, lead: 1.3}
	case psTableTitle:
		return pstyle{size: 15, align: 'C', before: 2, after: 4, lead: 1.35}
	case psFormTitle:
		return pstyle{size: 13, align: 'C', before: 2, after: 3, lead: 1.35}
	case psMetaLeft, psMetaPair:
		return pstyle{size: 10, align: 'L', after: 1, lead: 1.4}
	case psMetaRight:
		return pstyle{size: 10, align: 'R', after: 1.5, lead: 1.4}
	case psCenter:
		return pstyle{size: 10.5, align: 'C', after: 3, lead: 1.4}
	case psNote:
		return pstyle{size: 9, align: 'L', before: 1.5, after: 2, lead: 1.5}
	}
	return pstyle{size: 10.5, align: 'J', indent: 2, after: 2, lead: 1.65}
}

func (w *pdfWriter) para(b Block) {
	f := w.f
	st := styleOf(b.Style)
	w.setSize(st.size)
	lh := st.size * ptMM * st.lead
	width := w.textWidth() - st.left
	indent := st.indent * st.size * ptMM
	text := b.Text
	if b.Style == psTOC || b.Style == psMetaPair {
		// left text and right text on one line
		rw := w.measure(b.Right)
		lines := w.wrap(text, width-rw-6, 0, false)
		w.y += st.before
		w.ensure(float64(len(lines)) * lh)
		for i, l := range lines {
			w.y += lh
			w.text(marginLR+st.left, w.y-lh*0.28, l)
			if i == len(lines)-1 {
				w.text(marginLR+w.textWidth()-rw, w.y-lh*0.28, b.Right)
			}
		}
		w.y += st.after
		return
	}
	lines := w.wrap(text, width, indent, false)
	need := float64(len(lines))*lh + st.before
	if st.keepWithNxt {
		need += 3 * lh
	}
	if w.y+need > w.bottom() {
		w.newPage(w.landscape)
	} else {
		w.y += st.before
	}
	if st.grey {
		f.SetTextColor(150, 150, 150)
	}
	for i, l := range lines {
		w.ensure(lh)
		w.y += lh
		x := marginLR + st.left
		lw := w.measure(l)
		switch st.align {
		case 'C':
			x += (width - lw) / 2
		case 'R':
			x += width - lw
		default:
			if i == 0 {
				x += indent
			}
		}
		w.text(x, w.y-lh*0.28, l)
	}
	f.SetTextColor(0, 0, 0)
	w.y += st.after
}

// breakable reports whether a line may break between a and b.
func breakable(a, b rune) bool {
	if strings.ContainsRune("，。、；：！？）》」』】”’%,.;:!?)", b) {
		return false // no closing punctuation at the start of a line
	}
	if strings.ContainsRune("（《「『【“‘(", a) {
		return false // no opening punctuation at the end of a line
	}
	asciiWord := func(r rune) bool {
		return r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == ',' || r == '-' || r == '%')
	}
	return !(asciiWord(a) && asciiWord(b))
}

// wrap breaks s into lines no wider than width (the first line indent mm
// narrower): anywhere between CJK characters, never inside a number or
// Latin word, with simple kinsoku for punctuation. In a table cell
// (cell=true) a space between two CJK characters is a forced break: the
// line break in a cell that the text export shows as a wrap space.
func (w *pdfWriter) wrap(s string, width, indent float64, cell bool) []string {
	var out []string
	parts := []string{s}
	if cell {
		parts = splitWrapSpaces(s)
	}
	for _, part := range parts {
		out = append(out, w.wrapPart(part, width, indent)...)
		indent = 0
	}
	if len(out) == 0 {
		out = []string{""}
	}
	return out
}

func splitWrapSpaces(s string) []string {
	rs := []rune(s)
	var parts []string
	start := 0
	for i := 1; i+1 < len(rs); i++ {
		if rs[i] == ' ' && isWide(rs[i-1]) && isWide(rs[i+1]) {
			parts = append(parts, string(rs[start:i]))
			start = i + 1
		}
	}
	return append(parts, string(rs[start:]))
}

func isWide(r rune) bool { return DisplayWidth(string(r)) == 2 }

func (w *pdfWriter) wrapPart(s string, width, indent float64) []string {
	rs := []rune(s)
	var lines []string
	for len(rs) > 0 {
		avail := width - indent
		indent = 0
		// longest prefix that fits
		n := 0
		used := 0.0
		for n < len(rs) {
			used += w.measure(string(rs[n]))
			if used > avail {
				break
			}
			n++
		}
		if n == len(rs) {
			lines = append(lines, string(rs))
			break
		}
		if n == 0 {
			n = 1
		}
		// move back to a legal break point
		k := n
		for k > 1 && !breakable(rs[k-1], rs[k]) {
			k--
		}
		if k <= 1 {
			k = n
		}
		// allow one closing punctuation mark to hang in the margin
		if k == n && n < len(rs) && strings.ContainsRune("，。、；：）”", rs[n]) {
			k = n + 1
		}
		lines = append(lines, strings.TrimRight(string(rs[:k]), " "))
		rs = []rune(strings.TrimLeft(string(rs[k:]), " "))
	}
	return lines
}

const (
	cellPadX = 1.8
	cellPadY = 1.0
)

// table draws t: per-cell rectangles, wrapped text, amounts right-aligned,
// merged cells as one rectangle. Rows keep together with the rows their
// merged cells span; the table continues on a new page without its header.
func (w *pdfWriter) table(t *Table) {
	f := w.f
	size := 9.0
	if t.Kind == tkForm {
		size = 8.5
	}
	w.setSize(size)
	lh := size * ptMM * 1.3
	avail := w.textWidth()
	cw := w.columnWidths(t, avail)
	spanW := func(c, n int) float64 {
		s := 0.0
		for i := c; i < c+n; i++ {
			s += cw[i]
		}
		return s
	}
	// wrapped lines of every cell and the row heights
	lines := make([][][]string, len(t.Rows))
	rh := make([]float64, len(t.Rows))
	minH := lh + 2*cellPadY
	for r := range t.Rows {
		lines[r] = make([][]string, t.NCols)
		rh[r] = minH
		for c := range t.Rows[r] {
			sp := t.Spans[r][c]
			if sp.Covered {
				continue
			}
			lines[r][c] = w.wrap(t.Rows[r][c], spanW(c, sp.ColSpan)-2*cellPadX, 0, true)
			if sp.RowSpan == 1 {
				if h := float64(len(lines[r][c]))*lh + 2*cellPadY; h > rh[r] {
					rh[r] = h
				}
			}
		}
	}
	for r := range t.Rows { // merged cells taller than their rows
		for c := range t.Rows[r] {
			sp := t.Spans[r][c]
			if sp.Covered || sp.RowSpan == 1 {
				continue
			}
			need := float64(len(lines[r][c]))*lh + 2*cellPadY
			have := 0.0
			for i := r; i < r+sp.RowSpan; i++ {
				have += rh[i]
			}
			if need > have {
				rh[r+sp.RowSpan-1] += need - have
			}
		}
	}
	// groups of rows tied together by vertical merges
	groupEnd := func(r int) int {
		end := r
		for i := r; i <= end; i++ {
			for c := 0; c < t.NCols; c++ {
				sp := t.Spans[i][c]
				if !sp.Covered && i+sp.RowSpan-1 > end {
					end = i + sp.RowSpan - 1
				}
			}
		}
		return end
	}
	w.y += 0.5
	f.SetLineWidth(0.2)
	for r := 0; r < len(t.Rows); {
		end := groupEnd(r)
		gh := 0.0
		for i := r; i <= end; i++ {
			gh += rh[i]
		}
		_, ph := w.pageSize()
		full := ph - marginTop - marginBot
		if (t.Breaks[r] && r > 0) || (w.y+gh > w.bottom() && gh <= full) {
			w.newPage(w.landscape)
			f.SetLineWidth(0.2)
		}
		// draw rows r..end
		ys := make([]float64, end-r+2)
		ys[0] = w.y
		for i := r; i <= end; i++ {
			ys[i-r+1] = ys[i-r] + rh[i]
		}
		for i := r; i <= end; i++ {
			x := marginLR
			for c := 0; c < t.NCols; c++ {
				sp := t.Spans[i][c]
				if sp.Covered {
					x += cw[c]
					continue
				}
				cwid := spanW(c, sp.ColSpan)
				y0 := ys[i-r]
				y1 := ys[min(i-r+sp.RowSpan, len(ys)-1)]
				f.Rect(x, y0, cwid, y1-y0, "D")
				ls := lines[i][c]
				th := float64(len(ls)) * lh
				ty := y0 + (y1-y0-th)/2
				al := cellAlign(t, i, c)
				for k, l := range ls {
					if l == "" {
						continue
					}
					lw := w.measure(l)
					tx := x + cellPadX
					switch {
					case al == 'R':
						tx = x + cwid - cellPadX - lw
					case al == 'C' || len(ls) > 1 && i < t.Header:
						tx = x + (cwid-lw)/2
					}
					w.text(tx, ty+float64(k+1)*lh-lh*0.27, l)
				}
				x += cw[c]
			}
		}
		w.y = ys[len(ys)-1]
		r = end + 1
	}
	w.y += 2
}

// columnWidths gives each column its natural width (widest single-column
// cell), narrows the widest columns until the table fits avail, and widens
// all columns proportionally to fill avail.
func (w *pdfWriter) columnWidths(t *Table, avail float64) []float64 {
	nat := make([]float64, t.NCols)
	for r, row := range t.Rows {
		for c, v := range row {
			sp := t.Spans[r][c]
			if sp.Covered || sp.ColSpan > 1 {
				continue
			}
			wd := 0.0
			for _, part := range splitWrapSpaces(v) {
				wd = max(wd, w.measure(part))
			}
			if r < t.Header && wd > 30 { // header labels may wrap
				wd = 30
			}
			if wd+2*cellPadX > nat[c] {
				nat[c] = wd + 2*cellPadX
			}
		}
	}
	for c := range nat {
		nat[c] = max(nat[c], 12)
	}
	capW := 0.0
	for _, v := range nat {
		capW = max(capW, v)
	}
	sum := func(cp float64) float64 {
		s := 0.0
		for _, v := range nat {
			s += min(v, cp)
		}
		return s
	}
	if sum(capW) > avail {
		lo, hi := 0.0, capW
		for range 50 {
			mid := (lo + hi) / 2
			if sum(mid) > avail {
				hi = mid
			} else {
				lo = mid
			}
		}
		capW = lo
	}
	out := make([]float64, t.NCols)
	tot := 0.0
	for c, v := range nat {
		out[c] = min(v, capW)
		tot += out[c]
	}
	if tot < avail {
		for c := range out {
			out[c] *= avail / tot
		}
	}
	return out
}
