package extract

import (
	"context"
	"math/rand"
	"os"
	"runtime/debug"
	"strconv"
	"testing"
	"time"

	"github.com/ledongthuc/pdf"
)

// The fuzz tests feed the native reader's parsers damaged input: each must
// end soon, without a panic escaping (Native.Pages recovers panics, not
// loops). Their seeds are the font programs, CMaps and content streams of
// the fixture PDFs. Run one with
//
//	go test -tags duckdb_arrow -run XXX -fuzz FuzzNativeSfnt -fuzztime 60s ./extract

// fixtureStreams returns the decoded streams of the fixture PDFs found
// under the fonts' descriptors (FontFile, FontFile2, FontFile3), their
// ToUnicode and Encoding CMaps, and the pages' contents, by kind.
func fixtureStreams(t testing.TB) map[string][][]byte {
	out := map[string][][]byte{}
	files := []string{"../fixtures/pdf/seed-fpdf.pdf", "../fixtures/pdf/seed-libreoffice-writer.pdf", "../fixtures/pdf/libreoffice-calc-datong.pdf",
		"../../shared/realpdf/shanghai-putuo-caizhengju-2024-final.pdf"} // OpenType fonts with CFF outlines, when present
	for i, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			if i == len(files)-1 {
				continue
			}
			t.Skip(err)
		}
		d, err := openNative(b)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[uint64]bool{}
		add := func(kind string, v pdf.Value) {
			if v.Kind() != pdf.Stream || seen[objID(v)] {
				return
			}
			seen[objID(v)] = true
			if s, err := d.readStream(v); err == nil && len(s) > 0 {
				out[kind] = append(out[kind], s)
				if kind == "sfnt" {
					if c := sfntTable(s, "CFF "); c != nil {
						out["cff"] = append(out["cff"], c)
					}
				}
			}
		}
		for _, pg := range d.pages {
			add("content", pg.v.Key("Contents"))
			fonts := pg.resources.Key("Font")
			for _, k := range fonts.Keys() {
				fv := fonts.Key(k)
				add("tounicode", fv.Key("ToUnicode"))
				add("cmap", fv.Key("Encoding"))
				fd := fv.Key("FontDescriptor")
				if fv.Key("Subtype").Name() == "Type0" {
					fd = fv.Key("DescendantFonts").Index(0).Key("FontDescriptor")
				}
				add("type1", fd.Key("FontFile"))
				add("sfnt", fd.Key("FontFile2"))
				add("cff", fd.Key("FontFile3"))
			}
		}
	}
	return out
}

// sfntTable returns a table of an OpenType font, nil when it has none.
func sfntTable(b []byte, tag string) []byte {
	if len(b) < 12 {
		return nil
	}
	n := int(b[4])<<8 | int(b[5])
	for i := 0; i < n && 12+16*i+16 <= len(b); i++ {
		e := b[12+16*i:]
		if string(e[:4]) == tag {
			off := int(e[8])<<24 | int(e[9])<<16 | int(e[10])<<8 | int(e[11])
			ln := int(e[12])<<24 | int(e[13])<<16 | int(e[14])<<8 | int(e[15])
			if off >= 0 && ln >= 0 && off+ln <= len(b) {
				return b[off : off+ln]
			}
		}
	}
	return nil
}

// seed adds the fixtures' streams of a kind up to 64 KB (the fuzzing
// engine stalls on larger inputs; TestNativeFontMutations damages those).
func seed(f *testing.F, kind string, extra ...[]byte) {
	for _, s := range fixtureStreams(f)[kind] {
		if len(s) <= 64<<10 {
			f.Add(s)
		}
	}
	for _, s := range extra {
		f.Add(s)
	}
}

// fontWork parses a font program of a kind and measures glyphs of it.
func fontWork(kind string, b []byte) {
	switch kind {
	case "sfnt":
		ft, err := parseSfnt(b)
		if err != nil {
			return
		}
		for g := 0; g < 300; g++ {
			ft.glyphBox(g)
			ft.advance(g)
		}
		for _, c := range []uint32{0x20, 0x41, 0x4e00, 0xf020} {
			if sub := ft.cmapUnicode(); sub != nil {
				ft.charIndex(sub, c)
			}
		}
		ft.nameIndex("A")
		ft.nameIndex("uni4E00")
	case "cff":
		c, err := parseCFF(b)
		if err != nil {
			return
		}
		for g := 0; g < 300; g++ {
			c.glyphCBox(g)
			c.gidOfCID(uint32(g))
		}
	case "type1":
		t1, err := parseType1(b)
		if err != nil {
			return
		}
		for i, n := range t1.names {
			if i > 300 {
				break
			}
			t1.glyphBox(n)
		}
		t1.glyphBox("A")
	}
}

