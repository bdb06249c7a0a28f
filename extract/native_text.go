package extract

import (
	"math"
	"unicode"
)

// Text objects and PDFium's text page. show places the codes of a text
// operator as PDFium's CPDF_TextObject does (one object per operator, its
// items at their advances, its bounds from the glyph boxes); textPage then
// reads the page's text objects the way CPDF_TextPage does: objects on a
// line taken in order of position, an object repeating one of the five
// before it dropped, a glyph repeating one of the seven before it at nearly
// the same place dropped (text drawn twice for a bold effect), a hyphen
// that ends a line before text that continues it marked, and each glyph's
// box its outline box in the font placed by the text matrix.

// tChar is a character of the text page.
type tChar struct {
	r              rune
	x0, y0, x1, y1 fl // PDF user space, y up
	angle          fl
	code           uint32
	font           *nFont
	ox, oy         fl // origin
	generated      bool
	piece          bool
	text           int32 // text object
}

// show adds the text object of Tj, TJ, ' or " (items: the string, or the
// array's elements).
func (p *pageRun) show(st *gState, items []operand, depth int, holder int32, actual bool) {
	// Segments and kernings as Handle_ShowText_Positioning builds them:
	// kernings has a slot for every string, empty ones included, and the
	// kerning after the last segment is applied only from the last slot.
	nStr := 0
	for _, it := range items {
		if it.kind == tkStr {
			nStr++
		}
	}
	f := st.font
	if nStr == 0 {
		for _, it := range items {
			if it.kind == tkNum && it.num != 0 {
				st.tx -= it.num * st.fontSize / 1000 * st.th
			}
		}
		return
	}
	if f == nil {
		return
	}
	var kernBuf [16]fl
	kerns := kernBuf[:0]
	if len(items) > 1 || items[0].kind != tkStr {
		if nStr > len(kernBuf) {
			kerns = make([]fl, 0, nStr)
		}
		kerns = kerns[:nStr]
		for i := range kerns {
			kerns[i] = 0
		}
	}
	var segBuf [16][]byte
	segs := segBuf[:0]
	init := fl(0)
	for _, it := range items {
		switch it.kind {
		case tkStr:
			if len(it.b) == 0 {
				continue
			}
			segs = append(segs, it.b)
		case tkNum:
			if len(segs) == 0 {
				init += it.num
			} else {
				kerns[len(segs)-1] += it.num
			}
		}
	}
	if init != 0 {
		st.tx -= init * st.fontSize / 1000 * st.th
	}
	if len(segs) == 0 {
		return
	}
	if f.unsupported != "" {
		p.err = unsupportedf("font %s: %s", f.name, f.unsupported)
		return
	}
	if actual {
		p.err = unsupportedf("text replaced by /ActualText")
		return
	}
	mode := st.mode
	if f.kind == fkType3 {
		mode = 0
	}
	from := len(p.codes)
	for si, s := range segs {
		for off := 0; off < len(s); {
			code, n := f.nextCode(s[off:])
			off += n
			p.codes = append(p.codes, code)
			p.xs = append(p.xs, 0)
		}
		if si != len(segs)-1 {
			p.codes = append(p.codes, invalidCode)
			p.xs = append(p.xs, kerns[si])
		}
	}
	to := len(p.codes)
	// CalcPositionData.
	fs := st.fontSize
	var curpos fl
	minX, maxX, minY, maxY := fl(10000), fl(-10000), fl(10000), fl(-10000)
	for i := from; i < to; i++ {
		code := p.codes[i]
		if code == invalidCode {
			curpos -= p.xs[i] * fs / 1000
			continue
		}
		p.xs[i] = curpos
		r := f.charBBox(code)
		minY = fmin(minY, fl(min(r.top, r.bottom)))
		maxY = fmax(maxY, fl(max(r.top, r.bottom)))
		l := curpos + fl(r.left)*fs/1000
		rr := curpos + fl(r.right)*fs/1000
		minX = fmin(minX, fmin(l, rr))
		maxX = fmax(maxX, fmax(l, rr))
		curpos += fl(f.width(code)) * fs / 1000
		if f.wordSpaced(code) {
			curpos += st.ws
		}
		curpos += st.cs
	}
	if f.unsupported != "" {
		p.err = unsupportedf("font %s: %s", f.name, f.unsupported)
		return
	}
	maxY = maxY * fs / 1000
	minY = minY * fs / 1000
	// The object's matrix and position in its form's space (PDFium's
	// GetTextMatrix, what its text page compares objects by), and in the
	// page's (that matrix times the form's matrix).
	tm := nMat{st.th, 0, 0, 1, 0, 0}.then(st.tm).then(st.ctm)
	px, py := st.tm.apply(st.tx, st.ty+st.rise)
	px, py = st.ctm.apply(px, py)
	hm := nMat{tm.a, tm.b, tm.c, tm.d, px, py}
	m := hm
	if holder != 0 {
		m = hm.then(p.holderMat[holder])
	}
	rect := hm.rect(fRect{minX, minY, maxX, maxY})
	if mode == 1 || mode == 2 || mode == 5 || mode == 6 {
		hw := st.lineWidth / 2
		rect = fRect{rect.x0 - hw, rect.y0 - hw, rect.x1 + hw, rect.y1 + hw}
	}
	st.tx += curpos * st.th
	if len(kerns) > 0 && kerns[len(kerns)-1] != 0 {
		st.tx -= kerns[len(kerns)-1] * fs / 1000 * st.th
	}
	idx := int32(len(p.texts))
	p.texts = append(p.texts, textObj{font: f, size: fs, cs: st.cs, ws: st.ws, m: m, hm: hm, from: from, to: to,
		rect: rect, mode: mode, lineWidth: st.lineWidth, holder: holder, holderItem: int32(len(p.holders[holder]))})
	p.holders[holder] = append(p.holders[holder], holderEntry{text: idx, form: -1})
}

