package vtablegen

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vtablegen/vtablegen/internal/testtool"
	"github.com/vtablegen/vtablegen/vtable"
)

// linkAndRun builds the Rust crate root libRs of an example with plain
// rustc as a static library, links it with gcc -Werror to the C sources
// (relative to the example's directory) and runs the program; it returns
// the program's output.
func linkAndRun(t *testing.T, example, libRs string, rustArgs, cSources []string, cflags ...string) string {
	t.Helper()
	rustc := testtool.Need(t, "rustc")
	gcc := testtool.Need(t, "gcc")
	dir := t.TempDir()
	lib := filepath.Join(dir, "libexample.a")
	args0 := append([]string{"--edition", "2021", "--crate-type", "staticlib", "-D", "warnings", "-o", lib}, rustArgs...)
	cmd := exec.Command(rustc, append(args0, libRs)...)
	cmd.Dir = example
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("rustc %s: %v\n%s", libRs, err, out)
	}
	bin := filepath.Join(dir, "main")
	args := append([]string{"-std=gnu11", "-Wall", "-Wextra", "-Werror", "-o", bin}, cflags...)
	args = append(append(args, cSources...), lib, "-lpthread", "-ldl", "-lm")
	cmd = exec.Command(gcc, args...)
	cmd.Dir = example
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s", err, out)
	}
	out, err := exec.Command(bin).CombinedOutput()
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out)
	}
	return string(out)
}

// compareLines reports, line by line, where got differs from the file
// want.
func compareLines(t *testing.T, got, wantFile string) {
	t.Helper()
	want, err := os.ReadFile(wantFile)
	if err != nil {
		t.Fatal(err)
	}
	g, w := strings.Split(got, "\n"), strings.Split(string(want), "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			t.Errorf("%s line %d: got %q, want %q", wantFile, i+1, gl, wl)
		}
	}
}

// TestQuickstartLinksWithRust builds the quickstart's Rust side (the
// committed expansion and trampolines) with plain rustc and links it with
// the committed C initializers and main.c: every operation is reached
// through the struct and returns what the Rust method returns, every
// missing one is NULL and the default is taken.
func TestQuickstartLinksWithRust(t *testing.T) {
	dir := filepath.Join("examples", "quickstart")
	out := linkAndRun(t, dir, "lib.rs", nil, []string{"main.c", filepath.Join("gen", "device_ops_vtable.c")})
	compareLines(t, out, filepath.Join(dir, "main.want"))
}

// TestPanicDoesNotUnwindIntoC calls, from C, a Rust method that panics:
// the process must abort rather than unwind through the C frames.
func TestPanicDoesNotUnwindIntoC(t *testing.T) {
	testtool.Need(t, "gcc")
	dir := t.TempDir()
	writeTestFile(t, filepath.Join(dir, "ops.h"), "struct ops {\n\tint (*boom)(int);\n};\n")
	writeTestFile(t, filepath.Join(dir, "ops.rs"), "#[vtable]\npub trait Ops {\n    fn boom(n: i32) -> i32;\n}\n\npub struct P;\n\n#[vtable]\nimpl Ops for P {\n    fn boom(n: i32) -> i32 {\n        panic!(\"boom {n}\")\n    }\n}\n")
	r := Generate(Config{Header: filepath.Join(dir, "ops.h"), RustFiles: []string{filepath.Join(dir, "ops.rs")}, OutDir: filepath.Join(dir, "gen"), Form: vtable.Form72})
	if r.Diagnostics.HasErrors() {
		t.Fatal(r.Diagnostics)
	}
	for _, f := range r.Files {
		writeTestFile(t, filepath.Join(dir, "gen", f.Name), string(f.Content))
	}
	writeTestFile(t, filepath.Join(dir, "lib.rs"), "#[path = \"gen/ops_expanded.rs\"]\nmod ops;\npub use ops::*;\ninclude!(\"gen/ops_vtable.rs\");\n")
	writeTestFile(t, filepath.Join(dir, "main.c"), "#include <stdio.h>\n#include \"ops.h\"\nextern const struct ops p_ops;\nint main(void)\n{\n\tprintf(\"before\\n\");\n\tfflush(stdout);\n\tprintf(\"after %d\\n\", p_ops.boom(7));\n\treturn 0;\n}\n")
	rustc := testtool.Need(t, "rustc")
	gcc := testtool.Need(t, "gcc")
	if out, err := exec.Command(rustc, "--edition", "2021", "--crate-type", "staticlib", "-o", filepath.Join(dir, "libops.a"), filepath.Join(dir, "lib.rs")).CombinedOutput(); err != nil {
		t.Fatalf("rustc: %v\n%s", err, out)
	}
	bin := filepath.Join(dir, "main")
	if out, err := exec.Command(gcc, "-o", bin, filepath.Join(dir, "main.c"), filepath.Join(dir, "gen", "ops_vtable.c"), filepath.Join(dir, "libops.a"), "-lpthread", "-ldl", "-lm").CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s", err, out)
	}
	out, err := exec.Command(bin).CombinedOutput()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != -1 || !strings.Contains(ee.String(), "abort") {
		t.Fatalf("the program did not abort: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "before") || strings.Contains(string(out), "after") || !strings.Contains(string(out), "boom 7") {
		t.Errorf("output:\n%s", out)
	}
}

// TestGeneratedRustIsRustfmtClean checks the committed Rust trampolines
// and VTABLEs of the examples with rustfmt --check: generated code that a
// formatter would change makes noisy diffs in users' trees.
func TestGeneratedRustIsRustfmtClean(t *testing.T) {
	rustfmt := testtool.Need(t, "rustfmt")
	files, err := filepath.Glob(filepath.Join("examples", "*", "gen", "*_vtable.rs"))
	if err != nil || len(files) < 2 {
		t.Fatalf("generated Rust files: %v %v", files, err)
	}
	for _, f := range files {
		if out, err := exec.Command(rustfmt, "--edition", "2021", "--check", f).CombinedOutput(); err != nil {
			t.Errorf("rustfmt --check %s: %v\n%s", f, err, out)
		}
	}
}
