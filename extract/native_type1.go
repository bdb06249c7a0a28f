package extract

import (
	"bytes"
	"math"
	"strconv"
)

// Type 1 font programs (FontFile): the clear part gives the built-in
// encoding and the FontMatrix, the eexec-encrypted part the Subrs and
// CharStrings. A glyph's box is the control box of its outline as FreeType
// builds it without hinting (every point of the path, curve control points
// included, flex drawn as its two curves), in font units.

type type1Font struct {
	encoding   [256]string // built-in encoding
	standard   bool        // /Encoding StandardEncoding
	subrs      [][]byte
	chars      map[string][]byte
	names      []string // glyph order as FreeType numbers it (.notdef first)
	upem       int
	boxes      map[string]fxRect
	boxOK      map[string]bool
	advances   map[string]int
	lenIV      int
	matrixSkew bool
}

func parseType1(b []byte) (*type1Font, error) {
	if len(b) > 6 && b[0] == 0x80 && b[1] == 1 {
		b = pfbToPFA(b)
	}
	i := bytes.Index(b, []byte("eexec"))
	if i < 0 {
		return nil, errBadFont
	}
	clear := b[:i]
	enc := b[i+5:]
	for len(enc) > 0 && (enc[0] == '\r' || enc[0] == '\n' || enc[0] == ' ' || enc[0] == '\t') {
		enc = enc[1:]
	}
	if len(enc) >= 4 && isHex(enc[0]) && isHex(enc[1]) && isHex(enc[2]) && isHex(enc[3]) {
		enc = hexBytes(append(append([]byte{'<'}, enc...), '>'))
	}
	plain := decrypt1(enc, 55665)
	if len(plain) < 4 {
		return nil, errBadFont
	}
	plain = plain[4:]
	t := &type1Font{chars: map[string][]byte{}, upem: 1000, lenIV: 4, boxes: map[string]fxRect{}, boxOK: map[string]bool{}, advances: map[string]int{}}
	t.readClear(clear)
	t.readPrivate(plain)
	if len(t.chars) == 0 {
		return nil, errBadFont
	}
	return t, nil
}

func isHex(c byte) bool { _, ok := hexDigit(c); return ok }

// pfbToPFA joins the segments of a PFB file.
func pfbToPFA(b []byte) []byte {
	var out []byte
	for len(b) >= 6 && b[0] == 0x80 {
		typ := b[1]
		if typ == 3 {
			break
		}
		n := int(b[2]) | int(b[3])<<8 | int(b[4])<<16 | int(b[5])<<24
		b = b[6:]
		if n > len(b) {
			n = len(b)
		}
		out = append(out, b[:n]...)
		b = b[n:]
	}
	return out
}

func decrypt1(b []byte, r uint16) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		out[i] = c ^ byte(r>>8)
		r = (uint16(c)+r)*52845 + 22719
	}
	return out
}

func (t *type1Font) readClear(b []byte) {
	if i := bytes.Index(b, []byte("/FontMatrix")); i >= 0 {
		j := bytes.IndexByte(b[i:], '[')
		k := bytes.IndexByte(b[i:], ']')
		if j > 0 && k > j {
			f := bytes.Fields(b[i+j+1 : i+k])
			if len(f) == 6 {
				a, _ := strconv.ParseFloat(string(f[0]), 64)
				bb, _ := strconv.ParseFloat(string(f[1]), 64)
				c, _ := strconv.ParseFloat(string(f[2]), 64)
				if a != 0 {
					t.upem = int(math.Round(1 / a))
				}
				t.matrixSkew = bb != 0 || c != 0
			}
		}
	}
	i := bytes.Index(b, []byte("/Encoding"))
	if i < 0 {
		return
	}
	rest := b[i+9:]
	if bytes.HasPrefix(bytes.TrimLeft(rest, " \r\n\t"), []byte("StandardEncoding")) {
		t.standard = true
		t.encoding = stdEncodingNames
		return
	}
	end := bytes.Index(rest, []byte(" def"))
	if end < 0 {
		end = len(rest)
	}
	f := bytes.Fields(rest[:end])
	for k := 0; k+3 < len(f); k++ {
		if string(f[k]) == "dup" && len(f[k+2]) > 1 && f[k+2][0] == '/' && string(f[k+3]) == "put" {
			if code, err := strconv.Atoi(string(f[k+1])); err == nil && code >= 0 && code < 256 {
				t.encoding[code] = string(f[k+2][1:])
			}
		}
	}
}

