package reports

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// testHook, when set by a test, is called after each step of Write with the
// step's name ("file:<name>" once a file is written and synced, "staged" when
// the temporary directory is complete, "aside" when a previous report has been
// moved out of the way). An error it returns aborts Write at that point, the
// way a failing disk would; a test can also exit the process there, the way a
// crash would.
var testHook func(step string) error

func hook(step string) error {
	if testHook == nil {
		return nil
	}
	return testHook(step)
}

// Write writes run into the directory dir: summary.json, one CSV per table,
// one SVG per plot and report.html.
//
// Atomicity: everything is written into a fresh temporary directory beside
// dir (".<name>.tmp-*" in the same parent, so the final rename never crosses
// a file system), each file and the directory are fsynced, and only then is
// the directory renamed to dir. If dir already holds a report, it is renamed
// aside (".<name>.old-*"), the new one renamed in, the parent fsynced and the
// old one removed. A reader, or a crash, therefore sees at dir either nothing,
// the previous complete report, or the new complete report, never a mixture.
// The one window that is not a single rename is between the two renames of a
// replacement: a crash there leaves dir absent, with the previous report
// intact in .<name>.old-* and the new one in .<name>.tmp-*; resumable sweeps
// treat an absent dir as "not done" and rerun it. The next Write to dir
// removes such leftovers. One writer per dir at a time.
//
// Write refuses to replace an existing directory that is neither empty nor a
// report (no summary.json and report.html in it): ErrNotReportDir.
// Everything that can be checked before touching the disk is (file names,
// table shapes, series lengths, JSON encoding, plot rendering), so an invalid
// Run leaves no trace.
func Write(dir string, run Run) error {
	run, err := run.normalized()
	if err != nil {
		return err
	}
	summaryJSON, err := encodeSummary(run.Summary)
	if err != nil {
		return err
	}
	svgs := make([][]byte, len(run.Plots))
	for i, p := range run.Plots {
		if svgs[i], err = renderSVG(p); err != nil {
			return err
		}
	}

	dir, parent, base, err := splitOut(dir)
	if err != nil {
		return err
	}
	replace, err := checkTarget(dir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("reports: creating the parent of %s: %w", dir, err)
	}
	tmp, err := os.MkdirTemp(parent, "."+base+".tmp-")
	if err != nil {
		return fmt.Errorf("reports: creating a temporary directory beside %s: %w", dir, err)
	}
	published := false
	defer func() {
		if !published {
			_ = os.RemoveAll(tmp)
		}
	}()
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("reports: %w", err)
	}

	unlock, err := lockDir(tmp)
	if err != nil {
		return err
	}
	defer unlock()
	for _, t := range run.Tables {
		if err := writeFile(tmp, t.File, func(w io.Writer) error { return writeCSV(w, t) }); err != nil {
			return err
		}
	}
	for i, p := range run.Plots {
		if err := writeFile(tmp, p.File, func(w io.Writer) error {
			_, err := w.Write(svgs[i])
			return err
		}); err != nil {
			return err
		}
	}
	if run.BeforeSummary != nil {
		run.BeforeSummary()
		if summaryJSON, err = encodeSummary(run.Summary); err != nil {
			return err
		}
	}
	if err := writeFile(tmp, summaryFile, func(w io.Writer) error {
		_, err := w.Write(summaryJSON)
		return err
	}); err != nil {
		return err
	}
	if err := writeFile(tmp, reportFile, func(w io.Writer) error {
		return writeHTML(w, run, summaryJSON, svgs)
	}); err != nil {
		return err
	}
	if err := syncDir(tmp); err != nil {
		return err
	}
	if err := hook("staged"); err != nil {
		return err
	}
	if err := publish(tmp, dir, replace); err != nil {
		return err
	}
	published = true
	removeLeftovers(parent, base)
	return nil
}

// splitOut cleans an output directory's path and splits it into its parent
// and its own name, which it must have.
func splitOut(dir string) (clean, parent, base string, err error) {
	dir = filepath.Clean(dir)
	parent, base = filepath.Dir(dir), filepath.Base(dir)
	if base == "." || base == ".." || base == string(filepath.Separator) {
		return "", "", "", fmt.Errorf("%w: output directory %q has no name of its own; pass a path such as out/run1", ErrInvalidRun, dir)
	}
	return dir, parent, base, nil
}

