package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/go-pdf/fpdf"
)

// A page of a made-up PDF. The content is drawn in the frame the reader
// sees (Wd × Hd points, y down) and turned by `turn` degrees clockwise
// (0, 90, 180, 270) onto a page of W × H points, the way a producer draws a
// page that /Rotate turns back for display; rotate is the /Rotate written
// into the page (0: none, so the text is simply drawn with a rotated text
// matrix).
type testPage struct {
	W, H   float64
	turn   int
	rotate int
	draw   func(f *fpdf.Fpdf, wd, hd float64)
}

// turnMatrix maps content drawn by fpdf on a page of W × H points in the
// display frame (fpdf writes (u, v) as PDF (u, H−v)) into the user space of
// that page seen turned `turn` degrees clockwise. Worked out by hand from
// the display mapping: turn 90: x = v, y = H−u (y down on the page);
// 180: x = W−u, y = H−v; 270: x = W−v, y = u.
func turnMatrix(turn int, w, h float64) fpdf.TransformMatrix {
	switch turn {
	case 90:
		return fpdf.TransformMatrix{A: 0, B: 1, C: -1, D: 0, E: h, F: 0}
	case 180:
		return fpdf.TransformMatrix{A: -1, B: 0, C: 0, D: -1, E: w, F: h}
	case 270:
		return fpdf.TransformMatrix{A: 0, B: -1, C: 1, D: 0, E: w - h, F: h}
	}
	return fpdf.TransformMatrix{A: 1, D: 1}
}

// makePDF writes the pages with fpdf (uncompressed), then inserts each
// page's /Rotate into its page dictionary and rebuilds the xref table.
func makePDF(t *testing.T, pages []testPage) []byte {
	t.Helper()
	f := fpdf.New("P", "pt", "A4", "")
	f.SetCompression(false)
	f.SetFont("Helvetica", "", 10)
	for _, p := range pages {
		f.AddPageFormat("P", fpdf.SizeType{Wd: p.W, Ht: p.H})
		wd, hd := p.W, p.H
		if p.turn%180 == 90 {
			wd, hd = p.H, p.W
		}
		if p.turn != 0 {
			f.TransformBegin()
			f.Transform(turnMatrix(p.turn, p.W, p.H))
		}
		p.draw(f, wd, hd)
		if p.turn != 0 {
			f.TransformEnd()
		}
	}
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		t.Fatal(err)
	}
	rot := make([]int, len(pages))
	for i, p := range pages {
		rot[i] = p.rotate
	}
	return withRotate(t, buf.Bytes(), rot)
}

// withRotate inserts /Rotate into fpdf's page dictionaries (in page order)
// and rewrites the xref offsets the insertion moved.
func withRotate(t *testing.T, pdf []byte, rotate []int) []byte {
	t.Helper()
	marker := []byte("<</Type /Page\n")
	parts := bytes.Split(pdf, marker)
	if len(parts)-1 != len(rotate) {
		t.Fatalf("%d page dictionaries, want %d", len(parts)-1, len(rotate))
	}
	var out bytes.Buffer
	for i, part := range parts {
		out.Write(part)
		if i < len(rotate) {
			out.Write(marker)
			if rotate[i] != 0 {
				fmt.Fprintf(&out, "/Rotate %d\n", rotate[i])
			}
		}
	}
	b := out.Bytes()
	x := bytes.LastIndex(b, []byte("\nxref\n")) + 1
	head := regexp.MustCompile(`^xref\n0 (\d+)\n`).FindSubmatch(b[x:])
	if head == nil {
		t.Fatal("no xref table")
	}
	n, _ := strconv.Atoi(string(head[1]))
	entries := x + len(head[0])
	for obj := 1; obj < n; obj++ {
		at := bytes.Index(b, []byte(fmt.Sprintf("\n%d 0 obj\n", obj)))
		if at < 0 {
			t.Fatalf("object %d not found", obj)
		}
		copy(b[entries+20*obj:], fmt.Sprintf("%010d 00000 n", at+1))
	}
	s := bytes.LastIndex(b, []byte("startxref\n")) + len("startxref\n")
	return append(append(b[:s:s], strconv.Itoa(x)...), "\n%%EOF\n"...)
}