// readPrivate reads lenIV, Subrs and CharStrings of the decrypted part.
func (t *type1Font) readPrivate(b []byte) {
	if i := bytes.Index(b, []byte("/lenIV")); i >= 0 {
		f := bytes.Fields(b[i+6 : min(len(b), i+20)])
		if len(f) > 0 {
			if v, err := strconv.Atoi(string(f[0])); err == nil {
				t.lenIV = v
			}
		}
	}
	// binary after "<n> RD " or "<n> -| "
	readBin := func(p int) (int, []byte, bool) {
		// p at the start of the length number
		q := p
		for q < len(b) && b[q] >= '0' && b[q] <= '9' {
			q++
		}
		n, err := strconv.Atoi(string(b[p:q]))
		if err != nil {
			return p, nil, false
		}
		for q < len(b) && b[q] == ' ' {
			q++
		}
		r := q
		for r < len(b) && b[r] != ' ' {
			r++
		}
		tok := string(b[q:r])
		if tok != "RD" && tok != "-|" {
			return p, nil, false
		}
		r++ // the single space
		if r+n > len(b) {
			return p, nil, false
		}
		return r + n, b[r : r+n], true
	}
	if i := bytes.Index(b, []byte("/Subrs")); i >= 0 {
		p := i + 6
		for {
			j := bytes.Index(b[p:], []byte("dup "))
			c := bytes.Index(b[p:], []byte("/CharStrings"))
			if j < 0 || c >= 0 && c < j {
				break
			}
			p += j + 4
			q := p
			for q < len(b) && b[q] >= '0' && b[q] <= '9' {
				q++
			}
			idx, err := strconv.Atoi(string(b[p:q]))
			if err != nil {
				continue
			}
			for q < len(b) && b[q] == ' ' {
				q++
			}
			end, data, ok := readBin(q)
			if !ok {
				continue
			}
			for len(t.subrs) <= idx {
				t.subrs = append(t.subrs, nil)
			}
			t.subrs[idx] = t.decryptCS(data)
			p = end
		}
	}
	i := bytes.Index(b, []byte("/CharStrings"))
	if i < 0 {
		return
	}
	p := i + 12
	if j := bytes.Index(b[p:], []byte("begin")); j >= 0 {
		p += j + 5
	}
	for p < len(b) {
		for p < len(b) && b[p] != '/' {
			if b[p] == 'e' && bytes.HasPrefix(b[p:], []byte("end")) {
				return
			}
			p++
		}
		if p >= len(b) {
			return
		}
		q := p + 1
		for q < len(b) && b[q] != ' ' && b[q] != '\r' && b[q] != '\n' {
			q++
		}
		name := string(b[p+1 : q])
		for q < len(b) && b[q] == ' ' {
			q++
		}
		end, data, ok := readBin(q)
		if !ok {
			p = q
			continue
		}
		t.chars[name] = t.decryptCS(data)
		t.names = append(t.names, name)
		p = end
	}
}

func (t *type1Font) decryptCS(b []byte) []byte {
	if t.lenIV < 0 {
		return b
	}
	d := decrypt1(b, 4330)
	if len(d) < t.lenIV {
		return nil
	}
	return d[t.lenIV:]
}

