package cparse

import (
	"fmt"
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
