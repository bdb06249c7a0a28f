package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"

	"github.com/ledongthuc/pdf"
)

// Native reads PDFs in pure Go, producing the pages PDFium produces: the
// same glyphs (PDFium's text page: its Unicode values, its dropping of
// text drawn twice, its glyph boxes — the outline box of each glyph in the
// embedded font program — and angles) and the same ruling lines (the
// bounds of the page's stroked paths and thin filled ones, as PDFium's
// page objects report them), so that Layout reads a page the same either
// way, several times faster than PDFium in WebAssembly.
//
// Objects, cross-reference tables and streams, object streams, filters and
// the standard security handler come from github.com/ledongthuc/pdf; the
// content streams, fonts and CMaps are read here. What the native reader
// cannot read the way PDFium does — a font type or font program it does not
// read, a font that is not embedded (PDFium draws it with a substitute
// whose glyph boxes are PDFium's own), a predefined CMap other than
// Identity, vertical writing, text replaced by /ActualText, a damaged file
// — is an error wrapping ErrNativeUnsupported that says what, so that Auto
// can hand the document to PDFium.
type Native struct{}

// ErrNativeUnsupported marks a document the native reader does not read
// the way PDFium does.
var ErrNativeUnsupported = errors.New("not read by the native PDF reader")

type nativeError struct{ what string }

func (e *nativeError) Error() string        { return "native PDF reader: " + e.what }
func (e *nativeError) Is(target error) bool { return target == ErrNativeUnsupported }

func unsupportedf(format string, a ...any) error {
	return &nativeError{fmt.Sprintf(format, a...)}
}

func (Native) Name() string { return "native" }

// Pages reads every page of a PDF.
func (Native) Pages(ctx context.Context, b []byte) ([]PDFPage, error) {
	pages, _, err := readNative(ctx, b)
	return pages, err
}

// nativeInfo is what the native reader knows of a page beyond PDFPage:
// whether some glyph came out as its raw code because its font has no
// Unicode value for it (PDFium shows the code too).
type nativeInfo struct {
	rawCodes bool
}

func readNative(ctx context.Context, b []byte) (pages []PDFPage, infos []nativeInfo, err error) {
	if !bytes.Contains(b[:min(len(b), 1024)], []byte("%PDF-")) {
		return nil, nil, fmt.Errorf("%w (no %%PDF- header in its first 1024 bytes)", ErrNotPDF)
	}
	err = safely("native PDF reader", func() error {
		d, err := openNative(b)
		if err != nil {
			return err
		}
		pages = make([]PDFPage, len(d.pages))
		infos = make([]nativeInfo, len(d.pages))
		for i := range d.pages {
			if err := ctx.Err(); err != nil {
				return err
			}
			pg, info, err := d.readPage(i)
			if err != nil {
				return fmt.Errorf("page %d: %w", i+1, err)
			}
			pages[i], infos[i] = pg, info
		}
		return nil
	})
	if err != nil {
		var ne *nativeError
		if !errors.As(err, &ne) && !errors.Is(err, ErrNotPDF) && !errors.Is(err, ErrEncrypted) && !errors.Is(err, ErrNoPages) && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
			err = &nativeError{err.Error()}
		}
		return nil, nil, err
	}
	return pages, infos, nil
}

// nDoc is an open document.
type nDoc struct {
	r         *pdf.Reader
	data      []byte
	encrypted bool
	pages     []nPageRef
	fonts     map[objKey]*nFont
	forms     map[objKey]*nForm
	res       map[resKey]resEntry
	// objs holds indirect objects already resolved, by number and
	// generation (ledongthuc/pdf parses an object again on every access)
	objs map[uint64]pdf.Value
	// gstates holds ExtGState dictionaries read, by dictPtr
	gstates map[uintptr]nGState
	// runeStrs caches one-rune strings for the glyphs' Text
	runeStrs [1024]struct {
		r rune
		s string
	}
	// contentBuf holds the page's decoded content; reused page by page
	contentBuf []byte
	// scratch reused from page to page
	sc scratch
}

