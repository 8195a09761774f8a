package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vtablegen/vtablegen/internal/testtool"
)

var (
	toolOnce sync.Once
	toolPath string
	toolErr  error
)

// tool builds the vtablegen command once for the tests that run it from
// a build system.
func tool(t *testing.T) string {
	t.Helper()
	goCmd := testtool.Need(t, "go")
	toolOnce.Do(func() {
		dir, err := os.MkdirTemp("", "vtablegen-tool")
		if err != nil {
			toolErr = err
			return
		}
		toolPath = filepath.Join(dir, "vtablegen")
		if out, err := exec.Command(goCmd, "build", "-o", toolPath, ".").CombinedOutput(); err != nil {
			toolErr = err
			t.Logf("%s", out)
		}
	})
	if toolErr != nil {
		t.Fatal(toolErr)
	}
	return toolPath
}

var framework = filepath.Join("..", "..", "examples", "framework")
var buildDir = filepath.Join("..", "..", "build")

// copyFramework copies the framework example's inputs (not its outputs)
// into a fresh directory.
func copyFramework(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"plugin.h", "stream.rs", "prelude.rs", "lib.rs", "main.c", "vtable.toml"} {
		b, err := os.ReadFile(filepath.Join(framework, f))
		if err != nil {
			t.Fatal(err)
		}
		writeArchiveFile(t, dir, archiveFile{name: f, data: b})
	}
	return dir
}

func runIn(t *testing.T, dir, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// addComment appends a comment to a file: its bytes change, the outputs do
// not. The sleep keeps time stamps apart on coarse file systems.
func addComment(t *testing.T, file string) {
	t.Helper()
	time.Sleep(20 * time.Millisecond)
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, append(b, "/* a comment */\n"...), 0o666); err != nil {
		t.Fatal(err)
	}
}

// TestMakeFragment builds the framework example's C side with a Makefile
// that includes build/make/vtablegen.mk: the first make generates and
// builds; a second does nothing; a comment in the header regenerates once
// and the make after does nothing; a change to the Rust source changes the
// outputs and rebuilds.
func TestMakeFragment(t *testing.T) {
	makeCmd := testtool.Need(t, "make")
	testtool.Need(t, "gcc")
	vg := tool(t)
	dir := copyFramework(t)
	frag, err := filepath.Abs(filepath.Join(buildDir, "make", "vtablegen.mk"))
	if err != nil {
		t.Fatal(err)
	}
	writeArchiveFile(t, dir, archiveFile{name: "Makefile", data: []byte("VTABLEGEN := " + vg + "\n" +
		"VTABLEGEN_CONFIG := vtable.toml\n" +
		"VTABLEGEN_OUTPUTS := gen/stream_ops_vtable.c gen/stream_ops_vtable.rs gen/stream_expanded.rs\n" +
		"include " + frag + "\n" +
		"main.o: gen/stream_ops_vtable.c\n" +
		"\tgcc -std=gnu11 -Wall -Wextra -Werror -c -o $@ gen/stream_ops_vtable.c\n")})
	upToDate := func() bool {
		cmd := exec.Command(makeCmd, "-q", "main.o")
		cmd.Dir = dir
		return cmd.Run() == nil
	}
	runIn(t, dir, makeCmd, "-s", "main.o")
	if !upToDate() {
		t.Fatal("not up to date after the first make")
	}
	dep, err := os.ReadFile(filepath.Join(dir, "gen", "stream_ops_vtable.c.d"))
	if err != nil || !strings.Contains(string(dep), "plugin.h") || !strings.Contains(string(dep), "stddef.h") {
		t.Errorf("depfile %q: %v", dep, err)
	}
	addComment(t, filepath.Join(dir, "plugin.h"))
	if upToDate() {
		t.Fatal("make does not see the header change")
	}
	runIn(t, dir, makeCmd, "-s", "main.o")
	if !upToDate() {
		t.Error("make would run vtablegen again after a no-op regeneration")
	}
	// A change to the Rust source changes the C output and rebuilds.
	time.Sleep(20 * time.Millisecond)
	rs := filepath.Join(dir, "stream.rs")
	b, _ := os.ReadFile(rs)
	os.WriteFile(rs, []byte(strings.Replace(string(b), `c"file"`, `c"file2"`, 1)), 0o666)
	if upToDate() {
		t.Fatal("make does not see the Rust change")
	}
	runIn(t, dir, makeCmd, "-s", "main.o")
	if c, _ := os.ReadFile(filepath.Join(dir, "gen", "stream_ops_vtable.c")); !strings.Contains(string(c), `.name = "file2",`) {
		t.Error("the C output did not follow the Rust change")
	}
	if !upToDate() {
		t.Error("not up to date after the rebuild")
	}
}

