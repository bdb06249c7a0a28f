package extract

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/enums"
	pdfiumerrors "github.com/klippa-app/go-pdfium/errors"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// Pdfium reads PDFs with PDFium compiled to WebAssembly (go-pdfium on
// wazero: pure Go, no cgo). The compiled module is cached on disk
// (CacheDir), so only the first process pays the ~6 s compilation.
type Pdfium struct {
	// CacheDir keeps wazero's compilation cache; empty means the user cache
	// folder (…/gongkai/wazero), or no cache when there is none.
	CacheDir string
	// Workers bounds the PDFium instances used at once.
	Workers int
}

var (
	pdfiumOnce sync.Once
	pdfiumPool pdfium.Pool
	pdfiumErr  error
)

func (p *Pdfium) Name() string { return "pdfium" }

func (p *Pdfium) pool() (pdfium.Pool, error) {
	pdfiumOnce.Do(func() {
		dir := p.CacheDir
		if dir == "" {
			if d, err := os.UserCacheDir(); err == nil {
				dir = filepath.Join(d, "gongkai", "wazero")
			}
		}
		// PDFium's module uses WebAssembly exception handling.
		rc := wazero.NewRuntimeConfigCompiler().WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling)
		if dir != "" {
			if err := os.MkdirAll(dir, 0o755); err == nil {
				if cache, err := wazero.NewCompilationCacheWithDir(dir); err == nil {
					rc = rc.WithCompilationCache(cache)
				}
			}
		}
		workers := p.Workers
		if workers <= 0 {
			workers = 2
		}
		pdfiumPool, pdfiumErr = webassembly.Init(webassembly.Config{
			MinIdle: 1, MaxIdle: workers, MaxTotal: workers, RuntimeConfig: rc,
			Stdout: io.Discard, Stderr: io.Discard, ReuseWorkers: true,
		})
	})
	return pdfiumPool, pdfiumErr
}

// Pages reads every page's glyphs and ruling lines. A long document is
// split across the pool's instances, each reading every other page.
func (p *Pdfium) Pages(ctx context.Context, pdf []byte) (pages []PDFPage, err error) {
	head := string(pdf[:min(len(pdf), 1024)])
	if !strings.Contains(head, "%PDF-") {
		return nil, fmt.Errorf("%w (no %%PDF- header in its first 1024 bytes)", ErrNotPDF)
	}
	pool, err := p.pool()
	if err != nil {
		return nil, fmt.Errorf("start pdfium: %w", err)
	}
	inst, err := pool.GetInstance(30 * time.Second)
	if err != nil {
		return nil, fmt.Errorf("pdfium instance: %w", err)
	}
	defer inst.Close()
	var count int
	err = safely("pdfium", func() error {
		count, err = pageCount(inst, pdf)
		return err
	})
	if err != nil {
		return nil, err
	}
	workers := max(p.Workers, 1)
	if p.Workers == 0 {
		workers = 2
	}
	if count < 8 {
		workers = 1
	}
	// Extra instances only when free right now: two documents read at once
	// must not each hold one instance while waiting for another.
	insts := []pdfium.Pdfium{inst}
	for len(insts) < workers {
		extra, err := pool.GetInstance(time.Millisecond)
		if err != nil {
			break
		}
		defer extra.Close()
		insts = append(insts, extra)
	}
	pages = make([]PDFPage, count)
	errs := make([]error, len(insts))
	var wg sync.WaitGroup
	for w, wi := range insts {
		wg.Add(1)
		go func(w int, wi pdfium.Pdfium) {
			defer wg.Done()
			errs[w] = safely("pdfium", func() error {
				return readPdfium(ctx, wi, pdf, w, len(insts), pages)
			})
		}(w, wi)
	}
	wg.Wait()
	for _, e := range errs {
		if e != nil {
			return nil, e
		}
	}
	return pages, nil
}

func openPdfium(inst pdfium.Pdfium, pdf []byte) (references.FPDF_DOCUMENT, error) {
	doc, err := inst.OpenDocument(&requests.OpenDocument{File: &pdf})
	if err != nil {
		return "", openError(err)
	}
	return doc.Document, nil
}

