package extract

import (
	"encoding/binary"
	"math"
)

// CFF font programs (FontFile3 /CIDFontType0C, /Type1C, or the CFF table
// of an OpenType font): glyph boxes from Type 2 charstrings, as the
// control box of the unhinted outline; for a CID-keyed font the CID is
// mapped to its glyph through the charset, as FreeType does.

type cffFont struct {
	chars    [][]byte
	gsubrs   [][]byte
	lsubrs   [][][]byte // per font dict (one for a non-CID font)
	fdSelect []uint8    // glyph → font dict
	cid      bool
	cidToGID map[uint32]int
	upem     int
}

func cffIndex(b []byte, p int) ([][]byte, int, bool) {
	if p+2 > len(b) {
		return nil, p, false
	}
	n := int(binary.BigEndian.Uint16(b[p:]))
	if n == 0 {
		return nil, p + 2, true
	}
	if p+3 > len(b) {
		return nil, p, false
	}
	os := int(b[p+2])
	if os < 1 || os > 4 {
		return nil, p, false
	}
	start := p + 3
	dataBase := start + (n+1)*os - 1
	if start+(n+1)*os > len(b) {
		return nil, p, false
	}
	off := func(i int) int {
		v := 0
		for k := 0; k < os; k++ {
			v = v<<8 | int(b[start+i*os+k])
		}
		return v
	}
	out := make([][]byte, n)
	for i := 0; i < n; i++ {
		a, z := dataBase+off(i), dataBase+off(i+1)
		if a < 0 || z > len(b) || a > z {
			return nil, p, false
		}
		out[i] = b[a:z]
	}
	return out, dataBase + off(n), true
}

// cffDict reads a DICT: operator → operands.
func cffDict(b []byte) map[int][]float64 {
	d := map[int][]float64{}
	var ops []float64
	for i := 0; i < len(b); {
		v := b[i]
		switch {
		case v <= 21:
			op := int(v)
			i++
			if v == 12 {
				if i >= len(b) {
					return d
				}
				op = 1200 + int(b[i])
				i++
			}
			d[op] = ops
			ops = nil
		case v == 28:
			if i+3 > len(b) {
				return d
			}
			ops = append(ops, float64(int16(binary.BigEndian.Uint16(b[i+1:]))))
			i += 3
		case v == 29:
			if i+5 > len(b) {
				return d
			}
			ops = append(ops, float64(int32(binary.BigEndian.Uint32(b[i+1:]))))
			i += 5
		case v == 30:
			i++
			s := []byte{}
			done := false
			for i < len(b) && !done {
				for _, nib := range []byte{b[i] >> 4, b[i] & 15} {
					switch {
					case nib <= 9:
						s = append(s, '0'+nib)
					case nib == 0xa:
						s = append(s, '.')
					case nib == 0xb:
						s = append(s, 'E')
					case nib == 0xc:
						s = append(s, 'E', '-')
					case nib == 0xe:
						s = append(s, '-')
					case nib == 0xf:
						done = true
					}
					if done {
						break
					}
				}
				i++
			}
			f := 0.0
			if v, err := parseFloatLoose(string(s)); err == nil {
				f = v
			}
			ops = append(ops, f)
		case v >= 32 && v <= 246:
			ops = append(ops, float64(int(v)-139))
			i++
		case v >= 247 && v <= 250:
			if i+1 >= len(b) {
				return d
			}
			ops = append(ops, float64((int(v)-247)*256+int(b[i+1])+108))
			i += 2
		case v >= 251 && v <= 254:
			if i+1 >= len(b) {
				return d
			}
			ops = append(ops, float64(-(int(v)-251)*256-int(b[i+1])-108))
			i += 2
		default:
			i++
		}
	}
	return d
}

func parseFloatLoose(s string) (float64, error) {
	var v, scale float64 = 0, 0
	neg := false
	exp, expNeg, inExp := 0, false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '-' && !inExp:
			neg = true
		case c == '-' && inExp:
			expNeg = true
		case c == '.':
			scale = 1
		case c == 'E':
			inExp = true
		case c >= '0' && c <= '9':
			if inExp {
				exp = exp*10 + int(c-'0')
			} else if scale > 0 {
				scale /= 10
				v += float64(c-'0') * scale
			} else {
				v = v*10 + float64(c-'0')
			}
		}
	}
	if expNeg {
		exp = -exp
	}
	v *= math.Pow(10, float64(exp))
	if neg {
		v = -v
	}
	return v, nil
}

