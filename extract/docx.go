package extract

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// readDOCX reads a Word document (.docx) from its XML (word/document.xml):
// paragraphs as lines (a tab inside one stays a tab, as a text export
// keeps it), tables as tables (gridSpan and vMerge merges with their text
// in the first position; a table nested in a cell is read as a table of
// its own after the row it is in), explicit page breaks as pages. Text
// marked hidden (w:vanish) and deleted revisions are not read; headers,
// footers and footnotes are not part of the body and are not read.
// Automatic list numbers (一、 from numbering.xml) are written before
// their paragraphs as Word shows them.
func readDOCX(path string, b []byte) (*Office, error) {
	zr, err := openPackage(b, "document", "not a .docx document: a compound file (a .doc or .xls)")
	if err != nil {
		return nil, err
	}
	var main *zip.File
	var numbering *zip.File
	for _, f := range zr.File {
		switch f.Name {
		case "word/document.xml":
			main = f
		case "word/numbering.xml":
			numbering = f
		}
	}
	if main == nil {
		return nil, errors.New("damaged document: no word/document.xml in the package")
	}
	w := newOfficeText()
	d := &docxReader{w: w, num: newDocxNumbering()}
	if numbering != nil {
		if rc, err := numbering.Open(); err == nil {
			d.num.read(io.LimitReader(rc, 64<<20))
			rc.Close()
		}
	}
	rc, err := main.Open()
	if err != nil {
		return nil, fmt.Errorf("damaged document: %v", err)
	}
	defer rc.Close()
	if err := d.read(io.LimitReader(rc, 512<<20)); err != nil {
		return nil, fmt.Errorf("damaged document: word/document.xml: %v", err)
	}
	if d.hidden > 0 {
		w.finding("office.hidden_text", fmt.Sprintf("%s of text marked hidden; not read", plural(d.hidden, "run")), 0)
	}
	return w.finish(path)
}

// docxTable is a table being read.
type docxTable struct {
	rows   [][]gridCell
	row    []gridCell
	vmerge []bool // per cell of the current row: continues a vertical merge
	cell   *strings.Builder
	span   int
	vcont  bool
	nested []*docxTable // tables met inside this one's cells, written after the row
	grid   int          // the columns of its tblGrid
}

type docxReader struct {
	w      *officeText
	num    *docxNumbering
	tables []*docxTable
	para   strings.Builder
	inPara bool
	hidden int
	// run state
	vanish, inDel, inInstr bool
	inRun                  bool
	numID, numLvl          string
	skip                   int // depth inside an element whose text is not read
}

func (d *docxReader) cur() *docxTable {
	if len(d.tables) == 0 {
		return nil
	}
	return d.tables[len(d.tables)-1]
}

func (d *docxReader) text(s string) {
	if t := d.cur(); t != nil && t.cell != nil {
		t.cell.WriteString(s)
		return
	}
	d.para.WriteString(s)
}

// endPara ends a paragraph: a line of its own outside tables, a line break
// inside a cell.
func (d *docxReader) endPara() {
	prefix := ""
	if d.numID != "" {
		prefix = d.num.next(d.numID, d.numLvl)
	}
	d.numID, d.numLvl = "", ""
	if t := d.cur(); t != nil && t.cell != nil {
		if prefix != "" {
			// the number goes before the paragraph just written into the cell
			s := t.cell.String()
			i := strings.LastIndexByte(s, '\n') + 1
			t.cell.Reset()
			t.cell.WriteString(s[:i] + prefix + s[i:])
		}
		t.cell.WriteByte('\n')
		return
	}
	d.w.para(prefix + d.para.String())
	d.para.Reset()
}

