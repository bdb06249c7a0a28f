package transform

import (
	"fmt"
	"slices"
)

// Split disclosures: some regions publish one department's disclosure as
// two files, the narrative (情况说明, Beijing's 附件1) and the tables (报表,
// 附件2); counties as one workbook per table beside a .doc narrative. Each file parses on its own; Role says which part a file is, and
// Merge puts the parts of one document together.

// Roles of a file in its document (document_files.role).
const (
	RoleWhole     = "whole"     // the usual disclosure: tables and narrative in one file
	RoleTables    = "tables"    // standard tables with amounts, no narrative facts
	RoleNarrative = "narrative" // narrative facts, no table amounts
)

// Role says what a parsed file holds: RoleTables when it has amounts of
// the standard tables and no narrative facts, or only standard tables
// printed empty (本表无数据: one file per table, as counties publish them);
// RoleNarrative when it has facts but no table amounts; else RoleWhole.
func Role(res *Result) string {
	switch {
	case len(res.Lines) > 0 && len(res.Facts) == 0:
		return RoleTables
	case len(res.Facts) > 0 && len(res.Lines) == 0:
		return RoleNarrative
	case len(res.Facts) == 0 && len(res.Lines) == 0 && len(res.Tables) > 0:
		return RoleTables
	}
	return RoleWhole
}

// Merge puts the parts of one document together: parts parsed from the
// files of a split disclosure. The parts must state the same region,
// department, fiscal year and stage (and, where both state them, the same
// department code and scope). Tables, lines, projects, facts, forms,
// corrections and findings are concatenated in the order of parts, with
// three exceptions:
//
//   - a standard table is taken from one part only: the part that prints it
//     with rows, else a part that is not the narrative, else the first that
//     lists it. Two parts that both print a table with rows are an error. A part's findings about a table the
//     merged result takes from another part (table.missing, a unit missing
//     from a title listed in the narrative) are dropped.
//   - the checks (check: the tables' sums, then the narrative against the
//     tables and forms, checks_text.go) ran on each part alone, where the
//     other part was missing: the narrative's figures had no tables to
//     compare with, and the 尾差 note that makes a rounding difference info
//     rather than warning may be printed in the other part. Their findings
//     and the prior-year figures they derive are dropped from the parts and
//     the checks run again on the merged result.
//   - a finding stated identically by two parts is kept once.
//
// The parts are not changed. Merge does not depend on which part is given
// first except for the order of rows.
func Merge(parts ...*Result) (*Result, error) {
	if len(parts) == 0 {
		return nil, fmt.Errorf("merge: no parts")
	}
	out := &Result{}
	id, err := mergeIdentity(parts)
	if err != nil {
		return nil, err
	}
	out.Identity = id

	// Each table from one part: the one that prints it with rows, else one
	// that is not the narrative (a 本表无数据 table rather than a title in
	// the narrative's list of the tables), else the first.
	weight := func(i int, table string) int {
		switch {
		case hasRows(parts[i], table):
			return 2
		case Role(parts[i]) != RoleNarrative:
			return 1
		}
		return 0
	}
	owner := map[string]int{}
	for i, p := range parts {
		for _, t := range p.Tables {
			j, ok := owner[t.TableKey]
			switch {
			case !ok:
				owner[t.TableKey] = i
			case j == i:
			case weight(i, t.TableKey) == 2 && weight(j, t.TableKey) == 2:
				return nil, fmt.Errorf("merge: table %s is printed with rows in two parts", t.TableKey)
			case weight(i, t.TableKey) > weight(j, t.TableKey):
				owner[t.TableKey] = i
			}
		}
	}
	for i, p := range parts {
		for _, t := range p.Tables {
			if owner[t.TableKey] == i {
				out.Tables = append(out.Tables, t)
				if cs := p.colSums[t.TableKey]; len(cs) > 0 {
					if out.colSums == nil {
						out.colSums = map[string][]colSum{}
					}
					out.colSums[t.TableKey] = cs
				}
			}
		}
		for _, l := range p.Lines {
			if j, ok := owner[l.TableKey]; !ok || j == i {
				out.Lines = append(out.Lines, l)
			}
		}
		out.Projects = append(out.Projects, p.Projects...)
		out.Forms = append(out.Forms, p.Forms...)
		out.Corrections = append(out.Corrections, p.Corrections...)
		out.RoundingNote = out.RoundingNote || p.RoundingNote
	}

	seen := map[Finding]bool{}
	for i, p := range parts {
		checked, implied := checksOf(p)
		drop := map[Finding]int{}
		for _, f := range checked {
			drop[f]++
		}
		for _, f := range p.Findings {
			if drop[f] > 0 {
				drop[f]--
				continue
			}
			if j, ok := owner[f.TableKey]; f.TableKey != "" && ok && j != i {
				continue
			}
			if seen[f] {
				continue
			}
			seen[f] = true
			out.Findings = append(out.Findings, f)
		}
		for _, f := range p.Facts {
			if k := slices.IndexFunc(implied, func(g Fact) bool { return sameFact(f, g) }); k >= 0 {
				implied = slices.Delete(implied, k, k+1)
				continue
			}
			out.Facts = append(out.Facts, f)
		}
	}
	out.Findings = append(out.Findings, check(out)...)
	return out, nil
}

// checksOf reports what check added to res when Parse ran it, the last of
// its passes: its findings, and the facts checkText derived. They are
// recomputed on a copy (check appends to Facts).
func checksOf(res *Result) ([]Finding, []Fact) {
	cp := *res
	cp.Facts = slices.Clone(res.Facts)
	return check(&cp), cp.Facts[len(res.Facts):]
}

func sameFact(a, b Fact) bool {
	return a.Key == b.Key && a.Value.Equal(b.Value) && a.Unit == b.Unit && a.Raw == b.Raw && a.Page == b.Page && a.Line == b.Line
}

func hasRows(res *Result, table string) bool {
	return slices.ContainsFunc(res.Lines, func(l Line) bool { return l.TableKey == table })
}

// mergeIdentity is the parts' common identity.
func mergeIdentity(parts []*Result) (Identity, error) {
	id := parts[0].Identity
	id.Conflicts = nil
	for i, p := range parts {
		o := p.Identity
		if i > 0 && (o.Region != id.Region || o.DepartmentName != id.DepartmentName || o.FiscalYear != id.FiscalYear || o.Stage != id.Stage) {
			return Identity{}, fmt.Errorf("merge: the parts are different documents: %s %s %d %s and %s %s %d %s",
				id.Region, id.DepartmentName, id.FiscalYear, id.Stage, o.Region, o.DepartmentName, o.FiscalYear, o.Stage)
		}
		for _, f := range []struct {
			name      string
			have, set *string
		}{{"department code", &id.DepartmentCode, &o.DepartmentCode}, {"scope", &id.Scope, &o.Scope}} {
			switch {
			case *f.set == "":
			case *f.have == "":
				*f.have = *f.set
			case *f.have != *f.set:
				return Identity{}, fmt.Errorf("merge: the parts state different %ss: %s and %s", f.name, *f.have, *f.set)
			}
		}
		// The identity is the document's own when any part states it.
		if id.Source == "" || o.Source == SourceDocument {
			id.Source = o.Source
		}
		for _, c := range o.Conflicts {
			if !slices.Contains(id.Conflicts, c) {
				id.Conflicts = append(id.Conflicts, c)
			}
		}
	}
	return id, nil
}
