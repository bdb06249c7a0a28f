package extract

import (
	"bytes"
	"math"
	"reflect"
	"strconv"
	"unsafe"

	"github.com/ledongthuc/pdf"
)

// The content stream interpreter: a lexer over the decoded bytes and the
// operators that place text and paint paths, with graphics states saved
// and restored as PDFium saves them (text matrix and position included).
// It records text objects (one per Tj, TJ, ' or ") and, at the page's top
// level, path objects; form XObjects are run with their /Matrix, guarded
// against cycles; images, shadings, inline images and marked content are
// skipped.

const (
	tkEOF = iota
	tkNum
	tkName
	tkStr
	tkArrOpen
	tkArrClose
	tkDictOpen
	tkDictClose
	tkOp
)

// lexer reads tokens of a content stream. Strings are decoded into sbuf;
// a token's bytes stay valid until the next operator resets it.
type lexer struct {
	b    []byte
	i    int
	sbuf []byte
}

var charClass [256]uint8 // 0 regular, 1 space, 2 delimiter

func init() {
	for _, c := range []byte{' ', '\n', '\r', '\t', '\f', 0} {
		charClass[c] = 1
	}
	for _, c := range []byte("()<>[]{}/%") {
		charClass[c] = 2
	}
}

// next returns the next token: its kind, its bytes (a name without the
// slash, a decoded string, an operator) and, for a number, its value.
func (lx *lexer) next() (int, []byte, fl) {
	b := lx.b
	i := lx.i
	for {
		for i < len(b) && charClass[b[i]] == 1 {
			i++
		}
		if i >= len(b) {
			lx.i = i
			return tkEOF, nil, 0
		}
		if b[i] != '%' {
			break
		}
		for i < len(b) && b[i] != '\r' && b[i] != '\n' {
			i++
		}
	}
	c := b[i]
	switch {
	case c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.':
		start := i
		neg := false
		if c == '-' || c == '+' {
			neg = c == '-'
			i++
			for i < len(b) && (b[i] == '-' || b[i] == '+') { // PDFium tolerates --1
				i++
			}
		}
		// Numbers are read as PDFium's FX_Number reads them: an integer
		// exactly, then as float; a number with a point rounded to single
		// precision.
		var iv uint64
		var v fl
		digits, real := false, false
		ds := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			iv = iv*10 + uint64(b[i]-'0')
			i++
			digits = true
		}
		de := i
		var frac []byte
		if i < len(b) && b[i] == '.' {
			real = true
			i++
			fs := i
			for i < len(b) && b[i] >= '0' && b[i] <= '9' {
				i++
				digits = true
			}
			frac = b[fs:i]
		}
		if i < len(b) && charClass[b[i]] == 0 || !digits {
			// not a number after all: an operator such as "-" or "1a"
			for i < len(b) && charClass[b[i]] == 0 {
				i++
			}
			lx.i = i
			if !digits && i-start == 1 && (c == '-' || c == '+' || c == '.') {
				return tkNum, nil, 0
			}
			return tkOp, b[start:i], 0
		}
		lx.i = i
		if real {
			v = parseReal(b[ds:de], frac)
		} else {
			if iv > math.MaxInt32 {
				iv = math.MaxInt32
			}
			v = fl(iv)
		}
		if neg {
			v = -v
		}
		return tkNum, nil, v
	case c == '/':
		i++
		start := i
		for i < len(b) && charClass[b[i]] == 0 {
			i++
		}
		lx.i = i
		name := b[start:i]
		if bytes.IndexByte(name, '#') >= 0 {
			s0 := len(lx.sbuf)
			for k := 0; k < len(name); k++ {
				if name[k] == '#' && k+2 < len(name) {
					h, ok1 := hexDigit(name[k+1])
					l, ok2 := hexDigit(name[k+2])
					if ok1 && ok2 {
						lx.sbuf = append(lx.sbuf, byte(h<<4|l))
						k += 2
						continue
					}
				}
				lx.sbuf = append(lx.sbuf, name[k])
			}
			return tkName, lx.sbuf[s0:], 0
		}
		return tkName, name, 0
	case c == '(':
		i++
		s0 := len(lx.sbuf)
		depth := 1
		for i < len(b) {
			ch := b[i]
			i++
			switch ch {
			case '(':
				depth++
			case ')':
				depth--
				if depth == 0 {
					lx.i = i
					return tkStr, lx.sbuf[s0:], 0
				}
			case '\\':
				if i >= len(b) {
					break
				}
				e := b[i]
				i++
				switch e {
				case 'n':
					ch = '\n'
				case 'r':
					ch = '\r'
				case 't':
					ch = '\t'
				case 'b':
					ch = '\b'
				case 'f':
					ch = '\f'
				case '\r':
					if i < len(b) && b[i] == '\n' {
						i++
					}
					continue
				case '\n':
					continue
				default:
					if e >= '0' && e <= '7' {
						v := int(e - '0')
						for k := 0; k < 2 && i < len(b) && b[i] >= '0' && b[i] <= '7'; k++ {
							v = v*8 + int(b[i]-'0')
							i++
						}
						ch = byte(v)
					} else {
						ch = e
					}
				}
			}
			lx.sbuf = append(lx.sbuf, ch)
		}
		lx.i = i
		return tkStr, lx.sbuf[s0:], 0
	case c == '<':
		if i+1 < len(b) && b[i+1] == '<' {
			lx.i = i + 2
			return tkDictOpen, nil, 0
		}
		i++
		s0 := len(lx.sbuf)
		hi, half := 0, false
		for i < len(b) && b[i] != '>' {
			if d, ok := hexDigit(b[i]); ok {
				if half {
					lx.sbuf = append(lx.sbuf, byte(hi<<4|d))
				} else {
					hi = d
				}
				half = !half
			}
			i++
		}
		if half {
			lx.sbuf = append(lx.sbuf, byte(hi<<4))
		}
		lx.i = i + 1
		return tkStr, lx.sbuf[s0:], 0
	case c == '>':
		if i+1 < len(b) && b[i+1] == '>' {
			lx.i = i + 2
			return tkDictClose, nil, 0
		}
		lx.i = i + 1
		return tkOp, b[i : i+1], 0
	case c == '[':
		lx.i = i + 1
		return tkArrOpen, nil, 0
	case c == ']':
		lx.i = i + 1
		return tkArrClose, nil, 0
	case c == '{' || c == '}' || c == ')':
		lx.i = i + 1
		return tkOp, b[i : i+1], 0
	}
	start := i
	for i < len(b) && charClass[b[i]] == 0 {
		i++
	}
	lx.i = i
	return tkOp, b[start:i], 0
}

