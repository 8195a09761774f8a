package libsweep

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/vtablegen/vtablegen/internal/testtool"
)

// TestLibrarySweep runs the pipeline (see the package doc) over the
// libraries of scripts/libs-sample.txt and fails on any failure: the
// sample is chosen to pass. With VTABLEGEN_LIBSWEEP_LIST=FILE it sweeps
// that list instead (scripts/sweep-libs.sh: scripts/libs.txt), prints the
// table on standard output, and fails only on a failure no class takes
// (Unclassified); VTABLEGEN_LIBSWEEP_WORK=DIR keeps each failed project
// there (and every project with VTABLEGEN_LIBSWEEP_KEEP=1). A missing tool or library skips the test, except under CI=true,
// where it fails.
func TestLibrarySweep(t *testing.T) {
	tools, root := sweepTools(t)
	var err error
	list, full := os.Getenv("VTABLEGEN_LIBSWEEP_LIST"), true
	if list == "" {
		list, full = filepath.Join(root, "scripts", "libs-sample.txt"), false
	}
	libs, err := ReadList(list)
	if err != nil {
		t.Fatal(err)
	}
	work := os.Getenv("VTABLEGEN_LIBSWEEP_WORK")
	if work == "" {
		work = t.TempDir()
	} else if work, err = filepath.Abs(work); err != nil {
		t.Fatal(err)
	}
	s := &Sweep{Tools: tools, Work: work, Jobs: runtime.NumCPU(), Timeout: 5 * time.Minute, Keep: os.Getenv("VTABLEGEN_LIBSWEEP_KEEP") != ""}

	start := time.Now()
	results := s.Run(context.Background(), libs)
	took := time.Since(start)

	var table strings.Builder
	WriteTable(&table, results)
	structs := 0
	for _, lr := range results {
		structs += len(lr.Structs)
		if lr.Missing == "" {
			continue
		}
		switch {
		case os.Getenv("CI") == "true":
			t.Errorf("%s: %s is required under CI=true: %s (scripts/libsweep-deps.sh installs it)", lr.Library.Pos, lr.Library.Name, lr.Missing)
		case !full:
			t.Skipf("%s: %s: %s (scripts/libsweep-deps.sh installs it)", lr.Library.Pos, lr.Library.Name, lr.Missing)
		}
	}
	summary := fmt.Sprintf("swept %d structs of %d libraries in %.1fs (%d jobs)", structs, len(libs), took.Seconds(), s.Jobs)
	if full {
		fmt.Printf("%s\n%s\n", table.String(), summary)
	} else {
		t.Logf("%s\n%s", table.String(), summary)
	}
	var all strings.Builder
	for _, r := range Failures(results) {
		msg := fmt.Sprintf("%s %s (%s): step %s: %s: %s", filepath.Base(r.Header), r.Struct, r.Decl, r.Step, r.Class, r.Error)
		fmt.Fprintf(&all, "%s\n", msg)
		if len(r.Also) > 0 {
			fmt.Fprintf(&all, "\talso: %s\n", strings.Join(r.Also, "; "))
		}
		if r.Dir != "" {
			fmt.Fprintf(&all, "\tin %s\n", r.Dir)
		}
		switch {
		case !full:
			t.Errorf("%s\n%s", msg, r.Log)
		case r.Class == Unclassified:
			t.Errorf("%s (add a class to classify.go)\n%s", msg, r.Log)
		}
	}
	if full && os.Getenv("VTABLEGEN_LIBSWEEP_WORK") != "" {
		name := filepath.Join(work, "failures.txt")
		if err := os.WriteFile(name, []byte(all.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		fmt.Printf("every failure, with its project: %s\n", name)
	}
}

// TestParseTrait reads the shapes of method `vtablegen trait` writes: a
// signature over several lines, a function-pointer parameter whose own
// result is not the method's, no result, and the member of a keyword.
func TestParseTrait(t *testing.T) {
	src := `use x;

#[vtable]
#[allow(non_snake_case)]
pub trait Ops {
    /// Fills ` + "`ops.open`" + ` (` + "`int (*)(const char *, void (*)(int))`" + `).
    fn open(
        _path: *const c_char,
        _cb: Option<unsafe extern "C" fn(c_int) -> c_long>,
    ) -> c_int {
        unreachable!("ops.open is NULL for an impl without open {")
    }

    /// Fills ` + "`ops.type`" + `.
    #[cfg(feature = "t")]
    fn type_(_arg0: *mut c_void) {
        unreachable!()
    }
}
`
	tr, err := parseTrait(src)
	if err != nil {
		t.Fatal(err)
	}
	if tr.name != "Ops" || len(tr.methods) != 2 {
		t.Fatalf("got %+v", tr)
	}
	open, typ := tr.methods[0], tr.methods[1]
	if open.member != "open" || open.result != "c_int" || !strings.HasSuffix(open.sig, ") -> c_int") || open.body() != "unsafe { ::core::mem::zeroed() }" {
		t.Errorf("open: %+v", open)
	}
	if typ.name != "type_" || typ.member != "type" || typ.result != "" || typ.body() != "" || typ.attrs != "#[cfg(feature = \"t\")]\n    " {
		t.Errorf("type_: %+v", typ)
	}
}

// TestParseList reads a list line with modules, own paths and C flags.
func TestParseList(t *testing.T) {
	libs, err := ParseList(strings.NewReader("# comment\n\nfuse3 libfuse3-dev fuse3 fuse3/ fuse3/fuse.h fuse3/fuse_lowlevel.h -- -DFUSE_USE_VERSION=31\nz zlib1g-dev - - zlib.h\n"), "l.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(libs) != 2 || libs[0].Pos != "l.txt:3" || len(libs[0].Headers) != 2 || libs[0].CFlags[0] != "-DFUSE_USE_VERSION=31" ||
		libs[0].Own[0] != "fuse3/" || libs[1].PkgConfig != nil || libs[1].Own != nil {
		t.Errorf("got %+v", libs)
	}
	if _, err := ParseList(strings.NewReader("a b c\n"), "l.txt"); err == nil || !strings.HasPrefix(err.Error(), "l.txt:1: ") {
		t.Errorf("short line: %v", err)
	}
}

// TestOwns: a header is itself, a directory what is under it, anything
// else a prefix of file names.
func TestOwns(t *testing.T) {
	dirs := []string{"/usr/include/glib-2.0", "/usr/include"}
	for _, c := range []struct {
		file string
		own  []string
		want bool
	}{
		{"/usr/include/sqlite3.h", nil, true},
		{"/usr/include/sqlite3ext.h", nil, false},
		{"/usr/include/sqlite3ext.h", []string{"sqlite3.h"}, false},
		{"/usr/include/glib-2.0/gio/gfile.h", []string{"gio/"}, true},
		{"/usr/include/glib-2.0/gobject/gtype.h", []string{"gio/"}, false},
		{"/usr/include/gstreamer-1.0/gst/gstbin.h", []string{"gstreamer-1.0/gst/gst"}, true},
		{"/usr/include/gstreamer-1.0/gst/base/gstbasesrc.h", []string{"gstreamer-1.0/gst/gst"}, false},
	} {
		if got := owns(c.file, c.own, []string{"/usr/include/sqlite3.h"}, dirs); got != c.want {
			t.Errorf("owns(%s, %v) = %v", c.file, c.own, got)
		}
	}
}

// TestCheckInitializer: the check finds each kind of wrong initializer in
// an object gcc made: a member pointing to another callback, a callback
// where NULL is wanted, NULL where a callback is, a non-zero data member,
// a symbol of the wrong size.
func TestCheckInitializer(t *testing.T) {
	gcc := testtool.Need(t, "gcc")
	dir := t.TempDir()
	src := filepath.Join(dir, "x.c")
	obj := filepath.Join(dir, "x.o")
	const c = `struct ops { int version; int (*open)(void); int (*read)(void); int (*close)(void); };
int x_open(void); int x_read(void);
const struct ops good = { .open = x_open };
const struct ops bad = { .version = 2, .open = x_read, .close = x_open };
`
	if err := os.WriteFile(src, []byte(c), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(gcc, "-c", "-fPIC", "-o", obj, src).CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s", err, out)
	}
	want := map[int]slot{8: {"open", "x_open"}, 16: {"read", ""}, 24: {"close", ""}}
	if got := checkInitializer(obj, "good", 32, want); len(got) != 0 {
		t.Errorf("good: %q", got)
	}
	got := strings.Join(checkInitializer(obj, "bad", 32, want), "\n")
	for _, w := range []string{
		"bad.open (offset 8) is x_read, want x_open",
		"bad.close (offset 24) is x_open, want NULL",
		"bad has byte 0 = 0x2, want every byte zero",
	} {
		if !strings.Contains(got, w) {
			t.Errorf("bad: no %q in\n%s", w, got)
		}
	}
	want[16] = slot{"read", "x_read"}
	if got := strings.Join(checkInitializer(obj, "good", 40, want), "\n"); !strings.Contains(got, "good is 32 bytes, the struct 40") ||
		!strings.Contains(got, "good.read (offset 16) is NULL, want x_read") {
		t.Errorf("good, other want: %s", got)
	}
	if got := checkInitializer(obj, "missing", 32, want); len(got) != 1 || !strings.Contains(got[0], "does not define missing") {
		t.Errorf("missing: %q", got)
	}
}

// TestRandomOpsStructs runs the pipeline over the random headers of a
// fixed set of seeds (RandomHeader): every struct must go through every
// step. VTABLEGEN_RANDOPS_SEEDS=FIRST-LAST runs other seeds (the script
// scripts/sweep-random.sh), printing the table.
func TestRandomOpsStructs(t *testing.T) {
	tools, _ := sweepTools(t)
	first, last := int64(1), int64(12)
	if s := os.Getenv("VTABLEGEN_RANDOPS_SEEDS"); s != "" {
		if _, err := fmt.Sscanf(s, "%d-%d", &first, &last); err != nil || last < first {
			t.Fatalf("VTABLEGEN_RANDOPS_SEEDS=%q: want FIRST-LAST", s)
		}
	}
	dir := t.TempDir()
	var libs []Library
	for seed := first; seed <= last; seed++ {
		h, cflags := RandomHeader(seed)
		p := filepath.Join(dir, fmt.Sprintf("randops%d.h", seed))
		if err := os.WriteFile(p, []byte(h), 0o666); err != nil {
			t.Fatal(err)
		}
		// Found through -I, as a library's header is: the project is
		// built again from another directory (see the package doc).
		libs = append(libs, Library{Name: fmt.Sprintf("seed%d", seed), Package: "-", Headers: []string{p}, CFlags: append([]string{"-I" + dir}, cflags...), Pos: fmt.Sprintf("seed %d", seed)})
	}
	work := os.Getenv("VTABLEGEN_LIBSWEEP_WORK")
	if work == "" {
		work = t.TempDir()
	}
	s := &Sweep{Tools: tools, Work: work, Jobs: runtime.NumCPU(), Timeout: 5 * time.Minute, Keep: os.Getenv("VTABLEGEN_LIBSWEEP_KEEP") != ""}
	results := s.Run(context.Background(), libs)
	var table strings.Builder
	WriteTable(&table, results)
	if os.Getenv("VTABLEGEN_RANDOPS_SEEDS") != "" {
		fmt.Println(table.String())
	}
	structs := 0
	for _, lr := range results {
		structs += len(lr.Structs)
		if lr.Missing != "" {
			t.Errorf("%s: %s", lr.Library.Pos, lr.Missing)
		}
	}
	if structs == 0 {
		t.Fatal("no struct swept")
	}
	for _, r := range Failures(results) {
		t.Errorf("%s %s: step %s: %s: %s\n%s", filepath.Base(r.Header), r.Struct, r.Step, r.Class, r.Error, r.Log)
	}
}

// sweepTools are the programs a sweep runs, vtablegen built from this
// checkout (whose top directory is root).
func sweepTools(t *testing.T) (tools Tools, root string) {
	t.Helper()
	goCmd := testtool.Need(t, "go")
	tools = Tools{GCC: testtool.Need(t, "gcc"), Rustc: testtool.Need(t, "rustc"), PkgConfig: testtool.Need(t, "pkg-config")}
	out, err := exec.Command(goCmd, "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	root = filepath.Dir(strings.TrimSpace(string(out)))
	tools.Vtablegen = filepath.Join(t.TempDir(), "vtablegen")
	if out, err := exec.Command(goCmd, "build", "-o", tools.Vtablegen, filepath.Join(root, "cmd", "vtablegen")).CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/vtablegen: %v\n%s", err, out)
	}
	return tools, root
}
