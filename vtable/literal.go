package vtable

import "go/token"

// StructLiteral is a struct expression in Rust source, such as the
// hand-written `bindings::file_operations { open: ..., ..zeroed() }` an
// abstraction builds its C table with.
type StructLiteral struct {
	// Path is the struct's path as written, e.g. "bindings::file_operations".
	Path string
	// Pos is where the literal starts.
	Pos token.Position
	// Fields are the fields it sets, in order.
	Fields []*LiteralField
	// Base is the expression after "..", e.g. "pin_init::zeroed()"; empty
	// when the literal names every field.
	Base string
	// In says where the literal stands, e.g. "const VTABLE" or "fn new".
	In string
	// Bounds are the trait bounds of the type parameters in scope (of the
	// impls and fns around the literal, innermost last), by parameter,
	// e.g. "T": ["MiscDevice"], as written.
	Bounds map[string][]string
}

// FnSig is the signature of a fn item, as written.
type FnSig struct {
	// Name is the fn's name, e.g. "read_callback".
	Name string
	// Params are the parameters' types, self excluded.
	Params []string
	// Result is the return type, "" for none.
	Result string
	// Extern reports an extern "C" fn (or one in an extern block).
	Extern bool
	Pos    token.Position
}

// RustScan is what a scan of a Rust file for struct literals finds: the
// literals and the signatures of every fn item of the file.
type RustScan struct {
	Literals []*StructLiteral
	Fns      []*FnSig
}

// LiteralField is one field a struct literal sets.
type LiteralField struct {
	Name  string
	Value string
	Pos   token.Position
	// Cfgs are the predicates of the field's #[cfg(...)] attributes.
	Cfgs []string
}

// Name is the struct's own name, the last segment of Path.
func (l *StructLiteral) Name() string { return LastSegment(l.Path) }

// Field returns the field of the literal named name, or nil.
func (l *StructLiteral) Field(name string) *LiteralField {
	for _, f := range l.Fields {
		if f.Name == name {
			return f
		}
	}
	return nil
}
