package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestUnifiedDiff checks the diff against patch(1) where it is installed
// (applying it to the old text must give the new one) and by its shape.
func TestUnifiedDiff(t *testing.T) {
	old := "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\n"
	for _, new := range []string{
		"a\nb\nc\nd\nE\nf\ng\nh\ni\nj\nk\n",
		"a\nb\nx\nc\nd\ne\nf\ng\nh\ni\nj\n",
		"",
		"only\n",
		"a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\n",
	} {
		d := unifiedDiff("a/x", "b/x", []byte(old), []byte(new))
		if d == "" {
			t.Fatalf("no diff for %q", new)
		}
		patch, err := exec.LookPath("patch")
		if err != nil {
			continue
		}
		dir := t.TempDir()
		f := filepath.Join(dir, "x")
		if err := os.WriteFile(f, []byte(old), 0o666); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(patch, "-s", f)
		cmd.Stdin = strings.NewReader(d)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("patch: %v\n%s\n%s", err, out, d)
		}
		got, _ := os.ReadFile(f)
		if string(got) != new {
			t.Errorf("patched to %q, want %q; diff:\n%s", got, new, d)
		}
	}
	if d := unifiedDiff("a", "b", []byte("x\n"), []byte("x\n")); d != "" {
		t.Errorf("equal texts give %q", d)
	}
}
