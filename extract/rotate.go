package extract

import (
	"math"
	"strings"
)

// Page geometry: turning a page so that its text reads left to right, top to
// bottom, before it is laid out.
//
// A backend reports glyph boxes and ruling lines in the page's own frame —
// the page as stored, before its /Rotate is applied — with y growing
// downwards, and each glyph's Angle: the direction its text advances in, in
// radians, measured from the x axis towards the y axis of that frame (so
// clockwise as the page is seen). That is what PDFium's
// FPDFText_GetCharAngle returns (atan2(c, a) of the glyph's matrix in PDF
// space, y up): upright text 0, text reading downwards π/2, upside-down text
// π, text reading upwards 3π/2. A landscape table on a portrait page turned
// by /Rotate 90 is drawn reading upwards (3π/2); the same table drawn with a
// rotated text matrix on a page without /Rotate gives the same angles, so
// one rule serves both: the page is read in the direction most of its text
// takes.
//
// A glyph within alignTol of a quarter turn is aligned with it; the others
// (diagonal watermarks, text set at a slant) are never read.

// alignTol is how far (radians) a glyph's angle may be from a quarter turn
// and still be read in that direction.
const alignTol = 0.05

// quarterOf returns the quarter turn (0–3: 0, π/2, π, 3π/2) nearest to a
// glyph's angle, and whether the angle lies within alignTol of it.
func quarterOf(angle float64) (int, bool) {
	if angle == 0 { // nearly every glyph
		return 0, true
	}
	a := math.Mod(angle, 2*math.Pi)
	if a < 0 {
		a += 2 * math.Pi
	}
	k := math.Round(a / (math.Pi / 2))
	return int(k) % 4, math.Abs(a-k*math.Pi/2) <= alignTol
}

// readingQuarter returns the quarter turn in which most of a page's text
// reads, and how many of its glyphs are aligned with it (white space
// included). Glyphs other than white space vote; a tie goes to the direction
// that reads upright once the page's /Rotate is applied, then to upright
// text.
func readingQuarter(p PDFPage) (int, int) {
	var n, all [4]int
	for _, g := range p.Glyphs {
		if q, ok := quarterOf(g.Angle); ok {
			all[q]++
			if strings.TrimSpace(g.Text) != "" {
				n[q]++
			}
		}
	}
	// /Rotate turns the page clockwise for display; text that then reads
	// upright is drawn turned the other way.
	hint := ((360 - p.Rotation%360) % 360) / 90
	best := 0
	for _, q := range []int{hint, 0, 1, 2, 3} {
		if n[q] > n[best] || n[q] == n[best] && q == hint {
			best = q
		}
	}
	return best, all[best]
}

// upright returns the page turned so that its dominant reading direction
// (readingQuarter) reads left to right, top to bottom: every glyph box and
// ruling line is mapped into that frame (Width and Height swap on a quarter
// turn), glyph angles become relative to it, and the glyphs not aligned with
// it — diagonal watermarks, a stray label set the other way — are dropped.
// An upright page comes back unchanged except for those glyphs. The page
// given is not modified. Linear in glyphs and rules.
func upright(p PDFPage) PDFPage {
	q, keep := readingQuarter(p)
	if q == 0 {
		if keep == len(p.Glyphs) {
			return p
		}
		gs := make([]Glyph, 0, keep)
		for _, g := range p.Glyphs {
			if k, ok := quarterOf(g.Angle); ok && k == 0 {
				gs = append(gs, g)
			}
		}
		p.Glyphs = gs
		return p
	}
	t := newTurn(q, p.Width, p.Height)
	gs := make([]Glyph, 0, keep)
	for _, g := range p.Glyphs {
		if k, ok := quarterOf(g.Angle); !ok || k != q {
			continue
		}
		g.X0, g.Y0, g.X1, g.Y1 = t.box(g.X0, g.Y0, g.X1, g.Y1)
		g.Angle = math.Mod(g.Angle-float64(q)*math.Pi/2+2*math.Pi, 2*math.Pi)
		gs = append(gs, g)
	}
	rs := make([]Rule, len(p.Rules))
	for i, r := range p.Rules {
		x0, y0, x1, y1 := t.box(r.X0, r.Y0, r.X1, r.Y1)
		rs[i] = Rule{x0, y0, x1, y1}
	}
	p.Glyphs, p.Rules = gs, rs
	if q%2 == 1 {
		p.Width, p.Height = p.Height, p.Width
	}
	return p
}

// turn maps a point of the page's frame into the frame in which quarter q
// reads left to right: u runs along the reading direction (cos, sin), v
// along the direction lines follow one another (−sin, cos), shifted so that
// the page keeps to [0, w'] × [0, h'].
type turn struct{ c, s, ou, ov float64 }

func newTurn(q int, w, h float64) turn {
	c := [4]float64{1, 0, -1, 0}[q]
	s := [4]float64{0, 1, 0, -1}[q]
	return turn{c: c, s: s,
		ou: max(0, -c)*w + max(0, -s)*h,
		ov: max(0, s)*w + max(0, -c)*h}
}

func (t turn) point(x, y float64) (float64, float64) {
	return t.c*x + t.s*y + t.ou, -t.s*x + t.c*y + t.ov
}

// box maps an axis-aligned box; a quarter turn keeps it axis-aligned.
func (t turn) box(x0, y0, x1, y1 float64) (float64, float64, float64, float64) {
	u0, v0 := t.point(x0, y0)
	u1, v1 := t.point(x1, y1)
	return min(u0, u1), min(v0, v1), max(u0, u1), max(v0, v1)
}
