package extract

import (
	"fmt"
	"hash/crc32"
	"sort"
	"strings"

	"github.com/ledongthuc/pdf"
)

// Fonts that are not embedded. PDFium draws them with a substitute face of
// its own (its built-in Foxit/Chrome fonts), whose glyph boxes — and, for
// a font without /Widths, advances — are PDFium's and not in the file.
// They were measured from PDFium for the font dictionaries met in the
// corpus (native_subst_table.go, made by TestNativeCalibrateSubstitutes)
// and are looked up by the dictionary's signature: what PDFium chooses the
// substitute by. A font dictionary with another signature, or a code the
// measurement did not cover, leaves the document to PDFium.

// substGlyph is what PDFium reports of one code of a substituted font.
type substGlyph struct {
	code  uint32
	uni   rune
	width int32
	box   fxRect
}

type substFont struct {
	glyphs map[uint32]substGlyph
}

var substFonts map[string]*substFont

func init() {
	substFonts = map[string]*substFont{}
	for sig, gs := range substTable {
		m := make(map[uint32]substGlyph, len(gs))
		for _, g := range gs {
			m[g.code] = g
		}
		substFonts[sig] = &substFont{glyphs: m}
	}
}

// substSignature describes a font dictionary by what PDFium's choice of a
// substitute face and its reading of the codes depend on.
func substSignature(v pdf.Value) string {
	var sb strings.Builder
	num := func(x pdf.Value) string {
		switch x.Kind() {
		case pdf.Integer, pdf.Real:
			return fmt.Sprint(x.Float64())
		}
		return "-"
	}
	desc := func(fd pdf.Value) {
		fmt.Fprintf(&sb, "|flags=%s|weight=%s|stemv=%s|italic=%s", num(fd.Key("Flags")), num(fd.Key("FontWeight")), num(fd.Key("StemV")), num(fd.Key("ItalicAngle")))
	}
	st := v.Key("Subtype").Name()
	fmt.Fprintf(&sb, "%s|%s", st, v.Key("BaseFont").Name())
	if st == "Type0" {
		cf := v.Key("DescendantFonts").Index(0)
		fmt.Fprintf(&sb, "|%s|%s|%s|%s", v.Key("Encoding").Name(), cf.Key("Subtype").Name(), cf.Key("BaseFont").Name(), cf.Key("CIDSystemInfo").Key("Ordering").RawString())
		desc(cf.Key("FontDescriptor"))
		fmt.Fprintf(&sb, "|dw=%s|w=%08x", num(cf.Key("DW")), crc32.ChecksumIEEE([]byte(cf.Key("W").String())))
		return sb.String()
	}
	desc(v.Key("FontDescriptor"))
	e := v.Key("Encoding")
	switch e.Kind() {
	case pdf.Name:
		fmt.Fprintf(&sb, "|enc=%s", e.Name())
	case pdf.Dict:
		fmt.Fprintf(&sb, "|enc=%s+%08x", e.Key("BaseEncoding").Name(), crc32.ChecksumIEEE([]byte(e.Key("Differences").String())))
	default:
		sb.WriteString("|enc=-")
	}
	fmt.Fprintf(&sb, "|widths=%v", v.Key("Widths").Kind() == pdf.Array)
	return sb.String()
}

// useSubstitute sets a font that is not embedded up from the measured
// substitute, or says why it cannot be.
func (f *nFont) useSubstitute(v pdf.Value) {
	sig := substSignature(v)
	f.substSig = sig
	if nativeCalibrating {
		nativeCalibrationFonts[sig] = v
	}
	s, ok := substFonts[sig]
	if !ok {
		if !nativeCalibrating {
			f.unsupported = "font " + f.name + " is not embedded and its PDFium substitute was not measured (" + sig + ")"
		}
		f.subst = &substFont{glyphs: map[uint32]substGlyph{}}
		return
	}
	f.subst = s
}

// substGlyphOf returns the measured glyph of a code; a code not measured
// makes the font unsupported.
func (f *nFont) substGlyphOf(code uint32) substGlyph {
	g, ok := f.subst.glyphs[code]
	if !ok && f.unsupported == "" && !nativeCalibrating {
		f.unsupported = fmt.Sprintf("code %#x of the substituted font %s was not measured", code, f.name)
	}
	if nativeCalibrating {
		if nativeCalibrationCodes[f.substSig] == nil {
			nativeCalibrationCodes[f.substSig] = map[uint32]bool{}
		}
		nativeCalibrationCodes[f.substSig][code] = true
	}
	return g
}

// While calibrating, fonts without a measured substitute are read with
// empty glyphs and the codes they show are collected.
var (
	nativeCalibrating      bool
	nativeCalibrationCodes map[string]map[uint32]bool
	nativeCalibrationFonts map[string]pdf.Value
)

func sortedCodes(m map[uint32]bool) []uint32 {
	out := make([]uint32, 0, len(m))
	for c := range m {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
