package extract

import (
	"encoding/binary"
	"errors"
	"math"
)

// An embedded TrueType font program (FontFile2, or an OpenType FontFile3
// with glyf outlines), read as far as the native reader needs it: each
// glyph's box as FreeType reports it to PDFium (the control box of the
// unhinted outline, shifted so that the left side bearing of hmtx is the
// origin), advances, the character maps and the glyph names of the post
// table. Glyph boxes are computed once per glyph and kept.

type sfntFont struct {
	data        []byte
	upem        int
	numGlyphs   int
	locaLong    bool
	loca, glyf  []byte
	hmtx        []byte
	numHMetrics int
	cmaps       []sfntCmap
	post        []byte
	names       map[string]int // glyph name → index, built on first use
	cff         *cffFont       // OpenType with CFF outlines, or a bare CFF program
	bareCFF     bool
	boxes       map[int]fxRect
	flags       []byte // scratch for simpleBox
}

type sfntCmap struct {
	platform, encoding uint16
	sub                []byte
}

// fxRect is PDFium's FX_RECT of a glyph in thousandths of the text size:
// left and right, top (the highest point) and bottom.
type fxRect struct{ left, top, right, bottom int32 }

var errBadFont = errors.New("font program not readable")

func parseSfnt(b []byte) (*sfntFont, error) {
	if len(b) < 12 {
		return nil, errBadFont
	}
	if string(b[:4]) == "ttcf" {
		if len(b) < 16 {
			return nil, errBadFont
		}
		off := int(binary.BigEndian.Uint32(b[12:]))
		if off >= len(b) {
			return nil, errBadFont
		}
		return parseSfntAt(b, off)
	}
	return parseSfntAt(b, 0)
}

func parseSfntAt(b []byte, at int) (*sfntFont, error) {
	if at+12 > len(b) {
		return nil, errBadFont
	}
	n := int(binary.BigEndian.Uint16(b[at+4:]))
	if at+12+16*n > len(b) {
		return nil, errBadFont
	}
	f := &sfntFont{data: b, boxes: map[int]fxRect{}}
	tables := map[string][]byte{}
	for i := 0; i < n; i++ {
		e := b[at+12+16*i:]
		off, ln := int(binary.BigEndian.Uint32(e[8:])), int(binary.BigEndian.Uint32(e[12:]))
		if off < 0 || ln < 0 || off > len(b) {
			continue
		}
		end := off + ln
		if end > len(b) || end < off {
			end = len(b) // FreeType reads truncated tables as far as they go
		}
		tables[string(e[:4])] = b[off:end]
	}
	head := tables["head"]
	if len(head) < 54 {
		return nil, errBadFont
	}
	f.upem = int(binary.BigEndian.Uint16(head[18:]))
	f.locaLong = binary.BigEndian.Uint16(head[50:]) != 0
	if maxp := tables["maxp"]; len(maxp) >= 6 {
		f.numGlyphs = int(binary.BigEndian.Uint16(maxp[4:]))
	}
	if hhea := tables["hhea"]; len(hhea) >= 36 {
		f.numHMetrics = int(binary.BigEndian.Uint16(hhea[34:]))
	}
	f.hmtx = tables["hmtx"]
	f.loca, f.glyf = tables["loca"], tables["glyf"]
	f.post = tables["post"]
	if c := tables["CFF "]; c != nil {
		cf, err := parseCFF(c)
		if err != nil {
			return nil, err
		}
		f.cff = cf
	} else if f.glyf == nil || f.loca == nil {
		return nil, errBadFont
	}
	if cm := tables["cmap"]; len(cm) >= 4 {
		nt := int(binary.BigEndian.Uint16(cm[2:]))
		for i := 0; i < nt && 4+8*i+8 <= len(cm); i++ {
			e := cm[4+8*i:]
			off := int(binary.BigEndian.Uint32(e[4:]))
			if off >= len(cm) {
				continue
			}
			sub := cm[off:]
			if !validCmapSub(sub) {
				continue // FreeType drops subtables it cannot validate
			}
			f.cmaps = append(f.cmaps, sfntCmap{binary.BigEndian.Uint16(e), binary.BigEndian.Uint16(e[2:]), sub})
		}
	}
	return f, nil
}