var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// parseReal reads digits "ip.frac" as the nearest single-precision value:
// exactly through a double when the digits fit, else through strconv.
func parseReal(ip, frac []byte) fl {
	for len(ip) > 1 && ip[0] == '0' {
		ip = ip[1:]
	}
	for len(frac) > 0 && frac[len(frac)-1] == '0' {
		frac = frac[:len(frac)-1]
	}
	if len(ip)+len(frac) <= 15 {
		var m uint64
		for _, c := range ip {
			m = m*10 + uint64(c-'0')
		}
		for _, c := range frac {
			m = m*10 + uint64(c-'0')
		}
		return fl(float64(m) / pow10[len(frac)])
	}
	v, _ := strconv.ParseFloat(string(ip)+"."+string(frac), 64)
	return fl(v)
}

// operand of an operator.
type operand struct {
	kind     uint8 // tkNum, tkName, tkStr, tkArrOpen (an array), tkDictOpen (a dict), tkOp (true/false/null)
	num      fl
	b        []byte
	from, to int // an array's elements in runner.arr
	actual   bool
}

// gState is the graphics state PDFium keeps (CPDF_AllStates), as far as
// text placement and path painting need it.
type gState struct {
	ctm       nMat
	lineWidth fl
	lineCap   int
	miter     fl
	fill      fillColor
	fillAlpha fl
	// text state
	font              *nFont
	fontSize          fl
	cs, ws, th        fl
	leading, rise     fl
	mode              int
	tm                nMat
	tx, ty, tlx, tly  fl
	fillCS            csKind
	strokeN, fillN    int
	fillIndexedLookup []byte
	fillIndexedBase   csKind
}

type csKind uint8

const (
	csGray csKind = iota
	csRGB
	csCMYK
	csPattern
	csIndexed
	csOther
)

// fillColor is what PDFium reports of a path's fill: its opacity and
// whether it is white (the white test of readPdfiumPage), or unknown.
type fillColor struct {
	v       [4]fl
	unknown bool
}

type pathObj struct {
	x0, y0, x1, y1 fl
	stroke, fill   bool
	white          bool
	// unknown: filled in a colour the reader does not evaluate
	unknown bool
	alpha   fl
	// chain is the form the path lies in (1 + its index in
	// pageRun.chains), 0 for the page's own paths; x0…y1 are then in the
	// form's space
	chain int32
}

// formLink is a form drawn on a page or in another form: its form
// object's matrix (the CTM where it was drawn, PDFium's form_matrix) and
// the form it lies in (0 for the page).
type formLink struct {
	m      nMat
	parent int32
}

// formRuleDepth is how deep in forms readPdfiumPage looks for ruling
// lines (objectRules descends forms at depths 0 to 7).
const formRuleDepth = 8

// textObj is a PDFium text object.
type textObj struct {
	font       *nFont
	size       fl
	cs, ws     fl
	m          nMat  // the text matrix with the object's position, in page space
	hm         nMat  // the same in its form's space (GetTextMatrix)
	from, to   int   // its items in pageRun.codes / xs
	rect       fRect // GetRect: in its form's space
	mode       int
	lineWidth  fl
	holder     int32
	holderItem int32
}

// holderItem is a text object or a form in a page or form's object list.
type holderEntry struct {
	text, form int32
}

const invalidCode = 0xFFFFFFFF

// pageRun reads one page.
type pageRun struct {
	d       *nDoc
	pageRes pdf.Value
	bbox    [4]fl
	rot     int
	texts   []textObj
	holders [][]holderEntry
	// holderMat is each holder's form matrix (PDFium's formMatrix: the
	// CTM where the form was drawn; identity for the page).
	holderMat []nMat
	paths     []pathObj
	chains    []formLink
	curChain  int32
	codes     []uint32
	xs        []fl
	chars     []tChar
	err       error
	rawCodes  bool
	forms     []objKey
	arr       []operand
	ops       []operand
	uniBuf    []rune
}

// scratch keeps a page's slices for the next page.
type scratch struct {
	codes []uint32
	xs    []fl
	chars []tChar
	texts []textObj
	arr   []operand
	ops   []operand
}

func newPageRun(d *nDoc, res pdf.Value, bbox [4]fl, rot int) *pageRun {
	p := &pageRun{d: d, pageRes: res, bbox: bbox, rot: rot,
		codes: d.sc.codes[:0], xs: d.sc.xs[:0], chars: d.sc.chars[:0], texts: d.sc.texts[:0],
		arr: d.sc.arr[:0], ops: d.sc.ops[:0]}
	return p
}

func (p *pageRun) keep() {
	p.d.sc = scratch{codes: p.codes[:0], xs: p.xs[:0], chars: p.chars[:0], texts: p.texts[:0], arr: p.arr[:0], ops: p.ops[:0]}
}

