// Package testtool finds the external tools that tests run (gcc, rustc):
// under CI=true a missing tool fails the test, elsewhere it skips it, so that
// CI never passes by silently skipping what it was meant to check.
package testtool

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"testing"
)

// Need returns the path of the named program, e.g. "gcc". When the program
// is not on PATH, the test fails if the environment has CI=true and is
// skipped otherwise.
func Need(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is required under CI=true: %v", name, err)
	}
	t.Skipf("%s not found: %v", name, err)
	return ""
}

// NeedFile returns path when the file exists. When it does not, the test
// fails under CI=true and is skipped otherwise; hint says what makes it,
// e.g. "make test fetches it".
func NeedFile(t testing.TB, path, hint string) string {
	t.Helper()
	if _, err := os.Stat(path); err == nil {
		return path
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is required under CI=true (%s)", path, hint)
	}
	t.Skipf("%s not found (%s)", path, hint)
	return ""
}

// ResidentMB returns the process's resident set size in MiB, read from
// /proc/self/statm; the benchmark is skipped where there is none.
func ResidentMB(b *testing.B) float64 {
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		b.Skipf("no /proc/self/statm: %v", err)
	}
	var size, resident int64
	if _, err := fmt.Sscan(string(data), &size, &resident); err != nil {
		b.Fatal(err)
	}
	return float64(resident*int64(os.Getpagesize())) / (1 << 20)
}

// RSSGrowth runs parse 10,000 times per benchmark iteration and reports,
// as rss-growth-MB, how much resident memory grew from the end of the
// first 2,000 runs (a warm-up: allocators settle) to the end: it must stay
// near zero when nothing accumulates per parse.
func RSSGrowth(b *testing.B, parse func()) {
	for b.Loop() {
		for range 2000 {
			parse()
		}
		runtime.GC()
		before := ResidentMB(b)
		for range 8000 {
			parse()
		}
		runtime.GC()
		b.ReportMetric(ResidentMB(b)-before, "rss-growth-MB")
	}
}
