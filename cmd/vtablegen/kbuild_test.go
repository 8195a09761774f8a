package main

import (
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vtablegen/vtablegen/internal/testtool"
)

// TestGenCompilesInKbuild builds the C that gen writes as an object of an
// out-of-tree Kbuild module against Debian's 6.12 headers (fetched by make
// test), with -Werror: no <stddef.h> there, the kernel's own flags and
// config. The header has a member under CONFIG_COMPAT (set in Debian's
// config) and one under a macro the kernel never sets; gen read it with
// both defined. The object must reference the callbacks of exactly the
// members that exist.
func TestGenCompilesInKbuild(t *testing.T) {
	testtool.Need(t, "make")
	version, err := os.ReadFile(testtool.NeedFile(t, filepath.Join("..", "..", ".cache", "kernel", "version"), "make test runs scripts/kernel-fixtures.sh"))
	if err != nil {
		t.Fatal(err)
	}
	kbuild := testtool.NeedFile(t, "/usr/src/linux-headers-"+strings.TrimSpace(string(version)), "make test runs scripts/kernel-fixtures.sh")
	dir := t.TempDir()
	writeArchiveFile(t, dir, archiveFile{name: "ops.h", data: []byte(`struct file;
struct kops {
	int (*open)(struct file *);
	long (*ioctl)(struct file *, unsigned int, unsigned long);
#ifdef CONFIG_COMPAT
	long (*compat_ioctl)(struct file *, unsigned int, unsigned long);
#endif
#ifdef CONFIG_VTABLEGEN_NEVER_SET
	int (*never)(struct file *);
#endif
};
`)})
	writeArchiveFile(t, dir, archiveFile{name: "ops.rs", data: []byte(`#[vtable]
pub trait KOps {
    fn open(f: *mut u8) -> i32;
    fn ioctl(_f: *mut u8, _c: u32, _a: u64) -> i64 { 0 }
    fn compat_ioctl(_f: *mut u8, _c: u32, _a: u64) -> i64 { 0 }
    fn never(_f: *mut u8) -> i32 { 0 }
}
pub struct Dev;
#[vtable]
impl KOps for Dev {
    fn open(_f: *mut u8) -> i32 { 0 }
    fn compat_ioctl(_f: *mut u8, _c: u32, _a: u64) -> i64 { 0 }
    fn never(_f: *mut u8) -> i32 { 0 }
}
`)})
	writeArchiveFile(t, dir, archiveFile{name: "Kbuild", data: []byte("obj-m := kops_vtable.o\nccflags-y := -Werror\n")})
	if code, _, stderr := runCmd("gen", "-q", "-C", dir, "-header", "ops.h", "-DCONFIG_COMPAT", "-DCONFIG_VTABLEGEN_NEVER_SET", "ops.rs"); code != 0 {
		t.Fatalf("gen: exit %d: %s", code, stderr)
	}
	cmd := exec.Command("make", "-s", "-C", kbuild, "M="+dir, "kops_vtable.o")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("Kbuild: %v\n%s", err, out)
	}
	f, err := elf.Open(filepath.Join(dir, "kops_vtable.o"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	syms, err := f.Symbols()
	if err != nil {
		t.Fatal(err)
	}
	var undefined, defined []string
	for _, s := range syms {
		switch {
		case s.Section == elf.SHN_UNDEF && s.Name != "":
			undefined = append(undefined, s.Name)
		case elf.ST_TYPE(s.Info) == elf.STT_OBJECT:
			defined = append(defined, s.Name)
		}
	}
	slices.Sort(undefined)
	if want := []string{"dev_compat_ioctl", "dev_open"}; !slices.Equal(undefined, want) {
		t.Errorf("the object references %v, want %v", undefined, want)
	}
	if !slices.Contains(defined, "dev_kops") {
		t.Errorf("the object defines %v, want dev_kops among them", defined)
	}
}

// TestGenReadsTheKernel binds a trait to the real struct file_operations
// through each of the build's modes that structs has: the Kbuild command
// file, and the preprocessed unit; only the declarations file_operations
// needs are parsed (-v says so), and the C output includes <linux/fs.h>.
func TestGenReadsTheKernel(t *testing.T) {
	testtool.Need(t, "gcc")
	kernel := filepath.Join("..", "..", ".cache", "kernel")
	cmdFile := testtool.NeedFile(t, filepath.Join(kernel, ".x.o.cmd"), "make test runs scripts/kernel-fixtures.sh")
	unit := testtool.NeedFile(t, filepath.Join(kernel, "x.i"), "make test runs scripts/kernel-fixtures.sh")
	dir := t.TempDir()
	rs := writeArchiveFile(t, dir, archiveFile{name: "ops.rs", data: []byte(`#[vtable]
pub trait FileOps {
    fn open(inode: *mut u8, file: *mut u8) -> i32;
    fn llseek(_file: *mut u8, offset: i64, _whence: i32) -> i64 { offset }
}
pub struct Dev;
#[vtable]
impl FileOps for Dev {
    fn open(_inode: *mut u8, _file: *mut u8) -> i32 { 0 }
}
`)})
	var outputs []string
	for _, mode := range [][]string{{"-kbuild-cmd", cmdFile}, {"-preprocessed", "-header", unit}} {
		out := filepath.Join(dir, mode[0][1:])
		args := append(append([]string{"gen", "-v", "-q", "-struct", "file_operations", "-o", out}, mode...), rs)
		code, _, stderr := runCmd(args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", mode, code, stderr)
		}
		if !strings.Contains(stderr, "parsed only the declarations file_operations need") {
			t.Errorf("%v: the unit was not sliced to file_operations:\n%s", mode, stderr)
		}
		// Through Kbuild's gcc, struct file_operations is read from the
		// output written so far while gcc goes on.
		if spec := strings.Contains(stderr, "read while the preprocessor ran"); spec != (mode[0] == "-kbuild-cmd") {
			t.Errorf("%v: read while the preprocessor ran: %v:\n%s", mode, spec, stderr)
		}
		b, err := os.ReadFile(filepath.Join(out, "file_operations_vtable.c"))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"#include <linux/fs.h>\n", "\t.open = dev_open,\n", "\t.llseek = NULL,\n", "\t.read_iter = NULL,\n"} {
			if !strings.Contains(string(b), want) {
				t.Errorf("%v: the C output lacks %q", mode, want)
			}
		}
		text := string(b)
		outputs = append(outputs, text[strings.Index(text, "#include"):])
	}
	if outputs[0] != outputs[1] {
		t.Errorf("-kbuild-cmd and -preprocessed give different initializers:\n%s\n---\n%s", outputs[0], outputs[1])
	}
}
