package cparse

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/vtablegen/vtablegen/internal/testtool"
)

func TestDropComments(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"int a; /* x */\nint b;\n", "int a; \nint b;\n"},
		{"/* a\n b\n */\nint x;", "\n\n\nint x;"},
		{"/* a */ int x; // y\n", "/* a */ int x; \n"},
		{"/* a\n */ int x;\n", "/* a\n */ int x;\n"},
		{"#define X /* c\n */ 1\n", "#define X /* c\n */ 1\n"},
		{"#define X 1 /* c\n */\n", "#define X 1 \n\n"},
		{"char *s = \"/* no */\"; // c\n", "char *s = \"/* no */\"; \n"},
		{"char c = '\"'; /* c */\n", "char c = '\"'; \n"},
		{"#include <a//b.h> // c\n", "#include <a//b.h> \n"},
		{"  #  include <a/*b.h>\n", "  #  include <a/*b.h>\n"},
		{"#error don't /* c */\nint x;\n", "#error don't /* c */\nint x;\n"},
		{"// a \\\n b\nint x;\n", "// a \\\n b\nint x;\n"},
		{"char *s = \"a\\\n/* b */\";\n", "char *s = \"a\\\n/* b */\";\n"},
		{"int x; /* unterminated\n", "int x; /* unterminated\n"},
		{"a / b /* c */\n", "a / b \n"},
	} {
		if got := string(dropComments([]byte(tc.in))); got != tc.want {
			t.Errorf("dropComments(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// lexAll lists the tokens of C source text with their lines and columns,
// directives included, comments (and splices in them) skipped: what must
// not change when comments are dropped.
func lexAll(src []byte) []string {
	var out []string
	line, col := 1, 1
	adv := func(n int, b []byte) {
		for _, c := range b[:n] {
			if c == '\n' {
				line, col = line+1, 1
			} else {
				col++
			}
		}
	}
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			e := bytes.Index(src[i+2:], []byte("*/"))
			n := len(src) - i
			if e >= 0 {
				n = e + 4
			}
			adv(n, src[i:])
			i += n
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			n := 0
			for i+n < len(src) && src[i+n] != '\n' || i+n > 0 && i+n < len(src) && src[i+n-1] == '\\' {
				n++
			}
			adv(n, src[i:])
			i += n
		case c == '"' || c == '\'':
			n := skipLiteral(src, i) - i
			out = append(out, fmt.Sprintf("%d:%d %s", line, col, src[i:i+n]))
			adv(n, src[i:])
			i += n
		case isIdentChar(c):
			n := 0
			for i+n < len(src) && isIdentChar(src[i+n]) {
				n++
			}
			out = append(out, fmt.Sprintf("%d:%d %s", line, col, src[i:i+n]))
			adv(n, src[i:])
			i += n
		case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v':
			adv(1, src[i:])
			i++
		default:
			out = append(out, fmt.Sprintf("%d:%d %c", line, col, c))
			adv(1, src[i:])
			i++
		}
	}
	return out
}

// TestDropCommentsRealHeaders: over the system's headers (glibc, FUSE,
// SQLite, the kernel's UAPI), dropping comments keeps every token,
// directives' included, at its line and column, and keeps the number of
// lines; and it drops most of the comment text.
func TestDropCommentsRealHeaders(t *testing.T) {
	var files []string
	for _, g := range []string{"/usr/include/*.h", "/usr/include/*/*.h", "/usr/include/fuse3/*.h"} {
		m, _ := filepath.Glob(g)
		files = append(files, m...)
	}
	if len(files) < 500 {
		testtool.NeedFile(t, "/usr/include/fuse3/fuse.h", "make test installs it")
		t.Fatalf("only %d system headers", len(files))
	}
	before, after := 0, 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		got := dropComments(src)
		before, after = before+len(src), after+len(got)
		if bytes.Count(got, []byte("\n")) != bytes.Count(src, []byte("\n")) {
			t.Errorf("%s: %d lines after, %d before", f, bytes.Count(got, []byte("\n")), bytes.Count(src, []byte("\n")))
			continue
		}
		a, b := lexAll(src), lexAll(got)
		for i := range min(len(a), len(b)) {
			if a[i] != b[i] {
				t.Errorf("%s: token %d is %q after, %q before", f, i, b[i], a[i])
				break
			}
		}
		if len(a) != len(b) {
			t.Errorf("%s: %d tokens after, %d before", f, len(b), len(a))
		}
	}
	t.Logf("%d headers, %d bytes, %d without comments", len(files), before, after)
}

// TestDropCommentsSameUnit: sqlite3.h and fuse.h come out of cc/v4 the
// same, positions and diagnostics included, with comments dropped as
// without.
func TestDropCommentsSameUnit(t *testing.T) {
	for _, tc := range userspaceCases {
		if tc.name != "sqlite3" && tc.name != "fuse3" {
			continue
		}
		testtool.NeedFile(t, tc.header, "make test installs it")
		src := filepath.Join(t.TempDir(), "x.c")
		if err := os.WriteFile(src, []byte(tc.source), 0o666); err != nil {
			t.Fatal(err)
		}
		var dumps [2]string
		for i, keep := range []bool{false, true} {
			keepComments = keep
			p, err := NewParser(Options{IncludeDirs: tc.include, Defines: tc.defines})
			if err != nil {
				t.Fatal(err)
			}
			u, diags := p.Parse(src)
			keepComments = false
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			var b bytes.Buffer
			for _, s := range u.Structs {
				fmt.Fprintf(&b, "%s %s\n", dump(s), s.Pos)
				for _, m := range s.Members {
					fmt.Fprintf(&b, "  %s %s\n", m.Name, m.Pos)
				}
			}
			fmt.Fprintf(&b, "%v\n%v\n", u.Files, diags)
			dumps[i] = b.String()
		}
		if dumps[0] != dumps[1] {
			t.Errorf("%s: with comments dropped:\n%s\nkept:\n%s", tc.name, dumps[0], dumps[1])
		}
		if len(dumps[0]) < 200 {
			t.Errorf("%s: almost nothing read: %s", tc.name, dumps[0])
		}
	}
}

func TestFillElvis(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"int a[(4 * sizeof(long)) ? : 64];", "int a[(4 * sizeof(long)) ? (4 * sizeof(long)) : 64];"},
		{"enum { A = X ?: 3 };", "enum { A = X ? X : 3 };"},
		{"int a[sizeof(long) ?: 8];", "int a[sizeof(long) ? sizeof(long) : 8];"},
		{"int a[1 ? 2 : 3];", "int a[1 ? 2 : 3];"},
		{"#line 3 \"a ?: b\"\nint a[2 ?: 3];", "#line 3 \"a ?: b\"\nint a[2 ? 2 : 3];"},
	} {
		if got := string(fillElvis([]byte(tc.in))); got != tc.want {
			t.Errorf("fillElvis(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
