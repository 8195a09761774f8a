package cparse

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vtablegen/vtablegen/internal/testtool"
	"github.com/vtablegen/vtablegen/vtable"
)

// beHeader does not compile alone, as event2/bufferevent_struct.h does
// not: struct be uses be_data_cb, a callback typedef another header
// defines, and has no '(' of its own.
const beHeader = `struct watermark { unsigned long low, high; };
struct ok_ops { int (*open)(void); };
struct be {
	struct watermark wm;
	be_data_cb readcb;
	void *arg;
};
`

// TestUnknownTypeNameReported: a struct that may hold a function pointer
// and uses an unknown type name is never lost without a word. Read
// through the embedded preprocessor (either one) the header fails, as
// gcc fails it, with gcc's "unknown type name" at the name; read as a
// preprocessed unit (the build's preprocessor, -preprocessed) the struct
// is left out with a warning naming it and the name, the others come
// out; and a struct asked for by name is an error on every path.
func TestUnknownTypeNameReported(t *testing.T) {
	gcc := testtool.Need(t, "gcc")
	dir := t.TempDir()
	h := filepath.Join(dir, "be.h")
	writeFile(t, h, beHeader)
	unit := filepath.Join(dir, "be.i")
	if out, err := exec.Command(gcc, "-E", "-o", unit, h).CombinedOutput(); err != nil {
		t.Fatalf("gcc -E: %v\n%s", err, out)
	}
	at := h + ":5:2: "
	for _, mode := range []struct {
		name    string
		opts    Options
		own     bool
		pre     bool
		diag    string // without -struct
		structs string // the structs read then
	}{
		{"own preprocessor", Options{}, true, false, at + `error: unknown type name "be_data_cb"`, ""},
		{"cc/v4 preprocessor", Options{}, false, false, at + `error: unknown type name "be_data_cb"`, ""},
		{"cpp", Options{Cpp: []string{gcc, "-E"}}, true, false, at + `warning: struct be is left out: unknown type name "be_data_cb"`, "ok_ops"},
		{"preprocessed", Options{Preprocessed: true}, true, true, at + `warning: struct be is left out: unknown type name "be_data_cb"`, "ok_ops"},
	} {
		t.Run(mode.name, func(t *testing.T) {
			for _, wanted := range [][]string{nil, {"be"}} {
				opts := mode.opts
				opts.Structs = wanted
				u, diags := readMode(t, opts, mode.own, mode.pre, h, unit)
				var got []string
				for _, d := range diags {
					if d.Severity != vtable.Verbose {
						got = append(got, d.Error())
					}
				}
				want, structs := mode.diag, mode.structs
				if wanted != nil {
					want, structs = strings.Replace(want, "warning:", "error:", 1), ""
				}
				if len(got) == 0 || got[0] != want {
					t.Errorf("-struct %v: diagnostics\n%s\nwant first\n%s", wanted, strings.Join(got, "\n"), want)
				}
				var names []string
				if u != nil {
					for _, s := range u.Structs {
						names = append(names, string(s.Name))
					}
				}
				if strings.Join(names, " ") != structs {
					t.Errorf("-struct %v: structs %q, want %q", wanted, names, structs)
				}
				if (u == nil) != diags.HasErrors() {
					t.Errorf("-struct %v: unit %v with errors %v", wanted, u != nil, diags.HasErrors())
				}
			}
		})
	}
}

// TestUnknownTypeAt: the syntax that makes a parse error an unknown type
// name, and what does not (a misspelt attribute after a type).
func TestUnknownTypeAt(t *testing.T) {
	for _, tc := range []struct {
		src, at, msg, name string
	}{
		{"struct s { foo_t x; };", "x", "unexpected identifier, expected ';'", "foo_t"},
		{"struct s { foo_t *x; };", "*", "unexpected '*', expected ';'", "foo_t"},
		{"struct s { int a; const foo_t z; };", "z", "unexpected identifier, expected ';'", "foo_t"},
		{"struct s { int (*f)(int a, foo_t q); };", "q", "unexpected identifier, expected ')'", "foo_t"},
		{"typedef foo_t bar_t;", "bar_t", "unexpected identifier, expected ';'", "foo_t"},
		{"struct s { char __user *p; };", "*", "unexpected '*', expected ';'", ""},
		{"struct s { foo_t x; };", "x", "duplicate member x", ""},
		{"struct s { const x; };", "x", "unexpected identifier, expected ';'", ""},
	} {
		src := []byte(tc.src)
		toks := tokenize(src)
		off := strings.LastIndex(tc.src, tc.at)
		name, nameAt, ok := unknownTypeAt(src, toks, off, tc.msg)
		if name != tc.name || ok != (tc.name != "") || ok && tc.src[nameAt:nameAt+len(name)] != name {
			t.Errorf("%q at %q (%s): %q at %d %v, want %q", tc.src, tc.at, tc.msg, name, nameAt, ok, tc.name)
		}
	}
}