// charWidth is the text page's GetCharWidth: the advance, else the box.
func charWidth(f *nFont, code uint32) fl {
	if code == invalidCode {
		return 0
	}
	if w := f.width(code); w > 0 {
		return fl(w)
	}
	r := f.charBBox(code)
	return fl(max(r.right-r.left, 0))
}

// Text page state.
type textPage struct {
	p       *pageRun
	display nMat
	lineDir int // textline flow orientation: 0 unknown, 1 horizontal, 2 vertical
	buf     []int32
	temp    []tChar
	prevObj int32
	curline fRect
	commit  []tChar
}

const (
	dirUnknown = iota
	dirHorizontal
	dirVertical
)

func (p *pageRun) textPage() {
	tp := &textPage{p: p, prevObj: -1, temp: make([]tChar, 0, 64)}
	tp.commit = p.chars[:0]
	tp.display = p.displayMatrix()
	if len(p.holders) > 0 && len(p.holders[0]) > 0 {
		tp.lineDir = tp.flowOrientation()
		tp.holder(0)
	}
	for _, i := range tp.buf {
		tp.process(i)
	}
	tp.buf = tp.buf[:0]
	tp.closeLine()
	p.chars = tp.commit
	for i := range p.chars {
		if p.chars[i].font != nil && p.chars[i].font.rawCodes {
			p.rawCodes = true
			break
		}
	}
}

