package extract

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/richardlehane/mscfb"
)

// The .xls reader: BIFF8 (Excel 97 and later, and what WPS and LibreOffice
// write as .xls) read record by record from the Workbook stream of its
// compound file (github.com/richardlehane/mscfb, the container reader
// excelize uses for encrypted workbooks). It reads what the .xlsx reader
// reads and the same way: the shared strings, cell values (numbers, RK
// and MULRK, labels, a formula's cached result), each cell's number
// format through its XF, merged cells, and the hidden flags of sheets,
// rows and columns. Why not another reader: docs/office.md.

var cfbMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// cfbStreams reads the streams of a compound file by name (at the top
// level), at most limit bytes each. A panic of the container reader on a
// damaged file becomes an error.
func cfbStreams(b []byte, want func(name string) bool) (streams map[string][]byte, names []string, err error) {
	defer func() {
		if r := recover(); r != nil {
			streams, names, err = nil, nil, fmt.Errorf("damaged compound file: %v", r)
		}
	}()
	r, err := mscfb.New(bytes.NewReader(b))
	if err != nil {
		if len(b)%512 != 0 || strings.Contains(err.Error(), "EOF") {
			// its sectors are whole 512-byte blocks; an end within one, or a
			// directory past the end, is a file cut short
			return nil, nil, fmt.Errorf("damaged compound file: truncated (%d bytes; %v)", len(b), err)
		}
		return nil, nil, fmt.Errorf("damaged compound file: %v", err)
	}
	streams = map[string][]byte{}
	for i := 0; i < 10000; i++ {
		e, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("damaged compound file: %v", err)
		}
		names = append(names, e.Name)
		if len(e.Path) > 0 || !want(e.Name) {
			continue
		}
		if e.Size < 0 || e.Size > int64(len(b))+4096 {
			return nil, nil, fmt.Errorf("damaged compound file: stream %s says it holds %d bytes in a file of %d", e.Name, e.Size, len(b))
		}
		buf := make([]byte, e.Size)
		n, err := io.ReadFull(e, buf)
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, nil, fmt.Errorf("damaged compound file: stream %s: %v", e.Name, err)
		}
		if int64(n) < e.Size {
			return nil, nil, fmt.Errorf("damaged or truncated file: stream %s holds %d of its %d bytes", e.Name, n, e.Size)
		}
		streams[e.Name] = buf
	}
	return streams, names, nil
}

// cfbKind names the stream that says what a compound file is: Workbook
// (BIFF8), Book (BIFF5), WordDocument, EncryptedPackage (a password-
// protected Office Open XML file); "" when none.
func cfbKind(b []byte) string {
	_, names, err := cfbStreams(b, func(string) bool { return false })
	if err != nil {
		return ""
	}
	for _, want := range []string{"EncryptedPackage", "Workbook", "Book", "WordDocument"} {
		for _, n := range names {
			if n == want {
				return want
			}
		}
	}
	return ""
}

// BIFF record types read.
const (
	biffFormula    = 0x0006
	biffEOF        = 0x000A
	biffHeader     = 0x0014
	biffDateMode   = 0x0022
	biffFilePass   = 0x002F
	biffContinue   = 0x003C
	biffCodePage   = 0x0042
	biffColInfo    = 0x007D
	biffBoundSheet = 0x0085
	biffMulRK      = 0x00BD
	biffXF         = 0x00E0
	biffMergeCells = 0x00E5
	biffSST        = 0x00FC
	biffLabelSST   = 0x00FD
	biffNumber     = 0x0203
	biffLabel      = 0x0204
	biffBoolErr    = 0x0205
	biffStringRec  = 0x0207
	biffRow        = 0x0208
	biffRK         = 0x027E
	biffFormat     = 0x041E
	biffBOF        = 0x0809
	biffRString    = 0x00D6
)

type biffRecord struct {
	typ  uint16
	data []byte
	cont [][]byte // the CONTINUE records that follow it
}

