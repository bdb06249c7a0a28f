// Package score compares a gongkai warehouse with the truth of a generated
// corpus (tools/corpusgen/corpus), per input kind: budget_lines cells,
// projects, document identity, source tables, performance forms and the
// repair of injected glitches, and lists every shortfall with examples.
//
// A cell is document × table_key × side × item_code × item_name × measure →
// amount_yuan (exact decimal). A glitch is repaired when the warehouse holds
// its true value and a corrections row records the repair (field, the
// printed value as raw_value, the true one as normalized_value); a
// corrections row that repairs no injected glitch is a false positive.
package score

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	_ "github.com/duckdb/duckdb-go/v2" // the DuckDB driver

	"github.com/gongkai/gongkai/tools/corpusgen/corpus"
)

// Counts are matches of one kind of row: Match of Want (truth) and Got (warehouse).
type Counts struct {
	Match, Want, Got int
	Missing, Extra   []string // examples
}

// Precision is Match / Got (100 when nothing was got and nothing wanted).
func (c Counts) Precision() float64 { return ratio(c.Match, c.Got) }

// Recall is Match / Want.
func (c Counts) Recall() float64 { return ratio(c.Match, c.Want) }

func (c Counts) perfect() bool { return c.Match == c.Want && c.Match == c.Got }

func ratio(a, b int) float64 {
	if b == 0 {
		if a == 0 {
			return 100
		}
		return 0
	}
	return 100 * float64(a) / float64(b)
}

// KindReport is the score of one input kind.
type KindReport struct {
	Kind                 string
	Docs, Loaded         int
	Failed               []string // doc: error
	Identity             Counts   // documents whose identity is right (Want = documents)
	Cells, Projects      Counts
	Tables, Forms        Counts
	Glitches             Counts             // Match = repaired, Want = injected, Got = corrections rows
	GlitchKinds          map[string]*[2]int // glitch kind → repaired, injected
	GlitchRules          map[string]*[2]int // expected repair rule → repaired, injected
	Findings             map[string]int     // severity → rows
	FindingsByCheck      map[string]int     // severity/check_id → rows
	ErrorFindings        []string
	CorrectionsFP        []string
	GlitchesNotRepaired  []string
	glitchCorrectionsHit int
	// Defects: per defect class, the documents where it was injected
	// (Want), the documents with a finding of its checks (Got) and those
	// where both hold and a finding quotes the injected figure or word
	// (Match). DefectsMissed and DefectsFalse are examples.
	Defects       map[string]*Counts
	DefectsMissed []string
	DefectsFalse  []string
}

// DefectChecks says which findings report each defect class: a finding
// of the class is one this function accepts. The parts of the “三公”
// table are checked by the table's sums.
var DefectChecks = map[string]func(check, table string) bool{
	corpus.DefectHeadingYear: func(c, _ string) bool { return c == "text.year" },
	corpus.DefectNarrativeFigure: func(c, _ string) bool {
		return strings.HasPrefix(c, "narrative.") && !slices.Contains([]string{"narrative.share", "narrative.shares_sum", "narrative.change_pct"}, c)
	},
	corpus.DefectComparisonWord: func(c, _ string) bool { return c == "text.comparison" },
	corpus.DefectPlaceholder:    func(c, _ string) bool { return c == "text.placeholder" },
	corpus.DefectBlankedTable:   func(c, _ string) bool { return c == "three_public.blank_table" },
	corpus.DefectPartsSum: func(c, t string) bool {
		return t == "three_public" && strings.HasPrefix(c, "sum.") && !strings.HasSuffix(c, ".rounding")
	},
	corpus.DefectEmptyNote:      func(c, _ string) bool { return c == "table.empty_unexplained" },
	corpus.DefectWrongShare:     func(c, _ string) bool { return c == "narrative.share" || c == "narrative.shares_sum" },
	corpus.DefectDepartmentName: func(c, _ string) bool { return c == "text.department_name" || c == "identity.conflict" },
}

