package vtablegen

import (
	"path/filepath"
	"testing"
)

// TestRustDeclarations builds the Rust side of structs in the shapes real
// library headers have, each of which once failed rustc: a trait named as
// the C typedef of its struct (GLib's GSourceFuncs), a struct pointing to
// itself, typedefs of a tagless enum, struct, union and of a function type
// (Tcl's Tcl_FileProc), a struct member held by value (a GObject class
// struct's parent), a member of a union type without a name (libuv's
// handles). The layout assertions run in rustc, and the program calls
// through the initializer.
func TestRustDeclarations(t *testing.T) {
	dir := t.TempDir()
	writeTestFile(t, filepath.Join(dir, "ops.h"), `typedef struct _Funcs Funcs;
typedef void (file_proc)(int mask);
typedef enum { OK, FAILED } status_t;
typedef struct { int x; } point_t;
typedef union { int a; float b; } u_t;
struct error { int code; long more; };
struct _Funcs {
	struct error last;
	int (*prepare)(Funcs *self, int timeout);
	void (*watch)(int fd, file_proc *proc);
	status_t (*st)(point_t *p, u_t *u);
	struct _Funcs *(*next)(struct _Funcs *f);
	union { int fd; void *reserved[4]; } u;
	point_t origin;
};
`)
	writeTestFile(t, filepath.Join(dir, "ops.rs"), `#[vtable]
pub trait Funcs {
    fn prepare(f: *mut u8, timeout: i32) -> i32;
    fn next(f: *mut u8) -> *mut u8;
}

pub struct Only;

#[vtable]
impl Funcs for Only {
    fn prepare(_f: *mut u8, timeout: i32) -> i32 {
        timeout + 1
    }
    fn next(f: *mut u8) -> *mut u8 {
        f
    }
}
`)
	writeTestFile(t, filepath.Join(dir, "lib.rs"), "#[path = \"gen/ops_expanded.rs\"]\nmod ops;\npub use ops::*;\ninclude!(\"gen/Funcs_vtable.rs\");\n")
	writeTestFile(t, filepath.Join(dir, "main.c"), `#include <stdio.h>
#include "ops.h"
extern const Funcs only_Funcs;
int main(void)
{
	Funcs f = only_Funcs;
	printf("%d %d %d\n", f.prepare(&f, 41), f.next(&f) == &f, f.watch == NULL && f.st == NULL);
	return 0;
}
`)
	r := Generate(Config{Header: filepath.Join(dir, "ops.h"), Struct: "Funcs", RustFiles: []string{filepath.Join(dir, "ops.rs")}, OutDir: filepath.Join(dir, "gen")})
	if r.Diagnostics.HasErrors() {
		t.Fatal(r.Diagnostics)
	}
	for _, f := range r.Files {
		writeTestFile(t, filepath.Join(dir, "gen", f.Name), string(f.Content))
	}
	out := linkAndRun(t, dir, "lib.rs", nil, []string{"main.c", filepath.Join("gen", "Funcs_vtable.c")})
	if want := "42 1 1\n"; out != want {
		t.Errorf("output %q, want %q", out, want)
	}
}
