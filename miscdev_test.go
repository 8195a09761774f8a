package vtablegen

import (
	"bytes"
	"debug/dwarf"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vtablegen/vtablegen/internal/testtool"
)

var miscdev = filepath.Join("examples", "miscdev")

// TestMiscdevGolden generates the misc device example, bound to the real
// struct file_operations of Debian's 6.12 headers through the Kbuild
// command file, and compares it with the committed outputs.
func TestMiscdevGolden(t *testing.T) {
	testtool.Need(t, "gcc")
	testtool.NeedFile(t, filepath.Join(".cache", "kernel", ".x.o.cmd"), "make test runs scripts/kernel-fixtures.sh")
	cfgs, diags := LoadConfig(filepath.Join(miscdev, DefaultConfigFile))
	if diags.HasErrors() || len(cfgs) != 1 {
		t.Fatalf("LoadConfig: %v", diags)
	}
	checkGolden(t, Generate(cfgs[0]), filepath.Join(miscdev, "gen"), "file_operations_vtable.c", "file_operations_vtable.rs", "miscdev_expanded.rs", "file_operations_skeleton.rs")
}

// TestMiscdevKbuild builds the committed C initializer of the misc device
// example into an out-of-tree module of Debian's 6.12 headers with the
// kernel's flags and -Werror, then reads the object: from its relocations
// and the DWARF of struct file_operations, each member the binding fills
// points to the expected symbol and every other function member is NULL.
func TestMiscdevKbuild(t *testing.T) {
	testtool.Need(t, "make")
	testtool.Need(t, "gcc")
	kbuild := kernelObjtree(t)
	dir := t.TempDir()
	copyFile(t, filepath.Join(miscdev, "module", "Kbuild"), filepath.Join(dir, "Kbuild"))
	copyFile(t, filepath.Join(miscdev, "module", "stubs.c"), filepath.Join(dir, "stubs.c"))
	copyFile(t, filepath.Join(miscdev, "gen", "file_operations_vtable.c"), filepath.Join(dir, "file_operations_vtable.c"))
	if out, err := exec.Command("make", "-s", "-C", kbuild, "M="+dir).CombinedOutput(); err != nil {
		t.Fatalf("Kbuild: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "miscdev.ko")); err != nil {
		t.Fatalf("no module: %v", err)
	}
	got := initializerMembers(t, filepath.Join(dir, "file_operations_vtable.o"), "rust_misc_file_operations", "file_operations")
	want := map[string]string{
		"owner": "__this_module", "llseek": "rust_misc_llseek", "read_iter": "rust_misc_read_iter",
		"write_iter": "rust_misc_write_iter", "unlocked_ioctl": "rust_misc_unlocked_ioctl",
		"compat_ioctl": "compat_ptr_ioctl", "open": "rust_misc_open",
	}
	funcs := 0
	for member, sym := range got {
		if member == "" {
			continue
		}
		if w, ok := want[member]; ok {
			if sym != w {
				t.Errorf("%s points to %q, want %s", member, sym, w)
			}
			continue
		}
		funcs++
		if sym != "NULL" {
			t.Errorf("%s points to %q, want NULL", member, sym)
		}
	}
	for member := range want {
		if _, ok := got[member]; !ok {
			t.Errorf("member %s not in the DWARF of file_operations", member)
		}
	}
	if funcs < 20 {
		t.Errorf("only %d other function members checked: %v", funcs, got)
	}
}

// initializerMembers reads the object file obj: the initializer symbol
// sym, the relocations into it, and the member offsets of struct tag from
// the object's DWARF. It returns, for owner and every function member, the
// symbol its word points to, or "NULL" when nothing does and it is zero.
func initializerMembers(t *testing.T, obj, sym, tag string) map[string]string {
	t.Helper()
	f, err := elf.Open(obj)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	syms, err := f.Symbols()
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(syms, func(s elf.Symbol) bool { return s.Name == sym })
	if i < 0 {
		t.Fatalf("%s does not define %s", obj, sym)
	}
	init := syms[i]
	sec := f.Sections[init.Section]
	data, err := sec.Data()
	if err != nil {
		t.Fatal(err)
	}
	// The relocations of the initializer's section, by offset in it.
	targets := map[uint64]string{}
	for _, rs := range f.Sections {
		if rs.Type != elf.SHT_RELA || rs.Info != uint32(init.Section) {
			continue
		}
		b, err := rs.Data()
		if err != nil {
			t.Fatal(err)
		}
		for off := 0; off+24 <= len(b); off += 24 {
			r := elf.Rela64{Off: f.ByteOrder.Uint64(b[off:]), Info: f.ByteOrder.Uint64(b[off+8:])}
			if s := elf.R_SYM64(r.Info); s > 0 && int(s) <= len(syms) {
				targets[r.Off] = syms[s-1].Name
			}
		}
	}
	d, err := f.DWARF()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	rd := d.Reader()
	for {
		e, err := rd.Next()
		if err != nil || e == nil {
			break
		}
		if e.Tag != dwarf.TagStructType || e.Val(dwarf.AttrName) != tag || e.Val(dwarf.AttrDeclaration) != nil {
			continue
		}
		for {
			m, err := rd.Next()
			if err != nil || m == nil || m.Tag == 0 {
				break
			}
			if m.Tag != dwarf.TagMember {
				rd.SkipChildren()
				continue
			}
			name, _ := m.Val(dwarf.AttrName).(string)
			off, _ := m.Val(dwarf.AttrDataMemberLoc).(int64)
			typ, err := d.Type(m.Val(dwarf.AttrType).(dwarf.Offset))
			if err != nil {
				t.Fatal(err)
			}
			isFunc := false
			if pt, ok := typ.(*dwarf.PtrType); ok {
				_, isFunc = pt.Type.(*dwarf.FuncType)
			}
			if td, ok := typ.(*dwarf.TypedefType); ok {
				if pt, ok := td.Type.(*dwarf.PtrType); ok {
					_, isFunc = pt.Type.(*dwarf.FuncType)
				}
			}
			if !isFunc && name != "owner" {
				continue
			}
			at := init.Value + uint64(off) // symbol values are offsets in their section
			switch target, ok := targets[at]; {
			case ok:
				out[name] = target
			case at+8 <= uint64(len(data)) && bytes.Equal(data[at:at+8], make([]byte, 8)):
				out[name] = "NULL"
			default:
				out[name] = "?"
			}
		}
		break
	}
	if len(out) == 0 {
		t.Fatalf("no struct %s in the DWARF of %s", tag, obj)
	}
	return out
}

// kernelBindings runs Debian's bindgen on the reference Kbuild unit's
// source with the kernel's include paths and defines (from its .cmd file),
// as the kernel's own Rust build does, for the types and functions named,
// writing dir/bindings.rs: the bindings the kernel-style Rust VTABLE is
// type-checked against.
func kernelBindings(t *testing.T, dir string, types, functions []string) string {
	t.Helper()
	bindgen := testtool.Need(t, "bindgen")
	k := filepath.Join(".cache", "kernel")
	objtree := kernelObjtree(t)
	cmdText, err := os.ReadFile(filepath.Join(k, ".x.o.cmd"))
	if err != nil {
		t.Fatal(err)
	}
	line, _, _ := strings.Cut(string(cmdText), "\n")
	_, line, _ = strings.Cut(line, ":= ")
	line, _, _ = strings.Cut(line, ";")
	// Only what decides the declarations: include paths, forced includes,
	// defines, the language standard. gcc's code-generation flags mean
	// nothing to clang. (KBUILD_MODNAME's shell quotes are taken off.)
	var clang []string
	words := strings.Fields(line)
	for i := 0; i < len(words); i++ {
		w := words[i]
		switch {
		case w == "-include" && i+1 < len(words):
			clang = append(clang, w, words[i+1])
			i++
		case strings.HasPrefix(w, "-I"), strings.HasPrefix(w, "-std="), w == "-nostdinc":
			clang = append(clang, w)
		case strings.HasPrefix(w, "-D"):
			clang = append(clang, strings.ReplaceAll(w, "'", ""))
		}
	}
	src, err := filepath.Abs(filepath.Join(k, "x.c"))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "bindings.rs")
	// --size_t-is-usize as the kernel's rust/Makefile passes it to bindgen
	// before 0.61 (Debian 12 has 0.60), where it became the default.
	args := []string{"--use-core", "--size_t-is-usize", "--ctypes-prefix", "::core::ffi", "--opaque-type", "xregs_state", "--no-layout-tests",
		"--no-doc-comments", "-o", out}
	for _, ty := range types {
		args = append(args, "--allowlist-type", ty)
	}
	for _, f := range functions {
		args = append(args, "--allowlist-function", f)
	}
	args = append(append(append(args, src, "--"), clang...), "-m64", "-mno-sse")
	cmd := exec.Command(bindgen, args...)
	cmd.Dir = objtree
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("bindgen: %v\n%s", err, b)
	}
	return out
}

