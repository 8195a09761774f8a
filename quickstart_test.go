package vtablegen

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vtablegen/vtablegen/internal/testtool"
)

// mainC defines every callback symbol of the generated C as a stub,
// includes the generated file, and prints for every member of every impl
// whether it is NULL.
const mainC = `#include <stdio.h>
#include "device.h"

/* Stubs for the callbacks the Rust side would export. */
int led_device_open(struct device *dev, int mode) { (void)dev; (void)mode; return 0; }
void led_device_release(struct device *dev) { (void)dev; }
long led_device_read(struct device *dev, char *buf, size_t len) { (void)dev; (void)buf; (void)len; return 0; }
long led_device_write(struct device *dev, const char *buf, size_t len) { (void)dev; (void)buf; (void)len; return 0; }
long led_device_ioctl(struct device *dev, unsigned int cmd, unsigned long arg) { (void)dev; (void)cmd; (void)arg; return 0; }
int null_sink_open(struct device *dev, int mode) { (void)dev; (void)mode; return 0; }
long null_sink_write(struct device *dev, const char *buf, size_t len) { (void)dev; (void)buf; (void)len; return 0; }

#include "gen/device_ops_vtable.c"

#define SHOW(impl, ops, member) printf("%s.%s %s\n", impl, #member, ops.member ? "set" : "NULL")
#define SHOW_ALL(impl, ops) do { \
	SHOW(impl, ops, open); SHOW(impl, ops, release); SHOW(impl, ops, read); \
	SHOW(impl, ops, write); SHOW(impl, ops, ioctl); SHOW(impl, ops, flush); \
	printf("%s.name %s\n", impl, ops.name ? "set" : "NULL"); \
	printf("%s.flags %u\n", impl, ops.flags); \
} while (0)

int main(void)
{
	SHOW_ALL("led_device", led_device_device_ops);
	SHOW_ALL("null_sink", null_sink_device_ops);
	return 0;
}
`

// TestQuickstartCCompilesAndRuns builds the committed generated C of the
// example with gcc and checks every slot of every impl.
func TestQuickstartCCompilesAndRuns(t *testing.T) {
	gcc := testtool.Need(t, "gcc")
	dir := t.TempDir()
	copyFile(t, filepath.Join("examples", "quickstart", "device.h"), filepath.Join(dir, "device.h"))
	copyFile(t, filepath.Join(quickstartGen, "device_ops_vtable.c"), filepath.Join(dir, "gen", "device_ops_vtable.c"))
	writeTestFile(t, filepath.Join(dir, "main.c"), mainC)
	bin := filepath.Join(dir, "main")
	cmd := exec.Command(gcc, "-std=gnu11", "-Wall", "-Wextra", "-Werror", "-o", bin, "main.c")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s", err, out)
	}
	out, err := exec.Command(bin).Output()
	if err != nil {
		t.Fatal(err)
	}
	want := `led_device.open set
led_device.release set
led_device.read set
led_device.write set
led_device.ioctl set
led_device.flush NULL
led_device.name NULL
led_device.flags 0
null_sink.open set
null_sink.release NULL
null_sink.read NULL
null_sink.write set
null_sink.ioctl NULL
null_sink.flush NULL
null_sink.name NULL
null_sink.flags 0
`
	if string(out) != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// mainRs prints the HAS_* consts of both impls.
const mainRs = `
fn main() {
    macro_rules! show {
        ($t:ty, $name:literal) => {
            println!("{} open={} release={} read={} write={} ioctl={} flush={}", $name,
                <$t as DeviceOps>::HAS_OPEN, <$t as DeviceOps>::HAS_RELEASE,
                <$t as DeviceOps>::HAS_READ, <$t as DeviceOps>::HAS_WRITE,
                <$t as DeviceOps>::HAS_IOCTL, <$t as DeviceOps>::HAS_FLUSH);
        };
    }
    show!(LedDevice, "LedDevice");
    show!(NullSink, "NullSink");
}
`

// TestQuickstartRustCompilesAndRuns builds the committed expansion of the
// example with plain rustc, no proc macro, and checks every HAS_* const.
func TestQuickstartRustCompilesAndRuns(t *testing.T) {
	rustc := testtool.Need(t, "rustc")
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join(quickstartGen, "device_expanded.rs"))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "main.rs")
	writeTestFile(t, file, string(src)+mainRs)
	bin := filepath.Join(dir, "main")
	if out, err := exec.Command(rustc, "--edition", "2021", "-A", "dead_code", "-o", bin, file).CombinedOutput(); err != nil {
		t.Fatalf("rustc: %v\n%s", err, out)
	}
	out, err := exec.Command(bin).Output()
	if err != nil {
		t.Fatal(err)
	}
	want := "LedDevice open=true release=true read=true write=true ioctl=true flush=false\n" +
		"NullSink open=true release=false read=false write=true ioctl=false flush=false\n"
	if string(out) != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}

	// The input itself needs the proc macro: plain rustc rejects it.
	orig := filepath.Join(dir, "orig.rs")
	in, err := os.ReadFile(quickstart.RustFiles[0])
	if err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, orig, string(in)+mainRs)
	if out, err := exec.Command(rustc, "--edition", "2021", "-o", filepath.Join(dir, "orig"), orig).CombinedOutput(); err == nil || !strings.Contains(string(out), "vtable") {
		t.Errorf("rustc accepted the unexpanded input, or failed for another reason: %v\n%s", err, out)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, to, string(b))
}

func writeTestFile(t *testing.T, name, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(text), 0o666); err != nil {
		t.Fatal(err)
	}
}