type nPageRef struct {
	v                  pdf.Value
	resources          pdf.Value
	mediaBox, cropBox  pdf.Value
	rotate             pdf.Value
	hasRotate, hasCrop bool
}

// objKey identifies a PDF object: its number and generation, and for a
// direct object the name under which it was found.
type objKey struct {
	id   uint64
	name string
}

// objID returns the object number and generation of the object a value
// was read from (ledongthuc/pdf keeps them unexported).
func objID(v pdf.Value) uint64 {
	p := reflect.ValueOf(v).Field(valuePtrField)
	return p.Field(0).Uint()<<16 | p.Field(1).Uint()
}

// The fields of pdf.Value read by reflection: ptr (the object it was read
// from) and data (the parsed value). Checked once.
var valuePtrField, valueDataField = func() (int, int) {
	t := reflect.TypeOf(pdf.Value{})
	p, ok1 := t.FieldByName("ptr")
	d, ok2 := t.FieldByName("data")
	if !ok1 || !ok2 || p.Type.Kind() != reflect.Struct || p.Type.NumField() < 2 {
		panic("github.com/ledongthuc/pdf: pdf.Value has changed; the native reader needs its ptr and data fields")
	}
	return p.Index[0], d.Index[0]
}()

// runeString is string(r), shared by the document's glyphs of rune r.
func (d *nDoc) runeString(r rune) string {
	e := &d.runeStrs[r&1023]
	if e.r != r || e.s == "" {
		e.r, e.s = r, string(r)
	}
	return e.s
}

// key returns v.Key(k), resolving an indirect reference only once per
// document.
func (d *nDoc) key(v pdf.Value, k string) pdf.Value {
	dv := reflect.ValueOf(v).Field(valueDataField)
	if !dv.IsValid() || dv.IsNil() {
		return v.Key(k)
	}
	dv = dv.Elem()
	if dv.Kind() != reflect.Map || dv.Type().Key().Kind() != reflect.String {
		return v.Key(k)
	}
	e := dv.MapIndex(reflect.ValueOf(k).Convert(dv.Type().Key()))
	if !e.IsValid() {
		return v.Key(k)
	}
	if e.Kind() == reflect.Interface {
		e = e.Elem()
	}
	if e.Kind() != reflect.Struct || e.Type() != objptrType {
		return v.Key(k)
	}
	id := e.Field(0).Uint()<<16 | e.Field(1).Uint()
	if r, ok := d.objs[id]; ok {
		return r
	}
	r := v.Key(k)
	d.objs[id] = r
	return r
}

// objptrType is the type of ledongthuc/pdf's indirect references.
var objptrType = reflect.TypeOf(pdf.Value{}).Field(valuePtrField).Type

// keyOf is the cache key of a value found under name in container: its
// own object when it is indirect, else its container and name.
func keyOf(container, v pdf.Value, name string) objKey {
	id := objID(v)
	if id != objID(container) {
		return objKey{id: id}
	}
	return objKey{id: id, name: name}
}