// drawTable draws a title, a ruled 3 × 3 table, a note, and optionally a
// watermark set at a slant of `watermark` degrees and a label set at a
// quarter turn to the rest.
func drawTable(watermark float64, strayLabel bool) func(f *fpdf.Fpdf, wd, hd float64) {
	return func(f *fpdf.Fpdf, wd, hd float64) {
		f.Text(60, 50, "Table 2 budget 2026")
		cols := []float64{60, 200, 320, 440}
		rows := []float64{80, 100, 120, 140}
		for _, y := range rows {
			f.Line(cols[0], y, cols[len(cols)-1], y)
		}
		for _, x := range cols {
			f.Line(x, rows[0], x, rows[len(rows)-1])
		}
		cells := [][]string{{"Item", "2025", "2026"}, {"A1", "330.23", "12.50"}, {"B22", "7.50", "1,717.85"}}
		for r, row := range cells {
			for c, s := range row {
				f.Text(cols[c]+4, rows[r]+14, s)
			}
		}
		f.Text(60, 170, "Note 1: figures of 2026 in 10000 yuan")
		if watermark != 0 {
			f.TransformBegin()
			f.TransformRotate(watermark, wd/2, hd/2)
			f.Text(wd/2-60, hd/2, "DRAFT 2026 DRAFT")
			f.TransformEnd()
		}
		if strayLabel {
			f.TransformBegin()
			f.TransformRotate(90, wd-40, 300)
			f.Text(wd-40, 300, "SIDE 999")
			f.TransformEnd()
		}
	}
}

var tableRows = []string{"Item\t2025\t2026", "A1\t330.23\t12.50", "B22\t7.50\t1,717.85"}

func pdfiumPages(t *testing.T, pdf []byte) []PDFPage {
	t.Helper()
	pages, err := (&Pdfium{}).Pages(context.Background(), pdf)
	if err != nil {
		t.Fatal(err)
	}
	return pages
}

// reference lays out the same content drawn upright on a page of the
// display frame's size: what a turned page must read as.
func reference(t *testing.T, p testPage) string {
	t.Helper()
	wd, hd := p.W, p.H
	if p.turn%180 == 90 {
		wd, hd = p.H, p.W
	}
	return Layout(pdfiumPages(t, makePDF(t, []testPage{{W: wd, H: hd, draw: p.draw}})))
}

// Landscape content on a portrait page turned by /Rotate 90 and 270, and
// upside down on a page turned by /Rotate 180, reads as the same content
// drawn upright; so does the same content drawn with a rotated text matrix
// on a page without /Rotate. The ruled table comes out as tabbed rows.
func TestUprightRotatedPages(t *testing.T) {
	for _, turn := range []int{90, 180, 270} {
		for _, declared := range []bool{true, false} {
			name := fmt.Sprintf("turn%d/rotate=%v", turn, declared)
			t.Run(name, func(t *testing.T) {
				p := testPage{W: 595, H: 842, turn: turn, draw: drawTable(0, false)}
				if declared {
					p.rotate = turn
				}
				pages := pdfiumPages(t, makePDF(t, []testPage{p}))
				if pages[0].Rotation != p.rotate {
					t.Fatalf("pdfium reads /Rotate %d, the test wrote %d", pages[0].Rotation, p.rotate)
				}
				// The fixture is what it claims: PDFium reports the text's
				// angle as the direction it reads on the unturned page.
				wantAngle := float64((360-turn)%360) * math.Pi / 180
				if g := pages[0].Glyphs[0]; math.Abs(g.Angle-wantAngle) > 0.01 {
					t.Fatalf("glyph %q at angle %.3f, want %.3f", g.Text, g.Angle, wantAngle)
				}
				got, want := Layout(pages), reference(t, p)
				if got != want {
					t.Errorf("layout =\n%s\nwant (the same content upright)\n%s", got, want)
				}
				for _, row := range tableRows {
					if !strings.Contains(got, row+"\n") {
						t.Errorf("row %q missing from\n%s", row, got)
					}
				}
				if !strings.Contains(got, "Table 2 budget 2026") || !strings.Contains(got, "Note 1: figures of 2026") {
					t.Errorf("title or note missing from\n%s", got)
				}
			})
		}
	}
}

// One file mixing portrait and landscape pages, turned by /Rotate or by the
// text matrix: every page comes out upright.
func TestUprightMixedOrientations(t *testing.T) {
	pages := []testPage{
		{W: 595, H: 842, draw: drawTable(0, false)},                         // portrait, upright
		{W: 595, H: 842, turn: 90, rotate: 90, draw: drawTable(0, false)},   // landscape by /Rotate 90
		{W: 842, H: 595, draw: drawTable(0, false)},                         // landscape media box, upright
		{W: 595, H: 842, turn: 270, draw: drawTable(0, false)},              // landscape drawn turned, no /Rotate
		{W: 595, H: 842, turn: 180, rotate: 180, draw: drawTable(0, false)}, // upside down, /Rotate 180
		{W: 842, H: 595, turn: 270, rotate: 270, draw: drawTable(0, false)}, // portrait on a landscape media box
	}
	got := strings.Split(Layout(pdfiumPages(t, makePDF(t, pages))), "\f")
	if len(got) != len(pages) {
		t.Fatalf("%d pages, want %d", len(got), len(pages))
	}
	for i, p := range pages {
		if want := reference(t, p); got[i] != want {
			t.Errorf("page %d (turn %d, /Rotate %d) =\n%s\nwant\n%s", i+1, p.turn, p.rotate, got[i], want)
		}
		if !strings.Contains(got[i], tableRows[2]+"\n") {
			t.Errorf("page %d: row %q missing", i+1, tableRows[2])
		}
	}
}