// checkTarget reports whether dir exists and may be replaced.
func checkTarget(dir string) (exists bool, err error) {
	fi, err := os.Lstat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("reports: output directory %s: %w", dir, err)
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return false, fmt.Errorf("%w: %s is a symbolic link; pass the directory it points to", ErrNotReportDir, dir)
	}
	if !fi.IsDir() {
		return false, fmt.Errorf("%w: %s is a file, not a directory; choose another --out", ErrNotReportDir, dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false, fmt.Errorf("reports: reading output directory %s: %w", dir, err)
	}
	if len(entries) == 0 {
		return true, nil
	}
	has := map[string]bool{}
	for _, e := range entries {
		has[e.Name()] = true
	}
	if !has[summaryFile] || !has[reportFile] {
		return false, fmt.Errorf("%w: %s is not empty and holds no %s and %s; choose a new or empty directory, or remove it", ErrNotReportDir, dir, summaryFile, reportFile)
	}
	return true, nil
}

// publish moves the complete temporary directory to dir.
func publish(tmp, dir string, replace bool) error {
	parent, base := filepath.Dir(dir), filepath.Base(dir)
	if !replace {
		if err := os.Rename(tmp, dir); err != nil {
			return fmt.Errorf("reports: moving the finished report into %s: %w", dir, err)
		}
		return syncDir(parent)
	}
	old, err := os.MkdirTemp(parent, "."+base+".old-")
	if err != nil {
		return fmt.Errorf("reports: reserving a name to move the previous %s aside: %w", dir, err)
	}
	if err := os.Remove(old); err != nil {
		return fmt.Errorf("reports: %w", err)
	}
	// The previous report is locked before it moves aside (the lock
	// follows the directory), so a concurrent writer's removeLeftovers
	// leaves it alone until it is removed or put back.
	unlock, err := lockDir(dir)
	if err != nil {
		return err
	}
	defer unlock()
	if err := os.Rename(dir, old); err != nil {
		return fmt.Errorf("reports: moving the previous report %s aside: %w", dir, err)
	}
	if err := hook("aside"); err != nil {
		_ = os.Rename(old, dir)
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		_ = os.Rename(old, dir) // put the previous report back
		return fmt.Errorf("reports: moving the finished report into %s: %w", dir, err)
	}
	if err := syncDir(parent); err != nil {
		return err
	}
	_ = os.RemoveAll(old)
	return nil
}

// removeLeftovers deletes temporary and set-aside directories that crashed
// writes to the same dir left behind. A writer holds a lock on its staging
// directory (and on a report it moves aside) until it is done with it, so
// the staging folder of a writer still at work, in this process or
// another (two processes running the same shard, on one machine or
// sharing a file system), is never taken for a leftover.
func removeLeftovers(parent, base string) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() && (strings.HasPrefix(n, "."+base+".tmp-") || strings.HasPrefix(n, "."+base+".old-")) {
			path := filepath.Join(parent, n)
			unlock, ok := tryLockDir(path)
			if !ok {
				continue // its writer is at work
			}
			_ = os.RemoveAll(path)
			unlock()
		}
	}
}

// writeFile creates dir/name, fills it through fill, and fsyncs it.
func writeFile(dir, name string, fill func(io.Writer) error) error {
	path := filepath.Join(dir, name)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("reports: creating %s: %w", name, err)
	}
	bw := bufio.NewWriterSize(f, 256<<10)
	err = fill(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("reports: writing %s: %w", name, err)
	}
	return hook("file:" + name)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("reports: opening %s to sync it: %w", dir, err)
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("reports: syncing directory %s: %w", dir, err)
	}
	return nil
}

// CheckOut checks, before any work is done, that Write could write a report
// to dir: a name of its own, not a file or a folder of something else, and
// a parent folder that exists or can be made and that takes new entries.
// A command calls it first, so a typo in --out fails at once, not after a
// long run.
func CheckOut(dir string) error {
	dir, parent, base, err := splitOut(dir)
	if err != nil {
		return err
	}
	if _, err := checkTarget(dir); err != nil {
		return err
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("reports: cannot create the parent of %s: %w", dir, err)
	}
	probe, err := os.MkdirTemp(parent, "."+base+".tmp-")
	if err != nil {
		return fmt.Errorf("reports: cannot write into %s: %w", parent, err)
	}
	return os.Remove(probe)
}
