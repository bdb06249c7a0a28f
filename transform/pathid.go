package transform

import (
	_ "embed"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// A file's path as the last resort for its identity: when a document
// states no department or no year at all (a tables-only 附件2 whose tables
// never name the office), the parts it lacks are read from its folder and
// file names — Chinese names as publishers give them
// (附件2：北京市司法局2026年部门预算报表.pdf, 北京市/北京市人民政府办公厅/2026/…)
// and romanised ones as crawlers give them (sh-putuo-sifaju-2026-budget.pdf),
// the latter through the gazetteer in layouts/places.toml. A name the
// gazetteer cannot read for certain gives no department: a wrong one would
// file a disclosure under someone else.

//go:embed layouts/places.toml
var placesTOML string

// PathIdentity is what a file's path says about whose disclosure it is.
type PathIdentity struct {
	Department string // full official name, e.g. 北京市人民政府办公厅; "" when the path names none
	Region     string // e.g. 北京市, 上海市普陀区; "" when unknown
	FiscalYear int    // 0 when none
	Stage      string // "budget" | "final_account" | ""
	Scope      string // "department" | "unit" | ""
}

// Levels of government, as places.toml names them.
const (
	levelCentral       = "central"
	levelProvince      = "province"
	levelMunicipality  = "municipality"
	levelSubprovincial = "subprovincial"
	levelCity          = "city"
	levelCounty        = "county"
)

var placeLevels = []string{levelCentral, levelProvince, levelMunicipality, levelSubprovincial, levelCity, levelCounty}

type gazPlace struct {
	zh     string // 普陀区
	full   string // 上海市普陀区: what a department's name begins with
	level  string
	parent *gazPlace
}

// within reports whether p lies inside q (at any depth).
func (p *gazPlace) within(q *gazPlace) bool {
	for a := p.parent; a != nil; a = a.parent {
		if a == q {
			return true
		}
	}
	return false
}

// alias is a romanised spelling of a department kind; han, when given,
// is the Chinese it spells, which the official form must contain.
type kindAlias struct {
	py, han string
	bare    bool // may stand without a suffix
}

type deptKind struct {
	aliases      []kindAlias
	forms        map[string][]string // by level
	since, until int
}

type gazetteer struct {
	words    map[string]string // romanised word → budget | final | unit | department | own | ignore
	drop     []string          // Chinese words cut out before a department is looked for, longest first
	lead     []string          // Chinese words trimmed off the start of a run
	whole    []string          // endings of a whole name, which one more ending character does not extend
	endings  []string          // how a Chinese department name ends
	suffixes map[string][]string
	byName   map[string][]*gazPlace
	byFull   map[string]*gazPlace
	kinds    []deptKind
	// bareForms are the local forms without a place (司法局, 人民政府办公厅):
	// a Chinese name that is one of them needs a region from a folder.
	bareForms map[string]bool
}

type placesFile struct {
	Words struct {
		Budget     []string `toml:"budget"`
		Final      []string `toml:"final"`
		Unit       []string `toml:"unit"`
		Department []string `toml:"department"`
		Own        []string `toml:"own"`
		Ignore     []string `toml:"ignore"`
	} `toml:"words"`
	Chinese struct {
		Drop    []string `toml:"drop"`
		Lead    []string `toml:"lead"`
		Whole   []string `toml:"whole"`
		Endings []string `toml:"endings"`
	} `toml:"chinese"`
	Suffix []struct {
		Pinyin []string `toml:"pinyin"`
		Ends   []string `toml:"ends"`
	} `toml:"suffix"`
	Central struct {
		Zh    string   `toml:"zh"`
		Names []string `toml:"names"`
	} `toml:"central"`
	Province []struct {
		Zh     string   `toml:"zh"`
		Level  string   `toml:"level"`
		Names  []string `toml:"names"`
		Cities []struct {
			Zh    string   `toml:"zh"`
			Names []string `toml:"names"`
			Sub   bool     `toml:"sub"`
		} `toml:"cities"`
	} `toml:"province"`
	Area []struct {
		In     string `toml:"in"`
		Places []struct {
			Zh    string   `toml:"zh"`
			Names []string `toml:"names"`
		} `toml:"places"`
	} `toml:"area"`
	Department []deptEntry `toml:"department"`
}

type deptEntry struct {
	Names         []string `toml:"names"`
	Stems         []string `toml:"stems"`
	All           []string `toml:"all"`
	Local         []string `toml:"local"`
	Province      []string `toml:"province"`
	Municipality  []string `toml:"municipality"`
	Subprovincial []string `toml:"subprovincial"`
	City          []string `toml:"city"`
	County        []string `toml:"county"`
	Central       []string `toml:"central"`
	Not           []string `toml:"not"`
	Since         int      `toml:"since"`
	Until         int      `toml:"until"`
}

// formsAt are the entry's forms at a level (see places.toml).
func (e deptEntry) formsAt(level string) []string {
	pick := func(ls ...[]string) []string {
		for _, l := range ls {
			if l != nil {
				return l
			}
		}
		return nil
	}
	switch level {
	case levelCentral:
		return e.Central
	case levelProvince:
		return pick(e.Province, e.All)
	case levelMunicipality:
		return pick(e.Municipality, e.Local, e.All)
	case levelSubprovincial:
		if slices.Contains(e.Not, levelCity) && e.Subprovincial == nil {
			return nil
		}
		return pick(e.Subprovincial, e.City, e.Local, e.All)
	case levelCity:
		return pick(e.City, e.Local, e.All)
	case levelCounty:
		return pick(e.County, e.Local, e.All)
	}
	return nil
}

var gazette = mustLoadPlaces()

func mustLoadPlaces() *gazetteer {
	g, err := loadPlaces(placesTOML)
	if err != nil {
		panic(err)
	}
	return g
}

func loadPlaces(src string) (*gazetteer, error) {
	var f placesFile
	md, err := toml.Decode(src, &f)
	if err != nil {
		return nil, fmt.Errorf("layouts/places.toml: %w", err)
	}
	if un := md.Undecoded(); len(un) > 0 {
		return nil, fmt.Errorf("layouts/places.toml: unknown keys %v", un)
	}
	g := &gazetteer{
		words:     map[string]string{},
		suffixes:  map[string][]string{},
		byName:    map[string][]*gazPlace{},
		byFull:    map[string]*gazPlace{},
		bareForms: map[string]bool{},
		endings:   f.Chinese.Endings,
		lead:      f.Chinese.Lead,
		whole:     f.Chinese.Whole,
	}
	for kind, ws := range map[string][]string{"budget": f.Words.Budget, "final": f.Words.Final,
		"unit": f.Words.Unit, "department": f.Words.Department, "own": f.Words.Own, "ignore": f.Words.Ignore} {
		for _, w := range ws {
			if k, dup := g.words[w]; dup {
				return nil, fmt.Errorf("layouts/places.toml: word %q is both %s and %s", w, k, kind)
			}
			g.words[w] = kind
		}
	}
	g.drop = slices.Clone(f.Chinese.Drop)
	sort.SliceStable(g.drop, func(i, j int) bool { return len(g.drop[i]) > len(g.drop[j]) })
	for _, s := range f.Suffix {
		for _, p := range s.Pinyin {
			g.suffixes[p] = s.Ends
		}
	}
	add := func(p *gazPlace, names []string) error {
		if p.zh == "" {
			return fmt.Errorf("layouts/places.toml: a place without zh")
		}
		if _, dup := g.byFull[p.full]; dup {
			return fmt.Errorf("layouts/places.toml: place %s listed twice", p.full)
		}
		g.byFull[p.full] = p
		for _, n := range names {
			if n != strings.ToLower(n) || strings.ContainsFunc(n, func(r rune) bool { return r > unicode.MaxASCII || !unicode.IsLetter(r) }) {
				return fmt.Errorf("layouts/places.toml: %s: name %q is not lower-case ASCII letters", p.full, n)
			}
			if _, w := g.words[n]; w {
				return fmt.Errorf("layouts/places.toml: %s: name %q is also a word", p.full, n)
			}
			g.byName[n] = append(g.byName[n], p)
		}
		return nil
	}
	central := &gazPlace{zh: f.Central.Zh, full: f.Central.Zh, level: levelCentral}
	if err := add(central, f.Central.Names); err != nil {
		return nil, err
	}
	for _, pr := range f.Province {
		if pr.Level != levelProvince && pr.Level != levelMunicipality {
			return nil, fmt.Errorf("layouts/places.toml: %s: level %q", pr.Zh, pr.Level)
		}
		p := &gazPlace{zh: pr.Zh, full: pr.Zh, level: pr.Level}
		if err := add(p, pr.Names); err != nil {
			return nil, err
		}
		for _, c := range pr.Cities {
			lv := levelCity
			if c.Sub {
				lv = levelSubprovincial
			}
			if err := add(&gazPlace{zh: c.Zh, full: c.Zh, level: lv, parent: p}, c.Names); err != nil {
				return nil, err
			}
		}
	}
	for _, a := range f.Area {
		in := g.byFull[a.In]
		if in == nil || in.level == levelCounty || in.level == levelProvince || in.level == levelCentral {
			return nil, fmt.Errorf("layouts/places.toml: area in %q: no such municipality or city", a.In)
		}
		for _, c := range a.Places {
			full := c.Zh
			if strings.HasSuffix(c.Zh, "区") {
				full = in.full + c.Zh // 上海市普陀区; a county or county-level city is named alone
			}
			if err := add(&gazPlace{zh: c.Zh, full: full, level: levelCounty, parent: in}, c.Names); err != nil {
				return nil, err
			}
		}
	}
	for i, e := range f.Department {
		k := deptKind{forms: map[string][]string{}, since: e.Since, until: e.Until}
		for _, n := range e.Not {
			if !slices.Contains(placeLevels, n) {
				return nil, fmt.Errorf("layouts/places.toml: department %d: unknown level %q", i+1, n)
			}
		}
		for _, lv := range placeLevels {
			if slices.Contains(e.Not, lv) {
				continue
			}
			fs := e.formsAt(lv)
			if len(fs) > 0 {
				k.forms[lv] = fs
			}
			for _, f := range fs {
				if lv != levelCentral && !strings.Contains(f, "{region}") {
					g.bareForms[f] = true
				}
			}
		}
		if len(k.forms) == 0 {
			return nil, fmt.Errorf("layouts/places.toml: department %d %v has no form", i+1, e.Stems)
		}
		for _, list := range []struct {
			as   []string
			bare bool
		}{{e.Names, true}, {e.Stems, false}} {
			for _, a := range list.as {
				py, han, _ := strings.Cut(a, "=")
				k.aliases = append(k.aliases, kindAlias{py: py, han: han, bare: list.bare})
			}
		}
		if len(k.aliases) == 0 {
			return nil, fmt.Errorf("layouts/places.toml: department %d has no names or stems", i+1)
		}
		g.kinds = append(g.kinds, k)
	}
	return g, nil
}

// departments are the names a romanised department token gives at a place:
// one name when the token is certain, several when it is not, none when it
// names no kind that exists there (in that year, when known).
func (g *gazetteer) departments(tok string, at *gazPlace, year int) []string {
	var out []string
	for _, k := range g.kinds {
		if year != 0 && (k.since != 0 && year < k.since || k.until != 0 && year > k.until) {
			continue
		}
		forms := k.forms[at.level]
		if len(forms) == 0 {
			continue
		}
		for _, a := range k.aliases {
			rest, ok := strings.CutPrefix(tok, a.py)
			if !ok {
				continue
			}
			var ends []string
			if rest != "" {
				if ends = g.suffixes[rest]; ends == nil {
					continue
				}
			} else if !a.bare {
				continue
			}
			for _, f := range forms {
				if a.han != "" && !strings.Contains(f, a.han) {
					continue
				}
				if ends != nil && !slices.ContainsFunc(ends, func(e string) bool { return strings.HasSuffix(f, e) }) {
					continue
				}
				out = append(out, officialName(f, at))
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// isKind reports whether a token names a department kind at some level.
func (g *gazetteer) isKind(tok string) bool {
	for _, lv := range placeLevels {
		if len(g.departments(tok, &gazPlace{level: lv}, 0)) > 0 {
			return true
		}
	}
	return false
}

func officialName(form string, at *gazPlace) string {
	switch {
	case at.level == levelCentral:
		return form
	case strings.Contains(form, "{region}"):
		return strings.ReplaceAll(form, "{region}", at.full)
	}
	return at.full + form
}

// elemRead is what one folder or file name says.
type elemRead struct {
	year               int
	yearBad            bool // states two years
	stage, scope       string
	stageBad, scopeBad bool
	names              bool   // names some body (the department search ends here)
	dept               string // a department's full name
	bare               string // a department without its place (司法局): needs a region folder
	kind               string // a romanised department kind without a place (sifaju)
	region             string
	at                 *gazPlace // the place the element names, when it names only a place
	romanNames         []string
	own                bool // a romanised name says benji: the department's own budget, （本级）
}

var (
	hanYear   = regexp.MustCompile(`(^|[^0-9])(20[0-9]{2})\s*年`)
	cnYear    = regexp.MustCompile(`二[〇零○][〇零○一二三四五六七八九]{2}年`)
	asciiWord = regexp.MustCompile(`[a-z]+|[0-9]+`)
	hanRun    = regexp.MustCompile(`\p{Han}+\x01?`)
	benji     = regexp.MustCompile(`[（(]?本级[)）]?`)
	unitStage = regexp.MustCompile(`单位预?决?算`)
	deptStage = regexp.MustCompile(`部门预?决?算`)
)

var cnDigit = map[rune]int{'〇': 0, '零': 0, '○': 0, '一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// yearsOf are the fiscal years an element states: 2026年 (or 二〇二六年)
// when it has any, else bare four-digit 20xx numbers that are not part of a
// date (2026-01-20) or of a longer number.
func yearsOf(s string) []int {
	var ys []int
	for _, m := range hanYear.FindAllStringSubmatch(s, -1) {
		ys = append(ys, atoi4(m[2]))
	}
	for _, m := range cnYear.FindAllString(s, -1) {
		y := 0
		for _, r := range []rune(m)[:4] {
			y = y*10 + cnDigit[r]
		}
		ys = append(ys, y)
	}
	if len(ys) == 0 {
		for i := 0; i < len(s); {
			if !isASCIIDigit(s[i]) {
				i++
				continue
			}
			j := i
			for j < len(s) && isASCIIDigit(s[j]) {
				j++
			}
			if j-i == 4 && s[i:i+2] == "20" && !isDate(s[j:]) {
				ys = append(ys, atoi4(s[i:j]))
			}
			i = j
		}
	}
	slices.Sort(ys)
	return slices.Compact(ys)
}

func isASCIIDigit(b byte) bool { return b >= '0' && b <= '9' }

func atoi4(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// isDate: what follows a year makes it a date (-01-20, .1.5).
func isDate(rest string) bool {
	seps := 0
	for i := 0; i < len(rest) && seps < 2; {
		if !strings.ContainsRune("-./", rune(rest[i])) || i+1 >= len(rest) || !isASCIIDigit(rest[i+1]) {
			return false
		}
		i++
		for i < len(rest) && isASCIIDigit(rest[i]) {
			i++
		}
		seps++
	}
	return seps == 2
}

// foldWidth turns full-width digits and letters into ASCII.
func foldWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' || r >= 'Ａ' && r <= 'Ｚ' || r >= 'ａ' && r <= 'ｚ' {
			return r - 0xFEE0
		}
		return r
	}, s)
}

func hasHan(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) })
}

