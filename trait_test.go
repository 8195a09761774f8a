package vtablegen

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vtablegen/vtablegen/internal/testtool"
)

// traitProject writes the trait skeleton of cfg's struct and its binding
// file into a new directory, adds the files of testdata/trait named by
// extra (name in the directory: file in testdata/trait), runs the
// binding, and returns the directory and the skeleton.
func traitProject(t *testing.T, cfg Config, o TraitOptions, extra map[string]string) (string, *TraitSkeleton) {
	t.Helper()
	dir := t.TempDir()
	o.ConfigFile = filepath.Join(dir, DefaultConfigFile)
	sk, diags := Trait(cfg, o)
	if diags.HasErrors() || sk == nil {
		t.Fatalf("Trait: %v", diags)
	}
	writeTestFile(t, filepath.Join(dir, TraitFileName(cfg.Struct)), string(sk.Trait))
	writeTestFile(t, o.ConfigFile, string(sk.Config))
	for name, from := range extra {
		copyFile(t, filepath.Join("testdata", "trait", from), filepath.Join(dir, name))
	}
	cfgs, diags := LoadConfig(o.ConfigFile)
	if diags.HasErrors() || len(cfgs) != 1 {
		t.Fatalf("LoadConfig:\n%s\n%v", sk.Config, diags)
	}
	r := Generate(cfgs[0])
	if r.Diagnostics.HasErrors() {
		t.Fatalf("Generate:\n%v\ntrait:\n%s", r.Diagnostics, sk.Trait)
	}
	for _, f := range r.Files {
		writeTestFile(t, filepath.Join(dir, "gen", f.Name), string(f.Content))
	}
	return dir, sk
}

// runRust builds main.rs of dir with rustc and the link flags, runs it,
// and returns its output.
func runRust(t *testing.T, dir string, link ...string) string {
	t.Helper()
	rustc := testtool.Need(t, "rustc")
	args := append([]string{"--edition", "2021", "-D", "warnings", "-o", filepath.Join(dir, "main"), filepath.Join(dir, "main.rs")}, link...)
	if out, err := exec.Command(rustc, args...).CombinedOutput(); err != nil {
		t.Fatalf("rustc: %v\n%s", err, out)
	}
	out, err := exec.Command(filepath.Join(dir, "main")).CombinedOutput()
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out)
	}
	return string(out)
}

// TestTraitSqlite3Module: the skeleton of SQLite's sqlite3_module, an
// impl of ten of its methods (an eponymous virtual table of 1..5), the
// generated VTABLE and trampolines build with plain rustc, and SQLite
// itself queries the table through them.
func TestTraitSqlite3Module(t *testing.T) {
	header := testtool.NeedFile(t, "/usr/include/sqlite3.h", "make test installs libsqlite3-dev")
	dir, sk := traitProject(t, Config{Header: header, Struct: "sqlite3_module"}, TraitOptions{},
		map[string]string{"series.rs": "series.rs", "main.rs": "series_main.rs"})
	if sk.Name != "Sqlite3Module" || len(sk.Methods) < 23 {
		t.Errorf("trait %s with %d methods", sk.Name, len(sk.Methods))
	}
	wantLines(t, "trait", string(sk.Trait),
		"pub trait Sqlite3Module {",
		"fn xBestIndex(_pVTab: *mut sqlite3_vtab, _arg1: *mut sqlite3_index_info) -> c_int {",
		`unreachable!("sqlite3_module.xBestIndex is NULL for an impl without xBestIndex")`)
	wantLines(t, "vtable.toml", string(sk.Config), `struct = "sqlite3_module"`, `trait = "Sqlite3Module"`,
		`header = "`+header+`"`, `macro = "7.2"`)
	if got := runRust(t, dir, "-l", "sqlite3"); got != "sum 15 count 5\n" {
		t.Errorf("got %q", got)
	}
}

