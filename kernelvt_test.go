package vtablegen

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/vtablegen/vtablegen/internal/testtool"
)

// The bindings of the three kernel structs the kernel-style tests check
// against, made once per test binary: bindgen re-preprocesses the unit with
// clang, which takes seconds.
var (
	sharedBindingsOnce sync.Once
	sharedBindingsPath string
	sharedBindingsDir  string
)

// TestMain removes the shared bindings once every test has run.
func TestMain(m *testing.M) {
	code := m.Run()
	if sharedBindingsDir != "" {
		os.RemoveAll(sharedBindingsDir)
	}
	os.Exit(code)
}

// allKernelBindings returns bindgen's bindings for file_operations,
// phy_driver, blk_mq_ops and cpufreq_driver of the 6.12 headers (and
// compat_ptr_ioctl).
func allKernelBindings(t *testing.T) string {
	t.Helper()
	sharedBindingsOnce.Do(func() {
		dir, err := os.MkdirTemp("", "vtablegen-bindings-")
		if err != nil {
			t.Fatal(err)
		}
		sharedBindingsDir = dir
		sharedBindingsPath = kernelBindings(t, dir, []string{"file_operations", "phy_driver", "blk_mq_ops", "cpufreq_driver"}, []string{"compat_ptr_ioctl"})
	})
	if sharedBindingsPath == "" {
		t.Fatal("bindgen failed in an earlier test")
	}
	return sharedBindingsPath
}

// kernelVtable generates the binding of testdata/kernel/<name> (read
// through the reference Kbuild unit's flags) into a temporary directory and
// returns it, with the generated files by name.
func kernelVtable(t *testing.T, name string) (string, map[string]string) {
	t.Helper()
	testtool.Need(t, "gcc")
	testtool.NeedFile(t, filepath.Join(".cache", "kernel", ".x.o.cmd"), "make test runs scripts/kernel-fixtures.sh")
	cfgs, diags := LoadConfig(filepath.Join("testdata", "kernel", name, DefaultConfigFile))
	if diags.HasErrors() || len(cfgs) != 1 {
		t.Fatalf("LoadConfig: %v", diags)
	}
	r := Generate(cfgs[0])
	if r.Diagnostics.HasErrors() {
		t.Fatalf("Generate:\n%v", r.Diagnostics)
	}
	dir := t.TempDir()
	files := map[string]string{}
	for _, f := range r.Files {
		files[f.Name] = string(f.Content)
		writeTestFile(t, filepath.Join(dir, f.Name), string(f.Content))
	}
	return dir, files
}

// checkKernelCrate type-checks the crate src with plain rustc, GEN in it
// replaced by the directory of the generated files, against bindgen's
// bindings of the real headers, with the kernel configuration's cfgs
// (include/generated/rustc_cfg) as the kernel's Rust build passes them.
func checkKernelCrate(t *testing.T, src, gen string) {
	t.Helper()
	rustc := testtool.Need(t, "rustc")
	bindings := allKernelBindings(t)
	lib := filepath.Join(t.TempDir(), "lib.rs")
	writeTestFile(t, lib, strings.ReplaceAll(src, "GEN", gen))
	cfg := testtool.NeedFile(t, filepath.Join(kernelObjtree(t), "include", "generated", "rustc_cfg"), "make test runs scripts/kernel-fixtures.sh")
	cmd := exec.Command(rustc, "--edition", "2021", "--crate-type", "lib", "--emit", "metadata", "@"+cfg, "-o", lib+".rmeta", lib)
	cmd.Env = append(os.Environ(), "BINDINGS="+bindings)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("rustc: %v\n%s", err, out)
	}
}

// kernelObjtree is the Debian 6.12 headers' object tree the fixtures use.
func kernelObjtree(t *testing.T) string {
	t.Helper()
	version, err := os.ReadFile(testtool.NeedFile(t, filepath.Join(".cache", "kernel", "version"), "make test runs scripts/kernel-fixtures.sh"))
	if err != nil {
		t.Fatal(err)
	}
	return testtool.NeedFile(t, "/usr/src/linux-headers-"+strings.TrimSpace(string(version)), "make test runs scripts/kernel-fixtures.sh")
}

// wantLines fails the test for each line of want that is not, trimmed, a
// line of got.
func wantLines(t *testing.T, name, got string, want ...string) {
	t.Helper()
	lines := map[string]bool{}
	for _, l := range strings.Split(got, "\n") {
		lines[strings.TrimSpace(l)] = true
	}
	for _, w := range want {
		if !lines[w] {
			t.Errorf("%s has no line %q:\n%s", name, w, got)
		}
	}
}