func defaultState(ctm nMat) gState {
	return gState{ctm: ctm, lineWidth: 1, miter: 10, fillAlpha: 1, th: 1, tm: identity, fillN: 1, strokeN: 1}
}

// run interprets a content stream with resources res, starting from the
// state st, recording its objects in a new holder.
func (p *pageRun) run(content []byte, res pdf.Value, ctm nMat, depth int) error {
	st := defaultState(ctm)
	p.runWith(content, res, &st, depth, identity)
	return p.err
}

func (p *pageRun) runWith(content []byte, res pdf.Value, st *gState, depth int, fm nMat) int32 {
	holder := int32(len(p.holders))
	p.holders = append(p.holders, nil)
	p.holderMat = append(p.holderMat, fm)
	lx := lexer{b: content, sbuf: make([]byte, 0, 256)}
	var stack []gState
	var path []pathPoint
	var curX, curY, startX, startY fl
	clip := false
	ops := p.ops[:0]
	arrDepth := 0
	_ = arrDepth
	markActual := 0 // depth of marked content carrying /ActualText
	var markStack []bool
	for p.err == nil {
		kind, tok, nv := lx.next()
		switch kind {
		case tkEOF:
			p.ops = ops
			return holder
		case tkNum:
			ops = append(ops, operand{kind: tkNum, num: nv})
			continue
		case tkName:
			ops = append(ops, operand{kind: tkName, b: tok})
			continue
		case tkStr:
			ops = append(ops, operand{kind: tkStr, b: tok})
			continue
		case tkArrOpen:
			from := len(p.arr)
			p.readArray(&lx)
			ops = append(ops, operand{kind: tkArrOpen, from: from, to: len(p.arr)})
			continue
		case tkDictOpen:
			actual := skipDict(&lx)
			ops = append(ops, operand{kind: tkDictOpen, actual: actual})
			continue
		case tkArrClose, tkDictClose:
			continue
		}
		// an operator
		op := tok
		if len(op) == 4 && string(op) == "true" || len(op) == 5 && string(op) == "false" || len(op) == 4 && string(op) == "null" {
			ops = append(ops, operand{kind: tkOp})
			continue
		}
		switch len(op) {
		case 1:
			switch op[0] {
			case 'q':
				if len(stack) < 4096 {
					stack = append(stack, *st)
				}
			case 'Q':
				if n := len(stack); n > 0 {
					*st = stack[n-1]
					stack = stack[:n-1]
				}
			case 'w':
				st.lineWidth = opNum(ops, 0)
			case 'J':
				st.lineCap = int(opNum(ops, 0))
			case 'M':
				st.miter = opNum(ops, 0)
			case 'm':
				if len(ops) == 2 {
					x, y := opNum(ops, 1), opNum(ops, 0)
					path = addPathPoint(path, x, y, ptMove, &curX, &curY, &startX, &startY)
				}
			case 'l':
				if len(ops) == 2 {
					path = addPathPoint(path, opNum(ops, 1), opNum(ops, 0), ptLine, &curX, &curY, &startX, &startY)
				}
			case 'c':
				path = addPathPoint(path, opNum(ops, 5), opNum(ops, 4), ptBezier, &curX, &curY, &startX, &startY)
				path = addPathPoint(path, opNum(ops, 3), opNum(ops, 2), ptBezier, &curX, &curY, &startX, &startY)
				path = addPathPoint(path, opNum(ops, 1), opNum(ops, 0), ptBezier, &curX, &curY, &startX, &startY)
			case 'v':
				path = addPathPoint(path, curX, curY, ptBezier, &curX, &curY, &startX, &startY)
				path = addPathPoint(path, opNum(ops, 3), opNum(ops, 2), ptBezier, &curX, &curY, &startX, &startY)
				path = addPathPoint(path, opNum(ops, 1), opNum(ops, 0), ptBezier, &curX, &curY, &startX, &startY)
			case 'y':
				path = addPathPoint(path, opNum(ops, 3), opNum(ops, 2), ptBezier, &curX, &curY, &startX, &startY)
				path = addPathPoint(path, opNum(ops, 1), opNum(ops, 0), ptBezier, &curX, &curY, &startX, &startY)
				path = addPathPoint(path, opNum(ops, 1), opNum(ops, 0), ptBezier, &curX, &curY, &startX, &startY)
			case 'h':
				path = closePath(path, &curX, &curY, startX, startY)
			case 'S':
				path = p.paint(path, st, false, true, depth, &clip)
			case 's':
				path = closePath(path, &curX, &curY, startX, startY)
				path = p.paint(path, st, false, true, depth, &clip)
			case 'f', 'F':
				path = p.paint(path, st, true, false, depth, &clip)
			case 'B':
				path = p.paint(path, st, true, true, depth, &clip)
			case 'b':
				path = closePath(path, &curX, &curY, startX, startY)
				path = p.paint(path, st, true, true, depth, &clip)
			case 'n':
				path = p.paint(path, st, false, false, depth, &clip)
			case 'W':
				clip = true
			case 'g':
				st.fillCS, st.fillN = csGray, 1
				st.fill = fillColor{v: [4]fl{opNum(ops, 0)}}
			case 'k':
				if len(ops) == 4 {
					st.fillCS, st.fillN = csCMYK, 4
					st.fill = fillColor{v: [4]fl{opNum(ops, 3), opNum(ops, 2), opNum(ops, 1), opNum(ops, 0)}}
				}
			case 'd', 'i', 'j', 'G', 'K':
			case '\'':
				p.nextLine(st)
				if s := opStr(ops, 0); len(s) > 0 {
					p.show(st, ops[len(ops)-1:], depth, holder, markActual > 0)
				}
			case '"':
				st.ws, st.cs = opNum(ops, 2), opNum(ops, 1)
				p.nextLine(st)
				if s := opStr(ops, 0); len(s) > 0 {
					p.show(st, ops[len(ops)-1:], depth, holder, markActual > 0)
				}
			}
		case 2:
			switch string(op) {
			case "cm":
				m := nMat{opNum(ops, 5), opNum(ops, 4), opNum(ops, 3), opNum(ops, 2), opNum(ops, 1), opNum(ops, 0)}
				st.ctm = m.then(st.ctm)
			case "re":
				x, y, w, h := opNum(ops, 3), opNum(ops, 2), opNum(ops, 1), opNum(ops, 0)
				path = addPathPoint(path, x, y, ptMove, &curX, &curY, &startX, &startY)
				path = addPathPoint(path, x+w, y, ptLine, &curX, &curY, &startX, &startY)
				path = addPathPoint(path, x+w, y+h, ptLine, &curX, &curY, &startX, &startY)
				path = addPathPoint(path, x, y+h, ptLine, &curX, &curY, &startX, &startY)
				curX, curY = x, y
				if len(path) > 0 {
					path = append(path, pathPoint{x, y, ptLine, true})
				}
			case "f*":
				path = p.paint(path, st, true, false, depth, &clip)
			case "B*":
				path = p.paint(path, st, true, true, depth, &clip)
			case "b*":
				curX, curY = startX, startY
				if len(path) > 0 {
					path = append(path, pathPoint{startX, startY, ptLine, true})
				}
				path = p.paint(path, st, true, true, depth, &clip)
			case "W*":
				clip = true
			case "BT":
				st.tm = identity
				st.tx, st.ty, st.tlx, st.tly = 0, 0, 0, 0
			case "ET":
			case "Tc":
				st.cs = opNum(ops, 0)
			case "Tw":
				st.ws = opNum(ops, 0)
			case "Tz":
				if len(ops) == 1 {
					st.th = opNum(ops, 0) / 100
				}
			case "TL":
				st.leading = opNum(ops, 0)
			case "Ts":
				st.rise = opNum(ops, 0)
			case "Tr":
				if m := int(opNum(ops, 0)); m >= 0 && m <= 7 {
					st.mode = m
				}
			case "Tf":
				st.fontSize = opNum(ops, 0)
				p.setFont(st, res, opStr(ops, 1))
			case "Td":
				st.tlx += opNum(ops, 1)
				st.tly += opNum(ops, 0)
				st.tx, st.ty = st.tlx, st.tly
			case "TD":
				st.tlx += opNum(ops, 1)
				st.tly += opNum(ops, 0)
				st.tx, st.ty = st.tlx, st.tly
				st.leading = -opNum(ops, 0)
			case "Tm":
				st.tm = nMat{opNum(ops, 5), opNum(ops, 4), opNum(ops, 3), opNum(ops, 2), opNum(ops, 1), opNum(ops, 0)}
				st.tx, st.ty, st.tlx, st.tly = 0, 0, 0, 0
			case "T*":
				p.nextLine(st)
			case "Tj":
				if s := opStr(ops, 0); len(s) > 0 && ops[len(ops)-1].kind == tkStr {
					p.show(st, ops[len(ops)-1:], depth, holder, markActual > 0)
				}
			case "TJ":
				if len(ops) > 0 && ops[len(ops)-1].kind == tkArrOpen {
					a := ops[len(ops)-1]
					p.show(st, p.arr[a.from:a.to], depth, holder, markActual > 0)
				}
			case "rg":
				if len(ops) == 3 {
					st.fillCS, st.fillN = csRGB, 3
					st.fill = fillColor{v: [4]fl{opNum(ops, 2), opNum(ops, 1), opNum(ops, 0)}}
				}
			case "cs":
				p.setFillCS(st, res, opStr(ops, 0))
			case "sc":
				n := min(len(ops), 4)
				p.setFillValues(st, ops[len(ops)-n:])
			case "gs":
				p.extGState(st, res, opStr(ops, 0))
			case "Do":
				p.doXObject(st, res, opStr(ops, 0), depth, holder)
			case "BI":
				skipInlineImage(&lx)
			case "d0", "d1", "ri", "CS", "SC", "RG", "MP", "DP", "BX", "EX", "sh":
			}
		case 3:
			switch string(op) {
			case "scn":
				if len(ops) > 0 && ops[len(ops)-1].kind == tkName {
					st.fill = fillColor{unknown: true} // a pattern
				} else {
					p.setFillValues(st, ops)
				}
			case "BDC":
				actual := false
				if len(ops) > 0 {
					o := ops[len(ops)-1]
					if o.kind == tkDictOpen {
						actual = o.actual
					} else if o.kind == tkName {
						actual = p.propertiesActual(res, o.b)
					}
				}
				markStack = append(markStack, actual)
				if actual {
					markActual++
				}
			case "BMC":
				markStack = append(markStack, false)
			case "EMC":
				if n := len(markStack); n > 0 {
					if markStack[n-1] {
						markActual--
					}
					markStack = markStack[:n-1]
				}
			case "SCN":
			}
		}
		ops = ops[:0]
		p.arr = p.arr[:0]
		lx.sbuf = lx.sbuf[:0]
	}
	p.ops = ops
	return holder
}

