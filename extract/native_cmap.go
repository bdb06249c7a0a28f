package extract

import (
	"bytes"
	"unicode/utf16"
)

// CMaps: the ToUnicode map of a font, and the encoding CMap of a Type0
// font (how its strings split into codes and which CID each code selects).
// Both are read the way PDFium reads them (CPDF_ToUnicodeMap, CPDF_CMap).

// cmapWord is PDFium's CPDF_SimpleParser::GetWord: the next word of a
// CMap — a name, a hex string with its brackets, a literal string, << or
// >>, a single delimiter, or a run of regular characters; nil at the end.
func cmapWord(b []byte, p *int) []byte {
	i := *p
	for {
		for i < len(b) && isPDFSpace(b[i]) {
			i++
		}
		if i >= len(b) {
			*p = i
			return nil
		}
		if b[i] != '%' {
			break
		}
		for i < len(b) && b[i] != '\r' && b[i] != '\n' {
			i++
		}
	}
	start := i
	switch c := b[i]; {
	case c == '/':
		i++
		for i < len(b) && !isPDFSpace(b[i]) && !isPDFDelim(b[i]) {
			i++
		}
	case c == '<':
		i++
		if i < len(b) && b[i] == '<' {
			i++
		} else {
			for i < len(b) && b[i] != '>' {
				i++
			}
			if i < len(b) {
				i++
			}
		}
	case c == '>':
		i++
		if i < len(b) && b[i] == '>' {
			i++
		}
	case c == '(':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '\\':
				i++
			case '(':
				depth++
			case ')':
				depth--
			}
			i++
			if depth == 0 {
				break
			}
		}
	case isPDFDelim(c):
		i++
	default:
		for i < len(b) && !isPDFSpace(b[i]) && !isPDFDelim(b[i]) {
			i++
		}
	}
	if i > len(b) {
		i = len(b)
	}
	*p = i
	return b[start:i]
}

func isPDFSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isPDFDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

func hexDigit(c byte) (int, bool) {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0'), true
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10, true
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10, true
	}
	return 0, false
}

// cmapCode is StringToCode: <hex> as a number of up to 32 bits.
func cmapCode(w []byte) (uint32, bool) {
	if len(w) <= 2 || w[0] != '<' || w[len(w)-1] != '>' {
		return 0, false
	}
	var code uint64
	for _, c := range w[1 : len(w)-1] {
		d, ok := hexDigit(c)
		if !ok {
			return 0, false
		}
		code = code*16 + uint64(d)
		if code > 0xFFFFFFFF {
			return 0, false
		}
	}
	return uint32(code), true
}

// cmapUnits is StringToWideString: <hex> as UTF-16 code units, each kept
// on its own (PDFium does not join surrogate pairs here).
func cmapUnits(w []byte) []uint16 {
	if len(w) <= 2 || w[0] != '<' || w[len(w)-1] != '>' {
		return nil
	}
	var out []uint16
	n, ch := 0, 0
	for _, c := range w[1 : len(w)-1] {
		d, ok := hexDigit(c)
		if !ok {
			break
		}
		ch = ch*16 + d
		n++
		if n == 4 {
			out = append(out, uint16(ch))
			n, ch = 0, 0
		}
	}
	return out
}

// toUnicodeMap is a font's ToUnicode CMap. A code defined more than once
// keeps the smallest value, as PDFium's multimap lookup does; a value of
// several units is kept as a string.
type toUnicodeMap struct {
	single map[uint32]uint32 // code → smallest single unit, or multiIndex<<16|0xFFFF
	multi  [][]uint16
	base   string // a predefined UCS2 map it names (Adobe-GB1-UCS2 …): not supported
}

