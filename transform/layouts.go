package transform

import (
	"embed"
	"fmt"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
)

// Layouts as data: the titles of the standard tables of every region's
// layout, the column headers and what they hold, the row labels and the
// layout families live in transform/layouts/*.toml, so that reading the
// next region's documents is a data change. This file loads them and
// answers the questions the parser asks.

//go:embed layouts/*.toml
var layoutFiles embed.FS

// wordRule matches a squashed label: it equals one of Exact, contains one
// of Words or every word of one of All, and contains none of Not.
type wordRule struct {
	Exact []string   `toml:"exact"`
	Words []string   `toml:"words"`
	All   [][]string `toml:"all"`
	Not   []string   `toml:"not"`
}

func (w wordRule) matches(s string) bool {
	for _, n := range w.Not {
		if strings.Contains(s, n) {
			return false
		}
	}
	if slices.Contains(w.Exact, s) {
		return true
	}
	for _, x := range w.Words {
		if strings.Contains(s, x) {
			return true
		}
	}
	for _, all := range w.All {
		ok := len(all) > 0
		for _, x := range all {
			ok = ok && strings.Contains(s, x)
		}
		if ok {
			return true
		}
	}
	return false
}

type tableEntry struct {
	Key   string      `toml:"key"`
	Zh    string      `toml:"zh"`
	Match []titleRule `toml:"match"`
}

// titleRule matches a cleaned title: it contains every word of All, none
// of None, and ends with Suffix when given.
type titleRule struct {
	All    []string `toml:"all"`
	None   []string `toml:"none"`
	Suffix string   `toml:"suffix"`
}

func (r titleRule) matches(t string) bool {
	for _, w := range r.All {
		if !strings.Contains(t, w) {
			return false
		}
	}
	for _, w := range r.None {
		if strings.Contains(t, w) {
			return false
		}
	}
	return (r.Suffix == "" || strings.HasSuffix(t, r.Suffix)) && len(r.All)+len(r.None) > 0 || r.Suffix != "" && strings.HasSuffix(t, r.Suffix)
}

type familyEntry struct {
	Name      string   `toml:"name"`
	Stage     string   `toml:"stage"`
	WhenAll   []string `toml:"when_all"`
	WhenCount int      `toml:"when_count"`
	Tables    []string `toml:"tables"`
}

// columnEntry is one [[column]] of columns.toml.
type columnEntry struct {
	wordRule
	Role string `toml:"role"` // code | name | text; "" for amounts
	Key  string `toml:"key"`
	Zh   string `toml:"zh"`
	Kind string `toml:"kind"` // base (default) | prefix | suffix | percent
	Memo bool   `toml:"memo"`
	Weak bool   `toml:"weak"`
}

// rowEntry is one [[row]] of rows.toml: a row label and its role.
type rowEntry struct {
	wordRule
	Role string `toml:"role"`
	Zh   string `toml:"zh"`
}

// totalScope is one [[total_scope]] of columns.toml.
type totalScope struct {
	Total []string `toml:"total"`
	Parts []string `toml:"parts"`
}

type layoutData struct {
	Tables      []tableEntry  `toml:"table"`
	Families    []familyEntry `toml:"family"`
	Columns     []columnEntry `toml:"column"`
	Rows        []rowEntry    `toml:"row"`
	TotalScopes []totalScope  `toml:"total_scope"`
}

// layouts is the parsed data of transform/layouts; a malformed file is a
// build defect caught by every test.
var layouts = mustLoadLayouts()

func mustLoadLayouts() *layoutData {
	d, err := loadLayouts()
	if err != nil {
		panic(err)
	}
	return d
}

func loadLayouts() (*layoutData, error) {
	var all layoutData
	files, err := layoutFiles.ReadDir("layouts")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if f.Name() == "places.toml" {
			continue // the gazetteer of file-name identities: pathid.go loads it
		}
		b, err := layoutFiles.ReadFile("layouts/" + f.Name())
		if err != nil {
			return nil, err
		}
		var d layoutData
		md, err := toml.Decode(string(b), &d)
		if err != nil {
			return nil, fmt.Errorf("layouts/%s: %w", f.Name(), err)
		}
		if un := md.Undecoded(); len(un) > 0 {
			return nil, fmt.Errorf("layouts/%s: unknown keys %v", f.Name(), un)
		}
		all.Tables = append(all.Tables, d.Tables...)
		all.Families = append(all.Families, d.Families...)
		all.Columns = append(all.Columns, d.Columns...)
		all.Rows = append(all.Rows, d.Rows...)
		all.TotalScopes = append(all.TotalScopes, d.TotalScopes...)
	}
	for _, c := range all.Columns {
		switch {
		case c.Role != "" && c.Key != "":
			return nil, fmt.Errorf("layouts: column entry %q has both a role and a key", c.Key)
		case c.Role == "" && c.Key == "":
			return nil, fmt.Errorf("layouts: column entry %v has neither a role nor a key", c.Words)
		}
	}
	return &all, nil
}

