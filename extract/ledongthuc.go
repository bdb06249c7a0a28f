package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ledongthuc/pdf"
)

// Ledongthuc reads PDFs with github.com/ledongthuc/pdf (pure Go). It gives
// glyph positions (with zero widths on some fonts, estimated here from the
// font size) and only the rectangles a producer draws with `re`, so ruled
// tables from office software mostly come out as aligned text. The library
// panics on malformed content streams; Pages turns that into an error.
type Ledongthuc struct{}

func (Ledongthuc) Name() string { return "ledongthuc" }

func (Ledongthuc) Pages(ctx context.Context, b []byte) (pages []PDFPage, err error) {
	if !bytes.Contains(b[:min(len(b), 1024)], []byte("%PDF-")) {
		return nil, ErrNotPDF
	}
	err = safely("ledongthuc/pdf", func() error {
		r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			if errors.Is(err, pdf.ErrInvalidPassword) || strings.Contains(err.Error(), "encrypt") {
				return ErrEncrypted
			}
			return fmt.Errorf("open PDF: %w", err)
		}
		n := r.NumPage()
		if n == 0 {
			return ErrNoPages
		}
		for i := 1; i <= n; i++ {
			if err := ctx.Err(); err != nil {
				return err
			}
			p := r.Page(i)
			if p.V.IsNull() {
				continue
			}
			pg := PDFPage{Number: i, Width: 595, Height: 842}
			if mb := mediaBox(p); mb.Len() == 4 {
				pg.Width = mb.Index(2).Float64() - mb.Index(0).Float64()
				pg.Height = mb.Index(3).Float64() - mb.Index(1).Float64()
			}
			c := p.Content()
			for _, t := range c.Text {
				w := t.W
				if w <= 0 {
					w = t.FontSize
					if len(t.S) == 1 {
						w = t.FontSize / 2
					}
				}
				// Text.Y is the baseline; a glyph box spans roughly from the
				// baseline up by the font size.
				y1 := pg.Height - t.Y + 0.15*t.FontSize
				pg.Glyphs = append(pg.Glyphs, Glyph{Text: cleanGlyphText(t.S), X0: t.X, X1: t.X + w, Y0: y1 - t.FontSize, Y1: y1})
			}
			for _, rc := range c.Rect {
				pg.Rules = append(pg.Rules, rulesOfBox(rc.Min.X, pg.Height-rc.Max.Y, rc.Max.X, pg.Height-rc.Min.Y)...)
			}
			pages = append(pages, pg)
		}
		return nil
	})
	return pages, err
}

// mediaBox finds the page's MediaBox, inherited from the page tree.
func mediaBox(p pdf.Page) pdf.Value {
	for v := p.V; !v.IsNull(); v = v.Key("Parent") {
		if mb := v.Key("MediaBox"); !mb.IsNull() {
			return mb
		}
	}
	return pdf.Value{}
}

// cleanGlyphText drops what a font without a usable Unicode map decodes to:
// control characters and replacement characters.
func cleanGlyphText(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0xFFFD {
			return -1
		}
		return r
	}, s)
}
