package extract

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/klippa-app/go-pdfium/requests"
)

// OCR reads image-only pages: PDFium renders each page to a greyscale
// image, Tesseract 5 (CLI, TSV output) finds its words with boxes and
// confidences, and the table grid is rebuilt from the ruling lines found in
// the image. Binarizing and line removal made Tesseract's results worse, so
// the image is passed as rendered.
type OCR struct {
	Tesseract string // the tesseract binary; "" means "tesseract" on PATH
	Lang      string // "" means chi_sim
	PSM       int    // 0 means 11 (sparse text; see page)
	DPI       int    // 0 means 200
	Workers   int    // pages at once; 0 means 2
	Renderer  *Pdfium
	// PageOnly skips reading table cells on their own: only the page-level
	// words are used (faster, and much worse on degraded scans).
	PageOnly bool
}

// ErrNoOCR is returned when Tesseract is not installed.
var ErrNoOCR = errors.New("tesseract is not installed (Debian: tesseract-ocr tesseract-ocr-chi-sim)")

func (o *OCR) Name() string { return "tesseract" }

func (o *OCR) bin() string {
	if o.Tesseract != "" {
		return o.Tesseract
	}
	return "tesseract"
}

// Available reports whether Tesseract and the language model are installed.
func (o *OCR) Available() error {
	if _, err := exec.LookPath(o.bin()); err != nil {
		return ErrNoOCR
	}
	out, err := exec.Command(o.bin(), "--list-langs").CombinedOutput()
	if err != nil || !strings.Contains(string(out), o.lang()) {
		return fmt.Errorf("tesseract has no %s model (Debian: tesseract-ocr-chi-sim)", o.lang())
	}
	return nil
}

func (o *OCR) lang() string {
	if o.Lang != "" {
		return o.Lang
	}
	return "chi_sim"
}

// Pages renders and recognizes every page; words become glyphs (one per
// word, with its confidence), their boxes deskewed by the page's text angle.
func (o *OCR) Pages(ctx context.Context, pdf []byte) ([]PDFPage, error) {
	if err := o.Available(); err != nil {
		return nil, err
	}
	r := o.Renderer
	if r == nil {
		r = &Pdfium{}
	}
	dpi := o.DPI
	if dpi == 0 {
		dpi = 200
	}
	images, err := r.Render(ctx, pdf, dpi)
	if err != nil {
		return nil, err
	}
	workers := o.Workers
	if workers <= 0 {
		workers = 2
	}
	pages := make([]PDFPage, len(images))
	errs := make([]error, len(images))
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for i, img := range images {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int, img *image.Gray) {
			defer wg.Done()
			defer func() { <-sem }()
			pages[i], errs[i] = o.page(ctx, i+1, img, dpi)
		}(i, img)
	}
	wg.Wait()
	for i, e := range errs {
		if e != nil {
			return nil, fmt.Errorf("page %d: %w", i+1, e)
		}
	}
	return pages, nil
}

// pgm encodes a greyscale image as binary PGM, which Tesseract reads from stdin.
func pgm(img *image.Gray) []byte {
	b := img.Bounds()
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "P5\n%d %d\n255\n", b.Dx(), b.Dy())
	for y := b.Min.Y; y < b.Max.Y; y++ {
		buf.Write(img.Pix[(y-b.Min.Y)*img.Stride : (y-b.Min.Y)*img.Stride+b.Dx()])
	}
	return buf.Bytes()
}

type ocrWord struct {
	block, par, line int
	x0, y0, x1, y1   float64 // pixels
	conf             float64
	text             string
}