// TestCMakeNinja builds the framework example's C side with CMake's Ninja
// generator through build/cmake/VtableGen.cmake: configure, build, a
// no-op rebuild; a comment in the header (found through the depfile)
// reruns vtablegen, and restat keeps the unchanged C output from being
// recompiled; then nothing is left to do.
func TestCMakeNinja(t *testing.T) {
	cmake := testtool.Need(t, "cmake")
	ninja := testtool.Need(t, "ninja")
	testtool.Need(t, "gcc")
	vg := tool(t)
	dir := copyFramework(t)
	module, err := filepath.Abs(filepath.Join(buildDir, "cmake", "VtableGen.cmake"))
	if err != nil {
		t.Fatal(err)
	}
	writeArchiveFile(t, dir, archiveFile{name: "CMakeLists.txt", data: []byte(`cmake_minimum_required(VERSION 3.20)
project(framework C)
set(VTABLEGEN ` + vg + `)
include(` + module + `)
add_library(streamops STATIC)
target_compile_options(streamops PRIVATE -Wall -Wextra -Werror)
vtablegen_generate(streamops CONFIG vtable.toml
  OUTPUTS gen/stream_ops_vtable.c gen/stream_ops_vtable.rs gen/stream_expanded.rs)
`)})
	build := filepath.Join(dir, "build")
	runIn(t, dir, cmake, "-G", "Ninja", "-S", dir, "-B", build)
	out := runIn(t, build, ninja)
	if !strings.Contains(out, "vtablegen vtable.toml") || !strings.Contains(out, "stream_ops_vtable.c.o") {
		t.Fatalf("first build:\n%s", out)
	}
	if out := runIn(t, build, ninja, "-n"); !strings.Contains(out, "no work to do") {
		t.Errorf("no-op rebuild would do:\n%s", out)
	}
	// A comment in the Rust source: vtablegen runs again, the C output
	// keeps its bytes, and restat keeps its object from being rebuilt.
	addComment(t, filepath.Join(dir, "stream.rs"))
	out = runIn(t, build, ninja)
	if !strings.Contains(out, "vtablegen vtable.toml") {
		t.Errorf("the Rust change did not rerun vtablegen:\n%s", out)
	}
	if strings.Contains(out, "stream_ops_vtable.c.o") {
		t.Errorf("the unchanged C output was recompiled (no restat):\n%s", out)
	}
	// A comment in the header: vtablegen runs again (the header is in its
	// depfile), and the C object too (gcc's depfile has the header).
	addComment(t, filepath.Join(dir, "plugin.h"))
	out = runIn(t, build, ninja)
	if !strings.Contains(out, "vtablegen vtable.toml") || !strings.Contains(out, "stream_ops_vtable.c.o") {
		t.Errorf("the header change:\n%s", out)
	}
	if out := runIn(t, build, ninja, "-n"); !strings.Contains(out, "no work to do") {
		t.Errorf("after the changes, ninja would still do:\n%s", out)
	}
}

// TestMeson builds the framework example's C side with Meson and Ninja
// through the custom_target of build/meson/README.md: outputs in the
// build directory, a no-op rebuild, a header change found through the
// depfile.
func TestMeson(t *testing.T) {
	meson := testtool.Need(t, "meson")
	ninja := testtool.Need(t, "ninja")
	testtool.Need(t, "gcc")
	vg := tool(t)
	dir := copyFramework(t)
	writeArchiveFile(t, dir, archiveFile{name: "meson.build", data: []byte(`project('framework', 'c', default_options: ['warning_level=3', 'werror=true'])
vtablegen = find_program('` + vg + `')
stream_vtable = custom_target('stream_vtable',
  input: 'vtable.toml',
  output: ['stream_ops_vtable.c', 'stream_ops_vtable.rs', 'stream_expanded.rs'],
  depfile: 'stream_vtable.d',
  command: [vtablegen, 'gen', '-q', '-config', '@INPUT@',
            '-o', '@OUTDIR@', '-depfile', '@DEPFILE@'],
)
static_library('streamops', stream_vtable[0])
`)})
	build := filepath.Join(dir, "build")
	runIn(t, dir, meson, "setup", build)
	out := runIn(t, build, ninja)
	if !strings.Contains(out, "stream_ops_vtable.c") {
		t.Fatalf("first build:\n%s", out)
	}
	if out := runIn(t, build, ninja, "-n"); !strings.Contains(out, "no work to do") {
		t.Errorf("no-op rebuild would do:\n%s", out)
	}
	addComment(t, filepath.Join(dir, "plugin.h"))
	if out := runIn(t, build, ninja, "-n"); strings.Contains(out, "no work to do") {
		t.Errorf("the header change is not seen:\n%s", out)
	}
	runIn(t, build, ninja)
	if out := runIn(t, build, ninja, "-n"); !strings.Contains(out, "no work to do") {
		t.Errorf("after the header change, ninja would still do:\n%s", out)
	}
}