func openNative(b []byte) (*nDoc, error) {
	if !bytes.HasPrefix(b, []byte("%PDF-1.")) {
		return nil, unsupportedf("the file does not start with a %%PDF-1.x header")
	}
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if i := bytes.LastIndex(b, []byte("%%EOF")); err != nil && i > 0 && i+5 < len(b) {
		// Bytes after the last %%EOF (a comment or padding a server or a
		// tool appended): the file up to it is the PDF, as PDFium reads it.
		cut := b[:i+5]
		if r2, err2 := pdf.NewReader(bytes.NewReader(cut), int64(len(cut))); err2 == nil {
			r, err = r2, nil
		}
	}
	if err != nil {
		msg := err.Error()
		if errors.Is(err, pdf.ErrInvalidPassword) || strings.Contains(msg, "encrypt") || strings.Contains(msg, "password") {
			return nil, ErrEncrypted
		}
		return nil, unsupportedf("structure not readable: %v", err)
	}
	d := &nDoc{r: r, data: b, encrypted: !r.Trailer().Key("Encrypt").IsNull(), fonts: map[objKey]*nFont{}, forms: map[objKey]*nForm{}, res: map[resKey]resEntry{}, objs: map[uint64]pdf.Value{}, gstates: map[uintptr]nGState{}}
	root := r.Trailer().Key("Root").Key("Pages")
	if root.Kind() != pdf.Dict {
		return nil, unsupportedf("no page tree")
	}
	d.walkPages(root, nPageRef{}, 0, map[uint64]bool{})
	if len(d.pages) == 0 {
		return nil, ErrNoPages
	}
	if n := dictInt(root.Key("Count"), 0); n > 0 && n != len(d.pages) {
		return nil, unsupportedf("page tree has %d pages, its count says %d", len(d.pages), n)
	}
	return d, nil
}

// walkPages collects the leaves of the page tree with their inherited
// attributes.
func (d *nDoc) walkPages(node pdf.Value, inh nPageRef, depth int, seen map[uint64]bool) {
	if depth > 64 || len(d.pages) > 100000 {
		panic("page tree too deep")
	}
	if r := node.Key("Resources"); !r.IsNull() {
		inh.resources = r
	}
	if m := node.Key("MediaBox"); !m.IsNull() {
		inh.mediaBox = m
	}
	if c := node.Key("CropBox"); !c.IsNull() {
		inh.cropBox, inh.hasCrop = c, true
	}
	if r := node.Key("Rotate"); !r.IsNull() {
		inh.rotate, inh.hasRotate = r, true
	}
	kids := node.Key("Kids")
	if kids.Kind() != pdf.Array {
		inh.v = node
		d.pages = append(d.pages, inh)
		return
	}
	for i := 0; i < kids.Len(); i++ {
		k := kids.Index(i)
		if k.Kind() != pdf.Dict {
			continue
		}
		id := objID(k)
		if seen[id] {
			panic("page tree loops")
		}
		seen[id] = true
		d.walkPages(k, inh, depth+1, seen)
	}
}

// pageBox reads a box array as PDFium's CPDF_Page::GetBox: normalized, or
// empty when it is not an array of four numbers.
func pageBox(v pdf.Value) [4]fl {
	if v.Kind() != pdf.Array || v.Len() != 4 {
		return [4]fl{}
	}
	var r [4]fl
	for i := range r {
		r[i] = fl(float32(v.Index(i).Float64()))
	}
	if r[0] > r[2] {
		r[0], r[2] = r[2], r[0]
	}
	if r[1] > r[3] {
		r[1], r[3] = r[3], r[1]
	}
	return r
}

func boxEmpty(r [4]fl) bool { return r[0] >= r[2] || r[1] >= r[3] }

