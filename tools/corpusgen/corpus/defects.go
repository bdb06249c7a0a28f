package corpus

import (
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
)

// Defects are the errors an auditor looks for, injected into a document
// with their truth (DIR/truth/<doc>/defects.tsv): at most one per
// document, drawn from its own random source so that a corpus without
// defects is the same bytes as before. Each kind names the findings that
// must report it (tools/corpusgen/score: DefectChecks).
const (
	DefectHeadingYear     = "heading_year"     // 第三部分's heading states another year
	DefectNarrativeFigure = "narrative_figure" // the narrative's 人员经费 differs from the 基本支出 table
	DefectComparisonWord  = "comparison_word"  // 比上年增加 flipped to 减少 (its percent still 增长)
	DefectPlaceholder     = "placeholder"      // XX局, ××, 某某, 待填写 left in the text
	DefectBlankedTable    = "blanked_table"    // the “三公” table printed without figures, the text stating them
	DefectPartsSum        = "parts_sum"        // the “三公” 合计 ≠ its parts (the text states the 合计 printed)
	DefectEmptyNote       = "empty_note"       // the empty 国有资本经营 table without 空表说明, the narrative silent
	DefectWrongShare      = "wrong_share"      // 一般公共预算拨款收入's 占 P% misstated
	DefectDepartmentName  = "department_name"  // a sentence of the narrative names another department as its subject
)

// AllDefectKinds lists the defect kinds in report order.
var AllDefectKinds = []string{DefectHeadingYear, DefectNarrativeFigure, DefectComparisonWord, DefectPlaceholder,
	DefectBlankedTable, DefectPartsSum, DefectEmptyNote, DefectWrongShare, DefectDepartmentName}

// Defect is one injected error: its kind and the figure or word printed,
// which the finding that reports it must quote (Token).
type Defect struct {
	Kind  string
	Token string
	Note  string
}

// defectPlan is what the renderer changes for a document's defect.
type defectPlan struct {
	kind  string
	year  int    // heading_year: the year printed
	delta cents  // narrative_figure, parts_sum: added to the figure
	word  string // placeholder: the placeholder printed; department_name: the name
}

// drawDefect picks a defect for b among the enabled kinds that apply to
// it (a “三公” defect needs “三公” figures, a flipped word a change with a
// percent), or none.
func (b *budget) drawDefect(r *rand.Rand, rate float64, enabled []string) *defectPlan {
	if len(enabled) == 0 || r.Float64() >= rate {
		return nil
	}
	kinds := slices.Clone(enabled)
	r.Shuffle(len(kinds), func(i, j int) { kinds[i], kinds[j] = kinds[j], kinds[i] })
	three := b.reception + b.carRun
	for _, k := range kinds {
		p := &defectPlan{kind: k}
		switch k {
		case DefectHeadingYear:
			p.year = b.year + pick(r, []int{-1, 1})
		case DefectNarrativeFigure, DefectPartsSum:
			if k == DefectPartsSum && three == 0 {
				continue
			}
			p.delta = cents(between(r, 1, 500) * 100) // 0.01 to 5.00 万元 … whole 0.01s
		case DefectComparisonWord:
			if d := b.incomeTotal() - b.prior.incomeTotal; d == 0 || b.prior.incomeTotal == 0 {
				continue
			}
		case DefectPlaceholder:
			p.word = pick(r, []string{"XX局", "××单位", "某某局", "待填写"})
		case DefectBlankedTable:
			if three == 0 {
				continue
			}
		case DefectDepartmentName:
			// Another department of the same region (a copied paragraph).
			for _, i := range r.Perm(len(deptTypes)) {
				if n := b.dept.region + deptTypes[i].name; n != b.dept.name {
					p.word = n
					break
				}
			}
		case DefectWrongShare:
			if b.generalCurrentTotal() == 0 {
				continue
			}
		}
		return p
	}
	return nil
}

// defect is the document's defect plan of kind k, or nil.
func (w *docWriter) defect(k string) *defectPlan {
	if p := w.b.defect; p != nil && p.kind == k {
		return p
	}
	return nil
}

// recordDefect writes the defect's truth once its token is known.
func (w *docWriter) recordDefect(p *defectPlan, token, note string) {
	w.truth.Defects = append(w.truth.Defects, Defect{Kind: p.kind, Token: token, Note: note})
}

// flipChange turns the first direction word of a change (增加 ↔ 减少),
// leaving its percent's word as it was.
func flipChange(s string) (string, string) {
	for _, pair := range [][2]string{{"比上年增加", "比上年减少"}, {"比上年减少", "比上年增加"}} {
		if i := strings.Index(s, pair[0]); i >= 0 {
			return s[:i] + pair[1] + s[i+len(pair[0]):], pair[1][len("比上年"):]
		}
	}
	return s, ""
}

// shareOff is a share misstated by 0.10 to 0.99 points.
func shareOff(r *rand.Rand, part, whole cents) string {
	v := decimal.RequireFromString(pct(part, whole))
	off := decimal.New(int64(between(r, 10, 99)), -2)
	if v.Add(off).GreaterThan(hundred) {
		off = off.Neg()
	}
	return v.Add(off).StringFixed(2)
}