func parseToUnicode(b []byte) *toUnicodeMap {
	m := &toUnicodeMap{single: map[uint32]uint32{}}
	set := func(code uint32, units []uint16) {
		switch len(units) {
		case 0:
			return
		case 1:
			m.insert(code, uint32(units[0]))
		default:
			m.insert(code, uint32(len(m.multi))<<16|0xFFFF)
			m.multi = append(m.multi, units)
		}
	}
	p := 0
	for {
		w := cmapWord(b, &p)
		if w == nil {
			break
		}
		switch string(w) {
		case "beginbfchar":
			for {
				w := cmapWord(b, &p)
				if w == nil || string(w) == "endbfchar" {
					break
				}
				code, ok := cmapCode(w)
				if !ok {
					break
				}
				set(code, cmapUnits(cmapWord(b, &p)))
			}
		case "beginbfrange":
		ranges:
			for {
				w := cmapWord(b, &p)
				if w == nil || string(w) == "endbfrange" {
					break
				}
				lo, ok := cmapCode(w)
				if !ok {
					break
				}
				hi0, ok := cmapCode(cmapWord(b, &p))
				if !ok {
					break
				}
				hi := lo&0xFFFFFF00 | hi0&0xFF
				start := cmapWord(b, &p)
				if string(start) == "[" {
					for code := uint64(lo); code <= uint64(hi); code++ {
						set(uint32(code), cmapUnits(cmapWord(b, &p)))
					}
					cmapWord(b, &p) // ]
					continue
				}
				dest := cmapUnits(start)
				if len(dest) == 1 {
					v, ok := cmapCode(start)
					if !ok {
						break ranges
					}
					for code := uint64(lo); code <= uint64(hi); code++ {
						m.insert(uint32(code), v)
						v++
					}
					continue
				}
				for code := uint64(lo); code <= uint64(hi); code++ {
					d := append([]uint16(nil), dest...)
					if len(d) > 0 {
						d[len(d)-1] += uint16(code - uint64(lo))
					}
					set(uint32(code), d)
				}
			}
		case "/Adobe-Korea1-UCS2", "/Adobe-Japan1-UCS2", "/Adobe-CNS1-UCS2", "/Adobe-GB1-UCS2":
			m.base = string(w[1:])
		}
	}
	return m
}

func (m *toUnicodeMap) insert(code, v uint32) {
	if old, ok := m.single[code]; ok && old <= v {
		return
	}
	m.single[code] = v
}

// lookup returns the Unicode text of a code, "" when the map has none.
func (m *toUnicodeMap) lookup(code uint32, buf []rune) []rune {
	v, ok := m.single[code]
	if !ok {
		return buf
	}
	if u := v & 0xFFFF; u != 0xFFFF {
		return append(buf, unitRune(uint16(u)))
	}
	idx := int(v >> 16)
	if idx < len(m.multi) {
		for _, u := range m.multi[idx] {
			buf = append(buf, unitRune(u))
		}
	}
	return buf
}

// unitRune turns one UTF-16 unit into the rune PDFium's wchar_t carries:
// itself, a lone surrogate becoming the replacement character in Go.
func unitRune(u uint16) rune {
	if utf16.IsSurrogate(rune(u)) {
		return 0xFFFD
	}
	return rune(u)
}

// cidCMap is a Type0 font's encoding CMap: its codespace ranges decide how
// many bytes each code takes, and it maps codes to CIDs.
type cidCMap struct {
	name     string
	vertical bool
	coding   int // cidCodingCID, cidCodingUCS2, cidCodingUTF16
	identity bool
	spaces   []codeSpace
	ranges   []cidRange // code ranges mapped to CIDs (embedded CMaps)
}

type codeSpace struct {
	n      int // bytes
	lo, hi [4]byte
}

type cidRange struct {
	lo, hi, cid uint32
}

const (
	cidCodingCID = iota
	cidCodingUCS2
	cidCodingUTF16
)

// predefinedCMap returns the predefined CMaps the native reader supports:
// Identity-H/V, and the Unicode (UCS-2) CMaps whose codes are Unicode
// values. Others need PDFium's CMap tables.
func predefinedCMap(name string) *cidCMap {
	switch name {
	case "Identity-H", "Identity-V":
		return &cidCMap{name: name, vertical: name == "Identity-V", identity: true,
			spaces: []codeSpace{{n: 2, lo: [4]byte{0, 0}, hi: [4]byte{0xFF, 0xFF}}}}
	case "UniGB-UCS2-H", "UniGB-UCS2-V", "UniCNS-UCS2-H", "UniCNS-UCS2-V", "UniJIS-UCS2-H", "UniJIS-UCS2-V", "UniKS-UCS2-H", "UniKS-UCS2-V":
		return &cidCMap{name: name, vertical: name[len(name)-1] == 'V', coding: cidCodingUCS2,
			spaces: []codeSpace{{n: 2, lo: [4]byte{0, 0}, hi: [4]byte{0xFF, 0xFF}}}}
	}
	return nil
}