// glyphBox is the box of a named glyph in thousandths of an em, as
// CFX_Face::GetGlyphBBox gives it (NormalizeFontMetric of the control box).
func (t *type1Font) glyphBox(name string) (fxRect, bool) {
	if r, ok := t.boxes[name]; ok {
		return r, t.boxOK[name]
	}
	cs, ok := t.chars[name]
	if !ok {
		t.boxes[name], t.boxOK[name] = fxRect{}, false
		return fxRect{}, false
	}
	var o outlineBox
	adv := 0.0
	ok = t.run(cs, &o, &adv, 0)
	var r fxRect
	if ok && o.n > 0 {
		r = fxRect{normMetricI(int(o.x0), t.upem), normMetricI(int(o.y1), t.upem), normMetricI(int(o.x1), t.upem), normMetricI(int(o.y0), t.upem)}
	}
	t.boxes[name], t.boxOK[name] = r, ok
	t.advances[name] = int(math.Round(adv))
	return r, ok
}

// outlineBox accumulates the control box of outline points, rounded to
// integer font units as FreeType stores them.
type outlineBox struct {
	x0, y0, x1, y1 float64
	n              int
}

func (o *outlineBox) add(x, y float64) {
	x, y = math.Floor(x+0.5), math.Floor(y+0.5)
	if o.n == 0 {
		o.x0, o.y0, o.x1, o.y1 = x, y, x, y
	} else {
		o.x0, o.x1 = math.Min(o.x0, x), math.Max(o.x1, x)
		o.y0, o.y1 = math.Min(o.y0, y), math.Max(o.y1, y)
	}
	o.n++
}

// t1State is the state of a Type 1 charstring run.
type t1State struct {
	stack    []float64
	ps       []float64 // othersubr results
	x, y     float64
	started  bool // a contour is open (its first point added)
	flex     bool
	flexPts  int
	sbx, sby float64
}

// run interprets a charstring, adding its points to o.
func (t *type1Font) run(cs []byte, o *outlineBox, adv *float64, depth int) bool {
	st := &t1State{}
	return t.exec(cs, st, o, adv, depth)
}

