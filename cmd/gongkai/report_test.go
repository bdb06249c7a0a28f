package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/cdproto/dom"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

const chromiumPath = "/usr/bin/chromium"

// cjkFamilies are fonts with Chinese glyphs; anything else rendering a
// Chinese text node means tofu (or a font without those glyphs).
var cjkFamilies = []string{"Droid Sans Fallback", "Noto Sans CJK", "Noto Serif CJK", "Source Han", "Noto Sans SC",
	"WenQuanYi", "AR PL", "PingFang", "Hiragino", "Microsoft YaHei", "SimHei", "SimSun"}

// The report opened in headless Chromium: the charts are there and have a
// size, the Chinese text is there and is drawn with a Chinese font, the sort
// script works, and the console stays clean. The Go side reads no font
// at all: the chart labels are still Chinese, laid out by the browser, inside their
// charts and apart from each other. Screenshots of the page and of the
// comparison charts are written and their paths logged.
func TestReportInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a warehouse and starts Chromium")
	}
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("GONGKAI_REQUIRE_CHROMIUM") == "1" {
			t.Fatalf("GONGKAI_REQUIRE_CHROMIUM=1 but %s: %v (Debian: apt-get install chromium)", chromiumPath, err)
		}
		t.Skipf("no Chromium at %s (set GONGKAI_REQUIRE_CHROMIUM=1 to fail instead)", chromiumPath)
	}

	dir := t.TempDir()
	db := filepath.Join(dir, "w.duckdb")
	if code, out, errs := gongkai(t, "ingest", "--db", db, "../../fixtures/text"); code != 0 {
		t.Fatalf("ingest exit %d\n%s\n%s", code, out, errs)
	}
	html := filepath.Join(dir, "report.html")
	code, out, errs := gongkai(t, "report", "--db", db, "--out", html)
	if code != 0 {
		t.Fatalf("report exit %d\n%s\n%s", code, out, errs)
	}
	t.Log(strings.TrimSpace(out))

	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.WindowSize(1280, 900))...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()

	// Console errors, uncaught exceptions and browser log errors (a failed
	// load of anything the page references would show up here).
	var mu sync.Mutex
	var problems []string
	if err := chromedp.Listen(ctx, func(ev any) {
		var p string
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
				var args []string
				for _, a := range e.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				p = "console." + string(e.Type) + ": " + strings.Join(args, " ")
			}
		case *runtime.EventExceptionThrown:
			p = "exception: " + e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil {
				p += " " + e.ExceptionDetails.Exception.Description
			}
		case *cdplog.EventEntryAdded:
			if e.Entry.Level == cdplog.EntryLevelError {
				p = "log " + string(e.Entry.Source) + ": " + e.Entry.Text + " " + e.Entry.URL
			}
		}
		if p != "" {
			mu.Lock()
			problems = append(problems, p)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}

	run := func(what string, a chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, a); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(js string, v any) {
		t.Helper()
		var err error
		switch p := v.(type) {
		case *int:
			*p, err = chromedp.Run(ctx, chromedp.Evaluate[int](js, chromedp.EvalAwaitPromise))
		case *string:
			*p, err = chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
		case *bool:
			*p, err = chromedp.Run(ctx, chromedp.Evaluate[bool](js, chromedp.EvalAwaitPromise))
		case *[]string:
			*p, err = chromedp.Run(ctx, chromedp.Evaluate[[]string](js, chromedp.EvalAwaitPromise))
		default:
			t.Fatalf("eval into %T", v)
		}
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
	}

	run("navigate", chromedp.Navigate("file://"+html))
	var ready bool
	eval(`document.fonts.ready.then(() => true)`, &ready)

	// Charts: inline SVG elements that the browser laid out with a size.
	var charts, figures int
	eval(`Array.from(document.querySelectorAll("figure.chart svg")).filter(s => {
		const r = s.getBoundingClientRect(); return r.width > 100 && r.height > 50 }).length`, &charts)
	eval(`document.querySelectorAll("svg").length`, &figures)
	t.Logf("charts with a size: %d (of %d inline <svg>)", charts, figures)
	if charts < 10 || charts != figures {
		t.Errorf("%d charts with a size, %d <svg> in the page; want every one of at least 10 (3 per department, 4 across)", charts, figures)
	}

	// Chinese text in the page and in the charts' SVG text.
	var body string
	eval(`document.body.innerText`, &body)
	for _, want := range []string{"朔州经济开发区党群工作部", "大同市云冈区教育局", "阳泉市城区财政局", "一般公共服务支出", "部门间比较", "党建经费"} {
		if !strings.Contains(body, want) {
			t.Errorf("page text lacks %q", want)
		}
	}
	var svgTexts []string
	eval(`Array.from(document.querySelectorAll("svg text")).map(e => e.textContent)`, &svgTexts)
	joined := strings.Join(svgTexts, "|")
	var missing []string
	for _, want := range []string{"一般公共服务支出", "金额（万元）", "朔州经济开发区党群工作部 2026", "2025",
		"收入总计", "基本支出", "万元/人", "项目支出 ÷ (基本+项目)", "“三公”经费", "增长率（%）"} {
		if !slices.Contains(svgTexts, want) {
			missing = append(missing, want)
		}
	}
	if missing != nil {
		t.Errorf("chart text lacks %q; it is %s", missing, joined)
	}
	for _, latin := range []string{"10,000 yuan", "basic", "income total", "per staff"} {
		if slices.Contains(svgTexts, latin) {
			t.Errorf("a chart is labelled in Latin: %q", latin)
		}
	}

	// Every chart text is drawn: the Chinese ones with a width, each inside
	// its chart and clear of the others (the report only estimated widths;
	// the browser measured them).
	var layout []string
	eval(`(() => {
		const han = /\p{Script=Han}/u, out = [];
		let chinese = 0;
		document.querySelectorAll("figure.chart svg").forEach((svg, i) => {
			const box = svg.getBoundingClientRect();
			const texts = Array.from(svg.querySelectorAll("text")).filter(e => e.textContent !== "");
			const rects = texts.map(e => e.getBoundingClientRect());
			texts.forEach((e, j) => {
				const r = rects[j], name = "chart " + i + " " + JSON.stringify(e.textContent);
				if (han.test(e.textContent)) {
					if (e.getComputedTextLength() > 0 && r.width > 0 && r.height > 0) chinese++;
					else out.push(name + " has no width");
				}
				if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
					out.push(name + " leaves its chart");
				for (let m = 0; m < j; m++) {
					const q = rects[m];
					if (Math.min(r.right, q.right) - Math.max(r.left, q.left) > 1 && Math.min(r.bottom, q.bottom) - Math.max(r.top, q.top) > 1)
						out.push(name + " overlaps " + JSON.stringify(texts[m].textContent));
				}
			});
		});
		return ["chinese " + chinese].concat(out) })()`, &layout)
	t.Logf("chart texts: %s", layout[0])
	if n, _ := strconv.Atoi(strings.TrimPrefix(layout[0], "chinese ")); n < 40 {
		t.Errorf("%s drawn chart texts in Chinese, want at least 40", layout[0])
	}
	for _, p := range layout[1:] {
		t.Errorf("chart layout: %s", p)
	}

	// The Chinese is drawn with a font that has the glyphs: ask the browser
	// which platform fonts rendered the department's heading and a chart label.
	var tagged bool
	eval(`(() => {
		const h = Array.from(document.querySelectorAll("section.dept h3")).find(e => e.textContent === "朔州经济开发区党群工作部");
		const s = Array.from(document.querySelectorAll("svg text")).find(e => e.textContent === "一般公共服务支出");
		if (!h || !s) return false;
		h.setAttribute("data-probe", "heading"); s.setAttribute("data-probe", "chart"); return true })()`, &tagged)
	if !tagged {
		t.Fatal("no department heading or chart label to probe")
	}
	for probe, text := range map[string]string{"heading": "朔州经济开发区党群工作部", "chart": "一般公共服务支出"} {
		fonts, err := chromedp.Run(ctx, platformFonts(`[data-probe="`+probe+`"]`))
		if err != nil {
			t.Fatalf("platform fonts of the %s: %v", probe, err)
		}
		var glyphs float64
		var names []string
		for _, f := range fonts {
			names = append(names, fmt.Sprintf("%s (%g glyphs)", f.FamilyName, f.GlyphCount))
			if isCJKFamily(f.FamilyName) {
				glyphs += f.GlyphCount
			}
		}
		t.Logf("%s %q rendered with %s", probe, text, strings.Join(names, ", "))
		if want := float64(len([]rune(text))); glyphs != want {
			t.Errorf("%s %q: %g of %g glyphs drawn with a Chinese font (%s)", probe, text, glyphs, want, strings.Join(names, ", "))
		}
	}
	// Nothing wider than the window: tables wrap, charts scale.
	var overflow int
	eval(`document.documentElement.scrollWidth - window.innerWidth`, &overflow)
	if overflow > 0 {
		t.Errorf("the page is %dpx wider than the window", overflow)
	}

	// Screenshots: the whole page, and the comparison charts (their labels
	// are department names). GONGKAI_SCREENSHOT=out.png keeps them as out.png
	// and out-charts.png.
	shots := t.TempDir()
	for _, s := range []struct {
		name string
		shot chromedp.Action[[]byte]
	}{{"report.png", fullPage()}, {"charts.png", elementShot("#compare .charts")}} {
		png, err := chromedp.Run(ctx, s.shot)
		if err != nil {
			t.Fatalf("screenshot %s: %v", s.name, err)
		}
		path := filepath.Join(shots, s.name)
		if p := os.Getenv("GONGKAI_SCREENSHOT"); p != "" {
			path = p
			if s.name != "report.png" {
				path = strings.TrimSuffix(p, ".png") + "-" + s.name
			}
		}
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s (%d bytes)", path, len(png))
	}

	// The overview sorts by a clicked column, ascending then descending.
	column := func() []string {
		var v []string
		eval(`Array.from(document.querySelectorAll("#overview-table tbody tr")).map(r => r.cells[3].getAttribute("data-sort"))`, &v)
		return v
	}
	click := `Array.from(document.querySelectorAll("#overview-table th")).find(e => e.textContent.startsWith("收入总计")).click()`
	var ignored bool
	eval(click+`; true`, &ignored)
	asc := column()
	eval(click+`; true`, &ignored)
	desc := column()
	sorted := func(v []string, sign float64) bool {
		for i := 1; i < len(v); i++ {
			a, err1 := strconv.ParseFloat(v[i-1], 64)
			b, err2 := strconv.ParseFloat(v[i], 64)
			if err1 != nil || err2 != nil || (b-a)*sign < 0 {
				return false
			}
		}
		return len(v) == 4
	}
	if !sorted(asc, 1) || !sorted(desc, -1) {
		t.Errorf("sorting by 收入总计: first click %v, second click %v; want ascending, then descending", asc, desc)
	}

	time.Sleep(200 * time.Millisecond) // late console events
	mu.Lock()
	defer mu.Unlock()
	t.Logf("console errors: %d", len(problems))
	for _, p := range problems {
		t.Errorf("browser console: %s", p)
	}
}