// biffRecords splits a stream at offset into records, up to the EOF of
// its substream; CONTINUE records are attached to the record before them.
func biffRecords(s []byte, off int) ([]biffRecord, error) {
	var out []biffRecord
	for off+4 <= len(s) {
		typ := binary.LittleEndian.Uint16(s[off:])
		n := int(binary.LittleEndian.Uint16(s[off+2:]))
		if off+4+n > len(s) {
			return nil, fmt.Errorf("truncated workbook: record 0x%04X at byte %d runs past the end of the stream", typ, off)
		}
		data := s[off+4 : off+4+n]
		off += 4 + n
		if typ == biffContinue && len(out) > 0 {
			out[len(out)-1].cont = append(out[len(out)-1].cont, data)
			continue
		}
		out = append(out, biffRecord{typ: typ, data: data})
		if typ == biffEOF {
			return out, nil
		}
	}
	return nil, errors.New("truncated workbook: a substream ends without its EOF record")
}

type biffSheet struct {
	name   string
	offset int
	state  byte // 0 visible, 1 hidden, 2 very hidden
	kind   byte // 0 worksheet, 1 macro, 2 chart, 6 VB module
}

type biffBook struct {
	sst      []string
	formats  map[int]string
	xfFormat []int
	sheets   []biffSheet
	date1904 bool
}

// readXLS reads a BIFF8 workbook.
func readXLS(path string, b []byte) (*Office, error) {
	if !bytes.HasPrefix(b, cfbMagic) {
		if len(b) == 0 {
			return nil, ErrEmpty
		}
		return nil, errors.New("not an .xls workbook: it is not a compound file (nor HTML, nor an .xlsx zip)")
	}
	streams, names, err := cfbStreams(b, func(n string) bool { return n == "Workbook" || n == "Book" || n == "_VBA_PROJECT_CUR" })
	if err != nil {
		return nil, err
	}
	wb, ok := streams["Workbook"]
	if !ok {
		for _, n := range names {
			switch n {
			case "Book":
				return nil, errors.New("an Excel 5.0/95 workbook (BIFF5); save it as .xls (97–2003) or .xlsx")
			case "EncryptedPackage":
				return nil, fmt.Errorf("workbook is %w", ErrProtected)
			case "WordDocument":
				return nil, errors.New("not a workbook: a Word 97–2003 document")
			}
		}
		return nil, errors.New("not a workbook: the compound file has no Workbook stream")
	}
	glob, err := biffRecords(wb, 0)
	if err != nil {
		return nil, err
	}
	if len(glob) == 0 || glob[0].typ != biffBOF || len(glob[0].data) < 4 {
		return nil, errors.New("damaged workbook: the Workbook stream does not start with a BOF record")
	}
	if v := binary.LittleEndian.Uint16(glob[0].data); v != 0x0600 {
		return nil, fmt.Errorf("a BIFF version 0x%04X workbook (before Excel 97); save it as .xls (97–2003) or .xlsx", v)
	}
	bk := &biffBook{formats: map[int]string{}}
	for _, r := range glob {
		switch r.typ {
		case biffFilePass:
			return nil, fmt.Errorf("workbook is %w", ErrProtected)
		case biffDateMode:
			bk.date1904 = len(r.data) >= 2 && r.data[0] == 1
		case biffFormat:
			if len(r.data) >= 4 {
				s, _, err := biffString(r.data[2:], 2, nil)
				if err == nil {
					bk.formats[int(binary.LittleEndian.Uint16(r.data))] = s
				}
			}
		case biffXF:
			if len(r.data) >= 4 {
				bk.xfFormat = append(bk.xfFormat, int(binary.LittleEndian.Uint16(r.data[2:])))
			}
		case biffBoundSheet:
			if len(r.data) >= 8 {
				name, _, err := biffString(r.data[6:], 1, nil)
				if err != nil {
					return nil, fmt.Errorf("damaged workbook: a sheet name: %v", err)
				}
				bk.sheets = append(bk.sheets, biffSheet{name: name, offset: int(binary.LittleEndian.Uint32(r.data)), state: r.data[4] & 3, kind: r.data[5]})
			}
		case biffSST:
			if bk.sst, err = readSST(r); err != nil {
				return nil, fmt.Errorf("damaged workbook: shared strings: %v", err)
			}
		}
	}
	if len(bk.sheets) == 0 {
		return nil, fmt.Errorf("%w: the workbook has no sheets", ErrEmpty)
	}
	w := newOfficeText()
	if _, ok := streams["_VBA_PROJECT_CUR"]; ok || containsName(names, "_VBA_PROJECT_CUR") {
		w.finding("office.macros_ignored", "the workbook holds macros (a VBA project); they were neither run nor read", 0)
	}
	for _, sh := range bk.sheets {
		if sh.kind != 0 {
			continue // charts, macro sheets, modules
		}
		if sh.state != 0 {
			w.finding("office.hidden_sheet", fmt.Sprintf("sheet %q is hidden; it was not read", sh.name), 0)
			continue
		}
		if sh.offset < 0 || sh.offset >= len(wb) {
			return nil, fmt.Errorf("truncated workbook: sheet %q starts at byte %d of a %d-byte stream", sh.name, sh.offset, len(wb))
		}
		recs, err := biffRecords(wb, sh.offset)
		if err != nil {
			return nil, fmt.Errorf("sheet %q: %w", sh.name, err)
		}
		if err := bk.readSheet(sh.name, recs, w); err != nil {
			return nil, fmt.Errorf("sheet %q: %w", sh.name, err)
		}
	}
	return w.finish(path)
}

