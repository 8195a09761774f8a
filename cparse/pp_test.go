package cparse

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vtablegen/vtablegen/internal/testtool"
	"github.com/vtablegen/vtablegen/vtable"
)

// ppCase is a header read both through vtablegen's own preprocessor and
// through cc/v4's.
type ppCase struct {
	header  string
	include []string
	defines []string
	flags   []string
	// fast says the own preprocessor must take it (not give way).
	fast bool
	// wanted, when set, is also read alone (Options.Structs, as with
	// -struct): the preprocessed path then slices for it.
	wanted string
}

// ppCases are the headers TestOwnPreprocessorMatchesCC reads both ways:
// the userspace plugin interfaces (which must take the own
// preprocessor), the examples, and every header directly under
// /usr/include, /usr/include/linux and sys/ (or those PP_HEADERS lists).
func ppCases(t *testing.T) []ppCase {
	cases := []ppCase{
		{header: "/usr/include/sqlite3.h", fast: true, wanted: "sqlite3_vfs"},
		{header: "/usr/include/fuse3/fuse.h", include: []string{"/usr/include/fuse3"}, defines: []string{"FUSE_USE_VERSION=31"}, fast: true, wanted: "fuse_operations"},
		{header: "/usr/include/fuse3/fuse_lowlevel.h", include: []string{"/usr/include/fuse3"}, defines: []string{"FUSE_USE_VERSION=31"}, fast: true},
		{header: "../examples/quickstart/device.h", fast: true, wanted: "device_ops"},
		{header: "../examples/framework/plugin.h", fast: true},
		{header: "../examples/framework/plugin.h", fast: true, flags: []string{"-include", "/usr/include/stdint.h", "-DSTREAM_HAVE_POLL", "-UNDEBUG", "-iquote", "../examples/quickstart"}},
		{header: "../examples/gogenerate/ops.h", fast: true},
	}
	var headers []string
	for _, glob := range []string{"/usr/include/*.h", "/usr/include/linux/*.h", "/usr/include/x86_64-linux-gnu/sys/*.h"} {
		m, _ := filepath.Glob(glob)
		headers = append(headers, m...)
	}
	if env := os.Getenv("PP_HEADERS"); env != "" {
		headers = strings.Fields(env) // e.g. a wider set, once
	}
	for _, h := range headers {
		cases = append(cases, ppCase{header: h})
	}
	return cases
}

