package vtable

import (
	"fmt"
	"strings"
)

// RustTypes says how C types are spelled in Rust, after bindgen's
// mapping: int is c_int, size_t is usize, pointers keep their const/mut,
// typedef names are kept, and struct, union and enum types are named
// under Path, e.g. "bindings" or "crate::ffi"; with Path empty they are
// declared by the generated file itself (structs and unions opaque,
// typedefs as aliases).
type RustTypes struct {
	Path string
	// FFI is the path C's basic types are spelled under, e.g.
	// "::core::ffi" for "::core::ffi::c_int"; empty spells them bare
	// (the generated file imports them).
	FFI string
	// Declared are the C names the generated file declares itself
	// although Path is set, e.g. the ops struct, which a hand-written
	// ffi module rarely has ("sqlite3_module"); the struct's anonymous
	// members' types go with it.
	Declared []string
}

// Declares reports whether the generated file declares the C type name
// itself: always without a Path, else when Declared names it (or the
// struct whose anonymous member type it is, "S__bindgen_ty_1").
func (rt RustTypes) Declares(name string) bool {
	if rt.Path == "" {
		return true
	}
	for _, d := range rt.Declared {
		if name == d || strings.HasPrefix(name, d+"__bindgen_ty_") {
			return true
		}
	}
	return false
}

// stdintRust maps the <stdint.h> and <stddef.h> typedefs bindgen turns
// into Rust's own integer types.
var stdintRust = map[string]string{
	"int8_t": "i8", "int16_t": "i16", "int32_t": "i32", "int64_t": "i64",
	"uint8_t": "u8", "uint16_t": "u16", "uint32_t": "u32", "uint64_t": "u64",
	"intptr_t": "isize", "uintptr_t": "usize", "size_t": "usize", "ssize_t": "isize",
}

// basicRust maps C's basic types to core::ffi's names.
var basicRust = map[string]string{
	"char": "c_char", "signed char": "c_schar", "unsigned char": "c_uchar",
	"short": "c_short", "unsigned short": "c_ushort", "int": "c_int", "unsigned int": "c_uint",
	"long": "c_long", "unsigned long": "c_ulong", "long long": "c_longlong", "unsigned long long": "c_ulonglong",
	"_Bool": "bool", "float": "f32", "double": "f64", "void": "c_void",
}

// Spell returns the Rust spelling of C type t, e.g. "*const c_char",
// "usize", "Option<unsafe extern \"C\" fn(*mut file) -> c_int>" or
// "bindings::loff_t". An error names what Rust cannot express (long
// double, a vector type).
func (rt RustTypes) Spell(t *Type) (string, error) {
	if t == nil {
		return "", fmt.Errorf("no type")
	}
	if r, ok := stdintRust[t.Typedef]; ok && rt.nativeTypedef(t.Typedef) {
		return r, nil
	}
	if t.Typedef != "" {
		return rt.named(t.Typedef), nil
	}
	switch t.Kind {
	case Void:
		if rt.FFI != "" {
			return rt.FFI + "::c_void", nil
		}
		return "c_void", nil
	case Int, Float:
		if r, ok := basicRust[t.Name]; ok {
			if rt.FFI != "" && strings.HasPrefix(r, "c_") {
				r = rt.FFI + "::" + r
			}
			return r, nil
		}
		return "", fmt.Errorf("C type %s has no Rust equivalent", t.Name)
	case Pointer:
		if t.Elem != nil && t.Elem.Kind == Function && t.Elem.Typedef == "" {
			return rt.fnPointer(t.Elem.Func)
		}
		if t.Elem != nil && t.Elem.Kind == Function {
			// A pointer to a function typedef: bindgen's typedef is the
			// pointer already (typedef void (file_proc)(int) is an
			// Option<unsafe extern "C" fn(c_int)>).
			return rt.named(t.Elem.Typedef), nil
		}
		elem, err := rt.Spell(t.Elem)
		if err != nil {
			return "", err
		}
		if t.Elem != nil && t.Elem.Const {
			return "*const " + elem, nil
		}
		return "*mut " + elem, nil
	case Array:
		elem, err := rt.Spell(t.Elem)
		if err != nil {
			return "", err
		}
		if t.Len < 0 {
			return "[" + elem + "; 0]", nil
		}
		return fmt.Sprintf("[%s; %d]", elem, t.Len), nil
	case StructType, UnionType, Enum:
		if t.Name == "" {
			return "", fmt.Errorf("an anonymous %s has no name Rust can use", t.Kind)
		}
		return rt.named(t.Name), nil
	case Function:
		return "", fmt.Errorf("a function type is only used through a pointer")
	}
	return "", fmt.Errorf("C type %s has no Rust equivalent", t.Name)
}

