package manifest

import (
	"errors"
	"github.com/akash-market/akash/core/money"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// Size suffixes Akash accepts for memory, storage (and our bandwidth): the
// binary ones are powers of 1024, the decimal ones powers of 1000. They are
// case-sensitive: "Gi" and "G" are units, "gi", "GB" and "Gb" are not.
var sizeSuffixes = []struct {
	suffix string
	mult   uint64
	binary bool
}{
	// two-letter suffixes first so "Mi" is not read as "M" + "i"
	{"Ki", 1 << 10, true},
	{"Mi", 1 << 20, true},
	{"Gi", 1 << 30, true},
	{"Ti", 1 << 40, true},
	{"Pi", 1 << 50, true},
	{"Ei", 1 << 60, true},
	{"k", 1e3, false},
	{"M", 1e6, false},
	{"G", 1e9, false},
	{"T", 1e12, false},
	{"P", 1e15, false},
	{"E", 1e18, false},
}

var (
	errNegative = errors.New("negative")
	errOverflow = errors.New("too large")
	errNumber   = errors.New("not a number")
)

// parseSize reads a byte quantity as Akash does: a decimal number (with an
// optional fraction and exponent, e.g. "1.5", "1e3") and an optional suffix
// from sizeSuffixes; no suffix means bytes. Akash reads the number as a
// float64, multiplies it by the suffix's value in float64 and truncates the
// product to an integer; parseSize computes exactly that result with exact
// arithmetic (akashFloat), so "4.35G" is 4349999999 bytes here as there.
// binaryOnly restricts the suffixes to Ki..Ei (GPU RAM).
func parseSize(s string, binaryOnly bool) (uint64, error) {
	num, mult := s, uint64(1)
	for _, u := range sizeSuffixes {
		if strings.HasSuffix(s, u.suffix) {
			if binaryOnly && !u.binary {
				break
			}
			num, mult = s[:len(s)-len(u.suffix)], u.mult
			break
		}
	}
	return akashFloat(num, mult)
}

// parseCPU reads cpu units as Akash does: "250m" is 250 millicores (a whole
// number); any other value is a number of cores ("0.5", 2, "1.5e1"), read as
// a float64, multiplied by 1000 in float64 and truncated ("1.001" is 1000m,
// as on Akash). Akash then wraps values of 2^32 millicores or more around;
// parseCPU refuses them.
func parseCPU(s string) (uint64, error) {
	if m, ok := strings.CutSuffix(s, "m"); ok {
		if m == "" || !allDigits(m) {
			return 0, errNumber
		}
		v, err := strconv.ParseUint(m, 10, 32)
		if err != nil {
			return 0, errOverflow
		}
		return v, nil
	}
	v, err := akashFloat(s, 1000)
	if err == nil && v > math.MaxUint32 {
		return 0, errOverflow
	}
	return v, err
}

// akashFloat returns uint64(ParseFloat(s, 64) * float64(mult)), the way Go
// evaluates it in Akash's SDL parser, without using floating-point hardware:
// the decimal s is rounded to the nearest float64 (53-bit significand, ties
// to even), multiplied by mult with the same rounding, and truncated. s is a
// decimal literal: [+|-] digits [. digits] [(e|E) [+|-] digits], either side
// of the point may be empty but not both. Hexadecimal floats, "inf" and
// "nan", which ParseFloat also reads, are refused (errNumber), as are
// negative values (errNegative; "-0" is 0, as in Akash) and results of 2^64
// or more (errOverflow). mult is at most 2^60 (every unit is exact in float64).
func akashFloat(s string, mult uint64) (uint64, error) {
	neg := false
	body := s
	if body != "" && (body[0] == '+' || body[0] == '-') {
		neg = body[0] == '-'
		body = body[1:]
	}
	mant, exp := body, ""
	if i := strings.IndexAny(body, "eE"); i >= 0 {
		mant, exp = body[:i], body[i+1:]
		if e := strings.TrimLeft(exp, "+-"); len(exp)-len(e) > 1 || e == "" || !allDigits(e) {
			return 0, errNumber
		}
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	if intPart == "" && frac == "" || !allDigits(intPart) || !allDigits(frac) {
		return 0, errNumber
	}
	digits := strings.TrimLeft(intPart+frac, "0")
	if digits == "" {
		return 0, nil // any zero, "-0" included
	}
	if neg && !underflowsToZero(body) {
		return 0, errNegative
	}
	if neg {
		return 0, nil // so small that Akash's float64 reads it as -0, which is not negative
	}
	// The value is digits × 10^exp10. Bound it before exact arithmetic so a
	// literal such as 1e999999 costs nothing: at 10^21 and above the result
	// overflows whatever the unit; below 10^-40 it truncates to 0.
	exp10 := -len(frac)
	if exp != "" {
		e, err := strconv.Atoi(exp)
		if err != nil || e > 1000 || e < -1000 {
			if strings.HasPrefix(exp, "-") {
				return 0, nil
			}
			return 0, errOverflow
		}
		exp10 += e
	}
	if len(digits) > 400 {
		return 0, errNumber // no one writes a size with 400 significant digits
	}
	magnitude := len(digits) + exp10 // the value is below 10^magnitude
	if magnitude > 21 {
		return 0, errOverflow
	}
	if magnitude < -40 {
		return 0, nil
	}
	// fast path: a whole number whose product stays below 2^53 is exact in
	// float64, so no rounding happens
	if exp10 >= 0 && magnitude <= 15 {
		v, _ := strconv.ParseUint(digits, 10, 64)
		for range exp10 {
			v *= 10
		}
		if v < 1<<53 && (mult == 0 || v <= (1<<53)/mult) {
			return v * mult, nil
		}
	}
	var r big.Rat
	if _, ok := r.SetString(digits + "e" + strconv.Itoa(exp10)); !ok {
		return 0, errNumber
	}
	f := new(big.Float).SetPrec(53).SetMode(big.ToNearestEven).SetRat(&r)
	f.Mul(f, new(big.Float).SetUint64(mult))
	v, acc := f.Uint64()
	if acc == big.Below && v == math.MaxUint64 || f.Cmp(twoTo64) >= 0 {
		return 0, errOverflow
	}
	return v, nil
}

var twoTo64 = new(big.Float).SetMantExp(big.NewFloat(1), 64)

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// scaleDecimal returns floor(s × mult × 10^shift) for a decimal literal s of
// the form [+]digits[.digits][(e|E)[+-]digits] (or .digits). It never uses
// floats and refuses inputs whose size could make the arithmetic expensive.
func scaleDecimal(s string, mult uint64, shift int) (uint64, error) {
	if s == "" {
		return 0, errNumber
	}
	switch s[0] {
	case '-':
		if len(s) > 1 {
			if _, err := scaleDecimal(s[1:], 1, 0); err == nil {
				return 0, errNegative
			}
		}
		return 0, errNumber
	case '+':
		s = s[1:]
	}
	mant, exp := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant = s[:i]
		e := s[i+1:]
		if e != "" && (e[0] == '+' || e[0] == '-') {
			if len(e) == 1 || !allDigits(e[1:]) {
				return 0, errNumber
			}
		} else if e == "" || !allDigits(e) {
			return 0, errNumber
		}
		if len(e) > 4 {
			return 0, errOverflow
		}
		v, err := strconv.Atoi(e)
		if err != nil {
			return 0, errNumber
		}
		exp = v
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	if intPart == "" && frac == "" || !allDigits(intPart) || !allDigits(frac) {
		return 0, errNumber
	}
	digits := strings.TrimLeft(intPart+frac, "0")
	exp10 := exp + shift - len(frac)
	if digits == "" {
		return 0, nil
	}
	// A value with more than 20 significant integer digits overflows uint64
	// whatever the unit; refusing early keeps big.Int sizes small.
	if len(digits)+exp10 > 21 {
		return 0, errOverflow
	}
	if len(digits) > 60 || exp10 < -80 {
		// so small a value rounds down to zero; so long a literal is not a size
		if len(digits)+exp10 <= 0 {
			return 0, nil
		}
		return 0, errNumber
	}
	// fast path: plain integers that fit
	if exp10 >= 0 && len(digits)+exp10 <= 19 {
		v, _ := strconv.ParseUint(digits, 10, 64)
		for range exp10 {
			v *= 10
		}
		if mult != 0 && v > math.MaxUint64/mult {
			return 0, errOverflow
		}
		return v * mult, nil
	}
	var n big.Int
	n.SetString(digits, 10)
	n.Mul(&n, new(big.Int).SetUint64(mult))
	p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(exp10))), nil)
	if exp10 >= 0 {
		n.Mul(&n, p)
	} else {
		n.Quo(&n, p)
	}
	if !n.IsUint64() {
		return 0, errOverflow
	}
	return n.Uint64(), nil
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// sizeHint explains how to write a size the parser refused.
func sizeHint(s string, binaryOnly bool) string {
	unit := strings.TrimLeft(s, "+-0123456789.eE")
	if binaryOnly {
		return "write a whole number with a binary suffix Ki, Mi, Gi, Ti, Pi or Ei, e.g. 80Gi"
	}
	base := "write a number with an optional suffix: Ki Mi Gi Ti Pi Ei (powers of 1024) or k M G T P E (powers of 1000), e.g. 512Mi or 1.5Gi"
	if unit == "" {
		return base
	}
	l := strings.ToLower(strings.TrimSuffix(strings.TrimSuffix(unit, "B"), "b"))
	for _, u := range sizeSuffixes {
		if strings.ToLower(u.suffix) == l || (!u.binary && strings.ToLower(u.suffix) == l) {
			return "unit " + strconv.Quote(unit) + " is not accepted (units are case-sensitive and take no B); " +
				"use " + suggest(l) + "; " + base
		}
	}
	return "unit " + strconv.Quote(unit) + " is not accepted; " + base
}

