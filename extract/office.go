package extract

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"unicode"
)

// Office files: workbooks (.xlsx/.xlsm, .xls), Word documents (.docx,
// .doc) and HTML pages. Each reader turns its file into the text export
// the other readers make — paragraphs as lines, table rows as
// tab-separated cells, a sheet or a page break as a form feed — and hands
// it to ReadText, so the same noise removal and the same line numbers
// apply: a Line's Page is the sheet (or page) and its No the line of that
// text. What a reader changed or left out that a reader of the file would
// see differently (a stored number shown rounded by its number format, a
// hidden sheet, row or column) is returned beside the document as
// OfficeCorrection and OfficeFinding, naming the sheet and cell.

// Office kinds, as OfficeKind reports them.
const (
	KindXLSX = "xlsx" // Office Open XML workbook (.xlsx, .xlsm)
	KindXLS  = "xls"  // BIFF8 workbook in a compound file (.xls)
	KindDOCX = "docx" // Office Open XML document
	KindDOC  = "doc"  // Word 97–2003 document in a compound file
	KindHTML = "html" // an HTML page, whatever its file name
)

// ErrProtected is returned for a password-protected workbook or document.
var ErrProtected = errors.New("password-protected: it cannot be read without its password; save an unprotected copy")

// OfficeKind says which office reader a file needs, from its bytes first
// (a zip holding xl/ or word/, a compound file holding a Workbook or a
// WordDocument stream, HTML markup), else from its extension; "" when it
// is none of them (a text export, a PDF).
func OfficeKind(path string, b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		if zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b))); err == nil {
			for _, f := range zr.File {
				switch {
				case strings.HasPrefix(f.Name, "xl/"):
					return KindXLSX
				case strings.HasPrefix(f.Name, "word/"):
					return KindDOCX
				}
			}
		}
	case bytes.HasPrefix(b, cfbMagic):
		switch cfbKind(b) {
		case "Workbook", "Book":
			return KindXLS
		case "WordDocument":
			return KindDOC
		}
	case looksHTML(b):
		return KindHTML
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx", ".xlsm":
		return KindXLSX
	case ".xls":
		return KindXLS
	case ".docx":
		return KindDOCX
	case ".doc":
		return KindDOC
	case ".html", ".htm":
		return KindHTML
	}
	return ""
}

// OfficeExtensions are the file name extensions of office files, for a
// folder walk.
var OfficeExtensions = []string{".xlsx", ".xlsm", ".xls", ".docx", ".doc", ".html", ".htm"}

// OfficeCorrection is a normalization an office reader made that changes
// what the file holds: a stored number shown as its number format rounds it.
type OfficeCorrection struct {
	Field, Raw, Normalized, Rule, Evidence string
	Page, Line                             int
}

// OfficeFinding is something an office reader left out on purpose and
// says so: hidden sheets, rows and columns, macros.
type OfficeFinding struct {
	CheckID, Severity, Message string
	Page, Line                 int
}

// Office is an office file read: the document and what was changed or
// left out on the way.
type Office struct {
	Doc         *Document
	Kind        string
	Corrections []OfficeCorrection
	Findings    []OfficeFinding
}

