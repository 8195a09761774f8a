package emit

import (
	"regexp"
	"slices"
	"strings"

	"github.com/vtablegen/vtablegen/vtable"
)

// RustVtable renders the Rust side of a bound table, for a program that
// include!s it where the trait and its impls are in scope: a module named
// after the struct holding
//
//   - when the binding names no Rust path for C's types, the declarations
//     of those the struct's function members use (opaque structs, typedef
//     aliases);
//   - per function member a method fills, a generic trampoline
//     "unsafe extern "C" fn <member>_callback<T: Trait>(...)" with the
//     member's C signature, calling T's method through the adaptations of
//     its plan (see package vtable);
//   - per impl, the #[no_mangle] symbols the C initializers name, each a
//     call of the trampoline for that impl.
//
// A panic in a method does not unwind into C: Rust aborts the process when
// a panic reaches an extern "C" function.
func RustVtable(t *vtable.Table) []byte {
	s := t.Struct
	rt := t.Binding.Rust.Types
	var body Printer
	body.Unit = "    "
	body.In()

	// The declarations the C signatures need, in the order first used,
	// and those of the struct's own members when it is declared here.
	var decls vtable.Declarations
	for _, c := range t.Calls {
		decls.Collect(rt, c.Member.Func.ResultType)
		for _, p := range c.Member.Func.Params {
			decls.Collect(rt, p.CType)
		}
	}
	if t.Rust != nil {
		for _, m := range s.FuncMembers() {
			decls.Collect(rt, m.CType)
		}
		for _, f := range t.Rust.Fields {
			collectFieldDecls(&decls, rt, f)
		}
		if rt.Declares(t.Rust.Name) {
			// The struct is declared below with its layout: a member or
			// parameter pointing to it (struct node_ops *self) names
			// that one, and its tag, where the typedef names it
			// (typedef struct _Funcs Funcs), is an alias of it.
			decls.Drop(string(s.Ident()))
			if s.Tag != "" && s.Tag != s.Ident() {
				decls.Set(string(s.Tag), "pub type "+vtable.RustName(string(s.Tag))+" = "+t.Rust.Name+";")
			}
		}
	}
	if len(decls.Names) > 0 {
		body.P("// The C types the callbacks use, declared here (not under rust_types):")
		body.P("// structs opaque (bytes of their size where it is known), typedefs as")
		body.P("// aliases.")
		for _, n := range decls.Names {
			for _, line := range strings.Split(decls.Decl[n], "\n") {
				body.P(line)
			}
		}
		body.P()
	}

	// The trait and the impls' types are named from the including module:
	// a C type this module declares may have the same name (GLib's
	// GSourceFuncs, trait GSourceFuncs) and would shadow them.
	trait := "super::" + t.Trait.Name
	helpers := map[string]bool{}
	for _, c := range t.Calls {
		if c.Plan == nil {
			continue
		}
		for _, a := range c.Plan.Args {
			switch a.Adapt {
			case vtable.PassSlice:
				helpers[map[bool]string{false: "bytes", true: "bytes_mut"}[a.Mut]] = true
			case vtable.PassRef:
				helpers[map[bool]string{false: "pointee", true: "pointee_mut"}[a.Mut]] = true
			}
		}
	}
	// The reference a method takes, of the type its signature says: the
	// trait's file may name that type in a scope these functions lack.
	if helpers["pointee"] {
		body.P("/// `*p` as the reference the method takes.")
		body.P("unsafe fn pointee<'a, U, P>(p: *const P) -> &'a U {")
		body.In()
		body.P("unsafe { &*p.cast::<U>() }")
		body.Out()
		body.P("}")
		body.P()
	}
	if helpers["pointee_mut"] {
		body.P("/// `*p` as the mutable reference the method takes.")
		body.P("unsafe fn pointee_mut<'a, U, P>(p: *mut P) -> &'a mut U {")
		body.In()
		body.P("unsafe { &mut *p.cast::<U>() }")
		body.Out()
		body.P("}")
		body.P()
	}
	if helpers["bytes"] {
		body.P("/// The `n` bytes at `p`; none when `n` is 0, whatever `p` is.")
		body.P("unsafe fn bytes<'a>(p: *const u8, n: usize) -> &'a [u8] {")
		sliceHelper(&body, "::core::slice::from_raw_parts(p, n)", "&[]")
		body.P()
	}
	if helpers["bytes_mut"] {
		body.P("/// The `n` bytes at `p`, to write; none when `n` is 0, whatever `p` is.")
		body.P("unsafe fn bytes_mut<'a>(p: *mut u8, n: usize) -> &'a mut [u8] {")
		sliceHelper(&body, "::core::slice::from_raw_parts_mut(p, n)", "&mut []")
		body.P()
	}
	for _, c := range t.Calls {
		if c.Plan == nil {
			continue
		}
		body.P("/// Calls `T::", c.Method.Name, "` for `", s.Ident(), ".", c.Member.Name, "`.")
		fnHeader(&body, "pub unsafe extern \"C\" fn "+string(c.Member.Name)+"_callback<T: "+trait+">", c.Plan.Params, c.Plan.Ret)
		body.In()
		trampolineBody(&body, c.Plan, string(c.Method.Name))
		body.Out()
		body.P("}")
		body.P()
	}
	if t.Rust != nil {
		rustStruct(&body, t, rt.Declares(t.Rust.Name))
	}
	for _, b := range t.Impls {
		var exports []*vtable.Slot
		for _, sl := range b.Slots {
			if sl.Kind == vtable.Callback && sl.Designated && sl.Plan != nil {
				exports = append(exports, sl)
			}
		}
		if len(exports) == 0 {
			continue
		}
		body.P("// impl ", t.Trait.Name, " for ", CommentText(b.Impl.Self), ": the symbols ", b.Initializer, " names.")
		for _, sl := range exports {
			body.P("#[unsafe(no_mangle)]")
			fnHeader(&body, "pub unsafe extern \"C\" fn "+string(sl.Callback), sl.Plan.Params, sl.Plan.Ret)
			body.In()
			unsafeCall(&body, string(sl.Member.Name)+"_callback::<"+superPath(b.Impl.Self)+">", sl.Plan.CNames)
			body.Out()
			body.P("}")
			body.P()
		}
	}

	var p Printer
	p.Unit = "    "
	p.P(Header)
	p.P(RustMarker)
	p.P(fromLine(t))
	p.P("// include!() it where the trait and its impls are in scope.")
	p.P()
	attrList(&p, "allow", []string{"non_camel_case_types", "non_snake_case", "dead_code", "unused_imports", "unused_unsafe", "clippy::all"})
	p.P("pub mod ", s.Ident(), "_vtable {")
	p.In()
	if used := ffiNames(body.buf.String()); len(used) > 0 {
		p.P("use ::core::ffi::{", strings.Join(used, ", "), "};")
		p.P()
	}
	p.P("use super::*;")
	p.Out()
	p.P()
	p.buf.WriteString(strings.TrimRight(body.buf.String(), "\n") + "\n")
	p.P("}")
	return p.Content()
}

