package cparse

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// fakeCpp writes a shell script that stands for the build's preprocessor
// and returns its path; body runs with $out set to the -o argument.
func fakeCpp(t *testing.T, body string) string {
	t.Helper()
	dir := t.TempDir()
	script := filepath.Join(dir, "cpp")
	text := "#!/bin/sh\nout=\nwhile [ $# -gt 0 ]; do if [ \"$1\" = -o ]; then out=$2; shift; fi; shift; done\n" + body + "\n"
	if err := os.WriteFile(script, []byte(text), 0o755); err != nil {
		t.Fatal(err)
	}
	return script
}

// alive reports whether the process whose pid is in file still runs,
// after giving a SIGKILL already sent up to 10 s to take effect.
func alive(t *testing.T, file string) bool {
	t.Helper()
	for range 200 {
		if !running(t, file) {
			return false
		}
		time.Sleep(50 * time.Millisecond)
	}
	return true
}

func running(t *testing.T, file string) bool {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("the fake preprocessor wrote no pid: %v", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	// A zombie is dead too; /proc says which.
	stat, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return false
	}
	fields := strings.Fields(string(stat))
	return len(fields) > 2 && fields[2] != "Z" && syscall.Kill(pid, 0) == nil
}

// TestCppTimeout: a preprocessor that hangs (a FIFO, a loop) is stopped
// at the time limit with a clear error, and what it started dies with it.
func TestCppTimeout(t *testing.T) {
	pids := t.TempDir()
	cpp := fakeCpp(t, "sleep 300 & echo $! > "+pids+"/child\necho $$ > "+pids+"/cpp\nwait")
	header := filepath.Join(t.TempDir(), "h.h")
	os.WriteFile(header, []byte("struct s { int (*f)(void); };\n"), 0o644)
	p, err := NewParser(Options{Cpp: []string{cpp}, CppTimeout: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	_, diags := p.Parse(header)
	if !diags.HasErrors() || !strings.Contains(diags.Error(), "did not finish in 500ms: stopped") {
		t.Fatalf("diagnostics: %v", diags)
	}
	if !strings.HasPrefix(diags.Error(), header+":1:1:") {
		t.Errorf("not positioned at the header: %v", diags)
	}
	for _, f := range []string{"cpp", "child"} {
		if alive(t, filepath.Join(pids, f)) {
			t.Errorf("the preprocessor's %s still runs after the time limit", f)
		}
	}
}

// TestCppOutputBound: a preprocessor whose output does not end is stopped
// once it passes the bound, not read whole.
func TestCppOutputBound(t *testing.T) {
	old := maxCppOutput
	maxCppOutput = 1 << 20
	defer func() { maxCppOutput = old }()
	pids := t.TempDir()
	cpp := fakeCpp(t, "echo $$ > "+pids+"/cpp\nexec yes 'int x;' > \"$out\"")
	header := filepath.Join(t.TempDir(), "h.h")
	os.WriteFile(header, []byte("struct s { int (*f)(void); };\n"), 0o644)
	p, err := NewParser(Options{Cpp: []string{cpp}})
	if err != nil {
		t.Fatal(err)
	}
	_, diags := p.Parse(header)
	if !diags.HasErrors() || !strings.Contains(diags.Error(), "grew past the 1 MiB a preprocessed unit may have: stopped") {
		t.Fatalf("diagnostics: %v", diags)
	}
	if alive(t, filepath.Join(pids, "cpp")) {
		t.Error("the preprocessor still runs after its output passed the bound")
	}
}

// TestExpansionBoundScalesWithUnit: cc/v4 counts every token of a
// preprocessed unit against the expansion bound, so a large unit of plain
// declarations (27 MB of typedefs, in the field) must not pass for a
// macro bomb: the bound grows with the unit. Shown here with the bound
// made small.
func TestExpansionBoundScalesWithUnit(t *testing.T) {
	old := expansionLimit
	expansionLimit = 1000
	defer func() { expansionLimit = old }()
	var b strings.Builder
	b.WriteString("struct ops { int (*open)(void); };\n")
	for i := range 3000 {
		b.WriteString("typedef int t" + strconv.Itoa(i) + ";\n")
	}
	unit := filepath.Join(t.TempDir(), "u.i")
	os.WriteFile(unit, []byte(b.String()), 0o644)
	p, err := NewParser(Options{Preprocessed: true})
	if err != nil {
		t.Fatal(err)
	}
	cu, diags := p.ParsePreprocessed(unit)
	if diags.HasErrors() {
		t.Fatalf("%v", diags)
	}
	if len(cu.Structs) != 1 {
		t.Fatalf("%d structs", len(cu.Structs))
	}
}

// TestTranslateCPUBound: a cc/v4 run that does not finish within its CPU
// budget is abandoned with a clear error. The budget is made small here
// and the input costs cc/v4 seconds of CPU (macros doubling 20 times,
// under a raised expansion bound), so that the outcome does not depend on
// the machine's speed or load. (The abandoned run finishes by itself
// shortly after.)
func TestTranslateCPUBound(t *testing.T) {
	oldCPU, oldLimit := translateCPU, expansionLimit
	translateCPU, expansionLimit, ownPreprocessor = 100*time.Millisecond, 1<<40, false // cc/v4's reading is the one bounded
	defer func() { translateCPU, expansionLimit, ownPreprocessor = oldCPU, oldLimit, true }()
	var b strings.Builder
	b.WriteString("#define A0 0, 0,\n")
	for i := 1; i <= 20; i++ {
		b.WriteString("#define A" + strconv.Itoa(i) + " A" + strconv.Itoa(i-1) + " A" + strconv.Itoa(i-1) + "\n")
	}
	b.WriteString("struct s { int (*f)(void); };\nint v[] = { A20 };\n")
	header := filepath.Join(t.TempDir(), "slow.h")
	os.WriteFile(header, []byte(b.String()), 0o644)
	p, err := NewParser(Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The bound stops cc/v4's run over the header; the declaration that
	// costs so much (an initializer) is then left out through the host's
	// cc -E and the preprocessed path, and the struct comes out.
	u, diags := p.Parse(header)
	if diags.HasErrors() || u == nil || len(u.Structs) != 1 {
		t.Fatalf("diagnostics: %v", diags)
	}
	if !strings.Contains(diags.Error(), "used more than 100ms of CPU time without finishing") {
		t.Errorf("no note of the bound: %v", diags)
	}
}