// TestTraitFuseOperations: the skeleton of libfuse's fuse_operations,
// with the header's comments as docs, an impl of getattr and read, and a
// program that calls them through the generated table.
func TestTraitFuseOperations(t *testing.T) {
	header := testtool.NeedFile(t, "/usr/include/fuse3/fuse.h", "make test installs libfuse3-dev")
	dir, sk := traitProject(t, Config{Header: header, Struct: "fuse_operations", Defines: []string{"FUSE_USE_VERSION=31"}}, TraitOptions{},
		map[string]string{"hello.rs": "hello.rs", "main.rs": "hello_main.rs"})
	wantLines(t, "trait", string(sk.Trait),
		"/// Get file attributes.",
		"/// Similar to stat().  The 'st_dev' and 'st_blksize' fields are",
		"fn getattr(_arg0: *const c_char, _arg1: *mut stat, _fi: *mut fuse_file_info) -> c_int {")
	wantLines(t, "vtable.toml", string(sk.Config), `cflags = ["-DFUSE_USE_VERSION=31"]`)
	if got := runRust(t, dir); got != "read 6 \"world\\n\"\n" {
		t.Errorf("got %q", got)
	}
	// The C side of the same binding compiles against the real header.
	gcc := testtool.Need(t, "gcc")
	c := filepath.Join(dir, "gen", "fuse_operations_vtable.c")
	if out, err := exec.Command(gcc, "-Wall", "-Werror", "-DFUSE_USE_VERSION=31", "-I/usr/include/fuse3", "-c", "-o", c+".o", c).CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s", err, out)
	}
}

// TestTraitFileOperationsKernel: the kernel form of the skeleton for the
// real struct file_operations (6.12 headers, read through the Kbuild
// command), bound in kernel style, with an impl of three methods: trait,
// VTABLE and adapter skeleton type-check with plain rustc against
// bindgen's bindings of the same unit.
func TestTraitFileOperationsKernel(t *testing.T) {
	testtool.NeedFile(t, filepath.Join(".cache", "kernel", ".x.o.cmd"), "make test runs scripts/kernel-fixtures.sh")
	testtool.Need(t, "gcc")
	dir, sk := traitProject(t, Config{KbuildCmd: filepath.Join(".cache", "kernel", ".x.o.cmd"), Struct: "file_operations"},
		TraitOptions{Kernel: true}, map[string]string{"rawfile.rs": "rawfile.rs"})
	wantLines(t, "trait", string(sk.Trait), "pub trait FileOperations {",
		"kernel::build_error!(kernel::error::VTABLE_DEFAULT_ERROR)",
		"_arg0: *mut bindings::file,")
	wantLines(t, "vtable.toml", string(sk.Config), `rust_style = "kernel"`, `macro = "6.12"`)
	if n := strings.Count(string(sk.Trait), "\n    fn "); n < 25 {
		t.Errorf("%d methods", n)
	}
	for _, name := range []string{"file_operations_vtable.rs", "file_operations_skeleton.rs"} {
		if _, err := os.Stat(filepath.Join(dir, "gen", name)); err != nil {
			t.Fatal(err)
		}
	}
	checkKernelCrate(t, traitCrate, filepath.Join(dir, "gen"))
}

const traitCrate = kernelCratePrefix + `
pub mod extra {}

pub mod kernel {
    pub mod error {
        pub const VTABLE_DEFAULT_ERROR: &str = "This function must not be called, see the #[vtable] documentation.";
    }
    #[macro_export]
    macro_rules! build_error {
        ($msg:expr) => {
            panic!("{}", $msg)
        };
    }
    pub use crate::build_error;
}

pub mod fops {
    use crate::bindings;
    use crate::kernel;
    use crate::pin_init;
    use crate::prelude::*;

    include!("GEN/file_operations_trait_expanded.rs");
    include!("GEN/rawfile_expanded.rs");

    pub struct Adapter<T>(PhantomData<T>);
    include!("GEN/file_operations_skeleton.rs");
    include!("GEN/file_operations_vtable.rs");

    pub struct Fops(pub bindings::file_operations);
    unsafe impl Sync for Fops {}
    pub static RAW_FILE: Fops = Fops(Adapter::<RawFile>::VTABLE);
}
`