// displayMatrix is CPDF_Page::GetDisplayMatrix for the page's integer
// size, rotation 0 (CPDF_TextPage's m_DisplayMatrix).
func (p *pageRun) displayMatrix() nMat {
	b := p.bbox
	var w, h fl
	var pm nMat
	switch p.rot {
	case 0:
		w, h = b[2]-b[0], b[3]-b[1]
		pm = nMat{1, 0, 0, 1, -b[0], -b[1]}
	case 1:
		w, h = b[3]-b[1], b[2]-b[0]
		pm = nMat{0, -1, 1, 0, -b[1], b[2]}
	case 2:
		w, h = b[2]-b[0], b[3]-b[1]
		pm = nMat{-1, 0, 0, -1, b[2], b[3]}
	default:
		w, h = b[3]-b[1], b[2]-b[0]
		pm = nMat{0, 1, -1, 0, b[3], -b[0]}
	}
	if w == 0 || h == 0 {
		return identity
	}
	xs, ys := fl(int(w)), fl(int(h))
	x0, y0, x1, y1, x2, y2 := fl(0), ys, fl(0), fl(0), xs, ys
	return pm.then(nMat{(x2 - x0) / w, (y2 - y0) / w, (x1 - x0) / h, (y1 - y0) / h, x0, y0})
}

// flowOrientation is FindTextlineFlowOrientation over the page's own text
// objects.
func (tp *textPage) flowOrientation() int {
	p := tp.p
	var w, h fl
	b := p.bbox
	if p.rot%2 == 0 {
		w, h = b[2]-b[0], b[3]-b[1]
	} else {
		w, h = b[3]-b[1], b[2]-b[0]
	}
	pw, ph := int(w), int(h)
	if pw <= 0 || ph <= 0 {
		return dirUnknown
	}
	hm := make([]bool, pw)
	vm := make([]bool, ph)
	lineH := fl(0)
	sH, eH, sV, eV := pw, 0, ph, 0
	clamp := func(v fl, hi int) int { return int(fmax(0, fmin(v, fl(hi)))) }
	for _, e := range p.holders[0] {
		if e.text < 0 {
			continue
		}
		r := p.texts[e.text].rect
		minH, maxH := clamp(r.x0, pw), clamp(r.x1, pw)
		minV, maxV := clamp(r.y0, ph), clamp(r.y1, ph)
		if minH >= maxH || minV >= maxV {
			continue
		}
		for i := minH; i < maxH; i++ {
			hm[i] = true
		}
		for i := minV; i < maxV; i++ {
			vm[i] = true
		}
		sH, eH = min(sH, minH), max(eH, maxH)
		sV, eV = min(sV, minV), max(eV, maxV)
		if lineH <= 0 {
			lineH = r.y1 - r.y0
		}
	}
	dbl := int(2 * lineH)
	if eV-sV < dbl {
		return dirHorizontal
	}
	if eH-sH < dbl {
		return dirVertical
	}
	filled := func(m []bool, s, e int) fl {
		if s >= e {
			return 0
		}
		n := 0
		for _, v := range m[s:e] {
			if v {
				n++
			}
		}
		return fl(n) / fl(e-s)
	}
	sumH := filled(hm, sH, eH)
	if sumH > 0.8 {
		return dirHorizontal
	}
	sumV := filled(vm, sV, eV)
	switch {
	case sumH > sumV:
		return dirHorizontal
	case sumH < sumV:
		return dirVertical
	}
	return dirUnknown
}

// holder walks a page's or form's objects (ProcessObject, ProcessFormObject).
func (tp *textPage) holder(h int32) {
	for k, e := range tp.p.holders[h] {
		if e.text >= 0 {
			tp.enter(e.text, h, k)
		} else {
			tp.holder(e.form)
		}
	}
}

