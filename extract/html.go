package extract

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
)

// readHTML reads an HTML page — a disclosure published inline, or a
// table a site serves under a .xls name: <table> as tables (colspan and
// rowspan merges with their text in the first position; a table holding
// other tables is a layout and its cells are read as blocks), the rest as
// lines (block elements and <br> end a line). The encoding is the one the
// page declares (byte order mark, <meta charset>), else UTF-8 when the
// bytes are valid UTF-8, else GB18030. Scripts, styles and elements hidden
// with display:none are not read.
func readHTML(path string, b []byte) (*Office, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, ErrEmpty
	}
	s, err := decodeHTML(b)
	if err != nil {
		return nil, err
	}
	root, err := html.Parse(strings.NewReader(s))
	if err != nil {
		return nil, fmt.Errorf("damaged HTML: %v", err)
	}
	w := newOfficeText()
	h := &htmlReader{w: w}
	h.block(root)
	h.flush()
	if h.hiddenRows > 0 {
		w.finding("office.hidden_rows", fmt.Sprintf("%s hidden (display:none); not read", plural(h.hiddenRows, "table row")), 0)
	}
	return w.finish(path)
}

// decodeHTML returns the page as UTF-8.
func decodeHTML(b []byte) (string, error) {
	if e, name, certain := charset.DetermineEncoding(b, ""); certain && name != "" {
		switch strings.ToLower(name) {
		case "utf-8":
			return string(bytes.TrimPrefix(b, []byte{0xEF, 0xBB, 0xBF})), nil
		case "gbk", "gb2312", "gb18030":
			s, _, err := Decode(b) // GB18030 reads GBK and GB2312 too
			if err != nil {
				return "", err
			}
			return s, nil
		}
		out, err := e.NewDecoder().Bytes(b)
		if err != nil {
			return "", fmt.Errorf("not %s as the page declares: %v", name, err)
		}
		return string(out), nil
	}
	s, _, err := Decode(b)
	if err != nil {
		return "", err
	}
	return s, nil
}

type htmlReader struct {
	w          *officeText
	line       strings.Builder
	hiddenRows int
}

func (h *htmlReader) flush() {
	if strings.TrimSpace(h.line.String()) != "" {
		h.w.para(strings.TrimSpace(collapseSpace(h.line.String())))
	}
	h.line.Reset()
}

// collapseSpace folds runs of white space (not tabs' meaning: HTML has
// none) into one space, as a browser shows text.
func collapseSpace(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\u00a0'
	}), " ")
}

var htmlBlocks = map[string]bool{"p": true, "div": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"li": true, "ul": true, "ol": true, "section": true, "article": true, "header": true, "footer": true, "center": true,
	"blockquote": true, "pre": true, "title": false, "dt": true, "dd": true, "form": true, "hr": true, "address": true}

func hiddenStyle(n *html.Node) bool {
	for _, a := range n.Attr {
		switch a.Key {
		case "style":
			st := strings.ToLower(strings.ReplaceAll(a.Val, " ", ""))
			if strings.Contains(st, "display:none") || strings.Contains(st, "visibility:hidden") {
				return true
			}
		case "hidden":
			return true
		}
	}
	return false
}

// block reads the children of n as lines and tables.
func (h *htmlReader) block(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			h.line.WriteString(c.Data)
		case html.ElementNode:
			switch c.Data {
			case "script", "style", "head", "noscript", "template", "iframe", "object", "select", "option":
				continue
			case "br":
				h.flush()
				continue
			case "table":
				h.flush()
				h.table(c)
				continue
			}
			if hiddenStyle(c) {
				continue
			}
			if htmlBlocks[c.Data] {
				h.flush()
				h.block(c)
				h.flush()
				if c.Data == "hr" || pageBreakStyle(c) {
					h.w.pageBreak()
				}
				continue
			}
			h.block(c)
		}
	}
}

// pageBreakStyle: page-break-before/after:always (Word's and Excel's HTML).
func pageBreakStyle(n *html.Node) bool {
	for _, a := range n.Attr {
		if a.Key == "style" && strings.Contains(strings.ReplaceAll(strings.ToLower(a.Val), " ", ""), "page-break") &&
			strings.Contains(strings.ToLower(a.Val), "always") {
			return true
		}
	}
	return false
}

// htmlTableRows: the rows of a table, not of the tables nested in it.
func htmlTableRows(t *html.Node) []*html.Node {
	var out []*html.Node
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch c.Data {
			case "tr":
				out = append(out, c)
			case "thead", "tbody", "tfoot":
				walk(c)
			}
		}
	}
	walk(t)
	return out
}

func rowCells(tr *html.Node) []*html.Node {
	var out []*html.Node
	for c := tr.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.Data == "td" || c.Data == "th") {
			out = append(out, c)
		}
	}
	return out
}

func hasDescendant(n *html.Node, tag string) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.Data == tag || hasDescendant(c, tag)) {
			return true
		}
	}
	return false
}

func intAttr(n *html.Node, key string) int {
	for _, a := range n.Attr {
		if a.Key == key {
			if v, err := strconv.Atoi(strings.TrimSpace(a.Val)); err == nil && v > 0 {
				return min(v, 1000)
			}
		}
	}
	return 1
}

// table reads one table: a data table as rows of cells, a layout table
// (one whose cells hold tables) cell by cell as blocks.
func (h *htmlReader) table(t *html.Node) {
	rows := htmlTableRows(t)
	layout := false
	for _, tr := range rows {
		for _, td := range rowCells(tr) {
			if hasDescendant(td, "table") {
				layout = true
			}
		}
	}
	if layout {
		for _, tr := range rows {
			if hiddenStyle(tr) {
				continue
			}
			for _, td := range rowCells(tr) {
				h.block(td)
				h.flush()
			}
		}
		return
	}
	var grid [][]gridCell
	carry := map[int]int{} // column → rows still covered by a rowspan from above
	for _, tr := range rows {
		if hiddenStyle(tr) {
			if strings.TrimSpace(nodeText(tr)) != "" {
				h.hiddenRows++
			}
			continue
		}
		var row []gridCell
		col := 0
		next := func() {
			for carry[col] > 0 {
				carry[col]--
				row = append(row, gridCell{span: 1})
				col++
			}
		}
		for _, td := range rowCells(tr) {
			next()
			cs, rs := intAttr(td, "colspan"), intAttr(td, "rowspan")
			text := ""
			if !hiddenStyle(td) {
				text = officeCell(nodeText(td))
			}
			row = append(row, gridCell{text: text, span: cs})
			for k := 0; k < cs; k++ {
				if k > 0 {
					row = append(row, gridCell{span: 1})
				}
				if rs > 1 {
					carry[col] = rs - 1
				}
				col++
			}
		}
		next()
		grid = append(grid, row)
	}
	h.w.table(grid)
}

// nodeText is the text of a cell: <br> and block elements break lines.
func nodeText(n *html.Node) string {
	var sb strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				sb.WriteString(c.Data)
			case html.ElementNode:
				switch c.Data {
				case "script", "style":
					continue
				case "br":
					sb.WriteByte('\n')
					continue
				}
				if hiddenStyle(c) {
					continue
				}
				if htmlBlocks[c.Data] {
					sb.WriteByte('\n')
				}
				walk(c)
				if htmlBlocks[c.Data] {
					sb.WriteByte('\n')
				}
			}
		}
	}
	walk(n)
	lines := strings.Split(sb.String(), "\n")
	for i := range lines {
		lines[i] = strings.TrimSpace(collapseSpace(lines[i]))
	}
	return strings.Join(lines, "\n")
}
