package cparse

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vtablegen/vtablegen/internal/testtool"
	"github.com/vtablegen/vtablegen/vtable"
)

// describe renders a structured type in a compact, unambiguous form:
// qualifiers, the typedef in brackets, size/align, and what it points to.
func describe(t *vtable.Type) string {
	if t == nil {
		return "nil"
	}
	var b strings.Builder
	if t.Const {
		b.WriteString("const ")
	}
	if t.Volatile {
		b.WriteString("volatile ")
	}
	if t.Typedef != "" {
		fmt.Fprintf(&b, "[%s] ", t.Typedef)
	}
	switch t.Kind {
	case vtable.Pointer:
		fmt.Fprintf(&b, "ptr(%s)", describe(t.Elem))
	case vtable.Array:
		fmt.Fprintf(&b, "array %d (%s)", t.Len, describe(t.Elem))
	case vtable.Function:
		var ps []string
		for _, p := range t.Func.Params {
			ps = append(ps, describe(p.CType))
		}
		fmt.Fprintf(&b, "func(%s) %s", strings.Join(ps, ", "), describe(t.Func.ResultType))
	default:
		u := ""
		if t.Kind == vtable.Int && t.Unsigned {
			u = "u:"
		}
		fmt.Fprintf(&b, "%s %s%s", t.Kind, u, t.Name)
	}
	if t.Size >= 0 {
		fmt.Fprintf(&b, " %d/%d", t.Size, t.Align)
	}
	return b.String()
}

func TestStructuredTypes(t *testing.T) {
	testtool.Need(t, "gcc")
	dir := t.TempDir()
	h := filepath.Join(dir, "t.h")
	writeFile(t, h, `#include <stddef.h>
typedef long (*ioctl_fn)(void *, unsigned int, unsigned long);
struct file;
struct ops {
	const char *name;
	char *const *argv;
	const char *const *names;
	unsigned char id[16];
	volatile int state;
	size_t len;
	_Bool on;
	double ratio;
	struct file *f;
	ioctl_fn ioctl;
	int (*open)(struct file *f, const char *path, size_t n);
	void (*(*signal)(int))(int);
	union { long l; char c[3]; };
	unsigned flag : 1;
};
`)
	p, err := NewParser(Options{})
	if err != nil {
		t.Fatal(err)
	}
	u, diags := p.Parse(h)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	s := u.Structs[0]
	var got []string
	got = append(got, fmt.Sprintf("struct %s %d/%d", s.Name, s.Size, s.Align))
	for _, m := range s.Members {
		if m.CType == nil {
			got = append(got, fmt.Sprintf("%s @%d: anonymous %s", m.Name, m.Offset, m.Kind))
			continue
		}
		got = append(got, fmt.Sprintf("%s @%d: %s", m.Name, m.Offset, describe(m.CType)))
	}
	want := `struct ops 120/8
name @0: ptr(const int char 1/1) 8/8
argv @8: ptr(const ptr(int char 1/1) 8/8) 8/8
names @16: ptr(const ptr(const int char 1/1) 8/8) 8/8
id @24: array 16 (int u:unsigned char 1/1) 16/1
state @40: volatile int int 4/4
len @48: [size_t] int u:unsigned long 8/8
on @56: int u:_Bool 1/1
ratio @64: float double 8/8
f @72: ptr(struct file) 8/8
ioctl @80: [ioctl_fn] ptr(func(ptr(void void) 8/8, int u:unsigned int 4/4, int u:unsigned long 8/8) int long 8/8) 8/8
open @88: ptr(func(ptr(struct file) 8/8, ptr(const int char 1/1) 8/8, [size_t] int u:unsigned long 8/8) int int 4/4) 8/8
signal @96: ptr(func(int int 4/4) ptr(func(int int 4/4) void void) 8/8) 8/8
 @104: anonymous union
flag @112: int u:unsigned int 4/4`
	if g := strings.Join(got, "\n"); g != want {
		t.Errorf("got\n%s\nwant\n%s", g, want)
	}
}

// qualHeader declares, as members and as typedefs, the pointer
// qualifiers cc/v4 v4.31.0 mixes up: those of a function pointer's
// result, of a pointer level under another, of a typedef's result, and
// those a typedef name must not be given.
const qualHeader = `typedef const char *(*getter_fn)(void *ctx);
typedef const char *getter(void *ctx);
typedef char *const *(*names_fn)(const char *const *names);
typedef const int cint;
struct locator {
	const char *(*public_id)(void *ctx);
	char *const (*label)(void);
	const char *const *(*names)(int n);
	const volatile unsigned char *(*reg)(const char *(*cb)(void), char *const *argv);
	getter_fn get;
	getter *get2;
	names_fn all;
	const getter_fn cget;
	cint *(*ints)(cint *p);
	void (*(*signal)(int sig))(const char *);
	const char *const name;
};
`