// The stand-in kernel crate around the generated files: bindgen's bindings
// as bindings, a prelude with what the drivers' Rust names, and the
// generated expansion, VTABLE and skeleton.
const kernelCratePrefix = `#![allow(dead_code, non_camel_case_types, non_upper_case_globals, non_snake_case, improper_ctypes, unused_variables, unreachable_code, unused_unsafe, clippy::all)]

pub mod bindings {
    include!(concat!(env!("BINDINGS")));
}

pub mod pin_init {
    pub const fn zeroed<T>() -> T {
        unsafe { core::mem::zeroed() }
    }
}

pub mod prelude {
    pub use core::marker::PhantomData;
    pub struct Error(pub i32);
    pub type Result<T = ()> = core::result::Result<T, Error>;
    pub fn build_error<T>() -> T {
        panic!("build_error")
    }
    /// The kernel's CStr, as far as the VTABLE uses it.
    pub struct CStr(pub &'static [u8]);
    impl CStr {
        pub const fn as_char_ptr(&self) -> *const core::ffi::c_char {
            self.0.as_ptr().cast()
        }
        pub const fn to_bytes_with_nul(&self) -> &[u8] {
            self.0
        }
    }
    #[macro_export]
    macro_rules! c_str {
        ($s:literal) => {
            &$crate::prelude::CStr(concat!($s, "\0").as_bytes())
        };
    }
    pub use crate::c_str;
    pub use crate::extra::*;
}
`

const phyCrate = kernelCratePrefix + `
pub mod extra {
    pub struct Device(());
    pub struct DeviceId {
        pub id: u32,
        mask: u32,
    }
    impl DeviceId {
        pub const fn new_with_custom_mask(id: u32, mask: u32) -> Self {
            DeviceId { id, mask }
        }
        pub const fn new_with_exact_mask(id: u32) -> Self {
            DeviceId { id, mask: !0 }
        }
        pub const fn mask_as_int(&self) -> u32 {
            self.mask
        }
    }
}

pub mod phy {
    use crate::prelude::*;
    use crate::bindings;

    #[path = "GEN/phy_expanded.rs"]
    mod driver;
    pub use driver::*;

    pub struct Adapter<T>(PhantomData<T>);

    include!("GEN/phy_driver_skeleton.rs");
    include!("GEN/phy_driver_vtable.rs");

    /// The phy_driver of the AX88772A, as module_phy_driver! would make it
    /// (the kernel's DriverVTable wraps it in Opaque, which is Sync).
    pub struct DriverVTable(pub bindings::phy_driver);
    unsafe impl Sync for DriverVTable {}
    pub static AX88772A: DriverVTable = DriverVTable(Adapter::<PhyAX88772A>::VTABLE);
}
`

// TestKernelPhyDriver generates the kernel-style VTABLE and skeleton of a
// PHY driver trait bound to the real struct phy_driver of the 6.12
// headers, in the style of rust/kernel/net/phy.rs (data members from the
// trait's consts, the rest zeroed with MaybeUninit), and type-checks them
// with rustc against bindgen's bindings of the same headers.
func TestKernelPhyDriver(t *testing.T) {
	gen, files := kernelVtable(t, "phy")
	wantLines(t, "phy_driver_vtable.rs", files["phy_driver_vtable.rs"],
		"name: T::NAME.as_char_ptr().cast_mut(),",
		"phy_id: T::PHY_DEVICE_ID.id,",
		"soft_reset: if T::HAS_SOFT_RESET { Some(Adapter::<T>::soft_reset_callback) } else { None },",
		"..unsafe { core::mem::MaybeUninit::<bindings::phy_driver>::zeroed().assume_init() }")
	wantLines(t, "phy_driver_skeleton.rs", files["phy_driver_skeleton.rs"],
		"unsafe extern \"C\" fn probe_callback(phydev: *mut bindings::phy_device) -> ::core::ffi::c_int {")
	checkKernelCrate(t, phyCrate, gen)
}

const blkCrate = kernelCratePrefix + `
pub mod extra {
    pub struct ARef<T>(pub core::marker::PhantomData<T>);
    pub struct Request<T>(pub core::marker::PhantomData<T>);
}

pub mod mq {
    use crate::prelude::*;
    use crate::bindings;

    #[path = "GEN/blk_expanded.rs"]
    mod driver;
    pub use driver::*;

    pub struct OperationsVTable<T: Operations>(PhantomData<T>);

    // The adapter's own callbacks, which no trait method fills (the
    // binding names them with rust = "Some(Self::..._callback)").
    impl<T: Operations> OperationsVTable<T> {
        unsafe extern "C" fn complete_callback(_rq: *mut bindings::request) {}
        unsafe extern "C" fn init_hctx_callback(
            _hctx: *mut bindings::blk_mq_hw_ctx,
            _tagset_data: *mut core::ffi::c_void,
            _hctx_idx: core::ffi::c_uint,
        ) -> core::ffi::c_int {
            0
        }
        unsafe extern "C" fn exit_hctx_callback(_hctx: *mut bindings::blk_mq_hw_ctx, _hctx_idx: core::ffi::c_uint) {}
        unsafe extern "C" fn init_request_callback(
            _set: *mut bindings::blk_mq_tag_set,
            _rq: *mut bindings::request,
            _hctx_idx: core::ffi::c_uint,
            _numa_node: core::ffi::c_uint,
        ) -> core::ffi::c_int {
            0
        }
        unsafe extern "C" fn exit_request_callback(
            _set: *mut bindings::blk_mq_tag_set,
            _rq: *mut bindings::request,
            _hctx_idx: core::ffi::c_uint,
        ) {
        }
    }

    include!("GEN/blk_mq_ops_skeleton.rs");
    include!("GEN/blk_mq_ops_vtable.rs");

    /// The null block device's blk_mq_ops, as the tag set would take them.
    pub static NULL_BLK: bindings::blk_mq_ops = OperationsVTable::<NullBlkDevice>::VTABLE;
}
`