// parseEmbeddedCMap reads an embedded encoding CMap: codespace ranges,
// cidrange and cidchar. usecmap of anything but an Identity CMap is not
// supported (ok false).
func parseEmbeddedCMap(b []byte) (*cidCMap, bool) {
	m := &cidCMap{name: "embedded"}
	p := 0
	var last []byte
	for {
		w := cmapWord(b, &p)
		if w == nil {
			break
		}
		switch string(w) {
		case "begincodespacerange":
			for {
				a := cmapWord(b, &p)
				if a == nil || string(a) == "endcodespacerange" {
					break
				}
				z := cmapWord(b, &p)
				lo, hi := hexBytes(a), hexBytes(z)
				if len(lo) == 0 || len(lo) > 4 || len(lo) != len(hi) {
					continue
				}
				var s codeSpace
				s.n = len(lo)
				copy(s.lo[:], lo)
				copy(s.hi[:], hi)
				m.spaces = append(m.spaces, s)
			}
		case "begincidrange":
			for {
				a := cmapWord(b, &p)
				if a == nil || string(a) == "endcidrange" {
					break
				}
				z := cmapWord(b, &p)
				c := cmapWord(b, &p)
				lo, ok1 := cmapCode(a)
				hi, ok2 := cmapCode(z)
				cid, ok3 := atoiWord(c)
				if ok1 && ok2 && ok3 {
					m.ranges = append(m.ranges, cidRange{lo, hi, uint32(cid)})
				}
			}
		case "begincidchar":
			for {
				a := cmapWord(b, &p)
				if a == nil || string(a) == "endcidchar" {
					break
				}
				c := cmapWord(b, &p)
				code, ok1 := cmapCode(a)
				cid, ok2 := atoiWord(c)
				if ok1 && ok2 {
					m.ranges = append(m.ranges, cidRange{code, code, uint32(cid)})
				}
			}
		case "usecmap":
			name := string(bytes.TrimPrefix(last, []byte("/")))
			pre := predefinedCMap(name)
			if pre == nil || !pre.identity {
				return nil, false
			}
			m.spaces = append(m.spaces, pre.spaces...)
			m.ranges = append(m.ranges, cidRange{0, 0xFFFF, 0})
		case "/WMode":
			if v := cmapWord(b, &p); string(v) == "1" {
				m.vertical = true
			}
		}
		last = w
	}
	if len(m.spaces) == 0 {
		return nil, false
	}
	return m, true
}

func hexBytes(w []byte) []byte {
	if len(w) < 2 || w[0] != '<' || w[len(w)-1] != '>' {
		return nil
	}
	var out []byte
	n, ch := 0, 0
	for _, c := range w[1 : len(w)-1] {
		d, ok := hexDigit(c)
		if !ok {
			continue
		}
		ch = ch*16 + d
		n++
		if n == 2 {
			out = append(out, byte(ch))
			n, ch = 0, 0
		}
	}
	return out
}

func atoiWord(w []byte) (int, bool) {
	if len(w) == 0 {
		return 0, false
	}
	v := 0
	for _, c := range w {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

// scheme is how a CMap splits strings into codes (CPDF_CMap's coding
// schemes): 1 one byte, 2 two bytes, 4 by codespace ranges.
func (m *cidCMap) scheme() int {
	if m.identity || m.coding != cidCodingCID && m.name != "embedded" {
		return 2
	}
	one, two := true, true
	for _, sp := range m.spaces {
		one = one && sp.n == 1
		two = two && sp.n == 2
	}
	switch {
	case one:
		return 1
	case two:
		return 2
	}
	return 4
}

// nextCode splits the next code off s (non-empty): its value and byte
// length, as CPDF_CMap::GetNextChar does — a trailing odd byte of a
// two-byte CMap is the high byte of a code; bytes that start no code of
// any codespace range give code 0.
func (m *cidCMap) nextCode(s []byte) (uint32, int) {
	switch m.scheme() {
	case 1:
		return uint32(s[0]), 1
	case 2:
		if len(s) < 2 {
			return uint32(s[0]) << 8, 1
		}
		return uint32(s[0])<<8 | uint32(s[1]), 2
	}
	for size := 1; ; size++ {
		full, partial := false, false
		for i := len(m.spaces) - 1; i >= 0; i-- {
			sp := m.spaces[i]
			if sp.n < size {
				continue
			}
			in := true
			for k := 0; k < size; k++ {
				if s[k] < sp.lo[k] || s[k] > sp.hi[k] {
					in = false
					break
				}
			}
			if in {
				if sp.n == size {
					full = true
				} else {
					partial = true
				}
				break
			}
		}
		switch {
		case full:
			var v uint32
			for k := 0; k < size; k++ {
				v = v<<8 | uint32(s[k])
			}
			return v, size
		case !partial, size == 4, size == len(s):
			return 0, size
		}
	}
}

// cid maps a code to its CID.
func (m *cidCMap) cid(code uint32) uint32 {
	if m.identity {
		return code & 0xFFFF
	}
	for i := len(m.ranges) - 1; i >= 0; i-- {
		r := m.ranges[i]
		if code >= r.lo && code <= r.hi {
			return r.cid + code - r.lo
		}
	}
	return 0
}

// charSize is how many bytes the code takes (for word spacing: Tw applies
// to the single-byte code 32 only), as CPDF_CMap::GetCharSize says.
func (m *cidCMap) charSize(code uint32) int {
	switch m.scheme() {
	case 1:
		return 1
	case 2:
		return 2
	}
	switch {
	case code < 0x100:
		return 1
	case code < 0x10000:
		return 2
	case code < 0x1000000:
		return 3
	}
	return 4
}