// opNum is GetNumber(i): the i-th operand from the top, 0 when absent or
// not a number.
func opNum(ops []operand, i int) fl {
	if i >= len(ops) {
		return 0
	}
	if o := ops[len(ops)-1-i]; o.kind == tkNum {
		return o.num
	}
	return 0
}

// opStr is GetString(i): a name or string operand.
func opStr(ops []operand, i int) []byte {
	if i >= len(ops) {
		return nil
	}
	if o := ops[len(ops)-1-i]; o.kind == tkName || o.kind == tkStr {
		return o.b
	}
	return nil
}

// readArray reads an array's elements into p.arr (nested arrays and
// dictionaries are read past).
func (p *pageRun) readArray(lx *lexer) {
	for {
		kind, tok, num := lx.next()
		switch kind {
		case tkEOF, tkArrClose:
			return
		case tkNum:
			p.arr = append(p.arr, operand{kind: tkNum, num: num})
		case tkStr:
			p.arr = append(p.arr, operand{kind: tkStr, b: tok})
		case tkName:
			p.arr = append(p.arr, operand{kind: tkName, b: tok})
		case tkArrOpen:
			skipArray(lx)
			p.arr = append(p.arr, operand{kind: tkArrOpen})
		case tkDictOpen:
			skipDict(lx)
			p.arr = append(p.arr, operand{kind: tkDictOpen})
		case tkOp:
			p.arr = append(p.arr, operand{kind: tkOp})
		}
	}
}

