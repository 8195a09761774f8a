package vtable

import (
	"fmt"
	"go/token"
	"strings"
	"testing"
)

func TestSnakeCase(t *testing.T) {
	for in, want := range map[string]string{
		"LedDevice":       "led_device",
		"NullSink":        "null_sink",
		"HTTPServer":      "http_server",
		"drivers::Led<T>": "led",
		"Phy2Driver":      "phy2_driver",
		"already_snake":   "already_snake",
		"Rust_Misc":       "rust_misc",
	} {
		if got := SnakeCase(in); got != want {
			t.Errorf("SnakeCase(%q) = %q, want %q", in, got, want)
		}
	}
}

func boolp(b bool) *bool { return &b }

func renderConsts(cs []*Const) string {
	var b strings.Builder
	for _, c := range cs {
		for _, a := range c.Attrs {
			b.WriteString(a + "\n")
		}
		v := "()"
		switch {
		case c.TypeItem && c.Expr != "":
			v = "type " + c.Expr
		case c.TypeItem:
			v = "type: " + c.Type
		case c.Value != nil:
			v = fmt.Sprint(*c.Value)
		}
		fmt.Fprintf(&b, "%s = %s\n", c.Name, v)
	}
	return b.String()
}

func TestExpansion(t *testing.T) {
	trait := &Item{Kind: Trait, Name: "Ops", Methods: []*Method{
		{Name: "open", Required: true},
		{Name: "read", HasBody: true},
		{Name: "compat_ioctl", HasBody: true, Cfg: []string{`feature = "compat"`}, CfgAttrs: []string{`#[cfg(feature = "compat")]`}},
		{Name: "straße", HasBody: true},
		{Name: "poll", Required: true, Optional: true},
		{Name: "read", HasBody: true, Cfg: []string{"x"}, CfgAttrs: []string{"#[cfg(x)]"}},
	}, Consts: []*Const{{Name: "HAS_POLL", User: true}}}
	marker := "/// A marker to prevent implementors from forgetting to use [`#[vtable]`](vtable)\n" +
		"/// attribute when implementing this trait.\n" +
		"USE_VTABLE_ATTR = ()\n"
	doc := func(m string) string {
		return "/// Indicates if the `" + m + "` method is overridden by the implementor.\n"
	}
	for _, tc := range []struct {
		form Form
		want string
	}{
		// Mainline's syn-based macro (rust/macros/vtable.rs of 7.2): every
		// method, cfgs before the doc line, nothing skipped (HAS_POLL,
		// which the trait declares, comes again: rustc then rejects it).
		{Form72, marker +
			doc("open") + "HAS_OPEN = false\n" +
			doc("read") + "HAS_READ = false\n" +
			"#[cfg(feature = \"compat\")]\n" + doc("compat_ioctl") + "HAS_COMPAT_IOCTL = false\n" +
			doc("straße") + "HAS_STRASSE = false\n" +
			doc("poll") + "HAS_POLL = false\n" +
			"#[cfg(x)]\n" + doc("read") + "HAS_READ = false\n"},
		// 7.3: the same, with the OwnerModule type after the marker.
		{Form73, marker +
			"/// The module implementing this vtable trait.\n///\n" +
			"/// Automatically set to `crate::LocalModule` by the `#[vtable]`\n/// impl macro.\n" +
			"OwnerModule = type: ::kernel::ModuleMetadata\n" +
			doc("open") + "HAS_OPEN = false\n" +
			doc("read") + "HAS_READ = false\n" +
			"#[cfg(feature = \"compat\")]\n" + doc("compat_ioctl") + "HAS_COMPAT_IOCTL = false\n" +
			doc("straße") + "HAS_STRASSE = false\n" +
			doc("poll") + "HAS_POLL = false\n" +
			"#[cfg(x)]\n" + doc("read") + "HAS_READ = false\n"},
		// The unmerged #[optional] series.
		{FormOptional, marker +
			"#[doc(hidden)]\nHAS_OPEN = false\n" +
			doc("read") + "HAS_READ = false\n" +
			"#[cfg(feature = \"compat\")]\n" + doc("compat_ioctl") + "HAS_COMPAT_IOCTL = false\n" +
			doc("straße") + "HAS_STRASSE = false\n" +
			doc("poll") + "HAS_POLL = false\n" +
			"#[cfg(x)]\n" + doc("read") + "HAS_READ = false\n"},
		{Form612, marker +
			doc("open") + "HAS_OPEN = false\n" +
			doc("read") + "HAS_READ = false\n" +
			doc("compat_ioctl") + "HAS_COMPAT_IOCTL = false\n" +
			doc("straße") + "HAS_STRASSE = false\n"},
	} {
		if got := renderConsts(Expansion(trait, tc.form)); got != tc.want {
			t.Errorf("trait expansion, form %v:\n%s\nwant\n%s", tc.form, got, tc.want)
		}
	}

	impl := &Item{Kind: Impl, Name: "Sink", Self: "Sink",
		Methods: []*Method{{Name: "open", HasBody: true}, {Name: "flush", HasBody: true},
			{Name: "poll", HasBody: true, CfgAttrs: []string{"#[cfg(a)]"}}, {Name: "poll", HasBody: true, CfgAttrs: []string{"#[cfg(not(a))]"}}},
		Consts: []*Const{{Name: "HAS_FLUSH", Value: boolp(false), User: true}},
	}
	for _, tc := range []struct {
		form Form
		want string
	}{
		{Form72, "USE_VTABLE_ATTR = ()\nHAS_OPEN = true\n#[cfg(a)]\nHAS_POLL = true\n#[cfg(not(a))]\nHAS_POLL = true\n"},
		{Form73, "USE_VTABLE_ATTR = ()\nOwnerModule = type crate::LocalModule\nHAS_OPEN = true\n#[cfg(a)]\nHAS_POLL = true\n#[cfg(not(a))]\nHAS_POLL = true\n"},
		{FormOptional, "USE_VTABLE_ATTR = ()\nHAS_OPEN = true\n#[cfg(a)]\nHAS_POLL = true\n#[cfg(not(a))]\nHAS_POLL = true\n"},
		{Form612, "USE_VTABLE_ATTR = ()\nHAS_OPEN = true\nHAS_POLL = true\nHAS_POLL = true\n"},
	} {
		if got := renderConsts(Expansion(impl, tc.form)); got != tc.want {
			t.Errorf("impl expansion, form %v:\n%s\nwant\n%s", tc.form, got, tc.want)
		}
	}
	impl.Types = []RustIdent{OwnerModule}
	if got := renderConsts(Expansion(impl, Form73)); strings.Contains(got, "OwnerModule") {
		t.Errorf("an impl that defines OwnerModule gets another:\n%s", got)
	}
	impl.Types = nil
	for _, tc := range []struct {
		method  RustIdent
		has, ok bool
	}{{"open", true, true}, {"flush", false, true}, {"read", false, true}} {
		if has, ok, _ := Has(impl, tc.method); has != tc.has || ok != tc.ok {
			t.Errorf("Has(%s) = %v, %v; want %v, %v", tc.method, has, ok, tc.has, tc.ok)
		}
	}
	impl.Consts = append(impl.Consts, &Const{Name: "HAS_READ", User: true})
	if _, ok, user := Has(impl, "read"); ok || user == nil {
		t.Errorf("Has with a non-literal HAS_READ: ok = %v, user = %v; want false and the const", ok, user)
	}
}

