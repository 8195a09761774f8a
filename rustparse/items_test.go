package rustparse

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vtablegen/vtablegen/vtable"
)

// dumpItems renders items one line per item, method and const.
func dumpItems(src []byte, items []*vtable.Item) string {
	var b strings.Builder
	for _, it := range items {
		fmt.Fprintf(&b, "%s %s trait=%q self=%q @%d:%d attr=%q\n", it.Kind, it.Name, it.Trait, it.Self, it.Pos.Line, it.Pos.Column, src[it.Attr.Start:it.Attr.End])
		for _, m := range it.Methods {
			fmt.Fprintf(&b, "  fn %s required=%v cfg=%q @%d:%d\n", m.Name, m.Required, m.Cfg, m.Pos.Line, m.Pos.Column)
		}
		for _, k := range it.Consts {
			v := "nil"
			if k.Value != nil {
				v = fmt.Sprint(*k.Value)
			}
			fmt.Fprintf(&b, "  const %s = %s user=%v @%d:%d\n", k.Name, v, k.User, k.Pos.Line, k.Pos.Column)
		}
	}
	return b.String()
}

func TestParseQuickstart(t *testing.T) {
	name := filepath.Join("..", "examples", "quickstart", "device.rs")
	rf, diags := ParseFile(name)
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	items := rf.Items
	want := `trait DeviceOps trait="" self="" @14:1 attr="#[vtable]"
  fn open required=true cfg=[] @16:8
  fn release required=false cfg=[] @19:8
  fn read required=false cfg=[] @22:8
  fn write required=false cfg=[] @27:8
  fn ioctl required=false cfg=[] @32:8
  fn flush required=false cfg=[] @37:8
impl LedDevice trait="DeviceOps" self="LedDevice" @46:1 attr="#[vtable]"
  fn open required=false cfg=[] @47:8
  fn release required=false cfg=[] @51:8
  fn read required=false cfg=[] @53:8
  fn write required=false cfg=[] @64:8
  fn ioctl required=false cfg=[] @68:8
impl NullSink trait="DeviceOps" self="NullSink" @77:1 attr="#[vtable]"
  fn open required=false cfg=[] @82:8
  fn write required=false cfg=[] @86:8
  fn flush required=false cfg=[] @90:8
  const HAS_FLUSH = false user=true @80:11
`
	src := mustRead(t, name)
	if got := dumpItems(src, items); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	for _, it := range items {
		if src[it.Body.Start-1] != '{' || src[it.Body.End] != '}' {
			t.Errorf("%s: body range %v is not inside braces", it.Name, it.Body)
		}
	}
}