func containsName(names []string, n string) bool {
	for _, x := range names {
		if x == n {
			return true
		}
	}
	return false
}

type biffCell struct {
	text    string
	raw     string // the stored number, when it is one
	shown   bool   // text differs from the stored number
	present bool
}

// readSheet writes one worksheet substream as a page.
func (bk *biffBook) readSheet(name string, recs []biffRecord, w *officeText) error {
	cells := map[[2]int]*biffCell{}
	hiddenRow := map[int]bool{}
	hiddenCol := map[int]bool{}
	var merges [][4]int
	maxR, maxC := -1, -1
	put := func(r, c int, cell *biffCell) {
		cells[[2]int{r, c}] = cell
		maxR, maxC = max(maxR, r), max(maxC, c)
	}
	num := func(r, c, xf int, v float64) {
		code := "General"
		if xf >= 0 && xf < len(bk.xfFormat) {
			id := bk.xfFormat[xf]
			if s, ok := bk.formats[id]; ok {
				code = s
			} else if s, ok := builtinNumFmts[id]; ok {
				code = s
			}
		}
		raw := strconv.FormatFloat(v, 'g', -1, 64)
		shown, diff := numberCellText(v, raw, code)
		put(r, c, &biffCell{text: officeCell(shown), raw: raw, shown: diff, present: true})
	}
	for i := 0; i < len(recs); i++ {
		rec := recs[i]
		d := rec.data
		switch rec.typ {
		case biffRow:
			if len(d) >= 16 && binary.LittleEndian.Uint16(d[12:])&0x20 != 0 {
				hiddenRow[int(binary.LittleEndian.Uint16(d))] = true
			}
		case biffColInfo:
			if len(d) >= 10 && binary.LittleEndian.Uint16(d[8:])&1 != 0 {
				for c := int(binary.LittleEndian.Uint16(d)); c <= int(binary.LittleEndian.Uint16(d[2:])) && c < 256; c++ {
					hiddenCol[c] = true
				}
			}
		case biffMergeCells:
			if len(d) >= 2 {
				n := int(binary.LittleEndian.Uint16(d))
				for k := 0; k < n && 2+8*k+8 <= len(d); k++ {
					p := d[2+8*k:]
					merges = append(merges, [4]int{int(binary.LittleEndian.Uint16(p)), int(binary.LittleEndian.Uint16(p[2:])),
						int(binary.LittleEndian.Uint16(p[4:])), int(binary.LittleEndian.Uint16(p[6:]))})
				}
			}
		case biffLabelSST:
			if len(d) >= 10 {
				k := int(binary.LittleEndian.Uint32(d[6:]))
				if k >= len(bk.sst) {
					return fmt.Errorf("damaged workbook: cell refers to shared string %d of %d", k, len(bk.sst))
				}
				put(int(binary.LittleEndian.Uint16(d)), int(binary.LittleEndian.Uint16(d[2:])), &biffCell{text: officeCell(bk.sst[k]), present: true})
			}
		case biffLabel, biffRString:
			if len(d) >= 8 {
				s, _, err := biffString(d[6:], 2, nil)
				if err != nil {
					return fmt.Errorf("damaged workbook: a label: %v", err)
				}
				put(int(binary.LittleEndian.Uint16(d)), int(binary.LittleEndian.Uint16(d[2:])), &biffCell{text: officeCell(s), present: true})
			}
		case biffNumber:
			if len(d) >= 14 {
				num(int(binary.LittleEndian.Uint16(d)), int(binary.LittleEndian.Uint16(d[2:])), int(binary.LittleEndian.Uint16(d[4:])),
					math.Float64frombits(binary.LittleEndian.Uint64(d[6:])))
			}
		case biffRK:
			if len(d) >= 10 {
				num(int(binary.LittleEndian.Uint16(d)), int(binary.LittleEndian.Uint16(d[2:])), int(binary.LittleEndian.Uint16(d[4:])),
					rkValue(binary.LittleEndian.Uint32(d[6:])))
			}
		case biffMulRK:
			if len(d) >= 6 {
				r, c0 := int(binary.LittleEndian.Uint16(d)), int(binary.LittleEndian.Uint16(d[2:]))
				for k := 0; 4+6*k+6 <= len(d)-2; k++ {
					p := d[4+6*k:]
					num(r, c0+k, int(binary.LittleEndian.Uint16(p)), rkValue(binary.LittleEndian.Uint32(p[2:])))
				}
			}
		case biffBoolErr:
			if len(d) >= 8 && d[7] == 0 {
				t := "FALSE"
				if d[6] != 0 {
					t = "TRUE"
				}
				put(int(binary.LittleEndian.Uint16(d)), int(binary.LittleEndian.Uint16(d[2:])), &biffCell{text: t, present: true})
			}
		case biffFormula:
			if len(d) < 20 {
				continue
			}
			r, c, xf := int(binary.LittleEndian.Uint16(d)), int(binary.LittleEndian.Uint16(d[2:])), int(binary.LittleEndian.Uint16(d[4:]))
			res := d[6:14]
			if res[6] != 0xFF || res[7] != 0xFF {
				num(r, c, xf, math.Float64frombits(binary.LittleEndian.Uint64(res)))
				continue
			}
			switch res[0] {
			case 0: // a string result: the STRING record that follows
				for j := i + 1; j < len(recs) && j <= i+3; j++ {
					if recs[j].typ == biffStringRec && len(recs[j].data) >= 3 {
						s, _, err := biffString(recs[j].data, 2, recs[j].cont)
						if err != nil {
							return fmt.Errorf("damaged workbook: a formula's text: %v", err)
						}
						put(r, c, &biffCell{text: officeCell(s), present: true})
						break
					}
				}
			case 1:
				t := "FALSE"
				if res[2] != 0 {
					t = "TRUE"
				}
				put(r, c, &biffCell{text: t, present: true})
			}
		}
	}
	if maxR < 0 {
		w.pageBreak()
		return nil
	}
	if maxR > 1<<20 || maxC > 1<<14 {
		return fmt.Errorf("damaged workbook: a cell at row %d, column %d", maxR+1, maxC+1)
	}
	grid := make([][]gridCell, maxR+1)
	var hiddenRows []int
	hcWith := map[int]bool{}
	for r := 0; r <= maxR; r++ {
		row := make([]gridCell, maxC+1)
		any := false
		for c := 0; c <= maxC; c++ {
			row[c].span = 1
			if cell := cells[[2]int{r, c}]; cell != nil && cell.text != "" {
				row[c].text = cell.text
				any = true
				if hiddenCol[c] {
					hcWith[c] = true
				}
			}
		}
		if hiddenRow[r] {
			if any {
				hiddenRows = append(hiddenRows, r+1)
			}
			grid[r] = nil
			continue
		}
		grid[r] = row
	}
	for _, m := range merges {
		r0, r1, c0, c1 := m[0], m[1], m[2], m[3]
		for r := r0; r <= r1 && r <= maxR; r++ {
			for c := c0; c <= c1 && c <= maxC; c++ {
				if grid[r] == nil {
					continue
				}
				if r == r0 && c == c0 {
					grid[r][c].span = c1 - c0 + 1
					continue
				}
				grid[r][c].text = ""
			}
		}
	}
	if len(hiddenCol) > 0 {
		for r, row := range grid {
			if row == nil {
				continue
			}
			var kept []gridCell
			for c, cell := range row {
				if !hiddenCol[c] {
					kept = append(kept, cell)
				}
			}
			grid[r] = kept
		}
	}
	w.pageBreak()
	nos := w.table(grid)
	for r := 0; r <= maxR; r++ {
		if grid[r] == nil {
			continue
		}
		for c := 0; c <= maxC; c++ {
			cell := cells[[2]int{r, c}]
			if cell == nil || !cell.shown || hiddenCol[c] {
				continue
			}
			ref := colName(c) + strconv.Itoa(r+1)
			w.o.Corrections = append(w.o.Corrections, OfficeCorrection{Field: "cell", Raw: cell.raw, Normalized: cell.text, Rule: "office.number_format",
				Evidence: fmt.Sprintf("sheet %q cell %s stores %s; its number format shows %s", name, ref, cell.raw, cell.text),
				Page:     w.page, Line: nos[r]})
		}
	}
	if len(hiddenRows) > 0 {
		w.finding("office.hidden_rows", fmt.Sprintf("sheet %q: %s hidden (%s); not read", name, plural(len(hiddenRows), "row"), rowList(hiddenRows)), 0)
	}
	if len(hcWith) > 0 {
		var ns []string
		for c := 0; c <= maxC; c++ {
			if hcWith[c] {
				ns = append(ns, colName(c))
			}
		}
		w.finding("office.hidden_columns", fmt.Sprintf("sheet %q: %s hidden (%s) with values; not read", name, plural(len(ns), "column"), strings.Join(ns, ", ")), 0)
	}
	return nil
}

