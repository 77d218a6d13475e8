package sim

import "strings"

// rowWriter formats a table's rows into large shared chunks: each cell is
// a slice of one chunk's string, so a table of a million rows costs a few
// allocations a megabyte rather than one or more a cell (orders.csv; see
// docs/simulator.md, "Where the time and the bytes go").
type rowWriter struct {
	b     strings.Builder
	start int
	ends  []int
	num   [48]byte // numbers are formatted here, then copied into the chunk
	left  int      // bytes the table's rows may still need, about: caps a chunk's size
}

// newRowWriter is a writer for rows rows of about rowBytes each.
func newRowWriter(rows, rowBytes int) rowWriter {
	return rowWriter{left: rows * rowBytes}
}

// rowChunk is the size of one chunk; a row is a few hundred bytes.
const rowChunk = 1 << 20

// begin starts a row, in a new chunk if the current one is nearly full.
func (r *rowWriter) begin() {
	if r.b.Cap()-r.b.Len() < 1024 {
		n := min(rowChunk, max(r.left, 0)+1024)
		r.left -= n
		r.b = strings.Builder{}
		r.b.Grow(n)
	}
	r.start = r.b.Len()
	r.ends = r.ends[:0]
}

// mark ends the current cell at what has been written so far.
func (r *rowWriter) mark() { r.ends = append(r.ends, r.b.Len()) }

// str writes a whole cell.
func (r *rowWriter) str(s string) {
	r.b.WriteString(s)
	r.mark()
}

// bytes writes a whole cell formatted into r.num.
func (r *rowWriter) bytes(p []byte) {
	r.b.Write(p)
	r.mark()
}

// finish slices the row's cells into row (one element per cell) and
// returns it. The cells share the chunk's memory, which is never written
// again: a chunk that had to grow left the earlier cells in its old array.
func (r *rowWriter) finish(row []string) []string {
	s := r.b.String()
	start := r.start
	for k, e := range r.ends {
		row[k] = s[start:e]
		start = e
	}
	return row
}
