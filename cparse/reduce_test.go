package cparse

import (
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vtablegen/vtablegen/internal/testtool"
)

// unitText is a small preprocessed unit with the constructs that stop
// cc/v4 on a Kbuild unit, and a struct that must survive them.
const unitText = `# 0 "x.c"
# 1 "include/linux/percpu.h" 1
struct pcpu_hot { int cpu; void *current_task; };;
extern __attribute__((section(".data..percpu" ""))) __typeof__(const struct pcpu_hot __seg_gs) const_pcpu_hot;
static inline __attribute__((__always_inline__)) void *get_current(void)
{
 return ({ *( typeof(const_pcpu_hot.current_task) __seg_gs *)(&(const_pcpu_hot.current_task)); });
}
_Static_assert(sizeof(struct pcpu_hot) == 16, "x");
# 10 "include/linux/fs.h" 1
typedef long long loff_t;
struct file;
struct file_operations {
	;
	loff_t (*llseek) (struct file *, loff_t, int);;
	int (*open)(struct file *) __attribute__((__aligned__((8))));
} __attribute__((__designated_init__));
static const struct dummy_ops { int (*f)(void); } dummy = { .f = ((void *)0) };
int register_chrdev(unsigned int, const char *, const struct file_operations *);
asm(".pushsection .text");
# 3 "x.c" 2
`

func TestReduceKeepsTypesAndPositions(t *testing.T) {
	r := reduce([]byte(unitText))
	if len(r.fullText()) != len(unitText) {
		t.Fatalf("reduced text is %d bytes, input %d: positions would move", len(r.fullText()), len(unitText))
	}
	if strings.Count(string(r.fullText()), "\n") != strings.Count(unitText, "\n") {
		t.Fatal("reduced text has other lines than the input")
	}
	got := strings.Join(strings.Fields(string(r.fullText())), " ")
	want := "struct pcpu_hot { int cpu; void *current_task; }; " +
		"typedef long long loff_t; struct file; " +
		"struct file_operations { loff_t (*llseek) (struct file *, loff_t, int); " +
		"int (*open)(struct file *) __attribute__((__aligned__((8)))); } __attribute__((__designated_init__)); " +
		"struct dummy_ops { int (*f)(void); } ;"
	if got != want {
		t.Errorf("reduced to\n%s\nwant\n%s", got, want)
	}
	for kind, n := range map[string]int{"function definition": 1, "declaration": 2, "static assertion": 1, "asm": 1, "stray semicolon": 1} {
		if r.dropped[kind] != n {
			t.Errorf("dropped[%q] = %d, want %d (all: %v)", kind, r.dropped[kind], n, r.dropped)
		}
	}
}

func TestLineMap(t *testing.T) {
	m := newLineMap("x.i", []byte(unitText), "")
	for _, tc := range []struct {
		line       int
		file       string
		origLine   int
		unchanged  bool
		otherInput bool
	}{
		{line: 3, file: "include/linux/percpu.h", origLine: 1},
		{line: 8, file: "include/linux/percpu.h", origLine: 6},
		{line: 11, file: "include/linux/fs.h", origLine: 10},
		{line: 13, file: "include/linux/fs.h", origLine: 12},
		{line: 1, unchanged: true},
	} {
		p := m.pos(token.Position{Filename: "x.i", Line: tc.line, Column: 5})
		if tc.unchanged {
			if p.Filename != "x.i" || p.Line != tc.line {
				t.Errorf("line %d: mapped to %v, want it unchanged", tc.line, p)
			}
			continue
		}
		if p.Filename != tc.file || p.Line != tc.origLine || p.Column != 5 {
			t.Errorf("line %d: mapped to %v, want %s:%d:5", tc.line, p, tc.file, tc.origLine)
		}
	}
}

