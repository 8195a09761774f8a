package emit

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/vtablegen/vtablegen/vtable"
)

// StarterOptions are the values a starter binding file is written with,
// as they will stand in the file (paths relative to its directory).
type StarterOptions struct {
	// Header is the header, e.g. "device.h".
	Header string
	// CFlags are the C flags the header was read with.
	CFlags []string
	// Trait is the vtable trait; empty leaves the key commented out.
	Trait vtable.RustPath
	// Rust are the Rust sources or globs, e.g. ["*.rs"].
	Rust []string
	// Out is the output directory, e.g. "gen".
	Out string
	// By names the command that writes the file; default "vtablegen init".
	By string
	// Build are key lines that say how the header is read through the
	// build (kbuild_cmd = "...", ...), written in place of header and
	// cflags when Header is empty.
	Build []string
	// Kernel writes rust_style = "kernel" with a skeleton of the adapters.
	Kernel bool
	// Macro is the form of the macro, e.g. "7.2"; empty leaves the key
	// commented out (the newest).
	Macro string
	// Rules are member rules written as they are, before the commented
	// list of members, e.g. `type = "type_"`.
	Rules []string
}

// Starter renders a commented binding file (vtable.toml) for struct s:
// the binding's keys, the rule forms, and every member of the struct with
// its type, position, union and conditions, so that editing it is the only
// step left. It is the user's file from then on, so it carries no "Code
// generated" marker.
func Starter(s *vtable.Struct, o StarterOptions) []byte {
	var p Printer
	p.P("# vtable.toml: binds ", s.CType(), " (", filepath.Base(s.Pos.Filename), ":", s.Pos.Line, ") to a vtable trait.")
	by := o.By
	if by == "" {
		by = "vtablegen init"
	}
	p.P("# Written by '", by, "'; edit it, then run 'vtablegen gen' here.")
	p.P("# Every key is described in README.md, section \"The binding file\".")
	p.P()
	p.P("[[binding]]")
	p.P("struct = ", strconv.Quote(string(s.Ident())))
	if o.Trait != "" {
		p.P("trait = ", strconv.Quote(string(o.Trait)))
	} else {
		p.P("# trait = \"Name\"                      # needed when the Rust sources have several vtable traits")
	}
	if o.Header != "" {
		p.P("header = ", strconv.Quote(o.Header))
	}
	for _, l := range o.Build {
		p.P(l)
	}
	if len(o.CFlags) > 0 {
		p.P("cflags = ", tomlList(o.CFlags))
	} else if len(o.Build) == 0 {
		p.P("# cflags = [\"-DNAME\"]                 # the C flags the header is read with")
	}
	p.P("rust = ", tomlList(o.Rust))
	p.P("out = ", strconv.Quote(o.Out))
	if o.Macro != "" {
		p.P("macro = ", strconv.Quote(o.Macro))
	} else {
		p.P("# macro = \"newest\"                    # or a kernel version such as \"6.12\"")
	}
	if o.Kernel {
		p.P("rust_style = \"kernel\"")
		p.P("skeleton = true                       # writes the adapters' signatures once")
	}
	p.P("# unbound = [\"helper\"]                # trait methods that fill no member on purpose")
	p.P()
	p.P("# [binding.naming]")
	p.P("# callback = ", strconv.Quote(vtable.DefaultCallback))
	p.P("# initializer = ", strconv.Quote(vtable.DefaultInitializer))
	p.P("# c_output = ", strconv.Quote(vtable.DefaultCOutput))
	p.P("# rust_output = ", strconv.Quote(vtable.DefaultRustOutput))
	p.P()
	p.P("[binding.members]")
	p.P("# A function member is filled by the trait method of its name and a data")
	p.P("# member stays zero, unless a rule here says otherwise:")
	p.P("#   member = \"method\"                          filled by another method")
	p.P("#   member = { fallback = \"c_fn\", if = \"m\" }   c_fn for impls without the method (that have m)")
	p.P("#   member = { same_as = \"other\" }             whatever member other holds")
	p.P("#   member = { expr = \"C_EXPRESSION\" }         a C expression, in every impl")
	p.P("#   member = { const = \"NAME\" }                the literal value of a trait const")
	p.P("#   member = { zero = true }                   left zero")
	p.P("#   add required = true to a rule: an impl that leaves the member NULL is an error")
	for _, r := range o.Rules {
		p.P(r)
	}
	starterMembers(&p, s.Members, "")
	return p.Content()
}

// starterMembers lists members as commented rules, the fields of
// anonymous members after a line that says what they are.
func starterMembers(p *Printer, ms []*vtable.Member, in string) {
	for _, m := range ms {
		var where []string
		for _, c := range m.Conds {
			where = append(where, c.Directive)
		}
		cond := ""
		if len(where) > 0 {
			cond = ", under " + strings.Join(where, ", ")
		}
		switch m.Kind {
		case vtable.AnonStruct, vtable.AnonUnion:
			p.P("#")
			if m.Kind == vtable.AnonUnion {
				p.P("# anonymous union (", m.Pos.Line, cond, "): an impl fills one of its members")
			} else {
				p.P("# anonymous struct (", m.Pos.Line, cond, ")")
			}
			starterMembers(p, m.Fields, in+"  ")
		case vtable.Func:
			p.P("#", in, " func ", m.Name, ": ", m.Type, " (line ", m.Pos.Line, cond, ")")
			p.P("# ", m.Name, " = ", strconv.Quote(string(m.Name)))
		default:
			p.P("#", in, " data ", m.Name, ": ", m.Type, " (line ", m.Pos.Line, cond, ")")
			p.P("# ", m.Name, " = { expr = \"\" }")
		}
	}
}

// tomlList spells a list of strings as a TOML array.
func tomlList(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = strconv.Quote(s)
	}
	return fmt.Sprintf("[%s]", strings.Join(q, ", "))
}