// TestReproducible generates the framework example in two directories,
// once from a relative and once from an absolute binding file path, under
// different LANG and TZ: the outputs are the same bytes.
func TestReproducible(t *testing.T) {
	testtool.Need(t, "gcc")
	vg := tool(t)
	a, b := copyFramework(t), copyFramework(t)
	cmd := exec.Command(vg, "gen", "-q", "-config", "vtable.toml")
	cmd.Dir, cmd.Env = a, append(os.Environ(), "LANG=C", "TZ=UTC")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	cmd = exec.Command(vg, "gen", "-q", "-config", filepath.Join(b, "vtable.toml"))
	cmd.Dir, cmd.Env = t.TempDir(), append(os.Environ(), "LANG=de_DE.UTF-8", "LC_ALL=de_DE.UTF-8", "TZ=Asia/Kathmandu")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, f := range []string{"stream_ops_vtable.c", "stream_ops_vtable.rs", "stream_expanded.rs"} {
		x, err1 := os.ReadFile(filepath.Join(a, "gen", f))
		y, err2 := os.ReadFile(filepath.Join(b, "gen", f))
		if err1 != nil || err2 != nil || string(x) != string(y) {
			t.Errorf("%s differs between the two runs (%v %v)", f, err1, err2)
		}
	}
}

// TestBazel builds the framework example's outputs with the vtablegen_gen
// rule of build/bazel/defs.bzl under Debian's Bazel, sandboxed: they match
// what gen writes directly. A target that leaves the header undeclared
// fails, since the sandbox shows the action only what it declares.
func TestBazel(t *testing.T) {
	bazel := testtool.Need(t, "bazel")
	testtool.Need(t, "gcc")
	vg := tool(t)
	ws := copyFramework(t)
	b, err := os.ReadFile(filepath.Join(buildDir, "bazel", "defs.bzl"))
	if err != nil {
		t.Fatal(err)
	}
	writeArchiveFile(t, ws, archiveFile{name: "build/bazel/defs.bzl", data: b})
	writeArchiveFile(t, ws, archiveFile{name: "build/bazel/BUILD", data: nil})
	writeArchiveFile(t, ws, archiveFile{name: "WORKSPACE", data: nil})
	tb, err := os.ReadFile(vg)
	if err != nil {
		t.Fatal(err)
	}
	writeArchiveFile(t, ws, archiveFile{name: "tools/vtablegen", data: tb})
	os.Chmod(filepath.Join(ws, "tools", "vtablegen"), 0o755)
	writeArchiveFile(t, ws, archiveFile{name: "tools/BUILD", data: []byte(`exports_files(["vtablegen"])` + "\n")})
	rule := func(name, hdrs string) string {
		return `vtablegen_gen(
    name = "` + name + `",
    config = "vtable.toml",
    hdrs = [` + hdrs + `],
    srcs = ["stream.rs"],
    outs = ["` + name + `/stream_ops_vtable.c", "` + name + `/stream_ops_vtable.rs", "` + name + `/stream_expanded.rs"],
    vtablegen = "//tools:vtablegen",
)
`
	}
	writeArchiveFile(t, ws, archiveFile{name: "BUILD", data: []byte(`load("//build/bazel:defs.bzl", "vtablegen_gen")` + "\n\n" +
		rule("gen", `"plugin.h"`) + "\n" + rule("undeclared", ""))})
	// Bazel's output base goes under the test's directory, and --batch
	// leaves no server behind.
	base := t.TempDir()
	bz := func(target string) ([]byte, error) {
		cmd := exec.Command(bazel, "--batch", "--output_user_root="+base, "build", target)
		cmd.Dir = ws
		return cmd.CombinedOutput()
	}
	if out, err := bz("//:gen"); err != nil {
		t.Fatalf("bazel build //:gen: %v\n%s", err, out)
	}
	runIn(t, ws, vg, "gen", "-q", "-config", "vtable.toml", "-o", "direct")
	for _, f := range []string{"stream_ops_vtable.c", "stream_ops_vtable.rs", "stream_expanded.rs"} {
		x, err1 := os.ReadFile(filepath.Join(ws, "bazel-bin", "gen", f))
		y, err2 := os.ReadFile(filepath.Join(ws, "direct", f))
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: %v %v", f, err1, err2)
		}
		// The #include is relative to each output directory.
		strip := func(b []byte) string {
			var keep []string
			for _, l := range strings.Split(string(b), "\n") {
				if !strings.HasPrefix(l, "#include") {
					keep = append(keep, l)
				}
			}
			return strings.Join(keep, "\n")
		}
		if strip(x) != strip(y) {
			t.Errorf("bazel-bin/gen/%s differs from gen's own output", f)
		}
	}
	if out, err := bz("//:undeclared"); err == nil || !strings.Contains(string(out), "plugin.h") {
		t.Errorf("a target without its header built, or failed for another reason: %v\n%s", err, out)
	}
}

