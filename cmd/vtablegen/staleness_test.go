package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vtablegen/vtablegen/internal/testtool"
)

// TestGenCheck runs gen -check on current, stale and missing outputs: it
// prints a unified diff, writes nothing, and exits 1 exactly when an
// output differs.
func TestGenCheck(t *testing.T) {
	testtool.Need(t, "gcc")
	dir := copyExample(t)
	gen := []string{"gen", "-C", dir, "-header", "device.h", "-o", "gen", "device.rs"}
	if code, stdout, stderr := runCmd(append(gen, "-check")...); code != 1 || !strings.Contains(stdout, "--- /dev/null\n+++ "+filepath.Join(dir, "gen", "device_ops_vtable.c")) {
		t.Errorf("missing outputs: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "gen")); !os.IsNotExist(err) {
		t.Fatal("-check wrote the outputs")
	}
	if code, _, stderr := runCmd(append(gen, "-q")...); code != 0 {
		t.Fatalf("gen: %s", stderr)
	}
	if code, stdout, stderr := runCmd(append(gen, "-check")...); code != 0 || stdout != "" || stderr != "" {
		t.Errorf("current outputs: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	rs := filepath.Join(dir, "device.rs")
	b, _ := os.ReadFile(rs)
	os.WriteFile(rs, []byte(strings.Replace(string(b), "const HAS_FLUSH: bool = false;", "const HAS_FLUSH: bool = true;", 1)), 0o666)
	before, _ := os.ReadFile(filepath.Join(dir, "gen", "device_ops_vtable.c"))
	code, stdout, stderr := runCmd(append(gen, "-check")...)
	if code != 1 || !strings.Contains(stdout, "\n-\t.flush = NULL,\n+\t.flush = null_sink_flush,\n") {
		t.Errorf("stale outputs: exit %d, stdout:\n%s\nstderr %q", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "outputs are stale or missing") {
		t.Errorf("stderr %q", stderr)
	}
	after, _ := os.ReadFile(filepath.Join(dir, "gen", "device_ops_vtable.c"))
	if string(before) != string(after) {
		t.Error("-check rewrote a stale output")
	}
}

// TestDepfile checks the depfile gen writes: the outputs, then every input
// read (the header, the headers it includes, the Rust source), escaped as
// Make and Ninja read them, and an empty rule per input.
func TestDepfile(t *testing.T) {
	testtool.Need(t, "gcc")
	dir := t.TempDir()
	sub := filepath.Join(dir, "a b#c")
	writeArchiveFile(t, sub, archiveFile{name: "inc.h", data: []byte("typedef int handle;\n")})
	writeArchiveFile(t, sub, archiveFile{name: "ops.h", data: []byte("#include \"inc.h\"\nstruct ops {\n\tint (*open)(handle);\n};\n")})
	writeArchiveFile(t, sub, archiveFile{name: "ops.rs", data: []byte("#[vtable]\npub trait Ops {\n    fn open(h: i32) -> i32;\n}\n")})
	code, _, stderr := runCmd("gen", "-q", "-C", sub, "-header", "ops.h", "-o", "gen", "-depfile", "gen/ops.d", "ops.rs")
	if code != 0 {
		t.Fatalf("gen: %s", stderr)
	}
	got, err := os.ReadFile(filepath.Join(sub, "gen", "ops.d"))
	if err != nil {
		t.Fatal(err)
	}
	esc := strings.NewReplacer(" ", `\ `, "#", `\#`).Replace(sub)
	want := esc + "/gen/ops_vtable.c " + esc + "/gen/ops_vtable.rs " + esc + "/gen/ops_expanded.rs: \\\n  " + esc + "/ops.h \\\n  " + esc + "/inc.h \\\n  " + esc + "/ops.rs\n" +
		"\n" + esc + "/ops.h:\n\n" + esc + "/inc.h:\n\n" + esc + "/ops.rs:\n"
	if string(got) != want {
		t.Errorf("depfile:\n%s\nwant:\n%s", got, want)
	}
	if d := depEscape("a b:c$d#e"); d != `a\ b\:c$$d\#e` {
		t.Errorf("depEscape = %q", d)
	}
}

// TestMakeStopsAfterNoOpRegeneration runs real make on a rule whose
// recipe is gen -touch -depfile: a change to a header that leaves the
// outputs as they were regenerates once, and the next make does nothing.
func TestMakeStopsAfterNoOpRegeneration(t *testing.T) {
	makeCmd := testtool.Need(t, "make")
	testtool.Need(t, "gcc")
	dir := copyExample(t)
	vg := filepath.Join(t.TempDir(), "vtablegen")
	if out, err := exec.Command("go", "build", "-o", vg, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	mk := "OUT := gen/device_ops_vtable.c gen/device_ops_vtable.rs gen/device_expanded.rs\n" +
		"all: $(OUT)\n" +
		"$(OUT) &: device.h device.rs\n" +
		"\t" + vg + " gen -q -touch -header device.h -o gen -depfile gen/deps.d device.rs\n" +
		"-include gen/deps.d\n"
	writeArchiveFile(t, dir, archiveFile{name: "Makefile", data: []byte(mk)})
	upToDate := func() bool {
		cmd := exec.Command(makeCmd, "-q")
		cmd.Dir = dir
		return cmd.Run() == nil
	}
	runMake := func() {
		cmd := exec.Command(makeCmd, "-s")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("make: %v\n%s", err, out)
		}
	}
	runMake()
	if !upToDate() {
		t.Fatal("make is not up to date after a first run")
	}
	// A comment in the header: the outputs do not change.
	time.Sleep(10 * time.Millisecond)
	h := filepath.Join(dir, "device.h")
	b, _ := os.ReadFile(h)
	os.WriteFile(h, append(b, "/* a comment */\n"...), 0o666)
	if upToDate() {
		t.Fatal("make does not see the header change")
	}
	runMake()
	if !upToDate() {
		t.Error("make would run vtablegen again after a no-op regeneration")
	}
}
