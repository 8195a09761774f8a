package cparse

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vtablegen/vtablegen/internal/testtool"
)

func TestShellWords(t *testing.T) {
	for in, want := range map[string][]string{
		`gcc -E -DX='"x"' -D'Y=a b' "q\"uote" a\ b`:     {"gcc", "-E", `-DX="x"`, "-DY=a b", `q"uote`, "a b"},
		"  gcc\t-c x.c   ; ./tools/objtool/objtool x.o": {"gcc", "-c", "x.c"},
		"cc -o x.o x.c && echo done":                    {"cc", "-o", "x.o", "x.c"},
		"":                                              nil,
	} {
		got, err := shellWords(in)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("shellWords(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{`gcc 'x`, `gcc "x`} {
		if _, err := shellWords(bad); err == nil {
			t.Errorf("shellWords(%q): no error", bad)
		}
	}
}

func TestPreprocessCommand(t *testing.T) {
	argv := []string{"gcc-12", "-Wp,-MMD,x.d", "-nostdinc", "-I./include", "-include", "k.h", "-DX=1",
		"-O2", "-c", "-o", "x.o", "x.c", "-MF", "dep", "-MD"}
	cpp, flags := preprocessCommand(argv, "x.c")
	if !slices.Equal(cpp, []string{"gcc-12", "-E"}) {
		t.Errorf("cpp = %q", cpp)
	}
	if want := []string{"-nostdinc", "-I./include", "-include", "k.h", "-DX=1", "-O2"}; !slices.Equal(flags, want) {
		t.Errorf("flags = %q, want %q", flags, want)
	}
}

func TestCompileCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "compile_commands.json")
	writeFile(t, db, `[
  {"directory": "/src/a", "file": "ops.c", "command": "cc -Iinc -DA=1 -c -o ops.o ops.c"},
  {"directory": "/src/b", "file": "/src/b/main.c", "arguments": ["gcc", "-DB", "-c", "/src/b/main.c"]}
]`)
	c, diags := CompileCommand(db, "ops.c")
	if diags != nil || c.Dir != "/src/a" || c.Source != "ops.c" || !slices.Equal(c.Flags, []string{"-Iinc", "-DA=1"}) || c.Cpp[0] != "cc" {
		t.Errorf("ops.c: %+v %v", c, diags)
	}
	c, diags = CompileCommand(db, "/src/b/main.c")
	if diags != nil || c.Dir != "/src/b" || !slices.Equal(c.Flags, []string{"-DB"}) {
		t.Errorf("main.c: %+v %v", c, diags)
	}
	for entry, want := range map[string]string{
		"":       "the compilation database has 2 entries: name one with -entry",
		"opss.c": `no entry for opss.c; did you mean "ops.c"?`,
	} {
		if _, diags := CompileCommand(db, entry); len(diags) != 1 || !strings.Contains(diags[0].Error(), db+":1:1: error: "+want) {
			t.Errorf("entry %q: %v", entry, diags)
		}
	}
	bad := filepath.Join(dir, "bad.json")
	writeFile(t, bad, "[\n  {\"directory\": 1,\n")
	if _, diags := CompileCommand(bad, ""); len(diags) != 1 || !strings.Contains(diags[0].Error(), bad+":") {
		t.Errorf("bad database: %v", diags)
	}
}

// kernelCommand reads the Kbuild command of the reference unit.
func kernelCommand(t *testing.T) *Command {
	cmdFile := testtool.NeedFile(t, filepath.Join(kernelUnit, ".x.o.cmd"), "make test runs scripts/kernel-fixtures.sh")
	c, diags := KbuildCommand(cmdFile, "")
	if diags != nil {
		t.Fatal(diags)
	}
	return c
}

func TestKbuildCommand(t *testing.T) {
	c := kernelCommand(t)
	if !strings.HasSuffix(c.Source, "/mod/x.c") || !strings.HasPrefix(filepath.Base(c.Dir), "linux-headers-6.12.") ||
		strings.HasSuffix(c.Dir, "-common") || !slices.Contains(c.Flags, "-nostdinc") || slices.Contains(c.Flags, "-c") {
		t.Errorf("command: source %s, dir %s, cpp %q, flags %q", c.Source, c.Dir, c.Cpp, c.Flags)
	}
	if _, err := os.Stat(filepath.Join(c.Dir, "include", "generated", "autoconf.h")); err != nil {
		t.Errorf("build directory %s: %v", c.Dir, err)
	}
}

// TestKernelStructsViaKbuildCmd runs Kbuild's own compiler and flags, read
// from the .cmd file Kbuild wrote, and compares with the DWARF.
func TestKernelStructsViaKbuildCmd(t *testing.T) {
	testtool.Need(t, "gcc")
	oracle := dwarfStructs(t, testtool.NeedFile(t, filepath.Join(kernelUnit, "x.o"), "make test runs scripts/kernel-fixtures.sh"))
	c := kernelCommand(t)
	p, err := NewParser(c.Options())
	if err != nil {
		t.Fatal(err)
	}
	u, diags := p.Parse(c.Source)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	checkKernelUnit(t, u, oracle)
}

// TestKernelStructsViaCpp runs the compiler Kbuild used as -cpp with the
// flags Kbuild used, given by hand, and compares with the DWARF.
func TestKernelStructsViaCpp(t *testing.T) {
	testtool.Need(t, "gcc")
	oracle := dwarfStructs(t, testtool.NeedFile(t, filepath.Join(kernelUnit, "x.o"), "make test runs scripts/kernel-fixtures.sh"))
	c := kernelCommand(t)
	p, err := NewParser(Options{Cpp: []string{c.Cpp[0], "-E"}, Flags: c.Flags, Dir: c.Dir})
	if err != nil {
		t.Fatal(err)
	}
	src, err := filepath.Abs(filepath.Join(kernelUnit, "x.c"))
	if err != nil {
		t.Fatal(err)
	}
	u, diags := p.Parse(src)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	checkKernelUnit(t, u, oracle)
}

func TestCppErrorsArePositioned(t *testing.T) {
	gcc := testtool.Need(t, "gcc")
	dir := t.TempDir()
	h := filepath.Join(dir, "h.h")
	writeFile(t, h, "struct a { int x; };\n#include \"missing.h\"\n")
	p, err := NewParser(Options{Cpp: []string{gcc, "-E"}})
	if err != nil {
		t.Fatal(err)
	}
	_, diags := p.Parse(h)
	if len(diags) != 1 || !strings.HasPrefix(diags[0].Error(), h+":2:10: error: missing.h: No such file or directory") {
		t.Errorf("got %v", diags)
	}
}
