package cparse

import (
	"slices"
	"strconv"
	"strings"

	"modernc.org/cc/v4"

	"github.com/vtablegen/vtablegen/vtable"
)

// declare spells the C declaration of inner with type t, the way a C
// programmer writes it, keeping typedef names: "const char *buf" for
// inner "buf", the abstract type "const char *" for inner "", and "int
// (*open)(struct device *, int)" for a pointer to a function. Parameter
// names are left out of function types (as in "loff_t (*)(struct file *,
// loff_t, int)"); [funcType] gives the parameters with their names. The
// qualifiers are read from the declaration's syntax s where it has them
// (see declSyntax).
//
// It is the one type printer of the C front end.
func declare(t cc.Type, inner string, s *declSyntax) string {
	written, _, next, params := s.level(t)
	if td := t.Typedef(); td != nil && td.Name() != "" {
		return join(written+td.Name(), inner)
	}
	switch x := t.(type) {
	case *cc.PointerType:
		p := "*"
		if q := strings.TrimSpace(written); q != "" {
			p += q
			if inner != "" {
				p += " "
			}
		}
		p += inner
		if k := x.Elem().Kind(); (k == cc.Function || k == cc.Array) && x.Elem().Typedef() == nil {
			p = "(" + p + ")"
		}
		return declare(x.Elem(), p, next)
	case *cc.FunctionType:
		var ps []string
		for i, p := range parameters(x) {
			ps = append(ps, declare(p.Type(), "", paramSyntax(x, params, i)))
		}
		return declare(x.Result(), inner+"("+paramList(ps, x.IsVariadic())+")", next)
	case *cc.ArrayType:
		n := ""
		if x.Len() >= 0 && !x.IsIncomplete() {
			n = strconv.FormatInt(x.Len(), 10)
		}
		return declare(x.Elem(), inner+"["+n+"]", next)
	case *cc.StructType:
		return join(written+"struct "+tagOr(x.Tag(), "{...}"), inner)
	case *cc.UnionType:
		return join(written+"union "+tagOr(x.Tag(), "{...}"), inner)
	case *cc.EnumType:
		return join(written+"enum "+tagOr(x.Tag(), "{...}"), inner)
	case *cc.PredefinedType:
		return join(written+kindName(x.Kind()), inner)
	}
	return join(t.String(), inner)
}

// declSyntax is what the syntax of a declaration (a struct member, a
// parameter, a typedef) says of the qualifiers of its type. cc/v4 v4.31.0
// mixes up the qualifiers of struct members: it drops the const of
// "const char *name", moves the one of "char *const *argv" to the outer
// pointer and the one of "char *const (*f)(void)" from the result to the
// member, drops those of a function pointer's result (its type says
// "const char *(*public_id)(void *)" returns "char *", so a callback's
// prototype written from it would not match the member and the static
// assertion on it would fail), and gives a typedef name the const of its
// declaration's result ("fn *", for "typedef const char *fn(void)",
// would be "const fn *"). The syntax has
// them right, so the type printer and the model read every level's
// qualifiers from it, walking the declarator alongside cc/v4's type; where
// the two part (a typeof specifier, a typedef declared in a block), the
// levels left take cc/v4's. A nil *declSyntax means no syntax: cc/v4's
// qualifiers throughout.
type declSyntax struct {
	// base are the qualifiers of the declaration's specifiers, e.g.
	// "const " for "const char *name", which belong to the type the
	// declarator's levels end in.
	base string
	// levels are the declarator's derivations, outermost first:
	// "const char *const *(*d)(int)" is pointer, function, pointer,
	// const pointer.
	levels []derivation
	// lost says the syntax and cc/v4's type have parted: cc/v4's
	// qualifiers from here on, with base added to the base type's.
	lost bool
	// noBase says base is not known (a parameter read from cc/v4's
	// Parameter, which keeps no specifiers): the base type's qualifiers
	// are cc/v4's.
	noBase bool
	// param says the levels are those of a parameter's declarator, whose
	// array or function type C adjusts to a pointer.
	param bool
	// typedefs are the file-scope typedefs' syntax, followed into a
	// typedef's own declaration.
	typedefs typedefSyntax
}

type derivKind uint8

const (
	derivPointer derivKind = iota + 1
	derivArray
	derivFunc
)

// derivation is one level of a declarator.
type derivation struct {
	kind derivKind
	// quals are a pointer's qualifiers, or those in a parameter's array
	// brackets ("int a[const]"), which are its adjusted pointer's.
	quals string
	// params is a function's parameter list, nil without one (K&R).
	params *cc.ParameterTypeList
}

// typedefSyntax holds, for each file-scope typedef name's declarator,
// the qualifiers of its declaration's specifiers (and whether they
// include a typeof, which the syntax cannot follow).
type typedefSyntax map[*cc.Declarator]typedefBase