func (t *type1Font) exec(cs []byte, st *t1State, o *outlineBox, adv *float64, depth int) bool {
	if depth > 10 {
		return false
	}
	lineTo := func(dx, dy float64) {
		if !st.started {
			o.add(st.x, st.y)
			st.started = true
		}
		st.x += dx
		st.y += dy
		o.add(st.x, st.y)
	}
	pop := func(n int) []float64 {
		if n < 0 || len(st.stack) < n {
			return nil
		}
		v := st.stack[len(st.stack)-n:]
		st.stack = st.stack[:len(st.stack)-n]
		return v
	}
	for i := 0; i < len(cs); {
		v := cs[i]
		switch {
		case v >= 32 && v <= 254:
			n, w, ok := charstringNumber(cs, i)
			if !ok {
				return false
			}
			st.stack = append(st.stack, n)
			i += w
			continue
		case v == 255:
			if i+4 >= len(cs) {
				return false
			}
			st.stack = append(st.stack, float64(int32(uint32(cs[i+1])<<24|uint32(cs[i+2])<<16|uint32(cs[i+3])<<8|uint32(cs[i+4]))))
			i += 5
			continue
		}
		i++
		op := int(v)
		if v == 12 {
			if i >= len(cs) {
				return false
			}
			op = 1200 + int(cs[i])
			i++
		}
		switch op {
		case 13: // hsbw
			a := pop(2)
			if a == nil {
				return false
			}
			st.sbx, st.x, st.y = a[0], a[0], 0
			*adv = a[1]
		case 1207: // sbw
			a := pop(4)
			if a == nil {
				return false
			}
			st.sbx, st.sby, st.x, st.y = a[0], a[1], a[0], a[1]
			*adv = a[2]
		case 21: // rmoveto
			a := pop(2)
			if a == nil {
				return false
			}
			st.x += a[0]
			st.y += a[1]
			st.started = false
			if st.flex {
				st.flexPts++
				if st.flexPts > 1 && st.flexPts <= 7 {
					o.add(st.x, st.y)
				}
			}
		case 22: // hmoveto
			a := pop(1)
			if a == nil {
				return false
			}
			st.x += a[0]
			st.started = false
			if st.flex {
				st.flexPts++
				if st.flexPts > 1 && st.flexPts <= 7 {
					o.add(st.x, st.y)
				}
			}
		case 4: // vmoveto
			a := pop(1)
			if a == nil {
				return false
			}
			st.y += a[0]
			st.started = false
			if st.flex {
				st.flexPts++
				if st.flexPts > 1 && st.flexPts <= 7 {
					o.add(st.x, st.y)
				}
			}
		case 5: // rlineto
			a := pop(2)
			if a == nil {
				return false
			}
			lineTo(a[0], a[1])
		case 6: // hlineto
			a := pop(1)
			if a == nil {
				return false
			}
			lineTo(a[0], 0)
		case 7: // vlineto
			a := pop(1)
			if a == nil {
				return false
			}
			lineTo(0, a[0])
		case 8: // rrcurveto
			a := pop(6)
			if a == nil {
				return false
			}
			t.curve(st, o, a[0], a[1], a[2], a[3], a[4], a[5])
		case 30: // vhcurveto
			a := pop(4)
			if a == nil {
				return false
			}
			t.curve(st, o, 0, a[0], a[1], a[2], a[3], 0)
		case 31: // hvcurveto
			a := pop(4)
			if a == nil {
				return false
			}
			t.curve(st, o, a[0], 0, a[1], a[2], 0, a[3])
		case 9: // closepath
			st.started = false
		case 10: // callsubr
			a := pop(1)
			if a == nil {
				return false
			}
			k := int(a[0])
			if k < 0 || k >= len(t.subrs) || t.subrs[k] == nil {
				return false
			}
			if !t.exec(t.subrs[k], st, o, adv, depth+1) {
				return false
			}
		case 11: // return
			return true
		case 14: // endchar
			st.stack = nil
			return true
		case 1206: // seac
			a := pop(5)
			if a == nil {
				return false
			}
			base, accent := stdEncodingNames[int(a[3])&0xff], stdEncodingNames[int(a[4])&0xff]
			if bcs, ok := t.chars[base]; ok {
				var badv float64
				if !t.run(bcs, o, &badv, depth+1) {
					return false
				}
			}
			if acs, ok := t.chars[accent]; ok {
				var ob outlineBox
				var aadv float64
				if !t.run(acs, &ob, &aadv, depth+1) {
					return false
				}
				if ob.n > 0 {
					// the accent is moved by (adx - asb, ady)
					dx, dy := a[1]-a[0], a[2]
					o.add(ob.x0+dx, ob.y0+dy)
					o.add(ob.x1+dx, ob.y1+dy)
				}
			}
			return true
		case 1212: // div
			a := pop(2)
			if a == nil || a[1] == 0 {
				return false
			}
			st.stack = append(st.stack, a[0]/a[1])
		case 1216: // callothersubr
			a := pop(2)
			if a == nil {
				return false
			}
			n, k := int(a[1]), int(a[0])
			args := pop(n)
			if args == nil && n != 0 {
				return false
			}
			switch k {
			case 1: // flex start
				st.flex, st.flexPts = true, 0
				if !st.started {
					o.add(st.x, st.y)
					st.started = true
				}
			case 2: // flex point
			case 0: // flex end
				st.flex = false
				st.ps = append(st.ps[:0], st.y, st.x)
			case 3: // hint replacement: returns its argument
				st.ps = append(st.ps[:0], 3)
			default:
				st.ps = st.ps[:0]
				for j := len(args) - 1; j >= 0; j-- {
					st.ps = append(st.ps, args[j])
				}
			}
		case 1217: // pop
			if n := len(st.ps); n > 0 {
				st.stack = append(st.stack, st.ps[n-1])
				st.ps = st.ps[:n-1]
			} else {
				st.stack = append(st.stack, 0)
			}
		case 1233: // setcurrentpoint
			a := pop(2)
			if a == nil {
				return false
			}
			st.x, st.y = a[0], a[1]
		case 1, 3, 1200, 1201, 1202: // hints
			st.stack = st.stack[:0]
		default:
			st.stack = st.stack[:0]
		}
	}
	return true
}

