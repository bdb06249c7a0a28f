package extract

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// Glyph is one character placed on a page. Coordinates are PDF points with
// the origin at the page's top-left corner and y growing downwards.
type Glyph struct {
	Text           string
	X0, Y0, X1, Y1 float64
	Angle          float64  // radians, as the text layer reports it; 0 for upright text
	Conf           float64  // OCR confidence 0–100 of the word; 0 for a text layer
	Alt            []string // OCR: other numbers the cell was read as, for the sums to choose from
}

// Rule is a ruling line: a thin horizontal or vertical segment (a table
// border), in the same coordinates as Glyph.
type Rule struct {
	X0, Y0, X1, Y1 float64
}

// Horizontal reports whether the rule runs left to right.
func (r Rule) Horizontal() bool { return r.X1-r.X0 >= r.Y1-r.Y0 }

// PDFPage is what a backend reads of one page.
type PDFPage struct {
	Number        int // 1-based
	Width, Height float64
	Rotation      int // degrees, as the page declares it
	Glyphs        []Glyph
	Rules         []Rule
}

// PDFBackend reads the pages of a PDF.
//
// Contract: Pages returns every page in order or an error naming what went
// wrong; it never panics (a panic inside a library becomes the error), and
// it returns ErrEncrypted for a PDF that needs a password.
type PDFBackend interface {
	Name() string
	Pages(ctx context.Context, pdf []byte) ([]PDFPage, error)
}

// Errors of PDF input.
var (
	ErrEncrypted = errors.New("the PDF is encrypted (password protected)")
	ErrNoPages   = errors.New("the PDF has no pages")
	ErrNotPDF    = errors.New("not a PDF file")
	ErrDamaged   = errors.New("the PDF is damaged or incomplete: its structure cannot be parsed")
	// ErrNoTextLayer marks a PDF whose pages have no usable text: a scan,
	// or fonts without Unicode maps. Such pages need OCR.
	ErrNoTextLayer = errors.New("no usable text layer (a scanned document, or fonts without Unicode maps); OCR is needed")
)

// safely runs f, turning a panic into an error.
func safely(what string, f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: internal error: %v", what, r)
		}
	}()
	return f()
}

// UsableText reports whether a page's text layer can be trusted: enough
// Chinese characters and digits among its glyphs, and few symbol runs.
func UsableText(gs []Glyph) bool {
	han, digits, symbols, total := 0, 0, 0, 0
	for _, g := range gs {
		for _, r := range g.Text {
			if unicode.IsSpace(r) {
				continue
			}
			total++
			switch {
			case unicode.Is(unicode.Han, r):
				han++
			case unicode.IsDigit(r):
				digits++
			case strings.ContainsRune("&'()*+!\"#$<=>?@[]^_`{|}~", r), r < 0x20, r == 0xFFFD, r >= 0xE000 && r <= 0xF8FF:
				symbols++ // symbol runs, control characters, private-use glyph codes
			}
		}
	}
	if total < 10 {
		return total > 0 && symbols == 0
	}
	return float64(han+digits) >= 0.3*float64(total) && float64(symbols) < 0.2*float64(total)
}

// ReadPDF reads a born-digital PDF into a Document, the same shape as a
// text export: its pages are laid out by Layout and read by ReadText. Pages
// whose text layer is unusable are left empty and listed in NeedsOCR.
//
// Every error names the file and says why it cannot be read: not a PDF,
// damaged, encrypted, a page that could not be decoded (with its number),
// or no usable text layer (ErrNoTextLayer, with how many pages have no text
// and which have text that does not decode); never ErrEmpty.
func ReadPDF(ctx context.Context, path string, b []byte, be PDFBackend) (*Document, error) {
	reader := be.Name()
	var pages []PDFPage
	var err error
	if c, ok := be.(interface {
		PagesBy(context.Context, []byte) ([]PDFPage, string, error)
	}); ok {
		pages, reader, err = c.PagesBy(ctx, b) // a backend choosing among readers (Auto) says which read it
	} else {
		pages, err = be.Pages(ctx, b)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(pages) == 0 {
		return nil, fmt.Errorf("%s: %w", path, ErrNoPages)
	}
	var needOCR []int
	blank := 0
	for i := range pages {
		switch {
		case len(pages[i].Glyphs) == 0:
			blank++
		case !UsableText(pages[i].Glyphs):
			needOCR = append(needOCR, pages[i].Number)
			pages[i].Glyphs = nil
		}
	}
	if blank+len(needOCR) == len(pages) {
		return nil, fmt.Errorf("%s: %w: %s", path, ErrNoTextLayer, noTextReason(len(pages), blank, needOCR))
	}
	lo := layoutAll(pages)
	text := lo.text
	if strings.TrimSpace(text) == "" {
		// Text there is, but none of it reads along a line: only glyphs
		// at a slant (a diagonal watermark over scanned pages), or blanks.
		slanted, pagesWith := 0, 0
		for _, p := range pages {
			if n := len(p.Glyphs) - len(upright(p).Glyphs); n > 0 {
				slanted += n
				pagesWith++
			}
		}
		return nil, fmt.Errorf("%s: %w: the only text of its %s is %d glyphs set at a slant on %s (a watermark), or white space",
			path, ErrNoTextLayer, plural(len(pages), "page"), slanted, plural(pagesWith, "page"))
	}
	doc, err := ReadText(path, []byte(text))
	if err != nil {
		return nil, err
	}
	lo.attach(doc)
	doc.Encoding = ""
	doc.Pages = len(pages)
	doc.NeedsOCR = needOCR
	doc.Backend = reader
	return doc, nil
}

// noTextReason says how the pages of a PDF without a usable text layer fall.
func noTextReason(pages, blank int, garbled []int) string {
	var parts []string
	if blank > 0 {
		parts = append(parts, fmt.Sprintf("%d without text (images only)", blank))
	}
	if len(garbled) > 0 {
		nums := make([]string, len(garbled))
		for i, n := range garbled {
			nums[i] = fmt.Sprint(n)
		}
		if len(nums) > 10 {
			nums = append(nums[:10], "…")
		}
		parts = append(parts, fmt.Sprintf("%d whose text does not decode (fonts without Unicode maps: page %s)", len(garbled), strings.Join(nums, ", ")))
	}
	return fmt.Sprintf("none of its %s has text to read: %s", plural(pages, "page"), strings.Join(parts, ", "))
}

// plural counts things: "1 page", "3 pages".
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}