func validCmapSub(s []byte) bool {
	if len(s) < 4 {
		return false
	}
	switch binary.BigEndian.Uint16(s) {
	case 0:
		return len(s) >= 262
	case 4:
		if len(s) < 14 {
			return false
		}
		segX2 := int(binary.BigEndian.Uint16(s[6:]))
		return segX2%2 == 0 && 16+4*segX2 <= len(s)
	case 6:
		if len(s) < 10 {
			return false
		}
		cnt := int(binary.BigEndian.Uint16(s[8:]))
		return 10+2*cnt <= len(s)
	case 12:
		if len(s) < 16 {
			return false
		}
		ng := int(binary.BigEndian.Uint32(s[12:]))
		return ng >= 0 && 16+12*ng <= len(s)
	case 2:
		return len(s) >= 518
	}
	return false
}

// cmapFind returns the first character map with the given ids, as
// FreeType's FT_Set_Charmap after PDFium's FT_UseTTCharmap.
func (f *sfntFont) cmapFind(platform, encoding uint16) []byte {
	for _, c := range f.cmaps {
		if c.platform == platform && c.encoding == encoding {
			return c.sub
		}
	}
	return nil
}

// cmapUnicode is the character map FreeType selects for
// FT_Select_Charmap(FT_ENCODING_UNICODE): a UCS-4 map first, else the
// last Unicode map (Windows 3.1 or 3.10, Apple Unicode, ISO).
func (f *sfntFont) cmapUnicode() []byte {
	var best []byte
	for i := len(f.cmaps) - 1; i >= 0; i-- {
		c := f.cmaps[i]
		if c.platform == 3 && c.encoding == 10 || c.platform == 0 && c.encoding >= 4 && c.encoding != 5 {
			return c.sub
		}
	}
	for i := len(f.cmaps) - 1; i >= 0; i-- {
		c := f.cmaps[i]
		if c.platform == 3 && c.encoding == 1 || c.platform == 0 && c.encoding != 5 || c.platform == 2 && c.encoding == 1 {
			if best == nil {
				best = c.sub
			}
		}
	}
	return best
}

// cmapLookup maps a character code to a glyph index with one subtable.
func cmapLookup(s []byte, code uint32) int {
	if len(s) < 4 {
		return 0
	}
	switch binary.BigEndian.Uint16(s) {
	case 0:
		if code < 256 {
			return int(s[6+code])
		}
	case 4:
		if code > 0xFFFF {
			return 0
		}
		segX2 := int(binary.BigEndian.Uint16(s[6:]))
		ends := s[14:]
		starts := s[16+segX2:]
		deltas := s[16+2*segX2:]
		offs := s[16+3*segX2:]
		// binary search the first end >= code
		lo, hi := 0, segX2/2
		for lo < hi {
			m := (lo + hi) / 2
			if uint32(binary.BigEndian.Uint16(ends[2*m:])) < code {
				lo = m + 1
			} else {
				hi = m
			}
		}
		if lo >= segX2/2 {
			return 0
		}
		start := uint32(binary.BigEndian.Uint16(starts[2*lo:]))
		if code < start {
			return 0
		}
		delta := binary.BigEndian.Uint16(deltas[2*lo:])
		ro := int(binary.BigEndian.Uint16(offs[2*lo:]))
		if ro == 0 {
			return int(uint16(code) + delta)
		}
		p := 16 + 3*segX2 + 2*lo + ro + 2*int(code-start)
		if p+2 > len(s) {
			return 0
		}
		g := binary.BigEndian.Uint16(s[p:])
		if g == 0 {
			return 0
		}
		return int(g + delta)
	case 6:
		first := uint32(binary.BigEndian.Uint16(s[6:]))
		cnt := uint32(binary.BigEndian.Uint16(s[8:]))
		if code >= first && code < first+cnt {
			return int(binary.BigEndian.Uint16(s[10+2*(code-first):]))
		}
	case 12:
		ng := int(binary.BigEndian.Uint32(s[12:]))
		lo, hi := 0, ng
		for lo < hi {
			m := (lo + hi) / 2
			g := s[16+12*m:]
			if binary.BigEndian.Uint32(g[4:]) < code {
				lo = m + 1
			} else {
				hi = m
			}
		}
		if lo < ng {
			g := s[16+12*lo:]
			if st := binary.BigEndian.Uint32(g); code >= st {
				return int(binary.BigEndian.Uint32(g[8:]) + code - st)
			}
		}
	}
	return 0
}