func (t *type1Font) curve(st *t1State, o *outlineBox, dx1, dy1, dx2, dy2, dx3, dy3 float64) {
	if !st.started {
		o.add(st.x, st.y)
		st.started = true
	}
	x1, y1 := st.x+dx1, st.y+dy1
	x2, y2 := x1+dx2, y1+dy2
	x3, y3 := x2+dx3, y2+dy3
	o.add(x1, y1)
	o.add(x2, y2)
	o.add(x3, y3)
	st.x, st.y = x3, y3
}

// unicodeGlyph is FT_Get_Char_Index with FreeType's Unicode map of a
// Type 1 font (built from its glyph names): the first glyph whose name
// reads as u.
func (t *type1Font) unicodeGlyph(u rune) string {
	if u == 0 {
		return ""
	}
	for _, n := range t.names {
		if unicodeFromGlyphName(n) == u {
			return n
		}
	}
	return ""
}

// hasEncodingCharmap: FreeType gives a Type 1 face an Adobe charmap for
// its built-in encoding when it has one.
func (t *type1Font) hasEncodingCharmap() bool {
	if t.standard {
		return true
	}
	for _, n := range t.encoding {
		if n != "" {
			return true
		}
	}
	return false
}

// loadType1GlyphMap is CPDF_Type1Font::LoadGlyphMap for an embedded
// font program: which named glyph each code draws ("" none; ".notdef" is
// FreeType's glyph 0).
func (f *nFont) loadType1GlyphMap() {
	t := f.t1
	has := func(n string) string {
		if _, ok := t.chars[n]; ok {
			return n
		}
		return ".notdef"
	}
	// FT_UseType1Charmap: the built-in encoding's map when the face has
	// one besides its Unicode map; else the Unicode map stays selected.
	adobe := t.hasEncodingCharmap()
	charIndex := func(code int) string {
		if adobe {
			if n := t.encoding[code]; n != "" {
				return has(n)
			}
			return ".notdef"
		}
		if n := t.unicodeGlyph(rune(code)); n != "" {
			return n
		}
		return ".notdef"
	}
	if f.flags&flagSymbolic != 0 {
		for code := 0; code < 256; code++ {
			if name := adobeCharName(f.baseEnc, f.charNames, code); name != "" {
				f.enc[code] = unicodeFromGlyphName(name)
				f.glyphName[code] = has(name)
				continue
			}
			g := charIndex(code)
			f.glyphName[code] = g
			if g != ".notdef" {
				u := glyphNameUnicode[stdEncodingNames[code]]
				if u == 0 {
					u = unicodeFromGlyphName(g)
				}
				f.enc[code] = u
			}
		}
		return
	}
	for code := 0; code < 256; code++ {
		name := adobeCharName(f.baseEnc, f.charNames, code)
		if name == "" {
			continue
		}
		f.enc[code] = unicodeFromGlyphName(name)
		if _, ok := t.chars[name]; ok {
			f.glyphName[code] = name
			continue
		}
		if name != ".notdef" && name != "space" {
			if g := t.unicodeGlyph(f.enc[code]); g != "" {
				f.glyphName[code] = g
			} else {
				f.glyphName[code] = ".notdef"
			}
		} else {
			f.enc[code] = ' '
			f.glyphName[code] = ""
		}
	}
}

// charstringNumber decodes the operand a Type 1 or Type 2 charstring
// encodes in one or two bytes (first byte 32–254, the encoding the two
// formats share): its value and length; false when the string ends first.
func charstringNumber(cs []byte, i int) (float64, int, bool) {
	switch v := cs[i]; {
	case v <= 246:
		return float64(int(v) - 139), 1, true
	case i+1 >= len(cs):
		return 0, 0, false
	case v <= 250:
		return float64((int(v)-247)*256 + int(cs[i+1]) + 108), 2, true
	default:
		return float64(-(int(v)-251)*256 - int(cs[i+1]) - 108), 2, true
	}
}