// enter is the first ProcessTextObject: objects are kept while they stay
// on one line, in order of position, and read when a line ends.
func (tp *textPage) enter(i int32, h int32, k int) {
	p := tp.p
	t := &p.texts[i]
	if fabs(t.rect.x1-t.rect.x0) < 0.01 {
		return
	}
	if len(tp.buf) == 0 {
		tp.buf = append(tp.buf, i)
		return
	}
	if tp.sameAsBefore(i, h, k) {
		return
	}
	prev := &p.texts[tp.buf[len(tp.buf)-1]]
	if prev.to == prev.from {
		return
	}
	pw := charWidth(prev.font, p.codes[prev.to-1]) * prev.size / 1000
	pw = prev.m.distance(fabs(pw))
	tw := fabs(charWidth(t.font, p.codes[t.from]) * t.size / 1000)
	tw = t.m.distance(tw)
	thr := fmax(pw, tw) / 4
	_, py := tp.display.apply(prev.m.e, prev.m.f)
	tx, ty := tp.display.apply(t.m.e, t.m.f)
	if fabs(ty-py) > thr*2 {
		for _, j := range tp.buf {
			tp.process(j)
		}
		tp.buf = append(tp.buf[:0], i)
		return
	}
	for n := len(tp.buf); n > 0; n-- {
		o := &p.texts[tp.buf[n-1]]
		ox, _ := tp.display.apply(o.m.e, o.m.f)
		if tx >= ox {
			tp.buf = append(tp.buf, 0)
			copy(tp.buf[n+1:], tp.buf[n:])
			tp.buf[n] = i
			return
		}
	}
	tp.buf = append(tp.buf, 0)
	copy(tp.buf[1:], tp.buf)
	tp.buf[0] = i
}

// sameAsBefore is IsSameAsPreTextObject: the object repeats one of the
// five text objects before it in its page or form.
func (tp *textPage) sameAsBefore(i int32, h int32, k int) bool {
	p := tp.p
	items := p.holders[h]
	n := 0
	for j := k - 1; j >= 0 && n < 5; j-- {
		e := items[j]
		if e.text < 0 || e.text == i {
			continue
		}
		if tp.sameObject(e.text, i) {
			return true
		}
		n++
	}
	return false
}

// sameObject is IsSameTextObject(other, this).
func (tp *textPage) sameObject(oi, ti int32) bool {
	p := tp.p
	o, t := &p.texts[oi], &p.texts[ti]
	pre, cur := t.rect, o.rect // as PDFium names them
	if pre.empty() && cur.empty() {
		// both empty: PDFium compares x against the width of a recent char
		dx := fabs(pre.x0 - cur.x0)
		if n := len(tp.commit); n >= 2 {
			if dx > tp.commit[n-2].x1-tp.commit[n-2].x0 {
				return false
			}
		}
	}
	if !pre.empty() || !cur.empty() {
		pre = pre.intersect(cur)
		if pre.empty() {
			return false
		}
		if fabs((pre.x1-pre.x0)-(cur.x1-cur.x0)) > (cur.x1-cur.x0)/2 {
			return false
		}
		if float32(t.size) != float32(o.size) {
			return false
		}
	}
	if t.to-t.from != o.to-o.from {
		return false
	}
	if t.to == t.from {
		return true
	}
	for k := 0; k < t.to-t.from; k++ {
		if p.codes[t.from+k] != p.codes[o.from+k] {
			return false
		}
	}
	dx, dy := o.hm.e-t.hm.e, o.hm.f-t.hm.f
	fs := t.size
	cw := charWidth(t.font, p.codes[t.to-1])
	maxPre := fmax(fmax(pre.y1-pre.y0, pre.x1-pre.x0), fs)
	return fabs(dx) <= 0.9*cw*fs/1000 && fabs(dy) <= maxPre/8
}

