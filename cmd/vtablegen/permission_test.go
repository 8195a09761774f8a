package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/vtablegen/vtablegen/internal/testtool"
)

// TestPermissionDenied: a file that is there but cannot be read, and an
// output directory that cannot be written, are reported as what they are
// ("permission denied"), positioned, never as "not found". As root (as in
// CI) the runs are made as the user nobody, for whom the mode bits count.
func TestPermissionDenied(t *testing.T) {
	testtool.Need(t, "gcc")
	src := tool(t)
	dir, err := os.MkdirTemp("", "vtablegen-perm")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o755)
	vg := filepath.Join(dir, "vtablegen")
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, text string, mode os.FileMode) {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		os.Chmod(p, mode)
	}
	os.WriteFile(vg, b, 0o755)
	write("secret.h", "struct ops { int (*f)(void); };\n", 0)
	write("inc.h", "#include \"secret.h\"\nstruct s { int (*g)(void); };\n", 0o644)
	write("ok.h", "struct ops { int (*f)(void); };\n", 0o644)
	write("secret.rs", "#[vtable]\npub trait T { fn f() -> i32; }\n", 0)
	write("t.rs", "#[vtable]\npub trait T { fn f() -> i32; }\n", 0o644)
	write("i.rs", "pub struct A;\n#[vtable]\nimpl T for A { fn f() -> i32 { 0 } }\n", 0o644)
	write("secret.toml", "[[binding]]\n", 0)
	os.Mkdir(filepath.Join(dir, "ro"), 0o555)
	os.Chmod(filepath.Join(dir, "ro"), 0o555)

	for _, tc := range []struct {
		name string
		args []string
		want string // the whole first line of stderr
	}{
		{"header", []string{"structs", "secret.h"}, "secret.h:1:1: error: permission denied"},
		{"include", []string{"structs", "inc.h"}, "inc.h:1:1: error: secret.h: permission denied"},
		{"include through gcc", []string{"structs", "-cpp", "gcc -E", "inc.h"}, "inc.h:1:10: error: secret.h: Permission denied"},
		{"Rust file", []string{"consts", "secret.rs"}, "secret.rs:1:1: error: permission denied"},
		{"binding file", []string{"gen", "-config", "secret.toml"}, "secret.toml:1:1: error: permission denied"},
		{"output directory", []string{"gen", "-header", "ok.h", "-struct", "ops", "-trait", "T", "-o", "ro", "t.rs", "i.rs"},
			"ro/ops_vtable.c:1:1: error: cannot write: permission denied (a temporary file in ro)"},
		{"output subdirectory", []string{"gen", "-header", "ok.h", "-struct", "ops", "-trait", "T", "-o", "ro/sub", "t.rs", "i.rs"},
			"ro/sub/ops_vtable.c:1:1: error: cannot write: permission denied (creating directory ro/sub)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(vg, tc.args...)
			cmd.Dir = dir
			if os.Geteuid() == 0 {
				cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
			}
			var stderr strings.Builder
			cmd.Stderr = &stderr
			err := cmd.Run()
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
				t.Fatalf("exit: %v\n%s", err, stderr.String())
			}
			first, _, _ := strings.Cut(stderr.String(), "\n")
			if first != tc.want {
				t.Errorf("got  %q\nwant %q", first, tc.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "ro", "sub")); err == nil {
		t.Errorf("ro/sub was made")
	}
}
