package rustparse

import (
	"strings"
	"testing"
)

func TestPositionIsOneBased(t *testing.T) {
	src := []byte("// x\n#[vtable]\npub trait DeviceOps {\n    fn open(&self) -> i32;\n}\n")
	tree, err := parse(src)
	if err != nil {
		t.Fatal(err)
	}
	defer tree.Close()
	root := tree.RootNode()
	var kinds []string
	for i := uint(0); i < root.NamedChildCount(); i++ {
		kinds = append(kinds, root.NamedChild(i).Kind())
	}
	// tree-sitter keeps the attribute as a sibling before the trait.
	if got, want := strings.Join(kinds, " "), "line_comment attribute_item trait_item"; got != want {
		t.Fatalf("top-level kinds = %q, want %q", got, want)
	}
	trait := root.NamedChild(2)
	pos := position("dev.rs", trait.StartPosition())
	if pos.String() != "dev.rs:3:1" {
		t.Errorf("trait position = %v, want dev.rs:3:1", pos)
	}
	if d := syntaxErrors(tree, "dev.rs", src); d != nil {
		t.Errorf("valid source: syntax errors %v", d)
	}
}

func TestSyntaxErrorsArePositioned(t *testing.T) {
	src := []byte("#[vtable]\nimpl DeviceOps for Led {\n    fn open(&self) -> i32 { 0 }\n    fn read(&self { }\n}\n")
	tree, err := parse(src)
	if err != nil {
		t.Fatal(err)
	}
	defer tree.Close()
	d := syntaxErrors(tree, "led.rs", src)
	if len(d) == 0 {
		t.Fatal("no syntax error reported")
	}
	if d[0].Pos.Filename != "led.rs" || d[0].Pos.Line != 4 || !strings.HasPrefix(d[0].Msg, "syntax error") {
		t.Errorf("first diagnostic = %v, want one at led.rs:4", d[0])
	}
}

// TestVtableAttrsInCode: the count that decides whether a file needs the
// walk over every node for #[vtable] inside macros sees code only.
func TestVtableAttrsInCode(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want int
	}{
		{"#[vtable]\npub trait A {}", 1},
		{"/// Use #[vtable] on the trait.\n#[macros::vtable]\nimpl A for B {}", 1},
		{"/* outer /* #[vtable] */ still #[vtable] */ fn f() {}", 0},
		{`const S: &str = "#[vtable]"; const R: &str = r#"#[vtable] "quoted""#; #[vtable] trait T {}`, 1},
		{"const C: char = '#'; const D: char = '\\''; fn f<'a>(x: &'a u8) {} # [ vtable ] trait T {}", 1},
		{"m! { #[vtable] impl A for B {} }\nmacro_rules! n { () => { #[kernel::vtable] trait X {} } }", 2},
	} {
		if got := vtableAttrsInCode([]byte(tc.src)); got != tc.want {
			t.Errorf("%q: %d, want %d", tc.src, got, tc.want)
		}
	}
}
