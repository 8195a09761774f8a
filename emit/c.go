package emit

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/vtablegen/vtablegen/vtable"
)

// COptions says how the C output refers to its inputs.
type COptions struct {
	// Include is the header as the #include spells it, e.g. "../device.h",
	// or "<linux/fs.h>" for one on the include path; Includes are more.
	Include  string
	Includes []string
	// CFlags are the C flags the header was read with, e.g. ["-DFEATURE"];
	// the output's header comment records them, since the members it fills
	// depend on them.
	CFlags []string
}

// fromLine is the second line of every file gen writes: what it is made
// from, e.g. "// From struct device_ops (device.h) and #[vtable] trait
// DeviceOps (device.rs).", the struct as C names it.
func fromLine(t *vtable.Table) string {
	s := t.Struct
	name := s.CType()
	if s.Tag == "" && s.Typedef == "" && s.PointerTypedef != "" {
		name = "the struct " + string(s.PointerTypedef) + " points to"
	}
	return "// From " + CommentText(name) + " (" + CommentText(filepath.Base(s.Pos.Filename)) + ") and #[vtable] trait " +
		t.Trait.Name + " (" + CommentText(filepath.Base(t.Trait.Pos.Filename)) + ")."
}

// C renders the C side of a bound table: the "Code generated" header with
// the C flags, an #include of the header, a NULL for headers that do not
// define one, and per impl a prototype of every callback with the member's
// C type, a static assertion per member holding a callback that the
// callback still has the member's type (it fails when the header changes
// and the file is not regenerated), and a const designated initializer
// naming every designated member in declaration order with what its slot
// holds: NULL, a callback, a fallback, an expression or a constant. Everything
// written for a member is wrapped in the member's chain of conditional
// directives, and each impl in the struct's, so one file is right under
// any setting of the header's macros. Zero slots are left out of the
// initializer.
func C(t *vtable.Table, opts COptions) []byte {
	var p Printer
	s := t.Struct
	p.P(Header)
	p.P(fromLine(t))
	if len(opts.CFlags) > 0 {
		p.P("// C flags: ", CommentText(strings.Join(opts.CFlags, " ")))
	}
	p.P()
	for _, inc := range append([]string{opts.Include}, opts.Includes...) {
		if !strings.HasPrefix(inc, "<") {
			inc = strconv.Quote(inc)
		}
		p.P("#include ", inc)
	}
	p.P()
	p.P("#ifndef NULL")
	p.P("#define NULL ((void *)0)")
	p.P("#endif")
	// A struct the header names only inside a prototype's parameters
	// (libevent's struct evbuffer) has that prototype's scope there; the
	// callbacks' prototypes here need it at file scope.
	if tags := prototypeTags(t); len(tags) > 0 {
		p.P()
		for _, tag := range tags {
			p.P(tag, ";")
		}
	}
	// Binding a struct the header deprecates (GLib's GThreadFunctions) is
	// the user's choice, made in the binding; this file only spells it.
	p.P()
	p.P("#pragma GCC diagnostic ignored \"-Wdeprecated-declarations\"")
	for _, b := range t.Impls {
		p.P()
		conds(&p, s.Conds, func() {
			p.P("/* impl ", t.Trait.Name, " for ", CommentText(b.Impl.Self), " */")
			for _, sl := range b.Slots {
				if sl.Callback == "" || !sl.Designated {
					continue
				}
				conds(&p, sl.Member.Conds, func() {
					if sl.Kind == vtable.Callback {
						p.P(sl.Member.Func.Prototype(sl.Callback), ";")
					}
					p.P("_Static_assert(__builtin_types_compatible_p(__typeof__(((", s.CType(), " *)0)->", sl.Member.Name,
						"), __typeof__(&", sl.Callback, ")),")
					p.In()
					p.P(strconv.Quote(fmt.Sprintf("%s.%s does not have the type of %s (%s): the header changed, regenerate",
						s.Ident(), sl.Member.Name, sl.Callback, filler(b, sl))), ");")
					p.Out()
				})
			}
			p.P()
			p.P("const ", s.CType(), " ", b.Initializer, " = {")
			p.In()
			for _, sl := range b.Slots {
				if !sl.Designated {
					continue
				}
				conds(&p, sl.Member.Conds, func() {
					p.P(".", sl.Member.Name, " = ", sl.CValue(), ",")
				})
			}
			p.Out()
			p.P("};")
		})
	}
	return p.Content()
}

// filler says which Rust method a callback slot calls, e.g.
// "LedDevice::open", or for a same-as slot, "as xConnect: Table::connect".
func filler(b *vtable.BoundImpl, sl *vtable.Slot) string {
	prefix := ""
	for sl.Kind == vtable.SameAs {
		prefix += "as " + string(sl.Source.Member.Name) + ": "
		sl = sl.Source
	}
	return prefix + b.Impl.Self + "::" + string(sl.Method.Name)
}

// CommentText makes text from an input (a file name, a Rust type) safe in
// a generated comment: text with a line break, another control character,
// or an end of block comment is quoted as a Go string literal would be,
// and "*/" broken up, so no input can start a line of code.
func CommentText(text string) string {
	safe := true
	for _, c := range text {
		if c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029 {
			safe = false
		}
	}
	if !safe {
		text = strconv.Quote(text)
	}
	return strings.ReplaceAll(text, "*/", "* /")
}

// conds writes what body writes inside the chain of conditional
// directives cs, one #if per link, at the start of the line.
func conds(p *Printer, cs []vtable.Cond, body func()) {
	indent := p.indent
	p.indent = ""
	for _, c := range cs {
		p.P(c.If)
	}
	p.indent = indent
	body()
	p.indent = ""
	for range cs {
		p.P("#endif")
	}
	p.indent = indent
}

// prototypeTags are the struct and union tags ("struct evbuffer") the
// callbacks' prototypes spell, in the order first met.
func prototypeTags(t *vtable.Table) []string {
	var out []string
	seen := map[string]bool{}
	var walk func(ct *vtable.Type)
	walk = func(ct *vtable.Type) {
		if ct == nil || ct.Typedef != "" {
			return
		}
		switch ct.Kind {
		case vtable.Pointer, vtable.Array:
			walk(ct.Elem)
		case vtable.Function:
			if ct.Func != nil {
				walk(ct.Func.ResultType)
				for _, p := range ct.Func.Params {
					walk(p.CType)
				}
			}
		case vtable.StructType, vtable.UnionType:
			if ct.Name == "" {
				return
			}
			kw := "struct "
			if ct.Kind == vtable.UnionType {
				kw = "union "
			}
			if tag := kw + ct.Name; !seen[tag] {
				seen[tag] = true
				out = append(out, tag)
			}
		}
	}
	for _, b := range t.Impls {
		for _, sl := range b.Slots {
			if sl.Kind == vtable.Callback && sl.Designated && sl.Member.Func != nil {
				walk(sl.Member.Func.ResultType)
				for _, p := range sl.Member.Func.Params {
					walk(p.CType)
				}
			}
		}
	}
	return out
}