func TestParseForm(t *testing.T) {
	for in, want := range map[string]Form{"": FormAuto, "newest": Form73, "6.12": Form612, "6.2": Form612, "6.19": Form612,
		"7.0": Form72, "7.2": Form72, "7.3": Form73, "7.9": Form73, "optional": FormOptional} {
		if f, err := ParseForm(in); err != nil || f != want {
			t.Errorf("ParseForm(%q) = %v, %v; want %v", in, f, err, want)
		}
	}
	for _, bad := range []string{"6.1", "6.20", "8.0", "6.12.1", "x", "newer"} {
		if _, err := ParseForm(bad); err == nil {
			t.Errorf("ParseForm(%q): no error", bad)
		}
	}
}

func TestBind(t *testing.T) {
	pos := func(line int) token.Position { return token.Position{Filename: "x", Line: line, Column: 1} }
	s := &Struct{Name: "ops", Pos: pos(1), Members: []*Member{
		{Name: "name", Kind: Data},
		{Name: "open", Kind: Func, Pos: pos(2)},
		{Kind: AnonUnion, Fields: []*Member{{Name: "read", Kind: Func, Pos: pos(3)}}},
		{Name: "poll", Kind: Func, Pos: pos(4)},
	}}
	trait := &Item{Kind: Trait, Name: "Ops", Methods: []*Method{
		{Name: "open", Required: true, Pos: pos(10)},
		{Name: "read", Pos: pos(11)},
		{Name: "opne", Pos: pos(12)},
	}}
	a := &Item{Kind: Impl, Self: "FastDev", Methods: []*Method{{Name: "open"}, {Name: "read"}}}
	b := &Item{Kind: Impl, Self: "SlowDev", Methods: []*Method{{Name: "open"}, {Name: "read"}, {Name: "raed", Pos: pos(20)}},
		Consts: []*Const{{Name: "HAS_READ", Value: boolp(false), User: true}}}
	table, diags := Bind(s, trait, []*Item{a, b}, nil)
	var got []string
	for _, bi := range table.Impls {
		for _, sl := range bi.Slots {
			v := sl.CValue()
			if v == "" {
				v = "zero"
			}
			got = append(got, fmt.Sprintf("%s.%s = %s", bi.Symbol, sl.Member.Name, v))
		}
	}
	want := []string{
		"fast_dev.name = zero", "fast_dev.open = fast_dev_open", "fast_dev.read = fast_dev_read", "fast_dev.poll = NULL",
		"slow_dev.name = zero", "slow_dev.open = slow_dev_open", "slow_dev.read = NULL", "slow_dev.poll = NULL",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("slots:\n%v\nwant\n%v", got, want)
	}
	diags.Sort()
	wantDiags := `x:4:1: warning: function member "poll" of struct ops has no method in trait Ops: it is NULL in every impl
x:12:1: error: method "opne" of trait Ops has no function member in struct ops: bind it with a member rule, or mark it unbound; did you mean "open"?
x:1:1: note: struct ops defined here`
	if diags.Error() != wantDiags {
		t.Errorf("diagnostics:\n%s\nwant\n%s", diags.Error(), wantDiags)
	}
}

