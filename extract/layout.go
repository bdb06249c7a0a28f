package extract

import (
	"math"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Layout turns PDF pages into the text of an equivalent text export, so
// that PDFs and text exports share one transform:
//
//   - tables drawn with ruling lines become tab-separated rows: columns from
//     the vertical rules, rows from the horizontal ones, the lines of a
//     multi-line cell joined, a merged cell's text in its first column;
//   - other text becomes lines laid out with spaces by x position, the way
//     `pdftotext -layout` prints them, so unruled tables keep their
//     alignment for Grid;
//   - each page is first turned so that most of its text reads left to
//     right (upright, rotate.go); glyphs at other angles (diagonal
//     watermarks) are dropped;
//   - pages are separated by form feeds.
func Layout(pages []PDFPage) string {
	return layoutAll(pages).text
}

// laidOut is a layout's text with what the text cannot carry, by output
// line number (1-based): the words placed on each line (OCR confidences)
// and the extent of each cell of a table row.
type laidOut struct {
	text  string
	words map[int][]Glyph
	cells map[int][]Extent
}

func layoutAll(pages []PDFPage) laidOut {
	var sb strings.Builder
	out := laidOut{words: map[int][]Glyph{}, cells: map[int][]Extent{}}
	n := 0
	for i, p := range pages {
		if i > 0 {
			sb.WriteString("\f")
		}
		for _, l := range layoutPage(p) {
			n++
			sb.WriteString(l.text)
			sb.WriteByte('\n')
			if len(l.glyphs) > 0 && l.glyphs[0].Conf > 0 {
				out.words[n] = l.glyphs
			}
			if l.cells != nil {
				out.cells[n] = l.cells
			}
		}
	}
	out.text = sb.String()
	return out
}

// attach gives the lines of a document read from a layout their cells'
// extents.
func (lo laidOut) attach(doc *Document) {
	for i := range doc.Lines {
		l := &doc.Lines[i]
		if cs, ok := lo.cells[l.No]; ok && l.Tabbed && len(cs) == strings.Count(l.Text, "\t")+1 {
			l.Cells = cs
		}
	}
}

type textLine struct {
	glyphs         []Glyph
	y0, y1, center float64
}

type outLine struct {
	y      float64
	text   string
	glyphs []Glyph
	cells  []Extent // a table row: each cell's extent on the page
}

func layoutPage(p PDFPage) []outLine {
	p = upright(p) // read in the page's reading direction; glyphs at other angles dropped
	var gs []Glyph
	for _, g := range p.Glyphs {
		if strings.TrimSpace(g.Text) == "" || g.X1 < g.X0 || g.Y1 < g.Y0 {
			continue
		}
		gs = append(gs, g)
	}
	if len(gs) == 0 {
		return nil
	}
	lines := groupLines(gs)
	unit := halfWidth(gs)
	tables := findTables(p.Rules)
	left := math.Inf(1)
	for _, g := range gs {
		left = math.Min(left, g.X0)
	}
	var out []outLine
	used := make([]bool, len(lines))
	for _, t := range tables {
		var members []int
		for i, l := range lines {
			if !used[i] && t.contains(l) {
				members = append(members, i)
			}
		}
		if len(members) == 0 {
			continue
		}
		rows := t.rows(lines, members, unit, left)
		if rows == nil {
			continue // not a grid: its lines are laid out as text
		}
		for _, i := range members {
			used[i] = true
		}
		out = append(out, rows...)
	}
	for i, l := range lines {
		if !used[i] {
			out = append(out, outLine{y: l.center, text: spaced(l.glyphs, unit, left), glyphs: l.glyphs})
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].y < out[b].y })
	return out
}

