package vtablegen

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vtablegen/vtablegen/internal/testtool"
	"github.com/vtablegen/vtablegen/vtable"
)

var framework = filepath.Join("examples", "framework")

// TestFrameworkGolden generates the framework example from its binding
// file and compares every output with the committed one under gen/.
func TestFrameworkGolden(t *testing.T) {
	testtool.Need(t, "gcc")
	cfgs, diags := LoadConfig(filepath.Join(framework, DefaultConfigFile))
	if len(diags) != 0 || len(cfgs) != 1 {
		t.Fatalf("LoadConfig: %d configs, diagnostics:\n%v", len(cfgs), diags)
	}
	checkGolden(t, Generate(cfgs[0]), filepath.Join(framework, "gen"), "stream_expanded.rs", "stream_ops_vtable.c", "stream_ops_vtable.rs")
}

// TestFrameworkCompilesAndRuns builds the framework example's Rust side
// (the committed expansion and trampolines, with plain rustc) and links it
// with -Werror to its main.c and the committed C initializers, with and
// without the macro its poll member is under (and the Rust cfg mapped to
// it): main.c calls every operation through the struct and prints what it
// returns, or takes its default where it is NULL. A second build hands C
// the Rust side's compile-time VTABLE instead of the C initializers
// (through an extern "C" registration call): it must print the same lines.
func TestFrameworkCompilesAndRuns(t *testing.T) {
	for _, tc := range []struct {
		name, want string
		rust, c    []string
	}{
		{"C initializers", "main.want", nil, nil},
		{"C initializers, poll", "main_poll.want", []string{"--cfg", `feature="poll"`}, []string{"-DSTREAM_HAVE_POLL"}},
		{"Rust VTABLE", "main.want", nil, []string{"-DRUST_VTABLE"}},
		{"Rust VTABLE, poll", "main_poll.want", []string{"--cfg", `feature="poll"`}, []string{"-DRUST_VTABLE", "-DSTREAM_HAVE_POLL"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := linkAndRun(t, framework, "lib.rs", tc.rust, []string{"main.c", filepath.Join("gen", "stream_ops_vtable.c")}, tc.c...)
			compareLines(t, out, filepath.Join(framework, tc.want))
		})
	}
}