func parseCFF(b []byte) (*cffFont, error) {
	if len(b) < 4 {
		return nil, errBadFont
	}
	p := int(b[2])
	_, p, ok := cffIndex(b, p) // names
	if !ok {
		return nil, errBadFont
	}
	tops, p, ok := cffIndex(b, p)
	if !ok || len(tops) == 0 {
		return nil, errBadFont
	}
	_, p, ok = cffIndex(b, p) // strings
	if !ok {
		return nil, errBadFont
	}
	gsubrs, _, ok := cffIndex(b, p)
	if !ok {
		return nil, errBadFont
	}
	top := cffDict(tops[0])
	f := &cffFont{gsubrs: gsubrs, upem: 1000}
	if m := top[1207]; len(m) == 6 && m[0] != 0 {
		f.upem = int(math.Round(1 / m[0]))
	}
	cs := top[17]
	if len(cs) != 1 {
		return nil, errBadFont
	}
	f.chars, _, ok = cffIndex(b, int(cs[0]))
	if !ok || len(f.chars) == 0 {
		return nil, errBadFont
	}
	privSubrs := func(priv []float64) [][]byte {
		if len(priv) != 2 {
			return nil
		}
		size, off := int(priv[0]), int(priv[1])
		if off < 0 || off+size > len(b) {
			return nil
		}
		pd := cffDict(b[off : off+size])
		if s := pd[19]; len(s) == 1 {
			subrs, _, ok := cffIndex(b, off+int(s[0]))
			if ok {
				return subrs
			}
		}
		return nil
	}
	if _, isCID := top[1230]; isCID {
		f.cid = true
		fda := top[1236]
		if len(fda) != 1 {
			return nil, errBadFont
		}
		fds, _, ok := cffIndex(b, int(fda[0]))
		if !ok {
			return nil, errBadFont
		}
		for _, fd := range fds {
			f.lsubrs = append(f.lsubrs, privSubrs(cffDict(fd)[18]))
		}
		f.fdSelect = make([]uint8, len(f.chars))
		if sel := top[1237]; len(sel) == 1 {
			q := int(sel[0])
			if q >= len(b) {
				return nil, errBadFont
			}
			switch b[q] {
			case 0:
				for g := range f.fdSelect {
					if q+1+g < len(b) {
						f.fdSelect[g] = b[q+1+g]
					}
				}
			case 3:
				if q+3 > len(b) {
					return nil, errBadFont
				}
				nr := int(binary.BigEndian.Uint16(b[q+1:]))
				for r := 0; r < nr; r++ {
					e := q + 3 + 3*r
					if e+5 > len(b) {
						break
					}
					first, fd, next := int(binary.BigEndian.Uint16(b[e:])), b[e+2], int(binary.BigEndian.Uint16(b[e+3:]))
					for g := first; g < next && g < len(f.fdSelect); g++ {
						f.fdSelect[g] = fd
					}
				}
			}
		}
		// the charset maps glyphs to CIDs
		f.cidToGID = map[uint32]int{0: 0}
		if c := top[15]; len(c) == 1 && int(c[0]) > 2 {
			q := int(c[0])
			n := len(f.chars)
			if q < len(b) {
				switch b[q] {
				case 0:
					for g := 1; g < n && q+1+2*g <= len(b); g++ {
						f.cidToGID[uint32(binary.BigEndian.Uint16(b[q+1+2*(g-1):]))] = g
					}
				case 1, 2:
					g := 1
					e := q + 1
					for g < n {
						w := 3
						if b[q] == 2 {
							w = 4
						}
						if e+w > len(b) {
							break
						}
						first := int(binary.BigEndian.Uint16(b[e:]))
						left := int(b[e+2])
						if w == 4 {
							left = int(binary.BigEndian.Uint16(b[e+2:]))
						}
						for k := 0; k <= left && g < n; k++ {
							f.cidToGID[uint32(first+k)] = g
							g++
						}
						e += w
					}
				}
			}
		} else {
			for g := range f.chars {
				f.cidToGID[uint32(g)] = g
			}
		}
	} else {
		f.lsubrs = [][][]byte{privSubrs(top[18])}
	}
	return f, nil
}

