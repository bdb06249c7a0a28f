package report

import (
	"html/template"
	"strconv"
	"strings"
)

// fontFamilies are the fonts the page and its charts ask the browser for:
// Latin faces for digits and Latin letters first, then Chinese fonts a
// reader's machine may have (Debian's fonts-droid-fallback, Noto CJK, Source
// Han, WenQuanYi, macOS's and Windows's), so the page renders offline
// without web fonts. The browser takes each glyph from the first family that
// has it.
var fontFamilies = []string{"Helvetica Neue", "Arial", "Liberation Sans",
	"Droid Sans Fallback", "Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC",
	"WenQuanYi Micro Hei", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei"}

// fontStack is fontFamilies as a CSS font-family list, for the page's style
// sheet.
func fontStack() template.CSS {
	return template.CSS(familyList(strconv.Quote))
}

// chartFontFamily is fontFamilies as the value of an SVG font-family
// attribute (names in single quotes, so the attribute can be double-quoted).
func chartFontFamily() string {
	return familyList(func(s string) string { return "'" + s + "'" })
}

func familyList(quote func(string) string) string {
	parts := make([]string, 0, len(fontFamilies)+1)
	for _, f := range fontFamilies {
		parts = append(parts, quote(f))
	}
	return strings.Join(append(parts, "sans-serif"), ", ")
}
