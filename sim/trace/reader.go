package trace

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// maxLine bounds one record. The largest a run writes is the end record
// (one wallet per provider: about 60 bytes each); 64 MiB holds a million.
const maxLine = 64 << 20

// Error is a malformed trace: which line and what is wrong with it.
type Error struct {
	Source string // file name, or "trace"
	Line   int
	Err    error
}

func (e *Error) Error() string { return fmt.Sprintf("%s:%d: %v", e.Source, e.Line, e.Err) }
func (e *Error) Unwrap() error { return e.Err }

// ErrTruncatedLine is a last line without its newline: the writer was
// stopped in the middle of a write (the lines before it are a valid prefix).
var ErrTruncatedLine = errors.New("the last line has no newline: the trace was cut off mid-record; the records before it are valid")

// ErrAfterEnd is a record after the end or truncated record.
var ErrAfterEnd = errors.New("record after the trace's end")

// Reader reads a trace record by record.
type Reader struct {
	in     *bufio.Reader
	source string
	line   int
	header Header
	done   Kind // KindEnd or KindTruncated once read
}

// NewReader reads and checks the header. source names the input in errors.
func NewReader(in io.Reader, source string) (*Reader, error) {
	if source == "" {
		source = "trace"
	}
	r := &Reader{in: bufio.NewReaderSize(in, 64<<10), source: source}
	rec, err := r.next()
	if err == io.EOF {
		return nil, &Error{source, 1, errors.New("empty trace: want a header line first")}
	}
	if err != nil {
		return nil, err
	}
	if rec.Kind != KindHeader {
		return nil, &Error{source, r.line, fmt.Errorf("first record is a %s record; a trace starts with its header", rec.Kind)}
	}
	r.header = *rec.Header
	return r, nil
}

// Header is the trace's header.
func (r *Reader) Header() Header { return r.header }

// Line is the line number of the record read last.
func (r *Reader) Line() int { return r.line }

// Next returns the next record, or io.EOF after the last one.
func (r *Reader) Next() (Record, error) {
	rec, err := r.next()
	if err != nil {
		return Record{}, err
	}
	if rec.Kind == KindHeader {
		return Record{}, &Error{r.source, r.line, errors.New("a second header; a trace has one, on its first line")}
	}
	if r.done != "" {
		return Record{}, &Error{r.source, r.line, fmt.Errorf("%w: a %s record follows the %s record", ErrAfterEnd, rec.Kind, r.done)}
	}
	if rec.Kind == KindEnd || rec.Kind == KindTruncated {
		r.done = rec.Kind
	}
	return rec, nil
}

// Complete reports whether the records read so far ended with the end
// record (the run finished and the trace was not truncated).
func (r *Reader) Complete() bool { return r.done == KindEnd }

func (r *Reader) next() (Record, error) {
	line, err := r.readLine()
	if err != nil {
		return Record{}, err
	}
	var rec Record
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rec); err != nil {
		return Record{}, &Error{r.source, r.line, fmt.Errorf("not a trace record: %w", err)}
	}
	if dec.More() {
		return Record{}, &Error{r.source, r.line, errors.New("more than one JSON value on the line; a trace has one record per line")}
	}
	if err := rec.Validate(); err != nil {
		return Record{}, &Error{r.source, r.line, err}
	}
	return rec, nil
}

// readLine returns the next line without its newline, or io.EOF.
func (r *Reader) readLine() ([]byte, error) {
	var line []byte
	for {
		chunk, err := r.in.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > maxLine {
			return nil, &Error{r.source, r.line + 1, fmt.Errorf("line longer than %d bytes; a record is far smaller", maxLine)}
		}
		switch {
		case err == nil:
			r.line++
			return line[:len(line)-1], nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == io.EOF:
			if len(line) == 0 {
				return nil, io.EOF
			}
			r.line++
			return nil, &Error{r.source, r.line, ErrTruncatedLine}
		default:
			return nil, &Error{r.source, r.line + 1, err}
		}
	}
}

// Trace is a whole trace in memory.
type Trace struct {
	Header   Header
	Records  []Record // after the header
	Complete bool     // ended with the end record
}

// Read reads a whole trace.
func Read(in io.Reader, source string) (*Trace, error) { return ReadChecked(in, source, nil) }

// ReadChecked reads a whole trace and calls check, if not nil, with the
// header and then with each record (and its line) before keeping it; an
// error from check stops the reading, so a caller can refuse a trace it
// cannot take before holding all of it in memory.
func ReadChecked(in io.Reader, source string, check func(h *Header, rec *Record, line int) error) (*Trace, error) {
	r, err := NewReader(in, source)
	if err != nil {
		return nil, err
	}
	t := &Trace{Header: r.Header()}
	if check != nil {
		if err := check(&t.Header, nil, 1); err != nil {
			return t, err
		}
	}
	for {
		rec, err := r.Next()
		if err == io.EOF {
			t.Complete = r.Complete()
			return t, nil
		}
		if err != nil {
			return t, err
		}
		if check != nil {
			if err := check(&t.Header, &rec, r.Line()); err != nil {
				return t, err
			}
		}
		t.Records = append(t.Records, rec)
	}
}

// ReadFile reads the trace in the file at path.
func ReadFile(path string) (*Trace, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("trace: %w", err)
	}
	defer f.Close()
	return Read(f, path)
}
