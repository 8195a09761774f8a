package vtable

import (
	"go/token"
	"strings"
)

// Struct is a C struct definition as the compiler sees it after
// preprocessing with the build's flags, e.g. struct file_operations.
type Struct struct {
	// Name is how vtablegen names the struct: its tag, e.g.
	// "file_operations", or for a struct without a tag the typedef of the
	// struct itself, e.g. "codec_vtbl" for "typedef struct {...} codec_vtbl;".
	// It is never a pointer typedef, and it is empty for a struct named only
	// by one (see PointerTypedef).
	Name CIdent
	// Tag is the struct tag, e.g. "file_operations"; empty for
	// "typedef struct {...} name;".
	Tag CIdent
	// Typedef is the typedef that names the struct itself, in its
	// definition ("typedef struct {...} codec_vtbl;") or in a declaration
	// of its own ("typedef struct _GSourceFuncs GSourceFuncs;", as GLib,
	// libxml2 and most C libraries write it), the first one; empty when
	// there is none. It is the name users of the library write.
	Typedef CIdent
	// PointerTypedef is the typedef that names a pointer to the struct in
	// its definition, e.g. "_XPrivDisplay" for Xlib's
	// "typedef struct {...} *_XPrivDisplay;"; empty when there is none.
	PointerTypedef CIdent
	// Pos is where the struct is defined, in the original header.
	Pos token.Position
	// Size and Align are the struct's size and alignment in bytes, as the
	// target lays it out.
	Size, Align int64
	// Conds is the chain of conditional directives around the definition
	// in its header, outermost first; nil when it is unconditional.
	Conds []Cond
	// Members are the struct's members in declaration order.
	Members []*Member
}

// CType returns the struct's type as C code can spell it: "struct tag",
// the typedef of the struct, or, for a struct named only through a pointer
// typedef P, GNU C's "__typeof__(*(P)0)".
func (s *Struct) CType() string {
	switch {
	case s.Tag != "":
		return "struct " + string(s.Tag)
	case s.Typedef != "":
		return string(s.Typedef)
	case s.PointerTypedef != "":
		return "__typeof__(*(" + string(s.PointerTypedef) + ")0)"
	}
	return "struct " + string(s.Name)
}

// Ident returns the identifier derived names (initializers, output files,
// the Rust struct) start from: the typedef of the struct where the header
// gives one (GSourceFuncs, not _GSourceFuncs), else Name, else the
// pointer typedef for a struct named only by one.
func (s *Struct) Ident() CIdent {
	switch {
	case s.Typedef != "":
		return s.Typedef
	case s.Name != "":
		return s.Name
	}
	return s.PointerTypedef
}

// Named reports whether C code can name the struct n: its tag, its
// typedef or its pointer typedef (how -struct selects it).
func (s *Struct) Named(n CIdent) bool {
	return n != "" && (n == s.Name || n == s.Tag || n == s.Typedef || n == s.PointerTypedef)
}

// Cond is one conditional directive around a declaration in its header:
// one branch of an #if/#ifdef/#ifndef ... #elif ... #else ... #endif group.
type Cond struct {
	// Directive is the directive that opens the branch as the header
	// writes it, comments removed and continuation lines joined, e.g.
	// "#ifdef CONFIG_COMPAT", "#elif FUSE_USE_VERSION >= 30" or "#else".
	Directive string
	// If is a directive that opens a branch taken exactly when this one
	// is, on its own: the first branch of a group as written, a later one
	// as the negation of the branches before it, e.g.
	// "#if !(defined(A)) && (B > 2)". A generated file reproduces the chain
	// with these.
	If string
	// Pos is where Directive is in the header.
	Pos token.Position
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
	// CType is the member's type as structure; nil for an anonymous
	// struct or union member.
	CType *Type
	// BitField reports a bitfield member, e.g. "unsigned flag : 1".
	BitField bool
	// Offset is the member's offset in bytes from the start of the
	// outermost struct (for the fields of an anonymous member too); for a
	// bitfield, the offset of the byte its first bit is in.
	Offset int64
	// Func describes the function type of a Func member; nil otherwise.
	Func *FuncType
	// Fields are the members of an anonymous struct or union member.
	Fields []*Member
	// Pos is where the member is declared, in the original header.
	Pos token.Position
	// Doc is the comment that documents the member in the header, its
	// markers (/*, *, */, //) taken off, one line per line; empty unless
	// asked for (cparse.AttachDocs).
	Doc string `json:"-"`
	// Conds is the chain of conditional directives around the member
	// inside the definition of its struct (the struct's own chain is
	// Struct.Conds), outermost first; nil when the member is always there.
	// A member of a struct built with different macros may not exist: the
	// generated C reproduces the chain around everything it writes for it.
	Conds []Cond
}

// FuncType is the type of the function a function-pointer member points to.
type FuncType struct {
	// Result is the result type, e.g. "ssize_t" or "void", and ResultType
	// the same as structure.
	Result     string
	ResultType *Type
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
	// Type is the parameter type, typedef names kept, e.g. "const char *",
	// and CType the same as structure.
	Type  string
	CType *Type
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
	return funcMembers(s.Members)
}

// funcMembers returns the function-pointer members among ms and inside
// their anonymous members, in declaration order.
func funcMembers(ms []*Member) []*Member {
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
	walk(ms)
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
	// IncludeDirs are the directories #include <...> searched, in order:
	// -I, -isystem, then the host compiler's own (e.g. /usr/include);
	// empty when the build's preprocessor read the header. A generated
	// file includes a header found in one by its name below it.
	IncludeDirs []string
}
