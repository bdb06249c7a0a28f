// Package extract turns published disclosure files into lines and cells with
// provenance (page, line). It knows nothing about budgets: recognising tables
// and what they mean is the job of package transform.
package extract

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Line is one line of a text export as read, after decoding and noise removal.
type Line struct {
	Page   int    // 1-based form-feed page; 0 when the file has no page breaks
	No     int    // 1-based line number in the source file
	Text   string // the line without its line ending, tabs kept
	Tabbed bool   // the line separates cells with tabs
	// Cells, for a row of a ruled table in a PDF: each tab-separated
	// cell's horizontal extent on its page (a merged cell's whole width),
	// so rows whose page draws another column grid can be mapped onto
	// their header's columns. nil for text exports and other lines.
	Cells []Extent
}

// Extent is a horizontal stretch of a page, in PDF points from its left.
type Extent struct{ X0, X1 float64 }

// Overlap is the width two extents share.
func (e Extent) Overlap(o Extent) float64 {
	return max(0, min(e.X1, o.X1)-max(e.X0, o.X0))
}

// Document is a decoded text export.
type Document struct {
	Path     string          // as given, for messages only
	Encoding string          // "utf-8", "utf-8-bom" or "gb18030"
	Pages    int             // number of form-feed pages (1 when none)
	Lines    []Line          // content lines, noise removed
	Dropped  int             // noise lines dropped (watermarks, TOC, page numbers)
	NeedsOCR []int           // PDF pages whose text layer was unusable (not read)
	Backend  string          // the PDF backend that read it; "" for text exports
	Words    map[int][]Glyph // OCR: the recognized words of each line, by line number
}

// ErrEmpty is returned for a file without any content.
var ErrEmpty = errors.New("file is empty")

// Decode detects the encoding of b (UTF-8 with or without BOM, else GB18030,
// which is a superset of GBK and GB2312) and returns it as UTF-8.
func Decode(b []byte) (string, string, error) {
	if bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}) {
		b = b[3:]
		if !utf8.Valid(b) {
			return "", "", errors.New("byte order mark says UTF-8 but the content is not valid UTF-8")
		}
		return string(b), "utf-8-bom", nil
	}
	if bytes.HasPrefix(b, []byte{0xFF, 0xFE}) || bytes.HasPrefix(b, []byte{0xFE, 0xFF}) {
		return "", "", errors.New("UTF-16 text is not supported; save the export as UTF-8 or GB18030")
	}
	if utf8.Valid(b) {
		return string(b), "utf-8", nil
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
	if err != nil {
		return "", "", fmt.Errorf("neither UTF-8 nor GB18030: %w", err)
	}
	if bytes.ContainsRune(out, utf8.RuneError) {
		return "", "", errors.New("neither UTF-8 nor GB18030 (undecodable bytes)")
	}
	return string(out), "gb18030", nil
}

var (
	// TOC entries: dot or ellipsis leaders followed by a page number.
	tocLine = regexp.MustCompile(`(\.{3,}|…{2,}|·{3,}|－{3,})\s*\d*\s*$`)
	// A TOC entry without leaders: a heading followed by a tab and a page number.
	tocTab = regexp.MustCompile(`^[^\t]{2,60}\t\s*\d{1,3}\s*$`)
	// Page numbers alone on a line: "3", "- 3 -", "第3页", "第 3 页 共 36 页".
	pageNo = regexp.MustCompile(`^[\s\-－—]*(第\s*)?\d{1,4}(\s*页)?([\s,，、]*(共|/)\s*\d{1,4}\s*页?)?[\s\-－—]*$|^(?i:page)\s*\d+(\s*(of|/)\s*\d+)?$`)
)

