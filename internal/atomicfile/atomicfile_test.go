package atomicfile

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "state.json")
	for _, c := range []struct {
		data string
		perm os.FileMode
	}{
		{"first", 0o644},
		{"second, longer than the first", 0o600}, // replaces, and takes the new mode
		{"", 0o644},
	} {
		if err := WriteFile(p, []byte(c.data), c.perm); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(p)
		if err != nil || string(got) != c.data {
			t.Fatalf("read back %q, %v; want %q", got, err, c.data)
		}
		if fi, _ := os.Stat(p); fi.Mode().Perm() != c.perm {
			t.Errorf("mode %v, want %v", fi.Mode().Perm(), c.perm)
		}
		if es, _ := os.ReadDir(dir); len(es) != 1 {
			t.Errorf("%d entries in the folder, want the file alone (no temporary left)", len(es))
		}
	}
}

func TestWriteFileFails(t *testing.T) {
	dir := t.TempDir()
	// The target is a folder: the rename fails, and the old entry and no
	// temporary file remain.
	target := filepath.Join(dir, "sub")
	if err := os.Mkdir(target, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(target, "x"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(target, []byte("data"), 0o644); err == nil {
		t.Fatal("writing over a non-empty folder succeeded")
	}
	if es, _ := os.ReadDir(dir); len(es) != 1 {
		t.Errorf("%d entries, want the folder alone", len(es))
	}
	if err := WriteFile(filepath.Join(dir, "missing", "f"), nil, 0o644); err == nil {
		t.Error("writing into a missing folder succeeded")
	}
}