func TestStructsPreprocessed(t *testing.T) {
	testtool.Need(t, "gcc")
	unit := filepath.Join(t.TempDir(), "x.i")
	if err := os.WriteFile(unit, []byte(unitText), 0o666); err != nil {
		t.Fatal(err)
	}
	p, err := NewParser(Options{})
	if err != nil {
		t.Fatal(err)
	}
	u, diags := p.ParsePreprocessed(unit)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	ss := u.Structs
	if want := []string{"x.c", "include/linux/percpu.h", "include/linux/fs.h"}; !slices.Equal(u.Files, want) {
		t.Errorf("files = %q, want %q", u.Files, want)
	}
	var got []string
	for _, s := range ss {
		got = append(got, dump(s)+s.Pos.String()+"\n")
	}
	want := []string{
		"struct file_operations @12:1\n" +
			"  func llseek: loff_t (*)(struct file *, loff_t, int) @14:11 = loff_t(struct file *, loff_t, int) variadic=false\n" +
			"  func open: int (*)(struct file *) @15:8 = int(struct file *) variadic=false\n" +
			"include/linux/fs.h:12:1\n",
		"struct dummy_ops @17:14\n" +
			"  func f: int (*)(void) @17:39 = int() variadic=false\n" +
			"include/linux/fs.h:17:14\n",
	}
	if strings.Join(got, "") != strings.Join(want, "") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, ""), strings.Join(want, ""))
	}
}

// TestStructsPreprocessedLeavesOutRejectedDeclarations: a declaration
// cc/v4 rejects (a typedef of __typeof__ with __seg_gs) that a struct with
// function pointers needs is left out, in a note, with the struct that
// needs it, in a warning that names the struct and the type it lost; the
// unit's other structs come out. A rejected declaration no such struct
// needs is not even parsed.
func TestStructsPreprocessedLeavesOutRejectedDeclarations(t *testing.T) {
	testtool.Need(t, "gcc")
	p, err := NewParser(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		uses  string
		notes []string
	}{
		{"struct uses_bad { bad_t *b; int (*g)(void); };\n", []string{
			"a.h:2:9: note: left out a declaration cc/v4 rejects: unexpected 'typeof'",
			`a.h:4:19: warning: struct uses_bad is left out: unknown type name "bad_t": its declaration at a.h:2:1 is left out`,
			"left out 2 declarations cc/v4 rejects",
		}},
		{"", []string{"parsed only the declarations the structs and unions that may hold a function pointer need"}},
	} {
		unit := filepath.Join(t.TempDir(), "x.i")
		text := "# 1 \"a.h\" 1\nstruct pcpu_hot { int cpu; };\ntypedef __typeof__(const struct pcpu_hot __seg_gs) bad_t;\n" +
			"struct ops { int (*open)(void); };\n" + tc.uses
		if err := os.WriteFile(unit, []byte(text), 0o666); err != nil {
			t.Fatal(err)
		}
		u, diags := p.ParsePreprocessed(unit)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		ss := u.Structs
		if len(ss) != 1 || ss[0].Name != "ops" || ss[0].Pos.Filename != "a.h" || ss[0].Pos.Line != 3 {
			t.Fatalf("got %d structs (%v), want struct ops at a.h:3", len(ss), ss)
		}
		var notes []string
		for _, d := range diags {
			notes = append(notes, d.Error())
		}
		all := strings.Join(notes, "\n")
		for _, want := range tc.notes {
			if !strings.Contains(all, want) {
				t.Errorf("notes:\n%s\nwant %q", all, want)
			}
		}
		if tc.uses == "" && strings.Contains(all, "rejects") {
			t.Errorf("notes:\n%s\nwant no rejection: nothing needs bad_t", all)
		}
	}
}

