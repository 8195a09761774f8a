package rustparse

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/vtablegen/vtablegen/vtable"
)

// FuzzParse feeds arbitrary bytes to the Rust front end: it must never
// panic, every diagnostic must have a valid position inside the input, and
// every byte range it returns must lie inside it.
func FuzzParse(f *testing.F) {
	f.Add([]byte("#[vtable]\npub trait Ops { fn open(&self) -> i32; fn read(&self) {} const X: u32 = 1; }\n"))
	f.Add([]byte("mod m { #[macros::vtable] unsafe impl<T: Copy> a::Ops<T> for W<T> where T: Send { const HAS_OPEN: bool = false; #[cfg(x)] fn open(&self) {} } }"))
	f.Add([]byte("macro_rules! m { () => { #[vtable] trait T {} } }\nfoo! { #[vtable] impl A for B {} }\nimpl T for X {}\n"))
	f.Add([]byte("#[vtable]\npub trait T {\n    #[optional]\n    fn a(&self);\n    fn b(&self) -> fn(i32) { const { 1 }; todo!() }\n}\n"))
	f.Add([]byte("#[vtable]\nstruct S;\nfn broken( {\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		rf, diags := Parse("f.rs", src)
		lines := strings.Split(string(src), "\n")
		for _, d := range diags {
			p := d.Pos
			if p.Filename != "f.rs" || p.Line < 1 || p.Line > len(lines) || p.Column < 1 || p.Column > len(lines[p.Line-1])+1 {
				t.Fatalf("diagnostic outside the input (%d lines): %v", len(lines), d)
			}
		}
		in := func(r vtable.Range) bool { return 0 <= r.Start && r.Start <= r.End && r.End <= len(src) }
		for _, it := range append(append([]*vtable.Item{}, rf.Items...), rf.PlainImpls...) {
			if it.Attr != (vtable.Range{}) && !in(it.Attr) || !in(it.Body) {
				t.Fatalf("%s %s: ranges %v %v outside %d bytes", it.Kind, it.Name, it.Attr, it.Body, len(src))
			}
			for _, m := range it.Methods {
				if !in(m.OptionalAttr) || !in(m.Semicolon) || !utf8.ValidString(string(m.Name)) {
					t.Fatalf("method %q: bad ranges", m.Name)
				}
			}
		}
	})
}
