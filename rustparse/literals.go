package rustparse

import (
	"bytes"
	"strings"

	ts "github.com/tree-sitter/go-tree-sitter"

	"github.com/vtablegen/vtablegen/vtable"
)

// Literals returns the struct expressions of src whose struct name (the
// last segment of the path, generic arguments aside) want accepts; see
// Scan.
func Literals(file string, src []byte, want func(name string) bool) []*vtable.StructLiteral {
	return Scan(file, src, want).Literals
}

// Scan returns the struct expressions of src whose struct name want
// accepts (nil: all), in source order, each with where it stands (the
// const, static or fn around it) and the trait bounds of the type
// parameters in scope, and the signature of every fn item of src. Files
// that cannot be read as Rust give nothing: the caller reads them with
// Parse for their diagnostics.
func Scan(file string, src []byte, want func(name string) bool) *vtable.RustScan {
	out := &vtable.RustScan{}
	if checkText(file, src) != nil || deeperThan(src, maxDepth/2) || !bytes.Contains(src, []byte("{")) {
		return out
	}
	tree, err := parse(src)
	if err != nil {
		return out
	}
	defer tree.Close()
	x := &extractor{file: file, src: src}
	c := tree.RootNode().Walk()
	defer c.Close()
	type scope struct {
		depth  uint
		in     string
		bounds map[string][]string
	}
	var scopes []scope
	depth := uint(0)
	for {
		n := c.Node()
		for len(scopes) > 0 && scopes[len(scopes)-1].depth >= depth {
			scopes = scopes[:len(scopes)-1]
		}
		switch n.Kind() {
		case "const_item", "static_item", "function_item", "impl_item", "trait_item":
			sc := scope{depth: depth, bounds: x.bounds(n)}
			if name := n.ChildByFieldName("name"); name != nil {
				kw := map[string]string{"const_item": "const ", "static_item": "static ", "function_item": "fn ", "trait_item": "trait "}[n.Kind()]
				sc.in = kw + x.text(name)
			} else if len(scopes) > 0 {
				sc.in = scopes[len(scopes)-1].in
			}
			scopes = append(scopes, sc)
			if n.Kind() == "function_item" {
				out.Fns = append(out.Fns, x.fnSig(n))
			}
		case "function_signature_item":
			out.Fns = append(out.Fns, x.fnSig(n))
		case "struct_expression":
			if l := x.literal(n, want); l != nil {
				l.Bounds = map[string][]string{}
				for _, sc := range scopes {
					if l.In == "" || sc.in != "" {
						l.In = sc.in
					}
					for k, v := range sc.bounds {
						l.Bounds[k] = v
					}
				}
				out.Literals = append(out.Literals, l)
			}
		}
		if c.GotoFirstChild() {
			depth++
			continue
		}
		for !c.GotoNextSibling() {
			if !c.GotoParent() {
				return out
			}
			depth--
		}
	}
}

// bounds returns the trait bounds an item's type parameters and where
// clause give, by parameter, each bound as written.
func (x *extractor) bounds(n *ts.Node) map[string][]string {
	out := map[string][]string{}
	addBounds := func(name string, tb *ts.Node) {
		if tb == nil {
			return
		}
		for i := uint(0); i < tb.NamedChildCount(); i++ {
			b := tb.NamedChild(i)
			if b.Kind() == "lifetime" {
				continue
			}
			out[name] = append(out[name], strings.Join(strings.Fields(x.text(b)), ""))
		}
	}
	if tp := n.ChildByFieldName("type_parameters"); tp != nil {
		for i := uint(0); i < tp.NamedChildCount(); i++ {
			p := tp.NamedChild(i)
			if p.Kind() != "type_parameter" {
				continue
			}
			if name := p.ChildByFieldName("name"); name != nil {
				addBounds(x.text(name), p.ChildByFieldName("bounds"))
			}
		}
	}
	for i := uint(0); i < n.NamedChildCount(); i++ {
		w := n.NamedChild(i)
		if w.Kind() != "where_clause" {
			continue
		}
		for j := uint(0); j < w.NamedChildCount(); j++ {
			pred := w.NamedChild(j)
			if left := pred.ChildByFieldName("left"); left != nil && pred.Kind() == "where_predicate" {
				addBounds(x.text(left), pred.ChildByFieldName("bounds"))
			}
		}
	}
	return out
}

// fnSig reads the signature of a function_item or function_signature_item.
func (x *extractor) fnSig(n *ts.Node) *vtable.FnSig {
	f := &vtable.FnSig{Pos: position(x.file, n.StartPosition())}
	if name := n.ChildByFieldName("name"); name != nil {
		f.Name = x.text(name)
		f.Pos = position(x.file, name.StartPosition())
	}
	for i := uint(0); i < n.NamedChildCount(); i++ {
		if m := n.NamedChild(i); m.Kind() == "function_modifiers" && strings.Contains(x.text(m), "extern") {
			f.Extern = true
		}
	}
	if p := n.Parent(); p != nil && p.Kind() == "declaration_list" {
		if pp := p.Parent(); pp != nil && pp.Kind() == "foreign_mod_item" {
			f.Extern = true
		}
	}
	if params := n.ChildByFieldName("parameters"); params != nil {
		for i := uint(0); i < params.NamedChildCount(); i++ {
			p := params.NamedChild(i)
			if p.Kind() != "parameter" {
				continue
			}
			if t := p.ChildByFieldName("type"); t != nil {
				f.Params = append(f.Params, strings.Join(strings.Fields(x.text(t)), " "))
			}
		}
	}
	if r := n.ChildByFieldName("return_type"); r != nil {
		f.Result = strings.Join(strings.Fields(x.text(r)), " ")
	}
	return f
}

// literal reads a struct_expression node, or returns nil when want
// rejects its name.
func (x *extractor) literal(n *ts.Node, want func(string) bool) *vtable.StructLiteral {
	name, body := n.ChildByFieldName("name"), n.ChildByFieldName("body")
	if name == nil || body == nil {
		return nil
	}
	path := strings.Join(strings.Fields(x.text(name)), "")
	if i := strings.Index(path, "::<"); i >= 0 {
		path = path[:i]
	}
	if want != nil && !want(vtable.LastSegment(path)) {
		return nil
	}
	l := &vtable.StructLiteral{Path: path, Pos: position(x.file, n.StartPosition())}
	for i := uint(0); i < body.NamedChildCount(); i++ {
		f := body.NamedChild(i)
		var attrs []*ts.Node
		for j := uint(0); j < f.NamedChildCount(); j++ {
			if a := f.NamedChild(j); a.Kind() == "attribute_item" {
				attrs = append(attrs, a)
			}
		}
		switch f.Kind() {
		case "field_initializer":
			field, value := f.ChildByFieldName("field"), f.ChildByFieldName("value")
			if field == nil || value == nil {
				continue
			}
			l.Fields = append(l.Fields, &vtable.LiteralField{Name: x.text(field), Value: x.text(value),
				Pos: position(x.file, field.StartPosition()), Cfgs: x.cfgs(attrs)})
		case "shorthand_field_initializer":
			id := f.NamedChild(f.NamedChildCount() - 1)
			l.Fields = append(l.Fields, &vtable.LiteralField{Name: x.text(id), Value: x.text(id),
				Pos: position(x.file, id.StartPosition()), Cfgs: x.cfgs(attrs)})
		case "base_field_initializer":
			if e := f.NamedChild(0); e != nil {
				l.Base = x.text(e)
			}
		}
	}
	return l
}
