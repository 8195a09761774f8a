package vtablegen

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vtablegen/vtablegen/internal/testtool"
	"github.com/vtablegen/vtablegen/vtable"
)

// rustKeywords are Rust's keywords, strict and reserved, from the
// Reference (edition 2021: gen, reserved by 2024, is a name in the
// kernel's edition and bindgen 0.60 leaves it as it is).
var rustKeywords = strings.Fields(`as break const continue crate else enum extern false fn for if impl in let loop
	match mod move mut pub ref return self Self static struct super trait true type unsafe use where while async
	await dyn abstract become box do final macro override priv typeof unsized virtual yield try`)

// cReserved are the words among them that C (gnu11) reserves itself.
var cReserved = strings.Fields(`break const continue else enum extern for if return static struct while do typeof`)

// TestRustKeywordNames generates the Rust side of a struct whose data
// members and whose callback's parameters are named by every Rust keyword
// C allows as an identifier (libxml2's entityDeclSAXFunc has a parameter
// named type) and builds it with rustc, calls the callback from C through
// the initializer: every name vtablegen writes from a C name is escaped
// by one rule (bindgen's, type becomes type_).
func TestRustKeywordNames(t *testing.T) {
	testtool.Need(t, "gcc")
	var words []string
	for _, w := range rustKeywords {
		if !slices.Contains(cReserved, w) {
			words = append(words, w)
		}
	}
	var h strings.Builder
	h.WriteString("struct kw_ops {\n\tint (*open)(")
	for i, w := range words {
		if i > 0 {
			h.WriteString(", ")
		}
		fmt.Fprintf(&h, "int %s", w)
	}
	h.WriteString(");\n")
	for _, w := range words {
		fmt.Fprintf(&h, "\tlong %s;\n", w)
	}
	h.WriteString("};\n")
	dir := t.TempDir()
	writeTestFile(t, filepath.Join(dir, "ops.h"), h.String())
	var params, sum []string
	for i := range words {
		params = append(params, fmt.Sprintf("a%d: i32", i))
		sum = append(sum, fmt.Sprintf("a%d", i))
	}
	writeTestFile(t, filepath.Join(dir, "ops.rs"), "#[vtable]\npub trait KwOps {\n    fn open("+strings.Join(params, ", ")+") -> i32;\n}\n\npub struct P;\n\n#[vtable]\nimpl KwOps for P {\n    fn open("+
		strings.Join(params, ", ")+") -> i32 {\n        "+strings.Join(sum, " + ")+"\n    }\n}\n")
	// No Form: outside a kernel tree the default is one whose expansion
	// compiles in userspace.
	r := Generate(Config{Header: filepath.Join(dir, "ops.h"), RustFiles: []string{filepath.Join(dir, "ops.rs")}, OutDir: filepath.Join(dir, "gen")})
	if r.Diagnostics.HasErrors() {
		t.Fatal(r.Diagnostics)
	}
	for _, f := range r.Files {
		writeTestFile(t, filepath.Join(dir, "gen", f.Name), string(f.Content))
	}
	b, err := os.ReadFile(filepath.Join(dir, "gen", "kw_ops_vtable.rs"))
	if err != nil {
		t.Fatal(err)
	}
	rs := string(b)
	for _, w := range words {
		if want := vtable.RustName(w); !strings.Contains(rs, " "+want+": ") {
			t.Errorf("kw_ops_vtable.rs has no field or parameter %s (for C's %s)", want, w)
		}
	}
	writeTestFile(t, filepath.Join(dir, "lib.rs"), "#[path = \"gen/ops_expanded.rs\"]\nmod ops;\npub use ops::*;\ninclude!(\"gen/kw_ops_vtable.rs\");\n")
	var args []string
	for i := range words {
		args = append(args, fmt.Sprint(i+1))
	}
	writeTestFile(t, filepath.Join(dir, "main.c"), "#include <stdio.h>\n#include \"ops.h\"\nextern const struct kw_ops p_kw_ops;\nint main(void)\n{\n\tprintf(\"%d\\n\", p_kw_ops.open("+strings.Join(args, ", ")+"));\n\treturn 0;\n}\n")
	out := linkAndRun(t, dir, "lib.rs", nil, []string{"main.c", filepath.Join("gen", "kw_ops_vtable.c")})
	n := len(words)
	if want := fmt.Sprintln(n * (n + 1) / 2); out != want {
		t.Errorf("the callback returned %q, want %q", out, want)
	}
}

// TestRustNameEscapesKeywords: no Rust keyword comes out of RustName as it
// went in.
func TestRustNameEscapesKeywords(t *testing.T) {
	for _, w := range append(rustKeywords, "bool", "str", "u8", "i32", "usize", "f64") {
		if vtable.RustName(w) == w {
			t.Errorf("RustName(%q) = %q, a keyword", w, w)
		}
	}
	for _, w := range []string{"open", "xCreate", "type_", "r", "union", "macro_rules", "char"} {
		if vtable.RustName(w) != w {
			t.Errorf("RustName(%q) = %q, want it unchanged", w, vtable.RustName(w))
		}
	}
}