// colName is a 0-based column's letters: 0 → A, 27 → AB.
func colName(c int) string {
	s := ""
	for c++; c > 0; c = (c - 1) / 26 {
		s = string(rune('A'+(c-1)%26)) + s
	}
	return s
}

// rkValue decodes an RK number: a 30-bit integer or the high bits of a
// double, optionally divided by 100.
func rkValue(rk uint32) float64 {
	var v float64
	if rk&2 != 0 {
		v = float64(int32(rk) >> 2)
	} else {
		v = math.Float64frombits(uint64(rk&0xFFFFFFFC) << 32)
	}
	if rk&1 != 0 {
		v /= 100
	}
	return v
}

// biffString reads an XLUnicodeString (lenBytes 2) or a
// ShortXLUnicodeString (1) from d, continuing into the CONTINUE records
// cont when its characters run on (each continuation starts with a new
// flags byte). It returns the string and the bytes of d read.
func biffString(d []byte, lenBytes int, cont [][]byte) (string, int, error) {
	if len(d) < lenBytes+1 {
		return "", 0, errors.New("string header past the record's end")
	}
	n := int(d[0])
	if lenBytes == 2 {
		n = int(binary.LittleEndian.Uint16(d))
	}
	flags := d[lenBytes]
	p := lenBytes + 1
	var runs, ext int
	if flags&0x08 != 0 {
		if len(d) < p+2 {
			return "", 0, errors.New("string past the record's end")
		}
		runs = int(binary.LittleEndian.Uint16(d[p:]))
		p += 2
	}
	if flags&0x04 != 0 {
		if len(d) < p+4 {
			return "", 0, errors.New("string past the record's end")
		}
		ext = int(binary.LittleEndian.Uint32(d[p:]))
		p += 4
	}
	s := &biffStream{parts: append([][]byte{d[p:]}, cont...)}
	str, err := s.chars(n, flags&1 != 0)
	if err != nil {
		return "", 0, err
	}
	// the formatting runs (4 bytes each) and phonetic data (ext bytes) after
	// the characters are not needed
	_, _ = runs, ext
	return str, p, nil
}

