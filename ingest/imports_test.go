package ingest_test

import (
	"go/build"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/gongkai/gongkai/"

// imports returns the project packages dir's non-test Go files import
// directly, and with transitive, every project package reachable from them.
func imports(t *testing.T, pkg string, transitive bool) []string {
	t.Helper()
	ctx := build.Default
	ctx.BuildTags = append(ctx.BuildTags, "duckdb_arrow")
	seen := map[string]bool{}
	var walk func(pkg string)
	walk = func(pkg string) {
		p, err := ctx.ImportDir(filepath.Join("..", pkg), 0)
		if err != nil {
			t.Fatalf("%s: %v", pkg, err)
		}
		for _, imp := range p.Imports {
			dep, ok := strings.CutPrefix(imp, module)
			if !ok || seen[dep] {
				continue
			}
			seen[dep] = true
			if transitive {
				walk(dep)
			}
		}
	}
	walk(pkg)
	var out []string
	for dep := range seen {
		out = append(out, dep)
	}
	slices.Sort(out)
	return out
}

// The folder tree shows the data's path: extract → transform → load, and
// ingest runs the three. load writes what transform hands it and reads no
// file (it may import transform, whose records it writes, but not extract);
// transform never reaches for the warehouse; extract knows nothing of
// budgets or DuckDB.
func TestLayering(t *testing.T) {
	for _, c := range []struct {
		pkg        string
		transitive bool
		forbidden  []string
	}{
		{"load", false, []string{"extract", "ingest"}},
		{"transform", true, []string{"load", "ingest"}},
		{"extract", true, []string{"transform", "load", "ingest"}},
	} {
		deps := imports(t, c.pkg, c.transitive)
		if len(deps) == 0 && c.pkg != "extract" {
			t.Errorf("%s: no project imports found; is the test reading the right folder?", c.pkg)
		}
		for _, f := range c.forbidden {
			if slices.Contains(deps, f) {
				how := "imports"
				if c.transitive {
					how = "depends on"
				}
				t.Errorf("%s %s %s (project imports: %v)", c.pkg, how, f, deps)
			}
		}
	}
	// The test can fail: ingest itself imports all three.
	if deps := imports(t, "ingest", false); !slices.Contains(deps, "extract") || !slices.Contains(deps, "load") {
		t.Errorf("ingest imports %v, want extract and load among them", deps)
	}
}
