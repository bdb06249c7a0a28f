package transform

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/gongkai/gongkai/extract"
)

// Identity by consensus. A disclosure states whose it is in many places:
// its cover (a title that may wrap over several lines), the 部门名称 /
// 单位名称 / 预算单位 lines over its tables, its table titles and column
// headers, the headings of its 目录 and sections. Each place casts votes for
// the department, fiscal year, stage (预算/决算) and scope (部门/单位); the
// weightiest candidate wins, and a place that disagrees with a weighty
// rival is an identity.conflict finding. The file's path is a last resort,
// only for what the document does not state at all (pathid.go).

// Vote weights of the places that state an identity.
const (
	weightCover   = 6 // the cover's title
	weightDeptRow = 2 // each 部门名称/单位名称/预算单位 line
	weightTitle   = 2 // each table title naming a year or the department
	weightHeading = 1 // each 目录/section heading, code-and-name line, column header
)

var (
	tableYear  = regexp.MustCompile(`(20\d\d)\s*年`)
	unitTail   = regexp.MustCompile(`(金额)?单位([:;：；]\s*(万元|元|千元)?|(万元|元|千元))$`)
	deptCode   = regexp.MustCompile(`^(\d{3,6})\s*[-－—_ ]?\s*(\p{Han})`)
	regionPart = regexp.MustCompile(`^\p{Han}{1,10}?(省|自治区|特别行政区|市|自治州|地区|盟|自治县|县|自治旗|旗|林区|特区|经济技术开发区|经济开发区|高新技术产业开发区|开发区|高新区|新区|区)`)
	// A cover title, squashed: [department] YEAR年[度] [department] [区级/市级…] 部门|单位 预算|决算.
	coverRe = regexp.MustCompile(`^(.*?)(20\d\d)年度?(.*?)(?:区级|市级|省级|县级|本级)?(部门|单位)(预算|决算)`)
	// A line that starts a document's body: the cover ends before it.
	bodyStart = regexp.MustCompile(`^(目录|第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])`)
	// A date under a cover title (2021年4月, 二〇二六年三月): not the fiscal year.
	dateLine = regexp.MustCompile(`^((20\d\d)|[二〇一二三四五六七八九零]{4})年[0-9一二三四五六七八九十]{1,2}月(\d{1,2}日)?$`)
	// Section headings that name the department: 第一部分 佛山市轨道交通局概况,
	// 第二部分 中共上海市普陀区委社会工作部2024年度部门决算表.
	headingDept = regexp.MustCompile(`^第[一二三四五六七八九十]+部分(.+?)(?:20\d\d年度?)?(?:部门|单位)?(?:概况|基本情况|预算表|决算表|预算报表|决算报表)$`)
)

// candidates tallies the votes for one part of the identity.
type candidates struct {
	votes map[string]int
	where map[string]string // the first place each candidate was stated
}

func newCandidates() *candidates {
	return &candidates{votes: map[string]int{}, where: map[string]string{}}
}

func (c *candidates) add(v string, w int, where string) {
	if v == "" || w <= 0 {
		return
	}
	c.votes[v] += w
	if _, ok := c.where[v]; !ok {
		c.where[v] = where
	}
}

// best is the candidate with the most votes (ties: the longer, then the
// first in order), and the runner-up that is no variant of it.
func (c *candidates) best(variant func(a, b string) bool) (win, rival string) {
	keys := make([]string, 0, len(c.votes))
	for k := range c.votes {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if c.votes[a] != c.votes[b] {
			return c.votes[a] > c.votes[b]
		}
		if len(a) != len(b) {
			return len(a) > len(b)
		}
		return a < b
	})
	if len(keys) == 0 {
		return "", ""
	}
	win = keys[0]
	for _, k := range keys[1:] {
		if variant == nil || !variant(win, k) {
			return win, k
		}
	}
	return win, ""
}

// mergeVariants moves the votes of a name printed without its region prefix
// (普陀区司法局 beside 上海市普陀区司法局) or with its (本级) left off to
// the full name.
func (c *candidates) mergeVariants() {
	for a := range c.votes {
		for b := range c.votes {
			if a == b || !sameOrg(b, a) || len(b) <= len(a) {
				continue
			}
			// b is a's full name, unless b only extends a at the end past a
			// wrap and a is stated more often (大同市云冈区教育局 beside an
			// OCR'd 大同市云冈区教育局8).
			into, from := b, a
			if strings.HasPrefix(b, a) && !strings.HasPrefix(b[len(a):], "（") && c.votes[a] > c.votes[b] {
				into, from = a, b
			}
			c.votes[into] += c.votes[from]
			delete(c.votes, from)
			break
		}
	}
}