// A diagonal watermark is still dropped, on upright and on turned pages,
// and so is a label set at a quarter turn to the page's reading direction.
func TestUprightDropsWatermarkAndStrayLabel(t *testing.T) {
	pages := []testPage{
		{W: 595, H: 842, draw: drawTable(30, true)},
		{W: 595, H: 842, turn: 90, rotate: 90, draw: drawTable(45, true)},
		{W: 595, H: 842, turn: 180, draw: drawTable(-20, true)},
	}
	raw := pdfiumPages(t, makePDF(t, pages))
	for i, p := range raw {
		seen := map[string]bool{}
		for _, g := range p.Glyphs {
			seen[g.Text] = true
		}
		if !seen["D"] || !seen["9"] {
			t.Fatalf("page %d: the fixture lacks its watermark or label glyphs", i+1)
		}
	}
	got := strings.Split(Layout(raw), "\f")
	for i := range pages {
		// None of the other text has a 9 or an upper-case D, R, F, S or E:
		// one of them read, even a glyph alone on a line, is a failure.
		if strings.ContainsAny(got[i], "9DRFSE") {
			t.Errorf("page %d: watermark or stray label read:\n%s", i+1, got[i])
		}
		for _, row := range tableRows {
			if !strings.Contains(got[i], row+"\n") {
				t.Errorf("page %d: row %q missing from\n%s", i+1, row, got[i])
			}
		}
	}
}

// A PDF whose every page is turned reads (it failed with "file is empty"
// when turned glyphs were dropped); one whose only text is a diagonal
// watermark fails with ErrNoTextLayer naming the file, never ErrEmpty.
func TestReadPDFAllPagesRotated(t *testing.T) {
	pdf := makePDF(t, []testPage{
		{W: 595, H: 842, turn: 90, rotate: 90, draw: drawTable(45, false)},
		{W: 595, H: 842, turn: 270, rotate: 270, draw: drawTable(0, false)},
	})
	doc, err := ReadPDF(context.Background(), "turned.pdf", pdf, &Pdfium{})
	if err != nil {
		t.Fatalf("ReadPDF: %v", err)
	}
	rows := 0
	for _, l := range doc.Lines {
		for _, r := range tableRows {
			if l.Text == r {
				rows++
			}
		}
	}
	if rows != 6 || doc.Pages != 2 {
		t.Errorf("%d table rows on %d pages, want 6 on 2: %+v", rows, doc.Pages, doc.Lines)
	}

	onlyWatermark := makePDF(t, []testPage{{W: 595, H: 842, draw: func(f *fpdf.Fpdf, wd, hd float64) {
		f.TransformBegin()
		f.TransformRotate(45, wd/2, hd/2)
		f.Text(wd/2-60, hd/2, "DRAFT 2026 2026")
		f.TransformEnd()
	}}})
	_, err = ReadPDF(context.Background(), "stamp.pdf", onlyWatermark, &Pdfium{})
	if err == nil || errors.Is(err, ErrEmpty) || !errors.Is(err, ErrNoTextLayer) ||
		!strings.Contains(err.Error(), "stamp.pdf") || !strings.Contains(err.Error(), "slant") {
		t.Errorf("err = %v, want ErrNoTextLayer naming the file and the slanted text", err)
	}
}

