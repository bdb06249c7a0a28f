package extract

import (
	"context"
	"errors"
	"sync"
)

// Auto reads a PDF with the native reader and hands it to PDFium whenever
// the native reader cannot vouch for reading it as PDFium does:
//
//   - the native reader returns an error (ErrNativeUnsupported says what:
//     a font type, font program or CMap it does not read, a font that is
//     not embedded whose PDFium substitute was not measured, vertical
//     writing, text replaced by /ActualText, a structure, filter or
//     security handler github.com/ledongthuc/pdf does not read, a damaged
//     stream — or a panic inside either library), or
//   - a page has glyphs that are not UsableText, although every font on it
//     mapped its codes to Unicode, and some of them are characters that
//     betray a failed map (U+FFFD, private-use or control characters other
//     than the U+0002 PDFium puts for a hyphen at a line's end). A page
//     whose fonts lack Unicode maps reads the same raw codes in PDFium and
//     stays native; so does a page whose characters are all real ones and
//     that fails UsableText only for what it says (a contents page of dot
//     leaders, a page of Latin text or HTML markup): PDFium reads the same
//     characters there, and ReadPDF sets the page aside either way.
//
// Only an input that is not a PDF at all, or a cancelled context, ends
// without PDFium. So the ingest never loses what PDFium reads; the cost of
// a fallback is the native attempt, usually a fraction of PDFium's time.
// PagesBy says which reader read the document (ReadPDF records it in
// Document.Backend as "native" or "pdfium"); NativeFallbacks counts
// hand-overs and keeps the last reason, for logs and tests.
type Auto struct {
	// Pdfium reads what the native reader leaves; nil means &Pdfium{}.
	Pdfium *Pdfium
}

func (a *Auto) Name() string { return "auto" }

// Pages reads every page, natively or with PDFium.
func (a *Auto) Pages(ctx context.Context, b []byte) ([]PDFPage, error) {
	pages, _, err := a.PagesBy(ctx, b)
	return pages, err
}

// PagesBy reads every page and says which backend read them.
func (a *Auto) PagesBy(ctx context.Context, b []byte) ([]PDFPage, string, error) {
	pages, infos, err := readNative(ctx, b)
	if err == nil {
		for i, p := range pages {
			if len(p.Glyphs) > 0 && !infos[i].rawCodes && !UsableText(p.Glyphs) && failedMap(p.Glyphs) {
				err = unsupportedf("page %d has text that is not usable, with characters of a failed Unicode map, although its fonts map every code", i+1)
				break
			}
		}
		if err == nil {
			return pages, "native", nil
		}
	}
	if errors.Is(err, ErrNotPDF) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return nil, "native", err
	}
	nativeFallback(err)
	p := a.Pdfium
	if p == nil {
		p = &Pdfium{}
	}
	pages, perr := p.Pages(ctx, b)
	if perr != nil {
		return nil, "pdfium", perr
	}
	return pages, "pdfium", nil
}

// failedMap reports whether glyphs include characters that a Unicode map
// gives only when it fails: U+FFFD, private-use characters, and control
// characters other than U+0002 (PDFium's mark of a hyphen at a line's end).
func failedMap(gs []Glyph) bool {
	for _, g := range gs {
		for _, r := range g.Text {
			if r == 0xFFFD || r >= 0xE000 && r <= 0xF8FF || r < 0x20 && r != 2 && r != '\t' && r != '\n' && r != '\r' {
				return true
			}
		}
	}
	return false
}

// nativeFallback records why the native reader handed a document over.
func nativeFallback(err error) {
	fallbackMu.Lock()
	fallbacks++
	lastFallback = err.Error()
	fallbackMu.Unlock()
}

// NativeFallbacks reports how many documents Auto handed to PDFium in this
// process, and why the last one was.
func NativeFallbacks() (int, string) {
	fallbackMu.Lock()
	defer fallbackMu.Unlock()
	return fallbacks, lastFallback
}

var (
	fallbackMu   sync.Mutex
	fallbacks    int
	lastFallback string
)