// gidOfCID maps a CID to a glyph (CID-keyed fonts), -1 when absent.
func (f *cffFont) gidOfCID(cid uint32) int {
	if !f.cid {
		return int(cid)
	}
	if g, ok := f.cidToGID[cid]; ok {
		return g
	}
	return -1
}

func (f *cffFont) nameIndex(string) int { return 0 }

func subrBias(n int) int {
	switch {
	case n < 1240:
		return 107
	case n < 33900:
		return 1131
	}
	return 32768
}

// glyphCBox runs a glyph's charstring and returns its control box in font
// units.
func (f *cffFont) glyphCBox(g int) (float64, float64, float64, float64, bool) {
	if g < 0 || g >= len(f.chars) {
		return 0, 0, 0, 0, false
	}
	fd := 0
	if f.fdSelect != nil {
		fd = int(f.fdSelect[g])
	}
	var lsubrs [][]byte
	if fd < len(f.lsubrs) {
		lsubrs = f.lsubrs[fd]
	}
	r := &t2Run{f: f, lsubrs: lsubrs}
	ok := r.exec(f.chars[g], 0)
	if !r.box.n() {
		return 0, 0, 0, 0, ok
	}
	return r.box.x0, r.box.y0, r.box.x1, r.box.y1, ok
}

type t2Box struct {
	x0, y0, x1, y1 float64
	count          int
}

func (b *t2Box) n() bool { return b.count > 0 }

func (b *t2Box) add(x, y float64) {
	x, y = math.Floor(x+0.5), math.Floor(y+0.5)
	if b.count == 0 {
		b.x0, b.y0, b.x1, b.y1 = x, y, x, y
	} else {
		b.x0, b.x1 = math.Min(b.x0, x), math.Max(b.x1, x)
		b.y0, b.y1 = math.Min(b.y0, y), math.Max(b.y1, y)
	}
	b.count++
}

type t2Run struct {
	f        *cffFont
	lsubrs   [][]byte
	stack    []float64
	x, y     float64
	open     bool
	stems    int
	widthSet bool
	box      t2Box
	trans    [32]float64
	done     bool
}

func (r *t2Run) moveTo(dx, dy float64) {
	r.x += dx
	r.y += dy
	r.open = false
}

func (r *t2Run) lineTo(dx, dy float64) {
	if !r.open {
		r.box.add(r.x, r.y)
		r.open = true
	}
	r.x += dx
	r.y += dy
	r.box.add(r.x, r.y)
}

func (r *t2Run) curveTo(dx1, dy1, dx2, dy2, dx3, dy3 float64) {
	if !r.open {
		r.box.add(r.x, r.y)
		r.open = true
	}
	x1, y1 := r.x+dx1, r.y+dy1
	x2, y2 := x1+dx2, y1+dy2
	r.x, r.y = x2+dx3, y2+dy3
	r.box.add(x1, y1)
	r.box.add(x2, y2)
	r.box.add(r.x, r.y)
}

// clearWidth drops the advance width a stack-clearing operator may carry.
func (r *t2Run) clearWidth(even bool) {
	if !r.widthSet {
		r.widthSet = true
		if even && len(r.stack)%2 == 1 || !even && len(r.stack)%2 == 0 {
			r.stack = r.stack[1:]
		}
	}
}

