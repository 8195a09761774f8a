package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vtablegen/vtablegen/internal/testtool"
)

func TestExitCodes(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{nil, 2, "", "usage: vtablegen"},
		{[]string{"help"}, 0, "usage: vtablegen", ""},
		{[]string{"-help"}, 0, "usage: vtablegen", ""},
		{[]string{"frobnicate"}, 2, "", `unknown command "frobnicate"`},
	} {
		var out, errb bytes.Buffer
		code := run(tc.args, &out, &errb)
		if code != tc.code {
			t.Errorf("run(%q) = %d, want %d", tc.args, code, tc.code)
		}
		if tc.stdout != "" && !strings.Contains(out.String(), tc.stdout) || tc.stdout == "" && out.Len() != 0 {
			t.Errorf("run(%q) stdout = %q, want it to contain %q", tc.args, out.String(), tc.stdout)
		}
		if tc.stderr != "" && !strings.Contains(errb.String(), tc.stderr) || tc.stderr == "" && errb.Len() != 0 {
			t.Errorf("run(%q) stderr = %q, want it to contain %q", tc.args, errb.String(), tc.stderr)
		}
	}
}

// TestFlagContract checks that no misspelled or unknown flag runs
// anything, and that C flags are the closed list or come after --.
func TestFlagContract(t *testing.T) {
	testtool.Need(t, "gcc")
	dir := copyExample(t)
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadDir(wd)
	gen := []string{"gen", "-C", dir, "-header", "device.h", "-rust", "device.rs", "-o", "gen"}
	for _, tc := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{append(gen, "-chekc"), 2, `vtablegen gen: flag provided but not defined: -chekc; did you mean "-check"?` + "\n"},
		{append(gen, "-verify"), 2, "vtablegen gen: flag provided but not defined: -verify\n"},
		{append(gen, "-strcut", "device_ops"), 2, `flag provided but not defined: -strcut; did you mean "-struct"?`},
		{append(gen, "-outdir", "x"), 2, "flag provided but not defined: -outdir"},
		{append(gen, "-marco", "6.12"), 2, `flag provided but not defined: -marco; did you mean "-macro"?`},
		{append(gen, "-forec"), 2, `did you mean "-force"?`},
		{append(gen, "-Wp,-MD,x.d"), 2, "flag provided but not defined: -Wp,-MD,x.d"},
		{append(gen, "--", "-o", "x"), 2, "C flag -o would make the compiler write a file"},
		{append(gen, "--", "-Wp,-MMD,x.d"), 2, "would make the compiler write a file"},
		{append(gen, "-frobnicate"), 1, "the host C compiler rejects the C flags -frobnicate"},
		{[]string{"structs", "-frobnicate", filepath.Join(dir, "device.h")}, 1, "rejects the C flags -frobnicate"},
		{[]string{"structs", "-json", "-jsn", filepath.Join(dir, "device.h")}, 2, `did you mean "-json"?`},
		{[]string{"consts", "-I", dir, filepath.Join(dir, "device.rs")}, 2, "flag provided but not defined: -I"},
		{[]string{"expand", "-o"}, 2, "flag needs an argument: -o"},
		// A flag outside the closed list goes after --, with -cpp too,
		// as the help says.
		{[]string{"structs", "-cpp", "gcc -E", "-pg", filepath.Join(dir, "device.h")}, 2, "flag provided but not defined: -pg"},
	} {
		code, stdout, stderr := runCmd(tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.stderr) || stdout != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit %d and stderr containing %q", tc.args, code, stdout, stderr, tc.code, tc.stderr)
		}
		if code == 2 && !strings.Contains(stderr, "usage: vtablegen "+tc.args[0]) {
			t.Errorf("%q: the usage error does not print the command's usage", tc.args)
		}
		if _, err := os.Stat(filepath.Join(dir, "gen")); !os.IsNotExist(err) {
			t.Fatalf("%q: wrote the outputs", tc.args)
		}
	}
	after, _ := os.ReadDir(wd)
	if len(after) != len(before) {
		t.Errorf("files appeared in the working directory: %v -> %v", before, after)
	}

	// The closed list, in both spellings, and anything after --.
	args := append(gen, "-q", "-std=gnu11", "-O2", "-Wall", "-mno-sse", "-fno-common", "-U", "X", "-UY", "-I", dir, "-isystem", dir,
		"-iquote", dir, "-pthread", "--", "-g", "--param=ssp-buffer-size=4")
	if code, _, stderr := runCmd(args...); code != 0 {
		t.Errorf("%q: exit %d: %s", args, code, stderr)
	}
	args = []string{"structs", "-cpp", "gcc -E", filepath.Join(dir, "device.h"), "--", "-pg"}
	if code, stdout, stderr := runCmd(args...); code != 0 || !strings.Contains(stdout, "device_ops") {
		t.Errorf("%q: exit %d: %s", args, code, stderr)
	}
	for _, cmd := range []string{"structs", "gen", "drift"} {
		_, help, _ := runCmd(cmd, "-h")
		if !strings.Contains(help, "every word after --") {
			t.Errorf("%s -h does not say that flags outside the list go after --:\n%s", cmd, help)
		}
	}
}

