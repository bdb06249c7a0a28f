package extract

import (
	"fmt"
	"math"
	"reflect"
	"strings"

	"github.com/ledongthuc/pdf"
)

// Fonts of the native reader. For each code a font gives what PDFium's
// text page reports: its advance (CPDF_Font::GetCharWidthF, thousandths of
// the text size), its glyph box (CPDF_Font::GetCharBBox: the glyph's
// outline box in the embedded font program) and its Unicode text
// (ToUnicode, else the encoding's glyph names, else — as PDFium does — the
// code itself). A font whose glyphs or codes cannot be read as PDFium
// reads them carries the reason in unsupported; a document using it is
// left to PDFium.

type fontKind uint8

const (
	fkType1 fontKind = iota
	fkTrueType
	fkType3
	fkType0
)

// Encodings, as PDFium numbers them (FontEncoding).
const (
	encBuiltin = iota
	encWinAnsi
	encMacRoman
	encMacExpert
	encStandard
	encAdobeSymbol
	encZapf
	encPDFDoc
	encMSSymbol
)

const (
	flagFixedPitch = 1
	flagSymbolic   = 4
	flagNonsymbol  = 32
	flagAllCap     = 1 << 16
)

type nFont struct {
	kind        fontKind
	name        string
	flags       int
	embedded    bool
	unsupported string
	toUni       *toUnicodeMap
	// uniMissNote: a code had no Unicode value; PDFium shows the code.
	rawCodes bool

	// simple fonts
	widths       [256]int32 // -1: not set (0xffff)
	useFontWidth bool
	glyph        [256]int32 // -1: none (0xffff)
	enc          [256]rune  // the encoding's Unicode values (m_Encoding)
	bboxDone     [256]bool
	bbox         [256]fxRect
	baseEnc      int
	charNames    []string

	// Type0
	cmap     *cidCMap
	cidW     []cidWidth
	dw       int32
	cidToGID []byte
	cidType0 bool
	charset  string            // CIDSystemInfo Ordering, when PDFium knows it
	cidBoxes map[uint32]fxRect // (codes not cached in cid)
	cid      cidCache

	// Type3
	t3 *type3Font

	tt        *sfntFont  // a TrueType (or OpenType) font program
	t1        *type1Font // a Type 1 font program
	glyphName [256]string

	space              uint32
	spaceOK, spaceDone bool

	subst    *substFont // measured substitute of a font that is not embedded
	substSig string
}

type cidWidth struct {
	lo, hi uint32
	w      int32
}

// dictInt is a PDF number as PDFium's GetIntegerFor reads it: a real
// truncated toward zero, def when absent or not a number.
func dictInt(v pdf.Value, def int) int {
	switch v.Kind() {
	case pdf.Integer:
		return int(v.Int64())
	case pdf.Real:
		f := v.Float64()
		if f > math.MaxInt32 || f < math.MinInt32 {
			return def
		}
		return int(f)
	}
	return def
}

func valueInt(v pdf.Value) int { return dictInt(v, 0) }

// readStream returns a stream's decoded data: Flate streams of an
// unencrypted file inflated straight from the file's bytes, others through
// ledongthuc/pdf's readers.
func (d *nDoc) readStream(v pdf.Value) ([]byte, error) {
	if b, ok := d.fastStream(v); ok {
		return b, nil
	}
	return readStreamSlow(v)
}

// fastStream inflates a stream whose only filter is FlateDecode without
// predictor, reading its bytes from the file.
func (d *nDoc) fastStream(v pdf.Value) ([]byte, bool) {
	raw, hint, ok := d.rawFlate(v)
	if !ok {
		return nil, false
	}
	out, err := inflate(raw, hint)
	if err != nil {
		return nil, false
	}
	return out, true
}

// appendStream appends a stream's decoded data to dst.
func (d *nDoc) appendStream(dst []byte, v pdf.Value) ([]byte, error) {
	if raw, _, ok := d.rawFlate(v); ok {
		if out, err := inflateAppend(dst, raw); err == nil {
			return out, nil
		}
	}
	b, err := readStreamSlow(v)
	return append(dst, b...), err
}