func isCJKFamily(name string) bool {
	for _, f := range cjkFamilies {
		if strings.HasPrefix(name, f) {
			return true
		}
	}
	return false
}

// platformFonts asks the browser which fonts drew the text of the element.
func platformFonts(selector string) chromedp.Action[[]*css.PlatformFontUsage] {
	return func(ctx context.Context, t *chromedp.Target) ([]*css.PlatformFontUsage, error) {
		doc, err := cdp.Call(ctx, t, dom.GetDocument, dom.GetDocumentParams{})
		if err != nil {
			return nil, err
		}
		n, err := cdp.Call(ctx, t, dom.QuerySelector, dom.QuerySelectorParams{NodeID: doc.Root.NodeID, Selector: selector})
		if err != nil {
			return nil, err
		}
		if n.NodeID == 0 {
			return nil, fmt.Errorf("no element %s", selector)
		}
		r, err := cdp.Call(ctx, t, css.GetPlatformFontsForNode, css.GetPlatformFontsForNodeParams{NodeID: n.NodeID})
		if err != nil {
			return nil, err
		}
		return r.Fonts, nil
	}
}

// elementShot captures the element selector names as PNG, wherever the
// page is scrolled.
func elementShot(selector string) chromedp.Action[[]byte] {
	return func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		doc, err := cdp.Call(ctx, t, dom.GetDocument, dom.GetDocumentParams{})
		if err != nil {
			return nil, err
		}
		n, err := cdp.Call(ctx, t, dom.QuerySelector, dom.QuerySelectorParams{NodeID: doc.Root.NodeID, Selector: selector})
		if err != nil {
			return nil, err
		}
		if n.NodeID == 0 {
			return nil, fmt.Errorf("no element %s", selector)
		}
		b, err := cdp.Call(ctx, t, dom.GetBoxModel, dom.GetBoxModelParams{NodeID: n.NodeID})
		if err != nil {
			return nil, err
		}
		m, err := cdp.Call(ctx, t, page.GetLayoutMetrics, cdp.Empty{})
		if err != nil {
			return nil, err
		}
		q := b.Model.Border // x1 y1 … x4 y4, relative to the viewport
		x, y := q[0]+float64(m.CSSLayoutViewport.PageX), q[1]+float64(m.CSSLayoutViewport.PageY)
		beyond := true
		r, err := cdp.Call(ctx, t, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Format:                page.CaptureScreenshotFormatPng,
			CaptureBeyondViewport: &beyond,
			Clip:                  &page.Viewport{X: x, Y: y, Width: q[4] - q[0], Height: q[5] - q[1], Scale: 1},
		})
		if err != nil {
			return nil, err
		}
		return r.Data, nil
	}
}

// fullPage captures the whole page (not only the viewport) as PNG.
func fullPage() chromedp.Action[[]byte] {
	return func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		m, err := cdp.Call(ctx, t, page.GetLayoutMetrics, cdp.Empty{})
		if err != nil {
			return nil, err
		}
		size := m.CSSContentSize
		beyond := true
		r, err := cdp.Call(ctx, t, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Format:                page.CaptureScreenshotFormatPng,
			CaptureBeyondViewport: &beyond,
			Clip:                  &page.Viewport{Width: size.Width, Height: size.Height, Scale: 1},
		})
		if err != nil {
			return nil, err
		}
		return r.Data, nil
	}
}