// scoreDefects counts, per defect class, the document's injected defect
// against the findings of the class's checks.
func scoreDefects(k *KindReport, d *docInfo, wh *warehouse) {
	for _, class := range corpus.AllDefectKinds {
		is := DefectChecks[class]
		var hits []findRow
		for _, f := range wh.findings[d.row.SHA256] {
			if is(f.check, f.table) {
				hits = append(hits, f)
			}
		}
		var injected *corpus.Defect
		for i := range d.truth.Defects {
			if d.truth.Defects[i].Kind == class {
				injected = &d.truth.Defects[i]
			}
		}
		c := k.Defects[class]
		if c == nil {
			c = &Counts{}
			k.Defects[class] = c
		}
		if injected != nil {
			c.Want++
		}
		if len(hits) > 0 {
			c.Got++
		}
		switch {
		case injected != nil && quotes(hits, injected.Token):
			c.Match++
		case injected != nil:
			k.DefectsMissed = append(k.DefectsMissed, fmt.Sprintf("%s: %s %q (%s): %d findings of its checks, none quoting it", d.row.Doc, class, injected.Token, injected.Note, len(hits)))
		case len(hits) > 0:
			k.DefectsFalse = append(k.DefectsFalse, fmt.Sprintf("%s: %s reported without one injected: %s %s", d.row.Doc, class, hits[0].check, hits[0].message))
		}
	}
}

// quotes reports whether a finding names the token: in its message,
// expected or actual value, or as its table.
func quotes(fs []findRow, token string) bool {
	for _, f := range fs {
		if strings.Contains(f.message, token) || f.actual == token || f.table == token {
			return true
		}
	}
	return false
}

// expectedFinding reports whether a finding reports a defect injected
// into the document: such an error finding is the corpus's truth, not a
// shortfall.
func expectedFinding(d *docInfo, f findRow) bool {
	for _, df := range d.truth.Defects {
		if is := DefectChecks[df.Kind]; is != nil && is(f.check, f.table) {
			return true
		}
	}
	return false
}

// Report is the score of every kind.
type Report struct{ Kinds []*KindReport }

// Perfect reports whether every kind scored 100 % everywhere with no failed
// document and no error finding.
func (r *Report) Perfect() bool {
	for _, k := range r.Kinds {
		if len(k.Failed) > 0 || !k.Identity.perfect() || !k.Cells.perfect() || !k.Projects.perfect() || !k.Tables.perfect() ||
			!k.Forms.perfect() || !k.Glitches.perfect() || k.Findings["error"] > 0 || len(k.DefectsMissed) > 0 || len(k.DefectsFalse) > 0 {
			return false
		}
	}
	return true
}

// Kind returns the report of one kind, or nil.
func (r *Report) Kind(kind string) *KindReport {
	for _, k := range r.Kinds {
		if k.Kind == kind {
			return k
		}
	}
	return nil
}

type docInfo struct {
	row   corpus.ManifestRow
	truth *corpus.Truth
}

// Score reads the warehouse at db (read-only) and the corpus at dir.
func Score(ctx context.Context, db, dir string, kinds []string) (*Report, error) {
	man, err := corpus.ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	byID := map[string]*docInfo{}
	perKind := map[string][]*docInfo{}
	for _, m := range man {
		if len(kinds) > 0 && !slices.Contains(kinds, m.Kind) {
			continue
		}
		t, err := corpus.ReadTruth(filepath.Join(dir, "truth", m.Doc))
		if err != nil {
			return nil, err
		}
		d := &docInfo{row: m, truth: t}
		byID[m.SHA256] = d
		perKind[m.Kind] = append(perKind[m.Kind], d)
	}
	q := url.Values{}
	q.Set("access_mode", "READ_ONLY")
	conn, err := sql.Open("duckdb", db+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", db, err)
	}
	defer conn.Close()
	wh, err := readWarehouse(ctx, conn, byID)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", db, err)
	}
	rep := &Report{}
	for _, kind := range corpus.AllKinds {
		docs := perKind[kind]
		if len(docs) == 0 {
			continue
		}
		rep.Kinds = append(rep.Kinds, scoreKind(kind, docs, wh))
	}
	return rep, nil
}