// TestOwnPreprocessorMatchesCC reads each header through vtablegen's own
// preprocessor and the preprocessed path, and through cc/v4's
// preprocessor and parser: where the first takes a header, the structs
// (members, types, layout, conditions, positions) and the files read must
// be the same.
func TestOwnPreprocessorMatchesCC(t *testing.T) {
	testtool.Need(t, "gcc")
	testtool.NeedFile(t, "/usr/include/sqlite3.h", "make test installs libsqlite3-dev")
	testtool.NeedFile(t, "/usr/include/fuse3/fuse.h", "make test installs libfuse3-dev")
	taken, same := 0, 0
	cases := ppCases(t)
	for _, tc := range cases {
		p, err := NewParser(Options{IncludeDirs: tc.include, Defines: tc.defines, Flags: tc.flags})
		if err != nil {
			t.Fatal(err)
		}
		cuOwn, dOwn, ok := p.parseOwnPreprocessor(tc.header)
		if !ok {
			if tc.fast {
				_, _, err := p.preprocessEmbedded(tc.header)
				t.Errorf("%s: not taken by the own preprocessor (%v)", tc.header, err)
			}
			continue
		}
		taken++
		ownPreprocessor = false
		cuCC, dCC := p.Parse(tc.header)
		ownPreprocessor = true
		if dCC.HasErrors() {
			t.Logf("%s: cc/v4 fails, the own preprocessor reads it: %v", tc.header, dCC[0])
			continue
		}
		_ = dOwn
		pointeeSizes(cuOwn)
		pointeeSizes(cuCC)
		a, _ := json.MarshalIndent(cuOwn, "", " ")
		b, _ := json.MarshalIndent(cuCC, "", " ")
		if string(a) != string(b) {
			t.Errorf("%s: the own preprocessor's unit differs from cc/v4's:\n%s", tc.header, firstDiff(string(a), string(b)))
			continue
		}
		same++
		if tc.wanted != "" {
			q, err := NewParser(Options{IncludeDirs: tc.include, Defines: tc.defines, Structs: []string{tc.wanted}})
			if err != nil {
				t.Fatal(err)
			}
			cu, _, ok := q.parseOwnPreprocessor(tc.header)
			if !ok {
				t.Errorf("%s, struct %s alone: not taken by the own preprocessor", tc.header, tc.wanted)
				continue
			}
			var got, want *vtable.Struct
			for _, st := range cu.Structs {
				if string(st.Name) == tc.wanted {
					got = st
				}
			}
			for _, st := range cuCC.Structs {
				if string(st.Name) == tc.wanted {
					want = st
				}
			}
			pointeeSizes(cu)
			a, _ := json.MarshalIndent(got, "", " ")
			b, _ := json.MarshalIndent(want, "", " ")
			if got == nil || string(a) != string(b) {
				t.Errorf("%s, struct %s alone: differs from cc/v4's reading of the header:\n%s", tc.header, tc.wanted, firstDiff(string(a), string(b)))
			}
		}
	}
	t.Logf("%d headers, %d taken by the own preprocessor, %d of them the same as through cc/v4", len(cases), taken, same)
	if os.Getenv("PP_HEADERS") == "" && taken < len(cases)*9/10 {
		t.Errorf("the own preprocessor took only %d of %d headers (778 of 800 when written)", taken, len(cases))
	}
}

// pointeeSizes forgets the sizes of the structs and unions that types
// point to or that function types take or return by value: the
// preprocessed path parses only the declarations a struct needs, and
// neither needs a definition of them (as with a Kbuild unit), where
// cc/v4's whole reading may have one. Nothing vtablegen writes uses them.
func pointeeSizes(cu *vtable.CUnit) {
	aggregate := func(t *vtable.Type) bool {
		return t != nil && (t.Kind == vtable.StructType || t.Kind == vtable.UnionType)
	}
	var typ func(t *vtable.Type)
	fn := func(f *vtable.FuncType) {
		if f == nil {
			return
		}
		for _, t := range append([]*vtable.Type{f.ResultType}, paramTypes(f)...) {
			if aggregate(t) {
				t.Size, t.Align = -1, -1
			}
			typ(t)
		}
	}
	typ = func(t *vtable.Type) {
		if t == nil {
			return
		}
		if t.Kind == vtable.Pointer && aggregate(t.Elem) {
			t.Elem.Size, t.Elem.Align = -1, -1
		}
		typ(t.Elem)
		fn(t.Func)
	}
	var members func(ms []*vtable.Member)
	members = func(ms []*vtable.Member) {
		for _, m := range ms {
			typ(m.CType)
			fn(m.Func)
			members(m.Fields)
		}
	}
	for _, s := range cu.Structs {
		members(s.Members)
	}
}

func paramTypes(f *vtable.FuncType) []*vtable.Type {
	var out []*vtable.Type
	for _, p := range f.Params {
		out = append(out, p.CType)
	}
	return out
}

// firstDiff shows the lines around the first difference of a and b.
func firstDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			lo := max(i-30, 0)
			return "own:\n" + strings.Join(la[lo:min(i+4, len(la))], "\n") + "\ncc/v4:\n" + strings.Join(lb[lo:min(i+4, len(lb))], "\n")
		}
	}
	return "lengths differ"
}

