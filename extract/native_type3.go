package extract

import (
	"math"

	"github.com/ledongthuc/pdf"
)

// Type3 fonts: glyphs drawn by content streams of the font. Advances come
// from /Widths through the FontMatrix; a glyph's box from the d1 operator
// of its procedure (a d0 glyph — coloured — takes the FontBBox, where
// PDFium would measure what the procedure draws); Unicode from ToUnicode,
// else the glyph names of /Differences, else the code.
type type3Font struct {
	matrix   nMat
	widths   [256]int32
	enc      [256]rune
	procs    pdf.Value
	names    []string
	d        *nDoc
	fontBBox fxRect
	boxes    map[uint32]fxRect
}

func (d *nDoc) loadType3(f *nFont, v pdf.Value) {
	t := &type3Font{d: d, matrix: nMat{0.001, 0, 0, 0.001, 0, 0}, boxes: map[uint32]fxRect{}}
	f.t3 = t
	if m := v.Key("FontMatrix"); m.Kind() == pdf.Array && m.Len() == 6 {
		t.matrix = nMat{m.Index(0).Float64(), m.Index(1).Float64(), m.Index(2).Float64(), m.Index(3).Float64(), m.Index(4).Float64(), m.Index(5).Float64()}
	}
	xs, ys := t.matrix.a, t.matrix.d
	if b := v.Key("FontBBox"); b.Kind() == pdf.Array && b.Len() == 4 {
		r := fRect{b.Index(0).Float64() * xs * 1000, b.Index(1).Float64() * ys * 1000, b.Index(2).Float64() * xs * 1000, b.Index(3).Float64() * ys * 1000}
		t.fontBBox = fxRect{int32(math.Floor(r.x0)), int32(math.Ceil(r.y1)), int32(math.Ceil(r.x1)), int32(math.Floor(r.y0))}
	}
	start := dictInt(v.Key("FirstChar"), 0)
	if w := v.Key("Widths"); w.Kind() == pdf.Array && start >= 0 && start < 256 {
		for i := 0; i < w.Len() && start+i < 256; i++ {
			t.widths[start+i] = int32(math.Round(w.Index(i).Float64() * xs * 1000))
		}
	}
	t.procs = v.Key("CharProcs")
	if !v.Key("Encoding").IsNull() {
		d.loadPDFEncoding(f, v)
		t.names = f.charNames
		if f.charNames != nil {
			for i := 0; i < 256; i++ {
				t.enc[i] = unicodeFromGlyphName(f.charNames[i])
				if t.enc[i] == 0 {
					t.enc[i] = rune(i)
				}
			}
		}
	}
}

func (t *type3Font) width(code uint32) int32 {
	if code >= 256 {
		code = 0
	}
	wx, _, _ := t.proc(code)
	return wx
}

func (t *type3Font) bbox(code uint32) fxRect {
	_, r, _ := t.proc(code)
	return r
}

// proc reads the d0 or d1 operator of a glyph procedure: the advance
// and the box in thousandths of the text size.
func (t *type3Font) proc(code uint32) (int32, fxRect, bool) {
	if code >= 256 {
		code = 0
	}
	if r, ok := t.boxes[code]; ok {
		return t.widths[code], r, true
	}
	r := t.fontBBox
	var wx int32
	if t.names != nil && t.names[code] != "" && t.procs.Kind() == pdf.Dict {
		if st := t.procs.Key(t.names[code]); st.Kind() == pdf.Stream {
			if b, err := t.d.readStream(st); err == nil {
				lx := lexer{b: b}
				var nums []float64
				for {
					kind, tok, num := lx.next()
					if kind == tkEOF {
						break
					}
					if kind == tkNum {
						nums = append(nums, num)
						continue
					}
					if kind == tkOp && (string(tok) == "d0" || string(tok) == "d1") {
						if len(nums) >= 2 {
							wx = int32(math.Round(nums[len(nums)-2] * t.matrix.a * 1000))
						}
						if string(tok) == "d1" && len(nums) >= 6 {
							n := nums[len(nums)-4:]
							g := t.matrix.rect(fRect{n[0], n[1], n[2], n[3]})
							r = fxRect{int32(math.Round(g.x0 * 1000)), int32(math.Round(g.y1 * 1000)), int32(math.Round(g.x1 * 1000)), int32(math.Round(g.y0 * 1000))}
						}
						break
					}
					nums = nums[:0]
				}
			}
		}
	}
	t.boxes[code] = r
	if t.widths[code] == 0 {
		t.widths[code] = wx
	}
	return t.widths[code], r, true
}