// TestNativeFontMutations damages every font program of the fixtures
// (bytes overwritten, the program cut): parsing and measuring glyphs ends
// soon. Panics are counted, not failures: Native.Pages recovers them and
// Auto hands the document to PDFium.
func TestNativeFontMutations(t *testing.T) {
	rnd := rand.New(rand.NewSource(11))
	panics := 0
	for _, kind := range []string{"sfnt", "cff", "type1"} {
		for i, s := range fixtureStreams(t)[kind] {
			for k := 0; k < mutationRounds; k++ {
				b := append([]byte(nil), s...)
				if k%4 == 3 {
					b = b[:rnd.Intn(len(b))]
				} else {
					for n := 0; n < 1+rnd.Intn(30); n++ {
						b[rnd.Intn(len(b))] = byte(rnd.Intn(256))
					}
				}
				start := time.Now()
				func() {
					defer func() {
						if r := recover(); r != nil {
							panics++
							if testing.Verbose() {
								t.Logf("%s %d mutation %d: panic %v\n%s", kind, i, k, r, debug.Stack())
							}
						}
					}()
					fontWork(kind, b)
				}()
				if d := time.Since(start); d > 2*time.Second {
					t.Errorf("%s %d mutation %d took %v", kind, i, k, d)
				}
			}
		}
	}
	t.Logf("%d panics (recovered by the reader)", panics)
}

// mutationRounds is how many damaged copies of each font program
// TestNativeFontMutations reads (NATIVE_MUTATIONS overrides).
var mutationRounds = func() int {
	if n, err := strconv.Atoi(os.Getenv("NATIVE_MUTATIONS")); err == nil && n > 0 {
		return n
	}
	return 40
}()

// soon fails the test when fn takes more than a second.
func soon(t *testing.T, fn func()) {
	t.Helper()
	start := time.Now()
	func() {
		defer func() { recover() }() // a panic is recovered by safely in the reader
		fn()
	}()
	if d := time.Since(start); d > time.Second {
		t.Fatalf("took %v", d)
	}
}

func FuzzNativeSfnt(f *testing.F) {
	seed(f, "sfnt")
	f.Fuzz(func(t *testing.T, b []byte) { soon(t, func() { fontWork("sfnt", b) }) })
}

func FuzzNativeCFF(f *testing.F) {
	seed(f, "cff")
	f.Fuzz(func(t *testing.T, b []byte) { soon(t, func() { fontWork("cff", b) }) })
}

func FuzzNativeType1(f *testing.F) {
	seed(f, "type1")
	f.Fuzz(func(t *testing.T, b []byte) { soon(t, func() { fontWork("type1", b) }) })
}

func FuzzNativeCMap(f *testing.F) {
	seed(f, "tounicode", []byte("1 begincodespacerange <0000> <FFFF> endcodespacerange 2 beginbfrange <0000> <00FF> [<0041> <0042>] <1000> <10FF> <4E00> endbfrange 1 beginbfchar <0001> <D840DC00> endbfchar 1 begincidrange <0000> <FFFF> 0 endcidrange"))
	seed(f, "cmap")
	f.Fuzz(func(t *testing.T, b []byte) {
		soon(t, func() {
			m := parseToUnicode(b)
			buf := make([]rune, 0, 8)
			for c := uint32(0); c < 300; c++ {
				buf = m.lookup(c, buf[:0])
			}
			if cm, ok := parseEmbeddedCMap(b); ok {
				s := []byte("\x00\x01\x41\x42\xff\xfe\x4e\x00\x81\x40")
				for len(s) > 0 {
					_, n := cm.nextCode(s)
					if n <= 0 {
						t.Fatalf("nextCode consumed %d bytes", n)
					}
					s = s[min(n, len(s)):]
				}
			}
		})
	})
}

// FuzzNativeContent runs a content stream on a page with a simple font, a
// form and a Type3 font.
func FuzzNativeContent(f *testing.F) {
	seed(f, "content",
		[]byte("q 1 0 0 1 10 10 cm BT /F1 12 Tf 100 700 Td [(AB) -200 (C)] TJ T* (x) ' 1 2 (y) \" ET Q /Fm1 Do 0 0 m 10 10 l S 0 0 5 0.2 re f"),
		[]byte("BI /W 2 /H 2 /BPC 8 /CS /G ID \x00\x01\x02\x03 EI BT /F2 10 Tf (AB) Tj ET /Span <</ActualText (x)>> BDC EMC"))
	font := "<</Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding>>"
	form := streamObj("BT /F1 9 Tf (form) Tj ET /Fm1 Do 0 0 m 50 0 l S")
	t3 := "<</Type /Font /Subtype /Type3 /FontBBox [0 0 750 750] /FontMatrix [0.001 0 0 0.001 0 0] " +
		"/CharProcs <</square 7 0 R>> /Encoding <</Type /Encoding /Differences [65 /square]>> " +
		"/FirstChar 65 /LastChar 65 /Widths [800] /Resources <<>>>>"
	proc := streamObj("800 0 d0 0 0 750 750 re f")
	f.Fuzz(func(t *testing.T, content []byte) {
		pdf := handPDF("<</Font <</F1 4 0 R /F2 6 0 R>> /XObject <</Fm1 5 0 R>>>>", string(content),
			font, "<</Type /XObject /Subtype /Form /BBox [0 0 200 50] "+form[2:], t3, proc)
		soon(t, func() {
			Native{}.Pages(context.Background(), pdf)
		})
	})
}
