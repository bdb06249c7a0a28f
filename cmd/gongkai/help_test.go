package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// usageLine is one command of a command list: its name and its synopsis
// (the name, flags and arguments, whitespace collapsed, comment dropped).
type usageLine struct{ cmd, synopsis string }

// parseUsageLine reads "gongkai CMD FLAGS... ARGS   # comment".
func parseUsageLine(line string) (usageLine, bool) {
	line = strings.TrimSpace(line)
	if !strings.HasPrefix(line, "gongkai ") {
		return usageLine{}, false
	}
	if i := strings.Index(line, " #"); i >= 0 {
		line = line[:i]
	}
	f := strings.Fields(line)[1:]
	return usageLine{cmd: f[0], synopsis: strings.Join(f, " ")}, true
}

// readmeCommands returns the README's command list: the one fenced block
// every line of which is a gongkai command line.
func readmeCommands(t *testing.T) []usageLine {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var blocks [][]usageLine
	var cur []usageLine
	in, all := false, false
	for line := range strings.SplitSeq(string(b), "\n") {
		switch {
		case strings.HasPrefix(line, "```") && !in:
			in, all, cur = true, true, nil
		case strings.HasPrefix(line, "```"):
			in = false
			if all && len(cur) > 0 {
				blocks = append(blocks, cur)
			}
		case in && strings.TrimSpace(line) != "":
			u, ok := parseUsageLine(line)
			all = all && ok
			cur = append(cur, u)
		}
	}
	if len(blocks) != 1 {
		t.Fatalf("README.md has %d fenced blocks made only of gongkai command lines, want 1 (the command list)", len(blocks))
	}
	return blocks[0]
}

// commandHelp is what `gongkai CMD --help` says: the synopsis line and each
// flag with its description.
func commandHelp(t *testing.T, cmd string) (synopsis string, flags map[string]string) {
	t.Helper()
	code, _, errs := gongkai(t, cmd, "--help")
	if code != 0 {
		t.Fatalf("gongkai %s --help: exit %d\n%s", cmd, code, errs)
	}
	first, _, _ := strings.Cut(errs, "\n")
	rest, ok := strings.CutPrefix(first, "Usage: gongkai ")
	if !ok {
		t.Fatalf("gongkai %s --help does not start with its usage line:\n%s", cmd, errs)
	}
	synopsis = strings.Join(strings.Fields(rest), " ")
	flags = map[string]string{}
	flagLine := regexp.MustCompile(`^  -([a-z][a-z0-9-]*)`)
	name := ""
	for line := range strings.SplitSeq(errs, "\n") {
		if m := flagLine.FindStringSubmatch(line); m != nil {
			name = m[1]
			flags[name] = ""
		} else if name != "" && strings.HasPrefix(line, "    \t") {
			flags[name] += strings.TrimSpace(line) + " "
		}
	}
	if len(flags) == 0 {
		t.Fatalf("gongkai %s --help lists no flags:\n%s", cmd, errs)
	}
	return synopsis, flags
}

var (
	flagRe = regexp.MustCompile(`--([a-z][a-z0-9-]*)`)
	// --flag a|b|c: the values a flag takes, listed.
	valuesRe = regexp.MustCompile(`--([a-z][a-z0-9-]*)[ =]([a-z0-9]+(?:\|[a-z0-9]+)+)`)
	// the list an "unknown --flag" error names: (a, b or c)
	acceptedRe = regexp.MustCompile(`unknown --([a-z][a-z0-9-]*) "[^"]*" \(([^)]*)\)`)
)

