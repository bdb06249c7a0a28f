package extract

import (
	"regexp"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// Row is one table row: its cells by column, with the source line.
type Row struct {
	Page    int
	No      int
	Cells   []string // trimmed cell texts; "" for an empty cell
	Extents []Extent // each cell's extent on its page, for rows of a ruled PDF table; else nil
}

// Text joins the row's non-empty cells without separators.
func (r Row) Text() string {
	return strings.Join(r.Cells, "")
}

// Grid turns the lines of one table (header and body) into rows of cells.
// Tab-separated lines are split at tabs. Lines aligned with runs of spaces get
// column boundaries inferred from the alignment of all the given lines: the
// columns are where body cells (rows holding a number) sit, in display width
// or in characters, whichever aligns the table better.
func Grid(lines []Line) []Row {
	rows := make([]Row, len(lines))
	var spaced []int
	for i, l := range lines {
		rows[i] = Row{Page: l.Page, No: l.No}
		if l.Tabbed {
			cells := strings.Split(l.Text, "\t")
			for j := range cells {
				cells[j] = strings.TrimSpace(strings.Trim(cells[j], "\u3000"))
			}
			rows[i].Cells = cells
			if len(l.Cells) == len(cells) {
				rows[i].Extents = l.Cells
			}
			continue
		}
		if strings.TrimSpace(l.Text) == "" {
			continue
		}
		spaced = append(spaced, i)
	}
	if len(spaced) == 0 {
		return rows
	}
	texts := make([]string, len(spaced))
	for k, i := range spaced {
		texts[k] = lines[i].Text
	}
	best := alignColumns(texts, displayWidth)
	if alt := alignColumns(texts, runeWidth); alt.score < best.score {
		best = alt
	}
	for k, i := range spaced {
		rows[i].Cells = best.cells[k]
	}
	return rows
}

type span struct {
	start, end int // [start, end) in the chosen width metric
	text       string
}

type alignment struct {
	cells [][]string
	score int // lower is better: cells forced to share a column, plus stray spans
}

// spacedNumber is a figure a producer letter-spaced after its separators
// (5, 131. 706333; 110. 05): one space after a thousands comma or the
// decimal point, the digit groups otherwise as a number prints them.
var spacedNumber = regexp.MustCompile(`^[-－]?\d{1,3}(?:[,，] ?\d{3})*(?:[.．] ?\d+)?$`)

var numberCell = regexp.MustCompile(`^[-－]?[\d,，]+(\.\d+)?$`)

// IsNumber reports whether a cell looks like an amount.
func IsNumber(s string) bool {
	return numberCell.MatchString(strings.TrimSpace(s))
}

// DisplayWidth is the number of terminal columns s takes: East Asian wide
// and full-width characters count two.
func DisplayWidth(s string) int {
	n := 0
	for _, r := range s {
		n += displayWidth(r)
	}
	return n
}

func displayWidth(r rune) int {
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

func runeWidth(rune) int { return 1 }

// spans cuts a line into cells at runs of two or more spaces (or one
// ideographic space), measuring positions with w.
func spans(s string, w func(rune) int) []span {
	var out []span
	pos, start, gap := 0, -1, 0
	var cur []rune
	flush := func(end int) {
		if start >= 0 {
			t := strings.TrimSpace(string(cur))
			if spacedNumber.MatchString(t) {
				t = strings.ReplaceAll(t, " ", "") // a letter-spaced figure: 5, 131. 706333
			}
			if t != "" {
				out = append(out, span{start: start, end: end, text: t})
			}
		}
		start, cur = -1, cur[:0]
	}
	lastEnd := 0
	for _, r := range s {
		rw := w(r)
		if r == '\u3000' {
			rw = 2
		}
		if r == ' ' || r == '\u3000' || r == '\u00a0' {
			gap += rw
			if r == '\u3000' {
				gap += 1
			}
			if gap >= 2 {
				flush(lastEnd)
			} else if start >= 0 {
				cur = append(cur, ' ')
			}
			pos += rw
			continue
		}
		gap = 0
		if start < 0 {
			start = pos
		}
		cur = append(cur, r)
		pos += rw
		lastEnd = pos
	}
	flush(lastEnd)
	return out
}

type column struct{ start, end int }

func alignColumns(texts []string, w func(rune) int) alignment {
	all := make([][]span, len(texts))
	var body []span
	for i, t := range texts {
		all[i] = spans(t, w)
		if rowHasNumber(all[i]) {
			body = append(body, all[i]...)
		}
	}
	// Columns are the union of the extents of body cells.
	cols := union(body)
	// Header cells over columns that no body row uses add columns of their own.
	for i := len(all) - 1; i >= 0; i-- {
		if rowHasNumber(all[i]) {
			continue
		}
		for _, s := range all[i] {
			if !overlapsAny(cols, s) {
				cols = append(cols, column{s.start, s.end})
				sort.Slice(cols, func(a, b int) bool { return cols[a].start < cols[b].start })
			}
		}
	}
	res := alignment{cells: make([][]string, len(texts))}
	for i, ss := range all {
		cells := make([]string, len(cols))
		for _, s := range ss {
			j := bestColumn(cols, s)
			if cells[j] != "" {
				res.score++
				cells[j] += " " + s.text
				continue
			}
			cells[j] = s.text
		}
		res.cells[i] = cells
	}
	res.score += len(cols) / 4 // prefer fewer columns when otherwise equal
	return res
}

func rowHasNumber(ss []span) bool {
	for _, s := range ss {
		if IsNumber(s.text) {
			return true
		}
	}
	return false
}

func union(ss []span) []column {
	if len(ss) == 0 {
		return nil
	}
	sorted := append([]span(nil), ss...)
	sort.Slice(sorted, func(a, b int) bool { return sorted[a].start < sorted[b].start })
	var cols []column
	cur := column{sorted[0].start, sorted[0].end}
	for _, s := range sorted[1:] {
		if s.start < cur.end {
			if s.end > cur.end {
				cur.end = s.end
			}
			continue
		}
		cols = append(cols, cur)
		cur = column{s.start, s.end}
	}
	return append(cols, cur)
}

func overlapsAny(cols []column, s span) bool {
	for _, c := range cols {
		if s.start < c.end && c.start < s.end {
			return true
		}
	}
	return false
}

// bestColumn picks the leftmost column a cell overlaps (merged header cells
// are recorded in their first column, as spreadsheets do), else the nearest.
func bestColumn(cols []column, s span) int {
	best, dist := 0, int(^uint(0)>>1)
	for j, c := range cols {
		if s.start < c.end && c.start < s.end {
			return j
		}
		d := c.start - s.end
		if s.start >= c.end {
			d = s.start - c.end
		}
		if d < dist {
			best, dist = j, d
		}
	}
	return best
}

// HanCount is the number of Chinese characters in s.
func HanCount(s string) int {
	n := 0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			n++
		}
	}
	return n
}

// HasHan reports whether s contains a Chinese character.
func HasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