// maxWidth is rustfmt's max_width, and callWidth its fn_call_width: the
// widest a line, and a call's arguments on one line, may be.
const (
	maxWidth    = 100
	callWidth   = 60
	attrFnWidth = 70
)

// attrList writes #[name(items)], its items one per line when they do
// not fit as rustfmt's attr_fn_like_width says.
func attrList(p *Printer, name string, items []string) {
	list := strings.Join(items, ", ")
	if len(list) <= attrFnWidth && p.Width()+len(name)+len(list)+5 <= maxWidth {
		p.P("#[", name, "(", list, ")]")
		return
	}
	p.P("#[", name, "(")
	p.In()
	for i, it := range items {
		if i < len(items)-1 {
			it += ","
		}
		p.P(it)
	}
	p.Out()
	p.P(")]")
}

// fnHeader writes "head(params) ret {" on one line when it fits, and
// otherwise with one parameter per line, as rustfmt lays it out.
func fnHeader(p *Printer, head string, params []string, ret string) {
	line := head + "(" + strings.Join(params, ", ") + ")" + ret + " {"
	if p.Width()+len(line) <= maxWidth {
		p.P(line)
		return
	}
	p.P(head, "(")
	p.In()
	for _, x := range params {
		p.P(x, ",")
	}
	p.Out()
	p.P(")", ret, " {")
}

// callLines writes "prefix fn(args)suffix", its arguments one per line
// when they do not fit as rustfmt's fn_call_width says.
func callLines(p *Printer, prefix, fn string, args []string, suffix string) {
	list := strings.Join(args, ", ")
	line := prefix + fn + "(" + list + ")" + suffix
	if len(list) <= callWidth && p.Width()+len(line) <= maxWidth {
		p.P(line)
		return
	}
	p.P(prefix, fn, "(")
	p.In()
	for _, a := range args {
		p.P(a, ",")
	}
	p.Out()
	p.P(")", suffix)
}

