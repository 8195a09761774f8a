package cparse

import (
	"go/token"
	"testing"
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
		r.slice(src, "x.i", []string{"s", "t", "ops"})
		m := newLineMap("x.i", src, "")
		m.pos(token.Position{Filename: "x.i", Line: 3, Column: 1})
		m.files()
	})
}
