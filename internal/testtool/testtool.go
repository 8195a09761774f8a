// Package testtool finds the external tools that tests run (gcc, rustc):
// under CI=true a missing tool fails the test, elsewhere it skips it, so that
// CI never passes by silently skipping what it was meant to check.
package testtool

import (
	"os"
	"os/exec"
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
