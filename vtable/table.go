package vtable

// Table is the bound table for one C struct and one vtable trait: for
// every impl of the trait and every member of the struct, what goes there.
// The emitters consume it.
type Table struct {
	// Struct is the C operations struct being filled.
	Struct *Struct
	// Trait is the Rust vtable trait the struct is bound to.
	Trait *Item
	// Impls are the trait's impls in source order.
	Impls []*BoundImpl
}

// BoundImpl is one impl of the trait, bound to the struct's members.
type BoundImpl struct {
	// Impl is the Rust impl.
	Impl *Item
	// Symbol is the stem of the impl's C names in snake case, e.g.
	// "led_device" for impl DeviceOps for LedDevice; the initializer is
	// named <Symbol>_<struct> and each callback <Symbol>_<method>.
	Symbol string
	// Slots are the struct's function members in declaration order, each
	// with what fills it.
	Slots []*Slot
}

// Slot is one function-pointer member of the struct as seen from one impl:
// the C side and the Rust side of the same thing.
type Slot struct {
	// Member is the C member, with its type and position.
	Member *Member
	// Method is the Rust method that fills the member; nil when the impl
	// does not define one or its HAS_* const is false, so the member is NULL.
	Method *Method
	// Callback is the C symbol of the exported callback, e.g. "led_device_open";
	// empty when the member is NULL.
	Callback CIdent
	// Designated says the initializer names the member. It is false for
	// the members of an anonymous union's other alternatives: one
	// initializer designates one alternative of a union (the one the impl
	// fills, or else the first), since a second would overwrite the first.
	Designated bool
}