type typedefBase struct {
	quals string
	lost  bool
}

// newTypedefSyntax reads the typedef declarations of ast.
func newTypedefSyntax(ast *cc.AST) typedefSyntax {
	m := typedefSyntax{}
	for tu := ast.TranslationUnit; tu != nil; tu = tu.TranslationUnit {
		ed := tu.ExternalDeclaration
		if ed == nil || ed.Case != cc.ExternalDeclarationDecl || ed.Declaration == nil {
			continue
		}
		d := ed.Declaration
		isTypedef := false
		var b typedefBase
		for ds := d.DeclarationSpecifiers; ds != nil; ds = ds.DeclarationSpecifiers {
			if sc := ds.StorageClassSpecifier; sc != nil && sc.Case == cc.StorageClassSpecifierTypedef {
				isTypedef = true
			}
			b.quals += qualifierWord(ds.TypeQualifier)
			b.lost = b.lost || opaqueSpecifier(ds.TypeSpecifier)
		}
		if !isTypedef {
			continue
		}
		for l := d.InitDeclaratorList; l != nil; l = l.InitDeclaratorList {
			if l.InitDeclarator != nil && l.InitDeclarator.Declarator != nil {
				m[l.InitDeclarator.Declarator] = b
			}
		}
	}
	return m
}

// opaqueSpecifier reports a type specifier whose type the syntax does
// not show (typeof, _Atomic(T)), below which the declarator's levels may
// not be all of the type's.
func opaqueSpecifier(ts *cc.TypeSpecifier) bool {
	if ts == nil {
		return false
	}
	switch ts.Case {
	case cc.TypeSpecifierTypeofExpr, cc.TypeSpecifierTypeofType, cc.TypeSpecifierAtomic:
		return true
	}
	return false
}

// memberSyntax is the syntax of a struct member declared by d after
// specifiers with qualifiers base (lost when they hold a typeof).
func memberSyntax(d *cc.Declarator, base string, lost bool, typedefs typedefSyntax) *declSyntax {
	return &declSyntax{base: base, levels: declaratorLevels(d), lost: lost, typedefs: typedefs}
}

// declaratorLevels returns the derivations of d, outermost first: those
// of its direct declarator (which wrap the pointers before it), then its
// pointers, the rightmost '*' first.
func declaratorLevels(d *cc.Declarator) []derivation {
	if d == nil {
		return nil
	}
	return append(directLevels(d.DirectDeclarator), pointerLevels(d.Pointer)...)
}

func directLevels(dd *cc.DirectDeclarator) []derivation {
	if dd == nil {
		return nil
	}
	switch dd.Case {
	case cc.DirectDeclaratorDecl:
		return declaratorLevels(dd.Declarator)
	case cc.DirectDeclaratorArr, cc.DirectDeclaratorStaticArr, cc.DirectDeclaratorArrStatic, cc.DirectDeclaratorStar:
		return append(directLevels(dd.DirectDeclarator), derivation{kind: derivArray, quals: typeQualifiers(dd.TypeQualifiers)})
	case cc.DirectDeclaratorFuncParam:
		return append(directLevels(dd.DirectDeclarator), derivation{kind: derivFunc, params: dd.ParameterTypeList})
	case cc.DirectDeclaratorFuncIdent:
		return append(directLevels(dd.DirectDeclarator), derivation{kind: derivFunc})
	}
	return nil
}

func abstractLevels(ad *cc.AbstractDeclarator) []derivation {
	if ad == nil {
		return nil
	}
	return append(directAbstractLevels(ad.DirectAbstractDeclarator), pointerLevels(ad.Pointer)...)
}

func directAbstractLevels(dd *cc.DirectAbstractDeclarator) []derivation {
	if dd == nil {
		return nil
	}
	switch dd.Case {
	case cc.DirectAbstractDeclaratorDecl:
		return abstractLevels(dd.AbstractDeclarator)
	case cc.DirectAbstractDeclaratorArr, cc.DirectAbstractDeclaratorStaticArr, cc.DirectAbstractDeclaratorArrStatic, cc.DirectAbstractDeclaratorArrStar:
		return append(directAbstractLevels(dd.DirectAbstractDeclarator), derivation{kind: derivArray, quals: typeQualifiers(dd.TypeQualifiers)})
	case cc.DirectAbstractDeclaratorFunc:
		return append(directAbstractLevels(dd.DirectAbstractDeclarator), derivation{kind: derivFunc, params: dd.ParameterTypeList})
	}
	return nil
}