// miscdevCrate is a stand-in for the kernel crate around the misc device
// example's Rust: its prelude, THIS_MODULE, pin_init::zeroed and the
// adapter type, with bindgen's bindings as bindings and the committed
// generated files included, so that plain rustc type-checks the VTABLE
// and the skeleton against the real struct file_operations.
const miscdevCrate = `#![allow(dead_code, non_camel_case_types, non_upper_case_globals, non_snake_case, improper_ctypes, unused_variables, unreachable_code, unused_unsafe, clippy::all)]

pub mod bindings {
    include!(concat!(env!("BINDINGS")));
}

pub mod prelude {
    pub struct Inode(());
    pub struct File(());
    pub struct Kiocb(());
    pub struct IovIter(());
    pub struct VmArea(());
    pub struct Error(pub i32);
    pub const EINVAL: Error = Error(22);
    pub const ENODEV: Error = Error(19);
    pub const ENOTTY: Error = Error(25);
    pub type Result<T = ()> = core::result::Result<T, Error>;
}

pub struct ThisModule(*mut bindings::module);
impl ThisModule {
    pub const fn as_ptr(&self) -> *mut bindings::module {
        self.0
    }
}
pub const THIS_MODULE: ThisModule = ThisModule(core::ptr::null_mut());

pub mod pin_init {
    pub const fn zeroed<T>() -> T {
        unsafe { core::mem::zeroed() }
    }
}

#[path = "GEN/miscdev_expanded.rs"]
mod miscdev;
pub use miscdev::*;

pub struct MiscdevAdapter<T>(core::marker::PhantomData<T>);

include!("GEN/file_operations_skeleton.rs");
include!("GEN/file_operations_vtable.rs");

/// RustMisc's file_operations, as the kernel would register them.
pub fn rust_misc_fops() -> &'static bindings::file_operations {
    &MiscdevAdapter::<RustMisc>::VTABLE
}
`

// TestMiscdevRustAgainstBindgen type-checks the misc device example's
// kernel-style Rust VTABLE and adapter skeleton, generated from the real
// struct file_operations, with plain rustc against the bindings Debian's
// bindgen makes of the same headers.
func TestMiscdevRustAgainstBindgen(t *testing.T) {
	gen, err := filepath.Abs(filepath.Join(miscdev, "gen"))
	if err != nil {
		t.Fatal(err)
	}
	checkKernelCrate(t, miscdevCrate, gen)
}