// biffStream reads across a record and its CONTINUE records.
type biffStream struct {
	parts [][]byte
	i     int // part
	off   int // offset in part
}

func (s *biffStream) need(n int) ([]byte, error) {
	for s.i < len(s.parts) && s.off >= len(s.parts[s.i]) {
		s.i++
		s.off = 0
	}
	if s.i >= len(s.parts) || s.off+n > len(s.parts[s.i]) {
		return nil, errors.New("record ends inside a value")
	}
	b := s.parts[s.i][s.off : s.off+n]
	s.off += n
	return b, nil
}

func (s *biffStream) skip(n int) error {
	for n > 0 {
		for s.i < len(s.parts) && s.off >= len(s.parts[s.i]) {
			s.i++
			s.off = 0
		}
		if s.i >= len(s.parts) {
			return errors.New("record ends inside a value")
		}
		k := min(n, len(s.parts[s.i])-s.off)
		s.off += k
		n -= k
	}
	return nil
}

// chars reads n characters, 16-bit or compressed to 8, which may continue
// into the next part behind a new flags byte.
func (s *biffStream) chars(n int, wide bool) (string, error) {
	u := make([]uint16, 0, n)
	for len(u) < n {
		if s.i < len(s.parts) && s.off >= len(s.parts[s.i]) {
			// the characters continue in the next CONTINUE record, with its own flags
			s.i++
			s.off = 0
			f, err := s.need(1)
			if err != nil {
				return "", err
			}
			wide = f[0]&1 != 0
			continue
		}
		if s.i >= len(s.parts) {
			return "", errors.New("string runs past its record")
		}
		if wide {
			b, err := s.need(2)
			if err != nil {
				return "", err
			}
			u = append(u, binary.LittleEndian.Uint16(b))
		} else {
			b, err := s.need(1)
			if err != nil {
				return "", err
			}
			u = append(u, uint16(b[0]))
		}
	}
	return string(utf16.Decode(u)), nil
}