// ReadOffice reads an office file of the given kind (OfficeKind). Every
// error names the file and says why: damaged, password-protected, no
// visible content, a helper program missing.
func ReadOffice(ctx context.Context, path string, b []byte, kind string) (o *Office, err error) {
	// A reader's (or its library's) panic on a damaged file is this file's
	// error, not the run's end.
	defer func() {
		if r := recover(); r != nil {
			o, err = nil, fmt.Errorf("%s: damaged %s file: the reader stopped (%v)", path, kind, r)
		}
	}()
	switch kind {
	case KindXLSX:
		o, err = readXLSX(path, b)
	case KindXLS:
		o, err = readXLS(path, b)
	case KindDOCX:
		o, err = readDOCX(path, b)
	case KindDOC:
		o, err = readDOC(ctx, path, b)
	case KindHTML:
		o, err = readHTML(path, b)
	default:
		return nil, fmt.Errorf("%s: not an office file", path)
	}
	if err != nil {
		if strings.HasPrefix(err.Error(), path+":") {
			return nil, err
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	o.Kind = kind
	return o, nil
}

// officeText builds the text export of an office file.
type officeText struct {
	sb      strings.Builder
	line    int  // lines written
	page    int  // the page being written, 1-based
	newPage bool // the next line starts a page
	o       Office
}

func newOfficeText() *officeText { return &officeText{page: 1} }

// pageBreak starts a new page (a sheet, a page break of a document) unless
// nothing was written yet.
func (w *officeText) pageBreak() {
	if w.line > 0 {
		w.newPage = true
	}
}

// emit writes one line and returns its number.
func (w *officeText) emit(s string) int {
	if w.newPage {
		w.sb.WriteByte('\f')
		w.page++
		w.newPage = false
	}
	w.sb.WriteString(s)
	w.sb.WriteByte('\n')
	w.line++
	return w.line
}

// para writes a paragraph: one line per line of it.
func (w *officeText) para(s string) {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	for l := range strings.SplitSeq(s, "\n") {
		w.emit(strings.TrimRightFunc(strings.ReplaceAll(l, "\f", ""), unicode.IsSpace))
	}
}

// gridCell is one position of a table as read: its text and how many
// columns the merged cell that starts there spans (1 when not merged;
// positions covered by a merge hold "").
type gridCell struct {
	text string
	span int
}

// table writes the rows of a table or sheet. Its width is the last column
// any row fills. A row with no text is a blank line; a row with one
// filled cell above the table's first row of two or more (a title, a
// 单位 line) or below its last (a note), or one whose only cell is merged
// across columns, is a plain line; every other row is a tab-separated line
// of the full width, as a text export prints it. It returns each row's
// line number (0 for none).
func (w *officeText) table(rows [][]gridCell) []int {
	width := 0
	first, last := -1, -1
	for i, r := range rows {
		n := 0
		for c, cell := range r {
			if cell.text != "" {
				n++
				width = max(width, c+1)
			}
		}
		if n >= 2 {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	nos := make([]int, len(rows))
	for i, r := range rows {
		var only *gridCell
		n := 0
		for c := range r {
			if r[c].text != "" {
				n++
				only = &r[c]
			}
		}
		switch {
		case n == 0:
			nos[i] = w.emit("")
		case n == 1 && (first < 0 || i < first || i > last || only.span > 1):
			nos[i] = w.emit(only.text)
		default:
			cells := make([]string, width)
			for c := 0; c < width && c < len(r); c++ {
				cells[c] = r[c].text
			}
			nos[i] = w.emit(strings.Join(cells, "\t"))
		}
	}
	return nos
}

// finish reads the text written as a text export.
func (w *officeText) finish(path string) (*Office, error) {
	if strings.TrimSpace(w.sb.String()) == "" {
		return nil, fmt.Errorf("%s: %w (no visible text in any sheet, table or paragraph)", path, ErrEmpty)
	}
	doc, err := ReadText(path, []byte(w.sb.String()))
	if err != nil {
		return nil, err
	}
	doc.Encoding = ""
	o := w.o
	o.Doc = doc
	if w.page == 1 {
		// one page: the text has no form feed, and its lines no page (ReadText)
		for i := range o.Corrections {
			o.Corrections[i].Page = 0
		}
		for i := range o.Findings {
			o.Findings[i].Page = 0
		}
	}
	return &o, nil
}

func (w *officeText) finding(id, msg string, line int) {
	w.o.Findings = append(w.o.Findings, OfficeFinding{CheckID: id, Severity: "info", Message: msg, Page: w.page, Line: line})
}

// cellText is a cell's text on one line: tabs and line breaks inside the
// cell become a space, or nothing between two Chinese characters (a
// header wrapped in its cell: 2026年⏎预算数).
func officeCell(s string) string {
	if !strings.ContainsAny(s, "\t\r\n\f\v\u00a0") {
		return strings.TrimSpace(s)
	}
	s = strings.ReplaceAll(s, "\u00a0", " ")
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' || r == '\t' || r == '\f' || r == '\v' })
	var sb strings.Builder
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if i > 0 && sb.Len() > 0 {
			prev, _ := lastRune(sb.String())
			next := []rune(p)[0]
			if !(isWideRune(prev) && isWideRune(next)) {
				sb.WriteByte(' ')
			}
		}
		sb.WriteString(p)
	}
	return sb.String()
}

func lastRune(s string) (rune, bool) {
	rs := []rune(s)
	if len(rs) == 0 {
		return 0, false
	}
	return rs[len(rs)-1], true
}

func isWideRune(r rune) bool { return displayWidth(r) == 2 }

// looksHTML reports whether a file's first bytes are HTML markup (many
// sites serve an HTML table under a .xls name).
func looksHTML(b []byte) bool {
	head := b[:min(len(b), 1024)]
	head = bytes.TrimPrefix(head, []byte{0xEF, 0xBB, 0xBF})
	head = bytes.TrimLeft(head, " \t\r\n")
	lower := bytes.ToLower(head)
	for _, p := range []string{"<!doctype html", "<html", "<head", "<body", "<table", "<meta", "<?xml version=\"1.0\" encoding=\"utf-8\"?><html", "<!--"} {
		if bytes.HasPrefix(lower, []byte(p)) {
			if p == "<!--" {
				return bytes.Contains(bytes.ToLower(b[:min(len(b), 4096)]), []byte("<html"))
			}
			return true
		}
	}
	return false
}
