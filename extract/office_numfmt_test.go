package extract

import (
	"strconv"
	"testing"
)

// TestNumberCellText: a stored number is shown as its cell's number
// format shows it, Excel's way (15 significant digits first, then the
// format's decimals, halves away from zero), and changed says whether
// what is shown differs from what is stored.
func TestNumberCellText(t *testing.T) {
	for _, c := range []struct {
		v       float64
		code    string
		shown   string
		changed bool
	}{
		{330.23000000000002, "0.00", "330.23", false}, // the double nearest 330.23: the same number
		{330.23000000000007, "0.00", "330.23", true},  // the next double up: float noise
		{30, "0.00", "30.00", false},
		{2939.54, "#,##0.00", "2,939.54", false},
		{1234567.891, "#,##0", "1,234,568", true},
		{2.675, "0.00", "2.68", true}, // stored 2.67499999999999982…; Excel shows 2.68
		{-2.5, "0", "-3", true},
		{0.5, "0%", "50%", false},
		{-1234.5, "#,##0.00;(#,##0.00)", "-1,234.50", false},
		{-7, `"¥"#,##0_);("¥"#,##0)`, "-¥7", false},
		{0, "0.00;-0.00;\"-\"", "-", false}, // a dash for zero: not a number to compare
		{110.68, "General", "110.68", false},
		{1e20, "General", "1E+20", false},
		{45658, "yyyy/m/d", "2025/1/1", false},
		{12, "@", "12", false},
	} {
		raw := strconv.FormatFloat(c.v, 'g', -1, 64)
		shown, changed := numberCellText(c.v, raw, c.code)
		if shown != c.shown || changed != c.changed {
			t.Errorf("%s through %q: %q (changed %v), want %q (%v)", raw, c.code, shown, changed, c.shown, c.changed)
		}
	}
}
