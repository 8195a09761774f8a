package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vtablegen/vtablegen/internal/testtool"
)

// TestExpandCompilesAndRuns expands each testdata/expand program in every
// form its "// want FORM: line" comments name, builds the output with plain
// rustc (against a stand-in kernel crate for the build_error! of #[optional]
// methods), runs it and compares what it prints with those lines.
func TestExpandCompilesAndRuns(t *testing.T) {
	rustc := testtool.Need(t, "rustc")
	dir := t.TempDir()
	kernel := filepath.Join(dir, "libkernel.rlib")
	if out, err := exec.Command(rustc, "--edition", "2021", "--crate-type", "rlib", "--crate-name", "kernel",
		"-o", kernel, filepath.Join("testdata", "expand", "kernel_standin.rs")).CombinedOutput(); err != nil {
		t.Fatalf("building the stand-in kernel crate: %v\n%s", err, out)
	}
	programs, _ := filepath.Glob(filepath.Join("testdata", "expand", "*.rs"))
	ran := 0
	for _, prog := range programs {
		if strings.HasSuffix(prog, "kernel_standin.rs") {
			continue
		}
		src, err := os.ReadFile(prog)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{}
		for _, line := range strings.Split(string(src), "\n") {
			if rest, ok := strings.CutPrefix(line, "// want "); ok {
				form, out, _ := strings.Cut(rest, ": ")
				want[form] += out + "\n"
			}
		}
		if len(want) == 0 {
			t.Errorf("%s: no // want lines", prog)
		}
		for form, lines := range want {
			name := strings.TrimSuffix(filepath.Base(prog), ".rs") + "_" + strings.ReplaceAll(form, ".", "_")
			t.Run(name, func(t *testing.T) {
				code, expanded, stderr := runCmd("expand", "-macro", form, prog)
				if code != 0 {
					t.Fatalf("expand: exit %d: %s", code, stderr)
				}
				rs := filepath.Join(dir, name+".rs")
				if err := os.WriteFile(rs, []byte(expanded), 0o666); err != nil {
					t.Fatal(err)
				}
				bin := filepath.Join(dir, name)
				args := []string{"--edition", "2021", "-A", "dead_code", "-o", bin, rs}
				if strings.Contains(expanded, "::kernel::") || strings.Contains(expanded, "kernel::ModuleMetadata") {
					args = append(args, "--extern", "kernel="+kernel)
				}
				if out, err := exec.Command(rustc, args...).CombinedOutput(); err != nil {
					t.Fatalf("rustc: %v\n%s", err, out)
				}
				out, err := exec.Command(bin).Output()
				if err != nil {
					t.Fatal(err)
				}
				if string(out) != lines {
					t.Errorf("printed\n%s\nwant\n%s", out, lines)
				}
			})
			ran++
		}
	}
	if ran < 4 {
		t.Errorf("ran %d programs, want at least 4", ran)
	}
}
