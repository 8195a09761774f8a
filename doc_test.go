package vtablegen

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/vtablegen/vtablegen/internal/testtool"
)

// TestDocRendersAttributes checks that go doc shows every package as
// written: "#[vtable]" in a doc comment would be read as a doc link to
// package vtable and render as "#vtable".
func TestDocRendersAttributes(t *testing.T) {
	goCmd := testtool.Need(t, "go")
	for _, pkg := range []string{".", "./vtable", "./cparse", "./rustparse", "./emit", "./cmd/vtablegen"} {
		out, err := exec.Command(goCmd, "doc", "-all", pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go doc %s: %v\n%s", pkg, err, out)
		}
		for i, line := range strings.Split(string(out), "\n") {
			if strings.Contains(line, "#vtable") {
				t.Errorf("go doc -all %s, line %d: %s", pkg, i+1, line)
			}
		}
	}
}
