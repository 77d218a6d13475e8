package money

import (
	"errors"
	"fmt"
	"strings"

	"github.com/holiman/uint256"
)

// Precision is the number of fractional digits of a Dec.
const Precision = 18

// Dec is an exact non-negative decimal with Precision fractional digits.
// The zero value is 0.
type Dec struct {
	atto uint256.Int // value × 10^18
}

// one is 10^18 atto-units, the Dec value 1.
var one = uint256.NewInt(1_000_000_000_000_000_000)

// Errors returned by the arithmetic. Callers wrap them with what they were computing.
var (
	ErrOverflow  = errors.New("amount overflows 256-bit fixed point")
	ErrNegative  = errors.New("amount would be negative")
	ErrSyntax    = errors.New("not a decimal number")
	ErrPrecision = errors.New("more than 18 fractional digits")
)

// Zero is the Dec value 0.
func Zero() Dec { return Dec{} }

// NewDec returns the whole number n.
func NewDec(n uint64) Dec {
	var d Dec
	d.atto.Mul(uint256.NewInt(n), one) // 2^64 × 10^18 < 2^256: cannot overflow
	return d
}

// NewDecFromAtto returns n × 10^-18.
func NewDecFromAtto(n uint64) Dec {
	var d Dec
	d.atto.SetUint64(n)
	return d
}

// ParseDec reads a plain decimal such as "100", "0.5" or "1000.000000000000000000".
// It accepts no sign, exponent, separators or spaces; more than 18 fractional
// digits is an error rather than a silent rounding.
func ParseDec(s string) (Dec, error) {
	if s == "" {
		return Dec{}, fmt.Errorf("%w: empty", ErrSyntax)
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if hasDot && intPart == "" && frac == "" {
		return Dec{}, fmt.Errorf("%w: %q", ErrSyntax, s)
	}
	if intPart == "" {
		intPart = "0"
	}
	if !allDigits(intPart) || !allDigits(frac) {
		return Dec{}, fmt.Errorf("%w: %q (want digits with an optional '.', e.g. 0.5)", ErrSyntax, s)
	}
	if len(frac) > Precision {
		return Dec{}, fmt.Errorf("%w: %q", ErrPrecision, s)
	}
	digits := intPart + frac + strings.Repeat("0", Precision-len(frac))
	digits = strings.TrimLeft(digits, "0")
	if digits == "" {
		return Dec{}, nil
	}
	if len(digits) > 78 { // 2^256 has 78 digits
		return Dec{}, fmt.Errorf("%w: %q", ErrOverflow, s)
	}
	var d Dec
	if err := d.atto.SetFromDecimal(digits); err != nil {
		return Dec{}, fmt.Errorf("%w: %q", ErrOverflow, s)
	}
	return d, nil
}

// MustParseDec is ParseDec for constants in tests and examples; it panics on error.
func MustParseDec(s string) Dec {
	d, err := ParseDec(s)
	if err != nil {
		panic(err)
	}
	return d
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// String prints all 18 fractional digits, e.g. "0.500000000000000000", the
// form Akash's reference tools print.
func (d Dec) String() string {
	s := d.atto.Dec()
	if len(s) <= Precision {
		s = strings.Repeat("0", Precision+1-len(s)) + s
	}
	return s[:len(s)-Precision] + "." + s[len(s)-Precision:]
}

// ShortString prints the shortest exact form: "0.5", "100".
func (d Dec) ShortString() string {
	s := d.String()
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// MarshalText encodes the value as its String form.
func (d Dec) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText decodes a value written by MarshalText or any ParseDec input.
func (d *Dec) UnmarshalText(b []byte) error {
	v, err := ParseDec(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Cmp returns -1, 0 or +1 as d is less than, equal to or greater than e.
func (d Dec) Cmp(e Dec) int { return d.atto.Cmp(&e.atto) }

// Less reports d < e.
func (d Dec) Less(e Dec) bool { return d.atto.Lt(&e.atto) }

// Equal reports d == e.
func (d Dec) Equal(e Dec) bool { return d.atto.Eq(&e.atto) }

// IsZero reports d == 0.
func (d Dec) IsZero() bool { return d.atto.IsZero() }

// Add returns d + e, or ErrOverflow.
func (d Dec) Add(e Dec) (Dec, error) {
	var r Dec
	if _, over := r.atto.AddOverflow(&d.atto, &e.atto); over {
		return Dec{}, ErrOverflow
	}
	return r, nil
}

// Sub returns d − e, or ErrNegative when e > d.
func (d Dec) Sub(e Dec) (Dec, error) {
	var r Dec
	if _, under := r.atto.SubOverflow(&d.atto, &e.atto); under {
		return Dec{}, ErrNegative
	}
	return r, nil
}

// MulInt returns d × n, or ErrOverflow. Settlement uses it as price × blocks.
func (d Dec) MulInt(n uint64) (Dec, error) {
	var r Dec
	if _, over := r.atto.MulOverflow(&d.atto, uint256.NewInt(n)); over {
		return Dec{}, ErrOverflow
	}
	return r, nil
}

// QuoInt returns d ÷ n rounded down, and the remainder in atto-units that the
// division dropped (so callers can account for every unit). n must not be 0.
func (d Dec) QuoInt(n uint64) (q Dec, remAtto Dec) {
	if n == 0 {
		panic("money: division by zero")
	}
	if d.small() {
		q, r := quo128(&d, n)
		return q, NewDecFromAtto(r)
	}
	var r, m Dec
	r.atto.DivMod(&d.atto, uint256.NewInt(n), &m.atto)
	return r, m
}

// MulFrac returns d × num ÷ den rounded down, with a 512-bit intermediate so it
// cannot overflow when the result fits. den must not be 0. It computes take
// rates (num = basis points, den = 10000) and pro-rata shares.
func (d Dec) MulFrac(num, den uint64) (Dec, error) {
	if den == 0 {
		panic("money: division by zero")
	}
	if d.small() {
		q, _ := mulDiv128(&d, num, den)
		return q, nil
	}
	var r Dec
	if _, over := r.atto.MulDivOverflow(&d.atto, uint256.NewInt(num), uint256.NewInt(den)); over {
		return Dec{}, ErrOverflow
	}
	return r, nil
}

// Min returns the smaller of d and e.
func Min(d, e Dec) Dec {
	if d.Less(e) {
		return d
	}
	return e
}

// QuoFloor returns ⌊d ÷ e⌋ as a whole number of e's (how many blocks a balance
// pays at a price), saturating at MaxUint64. e must not be 0.
func (d Dec) QuoFloor(e Dec) uint64 {
	if e.IsZero() {
		panic("money: division by zero")
	}
	if d.small() && e.atto[1]|e.atto[2]|e.atto[3] == 0 {
		return quoFloor128(&d, e.atto[0])
	}
	var q uint256.Int
	q.Div(&d.atto, &e.atto)
	v, over := q.Uint64WithOverflow()
	if over {
		return ^uint64(0)
	}
	return v
}

// Atto returns the value in 10^-18 units as a decimal string (for encodings that
// want integers, such as protobuf Int fields).
func (d Dec) Atto() string { return d.atto.Dec() }

// Bytes32 returns the big-endian 256-bit atto-unit count, a fixed-width
// encoding for hashing and store keys.
func (d Dec) Bytes32() [32]byte { return d.atto.Bytes32() }
