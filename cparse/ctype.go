package cparse

import (
	"strconv"
	"strings"

	"modernc.org/cc/v4"

	"github.com/vtablegen/vtablegen/vtable"
)

// declare spells the C declaration of inner with type t, the way a C
// programmer writes it, keeping typedef names: declare(t, "buf") is
// "const char *buf", declare(t, "") the abstract type "const char *", and a
// pointer to a function gives "int (*open)(struct device *, int)".
// Parameter names are left out of function types (as in "loff_t (*)(struct
// file *, loff_t, int)"); [params] gives the parameters with their names.
//
// It is the one type printer of the C front end.
func declare(t cc.Type, inner string) string { return declareBase(t, inner, "", nil) }

// declareBase is declare with extra qualifiers, e.g. "const ", for the base
// type the declarator chain ends in, and with the qualifiers of the
// outermost pointer levels given (outermost first) instead of read from the
// type. cc/v4 v4.31.0 mixes up the qualifiers of struct members: it drops
// the const of "const char *name" and moves the one of "char *const *argv"
// to the outer pointer. The member's syntax still has them right, so the
// caller reads them from there.
func declareBase(t cc.Type, inner, baseQuals string, ptrQuals []string) string {
	if td := t.Typedef(); td != nil && td.Name() != "" {
		return join(quals(t, baseQuals)+td.Name(), inner)
	}
	switch x := t.(type) {
	case *cc.PointerType:
		s := "*"
		q := qualifiers(x)
		if len(ptrQuals) > 0 {
			q, ptrQuals = ptrQuals[0], ptrQuals[1:]
		}
		if q := strings.TrimSpace(q); q != "" {
			s += q
			if inner != "" {
				s += " "
			}
		}
		s += inner
		if k := x.Elem().Kind(); (k == cc.Function || k == cc.Array) && x.Elem().Typedef() == nil {
			s = "(" + s + ")"
		}
		return declareBase(x.Elem(), s, baseQuals, ptrQuals)
	case *cc.FunctionType:
		var ps []string
		for _, p := range parameters(x) {
			ps = append(ps, declareParam(p, ""))
		}
		return declareBase(x.Result(), inner+"("+paramList(ps, x.IsVariadic())+")", baseQuals, nil)
	case *cc.ArrayType:
		n := ""
		if x.Len() >= 0 && !x.IsIncomplete() {
			n = strconv.FormatInt(x.Len(), 10)
		}
		return declareBase(x.Elem(), inner+"["+n+"]", baseQuals, nil)
	case *cc.StructType:
		return join(quals(t, baseQuals)+"struct "+tagOr(x.Tag(), "{...}"), inner)
	case *cc.UnionType:
		return join(quals(t, baseQuals)+"union "+tagOr(x.Tag(), "{...}"), inner)
	case *cc.EnumType:
		return join(quals(t, baseQuals)+"enum "+tagOr(x.Tag(), "{...}"), inner)
	case *cc.PredefinedType:
		return join(quals(t, baseQuals)+kindName(x.Kind()), inner)
	}
	return join(t.String(), inner)
}

// declareParam spells the declaration of parameter p named inner (or its
// type, with inner empty), with the qualifiers of its pointer levels read
// from its syntax, which cc/v4 v4.31.0 does not keep at inner levels
// ("const char *const *names" would lose the second const).
func declareParam(p *cc.Parameter, inner string) string {
	return declareBase(p.Type(), inner, "", paramPointerQualifiers(p))
}

// paramPointerQualifiers reads the qualifiers of a parameter's pointer
// levels from its syntax, outermost first.
func paramPointerQualifiers(p *cc.Parameter) []string {
	switch {
	case p.Declarator != nil:
		return pointerQualifiers(p.Declarator)
	case p.AbstractDeclarator != nil && p.AbstractDeclarator.DirectAbstractDeclarator == nil:
		return chainQualifiers(p.AbstractDeclarator.Pointer)
	}
	return nil
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
func quals(t cc.Type, extra string) string {
	q := qualifiers(t)
	for _, w := range strings.Fields(extra) {
		if !strings.Contains(q, w+" ") {
			q += w + " "
		}
	}
	return q
}

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

// structure is the structured form of t, with the same qualifier repairs
// as declareBase: baseQuals for the base type the declarator chain ends
// in, and ptrQuals (outermost first) for the outermost pointer levels.
func structure(t cc.Type, baseQuals string, ptrQuals []string) *vtable.Type {
	return structureDepth(t, baseQuals, ptrQuals, 0)
}

// maxTypeDepth bounds the nesting structure follows (pointers to pointers
// to functions taking pointers ...); real headers stay far below it.
const maxTypeDepth = 64

func structureDepth(t cc.Type, baseQuals string, ptrQuals []string, depth int) *vtable.Type {
	out := &vtable.Type{Kind: vtable.OtherType, Size: -1, Align: -1}
	if depth > maxTypeDepth || t == nil {
		return out
	}
	q := qualifiers(t)
	if td := t.Typedef(); td != nil && td.Name() != "" {
		out.Typedef = td.Name()
		q, baseQuals, ptrQuals = quals(t, baseQuals), "", nil // the qualifiers are the typedef's
	}
	if t.Kind() != cc.Void && t.Kind() != cc.Function && !t.IsIncomplete() {
		out.Size, out.Align = t.Size(), int64(t.Align())
	}
	switch x := t.(type) {
	case *cc.PointerType:
		if len(ptrQuals) > 0 {
			q, ptrQuals = ptrQuals[0], ptrQuals[1:]
		}
		out.Kind = vtable.Pointer
		out.Elem = structureDepth(x.Elem(), baseQuals, ptrQuals, depth+1)
	case *cc.ArrayType:
		out.Kind, out.Len = vtable.Array, x.Len()
		if x.IsIncomplete() {
			out.Len = -1
		}
		out.Elem = structureDepth(x.Elem(), baseQuals, nil, depth+1)
	case *cc.FunctionType:
		out.Kind = vtable.Function
		out.Func = funcTypeDepth(x, depth+1)
	case *cc.StructType:
		out.Kind, out.Name = vtable.StructType, tagOr(x.Tag(), "")
		q = quals(t, q+baseQuals)
	case *cc.UnionType:
		out.Kind, out.Name = vtable.UnionType, tagOr(x.Tag(), "")
		q = quals(t, q+baseQuals)
	case *cc.EnumType:
		out.Kind, out.Name = vtable.Enum, tagOr(x.Tag(), "")
		q = quals(t, q+baseQuals)
	case *cc.PredefinedType:
		out.Name = kindName(x.Kind())
		q = quals(t, q+baseQuals)
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
