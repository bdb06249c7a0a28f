package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/gongkai/gongkai/load"
	"github.com/gongkai/gongkai/report"
)

// cmdReport writes the self-contained HTML report of the warehouse.
func cmdReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("report", "report [--db PATH] [--out FILE]\n\nWrites one self-contained HTML page (styles, script and SVG charts inside; it loads nothing from the network):\nan overview with how far each document can be trusted, a section per department, comparisons across departments.\nThe file is written beside FILE and renamed into place.", stderr)
	out := fs.String("out", "report.html", "HTML file to write")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return errUsage
	}
	conn, err := load.OpenReadOnly(*db)
	if err != nil {
		return err
	}
	defer conn.Close()

	// Write beside the target and rename, so a reader never sees half a page.
	tmp, err := os.CreateTemp(filepath.Dir(*out), ".gongkai-report-*.html")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	st, err := report.Generate(ctx, conn, tmp, report.Options{
		Logger: newLogger(stderr), Source: *db,
	})
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), *out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: %d departments, %d department-years, %d charts\n", *out, st.Departments, st.Documents, st.Charts)
	return nil
}
