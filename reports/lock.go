package reports

import (
	"fmt"
	"os"
	"syscall"
)

// lockDir takes an exclusive advisory lock (flock) on a directory, held
// until unlock is called or the process ends: a crashed writer's lock goes
// with it, so its leftovers become removable. Linux NFS clients map flock
// onto the server's byte-range locks, so the lock holds across machines
// that share the file system.
func lockDir(path string) (unlock func(), err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reports: opening %s to lock it: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("reports: locking %s: %w", path, err)
	}
	return func() { _ = f.Close() }, nil // closing the last descriptor releases the lock
}

// tryLockDir is lockDir without waiting: ok is false when another writer
// holds the lock (or the directory cannot be opened).
func tryLockDir(path string) (unlock func(), ok bool) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, false
	}
	return func() { _ = f.Close() }, true
}
