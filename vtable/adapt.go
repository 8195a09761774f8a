package vtable

import (
	"fmt"
	"strings"
)

// How a trampoline passes C's arguments to a Rust method and the method's
// result back to C. A method whose signature is the raw C one is called
// as is; otherwise a small, fixed set of adaptations applies, decided here
// once per callback and printed by the emitter:
//
//   - an integer of the same size and signedness (i32 for int, isize for
//     long on LP64) is converted with "as", and a raw pointer of the same
//     constness is cast;
//   - a non-null pointer becomes &T (or &mut T from a pointer to non-const):
//     the pointer is cast to T, which must have the pointee's layout;
//   - a pointer followed by an integer becomes &[u8] (&mut [u8]): the
//     bytes the pointer points to, as many as the integer says;
//   - a const char * becomes &CStr;
//   - an integer becomes bool (non-zero is true), and a bool result an
//     integer (1 or 0);
//   - a Result result becomes the C result through the binding's result
//     function (the kernel's from_result style: Ok(v) to v, Err(e) to a
//     negative errno).
//
// Anything else is a diagnostic naming the parameter and both types.

// ArgAdapt says how one Rust parameter is made from C's arguments.
type ArgAdapt int

const (
	// PassRaw passes the C argument as is.
	PassRaw ArgAdapt = iota
	// PassCast converts an integer with "as" or casts a raw pointer.
	PassCast
	// PassRef makes &T or &mut T from a non-null pointer.
	PassRef
	// PassSlice makes &[u8] or &mut [u8] from a pointer and a length.
	PassSlice
	// PassCStr makes &CStr from a const char *.
	PassCStr
	// PassBool makes bool from an integer.
	PassBool
)

// ArgPlan is one Rust parameter of a call.
type ArgPlan struct {
	Adapt ArgAdapt
	// Arg is the Rust parameter.
	Arg Arg
	// C are the indexes of the C parameters it is made from: one, or two
	// for a slice (the pointer, then the length).
	C []int
	// Target is the Rust type the argument becomes, as written, e.g.
	// "Device" for &Device, or "i32".
	Target string
	// Mut reports &mut.
	Mut bool
}

// ResultAdapt says how a method's result becomes the C result.
type ResultAdapt int

const (
	// ReturnNone is a method returning () for a void member.
	ReturnNone ResultAdapt = iota
	// ReturnRaw returns the result as is.
	ReturnRaw
	// ReturnCast converts an integer with "as" or casts a raw pointer.
	ReturnCast
	// ReturnBool turns a bool into 1 or 0.
	ReturnBool
	// ReturnVia passes a Result through the binding's result function.
	ReturnVia
)

// Plan is how one trampoline calls one method.
type Plan struct {
	Args   []ArgPlan
	Result ResultAdapt
	// ResultFn is the result function for ReturnVia, e.g. "from_result".
	ResultFn string
	// Params are the trampoline's parameters in Rust, e.g.
	// ["dev: *mut device", "mode: c_int"], CNames the names it gives them,
	// and Ret its result, e.g. " -> c_int", or "" for void.
	Params []string
	CNames []string
	Ret    string
}

// rustInts are Rust's integer types (and core::ffi's aliases on LP64
// Linux) by size and signedness.
var rustInts = map[string]struct {
	size   int64
	signed bool
}{
	"i8": {1, true}, "i16": {2, true}, "i32": {4, true}, "i64": {8, true}, "i128": {16, true}, "isize": {8, true},
	"u8": {1, false}, "u16": {2, false}, "u32": {4, false}, "u64": {8, false}, "u128": {16, false}, "usize": {8, false},
	"c_char": {1, true}, "c_schar": {1, true}, "c_uchar": {1, false}, "c_short": {2, true}, "c_ushort": {2, false},
	"c_int": {4, true}, "c_uint": {4, false}, "c_long": {8, true}, "c_ulong": {8, false},
	"c_longlong": {8, true}, "c_ulonglong": {8, false},
}

// normRust removes blanks and the module paths of core::ffi's and libc's
// type names from a Rust type as written.
func normRust(t string) string {
	t = strings.Join(strings.Fields(t), " ")
	for _, p := range []string{"::core::ffi::", "core::ffi::", "::std::ffi::", "std::ffi::", "std::os::raw::", "libc::", "ffi::"} {
		t = strings.ReplaceAll(t, p, "")
	}
	return t
}

// cInt reports C type t as an integer (enums included, _Bool not).
func cInt(t *Type) (size int64, signed, ok bool) {
	if t == nil || t.Kind == Int && t.Name == "_Bool" {
		return 0, false, false
	}
	switch t.Kind {
	case Int:
		return t.Size, !t.Unsigned, true
	case Enum:
		return t.Size, false, true
	}
	return 0, false, false
}

// isResult reports a Rust type that is a Result: "Result<...>",
// "Result", "core::result::Result<...>", "kernel::error::Result".
func isResult(t string) bool {
	base := t
	if i := strings.IndexByte(base, '<'); i >= 0 {
		base = base[:i]
	}
	return LastSegment(base) == "Result"
}

