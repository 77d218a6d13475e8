package runtime

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"sync"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/pkg/stdcopy"
)

// LogOptions select what Logs streams.
type LogOptions struct {
	Service    string // "" = every service of the lease
	Tail       int    // last lines per replica; 0 = all
	Follow     bool   // keep streaming until the context ends or the reader is closed
	Timestamps bool   // prefix each line with the engine's RFC 3339 timestamp
}

// Logs streams the output (stdout and stderr) of the lease's containers, one
// line at a time, each prefixed with "<service>-<replica> | ". Without Follow
// the replicas come one after the other, in service and replica order; with
// Follow their lines interleave as they arrive. Close the reader to stop.
func (d *Docker) Logs(ctx context.Context, lease LeaseRef, opt LogOptions) (io.ReadCloser, error) {
	f := leaseFilter(lease)
	f.Add("label", LabelRole+"="+roleContainer)
	if opt.Service != "" {
		f.Add("label", LabelService+"="+opt.Service)
	}
	cs, err := d.cli.ContainerList(ctx, container.ListOptions{All: true, Filters: f})
	if err != nil {
		return nil, fmt.Errorf("runtime: logs of lease %s: list containers: %w", lease, err)
	}
	if len(cs) == 0 {
		if opt.Service != "" {
			return nil, fmt.Errorf("lease %s, service %q: %w (check the service name against the manifest)", lease, opt.Service, ErrNoLease)
		}
		return nil, fmt.Errorf("lease %s: %w", lease, ErrNoLease)
	}
	type source struct {
		id, prefix, service string
		replica             int
	}
	srcs := make([]source, 0, len(cs))
	for _, c := range cs {
		r, _ := strconv.Atoi(c.Labels[LabelReplica])
		s := c.Labels[LabelService]
		srcs = append(srcs, source{id: c.ID, service: s, replica: r, prefix: fmt.Sprintf("%s-%d | ", s, r)})
	}
	sort.Slice(srcs, func(i, j int) bool {
		if srcs[i].service != srcs[j].service {
			return srcs[i].service < srcs[j].service
		}
		return srcs[i].replica < srcs[j].replica
	})

	tail := "all"
	if opt.Tail > 0 {
		tail = strconv.Itoa(opt.Tail)
	}
	ctx, cancel := context.WithCancel(ctx)
	pr, pw := io.Pipe()
	out := &lockedWriter{w: pw}
	copyOne := func(s source) error {
		rc, err := d.cli.ContainerLogs(ctx, s.id, container.LogsOptions{
			ShowStdout: true, ShowStderr: true, Follow: opt.Follow, Tail: tail, Timestamps: opt.Timestamps,
		})
		if err != nil {
			return fmt.Errorf("runtime: logs of %s: %w", s.prefix[:len(s.prefix)-3], err)
		}
		defer rc.Close()
		lw := &linePrefixer{prefix: []byte(s.prefix), out: out}
		// Containers run without a TTY, so the engine multiplexes stdout and
		// stderr into one framed stream; stdcopy takes it apart.
		_, err = stdcopy.StdCopy(lw, lw, rc)
		lw.Flush()
		if ctx.Err() != nil {
			return nil // the reader went away: not an error of the stream
		}
		return err
	}
	go func() {
		defer cancel()
		if !opt.Follow {
			for _, s := range srcs {
				if err := copyOne(s); err != nil {
					pw.CloseWithError(err)
					return
				}
			}
			pw.Close()
			return
		}
		var wg sync.WaitGroup
		errs := make(chan error, len(srcs))
		for _, s := range srcs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := copyOne(s); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		pw.CloseWithError(<-errs) // nil error (EOF) when all ended cleanly
	}()
	return &logReader{PipeReader: pr, cancel: cancel}, nil
}

// logReader stops the streams when closed.
type logReader struct {
	*io.PipeReader
	cancel context.CancelFunc
}

func (r *logReader) Close() error {
	r.cancel()
	return r.PipeReader.Close()
}

// lockedWriter lets several streams write whole lines to one pipe.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// linePrefixer writes each complete line of its input to out with a prefix,
// in a single Write, so lines of different replicas never mix. A last line
// without a newline is written by Flush, with one added.
type linePrefixer struct {
	prefix []byte
	out    io.Writer
	buf    []byte
	err    error
}

// maxLine bounds a buffered line: a workload that writes megabytes without a
// newline gets them cut into lines of this size rather than held in memory.
const maxLine = 64 << 10

func (l *linePrefixer) Write(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	l.buf = append(l.buf, p...)
	for {
		i := bytes.IndexByte(l.buf, '\n')
		if i < 0 && len(l.buf) < maxLine {
			break
		}
		n := i + 1
		if i < 0 {
			n = maxLine
		}
		l.emit(l.buf[:n])
		l.buf = l.buf[n:]
		if l.err != nil {
			return 0, l.err
		}
	}
	// Keep the partial line in a fresh slice so buf does not grow without bound.
	l.buf = append([]byte(nil), l.buf...)
	return len(p), nil
}

// Flush writes a pending partial line.
func (l *linePrefixer) Flush() {
	if len(l.buf) > 0 && l.err == nil {
		l.emit(l.buf)
		l.buf = nil
	}
}

func (l *linePrefixer) emit(line []byte) {
	msg := make([]byte, 0, len(l.prefix)+len(line)+1)
	msg = append(msg, l.prefix...)
	msg = append(msg, line...)
	if msg[len(msg)-1] != '\n' {
		msg = append(msg, '\n')
	}
	_, l.err = l.out.Write(msg)
}