// groupLines clusters glyphs into text lines by their vertical centers.
func groupLines(gs []Glyph) []textLine {
	sort.Slice(gs, func(a, b int) bool {
		ca, cb := (gs[a].Y0+gs[a].Y1)/2, (gs[b].Y0+gs[b].Y1)/2
		if ca != cb {
			return ca < cb
		}
		return gs[a].X0 < gs[b].X0
	})
	// A glyph belongs to the current line when its center is within 0.7 of a
	// typical glyph height of the line's reference center: the mean center
	// of its full-size glyphs. Ink boxes vary (一 is a hairline, 、 sits low,
	// “ sits high), so a glyph's own box is no yardstick.
	var hs []float64
	for _, g := range gs {
		for _, r := range g.Text {
			if unicode.Is(unicode.Han, r) || unicode.IsDigit(r) {
				hs = append(hs, g.Y1-g.Y0)
			}
		}
	}
	if len(hs) == 0 {
		for _, g := range gs {
			hs = append(hs, g.Y1-g.Y0)
		}
	}
	sort.Float64s(hs)
	typical := math.Max(hs[len(hs)/2], 2)
	var lines []textLine
	var ref float64
	full := 0
	for _, g := range gs {
		c := (g.Y0 + g.Y1) / 2
		isFull := g.Y1-g.Y0 >= 0.6*typical
		if n := len(lines); n > 0 && math.Abs(c-ref) <= 0.7*typical {
			l := &lines[n-1]
			l.glyphs = append(l.glyphs, g)
			l.y0, l.y1 = math.Min(l.y0, g.Y0), math.Max(l.y1, g.Y1)
			if isFull {
				if full == 0 {
					ref = c
				} else {
					ref = (ref*float64(full) + c) / float64(full+1)
				}
				full++
			}
			l.center = ref
			continue
		}
		lines = append(lines, textLine{glyphs: []Glyph{g}, y0: g.Y0, y1: g.Y1, center: c})
		ref, full = c, 0
		if isFull {
			full = 1
		}
	}
	for i := range lines {
		sort.Slice(lines[i].glyphs, func(a, b int) bool { return lines[i].glyphs[a].X0 < lines[i].glyphs[b].X0 })
	}
	return lines
}

// halfWidth estimates the width of a half-width character (a digit) on the
// page: half the median height of Chinese glyphs, else the median glyph width.
func halfWidth(gs []Glyph) float64 {
	var hs []float64
	for _, g := range gs {
		w := 0
		han := false
		for _, r := range g.Text {
			w += displayWidth(r)
			han = han || unicode.Is(unicode.Han, r)
		}
		if han && w > 0 {
			hs = append(hs, (g.X1-g.X0)/float64(w)) // a glyph may be an OCR word
		}
	}
	if len(hs) == 0 {
		for _, g := range gs {
			if n := len([]rune(g.Text)); n > 0 {
				hs = append(hs, (g.X1-g.X0)/float64(n))
			}
		}
	}
	if len(hs) == 0 {
		return 3
	}
	sort.Float64s(hs)
	u := hs[len(hs)/2]
	if u < 1 {
		u = 3
	}
	return u
}

// spaced lays a line's glyphs out with spaces by x position, counting a
// Chinese character as two columns (display width).
func spaced(gs []Glyph, unit, left float64) string {
	var sb strings.Builder
	col := 0
	prevX1 := math.Inf(-1)
	var prev rune
	for _, g := range gs {
		first, _ := utf8.DecodeRuneInString(g.Text)
		cellGap := 1.5 * unit
		if g.Conf > 0 {
			// OCR word boxes are ink boxes: between Chinese characters a
			// cell boundary needs a full character's gap; next to a number,
			// one digit's.
			cellGap = 2 * unit
			if !unicode.Is(unicode.Han, prev) || !unicode.Is(unicode.Han, first) {
				cellGap = 1.2 * unit
			}
		}
		target := int(math.Round((g.X0 - left) / unit))
		gap := g.X0 - prevX1
		switch {
		case col > 0 && gap >= cellGap:
			n := max(target-col, 2)
			sb.WriteString(strings.Repeat(" ", n))
			col += n
		case col == 0 && target > 0:
			sb.WriteString(strings.Repeat(" ", target))
			col += target
		case col > 0 && gap > 0.6*unit && !(g.Conf > 0 && unicode.Is(unicode.Han, prev) && unicode.Is(unicode.Han, first)):
			sb.WriteString(" ")
			col++
		}
		sb.WriteString(g.Text)
		for _, r := range g.Text {
			col += displayWidth(r)
			prev = r
		}
		prevX1 = g.X1
	}
	return sb.String()
}