// tableKeyOf is the key of a cleaned title (see ClassifyTitle), "" when it
// names no standard table.
func tableKeyOf(t string) string {
	for _, e := range layouts.Tables {
		for _, m := range e.Match {
			if m.matches(t) {
				return e.Key
			}
		}
	}
	return ""
}

// labelMeaning is what a header label says about its column.
type labelMeaning struct {
	role     string   // code | name | text, or "" for amounts
	base     string   // the base measure, "" when the label names none
	weak     bool     // the base is weak (see columns.toml)
	prefixes []string // prefix measures, in entry order
	suffixes []string
	percent  bool
	memo     bool
}

// meaningOf reads a squashed header label: the first role or base entry
// that matches, with every prefix and suffix entry that matches.
func meaningOf(label string) labelMeaning {
	m := meaningOfLabel(label)
	if m.empty() {
		// A label qualified in brackets the layouts do not list
		// (项目(按功能分类), 决算数（万元）) means what it says before them.
		if i := trailingBracket(label); i > 0 {
			return meaningOfLabel(label[:i])
		}
	}
	return m
}

func (m labelMeaning) empty() bool {
	return m.role == "" && m.base == "" && len(m.prefixes)+len(m.suffixes) == 0 && !m.percent
}

// trailingBracket is where a label's closing bracketed part starts, or -1.
func trailingBracket(label string) int {
	var open string
	switch {
	case strings.HasSuffix(label, "）"):
		open = "（"
	case strings.HasSuffix(label, ")"):
		open = "("
	default:
		return -1
	}
	i := strings.LastIndex(label, open)
	if i < 0 {
		i = strings.LastIndexAny(label, "（(")
	}
	return i
}

func meaningOfLabel(label string) labelMeaning {
	var m labelMeaning
	if label == "" {
		return m
	}
	decided := false
	for _, c := range layouts.Columns {
		if !c.matches(label) {
			continue
		}
		switch {
		case c.Kind == "prefix":
			m.prefixes = append(m.prefixes, c.Key)
			m.memo = m.memo || c.Memo
		case c.Kind == "suffix":
			m.suffixes = append(m.suffixes, c.Key)
			m.memo = m.memo || c.Memo
		case decided:
		case c.Kind == "percent":
			m.percent, decided = true, true
		case c.Role != "":
			if len(m.prefixes)+len(m.suffixes) == 0 {
				m.role = c.Role
			}
			decided = true
		default:
			m.base, m.weak, decided = c.Key, c.Weak, true
			m.memo = m.memo || c.Memo
		}
	}
	return m
}

// totalLike labels make their column the total of its header group.
func totalLike(label string) bool {
	for _, w := range []string{"合计", "小计", "总计", "总数", "总额"} {
		if strings.Contains(label, w) {
			return true
		}
	}
	return label == "金额"
}

// rowRole is the role layouts/rows.toml gives a row name (squashed, list
// numbering removed); "" for a classified item or an unknown label.
func rowRole(name string) string {
	n := squashSpace(name)
	if n == "" {
		return ""
	}
	for _, r := range layouts.Rows {
		if r.matches(n) {
			return r.Role
		}
	}
	return ""
}

// isTotalRole reports a role whose row is the sum of the rows above it.
func isTotalRole(role string) bool { return role == "total" || strings.HasSuffix(role, "_total") }

// scopeOf is the words a qualified total's members must hold (see
// [[total_scope]] in columns.toml); nil when the total sums every member.
func scopeOf(totalLabel string) []string {
	for _, sc := range layouts.TotalScopes {
		for _, w := range sc.Total {
			if strings.Contains(totalLabel, w) {
				return sc.Parts
			}
		}
	}
	return nil
}

// inScope reports whether a member's label holds one of the scope's words.
func inScope(label string, scope []string) bool {
	if scope == nil {
		return true
	}
	for _, w := range scope {
		if strings.Contains(label, w) {
			return true
		}
	}
	return false
}