// charIndex is FT_Get_Char_Index with the given subtable: 0 for none, or
// a glyph index beyond the font.
func (f *sfntFont) charIndex(sub []byte, code uint32) int {
	if sub == nil {
		return 0
	}
	g := cmapLookup(sub, code)
	if g >= f.numGlyphs && f.numGlyphs > 0 {
		return 0
	}
	return g
}

// hasGlyphNames: FreeType gives a TrueType face glyph names when its
// post table is of format 1 or 2 (and a CFF face always).
func (f *sfntFont) hasGlyphNames() bool {
	if f.cff != nil {
		return true
	}
	if len(f.post) < 32 {
		return false
	}
	v := binary.BigEndian.Uint32(f.post)
	return v == 0x00010000 || v == 0x00020000
}

// nameIndex is FT_Get_Name_Index: the glyph named so, or 0.
func (f *sfntFont) nameIndex(name string) int {
	if f.cff != nil {
		return f.cff.nameIndex(name)
	}
	if f.names == nil {
		f.names = map[string]int{}
		if len(f.post) >= 32 {
			switch binary.BigEndian.Uint32(f.post) {
			case 0x00010000:
				for i, n := range macGlyphNames {
					if i < f.numGlyphs {
						if _, ok := f.names[n]; !ok {
							f.names[n] = i
						}
					}
				}
			case 0x00020000:
				if len(f.post) >= 34 {
					ng := int(binary.BigEndian.Uint16(f.post[32:]))
					idx := f.post[34:]
					if 2*ng <= len(idx) {
						strs := idx[2*ng:]
						var pascal []string
						for p := 0; p < len(strs); {
							l := int(strs[p])
							if p+1+l > len(strs) {
								break
							}
							pascal = append(pascal, string(strs[p+1:p+1+l]))
							p += 1 + l
						}
						for g := 0; g < ng; g++ {
							k := int(binary.BigEndian.Uint16(idx[2*g:]))
							var n string
							if k < 258 {
								n = macGlyphNames[k]
							} else if k-258 < len(pascal) {
								n = pascal[k-258]
							}
							if n != "" {
								if _, ok := f.names[n]; !ok {
									f.names[n] = g
								}
							}
						}
					}
				}
			}
		}
	}
	return f.names[name]
}

// advance is the glyph's advance width in font units (hmtx).
func (f *sfntFont) advance(g int) int {
	if f.numHMetrics == 0 || len(f.hmtx) < 4*f.numHMetrics {
		return 0
	}
	if g >= f.numHMetrics {
		g = f.numHMetrics - 1
	}
	return int(binary.BigEndian.Uint16(f.hmtx[4*g:]))
}

func (f *sfntFont) lsb(g int) int {
	if g < f.numHMetrics {
		if 4*g+4 <= len(f.hmtx) {
			return int(int16(binary.BigEndian.Uint16(f.hmtx[4*g+2:])))
		}
		return 0
	}
	p := 4*f.numHMetrics + 2*(g-f.numHMetrics)
	if p+2 <= len(f.hmtx) {
		return int(int16(binary.BigEndian.Uint16(f.hmtx[p:])))
	}
	return 0
}