// process is the second ProcessTextObject: the object's characters.
func (tp *textPage) process(i int32) {
	p := tp.p
	t := &p.texts[i]
	if fabs(t.rect.x1-t.rect.x0) < 0.01 {
		return
	}
	if tp.prevObj >= 0 {
		res := tp.insert(i)
		if res == genLineBreak {
			tp.curline = t.rect
		} else {
			tp.curline = rectUnion(tp.curline, t.rect)
		}
		switch res {
		case genSpace:
			if c, ok := tp.generated(' ', t.holder); ok {
				tp.temp = append(tp.temp, c)
			}
		case genLineBreak:
			tp.closeLine()
			if len(tp.commit) > 0 {
				for _, r := range []rune{'\r', '\n'} {
					if c, ok := tp.generated(r, t.holder); ok {
						tp.commit = append(tp.commit, c)
					}
				}
			}
		case genHyphen:
			if tp.countChars(t) == 1 {
				u := t.font.unicode(p.codes[t.from], p.uniBuf[:0])
				c := rune(p.codes[t.from])
				if len(u) > 0 {
					c = u[0]
				}
				if c == 0x2D || c == 0xAD {
					return
				}
			}
			for len(tp.temp) > 0 && tp.temp[len(tp.temp)-1].r == ' ' {
				tp.temp = tp.temp[:len(tp.temp)-1]
			}
			if n := len(tp.temp); n > 0 {
				tp.temp[n-1].r = 0x2
			}
		}
	} else {
		tp.curline = t.rect
	}
	tp.prevObj = i
	f := t.font
	m := t.m
	thr := m.xDistance(0.07 * t.size)
	angle := charAngle(m)
	fs := t.size / 1000
	fsh := fabs(fsqrt(t.hm.a*t.hm.a+t.hm.b*t.hm.b) * t.size) // GetFontSizeH
	base := tp.baseSpace(t)
	spacing := fl(0)
	for k := t.from; k < t.to; k++ {
		code := p.codes[k]
		if code == invalidCode {
			if r, ok := tp.lastText(); !ok || r == ' ' {
				continue
			}
			spacing = -fsh * p.xs[k] / 1000
			continue
		}
		if t.cs > 0.001 {
			spacing += m.distance(t.cs)
		} else if t.cs < -0.001 {
			spacing -= m.distance(-t.cs)
		}
		spacing -= base
		if spacing != 0 && k > t.from {
			th := fl(0)
			if sc, ok := f.spaceCode(); ok {
				th = fsh * fl(f.width(sc)) / 1000
			}
			if th > fsh/3 {
				th = 0
			} else {
				th /= 2
			}
			if th == 0 {
				th = fsh * normThreshold(charWidth(f, code), 300, 500, 700) / 1000
			}
			if th != 0 && spacing >= th {
				ox, oy := m.apply(p.xs[k], 0)
				tp.temp = append(tp.temp, tChar{r: ' ', generated: true, code: invalidCode, text: i, font: f,
					ox: ox, oy: oy, x0: ox, y0: oy, x1: ox, y1: oy, angle: charAngle(p.holderMat[t.holder])})
			}
		}
		spacing = 0
		u := f.unicode(code, p.uniBuf[:0])
		p.uniBuf = u[:0]
		if len(u) == 0 && code != 0 {
			u = append(u, rune(code))
			f.rawCodes = true
		}
		ox := p.xs[k]
		r := f.charBBox(code)
		box := fRect{fl(r.left)*fs + ox, fl(r.bottom) * fs, fl(r.right)*fs + ox, fl(r.top) * fs}
		if fabs(box.y1-box.y0) < 0.01 {
			box.y1 = box.y0 + fs
		}
		if fabs(box.x1-box.x0) < 0.01 {
			box.x1 = box.x0 + fl(f.width(code))*fs
		}
		box = m.rect(box)
		gx, gy := m.apply(ox, 0)
		c := tChar{code: code, font: f, ox: gx, oy: gy, x0: box.x0, y0: box.y0, x1: box.x1, y1: box.y1, angle: angle, text: i}
		if len(u) == 0 {
			c.r = 0
			tp.temp = append(tp.temp, c)
			continue
		}
		dup := false
		n := len(tp.temp)
		for j := n - 1; j >= 0 && j >= n-7; j-- {
			o := &tp.temp[j]
			if o.code == code && o.font == f && fabs(o.ox-gx) < thr && fabs(o.oy-gy) < thr {
				dup = true
				break
			}
		}
		if dup {
			if k == t.from && n > 0 && tp.temp[n-1].r == ' ' {
				tp.temp = tp.temp[:n-1]
			}
			continue
		}
		for _, r := range u {
			c.r = r
			tp.temp = append(tp.temp, c)
		}
	}
}