// warehouse holds the rows of the scored documents, by document_id.
type warehouse struct {
	docs        map[string]docRow
	failedPath  map[string]string
	lines       map[string][]string
	linesByKey  map[string]map[string][]string // doc → key without amount → amounts
	projects    map[string][]string
	tables      map[string][]string
	forms       map[string][]formRow
	indicators  map[string][]indRow
	corrections map[string][]corrRow
	findings    map[string][]findRow
}

type docRow struct {
	region, name, code, stage, path, format string
	year                                    int
}
type formRow struct {
	scope, project, projectRaw, code, codeRaw, total, annual, attribute string
}
type indRow struct{ project, horizon, level3 string }
type corrRow struct{ field, raw, norm, rule string }
type findRow struct{ check, severity, table, message, expected, actual string }

func readWarehouse(ctx context.Context, db *sql.DB, want map[string]*docInfo) (*warehouse, error) {
	wh := &warehouse{docs: map[string]docRow{}, failedPath: map[string]string{}, lines: map[string][]string{}, linesByKey: map[string]map[string][]string{},
		projects: map[string][]string{}, tables: map[string][]string{}, forms: map[string][]formRow{}, indicators: map[string][]indRow{},
		corrections: map[string][]corrRow{}, findings: map[string][]findRow{}}
	each := func(query string, fn func(id string, f []sql.NullString)) error {
		rows, err := db.QueryContext(ctx, query)
		if err != nil {
			return fmt.Errorf("%s: %w", query, err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		for rows.Next() {
			f := make([]sql.NullString, len(cols))
			ptrs := make([]any, len(cols))
			for i := range f {
				ptrs[i] = &f[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			if _, ok := want[f[0].String]; ok {
				fn(f[0].String, f[1:])
			}
		}
		return rows.Err()
	}
	s := func(n sql.NullString) string { return n.String }
	err := each(`SELECT document_id, region, department_name, department_code, CAST(fiscal_year AS VARCHAR), stage, source_path, source_format FROM documents`,
		func(id string, f []sql.NullString) {
			var y int
			fmt.Sscan(s(f[3]), &y)
			wh.docs[id] = docRow{region: s(f[0]), name: s(f[1]), code: s(f[2]), year: y, stage: s(f[4]), path: s(f[5]), format: s(f[6])}
		})
	if err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, `SELECT source_path, coalesce(error, '') FROM ingest_files WHERE outcome = 'failed'`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var p, e string
		if err := rows.Scan(&p, &e); err != nil {
			rows.Close()
			return nil, err
		}
		wh.failedPath[filepath.ToSlash(p)] = e
	}
	rows.Close()
	err = each(`SELECT document_id, table_key, side, item_code, item_name, measure, CAST(amount_yuan AS VARCHAR) FROM budget_lines`,
		func(id string, f []sql.NullString) {
			key := strings.Join([]string{s(f[0]), s(f[1]), s(f[2]), s(f[3]), s(f[4])}, "|")
			wh.lines[id] = append(wh.lines[id], key+" = "+s(f[5]))
			if wh.linesByKey[id] == nil {
				wh.linesByKey[id] = map[string][]string{}
			}
			wh.linesByKey[id][key] = append(wh.linesByKey[id][key], s(f[5]))
		})
	if err != nil {
		return nil, err
	}
	err = each(`SELECT document_id, funding, project_name, CAST(amount_yuan AS VARCHAR), coalesce(CAST(general_public_budget_yuan AS VARCHAR), '') FROM projects`,
		func(id string, f []sql.NullString) {
			wh.projects[id] = append(wh.projects[id], strings.Join([]string{s(f[0]), s(f[1]), s(f[2]), s(f[3])}, "|"))
		})
	if err != nil {
		return nil, err
	}
	err = each(`SELECT document_id, table_key, status FROM source_tables`, func(id string, f []sql.NullString) {
		wh.tables[id] = append(wh.tables[id], s(f[0])+"|"+s(f[1]))
	})
	if err != nil {
		return nil, err
	}
	err = each(`SELECT document_id, scope, coalesce(project_name, ''), coalesce(project_name_raw, ''), coalesce(department_code, ''), coalesce(department_code_raw, ''),
			coalesce(CAST(total_funding_yuan AS VARCHAR), ''), coalesce(CAST(annual_funding_yuan AS VARCHAR), ''), coalesce(project_attribute, '') FROM performance_forms`,
		func(id string, f []sql.NullString) {
			wh.forms[id] = append(wh.forms[id], formRow{s(f[0]), s(f[1]), s(f[2]), s(f[3]), s(f[4]), s(f[5]), s(f[6]), s(f[7])})
		})
	if err != nil {
		return nil, err
	}
	err = each(`SELECT document_id, coalesce(project_name, ''), horizon, coalesce(level3, '') FROM performance_indicators`,
		func(id string, f []sql.NullString) {
			wh.indicators[id] = append(wh.indicators[id], indRow{s(f[0]), s(f[1]), s(f[2])})
		})
	if err != nil {
		return nil, err
	}
	err = each(`SELECT document_id, field, coalesce(raw_value, ''), coalesce(normalized_value, ''), rule FROM corrections`,
		func(id string, f []sql.NullString) {
			wh.corrections[id] = append(wh.corrections[id], corrRow{s(f[0]), s(f[1]), s(f[2]), s(f[3])})
		})
	if err != nil {
		return nil, err
	}
	err = each(`SELECT document_id, check_id, severity, coalesce(table_key, ''), message, coalesce(expected, ''), coalesce(actual, '') FROM findings`,
		func(id string, f []sql.NullString) {
			wh.findings[id] = append(wh.findings[id], findRow{s(f[0]), s(f[1]), s(f[2]), s(f[3]), s(f[4]), s(f[5])})
		})
	return wh, err
}

// multiset adds the comparison of want and got (with a document prefix for examples) to c.
func multiset(c *Counts, doc string, want, got []string) {
	n := map[string]int{}
	for _, w := range want {
		n[w]++
	}
	c.Want += len(want)
	c.Got += len(got)
	for _, g := range got {
		if n[g] > 0 {
			c.Match++
		}
		n[g]--
	}
	keys := make([]string, 0, len(n))
	for k := range n {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for v := n[k]; v > 0; v-- {
			c.Missing = append(c.Missing, doc+": "+k)
		}
		for v := n[k]; v < 0; v++ {
			c.Extra = append(c.Extra, doc+": "+k)
		}
	}
}

func squash(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\u3000', '\u00a0':
			return -1
		}
		return r
	}, s)
}

