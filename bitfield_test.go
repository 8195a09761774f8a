package vtablegen

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBitfieldStruct generates the Rust side of an ops struct with runs
// of bitfields among its members (bytes in storage fields _bitfield_N, as
// bindgen stores them): rustc checks the layout assertions (size,
// alignment, every field's offset against gcc's, through cc/v4), and the
// program calls both callbacks through the C initializer and reads the
// Rust VTABLE's.
func TestBitfieldStruct(t *testing.T) {
	dir := t.TempDir()
	writeTestFile(t, filepath.Join(dir, "ops.h"), `struct bf_ops {
	char tag;
	unsigned a : 3, b : 5;
	unsigned c : 9;
	int (*open)(int);
	unsigned long long wide : 40;
	short s;
	int (*close)(int);
	unsigned tail : 1;
};
`)
	writeTestFile(t, filepath.Join(dir, "ops.rs"), `#[vtable]
pub trait BfOps {
    fn open(n: i32) -> i32;
    fn close(_n: i32) -> i32 { 0 }
}

pub struct P;

#[vtable]
impl BfOps for P {
    fn open(n: i32) -> i32 { n + 1 }
    fn close(n: i32) -> i32 { n * 2 }
}
`)
	writeTestFile(t, filepath.Join(dir, "lib.rs"), `#[path = "gen/ops_expanded.rs"]
mod ops;
pub use ops::*;
include!("gen/bf_ops_vtable.rs");

#[no_mangle]
pub extern "C" fn rust_open(n: i32) -> i32 {
    let v = bf_ops_vtable::Vtable::<P>::VTABLE;
    unsafe { (v.open.unwrap())(n) }
}
`)
	writeTestFile(t, filepath.Join(dir, "main.c"), `#include <stdio.h>
#include "ops.h"
extern const struct bf_ops p_bf_ops;
int rust_open(int);
int main(void)
{
	printf("%d %d %d\n", p_bf_ops.open(1), p_bf_ops.close(4), rust_open(10));
	return 0;
}
`)
	r := Generate(Config{Header: filepath.Join(dir, "ops.h"), RustFiles: []string{filepath.Join(dir, "ops.rs")}, OutDir: filepath.Join(dir, "gen")})
	if r.Diagnostics.HasErrors() || len(r.Diagnostics) > 0 {
		t.Fatal(r.Diagnostics)
	}
	for _, f := range r.Files {
		writeTestFile(t, filepath.Join(dir, "gen", f.Name), string(f.Content))
	}
	b, err := os.ReadFile(filepath.Join(dir, "gen", "bf_ops_vtable.rs"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"pub _bitfield_1: [u8; 7],", "pub _bitfield_2: [u8; 6],", "pub _bitfield_3: [u8; 8],", "#[repr(C, align(8))]"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("bf_ops_vtable.rs has no %q:\n%s", want, b)
		}
	}
	out := linkAndRun(t, dir, "lib.rs", nil, []string{"main.c", filepath.Join("gen", "bf_ops_vtable.c")})
	if want := "2 8 11\n"; out != want {
		t.Errorf("output %q, want %q", out, want)
	}
}