// TestQualifiersFromSyntax reads every member's type, result and model
// through each path (the own preprocessor, cc/v4's, the build's
// preprocessor, a preprocessed unit) and checks them against the
// header's spelling; gcc then checks that a callback declared with the
// result and parameters read has the member's type, as the generated
// static assertions do.
func TestQualifiersFromSyntax(t *testing.T) {
	gcc := testtool.Need(t, "gcc")
	dir := t.TempDir()
	h := filepath.Join(dir, "q.h")
	writeFile(t, h, qualHeader)
	unit := filepath.Join(dir, "q.i")
	if out, err := exec.Command(gcc, "-E", "-o", unit, h).CombinedOutput(); err != nil {
		t.Fatalf("gcc -E: %v\n%s", err, out)
	}
	want := []struct{ name, typ, result, model string }{
		{"public_id", "const char *(*)(void *)", "const char *", "ptr(const int char 1/1) 8/8"},
		{"label", "char *const (*)(void)", "char *const", "const ptr(int char 1/1) 8/8"},
		{"names", "const char *const *(*)(int)", "const char *const *", "ptr(const ptr(const int char 1/1) 8/8) 8/8"},
		{"reg", "const volatile unsigned char *(*)(const char *(*)(void), char *const *)", "const volatile unsigned char *", "ptr(const volatile int u:unsigned char 1/1) 8/8"},
		{"get", "getter_fn", "const char *", "ptr(const int char 1/1) 8/8"},
		{"get2", "getter *", "const char *", "ptr(const int char 1/1) 8/8"},
		{"all", "names_fn", "char *const *", "ptr(const ptr(int char 1/1) 8/8) 8/8"},
		{"cget", "const getter_fn", "const char *", "ptr(const int char 1/1) 8/8"},
		{"ints", "cint *(*)(cint *)", "cint *", "ptr(const [cint] int int 4/4) 8/8"},
		{"signal", "void (*(*)(int))(const char *)", "void (*)(const char *)", "ptr(func(ptr(const int char 1/1) 8/8) void void) 8/8"},
		{"name", "const char *const", "", ""},
	}
	for _, mode := range []struct {
		name string
		opts Options
		own  bool
		pre  bool
	}{
		{"own preprocessor", Options{}, true, false},
		{"cc/v4 preprocessor", Options{}, false, false},
		{"cpp", Options{Cpp: []string{gcc, "-E"}}, true, false},
		{"preprocessed", Options{Preprocessed: true}, true, true},
	} {
		t.Run(mode.name, func(t *testing.T) {
			u, diags := readMode(t, mode.opts, mode.own, mode.pre, h, unit)
			if diags.HasErrors() || u == nil || len(u.Structs) != 1 {
				t.Fatalf("%v", diags)
			}
			ms := u.Structs[0].Members
			if len(ms) != len(want) {
				t.Fatalf("%d members, want %d", len(ms), len(want))
			}
			check := qualHeader + "#define SAME(a, b) _Static_assert(__builtin_types_compatible_p(a, b), #a \" is \" #b)\n"
			for i, w := range want {
				m := ms[i]
				if string(m.Name) != w.name || m.Type != w.typ {
					t.Errorf("member %d: %s %q, want %s %q", i, m.Name, m.Type, w.name, w.typ)
				}
				check += fmt.Sprintf("SAME(__typeof__(((struct locator *)0)->%s), %s);\n", m.Name, declaration(m.Type, ""))
				if m.Func == nil {
					if w.result != "" {
						t.Errorf("%s: not a function pointer", m.Name)
					}
					continue
				}
				if m.Func.Result != w.result {
					t.Errorf("%s: result %q, want %q", m.Name, m.Func.Result, w.result)
				}
				if got := describe(m.Func.ResultType); got != w.model {
					t.Errorf("%s: result type %s, want %s", m.Name, got, w.model)
				}
				var params []string
				for _, prm := range m.Func.Params {
					params = append(params, prm.Decl)
				}
				proto := strings.Join(params, ", ")
				if proto == "" {
					proto = "void"
				}
				fn := "cb_" + string(m.Name)
				check += fmt.Sprintf("%s;\nSAME(__typeof__(&%s), __typeof__(((struct locator *)0)->%s));\n",
					declaration(m.Func.Result, fn+"("+proto+")"), fn, m.Name)
			}
			c := filepath.Join(t.TempDir(), "check.c")
			writeFile(t, c, check)
			if out, err := exec.Command(gcc, "-fsyntax-only", c).CombinedOutput(); err != nil {
				t.Errorf("gcc rejects the types read:\n%s\n%s", out, check)
			}
		})
	}
}

// declaration puts name into the abstract declarator of typ, where C
// puts it: before the first ")" a "(*" group leaves open, else at the
// end, as in "void (*name(int))(const char *)".
func declaration(typ, name string) string {
	if i := strings.Index(typ, "(*)"); i >= 0 {
		return typ[:i+2] + name + typ[i+2:]
	}
	if i := strings.Index(typ, "(*("); i >= 0 {
		// "void (*(*)(int))(...)": the innermost "(*)" is the member's.
		return typ[:i+2] + name + typ[i+2:]
	}
	return typ + " " + name
}

// readMode reads the header h with opts, through the own preprocessor or
// cc/v4's (own), or, with pre, its preprocessed unit.
func readMode(t *testing.T, opts Options, own, pre bool, h, unit string) (*vtable.CUnit, vtable.Diagnostics) {
	t.Helper()
	ownPreprocessor = own
	defer func() { ownPreprocessor = true }()
	p, err := NewParser(opts)
	if err != nil {
		t.Fatal(err)
	}
	if pre {
		return p.ParsePreprocessed(unit)
	}
	return p.Parse(h)
}
