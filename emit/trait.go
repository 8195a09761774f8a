package emit

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/vtablegen/vtablegen/vtable"
)

// TraitOptions say how a trait skeleton is written.
type TraitOptions struct {
	// Name is the trait's name, e.g. "FileOperations".
	Name string
	// Kernel writes the kernel's form: types under bindings::, and each
	// default body the kernel's build_error!(VTABLE_DEFAULT_ERROR).
	// Otherwise the userspace form: types from the module the generated
	// <struct>_vtable.rs declares, and a default body that says it is
	// never called.
	Kernel bool
	// Types spell the C types; in userspace, with Types.Path empty, the
	// declared types are imported from the generated module.
	Types vtable.RustTypes
}

// TraitMethod is one method of a trait skeleton and the member it fills.
type TraitMethod struct {
	Member *vtable.Member
	// Name is the method's name: the member's, with a trailing "_" when
	// that is a Rust keyword (the binding then names the method).
	Name string
	// Skipped says why the member has no method (a type Rust cannot
	// spell, a variadic function); empty when it has one.
	Skipped string
}

// TraitMethods lists the function members of s, anonymous members'
// fields included, as the methods of a trait skeleton.
func TraitMethods(s *vtable.Struct, rt vtable.RustTypes) []TraitMethod {
	var out []TraitMethod
	for _, m := range s.FuncMembers() {
		tm := TraitMethod{Member: m, Name: vtable.RustName(string(m.Name))}
		if _, _, err := traitSignature(m, rt); err != nil {
			tm.Skipped = err.Error()
		}
		out = append(out, tm)
	}
	return out
}

// traitSignature spells member m's parameters (named after the C ones, or
// argN, with a leading "_" since a default body uses none) and its result
// (empty for void).
func traitSignature(m *vtable.Member, rt vtable.RustTypes) (params []string, ret string, err error) {
	f := m.Func
	if f == nil {
		return nil, "", fmt.Errorf("not a function pointer")
	}
	if f.Variadic {
		return nil, "", fmt.Errorf("variadic: Rust cannot define a C-variadic method")
	}
	for i, p := range f.Params {
		typ, err := rt.Spell(p.CType)
		if err != nil {
			return nil, "", fmt.Errorf("parameter %d: %v", i+1, err)
		}
		name := string(p.Name)
		if name == "" {
			name = fmt.Sprintf("arg%d", i)
		}
		params = append(params, "_"+name+": "+typ)
	}
	if r := f.ResultType; r != nil && (r.Kind != vtable.Void || r.Typedef != "") {
		ret, err = rt.Spell(r)
		if err != nil {
			return nil, "", fmt.Errorf("result: %v", err)
		}
	}
	return params, ret, nil
}

// Trait renders the vtable trait skeleton of struct s: one method per
// function member, named and typed after it (the C types as bindgen spells
// them), the header's comment above the member as its doc comment, and a
// default body, so that an impl defines only what it implements and the
// generated table leaves the rest NULL. It is a starting point and the
// user's file from then on: no "Code generated" marker.
func Trait(s *vtable.Struct, o TraitOptions) []byte {
	rt := o.Types
	var p Printer
	p.Unit = "    "
	p.P("// The #[vtable] trait of ", s.CType(), " (", CommentText(filepath.Base(s.Pos.Filename)), ":", s.Pos.Line, "), written by 'vtablegen trait':")
	p.P("// one method per function member, typed from the header. It is yours from")
	p.P("// now on: rename, retype (vtablegen adapts references, slices, &CStr, bool")
	p.P("// and Result; see README.md) and document it; 'vtablegen gen' binds it.")
	methods := TraitMethods(s, rt)
	if !o.Kernel && rt.Path == "" {
		// The C types are declared by the generated <struct>_vtable.rs,
		// include!d next to this file.
		ffi, types := traitImports(methods, rt)
		if names := ffiNames(strings.Join(ffi, " ")); len(names) > 0 {
			p.P()
			p.P("#[allow(unused_imports)]")
			p.P("use ::core::ffi::{", strings.Join(names, ", "), "};")
		}
		if len(types) > 0 {
			p.P("// The header's types, as the generated ", s.Ident(), "_vtable.rs declares them;")
			p.P("// include!() both files in the same module.")
			p.P("#[allow(unused_imports)]")
			p.P("use self::", s.Ident(), "_vtable::{", strings.Join(types, ", "), "};")
		}
	}
	p.P()
	p.P("/// The operations of `", s.CType(), "`: an impl defines the methods it implements,")
	p.P("/// and every other member is NULL in its table, so that the C side takes")
	p.P("/// its default.")
	p.P("#[vtable]")
	p.P("#[allow(non_snake_case, clippy::too_many_arguments)]")
	p.P("pub trait ", o.Name, " {")
	p.In()
	first := true
	for _, tm := range methods {
		m := tm.Member
		if !first {
			p.P()
		}
		first = false
		if tm.Skipped != "" {
			p.P("// ", m.Name, ": no method (", CommentText(tm.Skipped), "); the member stays NULL.")
			continue
		}
		params, ret, _ := traitSignature(m, rt)
		if m.Doc != "" {
			for _, l := range strings.Split(m.Doc, "\n") {
				if l == "" {
					p.P("///")
				} else {
					p.P("/// ", l)
				}
			}
			p.P("///")
		}
		p.P("/// Fills `", s.Ident(), ".", m.Name, "` (`", CommentText(m.Type), "`).")
		if !o.Kernel {
			p.P("/// The default is never called: without an impl of its own, the member is NULL.")
		}
		if ret != "" {
			ret = " -> " + ret
		}
		fnHeader(&p, "fn "+tm.Name, params, ret)
		p.In()
		if o.Kernel {
			p.P("kernel::build_error!(kernel::error::VTABLE_DEFAULT_ERROR)")
		} else {
			p.P("unreachable!(\"", s.Ident(), ".", m.Name, " is NULL for an impl without ", tm.Name, "\")")
		}
		p.Out()
		p.P("}")
	}
	p.Out()
	p.P("}")
	return p.Content()
}

// traitImports are what the trait file's signatures name: their text,
// for the core::ffi names, and the C types the generated file declares,
// by their Rust names.
func traitImports(methods []TraitMethod, rt vtable.RustTypes) (ffi, types []string) {
	var decls vtable.Declarations
	for _, tm := range methods {
		if tm.Skipped != "" {
			continue
		}
		params, ret, _ := traitSignature(tm.Member, rt)
		ffi = append(ffi, params...)
		ffi = append(ffi, ret)
		decls.Collect(rt, tm.Member.Func.ResultType)
		for _, prm := range tm.Member.Func.Params {
			decls.Collect(rt, prm.CType)
		}
	}
	for _, n := range decls.Names {
		types = append(types, vtable.RustName(n))
	}
	return ffi, types
}

// TraitTypeNames are the Rust names of the C types the trait file of s
// imports (spelled by rt): a trait may not take one of them as its name.
func TraitTypeNames(s *vtable.Struct, rt vtable.RustTypes) []string {
	_, types := traitImports(TraitMethods(s, rt), rt)
	return types
}
