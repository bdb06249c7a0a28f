package extract

import (
	"math"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/shopspring/decimal"
)

// Number formats of spreadsheet cells. A workbook stores a number as a
// binary double (330.23000000000002) and shows it through its cell's
// number format (0.00 → 330.23); what the disclosure says is what it
// shows. formatNumber renders a stored number the way Excel shows it:
// first to 15 significant digits (Excel's own precision), then to the
// decimals the format asks for, halves away from zero.

// builtinNumFmts are the number formats every workbook knows by id
// (ECMA-376 18.8.30, with the zh-CN forms of the locale-dependent dates).
var builtinNumFmts = map[int]string{
	0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00",
	5: `"¥"#,##0_);("¥"#,##0)`, 6: `"¥"#,##0_);[Red]("¥"#,##0)`, 7: `"¥"#,##0.00_);("¥"#,##0.00)`, 8: `"¥"#,##0.00_);[Red]("¥"#,##0.00)`,
	9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??",
	14: "yyyy/m/d", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM",
	20: "h:mm", 21: "h:mm:ss", 22: "yyyy/m/d h:mm",
	27: `yyyy"年"m"月"`, 28: `m"月"d"日"`, 29: `m"月"d"日"`, 30: "m-d-yy", 31: `yyyy"年"m"月"d"日"`,
	32: `h"时"mm"分"`, 33: `h"时"mm"分"ss"秒"`, 34: `上午/下午h"时"mm"分"`, 35: `上午/下午h"时"mm"分"ss"秒"`, 36: `yyyy"年"m"月"`,
	37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)", 39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;[Red](#,##0.00)",
	41: `_(* #,##0_);_(* (#,##0);_(* "-"_);_(@_)`, 42: `_("¥"* #,##0_);_("¥"* (#,##0);_("¥"* "-"_);_(@_)`,
	43: `_(* #,##0.00_);_(* (#,##0.00);_(* "-"??_);_(@_)`, 44: `_("¥"* #,##0.00_);_("¥"* (#,##0.00);_("¥"* "-"??_);_(@_)`,
	45: "mm:ss", 46: "[h]:mm:ss", 47: "mm:ss.0", 48: "##0.0E+0", 49: "@",
	50: `yyyy"年"m"月"`, 51: `m"月"d"日"`, 52: `yyyy"年"m"月"`, 53: `m"月"d"日"`, 54: `m"月"d"日"`,
	55: `上午/下午h"时"mm"分"`, 56: `上午/下午h"时"mm"分"ss"秒"`, 57: `yyyy"年"m"月"`, 58: `m"月"d"日"`,
}

// stored15 is a stored number as Excel shows it at most: 15 significant
// digits.
func stored15(v float64) decimal.Decimal {
	d, err := decimal.NewFromString(strconv.FormatFloat(v, 'g', 15, 64))
	if err != nil {
		return decimal.NewFromFloat(v)
	}
	return d
}

// shownNumber strips what a number format adds to digits.
var shownNumber = strings.NewReplacer(",", "", "%", "", " ", "")

// parsedFormat is a number format code split into its sections and
// tokenized, once per code: a workbook has few codes and many cells.
type parsedFormat struct {
	secs   []string
	tokens [][]fmtToken
}

var (
	parsedFormats sync.Map     // code → *parsedFormat
	nParsed       atomic.Int64 // codes kept: at most maxParsed, whatever the files
)

const maxParsed = 10000

func parseFormat(code string) *parsedFormat {
	if p, ok := parsedFormats.Load(code); ok {
		return p.(*parsedFormat)
	}
	p := &parsedFormat{secs: splitSections(code)}
	for _, sec := range p.secs {
		p.tokens = append(p.tokens, tokenize(sec))
	}
	if nParsed.Add(1) <= maxParsed {
		parsedFormats.Store(code, p)
	}
	return p
}

