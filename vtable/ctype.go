package vtable

// TypeKind says what a C type is.
type TypeKind int

const (
	// Void is void.
	Void TypeKind = iota
	// Int is an integer type: char, short, int, long, long long, signed
	// or unsigned, and _Bool (Name says which).
	Int
	// Float is float, double or long double.
	Float
	// Pointer is a pointer; Elem is the pointee.
	Pointer
	// Array is an array; Elem is the element, Len the length.
	Array
	// Function is a function type; Func has its result and parameters.
	Function
	// StructType and UnionType are aggregates, named by Name (their tag,
	// "" for an anonymous one) or by Typedef.
	StructType
	UnionType
	// Enum is an enumeration, named by Name (its tag) or Typedef.
	Enum
	// OtherType is any other type (vectors, complex numbers, _Float16).
	OtherType
)

// String returns the kind as the -json output spells it.
func (k TypeKind) String() string {
	return [...]string{"void", "int", "float", "pointer", "array", "function", "struct", "union", "enum", "other"}[k]
}

// Type is a C type as structure; the string spellings of Member.Type,
// Param.Type and FuncType.Result are the same types as a C programmer
// writes them. A type reached through a typedef keeps both: the typedef's
// name and what it stands for.
type Type struct {
	Kind TypeKind
	// Name is a basic type's name as C spells it in full, e.g. "int",
	// "unsigned long", "char", "_Bool", "double"; or the tag of a struct,
	// union or enum ("" for an anonymous one); empty otherwise.
	Name string
	// Typedef is the typedef name the type is written with, e.g. "size_t",
	// "loff_t" or "device_ioctl_fn"; empty when it is written without one.
	Typedef string
	// Const and Volatile are the type's own qualifiers (for a pointer,
	// those of the pointer itself: "char *const").
	Const, Volatile bool
	// Unsigned reports an unsigned integer type (char's signedness is the
	// target's: plain char is signed on x86).
	Unsigned bool
	// Elem is the pointee of a Pointer and the element of an Array.
	Elem *Type
	// Len is an array's length; -1 for an array of unknown length.
	Len int64
	// Func is the function type of a Function.
	Func *FuncType
	// Size and Align are the type's size and alignment in bytes as the
	// target lays it out; -1 for an incomplete type (void, a struct only
	// declared, a function).
	Size, Align int64
}