func (f *sfntFont) glyphData(g int) []byte {
	if g < 0 || f.numGlyphs > 0 && g >= f.numGlyphs {
		return nil
	}
	var a, b int
	if f.locaLong {
		if 4*g+8 > len(f.loca) {
			return nil
		}
		a, b = int(binary.BigEndian.Uint32(f.loca[4*g:])), int(binary.BigEndian.Uint32(f.loca[4*g+4:]))
	} else {
		if 2*g+4 > len(f.loca) {
			return nil
		}
		a, b = 2*int(binary.BigEndian.Uint16(f.loca[2*g:])), 2*int(binary.BigEndian.Uint16(f.loca[2*g+2:]))
	}
	if a >= b || a >= len(f.glyf) {
		return []byte{} // an empty glyph: a space
	}
	if b > len(f.glyf) {
		b = len(f.glyf)
	}
	return f.glyf[a:b]
}

// glyphBox returns the box PDFium's CFX_Face::GetGlyphBBox gives for a
// glyph: FreeType's unscaled metrics (control box of the outline, its
// left edge at the left side bearing) in thousandths of an em, rounded as
// NormalizeFontMetric rounds; ok is false when FreeType fails to load the
// glyph (an index beyond the font).
func (f *sfntFont) glyphBox(g int) (fxRect, bool) {
	if r, ok := f.boxes[g]; ok {
		return r, r != fxRect{math.MinInt32, 0, 0, 0}
	}
	var r fxRect
	ok := true
	if f.cff != nil {
		var x0, y0, x1, y1 float64
		x0, y0, x1, y1, ok = f.cff.glyphCBox(g)
		if ok {
			r = fxRect{normMetric(x0, f.upem), normMetric(y1, f.upem), normMetric(x1, f.upem), normMetric(y0, f.upem)}
		}
	} else if x0, y0, x1, y1, pp1, n, simple, sok := f.simpleBox(g); simple {
		ok = sok
		if ok && n > 0 {
			r = fxRect{normMetricI(x0-pp1, f.upem), normMetricI(y1, f.upem), normMetricI(x1-pp1, f.upem), normMetricI(y0, f.upem)}
		}
	} else {
		var pts []ttPoint
		var pp1 int
		pts, pp1, ok = f.glyphPoints(g, 0)
		if ok {
			if len(pts) == 0 {
				r = fxRect{}
			} else {
				x0, y0, x1, y1 := pts[0].x, pts[0].y, pts[0].x, pts[0].y
				for _, p := range pts[1:] {
					x0, x1 = min(x0, p.x), max(x1, p.x)
					y0, y1 = min(y0, p.y), max(y1, p.y)
				}
				x0 -= pp1
				x1 -= pp1
				r = fxRect{normMetricI(x0, f.upem), normMetricI(y1, f.upem), normMetricI(x1, f.upem), normMetricI(y0, f.upem)}
			}
		}
	}
	if !ok {
		f.boxes[g] = fxRect{math.MinInt32, 0, 0, 0}
		return fxRect{}, false
	}
	f.boxes[g] = r
	return r, true
}

// normMetric is PDFium's NormalizeFontMetric: a font-unit value in
// thousandths of an em, rounded half up and truncated toward zero.
func normMetricI(v, upem int) int32 {
	if upem == 0 {
		return int32(v)
	}
	return int32((float64(v)*1000 + float64(upem/2)) / float64(upem))
}

func normMetric(v float64, upem int) int32 { return normMetricI(int(v), upem) }

type ttPoint struct{ x, y int }