func attr(se xml.StartElement, name string) (string, bool) {
	for _, a := range se.Attr {
		if a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

func (d *docxReader) read(r io.Reader) error {
	dec := xml.NewDecoder(r)
	dec.Strict = false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if d.skip > 0 {
				d.skip++
				continue
			}
			switch t.Name.Local {
			case "Fallback": // mc:AlternateContent: its Choice is read
				d.skip = 1
			case "del", "moveFrom":
				d.inDel = true
			case "instrText", "delText":
				d.inInstr = true
			case "rPr":
			case "vanish":
				if v, ok := attr(t, "val"); !ok || (v != "0" && v != "false") {
					d.vanish = true
				}
			case "r":
				d.vanish, d.inRun = false, true
			case "gridBefore":
				if tb := d.cur(); tb != nil {
					if v, _ := attr(t, "val"); v != "" {
						if n, err := strconv.Atoi(v); err == nil && n > 0 && n < 1000 {
							for range n {
								tb.row = append(tb.row, gridCell{span: 1})
							}
						}
					}
				}
			case "numId":
				d.numID, _ = attr(t, "val")
			case "ilvl":
				d.numLvl, _ = attr(t, "val")
			case "t":
				var s string
				if err := dec.DecodeElement(&s, &t); err != nil {
					return err
				}
				switch {
				case d.inDel || d.inInstr:
				case d.vanish:
					d.hidden++
				default:
					d.text(s)
				}
			case "tab":
				if !d.inDel && !d.vanish && d.inRun {
					d.text("\t")
				}
			case "br", "cr":
				if !d.inRun {
					continue
				}
				if v, _ := attr(t, "type"); v == "page" {
					if d.cur() == nil {
						d.endLine()
						d.w.pageBreak()
					}
					continue
				}
				d.text("\n")
			case "p":
				d.inPara = true
			case "pageBreakBefore":
				if v, ok := attr(t, "val"); (!ok || v != "0" && v != "false") && d.cur() == nil {
					d.w.pageBreak()
				}
			case "tbl":
				d.tables = append(d.tables, &docxTable{})
			case "tr":
				if tb := d.cur(); tb != nil {
					tb.row, tb.vmerge = nil, nil
				}
			case "tc":
				if tb := d.cur(); tb != nil {
					tb.cell, tb.span, tb.vcont = &strings.Builder{}, 1, false
				}
			case "gridSpan":
				if tb := d.cur(); tb != nil {
					if v, _ := attr(t, "val"); v != "" {
						if n, err := strconv.Atoi(v); err == nil && n > 1 && n < 1000 {
							tb.span = n
						}
					}
				}
			case "vMerge":
				if tb := d.cur(); tb != nil {
					if v, _ := attr(t, "val"); v != "restart" {
						tb.vcont = true
					}
				}
			case "gridCol":
				if tb := d.cur(); tb != nil {
					tb.grid++
				}
			}
		case xml.EndElement:
			if d.skip > 0 {
				d.skip--
				continue
			}
			switch t.Name.Local {
			case "r":
				d.inRun = false
			case "del", "moveFrom":
				d.inDel = false
			case "instrText", "delText":
				d.inInstr = false
			case "p":
				d.endPara()
				d.inPara = false
			case "tc":
				tb := d.cur()
				if tb == nil || tb.cell == nil {
					continue
				}
				text := officeCell(tb.cell.String())
				if tb.vcont {
					text = "" // the merged cell's text is in its first row
				}
				tb.row = append(tb.row, gridCell{text: text, span: tb.span})
				for k := 1; k < tb.span; k++ {
					tb.row = append(tb.row, gridCell{span: 1})
				}
				tb.cell = nil
			case "tr":
				if tb := d.cur(); tb != nil {
					tb.rows = append(tb.rows, tb.row)
					tb.row = nil
					if len(tb.nested) > 0 {
						// a table inside a cell: the rows so far, then it
						d.w.table(tb.rows)
						tb.rows = nil
						for _, n := range tb.nested {
							d.w.table(n.rows)
						}
						tb.nested = nil
					}
				}
			case "tbl":
				tb := d.cur()
				d.tables = d.tables[:len(d.tables)-1]
				if outer := d.cur(); outer != nil {
					outer.nested = append(outer.nested, tb)
					continue
				}
				d.w.table(tb.rows)
			}
		}
	}
	if len(d.tables) > 0 {
		return errors.New("a table is not closed")
	}
	if d.para.Len() > 0 {
		d.w.para(d.para.String())
	}
	return nil
}

// endLine ends the paragraph's text so far at a page break inside it.
func (d *docxReader) endLine() {
	if d.para.Len() > 0 {
		d.w.para(d.para.String())
		d.para.Reset()
	}
}

// docxNumbering turns automatic list numbers into text: numbering.xml's
// abstract definitions (format and level text per level) and the
// counters of each list as its paragraphs are read.
type docxNumbering struct {
	abstract map[string]map[string]docxLevel // abstractNumId → ilvl → level
	nums     map[string]string               // numId → abstractNumId
	count    map[string]map[int]int          // abstractNumId → level → counter
}

type docxLevel struct {
	format, text string
	start        int
}

func newDocxNumbering() *docxNumbering {
	return &docxNumbering{abstract: map[string]map[string]docxLevel{}, nums: map[string]string{}, count: map[string]map[int]int{}}
}