// unsafeCall writes "unsafe { fn(args) }", on one line when it fits.
func unsafeCall(p *Printer, fn string, args []string) {
	list := strings.Join(args, ", ")
	line := "unsafe { " + fn + "(" + list + ") }"
	if len(list) <= callWidth && p.Width()+len(line) <= maxWidth {
		p.P(line)
		return
	}
	p.P("unsafe {")
	p.In()
	callLines(p, "", fn, args, "")
	p.Out()
	p.P("}")
}

// sliceHelper writes the body of bytes or bytes_mut.
func sliceHelper(p *Printer, make, empty string) {
	p.In()
	p.P("if n == 0 {")
	p.In()
	p.P(empty)
	p.Out()
	p.P("} else {")
	p.In()
	p.P("unsafe { ", make, " }")
	p.Out()
	p.P("}")
	p.Out()
	p.P("}")
}

// trampolineBody writes the body of a trampoline: the adapted arguments
// bound to locals, then the call of T's method with its result adapted.
func trampolineBody(p *Printer, plan *vtable.Plan, method string) {
	var args []string
	for _, a := range plan.Args {
		c := plan.CNames[a.C[0]]
		switch a.Adapt {
		case vtable.PassRaw:
			args = append(args, c)
		case vtable.PassCast:
			// A pointer's target type is the method's parameter type,
			// inferred: the trait's file may name it in a scope the
			// trampolines do not have.
			if strings.HasPrefix(a.Target, "*") {
				args = append(args, c+".cast()")
			} else {
				args = append(args, c+" as "+a.Target)
			}
		case vtable.PassRef:
			fn := "pointee"
			if a.Mut {
				fn = "pointee_mut"
			}
			p.P("let ", c, " = unsafe { ", fn, "(", c, ") };")
			args = append(args, c)
		case vtable.PassSlice:
			fn := "bytes"
			if a.Mut {
				fn = "bytes_mut"
			}
			p.P("let ", c, " = unsafe { ", fn, "(", c, ".cast(), ", plan.CNames[a.C[1]], " as usize) };")
			args = append(args, c)
		case vtable.PassCStr:
			p.P("let ", c, " = unsafe { ::core::ffi::CStr::from_ptr(", c, ") };")
			args = append(args, c)
		case vtable.PassBool:
			args = append(args, c+" != 0")
		}
	}
	fn := "T::" + method
	res := strings.TrimPrefix(plan.Ret, " -> ")
	switch plan.Result {
	case vtable.ReturnCast:
		if strings.HasPrefix(res, "*") {
			callLines(p, "", fn, args, ".cast()")
		} else {
			callLines(p, "", fn, args, " as "+res)
		}
	case vtable.ReturnBool:
		callLines(p, "", fn, args, " as "+res)
	case vtable.ReturnVia:
		callLines(p, "let result = ", fn, args, ";")
		p.P(plan.ResultFn, "(result)")
	case vtable.ReturnNone:
		callLines(p, "", fn, args, ";")
	default:
		callLines(p, "", fn, args, "")
	}
}

var ffiName = regexp.MustCompile(`\bc_(void|char|schar|uchar|short|ushort|int|uint|long|ulong|longlong|ulonglong)\b`)