func (g *gazetteer) read(elem string) elemRead {
	var r elemRead
	elem = foldWidth(elem)
	switch ys := yearsOf(elem); len(ys) {
	case 0:
	case 1:
		r.year = ys[0]
	default:
		r.yearBad = true
	}
	if hasHan(elem) {
		g.readChinese(elem, &r)
	} else {
		g.readRoman(elem, &r)
	}
	return r
}

func (g *gazetteer) readChinese(s string, r *elemRead) {
	s = squashSpace(s)
	budget := strings.Contains(s, "预算") || strings.Contains(s, "预决算")
	final := strings.Contains(s, "决算")
	switch {
	case budget && final:
		r.stageBad = true
	case budget:
		r.stage = StageBudget
	case final:
		r.stage = StageFinalAccount
	}
	unit := unitStage.MatchString(s)
	dept := deptStage.MatchString(s)
	switch {
	case unit && dept:
		r.scopeBad = true
	case unit:
		r.scope = ScopeUnit
	case dept:
		r.scope = ScopeDepartment
	}

	s = hanYear.ReplaceAllString(s, "$1|")
	s = cnYear.ReplaceAllString(s, "|")
	s = strings.ReplaceAll(s, "年度", "|")
	s = benji.ReplaceAllString(s, "\x01")
	for _, w := range g.drop {
		s = strings.ReplaceAll(s, w, "|")
	}
	best := ""
	for _, run := range hanRun.FindAllString(s, -1) {
		han, marked := strings.CutSuffix(run, "\x01")
		for trimmed := true; trimmed; {
			trimmed = false
			for _, w := range g.lead {
				if rest, ok := strings.CutPrefix(han, w); ok {
					han, trimmed = rest, true
				}
			}
		}
		name := g.orgPrefix(han)
		if name == "" {
			if r.region == "" && regionOf(han+"财政局") == han {
				r.region = han
			}
			continue
		}
		if name == han && marked {
			name += "（本级）"
		}
		if utf8.RuneCountInString(name) > utf8.RuneCountInString(best) {
			best = name
		}
	}
	if best == "" {
		return
	}
	r.names = true
	plain := strings.TrimSuffix(best, "（本级）")
	short := plain
	for _, lv := range []string{"省", "市", "区", "县"} {
		short = strings.TrimPrefix(short, lv)
	}
	if g.bareForms[plain] || g.bareForms[short] {
		r.bare = strings.TrimPrefix(best, plain[:len(plain)-len(short)])
		return
	}
	r.dept = best
	r.region = regionOfDept(plain)
}