func (n *docxNumbering) read(r io.Reader) {
	dec := xml.NewDecoder(r)
	dec.Strict = false
	var abs, lvl, num string
	for {
		tok, err := dec.Token()
		if err != nil {
			return
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		v, _ := attr(se, "val")
		switch se.Name.Local {
		case "abstractNum":
			abs, _ = attr(se, "abstractNumId")
			n.abstract[abs] = map[string]docxLevel{}
		case "lvl":
			lvl, _ = attr(se, "ilvl")
			if m := n.abstract[abs]; m != nil {
				m[lvl] = docxLevel{start: 1}
			}
		case "start", "numFmt", "lvlText":
			m := n.abstract[abs]
			if m == nil {
				continue
			}
			l := m[lvl]
			switch se.Name.Local {
			case "start":
				l.start, _ = strconv.Atoi(v)
			case "numFmt":
				l.format = v
			case "lvlText":
				l.text = v
			}
			m[lvl] = l
		case "num":
			num, _ = attr(se, "numId")
		case "abstractNumId":
			n.nums[num] = v
		}
	}
}

// next is the number of the next paragraph of list numID at level lvl.
func (n *docxNumbering) next(numID, lvl string) string {
	abs, ok := n.nums[numID]
	if !ok || numID == "0" {
		return ""
	}
	levels := n.abstract[abs]
	l, ok := levels[lvl]
	if !ok {
		return ""
	}
	k, _ := strconv.Atoi(lvl)
	c := n.count[abs]
	if c == nil {
		c = map[int]int{}
		n.count[abs] = c
	}
	if _, ok := c[k]; !ok {
		c[k] = l.start - 1
	}
	c[k]++
	for deeper := range c {
		if deeper > k {
			delete(c, deeper)
		}
	}
	if l.format == "none" || l.format == "bullet" {
		if l.format == "bullet" {
			return ""
		}
		return l.text
	}
	out := l.text
	for j := 0; j <= k; j++ {
		lj, ok := levels[strconv.Itoa(j)]
		if !ok {
			continue
		}
		v, ok := c[j]
		if !ok {
			v = lj.start
		}
		out = strings.ReplaceAll(out, "%"+strconv.Itoa(j+1), listNumber(v, lj.format))
	}
	return out
}

// listNumber writes n in a numbering format of Word.
func listNumber(n int, format string) string {
	switch format {
	case "chineseCounting", "chineseCountingThousand", "ideographTraditional", "chineseLegalSimplified", "taiwaneseCountingThousand":
		return chineseNumeral(n)
	case "lowerLetter", "upperLetter":
		s := colName(n - 1)
		if format == "lowerLetter" {
			return strings.ToLower(s)
		}
		return s
	case "lowerRoman", "upperRoman":
		s := roman(n)
		if format == "lowerRoman" {
			return strings.ToLower(s)
		}
		return s
	case "decimalEnclosedCircle", "decimalEnclosedCircleChinese":
		if n >= 1 && n <= 20 {
			return string(rune('①' + n - 1))
		}
	}
	return strconv.Itoa(n)
}

// chineseNumeral writes 1–99 as 一 … 九十九.
func chineseNumeral(n int) string {
	digits := []rune("零一二三四五六七八九")
	switch {
	case n < 0 || n >= 100:
		return strconv.Itoa(n)
	case n < 10:
		return string(digits[n])
	case n < 20:
		s := "十"
		if n%10 != 0 {
			s += string(digits[n%10])
		}
		return s
	}
	s := string(digits[n/10]) + "十"
	if n%10 != 0 {
		s += string(digits[n%10])
	}
	return s
}

func roman(n int) string {
	if n <= 0 || n >= 4000 {
		return strconv.Itoa(n)
	}
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
	var sb strings.Builder
	for i, v := range vals {
		for n >= v {
			sb.WriteString(syms[i])
			n -= v
		}
	}
	return sb.String()
}

// openPackage opens an Office Open XML package (.docx, .xlsx) as the zip it
// is. A compound file instead is a password-protected package (Office
// encrypts one into an EncryptedPackage stream), else a legacy file given
// the wrong name (notPackage says which); what is a workbook or a document
// names it in the error.
func openPackage(b []byte, what, notPackage string) (*zip.Reader, error) {
	if bytes.HasPrefix(b, cfbMagic) {
		if cfbKind(b) == "EncryptedPackage" {
			return nil, fmt.Errorf("%s is %w", what, ErrProtected)
		}
		return nil, errors.New(notPackage)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, fmt.Errorf("damaged %s: not a readable zip archive (%v)", what, err)
	}
	return zr, nil
}