// PlanCall decides how the trampoline for member m (of struct s) calls
// method meth of trait in impl, with the C types spelled by rt and
// Results passed through resultFn; problems are added to diags.
func PlanCall(meth *Method, impl *Item, m *Member, rt RustTypes, resultFn string, diags *Diagnostics) *Plan {
	f := m.Func
	if f == nil || meth == nil {
		return nil // a model without C types (tests of the C side alone)
	}
	plan := &Plan{ResultFn: resultFn}
	for i, p := range f.Params {
		plan.CNames = append(plan.CNames, p.RustName(i))
	}
	for i, p := range f.Params {
		typ, err := rt.Spell(p.CType)
		if err != nil {
			diags.Add(m.Pos, "member %s, parameter %d: %v", m.Name, i+1, err)
			return nil
		}
		plan.Params = append(plan.Params, plan.CNames[i]+": "+typ)
	}
	if res := f.ResultType; res != nil && (res.Kind != Void || res.Typedef != "") {
		typ, err := rt.Spell(res)
		if err != nil {
			diags.Add(m.Pos, "member %s, result: %v", m.Name, err)
			return nil
		}
		plan.Ret = " -> " + typ
	}
	if f.Variadic {
		return nil // reported by the binder: stable Rust has no variadic fns
	}
	where := fmt.Sprintf("member %s (%s)", m.Name, m.Type)
	bad := func(a Arg, format string, args ...any) {
		d := diags.Add(a.Pos, "parameter %s of %s::%s: %s", a.Name, owner(impl), meth.Name, fmt.Sprintf(format, args...))
		d.Related = append(d.Related, Related{Pos: m.Pos, Msg: where + " declared here"})
	}
	ci := 0
	for _, a := range meth.Args {
		if a.Self {
			d := diags.Add(a.Pos, "method %s takes %s, and a C callback has no Rust value to call it on: make it an associated function", meth.Name, a.Type)
			d.Related = append(d.Related, Related{Pos: m.Pos, Msg: where + " declared here"})
			return nil
		}
		if ci >= len(f.Params) {
			d := diags.Add(meth.Pos, "method %s::%s takes more parameters than %s passes (%d C parameters)", owner(impl), meth.Name, where, len(f.Params))
			d.Related = append(d.Related, Related{Pos: m.Pos, Msg: "member declared here"})
			return nil
		}
		rust := normRust(a.Type)
		c := f.Params[ci].CType
		cs, _ := rt.Spell(c)
		ap := ArgPlan{Arg: a, C: []int{ci}}
		switch {
		case rust == "&[u8]" || rust == "&mut [u8]" || rust == "&mut[u8]":
			ap.Adapt, ap.Mut = PassSlice, strings.HasPrefix(rust, "&mut")
			if c.Kind != Pointer || c.Elem == nil || c.Elem.Size != 1 && c.Elem.Kind != Void {
				bad(a, "%s is made from a pointer to bytes and a length, and C passes %s", a.Type, cs)
				return nil
			}
			if ap.Mut && c.Elem.Const {
				bad(a, "%s needs a pointer to non-const bytes, and C passes %s", a.Type, cs)
				return nil
			}
			if ci+1 >= len(f.Params) {
				bad(a, "%s is made from a pointer and a length, and C passes no parameter after %s", a.Type, cs)
				return nil
			}
			if _, _, ok := cInt(f.Params[ci+1].CType); !ok {
				n, _ := rt.Spell(f.Params[ci+1].CType)
				bad(a, "%s is made from a pointer and a length, and the C parameter after the pointer is %s", a.Type, n)
				return nil
			}
			ap.C = []int{ci, ci + 1}
			ci++
		case rust == "&CStr":
			ap.Adapt = PassCStr
			if c.Kind != Pointer || c.Elem == nil || c.Elem.Kind != Int || c.Elem.Size != 1 || !c.Elem.Const {
				bad(a, "&CStr is made from a const char *, and C passes %s", cs)
				return nil
			}
		case strings.HasPrefix(rust, "&"):
			ap.Adapt = PassRef
			ap.Target = strings.TrimSpace(strings.TrimPrefix(rust, "&"))
			if strings.HasPrefix(ap.Target, "mut ") {
				ap.Mut, ap.Target = true, strings.TrimSpace(strings.TrimPrefix(ap.Target, "mut "))
			}
			if strings.HasPrefix(ap.Target, "'") { // a lifetime: &'a T
				if i := strings.IndexByte(ap.Target, ' '); i > 0 {
					ap.Target = strings.TrimSpace(ap.Target[i:])
				}
			}
			switch {
			case ap.Target == "str":
				bad(a, "&str is not made from a C pointer (C strings need no UTF-8 and carry no length): take &CStr")
				return nil
			case strings.HasPrefix(ap.Target, "[") || strings.HasPrefix(ap.Target, "dyn "):
				bad(a, "%s is unsized: a C pointer becomes &T for a sized T, or &[u8] with a length", a.Type)
				return nil
			case c.Kind != Pointer || c.Elem == nil || c.Elem.Kind == Function:
				bad(a, "%s is made from a pointer, and C passes %s", a.Type, cs)
				return nil
			}
			if ap.Mut && c.Elem.Const {
				bad(a, "%s needs a pointer to non-const, and C passes %s", a.Type, cs)
				return nil
			}
		case rust == "bool":
			if c.Kind == Int && c.Name == "_Bool" {
				ap.Adapt = PassRaw
			} else if _, _, ok := cInt(c); ok {
				ap.Adapt = PassBool
			} else {
				bad(a, "bool is made from an integer, and C passes %s", cs)
				return nil
			}
		default:
			adapt, ok := sameValue(rust, c, cs)
			if !ok {
				bad(a, "the method takes %s, and C passes %s", a.Type, cs)
				return nil
			}
			ap.Adapt, ap.Target = adapt, rust
		}
		plan.Args = append(plan.Args, ap)
		ci++
	}
	if ci != len(f.Params) {
		d := diags.Add(meth.Pos, "the parameters of %s::%s stand for %d C parameters, and %s passes %d", owner(impl), meth.Name, ci, where, len(f.Params))
		d.Related = append(d.Related, Related{Pos: m.Pos, Msg: "member declared here"})
		return nil
	}
	plan.Result = planResult(meth, impl, m, rt, resultFn, diags)
	if plan.Result < 0 {
		return nil
	}
	return plan
}

