package emit

import (
	"strings"
	"testing"

	"github.com/vtablegen/vtablegen/vtable"
)

// item builds a #[vtable] item over src from marker substrings: the
// attribute text and the body's braces, found by their first occurrence
// at or after from.
func item(src, attr string, kind vtable.ItemKind, from int, methods ...vtable.RustIdent) *vtable.Item {
	a := strings.Index(src[from:], attr) + from
	open := strings.IndexByte(src[a:], '{') + a
	depth, close := 0, -1
	for i := open; i < len(src); i++ {
		if src[i] == '{' {
			depth++
		} else if src[i] == '}' {
			if depth--; depth == 0 {
				close = i
				break
			}
		}
	}
	it := &vtable.Item{Kind: kind, Attr: vtable.Range{Start: a, End: a + len(attr)}, Body: vtable.Range{Start: open + 1, End: close}}
	for _, m := range methods {
		it.Methods = append(it.Methods, &vtable.Method{Name: m})
	}
	return it
}

func TestRustExpansion(t *testing.T) {
	src := "mod m {\n    /// Docs.\n    #[vtable]\n    pub trait T {\n        fn a(&self) {}\n    }\n}\n" +
		"#[vtable] impl T for X {}\r\n" +
		"#[vtable]\nimpl T for Y { fn a(&self) {} }\n"
	items := []*vtable.Item{
		item(src, "#[vtable]", vtable.Trait, 0, "a"),
		item(src, "#[vtable]", vtable.Impl, strings.Index(src, "#[vtable] impl")),
		item(src, "#[vtable]", vtable.Impl, strings.Index(src, "#[vtable]\nimpl"), "a"),
	}
	got := string(RustExpansion([]byte(src), items, vtable.Form612))
	want := Header + "\n" + RustMarker + "\n" +
		"mod m {\n    /// Docs.\n    pub trait T {\n" +
		"        /// A marker to prevent implementors from forgetting to use [`#[vtable]`](vtable)\n" +
		"        /// attribute when implementing this trait.\n" +
		"        const USE_VTABLE_ATTR: ();\n" +
		"        /// Indicates if the `a` method is overridden by the implementor.\n" +
		"        const HAS_A: bool = false;\n" +
		"        fn a(&self) {}\n    }\n}\n" +
		// Not alone on its line: only the attribute goes; the empty body
		// gets the consts on lines of their own.
		" impl T for X {\n    const USE_VTABLE_ATTR: () = ();\n}\r\n" +
		"impl T for Y {\n    const USE_VTABLE_ATTR: () = ();\n    const HAS_A: bool = true; fn a(&self) {} }\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestRustExpansionNewest checks the optional form (the syn-based placement of mainline, plus #[optional]): consts after the body's
// items, cfg attributes copied, and an #[optional] method turned into an
// #[inline] one whose default body fails the build.
func TestRustExpansionNewest(t *testing.T) {
	src := "#[vtable]\npub trait T {\n    #[optional]\n    fn a(&self);\n    #[cfg(x)]\n    fn b(&self) {}\n}\n" +
		"#[vtable]\nimpl T for X { fn b(&self) {} }\n"
	trait := item(src, "#[vtable]", vtable.Trait, 0)
	at := strings.Index(src, "#[optional]")
	semi := strings.Index(src, "fn a(&self);") + len("fn a(&self)")
	trait.Methods = []*vtable.Method{
		{Name: "a", Required: true, Optional: true, OptionalAttr: vtable.Range{Start: at, End: at + len("#[optional]")},
			Semicolon: vtable.Range{Start: semi, End: semi + 1}},
		{Name: "b", HasBody: true, CfgAttrs: []string{"#[cfg(x)]"}},
	}
	impl := item(src, "#[vtable]", vtable.Impl, strings.Index(src, "#[vtable]\nimpl"), "b")
	impl.Methods[0].HasBody = true
	got := string(RustExpansion([]byte(src), []*vtable.Item{trait, impl}, vtable.FormOptional))
	want := Header + "\n" + RustMarker + "\n" +
		"pub trait T {\n    #[inline]\n    fn a(&self) {\n        " + vtable.OptionalBody + "\n    }\n" +
		"    #[cfg(x)]\n    fn b(&self) {}\n" +
		"    /// A marker to prevent implementors from forgetting to use [`#[vtable]`](vtable)\n" +
		"    /// attribute when implementing this trait.\n" +
		"    const USE_VTABLE_ATTR: ();\n" +
		"    /// Indicates if the `a` method is overridden by the implementor.\n" +
		"    const HAS_A: bool = false;\n" +
		"    #[cfg(x)]\n" +
		"    /// Indicates if the `b` method is overridden by the implementor.\n" +
		"    const HAS_B: bool = false;\n" +
		"}\n" +
		"impl T for X { fn b(&self) {} \n    const USE_VTABLE_ATTR: () = ();\n    const HAS_B: bool = true;\n}\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestC(t *testing.T) {
	f := &vtable.FuncType{Result: "int", Params: []vtable.Param{{Name: "d", Type: "struct dev *", Decl: "struct dev *d"}}}
	open := &vtable.Member{Name: "open", Kind: vtable.Func, Func: f}
	poll := &vtable.Member{Name: "poll", Kind: vtable.Func, Func: &vtable.FuncType{Result: "unsigned int", Variadic: true},
		Conds: []vtable.Cond{{Directive: "#ifdef HAVE_POLL", If: "#ifdef HAVE_POLL"}}}
	s := &vtable.Struct{Name: "dev_ops", Typedef: "dev_ops", Members: []*vtable.Member{{Name: "name", Kind: vtable.Data}, open, poll}}
	table := &vtable.Table{Struct: s, Trait: &vtable.Item{Name: "DevOps"}, Impls: []*vtable.BoundImpl{{
		Impl:        &vtable.Item{Self: "Fast"},
		Symbol:      "fast",
		Initializer: "fast_dev_ops",
		Slots: []*vtable.Slot{
			{Member: open, Kind: vtable.Callback, Callback: "fast_open", Method: &vtable.Method{Name: "open"}, Designated: true},
			{Member: poll, Kind: vtable.Null, Designated: true},
		},
	}}}
	got := string(C(table, COptions{Include: "dev.h", CFlags: []string{"-DX=1"}}))
	want := Header + `
// From dev_ops (.) and #[vtable] trait DevOps (.).
// C flags: -DX=1

#include "dev.h"

#ifndef NULL
#define NULL ((void *)0)
#endif

#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

/* impl DevOps for Fast */
int fast_open(struct dev *d);
_Static_assert(__builtin_types_compatible_p(__typeof__(((dev_ops *)0)->open), __typeof__(&fast_open)),
	"dev_ops.open does not have the type of fast_open (Fast::open): the header changed, regenerate");

const dev_ops fast_dev_ops = {
	.open = fast_open,
#ifdef HAVE_POLL
	.poll = NULL,
#endif
};
`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