// fnPointer spells a pointer to a function of type f as bindgen does.
func (rt RustTypes) fnPointer(f *FuncType) (string, error) {
	sig, err := rt.Signature(f, nil)
	if err != nil {
		return "", err
	}
	return "Option<unsafe extern \"C\" fn" + sig + ">", nil
}

// Signature spells the parameter list and result of f, e.g.
// "(dev: *mut device, mode: c_int) -> c_int"; names, when not nil, gives
// the parameters' names (an empty one is left out).
func (rt RustTypes) Signature(f *FuncType, names []string) (string, error) {
	var ps []string
	for i, p := range f.Params {
		typ, err := rt.Spell(p.CType)
		if err != nil {
			return "", fmt.Errorf("parameter %d: %v", i+1, err)
		}
		if names != nil && i < len(names) && names[i] != "" {
			typ = names[i] + ": " + typ
		}
		ps = append(ps, typ)
	}
	if f.Variadic {
		ps = append(ps, "...")
	}
	sig := "(" + strings.Join(ps, ", ") + ")"
	if f.ResultType != nil && f.ResultType.Kind != Void || f.ResultType != nil && f.ResultType.Typedef != "" {
		res, err := rt.Spell(f.ResultType)
		if err != nil {
			return "", fmt.Errorf("result: %v", err)
		}
		sig += " -> " + res
	}
	return sig, nil
}

// nativeTypedef reports a typedef spelled as Rust's own type: every
// stdint one, with or without bindgen's bindings. bindgen maps the
// exact-width integers to Rust's (u32 is c_uint), intptr_t and uintptr_t
// to isize and usize, and, with --size_t-is-usize (the default since
// bindgen 0.61, passed by the kernel's rust/Makefile before that),
// size_t and ssize_t to usize and isize, without emitting their typedefs.
func (rt RustTypes) nativeTypedef(name string) bool { return true }

// Named is name under the configured path, e.g. "bindings::loff_t".
func (rt RustTypes) Named(name string) string { return rt.named(name) }

func (rt RustTypes) named(name string) string {
	if rt.Declares(name) {
		return RustName(name)
	}
	name = RustName(name)
	if rt.Path == "" {
		return name
	}
	return rt.Path + "::" + name
}

// RustName is the Rust name of a C identifier, as bindgen gives it to
// every name it writes (types, functions, struct fields, parameters): a
// name that is a Rust keyword, a reserved word or a primitive type's (the
// kernel's typedefs u8 ... u64 and bool, libxml2's parameter type) takes a
// trailing underscore, e.g. type becomes type_; other names are unchanged.
// Every Rust name vtablegen writes from a C name goes through it, so that
// its names are bindgen's where the two meet (rust_types).
func RustName(name string) string {
	if rustReserved[name] {
		return name + "_"
	}
	return name
}

// rustReserved are the names bindgen (0.60, Debian 12's) suffixes with
// "_": Rust's keywords, strict and reserved, its primitive integer, float,
// bool and str types, and a few C-ish reserved words.
var rustReserved = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`as break const continue crate else enum extern false fn for if impl in
		let loop match mod move mut pub ref return self Self static struct super trait true type unsafe
		use where while async await dyn abstract become box do final macro override priv typeof unsized
		virtual yield try alignof offsetof sizeof proc pure bool str i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize f32 f64`) {
		rustReserved[w] = true
	}
}

// Declarations are the Rust declarations a generated file needs for the
// types it declares itself (RustTypes.Declares): opaque structs and
// unions, enums as integers, and typedef aliases, each once, in the order
// first used.
type Declarations struct {
	Names []string
	Decl  map[string]string
	// unsized are the structs declared without their size (seen through
	// pointers only so far).
	unsized map[string]bool
}