// orgPrefix is the longest prefix of a run of Han characters that ends like
// an organisation (…局, …委员会, …办公室), at least three characters long;
// one character of an ending after a whole name (北京市司法局部…) is not
// part of it.
func (g *gazetteer) orgPrefix(han string) string {
	rs := []rune(han)
	for n := len(rs); n >= 3; n-- {
		if g.orgLike(string(rs[:n])) {
			x := string(rs[:n-1])
			if slices.Contains(g.endings, string(rs[n-1])) && len([]rune(x)) >= 3 &&
				slices.ContainsFunc(g.whole, func(e string) bool { return strings.HasSuffix(x, e) }) {
				return x
			}
			return string(rs[:n])
		}
	}
	return ""
}

func (g *gazetteer) orgLike(p string) bool {
	for _, e := range g.endings {
		if strings.HasSuffix(p, e) && p != e {
			return true
		}
	}
	return false
}

var centralPrefix = regexp.MustCompile(`^(国家|最高人民|中央|全国|国务院|中华全国|中国)`)

// regionOfDept: the administrative prefix of a department's name (after a
// party or front prefix: 中共上海市普陀区委社会工作部 → 上海市普陀区), 中央 for
// a central body.
func regionOfDept(name string) string {
	n := name
	for _, p := range []string{"中国共产党", "中共", "共青团", "中国人民政治协商会议", "政协"} {
		n = strings.TrimPrefix(n, p)
	}
	if reg := regionOf(n); reg != "" {
		return reg
	}
	if centralPrefix.MatchString(n) {
		return "中央"
	}
	return ""
}