// ppGCCCases are sources whose tokens through vtablegen's own
// preprocessor must be gcc -E's: the examples of C11 6.10.3.5 and the
// other corners of macro expansion, #if and #include the preprocessor
// takes. Files other than main.h are written beside it; inc1 and inc2
// are -I directories.
var ppGCCCases = []struct {
	name  string
	files map[string]string
}{
	{"c11-example3", map[string]string{"main.h": `#define x 3
#define f(a) f(x * (a))
#undef x
#define x 2
#define g f
#define z z[0]
#define h g(~
#define m(a) a(w)
#define w 0,1
#define t(a) a
#define p() int
#define q(x) x
#define r(x,y) x ## y
#define str(x) # x
f(y+1) + f(f(z)) % t(t(g)(0) + t)(1);
g(x+(3,4)-w) | h 5) & m
(f)^m(m);
p() i[q()] = { q(1), r(2,3), r(4,), r(,5), r(,) };
char c[2][6] = { str(hello), str() };
`}},
	{"c11-example4", map[string]string{"main.h": `#define str(s) # s
#define xstr(s) str(s)
#define debug(s, t) printf("x" # s "= %d, x" # t "= %s", \
 x ## s, x ## t)
#define INCFILE(n) vers ## n
#define glue(a, b) a ## b
#define xglue(a, b) glue(a, b)
#define HIGHLOW "hello"
#define LOW LOW ", world"
debug(1, 2);
fputs(str(strncmp("abc\0d", "abc", '\4') // this goes away
 == 0) str(: @\n), s);
xstr(INCFILE(2).h)
glue(HIGH, LOW);
xglue(HIGH, LOW)
`}},
	{"c11-example5-7", map[string]string{"main.h": `#define t(x,y,z) x ## y ## z
int j[] = { t(1,2,3), t(,4,5), t(6,,7), t(8,9,),
 t(10,,), t(,11,), t(,,12), t(,,) };
#define OBJ_LIKE (1-1)
#define OBJ_LIKE /* white space */ (1-1) /* other */
#define FUNC_LIKE(a) ( a )
#define FUNC_LIKE( a )( /* note the white space */ \
 a /* other stuff on this line
 */ )
#define debug(...) fprintf(stderr, __VA_ARGS__)
#define showlist(...) puts(#__VA_ARGS__)
#define report(test, ...) ((test)?puts(#test): printf(__VA_ARGS__))
debug("Flag");
debug("X = %d\n", x);
showlist(The first, second, and third items.);
report(x>y, "x is %d but y is %d", x, y);
`}},
	{"gnu-variadic", map[string]string{"main.h": `#define V(fmt, ...) f(fmt, ## __VA_ARGS__)
#define N(args...) g(args)
#define E(a, args...) h(a, ##args)
V("x"); V("x", 1, 2); V("x",); N(); N(1, (2, 3)); E(1); E(1, 2);
#define STR(x) #x
#define XSTR(x) STR(x)
XSTR(__LINE__) STR("a\"b" 'c' '\'' L"w") STR(  a   +  b  ) __LINE__
#define EMPTY
#define LPAREN (
#define G(x) <x>
#define H G LPAREN 1)
H; G EMPTY (2); G
(3); G
+ 4;
#define self self + 1
#define ind1 ind2
#define ind2 ind1 x
self; ind1; ind2;
#define F(x, y) x + y
F((a, b), c); F(F(1, 2), F(3, 4));
#define CAT(a, b) a ## b
CAT(x, 1) CAT(0x, 1f) CAT(+, =) CAT(<<, =) CAT(L, "s") CAT(., 5)
`}},
	{"if-expressions", map[string]string{"main.h": `#if -1 > 0u
unsigned_compare
#endif
#if (2 || 1/0) && !(0 && 1/0)
short_circuit
#endif
#if 1 ? 2 : (1/0)
ternary
#endif
#if 'a' == 97 && '\n' == 10 && '\377' < 0 && 0x10 == 16 && 010 == 8 && 1000000000000ULL > 1
constants
#endif
#if (-9 / 2 == -4) && (-9 % 2 == -1) && (1 << 62 > 0) && (~0u == 0xffffffffffffffff) && (-1 >> 1 == -1)
arithmetic
#endif
#define ONE 1
#define TWO ONE + ONE
#if TWO * 2 == 3 && defined ONE && defined(TWO) && !defined THREE
precedence
#elif 1
wrong
#endif
#ifdef ONE
# ifndef TWO
wrong
# elif TWO == 2
elif
# else
wrong
# endif
#endif
#if 0
#error not reached
#frobnicate
# if 1
wrong
# else
wrong
# endif
#elif undefined_is_zero
wrong
#elif __has_include(<stddef.h>) && !__has_include("nothere.h")
has_include
#else
wrong
#endif
#if __GNUC__ >= 4 && __x86_64__ && __SIZEOF_POINTER__ == 8 && __STDC_VERSION__ >= 199901L
predefined
#endif
`}},
	{"splices", map[string]string{"main.h": `#define MSG "a\
b"
MSG 'x\
' "c\
d" e
#if 0
don't stop here
#error "never \
reached"
#endif
// a comment \
continued
after __LINE__ MSG
#define LONG(a, \
 b) a + \
 b
LONG(1,
 2) __LINE__
`}},
	{"includes", map[string]string{
		"main.h": `#include "a.h"
#include "a.h"
#include <b.h>
#include <b.h>
#define HDR <c.h>
#include HDR
#define Q "d.h"
#include Q
#include "sub/e.h"
#pragma push_macro("X")
#undef X
#define X 2
X
#pragma pop_macro("X")
X __FILE__ __LINE__ __INCLUDE_LEVEL__
`,
		"a.h":      "#pragma once\na_once\n",
		"inc1/b.h": "#ifndef B_H\n#define B_H\nb1 __INCLUDE_LEVEL__\n#include_next <b.h>\n#endif\n",
		"inc2/b.h": "b2 __FILE__\n#define X 1\n",
		"inc2/c.h": "c __FILE__ __LINE__\n",
		"d.h":      "d\n",
		"sub/e.h":  "#include \"f.h\"\ne\n",
		"sub/f.h":  "f_in_sub\n",
		"f.h":      "f_beside_main\n",
	}},
}