// readPage reads one page.
func (d *nDoc) readPage(i int) (PDFPage, nativeInfo, error) {
	ref := d.pages[i]
	pg := PDFPage{Number: i + 1}
	media := pageBox(ref.mediaBox)
	if boxEmpty(media) {
		media = [4]fl{0, 0, 612, 792}
	}
	bbox := media
	if ref.hasCrop {
		c := pageBox(ref.cropBox)
		if !boxEmpty(c) {
			bbox = [4]fl{max(c[0], media[0]), max(c[1], media[1]), min(c[2], media[2]), min(c[3], media[3])}
			if bbox[0] > bbox[2] || bbox[1] > bbox[3] {
				bbox = [4]fl{}
			}
		}
	}
	rot := 0
	if ref.hasRotate {
		rot = valueInt(ref.rotate) / 90 % 4
		if rot < 0 {
			rot += 4
		}
	}
	pg.Rotation = rot * 90
	left, bottom, right, top := float32(bbox[0]), float32(bbox[1]), float32(bbox[2]), float32(bbox[3])
	pg.Width, pg.Height = float64(right)-float64(left), float64(top)-float64(bottom)

	content, err := d.pageContent(ref.v.Key("Contents"))
	if err != nil {
		return pg, nativeInfo{}, err
	}
	p := newPageRun(d, ref.resources, bbox, rot)
	if err := p.run(content, ref.resources, identity, 0); err != nil {
		return pg, nativeInfo{}, err
	}
	if p.err != nil {
		return pg, nativeInfo{}, p.err
	}
	p.textPage()
	if p.err != nil {
		return pg, nativeInfo{}, p.err
	}
	for i := range p.texts {
		if f := p.texts[i].font; f.unsupported != "" {
			return pg, nativeInfo{}, unsupportedf("font %s: %s", f.name, f.unsupported)
		}
	}
	l, t := float64(left), float64(top)
	pg.Glyphs = make([]Glyph, 0, len(p.chars))
	for _, c := range p.chars {
		if c.r == 0 || c.r == '\r' || c.r == '\n' {
			continue
		}
		pg.Glyphs = append(pg.Glyphs, Glyph{Text: p.d.runeString(c.r),
			X0: float64(c.x0) - l, X1: float64(c.x1) - l,
			Y0: t - float64(c.y1), Y1: t - float64(c.y0),
			Angle: float64(c.angle)})
	}
	for _, o := range p.paths {
		var x0, y0, x1, y1 float64
		if o.chain == 0 {
			x0, y0, x1, y1 = float64(o.x0)-l, t-float64(o.y1), float64(o.x1)-l, t-float64(o.y0)
		} else {
			// a path in a form: the corners of its box through the forms'
			// matrices, in double precision (objectRules)
			x0, y0, x1, y1 = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
			for _, c := range [4][2]fl{{o.x0, o.y0}, {o.x0, o.y1}, {o.x1, o.y0}, {o.x1, o.y1}} {
				x, y := float64(c[0]), float64(c[1])
				for k := o.chain; k != 0; k = p.chains[k-1].parent {
					m := p.chains[k-1].m
					x, y = float64(m.a)*x+float64(m.c)*y+float64(m.e), float64(m.b)*x+float64(m.d)*y+float64(m.f)
				}
				x, y = x-l, t-y
				x0, x1, y0, y1 = math.Min(x0, x), math.Max(x1, x), math.Min(y0, y), math.Max(y1, y)
			}
		}
		thin := x1-x0 <= thinRule || y1-y0 <= thinRule
		switch {
		case o.stroke:
		case thin && o.fill:
			if o.unknown {
				// whether PDFium reads it as a rule depends on its colour
				return pg, nativeInfo{}, unsupportedf("a thin filled path in a colour space the reader does not evaluate")
			}
			if o.alpha == 0 || o.white {
				continue
			}
		default:
			continue
		}
		pg.Rules = append(pg.Rules, rulesOfBox(x0, y0, x1, y1)...)
	}
	p.keep()
	return pg, nativeInfo{rawCodes: p.rawCodes}, nil
}

// pageContent returns the page's content streams, decoded and joined with
// a space after each (as PDFium joins them), in a buffer reused from page
// to page.
func (d *nDoc) pageContent(c pdf.Value) ([]byte, error) {
	out := d.contentBuf[:0]
	var err error
	switch c.Kind() {
	case pdf.Stream:
		if out, err = d.appendStream(out, c); err != nil {
			return nil, unsupportedf("content stream not readable: %v", err)
		}
		out = append(out, ' ')
	case pdf.Array:
		for i := 0; i < c.Len(); i++ {
			s := c.Index(i)
			if s.Kind() != pdf.Stream {
				continue
			}
			if out, err = d.appendStream(out, s); err != nil {
				return nil, unsupportedf("content stream not readable: %v", err)
			}
			out = append(out, ' ')
		}
	}
	d.contentBuf = out
	return out, nil
}