func (g *gazetteer) readRoman(s string, r *elemRead) {
	s = strings.ToLower(s)
	var budget, final, unit, dept bool
	for _, t := range asciiWord.FindAllString(s, -1) {
		if isASCIIDigit(t[0]) {
			continue // years are read by yearsOf; other numbers are numbering
		}
		switch g.words[t] {
		case "budget":
			budget = true
		case "final":
			final = true
		case "unit":
			unit = true
		case "department":
			dept = true
		case "own":
			r.own = true
		case "ignore":
		default:
			r.romanNames = append(r.romanNames, t)
		}
	}
	switch {
	case budget && final:
		r.stageBad = true
	case budget:
		r.stage = StageBudget
	case final:
		r.stage = StageFinalAccount
	}
	switch {
	case unit && dept:
		r.scopeBad = true
	case unit:
		r.scope = ScopeUnit
	case dept:
		r.scope = ScopeDepartment
	}
}

// resolveRoman reads an element's name tokens: places from the left (a
// province, city or the central level first, then places inside it), then
// one department kind spelt by the remaining tokens together. The element
// names a department when every reading that explains all its tokens gives
// the same one.
func (g *gazetteer) resolveRoman(r *elemRead, year int) {
	names := r.romanNames
	if len(names) == 0 {
		return
	}
	type stop struct {
		at *gazPlace
		n  int
	}
	var stops []stop
	depts := map[string]*gazPlace{}
	var walk func(i int, at *gazPlace)
	walk = func(i int, at *gazPlace) {
		if at != nil {
			stops = append(stops, stop{at, i})
			if i < len(names) {
				for _, d := range g.departments(strings.Join(names[i:], ""), at, year) {
					depts[d] = at
				}
			}
		}
		if i == len(names) {
			return
		}
		for _, p := range g.byName[names[i]] {
			if at == nil && p.level == levelCounty || at != nil && !p.within(at) {
				continue
			}
			walk(i+1, p)
		}
	}
	walk(0, nil)

	if len(stops) == 0 {
		if g.isKind(strings.Join(names, "")) {
			r.names = true
			r.kind = strings.Join(names, "")
		}
		return // no place: tokens such as realpdf or corpus name nobody
	}
	r.names = true // a place and more: the body is named here, known or not
	if len(depts) == 1 {
		for d, at := range depts {
			r.dept, r.region = d, at.full
		}
		if r.own {
			r.dept += "（本级）"
		}
		return
	}
	// No single department: the region is the place of the readings that
	// give a department (gz-xinfangju: 广州市 or 贵州省), else the longest
	// reading of places (sh-putuo-wanli: 上海市普陀区), when it is one.
	most := 0
	for _, s := range stops {
		most = max(most, s.n)
	}
	var at []*gazPlace
	if len(depts) > 1 {
		for _, p := range depts {
			if !slices.Contains(at, p) {
				at = append(at, p)
			}
		}
	} else {
		for _, s := range stops {
			if s.n == most && !slices.Contains(at, s.at) {
				at = append(at, s.at)
			}
		}
	}
	if len(at) == 1 {
		r.region = at[0].full
		if most == len(names) && len(depts) == 0 {
			r.at = at[0]
			r.names = false // a place alone, e.g. a folder beijing/ or sh-putuo/
		}
	}
}