func (o *OCR) page(ctx context.Context, n int, img *image.Gray, dpi int) (PDFPage, error) {
	// Page-segmentation mode 11 (sparse text): the table grid comes from
	// the ruling lines, so Tesseract need only find words. Measured on the
	// scanned fixtures it found 2–4× the amount cells of mode 4, which
	// misses shaded header rows (BENCHMARKS.md).
	psm := o.PSM
	if psm == 0 {
		psm = 11
	}
	// The page's tilt, from the projection profile. Tesseract reads the page
	// as scanned (resampling the image costs it accuracy); its word boxes
	// and the ruling lines found in a straightened copy are then rotated
	// into one straight frame, where the table grid is rebuilt as for a PDF.
	angle := projectionSkew(img)
	rules := detectRules(img, angle)
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, o.bin(), "stdin", "stdout", "-l", o.lang(), "--psm", strconv.Itoa(psm), "tsv")
	// One thread per process: pages run in parallel instead (OpenMP threads
	// in each process made a page 5× slower on two cores).
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	cmd.Stdin = bytes.NewReader(pgm(img))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return PDFPage{}, fmt.Errorf("tesseract: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	words, _ := parseTSV(out)
	scale := 72 / float64(dpi)
	b := img.Bounds()
	pg := PDFPage{Number: n, Width: float64(b.Dx()) * scale, Height: float64(b.Dy()) * scale}
	cx, cy := float64(b.Dx())/2, float64(b.Dy())/2
	sin, cos := math.Sin(-angle), math.Cos(-angle)
	rot := func(x, y float64) (float64, float64) {
		dx, dy := x-cx, y-cy
		return cx + dx*cos - dy*sin, cy + dx*sin + dy*cos
	}
	// Table cells are read one by one (below); page-level words inside a
	// table are kept only where a cell read came back empty.
	var tables []*table
	var ptRules []Rule
	for _, r := range rules {
		ptRules = append(ptRules, Rule{r.X0 * scale, r.Y0 * scale, r.X1 * scale, r.Y1 * scale})
	}
	if !o.PageOnly {
		tables = findTables(ptRules)
	}
	var pageWords []Glyph
	for _, w := range words {
		// Rotate the box's center; keep its size.
		mx, my := rot((w.x0+w.x1)/2, (w.y0+w.y1)/2)
		hw, hh := (w.x1-w.x0)/2, (w.y1-w.y0)/2
		pageWords = append(pageWords, Glyph{Text: w.text, X0: (mx - hw) * scale, Y0: (my - hh) * scale, X1: (mx + hw) * scale, Y1: (my + hh) * scale, Conf: math.Max(w.conf, 0.01)}) // Conf > 0 marks an OCR word
	}
	// Cells whose page-level words Tesseract was sure of keep them; the
	// others are read again on their own, and that read replaces the words.
	cellGlyphs, cellBoxes := o.readCells(ctx, img, angle, tables, scale, pageWords)
	for _, g := range pageWords {
		if !insideAny(g, cellBoxes) {
			pg.Glyphs = append(pg.Glyphs, g)
		}
	}
	pg.Glyphs = append(pg.Glyphs, cellGlyphs...)
	pg.Rules = ptRules
	return pg, nil
}

// projectionSkew estimates a scanned page's rotation: the angle (within
// ±2°) at which the rows of dark pixels are most sharply separated — text
// lines and table rules then fall on few rows.
func projectionSkew(img *image.Gray) float64 {
	const step = 4 // work on every 4th pixel
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	type pt struct{ x, y float64 }
	var dark []pt
	for y := 0; y < h; y += step {
		for x := 0; x < w; x += step {
			if img.Pix[y*img.Stride+x] < 128 {
				dark = append(dark, pt{float64(x), float64(y)})
			}
		}
	}
	if len(dark) < 100 {
		return 0
	}
	best, bestScore := 0.0, -1.0
	bins := make([]float64, h/step+200)
	for a := -2.0; a <= 2.0001; a += 0.1 {
		t := math.Tan(a * math.Pi / 180)
		for i := range bins {
			bins[i] = 0
		}
		for _, p := range dark {
			k := int((p.y-p.x*t)/step) + 100
			if k >= 0 && k < len(bins) {
				bins[k]++
			}
		}
		score := 0.0
		for _, v := range bins {
			score += v * v
		}
		if score > bestScore {
			best, bestScore = a, score
		}
	}
	return best * math.Pi / 180
}