func skipArray(lx *lexer) {
	for depth := 1; depth > 0; {
		kind, _, _ := lx.next()
		switch kind {
		case tkEOF:
			return
		case tkArrOpen:
			depth++
		case tkArrClose:
			depth--
		case tkDictOpen:
			skipDict(lx)
		}
	}
}

// skipDict reads past a dictionary, reporting whether it has /ActualText.
func skipDict(lx *lexer) bool {
	actual := false
	for depth := 1; depth > 0; {
		kind, tok, _ := lx.next()
		switch kind {
		case tkEOF:
			return actual
		case tkDictOpen:
			depth++
		case tkDictClose:
			depth--
		case tkName:
			if depth == 1 && string(tok) == "ActualText" {
				actual = true
			}
		}
	}
	return actual
}

// skipInlineImage reads past an inline image: its dictionary up to ID,
// then its data up to EI standing alone.
func skipInlineImage(lx *lexer) {
	for {
		kind, tok, _ := lx.next()
		if kind == tkEOF {
			return
		}
		if kind == tkOp && string(tok) == "ID" {
			break
		}
		if kind == tkArrOpen {
			skipArray(lx)
		} else if kind == tkDictOpen {
			skipDict(lx)
		}
	}
	b := lx.b
	i := lx.i + 1
	for i+1 < len(b) {
		if b[i] == 'E' && b[i+1] == 'I' && charClass[b[i-1]] == 1 && (i+2 >= len(b) || charClass[b[i+2]] != 0) {
			lx.i = i + 2
			return
		}
		i++
	}
	lx.i = len(b)
}

func (p *pageRun) nextLine(st *gState) {
	st.tly -= st.leading
	st.tx, st.ty = st.tlx, st.tly
}

// resource looks up name in the resources' category, then in the page's
// (PDFium's FindResourceHolder). Lookups are cached per document: a
// dictionary read through ledongthuc/pdf is parsed again on every access.
func (p *pageRun) resource(res pdf.Value, category string, name []byte) (pdf.Value, pdf.Value) {
	k := resKey{res: dictPtr(res), page: dictPtr(p.pageRes), category: category}
	cache := k.res != 0 && len(name) <= len(k.name)
	if cache {
		k.n = uint8(copy(k.name[:], name))
		if e, ok := p.d.res[k]; ok {
			return e.holder, e.v
		}
	}
	holder := p.d.key(res, category)
	if holder.Kind() != pdf.Dict && !p.pageRes.IsNull() {
		holder = p.d.key(p.pageRes, category)
	}
	var v pdf.Value
	if holder.Kind() == pdf.Dict {
		v = p.d.key(holder, string(name))
	} else {
		holder = pdf.Value{}
	}
	if cache {
		// res and pageRes are kept so that their addresses, the key, stay theirs
		p.d.res[k] = resEntry{holder, v, res, p.pageRes}
	}
	return holder, v
}

type resKey struct {
	res, page uintptr
	category  string
	n         uint8
	name      [31]byte
}

type resEntry struct{ holder, v, res, page pdf.Value }

// dictPtr identifies a parsed dictionary or stream value (0 for none): the
// data word of pdf.Value's data interface, the map or the boxed stream.
func dictPtr(v pdf.Value) uintptr {
	e := (*[2]unsafe.Pointer)(unsafe.Add(unsafe.Pointer(&v), valueDataOffset))
	if e[0] == nil {
		return 0
	}
	return uintptr(e[1])
}

// valueDataOffset is the offset of pdf.Value's data field, an interface.
var valueDataOffset = func() uintptr {
	f := reflect.TypeOf(pdf.Value{}).Field(valueDataField)
	if f.Type.Kind() != reflect.Interface {
		panic("github.com/ledongthuc/pdf: pdf.Value's data field is no longer an interface")
	}
	return f.Offset
}()

func (p *pageRun) setFont(st *gState, res pdf.Value, name []byte) {
	holder, fv := p.resource(res, "Font", name)
	if fv.Kind() != pdf.Dict {
		p.err = unsupportedf("font /%s not found (PDFium would use Helvetica)", name)
		return
	}
	key := keyOf(holder, fv, string(name))
	f, ok := p.d.fonts[key]
	if !ok {
		f = p.d.loadFont(fv)
		p.d.fonts[key] = f
	}
	st.font = f
}

func (p *pageRun) propertiesActual(res pdf.Value, name []byte) bool {
	_, v := p.resource(res, "Properties", name)
	return v.Kind() == pdf.Dict && !v.Key("ActualText").IsNull()
}

