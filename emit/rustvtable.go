package emit

import (
	"path/filepath"
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

	// The declarations the C signatures need, in the order first used.
	var decls vtable.Declarations
	for _, c := range t.Calls {
		decls.Collect(rt, c.Member.Func.ResultType)
		for _, p := range c.Member.Func.Params {
			decls.Collect(rt, p.CType)
		}
	}
	if len(decls.Names) > 0 {
		body.P("// The C types the callbacks use, declared here (no rust_types path is")
		body.P("// configured): structs opaque, typedefs as aliases.")
		for _, n := range decls.Names {
			for _, line := range strings.Split(decls.Decl[n], "\n") {
				body.P(line)
			}
		}
		body.P()
	}

	trait := t.Trait.Name
	helpers := map[string]bool{}
	for _, c := range t.Calls {
		if c.Plan == nil {
			continue
		}
		for _, a := range c.Plan.Args {
			if a.Adapt == vtable.PassSlice {
				helpers[map[bool]string{false: "bytes", true: "bytes_mut"}[a.Mut]] = true
			}
		}
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
		body.P("// impl ", trait, " for ", b.Impl.Self, ": the symbols ", b.Initializer, " names.")
		for _, sl := range exports {
			body.P("#[unsafe(no_mangle)]")
			fnHeader(&body, "pub unsafe extern \"C\" fn "+string(sl.Callback), sl.Plan.Params, sl.Plan.Ret)
			body.In()
			unsafeCall(&body, string(sl.Member.Name)+"_callback::<"+b.Impl.Self+">", sl.Plan.CNames)
			body.Out()
			body.P("}")
			body.P()
		}
	}

	var p Printer
	p.Unit = "    "
	p.P(Header)
	p.P(RustMarker)
	p.P("// From struct ", s.Ident(), " (", filepath.Base(s.Pos.Filename), ") and #[vtable] trait ", trait, " (", filepath.Base(t.Trait.Pos.Filename), ").")
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
			if ptr, ok := strings.CutPrefix(a.Target, "*mut "); ok {
				args = append(args, c+".cast::<"+ptr+">()")
			} else if ptr, ok := strings.CutPrefix(a.Target, "*const "); ok {
				args = append(args, c+".cast::<"+ptr+">()")
			} else {
				args = append(args, c+" as "+a.Target)
			}
		case vtable.PassRef:
			ref := "&*"
			if a.Mut {
				ref = "&mut *"
			}
			p.P("let ", c, " = unsafe { ", ref, c, ".cast::<", a.Target, ">() };")
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