// TestKernelBlkMqOps generates the kernel-style VTABLE and skeleton of a
// blk-mq trait bound to the real struct blk_mq_ops of the 6.12 headers, in
// the style of rust/kernel/block/mq/operations.rs (every member written
// out, show_rq under the cfg the header's #ifdef CONFIG_BLK_DEBUG_FS
// gives), and type-checks them with rustc against bindgen's bindings.
func TestKernelBlkMqOps(t *testing.T) {
	gen, files := kernelVtable(t, "blkmq")
	vt := files["blk_mq_ops_vtable.rs"]
	wantLines(t, "blk_mq_ops_vtable.rs", vt,
		"queue_rq: Some(Self::queue_rq_callback),",
		"poll: if T::HAS_POLL { Some(Self::poll_callback) } else { None },",
		"init_hctx: Some(Self::init_hctx_callback),",
		"timeout: None,",
		"#[cfg(CONFIG_BLK_DEBUG_FS)]")
	if !strings.Contains(vt, "#[cfg(CONFIG_BLK_DEBUG_FS)]\n        show_rq: None,") {
		t.Errorf("show_rq is not under #[cfg(CONFIG_BLK_DEBUG_FS)]:\n%s", vt)
	}
	if strings.Contains(vt, "..") {
		t.Errorf("every_member VTABLE has a zero expression:\n%s", vt)
	}
	checkKernelCrate(t, blkCrate, gen)
}

const cpufreqCrate = kernelCratePrefix + `
// The 7.3 form of #[vtable] names the module that owns the impl.
extern crate self as kernel;
pub trait ModuleMetadata {}
pub struct LocalModule;
impl ModuleMetadata for LocalModule {}

pub mod extra {
    pub struct Policy(());
    pub struct PolicyData(());
}

pub mod cpufreq {
    use crate::prelude::*;
    use crate::{bindings, pin_init};

    #[path = "GEN/cpufreq_expanded.rs"]
    mod driver;
    pub use driver::*;

    pub struct Registration<T: Driver>(PhantomData<T>);

    include!("GEN/cpufreq_driver_skeleton.rs");
    include!("GEN/cpufreq_driver_vtable.rs");

    /// The device-tree driver's cpufreq_driver, as Registration::new
    /// would copy it (the kernel boxes it in an UnsafeCell).
    pub struct DriverVTable(pub bindings::cpufreq_driver);
    unsafe impl Sync for DriverVTable {}
    pub static DT: DriverVTable = DriverVTable(Registration::<CPUFreqDTDriver>::VTABLE);
}
`

// TestKernelCpufreqDriver generates the kernel-style VTABLE and skeleton
// of a cpufreq driver trait bound to the real struct cpufreq_driver of the
// 6.12 headers, in the style of rust/kernel/cpufreq.rs (the name copied
// into the char array at compile time, flags and boost_enabled from
// consts, init and verify always set, the rest zeroed), and type-checks
// and const-evaluates them with rustc against bindgen's bindings.
func TestKernelCpufreqDriver(t *testing.T) {
	gen, files := kernelVtable(t, "cpufreq")
	wantLines(t, "cpufreq_driver_vtable.rs", files["cpufreq_driver_vtable.rs"],
		"name: { let src = T::NAME.to_bytes_with_nul(); let mut dst = [0 as ::core::ffi::c_char; 16]; let mut i = 0; while i < src.len() { dst[i] = src[i] as ::core::ffi::c_char; i += 1; } dst },",
		"flags: T::FLAGS as bindings::u16_,",
		"init: Some(Self::init_callback),",
		"verify: Some(Self::verify_callback),",
		"exit: if T::HAS_EXIT { Some(Self::exit_callback) } else { None },",
		"..pin_init::zeroed()")
	// The C initializer takes the flags expression's value.
	wantLines(t, "cpufreq_driver_vtable.c", files["cpufreq_driver_vtable.c"], ".flags = 33,", `.name = "cpufreq-dt",`)
	checkKernelCrate(t, cpufreqCrate, gen)
}
