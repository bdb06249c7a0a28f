package report

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"unicode"

	xfont "golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/font/liberation"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// DefaultCJKFonts are the font files tried, in order, for the Chinese text of
// the charts. Debian's fonts-droid-fallback comes first: it is what CI
// installs, so charts are measured with the same font everywhere.
var DefaultCJKFonts = []string{
	"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", // Debian, Ubuntu: fonts-droid-fallback
	"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",    // Debian, Ubuntu: fonts-noto-cjk
	"/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",         // Arch: noto-fonts-cjk
	"/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",  // Fedora: google-noto-sans-cjk-fonts
	"/usr/share/fonts/google-droid/DroidSansFallbackFull.ttf",   // Fedora: google-droid-sans-fonts
	"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",            // fonts-wqy-microhei
	"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",              // fonts-wqy-zenhei
	"/usr/share/fonts/truetype/arphic/uming.ttc",                // fonts-arphic-uming
	"/Library/Fonts/Arial Unicode.ttf",                          // macOS
	"/System/Library/Fonts/Supplemental/Arial Unicode.ttf",      // macOS
	`C:\Windows\Fonts\simhei.ttf`,                               // Windows
	`C:\Windows\Fonts\msyh.ttc`,                                 // Windows
	"/usr/share/fonts/truetype/noto/NotoSansSC-Regular.ttf",     // a single-language Noto build
	"/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",  // older Noto CJK packaging
	"/usr/share/fonts/adobe-source-han-sans/SourceHanSansCN-Regular.otf",
}

// cjkProbe must all have glyphs in a font we accept for Chinese text.
const cjkProbe = "部门预算一般公共服务支出万元"

// ErrNoCJKFont is returned by loadCJKFont when no candidate file holds a
// usable face with Chinese glyphs.
var ErrNoCJKFont = errors.New("no font with Chinese glyphs found")

const (
	cjkTypeface   font.Typeface = "gongkai-cjk"
	latinTypeface font.Typeface = "gongkai-latin"
)

// chartFonts holds the faces chart text is measured and drawn with: a
// Chinese face when one was found, and Liberation Sans (bundled with
// gonum/plot) for text without Chinese. Droid Sans Fallback has no Latin
// glyphs, so digits-only labels are set in Liberation Sans to be measured
// right.
type chartFonts struct {
	handler text.Handler
	cjk     *opentype.Font // nil: no Chinese font, labels fall back to Latin
	latin   *opentype.Font
	path    string // the Chinese font file
	family  string // its family name, as SVG text will name it
}

// loadChartFonts finds a Chinese font among paths; without one the charts
// use Latin labels only (the returned error says why, for the log).
func loadChartFonts(paths []string) (*chartFonts, error) {
	var latin font.Face
	for _, f := range liberation.Collection() {
		if f.Font.Variant == "Sans" && f.Font.Style == xfont.StyleNormal && f.Font.Weight == xfont.WeightNormal {
			latin = f
		}
	}
	if latin.Face == nil {
		return nil, errors.New("gonum/plot's Liberation Sans is missing")
	}
	cf := &chartFonts{latin: latin.Face}
	coll := font.Collection{}
	cjk, path, err := loadCJKFont(paths)
	if err == nil {
		cf.cjk, cf.path = cjk, path
		var buf sfnt.Buffer
		if name, nerr := cjk.Name(&buf, sfnt.NameIDFamily); nerr == nil {
			cf.family = name
		}
		coll = append(coll, font.Face{Font: font.Font{Typeface: cjkTypeface}, Face: cjk})
	}
	coll = append(coll, font.Face{Font: font.Font{Typeface: latinTypeface}, Face: latin.Face})
	cf.handler = text.Plain{Fonts: font.NewCache(coll)}
	return cf, err
}

// loadCJKFont returns the first face among paths that has Chinese glyphs. A
// collection (.ttc) gives its Simplified Chinese face when it names one.
func loadCJKFont(paths []string) (*opentype.Font, string, error) {
	var tried []string
	for _, p := range paths {
		if p == "" {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			tried = append(tried, p)
			continue
		}
		if f := pickFace(data); f != nil {
			return f, p, nil
		}
		tried = append(tried, p+" (no usable face)")
	}
	return nil, "", fmt.Errorf("%w (looked for %s)", ErrNoCJKFont, strings.Join(tried, ", "))
}

func pickFace(data []byte) *opentype.Font {
	var faces []*opentype.Font
	if f, err := opentype.Parse(data); err == nil {
		faces = append(faces, f)
	} else if c, err := opentype.ParseCollection(data); err == nil {
		for i := range c.NumFonts() {
			if f, err := c.Font(i); err == nil {
				faces = append(faces, f)
			}
		}
	}
	var buf sfnt.Buffer
	var first *opentype.Font
	for _, f := range faces {
		if !covers(f, &buf, cjkProbe) {
			continue
		}
		name, _ := f.Name(&buf, sfnt.NameIDFamily)
		if strings.HasSuffix(name, " SC") || strings.Contains(name, "GB") || strings.HasSuffix(name, " CN") {
			return f
		}
		if first == nil {
			first = f
		}
	}
	return first
}

// covers reports whether f has a glyph for every non-space rune of s.
func covers(f *opentype.Font, buf *sfnt.Buffer, s string) bool {
	for _, r := range s {
		if unicode.IsSpace(r) {
			continue
		}
		if i, err := f.GlyphIndex(buf, r); err != nil || i == 0 {
			return false
		}
	}
	return true
}

// hasCJK reports whether the charts can set Chinese text.
func (cf *chartFonts) hasCJK() bool { return cf.cjk != nil }

// style returns a text style of the given size whose face covers every
// string in texts: the Chinese face when any of them needs it, else Latin.
func (cf *chartFonts) style(size vg.Length, texts ...string) text.Style {
	tf := latinTypeface
	if cf.cjk != nil {
		var buf sfnt.Buffer
		for _, s := range texts {
			if !covers(cf.latin, &buf, s) {
				tf = cjkTypeface
				break
			}
		}
	}
	return text.Style{
		Color:   colorText,
		Font:    font.Font{Typeface: tf, Size: size},
		Handler: cf.handler,
	}
}

// pick returns the Chinese label, or the Latin one when no Chinese font was
// found (gonum/plot cannot measure or draw glyphs its font lacks).
func (cf *chartFonts) pick(l label) string {
	if cf.cjk != nil || l.en == "" {
		return l.zh
	}
	return l.en
}