// sameOrg reports whether short names the organisation long names: long
// ends with it (a region prefix left off) or starts with it (a (本级)
// annotation left off, or the name cut where its line wrapped: three
// quarters of it or more).
func sameOrg(long, short string) bool {
	ns, nl := len([]rune(short)), len([]rune(long))
	if ns < 3 {
		return false
	}
	return strings.HasSuffix(long, short) ||
		strings.HasPrefix(long, short) && (strings.HasPrefix(long[len(short):], "（") || 4*ns >= 3*nl)
}

// orgLike reports whether a squashed string reads as the name of an
// organisation: it ends like one (局, 委员会, 办公室, 大学 …, or an
// annotation in brackets after one), is no bare region, and is not money.
func orgLike(s string) bool {
	n := len([]rune(s))
	if n < 3 || n > 40 || strings.ContainsAny(s, "0123456789：:，。；") {
		return false
	}
	core := s
	if i := strings.LastIndex(core, "（"); i > 0 && strings.HasSuffix(core, "）") {
		core = core[:i]
	}
	return orgSuffix.MatchString(core) && !notOrgSuffix.MatchString(core) && regionOf(core+"某部") != core
}

// cleanDept removes what surrounds a department's name in a title: 关于,
// 部门预算/单位预算/信息公开 and the like.
func cleanDept(s string) string {
	s = squashSpace(s)
	s = strings.TrimPrefix(s, "关于")
	for _, suf := range []string{"信息公开", "公开", "部门预算", "单位预算", "部门决算", "单位决算", "预算", "决算", "部门", "（部门）"} {
		s = strings.TrimSuffix(s, suf)
	}
	return s
}