// fl is the precision of PDFium's geometry: single (its CFX_Matrix,
// CFX_FloatRect and text positions are float), so that boxes come out with
// PDFium's rounding.
type fl = float32

func fabs(x fl) fl { return fl(math.Abs(float64(x))) }

func fmin(a, b fl) fl {
	if a < b {
		return a
	}
	return b
}

func fmax(a, b fl) fl {
	if a > b {
		return a
	}
	return b
}

func fhypot(a, b fl) fl { return fl(math.Hypot(float64(a), float64(b))) }
func ffloor(x fl) fl    { return fl(math.Floor(float64(x))) }
func fround(x fl) fl    { return fl(math.Round(float64(x))) }
func fsqrt(x fl) fl     { return fl(math.Sqrt(float64(x))) }

// A matrix as PDFium's CFX_Matrix: x' = a x + c y + e, y' = b x + d y + f.
type nMat struct{ a, b, c, d, e, f fl }

var identity = nMat{1, 0, 0, 1, 0, 0}

// then returns m followed by n (PDFium's m * n).
func (m nMat) then(n nMat) nMat {
	return nMat{
		m.a*n.a + m.b*n.c, m.a*n.b + m.b*n.d,
		m.c*n.a + m.d*n.c, m.c*n.b + m.d*n.d,
		m.e*n.a + m.f*n.c + n.e, m.e*n.b + m.f*n.d + n.f,
	}
}

func (m nMat) apply(x, y fl) (fl, fl) {
	return m.a*x + m.c*y + m.e, m.b*x + m.d*y + m.f
}

func (m nMat) inverse() nMat {
	det := m.a*m.d - m.b*m.c
	if det == 0 {
		return identity
	}
	return nMat{m.d / det, -m.b / det, -m.c / det, m.a / det, (m.c*m.f - m.d*m.e) / det, (m.b*m.e - m.a*m.f) / det}
}

// xUnit, yUnit and distance are CFX_Matrix::GetXUnit, GetYUnit and
// TransformDistance.
func (m nMat) xUnit() fl {
	if m.b == 0 {
		return fabs(m.a)
	}
	if m.a == 0 {
		return fabs(m.b)
	}
	return fhypot(m.a, m.b)
}

func (m nMat) yUnit() fl {
	if m.c == 0 {
		return fabs(m.d)
	}
	if m.d == 0 {
		return fabs(m.c)
	}
	return fhypot(m.c, m.d)
}

func (m nMat) distance(d fl) fl { return d * (m.xUnit() + m.yUnit()) / 2 }

// xDistance is TransformXDistance.
func (m nMat) xDistance(d fl) fl { return fhypot(m.a*d, m.b*d) }

// fRect is PDFium's CFX_FloatRect: left, bottom, right, top.
type fRect struct{ x0, y0, x1, y1 fl }

func (m nMat) rect(r fRect) fRect {
	xs := [4]fl{}
	ys := [4]fl{}
	xs[0], ys[0] = m.apply(r.x0, r.y1)
	xs[1], ys[1] = m.apply(r.x0, r.y0)
	xs[2], ys[2] = m.apply(r.x1, r.y1)
	xs[3], ys[3] = m.apply(r.x1, r.y0)
	out := fRect{xs[0], ys[0], xs[0], ys[0]}
	for i := 1; i < 4; i++ {
		out.x0, out.x1 = min(out.x0, xs[i]), max(out.x1, xs[i])
		out.y0, out.y1 = min(out.y0, ys[i]), max(out.y1, ys[i])
	}
	return out
}

func (r fRect) empty() bool { return r.x0 >= r.x1 || r.y0 >= r.y1 }

func (r fRect) intersect(o fRect) fRect {
	out := fRect{max(r.x0, o.x0), max(r.y0, o.y0), min(r.x1, o.x1), min(r.y1, o.y1)}
	if out.x0 > out.x1 || out.y0 > out.y1 {
		return fRect{}
	}
	return out
}