// upright on made-up pages: where a glyph box and a rule land for each
// quarter turn, sizes swapped, the input untouched, and pages without a
// turn (OCR words, upright text) returned as they are.
func TestUprightGeometry(t *testing.T) {
	// A page of 100 × 200 whose text reads in direction q; one glyph at
	// (10, 20)–(18, 30) and one rule (10, 40)–(60, 40).
	want := map[int]struct {
		g    [4]float64
		r    [4]float64
		w, h float64
	}{
		0: {[4]float64{10, 20, 18, 30}, [4]float64{10, 40, 60, 40}, 100, 200},
		1: {[4]float64{20, 82, 30, 90}, [4]float64{40, 40, 40, 90}, 200, 100},     // u = y, v = W − x
		2: {[4]float64{82, 170, 90, 180}, [4]float64{40, 160, 90, 160}, 100, 200}, // u = W − x, v = H − y
		3: {[4]float64{170, 10, 180, 18}, [4]float64{160, 10, 160, 60}, 200, 100}, // u = H − y, v = x
	}
	for q, w := range want {
		a := float64(q) * math.Pi / 2
		p := PDFPage{Number: 1, Width: 100, Height: 200,
			Glyphs: []Glyph{
				{Text: "a", X0: 10, Y0: 20, X1: 18, Y1: 30, Angle: a + 0.01},
				{Text: "b", X0: 50, Y0: 50, X1: 58, Y1: 58, Angle: a + math.Pi/4}, // diagonal
				{Text: "c", X0: 50, Y0: 50, X1: 58, Y1: 58, Angle: a + math.Pi/2}, // a quarter off
			},
			Rules: []Rule{{10, 40, 60, 40}}}
		for i := 0; i < 3; i++ { // a majority for q
			p.Glyphs = append(p.Glyphs, Glyph{Text: "x", X0: 70, Y0: 70, X1: 78, Y1: 78, Angle: a})
		}
		before := fmt.Sprint(p)
		u := upright(p)
		if fmt.Sprint(p) != before {
			t.Errorf("q=%d: upright modified its input", q)
		}
		if len(u.Glyphs) != 4 || u.Glyphs[0].Text != "a" {
			t.Fatalf("q=%d: glyphs %+v, want a and the three x (b diagonal and c a quarter off dropped)", q, u.Glyphs)
		}
		g := u.Glyphs[0]
		if got := [4]float64{g.X0, g.Y0, g.X1, g.Y1}; !near(got, w.g) {
			t.Errorf("q=%d: glyph box %v, want %v", q, got, w.g)
		}
		if math.Abs(g.Angle-0.01) > 1e-9 {
			t.Errorf("q=%d: glyph angle %v after the turn, want 0.01", q, g.Angle)
		}
		r := u.Rules[0]
		if got := [4]float64{r.X0, r.Y0, r.X1, r.Y1}; !near(got, w.r) {
			t.Errorf("q=%d: rule %v, want %v", q, got, w.r)
		}
		if u.Width != w.w || u.Height != w.h {
			t.Errorf("q=%d: size %v × %v, want %v × %v", q, u.Width, u.Height, w.w, w.h)
		}
	}

	// OCR words (angle 0, confidences): the page itself comes back.
	ocr := PDFPage{Number: 1, Width: 600, Height: 800, Glyphs: []Glyph{
		{Text: "合计", X0: 10, Y0: 10, X1: 30, Y1: 20, Conf: 91},
		{Text: "16.15", X0: 40, Y0: 10, X1: 70, Y1: 20, Conf: 88, Alt: []string{"16.16"}},
	}}
	if u := upright(ocr); &u.Glyphs[0] != &ocr.Glyphs[0] || len(u.Glyphs) != 2 || u.Width != 600 {
		t.Error("an OCR page was not returned as it is")
	}
}

// readingQuarter: the majority decides; a tie goes to the direction that
// reads upright under the page's /Rotate, then to upright.
func TestReadingQuarter(t *testing.T) {
	at := func(q, n int) []Glyph {
		var gs []Glyph
		for i := 0; i < n; i++ {
			gs = append(gs, Glyph{Text: "字", Angle: float64(q) * math.Pi / 2})
		}
		return gs
	}
	cases := []struct {
		glyphs   []Glyph
		rotation int
		want     int
	}{
		{append(at(0, 5), at(3, 9)...), 0, 3},
		{append(at(0, 9), at(3, 5)...), 90, 0},
		{append(at(0, 5), at(3, 5)...), 90, 3},
		{append(at(0, 5), at(1, 5)...), 0, 0},
		{append(at(2, 5), at(1, 5)...), 180, 2},
		{append(at(3, 5), at(1, 5)...), 0, 1},
		{[]Glyph{{Text: " ", Angle: 0}, {Text: "a", Angle: 3 * math.Pi / 2}}, 0, 3}, // white space does not vote
		{nil, 270, 1},
	}
	for i, c := range cases {
		if got, _ := readingQuarter(PDFPage{Rotation: c.rotation, Glyphs: c.glyphs}); got != c.want {
			t.Errorf("case %d: quarter %d, want %d", i, got, c.want)
		}
	}
	// The old watermark filter's tolerance is kept: within 0.05 rad of
	// upright reads, beyond it does not, either side of zero.
	for _, a := range []float64{0, 0.05, -0.05, 2*math.Pi - 0.04} {
		if q, ok := quarterOf(a); q != 0 || !ok {
			t.Errorf("angle %v: quarter %d aligned %v, want 0 aligned", a, q, ok)
		}
	}
	for _, a := range []float64{0.06, -0.06, math.Pi / 4, 0.314, -1, math.NaN(), math.Inf(1)} {
		if _, ok := quarterOf(a); ok {
			t.Errorf("angle %v counted as aligned", a)
		}
	}
}

