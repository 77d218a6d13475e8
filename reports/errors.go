package reports

import "errors"

// Sentinel errors; Write wraps them with the file, series or row concerned.
var (
	// ErrInvalidRun: the Run cannot be written as given (bad file name, ragged
	// table, series with mismatched lengths). The message names the field.
	ErrInvalidRun = errors.New("reports: invalid run")
	// ErrNotReportDir: the output directory exists, is not empty and does not
	// hold a previous report, so replacing it could destroy someone's files.
	ErrNotReportDir = errors.New("reports: refusing to replace a directory that is not a report")
	// ErrSummary: the summary could not be encoded as JSON.
	ErrSummary = errors.New("reports: summary is not encodable as JSON")
)