// ffiNames lists the core::ffi type names text uses, sorted.
func ffiNames(text string) []string {
	var out []string
	for _, m := range ffiName.FindAllString(text, -1) {
		if !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	slices.Sort(out)
	return out
}

// collectFieldDecls adds the declarations a field's type needs.
func collectFieldDecls(d *vtable.Declarations, rt vtable.RustTypes, f *vtable.RustField) {
	if f.Member != nil {
		d.Collect(rt, f.Member.CType)
	}
	for _, x := range f.Fields {
		collectFieldDecls(d, rt, x)
	}
}

// rustStruct writes the Rust side of the struct: with declare, its
// #[repr(C)] declaration and compile-time assertions of cc/v4's layout of
// it; then the extern declarations of fallbacks and the VTABLE.
func rustStruct(p *Printer, t *vtable.Table, declare bool) {
	rs := t.Rust
	if declare {
		p.P("/// The C ", t.Struct.CType(), ", laid out as the header lays it out: the")
		p.P("/// assertions below fail the build when the header changes.")
		align := int64(0)
		if rs.Bitfields {
			align = rs.Align // its bitfields are stored as bytes
		}
		aggregateDecl(p, "struct", rs.Name, rs.Fields, align)
		p.P()
		// The layout as cc/v4 computed it, under the configuration the
		// header was read with.
		p.P("#[rustfmt::skip]")
		if len(rs.Cfgs) > 0 {
			p.P("#[cfg(all(", strings.Join(rs.Cfgs, ", "), "))]")
		}
		p.P("const _: () = {")
		p.In()
		p.P("assert!(::core::mem::size_of::<", rs.Name, ">() == ", rs.Size, ");")
		p.P("assert!(::core::mem::align_of::<", rs.Name, ">() == ", rs.Align, ");")
		for _, f := range rs.Fields {
			if f.Cfg != "" {
				continue
			}
			p.P("assert!(::core::mem::offset_of!(", rs.Name, ", ", f.Name, ") == ", fieldOffset(f), ");")
		}
		p.Out()
		p.P("};")
		p.P()
	}
	if len(rs.Externs) > 0 {
		p.P("// The C functions the VTABLE names as fallbacks.")
		p.P("unsafe extern \"C\" {")
		p.In()
		for _, e := range rs.Externs {
			p.P(e)
		}
		p.Out()
		p.P("}")
		p.P()
	}
	trait := t.Trait.Name
	p.P("/// The `", rs.Name, "` of impl `T` of `", trait, "`, built at compile time from")
	p.P("/// `T`'s `HAS_*` consts: a method `T` does not define is `None` (NULL).")
	p.P("pub struct Vtable<T>(::core::marker::PhantomData<T>);")
	p.P()
	p.P("#[rustfmt::skip]")
	p.P("impl<T: super::", trait, "> Vtable<T> {")
	p.In()
	p.P("pub const VTABLE: ", rs.Path, " = ", rs.Path, " {")
	p.In()
	for _, f := range rs.Fields {
		if f.Value == "" {
			continue
		}
		if c := f.LiteralCfg(); c != "" {
			p.P("#[cfg(", c, ")]")
		}
		p.P(f.Name, ": ", f.Value, ",")
	}
	p.P("..unsafe { ::core::mem::zeroed() }")
	p.Out()
	p.P("};")
	p.Out()
	p.P("}")
	p.P()
}

// fieldOffset is where a field starts: a member's offset, or that of an
// anonymous aggregate's first member.
func fieldOffset(f *vtable.RustField) int64 {
	if f.Member != nil {
		return f.Member.Offset
	}
	if len(f.Fields) > 0 {
		return fieldOffset(f.Fields[0])
	}
	return 0
}

// aggregateDecl declares a #[repr(C)] struct or union with fields, and
// the anonymous aggregates among them after it; align, when not 0, is the
// alignment the declaration states.
func aggregateDecl(p *Printer, kind, name string, fields []*vtable.RustField, align int64) {
	p.P("#[rustfmt::skip]")
	if align > 0 {
		p.P("#[repr(C, align(", align, "))]")
	} else {
		p.P("#[repr(C)]")
	}
	p.P("#[derive(Clone, Copy)]")
	p.P("pub ", kind, " ", name, " {")
	p.In()
	for _, f := range fields {
		if f.Cfg != "" {
			p.P("#[cfg(", f.Cfg, ")]")
		}
		p.P("pub ", f.Name, ": ", f.Type, ",")
	}
	p.Out()
	p.P("}")
	for _, f := range fields {
		if f.Decl != "" {
			p.P()
			for _, line := range strings.Split(f.Decl, "\n") {
				p.P(line)
			}
		}
		if f.Fields != nil {
			p.P()
			k := "struct"
			if f.Union {
				k = "union"
			}
			aggregateDecl(p, k, f.Type, f.Fields, 0)
		}
	}
}

// superPath names the type path from the module that includes the file:
// a bare name (Led, Led<u8>) through super::, a path as it is written
// (crate::x::Led, ::x::Led, super::Led).
func superPath(path string) string {
	if strings.Contains(path, "::") || strings.HasPrefix(path, "<") || strings.HasPrefix(path, "(") || strings.HasPrefix(path, "[") || strings.HasPrefix(path, "&") {
		return path
	}
	return "super::" + path
}
