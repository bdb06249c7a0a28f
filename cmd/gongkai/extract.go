package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/gongkai/gongkai/extract"
	"github.com/gongkai/gongkai/transform"
)

// cmdExtract prints what extract makes of a file: the lines transform reads,
// with tabs shown as │ — the first thing to look at when a document does
// not parse as expected.
func cmdExtract(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("extract", "extract [--pdf-backend auto|pdfium|native|ledongthuc] [--ocr] [--after PASS] FILE\n\nPrints the lines a file yields (page:line, cells separated by │), before transform;\nwith --after, what transform holds after that pass instead (passes: "+strings.Join(transform.Passes(), ", ")+").\nA PDF without a usable text layer is read by OCR (Tesseract).", stderr)
	backend := fs.String("pdf-backend", "auto", "PDF reader: auto, pdfium, native or ledongthuc (as for ingest)")
	ocr := fs.Bool("ocr", false, "read a PDF by OCR (Tesseract) even if it has a text layer (one without is read by OCR anyway)")
	after := fs.String("after", "", "print the tables, amounts (with their sum check), corrections and findings transform holds after this pass")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	path := fs.Arg(0)
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var doc *extract.Document
	if strings.EqualFold(filepath.Ext(path), ".pdf") {
		be, err := pdfBackend(*backend)
		if err != nil {
			return err
		}
		doc, err = extract.ReadPDF(ctx, path, b, be)
		if *ocr || errors.Is(err, extract.ErrNoTextLayer) {
			doc, err = extract.ReadScanned(ctx, path, b, &extract.OCR{})
		}
		if err != nil {
			return err
		}
	} else if doc, err = extract.ReadText(path, b); err != nil {
		return err
	}
	if *after != "" {
		_, err := transform.ParseWith(doc, transform.Options{DumpAfter: *after, Dump: stdout})
		return err
	}
	for _, l := range doc.Lines {
		if strings.TrimSpace(l.Text) == "" {
			continue
		}
		fmt.Fprintf(stdout, "%d:%d\t%s\n", l.Page, l.No, strings.ReplaceAll(l.Text, "\t", "│"))
	}
	if len(doc.NeedsOCR) > 0 {
		fmt.Fprintf(stderr, "pages without a usable text layer: %v\n", doc.NeedsOCR)
	}
	return nil
}