// TestTraitNamesAndDocs: a member named like a Rust keyword becomes a
// method with a trailing "_" and a rule in the binding file, which then
// binds; a variadic member has no method and a warning; each doc comes
// from the comment above the member (a /* */ block or // lines) or after
// it on its line, never from the line above's trailing comment.
func TestTraitNamesAndDocs(t *testing.T) {
	dir := t.TempDir()
	header := filepath.Join(dir, "ops.h")
	writeTestFile(t, header, `struct ops {
	/**
	 * Says what type it is.
	 *
	 * Returns 0.
	 */
	int (*type)(int kind);
	// Logs.
	// Twice.
	void (*log)(const char *fmt, ...);
	int (*a)(void); /* about a */
	int (*b)(void);
};
`)
	sk, diags := Trait(Config{Header: header, Struct: "ops"}, TraitOptions{ConfigFile: filepath.Join(dir, DefaultConfigFile)})
	if diags.HasErrors() || sk == nil {
		t.Fatalf("Trait: %v", diags)
	}
	if len(diags) != 1 || diags[0].Pos.Line != 10 || !strings.Contains(diags[0].Msg, "log has no method in the trait: variadic") {
		t.Errorf("diagnostics: %v", diags)
	}
	trait := string(sk.Trait)
	wantLines(t, "trait", trait,
		"pub trait Ops {",
		"/// Says what type it is.",
		"///",
		"/// Returns 0.",
		"fn type_(_kind: c_int) -> c_int {",
		"// log: no method (variadic: Rust cannot define a C-variadic method); the member stays NULL.",
		"/// about a",
		"fn b() -> c_int {")
	if strings.Contains(trait, "Logs.") {
		t.Errorf("the doc of a member without a method:\n%s", trait)
	}
	if n := strings.Count(trait, "/// about a"); n != 1 {
		t.Errorf("a's comment %d times (b took it):\n%s", n, trait)
	}
	wantLines(t, "vtable.toml", string(sk.Config), `type = "type_"`, `trait = "Ops"`)
	// The binding file binds the renamed method.
	writeTestFile(t, filepath.Join(dir, "ops_trait.rs"), trait)
	writeTestFile(t, filepath.Join(dir, "impl.rs"), "pub struct K;\n#[vtable]\nimpl Ops for K {\n    fn type_(kind: c_int) -> c_int {\n        kind\n    }\n}\n")
	writeTestFile(t, filepath.Join(dir, DefaultConfigFile), string(sk.Config))
	cfgs, diags := LoadConfig(filepath.Join(dir, DefaultConfigFile))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	r := Generate(cfgs[0])
	if r.Diagnostics.HasErrors() {
		t.Fatal(r.Diagnostics)
	}
	var c string
	for _, f := range r.Files {
		if f.Name == "ops_vtable.c" {
			c = string(f.Content)
		}
	}
	wantLines(t, "ops_vtable.c", c, ".type = k_type,")
}

// TestTraitNameNotACType: a struct whose members take its own typedef
// (GLib's GHookList, whose finalize takes a GHookList *) gets a trait
// named with Ops after it, so that the trait file's import of the C type
// does not collide with the trait (E0255), and the project builds.
func TestTraitNameNotACType(t *testing.T) {
	dir := t.TempDir()
	header := filepath.Join(dir, "hook.h")
	writeTestFile(t, header, "typedef struct _GHookList GHookList;\nstruct _GHookList {\n\tvoid (*finalize)(GHookList *list);\n\tint (*count)(const GHookList *list);\n};\n")
	cfg := Config{Header: header, Struct: "GHookList"}
	sk, diags := Trait(cfg, TraitOptions{ConfigFile: filepath.Join(dir, DefaultConfigFile)})
	if diags.HasErrors() || sk == nil {
		t.Fatal(diags)
	}
	if !strings.Contains(string(sk.Trait), "pub trait GHookListOps {") {
		t.Fatalf("the trait is not GHookListOps:\n%s", sk.Trait)
	}
	proj, _ := traitProject(t, cfg, TraitOptions{}, nil)
	writeTestFile(t, filepath.Join(proj, "lib.rs"), "#![allow(non_snake_case, non_camel_case_types)]\ninclude!(\"gen/GHookList_trait_expanded.rs\");\ninclude!(\"gen/GHookList_vtable.rs\");\n")
	rustc := testtool.Need(t, "rustc")
	if out, err := exec.Command(rustc, "--edition", "2021", "--crate-type", "lib", "--emit", "metadata", "-o", filepath.Join(proj, "lib.rmeta"), filepath.Join(proj, "lib.rs")).CombinedOutput(); err != nil {
		t.Fatalf("rustc: %v\n%s", err, out)
	}
}