// generated is GenerateCharInfo: a character PDFium adds (a space, a
// line break) at a point after the character before it.
func (tp *textPage) generated(r rune, holder int32) (tChar, bool) {
	prev := tp.prevChar()
	if prev == nil {
		return tChar{}, false
	}
	w := fl(0)
	size := prev.y1 - prev.y0
	if prev.text >= 0 {
		t := &tp.p.texts[prev.text]
		size = t.size
		if prev.code != invalidCode {
			w = charWidth(prev.font, prev.code)
		}
	}
	if size == 0 {
		size = 1
	}
	ox, oy := prev.ox+w*size/1000, prev.oy
	return tChar{r: r, generated: true, code: invalidCode, text: -1, ox: ox, oy: oy, x0: ox, y0: oy, x1: ox, y1: oy,
		angle: charAngle(tp.p.holderMat[holder])}, true
}

// lastText is the last character of the text so far (the line's, else
// the page's).
func (tp *textPage) lastText() (rune, bool) {
	if n := len(tp.temp); n > 0 {
		if r := tp.temp[n-1].r; r != 0 {
			return r, true
		}
		return 0xFFFE, true
	}
	if n := len(tp.commit); n > 0 {
		return tp.commit[n-1].r, true
	}
	return 0, false
}

// baseSpace is CalculateBaseSpace: the smallest gap a TJ array leaves
// between all its characters, which is no word space.
func (tp *textPage) baseSpace(t *textObj) fl {
	n := t.to - t.from
	if t.cs == 0 || n < 3 {
		return 0
	}
	allChar := true
	spacing := t.m.distance(t.cs)
	base := spacing
	fsh := fabs(fsqrt(t.hm.a*t.hm.a+t.hm.b*t.hm.b) * t.size)
	for k := t.from; k < t.to; k++ {
		if tp.p.codes[k] == invalidCode {
			kern := -fsh * tp.p.xs[k] / 1000
			base = fmin(base, kern+spacing)
			allChar = false
		}
	}
	if base < 0 || n == 3 && !allChar {
		return 0
	}
	return base
}

// countChars is CountChars: the object's codes, kerning items aside.
func (tp *textPage) countChars(t *textObj) int {
	n := 0
	for k := t.from; k < t.to; k++ {
		if tp.p.codes[k] != invalidCode {
			n++
		}
	}
	return n
}

func (tp *textPage) prevChar() *tChar {
	if n := len(tp.temp); n > 0 {
		return &tp.temp[n-1]
	}
	if n := len(tp.commit); n > 0 {
		return &tp.commit[n-1]
	}
	return nil
}

// closeLine is CloseTempLine: the line's characters are committed, runs
// of spaces cut to one, ligatures split into their letters.
func (tp *textPage) closeLine() {
	if len(tp.temp) == 0 {
		return
	}
	prevSpace := false
	for _, c := range tp.temp {
		if c.r == ' ' {
			if prevSpace {
				continue
			}
			prevSpace = true
		} else {
			prevSpace = false
		}
		if lig, ok := ligatures[c.r]; ok {
			for _, r := range lig {
				c.r = r
				c.piece = true
				tp.commit = append(tp.commit, c)
			}
			continue
		}
		tp.commit = append(tp.commit, c)
	}
	tp.temp = tp.temp[:0]
}

var ligatures = map[rune][]rune{
	0xFB00: {'f', 'f'}, 0xFB01: {'f', 'i'}, 0xFB02: {'f', 'l'}, 0xFB03: {'f', 'f', 'i'},
	0xFB04: {'f', 'f', 'l'}, 0xFB05: {0x17F, 't'}, 0xFB06: {'s', 't'},
}