func scoreKind(kind string, docs []*docInfo, wh *warehouse) *KindReport {
	k := &KindReport{Kind: kind, Docs: len(docs), GlitchKinds: map[string]*[2]int{}, GlitchRules: map[string]*[2]int{}, Findings: map[string]int{}, FindingsByCheck: map[string]int{},
		Defects: map[string]*Counts{}}
	sort.Slice(docs, func(i, j int) bool { return docs[i].row.Doc < docs[j].row.Doc })
	for _, d := range docs {
		id := d.row.SHA256
		t := d.truth
		label := d.row.Doc + " (" + d.row.Path + ")"
		dr, loaded := wh.docs[id]
		if loaded {
			k.Loaded++
		} else {
			e := "not in the warehouse"
			for p, msg := range wh.failedPath {
				if strings.HasSuffix(p, d.row.Path) {
					e = msg
				}
			}
			k.Failed = append(k.Failed, label+": "+e)
		}
		// Identity.
		k.Identity.Want++
		if loaded {
			k.Identity.Got++
			want := []string{t.Region, t.Department, t.Code, fmt.Sprint(t.Year), t.Stage}
			got := []string{dr.region, dr.name, dr.code, fmt.Sprint(dr.year), dr.stage}
			if slices.Equal(want, got) {
				k.Identity.Match++
			} else {
				k.Identity.Missing = append(k.Identity.Missing, fmt.Sprintf("%s: want %s, got %s", label, strings.Join(want, "|"), strings.Join(got, "|")))
			}
		}
		// Cells.
		var want []string
		for _, l := range t.Lines {
			want = append(want, strings.Join([]string{l.Table, l.Side, l.Code, l.Name, l.Measure}, "|")+" = "+corpus.Yuan(l.Yuan))
		}
		before := len(k.Cells.Missing)
		multiset(&k.Cells, d.row.Doc, want, wh.lines[id])
		// A missing cell whose key was loaded with another amount says so.
		for i := before; i < len(k.Cells.Missing); i++ {
			m := k.Cells.Missing[i]
			key := m[strings.Index(m, ": ")+2 : strings.LastIndex(m, " = ")]
			if got := wh.linesByKey[id][key]; len(got) > 0 {
				k.Cells.Missing[i] = m + " (loaded as " + strings.Join(got, ", ") + ")"
			}
		}
		// Projects.
		want = want[:0]
		for _, p := range t.Projects {
			gpb := ""
			if p.HasGPB {
				gpb = corpus.Yuan(p.GPBYuan)
			}
			want = append(want, strings.Join([]string{p.Funding, p.Name, corpus.Yuan(p.Yuan), gpb}, "|"))
		}
		multiset(&k.Projects, d.row.Doc, want, wh.projects[id])
		// Source tables.
		want = want[:0]
		for _, s := range t.Tables {
			want = append(want, s.Key+"|"+s.Status)
		}
		multiset(&k.Tables, d.row.Doc, want, wh.tables[id])
		// Forms.
		want = want[:0]
		for _, f := range t.Forms {
			want = append(want, strings.Join([]string{f.Scope, f.Project, f.Code, corpus.Yuan(f.TotalYuan), corpus.Yuan(f.AnnualYuan)}, "|"))
		}
		var got []string
		for _, f := range wh.forms[id] {
			got = append(got, strings.Join([]string{f.scope, f.project, f.code, f.total, f.annual}, "|"))
		}
		multiset(&k.Forms, d.row.Doc, want, got)
		// Glitches and corrections.
		scoreGlitches(k, d, wh)
		scoreDefects(k, d, wh)
		// Findings.
		for _, f := range wh.findings[id] {
			if expectedFinding(d, f) {
				continue
			}
			k.Findings[f.severity]++
			k.FindingsByCheck[f.severity+" "+f.check]++
			if f.severity == "error" {
				k.ErrorFindings = append(k.ErrorFindings, fmt.Sprintf("%s: %s %s: %s (expected %s, actual %s)", d.row.Doc, f.check, f.table, f.message, f.expected, f.actual))
			}
		}
	}
	return k
}

