package vtablegen

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vtablegen/vtablegen/internal/testtool"
	"github.com/vtablegen/vtablegen/vtable"
)

var update = flag.Bool("update", false, "rewrite the committed generated files of examples/quickstart/gen")

// quickstart is the configuration the README's first command uses, seen
// from the module root.
var quickstart = Config{
	Header:    filepath.Join("examples", "quickstart", "device.h"),
	Include:   "../device.h",
	Struct:    "device_ops",
	RustFiles: []string{filepath.Join("examples", "quickstart", "device.rs")},
	Trait:     "DeviceOps",
	Form:      vtable.Form72, // examples/quickstart/vtable.toml's macro
}

var quickstartGen = filepath.Join("examples", "quickstart", "gen")

// TestGenerateQuickstartGolden compares Generate's output on the example
// byte for byte with the committed files under examples/quickstart/gen,
// and checks that directory holds nothing else. -update rewrites them.
func TestGenerateQuickstartGolden(t *testing.T) {
	testtool.Need(t, "gcc") // cc/v4 learns the host's predefined macros from it
	checkGolden(t, Generate(quickstart), quickstartGen, "device_expanded.rs", "device_ops_vtable.c", "device_ops_vtable.rs")
}

// checkGolden compares every file of r with the committed one in dir (the
// golden; -update rewrites it), and checks that r has exactly the files
// names and dir holds no other.
func checkGolden(t *testing.T, r *Result, dir string, names ...string) {
	t.Helper()
	if r.Diagnostics.HasErrors() {
		t.Fatalf("diagnostics:\n%v", r.Diagnostics)
	}
	var got []string
	for _, f := range r.Files {
		got = append(got, f.Name)
		path := filepath.Join(dir, f.Name)
		if *update {
			if err := os.WriteFile(path, f.Content, 0o666); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(f.Content, want) {
			t.Errorf("%s differs from Generate's output (go test . -run Golden -update rewrites it):\n%s", path, firstDiff(want, f.Content))
		}
	}
	if !slices.Equal(sorted(got), sorted(names)) {
		t.Errorf("files = %v, want %v", got, names)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !slices.Contains(got, e.Name()) {
			t.Errorf("%s: stale file, Generate does not produce it", filepath.Join(dir, e.Name()))
		}
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// firstDiff shows the first line where got differs from want.
func firstDiff(want, got []byte) string {
	wl := strings.Split(string(want), "\n")
	gl := strings.Split(string(got), "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\n  committed: %q\n  generated: %q", i+1, w, g)
		}
	}
	return "(same lines)"
}

// TestGenerateBadInput checks that each kind of bad input gives exactly
// one positioned error and no files.
func TestGenerateBadInput(t *testing.T) {
	testtool.Need(t, "gcc")
	dir := t.TempDir()
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o666); err != nil {
			t.Fatal(err)
		}
		return path
	}
	header := quickstart.Header
	rust := quickstart.RustFiles[0]
	badHeader := write("bad.h", "struct device_ops {\n\tint (*open)(void *)\n\tint x;\n};\n")
	badRust := write("bad.rs", "#[vtable]\npub trait DeviceOps {\n    fn open(&self)\n}\n")
	onStruct := write("struct.rs", "// Not a trait.\n#[vtable]\npub struct DeviceOps;\n")
	for _, tc := range []struct {
		name string
		cfg  Config
		want string // the whole first line of the one diagnostic
	}{
		{"missing header", Config{Header: filepath.Join(dir, "nothere.h"), RustFiles: []string{rust}},
			filepath.Join(dir, "nothere.h") + ":1:1: error: no such file or directory"},
		{"header syntax error", Config{Header: badHeader, RustFiles: []string{rust}},
			badHeader + ":3:2: error: unexpected 'int', expected ';'"},
		{"missing struct", Config{Header: header, Struct: "device_opz", RustFiles: []string{rust}},
			header + `:1:1: error: no struct "device_opz" with function-pointer members in ` + header + `; did you mean "device_ops"? (have: device_ops)`},
		{"rust syntax error", Config{Header: header, RustFiles: []string{badRust}},
			badRust + `:3:19: error: syntax error: missing ";"`},
		{"vtable on a struct", Config{Header: header, RustFiles: []string{onStruct}},
			onStruct + ":2:1: error: #[vtable] on a struct: it applies only to a trait or a trait impl"},
	} {
		r := Generate(tc.cfg)
		if len(r.Files) != 0 {
			t.Errorf("%s: got %d files, want none", tc.name, len(r.Files))
		}
		if len(r.Diagnostics) != 1 {
			t.Errorf("%s: got %d diagnostics, want 1:\n%v", tc.name, len(r.Diagnostics), r.Diagnostics)
			continue
		}
		got := strings.SplitN(r.Diagnostics[0].Error(), "\n", 2)[0]
		t.Logf("%s: %s", tc.name, got)
		if !strings.HasPrefix(got, tc.want) {
			t.Errorf("%s: got\n  %s\nwant a line starting\n  %s", tc.name, got, tc.want)
		}
	}
}