func (p *pageRun) extGState(st *gState, res pdf.Value, name []byte) {
	_, gs := p.resource(res, "ExtGState", name)
	if gs.Kind() != pdf.Dict {
		return
	}
	k := dictPtr(gs)
	e, ok := p.d.gstates[k]
	if !ok {
		e = readGState(gs)
		p.d.gstates[k] = e
	}
	if e.font {
		p.err = unsupportedf("a font set by an ExtGState")
	}
	if e.has&gsLW != 0 {
		st.lineWidth = e.lw
	}
	if e.has&gsCA != 0 {
		st.fillAlpha = e.ca
	}
	if e.has&gsML != 0 {
		st.miter = e.ml
	}
	if e.has&gsLC != 0 {
		st.lineCap = e.lc
	}
}

// nGState is what the reader takes from an ExtGState dictionary.
type nGState struct {
	has        uint8
	font       bool
	lw, ca, ml fl
	lc         int
	keep       pdf.Value // the dictionary, whose address is the cache key
}

const (
	gsLW = 1 << iota
	gsCA
	gsML
	gsLC
)

func readGState(gs pdf.Value) nGState {
	e := nGState{keep: gs}
	if v := gs.Key("LW"); v.Kind() == pdf.Integer || v.Kind() == pdf.Real {
		e.has |= gsLW
		e.lw = fl(float32(v.Float64()))
	}
	if v := gs.Key("ca"); v.Kind() == pdf.Integer || v.Kind() == pdf.Real {
		e.has |= gsCA
		e.ca = fl(float32(v.Float64()))
	}
	if v := gs.Key("ML"); v.Kind() == pdf.Integer || v.Kind() == pdf.Real {
		e.has |= gsML
		e.ml = fl(v.Float64())
	}
	if v := gs.Key("LC"); v.Kind() == pdf.Integer {
		e.has |= gsLC
		e.lc = int(v.Int64())
	}
	e.font = gs.Key("Font").Kind() == pdf.Array
	return e
}

// setFillCS is the cs operator: the fill colour space, its colour reset to
// the initial colour (black, or index 0).
func (p *pageRun) setFillCS(st *gState, res pdf.Value, name []byte) {
	switch string(name) {
	case "DeviceGray", "G":
		st.fillCS, st.fillN, st.fill = csGray, 1, fillColor{}
		return
	case "DeviceRGB", "RGB":
		st.fillCS, st.fillN, st.fill = csRGB, 3, fillColor{}
		return
	case "DeviceCMYK", "CMYK":
		st.fillCS, st.fillN, st.fill = csCMYK, 4, fillColor{v: [4]fl{0, 0, 0, 1}}
		return
	case "Pattern":
		st.fillCS, st.fillN, st.fill = csPattern, 0, fillColor{unknown: true}
		return
	}
	_, cs := p.resource(res, "ColorSpace", name)
	kind, n, base, lookup := colorSpace(p.d, cs, 0)
	st.fillCS, st.fillN, st.fillIndexedBase, st.fillIndexedLookup = kind, n, base, lookup
	st.fill = fillColor{}
	switch kind {
	case csCMYK:
		st.fill.v = [4]fl{0, 0, 0, 1}
	case csPattern, csOther:
		st.fill.unknown = true
	}
}

// colorSpace classifies a colour space object.
func colorSpace(d *nDoc, cs pdf.Value, depth int) (csKind, int, csKind, []byte) {
	if depth > 4 {
		return csOther, 0, 0, nil
	}
	name := cs.Name()
	if cs.Kind() == pdf.Array {
		name = cs.Index(0).Name()
	}
	switch name {
	case "DeviceGray", "G", "CalGray":
		return csGray, 1, 0, nil
	case "DeviceRGB", "RGB", "CalRGB":
		return csRGB, 3, 0, nil
	case "DeviceCMYK", "CMYK":
		return csCMYK, 4, 0, nil
	case "Pattern":
		return csPattern, 0, 0, nil
	case "ICCBased":
		switch dictInt(cs.Index(1).Key("N"), 0) {
		case 1:
			return csGray, 1, 0, nil
		case 3:
			return csRGB, 3, 0, nil
		case 4:
			return csCMYK, 4, 0, nil
		}
	case "Indexed", "I":
		base, _, _, _ := colorSpace(d, cs.Index(1), depth+1)
		var lookup []byte
		switch l := cs.Index(3); l.Kind() {
		case pdf.String:
			lookup = []byte(l.RawString())
		case pdf.Stream:
			lookup, _ = d.readStream(l)
		}
		if base == csGray || base == csRGB || base == csCMYK {
			return csIndexed, 1, base, lookup
		}
	}
	return csOther, 1, 0, nil
}

// setFillValues is sc/scn with numbers.
func (p *pageRun) setFillValues(st *gState, ops []operand) {
	var v [4]fl
	n := 0
	for _, o := range ops {
		if o.kind == tkNum && n < 4 {
			v[n] = o.num
			n++
		}
	}
	switch st.fillCS {
	case csGray, csRGB, csCMYK:
		st.fill = fillColor{v: v}
	case csIndexed:
		idx := int(v[0])
		st.fill = fillColor{}
		comps := map[csKind]int{csGray: 1, csRGB: 3, csCMYK: 4}[st.fillIndexedBase]
		if idx < 0 || (idx+1)*comps > len(st.fillIndexedLookup) {
			return
		}
		for k := 0; k < comps; k++ {
			st.fill.v[k] = fl(st.fillIndexedLookup[idx*comps+k]) / 255
		}
	default:
		st.fill = fillColor{unknown: true}
	}
}