func (r *t2Run) exec(cs []byte, depth int) bool {
	if depth > 10 {
		return false
	}
	for i := 0; i < len(cs) && !r.done; {
		v := cs[i]
		switch {
		case v == 28:
			if i+3 > len(cs) {
				return false
			}
			r.stack = append(r.stack, float64(int16(binary.BigEndian.Uint16(cs[i+1:]))))
			i += 3
			continue
		case v >= 32 && v <= 254:
			n, w, ok := charstringNumber(cs, i)
			if !ok {
				return false
			}
			r.stack = append(r.stack, n)
			i += w
			continue
		case v == 255:
			if i+5 > len(cs) {
				return false
			}
			r.stack = append(r.stack, float64(int32(binary.BigEndian.Uint32(cs[i+1:])))/65536)
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
		s := r.stack
		switch op {
		case 1, 3, 18, 23: // stems
			r.clearWidth(true)
			r.stems += len(r.stack) / 2
			r.stack = r.stack[:0]
		case 19, 20: // hintmask, cntrmask
			r.clearWidth(true)
			r.stems += len(r.stack) / 2
			r.stack = r.stack[:0]
			i += (r.stems + 7) / 8
		case 21:
			r.clearWidth(true)
			if len(r.stack) >= 2 {
				r.moveTo(r.stack[0], r.stack[1])
			}
			r.stack = r.stack[:0]
		case 22:
			r.clearWidth(false)
			if len(r.stack) >= 1 {
				r.moveTo(r.stack[0], 0)
			}
			r.stack = r.stack[:0]
		case 4:
			r.clearWidth(false)
			if len(r.stack) >= 1 {
				r.moveTo(0, r.stack[0])
			}
			r.stack = r.stack[:0]
		case 5:
			for k := 0; k+1 < len(s); k += 2 {
				r.lineTo(s[k], s[k+1])
			}
			r.stack = r.stack[:0]
		case 6, 7:
			h := op == 6
			for k := 0; k < len(s); k++ {
				if h {
					r.lineTo(s[k], 0)
				} else {
					r.lineTo(0, s[k])
				}
				h = !h
			}
			r.stack = r.stack[:0]
		case 8:
			for k := 0; k+5 < len(s); k += 6 {
				r.curveTo(s[k], s[k+1], s[k+2], s[k+3], s[k+4], s[k+5])
			}
			r.stack = r.stack[:0]
		case 24: // rcurveline
			k := 0
			for ; k+5 < len(s)-2; k += 6 {
				r.curveTo(s[k], s[k+1], s[k+2], s[k+3], s[k+4], s[k+5])
			}
			if k+1 < len(s) {
				r.lineTo(s[k], s[k+1])
			}
			r.stack = r.stack[:0]
		case 25: // rlinecurve
			k := 0
			for ; k+1 < len(s)-6; k += 2 {
				r.lineTo(s[k], s[k+1])
			}
			if k+5 < len(s) {
				r.curveTo(s[k], s[k+1], s[k+2], s[k+3], s[k+4], s[k+5])
			}
			r.stack = r.stack[:0]
		case 26: // vvcurveto
			k := 0
			dx1 := 0.0
			if len(s)%4 == 1 {
				dx1 = s[0]
				k = 1
			}
			for ; k+3 < len(s); k += 4 {
				r.curveTo(dx1, s[k], s[k+1], s[k+2], 0, s[k+3])
				dx1 = 0
			}
			r.stack = r.stack[:0]
		case 27: // hhcurveto
			k := 0
			dy1 := 0.0
			if len(s)%4 == 1 {
				dy1 = s[0]
				k = 1
			}
			for ; k+3 < len(s); k += 4 {
				r.curveTo(s[k], dy1, s[k+1], s[k+2], s[k+3], 0)
				dy1 = 0
			}
			r.stack = r.stack[:0]
		case 30, 31: // vhcurveto, hvcurveto
			h := op == 31
			k := 0
			for k+3 < len(s) {
				last := 0.0
				if len(s)-k == 5 {
					last = s[k+4]
				}
				if h {
					r.curveTo(s[k], 0, s[k+1], s[k+2], last, s[k+3])
				} else {
					r.curveTo(0, s[k], s[k+1], s[k+2], s[k+3], last)
				}
				h = !h
				k += 4
			}
			r.stack = r.stack[:0]
		case 10, 29: // callsubr, callgsubr
			if len(r.stack) == 0 {
				return false
			}
			subrs := r.lsubrs
			if op == 29 {
				subrs = r.f.gsubrs
			}
			k := int(r.stack[len(r.stack)-1]) + subrBias(len(subrs))
			r.stack = r.stack[:len(r.stack)-1]
			if k < 0 || k >= len(subrs) {
				return false
			}
			if !r.exec(subrs[k], depth+1) {
				return false
			}
		case 11:
			return true
		case 14: // endchar
			if !r.widthSet && (len(r.stack) == 1 || len(r.stack) == 5) {
				r.stack = r.stack[1:]
			}
			r.widthSet = true
			r.done = true
			return true
		case 1235: // flex
			if len(s) >= 12 {
				r.curveTo(s[0], s[1], s[2], s[3], s[4], s[5])
				r.curveTo(s[6], s[7], s[8], s[9], s[10], s[11])
			}
			r.stack = r.stack[:0]
		case 1234: // hflex
			if len(s) >= 7 {
				y0 := r.y
				r.curveTo(s[0], 0, s[1], s[2], s[3], 0)
				r.curveTo(s[4], 0, s[5], y0-r.y, s[6], 0)
			}
			r.stack = r.stack[:0]
		case 1236: // hflex1
			if len(s) >= 9 {
				y0 := r.y
				r.curveTo(s[0], s[1], s[2], s[3], s[4], 0)
				r.curveTo(s[5], 0, s[6], s[7], s[8], y0-(r.y+s[7]))
			}
			r.stack = r.stack[:0]
		case 1237: // flex1
			if len(s) >= 11 {
				x0, y0 := r.x, r.y
				dx := s[0] + s[2] + s[4] + s[6] + s[8]
				dy := s[1] + s[3] + s[5] + s[7] + s[9]
				r.curveTo(s[0], s[1], s[2], s[3], s[4], s[5])
				if math.Abs(dx) > math.Abs(dy) {
					r.curveTo(s[6], s[7], s[8], s[9], s[10], y0-(r.y+s[7]+s[9]))
				} else {
					r.curveTo(s[6], s[7], s[8], s[9], x0-(r.x+s[6]+s[8]), s[10])
				}
			}
			r.stack = r.stack[:0]
		default:
			if !r.arith(op) {
				r.stack = r.stack[:0]
			}
		}
	}
	return true
}

// arith runs the arithmetic and storage operators.
func (r *t2Run) arith(op int) bool {
	s := r.stack
	n := len(s)
	pop := func() float64 {
		if len(r.stack) == 0 {
			return 0
		}
		v := r.stack[len(r.stack)-1]
		r.stack = r.stack[:len(r.stack)-1]
		return v
	}
	push := func(v float64) { r.stack = append(r.stack, v) }
	b2f := func(b bool) float64 {
		if b {
			return 1
		}
		return 0
	}
	switch op {
	case 1203: // and
		b, a := pop(), pop()
		push(b2f(a != 0 && b != 0))
	case 1204: // or
		b, a := pop(), pop()
		push(b2f(a != 0 || b != 0))
	case 1205: // not
		push(b2f(pop() == 0))
	case 1209:
		push(math.Abs(pop()))
	case 1210:
		b, a := pop(), pop()
		push(a + b)
	case 1211:
		b, a := pop(), pop()
		push(a - b)
	case 1212:
		b, a := pop(), pop()
		if b == 0 {
			push(0)
		} else {
			push(a / b)
		}
	case 1214:
		push(-pop())
	case 1215:
		b, a := pop(), pop()
		push(b2f(a == b))
	case 1218:
		pop()
	case 1220: // put
		i, v := pop(), pop()
		if k := int(i); k >= 0 && k < len(r.trans) {
			r.trans[k] = v
		}
	case 1221: // get
		if k := int(pop()); k >= 0 && k < len(r.trans) {
			push(r.trans[k])
		} else {
			push(0)
		}
	case 1222: // ifelse
		v2, v1, s2, s1 := pop(), pop(), pop(), pop()
		if v1 <= v2 {
			push(s1)
		} else {
			push(s2)
		}
	case 1223:
		push(0.5)
	case 1224:
		b, a := pop(), pop()
		push(a * b)
	case 1226:
		push(math.Sqrt(math.Abs(pop())))
	case 1227:
		if n > 0 {
			push(s[n-1])
		}
	case 1228:
		if n >= 2 {
			s[n-1], s[n-2] = s[n-2], s[n-1]
		}
	case 1229: // index
		i := int(pop())
		if i < 0 {
			i = 0
		}
		if k := len(r.stack) - 1 - i; k >= 0 {
			push(r.stack[k])
		} else {
			push(0)
		}
	case 1230: // roll
		j, nn := int(pop()), int(pop())
		if nn > 0 && nn <= len(r.stack) {
			seg := r.stack[len(r.stack)-nn:]
			j = ((j % nn) + nn) % nn
			tmp := append([]float64(nil), seg...)
			for k := range seg {
				seg[(k+j)%nn] = tmp[k]
			}
		}
	default:
		return false
	}
	return true
}