// rotateGray rotates an image by angle (radians) about its center, white
// outside, nearest neighbour.
func rotateGray(img *image.Gray, angle float64) *image.Gray {
	if math.Abs(angle) < 1e-4 {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	out := image.NewGray(image.Rect(0, 0, w, h))
	cx, cy := float64(w)/2, float64(h)/2
	sin, cos := math.Sin(-angle), math.Cos(-angle)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			dx, dy := float64(x)-cx, float64(y)-cy
			sx, sy := int(cx+dx*cos-dy*sin+0.5), int(cy+dx*sin+dy*cos+0.5)
			v := uint8(255)
			if sx >= 0 && sy >= 0 && sx < w && sy < h {
				v = img.Pix[sy*img.Stride+sx]
			}
			out.Pix[y*out.Stride+x] = v
		}
	}
	return out
}

// parseTSV reads Tesseract's TSV: words, and the ruling lines it reports as
// empty blocks a pixel or two thick.
func parseTSV(out []byte) (words, rules []ocrWord) {
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) < 12 || f[0] != "5" {
			continue
		}
		num := func(i int) float64 { v, _ := strconv.ParseFloat(f[i], 64); return v }
		w := ocrWord{block: int(num(2)), par: int(num(3)), line: int(num(4)),
			x0: num(6), y0: num(7), conf: num(10)}
		w.x1, w.y1 = w.x0+num(8), w.y0+num(9)
		text := strings.TrimSpace(strings.Trim(f[11], "|｜丨"))
		if text == "" {
			if (w.y1-w.y0 <= 6 && w.x1-w.x0 >= 60) || (w.x1-w.x0 <= 6 && w.y1-w.y0 >= 60) {
				rules = append(rules, w)
			}
			continue
		}
		w.text = text
		words = append(words, w)
	}
	return words, rules
}

// Render draws every page of a PDF as a greyscale image at dpi.
func (p *Pdfium) Render(ctx context.Context, pdf []byte, dpi int) (imgs []*image.Gray, err error) {
	pool, err := p.pool()
	if err != nil {
		return nil, fmt.Errorf("start pdfium: %w", err)
	}
	inst, err := pool.GetInstance(30 * time.Second)
	if err != nil {
		return nil, err
	}
	defer inst.Close()
	err = safely("pdfium render", func() error {
		doc, err := openPdfium(inst, pdf)
		if err != nil {
			return err
		}
		defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: doc})
		n, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: doc})
		if err != nil {
			return err
		}
		if n.PageCount == 0 {
			return ErrNoPages
		}
		for i := 0; i < n.PageCount; i++ {
			if err := ctx.Err(); err != nil {
				return err
			}
			r, err := inst.RenderPageInDPI(&requests.RenderPageInDPI{
				Page: requests.Page{ByIndex: &requests.PageByIndex{Document: doc, Index: i}}, DPI: dpi,
				ImageFormat: requests.RenderImageFormatGrayscale,
			})
			if err != nil {
				return fmt.Errorf("render page %d: %w", i+1, err)
			}
			src, ok := r.Result.RenderedImage.(*image.Gray)
			if !ok {
				r.Cleanup()
				return fmt.Errorf("render page %d: unexpected image type %T", i+1, r.Result.RenderedImage)
			}
			// The WebAssembly buffer is released by Cleanup: keep a copy.
			cp := &image.Gray{Pix: append([]byte(nil), src.Pix...), Stride: src.Stride, Rect: src.Rect}
			r.Cleanup()
			imgs = append(imgs, cp)
		}
		return nil
	})
	return imgs, err
}