// ReadText decodes a text export and splits it into lines, dropping noise:
// watermark lines repeated through the document, the table of contents and
// page numbers. Line numbers and form-feed pages of the source are kept.
func ReadText(path string, b []byte) (*Document, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, fmt.Errorf("%s: %w", path, ErrEmpty)
	}
	if bytes.IndexByte(b, 0) >= 0 {
		return nil, fmt.Errorf("%s: binary content (NUL bytes); not a text export", path)
	}
	s, enc, err := Decode(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	raw := strings.Split(s, "\n")

	doc := &Document{Path: path, Encoding: enc, Pages: 1}
	hasFF := strings.Contains(s, "\f")
	page := 1
	type cand struct {
		Line
		key string
	}
	var lines []cand
	freq := map[string]int{}
	for i, t := range raw {
		for strings.HasPrefix(t, "\f") || strings.Contains(t, "\f") {
			// A form feed starts a new page; text after it belongs to that page.
			j := strings.IndexByte(t, '\f')
			before := t[:j]
			if strings.TrimSpace(before) != "" {
				lines = append(lines, cand{Line: Line{Page: pageOf(hasFF, page), No: i + 1, Text: before, Tabbed: strings.Contains(before, "\t")}, key: squash(before)})
				freq[squash(before)]++
			}
			page++
			t = t[j+1:]
		}
		k := squash(t)
		lines = append(lines, cand{Line: Line{Page: pageOf(hasFF, page), No: i + 1, Text: t, Tabbed: strings.Contains(t, "\t")}, key: k})
		if k != "" {
			freq[k]++
		}
	}
	if hasFF {
		doc.Pages = page
	}
	watermark := watermarks(freq)
	heads := runningHeads(lines, func(c cand) (int, string) { return c.Page, c.key }, doc.Pages)
	for k, l := range lines {
		switch {
		case heads[k]:
			doc.Dropped++
			continue
		case l.key == "":
			// Blank lines are kept: they mark page breaks in exports without form feeds.
			doc.Lines = append(doc.Lines, l.Line)
			continue
		case watermark[l.key], tocLine.MatchString(strings.TrimSpace(l.Text)), pageNo.MatchString(l.key) && !l.Tabbed:
			doc.Dropped++
			continue
		case tocTab.MatchString(strings.TrimSpace(l.Text)) && isTOCHeading(l.Text):
			doc.Dropped++
			continue
		}
		doc.Lines = append(doc.Lines, l.Line)
	}
	return doc, nil
}

// runningHeads finds the page furniture of a paginated document: a line
// printed first (or last) on its page, the same on at least three pages
// and on two in five of them (无锡市交通运输局（本级）2026年度单位预算公开 over
// every page). A table's title repeated over its continuation pages is
// printed on a few pages only and stays. It returns the indexes of those
// lines.
func runningHeads[T any](lines []T, at func(T) (page int, key string), pages int) map[int]bool {
	if pages < 3 {
		return nil
	}
	first, last := map[int]int{}, map[int]int{} // page → index of its first / last non-empty line
	for i, l := range lines {
		p, k := at(l)
		if k == "" || p == 0 {
			continue
		}
		if _, ok := first[p]; !ok {
			first[p] = i
		}
		last[p] = i
	}
	count := map[string]int{}
	for _, m := range []map[int]int{first, last} {
		for _, i := range m {
			_, k := at(lines[i])
			count[k]++
		}
	}
	out := map[int]bool{}
	for _, m := range []map[int]int{first, last} {
		for _, i := range m {
			_, k := at(lines[i])
			if caption.MatchString(k) || strings.Contains(k, "单位") && strings.Contains(k, "元") {
				continue // a caption (…表) or a unit line (单位：万元) stays, repeated or not
			}
			if n := count[k]; n >= 3 && 5*n >= 2*pages {
				out[i] = true
			}
		}
	}
	return out
}

// caption is a line that names a table: it ends in 表, or in 表 and a note
// in brackets.
var caption = regexp.MustCompile(`表([（(][^）)]*[）)])?$`)

// isTOCHeading reports whether a "heading<TAB>page" line is a table-of-contents
// entry rather than a two-cell table row: the first cell must not be a number
// and the second is a small page number.
func isTOCHeading(t string) bool {
	cells := strings.Split(strings.TrimSpace(t), "\t")
	if len(cells) != 2 {
		return false
	}
	h := strings.TrimSpace(cells[0])
	return strings.HasPrefix(h, "第") && strings.Contains(h, "部分")
}

func pageOf(hasFF bool, page int) int {
	if !hasFF {
		return 0
	}
	return page
}

// squash removes all white space, for comparing lines regardless of layout.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\u3000', '\u00a0', '\f', '\v':
			return -1
		}
		return r
	}, s)
}

// watermarks finds lines that are noise stamped through the document: short
// lines without digits repeated at least four times and containing a typical
// watermark phrase, or repeated eight times or more.
func watermarks(freq map[string]int) map[string]bool {
	out := map[string]bool{}
	for k, n := range freq {
		rs := []rune(k)
		if len(rs) > 16 || strings.ContainsAny(k, "0123456789") {
			continue
		}
		if n >= 4 && (strings.Contains(k, "审核") || strings.Contains(k, "内部") || strings.Contains(k, "样稿") || strings.Contains(k, "草稿") || strings.Contains(k, "仅供")) {
			out[k] = true
		}
		if n >= 8 && !isTableWord(k) {
			out[k] = true
		}
	}
	return out
}

// isTableWord protects labels that legitimately repeat in every table.
func isTableWord(k string) bool {
	for _, w := range []string{"合计", "单位", "项目", "科目", "支出", "收入", "指标", "经济效益", "生态效益", "社会效益", "可持续影响", "其他资金"} {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}