// TestKbuildFragment includes build/make/vtablegen.mk from a module's
// Kbuild file (VTABLEGEN_KBUILD := y): vtablegen reads the module's header
// through the kernel's own compiler and C flags, the generated C is built
// into the module with -Werror against Debian's 6.12 headers, a second
// make does not run vtablegen, a header change runs it once.
func TestKbuildFragment(t *testing.T) {
	makeCmd := testtool.Need(t, "make")
	testtool.Need(t, "gcc")
	vg := tool(t)
	version, err := os.ReadFile(testtool.NeedFile(t, filepath.Join("..", "..", ".cache", "kernel", "version"), "make test runs scripts/kernel-fixtures.sh"))
	if err != nil {
		t.Fatal(err)
	}
	kbuild := testtool.NeedFile(t, "/usr/src/linux-headers-"+strings.TrimSpace(string(version)), "make test runs scripts/kernel-fixtures.sh")
	frag, err := filepath.Abs(filepath.Join(buildDir, "make", "vtablegen.mk"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for name, text := range map[string]string{
		"kops.h": "#ifndef KOPS_H\n#define KOPS_H\n#include <linux/types.h>\nstruct file;\nstruct kops {\n\tint (*open)(struct file *);\n" +
			"\tloff_t (*llseek)(struct file *, loff_t, int);\n#ifdef CONFIG_COMPAT\n\tlong (*compat_ioctl)(struct file *, unsigned int, unsigned long);\n#endif\n};\n#endif\n",
		"ops.rs": "#[vtable]\npub trait KOps {\n    fn open(f: *mut u8) -> i32;\n    fn llseek(_f: *mut u8, off: i64, _whence: i32) -> i64 { off }\n" +
			"    fn compat_ioctl(_f: *mut u8, _c: u32, _a: usize) -> isize { 0 }\n}\npub struct Dev;\n#[vtable]\nimpl KOps for Dev {\n" +
			"    fn open(_f: *mut u8) -> i32 { 0 }\n    fn compat_ioctl(_f: *mut u8, _c: u32, _a: usize) -> isize { 0 }\n}\n",
		"vtable.toml": "[[binding]]\nstruct = \"kops\"\nheader = \"kops.h\"\nrust = [\"ops.rs\"]\nout = \"gen\"\nmacro = \"6.12\"\n",
		"stubs.c": "#include <linux/module.h>\n#include <linux/fs.h>\nMODULE_LICENSE(\"GPL\");\nint dev_open(struct file *f);\n" +
			"long dev_compat_ioctl(struct file *f, unsigned int c, unsigned long a);\nint dev_open(struct file *f) { return 0; }\n" +
			"long dev_compat_ioctl(struct file *f, unsigned int c, unsigned long a) { return 0; }\n",
		"Kbuild": "VTABLEGEN := " + vg + "\nVTABLEGEN_KBUILD := y\nVTABLEGEN_CONFIG := $(src)/vtable.toml\n" +
			"VTABLEGEN_OUTPUTS := $(obj)/gen/kops_vtable.c $(obj)/gen/kops_vtable.rs $(obj)/gen/ops_expanded.rs\n" +
			"include " + frag + "\nobj-m := kmod.o\nkmod-y := gen/kops_vtable.o stubs.o\nccflags-y += -Werror -I$(src)\n",
	} {
		writeArchiveFile(t, dir, archiveFile{name: name, data: []byte(text)})
	}
	build := func() string { return runIn(t, dir, makeCmd, "-C", kbuild, "M="+dir) }
	out := build()
	if !strings.Contains(out, vg+" gen") || !strings.Contains(out, "-cpp") || !strings.Contains(out, "-D__KERNEL__") {
		t.Errorf("vtablegen did not run with the kernel's compiler and flags:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(dir, "kmod.ko")); err != nil {
		t.Fatalf("no module: %v\n%s", err, out)
	}
	c, _ := os.ReadFile(filepath.Join(dir, "gen", "kops_vtable.c"))
	if !strings.Contains(string(c), "#ifdef CONFIG_COMPAT\n\t.compat_ioctl = dev_compat_ioctl,") {
		t.Errorf("the C output:\n%s", c)
	}
	if out := build(); strings.Contains(out, vg+" gen") {
		t.Errorf("a second make ran vtablegen again:\n%s", out)
	}
	addComment(t, filepath.Join(dir, "kops.h"))
	if out := build(); !strings.Contains(out, vg+" gen") {
		t.Errorf("a header change did not run vtablegen:\n%s", out)
	}
	if out := build(); strings.Contains(out, vg+" gen") {
		t.Errorf("make ran vtablegen again after a no-op regeneration:\n%s", out)
	}
}