// ReadScanned reads an image-only PDF with OCR into a Document, the same
// shape as a text export. Document.Words keeps each line's recognized words
// with their confidences.
func ReadScanned(ctx context.Context, path string, b []byte, o *OCR) (*Document, error) {
	pages, err := o.Pages(ctx, b)
	if err != nil {
		return nil, fmt.Errorf("%s: OCR: %w", path, err)
	}
	lo := layoutAll(pages)
	if strings.TrimSpace(lo.text) == "" {
		// Not "file is empty": the file has pages, OCR read nothing on them.
		n := fmt.Sprintf("%d pages", len(pages))
		if len(pages) == 1 {
			n = "1 page"
		}
		return nil, fmt.Errorf("%s: OCR found no text on its %s (blank, or images Tesseract cannot read)", path, n)
	}
	doc, err := ReadText(path, []byte(lo.text))
	if err != nil {
		return nil, err
	}
	lo.attach(doc)
	doc.Encoding = ""
	doc.Pages = len(pages)
	doc.Backend = o.Name()
	doc.Words = lo.words
	return doc, nil
}

// detectRules finds a scanned page's ruling lines: long runs of dark pixels,
// horizontal and vertical, in the page deskewed by angle. Coordinates are
// pixels of the deskewed page.
func detectRules(img *image.Gray, angle float64) []Rule {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	cx, cy := float64(w)/2, float64(h)/2
	sin, cos := math.Sin(angle), math.Cos(angle)
	dark := make([]bool, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			// The source pixel of deskewed (x, y): rotate back by angle.
			dx, dy := float64(x)-cx, float64(y)-cy
			sx, sy := int(cx+dx*cos-dy*sin+0.5), int(cy+dx*sin+dy*cos+0.5)
			if sx < 0 || sy < 0 || sx >= w || sy >= h {
				continue
			}
			dark[y*w+x] = img.Pix[sy*img.Stride+sx] < 200 // grid lines may be light grey
		}
	}
	type seg struct{ a, b, at int }
	// runs returns dark runs of at least minLen along one axis, bridging
	// gaps of up to maxGap pixels (specks, breaks in a scanned line).
	runs := func(n, length int, at func(i, j int) bool, minLen, maxGap int) []seg {
		var out []seg
		for i := 0; i < n; i++ {
			start, gap := -1, 0
			for j := 0; j <= length; j++ {
				d := j < length && at(i, j)
				switch {
				case d && start < 0:
					start, gap = j, 0
				case d:
					gap = 0
				case start >= 0:
					gap++
					if gap > maxGap || j == length {
						if end := j - gap + 1; end-start >= minLen {
							out = append(out, seg{start, end, i})
						}
						start = -1
					}
				}
			}
		}
		return out
	}
	merge := func(ss []seg, horizontal bool) []Rule {
		// Runs on neighbouring rows (or columns) that overlap are one line.
		sort.Slice(ss, func(i, j int) bool { return ss[i].at < ss[j].at || ss[i].at == ss[j].at && ss[i].a < ss[j].a })
		var out []Rule
		used := make([]bool, len(ss))
		for i := range ss {
			if used[i] {
				continue
			}
			a, bb, lo, hi := ss[i].a, ss[i].b, ss[i].at, ss[i].at
			used[i] = true
			for j := i + 1; j < len(ss) && ss[j].at <= hi+2; j++ {
				// Overlapping, or continuing end to end (a line still slightly tilted).
				if !used[j] && ss[j].a < bb+6 && a < ss[j].b+6 {
					used[j] = true
					a, bb, hi = min(a, ss[j].a), max(bb, ss[j].b), max(hi, ss[j].at)
				}
			}
			if hi-lo > 8 {
				continue // a thick bar or a block of text, not a rule
			}
			mid := float64(lo+hi) / 2
			if horizontal {
				out = append(out, Rule{float64(a), mid, float64(bb), mid})
			} else {
				out = append(out, Rule{mid, float64(a), mid, float64(bb)})
			}
		}
		return out
	}
	// Bridged gaps stay short along text rows, so that a line of closely
	// set characters is not mistaken for a rule.
	hs := runs(h, w, func(y, x int) bool { return dark[y*w+x] }, w/10, 2)
	vs := runs(w, h, func(x, y int) bool { return dark[y*w+x] }, 40, 4)
	return append(merge(hs, true), merge(vs, false)...)
}

