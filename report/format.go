package report

import (
	"math/big"
	"strconv"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"
	"github.com/shopspring/decimal"
)

// Money is an amount in yuan, exact (DECIMAL from the warehouse); invalid
// when the warehouse has no figure.
type Money struct{ decimal.NullDecimal }

func money(d decimal.Decimal) Money { return Money{decimal.NullDecimal{Decimal: d, Valid: true}} }

// Wan is the amount in 万元 with two decimals and thousands separators, as
// the documents print it; "—" when there is no figure.
func (m Money) Wan() string {
	if !m.Valid {
		return "—"
	}
	return group(m.Decimal.Shift(-4).StringFixed(2))
}

// Yuan is the amount in 元 with two decimals and thousands separators.
func (m Money) Yuan() string {
	if !m.Valid {
		return "—"
	}
	return group(m.Decimal.StringFixed(2))
}

// Sort is the exact yuan figure for sorting a table; empty without a figure.
func (m Money) Sort() string {
	if !m.Valid {
		return ""
	}
	return m.Decimal.StringFixed(2)
}

// wanFloat is the amount in 万元 as a plotting value (never summed).
func (m Money) wanFloat() float64 {
	if !m.Valid {
		return 0
	}
	return m.Decimal.Shift(-4).InexactFloat64()
}

// Ratio is a derived figure (a share in percent, yuan per person) kept
// exact and shown with Places decimals.
type Ratio struct {
	decimal.NullDecimal
	Places int32
}

func (r Ratio) String() string {
	if !r.Valid {
		return "—"
	}
	return group(r.Decimal.StringFixed(r.Places))
}

// Signed is String with a leading + for growth.
func (r Ratio) Signed() string {
	if r.Valid && r.Decimal.IsPositive() {
		return "+" + r.String()
	}
	return r.String()
}

// Sort is the exact value for sorting a table; empty without a value.
func (r Ratio) Sort() string {
	if !r.Valid {
		return ""
	}
	return r.Decimal.String()
}

func (r Ratio) float() float64 {
	if !r.Valid {
		return 0
	}
	return r.Decimal.InexactFloat64()
}

// divide returns num/den rounded to places (0 denominators give no value).
func divide(num Money, den decimal.Decimal, places int32) Ratio {
	if !num.Valid || den.IsZero() {
		return Ratio{Places: places}
	}
	return Ratio{decimal.NullDecimal{Decimal: num.Decimal.DivRound(den, places), Valid: true}, places}
}

// share is part as a percent of whole, one decimal.
func share(part, whole Money) Ratio {
	if !part.Valid || !whole.Valid || whole.Decimal.IsZero() {
		return Ratio{Places: 1}
	}
	return Ratio{decimal.NullDecimal{Decimal: part.Decimal.Mul(decimal.NewFromInt(100)).DivRound(whole.Decimal, 1), Valid: true}, 1}
}

// Count is a whole number that may be unknown.
type Count struct {
	N     int64
	Valid bool
}

func (c Count) String() string {
	if !c.Valid {
		return "—"
	}
	return group(strconv.FormatInt(c.N, 10))
}

func (c Count) Sort() string {
	if !c.Valid {
		return ""
	}
	return strconv.FormatInt(c.N, 10)
}

// group inserts thousands separators into a plain decimal string.
func group(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if hasFrac {
		return sign + b.String() + "." + frac
	}
	return sign + b.String()
}

// Conversions of driver values (database/sql scans into any).

func asDecimal(v any) Money {
	switch x := v.(type) {
	case duckdb.Decimal:
		return money(decimal.NewFromBigInt(x.Value, -int32(x.Scale)))
	case *duckdb.Decimal:
		if x != nil {
			return money(decimal.NewFromBigInt(x.Value, -int32(x.Scale)))
		}
	case *big.Int:
		if x != nil {
			return money(decimal.NewFromBigInt(x, 0))
		}
	case int64:
		return money(decimal.NewFromInt(x))
	case int32:
		return money(decimal.NewFromInt(int64(x)))
	case string:
		if d, err := decimal.NewFromString(x); err == nil {
			return money(d)
		}
	}
	return Money{}
}

func asCount(v any) Count {
	switch x := v.(type) {
	case int64:
		return Count{x, true}
	case int32:
		return Count{int64(x), true}
	case int16:
		return Count{int64(x), true}
	case int8:
		return Count{int64(x), true}
	case uint64:
		return Count{int64(x), true}
	case *big.Int:
		if x != nil {
			return Count{x.Int64(), true}
		}
	}
	return Count{}
}

func asString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	case nil:
		return ""
	}
	return ""
}

func asBool(v any) bool {
	b, _ := v.(bool)
	return b
}
