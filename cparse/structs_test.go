package cparse

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vtablegen/vtablegen/internal/testtool"
	"github.com/vtablegen/vtablegen/vtable"
)

// dump renders the members of s one per line, the way the test
// expectations below are written: "kind name: type" plus, for a func,
// " = result(param decls)" and the position.
func dump(s *vtable.Struct) string {
	var b strings.Builder
	fmt.Fprintf(&b, "struct %s @%d:%d\n", s.Name, s.Pos.Line, s.Pos.Column)
	var walk func(ms []*vtable.Member, indent string)
	walk = func(ms []*vtable.Member, indent string) {
		for _, m := range ms {
			fmt.Fprintf(&b, "%s%s %s: %s @%d:%d", indent, m.Kind, m.Name, m.Type, m.Pos.Line, m.Pos.Column)
			if m.Func != nil {
				var ps []string
				for _, p := range m.Func.Params {
					ps = append(ps, p.Decl)
				}
				fmt.Fprintf(&b, " = %s(%s) variadic=%v", m.Func.Result, strings.Join(ps, ", "), m.Func.Variadic)
			}
			b.WriteByte('\n')
			walk(m.Fields, indent+"  ")
		}
	}
	walk(s.Members, "  ")
	return b.String()
}

func TestStructsQuickstart(t *testing.T) {
	testtool.Need(t, "gcc")
	p, err := NewParser(Options{})
	if err != nil {
		t.Fatal(err)
	}
	header := filepath.Join("..", "examples", "quickstart", "device.h")
	u, diags := p.Parse(header)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	ss := u.Structs
	if len(ss) != 1 {
		t.Fatalf("got %d structs, want 1 (struct device_ops)", len(ss))
	}
	if len(u.Files) < 2 || u.Files[0] != header || !strings.HasSuffix(u.Files[1], "/stddef.h") {
		t.Errorf("files read = %q, want the header, then stddef.h", u.Files)
	}
	want := `struct device_ops @16:1
  data name: const char * @18:14
  data flags: unsigned int @20:15
  func open: int (*)(struct device *, int) @22:8 = int(struct device *dev, int mode) variadic=false
  func release: void (*)(struct device *) @23:9 = void(struct device *) variadic=false
  func read: long (*)(struct device *, char *, size_t) @24:9 = long(struct device *dev, char *buf, size_t len) variadic=false
  func write: long (*)(struct device *, const char *, size_t) @25:9 = long(struct device *dev, const char *buf, size_t len) variadic=false
  func ioctl: device_ioctl_fn @26:18 = long(struct device *dev, unsigned int cmd, unsigned long arg) variadic=false
  func flush: int (*)(struct device *, unsigned int) @27:8 = int(struct device *, unsigned int) variadic=false
`
	if got := dump(ss[0]); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if ss[0].Pos.Filename != header {
		t.Errorf("struct position file = %q, want %q", ss[0].Pos.Filename, header)
	}
}

func TestStructsShapes(t *testing.T) {
	testtool.Need(t, "gcc")
	p, err := NewParser(Options{Defines: []string{"HAVE_POLL"}})
	if err != nil {
		t.Fatal(err)
	}
	header := filepath.Join(t.TempDir(), "shapes.h")
	writeFile(t, header, `#include <stddef.h>
struct file;
typedef int handler_t(struct file *, void *);
struct no_funcs { int a; };
typedef struct {
	handler_t *handle;
	void (*log)(const char *fmt, ...);
	char *const *argv;
	const unsigned long * const features;
	volatile int counter;
	unsigned char tag[16];
	unsigned int ro : 1, rw : 2;
	union {
		long (*seek)(struct file *, long, int);
		void *cookie;
	};
#ifdef HAVE_POLL
	int (*poll)(struct file *);
#endif
#ifdef HAVE_MMAP
	int (*mmap)(struct file *);
#endif
	void (*(*signal)(int sig))(int);
	int (*noargs)(void);
} plugin_ops;
`)
	u, diags := p.Parse(header)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	ss := u.Structs
	if len(ss) != 1 {
		t.Fatalf("got %d structs, want 1 (plugin_ops; no_funcs has no function pointer)", len(ss))
	}
	want := `struct plugin_ops @5:9
  func handle: handler_t * @6:13 = int(struct file *, void *) variadic=false
  func log: void (*)(const char *, ...) @7:9 = void(const char *fmt) variadic=true
  data argv: char *const * @8:15
  data features: const unsigned long *const @9:30
  data counter: volatile int @10:15
  data tag: unsigned char [16] @11:16
  data ro: unsigned int @12:15
  data rw: unsigned int @12:23
  union : union {...} @13:2
    func seek: long (*)(struct file *, long, int) @14:10 = long(struct file *, long, int) variadic=false
    data cookie: void * @15:9
  func poll: int (*)(struct file *) @18:8 = int(struct file *) variadic=false
  func signal: void (*(*)(int))(int) @23:11 = void (*)(int)(int sig) variadic=false
  func noargs: int (*)(void) @24:8 = int() variadic=false
`
	if got := dump(ss[0]); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	sig := ss[0].Members[len(ss[0].Members)-2]
	if got, want := sig.Func.Prototype("x_signal"), "__typeof__(void (*)(int)) x_signal(int sig)"; got != want {
		t.Errorf("Prototype = %q, want %q", got, want)
	}
}

func TestStructsBadInput(t *testing.T) {
	testtool.Need(t, "gcc")
	p, err := NewParser(Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	missingInclude := filepath.Join(dir, "inc.h")
	writeFile(t, missingInclude, "\n#include \"nothere.h\"\n")
	for _, tc := range []struct {
		file      string
		line      int
		substring string
	}{
		{missingInclude, 2, "nothere.h"},
	} {
		_, diags := p.Parse(tc.file)
		if !diags.HasErrors() {
			t.Errorf("%s: no error", tc.file)
			continue
		}
		d := diags[0]
		if d.Pos.Filename != tc.file || d.Pos.Line != tc.line || !strings.Contains(d.Msg, tc.substring) {
			t.Errorf("%s: got %v, want an error at line %d mentioning %q", tc.file, d, tc.line, tc.substring)
		}
	}
	_, diags := p.Parse(filepath.Join(dir, "absent.h"))
	if !diags.HasErrors() {
		t.Errorf("absent header: no error")
	}
}