// placeOfZh is the gazetteer's place for a Chinese region name
// (上海市普陀区, 苏州市, 江苏省苏州市).
func (g *gazetteer) placeOfZh(s string) *gazPlace {
	if p := g.byFull[s]; p != nil {
		return p
	}
	for full, p := range g.byFull {
		if p.level == levelProvince || p.level == levelMunicipality {
			if rest, ok := strings.CutPrefix(s, full); ok && rest != "" {
				if q := g.placeOfZh(rest); q != nil && q.within(p) {
					return q
				}
				if q := g.byFull[full+rest]; q != nil {
					return q
				}
			}
		}
	}
	return nil
}

// identityFromPath reads a path's folder and file names (never the file's content).
func identityFromPath(path string) PathIdentity {
	return gazette.identityFromPath(path)
}

func (g *gazetteer) identityFromPath(path string) PathIdentity {
	var elems []string
	for _, e := range strings.FieldsFunc(path, func(r rune) bool { return r == '/' || r == '\\' }) {
		if e != "." && e != ".." && e != "" {
			elems = append(elems, e)
		}
	}
	if len(elems) == 0 {
		return PathIdentity{}
	}
	last := elems[len(elems)-1]
	if i := strings.LastIndexByte(last, '.'); i > 0 && len(last)-i <= 6 && !strings.ContainsFunc(last[i+1:], func(r rune) bool {
		return r > unicode.MaxASCII || !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		elems[len(elems)-1] = last[:i]
	}
	slices.Reverse(elems) // the file name first, then folders from the innermost

	reads := make([]elemRead, len(elems))
	for i, e := range elems {
		reads[i] = g.read(e)
	}
	var id PathIdentity
	// Each part comes from the innermost element that states it; one that
	// states two (2024年决算和2026年预算) leaves the part unknown.
	for _, r := range reads {
		if r.yearBad || r.year != 0 {
			id.FiscalYear = r.year
			break
		}
	}
	for _, r := range reads {
		if r.stageBad || r.stage != "" {
			id.Stage = r.stage
			break
		}
	}
	for _, r := range reads {
		if r.scopeBad || r.scope != "" {
			id.Scope = r.scope
			break
		}
	}
	for i := range reads {
		g.resolveRoman(&reads[i], id.FiscalYear)
	}

	// The department: from the innermost element that names a body.
	for i, r := range reads {
		if !r.names {
			continue
		}
		switch {
		case r.dept != "":
			id.Department, id.Region = r.dept, r.region
		case r.bare != "" || r.kind != "":
			at, reg := g.contextPlace(reads[i+1:])
			if r.bare != "" && reg != "" {
				id.Department, id.Region = reg+r.bare, reg
			} else if r.kind != "" && at != nil {
				if ds := g.departments(r.kind, at, id.FiscalYear); len(ds) == 1 {
					id.Department, id.Region = ds[0], at.full
					if r.own {
						id.Department += "（本级）"
					}
				}
			}
		}
		if id.Region == "" {
			id.Region = r.region
		}
		break
	}
	if id.Region == "" {
		for _, r := range reads {
			if r.region != "" {
				id.Region = r.region
				break
			}
		}
	}
	return id
}

// contextPlace is the region the folders around a file name give: the innermost
// folder that names a place alone (bj, sh-putuo, 北京市), with the folders
// around it that are places too (上海市/普陀区). reg is its name, at its
// gazetteer entry when it has one.
func (g *gazetteer) contextPlace(outer []elemRead) (at *gazPlace, reg string) {
	for i, r := range outer {
		if r.names {
			return nil, ""
		}
		if r.at != nil {
			return r.at, r.at.full
		}
		if r.region != "" && len(r.romanNames) == 0 {
			reg = r.region
			for _, o := range outer[i+1:] {
				if o.region == "" || o.names || len(o.romanNames) > 0 || !strings.HasSuffix(reg, "区") && !strings.HasSuffix(reg, "县") {
					break
				}
				if g.placeOfZh(o.region+reg) != nil || strings.HasSuffix(o.region, "市") && strings.HasSuffix(reg, "区") {
					reg = o.region + reg // 上海市/普陀区 → 上海市普陀区
				}
				break
			}
			if p := g.placeOfZh(reg); p != nil {
				return p, p.full
			}
			return nil, reg
		}
	}
	return nil, ""
}
