package runtime

import (
	"bytes"
	"strings"
	"testing"

	"github.com/docker/docker/api/types/system"
)

func TestLinePrefixer(t *testing.T) {
	cases := []struct {
		name   string
		writes []string
		want   string
	}{
		{"whole lines", []string{"a\nb\n"}, "w-0 | a\nw-0 | b\n"},
		{"line split across writes", []string{"hel", "lo\nwor", "ld\n"}, "w-0 | hello\nw-0 | world\n"},
		{"last line without newline is flushed with one", []string{"x\ny"}, "w-0 | x\nw-0 | y\n"},
		{"empty lines kept", []string{"\n\n"}, "w-0 | \nw-0 | \n"},
		{"nothing", nil, ""},
		{"overlong line is cut", []string{strings.Repeat("z", maxLine+3)}, "w-0 | " + strings.Repeat("z", maxLine) + "\nw-0 | zzz\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			lp := &linePrefixer{prefix: []byte("w-0 | "), out: &out}
			for _, w := range tc.writes {
				if n, err := lp.Write([]byte(w)); err != nil || n != len(w) {
					t.Fatalf("Write: %d %v", n, err)
				}
			}
			lp.Flush()
			if out.String() != tc.want {
				t.Fatalf("got %q, want %q", out.String(), tc.want)
			}
		})
	}
}

// Every byte of the input reaches the output, each output line starts with
// the prefix, and no line is longer than maxLine plus the prefix.
func FuzzLinePrefixer(f *testing.F) {
	f.Add([]byte("a\nb"), uint8(1))
	f.Add([]byte("\n\n\n"), uint8(2))
	f.Fuzz(func(t *testing.T, data []byte, split uint8) {
		var out bytes.Buffer
		lp := &linePrefixer{prefix: []byte("p | "), out: &out}
		step := int(split) + 1
		for i := 0; i < len(data); i += step {
			lp.Write(data[i:min(i+step, len(data))])
		}
		lp.Flush()
		var back []byte
		for _, line := range bytes.SplitAfter(out.Bytes(), []byte("\n")) {
			if len(line) == 0 {
				continue
			}
			if !bytes.HasPrefix(line, []byte("p | ")) || line[len(line)-1] != '\n' || len(line) > maxLine+5 {
				t.Fatalf("bad line %q", line)
			}
			back = append(back, line[4:]...)
		}
		// Output = input with a newline added after a trailing partial line
		// and after every cut of an overlong line.
		if !bytes.Equal(bytes.ReplaceAll(back, []byte("\n"), nil), bytes.ReplaceAll(data, []byte("\n"), nil)) {
			t.Fatalf("content changed: in %q out %q", data, back)
		}
	})
}

func TestProbeStorage(t *testing.T) {
	cases := []struct {
		driver, backing string
		limit           bool
	}{
		{"overlay2", "xfs", true},
		{"overlay2", "extfs", false},
		{"fuse-overlayfs", "", false},
		{"btrfs", "", true},
		{"zfs", "", true},
		{"vfs", "", false},
	}
	for _, tc := range cases {
		info := system.Info{Driver: tc.driver}
		if tc.backing != "" {
			info.DriverStatus = [][2]string{{"Backing Filesystem", tc.backing}}
		}
		s := probeStorage(info)
		if s.EphemeralLimit != tc.limit || (!tc.limit && !strings.Contains(s.Reason, tc.driver)) {
			t.Errorf("%s on %q: %+v", tc.driver, tc.backing, s)
		}
	}
}
