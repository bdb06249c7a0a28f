package main

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/gongkai/gongkai/ingest"
	"github.com/gongkai/gongkai/load"
	"github.com/gongkai/gongkai/tools/corpusgen/corpus"
	"github.com/gongkai/gongkai/tools/corpusgen/score"
)

// testSeed gives, in two documents of each kind, every glitch kind, a
// department code glued into 项目属性, and a PDF department code printed
// with a space inside (extract keeps a space printed between digits).
const testSeed = 61

var (
	fgOnce sync.Once
	fgBin  string
	fgErr  error
	fgDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if fgDir != "" {
		os.RemoveAll(fgDir)
	}
	os.Exit(code)
}

// fixturegen builds tools/fixturegen once for the package's tests.
func fixturegen(t *testing.T) string {
	t.Helper()
	fgOnce.Do(func() {
		if fgDir, fgErr = os.MkdirTemp("", "corpusgen-test"); fgErr != nil {
			return
		}
		fgBin, fgErr = corpus.BuildFixturegen(fgDir)
	})
	if fgErr != nil {
		t.Fatal(fgErr)
	}
	return fgBin
}

// kinds are the input kinds the tests can make here: PDFs need the fonts
// tools/fixturegen embeds.
func kinds(t *testing.T) []string {
	if _, err := os.Stat("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"); err != nil && os.Getenv("FIXTUREGEN_CJK_FONT") == "" {
		t.Logf("no CJK font for fixturegen pdf (fonts-droid-fallback): PDFs not generated")
		return []string{corpus.KindTabs, corpus.KindSpaces}
	}
	return corpus.AllKinds
}

func generate(t *testing.T, dir string, seed uint64) {
	t.Helper()
	w := &corpus.Writer{Dir: dir, Fixturegen: fixturegen(t)}
	if err := w.WriteCorpus(corpus.Options{Seed: seed, PerKind: 2, Kinds: kinds(t), GlitchRate: 0.7}); err != nil {
		t.Fatal(err)
	}
}

// files maps each file of a corpus (relative path) to its bytes.
func files(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[rel] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestGenerationIsDeterministic(t *testing.T) {
	a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
	generate(t, a, testSeed)
	generate(t, b, testSeed)
	generate(t, c, testSeed+1)
	fa, fb, fc := files(t, a), files(t, b), files(t, c)
	if len(fa) == 0 || len(fa) != len(fb) {
		t.Fatalf("%d files, then %d", len(fa), len(fb))
	}
	nDocs := 0
	for name, x := range fa {
		if !bytes.Equal(x, fb[name]) {
			t.Errorf("%s differs between two runs with the same seed", name)
		}
		if strings.HasPrefix(name, "docs"+string(filepath.Separator)) {
			nDocs++
		}
	}
	if want := 2 * len(kinds(t)); nDocs != want {
		t.Errorf("%d documents, want %d", nDocs, want)
	}
	if bytes.Equal(fa["manifest.tsv"], fc["manifest.tsv"]) {
		t.Error("another seed gave the same corpus")
	}
}

func TestCorpusThroughThePipeline(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests a generated corpus (PDFs through PDFium)")
	}
	dir := t.TempDir()
	generate(t, dir, testSeed)
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "w.duckdb")
	w, err := load.Open(ctx, db, nil)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := (&ingest.Ingester{W: w}).Run(ctx, []string{filepath.Join(dir, "docs")})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if sum.Failed > 0 {
		for _, f := range sum.Files {
			if f.Err != nil {
				t.Errorf("%s: %v", f.Path, f.Err)
			}
		}
	}
	rep, err := score.Score(ctx, db, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	var md bytes.Buffer
	rep.Markdown(&md, 20)
	t.Logf("\n%s", md.String())
	glitchKinds := map[string]bool{}
	for _, k := range rep.Kinds {
		if k.Loaded != k.Docs || len(k.Failed) > 0 {
			t.Errorf("%s: %d of %d documents loaded: %v", k.Kind, k.Loaded, k.Docs, k.Failed)
		}
		for what, c := range map[string]score.Counts{"identity": k.Identity, "cells": k.Cells, "projects": k.Projects,
			"source tables": k.Tables, "forms": k.Forms} {
			if c.Match != c.Want || c.Match != c.Got {
				t.Errorf("%s %s: %d matched of %d wanted, %d got", k.Kind, what, c.Match, c.Want, c.Got)
			}
		}
		if k.Findings["error"] > 0 {
			t.Errorf("%s: error findings: %v", k.Kind, k.ErrorFindings)
		}
		if len(k.CorrectionsFP) > 0 {
			t.Errorf("%s: corrections repairing no injected glitch: %v", k.Kind, k.CorrectionsFP)
		}
		for _, g := range k.GlitchesNotRepaired {
			t.Errorf("%s: glitch not repaired: %s", k.Kind, g)
		}
		for gk, c := range k.GlitchKinds {
			if c[1] > 0 {
				glitchKinds[gk] = true
			}
		}
		if k.Glitches.Want == 0 {
			t.Errorf("%s: no glitch injected; the test proves nothing about repairs", k.Kind)
		}
	}
	if len(kinds(t)) < len(corpus.AllKinds) {
		return // testSeed was chosen for the corpus of all three kinds
	}
	for _, gk := range corpus.AllGlitchKinds {
		if !glitchKinds[gk] {
			t.Errorf("no %s glitch in the test corpus", gk)
		}
	}
}