// formatNumber renders v through the number format code. It also reports
// whether the code is a date or time format.
func formatNumber(v float64, code string) (string, bool) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "", false
	}
	pc := parseFormat(code)
	secs := pc.secs
	tokens := pc.tokens[0]
	neg := v < 0
	switch {
	case len(secs) >= 3 && v == 0:
		tokens = pc.tokens[2]
	case len(secs) >= 2 && neg:
		tokens, v = pc.tokens[1], -v
		neg = false // the section prints its own sign, or none
	}
	// Conditions ([>=100]) are rare in disclosures: the sections are taken by sign.
	if isDateFormat(tokens) {
		return formatDate(v, tokens), true
	}
	hasDigits := false
	for _, t := range tokens {
		if t.kind == tkDigits {
			hasDigits = true
		}
	}
	if !hasDigits {
		lit := literalText(tokens, "")
		if strings.EqualFold(strings.TrimSpace(lit), "general") || strings.TrimSpace(lit) == "" || strings.Contains(strings.ToLower(lit), "general") {
			s := formatGeneral(v)
			if strings.Contains(strings.ToLower(lit), "general") {
				s = strings.Replace(strings.ToLower(lit), "general", s, 1)
			}
			if neg && len(secs) < 2 && !strings.HasPrefix(s, "-") {
				s = "-" + s
			}
			return strings.TrimSpace(s), false
		}
		return strings.TrimSpace(lit), false
	}
	s := formatDigits(v, tokens)
	if neg && s != "" && strings.ContainsAny(s, "123456789") {
		s = "-" + s
	}
	// A negative section that wraps the figure in brackets, (1,234.00),
	// shows a negative number: the sign is put back as a minus.
	if len(secs) >= 2 && strings.HasPrefix(strings.TrimSpace(s), "(") && strings.HasSuffix(strings.TrimSpace(s), ")") {
		s = "-" + strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(s), "("), ")")
	}
	return strings.TrimSpace(s), false
}

// formatGeneral is Excel's General format: up to 11 significant digits
// as the column allows, here 15 (the precision Excel keeps), without
// trailing zeros; very large or small numbers in scientific notation.
func formatGeneral(v float64) string {
	if v == 0 {
		return "0"
	}
	a := math.Abs(v)
	if a >= 1e15 || a < 1e-9 {
		return strconv.FormatFloat(v, 'E', -1, 64)
	}
	return stored15(v).String()
}

type tokKind int

const (
	tkLiteral tokKind = iota
	tkDigits          // a run of 0 # ? , . making the number
	tkPercent
	tkDate // y m d h s AM/PM
	tkText // @
	tkExp  // E+ E-
)

type fmtToken struct {
	kind tokKind
	s    string
}

// splitSections splits a format code at the semicolons outside quotes.
func splitSections(code string) []string {
	var out []string
	var cur strings.Builder
	inq := false
	rs := []rune(code)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == '"':
			inq = !inq
		case r == '\\' && !inq && i+1 < len(rs):
			cur.WriteRune(r)
			i++
			r = rs[i]
		case r == ';' && !inq:
			out = append(out, cur.String())
			cur.Reset()
			continue
		}
		cur.WriteRune(r)
	}
	out = append(out, cur.String())
	return out
}

// tokenize reads one section of a format code.
func tokenize(sec string) []fmtToken {
	var out []fmtToken
	rs := []rune(sec)
	add := func(k tokKind, s string) {
		if n := len(out); n > 0 && out[n-1].kind == k && (k == tkDigits || k == tkLiteral) {
			out[n-1].s += s
			return
		}
		out = append(out, fmtToken{k, s})
	}
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == '"':
			j := i + 1
			for j < len(rs) && rs[j] != '"' {
				j++
			}
			add(tkLiteral, string(rs[i+1:min(j, len(rs))]))
			i = j
		case r == '\\' && i+1 < len(rs):
			add(tkLiteral, string(rs[i+1]))
			i++
		case r == '_' && i+1 < len(rs): // the width of a character: padding
			i++
		case r == '*' && i+1 < len(rs): // fill with a character: none in text
			i++
		case r == '[':
			j := i + 1
			for j < len(rs) && rs[j] != ']' {
				j++
			}
			in := strings.ToLower(string(rs[i+1 : min(j, len(rs))]))
			if strings.HasPrefix(in, "h") || strings.HasPrefix(in, "m") && !strings.HasPrefix(in, "magenta") || strings.HasPrefix(in, "s") {
				add(tkDate, "["+in+"]") // elapsed time
			}
			// colors, conditions, locales ([$-804], [DBNum1]) print nothing
			i = j
		case r == '0' || r == '#' || r == '?' || r == '.' || r == ',':
			add(tkDigits, string(r))
		case r == '%':
			add(tkPercent, "%")
		case r == '@':
			add(tkText, "@")
		case (r == 'E' || r == 'e') && i+1 < len(rs) && (rs[i+1] == '+' || rs[i+1] == '-'):
			add(tkExp, string(rs[i:i+2]))
			i++
		case strings.ContainsRune("yYmMdDhHsS", r):
			j := i
			for j < len(rs) && unicodeLowerEq(rs[j], r) {
				j++
			}
			add(tkDate, strings.ToLower(string(rs[i:j])))
			i = j - 1
		case (r == 'A' || r == 'a') && strings.HasPrefix(strings.ToUpper(string(rs[i:])), "AM/PM"):
			add(tkDate, "am/pm")
			i += 4
		case strings.HasPrefix(string(rs[i:]), "上午/下午"):
			add(tkDate, "上午/下午")
			i += 4
		case r == 'G' || r == 'g':
			if strings.HasPrefix(strings.ToLower(string(rs[i:])), "general") {
				add(tkLiteral, "General")
				i += 6
			} else {
				add(tkLiteral, string(r))
			}
		default:
			add(tkLiteral, string(r))
		}
	}
	return out
}

