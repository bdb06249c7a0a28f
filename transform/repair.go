package transform

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/shopspring/decimal"

	"github.com/gongkai/gongkai/extract"
)

// Repairs of what OCR and hurried typing do to a disclosure. Every repair
// leaves a Correction (raw, normalized, rule, evidence); a glitch the
// document's own evidence cannot settle is a Finding instead.

// ocrDigit maps characters OCR and typists confuse with digits.
var ocrDigit = map[rune]rune{
	'O': '0', 'o': '0', 'D': '0', 'Q': '0', '〇': '0', 'l': '1', 'I': '1', '|': '1', 'i': '1',
	'Z': '2', 'z': '2', 'S': '5', 's': '5', 'B': '8', 'g': '9', 'q': '9', 'b': '6', 'G': '6',
}

// confusable digit pairs (shapes OCR mixes up).
var confusable = map[[2]rune]bool{}

func init() {
	for _, p := range []string{"38", "56", "17", "08", "09", "68", "69", "89", "35", "47", "23", "25", "14"} {
		a, b := rune(p[0]), rune(p[1])
		confusable[[2]rune{a, b}] = true
		confusable[[2]rune{b, a}] = true
	}
}

// codeCell splits a printed 主管部门及代码 cell into its code part and the
// department name that follows it: "609-朔州…部" → "609-", "朔州…部".
var codePrefix = regexp.MustCompile(`^([0-9A-Za-z〇|\s\-－—_.·]*?)[\s\-－—_.·]*(\p{Han}.*)$`)

type printedCode struct {
	raw    string // the whole cell
	prefix string // the code as printed with its separator, e.g. "609-", "6 09-"
	digits string // the code after OCR mapping and removing inner spaces and hyphens
	name   string
}

func parsePrintedCode(cell string) (printedCode, bool) {
	c := strings.TrimSpace(cell)
	m := codePrefix.FindStringSubmatch(c)
	if m == nil || m[1] == "" {
		return printedCode{}, false
	}
	pc := printedCode{raw: c, name: m[2]}
	pc.prefix = c[:len(c)-len(m[2])]
	var d strings.Builder
	for _, r := range m[1] {
		switch {
		case r >= '0' && r <= '9':
			d.WriteRune(r)
		case ocrDigit[r] != 0:
			d.WriteRune(ocrDigit[r])
		case unicode.IsSpace(r) || strings.ContainsRune("-－—_.·", r):
		default:
			return printedCode{}, false
		}
	}
	pc.digits = d.String()
	if len(pc.digits) < 2 {
		return printedCode{}, false
	}
	return pc, true
}