// rawFlate returns the bytes of a stream whose only filter is FlateDecode
// without predictor, in an unencrypted file, and its Length1 (the decoded
// length of a font program).
func (d *nDoc) rawFlate(v pdf.Value) ([]byte, int, bool) {
	if d.encrypted || v.Kind() != pdf.Stream {
		return nil, 0, false
	}
	switch f := v.Key("Filter"); f.Kind() {
	case pdf.Name:
		if f.Name() != "FlateDecode" {
			return nil, 0, false
		}
	case pdf.Array:
		if f.Len() != 1 || f.Index(0).Name() != "FlateDecode" {
			return nil, 0, false
		}
	default:
		return nil, 0, false
	}
	if p := v.Key("DecodeParms"); !p.IsNull() {
		if p.Kind() == pdf.Array {
			p = p.Index(0)
		}
		if pr := p.Key("Predictor"); !pr.IsNull() && pr.Int64() > 1 {
			return nil, 0, false
		}
	}
	sv := reflect.ValueOf(v).Field(valueDataField).Elem()
	if sv.Kind() != reflect.Struct {
		return nil, 0, false
	}
	of := sv.FieldByName("offset")
	if !of.IsValid() || of.Kind() != reflect.Int64 {
		return nil, 0, false
	}
	off := of.Int()
	n := v.Key("Length").Int64()
	if off < 0 || n <= 0 || off+n > int64(len(d.data)) {
		return nil, 0, false
	}
	return d.data[off : off+n], dictInt(v.Key("Length1"), 0), true
}

func readStreamSlow(v pdf.Value) ([]byte, error) {
	if v.Kind() != pdf.Stream {
		return nil, fmt.Errorf("not a stream")
	}
	var out []byte
	err := safely("stream", func() error {
		rd := v.Reader()
		defer rd.Close()
		var buf [32 << 10]byte
		for {
			n, err := rd.Read(buf[:])
			out = append(out, buf[:n]...)
			if err != nil {
				if err.Error() == "EOF" {
					return nil
				}
				return err
			}
		}
	})
	return out, err
}

// loadFont reads a font dictionary.
func (d *nDoc) loadFont(v pdf.Value) *nFont {
	f := &nFont{name: v.Key("BaseFont").Name(), flags: flagNonsymbol}
	for i := range f.widths {
		f.widths[i] = -1
		f.glyph[i] = -1
	}
	if tu := v.Key("ToUnicode"); tu.Kind() == pdf.Stream {
		if b, err := d.readStream(tu); err == nil {
			f.toUni = parseToUnicode(b)
			if f.toUni.base != "" {
				f.unsupported = "ToUnicode based on the predefined " + f.toUni.base + " map"
			}
		} else {
			f.unsupported = "ToUnicode stream not readable: " + err.Error()
		}
	}
	switch st := v.Key("Subtype").Name(); st {
	case "Type0":
		f.kind = fkType0
		d.loadType0(f, v)
	case "Type3":
		f.kind = fkType3
		d.loadType3(f, v)
	case "TrueType":
		f.kind = fkTrueType
		if isChineseTTName(f.name) {
			if fd := v.Key("FontDescriptor"); fd.Key("FontFile2").IsNull() {
				f.unsupported = "a Chinese TrueType font without a font program (PDFium reads it as GBK)"
				return f
			}
		}
		d.loadSimple(f, v)
	case "Type1", "MMType1":
		f.kind = fkType1
		d.loadSimple(f, v)
	default:
		f.unsupported = "font subtype " + st
	}
	return f
}

// isChineseTTName: PDFium reads a TrueType font named 宋体, 楷体, 黑体, 仿宋
// or 新宋 (GBK bytes) without an embedded program as a GBK CID font.
func isChineseTTName(n string) bool {
	if len(n) < 4 {
		return false
	}
	switch n[:4] {
	case "\xCB\xCE\xCC\xE5", "\xBF\xAC\xCC\xE5", "\xBA\xDA\xCC\xE5", "\xB7\xC2\xCB\xCE", "\xD0\xC2\xCB\xCE":
		return true
	}
	return false
}