func unicodeLowerEq(a, b rune) bool {
	return strings.EqualFold(string(a), string(b))
}

func isDateFormat(tokens []fmtToken) bool {
	for _, t := range tokens {
		if t.kind == tkDate {
			return true
		}
	}
	return false
}

func literalText(tokens []fmtToken, text string) string {
	var sb strings.Builder
	for _, t := range tokens {
		switch t.kind {
		case tkLiteral:
			sb.WriteString(t.s)
		case tkText:
			sb.WriteString(text)
		}
	}
	return sb.String()
}

// formatDigits renders v through a numeric section: the digit run's
// decimals, thousands separators, scaling commas, percent.
func formatDigits(v float64, tokens []fmtToken) string {
	// The number is the first digit run; a later run (after a literal, as
	// in fractions) is not a format disclosures use.
	di := -1
	for i, t := range tokens {
		if t.kind == tkDigits {
			di = i
			break
		}
	}
	digits := tokens[di].s
	pct := 0
	exp := false
	for _, t := range tokens {
		switch t.kind {
		case tkPercent:
			pct++
		case tkExp:
			exp = true
		}
	}
	if exp {
		return strconv.FormatFloat(v, 'E', max(0, decimalsOf(digits)), 64)
	}
	// Trailing commas scale by a thousand each (0.00, shows thousands).
	scale := 0
	for strings.HasSuffix(digits, ",") {
		scale++
		digits = digits[:len(digits)-1]
	}
	intPart, fracPart, _ := strings.Cut(digits, ".")
	group := strings.Contains(intPart, ",")
	intPart = strings.ReplaceAll(intPart, ",", "")
	minInt := strings.Count(intPart, "0")
	minFrac := strings.Count(fracPart, "0")
	maxFrac := len(strings.ReplaceAll(fracPart, ",", ""))

	d := stored15(v)
	if pct > 0 {
		d = d.Shift(int32(2 * pct))
	}
	if scale > 0 {
		d = d.Shift(int32(-3 * scale))
	}
	d = d.Abs().Round(int32(maxFrac)) // halves away from zero
	s := d.StringFixed(int32(maxFrac))
	ip, fp, _ := strings.Cut(s, ".")
	// optional decimals (#) drop trailing zeros down to the required ones
	for len(fp) > minFrac && strings.HasSuffix(fp, "0") {
		fp = fp[:len(fp)-1]
	}
	if ip == "0" && minInt == 0 {
		ip = ""
	}
	for len(ip) < minInt {
		ip = "0" + ip
	}
	if group && len(ip) > 3 {
		var sb strings.Builder
		for i, r := range ip {
			if i > 0 && (len(ip)-i)%3 == 0 {
				sb.WriteByte(',')
			}
			sb.WriteRune(r)
		}
		ip = sb.String()
	}
	num := ip
	if fp != "" || strings.Contains(digits, ".") && maxFrac > 0 && minFrac > 0 {
		num += "." + fp
	} else if strings.Contains(digits, ".") && fp == "" && maxFrac == 0 {
		num += "."
	}
	var sb strings.Builder
	placed := false
	for i, t := range tokens {
		switch t.kind {
		case tkLiteral:
			sb.WriteString(t.s)
		case tkPercent:
			sb.WriteByte('%')
		case tkDigits:
			if i == di && !placed {
				sb.WriteString(num)
				placed = true
			}
		}
	}
	return sb.String()
}

func decimalsOf(digits string) int {
	_, f, ok := strings.Cut(digits, ".")
	if !ok {
		return 0
	}
	return len(f)
}

