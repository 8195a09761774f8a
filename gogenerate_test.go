package vtablegen

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vtablegen/vtablegen/internal/testtool"
)

// TestGoGenerate copies examples/gogenerate into a module of its own that
// requires this one (replaced by this checkout), runs go generate there,
// both with the go run line of the example and with the tool directive
// form (go tool vtablegen), and compares the outputs with the committed
// ones; go build then builds the package, whose C output is out of its way.
func TestGoGenerate(t *testing.T) {
	goCmd := testtool.Need(t, "go")
	testtool.Need(t, "gcc")
	root, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile("go.sum")
	if err != nil {
		t.Fatal(err)
	}
	reqs := moduleRequirements(t)
	src := filepath.Join("examples", "gogenerate")
	for _, form := range []struct{ name, line, tool string }{
		{"go run", "", ""},
		{"go tool", "//go:generate go tool vtablegen gen -q -config vtable.toml", "tool github.com/vtablegen/vtablegen/cmd/vtablegen\n"},
	} {
		t.Run(form.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, f := range []string{"doc.go", "ops.h", "ops.rs", "vtable.toml"} {
				copyFile(t, filepath.Join(src, f), filepath.Join(dir, f))
			}
			if form.line != "" {
				doc := filepath.Join(dir, "doc.go")
				b, _ := os.ReadFile(doc)
				writeTestFile(t, doc, strings.Replace(string(b),
					"//go:generate go run github.com/vtablegen/vtablegen/cmd/vtablegen gen -q -config vtable.toml", form.line, 1))
			}
			// The go.mod is written as go mod tidy would leave it: this
			// module and every module it needs, with this module's go.sum.
			// Tidy itself is not run, since it also wants the modules the
			// tests of cc/v4 and go-tree-sitter import, which nothing here
			// downloads (a fresh module cache does not have them).
			writeTestFile(t, filepath.Join(dir, "go.mod"), "module example.com/gogenerate\n\ngo 1.26\n\n"+form.tool+
				"require github.com/vtablegen/vtablegen v0.0.0\n\nrequire (\n"+reqs+")\n\nreplace github.com/vtablegen/vtablegen => "+root+"\n")
			writeTestFile(t, filepath.Join(dir, "go.sum"), string(sum))
			// Everything comes from this checkout and the modules make test
			// downloaded for it: no proxy, no checksum database.
			env := append(os.Environ(), "GOFLAGS=-mod=readonly", "GOPROXY=off", "GOSUMDB=off")
			for _, args := range [][]string{{"generate", "./..."}, {"build", "./..."}} {
				cmd := exec.Command(goCmd, args...)
				cmd.Dir, cmd.Env = dir, env
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
				}
			}
			for _, f := range []string{"filter_ops_vtable.c", "filter_ops_vtable.rs", "ops_expanded.rs"} {
				got, err := os.ReadFile(filepath.Join(dir, "csrc", f))
				if err != nil {
					t.Fatal(err)
				}
				want, err := os.ReadFile(filepath.Join(src, "csrc", f))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("csrc/%s differs from the committed one:\n%s", f, firstDiff(want, got))
				}
			}
		})
	}
}

// moduleRequirements returns the requirements of this module's go.mod,
// one "\tpath version // indirect" line each, as a module that needs them
// only through this one lists them.
func moduleRequirements(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	var reqs strings.Builder
	inBlock := false
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "require (":
			inBlock = true
			continue
		case inBlock && line == ")":
			inBlock = false
			continue
		case strings.HasPrefix(line, "require "):
			line = strings.TrimPrefix(line, "require ")
		case !inBlock:
			continue
		}
		if f := strings.Fields(line); len(f) >= 2 {
			reqs.WriteString("\t" + f[0] + " " + f[1] + " // indirect\n")
		}
	}
	if reqs.Len() == 0 {
		t.Fatal("go.mod: no requirements found")
	}
	return reqs.String()
}