// loadDescriptor reads the flags and the embedded font program.
func (d *nDoc) loadDescriptor(f *nFont, fd pdf.Value) {
	if fd.Kind() != pdf.Dict {
		return
	}
	f.flags = dictInt(fd.Key("Flags"), flagNonsymbol)
	var prog pdf.Value
	var kind string
	switch {
	case fd.Key("FontFile").Kind() == pdf.Stream:
		prog, kind = fd.Key("FontFile"), "Type1"
	case fd.Key("FontFile2").Kind() == pdf.Stream:
		prog, kind = fd.Key("FontFile2"), "TrueType"
	case fd.Key("FontFile3").Kind() == pdf.Stream:
		prog, kind = fd.Key("FontFile3"), fd.Key("FontFile3").Key("Subtype").Name()
	default:
		return
	}
	b, err := d.readStream(prog)
	if err != nil {
		f.unsupported = "font program not readable: " + err.Error()
		return
	}
	f.embedded = true
	switch {
	case kind == "TrueType" || kind == "OpenType" || len(b) >= 4 && (string(b[:4]) == "\x00\x01\x00\x00" || string(b[:4]) == "true" || string(b[:4]) == "OTTO" || string(b[:4]) == "ttcf"):
		t, err := parseSfnt(b)
		if err != nil {
			f.unsupported = fmt.Sprintf("%s font program: %v", kind, err)
			return
		}
		f.tt = t
	case kind == "CIDFontType0C" || kind == "Type1C":
		c, err := parseCFF(b)
		if err != nil {
			f.unsupported = kind + " font program not readable"
			return
		}
		f.tt = &sfntFont{cff: c, upem: c.upem, boxes: map[int]fxRect{}, bareCFF: true}
	case kind == "Type1":
		t, err := parseType1(b)
		if err != nil {
			f.unsupported = "Type 1 font program not readable"
			return
		}
		f.t1 = t
	default:
		f.unsupported = "font program of type " + kind
	}
}

// loadSimple reads a Type1 or TrueType font (CPDF_SimpleFont::LoadCommon).
func (d *nDoc) loadSimple(f *nFont, v pdf.Value) {
	fd := v.Key("FontDescriptor")
	base14 := false
	if f.kind == fkType1 {
		if std := standardFontName(f.name); std != "" {
			base14 = true
			f.flags = flagNonsymbol
			if fd.Kind() == pdf.Dict && !fd.Key("Flags").IsNull() {
				f.flags = dictInt(fd.Key("Flags"), flagNonsymbol)
			} else if std == "Symbol" || std == "ZapfDingbats" {
				f.flags = flagSymbolic
			}
		}
	}
	d.loadDescriptor(f, fd)
	if f.unsupported != "" {
		return
	}
	_ = base14
	if !f.embedded {
		f.useSubstitute(v)
		if f.unsupported != "" {
			return
		}
	}
	widths := v.Key("Widths")
	f.useFontWidth = widths.Kind() != pdf.Array
	if !f.useFontWidth {
		if fd.Kind() == pdf.Dict && !fd.Key("MissingWidth").IsNull() {
			mw := int32(dictInt(fd.Key("MissingWidth"), 0))
			for i := range f.widths {
				f.widths[i] = mw
			}
		}
		start := dictInt(v.Key("FirstChar"), 0)
		end := dictInt(v.Key("LastChar"), 0)
		n := widths.Len()
		if start >= 0 && start <= 255 {
			if end == 0 || end >= start+n {
				end = start + n - 1
			}
			if end > 255 {
				end = 255
			}
			for i := start; i <= end; i++ {
				f.widths[i] = int32(valueInt(widths.Index(i - start)))
			}
		}
	}
	if f.flags&flagSymbolic == 0 {
		f.baseEnc = encStandard
	}
	d.loadPDFEncoding(f, v)
	switch {
	case f.subst != nil:
		for code := 0; code < 256; code++ {
			f.enc[code] = f.subst.glyphs[uint32(code)].uni
		}
	case f.tt != nil && f.tt.cff == nil:
		f.loadTrueTypeGlyphMap(v)
	case f.t1 != nil:
		f.loadType1GlyphMap()
	default:
		f.unsupported = "simple font with a font program of another kind"
		return
	}
	f.charNames = nil
	if f.flags&flagAllCap != 0 {
		for _, r := range [][2]int{{'a', 'z'}, {0xe0, 0xf6}, {0xf8, 0xfd}} {
			for i := r[0]; i <= r[1]; i++ {
				if f.glyph[i] != -1 && f.embedded {
					continue
				}
				j := i - 32
				f.glyph[i] = f.glyph[j]
				if f.widths[j] != 0 {
					f.widths[i] = f.widths[j]
					f.bbox[i], f.bboxDone[i] = f.bbox[j], f.bboxDone[j]
				}
			}
		}
	}
}