func scoreGlitches(k *KindReport, d *docInfo, wh *warehouse) {
	id := d.row.SHA256
	corr := wh.corrections[id]
	used := make([]bool, len(corr))
	k.Glitches.Got += len(corr)
	formOf := func(project string) *formRow {
		for i := range wh.forms[id] {
			if wh.forms[id][i].project == project {
				return &wh.forms[id][i]
			}
		}
		return nil
	}
	for _, g := range d.truth.Glitches {
		k.Glitches.Want++
		gk := k.GlitchKinds[g.Kind]
		if gk == nil {
			gk = &[2]int{}
			k.GlitchKinds[g.Kind] = gk
		}
		gk[1]++
		gr := k.GlitchRules[g.Rule]
		if gr == nil {
			gr = &[2]int{}
			k.GlitchRules[g.Rule] = gr
		}
		gr[1]++
		raw := g.Printed
		if g.Kind == corpus.GlitchFunding {
			raw = strings.ReplaceAll(raw, ",", "")
		}
		hit := -1
		for i, c := range corr {
			if !used[i] && c.field == g.Field && c.norm == g.True && squash(c.raw) == squash(raw) {
				hit = i
				break
			}
		}
		loaded, why := true, ""
		switch g.Kind {
		case corpus.GlitchDepartmentCode:
			f := formOf(g.Project)
			switch {
			case g.Field == "performance_forms.project_attribute":
				if f == nil || f.attribute != g.True {
					loaded, why = false, "performance_forms.project_attribute is not "+g.True
				}
			case f == nil || f.code != g.True:
				loaded, why = false, "performance_forms.department_code is not "+g.True
			}
		case corpus.GlitchProjectName:
			if f := formOf(g.True); f == nil {
				loaded, why = false, "no performance form named "+g.True
			}
		case corpus.GlitchFunding:
			f := formOf(g.Project)
			v := ""
			if f != nil {
				v = f.annual
				if strings.HasSuffix(g.Field, "total_funding_yuan") {
					v = f.total
				}
			}
			if v != g.True+".00" {
				loaded, why = false, "the form's amount is "+v
			}
		case corpus.GlitchTruncatedLabel:
			ok := false
			for _, in := range wh.indicators[id] {
				if in.project == g.Project && in.horizon == "annual" && in.level3 == g.True {
					ok = true
				}
			}
			if !ok {
				loaded, why = false, "no annual indicator labelled "+g.True
			}
		}
		if hit >= 0 {
			used[hit] = true
			k.glitchCorrectionsHit++
		}
		if hit >= 0 && loaded {
			k.Glitches.Match++
			gk[0]++
			gr[0]++
			continue
		}
		if hit < 0 {
			why = strings.TrimPrefix(why+"; no corrections row", "; ")
		}
		k.GlitchesNotRepaired = append(k.GlitchesNotRepaired, fmt.Sprintf("%s: %s %q → %q (%s, line %d of the text, form %s): %s",
			d.row.Doc, g.Kind, g.Printed, g.True, g.Rule, g.Line, g.Project, why))
	}
	for i, c := range corr {
		if !used[i] {
			k.CorrectionsFP = append(k.CorrectionsFP, fmt.Sprintf("%s: %s %s %q → %q", d.row.Doc, c.rule, c.field, c.raw, c.norm))
		}
	}
}