// openError says why PDFium could not open a document.
func openError(err error) error {
	switch {
	case errors.Is(err, pdfiumerrors.ErrPassword), strings.Contains(strings.ToLower(err.Error()), "password"):
		return ErrEncrypted
	case errors.Is(err, pdfiumerrors.ErrSecurity):
		return fmt.Errorf("%w; its security handler is not supported", ErrEncrypted)
	case errors.Is(err, pdfiumerrors.ErrFormat):
		return fmt.Errorf("%w (PDFium: %v)", ErrDamaged, err)
	}
	return fmt.Errorf("open PDF: %w", err)
}

func pageCount(inst pdfium.Pdfium, pdf []byte) (int, error) {
	doc, err := openPdfium(inst, pdf)
	if err != nil {
		return 0, err
	}
	defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: doc})
	n, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: doc})
	if err != nil {
		return 0, fmt.Errorf("page count: %w", err)
	}
	if n.PageCount == 0 {
		return 0, ErrNoPages
	}
	return n.PageCount, nil
}

// readPdfium reads pages first, first+step, … into pages.
func readPdfium(ctx context.Context, inst pdfium.Pdfium, pdf []byte, first, step int, pages []PDFPage) error {
	doc, err := openPdfium(inst, pdf)
	if err != nil {
		return err
	}
	defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: doc})
	for i := first; i < len(pages); i += step {
		if err := ctx.Err(); err != nil {
			return err
		}
		var pg PDFPage
		err := safely("pdfium", func() (err error) {
			pg, err = readPdfiumPage(inst, doc, i)
			return err
		})
		if err != nil {
			return fmt.Errorf("page %d could not be decoded: %w", i+1, err)
		}
		pages[i] = pg
	}
	return nil
}

func readPdfiumPage(inst pdfium.Pdfium, doc references.FPDF_DOCUMENT, index int) (PDFPage, error) {
	pg := PDFPage{Number: index + 1}
	loaded, err := inst.FPDF_LoadPage(&requests.FPDF_LoadPage{Document: doc, Index: index})
	if err != nil {
		return pg, err
	}
	defer inst.FPDF_ClosePage(&requests.FPDF_ClosePage{Page: loaded.Page})
	ref := requests.Page{ByReference: &loaded.Page}
	// Glyph boxes and path bounds are in PDF user space: the page as stored
	// (before /Rotate), y upwards. They are kept in that frame, measured from
	// the top-left corner of the visible page box (CropBox within MediaBox);
	// upright (rotate.go) turns the page to its reading direction later.
	bbox, err := inst.FPDF_GetPageBoundingBox(&requests.FPDF_GetPageBoundingBox{Page: ref})
	if err != nil {
		return pg, fmt.Errorf("page box: %w", err)
	}
	left, top := float64(bbox.Rect.Left), float64(bbox.Rect.Top)
	pg.Width, pg.Height = float64(bbox.Rect.Right)-left, top-float64(bbox.Rect.Bottom)
	if rot, err := inst.FPDFPage_GetRotation(&requests.FPDFPage_GetRotation{Page: ref}); err == nil {
		pg.Rotation = int(rot.PageRotation) * 90
	}
	text, err := inst.GetPageTextStructured(&requests.GetPageTextStructured{Page: ref, Mode: requests.GetPageTextStructuredModeChars})
	if err != nil {
		return pg, fmt.Errorf("text: %w", err)
	}
	pg.Glyphs = make([]Glyph, 0, len(text.Chars))
	for _, c := range text.Chars {
		if c.Text == "" || c.Text == "\r" || c.Text == "\n" {
			continue
		}
		b := c.PointPosition
		pg.Glyphs = append(pg.Glyphs, Glyph{Text: c.Text, X0: b.Left - left, X1: b.Right - left, Y0: top - b.Top, Y1: top - b.Bottom, Angle: c.Angle})
	}
	objs, err := inst.FPDFPage_CountObjects(&requests.FPDFPage_CountObjects{Page: ref})
	if err != nil {
		return pg, fmt.Errorf("objects: %w", err)
	}
	page := func(x, y float64) (float64, float64) { return x - left, top - y }
	for k := 0; k < objs.Count; k++ {
		o, err := inst.FPDFPage_GetObject(&requests.FPDFPage_GetObject{Page: ref, Index: k})
		if err != nil {
			continue
		}
		pg.Rules = append(pg.Rules, objectRules(inst, o.PageObject, page, 0)...)
	}
	return pg, nil
}

