package main

import (
	"bytes"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/vtablegen/vtablegen/internal/testtool"
)

// TestGenCases runs "gen" on each testdata/gen/*.txtar case. The archive's
// files are unpacked into a directory; "args" holds gen's flags one per
// line ($DIR names that directory), ops.h is the header and every other
// .rs file outside want/ is a Rust input; or, when the case has a
// vtable.toml, gen runs in the directory with no other flag and the
// binding file says it all (with out = "out"). want/<name>.c is an expected C
// output (every C output must have one) and want/stderr, when present, the
// expected diagnostics: the run must fail when one is an error. Each generated C file is
// compiled with gcc -std=gnu11 -Wall -Wextra -Werror once per line of
// "gcc" (extra flags, e.g. -DFEATURE; no such file means one plain build);
// the first line has the flags of "args", and that object must define every
// initializer the file defines (checkPromised).
// -update rewrites the want sections.
func TestGenCases(t *testing.T) {
	gcc := testtool.Need(t, "gcc")
	loadCases(t, "gen", func(t *testing.T, path string, a archive) {
		dir := t.TempDir()
		args := []string{"gen", "-header", filepath.Join(dir, "ops.h"), "-o", filepath.Join(dir, "out")}
		gccRuns := []string{""}
		want := map[string][]byte{}
		var rustFiles []string
		for _, f := range a.files {
			switch {
			case f.name == "args":
				for _, l := range strings.Split(string(f.data), "\n") {
					args = append(args, strings.Fields(strings.ReplaceAll(l, "$DIR", dir))...)
				}
			case f.name == "gcc":
				gccRuns = strings.Split(strings.TrimSuffix(strings.ReplaceAll(string(f.data), "$DIR", dir), "\n"), "\n")
			case strings.HasPrefix(f.name, "want/"):
				want[strings.TrimPrefix(f.name, "want/")] = f.data
			default:
				p := writeArchiveFile(t, dir, f)
				if strings.HasSuffix(f.name, ".rs") {
					rustFiles = append(rustFiles, p)
				}
				if f.name == "vtable.toml" {
					args = []string{"gen", "-C", dir} // the binding file says the rest
				}
			}
		}
		if args[1] != "-C" {
			args = append(args, rustFiles...)
		}
		code, _, stderr := runCmd(args...)
		got := map[string][]byte{}
		if stderr != "" || code != 0 {
			got["stderr"] = []byte(strings.ReplaceAll(stderr, dir+string(filepath.Separator), ""))
		}
		outs, _ := filepath.Glob(filepath.Join(dir, "out", "*.c"))
		for _, o := range outs {
			b, err := os.ReadFile(o)
			if err != nil {
				t.Fatal(err)
			}
			// Paths given under the case's directory (-I $DIR/inc) are
			// recorded as given: the want files name them from it.
			got[filepath.Base(o)] = bytes.ReplaceAll(b, []byte(dir+string(filepath.Separator)), nil)
		}
		if *update {
			var files []archiveFile
			for _, f := range a.files {
				if !strings.HasPrefix(f.name, "want/") {
					files = append(files, f)
				}
			}
			var names []string
			for n := range got {
				names = append(names, n)
			}
			slices.Sort(names)
			for _, n := range names {
				files = append(files, archiveFile{name: "want/" + n, data: got[n]})
			}
			a.files = files
			if err := os.WriteFile(path, formatArchive(a), 0o666); err != nil {
				t.Fatal(err)
			}
			return
		}
		for n, w := range want {
			if g, ok := got[n]; !ok {
				t.Errorf("want/%s: not produced (exit %d, stderr %q)", n, code, stderr)
			} else if !bytes.Equal(g, w) {
				t.Errorf("%s:\n%s\nwant/%s:\n%s", n, g, n, w)
			}
		}
		for n := range got {
			if _, ok := want[n]; !ok {
				t.Errorf("%s produced but not in want:\n%s", n, got[n])
			}
		}
		if fails := bytes.Contains(want["stderr"], []byte(": error: ")); fails != (code != 0) {
			t.Errorf("exit %d, want failure %v", code, fails)
		}
		for _, o := range outs {
			for i, extra := range gccRuns {
				obj := filepath.Join(dir, "x.o")
				cmd := exec.Command(gcc, append([]string{"-std=gnu11", "-Wall", "-Wextra", "-Werror", "-c", "-o", obj, o},
					strings.Fields(extra)...)...)
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Errorf("gcc %s %s: %v\n%s", filepath.Base(o), extra, err, out)
					continue
				}
				if i == 0 {
					// The first build has the flags the header was
					// read with (under others, a struct that exists
					// only under some is rightly left out).
					checkPromised(t, o, obj, extra)
				}
			}
		}
	})
}