// identify reads region, department, fiscal year, stage and scope from the
// document itself by consensus; the file's path fills in only what the
// document does not state at all. A document with no standard table of its
// own is still a disclosure when its 目录 lists them (toc): the narrative
// part of a disclosure published in several files.
func identify(doc *extract.Document, regions []*tableRegion, toc []string) (Identity, []Finding, error) {
	var id Identity
	regions = slices.DeleteFunc(slices.Clone(regions), func(rg *tableRegion) bool { return rg.key == "" })
	if len(regions) == 0 && len(toc) == 0 {
		return id, nil, fmt.Errorf("%w: no standard budget table (预算收支总表, 预算收入总表, …) found", ErrNotDisclosure)
	}
	depts, years, stages, scopes := newCandidates(), newCandidates(), newCandidates(), newCandidates()
	at := func(l extract.Line) string {
		if l.Page > 0 {
			return fmt.Sprintf("page %d line %d", l.Page, l.No)
		}
		return fmt.Sprintf("line %d", l.No)
	}

	// The cover: the first lines, up to the 目录, a section heading, a table
	// title or a sentence; a title wrapped over lines is read joined.
	var cover strings.Builder
	var coverAt extract.Line
	n := 0
	for _, l := range doc.Lines {
		t := squashSpace(l.Text)
		if t == "" {
			continue
		}
		if n == 0 {
			coverAt = l
		}
		if n++; n > 8 || l.Tabbed || bodyStart.MatchString(t) || ClassifyTitle(t) != "" ||
			strings.ContainsAny(t, "。；，") || len([]rune(t)) > 40 || l.Page > coverAt.Page+1 {
			break
		}
		if dateLine.MatchString(t) {
			continue
		}
		cover.WriteString(t)
	}
	if m := coverRe.FindStringSubmatch(cover.String()); m != nil {
		where := "the cover (" + at(coverAt) + ")"
		y, _ := strconv.Atoi(m[2])
		years.add(strconv.Itoa(y), weightCover, where)
		stages.add(m[5], weightCover, where)
		scopes.add(m[4], weightCover, where)
		rest := strings.TrimPrefix(cover.String(), m[0])
		for _, cand := range []string{m[1], m[3], rest} {
			if d := cleanDept(cand); orgLike(d) {
				depts.add(d, weightCover, where)
				break
			}
		}
	}

	for _, l := range doc.Lines {
		t := squashSpace(l.Text)
		if t == "" {
			continue
		}
		if m := deptLine.FindStringSubmatch(t); m != nil {
			// The name is what follows the colon up to a wide gap (单位：万元,
			// or the 元 of a wrapped 单位：万元, printed far to the right), or
			// up to 单位：万元 printed close by, its colon misread (OCR).
			d := m[2]
			if i := strings.IndexAny(l.Text, ":："); i >= 0 && !l.Tabbed {
				if parts := wideGap.Split(strings.TrimSpace(l.Text[i+len(string([]rune(l.Text[i:])[0])):]), -1); len(parts) > 0 {
					d = squashSpace(parts[0])
				}
			}
			d = strings.TrimSpace(unitTail.ReplaceAllString(d, ""))
			if d != "" && len([]rune(d)) <= 40 && !strings.Contains("万元千元亿元", d) {
				depts.add(d, weightDeptRow, at(l))
			}
			continue
		}
		if m := headingDept.FindStringSubmatch(t); m != nil {
			if d := cleanDept(m[1]); orgLike(d) {
				depts.add(d, weightHeading, at(l))
			}
		}
		if l.Tabbed {
			for _, c := range strings.Split(l.Text, "\t") {
				c = squashSpace(c)
				if m := deptCode.FindStringSubmatchIndex(c); m != nil && !dateHan(c[m[4]:m[5]]) {
					// 507-湖州市卫生健康委员会 over a table, [105]教育部 excluded.
					if d := strings.TrimLeft(c[m[0]:], "0123456789-－—_ "); orgLike(d) && len(c) < 60 && !strings.Contains(c, "[") {
						depts.add(d, weightHeading, at(l))
					}
				}
			}
		} else if m := deptCode.FindStringSubmatchIndex(t); m != nil && !dateHan(t[m[4]:m[5]]) {
			if d := strings.TrimLeft(t, "0123456789-－—_ "); orgLike(cleanDept(unitTail.ReplaceAllString(d, ""))) {
				depts.add(cleanDept(unitTail.ReplaceAllString(d, "")), weightHeading, at(l))
			}
		}
		if strings.Contains(t, "单位预算") || strings.Contains(t, "单位决算") {
			scopes.add("单位", weightHeading, at(l))
		}
		if strings.Contains(t, "部门预算") || strings.Contains(t, "部门决算") {
			scopes.add("部门", weightHeading, at(l))
		}
	}
	for _, rg := range regions {
		title := squashSpace(rg.title)
		where := fmt.Sprintf("the title of %s (page %d)", rg.key, rg.page)
		if m := tableYear.FindStringSubmatch(title); m != nil {
			years.add(m[1], weightTitle, where)
		}
		// A title that starts with the department: 西南大学收支预算总表.
		if d := titleDept(title); d != "" {
			depts.add(d, weightTitle, where)
		}
		if title != "" {
			if strings.Contains(title, "决算") {
				stages.add("决算", 1, where)
			} else {
				stages.add("预算", 1, where)
			}
		}
		// Column headers print the year too (2026年合计, 2026年预算数): a
		// misread title (OCR) is outvoted. A prior year's column (2025年执行数)
		// is no vote.
		for _, l := range rg.lines {
			if !l.Tabbed || hasAmount(l) {
				continue
			}
			for _, c := range strings.Split(l.Text, "\t") {
				c = squashSpace(c)
				if m := yearLabel.FindStringSubmatch(c); m != nil {
					years.add(m[1], weightHeading, fmt.Sprintf("a column header of %s (page %d)", rg.key, rg.page))
				}
			}
		}
	}

	depts.mergeVariants()
	var conflicts []Finding
	conflict := func(what string, c *candidates, win, rival string) {
		if rival == "" || c.votes[rival] < weightDeptRow {
			return
		}
		msg := fmt.Sprintf("%s: %s states %q, but %s states %q (%d against %d votes)",
			what, c.where[win], win, c.where[rival], rival, c.votes[win], c.votes[rival])
		conflicts = append(conflicts, Finding{CheckID: "identity.conflict", Severity: "warning", Message: msg,
			Expected: win, Actual: rival})
		id.Conflicts = append(id.Conflicts, msg)
	}
	dept, rival := depts.best(func(a, b string) bool { return sameOrg(a, b) || sameOrg(b, a) })
	id.DepartmentName = dept
	conflict("department", depts, dept, rival)
	year, yrival := years.best(nil)
	id.FiscalYear, _ = strconv.Atoi(year)
	conflict("fiscal year", years, year, yrival)
	stage, _ := stages.best(nil)
	id.Stage = StageBudget
	if stage == "决算" {
		id.Stage = StageFinalAccount
	}
	scope, _ := scopes.best(nil)
	id.Scope = ScopeDepartment
	if scope == "单位" {
		id.Scope = ScopeUnit
	}
	id.Source = SourceDocument

	if id.FiscalYear == 0 && doc.Backend == "tesseract" {
		// Tables that print no year, and a cover title OCR misread (2017
		// 年部门页算): the year the cover's first lines print.
		seen := 0
		for _, l := range doc.Lines {
			t := squashSpace(l.Text)
			if t == "" {
				continue
			}
			if seen++; seen > 5 {
				break
			}
			if m := tableYear.FindStringSubmatch(t); m != nil {
				id.FiscalYear, _ = strconv.Atoi(m[1])
				break
			}
		}
	}
	if id.DepartmentName == "" || id.FiscalYear == 0 {
		// The last resort: what the file's path says, for what the document
		// does not state at all.
		p := identityFromPath(doc.Path)
		var from []string
		if id.DepartmentName == "" && p.Department != "" {
			id.DepartmentName = p.Department
			from = append(from, "department "+p.Department)
		}
		if id.FiscalYear == 0 && p.FiscalYear != 0 {
			id.FiscalYear = p.FiscalYear
			from = append(from, fmt.Sprintf("fiscal year %d", p.FiscalYear))
		}
		if len(from) > 0 {
			id.Source = SourceFileName
			if p.Region != "" && regionOfDept(id.DepartmentName) == "" {
				id.Region = p.Region
			}
			conflicts = append(conflicts, Finding{CheckID: "identity.file_name", Severity: "warning",
				Message:  "the document states no " + strings.Join(missingParts(dept, year), " and ") + "; taken from the file's path: " + strings.Join(from, ", "),
				Expected: "stated in the document", Actual: strings.Join(from, ", ")})
		}
	}
	if id.DepartmentName == "" {
		return id, nil, fmt.Errorf("%w: no department name (cover title, 部门名称/单位名称 line, table title or heading; nor in the file's path)", ErrNotDisclosure)
	}
	if id.FiscalYear == 0 {
		return id, nil, fmt.Errorf("%w: no fiscal year (cover title, table titles or column headers; nor in the file's path)", ErrNotDisclosure)
	}
	if id.Region == "" {
		id.Region = regionOfDept(id.DepartmentName)
	}
	id.DepartmentCode = majorityCode(doc.Lines, id.DepartmentName)
	return id, conflicts, nil
}

