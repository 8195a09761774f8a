package vtablegen

import (
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/vtablegen/vtablegen/internal/testtool"
)

// TestLayers checks the import rules of DESIGN.md: vtable imports none of
// ours; the front ends and emit import only vtable; only cparse imports
// cc/v4, only rustparse imports tree-sitter, and only config imports the
// TOML library.
func TestLayers(t *testing.T) {
	goCmd := testtool.Need(t, "go")
	out, err := exec.Command(goCmd, "list", "-f", "{{.ImportPath}}:{{join .Imports \" \"}}", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	const mod = "github.com/vtablegen/vtablegen"
	allowed := map[string][]string{
		mod + "/vtable":    nil,
		mod + "/cparse":    {mod + "/vtable"},
		mod + "/rustparse": {mod + "/vtable"},
		mod + "/emit":      {mod + "/vtable"},
		mod + "/config":    {mod + "/vtable"},
		// Only the library entry point and the model: the command never
		// reaches around Generate into a front end or an emitter.
		mod + "/cmd/vtablegen": {mod, mod + "/vtable"},
	}
	seen := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, ":")
		for _, imp := range strings.Fields(imports) {
			if strings.HasPrefix(imp, "modernc.org/cc/") && pkg != mod+"/cparse" {
				t.Errorf("%s imports %s; only cparse may", pkg, imp)
			}
			if strings.HasPrefix(imp, "github.com/tree-sitter/") && pkg != mod+"/rustparse" {
				t.Errorf("%s imports %s; only rustparse may", pkg, imp)
			}
			if strings.Contains(imp, "toml") && pkg != mod+"/config" {
				t.Errorf("%s imports %s; only config may", pkg, imp)
			}
			ok, ruled := allowed[pkg]
			if !ruled || !strings.HasPrefix(imp, mod) {
				continue
			}
			if !slices.Contains(ok, imp) {
				t.Errorf("%s imports %s; it may import only %v of ours", pkg, imp, ok)
			}
		}
		if _, ruled := allowed[pkg]; ruled {
			seen++
		}
	}
	if seen != len(allowed) {
		t.Errorf("go list showed %d of the %d layered packages:\n%s", seen, len(allowed), out)
	}
}
