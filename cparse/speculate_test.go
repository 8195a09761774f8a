package cparse

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vtablegen/vtablegen/internal/testtool"
)

func TestFindDefinition(t *testing.T) {
	for _, tc := range []struct {
		text string
		want int // offset of the '{', or -1
	}{
		{"struct ops {", 11},
		{"union ops\n{", 10},
		{"const struct ops *f(void);\nstruct ops { int a; };", 38},
		{"struct ops_ext { int a; };", -1},
		{"struct my_ops { int a; };", -1},
		{"xstruct ops { int a; };", -1},
		{"enum ops { A };", -1},
		{"struct ops;", -1},
		{"ops {", -1},
	} {
		if got := findDefinition([]byte(tc.text), "ops"); got != tc.want {
			t.Errorf("findDefinition(%q) = %d, want %d", tc.text, got, tc.want)
		}
	}
}

func TestDefinitionEnd(t *testing.T) {
	for _, tc := range []struct {
		text string
		want int // offset past the ';', or -1
	}{
		{"{ int (*f)(int); } __attribute__((aligned(64)));\nint x;", 48},
		{"{ struct { int a; } in; int (*f)(void); } ops, *opsp;", 53},
		{"{ int (*f)(int); }", -1},
		{"{ int (*f)(int); ", -1},
		{"{ char s[2]; } x = { \"};\" };", 28},
	} {
		if got := definitionEnd([]byte(tc.text)); got != tc.want {
			t.Errorf("definitionEnd(%q) = %d, want %d", tc.text, got, tc.want)
		}
	}
}

// TestSpeculationMatchesWholeOutput feeds the reference unit to a
// speculation as a preprocessor writes it, 64 KiB at a time, and checks
// that what it parses from the prefix is what the whole output gives:
// the structs (members, types, layout, positions) and the files read.
func TestSpeculationMatchesWholeOutput(t *testing.T) {
	testtool.Need(t, "gcc")
	unit := testtool.NeedFile(t, filepath.Join(kernelUnit, "x.i"), "make test runs scripts/kernel-fixtures.sh")
	src, err := os.ReadFile(unit)
	if err != nil {
		t.Fatal(err)
	}
	for _, wanted := range [][]string{{"file_operations"}, {"phy_driver", "blk_mq_ops"}, {"inode_operations"}} {
		p, err := NewParser(Options{Structs: wanted, Preprocessed: true})
		if err != nil {
			t.Fatal(err)
		}
		want, diags := p.parseUnit(unit, src, "")
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		s := newSpeculation(p, unit, "")
		for n := 64 << 10; s.started == 0 && n < len(src)+64<<10; n += 64 << 10 {
			s.watch(src[:min(n, len(src))])
		}
		if s.started == 0 || s.started >= len(src) {
			t.Errorf("%v: speculation started at %d of %d bytes", wanted, s.started, len(src))
			continue
		}
		got, diags, ok := s.result(src)
		if !ok {
			t.Errorf("%v: no result from the prefix: %v", wanted, diags)
			continue
		}
		if !slices.Equal(got.Files, want.Files) {
			t.Errorf("%v: %d files read from the prefix's result, %d from the whole", wanted, len(got.Files), len(want.Files))
		}
		if len(got.Structs) != len(want.Structs) {
			t.Errorf("%v: %d structs from the prefix, %d from the whole", wanted, len(got.Structs), len(want.Structs))
			continue
		}
		for i := range got.Structs {
			if a, b := dump(got.Structs[i])+got.Structs[i].Pos.String(), dump(want.Structs[i])+want.Structs[i].Pos.String(); a != b {
				t.Errorf("%v: from the prefix:\n%s\nfrom the whole:\n%s", wanted, a, b)
			}
		}
		t.Logf("%v: parsed from the first %d of %d bytes", wanted, s.started, len(src))
	}
}

// TestSpeculationPreprocessorFailsLater: the build's preprocessor writes
// the wanted struct and then fails (#error after it): the failure is
// reported, not the struct parsed from what came before; and a struct
// written only as a typedef name is read from the whole output.
func TestSpeculationPreprocessorFailsLater(t *testing.T) {
	testtool.Need(t, "gcc")
	dir := t.TempDir()
	pad := strings.Repeat("typedef int pad_t;\n", 20000) // past the first read
	write := func(name, text string) string {
		f := filepath.Join(dir, name)
		if err := os.WriteFile(f, []byte(text), 0o666); err != nil {
			t.Fatal(err)
		}
		return f
	}
	bad := write("bad.h", "struct ops { int (*open)(void); };\n"+pad+"#error too late\n")
	good := write("good.h", "typedef struct { int (*open)(void); } ops_t;\n"+pad+"struct ops { int (*open)(void); };\n")
	p, err := NewParser(Options{Cpp: []string{"gcc", "-E"}, Structs: []string{"ops"}})
	if err != nil {
		t.Fatal(err)
	}
	_, diags := p.Parse(bad)
	if !diags.HasErrors() || !strings.Contains(diags.Error(), "too late") || !strings.Contains(diags.Error(), "bad.h:") {
		t.Errorf("bad.h: want the #error at its line, got:\n%v", diags)
	}
	for _, want := range []string{"ops", "ops_t"} {
		q, err := NewParser(Options{Cpp: []string{"gcc", "-E"}, Structs: []string{want}})
		if err != nil {
			t.Fatal(err)
		}
		cu, diags := q.Parse(good)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		found := false
		for _, s := range cu.Structs {
			found = found || string(s.Name) == want
		}
		if !found || len(cu.Files) == 0 {
			t.Errorf("good.h, struct %s: not found (or no files) in %v", want, cu.Structs)
		}
	}
}