// table is a connected set of ruling lines.
type table struct {
	hs, vs         []Rule
	x0, y0, x1, y1 float64
	cols           []float64 // x of all vertical rules, sorted, merged
}

const snap = 1.5 // points within which rule coordinates are the same

func (t *table) contains(l textLine) bool {
	x0, x1 := l.glyphs[0].X0, l.glyphs[len(l.glyphs)-1].X1
	return l.center > t.y0 && l.center < t.y1 && x0 >= t.x0-snap && x1 <= t.x1+snap
}

// findTables groups ruling lines that touch into tables with at least two
// horizontal and two vertical rules.
func findTables(rules []Rule) []*table {
	n := len(rules)
	if n == 0 {
		return nil
	}
	sets := newUnionFind(n)
	touch := func(a, b Rule) bool {
		return a.X0 <= b.X1+snap && b.X0 <= a.X1+snap && a.Y0 <= b.Y1+snap && b.Y0 <= a.Y1+snap
	}
	// Sort by x0 to prune comparisons.
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return rules[idx[a]].X0 < rules[idx[b]].X0 })
	for a := 0; a < n; a++ {
		ra := rules[idx[a]]
		for b := a + 1; b < n; b++ {
			rb := rules[idx[b]]
			if rb.X0 > ra.X1+snap {
				break
			}
			if touch(ra, rb) {
				sets.union(idx[a], idx[b])
			}
		}
	}
	groups := map[int]*table{}
	var order []int
	for i, r := range rules {
		g := sets.find(i)
		t := groups[g]
		if t == nil {
			t = &table{x0: r.X0, y0: r.Y0, x1: r.X1, y1: r.Y1}
			groups[g] = t
			order = append(order, g)
		}
		if r.Horizontal() {
			t.hs = append(t.hs, r)
		} else {
			t.vs = append(t.vs, r)
		}
		t.x0, t.y0 = math.Min(t.x0, r.X0), math.Min(t.y0, r.Y0)
		t.x1, t.y1 = math.Max(t.x1, r.X1), math.Max(t.y1, r.Y1)
	}
	var out []*table
	for _, g := range order {
		t := groups[g]
		if len(t.hs) < 2 || len(t.vs) < 2 {
			continue
		}
		var xs []float64
		for _, v := range t.vs {
			xs = append(xs, v.X0)
		}
		t.cols = mergeCoords(xs)
		if len(t.cols) < 2 {
			continue
		}
		out = append(out, t)
	}
	return out
}

func mergeCoords(xs []float64) []float64 {
	sort.Float64s(xs)
	var out []float64
	for _, x := range xs {
		if len(out) > 0 && x-out[len(out)-1] <= snap {
			continue
		}
		out = append(out, x)
	}
	return out
}

// tableGrid is a table's grid: row and column boundaries, and find, which
// maps a grid cell (r*nC + c) to its merged cell's top-left grid cell.
type tableGrid struct {
	ys     []float64
	nR, nC int
	find   func(int) int
}