// TestHelpMatchesREADME holds README.md's command list, `gongkai --help` and
// each `gongkai CMD --help` together: the same commands in the same order,
// the same synopsis, every flag a command defines on its README line and
// every flag of the line defined, and the values a flag lists named in its
// help and exactly those the code accepts.
func TestHelpMatchesREADME(t *testing.T) {
	readme := readmeCommands(t)

	code, out, _ := gongkai(t, "--help")
	if code != 0 {
		t.Fatalf("gongkai --help: exit %d", code)
	}
	var usage []usageLine
	for line := range strings.SplitSeq(out, "\n") {
		if u, ok := parseUsageLine(line); ok && strings.HasPrefix(line, "  gongkai ") {
			usage = append(usage, u)
		}
	}
	names := func(us []usageLine) (s []string) {
		for _, u := range us {
			s = append(s, u.cmd)
		}
		return s
	}
	if !slices.Equal(names(readme), names(usage)) {
		t.Fatalf("commands: README.md lists %v, gongkai --help %v", names(readme), names(usage))
	}

	dir := t.TempDir()
	db := filepath.Join(dir, "none.duckdb")
	pdf := filepath.Join(dir, "x.pdf")
	if err := os.WriteFile(pdf, []byte("%PDF-1.4 not really"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Arguments that take each command past its flag checks, to the point
	// where a flag's value is judged.
	reach := map[string][]string{
		"ingest":  {"--db", db, "--dry-run", seed},
		"query":   {"--db", db, "SELECT 1"},
		"summary": {"--db", db},
		"export":  {"--db", db, "--out", filepath.Join(dir, "out")},
		"report":  {"--db", db, "--out", filepath.Join(dir, "r.html")},
		"extract": {pdf},
	}

	for i, r := range readme {
		t.Run(r.cmd, func(t *testing.T) {
			if usage[i].synopsis != r.synopsis {
				t.Errorf("synopsis differs:\n README.md:      %s\n gongkai --help: %s", r.synopsis, usage[i].synopsis)
			}
			synopsis, defined := commandHelp(t, r.cmd)
			if synopsis != r.synopsis {
				t.Errorf("synopsis differs:\n README.md:           %s\n gongkai %s --help: %s", r.synopsis, r.cmd, synopsis)
			}
			listed := map[string]bool{}
			for _, m := range flagRe.FindAllStringSubmatch(r.synopsis, -1) {
				listed[m[1]] = true
			}
			for name := range defined {
				if !listed[name] {
					t.Errorf("gongkai %s defines --%s; README.md's line does not list it", r.cmd, name)
				}
			}
			for name := range listed {
				if _, ok := defined[name]; !ok {
					t.Errorf("README.md's line lists --%s; gongkai %s --help does not define it", name, r.cmd)
				}
			}

			for _, m := range valuesRe.FindAllStringSubmatch(r.synopsis, -1) {
				flagName, values := m[1], strings.Split(m[2], "|")
				for _, v := range values {
					if !regexp.MustCompile(`\b` + v + `\b`).MatchString(defined[flagName]) {
						t.Errorf("--%s %s: the help of --%s does not name %s: %q", flagName, m[2], flagName, v, defined[flagName])
					}
				}
				// What the code accepts: a bogus value is refused with the list,
				// each listed value is not refused.
				args := append([]string{r.cmd, "--" + flagName, "no-such-value"}, reach[r.cmd]...)
				_, _, errs := gongkai(t, args...)
				a := acceptedRe.FindStringSubmatch(errs)
				if a == nil || a[1] != flagName {
					t.Errorf("gongkai %s --%s no-such-value: no \"unknown --%s … (values)\" error:\n%s", r.cmd, flagName, flagName, errs)
					continue
				}
				accepted := strings.FieldsFunc(a[2], func(c rune) bool { return c == ',' || c == ' ' })
				accepted = slices.DeleteFunc(accepted, func(s string) bool { return s == "or" })
				slices.Sort(accepted)
				sorted := slices.Sorted(slices.Values(values))
				if !slices.Equal(accepted, sorted) {
					t.Errorf("--%s: README.md lists %v, the code accepts %v", flagName, sorted, accepted)
				}
				for _, v := range values {
					args := append([]string{r.cmd, "--" + flagName, v}, reach[r.cmd]...)
					if _, _, errs := gongkai(t, args...); strings.Contains(errs, "unknown --"+flagName) {
						t.Errorf("gongkai %s --%s %s refused:\n%s", r.cmd, flagName, v, errs)
					}
				}
			}
		})
	}
}
