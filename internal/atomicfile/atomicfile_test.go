package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	if err := Write(path, func(w io.Writer) error { _, err := io.WriteString(w, "first\n"); return err }); err != nil {
		t.Fatal(err)
	}
	errBoom := errors.New("boom")
	err := Write(path, func(w io.Writer) error {
		io.WriteString(w, "half a")
		return errBoom
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("Write with a failing writer = %v, want it to wrap the writer's error", err)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != "first\n" {
		t.Errorf("after a failed Write the file holds %q, %v; want the earlier %q", got, err, "first\n")
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o644 {
		t.Errorf("mode = %v, %v; want -rw-r--r--", info.Mode(), err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("folder holds %d entries, want only the file (no temporary left behind)", len(entries))
	}
	if err := Write(filepath.Join(dir, "missing", "x"), func(io.Writer) error { return nil }); err == nil {
		t.Error("Write into a missing folder succeeded, want an error")
	}
}