// readCells reads the cells of the page's ruled tables on their own:
// Tesseract in single-line mode (psm 7) over crops of the straightened page,
// all crops of a page in one process. Cells the page-level read was unsure
// of are read again with the page's language. Then the cells of numeric
// columns (most of whose cells read as numbers) are read again with the
// English model restricted to digits, ".", "," and "-", at the crop's size
// and at twice it: the Chinese model reads a lone 7 as 了 and 1.75 as 人,
// and drops digits of short figures (measured on the scanned fixtures,
// BENCHMARKS.md). Of a cell's readings that are numbers, the one Tesseract
// was surest of wins; the others go with it as alternatives (Glyph.Alt),
// for the arithmetic checks to choose from. It returns one glyph per cell
// read again, and the boxes of those cells (in the same order).
func (o *OCR) readCells(ctx context.Context, img *image.Gray, angle float64, tables []*table, scale float64, words []Glyph) ([]Glyph, []cellBox) {
	type cell struct {
		box     cellBox
		page    string // the page-level words inside it
		crop    string // the crop file; "" when the cell is blank
		best    cropRead
		reads   []cropRead // every reading, the page-level one first
		reRead  bool
		pointed bool // its column prints decimal points
	}
	var cells []*cell
	for _, t := range tables {
		for _, b := range t.cells() {
			c := &cell{box: b}
			n := 0
			var parts []string
			for _, g := range words {
				if insideAny(g, []cellBox{b}) {
					n++
					c.best.conf += g.Conf
					parts = append(parts, g.Text)
				}
			}
			if n > 0 {
				c.best.conf /= float64(n)
			}
			c.page = strings.Join(parts, "")
			c.best.text = c.page
			c.reads = append(c.reads, c.best)
			cells = append(cells, c)
		}
	}
	if len(cells) == 0 {
		return nil, nil
	}
	straight := rotateGray(img, -angle)
	dir, err := os.MkdirTemp("", "gongkai-ocr")
	if err != nil {
		return nil, nil
	}
	defer os.RemoveAll(dir)
	for i, c := range cells {
		c.crop = writeCrop(straight, c.box, scale, filepath.Join(dir, fmt.Sprintf("c%04d.pgm", i)))
	}
	// Second read: the cells the page was unsure of, in the page's language.
	var unsure []*cell
	for _, c := range cells {
		if c.crop != "" && (c.page == "" || c.best.conf < 85) {
			unsure = append(unsure, c)
		}
	}
	var crops []string
	for _, c := range unsure {
		crops = append(crops, c.crop)
	}
	for i, r := range o.readCrops(ctx, dir, "lang", crops, "-l", o.lang(), "--psm", "7") {
		c := unsure[i]
		c.reRead = true
		c.reads = append(c.reads, r)
		if r.text != "" {
			c.best = r
		}
	}
	// Third read: numeric columns, digits only.
	type colKey struct{ x0, x1 int }
	numbers, words2, decimals := map[colKey]int{}, map[colKey]int{}, map[colKey]int{}
	key := func(b cellBox) colKey { return colKey{int(math.Round(b.X0)), int(math.Round(b.X1))} }
	for _, c := range cells {
		switch {
		case IsNumber(c.best.text):
			numbers[key(c.box)]++
			if strings.Contains(c.best.text, ".") {
				decimals[key(c.box)]++
			}
		case HanCount(c.best.text) > 2:
			words2[key(c.box)]++
		}
	}
	// A column is of codes (3, 5 or 7 digits, no point) when most of its
	// numbers are: a figure misread as 212 does not make its column one.
	codes := map[colKey]int{}
	for _, c := range cells {
		if isCode(c.best.text) {
			codes[key(c.box)]++
		}
	}
	codeCol := map[colKey]bool{}
	for k, n := range codes {
		codeCol[k] = n*2 > numbers[k]
	}
	// Of the other numbers, most printed with a point means the tables print
	// decimals (万元 to two places), so a figure read without one lost it.
	amounts, pointedAmounts := 0, 0
	for k, n := range numbers {
		if !codeCol[k] {
			amounts += n
			pointedAmounts += decimals[k]
		}
	}
	tablePointed := amounts >= 4 && pointedAmounts*5 >= amounts*4
	var digits []*cell
	crops = crops[:0]
	for _, c := range cells {
		k := key(c.box)
		// A cell the page read surely as a number keeps it (codes and sure
		// figures are not put at risk), unless the page prints decimals and
		// it has none: a dropped point, as in 173 for 1.75. The rest of a
		// numeric column is read again.
		pointed := !codeCol[k] && (tablePointed || decimals[k]*5 >= numbers[k]*4)
		t := c.best.text
		if c.crop == "" || numbers[k] < 2 || numbers[k] < words2[k] || HanCount(t) > 2 || codeCol[k] ||
			(IsNumber(t) && !c.reRead && !(pointed && !strings.Contains(t, "."))) {
			continue
		}
		c.pointed = pointed
		digits = append(digits, c)
		crops = append(crops, c.crop)
	}
	// At 200 dpi a decimal point is a few pixels: either size alone drops
	// it from some cells.
	var big *image.Gray
	if len(digits) > 0 {
		big = upscale2(straight)
	}
	doubled := make([]string, len(digits))
	for i, c := range digits {
		doubled[i] = writeCrop(big, c.box, scale/2, filepath.Join(dir, fmt.Sprintf("d%04d.pgm", i)))
	}
	digitArgs := []string{"-l", "eng", "--psm", "7", "-c", "tessedit_char_whitelist=0123456789.,-"}
	single := o.readCrops(ctx, dir, "digits1", crops, digitArgs...)
	for i, r2 := range o.readCrops(ctx, dir, "digits2", doubled, digitArgs...) {
		c := digits[i]
		for _, r := range []cropRead{r2, single[i]} {
			r.text = digitRead(r.text)
			c.reads = append(c.reads, r)
		}
		// The surest reading that is a number (with a point, where the
		// column prints them) wins over the cell's reading so far.
		best, found := cropRead{}, false
		for _, r := range c.reads {
			if IsNumber(r.text) && (!c.pointed || strings.Contains(r.text, ".")) && (!found || r.conf > best.conf) {
				best, found = r, true
			}
		}
		if found {
			c.best, c.reRead = best, true
		}
	}
	var gs []Glyph
	var filled []cellBox
	for _, c := range cells {
		if !c.reRead || c.best.text == "" {
			continue
		}
		// One glyph per cell, placed in the cell's middle, with the other
		// numbers it was read as.
		var alt []string
		for _, r := range c.reads {
			if IsNumber(r.text) && r.text != c.best.text && !slices.Contains(alt, r.text) {
				alt = append(alt, r.text)
			}
		}
		cx, cy := (c.box.X0+c.box.X1)/2, (c.box.Y0+c.box.Y1)/2
		gs = append(gs, Glyph{Text: c.best.text, X0: cx - 1, X1: cx + 1, Y0: cy - 1, Y1: cy + 1, Conf: math.Max(c.best.conf, 0.01), Alt: alt})
		filled = append(filled, c.box)
	}
	return gs, filled
}

