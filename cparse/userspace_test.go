package cparse

import (
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/vtablegen/vtablegen/internal/testtool"
)

// userspaceCases are the userspace plugin interfaces checked against gcc's
// DWARF: a C file including the library's header, the flags, and the
// structs to compare.
var userspaceCases = []struct {
	name    string
	header  string // the installed header, which the Makefile installs
	source  string
	include []string
	defines []string
	structs []string
}{
	{
		name:    "fuse3",
		header:  "/usr/include/fuse3/fuse.h",
		source:  "#include <fuse.h>\n",
		include: []string{"/usr/include/fuse3"},
		defines: []string{"FUSE_USE_VERSION=31"},
		structs: []string{"fuse_operations"},
	},
	{
		name:    "sqlite3",
		header:  "/usr/include/sqlite3.h",
		source:  "#include <sqlite3.h>\n",
		structs: []string{"sqlite3_io_methods", "sqlite3_vfs", "sqlite3_module"},
	},
}

// TestUserspaceStructsMatchDWARF reads FUSE's and SQLite's headers with
// cc/v4's own preprocessor and compares the plugin structs with the DWARF
// gcc writes for the same includes and flags.
func TestUserspaceStructsMatchDWARF(t *testing.T) {
	gcc := testtool.Need(t, "gcc")
	for _, tc := range userspaceCases {
		t.Run(tc.name, func(t *testing.T) {
			testtool.NeedFile(t, tc.header, "make test installs libfuse3-dev and libsqlite3-dev")
			dir := t.TempDir()
			src := filepath.Join(dir, "x.c")
			writeFile(t, src, tc.source)
			args := []string{"-g", "-fno-eliminate-unused-debug-types", "-c", "-o", filepath.Join(dir, "x.o")}
			for _, d := range tc.include {
				args = append(args, "-I"+d)
			}
			for _, d := range tc.defines {
				args = append(args, "-D"+d)
			}
			if out, err := exec.Command(gcc, append(args, src)...).CombinedOutput(); err != nil {
				t.Fatalf("gcc: %v\n%s", err, out)
			}
			oracle := dwarfStructs(t, filepath.Join(dir, "x.o"))

			p, err := NewParser(Options{IncludeDirs: tc.include, Defines: tc.defines})
			if err != nil {
				t.Fatal(err)
			}
			u, diags := p.Parse(src)
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			for _, name := range tc.structs {
				want, ok := oracle[name]
				if !ok {
					t.Fatalf("the DWARF has no struct %s with function pointers", name)
				}
				var got = findStruct(u.Structs, name)
				if problem := compareStruct(got, want); problem != "" {
					t.Errorf("struct %s: %s", name, problem)
				} else {
					t.Logf("struct %s: size %d and %d members (names, kinds, parameter counts, offsets) match the DWARF", name, want.size, len(want.members))
				}
			}
		})
	}
}