// objectRules are the ruling lines a page object draws: a stroked path, or
// a thin filled one; a form XObject's own objects, in the form's space
// mapped through its matrix (office suites that draw a table inside a form:
// Beijing's 预算01表). toPage maps a point of the object's space to the page
// frame of readPdfiumPage.
func objectRules(inst pdfium.Pdfium, obj references.FPDF_PAGEOBJECT, toPage func(x, y float64) (float64, float64), depth int) []Rule {
	t, err := inst.FPDFPageObj_GetType(&requests.FPDFPageObj_GetType{PageObject: obj})
	if err != nil {
		return nil
	}
	switch t.Type {
	case enums.FPDF_PAGEOBJ_FORM:
		if depth >= 8 {
			return nil // forms nested this deep draw no table
		}
		n, err := inst.FPDFFormObj_CountObjects(&requests.FPDFFormObj_CountObjects{PageObject: obj})
		if err != nil {
			return nil
		}
		m, err := inst.FPDFPageObj_GetMatrix(&requests.FPDFPageObj_GetMatrix{PageObject: obj})
		if err != nil {
			return nil
		}
		a, b, c, d, e, f := float64(m.Matrix.A), float64(m.Matrix.B), float64(m.Matrix.C), float64(m.Matrix.D), float64(m.Matrix.E), float64(m.Matrix.F)
		inner := func(x, y float64) (float64, float64) { return toPage(a*x+c*y+e, b*x+d*y+f) }
		var rules []Rule
		for k := 0; k < n.Count; k++ {
			o, err := inst.FPDFFormObj_GetObject(&requests.FPDFFormObj_GetObject{PageObject: obj, Index: uint64(k)})
			if err != nil {
				continue
			}
			rules = append(rules, objectRules(inst, o.PageObject, inner, depth+1)...)
		}
		return rules
	case enums.FPDF_PAGEOBJ_PATH:
	default:
		return nil
	}
	bd, err := inst.FPDFPageObj_GetBounds(&requests.FPDFPageObj_GetBounds{PageObject: obj})
	if err != nil {
		return nil
	}
	// The box's corners through the mapping (a rotation or flip of the form
	// turns them; the rules are the axis-aligned box around them).
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range [4][2]float32{{bd.Left, bd.Bottom}, {bd.Left, bd.Top}, {bd.Right, bd.Bottom}, {bd.Right, bd.Top}} {
		x, y := toPage(float64(p[0]), float64(p[1]))
		x0, x1, y0, y1 = math.Min(x0, x), math.Max(x1, x), math.Min(y0, y), math.Max(y1, y)
	}
	mode, err := inst.FPDFPath_GetDrawMode(&requests.FPDFPath_GetDrawMode{PageObject: obj})
	if err != nil {
		return nil
	}
	thin := x1-x0 <= thinRule || y1-y0 <= thinRule
	switch {
	case mode.Stroke:
		// A stroked path: a line, or a rectangle whose edges are borders.
	case thin && mode.FillMode != enums.FPDF_FILLMODE_NONE:
		// A filled hairline rectangle is how many producers draw a border,
		// unless it is white (a background strip).
		fc, err := inst.FPDFPageObj_GetFillColor(&requests.FPDFPageObj_GetFillColor{PageObject: obj})
		if err != nil || fc.FillColor.A == 0 || fc.FillColor.R > 230 && fc.FillColor.G > 230 && fc.FillColor.B > 230 {
			return nil
		}
	default:
		return nil // a filled area (cell shading, background): not a rule
	}
	return rulesOfBox(x0, y0, x1, y1)
}

// rulesOfBox turns a path's bounding box into ruling lines: a thin box is a
// line; a larger box (a cell drawn as a rectangle) gives its four edges.
const thinRule = 2.5 // points: a path thinner than this is a line

func rulesOfBox(x0, y0, x1, y1 float64) []Rule {
	const thin = thinRule
	w, h := x1-x0, y1-y0
	switch {
	case w <= 0 && h <= 0:
		return nil
	case h <= thin && w > thin:
		y := (y0 + y1) / 2
		return []Rule{{x0, y, x1, y}}
	case w <= thin && h > thin:
		x := (x0 + x1) / 2
		return []Rule{{x, y0, x, y1}}
	case w > thin && h > thin && w < 2000 && h < 2000:
		return []Rule{{x0, y0, x1, y0}, {x0, y1, x1, y1}, {x0, y0, x0, y1}, {x1, y0, x1, y1}}
	}
	return nil
}