// grid builds the table's grid. Two neighbouring grid cells with no rule
// between them are one (merged) cell. nil when there is no grid.
func (t *table) grid() *tableGrid {
	// The frame's top and bottom are row boundaries too: vertical rules
	// that reach above the first horizontal rule (a row continued from the
	// page before, its top border drawn there) enclose a row.
	ys := []float64{t.y0, t.y1}
	for _, h := range t.hs {
		ys = append(ys, h.Y0)
	}
	ys = mergeCoords(ys)
	nR, nC := len(ys)-1, len(t.cols)-1
	if nR < 1 || nC < 2 {
		return nil
	}
	covered := func(rs []Rule, vertical bool, at, mid float64) bool {
		for _, r := range rs {
			if vertical {
				if math.Abs(r.X0-at) <= snap && r.Y0 <= mid && r.Y1 >= mid {
					return true
				}
			} else if math.Abs(r.Y0-at) <= snap && r.X0 <= mid && r.X1 >= mid {
				return true
			}
		}
		return false
	}
	sets := newUnionFind(nR * nC)
	union, find := sets.union, sets.find
	for r := 0; r < nR; r++ {
		midY := (ys[r] + ys[r+1]) / 2
		for c := 0; c < nC; c++ {
			midX := (t.cols[c] + t.cols[c+1]) / 2
			if c+1 < nC && !covered(t.vs, true, t.cols[c+1], midY) {
				union(r*nC+c, r*nC+c+1)
			}
			if r+1 < nR && !covered(t.hs, false, ys[r+1], midX) {
				union(r*nC+c, (r+1)*nC+c)
			}
		}
	}
	return &tableGrid{ys: ys, nR: nR, nC: nC, find: find}
}

// cellBox is a merged cell's extent.
type cellBox struct{ X0, Y0, X1, Y1 float64 }

// cells returns the extent of every merged cell of the grid.
func (t *table) cells() []cellBox {
	g := t.grid()
	if g == nil {
		return nil
	}
	boxes := map[int]*cellBox{}
	var order []int
	for r := 0; r < g.nR; r++ {
		for c := 0; c < g.nC; c++ {
			root := g.find(r*g.nC + c)
			b := boxes[root]
			if b == nil {
				b = &cellBox{t.cols[c], g.ys[r], t.cols[c+1], g.ys[r+1]}
				boxes[root] = b
				order = append(order, root)
			}
			b.X0, b.Y0 = math.Min(b.X0, t.cols[c]), math.Min(b.Y0, g.ys[r])
			b.X1, b.Y1 = math.Max(b.X1, t.cols[c+1]), math.Max(b.Y1, g.ys[r+1])
		}
	}
	out := make([]cellBox, len(order))
	for i, root := range order {
		out[i] = *boxes[root]
	}
	return out
}

// rows turns the text lines inside a table into tab-separated rows. The
// grid is every horizontal and vertical rule position; two neighbouring grid
// cells with no rule between them are one (merged) cell, whose text — the
// lines of a multi-line cell joined in reading order — is placed in its
// top-left grid cell, as spreadsheets export merged cells.
func (t *table) rows(lines []textLine, members []int, unit, left float64) []outLine {
	g := t.grid()
	if g == nil {
		return nil
	}
	ys, nR, nC, find := g.ys, g.nR, g.nC, g.find
	// A merged cell as wide as the table (a title or note row inside the
	// frame) is text, one line per text line, not a cell.
	spanLo, spanHi := map[int]int{}, map[int]int{}
	for i := 0; i < nR*nC; i++ {
		root, c := find(i), i%nC
		if lo, ok := spanLo[root]; !ok || c < lo {
			spanLo[root] = c
		}
		if c > spanHi[root] {
			spanHi[root] = c
		}
	}
	cells := map[int][]Glyph{}
	rowGlyphs := map[int][]Glyph{}
	outside := map[int][]Glyph{} // by member line
	for _, i := range members {
		for _, g := range lines[i].glyphs {
			cx, cy := (g.X0+g.X1)/2, (g.Y0+g.Y1)/2
			r := sort.SearchFloat64s(ys, cy) - 1
			c := sort.SearchFloat64s(t.cols, cx) - 1
			if r < 0 || r >= nR || c < 0 || c >= nC {
				outside[i] = append(outside[i], g)
				continue
			}
			root := find(r*nC + c) // the smallest index: the top-left grid cell
			if spanLo[root] == 0 && spanHi[root] == nC-1 && nC > 1 {
				outside[i] = append(outside[i], g)
				continue
			}
			cells[root] = append(cells[root], g)
			rowGlyphs[root/nC] = append(rowGlyphs[root/nC], g)
		}
	}
	var out []outLine
	for r := 0; r < nR; r++ {
		row := make([]string, nC)
		ext := make([]Extent, nC)
		any := false
		for c := 0; c < nC; c++ {
			ext[c] = Extent{t.cols[c], t.cols[c+1]}
			if root := find(r*nC + c); root == r*nC+c {
				// A merged cell's text stands in its first column, and its
				// extent is the merged cell's.
				ext[c] = Extent{t.cols[spanLo[root]], t.cols[spanHi[root]+1]}
			}
			if gs := cells[r*nC+c]; gs != nil {
				row[c] = cellText(gs, unit)
				any = true
			}
		}
		if any {
			out = append(out, outLine{y: (ys[r] + ys[r+1]) / 2, text: strings.Join(row, "\t"), glyphs: rowGlyphs[r], cells: ext})
		}
	}
	for i, gs := range outside {
		out = append(out, outLine{y: lines[i].center, text: spaced(gs, unit, left), glyphs: gs})
	}
	return out
}