// pointerLevels returns the levels of a pointer chain, the rightmost '*'
// (the outermost level) first.
func pointerLevels(ptr *cc.Pointer) []derivation {
	var out []derivation
	for p := ptr; p != nil; p = p.Pointer {
		out = append(out, derivation{kind: derivPointer, quals: typeQualifiers(p.TypeQualifiers)})
	}
	slices.Reverse(out)
	return out
}

func typeQualifiers(l *cc.TypeQualifiers) string {
	q := ""
	for ; l != nil; l = l.TypeQualifiers {
		q += qualifierWord(l.TypeQualifier)
	}
	return q
}

// paramSyntax is the syntax of parameter i of f: from its declaration in
// params, the syntax of f's parameter list, when that has f's
// parameters; else from cc/v4's Parameter, which keeps the declarator
// but not the specifiers.
func paramSyntax(f *cc.FunctionType, params *cc.ParameterTypeList, i int) *declSyntax {
	ps := parameters(f)
	var decls []*cc.ParameterDeclaration
	if params != nil {
		for l := params.ParameterList; l != nil; l = l.ParameterList {
			decls = append(decls, l.ParameterDeclaration)
		}
	}
	if len(decls) == len(ps) && decls[i] != nil {
		pd := decls[i]
		s := &declSyntax{param: true}
		for ds := pd.DeclarationSpecifiers; ds != nil; ds = ds.DeclarationSpecifiers {
			s.base += qualifierWord(ds.TypeQualifier)
			s.lost = s.lost || opaqueSpecifier(ds.TypeSpecifier)
		}
		if pd.Declarator != nil {
			s.levels = declaratorLevels(pd.Declarator)
		} else {
			s.levels = abstractLevels(pd.AbstractDeclarator)
		}
		return s
	}
	p := ps[i]
	s := &declSyntax{param: true, noBase: true}
	if p.Declarator != nil {
		s.levels = declaratorLevels(p.Declarator)
	} else {
		s.levels = abstractLevels(p.AbstractDeclarator)
	}
	return s
}

// level reads the level t of a type whose syntax is s: the qualifiers
// the declaration writes there (what a C spelling of it needs: a typedef
// name carries its own), those the level has (a typedef's own included:
// the model's), the syntax of what t derives from (its pointee, element
// or result) and, for a function, the syntax of its parameter list.
func (s *declSyntax) level(t cc.Type) (written, has string, next *declSyntax, params *cc.ParameterTypeList) {
	td := t.Typedef()
	if td == nil || td.Name() == "" {
		written, next, params = s.bare(t)
		return written, written, next, params
	}
	// A typedef name: the base of the declarator's levels, qualified by
	// the specifiers; what it names follows its own declaration.
	if s != nil && !s.lost && !s.noBase && len(s.levels) == 0 {
		written = s.base
	} else {
		base := ""
		if s != nil {
			base = s.base
		}
		written = quals(t, base)
	}
	if s == nil {
		return written, written, nil, nil
	}
	b, ok := s.typedefs[td]
	if !ok {
		return written, quals(t, written), nil, nil // cc/v4's from here
	}
	inner := &declSyntax{base: b.quals, levels: declaratorLevels(td), lost: b.lost, typedefs: s.typedefs}
	own, next, params := inner.bare(t)
	switch t.(type) {
	case *cc.PointerType, *cc.ArrayType, *cc.FunctionType:
	default:
		if len(inner.levels) == 0 {
			// A typedef of a typedef of a struct or arithmetic type:
			// its qualifiers are its specifiers' and those of the
			// typedef it names, which only cc/v4's type still knows
			// (it mixes up those of derived types, not these).
			own = quals(t, own)
		}
	}
	return written, merge(written, own), next, params
}

// bare is level for t as a derivation of s, whatever its typedef name.
func (s *declSyntax) bare(t cc.Type) (q string, next *declSyntax, params *cc.ParameterTypeList) {
	if s == nil || s.lost {
		base := ""
		if s != nil {
			base = s.base
		}
		switch t.(type) {
		case *cc.PointerType, *cc.ArrayType, *cc.FunctionType:
			return qualifiers(t), s, nil
		}
		return quals(t, base), s, nil
	}
	var d derivation
	rest := s
	if len(s.levels) > 0 {
		d = s.levels[0]
		rest = &declSyntax{base: s.base, levels: s.levels[1:], noBase: s.noBase, typedefs: s.typedefs}
	}
	switch t.(type) {
	case *cc.PointerType:
		switch {
		case d.kind == derivPointer, d.kind == derivArray && s.param:
			return d.quals, rest, nil
		case d.kind == derivFunc && s.param:
			// A parameter of function type is a pointer to it.
			return "", &declSyntax{base: s.base, levels: s.levels, noBase: s.noBase, typedefs: s.typedefs}, nil
		}
	case *cc.ArrayType:
		if d.kind == derivArray {
			return "", rest, nil
		}
	case *cc.FunctionType:
		if d.kind == derivFunc {
			return "", rest, d.params
		}
	default:
		if d.kind == 0 {
			if s.noBase {
				return quals(t, s.base), rest, nil
			}
			return s.base, rest, nil
		}
	}
	return (&declSyntax{base: s.base, lost: true, typedefs: s.typedefs}).bare(t)
}