func suggest(l string) string {
	up := strings.ToUpper(l[:1])
	if l == "k" || l == "ki" {
		up = "K"
	}
	if strings.HasSuffix(l, "i") {
		return up + "i (binary)"
	}
	dec := up
	if up == "K" {
		dec = "k"
	}
	return up + "i (binary, 1024-based) or " + dec + " (decimal)"
}

// ParseSize reads a byte quantity the way a manifest's memory and storage sizes
// are read ("512Mi", "1.5G", "100"), for tools that take sizes in the same
// notation (the simulator's scenarios).
func ParseSize(s string) (uint64, error) { return parseSize(s, false) }

// ParseCPU reads cpu units the way a manifest does ("0.5", "2", "250m") and
// returns millicores.
func ParseCPU(s string) (uint64, error) { return parseCPU(s) }

var errAmountPoint = errors.New("needs digits on both sides of the decimal point (write 100 or 100.0, 0.5)")

// parseAmount reads a price amount as Akash does (cosmos-sdk's
// LegacyNewDecFromStr): decimal digits with at most one point, digits on
// both sides of it ("100." and ".5" are refused), at most 18 after it, an
// optional leading '+'; no exponent, no spaces, no underscores. A negative
// amount is refused.
func parseAmount(s string) (money.Dec, error) {
	body, neg := strings.CutPrefix(s, "-")
	intPart, frac, dot := strings.Cut(body, ".")
	if dot && (intPart == "" || frac == "") {
		return money.Dec{}, errAmountPoint
	}
	if sign := strings.TrimLeft(intPart, "+-"); len(intPart)-len(sign) <= 1 {
		neg = neg || strings.HasPrefix(intPart, "-")
		intPart = sign
	}
	if intPart == "" && frac == "" || !allDigits(intPart) || !allDigits(frac) {
		return money.Dec{}, errNumber
	}
	if neg && strings.Trim(intPart+frac, "0") != "" {
		return money.Dec{}, errNegative
	}
	if dot {
		return money.ParseDec(intPart + "." + frac)
	}
	return money.ParseDec(intPart)
}

// underflowsToZero reports whether the decimal body (no sign) rounds to zero
// as a float64 (below half the smallest subnormal, about 2.47e-324), exactly:
// the value is parsed at high precision and converted with float64's
// rounding, subnormals included.
func underflowsToZero(body string) bool {
	f, _, err := big.ParseFloat(body, 10, 2048, big.ToNearestEven)
	if err != nil {
		return false
	}
	x, _ := f.Float64()
	return x == 0
}
