// Package rustparse is vtablegen's Rust front end: it parses Rust sources
// with tree-sitter and returns every trait and trait impl that carries a
// vtable attribute as a [vtable.Item], with its top-level methods, the
// consts the user wrote, positions, and the byte ranges the expansion
// rewrites.
//
// It is the only package of vtablegen that imports tree-sitter, and it
// imports only package vtable of ours. Every tree-sitter parser, tree,
// cursor and query it creates is closed before it returns.
package rustparse

import (
	"fmt"
	"go/token"
	"os"

	ts "github.com/tree-sitter/go-tree-sitter"
	tsrust "github.com/tree-sitter/tree-sitter-rust/bindings/go"

	"github.com/vtablegen/vtablegen/vtable"
)

// parse parses src as Rust. The caller closes the returned tree.
func parse(src []byte) (*ts.Tree, error) {
	p := ts.NewParser()
	defer p.Close()
	if err := p.SetLanguage(ts.NewLanguage(tsrust.Language())); err != nil {
		return nil, fmt.Errorf("loading the tree-sitter Rust grammar: %v", err)
	}
	tree := p.Parse(src, nil)
	if tree == nil {
		return nil, fmt.Errorf("tree-sitter returned no tree")
	}
	return tree, nil
}

// position converts a tree-sitter point, 0-based row and byte column, to a
// go/token position, 1-based line and byte column, in file. Every position
// this package reports goes through it.
func position(file string, p ts.Point) token.Position {
	return token.Position{Filename: file, Line: int(p.Row) + 1, Column: int(p.Column) + 1}
}

// syntaxErrors reports every ERROR and MISSING node of tree, outermost
// first; the subtree of an ERROR node is not searched further.
func syntaxErrors(tree *ts.Tree, file string, src []byte) vtable.Diagnostics {
	var l vtable.Diagnostics
	root := tree.RootNode()
	if !root.HasError() {
		return nil
	}
	c := root.Walk()
	defer c.Close()
	for {
		n := c.Node()
		descend := n.HasError()
		switch {
		case n.IsMissing():
			report(&l, n, file, "syntax error: missing %q", n.Kind())
			descend = false
		case n.IsError():
			text := n.Utf8Text(src)
			if len(text) > 20 {
				text = text[:20] + "..."
			}
			report(&l, n, file, "syntax error: unexpected %q", text)
			descend = false
		}
		if descend && c.GotoFirstChild() {
			continue
		}
		for !c.GotoNextSibling() {
			if !c.GotoParent() {
				return l
			}
		}
	}
}

// report adds a syntax error at n, or only a note when n lies inside a
// macro invocation or a macro_rules! body: their token trees are not Rust
// syntax that tree-sitter-rust knows ("$ data" in a macro_rules! body is
// valid, rustc accepts it), and an error there must not cost the file's
// other items.
func report(l *vtable.Diagnostics, n *ts.Node, file, format string, args ...any) {
	for p := n.Parent(); p != nil; p = p.Parent() {
		switch p.Kind() {
		case "token_tree", "macro_invocation", "macro_definition", "macro_rule":
			d := l.Note(position(file, n.StartPosition()), format, args...)
			d.Msg += " (inside a macro, whose tokens vtablegen does not read)"
			return
		}
	}
	l.Add(position(file, n.StartPosition()), format, args...)
}

// unwrapPathError drops the operation and path of an *os.PathError, which
// the diagnostic's position already names.
func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