// TestStarterForFramework writes a starter binding file for the
// framework's header: it lists every member, parses as a binding file,
// and, unedited, gen reports exactly the trait methods that need a rule.
func TestStarterForFramework(t *testing.T) {
	testtool.Need(t, "gcc")
	dir := t.TempDir()
	for _, f := range []string{"plugin.h", "stream.rs"} {
		copyFile(t, filepath.Join(framework, f), filepath.Join(dir, f))
	}
	file := filepath.Join(dir, DefaultConfigFile)
	content, diags := Starter(Config{Header: filepath.Join(dir, "plugin.h"), Trait: "StreamOps"}, file, nil)
	if diags.HasErrors() {
		t.Fatalf("Starter: %v", diags)
	}
	text := string(content)
	for _, m := range []string{"owner", "name", "flags", "open", "release", "read", "write", "seek", "seek64", "unlocked_ioctl",
		"compat_ioctl", "connect", "create", "flush", "fsync"} {
		if !strings.Contains(text, "\n# "+m+" = ") {
			t.Errorf("the starter does not list member %s:\n%s", m, text)
		}
	}
	for _, want := range []string{`struct = "stream_ops"`, `header = "plugin.h"`, `trait = "StreamOps"`, `rust = ["*.rs"]`,
		"# anonymous union (37): an impl fills one of its members",
		"#   func seek64: long (*)(struct stream *, long long, int) (line 39)",
		"# func unlocked_ioctl: stream_ioctl_fn (line 41)"} {
		if !strings.Contains(text, want) {
			t.Errorf("the starter lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "poll") {
		t.Errorf("the starter lists poll, which the header has only under STREAM_HAVE_POLL")
	}
	writeTestFile(t, file, text)
	cfgs, diags := LoadConfig(file)
	if diags.HasErrors() || len(cfgs) != 1 {
		t.Fatalf("LoadConfig of the starter: %v", diags)
	}
	r := Generate(cfgs[0])
	var unbound []string
	for _, d := range r.Diagnostics {
		if d.Severity == vtable.Error && strings.Contains(d.Msg, "has no function member") {
			unbound = append(unbound, d.Msg[:strings.Index(d.Msg, " of trait")])
		}
	}
	if want := []string{`method "ioctl"`, `method "poll"`}; !slices.Equal(unbound, want) {
		t.Errorf("errors of the unedited starter: %v, want %v\n%v", unbound, want, r.Diagnostics)
	}
}

// libBindgenRs is the framework's crate root with bindgen's bindings of
// plugin.h as the module ffi, which the binding names with
// rust_types = "crate::ffi".
const libBindgenRs = `#[macro_use]
mod prelude;

#[allow(non_camel_case_types, non_upper_case_globals, dead_code)]
mod ffi {
    include!("ffi_bindings.rs");
}

#[path = "gen/stream_expanded.rs"]
mod stream;

use ffi::{framework_module, stream_ops};
use prelude::*;
pub use stream::*;

include!("gen/stream_ops_vtable.rs");

use stream_ops_vtable::Vtable;

unsafe extern "C" {
    fn register_stream(name: *const core::ffi::c_char, ops: *const stream_ops);
}

#[unsafe(no_mangle)]
pub extern "C" fn rust_register_streams() {
    unsafe {
        register_stream(c"FileStream".as_ptr(), &Vtable::<FileStream>::VTABLE);
        register_stream(c"NullSink".as_ptr(), &Vtable::<NullSink>::VTABLE);
    }
}
`

// TestFrameworkWithBindgen generates the framework's Rust side against
// bindgen's bindings of its header (rust_types = "crate::ffi": no struct
// declared, every C type named through bindgen's), builds it with those
// bindings and runs it with the Rust VTABLE: the same lines as with the
// declared struct.
func TestFrameworkWithBindgen(t *testing.T) {
	bindgen := testtool.Need(t, "bindgen")
	testtool.Need(t, "gcc")
	dir := t.TempDir()
	for _, f := range []string{"plugin.h", "stream.rs", "prelude.rs", "main.c", "main_poll.want", DefaultConfigFile} {
		copyFile(t, filepath.Join(framework, f), filepath.Join(dir, f))
	}
	cfgFile := filepath.Join(dir, DefaultConfigFile)
	b, err := os.ReadFile(cfgFile)
	if err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, cfgFile, strings.Replace(string(b), `rust_result = "from_result"`, "rust_result = \"from_result\"\nrust_types = \"crate::ffi\"", 1))
	cfgs, diags := LoadConfig(cfgFile)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	r := Generate(cfgs[0])
	if r.Diagnostics.HasErrors() {
		t.Fatal(r.Diagnostics)
	}
	for _, f := range r.Files {
		if strings.HasSuffix(f.Name, "_vtable.rs") && strings.Contains(string(f.Content), "pub struct stream_ops {") {
			t.Errorf("%s declares stream_ops although rust_types names bindgen's", f.Name)
		}
		writeTestFile(t, filepath.Join(dir, "gen", f.Name), string(f.Content))
	}
	cmd := exec.Command(bindgen, "--size_t-is-usize", "--no-layout-tests", "--use-core", "--ctypes-prefix", "::core::ffi",
		"plugin.h", "-o", "ffi_bindings.rs", "--", "-DSTREAM_HAVE_POLL")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("bindgen: %v\n%s", err, out)
	}
	writeTestFile(t, filepath.Join(dir, "lib.rs"), libBindgenRs)
	out := linkAndRun(t, dir, "lib.rs", []string{"--cfg", `feature="poll"`},
		[]string{"main.c", filepath.Join("gen", "stream_ops_vtable.c")}, "-DRUST_VTABLE", "-DSTREAM_HAVE_POLL")
	compareLines(t, out, filepath.Join(dir, "main_poll.want"))
}
