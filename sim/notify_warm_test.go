package sim

import (
	"testing"
	"unsafe"
)

// TestWarmNoticeCoversItsLines holds warmNotice to what its comment says:
// it reads a word in every cache line of bytes 0–383 of a provider's record
// (online and capacity, consider's and the bid's fields), wherever a record
// of the class slab starts within a line. A change to Provider's layout
// that leaves a line unread (so its miss comes back, one by one, in the
// bid) fails here.
func TestWarmNoticeCoversItsLines(t *testing.T) {
	const hot = 384 // bytes of the record notify and the bid read
	var p Provider
	read := []uintptr{
		unsafe.Offsetof(p.capacity) + unsafe.Offsetof(p.capacity.Total) + unsafe.Offsetof(p.capacity.Total.CPUMillis),
		unsafe.Offsetof(p.capacity) + unsafe.Offsetof(p.capacity.Reserved) + unsafe.Offsetof(p.capacity.Reserved.GPUUnits),
		unsafe.Offsetof(p.costPPM),
		unsafe.Offsetof(p.rep),
		unsafe.Offsetof(p.pending) + unsafe.Sizeof(uintptr(0)), // len
		unsafe.Offsetof(p.pendBuf) + unsafe.Offsetof(p.pendBuf[0].dseq),
		unsafe.Offsetof(p.repEpoch),
		unsafe.Offsetof(p.attrs) + unsafe.Sizeof(uintptr(0)), // len
	}
	size := unsafe.Sizeof(p)
	seen := map[uintptr]bool{}
	for k := uintptr(0); k < 64; k++ {
		start := k * size % 64 // where the k-th record of a line-aligned slab starts in its line
		if seen[start] {
			continue
		}
		seen[start] = true
		for line := uintptr(0); line*64 < start+hot; line++ {
			lo, hi := line*64, line*64+64 // the line, in bytes from the line the record starts in
			found := false
			for _, off := range read {
				if at := start + off; at >= lo && at < hi {
					found = true
				}
			}
			if !found {
				t.Errorf("a record starting %d bytes into a line: warmNotice reads nothing of its line %d (record bytes %d–%d)", start, line, int(lo)-int(start), int(hi)-int(start)-1)
			}
		}
	}
}
