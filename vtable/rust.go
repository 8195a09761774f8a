package vtable

import "go/token"

// ItemKind says whether a vtable item is a trait or an impl.
type ItemKind int

const (
	// Trait is a trait declaration, e.g. "pub trait DeviceOps { ... }".
	Trait ItemKind = iota
	// Impl is a trait impl, e.g. "impl DeviceOps for Led { ... }".
	Impl
)

// String returns the kind as the -json output spells it: "trait" or "impl".
func (k ItemKind) String() string {
	if k == Impl {
		return "impl"
	}
	return "trait"
}

// Range is a half-open range of byte offsets into a source file, used to
// rewrite the file in place.
type Range struct {
	Start, End int
}

// Item is a Rust trait or trait impl that carries a vtable attribute.
type Item struct {
	Kind ItemKind
	// Name is the trait's name for a trait, e.g. "DeviceOps"; for an impl it
	// is the self type as written, e.g. "Led".
	Name string
	// Trait is the implemented trait's path as written, e.g.
	// "kernel::miscdevice::MiscDevice"; empty for a trait.
	Trait RustPath
	// Self is the impl's self type as written, e.g. "Led" or "Foo<T>"; empty
	// for a trait.
	Self string
	// Pos is the position of the item's first token after its attributes.
	Pos token.Position
	// Attr is the byte range of the vtable attribute, which the expansion
	// removes.
	Attr Range
	// Body is the byte range of the item's body between its braces,
	// exclusive, where the expansion inserts the consts.
	Body Range
	// Generics are the item's generic parameters as written, e.g.
	// "<T: Operations>", and Where its where clause, e.g. "where T: Send";
	// both empty when absent.
	Generics string
	Where    string
	// Unsafe reports an "unsafe trait" or "unsafe impl".
	Unsafe bool
	// Methods are the top-level fns of the body in source order.
	Methods []*Method
	// Consts are the top-level consts the user wrote in the body, in source
	// order.
	Consts []*Const
	// Types are the names of the body's associated types, e.g. "QueueData".
	Types []RustIdent
	// File is the source file, and Module the path of inline mods the item
	// is in within it, e.g. ["tests"]; the item's path follows from both.
	// FileModule, when set (by Resolve, for a file a #[path] module
	// declaration names), is the file's module path instead of the one
	// its place in the tree gives.
	File       string
	Module     []string
	FileModule []string
}

// Use is one name a use declaration brings into a module:
// "use kernel::cpufreq;" is {Name: "cpufreq", Path: [kernel cpufreq]}, and
// "use kernel::prelude::*;" a glob of [kernel prelude].
type Use struct {
	Name string
	Path []string
	Glob bool
	// Pub reports a re-export ("pub use"), which gives the item a second
	// path: kernel::drm re-exports kernel::drm::driver::Driver as Driver.
	Pub bool
	// Module is the inline mod the declaration is in, [] for the file's own.
	Module []string
}

// Method is a top-level fn of a vtable trait or impl.
type Method struct {
	// Name is the method name, e.g. "read"; HAS_READ derives from it.
	Name RustIdent
	// Required reports a trait method without a default body; always false
	// in an impl.
	Required bool
	// Cfg holds the method's #[cfg(...)] predicates as written, e.g.
	// `feature = "compat"`.
	Cfg []string
	// CfgAttrs are the method's #[cfg(...)] attributes as written, e.g.
	// `#[cfg(feature = "compat")]`; the newest vtable copies them onto
	// the method's HAS_*.
	CfgAttrs []string
	// Optional reports an #[optional] attribute (the newest vtable
	// gives such a trait method a default body that fails the build), and
	// OptionalAttr is its byte range.
	Optional     bool
	OptionalAttr Range
	// HasBody reports a body; Semicolon is the byte range of the ';' that
	// ends a method without one.
	HasBody   bool
	Semicolon Range
	// Params is the parameter list as written, e.g. "(&self, buf: &mut [u8])",
	// and Result the return type, e.g. "Result<usize>", or "" for none.
	Params string
	Result string
	// Args are the parameters one by one, self included; ResultPos is
	// where Result is written.
	Args      []Arg
	ResultPos token.Position
	// Pos is the position of the method name.
	Pos token.Position
}

// Arg is one parameter of a method.
type Arg struct {
	// Name is the parameter's pattern as written, e.g. "buf" or "_dev";
	// "self" for a self parameter.
	Name string
	// Type is the parameter's type as written, e.g. "&mut [u8]"; for a self
	// parameter, the whole of it, e.g. "&self".
	Type string
	// Self reports a self parameter.
	Self bool
	// Pos is where the parameter is written.
	Pos token.Position
}

// Const is an associated const of a vtable trait or impl.
type Const struct {
	// Name is the const's name, e.g. "HAS_READ" or "USE_VTABLE_ATTR".
	Name RustIdent
	// Type and Expr are the const's type and value as written, e.g. "bool"
	// and "false", or "&'static CStr" and "c_str!(\"x\")"; Expr is empty for
	// a const without a value.
	Type string
	Expr string
	// Value is the boolean value of a HAS_* const; nil for a const that has
	// no boolean literal value (USE_VTABLE_ATTR, or a user expression).
	Value *bool
	// User reports a const the source declared, as opposed to one the
	// vtable rule inserts.
	User bool
	// TypeItem reports an associated type the rule inserts instead of a
	// const (Linux 7.3's OwnerModule): Type is its bound on a trait, Expr
	// its value on an impl.
	TypeItem bool
	// Pos is the position of the const's name; zero for an inserted const.
	Pos token.Position
	// Attrs are the attribute and doc-comment lines the vtable rule puts
	// before an inserted const, e.g. `#[cfg(feature = "compat")]` or
	// "/// Indicates if the `read` method is overridden by the implementor.";
	// empty for a const the user wrote.
	Attrs []string
}

// RustFile is what the Rust front end found in one source file.
type RustFile struct {
	Name string
	// Src is the file's contents, which the byte ranges index; nil when the
	// file could not be read.
	Src []byte
	// Items are the file's vtable traits and impls in source order.
	Items []*Item
	// Uses are the file's use declarations, each name once, in order.
	Uses []Use
	// PlainImpls are the file's trait impls without the vtable attribute (an Item of
	// kind Impl with no Attr), so that an impl of a vtable trait that
	// forgot the attribute can be reported before rustc does.
	PlainImpls []*Item
	// PathMods are the file's module declarations without a body, e.g.
	// #[path = "freeze.rs"] mod freeze; or mod ops;, which give another
	// file its module path.
	PathMods []PathMod
}

// PathMod is a module declaration "#[path = "Path"] mod Name;" or
// "mod Name;" (Path empty) in the inline mods Module of its file.
type PathMod struct {
	Name, Path string
	Module     []string
}
