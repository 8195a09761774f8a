package vtablegen

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vtablegen/vtablegen/internal/testtool"
)

var rustmisc = filepath.Join("examples", "rustmisc")

// rustmiscChecks are the checks examples/rustmisc/test/usertest.c makes, in
// the order it prints them: each must print a PASS line.
var rustmiscChecks = []string{
	"open-echo", "owner-holds-module", "write-read-roundtrip", "ioctl-value",
	"ioctl-unknown-enotty", "lseek-espipe", "mmap-enodev", "poll-default-mask",
	"rmmod-while-open-fails", "release-on-close", "owner-put-on-close",
	"open-quiet", "quiet-read-einval", "quiet-write-einval", "quiet-ioctl-enotty",
	"quiet-release-on-close", "rmmod-after-close", "device-gone", "module-exit-ran",
}

// TestRustMiscInKernel runs a Rust misc device driver whose only
// file_operations vtablegen wrote, in Debian's Linux 7.3.4 (built with
// Rust) under QEMU: examples/rustmisc's fops.c is preprocessed by the
// module's Kbuild, LoadConfig and Generate bind the module's own #[vtable]
// trait to that unit's struct file_operations, Kbuild builds the module
// with the generated VTABLE include!d (the kernel's own #[vtable] macro
// expands the trait), and the static usertest checks from userspace what
// the kernel does with each member of both drivers' tables.
func TestRustMiscInKernel(t *testing.T) {
	bash := testtool.Need(t, "bash")
	cache := ".cache"
	testtool.NeedFile(t, filepath.Join(cache, "kernel-rust", "done"), "make test runs scripts/kernel-rust-7.3.sh")
	boot := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(bash, append([]string{filepath.Join("scripts", "qemu-boot.sh"), args[0], cache}, args[1:]...)...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("qemu-boot.sh %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	dir := t.TempDir()
	for _, f := range []string{"Kbuild", "fops.c", "miscops.rs", "rustmisc.rs", "vtable.toml", "test/usertest.c", "test/boot.sh"} {
		copyFile(t, filepath.Join(rustmisc, f), filepath.Join(dir, f))
	}
	for _, f := range []string{"miscops.rs", "rustmisc.rs"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if s := string(b); strings.Contains(s, "file_operations {") || strings.Contains(s, "miscdevice::") {
			t.Fatalf("%s builds a file_operations of its own or uses the kernel's MiscDevice: the generated VTABLE must be the only one", f)
		}
	}

	boot("kbuild", dir, "fops.i")
	cfgs, diags := LoadConfig(filepath.Join(dir, DefaultConfigFile))
	if diags.HasErrors() || len(cfgs) != 1 {
		t.Fatalf("LoadConfig: %v", diags)
	}
	r := Generate(cfgs[0])
	if r.Diagnostics.HasErrors() {
		t.Fatalf("Generate:\n%v", r.Diagnostics)
	}
	var vtableRs, vtableC string
	for _, f := range r.Files {
		if err := os.WriteFile(filepath.Join(cfgs[0].OutDir, f.Name), f.Content, 0o666); err != nil {
			t.Fatal(err)
		}
		switch f.Name {
		case "file_operations_vtable.rs":
			vtableRs = string(f.Content)
		case "file_operations_vtable.c":
			vtableC = string(f.Content)
		}
	}
	// The C initializers (not built: the module is Rust) say what vtablegen
	// decided for each impl, so both impls must have been found.
	for _, c := range []struct{ impl, want string }{
		{"echo", ".owner = THIS_MODULE, .read_iter = echo_read_iter, .write_iter = echo_write_iter, .unlocked_ioctl = echo_unlocked_ioctl, .compat_ioctl = compat_ptr_ioctl, .open = echo_open, .release = echo_release,"},
		{"quiet", ".owner = THIS_MODULE, .open = quiet_open, .release = quiet_release,"},
	} {
		if got := initializerSet(vtableC, c.impl+"_file_operations"); got != c.want {
			t.Errorf("%s_file_operations sets\n%s\nwant\n%s", c.impl, got, c.want)
		}
	}
	for _, want := range []string{
		"owner: kernel::module::this_module::<T::OwnerModule>().as_ptr(),",
		"read_iter: if T::HAS_READ_ITER { Some(MiscOpsAdapter::<T>::read_iter_callback) } else { None },",
		"unlocked_ioctl: if T::HAS_IOCTL { Some(MiscOpsAdapter::<T>::ioctl_callback) } else { None },",
		"compat_ioctl: if T::HAS_COMPAT_IOCTL { Some(MiscOpsAdapter::<T>::compat_ioctl_callback) } else { if T::HAS_IOCTL { bindings::compat_ptr_ioctl } else { None } },",
		"open: Some(MiscOpsAdapter::<T>::open_callback),",
		"release: Some(MiscOpsAdapter::<T>::release_callback),",
		"..pin_init::zeroed()",
	} {
		if !strings.Contains(vtableRs, want) {
			t.Errorf("file_operations_vtable.rs has no %q:\n%s", want, vtableRs)
		}
	}

	out := boot("kbuild", dir)
	if strings.Contains(out, "warning:") {
		t.Errorf("the module builds with warnings:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(dir, "rustmisc.ko")); err != nil {
		t.Fatalf("Kbuild built no module: %v\n%s", err, out)
	}
	boot("static", filepath.Join(dir, "usertest"), filepath.Join(dir, "test", "usertest.c"))
	log := boot("boot", filepath.Join(dir, "test", "boot.sh"), filepath.Join(dir, "rustmisc.ko"), filepath.Join(dir, "usertest"))

	var results []string
	for line := range strings.SplitSeq(log, "\n") {
		if strings.HasPrefix(line, "PASS ") || strings.HasPrefix(line, "FAIL ") {
			results = append(results, line)
			t.Log(line)
		}
	}
	for _, name := range rustmiscChecks {
		pass := regexp.MustCompile(`(?m)^PASS ` + regexp.QuoteMeta(name) + `(:|$)`)
		if !pass.MatchString(log) {
			t.Errorf("no PASS %s", name)
		}
	}
	if len(results) != len(rustmiscChecks) {
		t.Errorf("%d result lines, want %d:\n%s", len(results), len(rustmiscChecks), strings.Join(results, "\n"))
	}
	if !strings.Contains(log, "\nqemu-boot: exit 0\n") {
		t.Errorf("the guest's script did not exit 0:\n%s", log)
	}
}

// initializerSet returns the members a C initializer of the generated file
// sets to something other than NULL, one line per member joined by spaces.
func initializerSet(c, name string) string {
	_, body, ok := strings.Cut(c, " "+name+" = {\n")
	if !ok {
		return ""
	}
	body, _, _ = strings.Cut(body, "\n};")
	var set []string
	for line := range strings.SplitSeq(body, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasSuffix(line, "= NULL,") {
			set = append(set, line)
		}
	}
	return strings.Join(set, " ")
}