// standardFontName recognises the 14 standard fonts and their common
// aliases (CFX_FontMapper::GetStandardFontName); "" for others.
func standardFontName(n string) string {
	n = strings.ReplaceAll(n, " ", "")
	switch n {
	case "Courier", "Courier-Bold", "Courier-BoldOblique", "Courier-Oblique",
		"Helvetica", "Helvetica-Bold", "Helvetica-BoldOblique", "Helvetica-Oblique",
		"Times-Roman", "Times-Bold", "Times-BoldItalic", "Times-Italic", "Symbol", "ZapfDingbats":
		return n
	case "Arial", "ArialMT", "Arial,Bold", "Arial-Bold", "Arial-BoldMT", "Arial,Italic", "Arial-Italic", "Arial-ItalicMT", "Arial,BoldItalic", "Arial-BoldItalic", "Arial-BoldItalicMT":
		return "Helvetica"
	case "TimesNewRoman", "TimesNewRomanPSMT", "TimesNewRoman,Bold", "TimesNewRoman-Bold", "TimesNewRomanPS-BoldMT", "TimesNewRoman,Italic", "TimesNewRoman-Italic", "TimesNewRomanPS-ItalicMT", "TimesNewRoman,BoldItalic", "TimesNewRoman-BoldItalic", "TimesNewRomanPS-BoldItalicMT":
		return "Times-Roman"
	case "CourierNew", "CourierNewPSMT", "CourierNew,Bold", "CourierNew-Bold", "CourierNewPS-BoldMT", "CourierNew,Italic", "CourierNew-Italic", "CourierNewPS-ItalicMT", "CourierNew,BoldItalic", "CourierNew-BoldItalic", "CourierNewPS-BoldItalicMT":
		return "Courier"
	case "Symbol,Bold", "Symbol,Italic", "Symbol,BoldItalic", "SymbolMT":
		return "Symbol"
	}
	return ""
}

// loadPDFEncoding is CPDF_SimpleFont::LoadPDFEncoding.
func (d *nDoc) loadPDFEncoding(f *nFont, v pdf.Value) {
	trueType := f.tt != nil // IsTTFont: an sfnt face
	e := v.Key("Encoding")
	predefined := func(n string) {
		switch n {
		case "WinAnsiEncoding":
			f.baseEnc = encWinAnsi
		case "MacRomanEncoding":
			f.baseEnc = encMacRoman
		case "MacExpertEncoding":
			f.baseEnc = encMacExpert
		case "PDFDocEncoding":
			f.baseEnc = encPDFDoc
		}
	}
	switch e.Kind() {
	case pdf.Null:
		if strings.TrimSpace(f.name) == "Symbol" {
			if trueType {
				f.baseEnc = encMSSymbol
			} else {
				f.baseEnc = encAdobeSymbol
			}
		} else if !f.embedded && f.baseEnc == encBuiltin {
			f.baseEnc = encWinAnsi
		}
	case pdf.Name:
		if f.baseEnc == encAdobeSymbol || f.baseEnc == encZapf {
			return
		}
		if f.flags&flagSymbolic != 0 && f.name == "Symbol" {
			if !trueType {
				f.baseEnc = encAdobeSymbol
			}
			return
		}
		n := e.Name()
		if n == "MacExpertEncoding" {
			n = "WinAnsiEncoding"
		}
		predefined(n)
	case pdf.Dict:
		if f.baseEnc != encAdobeSymbol && f.baseEnc != encZapf {
			n := e.Key("BaseEncoding").Name()
			if trueType && n == "MacExpertEncoding" {
				n = "WinAnsiEncoding"
			}
			predefined(n)
		}
		if (!f.embedded || trueType) && f.baseEnc == encBuiltin {
			f.baseEnc = encStandard
		}
		diffs := e.Key("Differences")
		if diffs.Kind() != pdf.Array {
			return
		}
		f.charNames = make([]string, 256)
		code := 0
		for i := 0; i < diffs.Len(); i++ {
			el := diffs.Index(i)
			switch el.Kind() {
			case pdf.Name:
				if code >= 0 && code < 256 {
					f.charNames[code] = el.Name()
				}
				code++
			case pdf.Integer, pdf.Real:
				code = valueInt(el)
			}
		}
	}
}

// adobeCharName is GetAdobeCharName: the glyph name a code selects.
func adobeCharName(baseEnc int, names []string, code int) string {
	if names != nil && names[code] != "" {
		return names[code]
	}
	switch baseEnc {
	case encWinAnsi:
		return winAnsiEncodingNames[code]
	case encMacRoman:
		return macRomanEncodingNames[code]
	case encStandard:
		return stdEncodingNames[code]
	case encPDFDoc:
		return pdfDocEncodingNames[code]
	}
	return ""
}