// writeCrop writes a cell of the straightened page, cut inside its border
// lines, as a PGM file, and returns its name; "" when the cell is blank
// (specks at most) or too small to hold text. The cut is found from the
// rules themselves (see ruleEdge): right-aligned figures often run up to the
// rule, and a fixed inset cut off their last digit.
func writeCrop(straight *image.Gray, b cellBox, scale float64, name string) string {
	w, h := straight.Rect.Dx(), straight.Rect.Dy()
	bx0, by0 := int(b.X0/scale), int(b.Y0/scale)
	bx1, by1 := int(b.X1/scale), int(b.Y1/scale)
	// The paper's shade inside the cell (scanned paper is grey, and a rule
	// may be only a little darker): the median of the cell's pixels.
	var hist [256]int
	n := 0
	for y := max(by0+4, 0); y < min(by1-4, h); y++ {
		for x := max(bx0+4, 0); x < min(bx1-4, w); x++ {
			hist[straight.Pix[y*straight.Stride+x]]++
			n++
		}
	}
	paper := 255
	for v, seen := 0, 0; v < 256 && n > 0; v++ {
		if seen += hist[v]; seen*2 >= n {
			paper = v
			break
		}
	}
	dark := func(x, y int) bool {
		return x >= 0 && y >= 0 && x < w && y < h && int(straight.Pix[y*straight.Stride+x]) < min(200, paper-20)
	}
	// Rows first (across the cell's width), then columns between them.
	y0 := ruleEdge(by0, +1, bx0+6, bx1-6, func(y, x int) bool { return dark(x, y) }, 3)
	y1 := ruleEdge(by1, -1, bx0+6, bx1-6, func(y, x int) bool { return dark(x, y) }, 3)
	x0 := ruleEdge(bx0, +1, y0, y1, dark, 4)
	x1 := ruleEdge(bx1, -1, y0, y1, dark, 3)
	if x1-x0 < 8 || y1-y0 < 8 {
		return ""
	}
	// The crop is the ink's bounding box and a few pixels more, with a
	// margin of the paper's shade (so that its edge is not a line): faint
	// remnants of rules and shading elsewhere in the cell are left out.
	ink := 0
	ix0, iy0, ix1, iy1 := x1, y1, x0, y0
	for y := max(y0, 0); y < min(y1, h); y++ {
		for x := max(x0, 0); x < min(x1, w); x++ {
			if straight.Pix[y*straight.Stride+x] < 110 {
				ink++
				ix0, iy0, ix1, iy1 = min(ix0, x), min(iy0, y), max(ix1, x+1), max(iy1, y+1)
			}
		}
	}
	if ink < 25 {
		return ""
	}
	const grow, margin = 3, 10
	x0, y0, x1, y1 = max(x0, ix0-grow), max(y0, iy0-grow), min(x1, ix1+grow), min(y1, iy1+grow)
	// Contrast is stretched: the darkest ink to black, the paper to white.
	// Tesseract misread faint grey figures on grey paper (21.12 as 2012 or
	// 2412) that it reads right stretched.
	lo := 255
	for y := max(y0, 0); y < min(y1, h); y++ {
		for x := max(x0, 0); x < min(x1, w); x++ {
			lo = min(lo, int(straight.Pix[y*straight.Stride+x]))
		}
	}
	white := max(paper-8, lo+1)
	crop := image.NewGray(image.Rect(0, 0, x1-x0+2*margin, y1-y0+2*margin))
	for k := range crop.Pix {
		crop.Pix[k] = 255
	}
	for y := max(y0, 0); y < min(y1, h); y++ {
		for x := max(x0, 0); x < min(x1, w); x++ {
			v := (int(straight.Pix[y*straight.Stride+x]) - lo) * 255 / (white - lo)
			crop.Pix[(y-y0+margin)*crop.Stride+(x-x0+margin)] = uint8(min(max(v, 0), 255))
		}
	}
	if err := os.WriteFile(name, pgm(crop), 0o644); err != nil {
		return ""
	}
	return name
}

