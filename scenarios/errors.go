package scenarios

import (
	"errors"

	"github.com/akash-market/akash/internal/yamlfile"
)

// Sentinels; every error this package returns matches one with errors.Is.
var (
	// ErrInvalid is matched by every Errors: the file, an override or the
	// scenario they describe is wrong.
	ErrInvalid = errors.New("invalid scenario")
	// ErrUnknownScenario is returned by Open for a name that is not shipped.
	ErrUnknownScenario = errors.New("unknown scenario")
)

// Error is one problem, placed where the person who wrote it can find it
// (file:line:col or the --set override, the key path, what is wrong and
// what would be right).
type Error = yamlfile.Error

// Errors is every problem Load found, one per line when printed.
type Errors []Error

func (es Errors) Error() string { return yamlfile.Lines(es) }

// Is makes errors.Is(err, ErrInvalid) true.
func (es Errors) Is(target error) bool { return target == ErrInvalid }