// readSST reads the shared string table.
func readSST(r biffRecord) ([]string, error) {
	if len(r.data) < 8 {
		return nil, errors.New("SST record too short")
	}
	n := int(binary.LittleEndian.Uint32(r.data[4:]))
	s := &biffStream{parts: append([][]byte{r.data[8:]}, r.cont...)}
	total := len(r.data)
	for _, c := range r.cont {
		total += len(c)
	}
	if n > total {
		return nil, fmt.Errorf("SST says %d strings in %d bytes", n, total)
	}
	out := make([]string, 0, n)
	for k := 0; k < n; k++ {
		h, err := s.need(3)
		if err != nil {
			return nil, fmt.Errorf("string %d of %d: %v", k+1, n, err)
		}
		cch, flags := int(binary.LittleEndian.Uint16(h)), h[2]
		var runs, ext int
		if flags&0x08 != 0 {
			b, err := s.need(2)
			if err != nil {
				return nil, err
			}
			runs = int(binary.LittleEndian.Uint16(b))
		}
		if flags&0x04 != 0 {
			b, err := s.need(4)
			if err != nil {
				return nil, err
			}
			ext = int(binary.LittleEndian.Uint32(b))
		}
		str, err := s.chars(cch, flags&1 != 0)
		if err != nil {
			return nil, fmt.Errorf("string %d of %d: %v", k+1, n, err)
		}
		if err := s.skip(4*runs + ext); err != nil {
			return nil, fmt.Errorf("string %d of %d: %v", k+1, n, err)
		}
		out = append(out, str)
	}
	return out, nil
}