func TestParseForms(t *testing.T) {
	src := []byte(`mod inner {
    /// Docs before.
    #[macros::vtable]
    #[allow(dead_code)]
    pub trait Ops<T>: Sized where T: Copy {
        #[cfg(feature = "compat")]
        fn compat_ioctl(&self);
        const HAS_OPEN: bool = true;
        const USE_VTABLE_ATTR: ();
        fn open(&self) { let _f: fn() = || {}; }
    }
}
#[::kernel::prelude::vtable]
unsafe impl<T: Copy> inner::Ops<T> for Foo<T> {}
#[vtable_extra]
impl Ops for Bar {}
`)
	rf, diags := Parse("forms.rs", src)
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	items := rf.Items
	want := `trait Ops trait="" self="" @5:5 attr="#[macros::vtable]"
  fn compat_ioctl required=true cfg=["feature = \"compat\""] @7:12
  fn open required=false cfg=[] @10:12
  const HAS_OPEN = true user=true @8:15
  const USE_VTABLE_ATTR = nil user=true @9:15
impl Foo<T> trait="inner::Ops<T>" self="Foo<T>" @14:1 attr="#[::kernel::prelude::vtable]"
`
	if got := dumpItems(src, items); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestParseDiagnostics(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      string // the one diagnostic, "line:col: message" substring
	}{
		{"struct", "#[vtable]\npub struct S;\n", "1:1: error: #[vtable] on a struct: it applies only to a trait or a trait impl"},
		{"inherent", "\n#[vtable]\nimpl S { fn f() {} }\n", "2:1: error: #[vtable] on an inherent impl of S"},
		{"fn", "#[vtable]\nfn f() {}\n", "1:1: error: #[vtable] on a fn"},
		{"syntax", "#[vtable]\npub trait T {\n    fn open(&self)\n}\n", "3:19: error: syntax error"},
		{"binary", "fn main() {}\n\x7fELF\x00\x01", "2:5: error: a NUL byte: this is a binary file"},
		{"latin1", "// caf\xe9\n", "1:7: error: byte 0xe9 is not UTF-8"},
	} {
		rf, diags := Parse(tc.name+".rs", []byte(tc.src))
		if len(diags) != 1 || !strings.Contains(diags[0].Error(), tc.name+".rs:"+tc.want) {
			t.Errorf("%s: got %d items and diagnostics %q; want one diagnostic containing %q", tc.name, len(rf.Items), diags.Error(), tc.want)
		}
	}
	_, diags := ParseFile(filepath.Join(t.TempDir(), "absent.rs"))
	if len(diags) != 1 || !strings.Contains(diags[0].Error(), "absent.rs:1:1: error: no such file or directory") {
		t.Errorf("missing file: got %q", diags.Error())
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestParseReportsMacrosAndPlainImpls checks the warnings for #[vtable]
// inside macros, and that trait impls without #[vtable] are returned apart.
func TestParseReportsMacrosAndPlainImpls(t *testing.T) {
	src := "macro_rules! m { () => { #[vtable] impl A for B {} } }\nfoo! { #[macros::vtable] trait X {} }\n" +
		"#[vtable]\ntrait T { fn a(&self); }\nimpl T for Plain {}\nimpl Plain {}\n"
	rf, diags := Parse("m.rs", []byte(src))
	want := "m.rs:1:26: warning: #[vtable] inside a macro_rules! definition is not expanded: vtablegen reads items, not macro tokens\n" +
		"m.rs:2:8: warning: #[vtable] inside a macro invocation is not expanded: vtablegen reads items, not macro tokens"
	if diags.Error() != want {
		t.Errorf("diagnostics:\n%s\nwant\n%s", diags.Error(), want)
	}
	if len(rf.Items) != 1 || len(rf.PlainImpls) != 1 || rf.PlainImpls[0].Trait != "T" || rf.PlainImpls[0].Self != "Plain" {
		t.Errorf("items %d, plain impls %+v", len(rf.Items), rf.PlainImpls)
	}
}

func TestParseFileRejects(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.rs")
	if err := os.WriteFile(big, []byte(strings.Repeat("// padding\n", 1<<20)), 0o666); err != nil {
		t.Fatal(err)
	}
	deep := filepath.Join(dir, "deep.rs")
	if err := os.WriteFile(deep, []byte("fn f() "+strings.Repeat("{", 100000)+strings.Repeat("}", 100000)+"\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]string{
		dir:  dir + ":1:1: error: not a regular file",
		big:  big + ":1:1: error: 11534336 bytes is more than the 8 MiB a Rust source file may have",
		deep: deep + ":1:",
	} {
		_, diags := ParseFile(file)
		if len(diags) != 1 || !strings.HasPrefix(diags[0].Error(), want) {
			t.Errorf("%s: %v; want one diagnostic starting %q", file, diags, want)
		}
	}
	// The message counts brackets, as written, not syntax-tree levels
	// (about two per bracket): 1000 levels is 499 braces here, the column
	// that of the brace that passes them.
	if _, diags := ParseFile(deep); len(diags) != 1 || diags[0].Msg != "nested 499 brackets deep: more than vtablegen reads (1000 levels of syntax)" || diags[0].Pos.Column != 507 {
		t.Errorf("deep: %v", diags)
	}
}
