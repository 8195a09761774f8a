package cparse

import (
	"strconv"
	"strings"

	"modernc.org/cc/v4"
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
	var pq []string
	switch {
	case p.Declarator != nil:
		pq = pointerQualifiers(p.Declarator)
	case p.AbstractDeclarator != nil && p.AbstractDeclarator.DirectAbstractDeclarator == nil:
		pq = chainQualifiers(p.AbstractDeclarator.Pointer)
	}
	return declareBase(p.Type(), inner, "", pq)
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