func near(a, b [4]float64) bool {
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-9 {
			return false
		}
	}
	return true
}

const yantai2026 = "../../shared/realpdf/sd-yantai-xinfangju-2026-budget.pdf"

// sd-yantai-xinfangju-2026-budget.pdf: pages 7–25 are portrait pages with
// /Rotate 90 carrying landscape tables (公开表2–12). They were dropped
// whole; now each reads upright, its ruled tables as tabbed rows.
func TestRotatedRealPDF(t *testing.T) {
	if _, err := os.Stat("../../shared/realpdf"); os.IsNotExist(err) {
		t.Skip("../shared/realpdf is absent")
	}
	b, err := os.ReadFile(yantai2026)
	if err != nil {
		t.Fatal(err)
	}
	pages := pdfiumPages(t, b)
	for _, p := range pages {
		if turned := p.Number >= 7 && p.Number <= 25; turned != (p.Rotation == 90) {
			t.Fatalf("page %d: /Rotate %d (the file changed?)", p.Number, p.Rotation)
		}
	}
	doc, err := ReadPDF(context.Background(), yantai2026, b, &Pdfium{})
	if err != nil {
		t.Fatal(err)
	}
	byPage := map[int][]string{}
	for _, l := range doc.Lines {
		byPage[l.Page] = append(byPage[l.Page], strings.Trim(l.Text, " "))
	}
	for n := 7; n <= 25; n++ {
		if len(byPage[n]) < 4 || !strings.HasPrefix(byPage[n][0], "公开表") {
			t.Errorf("page %d: %q, want 公开表N, a title and a table", n, byPage[n])
		}
	}
	want := map[int][]string{
		7: {"公开表2", "收入总体情况表",
			"科目编码\t\t\t科目名称\t合计\t财政拨款收入\t\t\t\t财政专户管理资金收入\t事业收入（不含教育收费）\t事业单位经营收入\t其他收入\t上级补助收入\t附属单位上缴收入\t使用非财政拨款结余\t上年结转",
			"\t\t\t合计\t1,717.85\t1,717.85\t1,717.85\t\t\t\t\t\t\t\t\t\t",
			"201\t\t\t一般公共服务支出\t1,378.84\t1,378.84\t1,378.84\t\t\t\t\t\t\t\t\t\t",
			"\t\t01\t行政运行\t507.97\t507.97\t507.97\t\t\t\t\t\t\t\t\t\t"},
		9:  {"公开表3", "\t\t\t合计\t1,717.85\t1,192.85\t525.00\t", "\t\t99\t其他行政事业单位养老支出\t1.12\t1.12\t\t"},
		13: {"\t\t\t合计\t1,717.85\t1,192.85\t1,088.89\t103.96\t525.00"},
		15: {"301\t01\t基本工资\t501\t01\t工资奖金津补贴\t145.81\t145.81\t"},
		18: {"22.00\t\t20.00\t\t20.00\t2.00\t17.00\t\t15.00\t\t15.00\t2.00"},
		24: {"项目支出预算情况表", "接访大厅运行经费\t特定目标类\t145.00\t145.00\t145.00\t\t\t\t\t\t"},
		25: {"政府采购预算表", "\t\t\t合计\t71.89\t71.89\t71.89\t\t\t\t\t\t"},
	}
	for n, lines := range want {
		have := map[string]bool{}
		for _, l := range byPage[n] {
			have[squash(l)] = true // titles carry layout spaces (项 目 支出…)
			have[l] = true
		}
		for _, l := range lines {
			if !have[l] && !have[squash(l)] || strings.Contains(l, "\t") && !have[l] {
				t.Errorf("page %d: no line %q in\n%s", n, l, strings.Join(byPage[n], "\n"))
			}
		}
	}
	// The upright pages around them read as before.
	if !containsLine(byPage[6], "收入总计\t1,717.85\t支出总计\t1,717.85") {
		t.Errorf("page 6 lost its table: %q", byPage[6])
	}
}

func containsLine(lines []string, want string) bool {
	for _, l := range lines {
		if l == want {
			return true
		}
	}
	return false
}
