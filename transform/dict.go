package transform

import (
	"bufio"
	"embed"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

//go:embed dict/*.tsv dict/*.txt
var dictFS embed.FS

// Dictionary maps classification names to codes, by fiscal year.
// Entries carry the years in which a name was in force, because the
// classification is revised (e.g. 医疗卫生与计划生育支出 became 卫生健康支出 in 2019).
type Dictionary struct {
	entries map[string][]dictEntry // by normalized name
	once    sync.Once
	byCode  map[string][]string // code → names, built on first NameOf
}

type dictEntry struct {
	code     string
	from, to int // inclusive; 0 = open
}

// Lookup returns the code of name in force in year, or "" when unknown.
// A name whose years do not match still resolves when it is the only entry,
// since a department may keep an older label.
func (d *Dictionary) Lookup(name string, year int) string {
	es := d.entries[dictKey(name)]
	for _, e := range es {
		if (e.from == 0 || year >= e.from) && (e.to == 0 || year <= e.to) {
			return e.code
		}
	}
	if len(es) > 0 {
		return es[0].code
	}
	return ""
}

// Nearest returns the dictionary name closest to name when it is a
// plausible misreading of exactly one entry: one character off (two for
// names of seven or more), and no other entry as close. "" otherwise.
// Names under four characters are too short to place this way, unless
// within is a class code (301): then only that class's items are
// candidates, and a three-character name one character off (本工资 for
// 基本工资 under 工资福利支出) is placed too.
func (d *Dictionary) Nearest(name, within string) (string, string) {
	k := dictKey(name)
	n := len([]rune(k))
	if n < 4 && (within == "" || n < 3) {
		return "", ""
	}
	limit := 1
	if n >= 7 {
		limit = 2
	}
	best, bestCode, bestD, ties := "", "", limit+1, 0
	for key, es := range d.entries {
		if abs(len([]rune(key))-n) > limit || within != "" && (!strings.HasPrefix(es[0].code, within) || es[0].code == within) {
			continue
		}
		dist := editOps(k, key)
		switch {
		case dist < bestD:
			best, bestCode, bestD, ties = key, es[0].code, dist, 1
		case dist == bestD:
			ties++
		}
	}
	if best == "" || ties > 1 {
		return "", ""
	}
	return best, bestCode
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func dictKey(s string) string {
	s = strings.NewReplacer("(", "（", ")", "）", " ", "", "\u3000", "").Replace(s)
	return s
}

func loadDictionary(file string) (*Dictionary, error) {
	f, err := dictFS.Open("dict/" + file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	d := &Dictionary{entries: map[string][]dictEntry{}}
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		t := sc.Text()
		if strings.HasPrefix(t, "#") || strings.HasPrefix(t, "code\t") || strings.TrimSpace(t) == "" {
			continue
		}
		p := strings.Split(t, "\t")
		if len(p) != 4 {
			return nil, fmt.Errorf("dict/%s:%d: want 4 fields, got %d", file, n, len(p))
		}
		from, err1 := strconv.Atoi(p[2])
		to, err2 := strconv.Atoi(p[3])
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("dict/%s:%d: bad year", file, n)
		}
		k := dictKey(p[1])
		d.entries[k] = append(d.entries[k], dictEntry{code: p[0], from: from, to: to})
	}
	return d, sc.Err()
}

var (
	// FunctionClasses are the 支出功能分类 类 names.
	FunctionClasses = mustDict("function_classes.tsv")
	// EconomicClasses are the 部门预算支出经济分类 names.
	EconomicClasses = mustDict("economic_classes.tsv")
)

func mustDict(file string) *Dictionary {
	d, err := loadDictionary(file)
	if err != nil {
		panic(err) // embedded at build time; a bad file is a programming error
	}
	return d
}