// editOps returns the Levenshtein distance between a and b (runes).
func editOps(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// codeRelation names how a printed code differs from the canonical one, or
// returns "" when it is not a plausible misprint of it.
func codeRelation(printed, canonical string, nameMatches bool) string {
	if printed == canonical {
		return "same"
	}
	d := editOps(printed, canonical)
	switch {
	case d == 1 && len(printed) == len(canonical):
		return "substituted_digit"
	case d == 1 && len(printed) > len(canonical):
		return "extra_digit"
	case d == 1:
		return "missing_digit"
	case d == 2 && nameMatches && len(printed) == len(canonical):
		n := 0
		for i := range printed {
			if printed[i] != canonical[i] {
				if !confusable[[2]rune{rune(printed[i]), rune(canonical[i])}] {
					return ""
				}
				n++
			}
		}
		if n == 2 {
			return "confused_digits"
		}
	}
	return ""
}

// repairDepartmentCodes reconciles every code printed in the forms with the
// document's own: the majority of its printed codes (after reading O as 0,
// dropping inner spaces), supported by the department name beside it.
func repairDepartmentCodes(res *Result) {
	dept := squashSpace(res.Identity.DepartmentName)
	type seen struct {
		pc printedCode
		i  int
	}
	var all []seen
	counts := map[string]int{}
	prefixes := map[string]int{}
	for i := range res.Forms {
		pc, ok := parsePrintedCode(res.Forms[i].DepartmentCodeRaw)
		if !ok {
			continue
		}
		all = append(all, seen{pc, i})
		counts[pc.digits]++
		prefixes[pc.prefix]++
	}
	canonical := argmax(counts)
	if canonical == "" {
		canonical = res.Identity.DepartmentCode
	}
	if canonical == "" {
		return
	}
	res.Identity.DepartmentCode = canonical
	usual := argmax(prefixes)
	evidence := fmt.Sprintf("%s is printed on %d of %d forms", canonical, counts[canonical], len(all))
	for _, s := range all {
		f := &res.Forms[s.i]
		nameMatches := squashSpace(s.pc.name) == dept
		rel := codeRelation(s.pc.digits, canonical, nameMatches)
		ev := evidence
		if nameMatches {
			ev += "; the department name beside it is the document's"
		}
		switch {
		case rel == "":
			f.DepartmentCode = s.pc.digits
			res.Findings = append(res.Findings, Finding{CheckID: "form.department_code_mismatch", Severity: "warning",
				Message:  fmt.Sprintf("form %q prints department code %q, not a plausible misprint of %s", f.ProjectNameRaw, s.pc.raw, canonical),
				Expected: canonical, Actual: s.pc.digits, Page: f.Page, Line: f.Line})
			continue
		case rel == "same" && s.pc.prefix == usual:
			f.DepartmentCode = canonical
			continue
		}
		f.DepartmentCode = canonical
		rule := "department_code." + rel
		if rel == "same" {
			rule = "department_code.format"
			if strings.IndexFunc(s.pc.prefix, func(r rune) bool { return ocrDigit[r] != 0 }) >= 0 {
				rule = "department_code.ocr_letter"
			} else if inner := strings.TrimRight(s.pc.prefix, " -－—_.·"); strings.ContainsAny(inner, " -－—_.·") {
				rule = "department_code.inner_separator"
			}
		}
		res.Corrections = append(res.Corrections, Correction{Field: "performance_forms.department_code", Raw: s.pc.raw,
			Normalized: canonical, Rule: rule, Evidence: ev + fmt.Sprintf("; usual form %q", usual+dept), Page: f.Page, Line: f.Line})
	}
	// A code glued in front of another field ("60900-经常性项目(长期开展)").
	glued := regexp.MustCompile(`^([0-9Oo]{3,8})\s*[-－—]\s*(\p{Han}.*)$`)
	for i := range res.Forms {
		f := &res.Forms[i]
		m := glued.FindStringSubmatch(f.ProjectAttribute)
		if m == nil {
			continue
		}
		pc, ok := parsePrintedCode(m[1] + "-" + m[2])
		if !ok || !(strings.HasPrefix(pc.digits, canonical) || codeRelation(pc.digits, canonical, false) != "") {
			continue
		}
		res.Corrections = append(res.Corrections, Correction{Field: "performance_forms.project_attribute", Raw: f.ProjectAttribute,
			Normalized: m[2], Rule: "department_code.glued_prefix",
			Evidence: fmt.Sprintf("leading %q is the department code %s glued to the 项目属性 value", m[1], canonical), Page: f.Page, Line: f.AttributeLine})
		f.ProjectAttribute = m[2]
	}
}

// budgetLexicon holds terms common in budget project names; when a form
// and the project table spell a name differently, the spelling with a term
// the other lacks is preferred. (dict/lexicon.txt)
var budgetLexicon = mustLexicon()

func mustLexicon() []string {
	b, err := dictFS.ReadFile("dict/lexicon.txt")
	if err != nil {
		panic(err)
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(l)
		if l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

func lexiconScore(name, other string) int {
	n := 0
	for _, t := range budgetLexicon {
		if strings.Contains(name, t) && !strings.Contains(other, t) {
			n++
		}
	}
	return n
}

// linkForms links each project form to its project-table row despite OCR
// substitutions, an inserted or dropped character or a wrap space, picks the
// canonical name by evidence and records the choice.
func linkForms(res *Result, fullText string) {
	idx := map[string][]int{}
	for i, p := range res.Projects {
		idx[squashSpace(p.ProjectName)] = append(idx[squashSpace(p.ProjectName)], i)
	}
	taken := map[int]bool{}
	type pending struct{ form int }
	var fuzzy []pending
	for i := range res.Forms {
		f := &res.Forms[i]
		if f.Scope != "project" {
			continue
		}
		key := squashSpace(f.ProjectNameRaw)
		f.ProjectName = key
		if js, ok := idx[key]; ok {
			for _, j := range js {
				if !taken[j] && res.Projects[j].Funding == "current" || !taken[j] && len(js) == 1 {
					taken[j] = true
					f.Linked = true
					res.Projects[j].HasPerformanceTarget = true
					break
				}
			}
			if f.Linked {
				continue
			}
		}
		fuzzy = append(fuzzy, pending{i})
	}
	if len(res.Projects) == 0 && len(fuzzy) > 0 {
		// Nothing to link to: a document (or the part of one) that prints
		// project forms but no project table.
		res.Findings = append(res.Findings, Finding{CheckID: "check.skipped", Severity: "info", TableKey: KeyProjectCurrent,
			Message:  fmt.Sprintf("form.unlinked not checked on %d project forms: the document prints no project table to link them to", len(fuzzy)),
			Expected: "form.unlinked", Actual: "skipped"})
		return
	}
	for _, pd := range fuzzy {
		f := &res.Forms[pd.form]
		key := squashSpace(f.ProjectNameRaw)
		best, bestD, ties := -1, 99, 0
		for j, p := range res.Projects {
			if taken[j] {
				continue
			}
			d := editOps(key, squashSpace(p.ProjectName))
			if d < bestD {
				best, bestD, ties = j, d, 1
			} else if d == bestD {
				ties++
			}
		}
		limit := 1
		if len([]rune(key)) >= 8 {
			limit = 2
		}
		if best < 0 || bestD > limit || ties > 1 {
			res.Findings = append(res.Findings, Finding{CheckID: "form.unlinked", Severity: "warning", TableKey: KeyProjectCurrent,
				Message:  fmt.Sprintf("performance form %q matches no project of the project tables", f.ProjectNameRaw),
				Expected: "a project of 项目支出预算表", Actual: f.ProjectNameRaw, Page: f.Page, Line: f.Line})
			continue
		}
		taken[best] = true
		p := &res.Projects[best]
		f.Linked = true
		p.HasPerformanceTarget = true
		tableName, formName := squashSpace(p.ProjectName), key
		canon, why := chooseName(tableName, formName, fullText)
		ev := fmt.Sprintf("project table %q and form %q differ by %d character(s); %s", tableName, formName, bestD, why)
		if canon != tableName {
			res.Corrections = append(res.Corrections, Correction{Field: "projects.project_name", Raw: p.ProjectName, Normalized: canon,
				Rule: "project_name.link", Evidence: ev, Page: p.Page, Line: p.Line})
			renameProjectLines(res, p, canon)
			p.ProjectName = canon
		}
		if canon != formName {
			res.Corrections = append(res.Corrections, Correction{Field: "performance_forms.project_name", Raw: f.ProjectNameRaw, Normalized: canon,
				Rule: "project_name.link", Evidence: ev, Page: f.Page, Line: f.Line})
		}
		f.ProjectName = canon
	}
	for _, p := range res.Projects {
		if p.HasPerformanceTarget || p.Funding != "current" {
			continue
		}
		res.Findings = append(res.Findings, Finding{CheckID: "projects.without_form", Severity: "warning", TableKey: KeyProjectCurrent,
			Message:  fmt.Sprintf("project %q (%s yuan) has no 项目支出绩效目标表", p.ProjectName, p.AmountYuan.StringFixed(2)),
			Expected: "a performance form", Actual: "none", Page: p.Page, Line: p.Line})
	}
}

// chooseName picks the canonical of two spellings: the one with budget
// terms the other lacks, else the one the document uses more often, else the
// project table's.
func chooseName(tableName, formName, text string) (string, string) {
	ts, fs := lexiconScore(tableName, formName), lexiconScore(formName, tableName)
	switch {
	case fs > ts:
		return formName, fmt.Sprintf("the form's spelling has %d common budget term(s) the other lacks", fs-ts)
	case ts > fs:
		return tableName, fmt.Sprintf("the table's spelling has %d common budget term(s) the other lacks", ts-fs)
	}
	tc, fc := strings.Count(text, tableName), strings.Count(text, formName)
	switch {
	case fc > tc:
		return formName, fmt.Sprintf("the document prints the form's spelling %d times, the table's %d", fc, tc)
	case tc > fc:
		return tableName, fmt.Sprintf("the document prints the table's spelling %d times, the form's %d", tc, fc)
	}
	return tableName, "no other evidence; the project table's spelling is kept"
}

// renameProjectLines gives the budget_lines of a renamed project its canonical name.
func renameProjectLines(res *Result, p *Project, canon string) {
	for i := range res.Lines {
		l := &res.Lines[i]
		if l.Line == p.Line && l.ItemName == p.ProjectName && (l.TableKey == KeyProjectCurrent || l.TableKey == KeyProjectCarryover) {
			l.ItemName = canon
		}
	}
}

// differsByOneDigit reports two amounts printed with the same number of
// digits that differ in exactly one of them.
func differsByOneDigit(a, b decimal.Decimal) bool {
	sa, sb := a.StringFixed(2), b.StringFixed(2)
	if len(sa) != len(sb) || sa == sb {
		return false
	}
	n := 0
	for i := range sa {
		if sa[i] != sb[i] {
			n++
		}
	}
	return n == 1
}

var multiYear = regexp.MustCompile(`^([2-9]|[1-9]\d)年$`)

// checkFunding compares each linked form's amounts with its project-table
// row (万元 → 元) and with the other horizon; a single differing digit
// where the other two agree is repaired, anything else is a finding.
func checkFunding(res *Result) {
	byName := map[string]*Project{}
	for i := range res.Projects {
		if res.Projects[i].Funding == "current" {
			byName[squashSpace(res.Projects[i].ProjectName)] = &res.Projects[i]
		}
	}
	for i := range res.Forms {
		f := &res.Forms[i]
		p := byName[f.ProjectName]
		if f.Scope != "project" || p == nil || f.AnnualFunding == nil {
			continue
		}
		table := p.AmountYuan
		recurring := !multiYear.MatchString(squashSpace(f.ProjectPeriod))
		fix := func(field, horizon string, v *decimal.Decimal, evidence string) {
			old := *v
			res.Corrections = append(res.Corrections, Correction{Field: "performance_forms." + field, Raw: old.StringFixed(0), Normalized: table.StringFixed(0),
				Rule: "amount.single_digit", Evidence: evidence, Page: f.Page, Line: f.Line})
			*v = table
			for k := range f.Sources {
				s := &f.Sources[k]
				if s.Horizon == horizon && s.Amount.Equal(old) && !old.IsZero() {
					res.Corrections = append(res.Corrections, Correction{Field: "performance_form_funding.amount_yuan", Raw: s.Raw, Normalized: table.StringFixed(0),
						Rule: "amount.single_digit", Evidence: evidence + fmt.Sprintf("; the %s source %s repeated the misprinted total", horizon, s.Source), Page: f.Page, Line: s.Line})
					s.Amount = table
				}
			}
		}
		annual := *f.AnnualFunding
		tableEv := fmt.Sprintf("项目支出预算表 prints %s yuan for %q", table.StringFixed(2), p.ProjectName)
		switch {
		case annual.Equal(table):
		case differsByOneDigit(annual, table) && (f.TotalFunding == nil || f.TotalFunding.Equal(table)):
			fix("annual_funding_yuan", "annual", f.AnnualFunding, tableEv+" and the 实施期 total agrees; the 年度 total differs in one digit")
		default:
			res.Findings = append(res.Findings, Finding{CheckID: "form.annual_funding_mismatch", Severity: "warning", TableKey: KeyProjectCurrent,
				Message:  fmt.Sprintf("form %q: 年度资金总额 differs from the project table", f.ProjectName),
				Expected: table.StringFixed(2), Actual: annual.StringFixed(2), Page: f.Page, Line: f.Line})
		}
		if f.TotalFunding != nil && !f.TotalFunding.Equal(*f.AnnualFunding) && recurring {
			total := *f.TotalFunding
			if differsByOneDigit(total, table) && f.AnnualFunding.Equal(table) {
				fix("total_funding_yuan", "implementation", f.TotalFunding, tableEv+" and the 年度 total agrees; the 实施期 total of this recurring project differs in one digit")
			} else {
				res.Findings = append(res.Findings, Finding{CheckID: "form.total_funding_mismatch", Severity: "warning", TableKey: KeyProjectCurrent,
					Message:  fmt.Sprintf("form %q: 实施期资金总额 differs from 年度资金总额 of a project without a multi-year 项目期", f.ProjectName),
					Expected: f.AnnualFunding.StringFixed(2), Actual: total.StringFixed(2), Page: f.Page, Line: f.Line})
			}
		}
	}
}

// completeLabels completes indicator labels cut short in one horizon from
// the other horizon's full label on the same row.
func completeLabels(res *Result) {
	for i := range res.Forms {
		f := &res.Forms[i]
		byLine := map[int][]int{}
		for k, ind := range f.Indicators {
			byLine[ind.Line] = append(byLine[ind.Line], k)
		}
		lines := make([]int, 0, len(byLine))
		for l := range byLine {
			lines = append(lines, l)
		}
		sort.Ints(lines)
		for _, l := range lines {
			ks := byLine[l]
			if len(ks) != 2 {
				continue
			}
			a, b := &f.Indicators[ks[0]], &f.Indicators[ks[1]]
			short, long := a, b
			if len([]rune(a.Level3)) > len([]rune(b.Level3)) {
				short, long = b, a
			}
			rs, rl := []rune(short.Level3), []rune(long.Level3)
			if len(rs) < 2 || len(rs) == len(rl) {
				continue
			}
			if d := editOps(string(rs), string(rl[:len(rs)])); d > 1 || (d == 1 && len(rs) < 5) {
				continue
			}
			res.Corrections = append(res.Corrections, Correction{Field: "performance_indicators.level3", Raw: short.Level3, Normalized: long.Level3,
				Rule: "label.truncated", Evidence: fmt.Sprintf("the %s horizon of the same row prints the full label", long.Horizon), Page: short.Page, Line: short.Line})
			short.Level3 = long.Level3
		}
	}
}

var placeName = regexp.MustCompile(`(?:省|市|县|区|镇|乡|旗)(\p{Han}{2,4}?(?:村|社区|街道))`)

// checkPlaceNames reports place names spelled two ways (one character apart)
// unless one spelling is clearly the document's own (printed at least three
// times as often), in which case the other is recorded as a misprint.
func checkPlaceNames(res *Result, lines []extract.Line) {
	counts := map[string]int{}
	firstLine := map[string]extract.Line{}
	for _, l := range lines {
		for _, m := range placeName.FindAllStringSubmatch(squashSpace(l.Text), -1) {
			counts[m[1]]++
			if _, ok := firstLine[m[1]]; !ok {
				firstLine[m[1]] = l
			}
		}
	}
	names := make([]string, 0, len(counts))
	for n := range counts {
		names = append(names, n)
	}
	sort.Strings(names)
	for i, a := range names {
		for _, b := range names[i+1:] {
			if len([]rune(a)) != len([]rune(b)) || editOps(a, b) != 1 {
				continue
			}
			ca, cb := counts[a], counts[b]
			major, minor := a, b
			if cb > ca {
				major, minor = b, a
			}
			if counts[major] >= 3*counts[minor] {
				l := firstLine[minor]
				res.Corrections = append(res.Corrections, Correction{Field: "text.place_name", Raw: minor, Normalized: major, Rule: "place_name.majority",
					Evidence: fmt.Sprintf("the document prints %s %d times and %s %d times", major, counts[major], minor, counts[minor]), Page: l.Page, Line: l.No})
				continue
			}
			l := firstLine[b]
			res.Findings = append(res.Findings, Finding{CheckID: "text.place_name_variant", Severity: "warning",
				Message:  fmt.Sprintf("place name spelled two ways: %s (%d times) and %s (%d times); the document does not settle which is right", a, ca, b, cb),
				Expected: a, Actual: b, Page: l.Page, Line: l.No})
		}
	}
}
