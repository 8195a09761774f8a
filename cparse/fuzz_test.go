package cparse

import (
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vtablegen/vtablegen/vtable"
)

// FuzzReduce feeds arbitrary bytes to the preprocessed-unit path that is
// vtablegen's own code (tokenizer, reduction, slicing, line markers): it
// must never panic, and the reduced text must keep every newline in place.
func FuzzReduce(f *testing.F) {
	f.Add([]byte(unitText))
	f.Add([]byte("typedef struct { int (*f)(int); } ops;\nstruct x { enum e { A, B } y; int z[A]; };"))
	f.Add([]byte("# 1 \"a.h\"\nstruct s { int (*f)(void); } v = { .f = ((void *)0) };\nint g(void) { return ({ 1; }); }"))
	f.Add([]byte("typedef enum r (fn_t)(struct q *, bool);\n#line 9 \"b.h\"\nstruct t { fn_t *f; char c[sizeof(struct q)]; };"))
	f.Fuzz(func(t *testing.T, src []byte) {
		r := reduce(src)
		text := r.fullText()
		if len(text) != len(src) {
			t.Fatalf("reduced text is %d bytes, input %d", len(text), len(src))
		}
		for i := range src {
			if (src[i] == '\n') != (text[i] == '\n') {
				t.Fatalf("newline moved at byte %d", i)
			}
		}
		for _, k := range r.kept {
			if k.start < 0 || k.end > len(src) || k.start > k.end {
				t.Fatalf("kept span %v out of range", k)
			}
		}
		if idx, ok := r.slice(src, []string{"s", "t", "ops"}); ok {
			r.render("x.i", idx)
		}
		r.render("x.i", r.funcSlice(src))
		m := newLineMap("x.i", src, "")
		m.pos(token.Position{Filename: "x.i", Line: 3, Column: 1})
		m.files()
	})
}

// fuzzParser is shared by FuzzParse's calls: making one asks the host
// compiler, which would dominate each call.
var fuzzParser struct {
	once sync.Once
	p    *Parser
	err  error
}

// FuzzParse feeds arbitrary bytes to the C front end as a header read by
// cc/v4's own preprocessor: it must never panic and never hang, and every
// diagnostic must have a valid position inside its file. A panic inside
// cc/v4 (testdata/fuzz/FuzzParse/cc-v4-* are ones found) is turned into an
// "internal error" diagnostic, which is allowed here: vtablegen reports it
// and goes on.
func FuzzParse(f *testing.F) {
	f.Add([]byte("struct ops { int (*open)(void *); const char *name; };\n"))
	f.Add([]byte("typedef int h_t(int, ...);\nstruct s { h_t *h; union { void (*a)(void); long b; }; unsigned c : 3; char d[4]; };\n"))
	f.Add([]byte("#define X(a) a\n#if X(1)\nstruct s { int (*f)(X(int)); };\n#endif\n"))
	f.Add([]byte("/* unterminated\n"))
	f.Add([]byte("#if 1\nstruct a;\n"))
	f.Add([]byte("struct a { int (*f)(void) }\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		fuzzParser.once.Do(func() { fuzzParser.p, fuzzParser.err = NewParser(Options{}) })
		if fuzzParser.err != nil {
			t.Skip(fuzzParser.err)
		}
		name := filepath.Join(t.TempDir(), "fuzz.h")
		if err := os.WriteFile(name, src, 0o666); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		u, diags := fuzzParser.p.Parse(name)
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("parsing %d bytes took %v", len(src), d)
		}
		if !diags.HasErrors() && u == nil {
			t.Fatal("no unit and no error")
		}
		for _, d := range diags {
			checkPosition(t, d, name, src)
		}
	})
}

// checkPosition fails t unless d's position lies inside its file: src for
// name, else the file on disk (a header the input included).
func checkPosition(t *testing.T, d *vtable.Diagnostic, name string, src []byte) {
	t.Helper()
	p := d.Pos
	if p.Filename != name {
		b, err := os.ReadFile(p.Filename)
		if err != nil {
			t.Fatalf("diagnostic in a file that cannot be read: %v (%v)", d, err)
		}
		src = b
	}
	lines := strings.Split(string(src), "\n")
	if p.Line < 1 || p.Line > len(lines) || p.Column < 1 || p.Column > len(lines[p.Line-1])+1 {
		t.Fatalf("diagnostic outside its file (%d lines): %v", len(lines), d)
	}
}

// FuzzOwnPreprocessor feeds arbitrary bytes to vtablegen's own
// preprocessor as a header: it may give up (cc/v4's reading then
// answers), never with an internal error (a panic it caught), and what it
// writes must pass the preprocessed path's own checks or be refused by
// them, never crash them.
func FuzzOwnPreprocessor(f *testing.F) {
	for _, tc := range ppGCCCases {
		f.Add([]byte(tc.files["main.h"]))
	}
	f.Add([]byte("#define F(x, ...) #x x##__VA_ARGS__ , ## __VA_ARGS__\nF(a) F(b, c) F((d, e), f, g)\nstruct s { int (*f)(void); };\n"))
	f.Add([]byte("#if defined(A) || __has_include(<stddef.h>) ? 1 : 2\n#include <stddef.h>\n#elif\n#endif\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		fuzzParser.once.Do(func() { fuzzParser.p, fuzzParser.err = NewParser(Options{}) })
		if fuzzParser.err != nil {
			t.Skip(fuzzParser.err)
		}
		header := filepath.Join(t.TempDir(), "h.h")
		if err := os.WriteFile(header, src, 0o644); err != nil {
			t.Fatal(err)
		}
		p := fuzzParser.p
		p.files.reset()
		out, _, err := p.preprocessEmbedded(header)
		if err != nil {
			if strings.HasPrefix(err.Error(), ppInternalError) {
				t.Fatalf("%v", err)
			}
			return
		}
		r := reduce(out)
		r.render(header, r.funcSlice(out))
		newLineMap(header, out, "").files()
	})
}
