// Command corpusgen writes a synthetic corpus of department budget
// disclosures with their truth, and scores a warehouse against it.
//
//	corpusgen gen   [--seed N] [--n N] [--kinds text-tabs,text-spaces,pdf] [--years N]
//	                [--glitch-rate R] [--glitch-kinds K,…] [--defect-rate R] [--defect-kinds K,…]
//	                [--fixturegen BIN] --out DIR
//	corpusgen score --db WAREHOUSE --truth DIR [--kinds …] [--examples N]
//
// gen writes DIR/docs/<kind>/ (the inputs: run `gongkai ingest DIR/docs`),
// DIR/truth/<doc>/ (budget_lines, projects, source_tables, forms, glitches,
// document as TSV, in the formats of fixtures/golden) and DIR/manifest.tsv
// (each file's kind and SHA-256, which is its document_id). score compares
// the warehouse with the truth per input kind: cells, projects, identity,
// source tables, forms, glitch repairs and injected defects (precision and
// recall of the findings that report each class), with examples of every
// shortfall.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/gongkai/gongkai/tools/corpusgen/corpus"
	"github.com/gongkai/gongkai/tools/corpusgen/score"
)

const usage = `usage:
  corpusgen gen   [--seed N] [--n DOCS_PER_KIND] [--kinds text-tabs,text-spaces,pdf] [--years N]
                  [--glitch-rate R] [--glitch-kinds department_code,project_name,funding,truncated_label,place_name]
                  [--defect-rate R] [--defect-kinds heading_year,narrative_figure,comparison_word,placeholder,
                                     blanked_table,parts_sum,empty_note,wrong_share,department_name]
                  [--fixturegen BIN] --out DIR
  corpusgen score --db WAREHOUSE --truth DIR [--kinds K,…] [--examples N]`

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "corpusgen:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	switch args[0] {
	case "gen":
		return cmdGen(args[1:], stdout, stderr)
	case "score":
		return cmdScore(ctx, args[1:], stdout, stderr)
	}
	return fmt.Errorf("unknown subcommand %q\n%s", args[0], usage)
}

func list(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func cmdGen(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	seed := fs.Uint64("seed", 1, "random seed: the same seed gives the same bytes")
	n := fs.Int("n", 6, "documents per input kind")
	kinds := fs.String("kinds", strings.Join(corpus.AllKinds, ","), "input kinds")
	years := fs.Int("years", 3, "consecutive fiscal years per department")
	rate := fs.Float64("glitch-rate", 0.3, "share of project forms given one OCR-style glitch")
	gk := fs.String("glitch-kinds", strings.Join(corpus.AllGlitchKinds, ","), "glitch kinds to inject")
	dr := fs.Float64("defect-rate", 0, "share of documents given one auditor's defect (wrong heading year, figure ≠ table, …)")
	dk := fs.String("defect-kinds", strings.Join(corpus.AllDefectKinds, ","), "defect kinds to inject")
	fg := fs.String("fixturegen", "", "fixturegen binary (built from ./tools/fixturegen when empty)")
	out := fs.String("out", "", "corpus folder (created; must not exist or be empty)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("gen: --out is required")
	}
	if ents, err := os.ReadDir(*out); err == nil && len(ents) > 0 {
		return fmt.Errorf("gen: %s is not empty", *out)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	opt := corpus.Options{Seed: *seed, PerKind: *n, Kinds: list(*kinds), Years: *years, GlitchRate: *rate, GlitchKinds: list(*gk),
		DefectRate: *dr, DefectKinds: list(*dk)}
	w := &corpus.Writer{Dir: *out, Fixturegen: *fg}
	needsFG := false
	for _, k := range opt.Kinds {
		needsFG = needsFG || k != corpus.KindTabs
	}
	if needsFG && w.Fixturegen == "" {
		tmp, err := os.MkdirTemp("", "corpusgen-bin")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		if w.Fixturegen, err = corpus.BuildFixturegen(tmp); err != nil {
			return err
		}
	}
	if err := w.WriteCorpus(opt); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d documents per kind (%s) into %s; ingest %s/docs\n", *n, strings.Join(opt.Kinds, ", "), *out, *out)
	return nil
}

func cmdScore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("score", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", "the warehouse (DuckDB file)")
	truth := fs.String("truth", "", "the corpus folder written by gen")
	kinds := fs.String("kinds", "", "input kinds to score (default: every kind of the corpus)")
	examples := fs.Int("examples", 5, "examples per shortfall")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *db == "" || *truth == "" {
		return errors.New("score: --db and --truth are required")
	}
	rep, err := score.Score(ctx, *db, *truth, list(*kinds))
	if err != nil {
		return err
	}
	rep.Markdown(stdout, *examples)
	if !rep.Perfect() {
		return errors.New("score: the warehouse differs from the truth (see the shortfalls above)")
	}
	return nil
}
