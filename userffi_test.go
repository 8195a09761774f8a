package vtablegen

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestUserFFITypes builds a trait whose methods take the user's own types
// (a hand-written ffi module, named through a use item the generated file
// does not see, as a SQLite user writes *mut ffi::sqlite3): without
// rust_types the trampolines declare their own opaque types and pass them
// on with .cast() and a generic helper, inferred from the method's
// signature; with rust_types = "crate::ffi" and rust_declare naming the
// ops struct, which the ffi module lacks, the struct is declared and the
// other types are the user's. Both link with C and run.
func TestUserFFITypes(t *testing.T) {
	header := `typedef struct db db;
struct cur;
typedef struct vt_ops vt_ops;
struct vt_ops {
	int iVersion;
	int (*xOpen)(db *d, const char *name, int type);
	int (*xClose)(db *d);
	struct cur *(*xCursor)(db *d);
	void (*xUnused)(db *d);
};
`
	ops := `#![allow(non_snake_case)]
use crate::ffi::{cur, db};
use ::core::ffi::{c_char, c_int};

#[vtable]
pub trait VtOps {
    fn xOpen(d: *mut db, name: *const c_char, kind: c_int) -> c_int;
    fn xClose(d: &mut db) -> c_int;
    fn xCursor(d: *mut db) -> *mut cur;
    fn xUnused(_d: *mut db) {}
}

pub struct Table;

#[vtable]
impl VtOps for Table {
    fn xOpen(d: *mut db, _name: *const c_char, kind: c_int) -> c_int {
        unsafe { (*d).n += kind };
        unsafe { (*d).n }
    }
    fn xClose(d: &mut db) -> c_int {
        d.n *= 10;
        d.n
    }
    fn xCursor(d: *mut db) -> *mut cur {
        d.cast()
    }
}
`
	main := `#include <stdio.h>
#include "ops.h"
struct db { int n; };
extern const struct vt_ops table_vt_ops;
int main(void)
{
	struct db d = { 1 };
	printf("%d\n", table_vt_ops.xOpen(&d, "x", 4));
	printf("%d\n", table_vt_ops.xClose(&d));
	printf("%d %d\n", (void *)table_vt_ops.xCursor(&d) == (void *)&d, table_vt_ops.xUnused == NULL);
	return 0;
}
`
	lib := `#[allow(non_camel_case_types)]
pub mod ffi {
    #[repr(C)]
    pub struct db {
        pub n: i32,
    }
    #[repr(C)]
    pub struct cur {
        _opaque: [u8; 0],
    }
}
#[path = "gen/ops_expanded.rs"]
mod ops;
pub use ops::*;
include!("gen/vt_ops_vtable.rs");
`
	for _, tc := range []struct{ name, toml string }{
		{"declared", ""},
		{"rust_types", "rust_types = \"crate::ffi\"\nrust_declare = [\"vt_ops\"]\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeTestFile(t, filepath.Join(dir, "ops.h"), header)
			writeTestFile(t, filepath.Join(dir, "ops.rs"), ops)
			writeTestFile(t, filepath.Join(dir, "main.c"), main)
			writeTestFile(t, filepath.Join(dir, "lib.rs"), lib)
			writeTestFile(t, filepath.Join(dir, "vtable.toml"), "[[binding]]\nheader = \"ops.h\"\nrust = [\"ops.rs\"]\nout = \"gen\"\n"+tc.toml)
			cfgs, diags := LoadConfig(filepath.Join(dir, "vtable.toml"))
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			r := Generate(cfgs[0])
			if r.Diagnostics.HasErrors() {
				t.Fatal(r.Diagnostics)
			}
			for _, f := range r.Files {
				writeTestFile(t, filepath.Join(dir, "gen", f.Name), string(f.Content))
			}
			out := linkAndRun(t, dir, "lib.rs", nil, []string{"main.c", filepath.Join("gen", "vt_ops_vtable.c")})
			if want := "5\n50\n1 1\n"; out != want {
				t.Errorf("output %q, want %q", out, want)
			}
			if tc.toml != "" {
				for _, f := range r.Files {
					if f.Name == "vt_ops_vtable.rs" && (!strings.Contains(string(f.Content), "pub struct vt_ops {") || strings.Contains(string(f.Content), "pub struct db")) {
						t.Errorf("with rust_types and rust_declare, the file must declare vt_ops and not db:\n%s", f.Content)
					}
				}
			}
		})
	}
}
