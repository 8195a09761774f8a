package rustparse

import (
	"bytes"
	"fmt"
	"go/token"
	"os"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	ts "github.com/tree-sitter/go-tree-sitter"

	"github.com/vtablegen/vtablegen/vtable"
)

// maxFileBytes bounds a Rust source file; the largest of the kernel's is
// under 200 KB.
const maxFileBytes = 8 << 20

// ParseFile reads and parses the Rust source file name; see [Parse].
func ParseFile(name string) (*vtable.RustFile, vtable.Diagnostics) {
	src, d := ReadFile(name)
	if d != nil {
		return &vtable.RustFile{Name: name}, vtable.Diagnostics{d}
	}
	return Parse(name, src)
}

// ReadFile reads the Rust source file name after checking, without
// reading it, that it is a regular file of at most 8 MiB; a problem is a
// diagnostic at the file's start.
func ReadFile(name string) ([]byte, *vtable.Diagnostic) {
	st, err := os.Stat(name)
	at := vtable.FileStart(name)
	switch {
	case err != nil:
		return nil, &vtable.Diagnostic{Pos: at, Msg: unwrapPathError(err).Error()}
	case !st.Mode().IsRegular():
		return nil, &vtable.Diagnostic{Pos: at, Msg: "not a regular file"}
	case st.Size() > maxFileBytes:
		return nil, &vtable.Diagnostic{Pos: at, Msg: fmt.Sprintf("%d bytes is more than the %d MiB a Rust source file may have", st.Size(), maxFileBytes>>20)}
	}
	src, err := os.ReadFile(name)
	if err != nil {
		return nil, &vtable.Diagnostic{Pos: at, Msg: unwrapPathError(err).Error()}
	}
	return src, nil
}

// Parse returns every trait and trait impl of src that carries an attribute
// whose path ends in vtable (vtable, macros::vtable, ...), at the top
// level of the file or inside inline mod blocks, in source order, and the
// trait impls without one. file names src in positions. Syntax errors, a
// a vtable attribute on anything else, and (as warnings) a vtable attribute inside a macro
// invocation or definition, which cannot be expanded, are reported as
// diagnostics; the items found are returned either way.
func Parse(file string, src []byte) (*vtable.RustFile, vtable.Diagnostics) {
	rf := &vtable.RustFile{Name: file, Src: src}
	if d := checkText(file, src); d != nil {
		return rf, vtable.Diagnostics{d}
	}
	tree, err := parse(src)
	if err != nil {
		var l vtable.Diagnostics
		l.Add(vtable.FileStart(file), "%v", err)
		return rf, l
	}
	defer tree.Close()
	x := &extractor{file: file, src: src, rf: rf}
	mentions := bytes.Contains(src, []byte("vtable"))
	var warnings vtable.Diagnostics
	deep := deeperThan(src, maxDepth/2)
	if deep {
		// The walk over every node finds nesting too deep to walk (and
		// #[vtable] inside macros).
		var d *vtable.Diagnostic
		if warnings, d = x.scan(tree); d != nil {
			return rf, vtable.Diagnostics{d}
		}
	}
	syntax := syntaxErrors(tree, file, src)
	if !mentions {
		// No #[vtable] can be lost in a file that never says vtable: a
		// construct tree-sitter-rust 0.24 cannot parse (vendored crates of
		// a kernel tree have some rustc accepts) is only a note there.
		for _, d := range syntax {
			if d.Severity == vtable.Error {
				d.Severity = vtable.Verbose
				d.Msg += " (the file has no #[vtable], so nothing is lost)"
			}
		}
	}
	x.items(tree.RootNode())
	if mentions && !deep && x.attrs != vtableAttrsInCode(src) {
		// Some #[vtable] in the code is not one the item walk met: it
		// stands inside a macro invocation or macro_rules! body, which
		// only the walk over every node finds. A file that never says
		// vtable (most of a kernel tree), or whose every #[vtable] is an
		// item's, needs no such walk.
		warnings, _ = x.scan(tree)
	}
	x.diags = append(append(syntax, warnings...), x.diags...)
	x.diags.Sort()
	return rf, x.diags
}

