package cparse

import (
	"go/token"
	"os"

	"modernc.org/cc/v4"
	mtoken "modernc.org/token"

	"github.com/vtablegen/vtablegen/vtable"
)

// Structs parses the header file name and returns, in the order they are
// defined, the structs that hold a function-pointer member (at their top
// level or inside an anonymous struct or union member). The structs of the
// headers it includes count too. Problems in the input are returned as
// positioned diagnostics; when they hold an error the structs are nil.
func (p *Parser) Structs(name string) ([]*vtable.Struct, vtable.Diagnostics) {
	if _, err := os.Stat(name); err != nil {
		var l vtable.Diagnostics
		if pe, ok := err.(*os.PathError); ok {
			err = pe.Err
		}
		l.Add(token.Position{Filename: name, Line: 1, Column: 1}, "%v", err)
		return nil, l
	}
	ast, diags := p.translate(name)
	if diags.HasErrors() {
		return nil, diags
	}
	var out []*vtable.Struct
	for tu := ast.TranslationUnit; tu != nil; tu = tu.TranslationUnit {
		ed := tu.ExternalDeclaration
		if ed == nil || ed.Case != cc.ExternalDeclarationDecl || ed.Declaration == nil {
			continue
		}
		d := ed.Declaration
		for ds := d.DeclarationSpecifiers; ds != nil; ds = ds.DeclarationSpecifiers {
			su := structSpecifier(ds.TypeSpecifier)
			if su == nil || su.Case != cc.StructOrUnionSpecifierDef || su.StructOrUnion.Case != cc.StructOrUnionStruct {
				continue
			}
			s := &vtable.Struct{
				Name:    vtable.CIdent(su.Token.SrcStr()),
				Pos:     pos(su.Position()),
				Members: members(su.StructDeclarationList),
			}
			if s.Name == "" {
				s.Name = vtable.CIdent(typedefName(d))
			}
			if s.Name != "" && len(s.FuncMembers()) > 0 {
				out = append(out, s)
			}
		}
	}
	return out, diags
}

// structSpecifier returns the struct or union specifier of ts, if it is one.
func structSpecifier(ts *cc.TypeSpecifier) *cc.StructOrUnionSpecifier {
	if ts == nil || ts.Case != cc.TypeSpecifierStructOrUnion {
		return nil
	}
	return ts.StructOrUnionSpecifier
}

// typedefName returns the first name d declares when d is a typedef, as in
// "typedef struct { ... } name;", and "" otherwise.
func typedefName(d *cc.Declaration) string {
	isTypedef := false
	for ds := d.DeclarationSpecifiers; ds != nil; ds = ds.DeclarationSpecifiers {
		if sc := ds.StorageClassSpecifier; sc != nil && sc.Case == cc.StorageClassSpecifierTypedef {
			isTypedef = true
		}
	}
	if !isTypedef || d.InitDeclaratorList == nil || d.InitDeclaratorList.InitDeclarator == nil {
		return ""
	}
	return d.InitDeclaratorList.InitDeclarator.Declarator.Name()
}

// members converts a struct body, member by member in declaration order.
func members(l *cc.StructDeclarationList) []*vtable.Member {
	var out []*vtable.Member
	for ; l != nil; l = l.StructDeclarationList {
		sd := l.StructDeclaration
		if sd == nil || sd.Case != cc.StructDeclarationDecl {
			continue
		}
		baseQuals := ""
		var anon *cc.StructOrUnionSpecifier
		for sq := sd.SpecifierQualifierList; sq != nil; sq = sq.SpecifierQualifierList {
			if q := sq.TypeQualifier; q != nil {
				switch q.Case {
				case cc.TypeQualifierConst:
					baseQuals += "const "
				case cc.TypeQualifierVolatile:
					baseQuals += "volatile "
				}
			}
			if su := structSpecifier(sq.TypeSpecifier); su != nil && su.Case == cc.StructOrUnionSpecifierDef {
				anon = su
			}
		}
		if sd.StructDeclaratorList == nil {
			// An anonymous struct or union member: its fields belong to
			// the enclosing struct.
			if anon == nil {
				continue
			}
			m := &vtable.Member{Kind: vtable.AnonStruct, Pos: pos(anon.Position()), Fields: members(anon.StructDeclarationList)}
			m.Type = "struct {...}"
			if anon.StructOrUnion.Case == cc.StructOrUnionUnion {
				m.Kind, m.Type = vtable.AnonUnion, "union {...}"
			}
			out = append(out, m)
			continue
		}
		for dl := sd.StructDeclaratorList; dl != nil; dl = dl.StructDeclaratorList {
			d := dl.StructDeclarator.Declarator
			if d == nil {
				continue // an unnamed bitfield, padding only
			}
			out = append(out, member(d, baseQuals))
		}
	}
	return out
}

// member converts one named struct member.
func member(d *cc.Declarator, baseQuals string) *vtable.Member {
	t := d.Type()
	m := &vtable.Member{
		Name: vtable.CIdent(d.Name()),
		Kind: vtable.Data,
		Type: declareBase(t, "", baseQuals),
		Pos:  pos(d.NameTok().Position()),
	}
	if pt, ok := t.(*cc.PointerType); ok {
		if ft, ok := pt.Elem().(*cc.FunctionType); ok {
			m.Kind = vtable.Func
			m.Func = funcType(ft)
		}
	}
	return m
}

// funcType describes the function type a function-pointer member points to.
func funcType(ft *cc.FunctionType) *vtable.FuncType {
	f := &vtable.FuncType{Result: declare(ft.Result(), ""), Variadic: ft.IsVariadic()}
	for _, p := range parameters(ft) {
		name := p.Name()
		f.Params = append(f.Params, vtable.Param{
			Name: vtable.CIdent(name),
			Type: declare(p.Type(), ""),
			Decl: declare(p.Type(), name),
		})
	}
	return f
}

// pos converts a cc/v4 position (package modernc.org/token) to go/token's;
// cc/v4 already reports the original file and line.
func pos(p mtoken.Position) token.Position {
	return token.Position{Filename: p.Filename, Offset: p.Offset, Line: p.Line, Column: p.Column}
}