// unicodeFromGlyphName is PDF_UnicodeFromAdobeName (FreeType's
// ps_unicode_value): uniXXXX, uXXXX[XX], or a name of the glyph list; the
// part after a period is a variant suffix.
func unicodeFromGlyphName(n string) rune {
	if strings.HasPrefix(n, "uni") && len(n) >= 7 {
		if v, ok := hexRune(n[3:7]); ok {
			return v
		}
	}
	if len(n) >= 5 && n[0] == 'u' && len(n) <= 7 {
		if v, ok := hexRune(n[1:]); ok {
			return v
		}
	}
	if i := strings.IndexByte(n, '.'); i > 0 {
		n = n[:i]
	}
	return glyphNameUnicode[n]
}

func hexRune(s string) (rune, bool) {
	var v rune
	for i := 0; i < len(s); i++ {
		d, ok := hexDigit(s[i])
		if !ok {
			return 0, false
		}
		v = v*16 + rune(d)
	}
	return v, true
}

// macRomanCode is FT_CharCodeFromUnicode(FT_ENCODING_APPLE_ROMAN, u).
func macRomanCode(u rune) uint32 {
	for c := 32; c < 256; c++ {
		if n := macRomanEncodingNames[c]; n != "" && glyphNameUnicode[n] == u {
			return uint32(c)
		}
	}
	return 0
}

// loadTrueTypeGlyphMap is CPDF_TrueTypeFont::LoadGlyphMap: which glyph of
// the font program each code draws, and the Unicode values the encoding
// gives the codes.
func (f *nFont) loadTrueTypeGlyphMap(v pdf.Value) {
	t := f.tt
	cur := t.cmapUnicode() // FreeType selects a Unicode map when it opens a face
	use := func(p, e uint16) bool {
		if s := t.cmapFind(p, e); s != nil {
			cur = s
			return true
		}
		return false
	}
	gi := func(code uint32) int32 { return int32(t.charIndex(cur, code)) }
	base := f.baseEnc
	symbolic := f.flags&flagSymbolic != 0
	if len(t.cmaps) > 0 && (base == encMacRoman || base == encWinAnsi) && symbolic {
		win, mac := false, false
		for _, c := range t.cmaps {
			if c.platform == 0 || c.platform == 3 {
				win = true
			} else if c.platform == 1 {
				mac = true
			}
		}
		if base == encWinAnsi && !win {
			if mac {
				base = encMacRoman
			} else {
				base = encBuiltin
			}
		} else if base == encMacRoman && !mac {
			if win {
				base = encWinAnsi
			} else {
				base = encBuiltin
			}
		}
	}
	nonSymbolic := f.flags&flagNonsymbol != 0
	if (base == encMacRoman || base == encWinAnsi) && f.charNames == nil || nonSymbolic {
		if !t.hasGlyphNames() && len(t.cmaps) == 0 {
			start := dictInt(v.Key("FirstChar"), 0)
			if start < 0 || start > 255 {
				return
			}
			c := 0
			for ; c < start; c++ {
				f.glyph[c] = 0
			}
			g := int32(c - start + 3)
			for ; c < 256; c++ {
				f.glyph[c] = g
				g++
			}
			return
		}
		msUnicode := use(3, 1)
		macRoman, msSymbol := false, false
		if !msUnicode {
			if nonSymbolic {
				macRoman = use(1, 0)
				msSymbol = !macRoman && use(3, 0)
			} else {
				msSymbol = use(3, 0)
				macRoman = !msSymbol && use(1, 0)
			}
		}
		hasToUnicode := f.toUni != nil
		for code := 0; code < 256; code++ {
			name := adobeCharName(base, f.charNames, code)
			if name == "" {
				if f.embedded {
					f.glyph[code] = gi(uint32(code))
				} else {
					f.glyph[code] = -1
				}
				continue
			}
			f.enc[code] = unicodeFromGlyphName(name)
			switch {
			case msSymbol:
				for _, pre := range []uint32{0, 0xf0, 0xf1, 0xf2} {
					f.glyph[code] = gi(pre<<8 | uint32(code))
					if f.glyph[code] != 0 {
						break
					}
				}
			case f.enc[code] != 0:
				if msUnicode {
					f.glyph[code] = gi(uint32(f.enc[code]))
				} else if macRoman {
					if mc := macRomanCode(f.enc[code]); mc == 0 {
						f.glyph[code] = int32(t.nameIndex(name))
					} else {
						f.glyph[code] = gi(mc)
					}
				}
			}
			if f.glyph[code] != 0 && f.glyph[code] != -1 {
				continue
			}
			if name == ".notdef" {
				f.glyph[code] = gi(32)
				continue
			}
			f.glyph[code] = int32(t.nameIndex(name))
			if f.glyph[code] != 0 || !hasToUnicode {
				continue
			}
			if u := f.toUni.lookup(uint32(code), nil); len(u) > 0 {
				f.glyph[code] = gi(uint32(u[0]))
				f.enc[code] = u[0]
			}
		}
		return
	}
	if use(3, 0) {
		found := false
		for code := 0; code < 256; code++ {
			for _, pre := range []uint32{0, 0xf0, 0xf1, 0xf2} {
				f.glyph[code] = gi(pre<<8 | uint32(code))
				if f.glyph[code] != 0 {
					found = true
					break
				}
			}
		}
		if found {
			if base != encBuiltin {
				for code := 0; code < 256; code++ {
					if name := adobeCharName(base, f.charNames, code); name != "" {
						f.enc[code] = unicodeFromGlyphName(name)
					}
				}
			} else if use(1, 0) {
				for code := 32; code < 256; code++ {
					if n := macRomanEncodingNames[code]; n != "" {
						f.enc[code] = glyphNameUnicode[n]
					}
				}
			}
			return
		}
	}
	if use(1, 0) {
		found := false
		for code := 0; code < 256; code++ {
			f.glyph[code] = gi(uint32(code))
			if code >= 32 {
				if n := macRomanEncodingNames[code]; n != "" {
					f.enc[code] = glyphNameUnicode[n]
				}
			}
			if f.glyph[code] != 0 {
				found = true
			}
		}
		if f.embedded || found {
			return
		}
	}
	if s := t.cmapUnicode(); s != nil {
		cur = s
		found := false
		for code := 0; code < 256; code++ {
			if f.embedded {
				f.enc[code] = rune(code)
			} else if name := adobeCharName(encBuiltin, f.charNames, code); name != "" {
				f.enc[code] = unicodeFromGlyphName(name)
			}
			f.glyph[code] = gi(uint32(f.enc[code]))
			if f.glyph[code] != 0 {
				found = true
			}
		}
		if found {
			return
		}
	}
	for code := 0; code < 256; code++ {
		f.glyph[code] = int32(code)
	}
}

