package vtable

import (
	"go/token"
	"strings"
)

// Struct is a C struct definition as the compiler sees it after
// preprocessing with the build's flags, e.g. struct file_operations.
type Struct struct {
	// Name is the struct tag, e.g. "file_operations"; for a struct named only
	// by a typedef it is the typedef name.
	Name CIdent
	// Pos is where the struct is defined, in the original header.
	Pos token.Position
	// Members are the struct's members in declaration order.
	Members []*Member
}

// MemberKind says what a struct member holds.
type MemberKind int

const (
	// Data is any member that is not a function pointer or an anonymous
	// struct or union: pointers to data, integers, arrays, bitfields.
	Data MemberKind = iota
	// Func is a pointer to a function; it becomes a callback or NULL.
	Func
	// AnonStruct is an anonymous struct member whose fields belong to the
	// enclosing struct.
	AnonStruct
	// AnonUnion is an anonymous union member whose fields belong to the
	// enclosing struct.
	AnonUnion
)

// String returns the kind as the -json output spells it: "data", "func",
// "struct" or "union".
func (k MemberKind) String() string {
	switch k {
	case Func:
		return "func"
	case AnonStruct:
		return "struct"
	case AnonUnion:
		return "union"
	default:
		return "data"
	}
}

// Member is one member of a C struct.
type Member struct {
	// Name is the member name, e.g. "read"; empty for an anonymous struct or
	// union member.
	Name CIdent
	// Kind says whether the member is a function pointer, data, or an
	// anonymous aggregate.
	Kind MemberKind
	// Type is the member's type spelled as a C programmer would write it,
	// typedef names kept, e.g. "ssize_t (*)(struct file *, char *, size_t, loff_t *)"
	// or "const char *".
	Type string
	// Func describes the function type of a Func member; nil otherwise.
	Func *FuncType
	// Fields are the members of an anonymous struct or union member.
	Fields []*Member
	// Pos is where the member is declared, in the original header.
	Pos token.Position
}

// FuncType is the type of the function a function-pointer member points to.
type FuncType struct {
	// Result is the result type, e.g. "ssize_t" or "void".
	Result string
	// Params are the parameters in order; empty for "(void)".
	Params []Param
	// Variadic reports a trailing "...".
	Variadic bool
}

// Param is one parameter of a function type.
type Param struct {
	// Name is the parameter name where the header writes one, e.g. "filp";
	// empty for an unnamed parameter.
	Name CIdent
	// Type is the parameter type, typedef names kept, e.g. "const char *".
	Type string
	// Decl is the parameter's declaration with its name where the header
	// writes one, e.g. "const char *buf"; Type when it is unnamed.
	Decl string
}

// Prototype returns the declaration of a function named name with type f,
// the parameters named as the header names them, e.g.
// "long led_read(struct device *dev, char *buf, size_t len)". A result that
// is itself a pointer to a function or to an array is spelled with GNU C's
// __typeof__, which the compilers of every supported build understand.
func (f *FuncType) Prototype(name CIdent) string {
	decls := make([]string, 0, len(f.Params)+1)
	for _, p := range f.Params {
		decls = append(decls, p.Decl)
	}
	if f.Variadic {
		decls = append(decls, "...")
	}
	list := "void"
	if len(decls) > 0 {
		list = strings.Join(decls, ", ")
	}
	result := f.Result
	if strings.ContainsAny(result, "([") {
		result = "__typeof__(" + result + ")"
	}
	sep := " "
	if strings.HasSuffix(result, "*") {
		sep = ""
	}
	return result + sep + string(name) + "(" + list + ")"
}

// FuncMembers returns the function-pointer members of s in declaration
// order, including those inside anonymous struct and union members.
func (s *Struct) FuncMembers() []*Member {
	var out []*Member
	var walk func([]*Member)
	walk = func(ms []*Member) {
		for _, m := range ms {
			switch m.Kind {
			case Func:
				out = append(out, m)
			case AnonStruct, AnonUnion:
				walk(m.Fields)
			}
		}
	}
	walk(s.Members)
	return out
}

// CUnit is what the C front end read from one header or translation unit.
type CUnit struct {
	// Structs are the structs with a function-pointer member, in the order
	// they are defined.
	Structs []*Struct
	// Files are the files read to make the unit: the header and every file
	// it includes, in the order first read, each once. A depfile lists them.
	Files []string
}