// merge is q with the qualifiers of extra it lacks.
func merge(q, extra string) string {
	for _, w := range strings.Fields(extra) {
		if !strings.Contains(q, w+" ") {
			q += w + " "
		}
	}
	return q
}

// parameters returns f's parameters; the list of "(void)" is empty.
func parameters(f *cc.FunctionType) []*cc.Parameter {
	ps := f.Parameters()
	if len(ps) == 1 && ps[0].Type().Kind() == cc.Void && ps[0].Name() == "" {
		return nil
	}
	return ps
}

func paramList(decls []string, variadic bool) string {
	if variadic {
		decls = append(decls, "...")
	}
	if len(decls) == 0 {
		return "void"
	}
	return strings.Join(decls, ", ")
}

func join(base, inner string) string {
	if inner == "" {
		return base
	}
	return base + " " + inner
}

func qualifiers(t cc.Type) string {
	a := t.Attributes()
	s := ""
	if a.IsConst() {
		s += "const "
	}
	if a.IsVolatile() {
		s += "volatile "
	}
	return s
}

// quals is qualifiers(t) merged with extra, each qualifier once.
func quals(t cc.Type, extra string) string { return merge(qualifiers(t), extra) }

// kindName spells a predefined type kind in full where cc/v4's Kind.String
// abbreviates it ("unsigned" for unsigned int).
func kindName(k cc.Kind) string {
	switch k {
	case cc.UInt:
		return "unsigned int"
	case cc.ComplexUInt:
		return "_Complex unsigned int"
	}
	return k.String()
}

func tagOr(tag cc.Token, anon string) string {
	if s := tag.SrcStr(); s != "" {
		return s
	}
	return anon
}

// structure is the structured form of t, with the qualifiers of each
// level read from the declaration's syntax s as declare reads them.
func structure(t cc.Type, s *declSyntax) *vtable.Type {
	return structureDepth(t, s, 0)
}

// maxTypeDepth bounds the nesting structure follows (pointers to pointers
// to functions taking pointers ...); real headers stay far below it.
const maxTypeDepth = 64

func structureDepth(t cc.Type, s *declSyntax, depth int) *vtable.Type {
	out := &vtable.Type{Kind: vtable.OtherType, Size: -1, Align: -1}
	if depth > maxTypeDepth || t == nil {
		return out
	}
	_, q, next, _ := s.level(t)
	if td := t.Typedef(); td != nil && td.Name() != "" {
		out.Typedef = td.Name()
	}
	if t.Kind() != cc.Void && t.Kind() != cc.Function && !t.IsIncomplete() {
		out.Size, out.Align = t.Size(), int64(t.Align())
	}
	switch x := t.(type) {
	case *cc.PointerType:
		out.Kind = vtable.Pointer
		out.Elem = structureDepth(x.Elem(), next, depth+1)
	case *cc.ArrayType:
		out.Kind, out.Len = vtable.Array, x.Len()
		if x.IsIncomplete() {
			out.Len = -1
		}
		out.Elem = structureDepth(x.Elem(), next, depth+1)
	case *cc.FunctionType:
		out.Kind = vtable.Function
		out.Func = funcTypeDepth(x, s, depth+1)
	case *cc.StructType:
		out.Kind, out.Name = vtable.StructType, tagOr(x.Tag(), "")
	case *cc.UnionType:
		out.Kind, out.Name = vtable.UnionType, tagOr(x.Tag(), "")
	case *cc.EnumType:
		out.Kind, out.Name = vtable.Enum, tagOr(x.Tag(), "")
	case *cc.PredefinedType:
		out.Name = kindName(x.Kind())
		switch k := x.Kind(); k {
		case cc.Void:
			out.Kind = vtable.Void
		case cc.Bool, cc.Char, cc.SChar, cc.Short, cc.Int, cc.Long, cc.LongLong, cc.Int128:
			out.Kind = vtable.Int
		case cc.UChar, cc.UShort, cc.UInt, cc.ULong, cc.ULongLong, cc.UInt128:
			out.Kind, out.Unsigned = vtable.Int, true
		case cc.Float, cc.Double, cc.LongDouble:
			out.Kind = vtable.Float
		}
		if x.Kind() == cc.Bool {
			out.Unsigned = true
		}
	}
	out.Const = strings.Contains(q, "const ")
	out.Volatile = strings.Contains(q, "volatile ")
	return out
}