// TestOwnPreprocessorMatchesGCC compares the tokens of each of
// ppGCCCases through vtablegen's own preprocessor with gcc -E's.
func TestOwnPreprocessorMatchesGCC(t *testing.T) {
	gcc := testtool.Need(t, "gcc")
	for _, tc := range ppGCCCases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, text := range tc.files {
				path := filepath.Join(dir, name)
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				writeFile(t, path, text)
			}
			inc := []string{filepath.Join(dir, "inc1"), filepath.Join(dir, "inc2")}
			main := filepath.Join(dir, "main.h")
			var stderr strings.Builder
			cmd := exec.Command(gcc, "-E", "-P", "-I"+inc[0], "-I"+inc[1], main)
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("gcc -E: %v\n%s", err, stderr.String())
			}
			p, err := NewParser(Options{IncludeDirs: inc})
			if err != nil {
				t.Fatal(err)
			}
			own, _, err := p.preprocessEmbedded(main)
			if err != nil {
				t.Fatalf("the own preprocessor gives up: %v", err)
			}
			want, got := ppTexts(out), ppTexts(own)
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("tokens differ:\nown:   %s\ngcc -E: %s", strings.Join(got, " "), strings.Join(want, " "))
			}
		})
	}
}

// ppTexts are the tokens of a unit, without its line markers and
// pragmas.
func ppTexts(unit []byte) []string {
	var out []string
	toks := lexPP(unit, 0)
	for i := 0; i < len(toks); i++ {
		if toks[i].bol && toks[i].text == "#" {
			for i+1 < len(toks) && !toks[i+1].bol {
				i++
			}
			continue
		}
		out = append(out, toks[i].text)
	}
	return out
}
