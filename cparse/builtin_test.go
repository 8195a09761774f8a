package cparse

import (
	"strings"
	"testing"

	"modernc.org/cc/v4"
)

// TestTextSources: a preprocessed text gets the builtin declarations it
// names and the predefined macros it or they name, nothing else, every
// line in its place.
func TestTextSources(t *testing.T) {
	fns := 0
	for _, l := range builtinLines() {
		if l.fn != "" {
			fns++
		}
	}
	if fns < 100 {
		t.Fatalf("only %d builtin function declarations found in cc.Builtin (cc/v4 changed its form?)", fns)
	}
	predefined := "#define __SIZE_TYPE__ long unsigned int\n#define __GNUC__ 12\n#define __x86_64__ 1\n"
	text := []byte("struct s { int (*f)(long); char c[__builtin_offsetof(struct t, a)]; };\nint g = __builtin_expect(x, 0) + __x86_64__;\n")
	pre, builtin := textSources(predefined, text)
	if strings.Count(builtin, "\n") != strings.Count(cc.Builtin, "\n") || strings.Count(pre, "\n") != strings.Count(predefined, "\n") {
		t.Errorf("lines moved: %d builtin lines of %d, %d predefined of %d",
			strings.Count(builtin, "\n"), strings.Count(cc.Builtin, "\n"), strings.Count(pre, "\n"), strings.Count(predefined, "\n"))
	}
	for _, want := range []string{"__builtin_expect(", "#define __builtin_offsetof", "__predefined_size_t"} {
		if !strings.Contains(builtin, want) {
			t.Errorf("builtin source lost %q", want)
		}
	}
	if strings.Contains(builtin, "__builtin_memcpy(") {
		t.Errorf("builtin source keeps __builtin_memcpy, which the text does not name")
	}
	for _, want := range []string{"__SIZE_TYPE__", "__x86_64__"} { // named by the builtin source, by the text
		if !strings.Contains(pre, want) {
			t.Errorf("predefined macros lost %s", want)
		}
	}
	if strings.Contains(pre, "__GNUC__") {
		t.Errorf("predefined macros keep __GNUC__, which nothing names")
	}
}
