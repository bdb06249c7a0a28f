package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"github.com/gongkai/gongkai/extract"
	"github.com/gongkai/gongkai/ingest"
	"github.com/gongkai/gongkai/load"
)

// progressBar draws files done, pages/s and the time left on a terminal.
func progressBar(w io.Writer) func(done, total int, fr ingest.FileResult) {
	start := time.Now()
	pages := 0
	return func(done, total int, fr ingest.FileResult) {
		pages += fr.Pages
		el := time.Since(start)
		rate := float64(pages) / math.Max(el.Seconds(), 1e-3)
		eta := time.Duration(float64(el) / float64(done) * float64(total-done)).Round(time.Second)
		const width = 30
		bar := strings.Repeat("█", width*done/total) + strings.Repeat("░", width-width*done/total)
		fmt.Fprintf(w, "\r%s %d/%d files  %.1f pages/s  ETA %s   ", bar, done, total, rate, eta)
		if done == total {
			fmt.Fprintln(w)
		}
	}
}

// pdfBackend names the PDF readers the command line offers.
func pdfBackend(name string) (extract.PDFBackend, error) {
	switch name {
	case "pdfium":
		return &extract.Pdfium{}, nil
	case "ledongthuc":
		return extract.Ledongthuc{}, nil
	case "native":
		return extract.Native{}, nil
	case "auto", "":
		return &extract.Auto{}, nil
	}
	return nil, fmt.Errorf("unknown --pdf-backend %q (pdfium, ledongthuc, native or auto)", name)
}

// errFilesFailed makes the exit status non-zero when any file failed.
var errFilesFailed = errors.New("some files failed")

func cmdIngest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("ingest", "ingest [--db PATH] [--max-bytes N] [--dry-run] [--in-place] [--shard i/n] [--group N] [--pdf-backend auto|pdfium|native|ledongthuc] [--ocr] PATH...\n\n"+
		"Loads text exports (.txt or .text, UTF-8 or GB18030) and PDFs (.pdf) found in files and folders (recursively;\n"+
		"a file named directly is read whatever its name). Documents are parsed concurrently; each loads whole or not at all.\n"+
		"The same bytes again are unchanged; a newer file for the same department, year and stage supersedes the older.\n"+
		"A file that fails is reported and recorded in ingest_files; the others still load. Exit status 1 when any file failed.\n"+
		"A scanned PDF (no usable text layer) fails unless --ocr is given. The warehouse is written as a working copy\n"+
		"(PATH.next) published by a rename at the end, so readers keep reading, unless --in-place.", stderr)
	maxBytes := fs.Int64("max-bytes", ingest.DefaultMaxBytes, "files larger than this many bytes fail")
	dryRun := fs.Bool("dry-run", false, "parse and report, write nothing")
	inPlace := fs.Bool("in-place", false, "write the warehouse file directly (readers are locked out while it runs) instead of a working copy published at the end")
	shard := fs.String("shard", "", "i/n: take only this machine's deterministic share of the files (by path relative to the input folder)")
	ocr := fs.Bool("ocr", false, "read scanned PDFs (no usable text layer) with Tesseract (docs/ocr.md); without it they fail and are recorded")
	group := fs.Int("group", ingest.DefaultGroup, "parsed documents the writer stages and loads together (each still whole or not at all); more is faster, fewer holds less memory")
	backend := fs.String("pdf-backend", "auto", "PDF reader: auto (the native reader, else PDFium for a document it cannot vouch for), pdfium (PDFium in WebAssembly), native (pure Go, reads what it can as PDFium does, fails on the rest) or ledongthuc (github.com/ledongthuc/pdf); docs/pdf.md")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errUsage
	}
	log := newLogger(stderr)
	defer log.Sync()
	be, err := pdfBackend(*backend)
	if err != nil {
		fmt.Fprintln(stderr, "gongkai ingest:", err)
		return errUsage
	}
	in := &ingest.Ingester{Log: log, MaxBytes: *maxBytes, DryRun: *dryRun, PDF: be, Group: *group}
	if *ocr {
		in.OCR = &extract.OCR{}
	}
	if *shard != "" {
		if in.Shard, err = ingest.ParseShard(*shard); err != nil {
			fmt.Fprintln(stderr, "gongkai ingest:", err)
			return errUsage
		}
	}
	var publish func() error
	if !*dryRun {
		unlock, err := load.LockIngest(*db)
		if err != nil {
			return err
		}
		defer unlock()
		target := *db
		if !*inPlace {
			// Write a working copy and publish it at the end, so readers
			// are never locked out (load/snapshot.go).
			if target, err = load.WorkingCopy(*db); err != nil {
				return err
			}
		}
		w, err := load.Open(ctx, target, log)
		if err != nil {
			return err
		}
		closed := false
		defer func() {
			if !closed {
				w.Close()
			}
		}()
		in.W = w
		publish = func() error {
			closed = true
			if err := w.Close(); err != nil {
				return err
			}
			if *inPlace {
				return nil
			}
			return load.Publish(*db)
		}
	}
	if f, ok := stderr.(*os.File); ok && isTerminal(f) {
		in.Progress = progressBar(stderr)
	}
	sum, err := in.Run(ctx, fs.Args())
	if err != nil {
		return err
	}
	if publish != nil {
		if err := publish(); err != nil {
			return err
		}
	}
	for _, f := range sum.Files {
		if f.Err != nil {
			fmt.Fprintf(stderr, "FAILED %v\n", f.Err)
		}
	}
	fmt.Fprintf(stdout, "run %s: %d files, %d loaded, %d unchanged, %d failed\n", sum.RunID, sum.Seen, sum.Loaded, sum.Unchanged, sum.Failed)
	if sum.Failed > 0 {
		return errFilesFailed
	}
	return nil
}