// loadType0 reads a Type0 font and its descendant CID font.
func (d *nDoc) loadType0(f *nFont, v pdf.Value) {
	ds := v.Key("DescendantFonts")
	if ds.Len() != 1 {
		f.unsupported = "Type0 font without one descendant font"
		return
	}
	cf := ds.Index(0)
	if cf.Kind() != pdf.Dict {
		f.unsupported = "Type0 font without a descendant font dictionary"
		return
	}
	f.name = cf.Key("BaseFont").Name()
	fd := cf.Key("FontDescriptor")
	if fd.Kind() == pdf.Dict {
		d.loadDescriptor(f, fd)
	}
	if f.unsupported != "" {
		return
	}
	enc := v.Key("Encoding")
	switch enc.Kind() {
	case pdf.Name:
		f.cmap = predefinedCMap(enc.Name())
		if f.cmap == nil {
			f.unsupported = "predefined CMap " + enc.Name()
			return
		}
	case pdf.Stream:
		b, err := d.readStream(enc)
		if err != nil {
			f.unsupported = "CMap stream not readable"
			return
		}
		var ok bool
		if f.cmap, ok = parseEmbeddedCMap(b); !ok {
			f.unsupported = "embedded CMap that uses a predefined CMap"
			return
		}
	default:
		f.unsupported = "Type0 font without an encoding"
		return
	}
	if f.cmap.vertical {
		f.unsupported = "vertical writing (" + f.cmap.name + ")"
		return
	}
	if !f.embedded {
		// widths and boxes of every code come from the measured substitute
		f.useSubstitute(v)
		f.cidBoxes = map[uint32]fxRect{}
		return
	}
	if f.cmap.coding != cidCodingCID {
		f.unsupported = "CMap " + f.cmap.name + " maps Unicode codes to CIDs through PDFium's tables"
		return
	}
	switch o := cf.Key("CIDSystemInfo").Key("Ordering").RawString(); o {
	case "GB1", "CNS1", "Japan1", "Korea1":
		f.charset = o
	}
	st := cf.Key("Subtype").Name()
	f.cidType0 = st == "CIDFontType0"
	f.dw = int32(dictInt(cf.Key("DW"), 1000))
	if w := cf.Key("W"); w.Kind() == pdf.Array {
		f.cidW = loadCIDWidths(w)
	}
	if f.tt == nil {
		f.unsupported = "CID font program of subtype " + st
		return
	}
	if f.tt.cff == nil && f.cidType0 {
		f.unsupported = "CIDFontType0 with a TrueType font program"
		return
	}
	if m := cf.Key("CIDToGIDMap"); m.Kind() == pdf.Stream {
		b, err := d.readStream(m)
		if err != nil {
			f.unsupported = "CIDToGIDMap not readable"
			return
		}
		f.cidToGID = b
	}
	f.cidBoxes = map[uint32]fxRect{}
}

