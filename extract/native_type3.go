package extract

import (
	"github.com/ledongthuc/pdf"
)

// Type3 fonts: glyphs drawn by content streams of the font, as PDFium's
// CPDF_Type3Font reads them. Advances come from /Widths through the
// FontMatrix (else from the glyph's d0 or d1); a glyph's box is the box
// its d1 operator declares, or — for a d0 glyph, or a d1 with an empty box
// — the bounds of the paths and text its procedure draws, through the
// FontMatrix; Unicode from ToUnicode, else the glyph names of the
// encoding's /Differences, a name without a Unicode value standing for the
// code itself.
type type3Font struct {
	f         *nFont
	matrix    nMat
	widths    [256]int32
	enc       [256]rune
	procs     pdf.Value
	resources pdf.Value
	d         *nDoc
	done      [256]bool
	boxes     [256]fxRect
	loaded    [256]bool // the glyph's procedure was found and read
	procW     [256]int32
	depth     int
}

func (d *nDoc) loadType3(f *nFont, v pdf.Value) {
	t := &type3Font{f: f, d: d, matrix: nMat{0.001, 0, 0, 0.001, 0, 0}}
	f.t3 = t
	if m := v.Key("FontMatrix"); m.Kind() == pdf.Array && m.Len() == 6 {
		t.matrix = nMat{fl(m.Index(0).Float64()), fl(m.Index(1).Float64()), fl(m.Index(2).Float64()), fl(m.Index(3).Float64()), fl(m.Index(4).Float64()), fl(m.Index(5).Float64())}
	}
	xs := t.matrix.a
	start := dictInt(v.Key("FirstChar"), 0)
	if w := v.Key("Widths"); w.Kind() == pdf.Array && start >= 0 && start < 256 {
		for i := 0; i < w.Len() && start+i < 256; i++ {
			t.widths[start+i] = int32(fround(fl(w.Index(i).Float64()) * xs * 1000))
		}
	}
	t.procs = v.Key("CharProcs")
	t.resources = v.Key("Resources")
	if !v.Key("Encoding").IsNull() {
		d.loadPDFEncoding(f, v)
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
	if t.widths[code] != 0 {
		return t.widths[code]
	}
	t.load(code)
	return t.procW[code]
}

func (t *type3Font) bbox(code uint32) fxRect {
	if code >= 256 {
		return fxRect{}
	}
	t.load(code)
	return t.boxes[code]
}

// load is LoadChar: the glyph procedure named by the encoding, run for its
// d0/d1 operands and, when it declares no box, for what it draws.
func (t *type3Font) load(code uint32) {
	if t.done[code] {
		return
	}
	t.done[code] = true
	name := adobeCharName(t.f.baseEnc, t.f.charNames, int(code))
	if name == "" || t.procs.Kind() != pdf.Dict || t.depth > 2 {
		return
	}
	st := t.procs.Key(name)
	if st.Kind() != pdf.Stream {
		return
	}
	b, err := t.d.readStream(st)
	if err != nil {
		return
	}
	// the d0 or d1 operands
	var data [6]fl
	colored := true
	lx := lexer{b: b}
	var nums []fl
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
			want := 2
			if string(tok) == "d1" {
				want, colored = 6, false
			}
			for k := 0; k < want && k < len(nums); k++ {
				data[want-1-k] = nums[len(nums)-1-k]
			}
			break
		}
		nums = nums[:0]
	}
	_ = colored
	w := fround(data[0] * 1000)
	bx := fRect{fround(data[2] * 1000), fround(data[3] * 1000), fround(data[4] * 1000), fround(data[5] * 1000)}
	t.procW[code] = int32(w*t.matrix.xUnit() + 0.5)
	t.loaded[code] = true
	var r fRect
	if bx.x1 <= bx.x0 || bx.y0 >= bx.y1 {
		// no box declared: the bounds of what the procedure draws
		t.depth++
		res := t.resources
		if res.Kind() != pdf.Dict {
			res = pdf.Value{}
		}
		p := &pageRun{d: t.d, pageRes: res} // its own slices: a page run may be under way
		p.run(b, res, identity, 0)
		t.depth--
		first := true
		add := func(q fRect) {
			if first {
				r, first = q, false
				return
			}
			r = rectUnion(r, q)
		}
		for _, o := range p.paths {
			if o.chain == 0 { // the procedure's own paths, not those of its forms
				add(fRect{o.x0, o.y0, o.x1, o.y1})
			}
		}
		for _, tx := range p.texts {
			add(tx.rect)
		}
		r = fRect{r.x0 * 1000, r.y0 * 1000, r.x1 * 1000, r.y1 * 1000}
	} else {
		r = bx
	}
	g := t.matrix.rect(r)
	t.boxes[code] = fxRect{int32(fround(g.x0)), int32(fround(g.y1)), int32(fround(g.x1)), int32(fround(g.y0))}
}
