package trace

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
)

// flushAt is how much the Writer buffers before it writes. It writes only
// whole lines, so whatever reached the file is a valid trace prefix.
const flushAt = 256 << 10

// Writer writes a trace. Write buffers whole records; errors are sticky
// (the first one is kept, later writes do nothing) and reported by Err and
// Close, so a simulator can call Write on its hot path without checking each
// call. A Writer is not safe for concurrent use (the simulator is
// single-threaded).
type Writer struct {
	out   io.Writer
	file  *os.File // nil unless Create opened it: then Close syncs and closes it
	path  string
	buf   bytes.Buffer
	enc   *json.Encoder
	n     int64 // records written, header included
	limit int64 // 0: none
	trunc bool
	err   error
}

// Create opens path (truncating it) for a trace. limit > 0 caps the records
// after the header: the limit-th is followed by a truncated record and the
// rest of the run is not written.
func Create(path string, limit int64) (*Writer, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("trace: %w", err)
	}
	w := NewWriter(f, limit)
	w.file, w.path = f, path
	return w, nil
}

// NewWriter writes a trace to out; Close flushes but does not close out.
func NewWriter(out io.Writer, limit int64) *Writer {
	w := &Writer{out: out, limit: max(limit, 0), path: "trace"}
	w.enc = json.NewEncoder(&w.buf)
	w.enc.SetEscapeHTML(false)
	return w
}

// Write appends one record (a line). The first record must be the header.
func (w *Writer) Write(r *Record) {
	if w.err != nil || w.trunc {
		return
	}
	if (w.n == 0) != (r.Kind == KindHeader) {
		w.err = fmt.Errorf("trace %s: record %d is a %s record; a trace has exactly one header, first", w.path, w.n+1, r.Kind)
		return
	}
	if w.limit > 0 && w.n > w.limit && r.Kind != KindEnd {
		w.trunc = true
		r = &Record{Kind: KindTruncated, Height: r.Height, Truncated: &Truncated{Limit: w.limit}}
	}
	mark := w.buf.Len()
	if err := w.enc.Encode(r); err != nil {
		w.buf.Truncate(mark) // keep only whole lines
		w.err = fmt.Errorf("trace %s: encode %s record %d: %w", w.path, r.Kind, w.n+1, err)
		return
	}
	w.n++
	if w.buf.Len() >= flushAt {
		w.flush()
	}
}

// Records is how many records were written so far, header included.
func (w *Writer) Records() int64 { return w.n }

// Truncated reports whether the limit cut the trace short.
func (w *Writer) Truncated() bool { return w.trunc }

// Err is the first error so far.
func (w *Writer) Err() error { return w.err }

func (w *Writer) flush() {
	if w.err != nil || w.buf.Len() == 0 {
		return
	}
	if _, err := w.out.Write(w.buf.Bytes()); err != nil {
		w.err = fmt.Errorf("trace %s: write: %w", w.path, err)
	}
	w.buf.Reset()
}

// Close writes what is buffered and, for a file from Create, syncs it to disk
// and closes it. It returns the first error of the whole trace.
func (w *Writer) Close() error {
	w.flush()
	if w.file != nil {
		if err := w.file.Sync(); err != nil && w.err == nil {
			w.err = fmt.Errorf("trace %s: fsync: %w", w.path, err)
		}
		if err := w.file.Close(); err != nil && w.err == nil {
			w.err = fmt.Errorf("trace %s: close: %w", w.path, err)
		}
		w.file = nil
	}
	return w.err
}