// TestTypeGuardCatchesDrift changes the type of a member in the header
// after generating: the generated file must then fail to compile, naming
// the member and the callback.
func TestTypeGuardCatchesDrift(t *testing.T) {
	gcc := testtool.Need(t, "gcc")
	dir := copyExample(t)
	if code, _, stderr := runCmd("gen", "-C", dir, "-header", "device.h", "-rust", "device.rs", "-o", "gen", "-q"); code != 0 {
		t.Fatalf("gen: exit %d: %s", code, stderr)
	}
	compile := func() ([]byte, error) {
		return exec.Command(gcc, "-std=gnu11", "-Wall", "-Wextra", "-Werror", "-c", "-o", os.DevNull,
			filepath.Join(dir, "gen", "device_ops_vtable.c")).CombinedOutput()
	}
	if out, err := compile(); err != nil {
		t.Fatalf("before the change: %v\n%s", err, out)
	}
	h := filepath.Join(dir, "device.h")
	b, err := os.ReadFile(h)
	if err != nil {
		t.Fatal(err)
	}
	old := "long (*write)(struct device *dev, const char *buf, size_t len);"
	if !bytes.Contains(b, []byte(old)) {
		t.Fatalf("device.h has no %q", old)
	}
	b = bytes.Replace(b, []byte(old), []byte("long (*write)(struct device *dev, const char *buf, size_t len, int flags);"), 1)
	if err := os.WriteFile(h, b, 0o666); err != nil {
		t.Fatal(err)
	}
	out, err := compile()
	if err == nil {
		t.Fatal("the generated file still compiles after the header changed the type of write")
	}
	for _, want := range []string{
		"device_ops.write does not have the type of led_device_write (LedDevice::write)",
		"device_ops.write does not have the type of null_sink_write (NullSink::write)",
	} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("gcc output lacks %q:\n%s", want, out)
		}
	}
}

// initializerLine is the first line of an initializer a generated C file
// defines, e.g. "const struct device_ops led_device_device_ops = {".
var initializerLine = regexp.MustCompile(`(?m)^const [^=;]*?\b([A-Za-z_]\w*) = \{$`)

// checkPromised checks that obj, which gcc compiled from the generated
// file c (with the flags extra), defines every initializer c defines: a
// condition copied wrongly around one (an include guard read as a
// condition) compiles silently to an object without it.
func checkPromised(t *testing.T, c, obj, extra string) {
	t.Helper()
	src, err := os.ReadFile(c)
	if err != nil {
		t.Fatal(err)
	}
	f, err := elf.Open(obj)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	syms, _ := f.Symbols()
	defined := map[string]bool{}
	for _, s := range syms {
		if s.Section != elf.SHN_UNDEF && elf.ST_TYPE(s.Info) == elf.STT_OBJECT {
			defined[s.Name] = true
		}
	}
	for _, m := range initializerLine.FindAllSubmatch(src, -1) {
		if name := string(m[1]); !defined[name] {
			t.Errorf("%s (gcc %s): the object does not define %s, which the file defines", filepath.Base(c), extra, name)
		}
	}
}