// Markdown prints the report: one table row per kind, glitch repair by
// glitch kind, then every shortfall with up to n examples.
func (r *Report) Markdown(w io.Writer, n int) {
	pr := func(c Counts) string { return fmt.Sprintf("%.2f / %.2f", c.Precision(), c.Recall()) }
	fmt.Fprintln(w, "| input kind | documents | loaded | identity right | cells P / R % | projects P / R % | source tables P / R % | forms P / R % | glitch repairs P / R % | error findings |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|")
	for _, k := range r.Kinds {
		gp := ratio(k.glitchCorrectionsHit, k.Glitches.Got)
		fmt.Fprintf(w, "| %s | %d | %d | %d | %s (%d of %d) | %s | %s | %s | %.2f / %.2f (%d of %d; %d corrections) | %d |\n",
			k.Kind, k.Docs, k.Loaded, k.Identity.Match, pr(k.Cells), k.Cells.Match, k.Cells.Want, pr(k.Projects), pr(k.Tables), pr(k.Forms),
			gp, k.Glitches.Recall(), k.Glitches.Match, k.Glitches.Want, k.Glitches.Got, k.Findings["error"])
	}
	fmt.Fprintln(w)
	rules := map[string]bool{}
	for _, k := range r.Kinds {
		for rule := range k.GlitchRules {
			rules[rule] = true
		}
	}
	var ruleList []string
	for rule := range rules {
		ruleList = append(ruleList, rule)
	}
	sort.Strings(ruleList)
	fmt.Fprintln(w, "| glitch kind | repair rule expected | "+strings.Join(kindNames(r), " | ")+" |")
	fmt.Fprintln(w, "|---|---|"+strings.Repeat("---|", len(r.Kinds)))
	for _, gk := range corpus.AllGlitchKinds {
		for _, rule := range ruleList {
			var cells []string
			any := false
			for _, k := range r.Kinds {
				c := k.GlitchRules[rule]
				if c == nil || !ruleOfKind(rule, gk) {
					cells = append(cells, "—")
					continue
				}
				any = true
				cells = append(cells, fmt.Sprintf("%d of %d repaired", c[0], c[1]))
			}
			if any {
				fmt.Fprintf(w, "| %s | %s | %s |\n", gk, rule, strings.Join(cells, " | "))
			}
		}
	}
	fmt.Fprintln(w)
	if hasDefects(r) {
		fmt.Fprintln(w, "| defect class (injected, one per document) | "+strings.Join(kindNames(r), " | ")+" |")
		fmt.Fprintln(w, "|---|"+strings.Repeat("---|", len(r.Kinds)))
		for _, class := range corpus.AllDefectKinds {
			var cells []string
			for _, k := range r.Kinds {
				c := k.Defects[class]
				if c == nil {
					c = &Counts{}
				}
				cells = append(cells, fmt.Sprintf("P %.2f / R %.2f (%d of %d found; %d documents reported)", c.Precision(), c.Recall(), c.Match, c.Want, c.Got))
			}
			fmt.Fprintf(w, "| %s | %s |\n", class, strings.Join(cells, " | "))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, "Findings by severity and check (all documents of the kind, less the injected defects' own):")
	fmt.Fprintln(w)
	for _, k := range r.Kinds {
		var keys []string
		for c := range k.FindingsByCheck {
			keys = append(keys, c)
		}
		sort.Strings(keys)
		var parts []string
		for _, c := range keys {
			parts = append(parts, fmt.Sprintf("%s ×%d", c, k.FindingsByCheck[c]))
		}
		if len(parts) == 0 {
			parts = []string{"none"}
		}
		fmt.Fprintf(w, "- %s: %s\n", k.Kind, strings.Join(parts, ", "))
	}
	for _, k := range r.Kinds {
		sections := []struct {
			title string
			xs    []string
		}{
			{"documents not loaded", k.Failed},
			{"identity wrong", k.Identity.Missing},
			{"cells missing (truth not in the warehouse)", k.Cells.Missing},
			{"cells unexpected (warehouse not in the truth)", k.Cells.Extra},
			{"projects missing", k.Projects.Missing},
			{"projects unexpected", k.Projects.Extra},
			{"source tables missing or wrong status", k.Tables.Missing},
			{"source tables unexpected", k.Tables.Extra},
			{"forms missing", k.Forms.Missing},
			{"forms unexpected", k.Forms.Extra},
			{"glitches not repaired", k.GlitchesNotRepaired},
			{"corrections repairing no injected glitch (false positives)", k.CorrectionsFP},
			{"error findings", k.ErrorFindings},
			{"injected defects not reported", k.DefectsMissed},
			{"defect findings with no defect injected (false positives)", k.DefectsFalse},
		}
		header := false
		for _, s := range sections {
			if len(s.xs) == 0 {
				continue
			}
			if !header {
				fmt.Fprintf(w, "\n### Shortfalls: %s\n", k.Kind)
				header = true
			}
			fmt.Fprintf(w, "\n%s: %d\n\n", s.title, len(s.xs))
			for i, x := range s.xs {
				if i == n {
					fmt.Fprintf(w, "- … %d more\n", len(s.xs)-n)
					break
				}
				fmt.Fprintf(w, "- %s\n", x)
			}
		}
	}
}

// ruleOfKind reports whether a repair rule belongs to a glitch kind.
func ruleOfKind(rule, kind string) bool {
	switch kind {
	case corpus.GlitchDepartmentCode:
		return strings.HasPrefix(rule, "department_code.")
	case corpus.GlitchProjectName:
		return strings.HasPrefix(rule, "project_name.")
	case corpus.GlitchFunding:
		return strings.HasPrefix(rule, "amount.")
	case corpus.GlitchTruncatedLabel:
		return strings.HasPrefix(rule, "label.")
	case corpus.GlitchPlaceName:
		return strings.HasPrefix(rule, "place_name.")
	}
	return false
}

func kindNames(r *Report) []string {
	var out []string
	for _, k := range r.Kinds {
		out = append(out, k.Kind)
	}
	return out
}

func hasDefects(r *Report) bool {
	for _, k := range r.Kinds {
		for _, c := range k.Defects {
			if c.Want > 0 {
				return true
			}
		}
	}
	return false
}