// loadCIDWidths is CPDF_CIDFont::LoadMetricsArray for /W.
func loadCIDWidths(w pdf.Value) []cidWidth {
	var out []cidWidth
	status := 0
	var first, last uint32
	for i := 0; i < w.Len(); i++ {
		el := w.Index(i)
		switch el.Kind() {
		case pdf.Array:
			if status != 1 {
				return out
			}
			for j := 0; j < el.Len(); j++ {
				out = append(out, cidWidth{first, first, int32(valueInt(el.Index(j)))})
				first++
			}
			status = 0
		case pdf.Integer, pdf.Real:
			switch status {
			case 0:
				first = uint32(valueInt(el))
				status = 1
			case 1:
				last = uint32(valueInt(el))
				status = 2
			default:
				out = append(out, cidWidth{first, last, int32(valueInt(el))})
				status = 0
			}
		}
	}
	return out
}

// nextCode splits the next character code off a string.
func (f *nFont) nextCode(s []byte) (uint32, int) {
	if f.kind == fkType0 {
		return f.cmap.nextCode(s)
	}
	return uint32(s[0]), 1
}

// wordSpaced: Tw applies to a single-byte code 32.
func (f *nFont) wordSpaced(code uint32) bool {
	if code != 32 {
		return false
	}
	return f.kind != fkType0 || f.cmap.charSize(32) == 1
}

// width is GetCharWidthF: the advance in thousandths of the text size.
func (f *nFont) width(code uint32) int32 {
	if f.subst != nil && (f.kind == fkType0 || f.useFontWidth) {
		return f.substGlyphOf(code).width
	}
	switch f.kind {
	case fkType0:
		return f.cidEntry(code).width
	case fkType3:
		return f.t3.width(code)
	}
	if code > 0xff {
		code = 0
	}
	if f.widths[code] == -1 {
		f.loadCharMetrics(int(code))
		if f.widths[code] == -1 {
			f.widths[code] = 0
		}
	}
	return f.widths[code]
}

// charBBox is GetCharBBox: the glyph's box in thousandths of the text size.
func (f *nFont) charBBox(code uint32) fxRect {
	if f.subst != nil {
		if f.kind != fkType0 && code > 0xff {
			code = 0
		}
		return f.substGlyphOf(code).box
	}
	switch f.kind {
	case fkType0:
		return f.cidEntry(code).box
	case fkType3:
		return f.t3.bbox(code)
	}
	if code > 0xff {
		code = 0
	}
	if !f.bboxDone[code] {
		f.loadCharMetrics(int(code))
	}
	return f.bbox[code]
}

// cidCache keeps each code's width and box of a Type0 font, in pages of
// 256 codes.
type cidCache struct {
	pages map[uint32]*cidPage
	last  *cidPage
	lastN uint32
}

type cidPage struct {
	set   [64]bool
	entry [64]cidInfo
}

type cidInfo struct {
	width int32
	box   fxRect
}

// cidEntry returns a code's width (from /W and /DW) and glyph box.
func (f *nFont) cidEntry(code uint32) *cidInfo {
	c := &f.cid
	n := code >> 6
	pg := c.last
	if pg == nil || c.lastN != n {
		if c.pages == nil {
			c.pages = map[uint32]*cidPage{}
		}
		pg = c.pages[n]
		if pg == nil {
			pg = new(cidPage)
			c.pages[n] = pg
		}
		c.last, c.lastN = pg, n
	}
	e := &pg.entry[code&63]
	if pg.set[code&63] {
		return e
	}
	pg.set[code&63] = true
	cid := f.cmap.cid(code)
	e.width = f.dw
	for _, w := range f.cidW {
		if cid >= w.lo && cid <= w.hi {
			e.width = w.w
			break
		}
	}
	g := f.cidGlyph(code)
	if g >= 0 {
		if b, ok := f.tt.glyphBox(g); ok {
			e.box = b
			e.box.top += e.box.top / 64 // as CFX_Face::GetCharBBox does
		}
	}
	return e
}