func TestCheck(t *testing.T) {
	pos := func(line int) token.Position { return token.Position{Filename: "x.rs", Line: line, Column: 1} }
	trait := &Item{Kind: Trait, Name: "Ops", File: "rust/kernel/lib.rs", Pos: pos(1), Methods: []*Method{
		{Name: "open", Required: true, Pos: pos(2)},
		{Name: "read", HasBody: true, Pos: pos(3)},
		{Name: "poll", Required: true, Optional: true, Pos: pos(4)},
		{Name: "mmap", HasBody: true, Optional: true, Pos: pos(5)},
	}}
	impl := &Item{Kind: Impl, Trait: "kernel::Ops", Self: "Dev", Pos: pos(10), Methods: []*Method{
		{Name: "raed", HasBody: true, Pos: pos(11)},
		{Name: "read", HasBody: true, CfgAttrs: []string{"#[cfg(a)]"}, Pos: pos(12)},
		{Name: "read", HasBody: true, CfgAttrs: []string{"#[cfg(not(a))]"}, Pos: pos(13)},
		{Name: "read", HasBody: true, CfgAttrs: []string{"#[cfg(a)]"}, Pos: pos(14)},
	}}
	plain := []*Item{{Kind: Impl, Trait: "Ops", Self: "Other", Pos: pos(20)}, {Kind: Impl, Trait: "Display", Self: "Other", Pos: pos(21)}}
	for _, tc := range []struct {
		form Form
		want string
	}{
		{FormOptional, `x.rs:5:1: error: #[optional] method mmap has a default body: #[optional] methods must not have one
x.rs:10:1: error: impl of Ops for Dev does not define required method open
x.rs:2:1: note: required method declared here
x.rs:11:1: error: method raed is not a method of trait Ops; did you mean "read"?
x.rs:1:1: note: trait Ops declared here
x.rs:14:1: error: method read is defined twice under the same #[cfg]
x.rs:12:1: note: first defined here
x.rs:20:1: error: impl of #[vtable] trait Ops for Other lacks #[vtable]: add it, or the HAS_* consts and USE_VTABLE_ATTR are missing
x.rs:1:1: note: trait Ops declared #[vtable] here`},
		{Form612, `x.rs:10:1: error: impl of Ops for Dev does not define required method open
x.rs:2:1: note: required method declared here
x.rs:10:1: error: impl of Ops for Dev does not define required method poll
x.rs:4:1: note: required method declared here
x.rs:11:1: error: method raed is not a method of trait Ops; did you mean "read"?
x.rs:1:1: note: trait Ops declared here
x.rs:14:1: error: method read is defined twice under the same #[cfg]
x.rs:12:1: note: first defined here
x.rs:20:1: error: impl of #[vtable] trait Ops for Other lacks #[vtable]: add it, or the HAS_* consts and USE_VTABLE_ATTR are missing
x.rs:1:1: note: trait Ops declared #[vtable] here`},
	} {
		diags := Check([]*RustFile{{Name: "x.rs", Items: []*Item{trait, impl}, PlainImpls: plain}}, tc.form)
		diags.Sort()
		if diags.Error() != tc.want {
			t.Errorf("form %v:\n%s\nwant\n%s", tc.form, diags.Error(), tc.want)
		}
	}
}