// ruleEdge finds where a cell's content starts, going inward (dir +1 or -1)
// from the grid position at: the first line past the innermost rule line
// (three quarters or more dark across from..to) within a few pixels either
// side of at. With no rule line there it falls back to a fixed inset.
func ruleEdge(at, dir, from, to int, dark func(line, along int) bool, inset int) int {
	if to-from < 4 {
		return at + dir*inset
	}
	found := false
	edge := at + dir*inset
	for line := at - dir*4; line != at+dir*9; line += dir {
		n := 0
		for k := from; k < to; k++ {
			if dark(line, k) {
				n++
			}
		}
		if n*4 >= (to-from)*3 {
			found, edge = true, line+dir*2
		} else if found {
			break
		}
	}
	if dir < 0 && found {
		edge++ // the far edge is exclusive
	}
	return edge
}

// cropRead is one Tesseract reading of a crop: its text without spaces and
// border strokes, and Tesseract's confidence (0–100, the least of its words).
type cropRead struct {
	text string
	conf float64
}

// readCrops runs one Tesseract process over the crop files (in order) and
// returns each one's reading; an empty one for a crop that read as nothing.
// A Tesseract failure reads as nothing.
func (o *OCR) readCrops(ctx context.Context, dir, name string, crops []string, args ...string) []cropRead {
	out := make([]cropRead, len(crops))
	if len(crops) == 0 {
		return out
	}
	listFile := filepath.Join(dir, name+".txt")
	if err := os.WriteFile(listFile, []byte(strings.Join(crops, "\n")+"\n"), 0o644); err != nil {
		return out
	}
	cmd := exec.CommandContext(ctx, o.bin(), append(append([]string{listFile, "stdout"}, args...), "tsv")...)
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	res, err := cmd.Output()
	if err != nil {
		return out
	}
	// Word rows (level 5) of image k carry page_num k+1, in reading order.
	seen := make([]bool, len(crops))
	sc := bufio.NewScanner(bytes.NewReader(res))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) < 12 || f[0] != "5" {
			continue
		}
		k, err := strconv.Atoi(f[1])
		if err != nil || k < 1 || k > len(crops) {
			continue
		}
		text := strings.Trim(strings.Join(strings.Fields(f[11]), ""), "|｜丨")
		if text == "" {
			continue
		}
		conf, _ := strconv.ParseFloat(f[10], 64)
		r := &out[k-1]
		if !seen[k-1] || conf < r.conf {
			r.conf = conf
		}
		seen[k-1] = true
		r.text += text
	}
	return out
}

