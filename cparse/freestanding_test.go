package cparse

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestFreestandingWithoutCompiler hides every C compiler from the front
// end and checks that headers needing only the freestanding standard
// headers still parse, with vtablegen's own, to the same structs.
func TestFreestandingWithoutCompiler(t *testing.T) {
	header := filepath.Join(t.TempDir(), "plugin.h")
	writeFile(t, header, `#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdarg.h>
#include <limits.h>
#if CHAR_BIT != 8 || INT_MAX != 2147483647 || SIZE_MAX != 18446744073709551615UL
#error "limits"
#endif
struct plugin_ops {
	uint32_t version;
	bool (*probe)(void *ctx, size_t len, int64_t offset);
	void (*vlog)(const char *fmt, va_list ap);
	uintptr_t cookie;
	ptrdiff_t (*diff)(const uint8_t *a, const uint8_t *b);
};
`)
	quickstart := filepath.Join("..", "examples", "quickstart", "device.h")

	withHost := map[string]string{}
	if p, err := NewParser(Options{}); err == nil {
		for _, h := range []string{header, quickstart} {
			u, diags := p.Parse(h)
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			withHost[h] = dump(u.Structs[0])
		}
	}

	t.Setenv("PATH", t.TempDir()) // no cc, no gcc
	t.Setenv("CC", "")
	p, err := NewParser(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !p.freestanding {
		t.Fatal("a compiler was still found")
	}
	want := `struct plugin_ops @9:1
  data version: uint32_t @10:11
  func probe: _Bool (*)(void *, size_t, int64_t) @11:9 = _Bool(void *ctx, size_t len, int64_t offset) variadic=false
  func vlog: void (*)(const char *, va_list) @12:9 = void(const char *fmt, va_list ap) variadic=false
  data cookie: uintptr_t @13:12
  func diff: ptrdiff_t (*)(const uint8_t *, const uint8_t *) @14:14 = ptrdiff_t(const uint8_t *a, const uint8_t *b) variadic=false
`
	for _, h := range []string{header, quickstart} {
		u, diags := p.Parse(h)
		if diags.HasErrors() {
			t.Fatalf("%s without a compiler: %v", h, diags)
		}
		got := dump(u.Structs[0])
		if h == header && got != want {
			t.Errorf("%s without a compiler:\n%s\nwant\n%s", h, got, want)
		}
		if w, ok := withHost[h]; ok && got != w {
			t.Errorf("%s: without a compiler\n%s\nwith the host's\n%s", h, got, w)
		}
		if !strings.HasPrefix(u.Files[len(u.Files)-1], freestandingDir+"/") {
			t.Errorf("%s: files read %q, want the shipped headers among them", h, u.Files)
		}
	}
}