// white reports whether a fill colour is white as readPdfiumPage tests it
// (every channel above 230 of 255).
func (st *gState) fillWhite() (white, known bool) {
	f := st.fill
	if f.unknown {
		return false, false
	}
	ch := func(v fl) fl { return fmax(0, fmin(1, v)) * 255 }
	cs := st.fillCS
	if cs == csIndexed {
		cs = st.fillIndexedBase
	}
	switch cs {
	case csGray:
		return ch(f.v[0]) > 230, true
	case csRGB:
		return ch(f.v[0]) > 230 && ch(f.v[1]) > 230 && ch(f.v[2]) > 230, true
	case csCMYK:
		k := 1 - fmin(1, f.v[3])
		return ch((1-f.v[0])*k) > 230 && ch((1-f.v[1])*k) > 230 && ch((1-f.v[2])*k) > 230, true
	}
	return false, false
}

// doXObject runs a form XObject (images are skipped).
func (p *pageRun) doXObject(st *gState, res pdf.Value, name []byte, depth int, holder int32) {
	hd, xo := p.resource(res, "XObject", name)
	if xo.Kind() != pdf.Stream || xo.Key("Subtype").Name() != "Form" {
		return
	}
	key := keyOf(hd, xo, string(name))
	for _, k := range p.forms {
		if k == key {
			return // a form drawing itself
		}
	}
	if depth >= 16 {
		return
	}
	form, ok := p.d.forms[key]
	if !ok {
		b, err := p.d.readStream(xo)
		if err != nil {
			p.err = unsupportedf("form XObject stream not readable: %v", err)
			return
		}
		form = &nForm{content: b, resources: xo.Key("Resources")}
		if m := xo.Key("Matrix"); m.Kind() == pdf.Array && m.Len() == 6 {
			form.matrix = nMat{fl(m.Index(0).Float64()), fl(m.Index(1).Float64()), fl(m.Index(2).Float64()), fl(m.Index(3).Float64()), fl(m.Index(4).Float64()), fl(m.Index(5).Float64())}
		} else {
			form.matrix = identity
		}
		p.d.forms[key] = form
	}
	fres := form.resources
	if fres.Kind() != pdf.Dict {
		fres = p.pageRes
	}
	// The form starts from the graphics, colour and text state of its
	// caller, with its own matrix and a fresh text matrix (PDFium's
	// AddForm).
	fs := defaultState(form.matrix)
	fs.lineWidth, fs.lineCap, fs.miter = st.lineWidth, st.lineCap, st.miter
	fs.fill, fs.fillAlpha, fs.fillCS, fs.fillN = st.fill, st.fillAlpha, st.fillCS, st.fillN
	fs.fillIndexedBase, fs.fillIndexedLookup = st.fillIndexedBase, st.fillIndexedLookup
	fs.font, fs.fontSize, fs.cs, fs.ws, fs.mode = st.font, st.fontSize, st.cs, st.ws, st.mode
	p.forms = append(p.forms, key)
	saved := p.ops
	p.ops = nil
	savedArr := p.arr
	p.arr = nil
	savedChain := p.curChain
	p.chains = append(p.chains, formLink{m: st.ctm, parent: savedChain})
	p.curChain = int32(len(p.chains))
	h := p.runWith(form.content, fres, &fs, depth+1, st.ctm.then(p.holderMat[holder]))
	p.curChain = savedChain
	p.ops, p.arr = saved, savedArr
	p.forms = p.forms[:len(p.forms)-1]
	p.holders[holder] = append(p.holders[holder], holderEntry{text: -1, form: h})
}

type nForm struct {
	content   []byte
	resources pdf.Value
	matrix    nMat
}

// Paths.

type ptType uint8

const (
	ptMove ptType = iota
	ptLine
	ptBezier
)

type pathPoint struct {
	x, y  fl
	typ   ptType
	close bool
}

// addPathPoint is CPDF_StreamContentParser::AddPathPoint.
func addPathPoint(path []pathPoint, x, y fl, typ ptType, curX, curY, startX, startY *fl) []pathPoint {
	if typ == ptMove && len(path) > 0 && !path[len(path)-1].close && path[len(path)-1].typ == ptMove && *curX == x && *curY == y {
		return path
	}
	*curX, *curY = x, y
	if typ == ptMove {
		*startX, *startY = x, y
		if len(path) > 0 && path[len(path)-1].typ == ptMove && !path[len(path)-1].close {
			path[len(path)-1].x, path[len(path)-1].y = x, y
			return path
		}
	} else if len(path) == 0 {
		return path
	}
	return append(path, pathPoint{x, y, typ, false})
}

// closePath is Handle_ClosePath.
func closePath(path []pathPoint, curX, curY *fl, startX, startY fl) []pathPoint {
	if len(path) == 0 {
		return path
	}
	if startX != *curX || startY != *curY {
		*curX, *curY = startX, startY
		return append(path, pathPoint{startX, startY, ptLine, true})
	}
	path[len(path)-1].close = true
	return path
}

// paint is AddPathObject: a path object when the path is filled or
// stroked, recorded with its bounds at the page's top level only (PDFium's
// page object list does not descend into forms).
func (p *pageRun) paint(path []pathPoint, st *gState, fill, stroke bool, depth int, clip *bool) []pathPoint {
	*clip = false
	if len(path) == 0 {
		return path[:0]
	}
	if len(path) == 1 {
		pt := path[0]
		if pt.typ != ptMove || !pt.close || st.lineCap != 1 {
			return path[:0]
		}
		path[0].close = false
		path = append(path, pathPoint{pt.x, pt.y, ptLine, true})
	}
	pts := path
	if last := pts[len(pts)-1]; last.typ == ptMove && !last.close {
		pts = pts[:len(pts)-1]
	}
	if (fill || stroke) && depth <= formRuleDepth && len(pts) > 0 {
		var r fRect
		if stroke && st.lineWidth != 0 {
			r = strokeBounds(pts, st.lineWidth)
		} else {
			r = fRect{pts[0].x, pts[0].y, pts[0].x, pts[0].y}
			for _, q := range pts[1:] {
				r.x0, r.x1 = min(r.x0, q.x), max(r.x1, q.x)
				r.y0, r.y1 = min(r.y0, q.y), max(r.y1, q.y)
			}
		}
		r = st.ctm.rect(r)
		if stroke && st.lineWidth == 0 {
			r = fRect{r.x0 - 0.5, r.y0 - 0.5, r.x1 + 0.5, r.y1 + 0.5}
		}
		o := pathObj{x0: r.x0, y0: r.y0, x1: r.x1, y1: r.y1, stroke: stroke, fill: fill,
			alpha: ffloor(st.fillAlpha*255 + 0.5), chain: p.curChain}
		if fill && !stroke {
			white, known := st.fillWhite()
			o.white, o.unknown = white, !known
		}
		p.paths = append(p.paths, o)
	}
	return path[:0]
}