// charAngle is FPDFText_GetCharAngle: atan2(c, a) of the glyph's matrix in
// [0, 2π), in single precision.
func charAngle(m nMat) fl {
	a := fl(math.Atan2(float64(m.c), float64(m.a)))
	if a < 0 {
		a += float32(2 * math.Pi)
	}
	return fl(a)
}

func rectUnion(a, b fRect) fRect {
	return fRect{fmin(a.x0, b.x0), fmin(a.y0, b.y0), fmax(a.x1, b.x1), fmax(a.y1, b.y1)}
}

const (
	genNone = iota
	genSpace
	genLineBreak
	genHyphen
)

// writingMode is GetTextObjectWritingMode.
func (tp *textPage) writingMode(i int32) int {
	p := tp.p
	t := &p.texts[i]
	first, last := -1, -1
	n := 0
	for k := t.from; k < t.to; k++ {
		if p.codes[k] != invalidCode {
			if first < 0 {
				first = k
			}
			last = k
			n++
		}
	}
	if n <= 1 {
		return tp.lineDir
	}
	fx, fy := t.hm.apply(p.xs[first], 0)
	lx, ly := t.hm.apply(p.xs[last], 0)
	dx, dy := fabs(lx-fx), fabs(ly-fy)
	if dx <= 0.0001 && dy <= 0.0001 {
		return dirUnknown
	}
	l := fhypot(dx, dy)
	vx, vy := dx/l, dy/l
	xUnder := vx <= 0.0872
	if vy <= 0.0872 {
		if xUnder {
			return tp.lineDir
		}
		return dirHorizontal
	}
	if xUnder {
		return dirVertical
	}
	return tp.lineDir
}

// firstChar is the Unicode character ProcessInsertObject takes for a code.
func (tp *textPage) firstChar(f *nFont, code uint32) rune {
	u := f.unicode(code, tp.p.uniBuf[:0])
	if len(u) == 0 {
		return rune(code)
	}
	return u[0]
}

// insert is ProcessInsertObject: what separates an object from the one
// read before it — nothing, a space, a line break or a hyphenation.
func (tp *textPage) insert(i int32) int {
	p := tp.p
	t := &p.texts[i]
	if c := tp.prevChar(); c != nil && c.text >= 0 {
		tp.prevObj = c.text
	}
	prev := &p.texts[tp.prevObj]
	mode := tp.writingMode(i)
	if mode == dirUnknown {
		mode = tp.writingMode(tp.prevObj)
	}
	if prev.to == prev.from {
		return genNone
	}
	prevCode := p.codes[prev.to-1]
	code := p.codes[t.from]
	cur := tp.firstChar(t.font, code)
	thisR, prevR := t.rect, prev.rect
	switch mode {
	case dirHorizontal:
		if thisR.y1-thisR.y0 > 4.5 && prevR.y1-prevR.y0 > 4.5 && fmax(thisR.y0, prevR.y0) >= fmin(thisR.y1, prevR.y1) {
			return tp.breakOrHyphen(cur)
		}
	case dirVertical:
		if thisR.x1-thisR.x0 > t.size*0.1 && prevR.x1-prevR.x0 > prev.size*0.1 && fmin(thisR.x1, tp.curline.x1) <= fmax(thisR.x0, tp.curline.x0) {
			return tp.breakOrHyphen(cur)
		}
	}
	lastPos := p.xs[prev.to-1]
	nLast := charWidth(prev.font, prevCode)
	lastW := fabs(nLast * prev.size / 1000)
	nThis := charWidth(t.font, code)
	thisW := fabs(nThis * t.size / 1000)
	thr := fmax(lastW, thisW) / 4
	rev := prev.m.inverse()
	posX, posY := rev.apply(t.m.e, t.m.f)
	if lastW < thisW {
		thr = rev.distance(thr)
	}
	newline := false
	if mode == dirHorizontal {
		r := prev.rect
		rh := r.y1 - r.y0
		if r.empty() && rh > 5 || (posY > thr*2 || posY < thr*-3) && (fabs(posY) >= 1 || fabs(posY) > fabs(posX)) {
			newline = true
			if prev.to-prev.from > 1 {
				firstX := p.xs[prev.from]
				pm := prev.hm
				d := tp.display
				if lastPos > firstX && d.a > 0.9 && d.b < 0.1 && d.c < 0.1 && d.d < -0.9 && pm.b < 0.1 && pm.c < 0.1 {
					if t.hm.e >= 0 && t.hm.e <= 1000 && t.hm.f >= prev.rect.y0 && t.hm.f <= prev.rect.y1 {
						newline = false
					} else if prev.hm.e >= 0 && prev.hm.e <= 1000 && prev.hm.f >= t.rect.y0 && prev.hm.f <= t.rect.y1 {
						newline = false
					}
				}
			}
		}
	}
	if newline {
		return tp.breakOrHyphen(cur)
	}
	if tp.countChars(t) == 1 && (cur == 0x2D || cur == 0xAD) && tp.isHyphen(cur) {
		return genHyphen
	}
	if cur == ' ' {
		return genNone
	}
	pu := prev.font.unicode(prevCode, p.uniBuf[:0])
	if len(pu) == 0 {
		pu = append(pu, rune(prevCode))
	}
	if pu[len(pu)-1] == ' ' {
		return genNone
	}
	thr2 := normThreshold(fmax(nLast, nThis), 400, 700, 800)
	if nLast >= nThis {
		thr2 *= fabs(prev.size)
	} else {
		thr2 *= fabs(t.size)
		thr2 = t.m.distance(thr2)
		thr2 = rev.distance(thr2)
	}
	thr2 /= 1000
	if thr2 < 1.4881 && thr2 > 1.4879 || thr2 < 1.39001 && thr2 > 1.38999 {
		thr2 *= 1.5
	}
	if generateSpace(posX, lastPos, thisW, lastW, thr2) {
		return genSpace
	}
	return genNone
}

