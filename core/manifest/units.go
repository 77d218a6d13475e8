package manifest

import (
	"errors"
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

// parseSize reads a byte quantity: a decimal number (optionally with a
// fraction and an exponent, e.g. "1.5", "1e3") and an optional suffix from
// sizeSuffixes; no suffix means bytes. The result is rounded down to a whole
// byte, exactly (Akash computes it in binary floating point; for every value a person writes
// the two agree). binaryOnly restricts the suffixes to Ki..Ei (GPU RAM).
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
	return scaleDecimal(num, mult, 0)
}

// parseCPU reads cpu units: "250m" is 250 millicores; any other value is a
// number of cores ("0.5", 2, "1.5e1"), converted to millicores rounded down.
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
	v, err := scaleDecimal(s, 1000, 0)
	if err == nil && v > math.MaxUint32 {
		return 0, errOverflow
	}
	return v, err
}

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
