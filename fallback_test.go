package vtablegen

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestFallbackRustValue: a fallback rule's rust value is the fallback's
// Rust value, taken only by impls without the method (and with the if
// method): 7.x's bindings make compat_ptr_ioctl an Option const, which
// Some() does not take, and an impl without ioctl must stay None.
func TestFallbackRustValue(t *testing.T) {
	dir := t.TempDir()
	writeTestFile(t, filepath.Join(dir, "ops.h"), "struct file_ops {\n\tlong (*unlocked_ioctl)(void *, unsigned, unsigned long);\n\tlong (*compat_ioctl)(void *, unsigned, unsigned long);\n};\nlong compat_ptr_ioctl(void *, unsigned, unsigned long);\n")
	writeTestFile(t, filepath.Join(dir, "ops.rs"), "#[vtable]\npub trait FileOps {\n    fn ioctl(_f: *mut u8, _c: u32, _a: usize) -> isize { 0 }\n    fn compat_ioctl(_f: *mut u8, _c: u32, _a: usize) -> isize { 0 }\n}\n\npub struct A;\n\n#[vtable]\nimpl FileOps for A {\n    fn ioctl(_f: *mut u8, _c: u32, _a: usize) -> isize { 1 }\n}\n")
	rs := generateCompat(t, dir)["file_ops_vtable.rs"]
	want := "compat_ioctl: if T::HAS_COMPAT_IOCTL { Some(compat_ioctl_callback::<T>) } else { if T::HAS_IOCTL { ffi::compat_ptr_ioctl } else { None } },"
	if !strings.Contains(rs, want) {
		t.Errorf("file_ops_vtable.rs has no line %q:\n%s", want, rs)
	}
}

// TestFallbackWithoutMethod: a fallback on another method's presence needs
// no method of its own: compat_ioctl is compat_ptr_ioctl in an impl with
// ioctl and NULL in one without, in the C initializers and the Rust VTABLE,
// though the trait has no compat_ioctl.
func TestFallbackWithoutMethod(t *testing.T) {
	dir := t.TempDir()
	writeTestFile(t, filepath.Join(dir, "ops.h"), "struct file_ops {\n\tint (*open)(void *);\n\tlong (*unlocked_ioctl)(void *, unsigned, unsigned long);\n\tlong (*compat_ioctl)(void *, unsigned, unsigned long);\n};\nlong compat_ptr_ioctl(void *, unsigned, unsigned long);\n")
	writeTestFile(t, filepath.Join(dir, "ops.rs"), "#[vtable]\npub trait FileOps {\n    fn open(_f: *mut u8) -> i32 { 0 }\n    fn ioctl(_f: *mut u8, _c: u32, _a: usize) -> isize { 0 }\n}\n\npub struct A;\n\n#[vtable]\nimpl FileOps for A {\n    fn ioctl(_f: *mut u8, _c: u32, _a: usize) -> isize { 1 }\n}\n\npub struct B;\n\n#[vtable]\nimpl FileOps for B {\n    fn open(_f: *mut u8) -> i32 { 1 }\n}\n")
	files := generateCompat(t, dir)
	for _, want := range []string{"const struct file_ops a_file_ops = {\n\t.open = NULL,\n\t.unlocked_ioctl = a_unlocked_ioctl,\n\t.compat_ioctl = compat_ptr_ioctl,\n};",
		"const struct file_ops b_file_ops = {\n\t.open = b_open,\n\t.unlocked_ioctl = NULL,\n\t.compat_ioctl = NULL,\n};"} {
		if !strings.Contains(files["file_ops_vtable.c"], want) {
			t.Errorf("file_ops_vtable.c has no\n%s\n:\n%s", want, files["file_ops_vtable.c"])
		}
	}
	if want := "compat_ioctl: if T::HAS_IOCTL { ffi::compat_ptr_ioctl } else { None },"; !strings.Contains(files["file_ops_vtable.rs"], want) {
		t.Errorf("file_ops_vtable.rs has no line %q:\n%s", want, files["file_ops_vtable.rs"])
	}
}

// generateCompat runs the binding of ops.h and ops.rs in dir, with
// compat_ioctl's fallback rule, and returns the generated files by name.
func generateCompat(t *testing.T, dir string) map[string]string {
	t.Helper()
	writeTestFile(t, filepath.Join(dir, "vtable.toml"), `[[binding]]
header = "ops.h"
rust = ["ops.rs"]
out = "gen"

[binding.members]
unlocked_ioctl = "ioctl"
compat_ioctl = { fallback = "compat_ptr_ioctl", if = "ioctl", rust = "ffi::compat_ptr_ioctl" }
`)
	cfgs, diags := LoadConfig(filepath.Join(dir, "vtable.toml"))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	r := Generate(cfgs[0])
	if r.Diagnostics.HasErrors() {
		t.Fatal(r.Diagnostics)
	}
	files := map[string]string{}
	for _, f := range r.Files {
		files[f.Name] = string(f.Content)
	}
	return files
}
