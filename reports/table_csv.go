package reports

import (
	"encoding/csv"
	"io"
)

// writeCSV writes t as RFC 4180 CSV with "\n" line ends: the header row,
// then every row, cells verbatim.
func writeCSV(w io.Writer, t Table) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Header); err != nil {
		return err
	}
	for _, row := range t.Rows {
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