// cellText is the text of one table cell: its glyphs in reading order,
// the lines of a multi-line cell joined. A cell's lines are found among its
// own glyphs by vertical overlap, not by the page's text lines: a decimal
// point sits low in its line and, beside a name wrapped over two lines,
// would otherwise fall to the line below (1.12 read as 112.).
func cellText(gs []Glyph, unit float64) string {
	if len(gs) == 1 {
		return gs[0].Text
	}
	sorted := append([]Glyph(nil), gs...)
	sort.SliceStable(sorted, func(a, b int) bool { return sorted[a].Y0+sorted[a].Y1 < sorted[b].Y0+sorted[b].Y1 })
	type subLine struct {
		y0, y1 float64
		gs     []Glyph
	}
	var subs []*subLine
	for _, g := range sorted {
		var into *subLine
		for _, l := range subs {
			over := math.Min(l.y1, g.Y1) - math.Max(l.y0, g.Y0)
			h := math.Min(l.y1-l.y0, g.Y1-g.Y0)
			if over > 0 && over >= 0.3*h {
				into = l
				break
			}
		}
		if into == nil {
			into = &subLine{y0: g.Y0, y1: g.Y1}
			subs = append(subs, into)
		}
		into.gs = append(into.gs, g)
		// A line's extent is that of its full-size glyphs once it has one:
		// marks (、 。 .) must not stretch it into the next line.
		if g.Y1-g.Y0 >= 0.6*(into.y1-into.y0) {
			into.y0, into.y1 = math.Min(into.y0, g.Y0), math.Max(into.y1, g.Y1)
		}
	}
	sort.SliceStable(subs, func(a, b int) bool { return subs[a].y0+subs[a].y1 < subs[b].y0+subs[b].y1 })
	var sb strings.Builder
	for _, l := range subs {
		sort.SliceStable(l.gs, func(a, b int) bool { return l.gs[a].X0 < l.gs[b].X0 })
		for k, g := range l.gs {
			if k > 0 {
				if p := l.gs[k-1]; isDigitText(p.Text) && isDigitText(g.Text) && g.X0-p.X1 > 0.6*unit {
					// A space printed between digits on one line (a code printed
					// "6 09"): kept, so the misprint is seen and repaired on record.
					sb.WriteByte(' ')
				}
			}
			sb.WriteString(g.Text)
		}
	}
	return sb.String()
}

// unionFind groups indices into sets; a set's representative is its
// smallest index (for a grid: the top-left cell of a merged cell).
type unionFind []int

func newUnionFind(n int) unionFind {
	u := make(unionFind, n)
	for i := range u {
		u[i] = i
	}
	return u
}

func (u unionFind) find(i int) int {
	for u[i] != i {
		u[i] = u[u[i]]
		i = u[i]
	}
	return i
}

func (u unionFind) union(a, b int) {
	ra, rb := u.find(a), u.find(b)
	if ra < rb {
		u[rb] = ra
	} else {
		u[ra] = rb
	}
}

// isDigitText reports whether a glyph's text is one ASCII digit.
func isDigitText(s string) bool { return len(s) == 1 && s[0] >= '0' && s[0] <= '9' }
