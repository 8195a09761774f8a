package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/vtablegen/vtablegen/internal/testtool"
)

// TestMain keeps the host compiler's cache of every test, and of every
// command the tests start, in a directory of its own, not the user's.
func TestMain(m *testing.M) {
	if out := os.Getenv(rusageEnv); out != "" {
		os.Exit(runMeasured(out, os.Args[1:]))
	}
	dir, err := os.MkdirTemp("", "vtablegen-cache-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv("XDG_CACHE_HOME", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// TestHostCacheFile: a run through cc/v4's own preprocessor leaves one
// entry in $XDG_CACHE_HOME/vtablegen, the next run reads it (the same
// output), and VTABLEGEN_CACHE=off keeps none.
func TestHostCacheFile(t *testing.T) {
	testtool.Need(t, "gcc")
	header := filepath.Join("..", "..", "examples", "quickstart", "device.h")
	for _, off := range []bool{false, true} {
		base := t.TempDir()
		t.Setenv("XDG_CACHE_HOME", base)
		if off {
			t.Setenv("VTABLEGEN_CACHE", "off")
		}
		var outs []string
		for range 2 {
			code, stdout, stderr := runCmd("structs", header)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			outs = append(outs, stdout)
		}
		entries, _ := filepath.Glob(filepath.Join(base, "vtablegen", "host-*.json"))
		others, _ := filepath.Glob(filepath.Join(base, "vtablegen", ".*"))
		if want := map[bool]int{false: 1, true: 0}[off]; len(entries) != want || len(others) != 0 {
			t.Errorf("VTABLEGEN_CACHE=off %v: entries %v (want %d), leftovers %v", off, entries, want, others)
		}
		if outs[0] != outs[1] || outs[0] == "" {
			t.Errorf("VTABLEGEN_CACHE=off %v: the second run differs:\n%s\n%s", off, outs[0], outs[1])
		}
	}
}
