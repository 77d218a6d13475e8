package sim

import (
	"errors"
	"strings"
)

// ErrInvalidScenario is what every ValidationErrors matches with errors.Is.
var ErrInvalidScenario = errors.New("invalid scenario")

// FieldError is one problem with one key of a scenario: what package
// scenarios' validation and an extension's Check (through a Checker) report.
type FieldError struct {
	// Path is the key's YAML path, e.g. providers[2].pricing.strategy or
	// tenants[0].regions.us-east; package scenarios turns it into a line.
	Path string
	// Problem says what is wrong with the value, Hint what would be right.
	Problem, Hint string
}

func (e FieldError) Error() string {
	if e.Hint == "" {
		return e.Path + ": " + e.Problem
	}
	return e.Path + ": " + e.Problem + "; " + e.Hint
}

// ValidationErrors is every problem a validation found, in schema order.
type ValidationErrors []FieldError

func (v ValidationErrors) Error() string {
	lines := make([]string, len(v))
	for i, e := range v {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Is makes errors.Is(err, ErrInvalidScenario) true.
func (v ValidationErrors) Is(target error) bool { return target == ErrInvalidScenario }