// TestOutputDash checks that -o - is standard output wherever -o names
// one file, and that no file named "-" appears.
func TestOutputDash(t *testing.T) {
	testtool.Need(t, "gcc")
	dir := copyExample(t)
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCmd("expand", "-o", "-", filepath.Join(dir, "device.rs"))
	if code != 0 || !strings.Contains(stdout, "const HAS_") {
		t.Errorf("expand -o -: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	code, stdout, stderr = runCmd("init", "-C", dir, "-header", "device.h", "-o", "-")
	if code != 0 || !strings.Contains(stdout, "[[binding]]") || strings.Contains(stdout, "wrote") {
		t.Errorf("init -o -: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	for _, d := range []string{wd, dir} {
		if _, err := os.Lstat(filepath.Join(d, "-")); err == nil {
			t.Errorf("a file named - appeared in %s", d)
		}
	}
	if _, err := os.Lstat(filepath.Join(dir, "vtable.toml")); err == nil {
		t.Errorf("init -o - wrote vtable.toml")
	}
}

// TestHelpAndVersion checks that "help CMD" and "CMD -h" print the same
// complete text, and the version commands.
func TestHelpAndVersion(t *testing.T) {
	for _, cmd := range []string{"gen", "structs", "consts", "expand", "init"} {
		code1, help, stderr1 := runCmd("help", cmd)
		code2, h, stderr2 := runCmd(cmd, "-h")
		if code1 != 0 || code2 != 0 || stderr1 != "" || stderr2 != "" || help != h || !strings.HasPrefix(help, "usage: vtablegen "+cmd) {
			t.Errorf("%s: help %d %q / -h %d %q, stderr %q %q", cmd, code1, help, code2, h, stderr1, stderr2)
		}
		if cmd == "gen" || cmd == "structs" || cmd == "init" {
			for _, f := range []string{"-iquote DIR", "-isystem DIR", "-U NAME", "-include FILE", "-std=STD", "-- FLAGS"} {
				if !strings.Contains(help, f) {
					t.Errorf("%s -h does not list %s", cmd, f)
				}
			}
		}
	}
	if code, _, stderr := runCmd("help", "nosuch"); code != 2 || !strings.Contains(stderr, `unknown command "nosuch"`) {
		t.Errorf("help nosuch: %d %q", code, stderr)
	}
	for _, v := range []string{"version", "-version", "--version"} {
		code, stdout, stderr := runCmd(v)
		if code != 0 || stderr != "" || !regexp.MustCompile(`^vtablegen \S+ .*go1\.\d+`).MatchString(stdout) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", v, code, stdout, stderr)
		}
	}
}

// TestJSONDiagnostics checks the -json form of diagnostics: one object
// per line with every key of the contract.
func TestJSONDiagnostics(t *testing.T) {
	testtool.Need(t, "gcc")
	dir := t.TempDir()
	h := filepath.Join(dir, "ops.h")
	rs := filepath.Join(dir, "ops.rs")
	if err := os.WriteFile(h, []byte("struct ops {\n\tunion {\n\t\tint (*a)(void);\n\t\tint (*b)(void);\n\t};\n};\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(rs, []byte("#[vtable]\ntrait Ops {\n    fn a() -> i32 { 0 }\n    fn b() -> i32 { 0 }\n}\nstruct S;\n#[vtable]\nimpl Ops for S {\n    fn a() -> i32 { 0 }\n    fn b() -> i32 { 0 }\n}\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCmd("gen", "-json", "-header", h, "-o", filepath.Join(dir, "out"), rs)
	if code != 1 || stdout != "" {
		t.Fatalf("exit %d, stdout %q", code, stdout)
	}
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	if len(lines) != 1 {
		t.Fatalf("want one JSON line, got %q", stderr)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"file": rs, "line": 8.0, "column": 1.0, "severity": "error",
		"message": "impl Ops for S fills both a and b, which share an anonymous union of struct ops: only one can be set",
		"related": []any{map[string]any{"file": h, "line": 2.0, "column": 2.0, "message": "union declared here"}},
	}
	if !jsonEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
}