// simpleBox computes the control box of a simple glyph (or an empty one)
// without keeping its points; simple is false for a composite glyph.
func (f *sfntFont) simpleBox(g int) (x0, y0, x1, y1, pp1, n int, simple, ok bool) {
	d := f.glyphData(g)
	if d == nil {
		return 0, 0, 0, 0, 0, 0, true, false
	}
	if len(d) == 0 {
		return 0, 0, 0, 0, 0, 0, true, true
	}
	if len(d) < 10 {
		return 0, 0, 0, 0, 0, 0, true, false
	}
	nc := int(int16(binary.BigEndian.Uint16(d)))
	if nc < 0 {
		return 0, 0, 0, 0, 0, 0, false, false
	}
	pp1 = int(int16(binary.BigEndian.Uint16(d[2:]))) - f.lsb(g)
	if nc == 0 {
		return 0, 0, 0, 0, pp1, 0, true, true
	}
	p := 10
	if p+2*nc+2 > len(d) {
		return 0, 0, 0, 0, 0, 0, true, false
	}
	np := int(binary.BigEndian.Uint16(d[p+2*(nc-1):])) + 1
	p += 2 * nc
	il := int(binary.BigEndian.Uint16(d[p:]))
	p += 2 + il
	if p > len(d) {
		return 0, 0, 0, 0, 0, 0, true, false
	}
	if cap(f.flags) < np {
		f.flags = make([]byte, np)
	}
	flags := f.flags[:np]
	for i := 0; i < np; {
		if p >= len(d) {
			return 0, 0, 0, 0, 0, 0, true, false
		}
		fl := d[p]
		p++
		flags[i] = fl
		i++
		if fl&8 != 0 {
			if p >= len(d) {
				return 0, 0, 0, 0, 0, 0, true, false
			}
			r := int(d[p])
			p++
			for ; r > 0 && i < np; r-- {
				flags[i] = fl
				i++
			}
		}
	}
	x0, x1, p, okX := glyfCoords(d, p, flags, 2, 16, nil)
	if !okX {
		return 0, 0, 0, 0, 0, 0, true, false
	}
	y0, y1, _, okY := glyfCoords(d, p, flags, 4, 32, nil)
	if !okY {
		return 0, 0, 0, 0, 0, 0, true, false
	}
	return x0, y0, x1, y1, pp1, np, true, true
}

// glyfCoords reads one axis of a simple glyph's points from d at p — short
// (one byte, its sign by the same bit) or long (int16) deltas, or none when
// the same bit is set on a long point — and returns the least and greatest
// coordinate and the offset after them (each point's in dst when dst is not
// nil); false when d ends first.
func glyfCoords(d []byte, p int, flags []byte, short, same byte, dst []int) (lo, hi, next int, ok bool) {
	v := 0
	for i, fl := range flags {
		switch {
		case fl&short != 0:
			if p >= len(d) {
				return 0, 0, p, false
			}
			dv := int(d[p])
			p++
			if fl&same == 0 {
				dv = -dv
			}
			v += dv
		case fl&same == 0:
			if p+2 > len(d) {
				return 0, 0, p, false
			}
			v += int(int16(binary.BigEndian.Uint16(d[p:])))
			p += 2
		}
		if dst != nil {
			dst[i] = v
		}
		if i == 0 || v < lo {
			lo = v
		}
		if i == 0 || v > hi {
			hi = v
		}
	}
	return lo, hi, p, true
}