func TestScoreFlagsADifference(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests a generated corpus")
	}
	dir := t.TempDir()
	w := &corpus.Writer{Dir: dir}
	if err := w.WriteCorpus(corpus.Options{Seed: testSeed, PerKind: 1, Kinds: []string{corpus.KindTabs}, GlitchRate: 0.7}); err != nil {
		t.Fatal(err)
	}
	// Spoil the truth of one cell: the score must see it.
	man, err := corpus.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	tp := filepath.Join(dir, "truth", man[0].Doc, "budget_lines.tsv")
	b, err := os.ReadFile(tp)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitN(string(b), "\n", 3)
	f := strings.Split(lines[1], "\t")
	f[6] = "1.00"
	lines[1] = strings.Join(f, "\t")
	if err := os.WriteFile(tp, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "w.duckdb")
	wh, err := load.Open(ctx, db, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (&ingest.Ingester{W: wh}).Run(ctx, []string{filepath.Join(dir, "docs")}); err != nil {
		t.Fatal(err)
	}
	wh.Close()
	rep, err := score.Score(ctx, db, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	k := rep.Kind(corpus.KindTabs)
	if k == nil || k.Cells.Want-k.Cells.Match != 1 || k.Cells.Got-k.Cells.Match != 1 || rep.Perfect() {
		t.Fatalf("a spoilt truth cell was not reported: %+v", k)
	}
}

// Every defect class an auditor looks for, injected into 60 text exports, is
// reported by the findings of its checks, quoting the injected figure or
// word, and nowhere else (BENCHMARKS.md has the figures of a larger run).
func TestDefectsThroughThePipeline(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests a generated corpus")
	}
	dir := t.TempDir()
	w := &corpus.Writer{Dir: dir}
	if err := w.WriteCorpus(corpus.Options{Seed: testSeed, PerKind: 60, Kinds: []string{corpus.KindTabs}, DefectRate: 0.9}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "w.duckdb")
	wh, err := load.Open(ctx, db, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (&ingest.Ingester{W: wh}).Run(ctx, []string{filepath.Join(dir, "docs")}); err != nil {
		t.Fatal(err)
	}
	if err := wh.Close(); err != nil {
		t.Fatal(err)
	}
	rep, err := score.Score(ctx, db, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	k := rep.Kind(corpus.KindTabs)
	for _, class := range corpus.AllDefectKinds {
		c := k.Defects[class]
		if c == nil || c.Want == 0 {
			t.Errorf("%s: not injected; the test proves nothing about it", class)
			continue
		}
		if c.Match != c.Want || c.Got != c.Want {
			t.Errorf("%s: %d of %d injected found, %d documents reported", class, c.Match, c.Want, c.Got)
		}
	}
	for _, x := range append(k.DefectsMissed, k.DefectsFalse...) {
		t.Error(x)
	}
	if k.Cells.Match != k.Cells.Want || k.Cells.Got != k.Cells.Want {
		t.Errorf("cells: %d of %d (a blanked table's truth is its blank)", k.Cells.Match, k.Cells.Want)
	}
}
