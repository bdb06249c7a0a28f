// Command fixturegen derives test fixtures from the tab-separated text
// exports in fixtures/text, so that the parser is exercised on the other
// shapes a published disclosure arrives in.
//
//	fixturegen relayout IN OUT   re-lay tab-separated rows as space-aligned columns
//	fixturegen gb18030  IN OUT   re-encode a UTF-8 file as GB18030 with CRLF line endings
//	fixturegen pdf      IN OUT   typeset a text export as a PDF with go-pdf/fpdf (pdf.go)
//	fixturegen fodt     IN OUT   write it as a flat ODF text document for LibreOffice Writer (odf.go)
//	fixturegen fods     IN OUT   write its 13 standard tables as a flat ODF spreadsheet for LibreOffice Calc (odf.go)
//	fixturegen scan     IN OUT   degrade the page images (PGM) in directory IN like an office scan, into directory OUT (scan.go)
//
// relayout imitates `pdftotext -layout` or a word processor's "save as text":
// every block of consecutive lines that contain a tab is treated as one table;
// its column widths are the widest cell of each column measured in display
// columns (East Asian wide and full-width characters count 2, everything else
// 1, combining marks 0; East Asian ambiguous characters such as “ ” ① ≥ count
// 1, as in a non-CJK terminal). Text cells are left-aligned, amount cells
// (1,234.56 / 12.50 / 100% / 0 / column numbers) right-aligned, columns are
// separated by two spaces, so empty leading cells become an indent. Plain
// integers of three or more digits are codes (201, 2013150) and stay
// left-aligned. A table keeps its column widths across blank lines and form
// feeds (a form feed is kept in front of its line). Lines without a tab are copied unchanged.
// Trailing blanks are trimmed.
package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/width"
)

const usage = `usage:
  fixturegen relayout IN OUT   re-lay tab-separated rows as space-aligned columns
  fixturegen gb18030  IN OUT   write IN (UTF-8) as GB18030 with CRLF line endings
  fixturegen pdf      IN OUT   typeset IN as a PDF (go-pdf/fpdf; fonts: $FIXTUREGEN_{CJK,LATIN,SYMBOL}_FONT)
  fixturegen fodt     IN OUT   write IN as a flat ODF text document (LibreOffice Writer)
  fixturegen fods     IN OUT   write IN's standard tables as a flat ODF spreadsheet (LibreOffice Calc)
  fixturegen scan     IN OUT   degrade the PGM pages in directory IN like an office scan, into directory OUT (seed: $FIXTUREGEN_SCAN_SEED)`

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "fixturegen:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) != 3 {
		return errors.New(usage)
	}
	cmd, in, out := args[0], args[1], args[2]
	var conv func([]byte) ([]byte, error)
	switch cmd {
	case "relayout":
		conv = func(b []byte) ([]byte, error) { return []byte(Relayout(string(b))), nil }
	case "gb18030":
		conv = ToGB18030CRLF
	case "pdf":
		conv = ToPDF
	case "fodt":
		conv = ToFODT
	case "fods":
		conv = ToFODS
	case "scan":
		return Scan(in, out)
	default:
		return fmt.Errorf("unknown subcommand %q\n%s", cmd, usage)
	}
	if in == out {
		return errors.New("IN and OUT must differ")
	}
	b, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	if !utf8.Valid(b) {
		return fmt.Errorf("%s: not valid UTF-8", in)
	}
	res, err := conv(b)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	return os.WriteFile(out, res, 0o644)
}

// ToGB18030CRLF converts UTF-8 text to GB18030 with CRLF line endings.
func ToGB18030CRLF(b []byte) ([]byte, error) {
	b = bytes.TrimPrefix(b, []byte("\uFEFF"))
	s := strings.ReplaceAll(string(b), "\r\n", "\n")
	s = strings.ReplaceAll(s, "\n", "\r\n")
	return simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
}

// Relayout re-lays every table of tab-separated lines as aligned columns.
// A table keeps its column widths across blank lines and page breaks, as a
// table printed over several pages keeps its column positions.
func Relayout(s string) string {
	lines := strings.Split(s, "\n") // a final "" keeps the trailing newline
	out := make([]string, 0, len(lines))
	var block []row
	var pending []string // blank lines inside a block, emitted with it
	flush := func() {
		out = append(out, layBlock(block)...)
		block = block[:0]
		out = append(out, pending...)
		pending = pending[:0]
	}
	for _, l := range lines {
		r := splitRow(l)
		if !r.tabbed {
			if len(block) > 0 && strings.TrimSpace(strings.Trim(l, "\f\r")) == "" {
				pending = append(pending, l)
				continue
			}
			flush()
			out = append(out, l)
			continue
		}
		for _, p := range pending {
			block = append(block, row{passthrough: p})
		}
		pending = pending[:0]
		block = append(block, r)
	}
	flush()
	return strings.Join(out, "\n")
}

type row struct {
	passthrough string // a blank line kept inside a table, copied as is
	ff          string // leading form feeds, kept in front of the line
	cr          bool   // line ended in CR (CRLF input)
	cells       []string
	tabbed      bool
}

func splitRow(l string) row {
	var r row
	rest := strings.TrimLeft(l, "\f")
	r.ff = l[:len(l)-len(rest)]
	if strings.HasSuffix(rest, "\r") {
		r.cr = true
		rest = rest[:len(rest)-1]
	}
	if !strings.Contains(rest, "\t") {
		return r
	}
	r.tabbed = true
	for _, c := range strings.Split(rest, "\t") {
		r.cells = append(r.cells, strings.TrimSpace(c))
	}
	return r
}

func layBlock(rows []row) []string {
	var widths []int
	for _, r := range rows {
		for i, c := range r.cells {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			if w := DisplayWidth(c); w > widths[i] {
				widths[i] = w
			}
		}
	}
	res := make([]string, 0, len(rows))
	for _, r := range rows {
		if !r.tabbed {
			res = append(res, r.passthrough)
			continue
		}
		var sb strings.Builder
		sb.WriteString(r.ff)
		for i, c := range r.cells {
			if i > 0 {
				sb.WriteString("  ")
			}
			pad := strings.Repeat(" ", widths[i]-DisplayWidth(c))
			if IsAmount(c) {
				sb.WriteString(pad + c)
			} else {
				sb.WriteString(c + pad)
			}
		}
		line := strings.TrimRight(sb.String(), " ")
		if r.cr {
			line += "\r"
		}
		res = append(res, line)
	}
	return res
}

// DisplayWidth is the number of terminal columns s occupies.
func DisplayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || unicode.IsControl(r):
		default:
			switch width.LookupRune(r).Kind() {
			case width.EastAsianWide, width.EastAsianFullwidth:
				n += 2
			default:
				n++
			}
		}
	}
	return n
}

var amountRe = regexp.MustCompile(`^[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?%?$`)

// IsAmount reports whether a cell holds a number to be right-aligned: an
// amount with decimals or thousands separators, a percentage, or a short
// integer (0, column numbers). Longer plain integers are codes or dates.
func IsAmount(c string) bool {
	if !amountRe.MatchString(c) {
		return false
	}
	if strings.ContainsAny(c, ".,%") {
		return true
	}
	return len(strings.TrimLeft(c, "+-")) <= 2
}