// strokeBounds is CFX_Path::GetBoundingBoxForStrokePath (which widens by
// the whole line width on each side).
func strokeBounds(pts []pathPoint, lw fl) fRect {
	r := fRect{100000, 100000, -100000, -100000}
	upd := func(x, y fl) {
		r.x0, r.x1 = min(r.x0, x), max(r.x1, x)
		r.y0, r.y1 = min(r.y0, y), max(r.y1, y)
	}
	hw := lw
	var iStart, iEnd, iMid int
	join := false
	for i := 0; i < len(pts); i++ {
		if pts[i].typ == ptMove {
			if i+1 == len(pts) {
				if pts[i].close {
					upd(pts[i].x, pts[i].y)
				}
				break
			}
			iStart, iEnd, join = i+1, i, false
		} else {
			if pts[i].typ == ptBezier && !pts[i].close {
				if i+2 >= len(pts) {
					break
				}
				upd(pts[i].x, pts[i].y)
				upd(pts[i+1].x, pts[i+1].y)
				i += 2
			}
			if i+1 == len(pts) || pts[i+1].typ == ptMove {
				iStart, iEnd, join = i-1, i, false
			} else {
				iStart, iMid, iEnd, join = i-1, i, i+1, true
			}
		}
		if join {
			lineJoinPoints(upd, pts[iStart], pts[iMid], pts[iEnd], hw)
		} else {
			lineEndPoints(upd, pts[iStart].x, pts[iStart].y, pts[iEnd].x, pts[iEnd].y, hw)
		}
	}
	return r
}

func lineEndPoints(upd func(x, y fl), sx, sy, ex, ey, hw fl) {
	if sx == ex {
		if sy == ey {
			upd(ex+hw, ey+hw)
			upd(ex-hw, ey-hw)
			return
		}
		py := ey + hw
		if ey < sy {
			py = ey - hw
		}
		upd(ex+hw, py)
		upd(ex-hw, py)
		return
	}
	if sy == ey {
		px := ex + hw
		if ex < sx {
			px = ex - hw
		}
		upd(px, ey+hw)
		upd(px, ey-hw)
		return
	}
	dx, dy := ex-sx, ey-sy
	ll := fhypot(dx, dy)
	mx, my := ex+hw*dx/ll, ey+hw*dy/ll
	dx1, dy1 := hw*dy/ll, hw*dx/ll
	upd(mx-dx1, my+dy1)
	upd(mx+dx1, my-dy1)
}

func lineJoinPoints(upd func(x, y fl), s, m, e pathPoint, hw fl) {
	const oneTwentieth = 1.0 / 20
	startVert := fabs(s.x-m.x) < oneTwentieth
	endVert := fabs(m.x-e.x) < oneTwentieth
	if startVert && endVert {
		dir := fl(-1)
		if m.y > s.y {
			dir = 1
		}
		py := m.y + hw*dir
		upd(m.x+hw, py)
		upd(m.x-hw, py)
		return
	}
	var sk, sc, ek, ec, sdc, edc fl
	if !startVert {
		sk = (m.y - s.y) / (m.x - s.x)
		sc = m.y - sk*m.x
		sdc = fabs(hw * fhypot(s.x-m.x, s.y-m.y) / (s.x - m.x))
	}
	if !endVert {
		ek = (e.y - m.y) / (e.x - m.x)
		ec = m.y - ek*m.x
		edc = fabs(hw * fhypot(e.x-m.x, e.y-m.y) / (e.x - m.x))
	}
	if startVert {
		ox := s.x - hw
		if e.x < s.x {
			ox = s.x + hw
		}
		oy := ek*ox + ec - edc
		if s.y < ek*s.x+ec {
			oy = ek*ox + ec + edc
		}
		upd(ox, oy)
		return
	}
	if endVert {
		ox := e.x - hw
		if s.x < e.x {
			ox = e.x + hw
		}
		oy := sk*ox + sc - sdc
		if e.y < sk*e.x+sc {
			oy = sk*ox + sc + sdc
		}
		upd(ox, oy)
		return
	}
	if fabs(sk-ek) < oneTwentieth {
		sdir, edir := -1, -1
		if m.x > s.x {
			sdir = 1
		}
		if e.x > m.x {
			edir = 1
		}
		if sdir == edir {
			lineEndPoints(upd, m.x, m.y, e.x, e.y, hw)
		} else {
			lineEndPoints(upd, s.x, s.y, m.x, m.y, hw)
		}
		return
	}
	soc := sc - sdc
	if e.y < sk*e.x+sc {
		soc = sc + sdc
	}
	eoc := ec - edc
	if s.y < ek*s.x+ec {
		eoc = ec + edc
	}
	jx := (eoc - soc) / (sk - ek)
	jy := sk*jx + soc
	upd(jx, jy)
}
