// Command gongkai loads Chinese department budget and final-account
// disclosures into a DuckDB warehouse and queries it.
//
//	gongkai ingest  [flags] PATH...     load text exports and PDFs, files and folders
//	gongkai query   [flags] SQL         run SQL read-only
//	gongkai summary [flags]             what an analyst wants to see first
//	gongkai export  [flags] --out PATH  tables and views as CSV, XLSX or Parquet
//	gongkai report  [flags]             one self-contained HTML page
//	gongkai extract [flags] FILE        the lines a file yields, for debugging
//
// The flags are in the usage text below and in README.md's command list
// (help_test.go holds the two together).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

const usage = `gongkai — department budget disclosures (部门预算/决算公开) into a DuckDB warehouse

Usage:
  gongkai ingest  [--db PATH] [--max-bytes N] [--dry-run] [--in-place] [--shard i/n] [--group N] [--pdf-backend auto|pdfium|native|ledongthuc] [--ocr] PATH...
  gongkai query   [--db PATH] [--format table|csv|json] SQL     # read-only
  gongkai summary [--db PATH]                                   # what an analyst wants first
  gongkai export  [--db PATH] [--format csv|xlsx|parquet] [--table NAME | --all] --out PATH
  gongkai report  [--db PATH] [--out FILE]                      # one self-contained HTML page
  gongkai extract [--pdf-backend auto|pdfium|native|ledongthuc] [--ocr] [--after PASS] FILE   # the lines a file yields

ingest takes text exports (.txt or .text, UTF-8 or GB18030) and PDFs (.pdf), files and folders (recursively).
--db defaults to $GONGKAI_DB, else warehouse.duckdb in the working folder.
Run 'gongkai COMMAND --help' for a command's flags; README.md and docs/ say more.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// errUsage marks a command-line mistake (exit status 2).
var errUsage = errors.New("usage")

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch args[0] {
	case "ingest":
		err = cmdIngest(ctx, args[1:], stdout, stderr)
	case "query":
		err = cmdQuery(ctx, args[1:], stdout, stderr)
	case "summary":
		err = cmdSummary(ctx, args[1:], stdout, stderr)
	case "extract":
		err = cmdExtract(ctx, args[1:], stdout, stderr)
	case "export":
		err = cmdExport(ctx, args[1:], stdout, stderr)
	case "report":
		err = cmdReport(ctx, args[1:], stdout, stderr)
	default:
		fmt.Fprintf(stderr, "gongkai: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	case errors.Is(err, errFilesFailed):
		return 1
	default:
		fmt.Fprintf(stderr, "gongkai %s: %v\n", args[0], err)
		return 1
	}
}

func defaultDB() string {
	if p := os.Getenv("GONGKAI_DB"); p != "" {
		return p
	}
	return "warehouse.duckdb"
}

func newFlags(name, synopsis string, stderr io.Writer) (*flag.FlagSet, *string) {
	fs := newFlagSet(name, synopsis, stderr)
	db := fs.String("db", defaultDB(), "warehouse file; $GONGKAI_DB when set")
	return fs, db
}

// newFlagSet is a command's flags without --db, for a command that opens
// no warehouse (extract).
func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: gongkai %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// isTerminal reports whether f is an interactive terminal.
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// newLogger writes JSON logs to stderr, or on a terminal readable ones of
// warnings and errors only (the progress bar shows the rest).
func newLogger(stderr io.Writer) *zap.Logger {
	var enc zapcore.Encoder
	level := zap.InfoLevel
	if f, ok := stderr.(*os.File); ok && isTerminal(f) {
		cfg := zap.NewDevelopmentEncoderConfig()
		cfg.EncodeLevel = zapcore.CapitalColorLevelEncoder
		enc = zapcore.NewConsoleEncoder(cfg)
		level = zap.WarnLevel
	} else {
		cfg := zap.NewProductionEncoderConfig()
		cfg.EncodeTime = zapcore.ISO8601TimeEncoder
		enc = zapcore.NewJSONEncoder(cfg)
	}
	return zap.New(zapcore.NewCore(enc, zapcore.AddSync(stderr), level))
}
