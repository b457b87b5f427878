package samrad

import (
	"fmt"
	"math"
	"strings"
)

// Money is an amount in øre (1/100 NOK). Money is never floating point.
type Money int64

// NOK returns whole kroner as Money.
func NOK(kr int64) Money { return Money(kr * 100) }

// String formats m as a plain decimal with two decimals: "2020407.00".
func (m Money) String() string {
	sign := ""
	v := int64(m)
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}

// Norwegian formats m the Norwegian way: "2 020 407,00" (with narrow no-break spaces).
func (m Money) Norwegian() string {
	return groupThousands(m.String(), "\u00a0", ",")
}

// English formats m as "2,020,407.00".
func (m Money) English() string {
	return groupThousands(m.String(), ",", ".")
}

func groupThousands(plain, sep, dec string) string {
	sign := ""
	if strings.HasPrefix(plain, "-") {
		sign, plain = "-", plain[1:]
	}
	whole, frac, _ := strings.Cut(plain, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	return sign + b.String() + dec + frac
}

// ParseMoney parses a decimal amount in kroner with at most two decimals:
// "1.50", "1,50", "2020407", "-3.1". Spaces as thousands separators are allowed.
func ParseMoney(s string) (Money, error) {
	t := strings.TrimSpace(s)
	t = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(t)
	if t == "" {
		return 0, fmt.Errorf("empty amount")
	}
	neg := false
	if t[0] == '-' {
		neg, t = true, t[1:]
	}
	t = strings.Replace(t, ",", ".", 1)
	whole, frac, hasFrac := strings.Cut(t, ".")
	if whole == "" || (hasFrac && (len(frac) == 0 || len(frac) > 2)) {
		return 0, fmt.Errorf("%q is not an amount with at most two decimals", s)
	}
	// Øre are the digits of the kroner and of the decimals padded to two:
	// the bound is checked on the amount as stored, not before the padding.
	var v int64
	for _, r := range whole + (frac + "00")[:2] {
		if r < '0' || r > '9' {
			return 0, fmt.Errorf("%q is not an amount with at most two decimals", s)
		}
		if v > (math.MaxInt64-int64(r-'0'))/10 {
			return 0, fmt.Errorf("%q is too large", s)
		}
		v = v*10 + int64(r-'0')
	}
	if neg {
		v = -v
	}
	return Money(v), nil
}