// excelTime is the date and time a serial number stands for (the 1900
// date system, with Excel's fictitious 29 February 1900).
func excelTime(v float64, date1904 bool) time.Time {
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if date1904 {
		base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	} else if v < 61 {
		base = base.AddDate(0, 0, 1)
	}
	days := math.Floor(v)
	secs := math.Round((v - days) * 86400)
	return base.AddDate(0, 0, int(days)).Add(time.Duration(secs) * time.Second)
}

// formatDate renders a serial date through date tokens.
func formatDate(v float64, tokens []fmtToken) string {
	t := excelTime(v, false)
	ampm := false
	for _, tk := range tokens {
		if tk.kind == tkDate && (tk.s == "am/pm" || tk.s == "上午/下午") {
			ampm = true
		}
	}
	var sb strings.Builder
	for i, tk := range tokens {
		if tk.kind != tkDate {
			if tk.kind == tkLiteral || tk.kind == tkDigits {
				sb.WriteString(tk.s)
			}
			continue
		}
		// m after h or before s is minutes
		minute := false
		if strings.HasPrefix(tk.s, "m") {
			for j := i - 1; j >= 0; j-- {
				if tokens[j].kind == tkDate {
					minute = strings.HasPrefix(tokens[j].s, "h") || strings.HasPrefix(tokens[j].s, "[h")
					break
				}
			}
			for j := i + 1; j < len(tokens) && !minute; j++ {
				if tokens[j].kind == tkDate {
					minute = strings.HasPrefix(tokens[j].s, "s")
					break
				}
			}
		}
		switch {
		case tk.s == "yy":
			sb.WriteString(strconv.Itoa(t.Year() % 100))
		case strings.HasPrefix(tk.s, "y"):
			sb.WriteString(strconv.Itoa(t.Year()))
		case minute && len(tk.s) >= 2:
			sb.WriteString(pad2(t.Minute()))
		case minute:
			sb.WriteString(strconv.Itoa(t.Minute()))
		case tk.s == "m":
			sb.WriteString(strconv.Itoa(int(t.Month())))
		case tk.s == "mm":
			sb.WriteString(pad2(int(t.Month())))
		case tk.s == "mmm":
			sb.WriteString(t.Month().String()[:3])
		case strings.HasPrefix(tk.s, "mmmm"):
			sb.WriteString(t.Month().String())
		case tk.s == "d":
			sb.WriteString(strconv.Itoa(t.Day()))
		case tk.s == "dd":
			sb.WriteString(pad2(t.Day()))
		case tk.s == "ddd":
			sb.WriteString(t.Weekday().String()[:3])
		case strings.HasPrefix(tk.s, "dddd"):
			sb.WriteString(t.Weekday().String())
		case strings.HasPrefix(tk.s, "h"):
			h := t.Hour()
			if ampm {
				h = (h+11)%12 + 1
			}
			if len(tk.s) >= 2 {
				sb.WriteString(pad2(h))
			} else {
				sb.WriteString(strconv.Itoa(h))
			}
		case strings.HasPrefix(tk.s, "s"):
			if len(tk.s) >= 2 {
				sb.WriteString(pad2(t.Second()))
			} else {
				sb.WriteString(strconv.Itoa(t.Second()))
			}
		case tk.s == "am/pm":
			if t.Hour() < 12 {
				sb.WriteString("AM")
			} else {
				sb.WriteString("PM")
			}
		case tk.s == "上午/下午":
			if t.Hour() < 12 {
				sb.WriteString("上午")
			} else {
				sb.WriteString("下午")
			}
		case strings.HasPrefix(tk.s, "[h"):
			sb.WriteString(strconv.Itoa(int(v * 24)))
		}
	}
	return sb.String()
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// numberCellText is what a number cell shows, and the correction to
// record when that is not the number stored (330.23000000000002 shown as
// 330.23): the stored value is kept as the correction's raw value.
func numberCellText(v float64, stored, code string) (shown string, changed bool) {
	if code == "" {
		code = "General"
	}
	shown, isDate := formatNumber(v, code)
	if isDate {
		return shown, false
	}
	// the number the cell shows, read back
	num := shownNumber.Replace(shown)
	sd, err := decimal.NewFromString(num)
	if err != nil {
		return shown, false
	}
	if strings.Contains(shown, "%") {
		sd = sd.Shift(-2)
	}
	if strings.HasSuffix(strings.TrimSpace(parseFormat(code).secs[0]), ",") {
		return shown, false // scaled by thousands on purpose
	}
	st, err := decimal.NewFromString(stored)
	if err != nil {
		st = decimal.NewFromFloat(v)
	}
	return shown, !sd.Abs().Equal(st.Abs())
}
