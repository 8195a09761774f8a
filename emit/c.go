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
	// Include is the header as the #include spells it, e.g. "../device.h".
	Include string
	// CFlags are the C flags the header was read with, e.g. ["-DFEATURE"];
	// the output's header comment records them, since the members it fills
	// depend on them.
	CFlags []string
}

// C renders the C side of a bound table: the "Code generated" header with
// the C flags, an #include of the header, a NULL for headers that do not
// define one, and per impl a prototype of every callback with the member's
// C type, a static assertion that the callback still has the member's type
// (it fails when the header changes and the file is not regenerated), and
// a const designated initializer naming every designated function member
// in declaration order, NULL where the impl has no method. Everything
// written for a member is wrapped in the member's chain of conditional
// directives, and each impl in the struct's, so one file is right under
// any setting of the header's macros. Data members are left out of the
// initializer and so stay zero.
func C(t *vtable.Table, opts COptions) []byte {
	var p Printer
	s := t.Struct
	p.P(Header)
	p.P("// From struct ", s.Ident(), " (", filepath.Base(s.Pos.Filename), ") and #[vtable] trait ", t.Trait.Name, " (", filepath.Base(t.Trait.Pos.Filename), ").")
	if len(opts.CFlags) > 0 {
		p.P("// C flags: ", strings.Join(opts.CFlags, " "))
	}
	p.P()
	p.P("#include ", strconv.Quote(opts.Include))
	p.P()
	p.P("#ifndef NULL")
	p.P("#define NULL ((void *)0)")
	p.P("#endif")
	for _, b := range t.Impls {
		p.P()
		conds(&p, s.Conds, func() {
			p.P("/* impl ", t.Trait.Name, " for ", b.Impl.Self, " */")
			for _, sl := range b.Slots {
				if sl.Callback == "" {
					continue
				}
				conds(&p, sl.Member.Conds, func() {
					p.P(sl.Member.Func.Prototype(sl.Callback), ";")
					p.P("_Static_assert(__builtin_types_compatible_p(__typeof__(((", s.CType(), " *)0)->", sl.Member.Name,
						"), __typeof__(&", sl.Callback, ")),")
					p.In()
					p.P(strconv.Quote(fmt.Sprintf("%s.%s does not have the type of %s (%s::%s): the header changed, regenerate",
						s.Ident(), sl.Member.Name, sl.Callback, b.Impl.Self, sl.Method.Name)), ");")
					p.Out()
				})
			}
			p.P()
			p.P("const ", s.CType(), " ", InitializerName(t, b), " = {")
			p.In()
			for _, sl := range b.Slots {
				if !sl.Designated {
					continue
				}
				value := "NULL"
				if sl.Callback != "" {
					value = string(sl.Callback)
				}
				conds(&p, sl.Member.Conds, func() {
					p.P(".", sl.Member.Name, " = ", value, ",")
				})
			}
			p.Out()
			p.P("};")
		})
	}
	return p.Content()
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

// InitializerName is the C name of an impl's initializer,
// <impl in snake case>_<struct>, e.g. led_device_device_ops.
func InitializerName(t *vtable.Table, b *vtable.BoundImpl) string {
	return b.Symbol + "_" + string(t.Struct.Ident())
}