// cidGlyph is CPDF_CIDFont::GlyphFromCharCode for an embedded font.
func (f *nFont) cidGlyph(code uint32) int {
	g := int(f.cmap.cid(code))
	if f.cidToGID != nil {
		p := g * 2
		if p+2 > len(f.cidToGID) {
			return -1
		}
		g = int(f.cidToGID[p])<<8 | int(f.cidToGID[p+1])
	}
	if f.tt.cff != nil && f.tt.bareCFF {
		// FreeType reads the glyph index it is given for a bare CID-keyed
		// CFF font (not one wrapped in OpenType) as a CID, mapped to a glyph
		// through the font's charset.
		return f.tt.cff.gidOfCID(uint32(g))
	}
	return g
}

// loadCharMetrics is CPDF_SimpleFont::LoadCharMetrics.
func (f *nFont) loadCharMetrics(code int) {
	f.bboxDone[code] = true
	if f.t1 != nil {
		name := f.glyphName[code]
		if name == "" {
			return
		}
		r, ok := f.t1.glyphBox(name)
		if !ok {
			return
		}
		f.bbox[code] = r
		if f.useFontWidth && f.widths[code] == -1 {
			f.widths[code] = normMetricI(f.t1.advances[name], f.t1.upem)
		}
		return
	}
	if f.tt == nil {
		return
	}
	g := f.glyph[code]
	if g == -1 {
		if !f.embedded && code != 32 {
			f.loadCharMetrics(32)
			f.bbox[code] = f.bbox[32]
			if f.useFontWidth {
				f.widths[code] = f.widths[32]
			}
		}
		return
	}
	r, ok := f.tt.glyphBox(int(g))
	if !ok {
		return
	}
	f.bbox[code] = r
	if f.useFontWidth {
		adv := normMetricI(f.tt.advance(int(g)), f.tt.upem)
		if f.widths[code] == -1 {
			f.widths[code] = adv
		}
	}
}

// spaceCode is CharCodeFromUnicode(' '): the code of a space, ok false
// when the font has none (kInvalidCharCode).
func (f *nFont) spaceCode() (uint32, bool) {
	if !f.spaceDone {
		f.spaceDone = true
		f.space, f.spaceOK = f.findSpaceCode()
	}
	return f.space, f.spaceOK
}

func (f *nFont) findSpaceCode() (uint32, bool) {
	if f.toUni != nil {
		best, found := uint32(0), false
		for code, v := range f.toUni.single {
			if v == ' ' && (!found || code < best) {
				best, found = code, true
			}
		}
		if found && best != 0 {
			return best, true
		}
	}
	switch f.kind {
	case fkType0:
		switch f.cmap.coding {
		case cidCodingUCS2, cidCodingUTF16:
			return ' ', true
		}
		if f.charset != "" {
			return 1, true // the space of every Adobe character collection
		}
		return 0, true
	case fkType3:
		for c := 0; c < 256; c++ {
			if f.t3.enc[c] == ' ' {
				return uint32(c), true
			}
		}
		return 0, false
	}
	for c := 0; c < 256; c++ {
		if f.enc[c] == ' ' {
			return uint32(c), true
		}
	}
	return 0, false
}

// unicode appends the text PDFium gives a code (UnicodeFromCharCode); an
// empty result means none.
func (f *nFont) unicode(code uint32, buf []rune) []rune {
	if f.toUni != nil {
		if out := f.toUni.lookup(code, buf); len(out) > len(buf) {
			return out
		}
	}
	switch f.kind {
	case fkType0:
		switch f.cmap.coding {
		case cidCodingUCS2, cidCodingUTF16:
			return append(buf, rune(code))
		}
		if f.subst != nil {
			if u := f.substGlyphOf(code).uni; u != 0 {
				return append(buf, u)
			}
			return buf
		}
		if f.charset != "" && f.unsupported == "" {
			// PDFium would read the CID through its Adobe CID → Unicode table.
			f.unsupported = "a code without a ToUnicode entry in a CID font of the " + f.charset + " collection"
		}
		return buf
	case fkType3:
		if code < 256 && f.t3.enc[code] != 0 {
			return append(buf, f.t3.enc[code])
		}
		return buf
	}
	if u := f.enc[code&0xff]; u != 0 {
		return append(buf, u)
	}
	return buf
}
