package libsweep

import (
	"fmt"
	"math/rand"
	"strings"
)

// RandomHeader returns a C header of random ops structs, the same for the
// same seed: function members of random C types, through typedefs
// (integers, tagless enums, structs and unions, function pointers and
// function types), pointers to pointers, const, array and function-pointer
// parameters, parameters named with Rust keywords, variadic members,
// anonymous unions and structs of members, bitfields, members under
// #ifdef VT_FEATURE (which cflags defines or not), data members of every
// kind. Each is a header a library could have; the pipeline must take
// every struct of it.
func RandomHeader(seed int64) (header string, cflags []string) {
	r := rand.New(rand.NewSource(seed))
	g := &randGen{r: r, seed: seed}
	var b strings.Builder
	fmt.Fprintf(&b, "/* Random ops structs, seed %d (internal/libsweep RandomHeader). */\n", seed)
	fmt.Fprintf(&b, "#ifndef RANDOPS_%d_H\n#define RANDOPS_%d_H\n#include <stddef.h>\n\n", seed, seed)
	// The typedefs the members may use.
	fmt.Fprintf(&b, "typedef struct opaque_%d opaque_t;\n", seed)
	fmt.Fprintf(&b, "typedef int count_t;\n")
	fmt.Fprintf(&b, "typedef enum { R%d_OK, R%d_ERR } status_t;\n", seed, seed)
	fmt.Fprintf(&b, "typedef struct { int x, y; } point_t;\n")
	fmt.Fprintf(&b, "typedef union { long l; double d; } value_t;\n")
	fmt.Fprintf(&b, "typedef int (*cmp_fn)(const void *a, const void *b);\n")
	fmt.Fprintf(&b, "typedef void (proc_fn)(int mask);\n\n")
	n := 1 + r.Intn(3)
	for i := 0; i < n; i++ {
		g.structDecl(&b, i)
	}
	b.WriteString("#endif\n")
	if r.Intn(2) == 0 {
		cflags = []string{"-DVT_FEATURE"}
	}
	return b.String(), cflags
}

type randGen struct {
	r    *rand.Rand
	seed int64
	n    int // names given
}

// names are member and parameter names: C identifiers, Rust keywords among
// them.
var randNames = []string{"ctx", "buf", "len", "type", "fn", "match", "self", "flags", "mode", "data", "cb", "ref", "loop", "mut", "where", "box", "n"}

func (g *randGen) name() string {
	g.n++
	return fmt.Sprintf("%s%d", randNames[g.r.Intn(len(randNames))], g.n)
}

// scalar is a random value type, as a parameter or result has it.
func (g *randGen) scalar() string {
	return []string{"int", "unsigned", "long", "unsigned long long", "short", "char", "signed char", "unsigned char",
		"double", "float", "size_t", "count_t", "status_t", "_Bool"}[g.r.Intn(14)]
}

// pointer is a random pointer type.
func (g *randGen) pointer() string {
	return []string{"void *", "const void *", "char *", "const char *", "int *", "const int *", "opaque_t *",
		"const opaque_t *", "point_t *", "value_t *", "char **", "const char *const *", "opaque_t **", "struct opaque_" + fmt.Sprint(g.seed) + " *"}[g.r.Intn(14)]
}

// param is a random parameter declaration.
func (g *randGen) param() string {
	name := g.name()
	switch g.r.Intn(8) {
	case 0, 1:
		return g.scalar() + " " + name
	case 2, 3, 4:
		return g.pointer() + name
	case 5:
		return fmt.Sprintf("int %s[%d]", name, 1+g.r.Intn(8))
	case 6:
		return []string{"cmp_fn " + name, "proc_fn *" + name, "void (*" + name + ")(int, void *)"}[g.r.Intn(3)]
	}
	return "point_t " + name
}

// funcMember is a random function-pointer member named name.
func (g *randGen) funcMember(name string) string {
	res := []string{"void", "int", "long", "status_t", "void *", "const char *", "opaque_t *", "count_t", "double", "point_t"}[g.r.Intn(10)]
	np := g.r.Intn(5)
	var ps []string
	for i := 0; i < np; i++ {
		ps = append(ps, g.param())
	}
	if np > 0 && g.r.Intn(12) == 0 {
		ps = append(ps, "...")
	}
	if len(ps) == 0 {
		ps = []string{"void"}
	}
	sep := " "
	if strings.HasSuffix(res, "*") {
		sep = ""
	}
	return res + sep + "(*" + name + ")(" + strings.Join(ps, ", ") + ");"
}

// dataMember is a random data member named name.
func (g *randGen) dataMember(name string) string {
	switch g.r.Intn(7) {
	case 0:
		return "const char *" + name + ";"
	case 1:
		return fmt.Sprintf("char %s[%d];", name, 1+g.r.Intn(16))
	case 2:
		return "point_t " + name + ";"
	case 3:
		return "value_t " + name + ";"
	case 4:
		return "cmp_fn " + name + ";"
	case 5:
		return "unsigned long long " + name + ";"
	}
	return "int " + name + ";"
}

// structDecl writes the i-th struct: its typedef apart from it or with it,
// or its tag alone.
func (g *randGen) structDecl(b *strings.Builder, i int) {
	tag := fmt.Sprintf("r%d_ops%d", g.seed, i)
	style := g.r.Intn(3)
	switch style {
	case 0:
		fmt.Fprintf(b, "struct %s {\n", tag)
	case 1:
		fmt.Fprintf(b, "typedef struct _%s %s;\nstruct _%s {\n", tag, tag, tag)
	default:
		fmt.Fprintf(b, "typedef struct %s {\n", tag)
	}
	nm := 2 + g.r.Intn(8)
	funcs := 0
	for k := 0; k < nm; k++ {
		name := g.name()
		switch c := g.r.Intn(20); {
		case c < 11:
			fmt.Fprintf(b, "\t%s\n", g.funcMember(name))
			funcs++
		case c < 14:
			fmt.Fprintf(b, "\t%s\n", g.dataMember(name))
		case c < 15:
			fmt.Fprintf(b, "\tunsigned %s : %d;\n\tunsigned %s_b : %d;\n", name, 1+g.r.Intn(7), name, 1+g.r.Intn(20))
		case c < 17:
			kind := []string{"union", "struct"}[g.r.Intn(2)]
			fmt.Fprintf(b, "\t%s {\n\t\t%s\n\t\t%s\n\t};\n", kind, g.funcMember(name), g.funcMember(name+"_alt"))
			funcs++
		case c < 19:
			fmt.Fprintf(b, "#ifdef VT_FEATURE\n\t%s\n#endif\n", g.funcMember(name))
		default:
			// A member pointing to the struct itself.
			fmt.Fprintf(b, "\tint (*%s)(struct %s *self);\n", name, map[int]string{0: tag, 1: "_" + tag, 2: tag}[style])
			funcs++
		}
	}
	if funcs == 0 {
		fmt.Fprintf(b, "\t%s\n", g.funcMember(g.name()))
	}
	switch style {
	case 2:
		fmt.Fprintf(b, "} %s_t;\n\n", tag)
	default:
		b.WriteString("};\n\n")
	}
}