// upscale2 doubles an image's size, interpolating bilinearly (pixel
// replication gives Tesseract staircase edges).
func upscale2(img *image.Gray) *image.Gray {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	out := image.NewGray(image.Rect(0, 0, w*2, h*2))
	at := func(x, y int) int {
		x, y = min(max(x, 0), w-1), min(max(y, 0), h-1)
		return int(img.Pix[y*img.Stride+x])
	}
	// The centre of output pixel i lies at i/2-0.25 in the source, a quarter
	// of the way from one source pixel to the next: phase gives that first
	// pixel and the next one's weight in quarters.
	phase := func(i int) (int, int) {
		if i%2 == 1 {
			return i / 2, 1
		}
		return i/2 - 1, 3
	}
	for y := 0; y < h*2; y++ {
		sy, fy := phase(y)
		for x := 0; x < w*2; x++ {
			sx, fx := phase(x)
			// Weights in quarters: (4-f) for the first pixel, f for the next.
			v := (4-fx)*(4-fy)*at(sx, sy) + fx*(4-fy)*at(sx+1, sy) + (4-fx)*fy*at(sx, sy+1) + fx*fy*at(sx+1, sy+1)
			out.Pix[y*out.Stride+x] = uint8((v + 8) / 16)
		}
	}
	return out
}

// digitRead cleans a digits-only read: a dash at either end is the cell's
// border, a leading point before a figure with its own point is a speck, and a comma before exactly two final digits is a decimal point
// (thousands separators group by three).
func digitRead(t string) string {
	t = strings.Trim(t, "-")
	if strings.Count(t, ".") > 1 && strings.HasPrefix(t, ".") {
		t = t[1:] // a speck before the figure read as a point: .151.43
	}
	if i := strings.LastIndexByte(t, ','); i >= 0 && len(t)-i == 3 && !strings.Contains(t, ".") {
		t = t[:i] + "." + t[i+1:]
	}
	return t
}

// isCode reports whether s looks like a classification code: 3, 5 or 7
// digits (201, 20131, 2013150; 301, 30101).
func isCode(s string) bool {
	if n := len(s); n != 3 && n != 5 && n != 7 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// insideAny reports whether a glyph's center lies in one of the boxes.
func insideAny(g Glyph, boxes []cellBox) bool {
	cx, cy := (g.X0+g.X1)/2, (g.Y0+g.Y1)/2
	for _, b := range boxes {
		if cx > b.X0 && cx < b.X1 && cy > b.Y0 && cy < b.Y1 {
			return true
		}
	}
	return false
}
