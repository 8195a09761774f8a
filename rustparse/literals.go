package rustparse

import (
	"bytes"
	"strings"

	ts "github.com/tree-sitter/go-tree-sitter"

	"github.com/vtablegen/vtablegen/vtable"
)

// Literals returns the struct expressions of src whose struct name (the
// last segment of the path, generic arguments aside) want accepts, in
// source order, with where each stands (the const, static or fn around
// it). Files that cannot be read as Rust give none: the caller reads
// them with Parse for their diagnostics.
func Literals(file string, src []byte, want func(name string) bool) []*vtable.StructLiteral {
	if checkText(file, src) != nil || deeperThan(src, maxDepth/2) || !bytes.Contains(src, []byte("{")) {
		return nil
	}
	tree, err := parse(src)
	if err != nil {
		return nil
	}
	defer tree.Close()
	x := &extractor{file: file, src: src}
	var out []*vtable.StructLiteral
	c := tree.RootNode().Walk()
	defer c.Close()
	var in []string
	var inDepth []uint
	depth := uint(0)
	for {
		n := c.Node()
		for len(inDepth) > 0 && inDepth[len(inDepth)-1] >= depth {
			in, inDepth = in[:len(in)-1], inDepth[:len(inDepth)-1]
		}
		switch n.Kind() {
		case "const_item", "static_item", "function_item":
			if name := n.ChildByFieldName("name"); name != nil {
				kw := map[string]string{"const_item": "const ", "static_item": "static ", "function_item": "fn "}[n.Kind()]
				in, inDepth = append(in, kw+x.text(name)), append(inDepth, depth)
			}
		case "struct_expression":
			if l := x.literal(n, want); l != nil {
				if len(in) > 0 {
					l.In = in[len(in)-1]
				}
				out = append(out, l)
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