// dateHan reports the characters that make digits before them a date
// (2019年), not a department code.
func dateHan(s string) bool { return s == "年" || s == "月" || s == "日" }

func missingParts(dept, year string) []string {
	var out []string
	if dept == "" {
		out = append(out, "department")
	}
	if year == "" {
		out = append(out, "fiscal year")
	}
	return out
}

// titleDept is the department a table title starts with (西南大学收支预算总表
// → 西南大学), or "".
func titleDept(title string) string {
	t := titlePrefix.ReplaceAllString(title, "")
	cut := len(t)
	for _, w := range []string{"20", "收支", "收入", "支出", "财政拨款", "一般公共预算", "政府性基金", "国有资本", "三公", "项目", "部门", "单位", "预算", "决算", "基本"} {
		if i := strings.Index(t, w); i >= 0 && i < cut {
			cut = i
		}
	}
	if d := t[:cut]; orgLike(d) && !genericOrg[d] {
		return d
	}
	return ""
}

// genericOrg are organisation words a template prints in its titles that
// name a kind, not a department (高等学校收支决算总表).
var genericOrg = map[string]bool{"高等学校": true, "行政单位": true, "事业单位": true, "行政事业单位": true, "预算单位": true, "主管部门": true}

// notRegion: …区 words that are no administrative district (社区, 园区, 景区 …).
var notRegion = regexp.MustCompile(`(社|园|景|校|营|小|院)区$`)

// regionOf takes the administrative prefix of a department name:
// 朔州经济开发区党群工作部 → 朔州经济开发区, 上海市普陀区财政局 → 上海市普陀区.
func regionOf(name string) string {
	region, rest := "", name
	for {
		m := regionPart.FindStringIndex(rest)
		if m == nil {
			break
		}
		part := rest[:m[1]]
		if notRegion.MatchString(part) {
			break
		}
		if len([]rune(rest[m[1]:])) < 2 {
			break
		}
		region += part
		rest = rest[m[1]:]
	}
	return region
}

// majorityCode is the department code most often printed before the
// department's name (e.g. `609-朔州经济开发区党群工作部` in its forms).
func majorityCode(lines []extract.Line, dept string) string {
	counts := map[string]int{}
	d := squashSpace(dept)
	for _, l := range lines {
		for _, c := range strings.Split(l.Text, "\t") {
			c = squashSpace(c)
			if !strings.HasSuffix(c, d) || d == "" {
				continue
			}
			if m := deptCode.FindStringSubmatch(c); m != nil && !dateHan(m[2]) {
				counts[m[1]]++
			}
		}
	}
	return argmax(counts)
}