// Collect adds the declarations type t needs.
func (d *Declarations) Collect(rt RustTypes, t *Type) {
	if t == nil {
		return
	}
	if _, ok := stdintRust[t.Typedef]; ok && rt.nativeTypedef(t.Typedef) {
		return
	}
	if t.Typedef != "" {
		if !rt.Declares(t.Typedef) {
			return // the user's (rust_types) has it
		}
		under := *t
		under.Typedef = ""
		name := RustName(t.Typedef)
		switch {
		case under.Kind == Function:
			// bindgen's spelling of a function typedef: the pointer
			// (a pointer to it is spelled as the typedef itself).
			d.collectFunc(rt, under.Func)
			if spelled, err := rt.fnPointer(under.Func); err == nil {
				d.add(rt, t.Typedef, "pub type "+name+" = "+spelled+";")
			}
		case under.Kind == Enum && under.Name == "":
			d.add(rt, t.Typedef, "pub type "+name+" = c_uint;")
		case (under.Kind == StructType || under.Kind == UnionType) && under.Name == "":
			// typedef struct {...} point_t: the typedef names it.
			d.addStruct(rt, t.Typedef, name, &under)
		default:
			d.Collect(rt, &under)
			if spelled, err := rt.Spell(&under); err == nil {
				d.add(rt, t.Typedef, "pub type "+name+" = "+spelled+";")
			}
		}
		return
	}
	switch t.Kind {
	case Pointer, Array:
		d.Collect(rt, t.Elem)
	case Function:
		d.collectFunc(rt, t.Func)
	case StructType, UnionType:
		if t.Name != "" {
			d.addStruct(rt, t.Name, RustName(t.Name), t)
		}
	case Enum:
		if t.Name != "" {
			d.add(rt, t.Name, "pub type "+RustName(t.Name)+" = c_uint;")
		}
	}
}

func (d *Declarations) collectFunc(rt RustTypes, f *FuncType) {
	if f == nil {
		return
	}
	d.Collect(rt, f.ResultType)
	for _, p := range f.Params {
		d.Collect(rt, p.CType)
	}
}

// add declares the C name with decl, once, unless rust_types has it.
func (d *Declarations) add(rt RustTypes, name, decl string) {
	if !rt.Declares(name) {
		return
	}
	if _, ok := d.Decl[name]; !ok {
		d.Set(name, decl)
	}
}

// addStruct declares the C struct or union t as name (its Rust name
// rust); one declared without its size before (seen through a pointer
// only) takes the sized declaration when one comes.
func (d *Declarations) addStruct(rt RustTypes, name, rust string, t *Type) {
	if !rt.Declares(name) {
		return
	}
	sized := t.Size > 0 && t.Align > 0
	if _, ok := d.Decl[name]; ok && !(sized && d.unsized[name]) {
		return
	}
	d.Set(name, opaqueDecl(rust, t))
	if d.unsized == nil {
		d.unsized = map[string]bool{}
	}
	d.unsized[name] = !sized
}

// Set declares name as decl, in place of what Collect gave it.
func (d *Declarations) Set(name, decl string) {
	if _, ok := d.Decl[name]; !ok {
		d.Names = append(d.Names, name)
	}
	if d.Decl == nil {
		d.Decl = map[string]string{}
	}
	d.Decl[name] = decl
}

// Drop takes name out (the file declares it otherwise).
func (d *Declarations) Drop(name string) {
	if _, ok := d.Decl[name]; !ok {
		return
	}
	delete(d.Decl, name)
	for i, n := range d.Names {
		if n == name {
			d.Names = append(d.Names[:i], d.Names[i+1:]...)
			break
		}
	}
}

// opaqueDecl declares a C struct or union Rust sees only from outside:
// where its size is known (a member or parameter holds it by value, as a
// GObject class struct holds its parent class), bytes of that size and
// alignment, so that the layout of what holds it is C's; else a
// zero-sized type, for pointers to it.
func opaqueDecl(name string, t *Type) string {
	if t.Size > 0 && t.Align > 0 {
		return fmt.Sprintf("#[repr(C, align(%d))]\n#[derive(Clone, Copy)]\npub struct %s {\n    _data: [u8; %d],\n}", t.Align, name, t.Size)
	}
	return "#[repr(C)]\npub struct " + name + " {\n    _opaque: [u8; 0],\n}"
}