func (tp *textPage) breakOrHyphen(cur rune) int {
	if tp.isHyphen(cur) {
		return genHyphen
	}
	return genLineBreak
}

// isHyphen is IsHyphen: the text so far ends (spaces aside) with a hyphen
// after a letter and the next character is a letter or digit.
func (tp *textPage) isHyphen(cur rune) bool {
	text := func(k int) (rune, bool) { // k-th character from the end
		if len(tp.temp) > 0 {
			if k < len(tp.temp) {
				r := tp.temp[len(tp.temp)-1-k].r
				if r == 0 {
					r = 0xFFFE
				}
				return r, true
			}
			return 0, false
		}
		if k < len(tp.commit) {
			return tp.commit[len(tp.commit)-1-k].r, true
		}
		return 0, false
	}
	k := 0
	for {
		r, ok := text(k)
		if !ok {
			return false
		}
		if _, more := text(k + 1); more && r == ' ' {
			k++
			continue
		}
		if r != 0x2D && r != 0xAD {
			return false
		}
		break
	}
	if r, ok := text(k + 1); ok {
		if unicode.IsLetter(r) && (unicode.IsLetter(cur) || unicode.IsDigit(cur)) {
			return true
		}
	}
	pc := tp.prevChar()
	return pc != nil && pc.piece && (pc.r == 0x2D || pc.r == 0xAD)
}

func normThreshold(t fl, t1, t2, t3 fl) fl {
	switch {
	case t < t1:
		return t / 2
	case t < t2:
		return t / 4
	case t < t3:
		return t / 5
	}
	return t / 6
}

// generateSpace is GenerateSpace.
func generateSpace(posX, lastPos, thisW, lastW, thr fl) bool {
	if fabs(lastPos+lastW-posX) <= thr {
		return false
	}
	tpos := thr + lastW
	diff := posX - lastPos
	if fabs(diff) > tpos {
		return true
	}
	if posX < 0 && -tpos > diff {
		return true
	}
	return diff > thisW+lastW
}