// glyphPoints returns a glyph's outline points (unscaled, components
// placed) and its phantom point pp1.x (the glyph header's xMin less the
// left side bearing), as FreeType loads them without hinting.
func (f *sfntFont) glyphPoints(g, depth int) ([]ttPoint, int, bool) {
	if depth > 8 {
		return nil, 0, false
	}
	d := f.glyphData(g)
	if d == nil {
		return nil, 0, false
	}
	if len(d) == 0 {
		return nil, -f.lsb(g), true
	}
	if len(d) < 10 {
		return nil, 0, false
	}
	nc := int(int16(binary.BigEndian.Uint16(d)))
	xMin := int(int16(binary.BigEndian.Uint16(d[2:])))
	pp1 := xMin - f.lsb(g)
	if nc >= 0 {
		pts, ok := simpleGlyphPoints(d, nc)
		return pts, pp1, ok
	}
	// composite
	var pts []ttPoint
	p := 10
	for {
		if p+4 > len(d) {
			return nil, 0, false
		}
		flags := binary.BigEndian.Uint16(d[p:])
		comp := int(binary.BigEndian.Uint16(d[p+2:]))
		p += 4
		var dx, dy int
		argsXY := flags&0x0002 != 0
		if flags&0x0001 != 0 {
			if p+4 > len(d) {
				return nil, 0, false
			}
			dx, dy = int(int16(binary.BigEndian.Uint16(d[p:]))), int(int16(binary.BigEndian.Uint16(d[p+2:])))
			if !argsXY {
				dx, dy = int(binary.BigEndian.Uint16(d[p:])), int(binary.BigEndian.Uint16(d[p+2:]))
			}
			p += 4
		} else {
			if p+2 > len(d) {
				return nil, 0, false
			}
			dx, dy = int(int8(d[p])), int(int8(d[p+1]))
			if !argsXY {
				dx, dy = int(d[p]), int(d[p+1])
			}
			p += 2
		}
		a, b, c, dd := 1.0, 0.0, 0.0, 1.0
		scaled := false
		f2 := func(o int) float64 { return float64(int16(binary.BigEndian.Uint16(d[o:]))) / 16384 }
		switch {
		case flags&0x0008 != 0:
			if p+2 > len(d) {
				return nil, 0, false
			}
			a = f2(p)
			dd = a
			p += 2
			scaled = true
		case flags&0x0040 != 0:
			if p+4 > len(d) {
				return nil, 0, false
			}
			a, dd = f2(p), f2(p+2)
			p += 4
			scaled = true
		case flags&0x0080 != 0:
			if p+8 > len(d) {
				return nil, 0, false
			}
			a, b, c, dd = f2(p), f2(p+2), f2(p+4), f2(p+6)
			p += 8
			scaled = true
		}
		cpts, cpp1, ok := f.glyphPoints(comp, depth+1)
		if !ok {
			return nil, 0, false
		}
		base := len(pts)
		for _, q := range cpts {
			x, y := q.x, q.y
			if scaled {
				x = int(math.Round(a*float64(q.x) + c*float64(q.y)))
				y = int(math.Round(b*float64(q.x) + dd*float64(q.y)))
			}
			pts = append(pts, ttPoint{x, y})
		}
		if !argsXY {
			// Point matching: align point dy of the component with point
			// dx of the glyph so far.
			if dx < base && base+dy < len(pts) {
				ddx := pts[dx].x - pts[base+dy].x
				ddy := pts[dx].y - pts[base+dy].y
				dx, dy = ddx, ddy
			} else {
				dx, dy = 0, 0
			}
		}
		for i := base; i < len(pts); i++ {
			pts[i].x += dx
			pts[i].y += dy
		}
		if flags&0x0200 != 0 { // USE_MY_METRICS
			pp1 = cpp1 - dx
		}
		if flags&0x0020 == 0 { // MORE_COMPONENTS
			break
		}
	}
	return pts, pp1, true
}

func simpleGlyphPoints(d []byte, nc int) ([]ttPoint, bool) {
	p := 10
	if p+2*nc+2 > len(d) {
		return nil, false
	}
	if nc == 0 {
		return nil, true
	}
	np := int(binary.BigEndian.Uint16(d[p+2*(nc-1):])) + 1
	p += 2 * nc
	il := int(binary.BigEndian.Uint16(d[p:]))
	p += 2 + il
	if p > len(d) {
		return nil, false
	}
	flags := make([]byte, np)
	for i := 0; i < np; {
		if p >= len(d) {
			return nil, false
		}
		fl := d[p]
		p++
		flags[i] = fl
		i++
		if fl&8 != 0 {
			if p >= len(d) {
				return nil, false
			}
			r := int(d[p])
			p++
			for ; r > 0 && i < np; r-- {
				flags[i] = fl
				i++
			}
		}
	}
	xs, ys := make([]int, np), make([]int, np)
	var ok bool
	if _, _, p, ok = glyfCoords(d, p, flags, 2, 16, xs); !ok {
		return nil, false
	}
	if _, _, _, ok = glyfCoords(d, p, flags, 4, 32, ys); !ok {
		return nil, false
	}
	pts := make([]ttPoint, np)
	for i := range pts {
		pts[i] = ttPoint{x: xs[i], y: ys[i]}
	}
	return pts, true
}