var vtableAttrText = regexp.MustCompile(`#\s*\[\s*(?:[A-Za-z_][A-Za-z0-9_]*\s*::\s*)*vtable\s*\]`)

// vtableAttrsInCode counts the vtable attributes of src outside comments,
// string and character literals.
func vtableAttrsInCode(src []byte) int {
	return len(vtableAttrText.FindAll(codeOnly(src), -1))
}

// codeOnly returns src with its comments (nested block comments too),
// string literals (raw ones too) and character literals blanked.
func codeOnly(src []byte) []byte {
	out := bytes.Clone(src)
	blank := func(from, to int) {
		for k := from; k < to && k < len(out); k++ {
			if out[k] != '\n' {
				out[k] = ' '
			}
		}
	}
	for i := 0; i < len(src); {
		switch {
		case bytes.HasPrefix(src[i:], []byte("//")):
			j := bytes.IndexByte(src[i:], '\n')
			if j < 0 {
				j = len(src) - i
			}
			blank(i, i+j)
			i += j
		case bytes.HasPrefix(src[i:], []byte("/*")):
			depth, j := 1, i+2
			for j < len(src) && depth > 0 {
				switch {
				case bytes.HasPrefix(src[j:], []byte("/*")):
					depth, j = depth+1, j+2
				case bytes.HasPrefix(src[j:], []byte("*/")):
					depth, j = depth-1, j+2
				default:
					j++
				}
			}
			blank(i, j)
			i = j
		case src[i] == 'r' && i+1 < len(src) && (src[i+1] == '"' || src[i+1] == '#') && (i == 0 || !isIdentByte(src[i-1])):
			hashes := 0
			j := i + 1
			for j < len(src) && src[j] == '#' {
				hashes, j = hashes+1, j+1
			}
			if j >= len(src) || src[j] != '"' {
				i++
				continue
			}
			end := bytes.Index(src[j+1:], append([]byte{'"'}, bytes.Repeat([]byte{'#'}, hashes)...))
			if end < 0 {
				end = len(src) - j - 1
			}
			stop := j + 1 + end + 1 + hashes
			blank(i, stop)
			i = stop
		case src[i] == '"':
			j := i + 1
			for j < len(src) && src[j] != '"' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			blank(i, j+1)
			i = j + 1
		case src[i] == '\'' && i+2 < len(src) && (src[i+2] == '\'' || src[i+1] == '\\'):
			j := i + 2
			if src[i+1] == '\\' {
				for j < len(src) && src[j] != '\'' && src[j] != '\n' {
					j++
				}
			}
			blank(i, j+1)
			i = j + 1
		default:
			i++
		}
	}
	return out
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

type extractor struct {
	file  string
	src   []byte
	rf    *vtable.RustFile
	diags vtable.Diagnostics
	// module is the path of inline mods the walk is in, e.g. ["tests"].
	module []string
	// attrs counts the vtable attributes the item walk met.
	attrs int
}

func (x *extractor) text(n *ts.Node) string { return n.Utf8Text(x.src) }

func (x *extractor) pos(n *ts.Node) vtable.Range {
	return vtable.Range{Start: int(n.StartByte()), End: int(n.EndByte())}
}

// args returns the parameters of a parameters node, self included.
func (x *extractor) args(params *ts.Node) []vtable.Arg {
	var out []vtable.Arg
	for i := uint(0); i < params.NamedChildCount(); i++ {
		p := params.NamedChild(i)
		switch p.Kind() {
		case "self_parameter":
			out = append(out, vtable.Arg{Name: "self", Type: x.text(p), Self: true, Pos: position(x.file, p.StartPosition())})
		case "parameter":
			a := vtable.Arg{Pos: position(x.file, p.StartPosition())}
			if pat := p.ChildByFieldName("pattern"); pat != nil {
				a.Name = x.text(pat)
			}
			if t := p.ChildByFieldName("type"); t != nil {
				a.Type = x.text(t)
			}
			out = append(out, a)
		case "variadic_parameter":
			out = append(out, vtable.Arg{Name: "...", Type: "...", Pos: position(x.file, p.StartPosition())})
		}
	}
	return out
}

// uses records the names a use declaration's argument n brings into the
// current module, prefix being the path of the enclosing use list:
// "use kernel::{cpufreq, net::phy as p, prelude::*};" gives cpufreq,
// p and a glob.
func (x *extractor) uses(n *ts.Node, prefix []string) {
	add := func(u vtable.Use) {
		u.Module = slices.Clone(x.module)
		x.rf.Uses = append(x.rf.Uses, u)
	}
	split := func(path string) []string {
		path = strings.TrimPrefix(strings.Join(strings.Fields(path), ""), "::")
		return append(slices.Clone(prefix), strings.Split(path, "::")...)
	}
	switch n.Kind() {
	case "identifier", "scoped_identifier", "self", "crate", "super":
		path := split(x.text(n))
		name := path[len(path)-1]
		if name == "self" && len(path) > 1 { // use kernel::cpufreq::{self}
			path = path[:len(path)-1]
			name = path[len(path)-1]
		}
		add(vtable.Use{Name: name, Path: path})
	case "use_as_clause":
		if p, a := n.ChildByFieldName("path"), n.ChildByFieldName("alias"); p != nil && a != nil {
			path := split(x.text(p))
			if path[len(path)-1] == "self" {
				path = path[:len(path)-1]
			}
			add(vtable.Use{Name: x.text(a), Path: path})
		}
	case "use_wildcard":
		text := strings.TrimSuffix(strings.TrimSuffix(x.text(n), "*"), "::")
		var path []string
		if text != "" {
			path = split(text)
		} else {
			path = slices.Clone(prefix)
		}
		add(vtable.Use{Path: path, Glob: true})
	case "scoped_use_list":
		inner := prefix
		if p := n.ChildByFieldName("path"); p != nil {
			inner = split(x.text(p))
		}
		if l := n.ChildByFieldName("list"); l != nil {
			x.uses(l, inner)
		}
	case "use_list":
		for i := uint(0); i < n.NamedChildCount(); i++ {
			x.uses(n.NamedChild(i), prefix)
		}
	}
}

// items scans the children of a source file or mod body for vtable
// items. Attributes are siblings before the item they apply to, with
// comments possibly between them.
func (x *extractor) items(parent *ts.Node) {
	var attrs []*ts.Node
	for _, n := range namedChildren(parent) {
		switch n.Kind() {
		case "attribute_item":
			attrs = append(attrs, n)
			continue
		case "line_comment", "block_comment":
			continue
		case "mod_item":
			if body := n.ChildByFieldName("body"); body != nil {
				x.module = append(x.module, x.text(n.ChildByFieldName("name")))
				x.items(body)
				x.module = x.module[:len(x.module)-1]
			} else {
				// mod x; with or without #[path]: another file holds
				// the module (Path "" where rustc's default finds it).
				path, _ := x.pathAttr(attrs)
				x.rf.PathMods = append(x.rf.PathMods, vtable.PathMod{
					Name: x.text(n.ChildByFieldName("name")), Path: path, Module: slices.Clone(x.module)})
			}
		case "use_declaration":
			if arg := n.ChildByFieldName("argument"); arg != nil {
				from := len(x.rf.Uses)
				x.uses(arg, nil)
				if n.NamedChildCount() > 0 && n.NamedChild(0).Kind() == "visibility_modifier" {
					for i := from; i < len(x.rf.Uses); i++ {
						x.rf.Uses[i].Pub = true // a re-export: pub use self::driver::Driver;
					}
				}
			}
		}
		if vt := x.vtableAttr(attrs); vt != nil {
			x.attrs++
			x.item(vt, n)
		} else if n.Kind() == "impl_item" && n.ChildByFieldName("trait") != nil {
			x.rf.PlainImpls = append(x.rf.PlainImpls, &vtable.Item{
				Kind:   vtable.Impl,
				Name:   x.text(n.ChildByFieldName("type")),
				Self:   x.text(n.ChildByFieldName("type")),
				Trait:  vtable.RustPath(x.text(n.ChildByFieldName("trait"))),
				Pos:    position(x.file, n.StartPosition()),
				File:   x.file,
				Module: slices.Clone(x.module),
			})
		}
		attrs = nil
	}
	// Attributes at the end of a block apply to nothing; rustc reports that.
}

// vtableAttr returns the attribute among attrs whose path ends in vtable.
func (x *extractor) vtableAttr(attrs []*ts.Node) *ts.Node {
	for _, a := range attrs {
		if path := x.attrPath(a); path == "vtable" || strings.HasSuffix(path, "::vtable") {
			return a
		}
	}
	return nil
}

// attrPath returns the path of the attribute in an attribute_item, spaces
// removed, e.g. "macros::vtable" or "cfg".
func (x *extractor) attrPath(item *ts.Node) string {
	attr := item.NamedChild(0)
	if attr == nil || attr.Kind() != "attribute" || attr.NamedChildCount() == 0 {
		return ""
	}
	return strings.Join(strings.Fields(x.text(attr.NamedChild(0))), "")
}

// pathAttr returns the file of a #[path = "file.rs"] attribute among
// attrs, as a plain string literal gives it.
func (x *extractor) pathAttr(attrs []*ts.Node) (string, bool) {
	for _, a := range attrs {
		if x.attrPath(a) != "path" {
			continue
		}
		v := a.NamedChild(0).ChildByFieldName("value")
		if v == nil || v.Kind() != "string_literal" {
			return "", false
		}
		lit := x.text(v)
		if len(lit) < 2 || strings.Contains(lit, "\\") {
			return "", false
		}
		return lit[1 : len(lit)-1], true
	}
	return "", false
}

// item records the item n that carries the vtable attribute attr.
func (x *extractor) item(attr, n *ts.Node) {
	it := &vtable.Item{
		Pos:    position(x.file, n.StartPosition()),
		Attr:   x.pos(attr),
		File:   x.file,
		Module: slices.Clone(x.module),
	}
	if g := n.ChildByFieldName("type_parameters"); g != nil {
		it.Generics = x.text(g)
	}
	for i := uint(0); i < n.ChildCount(); i++ {
		switch c := n.Child(i); c.Kind() {
		case "where_clause":
			it.Where = x.text(c)
		case "unsafe":
			it.Unsafe = true
		}
	}
	switch n.Kind() {
	case "trait_item":
		it.Kind = vtable.Trait
		it.Name = x.text(n.ChildByFieldName("name"))
	case "impl_item":
		trait := n.ChildByFieldName("trait")
		if trait == nil {
			x.diags.Add(position(x.file, attr.StartPosition()),
				"#[vtable] on an inherent impl of %s: it applies only to a trait or a trait impl", x.text(n.ChildByFieldName("type")))
			return
		}
		it.Kind = vtable.Impl
		it.Trait = vtable.RustPath(x.text(trait))
		it.Self = x.text(n.ChildByFieldName("type"))
		it.Name = it.Self
	default:
		x.diags.Add(position(x.file, attr.StartPosition()),
			"#[vtable] on %s: it applies only to a trait or a trait impl", describe(n.Kind()))
		return
	}
	body := n.ChildByFieldName("body")
	if body == nil || body.Kind() != "declaration_list" {
		return // a syntax error, reported already
	}
	// Between the braces; a brace tree-sitter had to assume (MISSING) has
	// no bytes, so the range stops where the source does.
	it.Body = vtable.Range{Start: int(body.StartByte()) + 1, End: int(body.EndByte())}
	if last := body.Child(body.ChildCount() - 1); last != nil && last.Kind() == "}" && !last.IsMissing() {
		it.Body.End = int(last.StartByte())
	}
	it.Body.End = max(it.Body.End, it.Body.Start)
	var attrs []*ts.Node
	for _, c := range namedChildren(body) {
		switch c.Kind() {
		case "attribute_item":
			attrs = append(attrs, c)
			continue
		case "line_comment", "block_comment":
			continue
		case "function_item", "function_signature_item":
			name := c.ChildByFieldName("name")
			m := &vtable.Method{
				Name:     vtable.RustIdent(x.text(name)),
				Required: c.Kind() == "function_signature_item",
				HasBody:  c.Kind() == "function_item",
				Cfg:      x.cfgs(attrs),
				Pos:      position(x.file, name.StartPosition()),
			}
			if it.Kind == vtable.Impl {
				m.Required = false
			}
			if p := c.ChildByFieldName("parameters"); p != nil {
				m.Params = x.text(p)
				m.Args = x.args(p)
			}
			if r := c.ChildByFieldName("return_type"); r != nil {
				m.Result = x.text(r)
				m.ResultPos = position(x.file, r.StartPosition())
			}
			for _, a := range attrs {
				switch x.attrPath(a) {
				case "cfg":
					m.CfgAttrs = append(m.CfgAttrs, x.text(a))
				case "optional":
					m.Optional, m.OptionalAttr = true, x.pos(a)
				}
			}
			if !m.HasBody {
				if last := c.Child(c.ChildCount() - 1); last != nil && last.Kind() == ";" {
					m.Semicolon = x.pos(last)
				}
			}
			it.Methods = append(it.Methods, m)
		case "const_item":
			name := c.ChildByFieldName("name")
			k := &vtable.Const{Name: vtable.RustIdent(x.text(name)), User: true, Pos: position(x.file, name.StartPosition())}
			if t := c.ChildByFieldName("type"); t != nil {
				k.Type = x.text(t)
			}
			if v := c.ChildByFieldName("value"); v != nil {
				k.Expr = x.text(v)
				if v.Kind() == "boolean_literal" {
					b := k.Expr == "true"
					k.Value = &b
				}
			}
			it.Consts = append(it.Consts, k)
		case "associated_type":
			if name := c.ChildByFieldName("name"); name != nil {
				it.Types = append(it.Types, vtable.RustIdent(x.text(name)))
			}
		case "type_item":
			if name := c.ChildByFieldName("name"); name != nil {
				it.Types = append(it.Types, vtable.RustIdent(x.text(name)))
			}
		}
		attrs = nil
	}
	x.rf.Items = append(x.rf.Items, it)
}

// scan walks the whole tree once, before anything else reads it: it
// returns the first node nested deeper than maxDepth, if any, and a warning
// for each vtable attribute inside a macro invocation or a macro_rules!
// definition: its tokens are not parsed as items, so it cannot be
// expanded, and it must not be dropped silently.
func (x *extractor) scan(tree *ts.Tree) (warnings vtable.Diagnostics, deep *vtable.Diagnostic) {
	c := tree.RootNode().Walk()
	defer c.Close()
	var inside []string // the kind of each enclosing macro node
	var depthOf []uint
	depth := uint(0)
	for {
		n := c.Node()
		if depth > maxDepth {
			// The syntax tree has about two levels per bracket: say how
			// deep the brackets are here, which is what the user wrote.
			_, open := bracketDepth(x.src[:n.StartByte()])
			return nil, &vtable.Diagnostic{Pos: position(x.file, n.StartPosition()),
				Msg: fmt.Sprintf("nested %d brackets deep: more than vtablegen reads (%d levels of syntax)", open, maxDepth)}
		}
		for len(depthOf) > 0 && depthOf[len(depthOf)-1] >= depth {
			inside, depthOf = inside[:len(inside)-1], depthOf[:len(depthOf)-1]
		}
		switch n.Kind() {
		case "macro_invocation", "macro_definition":
			inside, depthOf = append(inside, n.Kind()), append(depthOf, depth)
		case "#":
			if len(inside) > 0 {
				if next := n.NextSibling(); next != nil && next.Kind() == "token_tree" && x.isVtablePath(next) {
					what := "a macro invocation"
					if inside[len(inside)-1] == "macro_definition" {
						what = "a macro_rules! definition"
					}
					warnings.Warn(position(x.file, n.StartPosition()),
						"#[vtable] inside %s is not expanded: vtablegen reads items, not macro tokens", what)
				}
			}
		}
		if c.GotoFirstChild() {
			depth++
			continue
		}
		for !c.GotoNextSibling() {
			if !c.GotoParent() {
				return warnings, nil
			}
			depth--
		}
	}
}

// isVtablePath reports a token tree "[vtable]", "[macros::vtable]", ...
func (x *extractor) isVtablePath(tt *ts.Node) bool {
	text := strings.Join(strings.Fields(x.text(tt)), "")
	if !strings.HasPrefix(text, "[") || !strings.HasSuffix(text, "]") {
		return false
	}
	path := text[1 : len(text)-1]
	return path == "vtable" || strings.HasSuffix(path, "::vtable")
}

// cfgs returns the predicates of the #[cfg(...)] attributes among attrs, as
// written, e.g. `feature = "compat"`.
func (x *extractor) cfgs(attrs []*ts.Node) []string {
	var out []string
	for _, a := range attrs {
		if x.attrPath(a) != "cfg" {
			continue
		}
		args := a.NamedChild(0).ChildByFieldName("arguments")
		if args == nil {
			continue
		}
		s := x.text(args)
		s = strings.TrimSuffix(strings.TrimPrefix(s, "("), ")")
		out = append(out, strings.TrimSpace(s))
	}
	return out
}

// describe names a tree-sitter item kind for a message, e.g. "a struct".
func describe(kind string) string {
	switch kind {
	case "struct_item":
		return "a struct"
	case "enum_item":
		return "an enum"
	case "union_item":
		return "a union"
	case "function_item":
		return "a fn"
	case "mod_item":
		return "a mod"
	case "const_item", "static_item":
		return "a " + strings.TrimSuffix(kind, "_item")
	case "type_item":
		return "a type alias"
	case "macro_invocation", "macro_definition":
		return "a macro"
	}
	return strings.ReplaceAll(strings.TrimSuffix(kind, "_item"), "_", " ")
}

// checkText rejects input that is not Rust source text before it reaches
// the parser: a NUL byte (a binary file) or bytes that are not UTF-8, which
// rustc rejects too. The position is that of the first offending byte.
func checkText(file string, src []byte) *vtable.Diagnostic {
	line, col := 1, 1
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		var msg string
		switch {
		case r == 0:
			msg = "a NUL byte: this is a binary file, not Rust source"
		case r == utf8.RuneError && size == 1:
			msg = fmt.Sprintf("byte 0x%02x is not UTF-8: Rust source must be UTF-8", src[i])
		}
		if msg != "" {
			return &vtable.Diagnostic{Pos: token.Position{Filename: file, Offset: i, Line: line, Column: col}, Msg: msg}
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col += size
		}
		i += size
	}
	return nil
}

// deeperThan reports brackets nested deeper than n in src.
func deeperThan(src []byte, n int) bool {
	most, _ := bracketDepth(src)
	return most > n
}

// bracketDepth is the deepest nesting of brackets in src, counted over
// bytes (brackets in strings and comments count too): a cheap bound that
// tells the files that may nest too deep from those that cannot. At the
// end, depth is how many are still open (of a prefix of a file: the
// nesting where it stops).
func bracketDepth(src []byte) (most, depth int) {
	for _, c := range src {
		switch c {
		case '(', '[', '{':
			depth++
			most = max(most, depth)
		case ')', ']', '}':
			depth--
		}
	}
	return most, depth
}

// maxDepth bounds the nesting of a Rust source's syntax tree; real code
// stays under 100 and rustc's own parser gives up long before 100,000.
const maxDepth = 1000

// namedChildren returns the named children of n, walked once with a
// cursor: NamedChild(i) starts from the first child on every call, which
// is quadratic over a file's top level.
func namedChildren(n *ts.Node) []*ts.Node {
	c := n.Walk()
	defer c.Close()
	kids := n.NamedChildren(c)
	out := make([]*ts.Node, len(kids))
	for i := range kids {
		out[i] = &kids[i]
	}
	return out
}