// owner names the trait or impl a method belongs to in messages.
func owner(it *Item) string {
	if it.Kind == Trait {
		return it.Name
	}
	return it.Self
}

// sameValue reports whether a Rust parameter or result of type rust holds
// the same value as C type c (spelled cs), and how it is passed. A
// pointer is always cast, its target inferred from the method's signature:
// the trait's file names the pointee as its own scope has it (the user's
// ffi::sqlite3), the trampolines' as theirs (their own opaque sqlite3, or
// the rust_types path), and the two are distinct types with one spelling.
func sameValue(rust string, c *Type, cs string) (ArgAdapt, bool) {
	if rust == normRust(cs) && !strings.HasPrefix(rust, "*") {
		return PassRaw, true
	}
	if ri, ok := rustInts[rust]; ok {
		if size, signed, ok := cInt(c); ok && size == ri.size && signed == ri.signed {
			return PassCast, true
		}
		return 0, false
	}
	if rust == "f32" || rust == "f64" {
		return PassCast, c.Kind == Float && (rust == "f32") == (c.Size == 4)
	}
	for _, p := range []string{"*const ", "*mut "} {
		if strings.HasPrefix(rust, p) {
			ok := c.Kind == Pointer && c.Elem != nil && c.Elem.Kind != Function && (p == "*const ") == c.Elem.Const
			return PassCast, ok
		}
	}
	return 0, false
}

// planResult decides how the method's result becomes the member's; -1 is
// a problem, reported.
func planResult(meth *Method, impl *Item, m *Member, rt RustTypes, resultFn string, diags *Diagnostics) ResultAdapt {
	res := m.Func.ResultType
	cs, _ := rt.Spell(res)
	void := res == nil || res.Kind == Void && res.Typedef == ""
	rust := normRust(meth.Result)
	at := meth.ResultPos
	if !at.IsValid() {
		at = meth.Pos
	}
	bad := func(format string, args ...any) ResultAdapt {
		d := diags.Add(at, "result of %s::%s: %s", owner(impl), meth.Name, fmt.Sprintf(format, args...))
		d.Related = append(d.Related, Related{Pos: m.Pos, Msg: fmt.Sprintf("member %s (%s) declared here", m.Name, m.Type)})
		return -1
	}
	switch {
	case rust == "" || rust == "()":
		if !void {
			return bad("the method returns nothing, and the member returns %s", cs)
		}
		return ReturnNone
	case void:
		return bad("the method returns %s, and the member returns void", meth.Result)
	case isResult(rust):
		if resultFn == "" {
			return bad("the method returns %s: say with rust_result in the binding which function turns it into %s (the kernel's from_result style)", meth.Result, cs)
		}
		return ReturnVia
	case rust == "bool":
		if res.Kind == Int && res.Name == "_Bool" {
			return ReturnRaw
		}
		if _, _, ok := cInt(res); ok {
			return ReturnBool
		}
		return bad("bool becomes an integer, and the member returns %s", cs)
	}
	adapt, ok := sameValue(rust, res, cs)
	if !ok {
		return bad("the method returns %s, and the member returns %s", meth.Result, cs)
	}
	if adapt == PassRaw {
		return ReturnRaw
	}
	return ReturnCast
}

// RustName is the name a function vtablegen writes gives the i-th C
// parameter p: its C name as Rust spells it (RustName), or argI for an
// unnamed one or one whose name starts with an underscore (the trait's
// unused parameters are written so).
func (p Param) RustName(i int) string {
	name := RustName(string(p.Name))
	if name == "" || strings.HasPrefix(name, "_") {
		name = fmt.Sprintf("arg%d", i)
	}
	return name
}