// TestReduceFunctionReturningTag: a function whose return type is a
// struct, union or enum, with the name on the line after (the kernel's
// style, e.g. cfg80211_get_chandef_type in <net/cfg80211.h>), is a
// function definition and goes; its "asm inline" once made cc/v4 fail the
// whole unit. A tag with attributes before its body stays a tag.
func TestReduceFunctionReturningTag(t *testing.T) {
	src := "static inline __attribute__((__always_inline__)) enum chan_type\n" +
		"get_chan_type(const struct chan_def *chandef)\n{\n asm __inline volatile(\"nop\");\n return 0;\n}\n" +
		"struct __attribute__((packed)) s *\nmake_s(void)\n{\n return 0;\n}\n" +
		"enum __attribute__((__packed__)) chan_type { CHAN_A, CHAN_B };\n" +
		"struct __attribute__((aligned(8))) ops { int (*f)(void); };\n"
	r := reduce([]byte(src))
	got := strings.Join(strings.Fields(string(r.fullText())), " ")
	want := "enum __attribute__((__packed__)) chan_type { CHAN_A, CHAN_B }; " +
		"struct __attribute__((aligned(8))) ops { int (*f)(void); };"
	if got != want {
		t.Errorf("reduced to\n%s\nwant\n%s", got, want)
	}
	if r.dropped["function definition"] != 2 {
		t.Errorf("dropped: %v", r.dropped)
	}
}

// TestReduceDropsTypesCCLacks: declarations naming _Float16 or __bf16
// (GCC 12's <immintrin.h> has vector types of them) go, so that a unit
// holding them reads; other declarations stay, and so does a struct body
// with a _Float16 member, which cc/v4 reads (leaving it out lost a struct
// of function pointers without a word).
func TestReduceDropsTypesCCLacks(t *testing.T) {
	src := "typedef _Float16 __m128h __attribute__ ((__vector_size__ (16), __may_alias__));\n" +
		"typedef __bf16 __v8bf __attribute__ ((__vector_size__ (16)));\n" +
		"typedef float __m128 __attribute__ ((__vector_size__ (16), __may_alias__));\n" +
		"struct ops { int (*f)(__m128 v); };\n" +
		"struct half_ops { _Float16 scale; int (*g)(void); };\n"
	r := reduce([]byte(src))
	got := strings.Join(strings.Fields(string(r.fullText())), " ")
	want := "typedef float __m128 __attribute__ ((__vector_size__ (16), __may_alias__)); struct ops { int (*f)(__m128 v); }; " +
		"struct half_ops { _Float16 scale; int (*g)(void); };"
	if got != want {
		t.Errorf("reduced to\n%s\nwant\n%s", got, want)
	}
}

// TestReductionDropsEveryFunctionBody: whatever the layout of a function
// definition (its return type on the line before the name, attributes
// between the parts or after the parameter list, K&R parameters, an
// anonymous struct as the return type), its body is not kept: cc/v4 would
// fail on the asm inline inside (a TODO without a position).
func TestReductionDropsEveryFunctionBody(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "fnlayouts.h"))
	if err != nil {
		t.Fatal(err)
	}
	r := reduce(src)
	text := string(r.fullText())
	if n := strings.Count(text, "asm inline"); n != 0 {
		t.Errorf("%d function bodies kept:\n%s", n, text)
	}
	if r.dropped["function definition"] != 7 {
		t.Errorf("%d function definitions left out, want 7", r.dropped["function definition"])
	}
	for _, want := range []string{"struct ops {", "struct ops2 {"} {
		if !strings.Contains(text, want) {
			t.Errorf("%q not kept", want)
		}
	}
}

// TestFoldBuiltins: bit-counting builtins of integer literals become their
// values in place, the text's length (and every position) unchanged.
func TestFoldBuiltins(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"A = 0x10 | (__builtin_ctz(0x03FFFFC0) << 16) | (__builtin_popcount(0x03FFFFC0) << 24),",
			"A = 0x10 | (6                         << 16) | (20                             << 24),"},
		{"__builtin_clz(1) __builtin_clzll(1ULL) __builtin_ffs(8) __builtin_parity(7)",
			"31               63                    4                1                  "},
		{"__builtin_ctz(0) __builtin_ctz(x)", "__builtin_ctz(0) __builtin_ctz(x)"},
	} {
		b := []byte(tc.in)
		foldBuiltins(b)
		if string(b) != tc.want || len(b) != len(tc.in) {
			t.Errorf("%q\n got %q\nwant %q", tc.in, b, tc.want)
		}
	}
}