// TestUnitEndingInsideStruct: a preprocessed unit that ends inside a
// struct of function pointers (a truncated header) leaves the struct out
// with a warning, and cc/v4, which loops on an input ending inside a
// struct body after a '*', is never given one.
func TestUnitEndingInsideStruct(t *testing.T) {
	testtool.Need(t, "gcc")
	p, err := NewParser(Options{Preprocessed: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ text, want string }{
		{"struct ok { int (*f)(void); };\nstruct cut { int (*g)(void); }", "a.h:2:1: warning: struct cut is left out: the unit ends inside its declaration"},
		{"struct ok { int (*f)(void); };\nstruct cut { int (*g)(void); int *p;", `a.h:2:36: warning: struct cut is left out: cc/v4 rejects its declaration: unexpected end of file`},
		{"typedef int A;\nstruct ok { int (*f)(void); };\nstruct cut { int (*g)(void); union {} A *;", `a.h:3:41: warning: struct cut is left out: cc/v4 rejects its declaration: unexpected '*', expected ';'`},
	} {
		unit := filepath.Join(t.TempDir(), "x.i")
		writeFile(t, unit, "# 1 \"a.h\"\n"+tc.text)
		u, diags := p.ParsePreprocessed(unit)
		if diags.HasErrors() || u == nil || len(u.Structs) != 1 || u.Structs[0].Name != "ok" {
			t.Fatalf("%q: %v", tc.text, diags)
		}
		var got []string
		for _, d := range diags {
			got = append(got, d.Error())
		}
		if all := strings.Join(got, "\n"); !strings.Contains(all, tc.want) {
			t.Errorf("%q: diagnostics\n%s\nwant %s", tc.text, all, tc.want)
		}
	}
}

// TestLeftOutStructWithoutFunctionPointers: a struct cc/v4 rejects that
// holds no function pointer (bitfield widths it cannot evaluate, as
// struct uclamp_se in the kernel's <linux/sched.h>) is only a note,
// though its widths' parentheses put it in the slice.
func TestLeftOutStructWithoutFunctionPointers(t *testing.T) {
	testtool.Need(t, "gcc")
	p, err := NewParser(Options{Preprocessed: true})
	if err != nil {
		t.Fatal(err)
	}
	unit := filepath.Join(t.TempDir(), "x.i")
	writeFile(t, unit, "# 1 \"a.h\"\nstruct ok { int (*f)(void); };\n"+
		"struct bits { unsigned int v : ( __builtin_constant_p((1L << 10)) ? ( (((1L << 10)) == 0 || ((1L << 10)) == 1) ? 1 : "+
		"( __builtin_constant_p((1L << 10)) ? (((1L << 10)) < 2 ? 0 : 63 - __builtin_clzll((1L << 10))) : (sizeof((1L << 10)) <= 4) ? "+
		"__ilog2_u32((1L << 10)) : __ilog2_u64((1L << 10)) ) + 1 ) : __bits_per((1L << 10)) ); };\n")
	u, diags := p.ParsePreprocessed(unit)
	if diags.HasErrors() || u == nil || len(u.Structs) != 1 {
		t.Fatalf("%v", diags)
	}
	var note bool
	for _, d := range diags {
		if d.Severity == vtable.Warning {
			t.Errorf("warning %v, want a note", d)
		}
		note = note || d.Severity == vtable.Verbose && d.Pos.Line == 2 && strings.Contains(d.Msg, "left out a declaration cc/v4 rejects")
	}
	if !note {
		t.Errorf("no note at a.h:2 for struct bits: %v", diags)
	}
}
